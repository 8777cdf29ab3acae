"""What every console page shares: the template environment, the page renderer with its banner
from the session, the redirect that leaves a banner, and the labels the templates show."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData

from states import GROUNDS, OUTCOMES, ROLE_LABELS
from states.events import EVENT_LABELS
from states.labels import SETTING_CHOICES, event_label, payload_fields, role_label, setting_label, state_label
from states.outcomes import REVIEW_CONCLUSION_LABELS
from states.vocab import CHANNEL_LABELS, CLOCK_LABELS, FEE_METHOD_LABELS, OPINION_LABELS, PARTY_LABELS
from web.deps import Principal, settings_of
from workflow.accounts.sessions import set_flash, take_flash
from workflow.config import Settings
from workflow.db import reading, simulation_of, transaction
from workflow.errors import WorkflowError
from workflow.notify.inboxes import inbox_count
from workflow.timeutil import local_date, local_stamp


async def _posted_form(request: Request) -> FormData:
    # Parsed on the event loop; the handler itself is sync and runs in the thread pool, so its
    # database work and argon2 never block other requests.
    return await request.form()


PostedForm = Annotated[FormData, Depends(_posted_form)]
env = Environment(
    loader=FileSystemLoader(str(Path(__file__).parent.parent / "templates")),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.filters["bjt"] = local_stamp  # staff read times in Beijing time; the ledger keeps UTC
KIND_LABELS = {
    "natural_person": "自然人",
    "commercial_enterprise": "商业企业",
    "research_institution": "科研机构",
    "social_welfare_organization": "社会公益组织",
    "legal_service_institution": "法律服务机构",
    "other_organization": "其他组织",
}


CHOICE_LABELS: dict[str, str] = {
    **{o.value: f"{spec.label}（{spec.article}）" for o, spec in OUTCOMES.items()},
    **{g.value: label for g, (label, _) in GROUNDS.items()},
    **{c.value: label for c, label in REVIEW_CONCLUSION_LABELS.items()},
    **{p.value: label for p, label in PARTY_LABELS.items()},
    **{o.value: label for o, label in OPINION_LABELS.items()},
    **{m.value: label for m, label in FEE_METHOD_LABELS.items()},
}

# Enumerated values an audit payload may carry: the case-form choices, channels and applicant kinds.
PAYLOAD_CHOICES = {**CHOICE_LABELS, **{c.value: label for c, label in CHANNEL_LABELS.items()}, **KIND_LABELS}


def plain(exc: Exception) -> str:
    """A refusal as the console says it: the message without the field's identifier in front
    (the page names the field by its label) or the rule's id after it."""
    if not isinstance(exc, WorkflowError):
        return "填写有误，请检查后重试"
    field = exc.field or ""
    message = exc.message
    if field and message.startswith((f"{field}：", f"{field}:")):
        message = message[len(field) + 1 :].lstrip()
    return message


def actor_text(actor: str, role: str | None) -> str:
    """Who recorded a ledger event: a person with their role, or the system or the applicant in words."""
    if role in ("system", "applicant") or actor in ("system", "applicant", "portal"):
        return role_label(role or actor) + ("（在线）" if actor == "portal" else "")
    return f"{actor}（{role_label(role)}）" if role else actor


def payload_of(action: str, payload: str | dict[str, Any]) -> list[tuple[str, str]]:
    """A ledger event's payload (canonical JSON, or already decoded) as labelled fields."""
    if isinstance(payload, dict):
        return payload_fields(action, payload, PAYLOAD_CHOICES)
    try:
        data = json.loads(payload) if payload else {}
    except ValueError:
        return [("内容", payload)]
    return payload_fields(action, data, PAYLOAD_CHOICES) if isinstance(data, dict) else [("内容", str(data))]


# Every identifier is shown through these, never as itself (states/labels.py).
env.filters.update(
    event_label=event_label,
    state_label=state_label,
    role_label=role_label,
    setting_label=setting_label,
)
env.globals.update(payload_of=payload_of, actor_text=actor_text, setting_choices=SETTING_CHOICES)


def render(request: Request, name: str, who: Principal | None, status: int = 200, **ctx: Any) -> HTMLResponse:
    """A page. Banners come from the session (set by `back`), never from the address: a link
    cannot put words in the office's mouth."""
    kind, _, text = (who.flash or "").partition(":") if who else ("", "", "")
    if who is not None and who.flash:
        with transaction(settings_of(request)) as session:
            take_flash(session, who.session_id)
    unread = 0
    if who is not None:  # the header's unread count: one indexed count
        with reading(settings_of(request)) as session:
            unread = inbox_count(session, who.name, unread=True)
    html = env.get_template(name).render(
        request=request,
        who=who,
        msg=text if kind == "ok" else "",
        err=text if kind == "err" else "",
        role_labels=ROLE_LABELS,
        labels=CHOICE_LABELS,
        channel_labels=CHANNEL_LABELS,
        kind_labels=KIND_LABELS,
        simulation=simulation(request),
        clock_labels=CLOCK_LABELS,
        unread=unread,
        event_labels=EVENT_LABELS,
        **ctx,
    )
    return HTMLResponse(html, status_code=status)


def simulation(request: Request) -> bool:
    """Whether this is a simulation database: every page then says its cases are samples."""
    return simulation_of(settings_of(request))


def today(request: Request) -> date:
    """Today in Beijing, by the server's clock (OGI_NOW when set)."""
    return local_date(settings_of(request).now())


def back(who: Principal, settings: Settings, url: str, *, msg: str = "", err: str = "") -> RedirectResponse:
    """Redirect to `url` with a banner kept in the session for the next page."""
    if who.session_id and (msg or err):
        with transaction(settings) as session:
            set_flash(session, who.session_id, f"ok:{msg}" if msg else f"err:{err}")
    return RedirectResponse(url, status_code=303)
