"""The information registry's flow, as data: 公开属性源头认定 and proactive disclosure.

Every document the office makes gets its disclosure attribute when it is registered (Art. 12–16;
the work plans' 源头认定): proactive (主动公开), on request (依申请公开), withheld (不予公开),
redacted (删减后公开) or declassified (脱密后公开). An item is reviewed for confidentiality (保密审查),
signed off (审签) and, when it is to be made public, published within 20 working days of being
made or changed (Art. 26). Items not disclosed proactively are re-evaluated on a period the office
sets; an item given out in answers to several applications is proposed for proactive disclosure
(Art. 44). Pure data and one `transitions` machine (auto_transitions off, a plain token): no I/O.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from enum import StrEnum

from transitions import Machine, MachineError

from states.lifecycle import Role
from states.outcomes import Ground


class ItemState(StrEnum):
    REGISTERED = "registered"
    REVIEWED = "reviewed"
    APPROVED = "approved"
    PUBLISHED = "published"
    CHANGED = "changed"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


ITEM_STATE_LABELS: dict[ItemState, str] = {
    ItemState.REGISTERED: "已登记",
    ItemState.REVIEWED: "已保密审查",
    ItemState.APPROVED: "已审签",
    ItemState.PUBLISHED: "已公开",
    ItemState.CHANGED: "已变更待重新公开",
    ItemState.WITHDRAWN: "已撤销",
    ItemState.EXPIRED: "已废止或失效",
}
ITEM_TERMINAL = frozenset({ItemState.WITHDRAWN, ItemState.EXPIRED})


class Attribute(StrEnum):
    PROACTIVE = "proactive"
    ON_REQUEST = "on_request"
    WITHHELD = "withheld"
    REDACTED = "redacted"
    DECLASSIFIED = "declassified"


ATTRIBUTE_LABELS: dict[Attribute, str] = {
    Attribute.PROACTIVE: "主动公开",
    Attribute.ON_REQUEST: "依申请公开",
    Attribute.WITHHELD: "不予公开",
    Attribute.REDACTED: "删减后公开",
    Attribute.DECLASSIFIED: "脱密后公开",
}
# Made public by the office itself (the catalogue, the 20-working-day clock); the others are not.
PUBLISHED_ATTRIBUTES = frozenset({Attribute.PROACTIVE, Attribute.REDACTED, Attribute.DECLASSIFIED})
# Withholding, in whole or in part, rests on a ground of Art. 14–16.
GROUNDED_ATTRIBUTES = frozenset({Attribute.WITHHELD, Attribute.REDACTED})


class Kind(StrEnum):
    """The document's kind: the annual report's section 二 counts rules and normative documents."""

    RULE = "rule"
    NORMATIVE = "normative"
    OTHER = "other"


KIND_LABELS: dict[Kind, str] = {Kind.RULE: "规章", Kind.NORMATIVE: "行政规范性文件", Kind.OTHER: "其他文件"}


class InfoAction(StrEnum):
    REVIEW = "review"
    APPROVE = "approve"
    PUBLISH = "publish"
    CHANGE = "change"
    REPUBLISH = "republish"
    REEVALUATE = "reevaluate"
    PROPOSE_PROACTIVE = "propose_proactive"
    WITHDRAW = "withdraw"
    EXPIRE = "expire"


REVIEW_CONCLUSIONS: dict[str, str] = {
    "clear": "未发现涉密或敏感内容",
    "redaction_needed": "需删减后公开",
    "declassification_needed": "需脱密后公开",
    "not_disclosable": "不宜公开",
}


@dataclass(frozen=True, slots=True)
class InfoField:
    label: str
    type: str  # text | date | choice
    choices: tuple[str, ...] = ()


INFO_FIELDS: dict[str, InfoField] = {
    "conclusion": InfoField("审查结论", "choice", tuple(REVIEW_CONCLUSIONS)),
    "note": InfoField("备注", "text"),
    "comment": InfoField("审签意见", "text"),
    "published_on": InfoField("公开日期（默认今天）", "date"),
    "channel": InfoField("公开方式（如政府网站、政府公报）", "text"),
    "url": InfoField("公开网址", "text"),
    "changed_on": InfoField("变更日期", "date"),
    "reason": InfoField("理由", "text"),
    "attribute": InfoField("公开属性", "choice", ("proactive", "on_request", "withheld", "redacted", "declassified")),
    "ground": InfoField("不予公开依据（第十四条至第十六条）", "choice", tuple(g.value for g in Ground)),
    "cases": InfoField("依申请公开的案件", "text"),
    "expired_on": InfoField("废止或失效日期", "date"),
}


@dataclass(frozen=True, slots=True)
class InfoActionSpec:
    label: str
    sources: tuple[ItemState, ...]
    dest: ItemState | None  # None: an in-state action
    roles: frozenset[Role]
    fields: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    article: str = ""
    notes: tuple[str, ...] = field(default=())


S = ItemState
R = Role
LIVE = (S.REGISTERED, S.REVIEWED, S.APPROVED, S.PUBLISHED, S.CHANGED)
INFO_ACTIONS: dict[InfoAction, InfoActionSpec] = {
    InfoAction.REVIEW: InfoActionSpec(
        "保密审查",
        (S.REGISTERED, S.CHANGED),
        S.REVIEWED,
        frozenset({R.REVIEWER}),
        ("conclusion", "note"),
        ("conclusion",),
        "第十七条",
    ),
    InfoAction.APPROVE: InfoActionSpec(
        "审签",
        (S.REVIEWED,),
        S.APPROVED,
        frozenset({R.APPROVER}),
        ("comment",),
        (),
        "第十七条",
        ("审签人不得为登记人。",),
    ),
    InfoAction.PUBLISH: InfoActionSpec(
        "公开发布",
        (S.APPROVED,),
        S.PUBLISHED,
        frozenset({R.HANDLER, R.REGISTRAR, R.ADMIN}),
        ("published_on", "channel", "url"),
        (),
        "第二十三条、第二十六条",
    ),
    InfoAction.CHANGE: InfoActionSpec(
        "内容变更",
        (S.PUBLISHED,),
        S.CHANGED,
        frozenset({R.HANDLER, R.ADMIN}),
        ("changed_on", "reason"),
        ("changed_on", "reason"),
        "第二十六条",
        ("变更之日起20个工作日内须重新公开。",),
    ),
    InfoAction.REPUBLISH: InfoActionSpec(
        "重新公开",
        (S.CHANGED,),
        S.PUBLISHED,
        frozenset({R.HANDLER, R.REGISTRAR, R.ADMIN}),
        ("published_on", "channel", "url"),
        (),
        "第二十六条",
    ),
    InfoAction.REEVALUATE: InfoActionSpec(
        "定期评估公开属性",
        (S.APPROVED, S.PUBLISHED),
        None,
        frozenset({R.HANDLER, R.APPROVER}),
        ("attribute", "reason", "ground"),
        ("attribute",),
        "第二十条、第四十四条",
        ("改为主动公开的，自评估之日起20个工作日内公开。",),
    ),
    InfoAction.PROPOSE_PROACTIVE: InfoActionSpec(
        "建议转为主动公开",
        (S.APPROVED,),
        None,
        frozenset({R.SYSTEM, R.HANDLER}),
        ("cases", "note"),
        (),
        "第四十四条",
    ),
    InfoAction.WITHDRAW: InfoActionSpec(
        "撤销登记",
        LIVE,
        S.WITHDRAWN,
        frozenset({R.APPROVER, R.ADMIN}),
        ("reason",),
        ("reason",),
    ),
    InfoAction.EXPIRE: InfoActionSpec(
        "废止或失效",
        (S.APPROVED, S.PUBLISHED, S.CHANGED),
        S.EXPIRED,
        frozenset({R.APPROVER, R.ADMIN}),
        ("expired_on", "reason"),
        ("expired_on",),
        "第二十条",
    ),
}


@dataclass(frozen=True, slots=True)
class RegistryRules:
    """The registry's periods, settings with the statute's defaults (ogi-rules.md)."""

    publish_days: int = 20  # Art. 26: within 20 working days of being made or changed
    proposal_threshold: int = 3  # Art. 44: disclosed on request this many times → propose
    reevaluation_days: int = 365  # convention: non-proactive items are re-evaluated yearly


DEFAULT_REGISTRY_RULES = RegistryRules()


class IllegalInfoMove(Exception):
    """The action cannot be taken from the item's current state."""

    def __init__(self, state: ItemState, action: InfoAction) -> None:
        allowed = "、".join(a.value for a, s in INFO_ACTIONS.items() if state in s.sources) or "无"
        super().__init__(
            f"当前状态“{ITEM_STATE_LABELS[state]}”下不能办理“{INFO_ACTIONS[action].label}”（{action.value}）；"
            f"此状态下可办理：{allowed}"
        )


class _Token:
    state: str


_local = threading.local()


def _machine() -> tuple[Machine, _Token]:
    pair: tuple[Machine, _Token] | None = getattr(_local, "pair", None)
    if pair is None:
        token = _Token()
        table = [
            {
                "trigger": a.value,
                "source": [s.value for s in spec.sources],
                "dest": spec.dest.value if spec.dest else None,
            }
            for a, spec in INFO_ACTIONS.items()
        ]
        machine = Machine(
            model=token,
            states=[s.value for s in ItemState],
            transitions=table,
            initial=ItemState.REGISTERED.value,
            auto_transitions=False,
        )
        pair = _local.pair = (machine, token)
    return pair


def fire_info(state: ItemState, action: InfoAction) -> ItemState:
    """The state the item moves to when `action` is taken in `state`.

    Raises:
        IllegalInfoMove: the action is not available in this state.
    """
    machine, token = _machine()
    machine.set_state(state.value, model=token)
    try:
        token.trigger(action.value)  # type: ignore[attr-defined]
    except MachineError as exc:
        raise IllegalInfoMove(state, action) from exc
    return ItemState(token.state)


def info_actions_in(state: ItemState) -> list[InfoAction]:
    """Actions whose source states include `state`, before roles and guards."""
    return [a for a, spec in INFO_ACTIONS.items() if state in spec.sources]
