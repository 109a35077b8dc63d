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
  drillsim play --seed 7 --speed 8            the flagship, seed 7, eight times real time
  drillsim play map-outage-mid-send --team "Marketing ops"
  drillsim list                              the bundled scenarios
  drillsim validate scenarios/*.yaml         check scenario files (file:line:col errors)
  drillsim schema > scenario.schema.json     JSON Schema for editors
  drillsim simulate map-outage-mid-send --seeds 200
                                             how the baseline bots score, over many seeds
  drillsim score run.jsonl                   re-score a journal

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

    play = commands.add_parser(
        "play",
        help="play a drill in the terminal (straight to the briefing)",
        description="Play a drill: briefing, live exercise, debrief. Without a scenario,\n"
        "the flagship scenario is played. Every run is journaled under\n"
        "$DRILLSIM_HOME/runs (default ~/.local/share/drillsim/runs).",
        formatter_class=_formatter,
    )
    play.add_argument(
        "scenario", nargs="?", metavar="SCENARIO", help="a .yaml file or a bundled id"
    )
    play.add_argument(
        "--seed",
        type=_natural,
        metavar="N",
        help="seed for names and the hidden outage (default: random)",
    )
    play.add_argument(
        "--speed",
        type=_speed,
        metavar="X",
        help="exercise seconds per real second (default: the scenario's)",
    )
    play.add_argument(
        "--team", default="", metavar="NAME", help="team name for the journal and debrief"
    )
    play.set_defaults(run=_run_play)

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

    simulate = commands.add_parser(
        "simulate",
        help="play a scenario headless with baseline bots over many seeds and score them",
        description="Play a scenario headless with baseline policies over many seeds and print\n"
        "how each scores. A scenario whose scoring works gives oracle a high median and\n"
        "passive, panic, spam and random low ones.\n\n"
        "policies: oracle (best practice), passive (does nothing), panic (overreacts),\n"
        "spam (empty updates every 3 min), random (a random move every 5 min)",
        formatter_class=_formatter,
    )
    simulate.add_argument("scenario", metavar="SCENARIO", help="a .yaml file or a bundled id")
    simulate.add_argument(
        "--policy",
        default="oracle,passive,panic,spam,random",
        metavar="A,B",
        help="comma-separated policies (default: all five)",
    )
    simulate.add_argument(
        "--seeds", type=_positive, default=50, metavar="N", help="seeds per policy (default 50)"
    )
    simulate.add_argument(
        "--seed-start", type=_natural, default=0, metavar="K", help="first seed (default 0)"
    )
    simulate.add_argument("--json", action="store_true", help="print the summary as JSON")
    simulate.add_argument(
        "--journal-dir", metavar="DIR", help="write one JSON-lines journal per (policy, seed) here"
    )
    simulate.set_defaults(run=_run_simulate)

    score = commands.add_parser(
        "score",
        help="re-score a run from its journal",
        description="Score a run from its journal alone. The scenario is found by the id in the\n"
        "journal (bundled library) or given with --scenario; it must be the exact file the run\n"
        "was recorded with (same version and content).",
        formatter_class=_formatter,
    )
    score.add_argument("journal", metavar="JOURNAL", help="a .jsonl journal")
    score.add_argument(
        "--scenario", metavar="PATH", help="the scenario file the run was recorded with"
    )
    score.add_argument("--json", action="store_true", help="print the score card as JSON")
    score.add_argument(
        "--partial",
        action="store_true",
        help="score a run that stopped early (a crash, or a team that quit): what happened "
        "up to its last event, marked partial",
    )
    score.set_defaults(run=_run_score)
    return parser


def _speed(text: str) -> float:
    from drillsim.engine.drill import MAX_SPEED, MIN_SPEED

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not MIN_SPEED <= value <= MAX_SPEED:
        raise argparse.ArgumentTypeError(f"speed must be between {MIN_SPEED:g} and {MAX_SPEED:g}")
    return value


def _positive(text: str) -> int:
    value = _natural(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def _natural(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must not be negative")
    return value


def _load(name: str | None):
    """Resolve and load a scenario for a command; print a located error and return None."""
    from drillsim.library import UnknownScenario, resolve
    from drillsim.scenario.loader import load_scenario
    from drillsim.scenario.problems import ScenarioError, UnreadableScenario

    try:
        return load_scenario(resolve(name))
    except UnknownScenario as error:
        print(f"drillsim: {error}", file=sys.stderr)
        return EXIT_USAGE
    except UnreadableScenario as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_USAGE
    except ScenarioError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(
            "drillsim: the scenario has errors; fix them (drillsim validate) and retry",
            file=sys.stderr,
        )
        return EXIT_INVALID


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        run = _run_picker
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


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _run_picker(args: argparse.Namespace) -> int:
    if not _interactive():
        build_parser().print_help()
        return EXIT_OK
    journals = _runs_folder()
    if journals is None:
        return EXIT_USAGE
    from drillsim.tui.app import make_app

    app = make_app(None, journal_dir=journals)
    app.run()
    return app.return_code or EXIT_OK


def _run_play(args: argparse.Namespace) -> int:
    if not _interactive():
        print("drillsim play: needs a terminal (stdin and stdout must be a TTY)", file=sys.stderr)
        return EXIT_USAGE
    app = play_app(args)
    if isinstance(app, int):
        return app
    app.run()
    return app.return_code or EXIT_OK


def play_app(args: argparse.Namespace):
    """The app ``drillsim play`` runs, or an exit code after a printed error.

    (The start-up benchmark builds it the same way.)
    """
    loaded = _load(args.scenario)
    if isinstance(loaded, int):
        return loaded
    journals = _runs_folder()
    if journals is None:
        return EXIT_USAGE
    from drillsim.library import resolve
    from drillsim.tui.app import make_app

    return make_app(
        resolve(args.scenario),
        loaded=loaded,
        seed=args.seed,
        speed=args.speed,
        team=args.team,
        journal_dir=journals,
    )


def _runs_folder():
    from drillsim.paths import runs_dir

    try:
        return runs_dir()
    except OSError as error:
        print(
            f"drillsim: cannot create the runs folder ({error.strerror}); set DRILLSIM_HOME",
            file=sys.stderr,
        )
        return None


def _run_simulate(args: argparse.Namespace) -> int:
    import json

    from drillsim.cardtext import summary_text
    from drillsim.policies import POLICY_NAMES
    from drillsim.progress import Progress
    from drillsim.simulation import simulate, summary

    policies = [name.strip() for name in args.policy.split(",") if name.strip()]
    unknown = [name for name in policies if name not in POLICY_NAMES]
    if unknown or not policies:
        print(
            f"drillsim simulate: unknown policy {', '.join(unknown) or '(none)'}; "
            f"choose from {', '.join(POLICY_NAMES)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    loaded = _load(args.scenario)
    if isinstance(loaded, int):
        return loaded
    scenario, sha256 = loaded
    seeds = range(args.seed_start, args.seed_start + args.seeds)
    progress = Progress(len(policies) * len(seeds), f"simulating {scenario.id}", " drills")
    try:
        results = simulate(
            scenario, sha256, policies, seeds, journal_dir=args.journal_dir, on_run=progress.advance
        )
    except OSError as error:
        progress.finish()
        print(
            f"drillsim simulate: cannot write journals to {args.journal_dir}: {error.strerror}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    progress.finish()
    report = summary(scenario.id, len(seeds), results)
    if args.json:
        print(json.dumps(report))
    else:
        print(summary_text(report, seeds))
    return EXIT_OK


def _run_score(args: argparse.Namespace) -> int:
    import json

    from drillsim.cardtext import card_text
    from drillsim.journal import JournalError, read_journal
    from scoring import score_run
    from scoring.timeline import JournalMismatch

    try:
        journal = read_journal(args.journal, partial=args.partial)
    except JournalError as error:
        print(f"drillsim score: {error}", file=sys.stderr)
        return EXIT_USAGE if error.line == 0 else EXIT_INVALID
    header = journal.header
    loaded = _load(args.scenario or header.scenario)
    if isinstance(loaded, int):
        return loaded
    scenario, sha256 = loaded
    if sha256 != header.scenario_sha256 or scenario.id != header.scenario:
        where = args.scenario or "the bundled library"
        print(
            f"drillsim score: {args.journal}:1: the run was recorded with {header.scenario} "
            f"{header.scenario_version} (sha256 {header.scenario_sha256[:12]}), but {where} has "
            f"{scenario.id} {scenario.version} (sha256 {sha256[:12]}); pass --scenario with the "
            "scenario file the run was recorded with",
            file=sys.stderr,
        )
        return EXIT_INVALID
    try:
        card = score_run(scenario, journal.events)
    except (JournalMismatch, KeyError, TypeError, ValueError) as error:
        print(
            f"drillsim score: {args.journal}: the events do not fit the scenario ({error}); "
            "use the journal as drillsim wrote it",
            file=sys.stderr,
        )
        return EXIT_INVALID
    if args.json:
        print(json.dumps(card.as_dict()))
    else:
        player = f"policy {header.policy}" if header.policy else f"team {header.team!r}"
        title = f"{scenario.id} {scenario.version} · seed {header.seed} · {player}"
        print(card_text(card, title=title))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
