"""The registry sweep, run by the deadline sweep (workflow/sweep/cases.py, hence beat): escalates items
not yet published as their Art. 26 date nears and passes, raises re-evaluations that fall due, and
proposes items disclosed on request again and again for proactive disclosure (Art. 44).

The same ladder as cases (workflow/clock/ladder.py); every effect has a unique key (item, deadline,
level, due date, day), so a repeated, concurrent or redelivered sweep never duplicates one."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from states.registry import ITEM_TERMINAL, ItemState
from workflow.accounts.audited import audited_batch
from workflow.calendar import WorkCalendar
from workflow.calendar.store import load_calendar
from workflow.clock.ladder import LEVEL_LABELS, Rung, horizon_days, parse_ladder, rung_for, working_days_left
from workflow.config import Settings
from workflow.db import reading, transaction
from workflow.errors import WorkflowError
from workflow.models.registry import InfoEscalation, InfoEvent, InfoItem
from workflow.notify.inboxes import Directory, insert_notifications
from workflow.office.settings import Office, load_office
from workflow.registry.links import proposal_candidates
from workflow.registry.service import item_events, perform_info
from workflow.registry.settings import load_registry_settings
from workflow.timeutil import local_date

UNPUBLISHED = (ItemState.REGISTERED, ItemState.REVIEWED, ItemState.APPROVED, ItemState.CHANGED)
DEADLINE_LABELS = {"publish": "主动公开期限", "reevaluation": "定期评估公开属性"}
REEVALUATION_RUNG = Rung("red", 0, ("handler", "approver"))

log = logging.getLogger("ogi.registry")


@dataclass
class RegistrySweep:
    as_of: date
    escalations: list[tuple[str, str, str]] = field(default_factory=list)  # index number, deadline, level
    notifications: int = 0
    proposals: list[str] = field(default_factory=list)  # index numbers


@dataclass(frozen=True)
class _Ctx:
    now: datetime
    today: date
    cal: WorkCalendar
    office: Office
    ladder: tuple[Rung, ...]
    directory: Directory


def _users(ctx: _Ctx, rung: Rung, item: InfoItem) -> list[str]:
    names: list[str] = []
    for role in rung.roles:
        # "handler" on a case means its handler; an item's is the person who registered it
        picked = [item.registered_by] if role == "handler" else ctx.directory.users_for([role], None)
        names.extend(n for n in picked if n not in names)
    return names


def _effects(
    session: Session, ctx: _Ctx, due: list[tuple[InfoItem, str, date, Rung, int, date]], report: RegistrySweep
) -> None:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    notes: list[dict[str, object]] = []
    for item, deadline, due_on, rung, left, day in due:
        row = {
            "item_id": item.id,
            "deadline": deadline,
            "level": rung.level,
            "due_on": due_on,
            "effect_day": day,
            "working_days_left": left,
            "created_at": ctx.now,
        }
        new = session.execute(
            insert(InfoEscalation).values(**row).on_conflict_do_nothing().returning(col(InfoEscalation.id))
        ).first()
        if new is None:
            continue  # this effect already happened
        users = _users(ctx, rung, item)
        label = DEADLINE_LABELS[deadline]
        remaining = f"已逾期{-left}个工作日" if left < 0 else f"剩余{left}个工作日"
        notes += [
            {
                "user_name": u,
                "case_id": None,
                "escalation_id": None,
                "kind": "escalation",
                "title": f"{item.index_number} {label}{LEVEL_LABELS[rung.level]}",
                "body": f"“{item.title}”的{label}为{due_on.isoformat()}，{remaining}。",
                "created_at": ctx.now,
            }
            for u in users
        ]
        flag = rung.flag and not item.flagged
        if flag:
            item.flagged = True
        payload: dict[str, object] = {"item": item.id, "deadline": deadline, "level": rung.level, "due_on": due_on}
        payload |= {"working_days_left": left, "notified": users}
        payload |= {"flagged": True, "version": item.version + 1} if flag else {}
        event = {"case_id": None, "at": ctx.now, "actor": "system", "role": "system", "action": "info.escalate"}
        moved = {"from_state": item.state, "to_state": item.state}
        (ev,) = audited_batch(session, [event | moved | {"payload": payload}], changed=[item] if flag else [])
        session.add(InfoEvent(seq=ev.seq, item_id=item.id or 0))
        report.escalations.append((item.index_number, deadline, rung.level))
    report.notifications += insert_notifications(
        session, notes, now=ctx.now, office=ctx.office, directory=ctx.directory
    )


def _publish_due(session: Session, ctx: _Ctx, report: RegistrySweep) -> None:
    horizon = ctx.cal.add_workdays(ctx.today, horizon_days(ctx.ladder))
    stmt = (
        select(InfoItem)
        .where(
            col(InfoItem.publish_due).is_not(None),
            col(InfoItem.publish_due) <= horizon,
            col(InfoItem.state).in_([s.value for s in UNPUBLISHED]),
        )
        .order_by(col(InfoItem.publish_due), col(InfoItem.id))
        .with_for_update(skip_locked=True)
    )
    due = []
    for item in session.exec(stmt):
        assert item.publish_due is not None
        left = working_days_left(ctx.cal, ctx.today, item.publish_due)
        rung = rung_for(left, ctx.ladder)
        if rung is None or (rung.repeat_daily and not ctx.cal.is_workday(ctx.today)):
            continue
        due.append(
            (item, "publish", item.publish_due, rung, left, ctx.today if rung.repeat_daily else item.publish_due)
        )
    _effects(session, ctx, due, report)


def _reevaluations(session: Session, ctx: _Ctx, report: RegistrySweep) -> None:
    stmt = (
        select(InfoItem)
        .where(
            col(InfoItem.review_due).is_not(None),
            col(InfoItem.review_due) <= ctx.today,
            col(InfoItem.state).not_in([s.value for s in ITEM_TERMINAL]),
        )
        .order_by(col(InfoItem.review_due), col(InfoItem.id))
        .with_for_update(skip_locked=True)
    )
    due = []
    for item in session.exec(stmt):
        assert item.review_due is not None
        left = working_days_left(ctx.cal, ctx.today, item.review_due)
        due.append((item, "reevaluation", item.review_due, REEVALUATION_RUNG, left, item.review_due))
    _effects(session, ctx, due, report)


def _already_proposed(session: Session, item_id: int, cases: list[int]) -> bool:
    """A proposal declined (re-evaluated as on-request) is made again only after new disclosures."""
    last = [p for a, p, _, _ in item_events(session, item_id) if a == "propose_proactive"]
    return bool(last) and len(str(last[-1].get("cases", "")).split(",")) >= len(cases)


def _proposals(settings: Settings, report: RegistrySweep) -> None:
    with reading(settings) as session:
        threshold = load_registry_settings(session).rules().proposal_threshold
        todo = [(i, c) for i, c in proposal_candidates(session, threshold) if not _already_proposed(session, i, c)]
    for item_id, cases in todo:
        try:
            out = perform_info(
                item_id, "propose_proactive", "system", {"cases": ",".join(map(str, cases))}, settings=settings
            )
        except WorkflowError as exc:  # another sweeper (or a handler) got there first, or the item moved on
            log.info("proposal not made: item %s (%s)", item_id, exc.rule, extra={"rule": exc.rule})
            continue
        report.proposals.append(out.item.index_number)


def sweep_registry(settings: Settings) -> RegistrySweep:
    """One registry sweep as of the settings' clock."""
    now = settings.now()
    with reading(settings) as session:
        cal = load_calendar(session)
        office = load_office(session)
        directory = Directory.load(session)
    ctx = _Ctx(now, local_date(now), cal, office, parse_ladder(office.escalation_ladder), directory)
    report = RegistrySweep(ctx.today)
    with transaction(settings) as session:
        _publish_due(session, ctx, report)
        _reevaluations(session, ctx, report)
    _proposals(settings, report)
    return report
