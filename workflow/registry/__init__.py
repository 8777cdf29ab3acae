"""The information registry: items of government information, their disclosure attribute, the
proactive-disclosure clock, the public catalogue's search, and where they meet applications
(`links`, which letters cite). Its sweep is `sweep/registry.py`.

May import: `states/` and the engine up to `accounts/` and `cases/` (numbering); never
`letters/`, `notify/`, `actions/`, `service` or above."""
