"""What an admin (or an approver) changes, each change checked and audited in the caller's
transaction: users and their roles, the demo logins of the embedded default, the office's settings,
the working-day calendar, and the texts and figures of the annual report.

May import: `states/` and the engine up to `accounts/`, `office/` and `registry/` (the annual
report's section 二 counts the registry's items); never `actions/`, `service` or above."""
