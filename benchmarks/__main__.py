"""The benchmark suite: `python -m benchmarks [--full] [--only NAME ...] [--out PATH]`.

Runs each benchmark (ours and its baseline in the same run), prints a table and writes
benchmarks/RESULTS.md with the command, the machine and every figure. The quick profile (the
default) takes a few minutes; --full adds the largest sizes (1M open cases, 1M ledger events).
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from benchmarks import (
    audit_bench,
    console_bench,
    e2e,
    letters_bench,
    perform_bench,
    redaction_bench,
    sweep_bench,
    workdays,
)
from benchmarks.common import Outcome, drop_leftovers, machine
from benchmarks.findings import FINDINGS

BENCHMARKS: dict[str, Callable[[bool], Outcome]] = {
    "workdays": workdays.run,
    "perform": perform_bench.run,
    "sweep": sweep_bench.run,
    "letters": letters_bench.run,
    "audit": audit_bench.run,
    "e2e": e2e.run,
    "redaction": redaction_bench.run,
    "console": console_bench.run,
}
HEADERS = ("benchmark", "case", "ours", "baseline", "ratio", "target", "status")


def _cells(outcomes: list[Outcome]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for o in outcomes:
        label = o.title.split(" ", 1)[0].rstrip(".") + " " + o.key
        if o.skipped:
            rows.append((label, "skipped", o.skipped, "", "", "", ""))
        for r in o.rows:
            rows.append((label, r.case, r.ours, r.baseline, r.ratio, r.target, r.status))
    return rows


def print_table(outcomes: list[Outcome]) -> None:
    rows = [HEADERS, *_cells(outcomes)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    line = "  ".join("-" * w for w in widths)
    print()
    for k, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if k == 0:
            print(line)
    print()


def _md_row(cells: tuple[str, ...] | list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def markdown(outcomes: list[Outcome], command: str, facts: dict[str, str], total: float, full: bool) -> str:
    out = [
        "# Benchmark results",
        "",
        "Written by `python -m benchmarks` (benchmarks/__main__.py); every benchmark runs ours and its baseline "
        "in the same run. Re-run to refresh; figures vary by a few per cent from run to run.",
        "",
        f"- Command: `{command}` ({'full' if full else 'quick'} profile, {total:.0f} s in all)",
        *(f"- {k}: {v}" for k, v in facts.items()),
        "",
        "## Summary",
        "",
        _md_row(list(HEADERS)),
        _md_row(["---"] * len(HEADERS)),
        *(_md_row(c) for c in _cells(outcomes)),
        "",
        "## Targets",
        "",
    ]
    for o in outcomes:
        for note in o.notes:
            out.append(f"- **{o.title.split(' ', 1)[0]}** {note}")
        if o.skipped:
            out.append(f"- **{o.title.split(' ', 1)[0]}** not measured: {o.skipped}")
    for o in outcomes:
        out += ["", f"## {o.title}", "", o.method, "", f"Took {o.seconds:.1f} s.", ""]
        if o.skipped:
            out += [f"Not measured: {o.skipped}", ""]
            continue
        out.append(_md_row(["case", "ours", "baseline", "ratio", "target", "status"]))
        out.append(_md_row(["---"] * 6))
        out += [_md_row([r.case, r.ours, r.baseline, r.ratio, r.target, r.status]) for r in o.rows]
    out += ["", FINDINGS.strip(), ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--full", action="store_true", help="the largest sizes too (1M cases, 1M events)")
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), metavar="NAME", help=", ".join(BENCHMARKS))
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "RESULTS.md", help="report file")
    args = parser.parse_args(argv)
    command = " ".join(["python -m benchmarks", *(sys.argv[1:] if argv is None else argv)])
    names = args.only or list(BENCHMARKS)
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    failed = False
    try:
        for name in names:
            print(f"[{time.perf_counter() - started:6.1f} s] {name} …", flush=True)
            t0 = time.perf_counter()
            try:
                outcome = BENCHMARKS[name](args.full)
            except Exception as exc:
                traceback.print_exc()
                failed = True
                outcome = Outcome(name, name, "", skipped=f"failed: {type(exc).__name__}: {exc}")
            outcome.seconds = time.perf_counter() - t0
            outcomes.append(outcome)
    finally:
        drop_leftovers()
    total = time.perf_counter() - started
    print_table(outcomes)
    for o in outcomes:
        for note in o.notes:
            print(f"- {o.title.split(' ', 1)[0]} {note}")
    args.out.write_text(markdown(outcomes, command, machine(), total, args.full), encoding="utf-8")
    print(f"\n{len(outcomes)} benchmarks in {total:.0f} s; report written to {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
