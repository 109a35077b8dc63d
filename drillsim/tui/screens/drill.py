"""The live exercise: clock, feed, stakeholder board, impact, plan B, and the team's moves.

The screen is a view of the engine's events: each tick polls the drill, journals what came
back, and shows it. What the feed says about each event is the narrator's
(:mod:`drillsim.tui.narration`); this screen keeps the panels and handles the team's moves.
The clock and the tick are constructor arguments, so tests drive time.

Dialogs load on first use: they bring Textual's form widgets (inputs, selects, lists),
which the live screen itself never needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer

if TYPE_CHECKING:
    from drillsim.journal import JournalWriter
    from drillsim.tui.screens.dialog import Dialog

from drillsim.durations import format_between, format_minute, format_span
from drillsim.engine import events as ev
from drillsim.engine.actions import (
    ActionRejected,
    AddNote,
    ChooseOption,
    SendMessage,
    SendUpdate,
    TakeAction,
    TeamAction,
    carries_content,
    promise_window,
)
from drillsim.engine.clock import Clock
from drillsim.engine.drill import Drill
from drillsim.engine.events import Event
from drillsim.live import LiveRecorder
from drillsim.scenario.model import option_of
from drillsim.tui.narration import FeedMessage, Narrator
from drillsim.tui.owed_actions import OwedActions
from drillsim.tui.settings import Settings
from drillsim.tui.setup import PlaySetup, faster, slower
from drillsim.tui.text import plain
from drillsim.tui.widgets.clock_bar import ClockBar
from drillsim.tui.widgets.decision_panel import DecisionPanel
from drillsim.tui.widgets.impact_meter import ImpactMeter
from drillsim.tui.widgets.inject_feed import InjectFeed
from drillsim.tui.widgets.stakeholder_board import StakeholderBoard
from scoring.timeline import build as build_timeline

PANEL_REFRESH = 1.0  # seconds of wall time between redraws of the slow panels

# Each facilitator control: (key, action, footer label, what it does).
CONTROLS = (
    ("u", "compose_update", "Update", "Send a stakeholder update"),
    ("d", "decide", "Decide", "Choose a plan-B option for an open decision"),
    ("a", "catalogue", "Actions", "Open the action catalogue (apology, re-send, page...)"),
    ("space", "pause", "Pause", "Pause the exercise clock (the feed keeps its place)"),
    ("space", "resume", "Resume", "Resume the exercise clock"),
    ("plus", "faster", "Faster", "Speed the clock up"),
    ("minus", "slower", "Slower", "Slow the clock down"),
    ("s", "skip", "Skip", "Skip to the next thing that happens"),
    ("n", "note", "Note", "Add a facilitator note to the journal"),
    ("i", "message", "Message", "Send an ad-hoc message into the feed (facilitator)"),
    ("e", "end_drill", "End", "End the drill and go to the debrief"),
    ("question_mark", "help", "Help", "Keys and rules of the game"),
    ("q", "quit_drill", "Quit", "Leave the drill without a debrief (asks first)"),
)


class DrillScreen(Screen[None]):
    """The drill in progress."""

    BINDINGS = [
        Binding(
            key,
            action,
            "Speed" if key == "plus" else label,
            id=f"drill.{action}",
            key_display={"plus": "+/-", "space": "␣"}.get(key),  # the footer fits 80 columns
            show=key not in ("minus", "i"),  # +/- share a slot; i is in help and the palette
        )
        for key, action, label, _ in CONTROLS
    ]

    class Ended(Message):
        """The drill is over: on to its debrief."""

        def __init__(self, debrief: Screen) -> None:
            super().__init__()
            self.debrief = debrief

    class Left(Message):
        """The team left the drill without a debrief (its journal says so)."""

    def __init__(
        self,
        setup: PlaySetup,
        *,
        clock: Clock,
        tick: float = 0.1,
        journal: JournalWriter | None = None,
        variables: dict[str, str] | None = None,
        settings: Settings | None = None,
        resumed: tuple[Drill, Sequence[Event]] | None = None,
    ) -> None:
        """``resumed``: an interrupted run going on: its drill, replayed on ``clock`` and
        paused, and the events its journal already holds (shown first, not journaled again)."""
        super().__init__()
        self.setup = setup
        self.settings = settings or Settings()
        self.clock = clock
        self.tick_seconds = tick
        self.journal = journal
        self._history: Sequence[Event] = ()
        if resumed is not None:
            self.drill, self._history = resumed
            self.drill.hold_decisions(self.settings.pause_on_decision)
        else:
            self.drill = Drill(
                setup.scenario,
                setup.seed,
                clock=clock,
                speed=setup.speed,
                variables=variables,
                pause_on_decision=self.settings.pause_on_decision,
            )
        self.recorder = LiveRecorder(self.drill, journal)
        scenario = setup.scenario
        self.names: dict[str, str] = {a.id: self.drill.render(a.name) for a in scenario.audiences}
        self.narrator = Narrator(scenario, self.drill.render, self.names)
        self.owed_actions = OwedActions(self.drill, self.drill.render)
        self._panels_drawn_at = -PANEL_REFRESH
        self._decisions_made: list[str] = []
        self._last_status = "investigating"
        self._finished = False
        self._dialogs: list[Dialog] = []
        """Dialogs this screen opened that are still open, oldest first."""
        self._held_for_dialog = False
        """The clock was paused because a dialog opened: it resumes when the dialogs close."""

    # ---------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        scenario = self.setup.scenario
        yield ClockBar(self.drill.render(scenario.title), official=self.setup.official, id="clock")
        with Horizontal(id="body"):
            yield InjectFeed(id="feed")
            with Vertical(id="side"):
                yield StakeholderBoard(scenario.audiences, self.names, id="board")
                yield ImpactMeter(
                    self.drill.render(scenario.impact.label), scenario.impact.unit, id="impact"
                )
                yield DecisionPanel(id="decision")
        yield Footer(compact=True, show_command_palette=False)

    def on_resize(self) -> None:
        # A short screen (a laptop at 80x24) gets one line per audience, so plan B has room.
        self.query_one(StakeholderBoard).compact = self.size.height < 30

    def on_mount(self) -> None:
        self._timer = self.set_interval(self.tick_seconds, self.tick, name="drill-tick")
        for event in self._history:  # a resumed run: what happened before it stopped
            self._show(event)
        self._history = ()
        self.tick()

    # ------------------------------------------------------------------ time
    def tick(self) -> None:
        """Poll the engine, journal and show what happened, refresh the clock."""
        if self._finished:
            return
        fresh = self.recorder.poll()
        for event in fresh:
            self._show(event)
        feed = self.query_one(InjectFeed)
        for notice in self.owed_actions.notices():
            feed.add_notice(notice.t, notice.text)
        drill = self.drill
        self.query_one(ClockBar).show(
            drill.now,
            drill.length,
            drill.speed,
            drill.paused,
            drill.ended,
            held=self._held_for_dialog,
        )
        # The board, impact and plan-B panels move on a scale of minutes: redraw them when
        # something happened, else once a second of wall time (not every tick).
        wall = self.clock.now()
        if fresh or wall - self._panels_drawn_at >= PANEL_REFRESH:
            self._panels_drawn_at = wall
            self._refresh_panels()
        if drill.ended:
            self.refresh_bindings()
            self._finish()

    def _refresh_panels(self) -> None:
        drill = self.drill
        now = drill.now
        run = build_timeline(self.setup.scenario, drill.events, until=now)
        self.query_one(StakeholderBoard).refresh_meters(now, run)
        helping = []
        for state in drill.decisions.values():
            if state.option is not None and state.effective:
                chosen = option_of(state.decision, state.option)
                if chosen.effectiveness > 0:
                    helping.append(drill.render(chosen.label))
        self.query_one(ImpactMeter).show(drill.impact(now), drill.impact_rate(now), helping)
        open_decisions = [
            (
                drill.render(state.decision.prompt),
                state.closes_at,
                drill.render(option_of(state.decision, state.decision.default).label),
                drill.render(option_of(state.decision, state.held).label)
                if state.held is not None
                else None,
            )
            for state in drill.open_decisions()
        ]
        self.query_one(DecisionPanel).show(open_decisions, now, "\n".join(self._decisions_made))

    # ---------------------------------------------------------------- events
    def _show(self, event: Event) -> None:
        """Tell the event in the feed (the narrator's words), then update what it moves."""
        told = self.narrator.tell(event)
        feed = self.query_one(InjectFeed)
        if isinstance(told, FeedMessage):
            feed.add_inject(told.t, told.channel, told.sender, told.subject, told.text)
        elif told is not None:
            feed.add_notice(told.t, told.text)
        match event:
            case ev.DecisionOpened():
                self.refresh_bindings()
                if self._history:  # shown again on resuming: no bell, no pause
                    return
                self.app.bell()
                if self.drill.paused and self.settings.pause_on_decision:
                    self._held_for_decision()
            case ev.DecisionClosed():
                self._decision_closed(event)
                self.refresh_bindings()

    def _decision_closed(self, event: ev.DecisionClosed) -> None:
        """A closed decision leaves the plan-B panel, and takes its dialogs with it."""
        self._close_dialogs_about(event.decision)
        label = self.narrator.chosen_label(event)
        if event.reason == "default":
            self._decisions_made.append(f"Time ran out, default taken: {label}")
            self.notify(
                f"Time's up. Default taken: {label}",
                title="Plan B",
                severity="warning",
                markup=False,
            )
        elif event.reason == "chosen":
            effective = format_minute(event.effective_at) if event.effective_at is not None else ""
            self._decisions_made.append(f"Chosen: {label} (from {effective})")

    def _close_dialogs_about(self, decision_id: str) -> None:
        """A decision that closed (time ran out, or the outage ended) takes its open option
        list and confirmation with it: nobody picks from a stale list."""
        while self._dialogs and self._dialogs[-1].decision_id == decision_id:
            self._dialogs.pop().withdraw()

    # --------------------------------------------------------------- dialogs
    def open_dialog(self, dialog: Dialog, answered=None) -> None:
        """Open ``dialog`` over the drill; ``answered`` gets its answer. The clock pauses
        while it is open if the facilitator's settings say so (help always pauses it)."""
        if dialog.pauses_clock or self.settings.pause_in_dialogs:
            self._hold_clock()
        self._dialogs.append(dialog)

        def closed(result) -> None:
            if dialog in self._dialogs:
                self._dialogs.remove(dialog)
            if answered is not None:
                answered(result)

        self.app.push_screen(dialog, closed)

    def _hold_clock(self) -> None:
        if not self.drill.paused and not self.drill.ended:
            self._held_for_dialog = True
            self.drill.pause()
            self._timer.pause()
            self.refresh_bindings()
            self.tick()

    def _held_for_decision(self) -> None:
        """The engine stopped the clock the instant the decision opened: hold the timer too,
        paused until the facilitator resumes (not when a dialog open meanwhile closes)."""
        self._held_for_dialog = False
        self._timer.pause()
        self.refresh_bindings()
        self.notify(
            "A plan-B decision opened: the clock is paused. Space resumes.",
            title="Exercise clock",
        )

    # --------------------------------------------------------------- actions
    def act(self, action: TeamAction) -> bool:
        """Apply a team action; a refusal is shown, never raised."""
        try:
            self.drill.act(action)
        except ActionRejected as error:
            self.notify(str(error), title="Not possible", severity="error", markup=False)
            return False
        self.tick()
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("help", "quit_drill"):
            return True
        if self.drill.ended:
            return False
        # A clock held while a dialog is open runs again when it closes: to the team it runs.
        if action == "pause":
            return self.clock_running
        if action == "resume":
            return not self.clock_running
        return True

    def on_screen_suspend(self) -> None:
        """A screen this drill did not open covers it (the command palette, the journal
        fault dialog): the clock holds as under a dialog, if the facilitator's settings say
        so. Nothing to hold once the drill is over (the debrief replacing it)."""
        if not self._finished and not self._dialogs and self.settings.pause_in_dialogs:
            self._hold_clock()

    @property
    def clock_running(self) -> bool:
        """The exercise clock runs, as the team sees it: one held while a dialog is open
        runs again when it closes."""
        return not self.drill.paused or self._held_for_dialog

    def on_screen_resume(self) -> None:
        """Back from a dialog: the clock runs again if a dialog held it (unless another
        dialog opened straight after), and whatever arrived meanwhile is in view."""
        if self._held_for_dialog and not self._dialogs:
            self._held_for_dialog = False
            self.action_resume()
        self.query_one(InjectFeed).follow()
        self.tick()

    def action_compose_update(self) -> None:
        from drillsim.tui.screens.composer import ComposerChoices, UpdateComposer, audience_hint

        drill = self.drill
        scenario = self.setup.scenario
        last_told = self.query_one(StakeholderBoard).last_told
        choices = ComposerChoices(
            audiences=[
                (a.id, self.names[a.id], audience_hint(last_told[a.id], drill.now))
                for a in scenario.audiences
            ],
            facts=[(f.id, drill.render(f.text)) for f in scenario.facts if f.id in drill.revealed],
            unknowns=[
                (u.id, drill.render(u.text))
                for u in scenario.unknowns
                if u.answered_by is None or u.answered_by not in drill.revealed
            ],
            status=self._last_status if drill.incident_open else "resolved",
            next_minutes=20 if drill.incident_open else 0,
            doing=[(ref, self._doing_label(ref)) for ref in drill.doing_refs()],
            windows={a.id: promise_window([a], drill.now) for a in scenario.audiences},
            vendor_eta=tuple(
                f.id for f in scenario.facts if f.eta == "vendor" and f.id in drill.revealed
            ),
            channels=[
                (c.id, self._channel_label(c.id, drill.failed_channels.get(c.id)))
                for c in scenario.channels
            ],
            reach={a.id: tuple(a.channels) for a in scenario.audiences},
            noise_for=self._noise_judge(),
        )
        self.open_dialog(UpdateComposer(choices), self._composed)

    def _noise_judge(self) -> Callable[[SendUpdate], list[str]]:
        """Which audiences an update sent now would be noise for, as the score counts it
        (the run so far read when the team sends: a question may come while it writes)."""
        from scoring.due import would_be_noise
        from scoring.timeline import Update

        drill, scenario = self.drill, self.setup.scenario

        def judge(update: SendUpdate) -> list[str]:
            now, seq = drill.now, len(drill.events)
            so_far = build_timeline(scenario, drill.events, until=now)
            candidate = Update(
                seq=seq,
                t=now,
                audiences=update.audiences,
                facts=update.facts,
                unknowns=update.unknowns,
                status=update.status,
                next_update_in=update.next_update_in,
                eta=update.eta,
                text=update.text,
                doing=update.doing,
                says_something=carries_content(
                    update.facts, update.unknowns, update.next_update_in, update.status
                ),
                cited=frozenset(f for f in update.facts if f in drill.revealed),
            )
            return [
                audience
                for audience in update.audiences
                if would_be_noise(so_far, scenario.audience(audience), candidate)
            ]

        return judge

    def _channel_label(self, channel: str, bounced_at: float | None) -> str:
        """A channel as the team knows it: down only if it has seen an update bounce on it."""
        label = self.drill.render(self.setup.scenario.channel(channel).label)
        return label if bounced_at is None else f"{label} (bounced {format_minute(bounced_at)})"

    def _doing_label(self, ref: str) -> str:
        """A doing ref as the team reads it: the plan B chosen, or the action taken."""
        scenario, render = self.setup.scenario, self.drill.render
        decision_id, _, option_id = ref.partition("/")
        if option_id:
            decision = scenario.decision(decision_id)
            return f"Plan B: {render(option_of(decision, option_id).label)}"
        return render(scenario.action(ref).label)

    def _composed(self, update: SendUpdate | None) -> None:
        if update is not None and self.act(update):
            self._last_status = update.status

    def action_decide(self) -> None:
        from drillsim.tui.screens.choice import DecisionDialog, option

        drill = self.drill
        waiting = sorted(drill.open_decisions(), key=lambda state: state.closes_at)
        if not waiting:
            self.notify("No decision is open right now.", severity="information")
            return
        if len(waiting) == 1:
            self._show_options(waiting[0].decision.id)
            return
        choices = [
            option(
                state.decision.id,
                [
                    plain(drill.render(state.decision.prompt), "bold"),
                    plain(f"{format_between(drill.now, state.closes_at)} left", "dim"),
                ],
            )
            for state in waiting
        ]
        hint = "Enter opens the decision · Esc goes back to the drill"
        self.open_dialog(
            DecisionDialog(plain("Which decision?", "bold"), choices, hint),
            lambda picked: self._show_options(picked, from_list=True),
        )

    def _show_options(self, decision_id: str | None, *, from_list: bool = False) -> None:
        """The options of a decision; ``from_list``: opened from the list of open decisions,
        which Esc goes back to."""
        from drillsim.tui.screens.choice import DecisionDialog

        drill = self.drill
        state = drill.decisions.get(decision_id or "")
        if state is None:
            return
        if not state.is_open:
            self.notify("Too late: that decision has closed.", title="Plan B")
            return
        decision = state.decision
        title = Content.assemble(
            plain(drill.render(decision.prompt), "bold"),
            (f"\n{format_between(drill.now, state.closes_at)} left", "dim"),
        )
        options = [self._option_lines(decision, item) for item in decision.options]
        where = "to the list" if from_list else "to the drill"
        hint = f"Enter picks (you confirm next) · Esc goes back {where}"
        dialog = DecisionDialog(title, options, hint)
        dialog.decision_id = decision.id

        def picked(option_id: str | None) -> None:
            if option_id is None and from_list:
                self.action_decide()  # back to the decisions still open
            else:
                self._confirm_choice(decision.id, option_id, from_list=from_list)

        self.open_dialog(dialog, picked)

    def _option_lines(self, decision, item):
        from drillsim.tui.screens.choice import option

        drill = self.drill
        available = drill.available(item)
        lines = [
            Content.assemble(
                plain(drill.render(item.label), "bold"),
                (" (taken if time runs out)" if item.id == decision.default else "", "dim"),
            )
        ]
        if item.description:
            lines.append(plain(drill.render(item.description)))
        facts = [f"ready in {format_span(item.setup)}" if item.setup else "immediate"]
        if item.effort:
            facts.append(drill.render(item.effort))
        if item.effectiveness:
            facts.append(f"cuts the {decision.stream} loss by {item.effectiveness:.0%}")
        lines.append(plain(" · ".join(facts), "dim"))
        lines.extend(
            plain(f"risk {risk.probability:.0%}: {drill.render(risk.text)}", "dim")
            for risk in item.risks
        )
        if not available:
            note = drill.render(item.requires_note) or "its prerequisite is not met yet"
            lines.append(plain(f"unavailable: {note}", "italic"))
        return option(item.id, lines, disabled=not available)

    def _confirm_choice(
        self, decision_id: str, option_id: str | None, *, from_list: bool = False
    ) -> None:
        from drillsim.tui.screens.choice import ConfirmDialog

        if not option_id:
            return
        decision = self.setup.scenario.decision(decision_id)
        chosen = option_of(decision, option_id)
        ready = self.drill.now + float(chosen.setup)
        final = (
            "It changes nothing, so the decision stays open: you can still change it."
            if chosen.does_nothing
            else f"It takes effect at {format_minute(ready)}. The choice is final."
        )
        dialog = ConfirmDialog(f"Go with: {self.drill.render(chosen.label)}?", final, "Choose it")
        dialog.decision_id = decision_id

        def answered(yes: bool | None) -> None:
            if yes:
                self.act(ChooseOption(decision_id, option_id))
            else:  # back to the options, not out of the decision
                self._show_options(decision_id, from_list=from_list)

        self.open_dialog(dialog, answered)

    def action_catalogue(self) -> None:
        from drillsim.engine.view import expected_by
        from drillsim.tui.screens.choice import CatalogueDialog, option

        drill = self.drill
        options = []
        for action in self.setup.scenario.actions:
            taken = drill.actions_taken.get(action.id, [])
            due = expected_by(drill, action)
            owed = (
                ""
                if due is None
                else f"  (overdue: expected by {format_minute(due)})"
                if drill.now > due
                else f"  (expected by {format_minute(due)})"
            )
            lines = [
                Content.assemble(
                    plain(drill.render(action.label), "bold"),
                    (f"  (taken at {format_minute(taken[0])})" if taken else "", "dim italic"),
                    (owed, "bold"),
                ),
                plain(drill.render(action.description), "dim"),
            ]
            options.append(option(action.id, lines))
        hint = "Enter picks (you confirm next) · Esc goes back to the drill"
        self.open_dialog(
            CatalogueDialog(plain("Actions", "bold"), options, hint), self._confirm_action
        )

    def _confirm_action(self, picked: str | None) -> None:
        from drillsim.tui.screens.choice import ConfirmDialog

        if not picked:
            return
        label = self.drill.render(self.setup.scenario.action(picked).label)
        self.open_dialog(
            ConfirmDialog(f"{label}?", "It happens now and goes in the record.", "Do it"),
            lambda yes: self._take(picked, label) if yes else self.action_catalogue(),
        )

    def _take(self, action_id: str, label: str) -> None:
        if self.act(TakeAction(action_id)):
            self.notify(label, title="Recorded", markup=False)

    def action_pause(self) -> None:
        self._held_for_dialog = False  # paused by hand: it stays paused when a dialog closes
        self.drill.pause()
        self._timer.pause()
        self.refresh_bindings()
        self.tick()

    def action_resume(self) -> None:
        self._held_for_dialog = False  # resumed by hand: it runs under the dialog too
        self.drill.resume()
        self._timer.resume()
        self.refresh_bindings()
        self.tick()

    def action_faster(self) -> None:
        self._change_speed(faster(self.drill.speed), "fastest")

    def action_slower(self) -> None:
        self._change_speed(slower(self.drill.speed), "slowest")

    def _change_speed(self, speed: float, limit: str) -> None:
        if speed == self.drill.speed:
            self.notify(f"Already at the {limit} speed, ×{speed:g}.", title="Speed")
            return
        self.drill.set_speed(speed)
        self.tick()

    def action_skip(self) -> None:
        before = self.drill.now
        self._refresh_panels()  # the board's due times as of now
        stops = [*self.query_one(StakeholderBoard).due_times(), *self.owed_actions.deadlines()]
        if self.drill.skip(stops) == before:
            self.notify(
                "Nothing left to skip to. Send your closing updates, then press e to end.",
                title="Skip",
            )
        self.tick()

    def action_note(self) -> None:
        from drillsim.tui.screens.choice import NoteDialog

        self.open_dialog(NoteDialog(), self._noted)

    def action_message(self) -> None:
        from drillsim.tui.screens.choice import MessageDialog
        from drillsim.tui.widgets.inject_feed import CHANNELS

        ordered = sorted(CHANNELS.items(), key=lambda item: item[0] != "chat")  # chat first
        channels = [(name.replace("_", " "), name) for name, _ in ordered]
        self.open_dialog(MessageDialog(channels), self._send_message)

    def _send_message(self, message: tuple[str, str, str] | None) -> None:
        if message is not None:
            self.act(SendMessage(*message))

    def _noted(self, text: str | None) -> None:
        if text:
            self.act(AddNote(text))

    def action_help(self) -> None:
        from drillsim.tui.screens.help import HelpScreen

        self.open_dialog(HelpScreen(self.setup.scenario, self.drill.render, CONTROLS))

    def action_end_drill(self) -> None:
        from drillsim.tui.screens.choice import ConfirmDialog

        warning = ""
        if self.drill.incident_open:
            warning = (
                "The outage is still on: this run will be partial and not rated. What the "
                "outage costs from here, and any decision still open, count as unknown."
            )
        self.open_dialog(
            ConfirmDialog(
                "End the drill now?",
                "The clock stops and you go to the debrief.",
                "End the drill",
                warning=warning,
            ),
            self._confirm_end,
        )

    def _confirm_end(self, yes: bool | None) -> None:
        if yes:
            self.drill.end()
            self.tick()

    def action_quit_drill(self) -> None:
        from drillsim.tui.screens.choice import ConfirmDialog

        self.open_dialog(
            ConfirmDialog(
                "Leave the drill?",
                "The run so far is kept in its journal, but it will not be debriefed.",
                "Leave",
            ),
            self._confirm_quit,
        )

    def _confirm_quit(self, yes: bool | None) -> None:
        if yes:
            # The journal says the team left (not that the program died): `drillsim score`
            # takes it as a run ended early, no --partial needed.
            self._finished = True
            self._timer.stop()
            self.drill.end("quit")
            self.recorder.close()
            self.post_message(self.Left())

    # ----------------------------------------------------------------- end
    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        self._timer.stop()
        self.recorder.close()
        from drillsim.tui.screens.debrief import (
            DebriefScreen,
            expectation_outcomes,
            observation_subjects,
            room_notes,
        )
        from scoring import score_run

        card = score_run(self.setup.scenario, self.drill.events)
        path = self.journal.path if self.journal is not None else None
        notes = room_notes(self.drill.events, self.names)
        self.post_message(
            self.Ended(
                DebriefScreen(
                    self.setup,
                    card,
                    self.drill.render,
                    journal_path=path,
                    notes=notes,
                    subjects=observation_subjects(
                        self.drill.events, self.setup.scenario, self.drill.render, self.names
                    ),
                    expected=expectation_outcomes(
                        self.drill.events, self.setup.scenario, self.drill.render
                    ),
                )
            )
        )

    def commands(self) -> Iterator[tuple[str, str, str]]:
        """Command-palette entries: (title, help, action) for every control that applies now
        (Pause or Resume, never both)."""
        for _, action, label, help_text in CONTROLS:
            if self.check_action(action, ()):
                yield label, help_text, action
