"""The annual report on disclosure work (Art. 49–50; 国办公开办函〔2021〕30号) and the office's
statistics, computed from the audit ledger as of a cut-off moment.

    layout   the national format as data: columns, rows, which row each result goes to
    facts    a case's ledger events folded into what the report counts (pure)
    annual   Tables 3 and 4, the drill-down and the reconciliation check (pure)
    ledger   reading the ledger up to the cut-off; `annual_report`
    stats    per department and handler: on-time rate, working days, overdue, extensions, fees
    render   Markdown, HTML and JSON; excel: the workbook; chart: the SVG chart

May import: `states/` and the engine below `service` (the ledger, the clock, the office's
settings and texts, `letters/` for the Word rendering); never `web/` or `cli/`."""

from __future__ import annotations

from workflow.reports.annual import AnnualReport, Cell
from workflow.reports.facts import cutoff_for, year_end
from workflow.reports.ledger import annual_report
from workflow.reports.stats import StatsReport, office_stats

__all__ = ["AnnualReport", "Cell", "StatsReport", "annual_report", "cutoff_for", "office_stats", "year_end"]
