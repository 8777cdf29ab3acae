"""One handler per registry action: what it writes on the item row besides its state, looked up
by the one perform (workflow/pipeline.py, the registry flow in workflow/registry/service.py).
Actions without an entry change only the item's state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from states.registry import Attribute, InfoAction
from workflow.models.registry import InfoItem


def _publish(item: InfoItem, data: dict[str, Any], today: date) -> None:
    data.setdefault("published_on", today)
    item.published_on = data["published_on"]
    item.channel = data.get("channel") or item.channel or "政府网站"
    item.url = data.get("url") or item.url
    item.flagged = False


def _change(item: InfoItem, data: dict[str, Any], _today: date) -> None:
    item.changed_on = data["changed_on"]


def _reevaluate(item: InfoItem, data: dict[str, Any], _today: date) -> None:
    item.attribute = data["attribute"]
    item.reason = data.get("reason") or item.reason
    item.ground = data.get("ground") if item.attribute != Attribute.PROACTIVE.value else None
    item.proposal_open = False


def _propose(item: InfoItem, _data: dict[str, Any], _today: date) -> None:
    item.proposal_open = True


def _expire(item: InfoItem, data: dict[str, Any], _today: date) -> None:
    item.expired_on = data["expired_on"]


EFFECTS: dict[InfoAction, Callable[[InfoItem, dict[str, Any], date], None]] = {
    InfoAction.PUBLISH: _publish,
    InfoAction.REPUBLISH: _publish,
    InfoAction.CHANGE: _change,
    InfoAction.REEVALUATE: _reevaluate,
    InfoAction.PROPOSE_PROACTIVE: _propose,
    InfoAction.EXPIRE: _expire,
}
