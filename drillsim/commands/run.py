"""``drillsim run``: play a scenario headless, an actions file standing in for the team."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from drillsim.commands import EXIT_INVALID, EXIT_OK, EXIT_USAGE, CommandError
from drillsim.commands.values import seed, speed

if TYPE_CHECKING:
    from pathlib import Path

    from drillsim.engine.events import Event
    from drillsim.journal import Header, SealStatus
    from drillsim.scenario.loader import LoadedScenario
    from drillsim.scenario.model import Scenario
    from drillsim.script import Script, ScriptedRun, ScriptError
    from drillsim.store.tracked import JournalFault

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
  drillsim run map-outage-mid-send --actions textbook.yaml --save --realtime --speed 60
                                             on the live clock, journaled as it goes: a run
                                             to kill and continue with drillsim resume

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
        "--seed", type=seed, default=0, metavar="N", help="seed for the draw (default 0)"
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
    parser.add_argument(
        "--realtime",
        action="store_true",
        help="play on the live clock, journaling each event as it happens (as a played drill "
        "is): a run killed midway can be continued with drillsim resume RUN --actions FILE",
    )
    parser.add_argument(
        "--speed",
        type=speed,
        metavar="X",
        help="with --realtime: exercise seconds per real second (default: the scenario's)",
    )


def run(args: argparse.Namespace) -> int:
    from drillsim.cardtext import run_report
    from drillsim.commands.inputs import load_scenario
    from scoring import score_run

    if args.official and not args.save:
        raise CommandError("--official marks a kept run; add --save", EXIT_USAGE)
    if args.speed is not None and not args.realtime:
        raise CommandError("--speed sets the live clock's pace; add --realtime", EXIT_USAGE)
    loaded = load_scenario(args.scenario)
    script = read_actions(args.actions, loaded.scenario)
    header = _header(args, loaded)
    seal: SealStatus | None = None
    if args.realtime:
        played, seal = _play_live(script, loaded, args, header)
    else:
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
    if args.save and not args.realtime:
        seal = _save(header, events)
    card = score_run(loaded.scenario, events)
    print(run_report(card, header, seal, as_json=args.json))
    return EXIT_OK


def read_actions(path: str, scenario: Scenario) -> Script:
    """The actions file checked against ``scenario`` (CommandError lists its problems)."""
    from drillsim.script import ScriptError, read_script

    try:
        return read_script(path, scenario)
    except ScriptError as error:
        raise script_refused(error) from None


def _play(script: Script, loaded: LoadedScenario, seed: int) -> ScriptedRun:
    from drillsim.script import ScriptError, play_script

    try:
        return play_script(script, loaded.scenario, seed)
    except ScriptError as error:
        raise script_refused(error) from None


def _play_live(
    script: Script, loaded: LoadedScenario, args: argparse.Namespace, header: Header
) -> tuple[ScriptedRun, SealStatus | None]:
    """Play on the live clock, journaled as it goes when saved; the run and its seal."""
    from drillsim.engine.clock import ExerciseClock, MonotonicClock
    from drillsim.engine.drill import Drill
    from drillsim.journal import JournalWriter, installation_key
    from drillsim.live import LiveRecorder, play_live
    from drillsim.paths import data_dir
    from drillsim.script import ScriptError, ScriptPlayer
    from drillsim.store.tracked import TrackedJournal

    drill = Drill(loaded.scenario, args.seed, speed=args.speed)
    writer: JournalWriter | None = None
    if args.save:
        path = _journal_path(header)
        try:
            key = installation_key(data_dir(), create=True)
            writer = TrackedJournal(path, header, key)
            writer.on_fault = tell_fault
        except OSError as error:
            raise CommandError(
                f"cannot save the run to {path.parent} ({error.strerror}); pass --data-dir",
                EXIT_USAGE,
            ) from None
    recorder = LiveRecorder(drill, writer)
    recorder.flush()  # the start, journaled before the run is announced
    if writer is not None:
        # Said before the clock starts: a run killed midway can be found and resumed.
        print(f"drillsim run: journaling run {header.run_id} to {writer.path}", file=sys.stderr)
    player = ScriptPlayer(script, drill)
    try:
        play_live(player, recorder, ExerciseClock(MonotonicClock(), drill.speed))
    except ScriptError as error:
        if writer is not None:
            writer.close()  # unfinished, so unsealed: what happened is kept
        raise script_refused(error) from None
    seal: SealStatus | None = None
    if writer is not None:
        seal = "sealed" if writer.sealed else "intact"
    return player.finish(), seal


def tell_fault(fault: JournalFault) -> None:
    """A journal write that failed mid-run: the run went on elsewhere (or in memory); say so."""
    print(f"drillsim: warning: {' '.join(fault.message.split())}", file=sys.stderr)


def _journal_path(header: Header) -> Path:
    from drillsim.commands.inputs import runs_folder

    return runs_folder() / f"{header.run_id}-{header.scenario.id}-{header.seed}.jsonl"


def script_refused(error: ScriptError) -> CommandError:
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
    from drillsim.engine.events import DrillEnded
    from drillsim.journal import installation_key
    from drillsim.paths import data_dir
    from drillsim.store.tracked import TrackedJournal

    path = _journal_path(header)
    folder = path.parent
    try:
        key = installation_key(data_dir(), create=True)
        journal = TrackedJournal(path, header, key)
        journal.on_fault = tell_fault
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
    print(f"drillsim run: saved {journal.path} (run {header.run_id})", file=sys.stderr)
    return "sealed" if key is not None else "intact"
