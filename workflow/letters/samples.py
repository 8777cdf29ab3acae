"""A complete, realistic letter context for every letter type (fixtures for tests and previews
of the templates themselves)."""

from __future__ import annotations

import copy
from dataclasses import asdict
from typing import Any

from states import OUTCOMES, Ground, Outcome
from workflow.letters.context import remedy_variant
from workflow.letters.registry import LETTERS
from workflow.letters.wording import ground_items, indirect
from workflow.office.settings import Office

THIRD_PARTY_FACTS = "该投标文件载有投标人的报价构成和技术方案，属于其商业秘密，投标人书面表示不同意公开"


_PERIODS: dict[str, Any] = {
    "correction": {
        "items": "请写明所需信息的名称、文号或者便于查询的其他特征性描述",
        "period_days": 15,
        "due": "2026年11月16日",
        "reply_due": "2026年11月16日",
        "sent_on": "2026年10月27日",
    },
    "extension": {"days": 20, "reason": "申请公开的信息量较大，需调取档案逐件审查", "new_due": "2026年12月21日"},
    "consultation": {
        "addressee": "某建设工程有限公司",
        "party": "third_party",
        "party_label": "第三方",
        "matter": "是否同意公开贵单位提交的项目投标文件",
        "reply_days": 15,
        "reply_due": "2026年11月16日",
    },
    "objection": {"addressee": "某建设工程有限公司", "reason": "涉及商业秘密"},
    "fee": {
        "method": "per_page",
        "method_label": "按量计收",
        "quantity": 180,
        "amount": 2300,
        "lines": [
            {"start": 31, "end": 100, "rate": 10, "units": 70, "amount": 700},
            {"start": 101, "end": 180, "rate": 20, "units": 80, "amount": 1600},
        ],
        "due": "2026年12月21日",
        "sent_on": "2026年11月20日",
    },
    "reasons": {
        "matter": "您本月已提交政府信息公开申请45件，数量明显超过合理范围",
        "reply_days": 10,
        "due": "2026年12月7日",
        "reply_due": "2026年12月7日",
    },
}


def _decision(kind: str, office: Office) -> dict[str, Any]:
    outcome = Outcome(kind) if kind in {o.value for o in Outcome} else Outcome.PARTLY_DISCLOSED
    grounds = [Ground.THIRD_PARTY_RIGHTS, Ground.PROCESS_INFORMATION]
    return {
        "outcome": outcome.value,
        "label": OUTCOMES[outcome].label,
        "article": office.confirm_or_reissue_basis
        if outcome is Outcome.CONFIRM_OR_REISSUE
        else OUTCOMES[outcome].article,
        "grounds": ground_items(
            [g.value for g in grounds],
            {Ground.THIRD_PARTY_RIGHTS.value: THIRD_PARTY_FACTS},
        )
        if OUTCOMES[outcome].needs_ground
        else None,
        "reason": "该信息涉及第三方商业秘密，第三方不同意公开"
        if outcome is not Outcome.NOT_THIS_AGENCY
        else "该政府信息由示例市财政局制作并负责公开",
        "access": "本机关门户网站“政府信息公开”专栏（www.example.gov.cn/xxgk）",
        "responsible_agency": "示例市财政局（联系电话：0000-87654321）",
        "override_objection": kind == "disclosure_despite_objection",
        "override_reason": "该项目涉及周边居民环境安全，不公开可能对公共利益造成重大影响"
        if kind == "disclosure_despite_objection"
        else None,
        "objection_reasonable": True,
    }


def _parties(person: bool) -> dict[str, Any]:
    """Who the letter goes to, and how it was served."""
    return {
        "service": {
            "method": "邮政特快专递（EMS）",
            "addressee": "王五" if person else "某科技有限公司",
            "address": "示例市某区某路8号",
            "letter_number": "示政办公开答〔2026〕11号",
            "letter_title": "示例市人民政府办公室政府信息公开申请答复书",
            "sent_on": "2026年11月22日",
            "delivered_on": "2026年11月24日",
            "proof": "EMS运单号1234567890123（签收人：王五）",
            "server": "登记员小李",
            "note": None,
        },
        "assistance": {
            "department": "本机关财务科",
            "matter": "本单位2025年部门决算是否存在及可否公开",
            "reply_days": 5,
            "reply_due": "2026年11月3日",
        },
        "applicant": {
            "name": "王五" if person else "某科技有限公司",
            "kind": "natural_person" if person else "commercial_enterprise",
            "kind_label": "自然人" if person else "商业企业",
            "is_person": person,
            "contact": "示例市某区某路8号，13800000000",
        },
    }


def sample_context(
    kind: str, *, person: bool = True, number: str | None = "示政办公开答〔2026〕12号"
) -> dict[str, Any]:
    """A context with every section filled, shaped exactly like `build_context`'s."""
    spec = LETTERS[kind]
    final = spec.final
    office = Office()
    return {
        "office": asdict(office),
        "letter": {
            "kind": kind,
            "title": spec.title,
            "number": number,
            "draft": number is None,
            "date": "2026年11月22日",
            "article": spec.article,
            "final": final,
            "closing": spec.closing,
            "form": spec.form,
        },
        "simulation": False,
        "attachments": ["某项目环境影响评价报告（删除商业秘密部分）.pdf"] if final else [],
        "catalogue_item": {
            "title": "示例市2025年部门决算",
            "index_number": "11000000-0000/2026-00012",
            "url": "www.example.gov.cn/xxgk/2026/12.html",
        }
        if kind == Outcome.ALREADY_PUBLIC.value
        else None,
        "later_date": {"answer_due": "2027年1月29日", "reason": "所申请的45件信息需逐件调取档案并进行保密审查"},
        "reasons_status": "unreasonable" if kind == Outcome.UNREASONABLE_VOLUME.value else None,
        **_parties(person),
        "case": {
            "number": "依申〔2026〕7号",
            "received_on": "2026年10月26日",
            "request": "请公开本单位2025年部门决算及“三公”经费明细",
            "request_indirect": indirect("请公开本单位2025年部门决算及“三公”经费明细"),
            "channel_label": "互联网渠道",
            "answer_due": "2026年11月23日",
        },
        "decision": _decision(kind, office),
        **copy.deepcopy(_PERIODS),
        "remedy": {
            "variant": remedy_variant(kind),
            "body": office.reconsideration_body,
            "court": office.court,
        }
        if final
        else None,
    }
