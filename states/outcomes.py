"""Answer outcomes (Art. 36–39), grounds for withholding (Art. 14–16) and review conclusions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    ALREADY_PUBLIC = "already_public"
    DISCLOSED = "disclosed"
    PARTLY_DISCLOSED = "partly_disclosed"
    WITHHELD = "withheld"
    NOT_HELD = "not_held"
    NOT_THIS_AGENCY = "not_this_agency"
    REPEAT_REQUEST = "repeat_request"
    SPECIAL_LAW = "special_law"
    NEEDS_COMPILATION = "needs_compilation"
    PETITION = "petition"
    PUBLICATION = "publication"
    STILL_UNCLEAR = "still_unclear"
    UNREASONABLE_VOLUME = "unreasonable_volume"
    CONFIRM_OR_REISSUE = "confirm_or_reissue"


class Ground(StrEnum):
    STATE_SECRET = "state_secret"
    FORBIDDEN_BY_LAW = "forbidden_by_law"
    SECURITY_STABILITY = "security_stability"
    THIRD_PARTY_RIGHTS = "third_party_rights"
    INTERNAL_AFFAIRS = "internal_affairs"
    PROCESS_INFORMATION = "process_information"
    ENFORCEMENT_FILES = "enforcement_files"
    ADMINISTRATIVE_ENQUIRY = "administrative_enquiry"


class ReviewConclusion(StrEnum):
    """Conclusions of the confidentiality review (保密审查)."""

    CLEAR = "clear"
    STATE_SECRET = "state_secret"
    THIRD_PARTY = "third_party"
    PERSONAL_DATA = "personal_data"


class RemedyRoute(StrEnum):
    """Which remedy notice a final answer carries (Art. 51)."""

    RECONSIDERATION_FIRST = "reconsideration_first"  # ARL 2023 Art. 23(1)(4): 不予公开
    PARTIAL = "partial"  # the disclosed part either way, the withheld part reconsideration first
    EITHER = "either"  # reconsideration within 60 days or a lawsuit within 6 months


@dataclass(frozen=True, slots=True)
class OutcomeSpec:
    label: str
    article: str  # the article and item the answer rests on (the default, where a setting may replace it)
    needs_ground: bool = False
    discloses: bool = False
    # The annual report's 不予公开 row an answer without grounds is counted in (30号 format).
    counted_as: Ground | None = None
    # An office setting that holds the legal basis instead of `article` (workflow/office/settings.py).
    basis_setting: str | None = None

    @property
    def remedy(self) -> RemedyRoute:
        """One rule for the remedy notice and the report row: whatever the annual report counts as
        不予公开 is 不予公开 for ARL 2023 Art. 23(1)(4), so reconsideration comes first."""
        if self.discloses and self.needs_ground:
            return RemedyRoute.PARTIAL
        if self.needs_ground or self.counted_as is not None:
            return RemedyRoute.RECONSIDERATION_FIRST
        return RemedyRoute.EITHER


# No article of the Regulations names a request to confirm or re-issue information already obtained:
# 30号 counts it as 不予处理 row 5 without citing one, and Art. 39 (petitions, publications) does not
# cover it and must not be cited. The default basis: Art. 2 defines government information as
# information made or obtained and recorded, and Art. 27 gives a right to apply to *obtain* it; a
# request that the office confirm or issue anew what the applicant already holds asks for neither.
# The office may choose another (setting confirm_or_reissue_basis).
CONFIRM_OR_REISSUE_DEFAULT_BASIS = "第二条、第二十七条"


OUTCOMES: dict[Outcome, OutcomeSpec] = {
    Outcome.ALREADY_PUBLIC: OutcomeSpec("已主动公开", "第三十六条第（一）项"),
    Outcome.DISCLOSED: OutcomeSpec("予以公开", "第三十六条第（二）项", discloses=True),
    Outcome.PARTLY_DISCLOSED: OutcomeSpec("部分公开", "第三十七条", needs_ground=True, discloses=True),
    Outcome.WITHHELD: OutcomeSpec("不予公开", "第三十六条第（三）项", needs_ground=True),
    Outcome.NOT_HELD: OutcomeSpec("信息不存在", "第三十六条第（四）项"),
    Outcome.NOT_THIS_AGENCY: OutcomeSpec("非本机关负责公开", "第三十六条第（五）项"),
    Outcome.REPEAT_REQUEST: OutcomeSpec("重复申请", "第三十六条第（六）项"),
    # Art. 36(7) registries (工商、不动产登记资料 …): the 30号 format counts these answers under 不予公开,
    # 8.属于行政查询事项 (law-reference §3: row 8 → Art. 36(7)); the applicant does not get the
    # information under the Regulations, so the answer is a 不予公开 for ARL 2023 Art. 23(1)(4) and
    # its letter gives the reconsideration-first notice. Telling the applicant they may sue directly
    # would risk a suit dismissed for skipping compulsory reconsideration; following the
    # reconsideration-first notice never loses a remedy.
    Outcome.SPECIAL_LAW: OutcomeSpec(
        "适用专门法律法规", "第三十六条第（七）项", counted_as=Ground.ADMINISTRATIVE_ENQUIRY
    ),
    Outcome.NEEDS_COMPILATION: OutcomeSpec("需另行制作", "第三十八条"),
    Outcome.PETITION: OutcomeSpec("信访举报投诉类申请", "第三十九条第一款"),
    Outcome.PUBLICATION: OutcomeSpec("要求提供公开出版物", "第三十九条第二款"),
    Outcome.STILL_UNCLEAR: OutcomeSpec("补正后申请内容仍不明确", "第三十条"),
    Outcome.UNREASONABLE_VOLUME: OutcomeSpec("无正当理由大量反复申请", "第三十五条"),
    Outcome.CONFIRM_OR_REISSUE: OutcomeSpec(
        "要求确认或重新出具已获取信息", CONFIRM_OR_REISSUE_DEFAULT_BASIS, basis_setting="confirm_or_reissue_basis"
    ),
}

DISCLOSING_OUTCOMES = frozenset(o for o, spec in OUTCOMES.items() if spec.discloses)

GROUNDS: dict[Ground, tuple[str, str]] = {
    Ground.STATE_SECRET: ("属于国家秘密", "第十四条"),
    Ground.FORBIDDEN_BY_LAW: ("其他法律行政法规禁止公开", "第十四条"),
    Ground.SECURITY_STABILITY: ("危及“三安全一稳定”", "第十四条"),
    Ground.THIRD_PARTY_RIGHTS: ("保护第三方合法权益", "第十五条"),
    Ground.INTERNAL_AFFAIRS: ("属于三类内部事务信息", "第十六条第一款"),
    Ground.PROCESS_INFORMATION: ("属于四类过程性信息", "第十六条第二款"),
    Ground.ENFORCEMENT_FILES: ("属于行政执法案卷", "第十六条第二款"),
    Ground.ADMINISTRATIVE_ENQUIRY: ("属于行政查询事项", "第三十六条第（七）项"),
}

REVIEW_CONCLUSION_LABELS: dict[ReviewConclusion, str] = {
    ReviewConclusion.CLEAR: "未发现涉密或敏感内容",
    ReviewConclusion.STATE_SECRET: "涉及国家秘密",
    ReviewConclusion.THIRD_PARTY: "涉及第三方合法权益",
    ReviewConclusion.PERSONAL_DATA: "含个人信息，需去标识化处理",
}
