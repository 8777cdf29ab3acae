"""The reasoning behind every deadline of a case, in the words a handler or a court reads, with
the answer period walked day by day."""

from __future__ import annotations

from datetime import date

from states import RuleBook
from states.vocab import CHANNEL_LABELS, PARTY_LABELS, RECEIPT_AT_INTAKE, Channel, ConsultationParty
from workflow.calendar import WorkCalendar
from workflow.clock.deadlines import ONE_DAY, PAUSING_PARTIES, Deadlines, merge_pauses
from workflow.clock.facts import ClockFacts
from workflow.timeutil import weekday_label

_KIND_LABELS = {
    "workday": "工作日",
    "weekend": "周末",
    "holiday": "法定节假日",
    "makeup_workday": "调休上班",
    "closure": "本机关闭馆",
}


def _day(d: date | None) -> str:
    return f"{d.isoformat()}（{weekday_label(d)}）" if d else "—"


def _receipt(f: ClockFacts, out: Deadlines, rb: RuleBook) -> list[str]:
    channel = Channel(f.channel) if f.channel else None
    how = f"，{CHANNEL_LABELS[channel]}" if channel else ""
    if f.received_on is None:
        return [
            f"申请于{_day(f.arrived_on)}到达{how}；以双方确认之日为收到申请之日（条例第三十一条），"
            "尚未确认，答复期限未起算。",
            f"登记（确认收到）期限：{_day(out.registration_due)}（{rb.registration_days}个工作日）",
        ]
    if channel is not None and channel not in RECEIPT_AT_INTAKE and f.arrived_on != f.received_on:
        how += f"，{_day(f.arrived_on)}到达、双方确认之日为准"
    lines = [f"收到申请之日：{_day(f.received_on)}{how}（条例第三十一条；当日不计入，次日起算）"]
    if out.registration_due:
        lines.append(f"尚未登记：应于{_day(out.registration_due)}前登记；答复期限照常自收到申请之日起计算")
    return lines


def _delivery(got: date | None, who: str) -> str:
    return f"{who}{_day(got)}收到" if got else f"尚未确认{who}收到（期限自送达之日起算）"


def _correction(f: ClockFacts, out: Deadlines, rb: RuleBook) -> list[str]:
    lines = []
    if out.correction_notice_due:
        lines.append(
            f"补正告知期限：{_day(out.correction_notice_due)}（收到申请后{rb.correction_notice_days}个工作日，第三十条）"
        )
    if f.correction_sent_on:
        period = f.correction_period or rb.correction_reply_default_days
        lines.append(
            f"补正告知：{_day(f.correction_sent_on)}发出，{_delivery(f.correction_delivered_on, '申请人')}，"
            f"补正期限{period}个工作日" + (f"，至{_day(out.correction_reply_due)}" if out.correction_reply_due else "")
        )
    return lines


def _others(f: ClockFacts, out: Deadlines, rb: RuleBook) -> list[str]:
    lines = []
    for c in out.consultations:
        status = f"{_day(c.closed_on)}{'收到答复' if c.closed_by == 'reply' else '逾期'}" if c.closed_on else "尚未答复"
        effect = "期间不计入答复期限" if c.party in PAUSING_PARTIES else "不中止答复期限"
        lines.append(
            f"征求意见{c.number}：{PARTY_LABELS[ConsultationParty(c.party)]}“{c.addressee}”，{_day(c.sent_on)}发出，"
            f"{_delivery(c.delivered_on, '对方')}，答复期限{_day(c.reply_due)}；{status}；{effect}"
        )
    if f.fee_sent_on:
        paid = f"{_day(f.fee_paid_on)}缴费" if f.fee_paid_on else f"缴费期限{_day(out.fee_due)}"
        lines.append(
            f"收费通知：{_day(f.fee_sent_on)}发出，{_delivery(f.fee_delivered_on, '申请人')}，{paid}；"
            "待缴费期间不计入答复期限（国办函〔2020〕109号）"
        )
    if f.reasons_sent_on:
        got = f"{_day(f.reasons_received_on)}收到说明" if f.reasons_received_on else f"说明期限{_day(out.reasons_due)}"
        counted = "期间不计入答复期限" if rb.reasons_period_paused else "期间计入答复期限"
        lines.append(
            f"要求说明理由：{_day(f.reasons_sent_on)}发出，{_delivery(f.reasons_delivered_on, '申请人')}，{got}；"
            f"{counted}（第三十五条）"
        )
    return lines + _delivery_due(out)


def _delivery_due(out: Deadlines) -> list[str]:
    if out.delivery_due is None:
        return []
    return [
        f"送达确认：尚有文书未确认送达，应于{_day(out.delivery_due)}前登记送达或改用其他方式送达；确认前不作逾期处理"
    ]


def explain(f: ClockFacts, out: Deadlines, cal: WorkCalendar, rb: RuleBook) -> list[str]:
    """The reasoning behind every deadline, with the answer period walked day by day."""
    if f.received_on is None and f.arrived_on is None:
        return ["尚未收到申请，答复期限未起算。"]
    lines = _receipt(f, out, rb)
    if f.received_on is None:
        return lines
    lines += _correction(f, out, rb)
    if f.awaiting_correction:
        lines.append("等待补正：答复期限自收到补正申请之日起重新计算（第三十条），现未起算。")
        return lines + _delivery_due(out)
    if f.restarted:
        lines.append(f"收到补正申请：{_day(f.start_on)}，答复期限自次日起重新计算（第三十条）")
    lines += _others(f, out, rb)
    assert out.answer_start is not None and out.answer_due is not None
    first = cal.add_workdays(out.answer_start, 1)
    ext = f" + 延期{f.extension_days}个工作日（第三十三条第二款）" if f.extension_days else ""
    lines.append(f"起算：{_day(out.answer_start)}；第1个工作日：{_day(first)}")
    lines.append(f"期限：{rb.answer_days}个工作日{ext} = {out.answer_days}个计数工作日")
    for p in out.pauses:
        tail = "（尚未结束，按其期限预计）" if p.projected else ""
        lines.append(f"中止：{_day(p.start)}至{_day(p.end)}，{p.reason}{tail}")
    lines.append("逐日：")
    lines.extend(_walk(out, cal))
    note = ""
    if out.provisional:
        years = "、".join(str(y) for y in out.provisional_years)
        note = f"  [临时：{years}年放假安排尚未公布，按周末、法定节日及其补假推算，公布后自动重算]"
    if out.statutory_due is not None:
        lines.append(
            f"法定期限为{_day(out.statutory_due)}；审批人已确定延迟答复的合理期限至{_day(out.answer_due)}（第三十五条）"
        )
    lines.append(f"结果：答复期限 {_day(out.answer_due)}{note}")
    if out.clock_state == "stopped" and f.answered_on:
        lines.append(f"已于{_day(f.answered_on)}答复，计时停止。")
    return lines


def _walk(out: Deadlines, cal: WorkCalendar) -> list[str]:
    assert out.answer_start is not None and out.answer_due is not None
    spans = merge_pauses(out.pauses)
    end = out.statutory_due or out.answer_due
    lines, counted, d = [], 0, out.answer_start + ONE_DAY
    while d <= end:
        info = cal.day_info(d)
        label = _KIND_LABELS.get(str(info.kind), str(info.kind))
        if info.kind == "closure" and info.note:
            label += f"·{info.note}"
        elif info.kind == "holiday" and info.note == "补假":
            label = info.note  # a substitute day (办法第六条) of a provisional year
        paused = any(s <= d <= e for s, e in spans)
        if info.workday and not paused:
            counted += 1
            mark = f"第{counted}日"
        else:
            mark = "中止，不计" if info.workday else "不计"
        prov = " 临时" if info.provisional else ""
        lines.append(f"  {d.isoformat()} {weekday_label(d)}  {label}{'　' * max(0, 6 - len(label))} {mark}{prov}")
        d += ONE_DAY
    return lines
