"""``drillsim rescore``: score kept runs again with this drillsim's scoring, and record its
version in the history."""

from __future__ import annotations

import argparse
import sys

from drillsim.commands import EXIT_INVALID, EXIT_OK, EXIT_USAGE, CommandError

EPILOG = """\
examples:
  drillsim rescore latest                    the run started last
  drillsim rescore 20261002T0900 20261103T1400
  drillsim rescore --all                     every kept run (after an upgrade)

Each run is read, replayed and scored again from its journal; the history then holds the
new scores and the scoring version that made them. Journals are never changed. Runs still
being played are left for when they end."""


def configure(parser: argparse.ArgumentParser) -> None:
    from drillsim.store.refs import RUN_HELP

    parser.description = (
        "Score kept runs again with the current scoring, and record its version.\n"
        "After an upgrade that changed the scoring, rescore --all puts every run on the\n"
        "same scale; the baseline bots are played again on each run's seed."
    )
    parser.epilog = EPILOG
    parser.add_argument("runs", nargs="*", metavar="RUN", help=RUN_HELP)
    parser.add_argument("--all", action="store_true", help="every run kept in the history")


def run(args: argparse.Namespace) -> int:
    from drillsim.store import StoreError
    from drillsim.store.refs import resolve_run
    from drillsim.store.runs import current_status, index_journal, journal_of, open_history
    from scoring import __version__ as scoring_version

    if args.all == bool(args.runs):
        raise CommandError("give runs to rescore, or --all (not both)", EXIT_USAGE)
    failed = 0
    with open_history() as history:
        if args.all:
            chosen = history.find()
        else:
            chosen = []
            for reference in args.runs:
                found = resolve_run(reference, history)
                if found.record is None:
                    raise CommandError(
                        f"{reference}: this journal is not kept in the history; "
                        "drillsim import it first"
                    )
                chosen.append(found.record)
        for record in chosen:
            run_id = record.id
            if current_status(record) == "running":
                print(f"drillsim rescore: {run_id}: still being played; rescore it when it ends")
                continue
            try:
                new = index_journal(history, journal_of(record), running=False)
            except StoreError as error:
                print(f"drillsim rescore: {error.message}", file=sys.stderr)
                failed += 1
                continue
            print(
                f"{run_id}: overall {_num(record.overall)} -> {_num(new.overall)} "
                f"(scoring {record.scoring_version or '-'} -> {scoring_version})"
            )
    return EXIT_INVALID if failed else EXIT_OK


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"
