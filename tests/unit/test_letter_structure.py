"""The structure of the published model texts, checked on every letter kind (structure, not
wording): title with the agency first, 文号 under it, addressee, recital, the decision with its
basis, the remedy notice where final, the closing formula, the signature block with seal and date,
in that order; and the issue-12 keys every letter honours (sample marking, periods from receipt,
the confirm-or-reissue basis, the Art. 35 and Art. 32 variants)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.unit.test_letter_templates import bodies, parse
from workflow.letters.registry import LETTERS
from workflow.letters.render import render_html
from workflow.letters.samples import sample_context

LETTER_KINDS = sorted(k for k, spec in LETTERS.items() if not spec.form)
FORMS = sorted(k for k, spec in LETTERS.items() if spec.form)


def _elements(kind: str, **overrides: Any) -> tuple[str, list[dict[str, Any]]]:
    ctx = sample_context(kind)
    ctx.update(overrides)
    html = render_html(kind, ctx)
    return html, parse(html).elements


def _position(elements: list[dict[str, Any]], test) -> int:
    return next(i for i, e in enumerate(elements) if test(e))


@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_every_letter_has_the_model_text_structure_in_order(kind):
    spec = LETTERS[kind]
    html, els = _elements(kind)
    cls = [(e["tag"], e["class"]) for e in els]
    agency = cls.index(("p", "agency"))
    title = cls.index(("h1", "title"))
    number = cls.index(("p", "number"))
    addressee = cls.index(("p", "addressee"))
    recital = _position(els, lambda e: e["class"] == "body" and "收到" in e["text"] and "申请" in e["text"])
    basis = _position(els, lambda e: e["class"] == "body" and ("的规定" in e["text"] or "规定：“" in e["text"]))
    closing = cls.index(("p", "closing"))
    signature, seal, date = cls.index(("p", "signature")), cls.index(("p", "seal")), cls.index(("p", "date"))
    order = [agency, title, number, addressee, recital, basis]
    if spec.final:
        remedy = _position(els, lambda e: e["class"] == "body" and "行政复议" in e["text"])
        order.append(remedy)
    else:
        assert "行政复议" not in html
    order += [closing, signature, seal, date]
    assert order == sorted(order), order
    assert els[closing]["text"] == spec.closing and spec.closing.startswith(("特此", "请"))
    assert els[title]["text"] == spec.title and "政府信息公开" in spec.title


@pytest.mark.parametrize("kind", FORMS)
def test_forms_name_the_office_and_carry_a_form_table(kind):
    html, els = _elements(kind)
    cls = [(e["tag"], e["class"]) for e in els]
    assert cls.index(("p", "agency")) < cls.index(("h1", "title")) < cls.index(("table", "form"))
    assert ("p", "seal") not in cls and ("p", "closing") not in cls


def test_answers_close_with_te_ci_da_fu_and_notices_with_te_ci_gao_zhi():
    for kind, spec in LETTERS.items():
        if spec.series == "答":
            assert spec.closing == "特此答复。", kind
        elif spec.addressee == "applicant" and not spec.form and kind != "fee_notice":
            assert spec.closing == "特此告知。", kind


@pytest.mark.parametrize("kind", sorted(LETTERS))
def test_a_simulation_letter_is_visibly_a_sample_at_top_and_bottom(kind):
    html, els = _elements(kind, simulation=True)
    samples = [i for i, e in enumerate(els) if e["class"] == "sample"]
    assert len(samples) == 2 and samples[0] == 0 and samples[1] == len(els) - 1
    assert "样本（模拟数据，不具法律效力）" in html
    plain, _ = _elements(kind)
    assert "样本" not in plain


@pytest.mark.parametrize(
    ("kind", "section", "key", "start"),
    [
        ("correction_notice", "correction", "reply_due", "自收到本告知书之日起15个工作日内"),
        ("reasons_request", "reasons", "due", "自收到本告知书之日起10个工作日内"),
        ("third_party_consultation", "consultation", "reply_due", "自收到本意见书之日起15个工作日内"),
        ("agency_consultation", "consultation", "reply_due", "自收到本函之日起15个工作日内"),
        ("fee_notice", "fee", "due", "自收到本通知书之日的次日起20个工作日内"),
    ],
)
def test_periods_binding_the_addressee_run_from_receipt_with_a_date_only_once_delivered(kind, section, key, start):
    ctx = sample_context(kind)
    due = ctx[section][key]
    with_date = render_html(kind, ctx)
    assert start + f"（即{due}前）" in with_date
    ctx = copy.deepcopy(ctx)
    ctx[section][key] = None
    without = render_html(kind, ctx)
    assert start in without and due not in without and "None" not in without


def test_confirm_or_reissue_never_cites_article_39_and_follows_the_office_setting():
    ctx = sample_context("confirm_or_reissue")
    html = render_html("confirm_or_reissue", ctx)
    assert "第三十九条" not in html and ctx["office"]["confirm_or_reissue_basis"] in html
    ctx["office"]["confirm_or_reissue_basis"] = "第二条"
    assert "根据《中华人民共和国政府信息公开条例》第二条的规定" in render_html("confirm_or_reissue", ctx)


@pytest.mark.parametrize(
    ("status", "says", "not_says"),
    [
        ("no_reply", "未在上述期限内说明理由", "说明的申请理由不合理"),
        ("unreasonable", "说明的申请理由不合理", "未在上述期限内说明理由"),
    ],
)
def test_unreasonable_volume_says_which_of_the_two_happened(status, says, not_says):
    html, _ = _elements("unreasonable_volume", reasons_status=status)
    assert says in html and not_says not in html


def test_disclosure_despite_objection_states_the_finding_that_fits_the_objection():
    ctx = sample_context("disclosure_despite_objection")
    reasonable = render_html("disclosure_despite_objection", ctx)
    assert "公共利益造成重大影响" in reasonable and "第十五条" in reasonable
    ctx["decision"]["objection_reasonable"] = False
    ctx["decision"]["override_reason"] = "投标文件中的报价已在中标公告中公开，不构成商业秘密"
    unreasonable = render_html("disclosure_despite_objection", ctx)
    assert "理由不合理" in unreasonable and "已在中标公告中公开" in unreasonable
    assert "虽有一定依据" not in unreasonable


def test_attachments_are_listed_one_line_each_and_only_when_there_are_any():
    ctx = sample_context("disclosed")
    ctx["attachments"] = ["决算表.pdf", "说明.docx"]
    els = parse(render_html("disclosed", ctx)).elements
    lines = [e["text"] for e in els if e["class"] == "attachment"]
    assert lines == ["附件：1.决算表.pdf", "　　　2.说明.docx"]
    cls = [e["class"] for e in els]
    assert cls.index("closing") < cls.index("attachment") < cls.index("signature")
    ctx["attachments"] = []
    assert "附件：" not in render_html("disclosed", ctx)


def test_already_public_without_a_catalogue_entry_gives_the_handlers_directions():
    ctx = sample_context("already_public")
    ctx["catalogue_item"] = None
    html = render_html("already_public", ctx)
    assert ctx["decision"]["access"] in html and "索引号" not in html


def test_later_date_notice_and_unreasonable_volume_carry_their_basis():
    for kind in ("later_date_notice", "reasons_request"):
        assert "第三十五条" in render_html(kind, sample_context(kind))
    assert all(
        text.endswith(("。", "：", "。”"))
        for text in bodies(render_html("later_date_notice", sample_context("later_date_notice")))
    )
