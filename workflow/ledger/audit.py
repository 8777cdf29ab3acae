"""The append-only, hash-chained audit ledger.

Each event's hash is SHA-256 over the canonical JSON of its fields and the previous event's hash,
so changing, inserting or deleting any row breaks the chain from that row on. Appends are
serialised (BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL) and `prev_hash` is unique,
so the chain can never fork. The database itself refuses UPDATE and DELETE (migration triggers).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from hashlib import sha256
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import event, text
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from workflow.db import is_postgres
from workflow.models import AuditEvent
from workflow.timeutil import utc_stamp

GENESIS = "0" * 64
# Built once: perform appends an event per action, and rebuilding these showed in its profile.
_TABLE: Any = AuditEvent.__table__  # type: ignore[attr-defined]
_HEAD_QUERY = sa_select(_TABLE.c.seq, _TABLE.c.hash, _TABLE.c.at).order_by(_TABLE.c.seq.desc()).limit(1)
_INSERT = _TABLE.insert()
_LEDGER_LOCK = 0x0961  # advisory lock key that serialises appends on PostgreSQL
_HEAD = "ogi_ledger_head"  # session.info key: (seq, hash, at) of the last event this transaction wrote


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc_stamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    return value


@event.listens_for(Session, "after_transaction_end")
def _forget_head(session: Session, transaction: Any) -> None:
    # A new transaction must read the head again (and take the lock again).
    if transaction.parent is None:
        session.info.pop(_HEAD, None)


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 characters kept."""
    return json.dumps(_plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


_HASHED = ("action", "actor", "at", "case_id", "from_state", "payload", "prev_hash", "role", "seq", "to_state")
_TEXT = "{" + ",".join(f'"{k}":%s' for k in _HASHED) + "}"
_str = encode_basestring  # the C string encoder json.dumps(ensure_ascii=False) itself uses


def _opt(value: str | None) -> str:
    return "null" if value is None else _str(value)


def _text_of(
    action: str,
    actor: str,
    at: str,
    case_id: int | None,
    from_state: str | None,
    payload: str,
    prev_hash: str,
    role: str,
    seq: int,
    to_state: str | None,
) -> str:
    return _TEXT % (
        _str(action),
        _str(actor),
        _str(at),
        "null" if case_id is None else int(case_id),
        _opt(from_state),
        _str(payload),
        _str(prev_hash),
        _str(role),
        int(seq),
        _opt(to_state),
    )


def hashed_text(row: Any) -> str:
    """canonical_json of an event's hashed fields, assembled directly: the keys are fixed and
    sorted and every value is an int, a string or null, so this is byte-for-byte what
    canonical_json gives, several times faster (verification hashes every event there is)."""
    case_id = row["case_id"]
    return _TEXT % (
        _str(row["action"]),
        _str(row["actor"]),
        _str(row["at"]),
        "null" if case_id is None else int(case_id),
        _opt(row["from_state"]),
        _str(row["payload"]),
        _str(row["prev_hash"]),
        _str(row["role"]),
        int(row["seq"]),
        _opt(row["to_state"]),
    )


def event_hash(ev: AuditEvent) -> str:
    return hashlib.sha256(hashed_text(ev.model_dump()).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Appended:
    """An event just written to the ledger (a plain record: building a validated AuditEvent per
    append showed in perform's profile, and nothing downstream needs the ORM object)."""

    seq: int
    case_id: int | None
    at: str
    actor: str
    role: str
    action: str
    from_state: str | None
    to_state: str | None
    payload: str
    prev_hash: str
    hash: str


def _row(
    seq: int,
    prev_hash: str,
    *,
    case_id: int | None,
    at: datetime,
    actor: str,
    role: str,
    action: str,
    from_state: str | None,
    to_state: str | None,
    payload: Mapping[str, Any],
) -> dict[str, Any]:
    """The ledger row of one event, its hash included."""
    row: dict[str, Any] = {
        "seq": seq,
        "case_id": case_id,
        "at": utc_stamp(at),
        "actor": actor,
        "role": role,
        "action": action,
        "from_state": from_state,
        "to_state": to_state,
        "payload": canonical_json(payload),
        "prev_hash": prev_hash,
    }
    row["hash"] = sha256(hashed_text(row).encode()).hexdigest()
    return row


def _head(session: Session) -> tuple[int, str, str]:
    head: tuple[int, str, str] | None = session.info.get(_HEAD)
    if head is None:
        # First append of this transaction: take the ledger lock, then read the chain's head. The
        # lock is held until commit, so later appends in the same transaction can trust the cache.
        if is_postgres(session):
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LEDGER_LOCK})
        last = session.connection().execute(_HEAD_QUERY).first()
        head = (last[0], last[1], last[2]) if last else (0, GENESIS, "")
    return head


def append(
    session: Session,
    *,
    case_id: int | None,
    at: datetime,
    actor: str,
    role: str,
    action: str,
    from_state: str | None,
    to_state: str | None,
    payload: Mapping[str, Any],
) -> Appended:
    """Add one event to the ledger inside the caller's transaction (never commits)."""
    return append_many(
        session,
        [
            {
                "case_id": case_id,
                "at": at,
                "actor": actor,
                "role": role,
                "action": action,
                "from_state": from_state,
                "to_state": to_state,
                "payload": payload,
            }
        ],
    )[0]


def append_many(session: Session, events: list[dict[str, Any]]) -> list[Appended]:
    """Append several events (each a dict of `append`'s keyword arguments) in order, one insert
    per 500 rows, inside the caller's transaction (never commits)."""
    if not events:
        return []
    seq, prev, last_at = _head(session)
    rows = []
    for spec in events:
        seq += 1
        row = _row(seq, prev, **spec)
        if row["at"] < last_at:
            # A server clock stepped back: the recording time never decreases along the chain.
            # (A simulated time earlier than the head never gets here: workflow/moment.py refuses it.)
            row = _row(seq, prev, **{**spec, "at": datetime.fromisoformat(last_at.replace("Z", "+00:00"))})
        prev, last_at = row["hash"], row["at"]
        rows.append(row)
    for start in range(0, len(rows), 500):
        session.connection().execute(_INSERT, rows[start : start + 500])
    session.info[_HEAD] = (seq, prev, last_at)
    return [Appended(**row) for row in rows]


@dataclass(frozen=True)
class Verification:
    intact: bool
    count: int
    broken_seq: int | None = None
    problem: str = ""


# The hashed columns in _HASHED order, then the hash: read through the bare driver cursor, since
# verification reads every event there is and SQLAlchemy's row objects doubled its cost.
_CHAIN_SQL = f"SELECT {', '.join(_HASHED)}, hash FROM audit_event ORDER BY seq"


def _chain_cursor(session: Session) -> Any:
    """A driver cursor over the chain in the session's transaction: server-side on PostgreSQL,
    so a million events are never all in memory at once (read `fetchmany` at a time)."""
    dbapi: Any = session.connection().connection.dbapi_connection
    cursor = dbapi.cursor(name="ogi_verify_chain") if is_postgres(session) else dbapi.cursor()
    cursor.execute(_CHAIN_SQL)
    return cursor


def verify(session: Session, batch: int = 5000) -> Verification:
    """Walk the whole chain in order; report the first event whose link or hash is wrong, then
    hold every case row against the state its last event records (a chain cut off at its end
    still links, but the cases it touched would then be ahead of it)."""
    prev = GENESIS
    count = 0
    last_state: dict[int, str | None] = {}
    text_, str_ = _TEXT, _str  # locals: this loop runs once per event in the ledger
    cursor = _chain_cursor(session)
    try:
        while rows := cursor.fetchmany(batch):
            for action, actor, at, case_id, from_state, payload, prev_hash, role, seq, to_state, hash_ in rows:
                if seq != count + 1:
                    return Verification(False, count, count + 1, f"第 {count + 1} 条事件缺失（其后是第 {seq} 条）")
                if prev_hash != prev:
                    return Verification(False, count, seq, f"第 {seq} 条事件的前一哈希与第 {seq - 1} 条不符，链条断开")
                body = text_ % (
                    str_(action),
                    str_(actor),
                    str_(at),
                    "null" if case_id is None else case_id,
                    "null" if from_state is None else str_(from_state),
                    str_(payload),
                    str_(prev_hash),
                    str_(role),
                    seq,
                    "null" if to_state is None else str_(to_state),
                )
                if sha256(body.encode()).hexdigest() != hash_:
                    return Verification(False, count, seq, f"第 {seq} 条事件被改动：内容与其哈希不符")
                prev = hash_
                last_state[case_id] = to_state
                count += 1
    finally:
        cursor.close()  # a server-side cursor on PostgreSQL: release it even when stopping early
    return _cases_match(session, count, last_state)


def _cases_match(session: Session, count: int, last_state: Mapping[int, str | None]) -> Verification:
    dbapi: Any = session.connection().connection.dbapi_connection
    with closing(dbapi.cursor()) as cursor:  # the driver's rows, as for the chain: one per case
        cursor.execute('SELECT id, number, state FROM "case" ORDER BY id')
        for case_id, number, state in cursor:
            if case_id not in last_state:
                return Verification(False, count, None, f"案件 {number} 在审计账本中没有任何事件")
            if last_state[case_id] != state:
                return Verification(
                    False,
                    count,
                    None,
                    f"案件 {number} 当前状态为 {state}，但账本中它的最后一条事件记为 {last_state[case_id]}："
                    "账本末尾的事件缺失",
                )
    return Verification(True, count)


def case_events(session: Session, case_id: int) -> list[AuditEvent]:
    """Every event of a case, oldest first."""
    stmt = select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(col(AuditEvent.seq))
    return list(session.exec(stmt))


def payload_of(ev: Any) -> dict[str, Any]:
    """The decoded payload of an AuditEvent or of a row with a `payload` column."""
    data = json.loads(ev.payload)
    return data if isinstance(data, dict) else {}


def canonical_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload as it will read back from the ledger (dates as ISO strings)."""
    data = json.loads(canonical_json(payload))
    assert isinstance(data, dict)
    return data
