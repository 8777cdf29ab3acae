"""The errors the engine raises. Each names the rule (a stable id) and says what went wrong in
words a handler understands.

    WorkflowError
     ├── NotFound        the case, user or letter does not exist
     ├── Forbidden       the actor's role may not take this action
     ├── InvalidInput    a field is missing or malformed
     ├── Refused         the law or the flow does not allow the action now
     └── Conflict        the case changed since the caller read it (stale version)
"""

from __future__ import annotations


class WorkflowError(Exception):
    rule = "error"

    def __init__(self, message: str, rule: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if rule:
            self.rule = rule
        self.field = field

    def __str__(self) -> str:
        return f"{self.message}（规则 {self.rule}）"


class NotFound(WorkflowError):
    rule = "not_found"


class Forbidden(WorkflowError):
    rule = "role.forbidden"


class InvalidInput(WorkflowError):
    rule = "input.invalid"


class Refused(WorkflowError):
    rule = "flow.refused"


class Conflict(WorkflowError):
    rule = "version.conflict"
