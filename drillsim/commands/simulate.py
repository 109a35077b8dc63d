"""``drillsim simulate``: baseline bots play a scenario headless over many seeds, scored."""

from __future__ import annotations

import argparse

from drillsim.commands import EXIT_OK, EXIT_USAGE, CommandError, WorkerFailures
from drillsim.commands.values import natural, positive
from drillsim.policies import POLICY_NAMES

EPILOG = """\
examples:
  drillsim simulate map-outage-mid-send      all six bots, seeds 0-49
  drillsim simulate my-drill.yaml --seeds 200
                                             more seeds, steadier medians
  drillsim simulate map-outage-mid-send --policy oracle,panic --seed-start 100
  drillsim simulate map-outage-mid-send --journal-dir runs/
                                             keep every run's journal (drillsim score it)
  drillsim simulate my-drill.yaml --json     the summary as JSON
  drillsim simulate my-drill.yaml --jobs 1   play the drills in turn, in this process"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Play a scenario headless with baseline policies over many seeds and print\n"
        "how each scores. A scenario whose scoring works gives oracle (90+) and diligent\n"
        "(80+) high medians, and passive, panic, spam and random low ones (under 50).\n\n"
        "policies: oracle (best practice, knows the hidden truth), diligent (follows the\n"
        "rules, sees only what players see), passive (does nothing), panic (overreacts),\n"
        "spam (empty updates every 3 min), random (a random move every 5 min)"
    )
    parser.epilog = EPILOG
    parser.add_argument("scenario", metavar="SCENARIO", help="a .yaml file or a bundled id")
    parser.add_argument(
        "--policy",
        default=",".join(POLICY_NAMES),
        metavar="A,B",
        help="comma-separated policies (default: all of them)",
    )
    parser.add_argument(
        "--seeds", type=positive, default=50, metavar="N", help="seeds per policy (default 50)"
    )
    parser.add_argument(
        "--seed-start", type=natural, default=0, metavar="K", help="first seed (default 0)"
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument(
        "--journal-dir", metavar="DIR", help="write one JSON-lines journal per (policy, seed) here"
    )
    parser.add_argument(
        "--jobs",
        type=positive,
        default=None,
        metavar="N",
        help="drills played at once, in worker processes (default: one per CPU; 1: in turn)",
    )


def run(args: argparse.Namespace) -> int:
    import json

    from drillsim.cardtext import summary_text
    from drillsim.commands.inputs import load_scenario
    from drillsim.progress import Progress
    from drillsim.simulation import simulate, summary, usable_cpus

    policies = _policies(args.policy)
    loaded = load_scenario(args.scenario)
    scenario = loaded.scenario
    seeds = range(args.seed_start, args.seed_start + args.seeds)
    progress = Progress(len(policies) * len(seeds), f"simulating {scenario.id}", " drills")
    try:
        with WorkerFailures():
            results = simulate(
                loaded,
                policies,
                seeds,
                journal_dir=args.journal_dir,
                on_run=progress.advance,
                jobs=args.jobs or usable_cpus(),
            )
    except OSError as error:
        if not _in_folder(error.filename, args.journal_dir):
            raise  # not about a journal: a fault to see whole
        raise CommandError(
            f"cannot write journals to {args.journal_dir}: {error.strerror or error}", EXIT_USAGE
        ) from None
    finally:
        progress.finish()
    report = summary(scenario.id, len(seeds), results)
    if args.json:
        print(json.dumps(report))
    else:
        print(summary_text(report, seeds))
    return EXIT_OK


def _policies(text: str) -> list[str]:
    from drillsim.policies import POLICY_NAMES

    policies = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in policies if name not in POLICY_NAMES]
    if unknown or not policies:
        raise CommandError(
            f"unknown policy {', '.join(unknown) or '(none)'}; "
            f"choose from {', '.join(POLICY_NAMES)}",
            EXIT_USAGE,
        )
    return policies


def _in_folder(filename: object, folder: str | None) -> bool:
    """Whether an error's file is ``folder`` or in it (a journal, or the folder itself)."""
    import os

    if folder is None or not isinstance(filename, str | os.PathLike):
        return False
    path, root = os.path.abspath(filename), os.path.abspath(folder)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)
