"""Bulk assignment: a registrar hands many cases to one handler at once. Each case is its own
audited `assign` action through `perform` (one event, one transaction per case), so one refusal
never undoes or blocks the others; the result says, case by case and in Chinese, what happened."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import col, select

from workflow.config import Settings
from workflow.db import reading
from workflow.errors import WorkflowError
from workflow.models import Case
from workflow.service import perform

MAX_BULK = 200  # one page of the queue at most


@dataclass(frozen=True)
class Assigned:
    case_id: int
    number: str  # the case number, or the id asked for when no such case exists
    ok: bool
    message: str


def assign_many(
    settings: Settings, case_ids: Iterable[int], *, handler: str, actor: str, department: str | None = None
) -> list[Assigned]:
    """Assign each case to `handler` (and `department`), in the order given, each on its own."""
    payload: dict[str, object] = {"handler": handler}
    if department:
        payload["department"] = department
    ids = list(dict.fromkeys(case_ids))[:MAX_BULK]
    with reading(settings) as session:
        rows = session.exec(select(Case.id, Case.number).where(col(Case.id).in_(ids)))
        numbers: dict[int | None, str] = dict(rows.all())
    out: list[Assigned] = []
    for case_id in ids:
        try:
            result = perform(case_id, "assign", actor, payload, settings=settings)
        except WorkflowError as exc:
            out.append(Assigned(case_id, numbers.get(case_id, f"（ID {case_id}）"), False, exc.message))
            continue
        out.append(Assigned(case_id, result.case.number, True, f"已分派给“{handler}”"))
    return out
