"""Seeding for the console benchmark: N realistic cases with their ledgers, fast.

Template histories come from the real service: `workflow.demo.seed` (every change through
`perform`, letters rendered and issued) is played in a few throw-away SQLite databases, each "as
of" a different day so due dates spread. Their cases are then copied N times into the target
database with fresh ids and numbers: applicant, case row, consultations, letters (same stored
blobs, new gap-free numbers per series), service records, and the case's ledger events with the
payload's letter ids, letter numbers, handler and department rewritten and the hash chain rebuilt
in Python (`audit.hashed_text`, exactly what `append` hashes) on top of the target's own head.
Rows go in with COPY on PostgreSQL and executemany on SQLite, in chunks, then ANALYZE.

Copies are spread over 20 handlers in 5 departments (case row, ledger actor and payload agree),
open templates three times as often as finished ones, so the queue's filters are realistic.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Table, insert, select, text
from sqlmodel import SQLModel

import workflow.models  # noqa: F401  (registers the tables)
from states import TERMINAL_STATES
from workflow import moment
from workflow.accounts.passwords import set_password
from workflow.admin.users import add_user
from workflow.config import Settings
from workflow.db import dispose_engines, get_engine, transaction
from workflow.demo import DEMO_STAFF, seed
from workflow.ledger import audit
from workflow.ledger.audit import canonical_json
from workflow.schema import upgrade

PASSWORD = "bench-console-2026"
DEPARTMENTS = tuple(f"政务公开{n}科" for n in "一二三四五")
HANDLERS = tuple(f"承办人{k:02d}" for k in range(1, 21))
REGISTRAR = "登记员小李"
DEMO_HANDLERS = tuple(name for name, role in DEMO_STAFF.items() if role == "handler")
DEMO_DEPARTMENT = "政务公开科"
TEMPLATE_DAYS_BACK = (0, 6, 13, 27)  # one demo per "as of" day: spread received and due dates
CHUNK = 5_000  # cases per write

_T: dict[str, Table] = {
    name: SQLModel.metadata.tables[name]
    for name in ("applicant", "case", "consultation", "letter", "service_record", "audit_event", "letter_blob")
}
_NUMBERED = re.compile(r"\d+号$")


def department_of(handler: str) -> str:
    return DEPARTMENTS[HANDLERS.index(handler) % len(DEPARTMENTS)]


@dataclass
class Template:
    """One genuine case history: its rows as the template database holds them."""

    applicant: dict[str, Any]
    case: dict[str, Any]
    consultations: list[dict[str, Any]]
    letters: list[dict[str, Any]]
    services: list[dict[str, Any]]
    events: list[dict[str, Any]]


@dataclass
class Templates:
    cases: list[Template] = field(default_factory=list)
    blobs: list[dict[str, Any]] = field(default_factory=list)


def _rows(conn: Any, table: str, where: Any = None) -> list[dict[str, Any]]:
    t = _T[table]
    stmt = select(t) if where is None else select(t).where(where(t))
    return [dict(r._mapping) for r in conn.execute(stmt)]


def _read_templates(settings: Settings, out: Templates) -> None:
    with get_engine(settings).connect() as conn:
        by_case: dict[str, dict[int, list[dict[str, Any]]]] = {}
        for table in ("consultation", "letter", "service_record", "audit_event"):
            groups: dict[int, list[dict[str, Any]]] = {}
            for r in _rows(conn, table):
                if r["case_id"] is not None:
                    groups.setdefault(r["case_id"], []).append(r)
            by_case[table] = groups
        applicants = {r["id"]: r for r in _rows(conn, "applicant")}
        known = {b["sha256"] for b in out.blobs}
        out.blobs += [b for b in _rows(conn, "letter_blob") if b["sha256"] not in known]
        for case in _rows(conn, "case"):
            cid = case["id"]
            out.cases.append(
                Template(
                    applicants[case["applicant_id"]],
                    case,
                    by_case["consultation"].get(cid, []),
                    sorted(by_case["letter"].get(cid, []), key=lambda r: r["id"]),
                    by_case["service_record"].get(cid, []),
                    sorted(by_case["audit_event"].get(cid, []), key=lambda r: r["seq"]),
                )
            )


def make_templates(now: datetime | None = None) -> Templates:
    """The demo's case histories played as of a few different days (about 4 s each)."""
    now = now or datetime.now(UTC)
    out = Templates()
    for back in TEMPLATE_DAYS_BACK:
        with tempfile.TemporaryDirectory(prefix="ogi-bench-tpl-") as tmp:
            settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'tpl.db'}", now_override=now - timedelta(back))
            upgrade(settings, simulation=True)
            seed(settings)
            _read_templates(settings, out)
            dispose_engines()
    return out


def add_people(settings: Settings, since: datetime) -> None:
    """Staff of the target database, through the audited path: the demo's roles plus 20 handlers
    in 5 departments; the registrar and every handler can log in with PASSWORD."""
    s = replace(settings, now_override=since)
    with get_engine(settings).begin() as conn:
        moment.mark_simulation(conn, settings)
    with transaction(s) as session:
        for name, role in DEMO_STAFF.items():
            add_user(session, name=name, roles=[role], now=since, department=DEPARTMENTS[0])
        for name in HANDLERS:
            add_user(session, name=name, roles=["handler"], now=since, department=department_of(name))
        for name in (REGISTRAR, *HANDLERS[:5]):
            set_password(session, name, PASSWORD, now=since)


class _Copier:
    """Turns template k into case k's rows, keeping ids, numbers and the chain consistent."""

    def __init__(self, head_seq: int, head_hash: str, ids: dict[str, int]) -> None:
        self.seq, self.prev = head_seq, head_hash
        self.ids = ids  # next id per table
        self.letter_seq: dict[tuple[str, int], int] = {}

    def _next(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def copy(self, k: int, tpl: Template, handler: str, out: dict[str, list[dict[str, Any]]]) -> None:
        department = department_of(handler)
        names = dict.fromkeys(DEMO_HANDLERS, handler) | {DEMO_DEPARTMENT: department}
        out["applicant"].append({**tpl.applicant, "id": k})
        number = _NUMBERED.sub(f"{k}号", tpl.case["number"])
        assigned = tpl.case["handler"] is not None
        out["case"].append(
            {
                **tpl.case,
                "id": k,
                "number": number,
                "applicant_id": k,
                "handler": handler if assigned else None,
                "department": department if tpl.case["department"] else None,
                # The template's snapshot names its own events' seqs: a copy starts without one and
                # its first action rebuilds it from the copied ledger (workflow/snapshot.load).
                "clock_snapshot": None,
            }
        )
        out["consultation"] += [{**c, "id": self._next("consultation"), "case_id": k} for c in tpl.consultations]
        letter_ids: dict[int, int] = {}
        letter_numbers: dict[str, str] = {}
        for letter in tpl.letters:
            key = (letter["series"], letter["year"])
            seq = self.letter_seq[key] = self.letter_seq.get(key, 0) + 1
            new_id = letter_ids[letter["id"]] = self._next("letter")
            new_number = letter_numbers[letter["number"]] = _NUMBERED.sub(f"{seq}号", letter["number"])
            issued_by = names.get(letter["issued_by"], letter["issued_by"])
            row = {**letter, "id": new_id, "case_id": k, "seq": seq, "number": new_number, "issued_by": issued_by}
            out["letter"].append(row)
        out["service_record"] += [
            {
                **s,
                "id": self._next("service_record"),
                "case_id": k,
                "letter_id": letter_ids[s["letter_id"]],
                "recorded_by": names.get(s["recorded_by"], s["recorded_by"]),
            }
            for s in tpl.services
        ]
        for ev in tpl.events:
            self.seq += 1
            payload = ev["payload"]
            if '"letter' in payload or any(n in payload for n in names):
                payload = canonical_json(_rewrite(json.loads(payload), names, letter_ids, letter_numbers))
            row = {
                **ev,
                "seq": self.seq,
                "case_id": k,
                "actor": names.get(ev["actor"], ev["actor"]),
                "payload": payload,
                "prev_hash": self.prev,
            }
            row["hash"] = self.prev = hashlib.sha256(audit.hashed_text(row).encode()).hexdigest()
            out["audit_event"].append(row)


def _rewrite(value: Any, names: dict[str, str], ids: dict[int, int], numbers: dict[str, str], key: str = "") -> Any:
    """A payload with the copy's handler, department, letter ids and letter numbers."""
    if isinstance(value, dict):
        if "number" in value and value.get("number") in numbers and isinstance(value.get("id"), int):
            value = {**value, "id": ids[value["id"]], "number": numbers[value["number"]]}
        return {k: _rewrite(v, names, ids, numbers, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite(v, names, ids, numbers, key) for v in value]
    if key == "letter" and isinstance(value, int):
        return ids.get(value, value)
    if isinstance(value, str):
        return names.get(value, value)
    return value


def _choices(templates: Templates, n: int) -> Iterator[Template]:
    """Open cases three times as often as finished ones (a queue that has work in it)."""
    terminal = {s.value for s in TERMINAL_STATES}
    weights = [1 if t.case["state"] in terminal else 3 for t in templates.cases]
    rng = random.Random(15)
    yield from rng.choices(templates.cases, weights, k=n)


def _write(settings: Settings, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    engine = get_engine(settings)
    columns = list(rows[0])
    if engine.dialect.name != "postgresql":
        with engine.begin() as conn:
            conn.execute(insert(_T[table]), rows)
        return
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        if settings.db_schema:
            cur.execute(f'SET search_path TO "{settings.db_schema}"')
        names = ", ".join(f'"{c}"' for c in columns)
        with cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for r in rows:
                copy.write_row([r[c] for c in columns])
        raw.commit()
    finally:
        raw.close()


def _head(settings: Settings) -> tuple[int, str]:
    with get_engine(settings).connect() as conn:
        row = conn.execute(text("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1")).first()
    return (int(row[0]), str(row[1])) if row else (0, audit.GENESIS)


def populate(settings: Settings, templates: Templates, n: int) -> dict[str, int]:
    """n cases copied from the templates into a migrated database; returns row counts."""
    add_people(settings, datetime(2020, 1, 2, 2, tzinfo=UTC))
    with get_engine(settings).begin() as conn:  # a few hundred rows with bytes: plain INSERTs
        conn.execute(insert(_T["letter_blob"]), templates.blobs)
    copier = _Copier(*_head(settings), dict.fromkeys(("consultation", "letter", "service_record"), 0))
    counts: dict[str, int] = {}
    order = ("applicant", "case", "consultation", "letter", "service_record", "audit_event")
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in order}
    for k, tpl in enumerate(_choices(templates, n), start=1):
        copier.copy(k, tpl, HANDLERS[(k * 7) % len(HANDLERS)], out)
        if k % CHUNK == 0 or k == n:
            for table in order:
                _write(settings, table, out[table])
                counts[table] = counts.get(table, 0) + len(out[table])
                out[table] = []
    _finish(settings)
    return counts


def _finish(settings: Settings) -> None:
    """Sequences past the copied ids (PostgreSQL), then fresh planner statistics."""
    engine = get_engine(settings)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            for table in ("applicant", "case", "consultation", "letter", "service_record"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))"
                    )
                )
        conn.execute(text("ANALYZE"))
