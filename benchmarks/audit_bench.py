"""5. Audit verification: `audit.verify` over N events against raw SHA-256 over the same bytes.

The ledger is written straight into audit_event with a correct chain computed in Python (seq,
prev_hash and `event_hash` exactly as `append` does), in batches (COPY on PostgreSQL), ten events a
case with the payloads the flow really writes. Ours: `verify` in a read session, walking the whole
chain. Baseline: `hashlib.sha256(b).hexdigest()` over the very bytes `event_hash` hashes, held in
memory. For reference: a hand-written verifier on the bare driver (fetchmany, json.dumps, sha256),
i.e. the same check without the ORM.

    python -m benchmarks.audit_bench [N]
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Iterator
from typing import Any

from sqlalchemy import insert

from benchmarks.common import Outcome, Row, backends, postgres_ok, rate, sqlite_db, status, times
from workflow import audit
from workflow.audit import GENESIS, canonical_json
from workflow.db import get_engine, reading
from workflow.models import AuditEvent

TARGET = 0.30
COLUMNS = ("seq", "case_id", "at", "actor", "role", "action", "from_state", "to_state", "payload", "prev_hash", "hash")
_SHA = "9f2c" * 16
# One case's life as the ledger records it (action, actor, role, from, to, payload).
FLOW: list[tuple[str, str, str, str | None, str, dict[str, Any]]] = [
    (
        "receive",
        "r1",
        "registrar",
        None,
        "received",
        {"channel": "online", "received_on": "2026-05-06", "applicant_type": "natural_person"},
    ),
    (
        "register",
        "r1",
        "registrar",
        "received",
        "registered",
        {
            "received_on": "2026-05-06",
            "due_dates": {
                "answer_due": {"from": None, "to": "2026-06-02"},
                "correction_notice_due": {"from": None, "to": "2026-05-14"},
            },
        },
    ),
    ("assign", "r1", "registrar", "registered", "registered", {"handler": "h1"}),
    ("start_review", "h1", "handler", "registered", "under_review", {}),
    ("review_confidentiality", "v1", "reviewer", "under_review", "under_review", {"conclusion": "clear"}),
    (
        "escalate",
        "system",
        "system",
        "under_review",
        "under_review",
        {
            "deadline": "answer",
            "ref": 0,
            "level": "yellow",
            "due_on": "2026-06-02",
            "working_days_left": 5,
            "notified": ["h1"],
        },
    ),
    ("decide", "h1", "handler", "under_review", "drafting", {"outcome": "disclosed", "access": "本机关门户网站"}),
    ("submit", "h1", "handler", "drafting", "awaiting_approval", {}),
    (
        "approve",
        "a1",
        "approver",
        "awaiting_approval",
        "answered",
        {
            "letter": {
                "id": 7,
                "kind": "disclosed",
                "number": "示政办公开答〔2026〕12号",
                "sha256": _SHA,
                "html_sha256": _SHA,
            }
        },
    ),
    ("close", "h1", "handler", "answered", "closed", {"delivered_on": "2026-05-20"}),
]
_PAYLOADS = [canonical_json(p) for *_, p in FLOW]


def chain(n: int) -> Iterator[tuple[dict[str, Any], bytes]]:
    """n events with a correct chain: (row, the exact bytes its hash covers)."""
    prev = GENESIS
    for seq in range(1, n + 1):
        k = (seq - 1) % len(FLOW)
        action, actor, role, from_state, to_state, _ = FLOW[k]
        row = {
            "seq": seq,
            "case_id": (seq - 1) // len(FLOW) + 1,
            "at": f"2026-05-{6 + k:02d}T02:{seq % 60:02d}:00.000000Z",
            "actor": actor,
            "role": role,
            "action": action,
            "from_state": from_state,
            "to_state": to_state,
            "payload": _PAYLOADS[k],
            "prev_hash": prev,
        }
        body = canonical_json(row).encode()  # = event_hash's input: same keys, sorted
        row["hash"] = prev = hashlib.sha256(body).hexdigest()
        yield row, body


def write(settings: Any, rows: list[dict[str, Any]]) -> None:
    engine = get_engine(settings)
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            with cur.copy(f"COPY audit_event ({', '.join(COLUMNS)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for r in rows:
                    copy.write_row([r[c] for c in COLUMNS])
            raw.commit()
        finally:
            raw.close()
    else:
        with engine.begin() as conn:
            for start in range(0, len(rows), 20_000):
                conn.execute(insert(AuditEvent), rows[start : start + 20_000])


def hand_written(settings: Any) -> int:
    """The same check on the bare driver: what `verify` costs without the ORM."""
    engine = get_engine(settings)
    raw = engine.raw_connection()
    count = 0
    try:
        cur = raw.cursor()
        cur.execute(f"SELECT {', '.join(COLUMNS)} FROM audit_event ORDER BY seq")
        prev = GENESIS
        keys = COLUMNS[:-1]
        dumps, sha = json.dumps, hashlib.sha256
        while batch := cur.fetchmany(5000):
            for r in batch:
                body = dumps(
                    dict(zip(keys, r, strict=False)), sort_keys=True, ensure_ascii=False, separators=(",", ":")
                )
                if r[9] != prev or sha(body.encode()).hexdigest() != r[10] or r[0] != count + 1:
                    raise AssertionError(f"hand-written verifier: chain broken at {r[0]}")
                prev = r[10]
                count += 1
        raw.rollback()
    finally:
        raw.close()
    return count


def run(full: bool = False) -> Outcome:
    n = 1_000_000 if full else 100_000
    out = Outcome(
        "audit",
        f"5. Audit verification over {n:,} events",
        f"{n:,} chained events written straight into audit_event (correct seq/prev_hash/hash computed in Python, "
        "ten events per case with the flow's real payloads). Ours: `audit.verify(session)` over the whole chain "
        "(one run, after the rows were written). Baseline: `hashlib.sha256(b).hexdigest()` over the same "
        "bytes `event_hash` hashes, from memory (best of 3). Ratio = ours ÷ raw hashing, events/s. Reference row: "
        "a hand-written verifier on the bare DB-API cursor (fetchmany + json.dumps + sha256).",
    )
    t0 = time.perf_counter()
    rows, bodies = [], []
    for row, body in chain(n):
        rows.append(row)
        bodies.append(body)
    first = AuditEvent(**rows[0])
    assert audit.event_hash(first) == rows[0]["hash"], "benchmark chain disagrees with event_hash"
    made = time.perf_counter() - t0

    sha = hashlib.sha256
    raw_best = min(_timed(lambda: [sha(b).hexdigest() for b in bodies]) for _ in range(3))
    raw_rate = n / raw_best
    pg = postgres_ok()
    if not pg:
        out.notes.append("PostgreSQL not reachable: measured on SQLite only.")
    missed = []
    for name, db in backends(pg):
        with db() as settings:
            write(settings, rows)
            t0 = time.perf_counter()
            with reading(settings) as session:
                result = audit.verify(session)
            ours = time.perf_counter() - t0
            assert result.intact and result.count == n, result
            t0 = time.perf_counter()
            assert hand_written(settings) == n
            hand = time.perf_counter() - t0
        share = (n / ours) / raw_rate
        if share < TARGET:
            missed.append(name)
        out.rows.append(
            Row(
                f"{name}: verify()",
                f"{rate(n / ours)} events/s ({ours:.2f} s)",
                f"{rate(raw_rate)} events/s (raw SHA-256)",
                f"{share * 100:.1f} % of raw",
                f"≥ {TARGET * 100:.0f} %",
                status(share >= TARGET),
            )
        )
        out.rows.append(
            Row(
                f"{name}: hand-written (reference)",
                f"{rate(n / hand)} events/s ({hand:.2f} s)",
                f"{rate(raw_rate)} events/s (raw SHA-256)",
                f"{(n / hand) / raw_rate * 100:.1f} % of raw; verify() = {times(hand / ours)} of it",
            )
        )
    out.rows.append(Row("building the chain in Python (setup)", f"{made:.1f} s", "—", "—"))
    verdict = "met" if not missed else "missed on " + ", ".join(missed)
    out.notes.append(
        f"Target ≥ {TARGET * 100:.0f} % of raw SHA-256: **{verdict}**. Raw hashing of ~400-byte inputs runs at about a "
        "microsecond per event in C over bytes already in memory; verify() pays per event for a row fetched from the "
        "database through SQLAlchemy and its canonical JSON rebuilt in Python before the same hash. The hand-written "
        "row is the obvious way to write that check by hand (see 'Profiles and fixes')."
    )
    return out


def _timed(fn: Any) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with sqlite_db() as s:
        r = list(chain(size))
        write(s, [row for row, _ in r])
        t = time.perf_counter()
        with reading(s) as session:
            print(audit.verify(session), f"{time.perf_counter() - t:.2f} s")
