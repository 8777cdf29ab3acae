"""The engine: everything between the law as data (`states/`) and the interfaces (`web/`, `cli/`,
`workers/`). At this level: `service` (perform, the one audited path of an action), `bulk`
(many performs), `db`, `moment`, `config`, `errors`, `timeutil`, `logs`, `schema`, `demo`; the
rest lives in packages named for what they hold. The layers, lowest first, are written down in
tests/unit/test_import_graph.py: `models/` → config, errors → timeutil, logs → moment → db →
`calendar/`, `clock/` → `office/` → `ledger/` → `accounts/` → `cases/`, `files/` → `registry/`,
`redaction/` → `admin/`, `letters/` → `notify/` → `actions/` → service → `portal/`, `reports/`,
bulk → `sweep/`, demo, schema.

May import: `states/` only from outside itself; never `workers/`, `cli/` or `web/`."""
