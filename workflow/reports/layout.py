"""The national annual report format (国办公开办函〔2021〕30号) as data: Table 3's applicant
columns and rows, which Table 3 row each handling result goes to, and Table 4's columns.

Row labels follow the official format as reconstructed in law-reference.md §3 (the official PDF was
not read); each result of a case maps to exactly one row, so every case is counted once.
"""

from __future__ import annotations

from dataclasses import dataclass

from states import OUTCOMES, Ground, Outcome
from states.remedies import KIND_LABELS, PENDING, RESULT_LABELS, RemedyKind, RemedyResult
from workflow.cases.applicants import KIND_LABELS as APPLICANT_LABELS
from workflow.cases.applicants import ApplicantKind

TOTAL = "total"

# 申请人情况: 自然人 | 法人或其他组织（商业企业 科研机构 社会公益组织 法律服务机构 其他）| 总计
APPLICANT_COLUMNS: tuple[str, ...] = tuple(k.value for k in ApplicantKind)
COLUMNS: tuple[str, ...] = (*APPLICANT_COLUMNS, TOTAL)
COLUMN_LABELS: dict[str, str] = {**{k.value: v for k, v in APPLICANT_LABELS.items()}, TOTAL: "总计"}
ORGANISATION_HEADER = "法人或其他组织"


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    label: str  # as printed in the official table, numbering included
    group: str = ""  # the heading of a numbered sub-row's group, e.g. （三）不予公开
    data: bool = True  # False: a heading row without numbers

    @property
    def full_label(self) -> str:
        """The label with its group, to name a cell unambiguously: （三）不予公开 1.属于国家秘密."""
        return f"{self.group} {self.label}" if self.group else self.label


NEW, CARRIED_OVER, HANDLED_TOTAL, CARRIED_FORWARD = "new", "carried_over", "handled_total", "carried_forward"
WITHHELD = "（三）不予公开"
UNAVAILABLE = "（四）无法提供"
NOT_PROCESSED = "（五）不予处理"
OTHER = "（六）其他处理"


def _w(ground: Ground, label: str) -> Row:
    return Row(f"withheld.{ground.value}", label, WITHHELD)


TABLE3_ROWS: tuple[Row, ...] = (
    Row(NEW, "一、本年新收政府信息公开申请数量"),
    Row(CARRIED_OVER, "二、上年结转政府信息公开申请数量"),
    Row("results", "三、本年度办理结果", data=False),
    Row("disclosed", "（一）予以公开"),
    Row("partly_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    Row("withheld", WITHHELD, data=False),
    _w(Ground.STATE_SECRET, "1.属于国家秘密"),
    _w(Ground.FORBIDDEN_BY_LAW, "2.其他法律行政法规禁止公开"),
    _w(Ground.SECURITY_STABILITY, "3.危及“三安全一稳定”"),
    _w(Ground.THIRD_PARTY_RIGHTS, "4.保护第三方合法权益"),
    _w(Ground.INTERNAL_AFFAIRS, "5.属于三类内部事务信息"),
    _w(Ground.PROCESS_INFORMATION, "6.属于四类过程性信息"),
    _w(Ground.ENFORCEMENT_FILES, "7.属于行政执法案卷"),
    _w(Ground.ADMINISTRATIVE_ENQUIRY, "8.属于行政查询事项"),
    Row("unavailable", UNAVAILABLE, data=False),
    Row("unavailable.not_held", "1.本机关不掌握相关政府信息", UNAVAILABLE),
    Row("unavailable.needs_compilation", "2.没有现成信息需要另行制作", UNAVAILABLE),
    Row("unavailable.still_unclear", "3.补正后申请内容仍不明确", UNAVAILABLE),
    Row("not_processed", NOT_PROCESSED, data=False),
    Row("not_processed.petition", "1.信访举报投诉类申请", NOT_PROCESSED),
    Row("not_processed.repeat_request", "2.重复申请", NOT_PROCESSED),
    Row("not_processed.publication", "3.要求提供公开出版物", NOT_PROCESSED),
    Row("not_processed.unreasonable_volume", "4.无正当理由大量反复申请", NOT_PROCESSED),
    Row("not_processed.confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息", NOT_PROCESSED),
    Row("other", OTHER, data=False),
    Row("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", OTHER),
    Row("other.unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", OTHER),
    Row("other.other", "3.其他", OTHER),
    Row(HANDLED_TOTAL, "（七）总计"),
    Row(CARRIED_FORWARD, "四、结转下年度继续办理"),
)
ROWS_BY_KEY: dict[str, Row] = {r.key: r for r in TABLE3_ROWS}
DATA_ROWS: tuple[str, ...] = tuple(r.key for r in TABLE3_ROWS if r.data)
# The rows of section 三 that each hold one handling result: （七）总计 is their sum.
RESULT_ROWS: tuple[str, ...] = tuple(
    k for k in DATA_ROWS if k not in (NEW, CARRIED_OVER, HANDLED_TOTAL, CARRIED_FORWARD)
)

# A withheld answer may rest on several grounds; the case is counted once, in the row of its first
# ground in this order: the order of the official rows (Art. 14 absolute bars before Art. 15
# third-party rights before the Art. 16 discretionary categories), i.e. the weightiest ground.
GROUND_PRIORITY: tuple[Ground, ...] = (
    Ground.STATE_SECRET,
    Ground.FORBIDDEN_BY_LAW,
    Ground.SECURITY_STABILITY,
    Ground.THIRD_PARTY_RIGHTS,
    Ground.INTERNAL_AFFAIRS,
    Ground.PROCESS_INFORMATION,
    Ground.ENFORCEMENT_FILES,
    Ground.ADMINISTRATIVE_ENQUIRY,
)

OUTCOME_ROWS: dict[Outcome, str] = {
    Outcome.ALREADY_PUBLIC: "disclosed",  # Art. 36(1): counted as disclosed (law-reference §3: UNCONFIRMED)
    Outcome.DISCLOSED: "disclosed",
    Outcome.PARTLY_DISCLOSED: "partly_disclosed",  # only here, never also under its withheld grounds
    Outcome.NOT_HELD: "unavailable.not_held",
    Outcome.NOT_THIS_AGENCY: "unavailable.not_held",
    Outcome.NEEDS_COMPILATION: "unavailable.needs_compilation",
    Outcome.STILL_UNCLEAR: "unavailable.still_unclear",
    Outcome.PETITION: "not_processed.petition",
    Outcome.REPEAT_REQUEST: "not_processed.repeat_request",
    Outcome.PUBLICATION: "not_processed.publication",
    Outcome.UNREASONABLE_VOLUME: "not_processed.unreasonable_volume",
    Outcome.CONFIRM_OR_REISSUE: "not_processed.confirm_or_reissue",
    # Answers the rulebook counts as 不予公开 without grounds (Art. 36(7) special laws → 8.属于行政查询
    # 事项): the same entry gives their letters the reconsideration-first notice (states/outcomes.py).
    **{o: f"withheld.{spec.counted_as.value}" for o, spec in OUTCOMES.items() if spec.counted_as is not None},
}

# Handling without an answer letter: the three rows of （六）其他处理.
ENDING_ROWS: dict[str, str] = {
    "lapse_correction": "other.no_correction",
    "lapse_fee": "other.unpaid",
    "withdraw": "other.other",
}
HANDLING_ACTIONS: frozenset[str] = frozenset({"approve", *ENDING_ROWS})
FALLBACK_ROW = "other.other"


def result_row(outcome: str | None, grounds: list[str] | tuple[str, ...] = ()) -> str | None:
    """The Table 3 row of an approved answer; None if the outcome cannot be placed."""
    if outcome == Outcome.WITHHELD.value:
        for ground in GROUND_PRIORITY:
            if ground.value in grounds:
                return f"withheld.{ground.value}"
        return None
    try:
        return OUTCOME_ROWS[Outcome(str(outcome))]
    except ValueError:
        return None


# Table 4: 行政复议 | 行政诉讼（未经复议直接起诉 | 复议后起诉）, each by result.
TABLE4_GROUPS: tuple[str, ...] = tuple(k.value for k in RemedyKind)
TABLE4_GROUP_LABELS: dict[str, str] = {k.value: v for k, v in KIND_LABELS.items()}
TABLE4_RESULTS: tuple[str, ...] = (*(r.value for r in RemedyResult), PENDING, TOTAL)
TABLE4_RESULT_LABELS: dict[str, str] = {**RESULT_LABELS, TOTAL: "总计"}
LITIGATION_HEADER = "行政诉讼"
TABLE4_SHORT_LABELS: dict[str, str] = {
    RemedyKind.RECONSIDERATION.value: "行政复议",
    RemedyKind.LAWSUIT_DIRECT.value: "未经复议直接起诉",
    RemedyKind.LAWSUIT_AFTER_RECONSIDERATION.value: "复议后起诉",
}

TABLE3_TITLE = "三、收到和处理政府信息公开申请情况"
TABLE4_TITLE = "四、政府信息公开行政复议、行政诉讼情况"
RECONCILIATION_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
