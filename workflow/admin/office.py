"""An admin changes the office's settings: checked, applied and audited in one transaction."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from workflow.accounts.audited import acting_role, audited_write
from workflow.office.settings import Office, load_office, office_dict, set_office


def change_setting(session: Session, *, key: str, value: str, actor: str, now: datetime) -> Office:
    """An admin changes one setting; the change is audited in the same transaction.

    Raises:
        Forbidden: the actor is not an admin. InvalidInput: see `set_office`.
    """
    acting_role(session, actor, ("admin",), what="修改机关设置")
    before = office_dict(load_office(session)).get(key)
    office = set_office(session, key, value)
    audited_write(
        session,
        actor=actor,
        action="office_setting",
        now=now,
        payload={"key": key, "from": before, "to": value.strip()},
        roles=("admin",),
        what="修改机关设置",
    )
    return office
