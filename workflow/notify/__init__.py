"""Who is told: each person's inbox, the daily digest, the hand-offs an action makes, notices to
applicants who filed on the portal, and the e-mail outbox that delivers them.

May import: `states/`, `workflow.models`, config, errors, timeutil, db, `calendar/`, `clock/`,
`office/` settings, and `letters/`' registry of letter types."""
