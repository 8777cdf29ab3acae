"""The office's own settings, and what it writes into its annual report besides the ledger's tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class OfficeSetting(SQLModel, table=True):
    __tablename__ = "office_setting"
    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(sa_column=Column(Text, nullable=False))


class AnnualText(SQLModel, table=True):
    """One section's text (or section 二's figures, as JSON) of one year's report."""

    __tablename__ = "annual_text"
    year: int = Field(primary_key=True)
    section: str = Field(primary_key=True, max_length=30)
    text: str = Field(sa_column=Column(Text, nullable=False))
    version: int = 1
    updated_by: str = Field(max_length=64)
    updated_at: datetime
