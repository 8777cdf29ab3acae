"""Every letter template renders from its sample context, says what the law makes it say, and
keeps the small HTML vocabulary the Word generator understands."""

from __future__ import annotations

import copy
from html.parser import HTMLParser
from typing import Any

import pytest

from workflow.letters.registry import LETTERS
from workflow.letters.render import render_html, template_dir
from workflow.letters.samples import sample_context
from workflow.letters.wording import indirect

KINDS = sorted(LETTERS)
CASES = [(kind, person) for kind in KINDS for person in (True, False)]
IDS = [f"{kind}-{'person' if person else 'organisation'}" for kind, person in CASES]
LETTER_KINDS = [k for k in KINDS if not LETTERS[k].form]
APPLICANT_KINDS = [k for k in LETTER_KINDS if LETTERS[k].addressee == "applicant"]
OTHER_KINDS = [k for k in LETTER_KINDS if LETTERS[k].addressee != "applicant"]
LETTER_CASES = [(kind, person) for kind in LETTER_KINDS for person in (True, False)]
LETTER_IDS = [f"{kind}-{'person' if person else 'organisation'}" for kind, person in LETTER_CASES]
WITHHOLDING = {"withheld", "partly_disclosed"}
RECONSIDERATION_FIRST = {"withheld", "special_law"}

NUMBER = "示政办公开答〔2026〕12号"
RECEIVED = "2026年10月26日"
LETTER_DATE = "2026年11月22日"

# What the Word generator understands inside <article>: tag -> allowed class (None: no class).
ALLOWED = {
    "p": {
        "number",
        "addressee",
        "body",
        "closing",
        "attachment",
        "signature",
        "seal",
        "date",
        "contact",
        "draft",
        "sample",
        "letterhead",
        "agency",
    },
    "h1": {"title"},
    "table": {"fee", "form"},
    "tr": {None},
    "th": {None},
    "td": {None},
}
TEXT_HOLDERS = {"p", "h1", "th", "td"}


class _Letter(HTMLParser):
    """The elements inside <article>, their classes and text, and any breach of the vocabulary."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_article = False
        self.open: list[str] = []
        self.elements: list[dict[str, Any]] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.in_article = True
            return
        if not self.in_article:
            return
        cls = dict(attrs).get("class")
        if tag not in ALLOWED or cls not in ALLOWED[tag]:
            self.errors.append(f"<{tag} class={cls!r}>")
        if set(attrs) - {("class", cls)}:
            self.errors.append(f"<{tag}> has attributes {attrs}")
        if self.open and self.open[-1] in TEXT_HOLDERS:
            self.errors.append(f"<{tag}> inside <{self.open[-1]}>")
        self.open.append(tag)
        self.elements.append({"tag": tag, "class": cls, "text": ""})

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.in_article:
            self.errors.append(f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.in_article = False
        elif self.in_article:
            if not self.open or self.open[-1] != tag:
                self.errors.append(f"unbalanced </{tag}>")
            else:
                self.open.pop()

    def handle_data(self, data: str) -> None:
        if not self.in_article:
            return
        if self.open and self.open[-1] in TEXT_HOLDERS:
            holder = next(e for e in reversed(self.elements) if e["tag"] == self.open[-1])
            holder["text"] += data
        elif data.strip():
            self.errors.append(f"loose text {data.strip()!r}")


def parse(html: str) -> _Letter:
    letter = _Letter()
    letter.feed(html)
    letter.close()
    return letter


def bodies(html: str) -> list[str]:
    return [e["text"] for e in parse(html).elements if e["tag"] == "p" and e["class"] == "body"]


def render(kind: str, **kwargs: Any) -> str:
    return render_html(kind, sample_context(kind, **kwargs))


# --- every kind, person and organisation ----------------------------------------------------------


def test_every_letter_type_has_its_template():
    for kind, spec in LETTERS.items():
        path = template_dir() / spec.template
        assert path.is_file(), kind
        source = path.read_text(encoding="utf-8")
        assert source.startswith('{% extends "_base.html.j2" %}\n{% import "_parts.html.j2" as parts with context %}')
        # Boilerplate lives in the base only: no seal, no remedy notice in a child template.
        assert "（印章）" not in source and "行政复议" not in source and "行政诉讼" not in source, kind


@pytest.mark.parametrize(("kind", "person"), LETTER_CASES, ids=LETTER_IDS)
def test_letter_has_the_required_parts(kind, person):
    ctx = sample_context(kind, person=person)
    html = render_html(kind, ctx)
    spec = LETTERS[kind]
    assert NUMBER in html
    assert spec.title in html
    assert spec.article in html
    assert LETTER_DATE in html
    assert html.count("（印章）") == 1
    assert ctx["office"]["name"] in html
    assert ctx["office"]["address"] in html and ctx["office"]["phone"] in html
    assert RECEIVED in html and ctx["case"]["request_indirect"] in html
    assert "“请公开" not in html  # the request restated, not quoted with the applicant's verb
    assert f'<p class="agency">{ctx["office"]["name"]}</p>' in html  # the agency heads the title


@pytest.mark.parametrize(("kind", "person"), CASES, ids=IDS)
def test_letter_uses_only_the_word_vocabulary(kind, person):
    html = render(kind, person=person)
    letter = parse(html)
    assert letter.errors == []
    assert letter.open == []
    tags = [(e["tag"], e["class"]) for e in letter.elements]
    assert tags.count(("h1", "title")) == 1
    assert tags.count(("p", "number")) == 1
    assert tags.count(("p", "addressee")) == (0 if kind == "service_receipt" else 1)
    assert tags.count(("p", "seal")) == (0 if LETTERS[kind].form else 1)
    assert ("table", "fee") not in tags or kind == "fee_notice"
    assert (("table", "form") in tags) == LETTERS[kind].form
    for text in bodies(html):
        assert text and text == text.strip() and "\n" not in text, text
        assert text.endswith(("。", "：", "。”")), text
        assert "特此告知" not in text and "特此答复" not in text  # only as the closing formula


@pytest.mark.parametrize(("kind", "person"), CASES, ids=IDS)
def test_letter_leaks_no_template_or_python_artefacts(kind, person):
    html = render(kind, person=person)
    for bad in (
        "None",
        "{{",
        "}}",
        "{%",
        "%}",
        "built-in method",
        "bound method",
        "Undefined",
        "。。",
        "，。",
        "：。",
        "；。",
        "，，",
    ):
        assert bad not in html, bad


@pytest.mark.parametrize("kind", APPLICANT_KINDS)
def test_applicant_letters_open_with_the_recital_and_address_the_applicant(kind):
    for person, you, not_you in ((True, "您", "你单位"), (False, "你单位", "您")):
        ctx = sample_context(kind, person=person)
        html = render_html(kind, ctx)
        assert f'<p class="addressee">{ctx["applicant"]["name"]}：</p>' in html
        first = bodies(html)[0]
        assert first.startswith(
            f"本机关于{RECEIVED}收到{you}提出的政府信息公开申请，{you}申请获取“{ctx['case']['request_indirect']}”"
        )
        # Staff-written sample text may itself say 您; the template's own words must not.
        own = html.replace(ctx["reasons"]["matter"], "")
        assert you in own and not_you not in own


@pytest.mark.parametrize("kind", OTHER_KINDS)
def test_letters_to_others_are_addressed_to_them_and_do_not_identify_the_applicant(kind):
    for person in (True, False):
        ctx = sample_context(kind, person=person)
        html = render_html(kind, ctx)
        section, key = {
            "disclosure_despite_objection": ("objection", "addressee"),
            "assistance_letter": ("assistance", "department"),
        }.get(kind, ("consultation", "addressee"))
        assert f'<p class="addressee">{ctx[section][key]}：</p>' in html
        assert "贵方" not in html  # a third party is addressed by name
        assert ctx["applicant"]["name"] not in html
        assert ctx["applicant"]["contact"] not in html
        assert "您" not in html and "你单位" not in html


# --- remedies (Art. 51; Administrative Reconsideration Law 2023 Art. 23) -------------------------


@pytest.mark.parametrize(("kind", "person"), CASES, ids=IDS)
def test_remedy_notice_only_on_final_letters_with_the_right_variant(kind, person):
    ctx = sample_context(kind, person=person)
    html = render_html(kind, ctx)
    remedy_paragraphs = [t for t in bodies(html) if "行政复议" in t]
    if not LETTERS[kind].final:
        assert "行政复议" not in html and "行政诉讼" not in html
        return
    assert len(remedy_paragraphs) == 1
    remedy = remedy_paragraphs[0]
    assert ctx["remedy"]["body"] in remedy and "六十日内" in remedy
    # one wording of when the periods start, and Art. 23(1)(4) where review comes first
    assert "知道该行政行为" not in remedy and "自收到本" in remedy
    if kind in WITHHOLDING:
        assert "第二十三条第一款第（四）项" in remedy
    if kind == "partly_disclosed":  # two acts: the disclosed part either way, the withheld part review first
        assert "予以公开的部分" in remedy and "六个月内" in remedy and ctx["remedy"]["court"] in remedy
        assert "不予公开的决定不服" in remedy and "应当先申请行政复议" in remedy and "十五日内" in remedy
        assert remedy.index("六个月内") < remedy.index("应当先申请行政复议")
    elif kind in RECONSIDERATION_FIRST:  # withheld, and special_law counted as 不予公开 (issue 12)
        assert "申请行政复议；对行政复议决定不服" in remedy
        assert "应当先申请行政复议" in remedy and "六个月内" not in remedy
    else:
        assert "六个月内" in remedy and ctx["remedy"]["court"] in remedy
        assert "对行政复议决定不服" not in remedy
    assert bodies(html)[-1] == remedy  # after the decision, before the signature


# --- what each letter must say -------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(WITHHOLDING))
def test_withholding_letters_list_every_ground_with_its_article(kind):
    ctx = sample_context(kind)
    html = render_html(kind, ctx)
    assert len(ctx["decision"]["grounds"]) >= 2
    texts = bodies(html)
    for i, g in enumerate(ctx["decision"]["grounds"]):
        # one paragraph per ground: the case's own facts, then the provision quoted
        para = next(t for t in texts if t.startswith("（" + "一二三"[i] + "）"))
        assert g["facts"] in para and f"《条例》{g['provision_article']}规定：“{g['provision']}。”" in para
        assert g["label"] not in para  # never the statistics label
    assert "商业秘密，投标人书面表示不同意公开" in html  # the handler's facts for this case
    assert ctx["decision"]["reason"] in html
    assert "三安全一稳定" not in html
    # 《条例》 is defined before it is used on its own.
    assert html.index("（以下简称《条例》）") < html.index("《条例》第")


def test_fee_notice_shows_basis_breakdown_total_and_payment():
    ctx = sample_context("fee_notice")
    html = render_html("fee_notice", ctx)
    assert "国办函〔2020〕109号" in html and "第四十二条" in html
    assert ctx["fee"]["method_label"] in html and "180页" in html
    assert "2,300元" in html
    cells = [e["text"] for e in parse(html).elements if e["tag"] in ("td", "th")]
    assert ["第1页至第30页", "不收费", "30页", "0元"] == cells[4:8]
    assert ["第31页至第100页", "10元/页", "70页", "700元"] == cells[8:12]
    assert ["第101页至第180页", "20元/页", "80页", "1,600元"] == cells[12:16]
    assert cells[-3:] == ["—", "180页", "2,300元"]  # the total counts every page, the free ones too
    assert ctx["office"]["payment_instructions"] in html
    assert "20个工作日" in html and ctx["fee"]["due"] in html
    assert "不计算在《条例》第三十三条规定的答复期限内" in html
    assert "视为放弃申请" in html


def test_fee_notice_per_count():
    ctx = sample_context("fee_notice", person=False)
    ctx["fee"] = {
        "method": "per_count",
        "method_label": "按件计收",
        "quantity": 35,
        "amount": 200,
        "lines": [{"start": 35, "end": 35, "rate": 200, "units": 1, "amount": 200}],
        "due": "2026年12月21日",
        "sent_on": None,
    }
    html = render_html("fee_notice", ctx)
    assert "按件计收" in html and "第35件政府信息公开申请" in html
    cells = [e["text"] for e in parse(html).elements if e["tag"] == "td"]
    assert cells[:4] == ["第35件", "200元/件", "1件", "200元"]
    assert "页" not in "".join(cells)


# The content each letter must carry (spec §4, §8), as the sample context fills it.
REQUIRED_PHRASES: dict[str, list[str]] = {
    "acknowledgement": ["互联网渠道", "依申〔2026〕7号", "20个工作日", "2026年11月23日", "第三十三条"],
    "correction_notice": [
        "请写明所需信息的名称",
        "自收到本告知书之日起15个工作日内（即2026年11月16日前）",
        "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请",
        "答复期限自本机关收到补正的申请之日起计算",
    ],
    "extension_notice": ["延长20个工作日", "需调取档案逐件审查", "2026年12月21日", "政府信息公开工作机构负责人同意"],
    "third_party_consultation": [
        "请某建设工程有限公司自收到本意见书之日起15个工作日内（即2026年11月16日前）",
        "项目投标文件",
        "由本机关依照《条例》的规定决定是否公开",
        "所附回执",
    ],
    "agency_consultation": ["共同制作", "自收到本函之日起15个工作日内", "逾期未提出意见的，视为同意公开", "特此函商"],
    "disclosure_despite_objection": [
        "公共利益造成重大影响",
        "该项目涉及周边居民环境安全",
        "决定予以公开",
        "涉及商业秘密",
        "第十五条",
    ],
    "fee_notice": ["信息处理费", "2,300元", "20个工作日", "2026年12月21日", "视为放弃申请", "特此通知"],
    "termination_no_correction": ["2026年11月16日", "视为放弃申请", "不再处理"],
    "termination_fee_unpaid": ["2026年12月21日", "2,300元", "视为放弃申请", "不再处理"],
    "reasons_request": ["45件", "自收到本告知书之日起10个工作日内（即2026年12月7日前）", "说明申请理由", "不予处理"],
    "later_date_notice": ["说明的申请理由合理", "2027年1月29日", "逐件调取档案", "第三十五条"],
    "consultation_notice": ["第三十二条", "不计算在答复期限内", "依法作出答复"],
    "assistance_letter": ["本机关财务科", "2026年11月3日前（5个工作日内）", "计入", "特此函告"],
    "third_party_reply_slip": ["□同意公开", "□不同意公开", "某建设工程有限公司", "回执"],
    "service_receipt": [
        "受送达人",
        "邮政特快专递（EMS）",
        "2026年11月24日",
        "EMS运单号1234567890123",
        "示政办公开答〔2026〕12号",
    ],
    "already_public": [
        "已经主动公开",
        "示例市2025年部门决算",
        "11000000-0000/2026-00012",
        "www.example.gov.cn/xxgk/2026/12.html",
    ],
    "disclosed": ["予以公开", "www.example.gov.cn/xxgk", "特此答复"],
    "partly_disclosed": ["区分处理", "www.example.gov.cn/xxgk", "不予公开", "《条例》第十五条规定：“"],
    "withheld": ["不予公开", "第三十六条第（三）项", "《条例》第十六条第二款规定：“"],
    "not_held": ["不存在"],
    "not_this_agency": [
        "不属于本机关负责公开",
        "该政府信息由示例市财政局制作并负责公开",
        "请您向该机关咨询",
        "0000-87654321",
    ],
    "repeat_request": ["重复申请", "不予重复处理"],
    "special_law": ["工商、不动产登记资料", "依照有关法律、行政法规的规定办理"],
    "needs_compilation": ["加工、分析", "不予提供"],
    "petition": ["信访、投诉、举报", "不作为政府信息公开申请处理", "www.example.gov.cn/xxgk"],
    "publication": ["公开出版物", "www.example.gov.cn/xxgk"],
    "still_unclear": ["补正后的申请内容仍不明确", "无法向您提供", "2026年10月27日"],
    "unreasonable_volume": ["2026年12月7日", "不予处理", "说明的申请理由不合理"],
    "confirm_or_reissue": [
        "确认或者重新出具",
        "不予处理",
        "根据《中华人民共和国政府信息公开条例》第二条、第二十七条的规定",
    ],
}


@pytest.mark.parametrize("kind", sorted(REQUIRED_PHRASES))
def test_letter_says_what_the_law_requires(kind):
    html = render(kind)
    for phrase in REQUIRED_PHRASES[kind]:
        assert phrase in html, phrase


def test_every_kind_has_a_content_check():
    assert set(REQUIRED_PHRASES) == set(KINDS)


def test_answers_cite_their_article_as_the_basis():
    answers = [k for k in KINDS if LETTERS[k].title == "政府信息公开申请答复书"]
    assert len(answers) == 14
    for kind in answers:
        html = render(kind)
        article = LETTERS[kind].article
        assert f"{article}的规定" in html, kind
        assert "《中华人民共和国政府信息公开条例》" in html
        assert html.index("《中华人民共和国政府信息公开条例》") < html.index(article), kind


def test_disclosed_without_access_says_the_information_is_attached():
    ctx = sample_context("disclosed")
    ctx["decision"]["access"] = None
    html = render_html("disclosed", ctx)
    assert "以纸质形式向您提供该政府信息，见附件" in html and "None" not in html
    assert '<p class="attachment">附件：' in html


def test_not_this_agency_without_known_agency_names_none():
    ctx = sample_context("not_this_agency")
    ctx["decision"]["responsible_agency"] = None
    html = render_html("not_this_agency", ctx)
    assert "不属于本机关负责公开" in html and ctx["decision"]["reason"] in html
    assert "咨询" not in html and "None" not in html


def test_staff_text_ending_in_punctuation_gets_one_full_stop():
    ctx = sample_context("withheld")
    ctx["decision"]["reason"] = "该信息涉及个人隐私。"
    html = render_html("withheld", ctx)
    assert "该信息涉及个人隐私。" in html and "。。" not in html


# --- real contexts carry None for what is not (yet) known ----------------------------------------

# Leaves kept when their section exists; every other leaf not named in `requires` becomes None.
KEEP = {
    "case": {"request", "request_indirect", "received_on", "channel_label"},
    "decision": {"outcome", "label", "article", "override_objection"},
    # reply dates stay None: a period that binds the addressee counts from receipt (issue 12)
    "consultation": {"addressee", "party", "party_label", "reply_days"},
    "correction": {"period_days"},
    "reasons": {"matter", "reply_days"},
    "fee": {"method", "method_label", "quantity"},
}
ALWAYS = {"office", "letter", "applicant", "case", "remedy", "simulation", "attachments"}


def sparse_context(kind: str, person: bool) -> dict[str, Any]:
    full = sample_context(kind, person=person)
    spec = LETTERS[kind]
    needed = {path.split(".")[0] for path in spec.requires} | ALWAYS
    if spec.title == "政府信息公开申请答复书":
        needed.add("decision")
    ctx: dict[str, Any] = {}
    for section, values in full.items():
        if section not in needed or values is None:
            ctx[section] = None
        elif section in KEEP:
            ctx[section] = {
                k: v if k in KEEP[section] or f"{section}.{k}" in spec.requires else None
                for k, v in copy.deepcopy(values).items()
            }
        else:
            ctx[section] = copy.deepcopy(values)
    return ctx


@pytest.mark.parametrize(("kind", "person"), CASES, ids=IDS)
def test_letter_renders_with_only_what_it_requires(kind, person):
    html = render_html(kind, sparse_context(kind, person))
    assert "None" not in html and "{{" not in html
    assert parse(html).errors == []
    assert LETTERS[kind].title in html and ("（印章）" in html or LETTERS[kind].form)
    for text in bodies(html):
        assert text.endswith(("。", "：", "。”")), text


# --- safety and drafts ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_applicant_text_is_data_never_template_or_markup(kind):
    ctx = sample_context(kind)
    ctx["case"]["request"] = "{{ 7*7 }}<script>alert(1)</script>"
    ctx["case"]["request_indirect"] = indirect(ctx["case"]["request"])
    ctx["service"]["addressee"] = ctx["case"]["request"]  # the one form that does not restate the request
    html = render_html(kind, ctx)
    assert "{{ 7*7 }}" in html
    assert "49" not in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert parse(html).errors == []


@pytest.mark.parametrize("kind", KINDS)
def test_unnumbered_letter_is_marked_as_draft(kind):
    html = render_html(kind, sample_context(kind, number=None))
    tags = [(e["tag"], e["class"]) for e in parse(html).elements]
    assert ("p", "draft") in tags and ("p", "number") not in tags
    assert "草稿" in html and NUMBER not in html and "号</p>" not in html


@pytest.mark.parametrize("kind", KINDS)
def test_numbered_letter_is_not_a_draft(kind):
    html = render(kind)
    assert "草稿" not in html and 'class="draft"' not in html
