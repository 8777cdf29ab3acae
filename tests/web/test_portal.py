"""The applicant portal: filing online, the receipt, following a case without revealing whether a
number exists, throttling, uploads checked by content, and the applicant's online acts going
through the engine as the portal actor."""

from __future__ import annotations

import base64
import io
import zipfile
from dataclasses import replace
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from tests.factories import act, add_staff, at
from web.app import create_app
from web.portal.guard import Guards, Throttle
from workflow.accounts.users import PORTAL_ACTOR
from workflow.admin.users import add_user
from workflow.db import reading, transaction
from workflow.errors import Forbidden, InvalidInput
from workflow.ledger import audit
from workflow.models import Case, Notification
from workflow.models.portal import PortalApplication, PortalLetterAccess, PortalSubmission, PortalUpload
from workflow.portal import codes
from workflow.portal.uploads import MAX_BYTES, check_upload
from workflow.service import perform

DAY = "2026-09-01"  # a Tuesday
SECRET = "p" * 48
RESIDENT_ID = "110105198001010016"
USCC = "91350100M000100Y43"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx(with_document: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _b64(name: str, content: bytes) -> dict[str, str]:
    return {"filename": name, "content_base64": base64.b64encode(content).decode()}


BODY = {
    "applicant": "张三",
    "applicant_type": "natural_person",
    "id_number": RESIDENT_ID,
    "contact": {"phone": "13800000000", "email": "zhang@example.cn"},
    "request": "请公开本机关2025年度部门预算",
    "purpose": "自用",
    "form": "electronic",
    "service_method": "online",
    "consent_electronic_service": True,
}


@pytest.fixture
def s(sqlite_settings):
    add_staff(sqlite_settings)
    return replace(sqlite_settings, secret_key=SECRET, portal_captcha=False)


def client(s, day: str = DAY) -> TestClient:
    return TestClient(create_app(at(s, day)))


def apply(s, day: str = DAY, **changes: object) -> dict[str, str]:
    r = client(s, day).post("/public/api/applications", json={**BODY, **changes})
    assert r.status_code == 201, r.text
    return dict(r.json())


def follow(c: TestClient, number: str, code: str) -> tuple[int, dict]:
    r = c.get(f"/public/api/applications/{number}", params={"code": code})
    return r.status_code, r.json()


def test_an_online_application_opens_a_received_case_recorded_on_the_ledger(s):
    filed = apply(s, attachments=[_b64("身份证.png", PNG)])
    assert filed["number"] == "依申〔2026〕1号" and len(filed["query_code"].replace("-", "")) >= 8
    with reading(s) as session:
        case = session.exec(select(Case)).one()
        row = session.exec(select(PortalApplication)).one()
        upload = session.exec(select(PortalUpload)).one()
        (event,) = audit.case_events(session, case.id)
    assert (case.state, case.channel, str(case.received_on)) == ("received", "online", DAY)
    assert filed["query_code"] not in row.code_hash and codes.code_matches(row.code_hash, filed["query_code"])
    assert (event.action, event.actor, event.role) == ("receive", PORTAL_ACTOR, "applicant")
    portal = audit.payload_of(event)["portal"]
    assert portal["attachments"][0]["sha256"] == upload.sha256 and upload.media_type == "image/png"
    assert (portal["service_method"], portal["consent_electronic_service"]) == ("online", True)


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"id_number": RESIDENT_ID[:-1] + "7"}, "id_number", "applicant.id_checksum"),
        ({"applicant_type": "commercial_enterprise", "id_number": USCC[:-1] + "0"}, "id_number", None),
        ({"consent_electronic_service": False}, "consent_electronic_service", "portal.consent_required"),
        ({"service_method": "carrier_pigeon"}, "service_method", "portal.choice"),
        ({"service_method": "post"}, "contact.address", "portal.address_required"),
        ({"contact": ""}, "contact", "portal.contact"),
        ({"request": "  "}, "request", None),  # blank: refused by the input hygiene or the form
        ({"attachments": [_b64("a.pdf", b"<html>not a pdf</html>")]}, "attachments", "portal.upload_type"),
    ],
)
def test_bad_applications_are_refused_naming_the_field(s, changes, field, rule):
    r = client(s).post("/public/api/applications", json={**BODY, **changes})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["field"] == field
    if rule:
        assert r.json()["error"]["rule"] == rule
    with reading(s) as session:
        assert session.exec(select(Case)).first() is None  # nothing half-written


def test_organisations_give_a_valid_credit_code_and_contact_may_be_one_line(s):
    filed = apply(
        s, applicant="某某有限公司", applicant_type="commercial_enterprise", id_number=USCC, contact="13800000000"
    )
    assert filed["number"]


def test_a_wrong_code_and_an_unknown_number_get_the_same_answer_after_the_same_work(s, monkeypatch):
    filed = apply(s)
    c = client(s)
    calls: list[str] = []
    real = codes._hasher

    class Counting:
        def verify(self, stored: str, given: str) -> bool:
            calls.append(stored)
            return real.verify(stored, given)

    monkeypatch.setattr(codes, "_hasher", Counting())
    wrong = follow(c, filed["number"], "AAAA-BBBB-CCCC")
    unknown = follow(c, "依申〔2026〕999号", "AAAA-BBBB-CCCC")
    assert wrong == unknown and wrong[0] == 404
    assert wrong[1]["error"]["rule"] == "portal.not_found"
    assert len(calls) == 2  # a hash is verified for the unknown number too (timing gives nothing away)
    status, view = follow(c, "依申2026-1", filed["query_code"].lower().replace("-", ""))
    assert status == 200 and view["state"] == "received" and view["state_label"] == "已提交，待确认收到"


def test_failed_lookups_are_throttled_per_address_and_per_number(s):
    filed = apply(s)
    c = client(s)
    for _ in range(10):
        assert follow(c, filed["number"], "WRONG-CODE")[0] == 404
    status, body = follow(c, filed["number"], filed["query_code"])
    assert status == 429 and body["error"]["rule"] == "auth.throttled"
    # Guessing one number from many addresses is capped by the per-number limit.
    c2 = client(s)
    c2.app.state.portal_guards = Guards(lookups=Throttle(1000, 900), per_number=Throttle(3, 3600))
    for _ in range(3):
        assert follow(c2, filed["number"], "WRONG-CODE")[0] == 404
    assert follow(c2, filed["number"], filed["query_code"])[0] == 429
    assert follow(c2, "依申〔2026〕2号", "WRONG-CODE")[0] == 404  # another number is not blocked


def test_applications_are_throttled_per_address(s):
    c = client(s)
    c.app.state.portal_guards = Guards(applications=Throttle(2, 3600))
    bad = {**BODY, "request": ""}
    assert [c.post("/public/api/applications", json=bad).status_code for _ in range(3)] == [422, 422, 429]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("scan.pdf", PDF, "pdf"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "jpeg"),
        ("a.png", PNG, "png"),
        ("letter.docx", _docx(), "docx"),
        ("renamed.exe", PNG, "png"),
    ],
)
def test_uploads_are_accepted_by_content(name, content, kind):
    up = check_upload(name, content)
    assert up.kind == kind and up.filename.endswith({"jpeg": ".jpg"}.get(kind, "." + kind))


@pytest.mark.parametrize(
    ("name", "content", "rule"),
    [
        ("fake.pdf", b"MZ\x90\x00 an executable renamed", "portal.upload_type"),
        ("page.png", b"<svg onload=alert(1)>", "portal.upload_type"),
        ("archive.docx", _docx(with_document=False), "portal.upload_type"),
        ("empty.pdf", b"", "portal.upload_empty"),
        ("huge.pdf", b"%PDF-" + b"0" * MAX_BYTES, "portal.upload_size"),
    ],
)
def test_uploads_are_refused_by_content_and_size(name, content, rule):
    with pytest.raises(InvalidInput) as caught:
        check_upload(name, content)
    assert caught.value.rule == rule


def test_upload_names_lose_their_paths():
    assert check_upload("../../etc/passwd.pdf", PDF).filename == "passwd.pdf"


def test_the_captcha_guards_the_json_api(s):
    c = TestClient(create_app(at(replace(s, portal_captcha=True), DAY)))
    r = c.post("/public/api/applications", json=BODY)
    assert (r.status_code, r.json()["error"]["field"]) == (422, "captcha")
    challenge = c.get("/public/api/captcha").json()
    assert c.get(challenge["image"]).headers["content-type"] == "image/png"
    assert c.get(challenge["audio"]).content[:4] == b"RIFF"
    digits = c.app.state.portal_guards.captchas._items[challenge["id"]][0]
    answered = {**BODY, "captcha_id": challenge["id"], "captcha_answer": digits}
    assert c.post("/public/api/applications", json=answered).status_code == 201
    assert c.post("/public/api/applications", json=answered).json()["error"]["field"] == "captcha"  # used up


def _registered(s) -> dict[str, str]:
    filed = apply(s)
    act(s, 1, DAY, "register", "r1")
    act(s, 1, DAY, "assign", "r1", handler="h1")
    return filed


def test_the_applicant_replies_to_a_correction_notice_online(s):
    filed = _registered(s)
    act(s, 1, "2026-09-02", "request_correction", "h1", items="请写明预算的具体部门")
    c = client(s, "2026-09-03")
    status, view = follow(c, filed["number"], filed["query_code"])
    assert view["asks"]["correction"]["items"] == "请写明预算的具体部门"
    assert [x["title"] for x in view["letters"]] == ["政府信息公开申请登记回执", "政府信息公开申请补正告知书"]
    r = c.post(
        f"/public/api/applications/{filed['number']}/correction",
        json={"code": filed["query_code"], "text": "市财政局本级", "attachments": [_b64("补充.pdf", PDF)]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "registered"
    with reading(s) as session:
        last = audit.case_events(session, 1)[-1]
        sub = session.exec(select(PortalSubmission)).one()
        up = session.exec(select(PortalUpload).where(PortalUpload.purpose == "correction")).one()
        handler_told = session.exec(select(Notification).where(Notification.user_name == "h1")).all()
    assert (last.action, last.actor, last.role) == ("receive_correction", PORTAL_ACTOR, "applicant")
    assert audit.payload_of(last)["received_on"] == "2026-09-03"  # the day it was submitted (Art. 30)
    assert sub.text == "市财政局本级" and sub.event_seq == last.seq == up.event_seq
    assert any("补正" in n.title for n in handler_told)


def test_the_applicant_gives_reasons_and_the_handler_sees_them(s):
    filed = _registered(s)
    act(s, 1, "2026-09-02", "start_review", "h1")
    act(s, 1, "2026-09-02", "request_reasons", "h1", matter="本月已申请45件")
    c = client(s, "2026-09-03")
    assert follow(c, filed["number"], filed["query_code"])[1]["asks"]["reasons"]["matter"] == "本月已申请45件"
    r = c.post(
        f"/public/api/applications/{filed['number']}/reasons", json={"code": filed["query_code"], "text": "研究需要"}
    )
    assert r.status_code == 200 and "reasons" not in r.json()["asks"]
    again = c.post(
        f"/public/api/applications/{filed['number']}/reasons", json={"code": filed["query_code"], "text": "x"}
    )
    assert again.status_code == 409
    with reading(s) as session:
        last = audit.case_events(session, 1)[-1]
        note = session.exec(select(Notification).where(Notification.kind == "case:portal_reasons")).one()
        verified = audit.verify(session)
    assert (last.action, last.role, audit.payload_of(last)["text"]) == ("portal_reasons", "applicant", "研究需要")
    assert note.user_name == "h1" and note.body.endswith("研究需要") and verified.intact
    act(s, 1, "2026-09-03", "record_reasons", "h1", reasonable="yes")  # the handler weighs them; the clock reads on


def test_the_applicant_confirms_a_payment_with_a_receipt_and_can_withdraw(s):
    filed = _registered(s)
    act(s, 1, "2026-09-02", "start_review", "h1")
    act(s, 1, "2026-09-02", "issue_fee_notice", "h1", method="per_page", pages="100")
    c = client(s, "2026-09-04")
    url = f"/public/api/applications/{filed['number']}"
    assert follow(c, filed["number"], filed["query_code"])[1]["asks"]["payment"]["amount"] == 700
    r = c.post(url + "/payment", json={"code": filed["query_code"], "paid_on": "2026-09-04"})
    assert (r.status_code, r.json()["error"]["field"]) == (422, "receipt")
    r = c.post(
        url + "/payment", json={"code": filed["query_code"], "paid_on": "2026-09-04", "receipt": [_b64("r.jpg", PNG)]}
    )
    assert r.status_code == 200 and r.json()["state"] == "under_review"
    r = c.post(url + "/withdrawal", json={"code": filed["query_code"], "reason": "已通过其他途径获得"})
    assert r.status_code == 200 and r.json()["state"] == "withdrawn" and r.json()["asks"]["withdraw"] is False


def test_the_applicant_sees_only_their_letters_and_opening_one_is_recorded(s):
    filed = _registered(s)
    act(s, 1, "2026-09-02", "start_review", "h1")
    act(s, 1, "2026-09-02", "consult", "h1", party="third_party", addressee="某某科技有限公司")
    c = client(s, "2026-09-03")
    view = follow(c, filed["number"], filed["query_code"])[1]
    text = str(view)
    assert "某某科技" not in text and "h1" not in text and "r1" not in text  # no parties, no staff
    assert [x["title"] for x in view["letters"]] == ["政府信息公开申请登记回执"]
    with reading(s) as session:
        from workflow.letters.issue import letters_of

        third = next(x for x in letters_of(session, 1) if x.kind == "third_party_consultation")
    url = f"/public/api/applications/{filed['number']}/letters"
    assert c.get(f"{url}/{third.id}", params={"code": filed["query_code"]}).status_code == 404
    r = c.get(f"{url}/{view['letters'][0]['id']}", params={"code": filed["query_code"]})
    assert r.status_code == 200 and r.content[:2] == b"PK"
    with reading(s) as session:
        access = session.exec(select(PortalLetterAccess)).one()
    assert access.letter_id == view["letters"][0]["id"] and access.count == 1
    assert follow(c, filed["number"], filed["query_code"])[1]["letters"][0]["opened_at"] is not None


def test_the_applicant_role_is_limited_to_its_own_acts(s):
    apply(s)
    with pytest.raises(Forbidden):
        perform(1, "register", PORTAL_ACTOR, settings=at(s, DAY))
    with transaction(s) as session, pytest.raises(InvalidInput):
        add_user(session, name="someone", roles=["applicant"], now=s.now())
    with transaction(s) as session, pytest.raises(InvalidInput):
        add_user(session, name=PORTAL_ACTOR, roles=["handler"], now=s.now())


def test_the_pages_apply_keep_the_receipt_and_act_with_the_cookie(s):
    c = client(s)
    page = c.get("/public/")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    form = {
        "applicant": "<script>alert(1)</script>李四",
        "applicant_type": "natural_person",
        "id_number": RESIDENT_ID,
        "contact_phone": "13800000000",
        "request": "请公开{{ 7*7 }}本市道路养护合同",
        "service_method": "online",
        "form": "electronic",
        "consent_electronic_service": "yes",
    }
    r = c.post("/public/apply", data=form, files=[("attachments", ("身份证.pdf", PDF, "application/pdf"))])
    assert r.status_code == 201, r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;李四" in r.text and "{{ 7*7 }}" in r.text  # data, not markup
    code = r.text.split('class="big mono">')[1].split("<")[0]
    bad = c.post("/public/track", data={"number": "依申2026-1", "code": "nope"})
    assert bad.status_code == 404 and "没有找到" in bad.text
    r = c.post("/public/track", data={"number": "依申〔2026〕1号", "code": code}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/public/case")
    case_page = c.get("/public/case")
    assert "已提交，待确认收到" in case_page.text
    forged = c.post("/public/case/withdraw", data={"csrf": "forged", "reason": "x"}, follow_redirects=False)
    assert "err=" in forged.headers["location"]
    csrf = case_page.text.split('name="csrf" value="')[1].split('"')[0]
    done = c.post("/public/case/withdraw", data={"csrf": csrf, "reason": "不需要了"})
    assert done.status_code == 200 and "已撤回" in done.text
    refused = c.post("/public/apply", data={**form, "id_number": "123"})
    assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text and 'role="alert"' in refused.text


def test_letters_to_a_portal_applicant_are_announced_by_email_and_sms(s, caplog):
    import logging

    from workflow.models import OutboxItem
    from workflow.notify.outbox import process

    _registered(s)  # registration issues the acknowledgement
    act(s, 1, "2026-09-02", "request_correction", "h1", items="请写明年度")
    with reading(s) as session:
        items = session.exec(select(OutboxItem).where(OutboxItem.task == "notify_applicant")).all()
    assert sorted(i.key.split(":")[1] for i in items) == ["email", "email", "sms", "sms"]
    assert all("依申〔2026〕1号" in i.payload and "平台" in i.payload for i in items)
    with caplog.at_level(logging.INFO, logger="ogi.portal"):
        assert {process(s, i.id) for i in items} == {"done"}
    assert "SMS to 138****0000" in caplog.text and "no smtp_host" in caplog.text


def test_in_person_cases_queue_no_applicant_notices(s):
    from tests.factories import new_case
    from workflow.models import OutboxItem

    new_case(s, DAY)
    with reading(s) as session:
        assert session.exec(select(OutboxItem)).first() is None


def test_a_throttle_forgets_stale_keys_when_it_holds_many():
    t = Throttle(1, 0.0, max_keys=3)
    for key in "abcdef":
        t.hit(key)
    assert len(t._hits) <= 3


def test_the_answer_clock_starts_on_the_day_receipt_is_confirmed_and_the_applicant_is_told(s):
    from workflow.calendar.store import load_calendar
    from workflow.models import OutboxItem

    filed = apply(s)  # Tuesday 1 September
    view = follow(client(s), filed["number"], filed["query_code"])[1]
    assert (view["received_on"], view["answer_due"]) == (None, None)  # Art. 31(3): not yet received
    act(s, 1, "2026-09-03", "confirm_receipt", "r1", method="online")
    view = follow(client(s, "2026-09-03"), filed["number"], filed["query_code"])[1]
    with reading(s) as session:
        due = load_calendar(session).add_workdays(date(2026, 9, 3), 20)
        told = session.exec(select(OutboxItem).where(OutboxItem.task == "notify_applicant")).all()
    assert view["received_on"] == "2026-09-03" and view["answer_due"] == due.isoformat()
    assert view["state_label"] == "已确认收到，待登记"
    assert due > load_due_from(s, "2026-09-01")  # two days later than counting from submission
    assert {t.key.split(":")[1] for t in told} == {"email", "sms"}
    assert all("已确认收到" in t.payload and "2026-09-03" in t.payload for t in told)


def load_due_from(s, day: str) -> date:
    from workflow.calendar.store import load_calendar

    with reading(s) as session:
        return load_calendar(session).add_workdays(date.fromisoformat(day), 20)


def test_opening_a_letter_served_on_the_portal_is_its_delivery(s):
    from workflow.models import ServiceRecord

    filed = _registered(s)  # the acknowledgement goes out on the portal
    c = client(s, "2026-09-02")
    letter = follow(c, filed["number"], filed["query_code"])[1]["letters"][0]
    assert letter["delivered_on"] is None
    url = f"/public/api/applications/{filed['number']}/letters/{letter['id']}"
    assert c.get(url, params={"code": filed["query_code"]}).status_code == 200
    assert c.get(url, params={"code": filed["query_code"], "format": "html"}).status_code == 200
    with reading(s) as session:
        record = session.exec(select(ServiceRecord).where(ServiceRecord.letter_id == letter["id"])).one()
        deliveries = [e for e in audit.case_events(session, 1) if e.action == "record_delivery"]
        access = session.get(PortalLetterAccess, letter["id"])
    assert (str(record.delivered_on), record.method, record.recorded_by) == ("2026-09-02", "online", PORTAL_ACTOR)
    assert "2026-09-02 10:00" in (record.proof or "") and "下载" in (record.proof or "")
    assert len(deliveries) == 1 and deliveries[0].role == "applicant"  # the second opening records no delivery
    assert access.count == 2
    assert follow(c, filed["number"], filed["query_code"])[1]["letters"][0]["delivered_on"] == "2026-09-02"


def test_without_consent_opening_a_letter_is_no_delivery(s):
    filed = apply(
        s,
        service_method="post",
        consent_electronic_service=False,
        contact={"phone": "13800000000", "address": "示例市人民路1号"},
    )
    act(s, 1, DAY, "register", "r1")
    c = client(s, "2026-09-02")
    letter = follow(c, filed["number"], filed["query_code"])[1]["letters"][0]
    c.get(f"/public/api/applications/{filed['number']}/letters/{letter['id']}", params={"code": filed["query_code"]})
    with reading(s) as session:
        assert not [e for e in audit.case_events(session, 1) if e.action == "record_delivery"]
