"""``drillsim lint``: validate, then warn about what makes a weak drill; play golden runs and,
asked to, check that the scoring separates good play from bad."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from drillsim.commands import EXIT_INVALID, EXIT_OK, EXIT_USAGE, CommandError, WorkerFailures
from drillsim.commands.validate import add_checked_files, report_unreadable
from drillsim.commands.values import positive

if TYPE_CHECKING:
    from drillsim.scenario.loader import Checked
    from drillsim.scenario.problems import Problem

EPILOG = """\
examples:
  drillsim lint my-drill.yaml                every problem and warning, file:line:col
  drillsim lint --strict scenarios/*.yaml    fail on warnings too (for CI)
  drillsim lint --check-scoring my-drill.yaml
                                             ...and play the baseline bots over 200 seeds
  drillsim lint --check-scoring --seeds 40 my-drill.yaml
                                             a quicker, rougher scoring check
  drillsim lint --json my-drill.yaml         the findings as JSON

warnings (each explained in docs/authoring.md):
  inject-never-fires, decision-never-opens, no-choice, fact-never-revealed,
  audience-never-affected, no-early-impact, no-trade-off, belief-before-inject;
  and validate's own (a default with a prerequisite, ...)

golden runs: golden/NAME.yaml beside NAME.yaml holds scripted runs, each pinned to a rating
and a least overall score; lint plays them and fails when one misses."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Check scenario files as validate does, then warn about what makes a weak drill\n"
        "(an inject that can never fire, a decision with no real trade-off, ...), play\n"
        "the scenario's golden runs, and with --check-scoring make sure the baseline bots\n"
        "separate good play from bad. Exit code 0 when every file is clean (warnings\n"
        "allowed unless --strict), 1 when any has an error or fails a check, 2 for\n"
        "unreadable paths."
    )
    parser.epilog = EPILOG
    add_checked_files(parser, "SCENARIO")
    parser.add_argument(
        "--check-scoring",
        action="store_true",
        help="play the baseline bots and fail unless good play scores high and bad play low",
    )
    parser.add_argument(
        "--seeds",
        type=positive,
        default=None,
        metavar="N",
        help="seeds per bot for --check-scoring (default 200)",
    )
    parser.add_argument(
        "--jobs",
        type=positive,
        default=None,
        metavar="N",
        help="drills played at once for --check-scoring (default: one per CPU)",
    )
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")


def run(args: argparse.Namespace) -> int:
    """The verdict over all files: the worst of 0 (clean), 1 (errors), 2 (unreadable)."""
    from drillsim.authoring.lint import lint
    from drillsim.scenario.loader import check_file
    from drillsim.scenario.problems import UnreadableScenario

    if (args.seeds is not None or args.jobs is not None) and not args.check_scoring:
        raise CommandError("--seeds and --jobs go with --check-scoring", EXIT_USAGE)
    worst = EXIT_OK
    report: list[dict[str, object]] = []
    scoring: dict[str, Any] = {}
    clean = 0
    for path in args.paths:
        try:
            checked = check_file(path, lint)
        except UnreadableScenario as error:
            worst = report_unreadable(error, report, as_json=args.json)
            continue
        problems = list(checked.problems)
        if checked.ok:
            problems.extend(_golden(path, checked))
            if args.check_scoring:
                found, scoring[path] = _check_scoring(path, checked, args)
                problems.extend(found)
        for problem in problems:
            report.append(problem.as_dict())
            if not args.json:
                print(problem)
        failing = [p for p in problems if args.strict or p.severity == "error"]
        if failing:
            worst = max(worst, EXIT_INVALID)
        else:
            clean += 1
    if args.json:
        import json

        found_json: dict[str, object] = {
            "clean": clean,
            "files": len(args.paths),
            "problems": report,
        }
        if args.check_scoring:
            found_json["scoring"] = scoring
        print(json.dumps(found_json, indent=2))
    else:
        count = len(args.paths)
        print(f"{clean} of {count} {'file' if count == 1 else 'files'} clean", file=sys.stderr)
    return worst


def _golden(path: str, checked: Checked) -> list[Problem]:
    """The verdicts of the scenario's golden runs, if it has any."""
    from drillsim.authoring.golden import golden_path, play_golden, verdicts
    from drillsim.scenario.problems import ScenarioError

    golden = golden_path(path)
    if not golden.is_file():
        return []
    assert checked.scenario is not None
    try:
        return verdicts(play_golden(golden, checked.scenario))
    except ScenarioError as error:
        return list(error.problems)


def _check_scoring(
    path: str, checked: Checked, args: argparse.Namespace
) -> tuple[list[Problem], dict[str, Any]]:
    """Errors for every line of the bar the bots miss, and the bots' summary."""
    from drillsim.authoring.separation import (
        DEFAULT_SEEDS,
        POLICIES,
        run_bots,
        shortfalls,
        weights_of,
    )
    from drillsim.cardtext import summary_text
    from drillsim.progress import Progress
    from drillsim.scenario.loader import load_scenario_file
    from drillsim.scenario.problems import Problem
    from drillsim.simulation import usable_cpus

    loaded = load_scenario_file(path)
    seeds = args.seeds or DEFAULT_SEEDS
    progress = Progress(seeds * len(POLICIES), f"bots playing {loaded.scenario.id}", " drills")
    try:
        with WorkerFailures():
            report = run_bots(
                loaded, seeds, jobs=args.jobs or usable_cpus(), on_run=progress.advance
            )
    finally:
        progress.finish()
    if not args.json:
        print(summary_text(report, range(seeds)), file=sys.stderr)
    found = shortfalls(report, weights_of(loaded))
    return [
        Problem(
            checked.path,
            1,
            1,
            "check-scoring",
            shortfall.message() + f" over {seeds} seeds",
            shortfall.fix,
            rule="scoring-bar",
        )
        for shortfall in found
    ], report
