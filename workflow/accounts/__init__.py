"""Who acts: users and their roles, the audited door that checks the acting role before the ledger
is written, console sessions, passwords, API tokens, demo logins and case ownership.

May import: `states/`, `workflow.models`, config, errors, timeutil, db, moment, `ledger/`, and the
office's settings (`workflow.office.settings`, for session timeouts)."""
