"""``drillsim list``: the bundled scenarios."""

from __future__ import annotations

import argparse

from drillsim.commands import EXIT_OK

EPILOG = """\
examples:
  drillsim list                              id, length, difficulty and title, one a line
  drillsim list --json                       the same as JSON, with each file's path"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = "List the bundled scenarios with their id, length and difficulty."
    parser.epilog = EPILOG
    parser.add_argument("--json", action="store_true", help="print as JSON")


def run(args: argparse.Namespace) -> int:
    import json

    from drillsim.durations import format_duration, format_span
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
        length = format_span(entry.length)
        print(f"{entry.id:<28} {length:>10}  {entry.difficulty:<9} {entry.title}")
    return EXIT_OK
