"""The statutory clock: the facts a case's events give, the deadlines computed from them and the
working-day calendar, the day-by-day explanation, service dates, the escalation ladder, what a case
waits for next. Pure computation over facts, apart from reading the tables it is handed.

May import: `states/`, `workflow.models`, config, errors, timeutil, `calendar/`."""
