"""A case outside its actions: intake, numbering, applicants (and the digests the ledger keeps of
them), payload parsing, fees, queries (read models) and remedies.

May import: `states/` and the engine below it: `workflow.models`, config, errors, timeutil, db,
moment, `calendar/`, `clock/`, `office/`, `ledger/`, `accounts/`."""
