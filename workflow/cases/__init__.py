"""A case outside its actions: intake, numbering, applicants, payload parsing, fees, queries
(read models), remedies, bulk assignment and provisional dates.

May import: `states/` and every package below it: `workflow.models`, config, errors, timeutil, db,
moment, `calendar/`, `clock/`, `ledger/`, `accounts/`, `office/`, `notify/`."""
