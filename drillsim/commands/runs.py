"""``drillsim runs``: the run history, newest first; ``--reindex`` rebuilds it from the journals."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from drillsim.commands import EXIT_OK
from drillsim.commands.values import natural

if TYPE_CHECKING:
    from drillsim.store.database import RunRecord

DEFAULT_LIMIT = 50
"""Runs the text listing shows unless --limit says otherwise (JSON lists them all)."""

EPILOG = """\
examples:
  drillsim runs                              the last 50 runs, newest first
  drillsim runs --team "Marketing ops" --scenario map-outage-mid-send --since 2026-01-01
  drillsim runs --json                       every run as JSON: {"runs": [...]}
  drillsim runs --reindex                    rebuild the history from the journals
                                             (after a damaged or deleted database)

status: running (its process is playing it), interrupted (no process holds it and the
journal has no end: a crash, a kill, a closed terminal), partial (ended on purpose before
the outage ended), finished. Each run is marked practice or official."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "List the runs kept in the history: every played run and every\n"
        "drillsim run --save, newest first. The journals in the runs folder are the\n"
        "truth; the history is an index of them that --reindex rebuilds."
    )
    parser.epilog = EPILOG
    parser.add_argument("--scenario", metavar="S", help="only runs of this scenario id")
    parser.add_argument("--team", metavar="T", help="only runs of this team (exact name)")
    parser.add_argument(
        "--since", type=day, metavar="YYYY-MM-DD", help="only runs started on or after this day"
    )
    parser.add_argument(
        "--limit",
        type=natural,
        metavar="N",
        help=f"show at most N runs (default {DEFAULT_LIMIT}; 0 for all; JSON: all)",
    )
    parser.add_argument("--json", action="store_true", help='print {"runs": [...]} as JSON')
    parser.add_argument(
        "--reindex",
        action="store_true",
        help="rebuild the history from the journals first (the old database is kept aside)",
    )


def day(text: str) -> str:
    """An argument type: a calendar day, YYYY-MM-DD."""
    from datetime import date

    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day; use YYYY-MM-DD") from None


def run(args: argparse.Namespace) -> int:
    from drillsim.store.runs import open_history, rebuild

    if args.reindex:
        _rebuild(rebuild)
    with open_history() as history:
        for line in history.skipped:
            print(f"drillsim runs: warning: skipped {line}", file=sys.stderr)
        filters = {"scenario": args.scenario, "team": args.team, "since": args.since}
        limit = args.limit if args.limit is not None else (None if args.json else DEFAULT_LIMIT)
        found = history.find(**filters, limit=limit or None)
        total = history.count(**filters) if limit and len(found) == limit else len(found)
    if args.json:
        import json

        print(json.dumps({"runs": [run_json(record) for record in found]}, indent=2))
        return EXIT_OK
    _print(found, total, filtered=any(value is not None for value in filters.values()))
    return EXIT_OK


def _rebuild(rebuild: Any) -> None:
    from drillsim.paths import data_dir

    rebuilt = rebuild()
    for line in rebuilt.skipped:
        print(f"drillsim runs: warning: skipped {line}", file=sys.stderr)
    kept = f"; the old database is kept as {rebuilt.kept_aside}" if rebuilt.kept_aside else ""
    print(
        f"drillsim runs: rebuilt the history from {rebuilt.indexed} journal"
        f"{'s' if rebuilt.indexed != 1 else ''} in {data_dir() / 'runs'}{kept}",
        file=sys.stderr,
    )


def run_json(record: RunRecord) -> dict[str, object]:
    """A run as ``drillsim runs --json`` lists it."""
    from drillsim.store.runs import current_status, journal_of

    return {
        "id": record.id,
        "scenario": record.scenario,
        "scenario_version": record.scenario_version,
        "team": record.team,
        "seed": record.seed,
        "kind": record.kind,
        "official": record.official,
        "status": current_status(record),
        "started_at": record.started_at,
        "ended_at": record.ended_at,
        **record.scores(),
        "seal": record.seal,
        "journal": str(journal_of(record)),
    }


def _print(found: list[RunRecord], total: int, *, filtered: bool) -> None:
    from drillsim.cardtext import overall_text
    from drillsim.store.runs import current_status

    if not found:
        print(
            "no runs match; drop a filter to see more"
            if filtered
            else "no runs kept yet; play one (drillsim play) or save one (drillsim run --save)"
        )
        return
    print(
        f"{'ID':<28} {'STARTED':<16} {'SCENARIO':<22} {'TEAM':<16} {'SEED':>6} "
        f"{'MODE':<8} {'STATUS':<11} {'OVERALL':>7} RATING"
    )
    partial = False
    for record in found:
        started = (record.started_at or "")[:16].replace("T", " ")
        status = current_status(record)
        partial = partial or (status == "partial" and record.overall is not None)
        print(
            f"{record.id:<28} {started:<16} {_cut(record.scenario, 22)} "
            f"{_cut(record.team or '-', 16)} {record.seed:>6} "
            f"{'official' if record.official else 'practice':<8} {status:<11} "
            f"{overall_text(record.overall, status):>7} {record.rating or '-'}"
        )
    if partial:
        print("(overall): a partial run, scored on what was played and not rated")
    if total > len(found):
        print(
            f"... {total - len(found)} older run{'s' if total - len(found) > 1 else ''} "
            "not shown (--limit 0 shows all)"
        )


def _cut(text: str, width: int) -> str:
    return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)
