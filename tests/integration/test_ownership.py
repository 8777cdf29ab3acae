"""Issue 14, point 4: a handler acts on and reads the cases assigned to them (and, with the office
setting `department_scope` on, their department's), at every interface: engine, CLI, API, console."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from tests.factories import STAFF_SINCE, act, add_staff, at, login_form, new_case
from web.app import create_app
from workflow.accounts.passwords import issue_token, set_password
from workflow.admin.office import change_setting
from workflow.admin.users import add_user
from workflow.db import transaction
from workflow.errors import Forbidden

SECRET = "x" * 48


@pytest.fixture
def s(settings):
    add_staff(settings)
    with transaction(settings) as session:
        early = at(settings, STAFF_SINCE).now()
        add_user(session, name="h3", roles=["handler"], now=early, department="法规科")
        add_user(session, name="h4", roles=["handler"], now=early, department="法规科")
        add_user(session, name="both", roles=["handler", "approver"], now=early)
    return replace(settings, secret_key=SECRET)


def _assigned(s, handler: str) -> int:
    cid = new_case(s, "2026-05-06", recorded="2026-05-07")  # entered the day it is assigned
    act(s, cid, "2026-05-07", "assign", "r1", handler=handler)
    return cid


def test_a_handler_acts_only_on_their_own_or_unassigned_cases(s):
    mine = _assigned(s, "h1")
    with pytest.raises(Forbidden) as err:
        act(s, mine, "2026-05-07", "start_review", "h2")
    assert err.value.rule == "ownership.not_assigned" and "h1" in err.value.message
    act(s, mine, "2026-05-07", "start_review", "h1")
    free = new_case(s, "2026-05-06", recorded="2026-05-07")
    act(s, free, "2026-05-07", "start_review", "h2")  # nobody handles it yet: taking it is allowed
    act(s, mine, "2026-05-07", "extend", "both", days="5", reason="档案量大")  # as approver: the role table


def test_department_scope_lets_a_handler_act_on_their_departments_cases(s):
    cid = _assigned(s, "h3")
    with pytest.raises(Forbidden):
        act(s, cid, "2026-05-07", "start_review", "h4")
    with transaction(at(s, "2026-05-07")) as session:
        change_setting(session, key="department_scope", value="on", actor="m1", now=at(s, "2026-05-07").now())
    act(s, cid, "2026-05-07", "start_review", "h4")  # same department
    with pytest.raises(Forbidden):
        act(s, cid, "2026-05-07", "decide", "h1", outcome="not_held")  # another department


def test_the_api_and_the_console_keep_handlers_to_their_cases(s):
    mine, theirs = _assigned(s, "h1"), _assigned(s, "h2")
    with transaction(at(s, "2026-05-07")) as session:
        tokens = {n: issue_token(session, n, at(s, "2026-05-07").now()) for n in ("h1", "u1", "m1")}
        set_password(session, "h1", "correct-horse")
        tokens["h1"] = issue_token(
            session, "h1", at(s, "2026-05-07").now()
        )  # setting the password revoked the first one
    api = TestClient(create_app(at(s, "2026-05-07")))
    h1 = {"Authorization": f"Bearer {tokens['h1']}"}
    listed = {c["id"] for c in api.get("/api/cases", headers=h1).json()}
    assert mine in listed and theirs not in listed
    r = api.get(f"/api/cases/{theirs}", headers=h1)
    assert (r.status_code, r.json()["error"]["rule"]) == (403, "ownership.not_assigned")
    assert api.get(f"/api/cases/{theirs}/history", headers=h1).status_code == 403
    r = api.post(f"/api/cases/{theirs}/actions/start_review", json={"payload": {}}, headers=h1)
    assert (r.status_code, r.json()["error"]["rule"]) == (403, "ownership.not_assigned")
    assert api.post(f"/api/cases/{mine}/actions/start_review", json={"payload": {}}, headers=h1).status_code == 200
    for reader in ("u1", "m1"):  # auditors and admins read everything
        assert api.get(f"/api/cases/{theirs}", headers={"Authorization": f"Bearer {tokens[reader]}"}).status_code == 200
    browser = TestClient(create_app(at(s, "2026-05-07")))
    login_form(browser, "h1", "correct-horse")
    assert browser.get(f"/cases/{theirs}").status_code == 403
    assert f'/cases/{theirs}"' not in browser.get("/").text
    page = browser.get(f"/cases/{mine}")
    assert page.status_code == 200
    token = page.text.split('name="csrf" value="')[1].split('"')[0]
    r = browser.post(f"/cases/{theirs}/act/decide", data={"csrf": token, "outcome": "not_held"})
    assert "ownership.not_assigned" in r.text or r.status_code == 403


def test_the_cli_refuses_a_handler_on_someone_elses_case(tmp_path):
    ogi = shutil.which("ogi") or os.path.join(os.path.dirname(sys.executable), "ogi")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGI_")}
    env.update(OGI_DATABASE_URL=f"sqlite:///{tmp_path / 'ogi.db'}", OGI_NOW="2026-05-07T10:00:00+08:00")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([ogi, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)

    run("init", "--simulation")
    for name, role in (("r1", "registrar"), ("h1", "handler"), ("h2", "handler")):
        run("user", "add", name, "--role", role)
    case = json.loads(
        run(
            "case",
            "receive",
            "--channel",
            "in_person",
            "--date",
            "2026-05-06",
            "--applicant",
            "王五",
            "--applicant-type",
            "natural_person",
            "--request",
            "请公开",
            "--actor",
            "r1",
            "--json",
        ).stdout
    )
    cid = str(case["id"])
    run("case", "act", cid, "register", "--actor", "r1")
    run("case", "act", cid, "assign", "--actor", "r1", "--set", "handler=h1")
    r = run("case", "act", cid, "start_review", "--actor", "h2")
    assert r.returncode != 0 and "ownership.not_assigned" in r.stderr and "Traceback" not in r.stderr
    assert run("case", "act", cid, "start_review", "--actor", "h1").returncode == 0
