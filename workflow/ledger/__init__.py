"""The hash-chained ledger and what is read back from it: the append-only write (which takes the
acting role as a value), its verification and signed checkpoints, and the projection of a case's
events onto its row (the clock snapshot and due-date columns).

May import: `states/`, `workflow.models`, config, errors, timeutil, db, moment, `calendar/`, `clock/`.
Never `accounts/` or anything above: who may act is decided before the ledger is written."""
