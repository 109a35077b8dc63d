"""The ``drillsim`` argument parser, and the argument types its commands share.

A command's parser gets its arguments from the command's module only when that command is
used (or its help shown), so ``drillsim validate`` never imports the other commands.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import import_module

from drillsim import __version__
from drillsim.commands import COMMANDS, EXIT_USAGE, Command

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

DESCRIPTION = """\
Rehearse the day a critical system fails: a timed tabletop exercise in your terminal.
Run it with no arguments to pick a bundled scenario and play it."""

EPILOG = """\
examples:
  drillsim                                   pick a scenario and play
  drillsim play --seed 7 --speed 8           the flagship, seed 7, eight times real time
  drillsim play map-outage-mid-send --team "Marketing ops"
  drillsim list                              the bundled scenarios
  drillsim validate scenarios/*.yaml         check scenario files (file:line:col errors)
  drillsim new my-drill                      start a scenario from a commented template
  drillsim preview my-drill.yaml --decisions
                                             its events list; each plan B's expected loss
  drillsim lint --check-scoring my-drill.yaml
                                             design warnings, golden runs, the scoring bar
  drillsim schema > scenario.schema.json     JSON Schema for editors
  drillsim simulate map-outage-mid-send --seeds 200
                                             how the baseline bots score, over many seeds
  drillsim score run.jsonl                   re-score a journal
  drillsim run map-outage-mid-send --actions team.yaml
                                             a script plays the team; the score card
  drillsim runs                              the runs kept in the history, newest first
  drillsim show latest                       the debrief of the last run
  drillsim compare RUN_A RUN_B               two runs side by side (or --team T --scenario S)
  drillsim report latest -o aar.md           the last run's after-action report
  drillsim resume latest                     go on with a run a crash cut short
  drillsim --data-dir DIR runs               keep runs and the history in DIR
  drillsim COMMAND --help                    a command's options, with examples

exit codes: 0 success, 1 invalid input or failed check, 2 usage error or unreadable path,
130 interrupted."""


class _Parser(argparse.ArgumentParser):
    """argparse that ends usage errors with a pointer to --help."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(
            EXIT_USAGE, f"{self.prog}: error: {message}\n(run '{self.prog} --help' for help)\n"
        )


class _CommandParser(_Parser):
    """A command's parser, configured by the command's module the first time it is needed."""

    def __init__(self, *, module: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self._module: str | None = module

    def _ready(self) -> None:
        if self._module is not None:
            module, self._module = self._module, None
            import_module(module).configure(self)

    def parse_known_args(self, args=None, namespace=None):
        self._ready()
        return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        self._ready()
        return super().format_usage()

    def format_help(self) -> str:
        self._ready()
        return super().format_help()


def _formatter(prog: str) -> argparse.HelpFormatter:
    """Help laid out as written (examples keep their columns), fitted to the terminal."""
    # An explicit width spares argparse importing shutil (and bz2, lzma) at start-up.
    try:
        width = int(os.environ.get("COLUMNS", "")) or os.get_terminal_size().columns
    except (ValueError, OSError):
        width = 80
    return argparse.RawDescriptionHelpFormatter(
        prog, max_help_position=32, width=max(40, min(width, 100) - 2)
    )


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given the arguments it will parse, only the commands they name get one.

    Each command's parser costs start-up time (``drillsim validate`` is meant to be about as
    quick as parsing its files), so when ``argv`` names a command and asks for no help, the
    other commands are left out. Without a command, or with ``--help``, every one is there.
    """
    parser = _Parser(
        prog="drillsim", description=DESCRIPTION, epilog=EPILOG, formatter_class=_formatter
    )
    parser.add_argument("--version", action="version", version=f"drillsim {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep runs, the run history and the sealing key in DIR (default: $DRILLSIM_HOME, "
        "else the platform's data folder, ~/.local/share/drillsim on Linux)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_CommandParser)
    for command in _needed(argv):
        commands.add_parser(
            command.name,
            help=command.summary,
            formatter_class=_formatter,
            module=command.module,
        )
    return parser


def _needed(argv: Sequence[str] | None) -> tuple[Command, ...]:
    """The commands ``argv`` may run: those it names (a value such as ``--data-dir runs`` may
    look like one too), or all of them without a name or when help is asked for."""
    if argv is None or "-h" in argv or "--help" in argv:
        return COMMANDS
    named = tuple(command for command in COMMANDS if command.name in argv)
    return named or COMMANDS
