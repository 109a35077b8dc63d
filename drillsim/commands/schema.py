"""``drillsim schema``: the scenario format's JSON Schema, for editors and CI."""

from __future__ import annotations

import argparse
import sys

from drillsim.commands import EXIT_OK, EXIT_USAGE, CommandError

EPILOG = """\
examples:
  drillsim schema > scenario.schema.json     the schema on stdout
  drillsim schema -o scenario.schema.json    ...or written to a file
  # then, in a scenario file, for editors with the YAML language server:
  # yaml-language-server: $schema=scenario.schema.json"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = "Print the JSON Schema of the scenario format, for editors and CI."
    parser.epilog = EPILOG
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")


def run(args: argparse.Namespace) -> int:
    import json

    from drillsim.scenario.schema import json_schema

    text = json.dumps(json_schema(), indent=2) + "\n"
    if not args.output:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise CommandError(f"cannot write {args.output}: {error.strerror}", EXIT_USAGE) from None
    return EXIT_OK
