"""The registry's tables: one row per item of government information, its files, and the sweep's
escalation effects. The due-date columns are a projection of the item's ledger events and the
working-day calendar (workflow/registry/clock.py), indexed for the sweep."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class InfoItem(SQLModel, table=True):
    __tablename__ = "info_item"
    id: int | None = Field(default=None, primary_key=True)
    index_number: str = Field(unique=True, max_length=80)  # 索引号
    title: str = Field(max_length=500)
    doc_number: str | None = Field(default=None, max_length=100)  # 文号
    issuer: str = Field(max_length=200)  # 发布机构
    made_on: date  # 成文日期
    category: str = Field(default="", max_length=100, index=True)  # 主题分类
    kind: str = Field(default="other", max_length=20)  # rule | normative | other (annual report section 二)
    attribute: str = Field(max_length=20, index=True)
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    ground: str | None = Field(default=None, max_length=40)
    state: str = Field(index=True, max_length=20)
    registered_by: str = Field(max_length=64)
    version: int = 1
    created_at: datetime
    updated_at: datetime
    changed_on: date | None = None  # the last change (Art. 26: the clock restarts)
    published_on: date | None = Field(default=None, index=True)
    expired_on: date | None = None
    channel: str | None = Field(default=None, max_length=100)  # 公开方式
    url: str | None = Field(default=None, max_length=500)
    # Projection of the clock; never edited by hand.
    publish_due: date | None = Field(default=None, index=True)
    review_due: date | None = Field(default=None, index=True)
    provisional: bool = False
    proposal_open: bool = False
    flagged: bool = False
    search_text: str = Field(default="", sa_column=Column(Text, nullable=False))  # segmented words


class InfoFile(SQLModel, table=True):
    __tablename__ = "info_file"
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="info_item.id", index=True)
    name: str = Field(max_length=300)
    media_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class InfoEscalation(SQLModel, table=True):
    """One effect of the registry sweep; the unique key makes a repeated sweep a no-op."""

    __tablename__ = "info_escalation"
    __table_args__ = (UniqueConstraint("item_id", "deadline", "level", "due_on", "effect_day"),)
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="info_item.id", index=True)
    deadline: str = Field(max_length=20)  # publish | reevaluation
    level: str = Field(max_length=10)
    due_on: date
    effect_day: date
    working_days_left: int
    created_at: datetime


class InfoEvent(SQLModel, table=True):
    """Which ledger events belong to which item (the ledger keeps `case_id` NULL for them)."""

    __tablename__ = "info_event"
    seq: int = Field(primary_key=True)  # audit_event.seq
    item_id: int = Field(foreign_key="info_item.id", index=True)
