"""``drillsim new``: start a scenario file from the commented template or a copy of another."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from drillsim.commands import EXIT_INVALID, EXIT_OK, EXIT_USAGE, CommandError

EPILOG = """\
examples:
  drillsim new webinar-down                  webinar-down.yaml, the commented template
  drillsim new crm-q4 --from crm-down-quarter-end
                                             a copy of a bundled scenario, comments kept
  drillsim new my-drill --from old.yaml -o drills/
                                             a copy of your own, written into drills/
  drillsim new my-drill --force              start over (overwrites my-drill.yaml)

Beside it goes scenario.schema.json (kept if one is there), which the file's first line
names, so editors with the YAML language server complete and check it. Then:
  drillsim lint my-drill.yaml; drillsim preview my-drill.yaml --decisions
and see docs/authoring.md."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Write NAME.yaml, a new scenario that validates and lints clean as written: the\n"
        "commented template, or a text copy of SCENARIO (comments kept) with the id NAME.\n"
        "Never overwrites a file without --force."
    )
    parser.epilog = EPILOG
    parser.add_argument("name", metavar="NAME", help="the scenario id, also the file's name")
    parser.add_argument(
        "--from",
        dest="source",
        metavar="SCENARIO",
        help="copy this scenario (a .yaml file or a bundled id) instead of the template",
    )
    parser.add_argument(
        "-o", "--output-dir", default=".", metavar="DIR", help="where to write (default: here)"
    )
    parser.add_argument(
        "--force", action="store_true", help="overwrite NAME.yaml (and the schema) if there"
    )


def run(args: argparse.Namespace) -> int:
    from drillsim.authoring.skeleton import SCHEMA_FILE, renamed, template_path
    from drillsim.scenario.loader import check_text
    from drillsim.scenario.shape import ID_PATTERN

    if not re.match(ID_PATTERN, args.name):
        raise CommandError(
            f"{args.name!r} is not a scenario id: use 1 to 64 lowercase letters, digits, - and "
            "_, starting with a letter or digit (e.g. webinar-down)",
            EXIT_USAGE,
        )
    folder = Path(args.output_dir)
    if not folder.is_dir():
        raise CommandError(f"no folder {args.output_dir}; create it or pass another -o", EXIT_USAGE)
    target = folder / f"{args.name}.yaml"
    source = _source_text(args.source) if args.source else template_path().read_text("utf-8")
    try:
        text = renamed(source, args.name)
    except ValueError:
        raise CommandError(
            f"{args.source} has no top-level 'id:' line to change; copy it by hand", EXIT_INVALID
        ) from None
    checked = check_text(text, str(target))
    if not checked.ok:
        raise CommandError(
            "the copy would not validate; fix the source (drillsim validate) and retry",
            EXIT_INVALID,
            details=tuple(str(problem) for problem in checked.errors),
        )
    _write(target, text, args.force)
    schema = folder / SCHEMA_FILE
    _write_schema(schema, args.force)
    print(
        f"drillsim new: wrote {target}; next: drillsim lint {target} "
        f"(and drillsim preview {target} --decisions)",
        file=sys.stderr,
    )
    return EXIT_OK


def _source_text(name: str) -> str:
    """The text of the scenario to copy, which must be valid."""
    from drillsim.commands.inputs import load_scenario

    return load_scenario(name).text


def _write(target: Path, text: str, force: bool) -> None:
    """Write ``text`` to ``target``; without ``force`` only if nothing is there (checked and
    created in one step, so a file that appears meanwhile is not overwritten either)."""
    try:
        with open(target, "w" if force else "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise CommandError(
            f"{target} exists; pick another NAME, or pass --force to overwrite it", EXIT_USAGE
        ) from None
    except OSError as error:
        raise CommandError(f"cannot write {target}: {error.strerror}", EXIT_USAGE) from None


def _write_schema(schema: Path, force: bool) -> None:
    """The JSON Schema beside the scenario; one already there is kept (a note says so when
    it differs from this drillsim's) unless ``force``."""
    import json

    from drillsim.scenario.schema import json_schema

    text = json.dumps(json_schema(), indent=2) + "\n"
    if schema.exists() and not force:
        try:
            same = schema.read_text(encoding="utf-8") == text
        except (OSError, UnicodeDecodeError):
            same = False
        if not same:
            print(
                f"drillsim new: kept {schema}, which differs from this drillsim's schema; "
                f"refresh it with drillsim schema -o {schema}",
                file=sys.stderr,
            )
        return
    try:
        schema.write_text(text, encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot write {schema}: {error.strerror}", EXIT_USAGE) from None
