"""The periodic sweeps that enforce the deadlines: the cases' (warnings, escalations, lapses,
flags) and the registry's (publishing within 20 working days), and the lock that keeps one beat
scheduler per database.

May import: everything of the engine below it, `service` included (a lapse is an action); never
`workers/`, `cli/` or `web/`."""
