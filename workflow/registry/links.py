"""Where registry items meet applications: an answer's `catalogue_item` (the decide payload),
the catalogue entry a letter points to, and how often an item was disclosed on request (Art. 44)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from states import DISCLOSING_OUTCOMES, Outcome
from states.registry import ItemState
from workflow.errors import InvalidInput
from workflow.ledger.audit import payload_of
from workflow.models import AuditEvent, Case
from workflow.models.registry import InfoItem
from workflow.registry.settings import load_registry_settings

ANSWERED = ("answered", "closed")


def find_item(session: Session, ref: str | int) -> InfoItem | None:
    """An item by id or by index number."""
    text = str(ref).strip()
    if text.isdigit() and int(text) < 2**31:
        item = session.get(InfoItem, int(text))
        if item is not None:
            return item
    return session.exec(select(InfoItem).where(InfoItem.index_number == text)).first()


def catalogue_url(session: Session, item: InfoItem) -> str:
    base = load_registry_settings(session).public_base_url.rstrip("/")
    return f"{base}/public/catalogue/{item.id}"


def catalogue_item_context(session: Session, events: Any) -> dict[str, str] | None:
    """The catalogue entry an `already_public` answer points to: title, index number and URL.

    Raises:
        InvalidInput: the answer names an item that does not exist, or one not published.
    """
    decide = next((p for a, p, _ in reversed(list(events)) if a == "decide"), None)
    ref = decide.get("catalogue_item") if decide else None
    if not ref:
        return None
    item = find_item(session, str(ref))
    if item is None:
        raise InvalidInput(
            f"catalogue_item：目录中没有“{ref}”（填写条目编号或索引号）", "info.unknown", "catalogue_item"
        )
    if decide and decide.get("outcome") == Outcome.ALREADY_PUBLIC.value and item.state != ItemState.PUBLISHED.value:
        raise InvalidInput(
            f"catalogue_item：“{item.title}”尚未公开，不能答复为已主动公开（第三十六条第（一）项）",
            "info.not_published",
            "catalogue_item",
        )
    return {"title": item.title, "index_number": item.index_number, "url": catalogue_url(session, item)}


def _linked_decisions(session: Session) -> dict[int, dict[str, Any]]:
    """Each case's last decision that names a catalogue item."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.action == "decide", col(AuditEvent.payload).contains('"catalogue_item":'))
        .order_by(col(AuditEvent.seq))
    )
    return {e.case_id: payload_of(e) for e in session.exec(stmt) if e.case_id is not None}


def disclosures_by_item(session: Session) -> dict[int, list[int]]:
    """Answered cases that disclosed each item on request (decided `disclosed`/`partly_disclosed`)."""
    decisions = _linked_decisions(session)
    if not decisions:
        return {}
    answered = set(session.exec(select(Case.id).where(col(Case.id).in_(decisions), col(Case.state).in_(ANSWERED))))
    out: dict[int, list[int]] = {}
    for case_id, p in decisions.items():
        if case_id not in answered or p.get("outcome") not in {o.value for o in DISCLOSING_OUTCOMES}:
            continue
        item = find_item(session, str(p["catalogue_item"]))
        if item is not None and item.id is not None:
            out.setdefault(item.id, []).append(case_id)
    return out


def disclosure_count(session: Session, item: InfoItem) -> int:
    return len(disclosures_by_item(session).get(item.id or 0, []))


def proposal_candidates(session: Session, threshold: int) -> list[tuple[int, list[int]]]:
    """On-request items disclosed in answers to `threshold` or more applications, not yet proposed."""
    counts = {k: v for k, v in disclosures_by_item(session).items() if len(v) >= threshold}
    if not counts:
        return []
    stmt = select(InfoItem.id).where(
        col(InfoItem.id).in_(counts),
        InfoItem.attribute == "on_request",
        InfoItem.state == ItemState.APPROVED.value,
        col(InfoItem.proposal_open).is_(False),
    )
    return [(i or 0, sorted(counts[i or 0])) for i in session.exec(stmt)]
