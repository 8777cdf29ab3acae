"""Who may act on and read which case, beyond the role table (issue 14, point 4).

A person whose only role for an action is `handler` acts on cases assigned to them, on cases
nobody handles yet (taking one is how work starts), and, when the office setting
`department_scope` is on, on their department's cases. Every other role acts as the role table
says. Reading follows the same rule for people who are handlers and nothing else; every other
role (auditors and admins included) reads everything."""

from __future__ import annotations

from collections.abc import Iterable

from workflow.errors import Forbidden

HANDLER = "handler"


def handler_only(held: Iterable[str], allowed: Iterable[str]) -> bool:
    """True when `handler` is the only one of the allowed roles the person holds."""
    return set(held) & set(allowed) == {HANDLER}


def owns(
    *, name: str, department: str | None, case_handler: str | None, case_department: str | None, scope: str
) -> bool:
    if case_handler is None or case_handler == name:
        return True
    return scope == "on" and department is not None and case_department == department


def check_may_act(
    *,
    name: str,
    held: Iterable[str],
    allowed: Iterable[str],
    department: str | None,
    case_handler: str | None,
    case_department: str | None,
    case_number: str,
    scope: str,
) -> None:
    """Raises Forbidden (ownership.not_assigned) for a handler acting on someone else's case."""
    if not handler_only(held, allowed):
        return
    if not owns(
        name=name, department=department, case_handler=case_handler, case_department=case_department, scope=scope
    ):
        where = "或本部门" if scope == "on" else ""
        raise Forbidden(
            f"案件 {case_number} 由“{case_handler}”承办；承办人只能办理分派给自己{where}的案件",
            "ownership.not_assigned",
            "case",
        )


def may_read(
    *,
    name: str,
    held: Iterable[str],
    department: str | None,
    case_handler: str | None,
    case_department: str | None,
    scope: str,
) -> bool:
    if set(held) != {HANDLER}:
        return True
    return owns(
        name=name, department=department, case_handler=case_handler, case_department=case_department, scope=scope
    )
