"""Letters and notices: the registry of letter types, their context, rendering and issuing, and the
disclosure package sent with an answer (`disclosure.py`).

May import: `states/`, `workflow.models`, config, errors, timeutil, db, moment, `calendar/`,
`clock/`, `ledger/`, `accounts/`, the office's settings and the other packages of its band
`cases/`, `files/`, `registry/` (catalogue links); never `actions/`, `notify/` or `service`."""
