"""``drillsim play`` and the picker ``drillsim`` opens without a command."""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import TYPE_CHECKING

from drillsim.commands import EXIT_OK, EXIT_USAGE, CommandError
from drillsim.commands.values import seed, speed, team_name

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence

    from drillsim.tui.app import DrillsimApp

EPILOG = """\
examples:
  drillsim play                              the flagship scenario, a random seed
  drillsim play --seed 7 --speed 8           the flagship, seed 7, eight times real time
  drillsim play map-outage-mid-send --team "Marketing ops"
                                             a bundled scenario, the team named in the debrief
  drillsim play my-drill.yaml                your own scenario file (drillsim validate it first)"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Play a drill: briefing, live exercise, debrief. Without a scenario,\n"
        "the flagship scenario is played. Every run is journaled in the data folder's\n"
        "runs folder and kept in the run history (drillsim runs), as practice unless\n"
        "--official."
    )
    parser.epilog = EPILOG
    parser.add_argument(
        "scenario", nargs="?", metavar="SCENARIO", help="a .yaml file or a bundled id"
    )
    parser.add_argument(
        "--seed",
        type=seed,
        metavar="N",
        help="seed for names and the hidden outage (default: random)",
    )
    parser.add_argument(
        "--speed",
        type=speed,
        metavar="X",
        help="exercise seconds per real second (default: the scenario's)",
    )
    parser.add_argument(
        "--team",
        type=team_name,
        metavar="NAME",
        help="team name for the journal and debrief",
    )
    parser.add_argument(
        "--official",
        action="store_true",
        help="an official run: it counts in the team's trend (drillsim compare --team T "
        "--scenario S); without it the run is practice",
    )


VALUED: dict[str, Callable[[str], object]] = {
    "--seed": seed,
    "--speed": speed,
    "--team": team_name,
}
"""The options of ``drillsim play`` that take a value, and its type (see configure)."""


def plain_arguments(arguments: Sequence[str]) -> SimpleNamespace | None:
    """``drillsim play``'s arguments read without argparse, whose import and parser cost a
    start-up that is measured against a bare Textual app's; None for anything else, which
    argparse then reads.

    Only the plain form is read here: ``play``, then at most one scenario, each option written
    in full at most once (``--seed N``, ``--speed X``, ``--team NAME``, ``--official``), values
    that do not start with ``-``. argparse reads that form exactly so
    (tests/test_play_arguments.py compares the two); help, abbreviations, ``--seed=7``, repeats,
    ``--``, global options and values the types refuse are argparse's to answer.
    """
    if arguments[:1] != ["play"]:
        return None
    found: dict[str, object] = dict.fromkeys(("scenario", "seed", "speed", "team"))
    found["official"] = False
    words = iter(arguments[1:])
    for word in words:
        if word == "--official" and not found["official"]:
            found["official"] = True
        elif word in VALUED and found[word[2:]] is None:
            value = next(words, "-")
            if value.startswith("-"):
                return None
            try:
                found[word[2:]] = VALUED[word](value)
            except Exception:  # argparse.ArgumentTypeError: argparse words the refusal
                return None
        elif not word.startswith("-") and found["scenario"] is None:
            found["scenario"] = word
        else:
            return None
    return SimpleNamespace(command="play", data_dir=None, **found)


def run(args: argparse.Namespace | SimpleNamespace) -> int:
    app = play_app(args)  # a mistyped scenario is reported before anything else
    if not _interactive():
        raise CommandError("needs a terminal (stdin and stdout must be a TTY)", EXIT_USAGE)
    app.run()
    if app.refusal is not None:  # the run could not be kept: said once the screen is gone
        raise app.refusal
    return app.return_code or EXIT_OK


def play_app(args: argparse.Namespace | SimpleNamespace) -> DrillsimApp:
    """The app ``drillsim play`` runs (the start-up benchmark builds it the same way)."""
    from drillsim.engine.draws import DrawApart

    # Faker draws the run's names in a helper process started first, so it loads while the
    # scenario is read and Textual imports: the briefing is usable as soon as it is drawn.
    names = DrawApart()
    from drillsim.commands.inputs import load_scenario, runs_folder
    from drillsim.library import resolve
    from drillsim.paths import runs_path
    from drillsim.tui.setup import PlaySetup

    try:
        loaded = load_scenario(args.scenario)
    except CommandError:
        names.cancel()
        raise
    path = resolve(args.scenario)
    seed = args.seed if args.seed is not None else PlaySetup.new_seed()
    names.draw(loaded.scenario, seed)
    from drillsim.tui.app import make_app

    return make_app(
        path,
        loaded=loaded,
        names=names,
        seed=seed,
        speed=args.speed,
        team=args.team or "",
        journal_dir=runs_path(),
        official=args.official,
        preflight=runs_folder,  # after the first frame: the history's database loads then
    )


def run_picker(args: argparse.Namespace | SimpleNamespace) -> int:
    """Pick a bundled scenario and play it; without a terminal, print the help instead."""
    if not _interactive():
        from drillsim.commands.parser import build_parser

        build_parser().print_help()
        return EXIT_OK
    from drillsim.commands.inputs import runs_folder
    from drillsim.tui.app import make_app

    app = make_app(None, journal_dir=runs_folder())
    app.run()
    return app.return_code or EXIT_OK


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()
