"""The ``drillsim`` console script: parse, run one command, turn what stops it into an exit code.

The commands live in :mod:`drillsim.commands`, one module each, imported when used.
"""

from __future__ import annotations

import sys

from drillsim.commands import COMMANDS, EXIT_INTERRUPTED, EXIT_OK, CommandError
from drillsim.store import StoreError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence
    from types import SimpleNamespace


DRAWING_COMMANDS = ("simulate", "run", "lint", "preview")
"""Commands that draw runs' names with Faker in their own process (the TUI draws them in a
helper process)."""


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    own_process = argv is None  # this process is drillsim's own, not a caller's (a test's)
    if own_process and arguments[:1] in ([], ["play"]):
        from drillsim.startup import collection_held  # no collection until the TUI is usable

        with collection_held():
            return _command(arguments, own_process=own_process)
    return _command(arguments, own_process=own_process)


def _command(arguments: list[str], *, own_process: bool) -> int:
    if arguments[:1] == ["validate"]:
        # `drillsim validate` with nothing but paths and its two flags: the answer argparse
        # would give, without argparse's start-up (see plain_arguments).
        from drillsim.commands.validate import plain_arguments, run

        plain = plain_arguments(arguments)
        if plain is not None:
            return _guarded("drillsim validate", lambda: run(plain, own_process=own_process))
    if arguments[:1] == ["play"]:
        # `drillsim play` in its plain form: the answer argparse would give, without
        # argparse's start-up, which counts against a bare app's (see plain_arguments).
        from drillsim.commands.play import plain_arguments as plain_play

        played = plain_play(arguments)
        if played is not None:
            return _guarded("drillsim play", lambda: _run(played))
    from drillsim.commands.parser import build_parser

    args = build_parser(arguments).parse_args(arguments)
    prog = f"drillsim {args.command}" if args.command else "drillsim"
    if own_process and args.command in DRAWING_COMMANDS:
        from drillsim.engine.draws import lean_faker_config

        lean_faker_config()  # drillsim's own process: Faker without its survey of locales
    if args.data_dir is not None:
        from drillsim.paths import use_data_dir

        use_data_dir(args.data_dir)
    return _guarded(prog, lambda: _run(args))


def _guarded(prog: str, command: Callable[[], int]) -> int:
    """Run ``command``; what stops it becomes a message on stderr and an exit code."""
    try:
        return command()
    except CommandError as error:
        for line in error.details:
            print(line, file=sys.stderr)
        print(f"{prog}: {error.message}", file=sys.stderr)
        return error.exit_code
    except StoreError as error:
        print(f"{prog}: {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


def _run(args: argparse.Namespace | SimpleNamespace) -> int:
    """Run the command ``args`` were parsed for (the picker when there is none)."""
    from importlib import import_module  # not at module level: it imports warnings

    for command in COMMANDS:
        if command.name == args.command:
            return import_module(command.module).run(args)
    from drillsim.commands.play import run_picker

    return run_picker(args)


if __name__ == "__main__":
    sys.exit(main())
