"""One case: its page, the actions the user may take on it, and remedies recorded against it."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response

from states import ACTIONS, DEFAULT_RULEBOOK, Action, CaseState, Role, allowed_actions
from states.deadlines import DEADLINE_KINDS
from states.labels import choice_label, state_label
from states.remedies import EVENT_LABELS as REMEDY_EVENT_LABELS
from states.remedies import KIND_LABELS as REMEDY_KIND_LABELS
from states.remedies import REMEDY_ROLES
from states.remedies import RESULT_LABELS as REMEDY_RESULT_LABELS
from web.console.common import CHOICE_LABELS, PostedForm, back, plain, render
from web.console.guard import Staff
from web.deps import Principal, check_csrf, settings_of
from web.errors import status_of
from web.views import check_readable
from workflow.accounts.users import active_with_role
from workflow.calendar.store import load_calendar
from workflow.cases.queries import case_view, deadlines_of, find_case, history_view
from workflow.cases.remedies import describe, record_remedy, remedies_of
from workflow.clock.next_step import next_step
from workflow.db import reading
from workflow.errors import Forbidden, WorkflowError
from workflow.ledger import audit
from workflow.letters.issue import letter_view, letters_of
from workflow.letters.pdf import pdf_unavailable_reason
from workflow.letters.registry import LETTERS
from workflow.service import perform
from workflow.timeutil import local_date

router = APIRouter()
# Actions that cannot be taken back ask once more before they are done (a page, no script needed).
CONFIRMED = frozenset({Action.APPROVE.value, Action.RETURN.value, Action.WITHDRAW.value})
CaseId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]


def _forms(who: Principal, state: CaseState, view: dict[str, Any]) -> list[dict[str, Any]]:
    """The actions this user may take on the case now, with their fields."""
    forms = []
    for action in allowed_actions(state):
        spec = ACTIONS[action]
        if not who.has(*(r.value for r in spec.roles)):
            continue
        forms.append(
            {
                "action": action.value,
                "label": spec.label,
                "article": spec.article,
                "fields": spec.fields,
                "choices": {
                    fld.name: {c: choice_label(action, fld.name, c, CHOICE_LABELS) for c in fld.choices}
                    for fld in spec.fields
                },
                "notes": spec.notes,
            }
        )
    return forms


def _split_explanation(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """The reasoning before the day-by-day walk, the walk itself, and the result after it."""
    if "逐日：" not in lines:
        return lines, [], []
    i = lines.index("逐日：")
    rest = lines[i + 1 :]
    return lines[:i], [x for x in rest if x.startswith("  ")], [x for x in rest if not x.startswith("  ")]


# A notice's draft needs what the action that issues it recorded (the items to correct, the days
# added, the fee): before that action its preview cannot render, so it is not offered.
PREVIEW_NEEDS = {
    "correction_notice": Action.REQUEST_CORRECTION.value,
    "extension_notice": Action.EXTEND.value,
    "fee_notice": Action.ISSUE_FEE_NOTICE.value,
}


def _previewable(outcome: str | None, done: set[str]) -> list[str]:
    """The letters whose draft can be shown now: the acknowledgement, the notices whose action was
    taken, and the answer once its outcome is decided."""
    kinds = ["acknowledgement", *(k for k, needs in PREVIEW_NEEDS.items() if needs in done)]
    return sorted(k for k in {*kinds, outcome or ""} if k in LETTERS)


@dataclass(frozen=True)
class Refusal:
    """A refused form, shown again on the case page: the message beside the field at fault and
    everything the user typed kept in the form (`action`'s or the remedy form)."""

    message: str
    status: int = 422
    action: str = ""
    field: str | None = None
    kept: dict[str, list[str]] = dataclass_field(default_factory=dict)


def _refusal(exc: Exception, action: str, posted: PostedForm) -> Refusal:
    kept = {k: [str(v) for v in posted.getlist(k)] for k in posted if k not in ("csrf", "version", "next", "confirmed")}
    if isinstance(exc, WorkflowError):
        return Refusal(plain(exc), status_of(exc), action, exc.field, kept)
    return Refusal("填写有误：日期应为 YYYY-MM-DD，数字应为整数", 422, action, None, kept)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, who: Staff, case_id: CaseId) -> Response:
    return _case_page(request, who, case_id)


def _case_page(request: Request, who: Principal, case_id: int, refusal: Refusal | None = None) -> Response:
    settings = settings_of(request)
    with reading(settings) as session:
        case = find_case(session, case_id)  # NotFound: the 404 page
        try:
            case = check_readable(session, who, case)
        except Forbidden as exc:
            return render(request, "error.html", who, status=403, title="无权查看", error=exc.message)
        view = case_view(session, case)
        ledger = audit.case_events(session, case.id or 0)  # read once: the clock, the history, remedies
        out, explanation = deadlines_of(session, case, DEFAULT_RULEBOOK, events=ledger)
        events = history_view(session, case, ledger)
        letters = [letter_view(x) for x in letters_of(session, case.id or 0)]
        handlers = [u.name for u in active_with_role(session, Role.HANDLER)]
        remedy_records = [describe(r) for r in remedies_of(ledger)]
        step = next_step(case, out, load_calendar(session), local_date(settings.now()))
    state = CaseState(view["state"])
    previewable = _previewable(view["outcome"], {e["action"] for e in events})
    return render(
        request,
        "case.html",
        who,
        status=refusal.status if refusal else 200,
        case=view,
        deadlines=out.as_dict(),
        dues=[(DEADLINE_KINDS[k], d) for k, d in out.dues() if k in DEADLINE_KINDS],
        step=step,
        explanation=explanation,
        **dict(zip(("explain_head", "explain_walk", "explain_tail"), _split_explanation(explanation), strict=True)),
        clock=out,
        events=events,
        letters=letters,
        pdf_available=pdf_unavailable_reason() is None,
        handlers=handlers,
        remedy_records=remedy_records,
        may_record_remedy=who.has(*(r.value for r in REMEDY_ROLES))
        and view["state"] in ("answered", "closed", "deemed_abandoned", "abandoned_unpaid"),
        remedy_kinds=REMEDY_KIND_LABELS,
        remedy_events=REMEDY_EVENT_LABELS,
        remedy_results={k: v for k, v in REMEDY_RESULT_LABELS.items() if k != "pending"},
        forms=_forms(who, state, view),
        error=refusal.message if refusal else "",
        refusal=refusal,
        previewable=previewable,
        letter_titles={k: v.title for k, v in LETTERS.items()},
    )


def _confirm_page(request: Request, who: Principal, case_id: int, action: Action, posted: PostedForm) -> Response:
    """The step before an action that cannot be taken back: what will be done, to which case, with
    what was filled in; the same form again with `confirmed`, or the way back to the case."""
    with reading(settings_of(request)) as session:
        case = check_readable(session, who, find_case(session, case_id))
    spec = ACTIONS[action]
    labels = {f.name: f.label for f in spec.fields}
    filled = [
        (labels.get(k, k), "、".join(choice_label(action, k, str(v), CHOICE_LABELS) for v in posted.getlist(k)))
        for k in posted
        if k in labels and any(str(v) for v in posted.getlist(k))
    ]
    return render(
        request,
        "confirm.html",
        who,
        case=case,
        state=state_label(case.state),
        action=action.value,
        label=spec.label,
        filled=filled,
        hidden=[(k, str(v)) for k, v in posted.multi_items() if k not in ("csrf", "confirmed")],
    )


@router.post("/cases/{case_id}/act/{action}")
def case_act(request: Request, who: Staff, case_id: CaseId, action: str, posted: PostedForm) -> Response:
    raw = posted
    check_csrf(who, str(raw.get("csrf", "")))
    if action in CONFIRMED and raw.get("confirmed") != "1":
        return _confirm_page(request, who, case_id, Action(action), raw)
    payload: dict[str, object] = {}
    for key in raw:
        if key in ("csrf", "version", "next", "confirmed"):
            continue
        values = [str(v) for v in raw.getlist(key)]
        payload[key[:60]] = ",".join(values) if len(values) > 1 else values[0]
    try:
        version = int(str(raw.get("version", "")) or 0) or None
        result = perform(case_id, action[:40], who.name, payload, version, settings=settings_of(request))
    except (WorkflowError, ValueError) as exc:
        return _case_page(request, who, case_id, _refusal(exc, action, raw))
    label = ACTIONS[Action(action)].label
    letter = f"，已出具{LETTERS[result.letter].title}" if result.letter else ""
    # Only known pages: a form field must never turn this into an open redirect.
    to = "/approvals" if raw.get("next") == "/approvals" else f"/cases/{case_id}"
    return back(who, settings_of(request), to, msg=f"{result.case.number}：已办理“{label}”{letter}")


@router.post("/cases/{case_id}/remedy")
def case_remedy(request: Request, who: Staff, case_id: CaseId, posted: PostedForm) -> Response:
    raw = posted
    check_csrf(who, str(raw.get("csrf", "")))
    try:
        on = date.fromisoformat(str(raw.get("on"))) if raw.get("on") else None
        record = record_remedy(
            settings_of(request),
            case_id,
            kind=str(raw.get("kind", ""))[:40],
            event=str(raw.get("event", ""))[:20],
            result=str(raw.get("result", ""))[:20] or None,
            on=on,
            actor=who.name,
        )
    except (WorkflowError, ValueError) as exc:
        return _case_page(request, who, case_id, _refusal(exc, "remedy", raw))
    return back(who, settings_of(request), f"/cases/{case_id}", msg=f"已登记：{describe(record)}")
