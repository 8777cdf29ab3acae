"""`ogi info` as a user runs it: register with a file, walk the flow, explain the clock, refuse
bad input with a message and no traceback."""

from __future__ import annotations

import json

from tests.integration.test_cli import ogi  # noqa: F401  (the fixture)


def test_an_item_from_registration_to_the_catalogue(ogi, tmp_path):  # noqa: F811
    doc = tmp_path / "要点.txt"
    doc.write_text("全文", encoding="utf-8")
    r = ogi(
        "info",
        "register",
        "--title",
        "关于印发示例市2026年政务公开工作要点的通知",
        "--made-on",
        "2026-09-25",
        "--attribute",
        "proactive",
        "--file",
        str(doc),
        "--doc-number",
        "示政办发〔2026〕12号",
        "--category",
        "政务公开",
        "--kind",
        "normative",
        "--actor",
        "r1",
        "--json",
        now="2026-09-28",
    )
    item = json.loads(r.stdout)
    assert item["index_number"] == "000000000/2026-00001" and item["files"][0]["name"] == "要点.txt"
    r = ogi("info", "deadlines", "1", "--explain", now="2026-09-28")
    assert "2026-10-10 周六  调休上班" in r.stdout and "结果：公开期限 2026-10-29（周四）" in r.stdout
    r = ogi("info", "act", "1", "approve", "--actor", "a1", now="2026-09-28", ok=False)
    assert r.returncode == 1 and "review" in r.stderr
    ogi("info", "act", "1", "review", "--actor", "v1", "--set", "conclusion=clear", now="2026-09-28")
    r = ogi("info", "act", "1", "approve", "--actor", "a1", now="2026-09-28")
    assert "已保密审查 → 已审签" in r.stdout
    ogi("info", "act", "000000000/2026-00001", "publish", "--actor", "h1", now="2026-09-29")
    r = ogi("info", "list", "--q", "工作要点", "--json")
    assert [i["state"] for i in json.loads(r.stdout)] == ["published"]
    r = ogi("info", "history", "1", "--json")
    assert [e["action"] for e in json.loads(r.stdout)] == ["register", "review", "approve", "publish"]
    assert "审计链完整：9 条事件" in ogi("audit", "verify").stdout  # 4 for the item, 5 for adding the staff


def test_bad_input_is_refused_with_one_line(ogi):  # noqa: F811
    r = ogi(
        "info",
        "register",
        "--title",
        "x",
        "--made-on",
        "2026-09-25",
        "--attribute",
        "withheld",
        "--reason",
        "涉密",
        "--actor",
        "r1",
        ok=False,
    )
    assert r.returncode == 1 and r.stderr.startswith("错误：ground：")
    r = ogi(
        "info",
        "register",
        "--title",
        "x",
        "--made-on",
        "2026-02-30",
        "--attribute",
        "proactive",
        "--actor",
        "r1",
        ok=False,
    )
    assert r.returncode == 1 and "made_on" in r.stderr
    r = ogi("info", "settings", "set", "index_pattern", "{org}/{year}", "--actor", "m1", ok=False)
    assert r.returncode == 1 and "index_pattern" in r.stderr
    r = ogi("info", "show", "99", ok=False)
    assert r.returncode == 1 and "目录中没有" in r.stderr
