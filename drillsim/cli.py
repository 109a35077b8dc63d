"""The ``drillsim`` command line. Subcommands import what they need when they run."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from drillsim import __version__

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

DESCRIPTION = """\
Rehearse the day a critical system fails: a timed tabletop exercise in your terminal.
Run it with no arguments to pick a bundled scenario and play it."""

EPILOG = """\
examples:
  drillsim                                   pick a scenario and play
  drillsim play map-outage-mid-send --team "Marketing ops"
  drillsim list                              the bundled scenarios
  drillsim validate scenarios/*.yaml         check scenario files (file:line:col errors)
  drillsim schema > scenario.schema.json     JSON Schema for editors

exit codes: 0 success, 1 invalid input or failed check, 2 usage error or unreadable path."""


class _Parser(argparse.ArgumentParser):
    """argparse that ends usage errors with a pointer to --help."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(
            EXIT_USAGE, f"{self.prog}: error: {message}\n(run '{self.prog} --help' for help)\n"
        )


def _formatter(prog: str) -> argparse.HelpFormatter:
    # An explicit width spares argparse importing shutil (and bz2, lzma) at start-up.
    try:
        width = int(os.environ.get("COLUMNS", "")) or os.get_terminal_size().columns
    except (ValueError, OSError):
        width = 80
    return argparse.RawDescriptionHelpFormatter(
        prog, max_help_position=32, width=max(40, min(width, 100) - 2)
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="drillsim", description=DESCRIPTION, epilog=EPILOG, formatter_class=_formatter
    )
    parser.add_argument("--version", action="version", version=f"drillsim {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    validate = commands.add_parser(
        "validate",
        help="check scenario files and report every problem as file:line:col",
        description="Check scenario files. Every problem is one line:\n"
        "  path:line:col: field: what is wrong; what to do\n"
        "Exit code 0 when all files are valid, 1 when any has an error, 2 for unreadable paths.",
        formatter_class=_formatter,
    )
    validate.add_argument("paths", nargs="+", metavar="PATH", help="scenario .yaml files")
    validate.add_argument(
        "--strict", action="store_true", help="treat warnings as errors (exit 1 on any)"
    )
    validate.add_argument("--json", action="store_true", help="print problems as JSON")
    validate.set_defaults(run=_run_validate)

    schema = commands.add_parser(
        "schema",
        help="print the scenario format's JSON Schema (draft 2020-12)",
        description="Print the JSON Schema of the scenario format, for editors and CI.",
        formatter_class=_formatter,
    )
    schema.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    schema.set_defaults(run=_run_schema)

    listing = commands.add_parser(
        "list",
        help="list the bundled scenarios",
        description="List the bundled scenarios with their id, length and difficulty.",
        formatter_class=_formatter,
    )
    listing.add_argument("--json", action="store_true", help="print as JSON")
    listing.set_defaults(run=_run_list)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        parser.print_help()
        return EXIT_OK
    try:
        return run(args)
    except KeyboardInterrupt:
        print("drillsim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def _run_validate(args: argparse.Namespace) -> int:
    from drillsim.scenario.loader import check_file
    from drillsim.scenario.problems import UnreadableScenario

    worst = EXIT_OK
    report = []
    valid = 0
    for path in args.paths:
        try:
            checked = check_file(path)
        except UnreadableScenario as error:
            for problem in error.problems:
                report.append(problem.as_dict())
                if not args.json:
                    print(problem, file=sys.stderr)
            worst = EXIT_USAGE
            continue
        failing = checked.problems if args.strict else checked.errors
        for problem in checked.problems:
            report.append(problem.as_dict())
            if not args.json:
                print(problem)
        if failing:
            worst = max(worst, EXIT_INVALID)
        else:
            valid += 1
    if args.json:
        import json

        print(json.dumps({"valid": valid, "files": len(args.paths), "problems": report}, indent=2))
    else:
        checked_count = len(args.paths)
        noun = "file" if checked_count == 1 else "files"
        print(f"{valid} of {checked_count} {noun} valid", file=sys.stderr)
    return worst


def _run_schema(args: argparse.Namespace) -> int:
    import json

    from drillsim.scenario.schema import json_schema

    text = json.dumps(json_schema(), indent=2) + "\n"
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as error:
            print(f"drillsim: cannot write {args.output}: {error.strerror}", file=sys.stderr)
            return EXIT_USAGE
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _run_list(args: argparse.Namespace) -> int:
    import json

    from drillsim.durations import format_duration
    from drillsim.library import entries

    found = entries()
    if args.json:
        rows = [
            {
                "id": entry.id,
                "title": entry.title,
                "length": format_duration(entry.length),
                "difficulty": entry.difficulty,
                "path": str(entry.path),
            }
            for entry in found
        ]
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    for entry in found:
        length = format_duration(entry.length)
        print(f"{entry.id:<28} {length:>6}  {entry.difficulty:<9} {entry.title}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
