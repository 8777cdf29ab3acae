"""The engine: everything between the law as data (`states/`) and the interfaces (`web/`, `cli/`,
`workers/`). At this level: `service` (perform, the one audited path of an action), `sweep`,
`db`, `moment`, `config`, `errors`, `timeutil`, `logs`, `schema`, `demo`, `beat_lock`; the rest
lives in packages named for what they hold. The layers, lowest first, are written down in
tests/unit/test_import_graph.py: `models/` → config, errors → db, moment → `calendar/`, `clock/`
→ `ledger/` → `accounts/` → `office/`, `cases/`, `files/`, `letters/`, `notify/`, `redaction/`,
`registry/` → `actions/` → service → `portal/`, `reports/` → sweep, demo.

May import: `states/` only from outside itself; never `workers/`, `cli/` or `web/`."""
