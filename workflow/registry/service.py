"""The one door through which a registry item changes: `register_item` opens one, `perform_info`
takes an action on it. Each call is one transaction: role check, guards and transition, clock
recomputation, ledger event (hash-chained, `case_id` NULL, action `info.*`), version bump."""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from states import Role
from states.events import EVENT_LABELS, EventKind, info_event
from states.registry import (
    INFO_ACTIONS,
    INFO_FIELDS,
    Attribute,
    IllegalInfoMove,
    InfoAction,
    ItemState,
    Kind,
    fire_info,
)
from states.registry_guards import InfoGuardContext, attribute_problem, check_info_guards
from workflow.accounts.audited import audited_write
from workflow.accounts.users import get_user
from workflow.calendar.store import load_calendar
from workflow.cases.numbering import next_number
from workflow.config import Settings
from workflow.db import transaction
from workflow.errors import Conflict, Forbidden, InvalidInput, NotFound, Refused
from workflow.ledger import audit
from workflow.ledger.projection import local_date_of_stamp
from workflow.models import AuditEvent, User
from workflow.models.registry import InfoEvent, InfoFile, InfoItem
from workflow.registry.clock import compute, facts_from_events
from workflow.registry.links import disclosure_count
from workflow.registry.search import reindex, words_of
from workflow.registry.settings import RegistrySettings, load_registry_settings
from workflow.timeutil import local_date

REGISTER_ROLES = frozenset({Role.REGISTRAR, Role.HANDLER, Role.ADMIN})
MAX_FILE = 20 * 1024 * 1024


@dataclass(frozen=True)
class InfoOutcome:
    item: InfoItem
    event_seq: int
    from_state: str
    to_state: str


def _role(user: User, roles: frozenset[Role], label: str) -> Role:
    for role in sorted(roles):
        if role.value in user.role_set():
            return role
    allowed = "、".join(sorted(r.value for r in roles))
    raise Forbidden(f"用户“{user.name}”无权办理“{label}”，须由以下角色办理：{allowed}", "role.forbidden", "actor")


def _text(value: str | None, name: str, limit: int) -> str | None:
    value = (value or "").strip() or None
    if value is not None and len(value) > limit:
        raise InvalidInput(f"{name}：不能超过{limit}字", "input.too_long", name)
    return value


def _check_register(
    title: str, made_on: date, today: date, attribute: str, reason: str | None, ground: str | None, kind: str
) -> None:
    if not title.strip():
        raise InvalidInput("title：必须填写信息名称", "input.required", "title")
    if made_on > today:
        raise InvalidInput(f"made_on：成文日期 {made_on} 晚于今天（{today}）", "input.future_date", "made_on")
    problem = attribute_problem(attribute, reason, ground)
    if problem is not None:
        field = problem.message.split("：", 1)[0]
        raise InvalidInput(problem.message, problem.rule, field)
    if kind not in {k.value for k in Kind}:
        raise InvalidInput(f"kind：'{kind}' 不是文件类别，可选：{', '.join(Kind)}", "input.choice", "kind")


def _ledger(
    session: Session,
    item: InfoItem,
    *,
    actor: str,
    role: Role,
    action: EventKind,
    now: datetime,
    moves: tuple[str | None, str],
    payload: Mapping[str, Any],
    bump: bool,
) -> int:
    """The item's event (its role already checked against the item's flow), indexed by item."""
    ev = audited_write(
        session,
        actor=actor,
        action=action,
        now=now,
        payload=payload,
        roles=(role.value,),
        what=EVENT_LABELS[action],
        changed=item if bump else None,
        moves=moves,
    )
    session.add(InfoEvent(seq=ev.seq, item_id=item.id or 0))
    return ev.seq


def item_events(session: Session, item_id: int) -> list[tuple[str, dict[str, Any], date, str | None]]:
    """The item's ledger events, oldest first, for the clock: (action, payload, day, to_state)."""
    stmt = (
        select(AuditEvent)
        .join(InfoEvent, col(InfoEvent.seq) == col(AuditEvent.seq))
        .where(InfoEvent.item_id == item_id)
        .order_by(col(AuditEvent.seq))
    )
    return [
        (e.action.removeprefix("info."), audit.payload_of(e), local_date_of_stamp(e.at), e.to_state)
        for e in session.exec(stmt)
    ]


def _project(session: Session, item: InfoItem) -> None:
    """Store the clock's due dates on the item row (for the sweep's indexed queries)."""
    rules = load_registry_settings(session).rules()
    out = compute(facts_from_events(item_events(session, item.id or 0)), load_calendar(session), rules)
    item.publish_due, item.review_due, item.provisional = out.publish_due, out.review_due, out.provisional


def register_item(
    settings: Settings,
    *,
    title: str,
    made_on: date,
    attribute: str,
    actor: str,
    reason: str | None = None,
    ground: str | None = None,
    doc_number: str | None = None,
    issuer: str | None = None,
    category: str | None = None,
    kind: str = "other",
    files: Sequence[tuple[str, bytes]] = (),
) -> InfoItem:
    """Register an item with its disclosure attribute (源头认定), numbered in the office's pattern.

    Raises:
        InvalidInput: a missing title, a future date, an attribute without its reason or ground.
        Forbidden: the actor may not register.
    """
    now = settings.now()
    today = local_date(now)
    _check_register(title, made_on, today, attribute, reason, ground, kind)
    title = _text(title, "title", 500) or ""
    for name, content in files:
        if len(content) > MAX_FILE:
            raise InvalidInput(f"file：“{name}”超过20MB", "input.too_large", "file")
    with transaction(settings) as session:
        user = get_user(session, actor)
        role = _role(user, REGISTER_ROLES, "登记政府信息")
        rs = load_registry_settings(session)
        given = {"doc_number": doc_number, "issuer": issuer, "category": category, "reason": reason, "ground": ground}
        seq = next_number(session, "info", made_on.year)
        item = _new_item(rs, seq, (actor, now), title, made_on, attribute, kind, given)
        item.search_text = words_of(item.title, item.doc_number, item.issuer, item.category, item.index_number)
        session.add(item)
        session.flush()
        stored = [_store_file(session, item, name, content) for name, content in files]
        reindex(session, item.id or 0, item.search_text)
        _ledger(
            session,
            item,
            actor=actor,
            role=role,
            action=EventKind.INFO_REGISTER,
            now=now,
            moves=(None, item.state),
            payload=_registered(item, stored),
            bump=False,
        )
        _project(session, item)
        session.add(item)
        return item


def _registered(item: InfoItem, stored: list[dict[str, str]]) -> dict[str, Any]:
    """The ledger's record of a registration."""
    fields = ("index_number", "title", "made_on", "attribute", "reason", "ground", "kind", "category")
    return {"item": item.id, **{name: getattr(item, name) for name in fields}, "files": stored}


def _new_item(
    rs: RegistrySettings,
    seq: int,
    by: tuple[str, datetime],
    title: str,
    made_on: date,
    attribute: str,
    kind: str,
    given: Mapping[str, str | None],
) -> InfoItem:
    """The item as registered, its free-text fields checked and trimmed."""
    return InfoItem(
        index_number=rs.index_number(made_on.year, seq),
        title=title,
        doc_number=_text(given["doc_number"], "doc_number", 100),
        issuer=_text(given["issuer"], "issuer", 200) or rs.issuer,
        made_on=made_on,
        category=_text(given["category"], "category", 100) or "",
        kind=kind,
        attribute=attribute,
        reason=_text(given["reason"], "reason", 4000),
        ground=given["ground"] if attribute != Attribute.PROACTIVE.value else None,
        state=ItemState.REGISTERED.value,
        registered_by=by[0],
        created_at=by[1],
        updated_at=by[1],
    )


def _store_file(session: Session, item: InfoItem, name: str, content: bytes) -> dict[str, str]:
    digest = hashlib.sha256(content).hexdigest()
    media = mimetypes.guess_type(name)[0] or "application/octet-stream"
    session.add(
        InfoFile(
            item_id=item.id or 0, name=name[:300], media_type=media, size=len(content), sha256=digest, content=content
        )
    )
    return {"name": name[:300], "sha256": digest}


def _parse(action: InfoAction, raw: Mapping[str, object], today: date) -> dict[str, Any]:
    spec = INFO_ACTIONS[action]
    unknown = sorted(set(raw) - set(spec.fields))
    if unknown:
        raise InvalidInput(
            f"{unknown[0]}：“{spec.label}”没有此字段，可用字段：{', '.join(spec.fields) or '无'}",
            "input.unknown_field",
            unknown[0],
        )
    out: dict[str, Any] = {}
    for name in spec.fields:
        value = str(raw.get(name) or "").strip()
        f = INFO_FIELDS[name]
        if not value:
            if name in spec.required:
                raise InvalidInput(f"{name}（{f.label}）：必须填写", "input.required", name)
            continue
        if f.type == "date":
            try:
                out[name] = date.fromisoformat(value)
            except ValueError:
                raise InvalidInput(
                    f"{name}（{f.label}）：'{value}' 不是有效日期，应为 YYYY-MM-DD", "input.date", name
                ) from None
            if out[name] > today:
                raise InvalidInput(f"{name}（{f.label}）：{value} 晚于今天（{today}）", "input.future_date", name)
        elif f.type == "choice" and value not in f.choices:
            raise InvalidInput(
                f"{name}（{f.label}）：'{value}' 不是可选值，可选：{', '.join(f.choices)}", "input.choice", name
            )
        else:
            out[name] = value[:4000]
    return out


def _apply(item: InfoItem, act: InfoAction, data: dict[str, Any], today: date) -> None:
    if act in (InfoAction.PUBLISH, InfoAction.REPUBLISH):
        data.setdefault("published_on", today)
        item.published_on = data["published_on"]
        item.channel = data.get("channel") or item.channel or "政府网站"
        item.url = data.get("url") or item.url
        item.flagged = False
    elif act is InfoAction.CHANGE:
        item.changed_on = data["changed_on"]
    elif act is InfoAction.REEVALUATE:
        item.attribute = data["attribute"]
        item.reason = data.get("reason") or item.reason
        item.ground = data.get("ground") if item.attribute != Attribute.PROACTIVE.value else None
        item.proposal_open = False
    elif act is InfoAction.PROPOSE_PROACTIVE:
        item.proposal_open = True
    elif act is InfoAction.EXPIRE:
        item.expired_on = data["expired_on"]


def _last_conclusion(events: list[tuple[str, dict[str, Any], date, str | None]]) -> str | None:
    return next((str(p.get("conclusion")) for a, p, _, _ in reversed(events) if a == "review"), None)


def _locked_item(session: Session, item_id: int, expected_version: int | None) -> InfoItem:
    item = session.exec(select(InfoItem).where(InfoItem.id == item_id).with_for_update()).first()
    if item is None:
        raise NotFound(f"item：没有编号为 {item_id} 的目录条目", "info.unknown", "item")
    if expected_version is not None and item.version != expected_version:
        raise Conflict(
            f"条目已被他人更新（当前版本 {item.version}，您看到的是版本 {expected_version}），请刷新后重试",
            field="expected_version",
        )
    return item


def _guard_context(
    session: Session, item: InfoItem, act: InfoAction, actor: str, today: date, data: dict[str, Any]
) -> InfoGuardContext:
    return InfoGuardContext(
        action=act,
        actor=actor,
        today=today,
        payload=data,
        attribute=Attribute(item.attribute),
        made_on=item.made_on,
        registered_by=item.registered_by,
        review_conclusion=_last_conclusion(item_events(session, item.id or 0)),
        disclosures=disclosure_count(session, item) if act is InfoAction.PROPOSE_PROACTIVE else 0,
        open_proposal=item.proposal_open,
        rules=load_registry_settings(session).rules(),
    )


def perform_info(
    item_id: int,
    action: str,
    actor: str,
    payload: Mapping[str, object] | None = None,
    expected_version: int | None = None,
    *,
    settings: Settings,
) -> InfoOutcome:
    """Take `action` on a registry item as `actor`: the only way an item changes.

    Raises:
        NotFound, Forbidden, InvalidInput, Refused, Conflict: nothing is written.
    """
    try:
        act = InfoAction(action)
    except ValueError:
        raise InvalidInput(
            f"action：'{action}' 不是目录办理动作，可选：{', '.join(InfoAction)}", "action.unknown", "action"
        ) from None
    spec = INFO_ACTIONS[act]
    now = settings.now()
    today = local_date(now)
    with transaction(settings) as session:
        item = _locked_item(session, item_id, expected_version)
        role = _role(get_user(session, actor), spec.roles, spec.label)
        state = ItemState(item.state)
        if state not in spec.sources:
            raise Refused(str(IllegalInfoMove(state, act)), "flow.illegal_transition", "action")
        data = _parse(act, payload or {}, today)
        ctx = _guard_context(session, item, act, actor, today, data)
        refusal = check_info_guards(ctx)
        if refusal is not None:
            raise Refused(refusal.message, refusal.rule)
        dest = fire_info(state, act)
        from_state = item.state
        _apply(item, act, data, today)
        item.state = dest.value
        item.updated_at = now
        if act is InfoAction.CHANGE:
            item.search_text = words_of(item.title, item.doc_number, item.issuer, item.category, item.index_number)
            reindex(session, item.id or 0, item.search_text)
        seq = _ledger(
            session,
            item,
            actor=actor,
            role=role,
            action=info_event(act),
            now=now,
            moves=(from_state, dest.value),
            payload={"item": item.id, **data},
            bump=True,
        )
        session.flush()
        _project(session, item)
        session.add(item)
        return InfoOutcome(item, seq, from_state, dest.value)
