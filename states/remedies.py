"""Administrative reconsideration and litigation about a disclosure case, as data (annual report
Table 4; 国办公开办函〔2021〕30号 section 4).

An applicant who disagrees with an answer (or with a failure to answer) may apply for administrative
reconsideration (行政复议, ARL 2023 Art. 11(14), 20) or sue (行政诉讼, ALL Art. 46), directly or after
reconsideration (ALL Art. 45); for a refusal to disclose, reconsideration comes first (ARL Art. 23).
The office records each filing and its decision on the case. These records are facts about the
case's afterlife: they never change the case's state.

Pure: imports only the standard library and `states`.
"""

from __future__ import annotations

from enum import StrEnum

from states.lifecycle import Role

REMEDY_ACTION = "record_remedy"  # the audit event's action


class RemedyKind(StrEnum):
    RECONSIDERATION = "reconsideration"
    LAWSUIT_DIRECT = "lawsuit_direct"
    LAWSUIT_AFTER_RECONSIDERATION = "lawsuit_after_reconsideration"


class RemedyEvent(StrEnum):
    FILED = "filed"
    DECIDED = "decided"


class RemedyResult(StrEnum):
    UPHELD = "upheld"
    CORRECTED = "corrected"
    OTHER = "other"


PENDING = "pending"  # not recorded: a filing without a decision as of the report's cut-off

KIND_LABELS: dict[RemedyKind, str] = {
    RemedyKind.RECONSIDERATION: "行政复议",
    RemedyKind.LAWSUIT_DIRECT: "行政诉讼（未经复议直接起诉）",
    RemedyKind.LAWSUIT_AFTER_RECONSIDERATION: "行政诉讼（复议后起诉）",
}

EVENT_LABELS: dict[RemedyEvent, str] = {
    RemedyEvent.FILED: "申请复议或起诉",
    RemedyEvent.DECIDED: "复议决定或裁判结果",
}

# Table 4's result columns, in the official order; PENDING is 尚未审结.
RESULT_LABELS: dict[str, str] = {
    RemedyResult.UPHELD.value: "结果维持",
    RemedyResult.CORRECTED.value: "结果纠正",
    RemedyResult.OTHER.value: "其他结果",
    PENDING: "尚未审结",
}

# Who records a remedy: the handler, who receives the reconsideration body's or the court's papers
# on the case and prepares the office's reply and defence (ARL Art. 48, ALL Art. 67), and the admin
# (the office's legal affairs or records staff, and corrections). Registrars, reviewers and approvers
# have no part in the proceedings; auditors only read; `system` never learns of a filing.
REMEDY_ROLES: frozenset[Role] = frozenset({Role.HANDLER, Role.ADMIN})
REMEDY_ROLE_ORDER: tuple[Role, ...] = (Role.HANDLER, Role.ADMIN)  # the role recorded when a user has both

# A lawsuit after reconsideration (ALL Art. 45) presupposes a reconsideration on the case.
PREREQUISITES: dict[RemedyKind, RemedyKind] = {
    RemedyKind.LAWSUIT_AFTER_RECONSIDERATION: RemedyKind.RECONSIDERATION,
}
