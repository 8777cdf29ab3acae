"""The office's own configuration and what it writes: its settings (`settings.py`, read by every
layer from `accounts/` up), the annual report's texts, the working-day calendar's administration.

`settings.py` may import: `states/`, `workflow.models`, errors, `clock/` (the ladder's syntax).
The rest may also import `ledger/` and `accounts/` (every change is audited)."""
