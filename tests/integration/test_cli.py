"""The `ogi` command as a user runs it: a case from receipt to closed, errors without tracebacks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

OGI = shutil.which("ogi", path=str(Path(sys.executable).parent)) or "ogi"
CONTRACT = Path(__file__).resolve().parents[3] / "shared" / "acceptance" / "cli-contract.py"


@pytest.fixture
def ogi(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGI_")}
    env["OGI_DATABASE_URL"] = f"sqlite:///{tmp_path / 'ogi.db'}"

    def run(*args: str, now: str | None = None, ok: bool = True) -> subprocess.CompletedProcess[str]:
        e = dict(env, OGI_NOW=f"{now}T10:00:00+08:00") if now else env
        r = subprocess.run([OGI, *args], capture_output=True, text=True, env=e, cwd=tmp_path, timeout=60)
        assert "Traceback" not in r.stdout + r.stderr, r.stderr
        if ok:
            assert r.returncode == 0, r.stderr
        return r

    run("init", "--simulation")
    for user, role in [("r1", "registrar"), ("h1", "handler"), ("v1", "reviewer"), ("a1", "approver"), ("m1", "admin")]:
        run("user", "add", user, "--role", role, now="2020-01-02")
    return run


def test_a_case_from_receipt_to_closed(ogi):
    r = ogi(
        "case",
        "receive",
        "--channel",
        "online",
        "--date",
        "2026-09-01",
        "--applicant",
        "某律师事务所",
        "--applicant-type",
        "legal_service_institution",
        "--request",
        "请公开{{ 7*7 }}号文件",
        "--actor",
        "r1",
        "--json",
        now="2026-09-01",
    )
    case = json.loads(r.stdout)
    assert case["request"] == "请公开{{ 7*7 }}号文件" and case["state"] == "received"
    cid = str(case["id"])
    ogi("case", "act", cid, "register", "--actor", "r1", now="2026-09-01")
    ogi("case", "act", cid, "confirm_receipt", "--actor", "r1", "--set", "method=online", now="2026-09-01")
    ogi("case", "act", cid, "request_correction", "--actor", "h1", "--set", "items=请说明文件名称", now="2026-09-02")
    ogi("case", "act", cid, "receive_correction", "--actor", "r1", now="2026-09-07")
    ogi("case", "act", cid, "start_review", "--actor", "h1", now="2026-09-08")
    ogi(
        "case",
        "act",
        case["number"],
        "consult",
        "--actor",
        "h1",
        "--set",
        "party=third_party",
        "--set",
        "addressee=某公司",
        now="2026-09-08",
    )
    ogi("case", "act", cid, "record_reply", "--actor", "h1", "--set", "opinion=consent", now="2026-09-10")
    ogi("case", "act", cid, "extend", "--actor", "a1", "--set", "days=5", "--set", "reason=档案量大", now="2026-09-14")
    explain = ogi("case", "deadlines", cid, "--explain", now="2026-09-14").stdout
    for part in (
        "收到申请之日：2026-09-01",
        "收到补正申请：2026-09-07",
        "中止：2026-09-08",
        "延期5个工作日",
        "第25日",
        "结果：答复期限",
    ):
        assert part in explain
    for action, actor, sets in [
        ("review_confidentiality", "v1", ["conclusion=clear"]),
        ("decide", "h1", ["outcome=disclosed"]),
        ("submit", "h1", []),
        ("approve", "a1", []),
        ("close", "h1", []),
    ]:
        args = [x for s in sets for x in ("--set", s)]
        ogi("case", "act", cid, action, "--actor", actor, *args, now="2026-09-15")
    shown = json.loads(ogi("case", "show", cid, "--json").stdout)
    assert shown["state"] == "closed" and shown["version"] == 14
    history = json.loads(ogi("case", "history", cid, "--json").stdout)
    assert [e["action"] for e in history][-2:] == ["approve", "close"]
    assert "审计链完整：19 条事件" in ogi("audit", "verify").stdout  # 14 for the case, 5 for adding the staff


def test_errors_are_one_clear_line_and_non_zero(ogi):
    cases = [
        (["calendar", "add-workdays", "2026-02-30", "5"], "DATE"),
        (
            [
                "case",
                "receive",
                "--channel",
                "pigeon",
                "--date",
                "2026-05-06",
                "--applicant",
                "x",
                "--applicant-type",
                "natural_person",
                "--request",
                "x",
                "--actor",
                "r1",
            ],
            "channel",
        ),
        (["case", "show", "42"], "case"),
        (["case", "act", "1", "register", "--actor", "r1", "--set", "oops"], "--set"),
        (["user", "add", "x", "--role", "king"], "role"),
    ]
    for args, field in cases:
        r = ogi(*args, ok=False, now="2026-05-07")
        assert r.returncode != 0 and field in r.stderr and r.stderr.startswith("错误：")


def test_calendar_import_from_the_command_line(ogi, tmp_path):
    ogi(
        "case",
        "receive",
        "--channel",
        "in_person",
        "--date",
        "2026-12-04",
        "--applicant",
        "张三",
        "--applicant-type",
        "natural_person",
        "--request",
        "年终信息",
        "--actor",
        "r1",
        now="2026-12-04",
    )
    ogi("case", "act", "1", "register", "--actor", "r1", now="2026-12-04")
    assert ogi("calendar", "add-workdays", "2026-12-04", "20").stdout.startswith("2027-01-04 provisional")
    csv = tmp_path / "2027.csv"
    csv.write_text("date,kind\n2027-01-01,holiday\n2027-01-04,holiday\n2027-02-14,workday\n", encoding="utf-8")
    out = ogi("calendar", "import", str(csv), "--actor", "m1", "--json", now="2026-12-10").stdout
    report = json.loads(out)
    assert report["moved"] == [
        {
            "case_id": 1,
            "number": "依申〔2026〕1号",
            "deadline": "answer_due",
            "from": "2027-01-04",
            "to": "2027-01-05",
            "days": 1,
        }
    ]
    assert ogi("calendar", "add-workdays", "2026-12-04", "20").stdout.split() == ["2027-01-05"]
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind\n2027-01-09,vacation\n", encoding="utf-8")
    r = ogi("calendar", "import", str(bad), "--actor", "m1", ok=False)
    assert r.returncode != 0 and "kind" in r.stderr


@pytest.mark.skipif(not CONTRACT.exists(), reason="shared acceptance contract not beside the checkout")
def test_shared_cli_contract_engine_part():
    env = dict(os.environ, PATH=f"{Path(OGI).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("OGI_NOW", None)
    r = subprocess.run([sys.executable, str(CONTRACT), "engine"], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stdout[-2000:]
    assert "0 failed" in r.stdout


def test_tokens_and_signed_checkpoints_from_the_command_line(ogi, tmp_path):
    """`ogi token create|list|revoke`; `ogi audit checkpoint|pubkey`; verify catches a deleted
    newest event through the checkpoint, with the public key alone."""
    import sqlite3

    token = ogi("token", "create", "h1", "--name", "报表脚本", "--scope", "read", "--json").stdout
    made = json.loads(token)
    assert made["scope"] == "read" and made["status"] == "active" and len(made["token"]) > 30
    listed = json.loads(ogi("token", "list", "--json").stdout)
    assert [(t["id"], t["name"], t["status"]) for t in listed] == [(made["id"], "报表脚本", "active")]
    assert "token" not in listed[0]
    refused = ogi("token", "revoke", str(made["id"]), "--actor", "r1", ok=False)
    assert refused.returncode != 0 and "无权" in refused.stderr
    assert "已吊销" in ogi("token", "revoke", str(made["id"]), "--actor", "h1").stdout
    assert json.loads(ogi("token", "list", "--json").stdout)[0]["status"] == "revoked"
    assert "检查点已签署" in ogi("audit", "checkpoint").stdout
    pubkey = ogi("audit", "pubkey").stdout.strip()
    assert pubkey.startswith("ed25519:")
    assert "核对签名检查点 1 个" in ogi("audit", "verify").stdout
    db = sqlite3.connect(tmp_path / "ogi.db")
    db.execute("DROP TRIGGER audit_event_no_delete")
    db.execute("DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)")  # the revocation
    db.commit()
    db.close()
    (tmp_path / ".ogi-signing-key").rename(tmp_path / "elsewhere.pem")  # the auditor has only the public key
    r = ogi("audit", "verify", "--pubkey", pubkey, ok=False)
    assert r.returncode == 3 and "末尾事件被删除" in r.stderr, r.stderr
