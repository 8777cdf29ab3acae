"""Issue 14: `audit verify` holds every row against the ledger, and the ledger against signed
checkpoints, on both databases. Each tampering is done as an attacker with database rights would:
triggers dropped, rows changed behind the engine's back."""

from __future__ import annotations

from dataclasses import replace
from hashlib import sha256

import pytest
from sqlalchemy import text

from tests.factories import act, add_staff, at, new_case
from workflow.actions.checks import all_problems
from workflow.admin.users import add_user, change_user
from workflow.db import get_engine, reading, transaction
from workflow.ledger import audit
from workflow.ledger.checkpoints import check, load_key, parse_public, public_text, write_checkpoint


@pytest.fixture
def s(settings, tmp_path):
    add_staff(settings)
    return replace(settings, signing_key=str(tmp_path / "key.pem"), checkpoint_dir=str(tmp_path / "checkpoints"))


def _drop_triggers(settings):
    with get_engine(settings).begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_event_no_update"))
            conn.execute(text("DROP TRIGGER audit_event_no_delete"))
        else:
            conn.execute(text("DROP TRIGGER audit_event_no_change ON audit_event"))


def _tamper(settings, sql: str, **params: object) -> None:
    with get_engine(settings).begin() as conn:
        conn.execute(text(sql), params)


def _problems(settings) -> list[str]:
    with reading(settings) as session:
        return all_problems(session)


def _checkpoint_problems(settings) -> list[str]:
    key = load_key(settings.signing_key).public_key()
    with reading(settings) as session:
        return check(session, settings.checkpoint_dir, key).problems


def _answered_case(s) -> int:
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "decide", "h1", outcome="not_held")
    act(s, cid, "2026-05-07", "submit", "h1")
    act(s, cid, "2026-05-08", "approve", "a1")
    return cid


def test_an_untouched_database_has_no_problems(s):
    _answered_case(s)
    new_case(s, "2026-05-06", recorded="2026-05-08")
    with transaction(at(s, "2026-05-08")) as session:
        change_user(session, name="h2", actor="m1", now=at(s, "2026-05-08").now(), roles=["handler", "reviewer"])
    assert _problems(s) == []


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("UPDATE \"case\" SET request = '另一项申请' WHERE id = :cid", "字段 request"),
        (
            "UPDATE applicant SET name = '张三' WHERE id = (SELECT applicant_id FROM \"case\" WHERE id = :cid)",
            "字段 applicant",
        ),
        ("UPDATE \"case\" SET answer_due = '2026-12-31' WHERE id = :cid", "字段 answer_due"),
        ("UPDATE \"case\" SET handler = 'h2' WHERE id = :cid", "字段 handler"),
        ("UPDATE \"case\" SET outcome = 'disclosed' WHERE id = :cid", "字段 outcome"),
        ('UPDATE "case" SET version = 99 WHERE id = :cid', "字段 version"),
        ("UPDATE \"case\" SET received_on = '2026-05-01' WHERE id = :cid", "字段 received_on"),
    ],
)
def test_a_case_row_changed_behind_the_engine_is_named_with_its_field(s, sql, expected):
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "decide", "h1", outcome="not_held")
    _tamper(s, sql, cid=cid)
    problems = _problems(s)
    assert any(expected in p and "依申" in p for p in problems), problems


def test_a_stored_letters_bytes_and_a_users_roles_are_held_against_the_ledger(s):
    _answered_case(s)
    with reading(s) as session:
        blob = session.connection().execute(text("SELECT sha256 FROM letter_blob LIMIT 1")).scalar_one()
    _tamper(s, "UPDATE letter_blob SET content = :c WHERE sha256 = :h", c=b"forged", h=blob)
    _tamper(s, "UPDATE ogi_user SET roles = 'admin,handler' WHERE name = 'h1'")
    problems = _problems(s)
    assert any("文书" in p and "内容与其哈希不符" in p for p in problems), problems
    assert any(p.startswith("用户 h1 字段 roles") for p in problems), problems


def test_checkpoints_catch_a_deleted_newest_event_and_a_rebuilt_chain(s):
    _answered_case(s)
    with transaction(at(s, "2026-05-08")) as session:  # the newest event is not a case's: only the checkpoint knows it
        add_user(session, name="temp", roles=["auditor"], now=at(s, "2026-05-08").now(), actor="m1")
    entry = write_checkpoint(s)
    assert _checkpoint_problems(s) == []
    _drop_triggers(s)
    _tamper(s, "DELETE FROM audit_event WHERE seq = :seq", seq=entry["seq"])
    _tamper(s, "DELETE FROM ogi_user WHERE name = 'temp'")
    with reading(s) as session:
        assert audit.verify(session).intact and all_problems(session) == []  # the chain alone cannot tell
    problems = _checkpoint_problems(s)
    assert len(problems) == 1 and f"缺少第 {entry['seq']} 条事件" in problems[0]


def test_checkpoints_catch_a_chain_rebuilt_with_recomputed_hashes(s):
    cid = _answered_case(s)
    write_checkpoint(s)
    _drop_triggers(s)
    _tamper(s, "UPDATE audit_event SET actor = 'mallory' WHERE case_id = :cid AND action = 'approve'", cid=cid)
    with get_engine(s).begin() as conn:  # recompute every hash from the start, as a forger with the rows would
        rows = conn.execute(text("SELECT * FROM audit_event ORDER BY seq")).mappings().all()
        prev = audit.GENESIS
        for row in rows:
            fields = dict(row, prev_hash=prev)
            new = sha256(audit.hashed_text(fields).encode()).hexdigest()
            conn.execute(
                text("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE seq = :s"),
                {"p": prev, "h": new, "s": row["seq"]},
            )
            prev = new
    with reading(s) as session:
        assert audit.verify(session).intact
    problems = _checkpoint_problems(s)
    assert len(problems) == 1 and "哈希与签署时不同" in problems[0]


def test_a_checkpoint_signed_with_another_key_is_refused(s, tmp_path):
    new_case(s, "2026-05-06")
    load_key(s.signing_key, create=True)  # the office's key
    write_checkpoint(replace(s, signing_key=str(tmp_path / "other.pem")))  # someone else's
    problems = _checkpoint_problems(s)
    assert len(problems) == 1 and "签名无效" in problems[0]
    assert parse_public(public_text(load_key(s.signing_key).public_key()))
