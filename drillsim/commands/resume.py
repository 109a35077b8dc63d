"""``drillsim resume``: continue an interrupted run from its journal, where it stopped."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from drillsim.commands import EXIT_OK, EXIT_USAGE, CommandError

if TYPE_CHECKING:
    from drillsim.engine.clock import Clock
    from drillsim.journal import JournalWriter, SealStatus
    from drillsim.resume import ResumedRun

EPILOG = """\
examples:
  drillsim resume latest                     continue the last run started, in the
                                             terminal, paused where it stopped: resume the
                                             clock (space) to go on
  drillsim resume 20261202T0900 --actions team.yaml
                                             continue a scripted run (drillsim run --save
                                             --realtime) headless, on the live clock at the
                                             run's own speed

a run is resumable when it stopped without an end: a crash, a kill, a closed terminal.
A finished run, or one ended early on purpose, is not; see docs/reports.md."""


def configure(parser: argparse.ArgumentParser) -> None:
    from drillsim.store.refs import RUN_HELP

    parser.description = (
        "Continue an interrupted run exactly where it stopped. Its journal is checked and\n"
        "replayed through the engine to rebuild the drill, then appended to, so the finished\n"
        "run reads as one sealed journal. The clock comes back paused at the moment the run\n"
        "stopped, until the facilitator resumes it. A journal that does not replay (edited,\n"
        "first format, another engine version) is not resumed, and the reason is given."
    )
    parser.epilog = EPILOG
    parser.add_argument("run", metavar="RUN", help=f"the interrupted run: {RUN_HELP}")
    parser.add_argument(
        "--json", action="store_true", help="with --actions: print the score card as JSON"
    )
    parser.add_argument(
        "--actions",
        metavar="FILE",
        help="continue headless, the actions file the run was started with standing in for "
        "the team (items already in the journal are not taken again)",
    )


def run(args: argparse.Namespace) -> int:
    from drillsim.commands.inputs import run_journal
    from drillsim.engine.clock import MonotonicClock
    from drillsim.resume import NotResumable, open_interrupted
    from drillsim.store.locks import is_locked

    path = run_journal(args.run)
    if is_locked(path):
        raise CommandError(
            f"{path}: the run is still being played by another drillsim (it holds the run's "
            "lock); go on there, or close that one and resume again"
        )
    if args.actions is None and not _interactive():
        raise CommandError(
            "needs a terminal (stdin and stdout must be a TTY), or --actions FILE to "
            "continue headless",
            EXIT_USAGE,
        )
    clock = MonotonicClock()
    try:
        resumed = open_interrupted(path, clock if args.actions is None else None)
    except NotResumable as error:
        raise CommandError(error.message, error.exit_code) from None
    for warning in resumed.recorded.warnings:
        print(f"drillsim resume: warning: {warning}", file=sys.stderr)
    if args.actions is None:
        return _in_terminal(resumed, clock)
    return _headless(args, resumed)


def reopened(resumed: ResumedRun) -> JournalWriter:
    """The run's journal, opened to go on, locked and back in the history as running
    (StoreError, or CommandError when it cannot be written)."""
    from drillsim.commands.run import tell_fault
    from drillsim.store.tracked import reopen

    journal = resumed.recorded.journal
    try:
        reopened = reopen(journal)
        reopened.on_fault = tell_fault
        return reopened
    except OSError as error:
        raise CommandError(
            f"cannot write to {journal.path} ({error.strerror}); check its permissions",
            EXIT_USAGE,
        ) from None


def _headless(args: argparse.Namespace, resumed: ResumedRun) -> int:
    from drillsim.cardtext import run_report
    from drillsim.commands.run import read_actions, script_refused
    from drillsim.durations import format_minute
    from drillsim.engine.clock import ExerciseClock, MonotonicClock
    from drillsim.resume import NotResumable, catch_up, play_rest
    from drillsim.script import ScriptError
    from scoring import score_run

    recorded = resumed.recorded
    header = recorded.journal.header
    script = read_actions(args.actions, recorded.scenario)
    try:
        player = catch_up(script, resumed)
    except NotResumable as error:
        raise CommandError(error.message, error.exit_code) from None
    drill = resumed.drill
    writer = reopened(resumed)
    print(
        f"drillsim resume: run {header.run_id} goes on from {format_minute(resumed.stopped_at)}",
        file=sys.stderr,
    )
    try:
        played = play_rest(player, writer, ExerciseClock(MonotonicClock(), drill.speed))
    except ScriptError as error:
        writer.close()
        raise script_refused(error) from None
    for problem in played.skipped:  # those before the stop were said when it was played
        print(problem.as_warning(), file=sys.stderr)
    card = score_run(recorded.scenario, drill.events)
    seal: SealStatus = "sealed" if writer.sealed else "intact"
    print(run_report(card, header, seal, as_json=args.json))
    return EXIT_OK


def _in_terminal(resumed: ResumedRun, clock: Clock) -> int:
    from drillsim.tui.app import make_app

    writer = reopened(resumed)
    app = make_app(None, resume=(resumed, writer), clock_factory=lambda: clock)
    app.run()
    return app.return_code or EXIT_OK


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()
