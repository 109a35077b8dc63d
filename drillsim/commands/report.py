"""``drillsim report``: the After-Action Report / Improvement Plan of a run, for the records."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from drillsim.commands import EXIT_OK, EXIT_USAGE, CommandError

if TYPE_CHECKING:
    from drillsim.aar import AfterActionReport

EPILOG = """\
examples:
  drillsim report latest                     the last run's report as Markdown, on stdout
  drillsim report RUN.jsonl -o aar.md        written to aar.md (never over an existing file)
  drillsim report RUN.jsonl -o aar.md --force
                                             written over aar.md
  drillsim report RUN.jsonl --format json    the same content as JSON
  drillsim report runs/*.jsonl --format csv -o quarter.csv
                                             one CSV row per run, for a spreadsheet

see docs/reports.md for the sections, the JSON keys and the CSV columns."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Write an HSEEP-style After-Action Report / Improvement Plan of a recorded run:\n"
        "overview, objectives rated P/S/M/U, strengths, every area for improvement, the\n"
        "timeline of injects, updates, decisions and notes, the facilitator's observations,\n"
        "the scores and what they mean, and an improvement-plan table to fill in. The run\n"
        "is checked and replayed first, as drillsim score does; a run that stopped early is\n"
        "reported as far as it got, marked partial or interrupted."
    )
    parser.epilog = EPILOG
    from drillsim.store.refs import RUN_HELP

    parser.add_argument(
        "runs", nargs="+", metavar="RUN", help=f"{RUN_HELP} (several for --format csv)"
    )
    parser.add_argument(
        "--format",
        choices=("md", "json", "csv"),
        default="md",
        help="md (default), json, or csv (one row per run)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument("--force", action="store_true", help="write over FILE if it exists")
    parser.add_argument(
        "--accept-edited",
        action="store_true",
        help="report a journal changed after it was written, marked edited",
    )


def run(args: argparse.Namespace) -> int:
    from drillsim import aar

    if args.format != "csv" and len(args.runs) > 1:
        raise CommandError(
            f"{len(args.runs)} runs given: --format {args.format} reports one run; "
            "pass one RUN, or --format csv for one row per run",
            EXIT_USAGE,
        )
    reports = [_report(run, args.accept_edited) for run in args.runs]
    text = aar.to_csv(reports) if args.format == "csv" else aar.FORMATS[args.format](reports[0])
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        aar.write_report(args.output, text, force=args.force)
    except FileExistsError:
        raise CommandError(
            f"{args.output} exists; pass --force to write over it, or choose another -o FILE",
            EXIT_USAGE,
        ) from None
    except OSError as error:
        raise CommandError(
            f"cannot write {args.output} ({error.strerror}); choose another -o FILE", EXIT_USAGE
        ) from None
    print(f"drillsim report: wrote {args.output}", file=sys.stderr)
    return EXIT_OK


def _report(run: str, accept_edited: bool) -> AfterActionReport:
    from drillsim.aar import report_of
    from drillsim.commands.inputs import run_journal
    from drillsim.recorded import RunRefused, open_run
    from scoring.timeline import JournalMismatch

    path = run_journal(run)
    try:
        recorded = open_run(path, partial=True, accept_edited=accept_edited)
    except RunRefused as error:
        raise CommandError(str(error), error.exit_code) from None
    for warning in recorded.warnings:
        print(f"drillsim report: warning: {warning}", file=sys.stderr)
    try:
        return report_of(recorded)
    except JournalMismatch as error:
        raise CommandError(
            f"{path}: the events do not fit the scenario ({error}); "
            "use the journal as drillsim wrote it"
        ) from None
