"""Every letter type the office issues, as data: its title, template, number series, addressee,
whether it is final (and so carries the remedy notice), and what it cannot be issued without.

`kind` is the letter type code, or for answer letters the outcome code of spec §4.
"""

from __future__ import annotations

from dataclasses import dataclass

from states.outcomes import OUTCOMES, Outcome


@dataclass(frozen=True, slots=True)
class LetterSpec:
    kind: str
    title: str
    template: str
    series: str  # number series within the office and year, e.g. 答 → 示政公开答〔2026〕12号
    addressee: str  # applicant | third_party | agency | department (an internal 协办 department)
    final: bool  # a final decision: states the remedies (Art. 51)
    article: str
    requires: tuple[str, ...] = ()  # context paths that must be present, e.g. "decision.access"
    closing: str = "特此告知。"  # the closing formula of a letter (特此答复 for answers)
    form: bool = False  # a form to fill in and return (送达回证, reply slip), not a letter


PROCEDURAL: dict[str, LetterSpec] = {
    s.kind: s
    for s in (
        LetterSpec(
            "acknowledgement",
            "政府信息公开申请登记回执",
            "acknowledgement.html.j2",
            "登",
            "applicant",
            False,
            "第三十一条",
            ("case.received_on",),
        ),
        LetterSpec(
            "correction_notice",
            "政府信息公开申请补正告知书",
            "correction_notice.html.j2",
            "补",
            "applicant",
            False,
            "第三十条",
            ("correction.items", "correction.period_days"),
        ),
        LetterSpec(
            "extension_notice",
            "政府信息公开申请延期答复告知书",
            "extension_notice.html.j2",
            "延",
            "applicant",
            False,
            "第三十三条第二款",
            ("extension.days", "extension.reason", "extension.new_due"),
        ),
        LetterSpec(
            "third_party_consultation",
            "政府信息公开征求第三方意见书",
            "third_party_consultation.html.j2",
            "征",
            "third_party",
            False,
            "第三十二条",
            ("consultation.addressee", "consultation.reply_days"),
        ),
        LetterSpec(
            "agency_consultation",
            "政府信息公开征求意见函",
            "agency_consultation.html.j2",
            "征",
            "agency",
            False,
            "第三十四条",
            ("consultation.addressee", "consultation.reply_days"),
            "特此函商，请予函复。",
        ),
        LetterSpec(
            "disclosure_despite_objection",
            "政府信息公开决定告知书",
            "disclosure_despite_objection.html.j2",
            "告",
            "third_party",
            True,
            "第三十二条",
            ("objection.addressee", "decision.override_reason"),
        ),
        LetterSpec(
            "fee_notice",
            "政府信息公开信息处理费收费通知书",
            "fee_notice.html.j2",
            "费",
            "applicant",
            False,
            "国办函〔2020〕109号",
            ("fee.amount", "fee.lines", "office.payment_instructions"),
            "特此通知。",
        ),
        LetterSpec(
            "termination_no_correction",
            "政府信息公开申请不再处理告知书",
            "termination_no_correction.html.j2",
            "终",
            "applicant",
            True,
            "第三十条",
            ("correction.due",),
        ),
        LetterSpec(
            "termination_fee_unpaid",
            "政府信息公开申请不再处理告知书",
            "termination_fee_unpaid.html.j2",
            "终",
            "applicant",
            True,
            "国办函〔2020〕109号",
            ("fee.due",),
        ),
        LetterSpec(
            "reasons_request",
            "政府信息公开申请说明理由告知书",
            "reasons_request.html.j2",
            "说",
            "applicant",
            False,
            "第三十五条",
            ("reasons.matter", "reasons.reply_days"),
        ),
        LetterSpec(
            "later_date_notice",
            "政府信息公开申请延迟答复告知书",
            "later_date_notice.html.j2",
            "延",
            "applicant",
            False,
            "第三十五条",
            ("later_date.answer_due", "later_date.reason"),
        ),
        LetterSpec(
            "consultation_notice",
            "政府信息公开申请征求意见告知书",
            "consultation_notice.html.j2",
            "告",
            "applicant",
            False,
            "第三十三条第三款",
            ("consultation.party_label",),
        ),
        LetterSpec(
            "assistance_letter",
            "政府信息公开协办函",
            "assistance_letter.html.j2",
            "协",
            "department",
            False,
            "第三十三条",
            ("assistance.department", "assistance.reply_days"),
            "特此函告。",
        ),
        LetterSpec(
            "third_party_reply_slip",
            "征求第三方意见回执",
            "third_party_reply_slip.html.j2",
            "回",
            "third_party",
            False,
            "第三十二条",
            ("consultation.addressee",),
            "",
            form=True,
        ),
        LetterSpec(
            "service_receipt",
            "送达回证",
            "service_receipt.html.j2",
            "送",
            "applicant",
            False,
            "第四十五条",
            ("service.letter_title", "service.addressee", "service.method"),
            "",
            form=True,
        ),
    )
}

# "Already public" is nothing but where and how to find it (Art. 36(1)); a disclosure without
# directions is provided with the letter. Grounds are the reasons for withholding (Art. 36(3), 37);
# "not this agency" must say why (Art. 36(5)).
_NEEDS_ACCESS = {Outcome.ALREADY_PUBLIC}
_NEEDS_REASON = {Outcome.NOT_THIS_AGENCY}


def _answer(outcome: Outcome) -> LetterSpec:
    requires: tuple[str, ...] = ()
    if outcome in _NEEDS_ACCESS:
        requires += ("decision.access",)
    if OUTCOMES[outcome].needs_ground:
        requires += ("decision.grounds",)
    if outcome in _NEEDS_REASON:
        requires += ("decision.reason",)
    return LetterSpec(
        outcome.value,
        "政府信息公开申请答复书",
        f"answer_{outcome.value}.html.j2",
        "答",
        "applicant",
        True,
        # confirm_or_reissue: the default of the office setting confirm_or_reissue_basis (never Art. 39;
        # states/outcomes.py gives the reasons); an issued letter cites the setting in force.
        OUTCOMES[outcome].article,
        requires,
        "特此答复。",
    )


ANSWERS: dict[str, LetterSpec] = {o.value: _answer(o) for o in Outcome}
LETTERS: dict[str, LetterSpec] = {**PROCEDURAL, **ANSWERS}
