"""The drillsim app: which screen comes first, how screens hand over, the command palette.

:func:`make_app` is the one way to build it, for the command line and the tests alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from drillsim.engine.clock import Clock, MonotonicClock
from drillsim.library import entries
from drillsim.scenario.loader import LoadedScenario, load_scenario_file
from drillsim.tui.screens.briefing import BriefingScreen
from drillsim.tui.settings import Settings
from drillsim.tui.setup import PlaySetup

if TYPE_CHECKING:
    from drillsim.engine.draws import DrawApart
    from drillsim.journal import JournalWriter
    from drillsim.resume import ResumedRun
    from drillsim.store import StoreError
    from drillsim.store.tracked import JournalFault
    from drillsim.tui.screens.debrief import DebriefScreen
    from drillsim.tui.screens.drill import DrillScreen
    from drillsim.tui.screens.history import HistoryScreen
    from drillsim.tui.screens.picker import PickerScreen

DEFAULT_TICK = 0.1


class DrillsimApp(App[None]):
    """Picker -> briefing -> live drill -> debrief."""

    TITLE = "drillsim"
    BINDINGS = [
        Binding("f5", "pause_drill", "Pause/resume", show=False, priority=True, id="app.pause"),
    ]
    # Each screen's styles sit next to it; loading them all once here (not per screen)
    # spares Textual a full re-parse of every stylesheet when a screen first appears.
    CSS_PATH = [
        "app.tcss",
        "screens/briefing.tcss",
        "screens/drill.tcss",
        "screens/debrief.tcss",
    ]
    ENABLE_COMMAND_PALETTE = True

    official: reactive[bool] = reactive(False, init=False)
    """Runs started from now on are official (they count in the team's trend), else
    practice; the picker shows and toggles it."""
    next_seed: reactive[int] = reactive(0, init=False)
    """The draw the picker offers for the next run; a new one once a run starts."""

    def __init__(
        self,
        scenario_path: str | Path | None = None,
        *,
        loaded: LoadedScenario | None = None,
        names: DrawApart | None = None,
        seed: int | None = None,
        speed: float | None = None,
        team: str = "",
        clock_factory: Callable[[], Clock] = MonotonicClock,
        tick: float = DEFAULT_TICK,
        journal_dir: Path | None = None,
        settings: Settings | None = None,
        preflight: Callable[[], object] | None = None,
        official: bool = False,
        resume: tuple[ResumedRun, JournalWriter | None] | None = None,
    ) -> None:
        """``settings``: the facilitator's (default: read from the platform's config file);
        ``names``: the first run's names, already being drawn (for ``seed``); ``official``:
        runs count in the team's trend (else practice); ``resume``: an interrupted run to go
        on with, replayed on this app's clock, and its journal."""
        super().__init__()
        self.resume = resume
        self.first_names = names
        self.settings_problem: str | None = None
        if settings is None:
            settings, self.settings_problem = Settings.load()
        self.settings = settings
        self._problems_told = 0
        """How many of the drill's journal's history problems were shown already."""
        self.drill: DrillScreen | None = None
        """The drill in play, if any: F5 pauses it from anywhere."""
        self.seed = seed  # for the first drill only; "play again" draws a new one
        self.speed = speed
        self.team = team
        self.clock_factory = clock_factory
        self.tick = tick
        self.journal_dir = journal_dir
        self.set_reactive(DrillsimApp.official, official)
        self.set_reactive(DrillsimApp.next_seed, seed if seed is not None else PlaySetup.new_seed())
        self.preflight = preflight
        """Checks that a run can be kept (StoreError if not), run once the first screen is
        usable."""
        self.refusal: StoreError | None = None
        """Why runs cannot be kept here: the app exits, and its caller reports it."""
        self.first_setup = (
            self.setup_for(scenario_path, loaded) if scenario_path is not None else None
        )

    def on_mount(self) -> None:
        if self.settings_problem:
            self.notify(self.settings_problem, title="Settings", severity="warning", markup=False)
        if self.first_setup is None or self.resume is not None:  # else: the briefing's Ready
            self.call_after_refresh(self._check_keeping)

    @on(BriefingScreen.Ready)
    def briefing_ready(self) -> None:
        self.call_after_refresh(self._check_keeping)

    def _check_keeping(self) -> None:
        """Whether runs can be kept (the folder, its room, the history), checked once the
        first screen is usable: the history's database stays off the path to a usable
        briefing. The app exits if they cannot, before any drill starts."""
        from drillsim import startup

        startup.release()  # the start-up's objects are frozen; collection resumes
        preflight, self.preflight = self.preflight, None
        if preflight is not None:
            self._run_preflight(preflight)

    @work(thread=True, group="preflight")
    def _run_preflight(self, preflight: Callable[[], object]) -> None:
        from drillsim.store import StoreError

        try:
            preflight()
        except StoreError as error:
            self.call_from_thread(self._refuse, error)

    def _refuse(self, error: StoreError) -> None:
        self.refusal = error
        self.exit(return_code=error.exit_code)

    def get_default_screen(self) -> Screen:
        """The first screen is the base of the stack, drawn straight away (no blank frame)."""
        if self.resume is not None:
            return self._resumed_drill(*self.resume, self.clock_factory())
        if self.first_setup is not None:
            return BriefingScreen(self.first_setup, can_go_back=False, names=self.first_names)
        from drillsim.tui.screens.picker import PickerScreen

        return PickerScreen(entries(), self.team, seed=self.next_seed)

    # ------------------------------------------------------------- hand-overs
    def hand_over(self, screen: Screen) -> None:
        """Hand over to ``screen``: the first screen stays at the bottom of the stack."""
        self.drill = None
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def show_library(self) -> None:
        from drillsim.tui.screens.picker import PickerScreen  # not needed to play a named drill

        if isinstance(self.screen_stack[0], PickerScreen) and len(self.screen_stack) > 1:
            self.pop_screen()
        else:
            self.hand_over(PickerScreen(entries(), self.team, seed=self.next_seed))

    def setup_for(
        self, path: str | Path, loaded: LoadedScenario | None = None, *, seed: int | None = None
    ) -> PlaySetup:
        """A drill about to be played; ``loaded``: the scenario, if already read; ``seed``:
        the draw to play (else the first drill's, else a new one)."""
        loaded = loaded if loaded is not None else load_scenario_file(path)
        scenario = loaded.scenario
        if seed is None:
            seed = self.seed if self.seed is not None else PlaySetup.new_seed()
        self.seed = None
        return PlaySetup(
            scenario=scenario,
            path=Path(path),
            sha256=loaded.sha256,
            seed=seed,
            speed=self.speed or scenario.speed,
            team=self.team,
            text=loaded.text,
            official=self.official,
        )

    def open_briefing(self, path: str | Path, seed: int | None = None) -> None:
        self.hand_over(BriefingScreen(self.setup_for(path, seed=seed)))

    @on(BriefingScreen.Start)
    def briefed(self, event: BriefingScreen.Start) -> None:
        self.start_drill(event.setup, event.variables)

    @on(BriefingScreen.Back)
    def library(self) -> None:
        self.show_library()

    # The drill and debrief screens load when play starts (they bring the engine and
    # scoring), so their messages are handled by name rather than with @on.
    def on_debrief_screen_library(self) -> None:
        self.show_library()

    def on_debrief_screen_play_again(self, event: DebriefScreen.PlayAgain) -> None:
        self.open_briefing(event.path, event.seed)

    def on_history_screen_play_again(self, event: HistoryScreen.PlayAgain) -> None:
        """A past run's draw again: its scenario text, seed and team, from its briefing."""
        while len(self.screen_stack) > 2:  # the history and whatever it was opened over
            self.pop_screen()
        self.team = event.replay.team
        self.open_briefing(event.replay.path, event.replay.seed)

    def on_drill_screen_left(self) -> None:
        """Back to the scenarios the drill was picked from; a drill named on the command line
        (no picker under it) ends the program."""
        from drillsim.tui.screens.picker import PickerScreen

        self.drill = None
        if isinstance(self.screen_stack[0], PickerScreen):
            self.show_library()
        else:
            self.exit()

    def on_drill_screen_ended(self, event: DrillScreen.Ended) -> None:
        journal = self.drill.journal if self.drill is not None else None
        # A dialog or the palette may be open over a clock that ran on to the end: the
        # debrief replaces the drill, not what covers it.
        drill = self.drill
        while drill is not None and drill in self.screen_stack and self.screen is not drill:
            self.pop_screen()
        self.hand_over(event.debrief)
        self._history_problems(journal)

    def _history_problems(self, journal: JournalWriter | None) -> None:
        """Say what the run history could not take (the journal has the whole run)."""
        from drillsim.store.tracked import TrackedJournal

        if not isinstance(journal, TrackedJournal):
            return
        told, self._problems_told = self._problems_told, len(journal.problems)
        for problem in journal.problems[told:]:
            self.notify(
                f"{problem}. The journal has the whole run; drillsim runs --reindex adds it.",
                title="Run history not updated",
                severity="warning",
                markup=False,
            )

    def _journal_failed(self, fault: JournalFault) -> None:
        """Told by the journal, mid-tick: shown once the drill's tick is done."""
        self.call_later(self._show_journal_fault, fault)

    def _show_journal_fault(self, fault: JournalFault) -> None:
        """Pause the drill and say where the run is kept now; never a traceback."""
        from drillsim.tui.screens.fault import JournalFaultDialog

        drill = self.drill
        playing = drill is not None and not drill.drill.ended
        if drill is not None and playing and not drill.drill.paused:
            drill.action_pause()
        self.push_screen(JournalFaultDialog(fault.message, paused=playing))

    def on_picker_screen_seed_chosen(self, event: PickerScreen.SeedChosen) -> None:
        self.next_seed = event.seed

    def on_picker_screen_chosen(self, event: PickerScreen.Chosen) -> None:
        self.team = event.team
        self.open_briefing(event.path, event.seed)

    def start_drill(self, setup: PlaySetup, variables: dict[str, str] | None = None) -> None:
        from drillsim.store import StoreError
        from drillsim.tui.screens.drill import DrillScreen  # the engine loads when play starts

        try:
            journal = self._journal(setup)
        except StoreError as error:  # read-only or full: say so before the drill starts
            self.notify(error.message, title="Cannot keep the run", severity="error", markup=False)
            return
        drill = DrillScreen(
            setup,
            clock=self.clock_factory(),
            tick=self.tick,
            journal=journal,
            variables=variables,
            settings=self.settings,
        )
        self.hand_over(drill)
        self.drill = drill
        self.next_seed = PlaySetup.new_seed()
        self._problems_told = 0
        self._history_problems(journal)

    def on_picker_screen_resume_chosen(self, event: PickerScreen.ResumeChosen) -> None:
        """An interrupted run from the picker: replayed, and on to its drill, paused."""
        from drillsim.resume import NotResumable, open_interrupted
        from drillsim.store import StoreError
        from drillsim.store.tracked import reopen

        clock = self.clock_factory()
        try:
            resumed = open_interrupted(event.journal, clock)
            journal = reopen(resumed.recorded.journal)
        except NotResumable as error:
            self.notify(error.message, title="Not resumed", severity="error", markup=False)
            return
        except (StoreError, OSError) as error:
            self.notify(str(error), title="Not resumed", severity="error", markup=False)
            return
        self.hand_over(self._resumed_drill(resumed, journal, clock))

    def _resumed_drill(
        self, resumed: ResumedRun, journal: JournalWriter | None, clock: Clock
    ) -> Screen:
        """The drill screen of an interrupted run going on on ``clock`` (the one it was
        replayed on), paused where it stopped."""
        from drillsim.store.tracked import TrackedJournal
        from drillsim.tui.screens.drill import DrillScreen

        if isinstance(journal, TrackedJournal):
            journal.on_fault = self._journal_failed
        recorded = resumed.recorded
        header = recorded.journal.header
        drill = DrillScreen(
            PlaySetup(
                scenario=recorded.scenario,
                path=_scenario_file(resumed),
                sha256=recorded.sha256,
                seed=header.seed,
                speed=resumed.drill.speed,
                team=header.team or "",
                text=header.scenario.text or "",
                official=header.official,
            ),
            clock=clock,
            tick=self.tick,
            journal=journal,
            settings=self.settings,
            resumed=(resumed.drill, resumed.history),
        )
        self.drill = drill
        return drill

    def _journal(self, setup: PlaySetup) -> JournalWriter | None:
        from drillsim.journal import (
            Player,
            ScenarioRef,
            installation_key,
            new_header,
            new_run_id,
        )
        from drillsim.paths import data_dir
        from drillsim.store.tracked import TrackedJournal
        from scoring import __version__ as scoring_version

        if self.journal_dir is None:
            return None
        started = datetime.now(UTC)
        run_id = new_run_id(started)
        scenario = setup.scenario
        header = new_header(
            kind="played",
            run_id=run_id,
            scenario=ScenarioRef.of(scenario, setup.sha256, setup.text),
            seed=setup.seed,
            player=Player(team=setup.team),
            scoring_version=scoring_version,
            started_at=started.isoformat(timespec="seconds"),
            official=setup.official,
        )
        journal = TrackedJournal(
            self.journal_dir / f"{run_id}-{scenario.id}-{setup.seed}.jsonl",
            header,
            installation_key(data_dir(), create=True),
        )
        journal.on_fault = self._journal_failed
        return journal

    def action_pause_drill(self) -> None:
        """F5 pauses or resumes the exercise clock from anywhere, dialogs included."""
        drill = self.drill
        if drill is None or drill.drill.ended:
            return
        if drill.clock_running:  # held by a dialog counts as running: F5 pauses it for good
            drill.action_pause()
        else:
            drill.action_resume()
        self.notify("Paused" if drill.drill.paused else "Resumed", title="Exercise clock")

    def action_toggle_official(self) -> None:
        """Official runs count in a team's trend; the choice holds for the runs started next."""
        self.official = not self.official
        self.notify(
            "Runs started from now on are official."
            if self.official
            else "Runs started from now on are practice.",
            title="Official or practice",
        )

    def action_show_history(self) -> None:
        from drillsim.tui.screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    def save_picture(self) -> None:
        """Save the screen as SVG under the data folder, and say where."""
        from drillsim.paths import data_dir

        folder = data_dir() / "screenshots"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = self.save_screenshot(path=str(folder))
        except OSError as error:
            self.notify(f"Not saved: {error}", title="Screenshot", severity="error", markup=False)
            return
        self.notify(path, title="Screenshot saved", markup=False)

    # ---------------------------------------------------------- command palette
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        commands = getattr(screen, "commands", None)
        for command in super().get_system_commands(screen):
            if commands is not None and command.title == "Quit":
                continue  # a drill is left through its own Quit, which asks first
            if command.title == "Screenshot":
                # Textual's saves to ~/Downloads, and fails where there is none.
                yield SystemCommand(
                    "Screenshot",
                    "Save an SVG picture of the screen in drillsim's screenshots folder",
                    self.save_picture,
                )
                continue
            yield command
        if self.drill is None:  # not over a drill in play: its clock would run on
            yield SystemCommand(
                "Run history",
                "Kept runs: a past debrief, two runs side by side, a team's trend",
                self.action_show_history,
            )
            yield SystemCommand(
                "Play as practice" if self.official else "Play as official",
                "Runs started from now on are "
                + (
                    "practice (not in the team's trend)"
                    if self.official
                    else "official (counted in the team's trend)"
                ),
                self.action_toggle_official,
            )
        if commands is not None:
            for title, help_text, action in commands():
                yield SystemCommand(title, help_text, partial(screen.run_action, action))


def _scenario_file(resumed: ResumedRun) -> Path:
    """A file holding the scenario a resumed run was played on, for "play again"."""
    from drillsim.store.replays import scenario_file

    recorded = resumed.recorded
    text = recorded.journal.header.scenario.text or ""
    return scenario_file(recorded.scenario.id, recorded.sha256, text)


make_app = DrillsimApp
"""The one way to build the app, for the command line and the tests alike: straight to the
briefing when a scenario path is given, else the scenario picker."""
