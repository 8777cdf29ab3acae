"""Seed a fresh database with staff and sample cases in different stages, so a new user sees the
flow working. Every change goes through the real service, so the ledger is genuine."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from sqlmodel import col, select

from workflow import moment
from workflow.admin.users import add_user
from workflow.calendar import WorkCalendar
from workflow.calendar.store import load_calendar
from workflow.cases.remedies import record_remedy
from workflow.config import LOCAL_TZ, Settings
from workflow.db import get_engine, reading, transaction
from workflow.models import Case, Letter
from workflow.reports.demo import seed_annual_texts
from workflow.service import perform, receive_application
from workflow.timeutil import local_date

DEMO_STAFF = {
    "登记员小李": "registrar",
    "承办人小王": "handler",
    "承办人小陈": "handler",
    "保密审查员老赵": "reviewer",
    "审批人张科长": "approver",
    "审计员刘审计": "auditor",
    "管理员": "admin",
}
R, H, V, A = "登记员小李", "承办人小王", "保密审查员老赵", "审批人张科长"

Step = tuple[int, str, str, dict[str, object]]  # (working day offset, action, actor, payload)
LAST = "last"  # in a record_delivery step: the case's latest letter


def _answer(outcome: str, review: str | None = None, **decide: object) -> list[Step]:
    steps: list[Step] = [(0, "register", R, {}), (1, "start_review", H, {})]
    if review:
        steps.append((2, "review_confidentiality", V, {"conclusion": review}))
    return [*steps, (2, "decide", H, {"outcome": outcome, **decide}), (2, "submit", H, {}), (3, "approve", A, {})]


ACCESS = "本机关门户网站“政府信息公开”专栏（www.example.gov.cn/xxgk）"
SCENARIOS: list[tuple[str, str, str, list[Step]]] = [
    (
        "王某某",
        "natural_person",
        "请公开本市2025年度一般公共预算执行情况",
        [*_answer("disclosed", "clear"), (5, "close", H, {"delivery_method": "post"})],
    ),
    (
        "某科技有限公司",
        "commercial_enterprise",
        "请公开某化工项目环境影响评价报告及批复",
        [
            (0, "register", R, {}),
            (1, "start_review", H, {}),
            (
                2,
                "consult",
                H,
                {"party": "third_party", "addressee": "某化工有限公司", "matter": "是否同意公开环评报告全文"},
            ),
            (3, "record_delivery", H, {"letter": LAST, "proof": "挂号信回执"}),
            (
                6,
                "record_reply",
                H,
                {"opinion": "objection", "reason": "报告含工艺参数，属商业秘密", "reasonable": "yes"},
            ),
            (7, "extend", A, {"days": 10, "reason": "需对第三方异议进行审查"}),
            (8, "review_confidentiality", V, {"conclusion": "clear"}),
            (
                9,
                "decide",
                H,
                {
                    "outcome": "disclosed",
                    "override_objection": "true",
                    "access": ACCESS,
                    "reason": "该项目涉及周边居民环境安全，不公开可能对公共利益造成重大影响",
                },
            ),
            (9, "submit", H, {}),
            (10, "approve", A, {}),
        ],
    ),
    (
        "某律师事务所",
        "legal_service_institution",
        "请公开2024年某行政处罚案件卷宗",
        [
            (0, "register", R, {}),
            (1, "start_review", H, {}),
            (
                3,
                "decide",
                H,
                {
                    "outcome": "withheld",
                    "grounds": "enforcement_files",
                    "ground_reasons": "enforcement_files：所申请的卷宗系本机关在查处该行政处罚案件过程中形成的"
                    "调查询问笔录、现场检查记录和集体讨论记录，属于行政执法案卷信息",
                },
            ),
            (3, "submit", H, {}),
            (4, "approve", A, {}),
        ],
    ),
    (
        "蒋某",
        "natural_person",
        "请公开本机关2026年第三季度党组会议纪要",
        [
            (0, "register", R, {}),
            (1, "start_review", H, {}),
            (2, "decide", H, {"outcome": "withheld", "grounds": "process_information,internal_affairs"}),
            (2, "submit", H, {}),
        ],
    ),
    (
        "李某",
        "natural_person",
        "请公开有关文件",
        [
            (0, "register", R, {}),
            (1, "request_correction", H, {"items": "请明确所需文件的名称或文号", "period_days": 5}),
            (3, "record_delivery", H, {"letter": LAST, "proof": "平台已读记录"}),
            (9, "lapse_correction", "system", {}),
        ],
    ),
    (
        "某大学课题组",
        "research_institution",
        "请提供近五年全部行政许可决定书纸质复印件",
        [
            (0, "register", R, {}),
            (1, "start_review", H, {}),
            (2, "issue_fee_notice", H, {"method": "per_page", "pages": 180}),
            (4, "record_delivery", H, {"letter": LAST, "proof": "平台已读记录"}),
            (25, "lapse_fee", "system", {}),
        ],
    ),
    ("陈某", "natural_person", "请公开某小区规划许可证", []),
    (
        "某公益基金会",
        "social_welfare_organization",
        "请公开2025年困难群众救助资金发放明细",
        [
            (0, "register", R, {}),
            (1, "start_review", H, {}),
            (2, "consult", H, {"party": "other_agency", "addressee": "示例市民政局"}),
            (5, "record_reply", H, {"opinion": "consent"}),
            (6, "review_confidentiality", V, {"conclusion": "personal_data"}),
            (
                6,
                "decide",
                H,
                {
                    "outcome": "partly_disclosed",
                    "grounds": "third_party_rights",
                    "reason": "明细中的个人身份信息属于个人隐私，已作去标识化处理",
                },
            ),
            (7, "submit", H, {}),
            (8, "approve", A, {}),
            (9, "close", H, {}),
        ],
    ),
    ("赵某", "natural_person", "请公开本市2026年重点民生实事项目", _answer("already_public", access=ACCESS)),
    ("孙某", "natural_person", "请公开1990年某会议记录", _answer("not_held")),
    (
        "某贸易公司",
        "commercial_enterprise",
        "请公开某企业营业执照注销情况",
        _answer(
            "not_this_agency",
            responsible_agency="示例市市场监督管理局（电话0000-11112222）",
            reason="企业登记信息由市场监督管理部门制作并负责公开",
        ),
    ),
    ("周某", "natural_person", "请公开本市2025年度一般公共预算执行情况（再次申请）", _answer("repeat_request")),
    ("吴某", "natural_person", "请提供某房屋的不动产登记资料", _answer("special_law")),
    ("某研究院", "research_institution", "请统计分析近十年全市各街道人口流动数据", _answer("needs_compilation")),
    (
        "郑某",
        "natural_person",
        "举报某小区物业违规收费，要求查处",
        _answer("petition", access="请通过示例市信访局或12345政务服务便民热线反映"),
    ),
    (
        "钱某",
        "natural_person",
        "请提供2025年《示例市人民政府公报》全年合订本",
        _answer("publication", access="可在示例市图书馆、档案馆查阅或在本机关门户网站下载电子版"),
    ),
    (
        "冯某",
        "natural_person",
        "请公开那个文件",
        [
            (0, "register", R, {}),
            (1, "request_correction", H, {"items": "请写明所需文件的名称、文号或其他特征"}),
            (3, "receive_correction", R, {}),
            (4, "start_review", H, {}),
            (5, "decide", H, {"outcome": "still_unclear"}),
            (5, "submit", H, {}),
            (6, "approve", A, {}),
        ],
    ),
    (
        "陈某某",
        "natural_person",
        "请公开本市所有行政机关近二十年的全部会议纪要",
        [
            (0, "register", R, {}),
            (1, "start_review", H, {}),
            (
                2,
                "request_reasons",
                H,
                {"matter": "申请人本月已提交相同类型申请45件，数量和频次明显超过合理范围", "reply_days": 5},
            ),
            (3, "record_delivery", H, {"letter": LAST, "proof": "平台已读记录"}),
            (9, "decide", H, {"outcome": "unreasonable_volume"}),
            (9, "submit", H, {}),
            (10, "approve", A, {}),
        ],
    ),
    ("褚某", "natural_person", "请确认本机关2024年答复书的真实性并重新出具", _answer("confirm_or_reissue")),
    (
        "何某",
        "natural_person",
        "请公开相关补贴发放情况",
        [
            (0, "register", R, {}),
            (1, "request_correction", H, {"items": "请写明补贴名称和年度", "period_days": 10}),
            (2, "record_delivery", H, {"letter": LAST, "proof": "平台已读记录"}),
        ],
    ),
    (
        "某咨询公司",
        "commercial_enterprise",
        "请提供2025年全部政府采购合同复印件",
        [
            (0, "register", R, {}),
            (1, "start_review", H, {}),
            (2, "issue_fee_notice", H, {"method": "per_page", "pages": 60}),
            (3, "record_delivery", H, {"letter": LAST, "proof": "平台已读记录"}),
        ],
    ),
    (
        "卫某",
        "natural_person",
        "请公开某道路改造工程的招标文件",
        [
            (0, "register", R, {}),
            (1, "start_review", H, {}),
            (2, "consult", H, {"party": "internal_department", "addressee": "本机关规划科"}),
        ],
    ),
]


def _at(settings: Settings, day: date) -> Settings:
    return replace(settings, now_override=datetime.combine(day, time(10), LOCAL_TZ))


def _start(cal: WorkCalendar, today: date, steps: list[Step]) -> date:
    span = max((s[0] for s in steps), default=0)
    # Step back from a cursor, not from the last start: a holiday of a week or more (National
    # Day, Spring Festival) would otherwise lead back to the same first working day for ever.
    back = today - timedelta(days=7)
    start = cal.next_workday_on_or_after(back)
    while cal.add_workdays(start, span + 1) > today:  # leave every step, lapses included, in the past
        back -= timedelta(days=7)
        start = cal.next_workday_on_or_after(back)
    return start


def _agenda(cal: WorkCalendar, today: date) -> list[tuple[date, int, int, Step]]:
    """Every step of every scenario on its day, in the order time passes: a simulation's clock
    never runs backwards, so cases are played side by side rather than one after another."""
    agenda: list[tuple[date, int, int, Step]] = []
    for index, (_, _, _, steps) in enumerate(SCENARIOS):
        start = _start(cal, today, steps)
        agenda.append((start, index, -1, (0, "receive", R, {})))
        # Internet applications are received on the day both sides confirm it (Art. 31(3)).
        confirm: Step = (0, "confirm_receipt", R, {"method": "online"})
        full = [confirm, *steps] if steps else []
        agenda += [(cal.add_workdays(start, step[0]), index, n, step) for n, step in enumerate(full)]
    return sorted(agenda, key=lambda item: item[:3])


def _payload(settings: Settings, case_id: int, day: date, payload: dict[str, object]) -> dict[str, object]:
    if payload.get("letter") != LAST:
        return payload
    with reading(settings) as session:
        last = session.exec(select(Letter.id).where(Letter.case_id == case_id).order_by(col(Letter.id).desc())).first()
    return {**payload, "letter": last, "delivered_on": day}


def seed(settings: Settings) -> list[str]:
    """Create the demo staff and cases in a simulation database; nothing if it already has cases.

    Raises:
        Refused: the database holds real records (a demo is only ever a simulation).
    """
    with reading(settings) as session:
        if session.exec(select(Case).limit(1)).first() is not None:
            return []
        cal = load_calendar(session)
    with get_engine(settings).begin() as conn:
        moment.mark_simulation(conn, settings)
    today = local_date(settings.now())
    agenda = _agenda(cal, today)
    with transaction(_at(settings, agenda[0][0])) as session:
        for name, role in DEMO_STAFF.items():
            add_user(session, name=name, roles=[role], now=_at(settings, agenda[0][0]).now(), department="政务公开科")
    cases: dict[int, Case] = {}
    for day, index, _, (_, action, actor, payload) in agenda:
        s = _at(settings, day)
        if action == "receive":
            applicant, kind, request, _ = SCENARIOS[index]
            cases[index] = receive_application(
                s,
                channel="online",
                received_on=day,
                applicant=applicant,
                applicant_type=kind,
                request=request,
                actor=R,
            )
            continue
        case_id = cases[index].id or 0
        perform(case_id, action, actor, _payload(settings, case_id, day, payload), settings=s)
    lawyer = next(i for i, sc in enumerate(SCENARIOS) if sc[0] == "某律师事务所")
    # the withheld answer is challenged: reconsideration first
    record_remedy(_at(settings, today), cases[lawyer].id or 0, kind="reconsideration", actor=H, event="filed", on=today)
    seed_annual_texts(settings, today.year, A)  # the annual report's six sections, filled in
    return [cases[i].number for i in sorted(cases)]
