"""Guards of receipt (Art. 31), correction (Art. 30), placement and service (送达); and the
rule that a provisional date never lapses a case by itself (ogi-rules §1)."""

from __future__ import annotations

from datetime import date

from states.guards.context import GuardContext, Refusal, given_date, undelivered
from states.lifecycle import Role
from states.vocab import RECEIPT_AT_INTAKE


def correction_once_and_in_time(ctx: GuardContext) -> Refusal | None:
    if ctx.correction_requests > 0:
        return Refusal("art30.correction_once", "补正告知只能一次性发出，本申请已告知过补正（条例第三十条）")
    sent = given_date(ctx, "sent_on")
    # The notice this action issues is dated today, so a sent_on recorded as earlier cannot
    # bring a late notice within the limit.
    if ctx.correction_notice_due is not None and max(sent, ctx.today) > ctx.correction_notice_due:
        return Refusal(
            "art30.correction_within_7_days",
            f"补正告知应在收到申请之日起{ctx.rulebook.correction_notice_days}个工作日内发出，"
            f"期限已于{ctx.correction_notice_due.isoformat()}届满（条例第三十条）",
        )
    delivered = ctx.payload.get("delivered_on")
    if isinstance(delivered, date) and delivered < sent:
        return Refusal("dates.delivered_after_sent", "申请人收到告知书之日不能早于发出之日")
    return None


def correction_after_notice(ctx: GuardContext) -> Refusal | None:
    got = given_date(ctx, "received_on")
    if ctx.correction_sent_on is not None and got < ctx.correction_sent_on:
        return Refusal("art30.correction_after_notice", "收到补正之日不能早于补正告知书发出之日")
    return None


PROVISIONAL_NO_AUTO_LAPSE = "calendar.provisional_no_auto_lapse"


def no_automatic_lapse_on_provisional_date(ctx: GuardContext) -> Refusal | None:
    """ogi-rules §1: no automatic lapse against an applicant or a third party on a date that
    depends on a year whose holiday arrangement is not yet published; a person confirms it."""
    if ctx.rulebook.provisional_dates_lapse_automatically or not ctx.lapse_provisional_years:
        return None
    if ctx.role != Role.SYSTEM.value:
        return None  # a person has checked the date: the handler may lapse by hand
    years = "、".join(f"{y}年" for y in ctx.lapse_provisional_years)
    return Refusal(
        PROVISIONAL_NO_AUTO_LAPSE,
        f"该期限的届满日取决于{years}的放假安排，国务院尚未公布，系按周末、法定节日及补假临时推算；"
        "临时日期不能自动作出对申请人或第三方不利的处理，须由承办人核实后办理",
    )


def correction_period_passed(ctx: GuardContext) -> Refusal | None:
    due = ctx.correction_reply_due
    if due is None and ctx.correction_sent_on is not None:
        return undelivered("补正告知书")
    if due is None or ctx.today <= due:
        shown = due.isoformat() if due else "未设定"
        return Refusal("art30.correction_period_running", f"补正期限（至{shown}）尚未届满，不能视为放弃申请")
    return None


def assignee_is_handler(ctx: GuardContext) -> Refusal | None:
    if ctx.assignee_is_handler is False:
        return Refusal("assign.handler_role", f"“{ctx.payload.get('handler')}”不是具有承办人角色的用户")
    return None


def receipt_to_confirm(ctx: GuardContext) -> Refusal | None:
    if not ctx.receipt_pending:
        if ctx.channel in RECEIPT_AT_INTAKE:
            return Refusal(
                "art31.no_confirmation",
                "当面提交或需签收的邮寄申请，收件之日即为收到申请之日，无需确认（条例第三十一条）",
            )
        return Refusal("art31.confirmed_once", "收到申请之日已经确认；确有错误的，由审批人更正（correct_receipt）")
    if ctx.arrived_on is not None and given_date(ctx, "confirmed_on") < ctx.arrived_on:
        return Refusal("dates.confirmed_after_arrival", f"确认之日不能早于申请到达之日（{ctx.arrived_on.isoformat()}）")
    return None


def receipt_correction_ok(ctx: GuardContext) -> Refusal | None:
    if ctx.receipt_pending:
        return Refusal("art31.confirm_first", "收到申请之日尚未确认，应先确认收到申请（confirm_receipt），不是更正")
    new = given_date(ctx, "received_on")
    if new == ctx.received_on:
        return Refusal("art31.same_date", f"收到申请之日已是{new.isoformat()}，无需更正")
    if ctx.channel not in RECEIPT_AT_INTAKE and ctx.arrived_on is not None and new < ctx.arrived_on:
        return Refusal("art31.not_before_arrival", f"收到申请之日不能早于申请到达之日（{ctx.arrived_on.isoformat()}）")
    if not str(ctx.payload.get("reason") or "").strip():
        return Refusal("art31.correction_reason", "更正收到申请之日须说明理由")
    return None


def delivery_of_own_letter(ctx: GuardContext) -> Refusal | None:
    wanted = ctx.payload.get("letter")
    letter = next((x for x in ctx.letters if x.id == wanted), None)
    if letter is None:
        ids = "、".join(str(x.id) for x in ctx.letters) or "无"
        return Refusal("delivery.letter_of_case", f"文书 {wanted} 不是本案发出的文书；本案文书编号（ID）：{ids}")
    if letter.delivered_on is not None:
        return Refusal(
            "delivery.once",
            f"该文书已登记于{letter.delivered_on.isoformat()}送达；送达记录不能覆盖，如有错误请联系审计员",
        )
    if given_date(ctx, "delivered_on") < letter.sent_on:
        return Refusal("delivery.after_sent", f"送达之日不能早于文书发出之日（{letter.sent_on.isoformat()}）")
    return None
