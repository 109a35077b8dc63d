"""``drillsim score``: score a run again from its journal alone."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from drillsim.commands import EXIT_INVALID, EXIT_OK, EXIT_USAGE, CommandError

if TYPE_CHECKING:
    from drillsim.journal import Header, Journal
    from drillsim.scenario.model import Scenario
    from scoring.card import ScoreCard

EPILOG = """\
examples:
  drillsim score ~/.local/share/drillsim/runs/RUN.jsonl
                                             a played run, its scenario from the bundled library
  drillsim score run.jsonl --scenario my-drill.yaml
                                             a run of your own scenario file
  drillsim score crashed.jsonl --partial     a run that stopped early, scored up to its end
  drillsim score run.jsonl --json            the score card as JSON"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Score a run from its journal alone. The scenario is found by the id in the\n"
        "journal (bundled library) or given with --scenario; it must be the exact file the run\n"
        "was recorded with (same version and content)."
    )
    parser.epilog = EPILOG
    parser.add_argument("journal", metavar="JOURNAL", help="a .jsonl journal")
    parser.add_argument(
        "--scenario", metavar="PATH", help="the scenario file the run was recorded with"
    )
    parser.add_argument("--json", action="store_true", help="print the score card as JSON")
    parser.add_argument(
        "--partial",
        action="store_true",
        help="score a run that stopped early (a crash, or a team that quit): what happened "
        "up to its last event, marked partial",
    )


def run(args: argparse.Namespace) -> int:
    journal = _read(args)
    scenario = _recorded_scenario(args, journal.header)
    card = _score(args, scenario, journal)
    _show(args, scenario, journal.header, card)
    return EXIT_OK


def _read(args: argparse.Namespace) -> Journal:
    from drillsim.journal import JournalError, read_journal

    try:
        return read_journal(args.journal, partial=args.partial)
    except JournalError as error:
        raise CommandError(str(error), EXIT_USAGE if error.line == 0 else EXIT_INVALID) from None


def _recorded_scenario(args: argparse.Namespace, header: Header) -> Scenario:
    """The scenario the run was recorded with: exactly that file, or a refusal naming both."""
    from drillsim.commands.inputs import load_scenario

    scenario, sha256 = load_scenario(args.scenario or header.scenario)
    if sha256 != header.scenario_sha256 or scenario.id != header.scenario:
        where = args.scenario or "the bundled library"
        raise CommandError(
            f"{args.journal}:1: the run was recorded with {header.scenario} "
            f"{header.scenario_version} (sha256 {header.scenario_sha256[:12]}), but {where} has "
            f"{scenario.id} {scenario.version} (sha256 {sha256[:12]}); pass --scenario with the "
            "scenario file the run was recorded with"
        )
    return scenario


def _score(args: argparse.Namespace, scenario: Scenario, journal: Journal) -> ScoreCard:
    from scoring import score_run
    from scoring.timeline import JournalMismatch

    try:
        return score_run(scenario, journal.events)
    except (JournalMismatch, KeyError, TypeError, ValueError) as error:
        raise CommandError(
            f"{args.journal}: the events do not fit the scenario ({error}); "
            "use the journal as drillsim wrote it"
        ) from None


def _show(args: argparse.Namespace, scenario: Scenario, header: Header, card: ScoreCard) -> None:
    if args.json:
        import json

        print(json.dumps(card.as_dict()))
        return
    from drillsim.cardtext import card_text

    player = f"policy {header.policy}" if header.policy else f"team {header.team!r}"
    title = f"{scenario.id} {scenario.version} · seed {header.seed} · {player}"
    print(card_text(card, title=title))
