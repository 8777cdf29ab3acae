"""The deadlines of a case as the law names them, and the one rule every list, reminder and the
escalation ladder share: which deadlines oblige someone (逾期 once passed) and which only close
an option.

The 7 working days to ask once for a correction (Art. 30) are an option of the office: once they
pass the office may no longer ask, but nobody has failed a duty and nothing is overdue. Every other
deadline here obliges someone to act by its date.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DeadlineKind:
    label: str  # the deadline's name, as the console, reminders and the digest show it
    obligation: bool  # False: its passing closes an option and is information, never 逾期
    actor: str  # who must act by the date, in the words a handler uses
    waits_for: str  # what the case waits for until then
    article: str  # the rule that sets the period


# Keyed by the clock's field names (workflow.clock.deadlines.Deadlines); "assist_due" is an open consultation
# of a department inside the office (协办), which does not pause the answer period.
DEADLINE_KINDS: dict[str, DeadlineKind] = {
    "answer_due": DeadlineKind("答复期限", True, "承办人", "作出答复并经审批后送达", "条例第三十三条"),
    "correction_notice_due": DeadlineKind(
        "补正告知期限", False, "承办人", "如需补正，一次性告知申请人", "条例第三十条"
    ),
    "correction_reply_due": DeadlineKind("补正期限", True, "申请人", "申请人补正申请", "条例第三十条"),
    "consultation_due": DeadlineKind(
        "征求意见答复期限", True, "被征求意见的第三方或机关", "对方答复意见", "条例第三十二条、第三十四条"
    ),
    "assist_due": DeadlineKind("协办期限", True, "协办部门", "协办部门答复意见", "本机关协办规定"),
    "fee_due": DeadlineKind("缴费期限", True, "申请人", "申请人缴纳信息处理费", "国办函〔2020〕109号"),
    "registration_due": DeadlineKind("登记期限", True, "登记员", "登记或确认收到申请", "条例第三十一条"),
    "delivery_due": DeadlineKind(
        "送达确认期限", True, "承办人", "登记文书送达或改用其他方式送达", "送达确认后方起算对方期限"
    ),
    "reasons_due": DeadlineKind("说明理由期限", True, "申请人", "申请人说明理由", "条例第三十五条"),
}

OBLIGATIONS = frozenset(k for k, v in DEADLINE_KINDS.items() if v.obligation)


def is_obligation(kind: str) -> bool:
    """Whether a deadline obliges someone (so its passing is 逾期), or only closes an option."""
    return kind in OBLIGATIONS


def deadline_label(kind: str) -> str:
    """The deadline's Chinese name; an unknown kind is shown as a deadline, never as its key."""
    found = DEADLINE_KINDS.get(kind)
    return found.label if found else "期限"


@dataclass(frozen=True, slots=True)
class Step:
    waits_for: str  # what the case waits for in this state
    actor: str  # who takes that step
    article: str = ""


# What each state waits for and who moves it on (the 下一步 of the case page).
NEXT_STEP: dict[str, Step] = {
    "received": Step("登记申请（非当面、非挂号提交的，先与申请人确认收到）", "登记员", "条例第三十一条"),
    "registered": Step("开始审查；申请内容不明确的，一次性告知补正", "承办人", "条例第三十条"),
    "awaiting_correction": Step("申请人补正申请", "申请人", "条例第三十条"),
    "under_review": Step("审查并作出答复决定，或征求意见、收费、要求说明理由", "承办人", "条例第三十二条至第三十八条"),
    "consulting": Step("被征求意见方答复", "被征求意见方", "条例第三十二条、第三十四条"),
    "awaiting_fee": Step("申请人缴纳信息处理费", "申请人", "国办函〔2020〕109号"),
    "drafting": Step("拟写答复并提交审批", "承办人", "条例第三十六条至第三十九条"),
    "awaiting_approval": Step("审批答复", "审批人"),
    "answered": Step("送达答复书并归档", "承办人"),
    "closed": Step("已办结，无需再办理", "—"),
    "withdrawn": Step("申请人已撤回，无需再办理", "—"),
    "deemed_abandoned": Step("逾期未补正，视为放弃申请", "—", "条例第三十条"),
    "abandoned_unpaid": Step("逾期未缴费，视为放弃申请", "—", "国办函〔2020〕109号"),
}
