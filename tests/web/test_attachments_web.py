"""Attachments over HTTP: the API a client uses and the console form a handler uses."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from fastapi.testclient import TestClient

from tests.factories import act, add_staff, at, login_form, new_case
from tests.redaction_corpus import APPLICATION, PENALTY, build
from web.app import create_app
from workflow.accounts.passwords import issue_token, set_password
from workflow.db import transaction


@pytest.fixture
def s(sqlite_settings):
    add_staff(sqlite_settings)
    return sqlite_settings


def _bearer(s, name: str) -> dict[str, str]:
    day = at(s, "2026-05-07")  # the day the test plays: simulated time only moves forward
    with transaction(day) as session:
        return {"Authorization": f"Bearer {issue_token(session, name, day.now())}"}


def test_attach_review_redact_and_package_through_the_api(s):
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    client = TestClient(create_app(at(s, "2026-05-07")))
    h1, v1 = _bearer(s, "h1"), _bearer(s, "v1")
    r = client.post(
        f"/api/cases/{cid}/attachments",
        headers=h1,
        files={"file": ("申请表.pdf", build(APPLICATION), "application/octet-stream")},
    )
    assert r.status_code == 201, r.text
    aid = r.json()["id"]
    bad = client.post(f"/api/cases/{cid}/attachments", headers=h1, files={"file": ("x.pdf", b"MZ\x90\x00", "x/y")})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "file"
    assert (
        client.post(
            f"/api/cases/{cid}/attachments", headers=_bearer(s, "h2"), files={"file": ("a.txt", b"text", "text/plain")}
        ).status_code
        == 403
    )
    findings = client.get(f"/api/attachments/{aid}/findings", headers=v1).json()["findings"]
    assert {"kind", "text", "label", "where", "ground_label", "status"} <= set(findings[0])
    assert any(f["text"] == "韦婷婷" and f["kind"] == "name" for f in findings)
    assert client.post(f"/api/attachments/{aid}/redact", headers=v1, json={}).status_code == 409  # pending
    r = client.post(
        f"/api/attachments/{aid}/decisions", headers=v1, json={"findings": [findings[0]["id"]], "decision": "reject"}
    )
    assert r.status_code == 201
    r = client.post(f"/api/attachments/{aid}/redact", headers=v1, json={"accept_all": True})
    assert r.status_code == 201, r.text
    pdf = client.get(f"/api/attachments/{aid}/redacted", headers=v1)
    assert (
        pdf.status_code == 200
        and pdf.content.startswith(b"%PDF")
        and "filename*=UTF-8''" in pdf.headers["content-disposition"]
    )
    assert client.get(f"/api/cases/{cid}/package", headers=v1).status_code == 409  # no answer letter yet
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
        reason="附件中的个人信息已作去标识化处理",
    )
    act(s, cid, "2026-05-08", "submit", "h1")
    act(s, cid, "2026-05-09", "approve", "a1")
    client = TestClient(create_app(at(s, "2026-05-09")))
    manifest = client.get(f"/api/cases/{cid}/package", headers=v1).json()
    assert [f["name"] for f in manifest["files"]][1] == "申请表（去标识化）.pdf"
    z = zipfile.ZipFile(io.BytesIO(client.get(f"/api/cases/{cid}/package?format=zip", headers=v1).content))
    assert json.loads(z.read("manifest.json")) == manifest and len(z.namelist()) == 5


def test_the_console_upload_and_review_forms(s):
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    with transaction(at(s, "2026-05-07")) as session:
        set_password(session, "h1", "correct-horse")
    c = TestClient(create_app(at(s, "2026-05-07")))
    login_form(c, "h1", "correct-horse")
    assert f'href="/cases/{cid}/attachments"' in c.get(f"/cases/{cid}").text
    page = c.get(f"/cases/{cid}/attachments").text
    token = page.split('name="csrf" value="')[1].split('"')[0]
    r = c.post(
        f"/cases/{cid}/attachments",
        data={"csrf": token},
        files={"file": ("处罚决定书.docx", build(PENALTY), "application/octet-stream")},
    )
    assert r.status_code == 200 and "请审查识别结果" in r.text and "黄伟民" in r.text and "正文第3段" in r.text
    aid = int(r.url.path.rsplit("/", 1)[1])
    r = c.post(f"/attachments/{aid}/review", data={"csrf": token, "op": "span", "text": "非法营运"})
    assert "已标注 1 处" in r.text
    r = c.post(f"/attachments/{aid}/review", data={"csrf": token, "op": "redact"})
    assert "尚未审查" in r.text
    r = c.post(f"/attachments/{aid}/review", data={"csrf": token, "op": "redact_all"})
    assert "已生成去标识化文件" in r.text
    assert "处罚决定书（去标识化）.docx" in c.get(f"/cases/{cid}/attachments").text
    r = c.post(f"/attachments/{aid}/review", data={"csrf": "forged", "op": "redact_all"})
    assert r.status_code == 403
