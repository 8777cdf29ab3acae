"""Sample text and section 二 figures for the demo's annual report, entered through the audited
path as an approver would (so `ogi demo` shows all six sections filled)."""

from __future__ import annotations

from workflow.admin.report_texts import set_figures, set_text
from workflow.config import Settings
from workflow.db import transaction

DEMO_TEXTS = {
    "overview": (
        "本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
        "健全依申请公开工作机制，规范登记、审核、办理、答复、归档各环节，按时办结政府信息公开申请。\n"
        "本机关建立答复文书格式规范，统一各类告知书、答复书的结构和用语，并在政府信息公开平台公布示范文本。"
    ),
    "proactive": (
        "本年度，本机关通过政府门户网站、政府信息公开平台等渠道主动公开政府信息，及时更新政府信息公开指南和目录。"
    ),
    "problems": (
        "一是部分申请的答复说理仍不够充分；二是征求第三方意见的送达记录有待完善。"
        "下一步，本机关将加强答复文书说理，完善送达回证管理，提升依申请公开工作规范化水平。"
    ),
    "other": "本年度无其他需要报告的事项。",
}
DEMO_FIGURES = {
    "rules.made": "0",
    "rules.repealed": "0",
    "rules.in_force": "3",
    "normative.made": "12",
    "normative.repealed": "2",
    "normative.in_force": "86",
    "licensing.decisions": "1520",
    "punishment.decisions": "37",
    "coercion.decisions": "4",
    "fees.amount": "0",
}


def seed_annual_texts(settings: Settings, year: int, actor: str) -> None:
    now = settings.now()
    with transaction(settings) as session:
        for section, text in DEMO_TEXTS.items():
            set_text(session, year=year, section=section, text=text, actor=actor, now=now)
        set_figures(session, year=year, values=DEMO_FIGURES, actor=actor, now=now)
