"""``drillsim compare``: two runs side by side, or a team's trend over its official runs."""

from __future__ import annotations

import argparse
import json

from drillsim.commands import EXIT_OK, EXIT_USAGE, CommandError

EPILOG = """\
examples:
  drillsim compare 20261002T0900 latest      two runs side by side, with deltas (B - A)
  drillsim compare q3.jsonl q4.jsonl --json  the same as JSON
  drillsim compare --team "Marketing ops" --scenario map-outage-mid-send
                                             the team's trend over its official runs

skill = (team - random) / (oracle - random): where the team sits between the random and
the oracle bots on the run's own seed, so an easy draw does not pass for progress (1 plays
like the oracle, 0 like acting at random). Two runs show a difference, never whether it
would hold up; from four official runs the trend adds a bootstrap interval."""


def configure(parser: argparse.ArgumentParser) -> None:
    from drillsim.store.refs import RUN_HELP

    parser.description = (
        "Put two runs side by side, per dimension, audience and decision, with the\n"
        "difference (B - A) and each run's skill against the baseline bots on its own\n"
        "seed; warn, with what changed, when they were played on different scenario\n"
        "texts or scoring versions. With --team and --scenario instead: the team's\n"
        "trend over all its official runs of that scenario."
    )
    parser.epilog = EPILOG
    parser.add_argument("runs", nargs="*", metavar="RUN", help=f"two runs: {RUN_HELP}")
    parser.add_argument("--team", metavar="T", help="with --scenario: the team's trend")
    parser.add_argument("--scenario", metavar="S", help="with --team: the scenario id")
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")


def run(args: argparse.Namespace) -> int:
    trend = args.team is not None or args.scenario is not None
    if trend and (args.runs or args.team is None or args.scenario is None):
        raise CommandError(
            "give two runs, or --team and --scenario (without runs) for a trend", EXIT_USAGE
        )
    if not trend and len(args.runs) != 2:
        raise CommandError(
            f"give two runs to compare (got {len(args.runs)}), or --team T --scenario S "
            "for a team's trend",
            EXIT_USAGE,
        )
    from drillsim.comparison import compare_runs, comparison_text, team_trend, trend_text
    from drillsim.store.runs import open_history

    with open_history() as history:
        if trend:
            data = team_trend(history, args.team, args.scenario)
        else:
            data = compare_runs(history, *args.runs)
    print(
        json.dumps(data, indent=2)
        if args.json
        else (trend_text if trend else comparison_text)(data)
    )
    return EXIT_OK
