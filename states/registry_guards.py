"""The registry's guards: the legal conditions an action on an item must meet (Art. 14–16, 20,
26, 44 and the office's 审签), each a pure function of the facts the engine gathers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from states.outcomes import GROUNDS, Ground
from states.registry import (
    ATTRIBUTE_LABELS,
    DEFAULT_REGISTRY_RULES,
    GROUNDED_ATTRIBUTES,
    PUBLISHED_ATTRIBUTES,
    Attribute,
    InfoAction,
    RegistryRules,
)


@dataclass(frozen=True)
class InfoGuardContext:
    """Facts a guard may look at; the engine fills it in from the item row and its ledger."""

    action: InfoAction
    actor: str
    today: date
    payload: Mapping[str, Any]
    attribute: Attribute
    made_on: date
    registered_by: str
    review_conclusion: str | None = None
    disclosures: int = 0
    open_proposal: bool = False
    rules: RegistryRules = DEFAULT_REGISTRY_RULES


@dataclass(frozen=True)
class InfoRefusal:
    message: str
    rule: str


def attribute_problem(attribute: str, reason: str | None, ground: str | None) -> InfoRefusal | None:
    """Art. 14–16: every attribute but 主动公开 needs a reason; withholding needs its ground."""
    try:
        attr = Attribute(attribute)
    except ValueError:
        return InfoRefusal(f"attribute：'{attribute}' 不是公开属性，可选：{', '.join(Attribute)}", "info.attribute")
    if attr is not Attribute.PROACTIVE and not (reason or "").strip():
        return InfoRefusal(f"reason：公开属性为“{ATTRIBUTE_LABELS[attr]}”的，须说明理由", "info.reason_required")
    if attr in GROUNDED_ATTRIBUTES and ground not in {g.value for g in Ground}:
        choices = "、".join(f"{g.value}（{GROUNDS[g][0]}，{GROUNDS[g][1]}）" for g in Ground)
        return InfoRefusal(
            f"ground：“{ATTRIBUTE_LABELS[attr]}”须写明条例第十四条至第十六条的依据，可选：{choices}",
            "info.ground_required",
        )
    return None


def _approve(ctx: InfoGuardContext) -> InfoRefusal | None:
    if ctx.actor == ctx.registered_by:  # 审签: a second pair of eyes
        return InfoRefusal("审签人不得为该信息的登记人（审签须由他人办理）", "info.four_eyes")
    if ctx.review_conclusion == "not_disclosable" and ctx.attribute in PUBLISHED_ATTRIBUTES:
        return InfoRefusal("保密审查结论为“不宜公开”，不能按公开属性审签；请先评估并更改公开属性", "info.review_blocks")
    return None


def _publish(ctx: InfoGuardContext) -> InfoRefusal | None:
    if ctx.attribute not in PUBLISHED_ATTRIBUTES:
        return InfoRefusal(
            f"公开属性为“{ATTRIBUTE_LABELS[ctx.attribute]}”的信息不主动公开，不能发布（条例第二十条）",
            "info.not_publishable",
        )
    needed = {"redaction_needed": Attribute.REDACTED, "declassification_needed": Attribute.DECLASSIFIED}
    want = needed.get(ctx.review_conclusion or "")
    if want is not None and ctx.attribute is not want:
        return InfoRefusal(f"保密审查要求“{ATTRIBUTE_LABELS[want]}”，公开属性须一致", "info.review_blocks")
    published_on = ctx.payload.get("published_on")
    if isinstance(published_on, date) and published_on < ctx.made_on:
        return InfoRefusal(f"published_on：公开日期 {published_on} 早于成文日期 {ctx.made_on}", "info.before_made")
    return None


def _reevaluate(ctx: InfoGuardContext) -> InfoRefusal | None:
    if ctx.attribute is Attribute.PROACTIVE:
        return InfoRefusal("主动公开的信息无需定期评估公开属性", "info.reevaluate_proactive")
    problem = attribute_problem(
        str(ctx.payload.get("attribute", "")), ctx.payload.get("reason"), ctx.payload.get("ground")
    )
    return problem


def _propose(ctx: InfoGuardContext) -> InfoRefusal | None:
    if ctx.attribute is not Attribute.ON_REQUEST:
        return InfoRefusal("只有依申请公开的信息才能建议转为主动公开（条例第四十四条）", "info.propose_attribute")
    if ctx.open_proposal:
        return InfoRefusal("已有尚未处理的转为主动公开建议", "info.propose_pending")
    if ctx.disclosures < ctx.rules.proposal_threshold:
        return InfoRefusal(
            f"该信息已依申请公开{ctx.disclosures}次，不足{ctx.rules.proposal_threshold}次（条例第四十四条）",
            "info.propose_threshold",
        )
    return None


def _expire(ctx: InfoGuardContext) -> InfoRefusal | None:
    expired_on = ctx.payload.get("expired_on")
    if isinstance(expired_on, date) and expired_on < ctx.made_on:
        return InfoRefusal(f"expired_on：废止日期 {expired_on} 早于成文日期 {ctx.made_on}", "info.before_made")
    return None


GUARDS: dict[InfoAction, Callable[[InfoGuardContext], InfoRefusal | None]] = {
    InfoAction.APPROVE: _approve,
    InfoAction.PUBLISH: _publish,
    InfoAction.REPUBLISH: _publish,
    InfoAction.REEVALUATE: _reevaluate,
    InfoAction.PROPOSE_PROACTIVE: _propose,
    InfoAction.EXPIRE: _expire,
}


def check_info_guards(ctx: InfoGuardContext) -> InfoRefusal | None:
    """The first legal condition the action fails, or None."""
    guard = GUARDS.get(ctx.action)
    return guard(ctx) if guard else None
