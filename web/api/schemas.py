"""Response schemas of the API that the OpenAPI document describes field by field."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class CaseSummary(BaseModel):
    """A case in the work queue, with its nearest obligation (states.deadlines)."""

    id: int
    number: str
    state: str
    state_label: str
    applicant: str
    request: str
    handler: str | None
    department: str | None
    received_on: date
    answer_due: date | None
    provisional: bool
    next_due: date | None = Field(description="the nearest date that obliges someone; null when nothing is due")
    next_due_kind: str | None = Field(description="which deadline: answer_due, correction_reply_due, fee_due, …")
    next_due_label: str | None = Field(description="its Chinese name: 答复期限, 补正期限, 缴费期限, …")
    working_days_left: int | None = Field(description="working days to next_due (0 on the day; negative: past)")
    overdue: bool = Field(description="an obligation is past its due day (a closed option never is)")
    level: str | None
    level_label: str
    flagged: bool
    version: int
    outcome: str | None


TOTAL_HEADER = {"X-Total-Count": {"description": "how many cases match the filters", "schema": {"type": "integer"}}}
NOTE_TOTAL_HEADER = {"X-Total-Count": {"description": "how many notifications match", "schema": {"type": "integer"}}}
