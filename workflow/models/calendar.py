"""The working-day calendar as the office keeps it: imported official arrangements and local closures."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class CalendarYear(SQLModel, table=True):
    """An official holiday arrangement imported by an admin; overrides the built-in data."""

    __tablename__ = "calendar_year"
    year: int = Field(primary_key=True)
    source: str = Field(max_length=300)
    holidays: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of ISO dates
    workdays: str = Field(sa_column=Column(Text, nullable=False))
    imported_by: str = Field(max_length=64)
    imported_at: datetime


class CalendarClosure(SQLModel, table=True):
    """A local closure day (e.g. a typhoon day): not a working day for this office."""

    __tablename__ = "calendar_closure"
    day: date = Field(primary_key=True)
    reason: str = Field(max_length=300)
    added_by: str = Field(max_length=64)
    added_at: datetime
