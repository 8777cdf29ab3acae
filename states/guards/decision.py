"""Guards of the answer: what a decision must hold (Art. 36–39, spec §4), a third party's
objection (Art. 32), and who may approve it."""

from __future__ import annotations

from collections.abc import Mapping

from states.guards.context import GuardContext, Refusal, undelivered
from states.outcomes import DISCLOSING_OUTCOMES, OUTCOMES, Ground, Outcome, ReviewConclusion


def decision_ok(ctx: GuardContext) -> Refusal | None:
    outcome = Outcome(str(ctx.payload.get("outcome")))
    grounds = ctx.payload.get("grounds") or ()
    refusal = outcome_shape(ctx, outcome, grounds) or objection_respected(ctx, outcome, grounds)
    return refusal or reasons_first(ctx, outcome) or review_holds(ctx, outcome)


def outcome_shape(ctx: GuardContext, outcome: Outcome, grounds: object) -> Refusal | None:
    """One rule per line of spec §4: grounds exactly when withholding, the reason of Art. 36(5),
    and "still unclear" only after a correction was asked."""
    spec = OUTCOMES[outcome]
    if spec.needs_ground and not grounds:
        return Refusal(
            "art36.grounds_required", f"“{spec.label}”须至少列明一项不予公开的理由（条例第十四条至第十六条）"
        )
    if not spec.needs_ground and grounds:
        return Refusal("art36.grounds_only_for_withholding", "只有不予公开或部分公开才列明不予公开理由")
    if outcome is Outcome.NOT_THIS_AGENCY and not (ctx.payload.get("reason") or ctx.payload.get("responsible_agency")):
        return Refusal(
            "art36_5.reason_required",
            "非本机关负责公开的，须说明理由，能够确定的告知负责机关（条例第三十六条第（五）项）",
        )
    if outcome is Outcome.STILL_UNCLEAR and ctx.correction_requests == 0:
        return Refusal("art30.unclear_needs_correction", "只有经补正后仍不明确的申请才能以此答复，本申请未告知过补正")
    return None


def _override_misused(ctx: GuardContext, outcome: Outcome, overriding: bool) -> Refusal | None:
    """ "Disclose despite the objection" only with an objection on record and a disclosing outcome."""
    if overriding and not ctx.objection_on_record:
        return Refusal("art32.no_objection", "没有第三方异议记录，无需作出“不顾异议公开”的决定")
    if overriding and outcome not in DISCLOSING_OUTCOMES:
        return Refusal("art32.override_discloses", "“因公共利益决定公开”只适用于公开或部分公开")
    return None


def _objection_binds(ctx: GuardContext, overriding: bool, where: str) -> Refusal | None:
    """A reasonable objection binds unless the office overrides it for the public interest, saying why."""
    if not overriding:
        return Refusal(
            "art32.objection_on_record",
            "第三方已提出有合理理由的异议：应不予公开，或部分公开并以“保护第三方合法权益”不公开相关部分；"
            "认为不公开可能对公共利益造成重大影响的，勾选“因公共利益决定公开”并写明理由（条例第三十二条）",
        )
    if not override_reason(ctx.payload):
        # In a partial disclosure `reason` explains the withheld part, so the public-interest
        # reason told to the third party must be given on its own.
        return Refusal(
            "art32.override_reason", f"不顾第三方异议决定公开的，须在 {where} 写明公共利益理由（条例第三十二条）"
        )
    return None


def objection_respected(ctx: GuardContext, outcome: Outcome, grounds: object) -> Refusal | None:
    """Art. 32: a third party's objection with a reasonable ground binds the office unless it finds
    that withholding would seriously harm the public interest; one without a reasonable ground
    does not bind it, but the office must say why the objection does not hold."""
    overriding = bool(ctx.payload.get("override_objection"))
    misused = _override_misused(ctx, outcome, overriding)
    if misused is not None or not ctx.objection_on_record or outcome not in DISCLOSING_OUTCOMES:
        return misused
    # Partly disclosing while withholding on third-party grounds respects the objection.
    protected = Ground.THIRD_PARTY_RIGHTS.value in {str(g) for g in _items(grounds)}
    if outcome is Outcome.PARTLY_DISCLOSED and protected and not overriding:
        return None
    where = "override_reason" if outcome is Outcome.PARTLY_DISCLOSED else "override_reason 或 reason"
    if ctx.objection_reasonable is not False:
        return _objection_binds(ctx, overriding, where)
    if not override_reason(ctx.payload):
        return Refusal(
            "art32.unreasonable_objection_reason",
            f"第三方异议已认定无合理理由，可以决定公开，但须在 {where} 写明异议不成立的理由（条例第三十二条）",
        )
    return None


def reasons_first(ctx: GuardContext, outcome: Outcome) -> Refusal | None:
    """Art. 35: "not processed" for unreasonable volume only after the applicant was asked for
    reasons and either let the period pass or gave reasons found unreasonable."""
    if outcome is not Outcome.UNREASONABLE_VOLUME:
        return None
    if ctx.reasons_reasonable == "no":
        return None
    if ctx.reasons_reasonable == "yes":
        return Refusal(
            "art35.reasons_found_reasonable",
            "申请人说明的理由已认定合理，不能以数量、频次明显超过合理范围不予处理；无法按期答复的，"
            "由审批人确定延迟答复的合理期限（set_later_date）",
        )
    if ctx.reasons_requests == 0:
        return Refusal(
            "art35.ask_reasons_first", "须先要求申请人说明理由（request_reasons），不能直接不予处理（条例第三十五条）"
        )
    if ctx.reasons_due is None:
        return undelivered("说明理由告知书")
    if ctx.today <= ctx.reasons_due:
        return Refusal(
            "art35.reasons_period_running", f"申请人说明理由的期限（至{ctx.reasons_due.isoformat()}）尚未届满"
        )
    return None


def _items(value: object) -> tuple[object, ...]:
    return tuple(value) if isinstance(value, list | tuple | set | frozenset) else ((value,) if value else ())


def review_holds(ctx: GuardContext, outcome: Outcome | None) -> Refusal | None:
    """A disclosing answer needs a confidentiality review whose latest conclusion allows it."""
    if outcome in DISCLOSING_OUTCOMES:
        if ctx.review_conclusion is None:
            return Refusal("review.required", "公开（含部分公开）前须由保密审查员完成保密审查（条例第十七条）")
        if outcome is Outcome.DISCLOSED and ctx.review_conclusion != ReviewConclusion.CLEAR:
            return Refusal(
                "review.not_clear", "保密审查结论不是“未发现涉密或敏感内容”，不能全部公开；可部分公开或不予公开"
            )
    return None


def decided_answer_still_lawful(ctx: GuardContext) -> Refusal | None:
    """At submission and approval, the decided answer against the latest review: a review recorded
    after the decision (e.g. finding a state secret) must stop a disclosure going out."""
    return review_holds(ctx, Outcome(ctx.outcome) if ctx.outcome else None)


def override_reason(payload: Mapping[str, object]) -> str | None:
    """The public-interest reason for disclosing over a third party's objection (Art. 32):
    `override_reason`, or for a full disclosure (nothing withheld to explain) the decision's `reason`."""
    if payload.get("override_reason"):
        return str(payload["override_reason"])
    if payload.get("outcome") == Outcome.DISCLOSED.value and payload.get("reason"):
        return str(payload["reason"])
    return None


def late_approval_confirmed(ctx: GuardContext) -> Refusal | None:
    """Art. 33: an answer approved after its due date is late; the approver must say so knowingly
    (field confirm_late), and the approval event records it."""
    if ctx.answer_due is None or ctx.today <= ctx.answer_due or ctx.payload.get("confirm_late") is True:
        return None
    return Refusal(
        "art33.late_approval_confirm",
        f"答复期限已于{ctx.answer_due.isoformat()}届满，现在审批即为逾期答复；"
        "请核实后勾选“确认逾期答复”再审批（条例第三十三条）",
    )


def approver_is_not_submitter(ctx: GuardContext) -> Refusal | None:
    if ctx.submitted_by is not None and ctx.submitted_by == ctx.actor:
        return Refusal("approval.four_eyes", "提交审批的人不能审批自己提交的答复")
    return None


def approver_took_no_part_in_the_decision(ctx: GuardContext) -> Refusal | None:
    """Four eyes by person, not by button: whoever decided, re-decided or submitted the answer at
    any point of the case, whatever other roles they hold, may not approve it."""
    if ctx.actor in ctx.decision_makers:
        return Refusal(
            "approval.four_eyes_person",
            f"“{ctx.actor}”曾在本案中作出、修改或提交答复决定，不能再审批（审批须由未参与决定的另一人办理）",
        )
    return None
