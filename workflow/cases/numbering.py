"""Gap-free numbers per scope and year. The counter row is locked for the rest of the
transaction (FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers), so
concurrent issuers queue and a rolled-back transaction gives its number back."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from workflow.models import Counter


def _ensure_row(session: Session, scope: str, year: int) -> None:
    # Two first issuers of a year must not both insert the row: insert-or-ignore, then lock it.
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(Counter).values(scope=scope, year=year, value=0).on_conflict_do_nothing()
    session.execute(stmt)


def next_number(session: Session, scope: str, year: int) -> int:
    _ensure_row(session, scope, year)
    row = session.exec(select(Counter).where(Counter.scope == scope, Counter.year == year).with_for_update()).one()
    row.value += 1
    session.add(row)
    session.flush()
    return row.value
