"""The information registry: items of government information, their disclosure attribute, the
proactive-disclosure clock, the public catalogue's search, and where they meet applications.

`links`, `settings`, `clock`, `search` and `report` sit in the band of `cases/` and `letters/`
(letters cite catalogue items; the annual report counts items); `service` (its door), `queries`
and `sweep` sit with `actions/`.

May import: `states/` and the engine's foundations up to `accounts/`, `cases/` numbering and
`notify/`; never `service` or above."""
