"""`ogi case attach`, `ogi redact …` and `ogi case package` as a user runs them."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.factories import act, add_staff, new_case
from tests.redaction_corpus import PENALTY, build

OGI = shutil.which("ogi", path=str(Path(sys.executable).parent)) or "ogi"


@pytest.fixture
def ogi(sqlite_settings, tmp_path):
    """The command on the test's database; the case itself is set up through the service (faster)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGI_")}
    env["OGI_DATABASE_URL"] = sqlite_settings.database_url
    add_staff(sqlite_settings)

    def run(*args: str, now: str = "2026-05-07", ok: bool = True) -> subprocess.CompletedProcess[str]:
        e = dict(env, OGI_NOW=f"{now}T10:00:00+08:00")
        r = subprocess.run([OGI, *args], capture_output=True, text=True, env=e, cwd=tmp_path, timeout=120)
        assert "Traceback" not in r.stdout + r.stderr, r.stderr
        assert (r.returncode == 0) == ok, r.stderr
        return r

    return run


def test_attach_scan_apply_and_package(ogi, sqlite_settings, tmp_path):
    s = sqlite_settings
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    source = tmp_path / "行政处罚决定书.docx"
    source.write_bytes(build(PENALTY))
    att = json.loads(ogi("case", "attach", str(cid), str(source), "--actor", "h1", "--json").stdout)
    assert att["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    aid = str(att["id"])
    scan = json.loads(ogi("redact", "scan", aid, "--json").stdout)["findings"]
    assert {"kind", "text", "where", "label", "ground"} <= set(scan[0])
    assert {(f["kind"], f["where"]) for f in scan} >= {
        ("name", "metadata"),
        ("name", "header"),
        ("name", "comment"),
        ("id_number", "paragraph"),
        ("landline", "footer"),
    }
    footer = next(f["id"] for f in scan if f["where"] == "footer")
    ogi("redact", "decide", aid, footer, "--reject", "--actor", "v1")
    out = tmp_path / "out.docx"
    assert "尚未审查" in ogi("redact", "apply", aid, "--actor", "v1", "--out", str(out), ok=False).stderr
    assert not out.exists()
    ogi("redact", "apply", aid, "--actor", "v1", "--out", str(out), "--accept-all")
    with zipfile.ZipFile(out) as z:
        everything = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    assert "黄伟民" not in everything and "梁晓峰" not in everything and "0755-83216688" in everything
    act(s, cid, "2026-05-08", "review_confidentiality", "v1", conclusion="personal_data")
    act(
        s,
        cid,
        "2026-05-08",
        "decide",
        "h1",
        outcome="partly_disclosed",
        grounds="third_party_rights",
        access="以电子邮件提供",
        reason="个人信息已去标识化",
    )
    act(s, cid, "2026-05-08", "submit", "h1")
    act(s, cid, "2026-05-09", "approve", "a1")
    manifest = json.loads(ogi("case", "package", str(cid), "--out", str(tmp_path / "pkg"), "--json").stdout)
    for f in manifest["files"]:
        assert hashlib.sha256((tmp_path / "pkg" / f["name"]).read_bytes()).hexdigest() == f["sha256"]
    assert [f["role"] for f in manifest["files"]] == ["letter", "attachment", "log", "log"]
