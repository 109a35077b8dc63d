"""``drillsim validate``: check scenario files, every problem one located line."""

from __future__ import annotations

import sys

from drillsim.commands import EXIT_INVALID, EXIT_OK, EXIT_USAGE

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

    from drillsim.scenario.problems import Problem, UnreadableScenario

FLAGS = ("--json", "--strict")
"""The options of ``drillsim validate`` beside ``-h``: each a switch (see configure)."""

EPILOG = """\
examples:
  drillsim validate my-drill.yaml            check one file; problems on stdout
  drillsim validate scenarios/*.yaml         check a whole folder in one go
  drillsim validate --strict my-drill.yaml   fail on warnings too (for CI)
  drillsim validate --json my-drill.yaml     the problems as JSON, for editors and scripts"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Check scenario files. Every problem is one line:\n"
        "  path:line:col: field: what is wrong; what to do\n"
        "Exit code 0 when all files are valid, 1 when any has an error, 2 for unreadable paths."
    )
    parser.epilog = EPILOG
    add_checked_files(parser, "PATH")
    parser.add_argument("--json", action="store_true", help="print problems as JSON")


def add_checked_files(parser: argparse.ArgumentParser, metavar: str) -> None:
    """The arguments of a command that checks scenario files (validate, lint)."""
    parser.add_argument("paths", nargs="+", metavar=metavar, help="scenario .yaml files")
    parser.add_argument(
        "--strict", action="store_true", help="treat warnings as errors (exit 1 on any)"
    )


def report_unreadable(
    error: UnreadableScenario, report: list[dict[str, object]], *, as_json: bool
) -> int:
    """Add the problems of a path that cannot be read to ``report`` (printed on stderr unless
    the report goes out as JSON); the exit code they call for."""
    for problem in error.problems:
        report.append(problem.as_dict())
        if not as_json:
            print(problem, file=sys.stderr)
    return EXIT_USAGE


class PlainArguments:
    """The parsed arguments of a ``drillsim validate`` that argparse is not needed for."""

    __slots__ = ("json", "paths", "strict")

    def __init__(self, paths: list[str], *, json: bool, strict: bool) -> None:
        self.paths = paths
        self.json = json
        self.strict = strict


def plain_arguments(arguments: Sequence[str]) -> PlainArguments | None:
    """``drillsim validate``'s arguments read without argparse, whose import and parser cost
    validation a tenth of its time; None for anything else, which argparse then reads.

    Only the plain form is read here: ``validate``, then its flags written in full, one run of
    paths none of which starts with ``-``, then flags. argparse reads that form exactly so
    (tests/test_validate_arguments.py compares the two); help, abbreviations, ``--``, global
    options and misplaced arguments are argparse's to answer.
    """
    if len(arguments) < 2 or arguments[0] != "validate":
        return None
    rest = arguments[1:]
    starts = [index for index, argument in enumerate(rest) if argument not in FLAGS]
    if not starts or starts[-1] - starts[0] + 1 != len(starts):
        return None  # no path, or flags between paths (argparse refuses those)
    paths = list(rest[starts[0] : starts[-1] + 1])
    if any(path.startswith("-") for path in paths):
        return None
    return PlainArguments(paths, json="--json" in rest, strict="--strict" in rest)


def run(args: argparse.Namespace | PlainArguments, *, own_process: bool = False) -> int:
    """The verdict over all files: the worst of 0 (valid), 1 (errors), 2 (unreadable).

    ``own_process``: this process runs nothing but this command, so the objects its imports
    made may be frozen out of the garbage collector's sight (see _frozen_imports)."""
    from drillsim.scenario.problems import UnreadableScenario

    worst = EXIT_OK
    report: list[dict[str, object]] = []
    valid = 0
    for path in args.paths:
        try:
            problems = _problems(path, own_process=own_process)
        except UnreadableScenario as error:
            worst = report_unreadable(error, report, as_json=args.json)
            continue
        for problem in problems:
            report.append(problem.as_dict())
            if not args.json:
                print(problem)
        if any(args.strict or problem.severity == "error" for problem in problems):
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


def _problems(path: str, *, own_process: bool = False) -> tuple[Problem, ...]:
    """Every problem of one scenario file (UnreadableScenario for a path that cannot be read).

    A text this drillsim found free of any problem before, as the scenario cache remembers
    (keyed by the text's sha256, so any edit is checked afresh), is not parsed again.
    """
    from drillsim.scenario import cache
    from drillsim.scenario.problems import ScenarioError, UnreadableScenario
    from drillsim.scenario.textfile import read_text

    try:
        text = read_text(path, path)
    except ScenarioError as error:
        if isinstance(error, UnreadableScenario):
            raise
        return error.problems
    sha256 = cache.text_sha256(text)
    if cache.was_clean(sha256):
        return ()
    from drillsim.scenario.loader import check_text

    if own_process:
        _frozen_imports()
    checked = check_text(text, path)
    if checked.ok and not checked.problems:
        cache.remember_clean(sha256)
    return checked.problems


def _frozen_imports() -> None:
    """Import what checking a text needs, then freeze every object alive (``gc.freeze``).

    Parsing and checking allocate many thousands of containers, and each collection of the
    oldest generation walked every function, class and constant of yaml and drillsim too:
    about 5% of validating the flagship. Frozen objects stay alive as they would anyway (a
    short command never unloads a module); what the checks make is collected as before. Done
    once per process, before the first file is checked, so no check's garbage is frozen.
    """
    import gc

    if gc.get_freeze_count():
        return
    # check_text imports these on first use; imported here so they are frozen too.
    import drillsim.scenario.semantics
    import drillsim.scenario.source  # noqa: F401

    gc.freeze()
