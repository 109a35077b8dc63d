"""``drillsim run``: play a scenario headless, an actions file standing in for the team."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from drillsim.commands import EXIT_INVALID, EXIT_OK, EXIT_USAGE, CommandError
from drillsim.commands.parser import natural

if TYPE_CHECKING:
    from pathlib import Path

    from drillsim.engine.events import Event
    from drillsim.journal import Header, SealStatus
    from drillsim.scenario.loader import LoadedScenario
    from drillsim.script import Script, ScriptedRun, ScriptError

EPILOG = """\
examples:
  drillsim run map-outage-mid-send --actions scenarios/examples/map-outage-mid-send-textbook.yaml
                                             the flagship played by the book, seed 0
  drillsim run map-outage-mid-send --actions panicked.yaml --seed 7 --json
                                             another seed, the card as JSON
  drillsim run my-drill.yaml --actions team.json --save --team "Marketing ops"
                                             keep the run, sealed, among the played runs
  drillsim run map-outage-mid-send --actions textbook.yaml --strict
                                             fail if this seed makes an item moot

an actions file is a YAML (or JSON) list, one item per action:
  - at: 4m
    send_update: {audiences: [execs, sales], facts: [send-halted], unknowns: [when-back],
                  next_update_in: 20m}
  - after: export-ready
    wait: 2m
    choose_option: {decision: send-plan, option: backup-esp}
  - {at: 20m, take_action: escalate-vendor}
see docs/scripted-runs.md for every key."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Play a scenario headless, the actions file standing in for the team, and print\n"
        "its score card as drillsim score does. The same scenario, seed and actions file\n"
        "always give the same card. A problem in the file is reported as file:line:col;\n"
        "an item this seed makes moot (an inject that never comes, a decision already\n"
        "closed) is skipped with a warning."
    )
    parser.epilog = EPILOG
    parser.add_argument("scenario", metavar="SCENARIO", help="a .yaml file or a bundled id")
    parser.add_argument(
        "--actions",
        required=True,
        metavar="FILE",
        help="the actions file (.yaml or .json) that plays the team",
    )
    parser.add_argument(
        "--seed", type=natural, default=0, metavar="N", help="seed for the draw (default 0)"
    )
    parser.add_argument(
        "--team",
        metavar="NAME",
        help="team name on the card and in the journal (default: the actions file's name)",
    )
    parser.add_argument("--json", action="store_true", help="print the score card as JSON")
    parser.add_argument(
        "--save",
        action="store_true",
        help="keep the run, sealed, in the runs folder and the run history (drillsim runs); "
        "its id and path go to stderr",
    )
    parser.add_argument(
        "--official",
        action="store_true",
        help="with --save: an official run, counted in the team's trend (else practice)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="an item skipped as moot is an error (exit 1)"
    )


def run(args: argparse.Namespace) -> int:
    from drillsim.cardtext import run_report
    from drillsim.commands.inputs import load_scenario
    from scoring import score_run

    if args.official and not args.save:
        raise CommandError("--official marks a kept run; add --save", EXIT_USAGE)
    loaded = load_scenario(args.scenario)
    script = _read(args.actions, loaded)
    played = _play(script, loaded, args.seed)
    if played.skipped and args.strict:
        raise CommandError(
            f"{len(played.skipped)} item{'s' if len(played.skipped) > 1 else ''} skipped on "
            f"seed {args.seed} (--strict); make them hold on every seed, or drop --strict",
            EXIT_INVALID,
            details=tuple(str(problem) for problem in played.skipped),
        )
    for problem in played.skipped:
        print(problem.as_warning(), file=sys.stderr)
    events = played.drill.events
    header = _header(args, loaded)
    seal = _save(header, events) if args.save else None
    card = score_run(loaded.scenario, events)
    print(run_report(card, header, seal, as_json=args.json))
    return EXIT_OK


def _read(path: str, loaded: LoadedScenario) -> Script:
    from drillsim.script import ScriptError, read_script

    try:
        return read_script(path, loaded.scenario)
    except ScriptError as error:
        raise _refused(error) from None


def _play(script: Script, loaded: LoadedScenario, seed: int) -> ScriptedRun:
    from drillsim.script import ScriptError, play_script

    try:
        return play_script(script, loaded.scenario, seed)
    except ScriptError as error:
        raise _refused(error) from None


def _refused(error: ScriptError) -> CommandError:
    if error.unreadable:
        return CommandError(
            "; ".join(f"{p.path}: {p.message}; {p.hint}" for p in error.problems), EXIT_USAGE
        )
    count = len(error.problems)
    return CommandError(
        f"the actions file has {count} error{'s' if count > 1 else ''}; fix "
        f"{'them' if count > 1 else 'it'} and run again",
        EXIT_INVALID,
        details=tuple(map(str, error.problems)),
    )


def _header(args: argparse.Namespace, loaded: LoadedScenario) -> Header:
    from datetime import UTC, datetime
    from pathlib import Path

    from drillsim.journal import Player, ScenarioRef, new_header, new_run_id
    from scoring import __version__ as scoring_version

    scenario = loaded.scenario
    started = datetime.now(UTC)
    return new_header(
        kind="scripted",
        run_id=new_run_id(started),
        scenario=ScenarioRef.of(scenario, loaded.sha256, loaded.text),
        seed=args.seed,
        player=Player(team=args.team if args.team is not None else Path(args.actions).stem),
        scoring_version=scoring_version,
        started_at=started.isoformat(timespec="seconds"),
        official=args.official,
    )


def _save(header: Header, events: list[Event]) -> SealStatus:
    """Journal the run among the played runs as a live run is journaled (line by line, each
    synced to disk, its lock held, sealed at the end) and index it in the history; print its
    path and id; return its seal."""
    from drillsim.commands.inputs import runs_folder
    from drillsim.engine.events import DrillEnded
    from drillsim.journal import installation_key
    from drillsim.paths import data_dir
    from drillsim.store.tracked import TrackedJournal

    folder: Path = runs_folder()
    path = folder / f"{header.run_id}-{header.scenario.id}-{header.seed}.jsonl"
    try:
        key = installation_key(data_dir(), create=True)
        journal = TrackedJournal(path, header, key)
        try:
            for event in events:
                journal.append(event)
            if events and isinstance(events[-1], DrillEnded):
                journal.ended()
        finally:
            journal.close()
    except OSError as error:
        raise CommandError(
            f"cannot save the run to {folder} ({error.strerror}); pass --data-dir for "
            "another folder",
            EXIT_USAGE,
        ) from None
    for problem in journal.problems:
        print(f"drillsim run: warning: {problem}", file=sys.stderr)
    print(f"drillsim run: saved {path} (run {header.run_id})", file=sys.stderr)
    return "sealed" if key is not None else "intact"
