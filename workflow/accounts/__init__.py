"""Who acts: users and their roles as the engine looks them up, the audited door that checks the
acting role before the ledger is written (`audited.py`), console sessions, passwords, API tokens and
case ownership. Adding and changing users is `admin/users.py`.

May import: `states/`, `workflow.models`, config, errors, timeutil, db, moment, `ledger/` and the
office's settings (`office/`, for session timeouts)."""
