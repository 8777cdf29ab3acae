"""The office's own configuration: its name, numbering, remedy bodies, contact, escalation ladder,
mail server and the rulebook's local periods (`settings.py`), stored in the database and read by
every layer from `ledger/` up. Changing a setting is an audited act of an admin: `admin/office.py`.

May import: `states/`, `workflow.models`, config, errors, `clock/` (the ladder's syntax)."""
