"""``drillsim score``: score a run again from its journal alone."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from drillsim.commands import EXIT_OK, CommandError

if TYPE_CHECKING:
    from drillsim.recorded import RecordedRun
    from scoring.card import ScoreCard

EPILOG = """\
examples:
  drillsim score ~/.local/share/drillsim/runs/RUN.jsonl
                                             a played run: checked, replayed, scored
  drillsim score crashed.jsonl --partial     a run that stopped early, scored up to its end
  drillsim score run.jsonl --json            the score card as JSON, with its "seal"
  drillsim score edited.jsonl --accept-edited
                                             a journal changed by hand, scored and marked so
  drillsim score old.jsonl --scenario my-drill.yaml
                                             a first-format journal of your own scenario file"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Score a run from its journal alone. The journal carries the exact scenario text it\n"
        "was played on, and is checked first: its hash chain, its seal, and a replay of its\n"
        "inputs through the engine. An edited journal is refused unless --accept-edited.\n"
        "A first-format journal names its scenario instead: the bundled one, or --scenario."
    )
    parser.epilog = EPILOG
    parser.add_argument("journal", metavar="JOURNAL", help="a .jsonl journal")
    parser.add_argument(
        "--scenario",
        metavar="PATH",
        help="first-format journals only: the scenario file the run was recorded with",
    )
    parser.add_argument("--json", action="store_true", help="print the score card as JSON")
    parser.add_argument(
        "--partial",
        action="store_true",
        help="score a run that stopped early (a crash, or a team that quit): what happened "
        "up to its last event (or the last minute its clock reached), marked partial",
    )
    parser.add_argument(
        "--accept-edited",
        action="store_true",
        help="score a journal changed after it was written; every output marks it edited",
    )


def run(args: argparse.Namespace) -> int:
    recorded = _open(args)
    for warning in recorded.warnings:
        print(f"drillsim score: warning: {warning}", file=sys.stderr)
    card = _score(args, recorded)
    _show(args, recorded, card)
    return EXIT_OK


def _open(args: argparse.Namespace) -> RecordedRun:
    from drillsim.recorded import RunRefused, open_run

    try:
        return open_run(
            args.journal,
            partial=args.partial,
            accept_edited=args.accept_edited,
            scenario_path=args.scenario,
        )
    except RunRefused as error:
        raise CommandError(str(error), error.exit_code) from None


def _score(args: argparse.Namespace, recorded: RecordedRun) -> ScoreCard:
    from scoring import score_run
    from scoring.timeline import JournalMismatch

    journal = recorded.journal
    try:
        return score_run(recorded.scenario, journal.events, journal.clock_until)
    except JournalMismatch as error:
        raise CommandError(
            f"{args.journal}: the events do not fit the scenario ({error}); "
            "use the journal as drillsim wrote it"
        ) from None


def _show(args: argparse.Namespace, recorded: RecordedRun, card: ScoreCard) -> None:
    from drillsim.cardtext import run_report

    print(run_report(card, recorded.journal.header, recorded.seal, as_json=args.json))
