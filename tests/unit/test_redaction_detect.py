"""Detection of personal data: the checksums, what must not be found, and the quality targets
on the labelled test set (tests/redaction_corpus.py)."""

from __future__ import annotations

import pytest

from tests.redaction_corpus import CORPUS, HELD_OUT, KINDS, build, card, rid, score
from workflow.redaction.detect import Segment, scan_segment
from workflow.redaction.documents import scan
from workflow.redaction.patterns import find_patterns, luhn_ok, valid_resident_id


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan_segment(Segment("k", "paragraph", "正文第1段", text))]


def test_resident_id_checksum_and_date_of_birth():
    assert valid_resident_id("11010519491231002X")  # the standard's own example
    assert valid_resident_id(rid("44030619781120153"))
    assert not valid_resident_id("110105194912310021")  # wrong check character
    assert not valid_resident_id(rid("44030619781320153"))  # month 13
    assert not valid_resident_id("11010519491231002")


def test_luhn():
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert luhn_ok(card("622202123456789012"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("身份证号：11010519491231002X。", [("id_number", "11010519491231002X")]),
        ("手机 +86 139-0000-5678，座机（0755）83216688", [("mobile", "+86 139-0000-5678")]),
        ("电话0571-87001234转8021", [("landline", "0571-87001234转8021")]),
        ("邮箱zhang.san@example.com.cn，", [("email", "zhang.san@example.com.cn")]),
        ("车牌粤B·D23456号新能源汽车", [("plate", "粤B·D23456")]),
        ("家住示例市江北区建设路128号5栋302室。", [("address", "示例市江北区建设路128号5栋302室")]),
    ],
)
def test_patterns(text, expected):
    assert [(k, text[s:e]) for k, s, e in find_patterns(text)][: len(expected)] == expected


def test_numbers_that_are_not_personal_data_are_not_found():
    text = (
        "示交罚决字〔2025〕第0412号，罚款10,000.00元，统一社会信用代码11440300MB2C12345X，监督电话12345，"
        "账号1102 0201 0900 0123 456，邮政编码518001，编号4403061234567890，2025年3月18日，110105194912310021"
    )
    assert _found(text) == []


def test_names_by_tagger_context_and_form_of_address():
    text = "参加人员：王建国、欧阳振华，联系人李娜女士。村民刘德胜反映，其邻居张桂兰扩建房屋。"
    assert [t for k, t in _found(text) if k == "name"] == ["王建国", "欧阳振华", "李娜", "刘德胜", "张桂兰"]


def test_institutions_places_and_common_words_are_not_names():
    text = "经审理查明，车载卫星定位记录显示，王府井商业街、张家港市、黄山路、示例市财政局和华为公司均在其列。"
    assert [t for k, t in _found(text) if k == "name"] == []


def test_a_name_column_in_a_table_is_read_as_names():
    seg = Segment("k", "cell", "表格1第2行第2列", "韦婷", name_value=True)
    assert [(f.kind, f.text) for f in scan_segment(seg)] == [("name", "韦婷")]


def test_finding_ids_are_stable_across_scans():
    content = build(CORPUS[0])
    assert [f.id for f in scan("docx", content)] == [f.id for f in scan("docx", content)]


def test_targets_on_the_labelled_test_set():
    """Quality: recall ≥ 0.98 for ID, phone and bank numbers, ≥ 0.90 for names; precision ≥ 0.90."""
    s = score(CORPUS)
    assert sum(s.truth.values()) >= 150 and len(CORPUS) >= 10
    for kind in ("id_number", "phone", "bank_card"):
        assert s.recall(kind) >= 0.98, (kind, s.misses)
    assert s.recall("name") >= 0.90, s.misses
    assert s.precision() >= 0.90, s.extras
    assert set(s.truth) <= set(KINDS)


def test_held_out_documents_are_part_of_the_set():
    assert {d.kind for d in HELD_OUT} == {"docx", "xlsx", "txt", "pdf"}
