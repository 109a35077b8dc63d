"""The debrief: score and rating, bars, where the points went, decision quality vs luck,
updates against due times, and the four lessons with how this team did (five when updates
bounced on a down channel and were never sent again)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from drillsim.cardtext import luck_figures, luck_gap
from drillsim.durations import format_minute as minute
from drillsim.durations import format_moments, format_span
from drillsim.scenario.model import Decision, Scenario, option_of
from drillsim.scenario.streams import recovery_length, recovery_loss
from drillsim.tui.setup import PlaySetup
from drillsim.tui.text import plain
from drillsim.tui.widgets.score_bars import ScoreBars
from drillsim.tui.widgets.update_timeline import UpdateTimeline
from scoring.card import DecisionScore, ScoreCard

if TYPE_CHECKING:
    from drillsim.engine.events import Event

BACKUP_TITLE = "Keep a backup of your lists and channels"
BACKUP_LESSON = (
    "The channel that failed may be the one you would use to tell people: know another way "
    "to reach each audience, and switch to it as soon as an update bounces."
)
"""The lesson of a run whose bounced updates were never sent again over a working channel."""

DIMENSION_NAMES = {"cadence": "Cadence", "plan_b": "Plan B", "restraint": "Restraint"}


@dataclass(frozen=True, slots=True)
class RoomNote:
    """Something the room said that the score does not read: a facilitator's note, or the
    free text of an update."""

    t: float
    kind: str  # "note", "update" (its free text) or "message" (the facilitator's inject)
    text: str
    to: str = ""


def room_notes(events: Iterable[Event], names: dict[str, str]) -> list[RoomNote]:
    """The notes and the updates' free text, in the order they happened."""
    from drillsim.engine.events import FacilitatorMessage, NoteAdded, UpdateSent

    notes = []
    for event in events:
        if isinstance(event, NoteAdded):
            notes.append(RoomNote(event.t, "note", event.text))
        elif isinstance(event, FacilitatorMessage):
            notes.append(
                RoomNote(event.t, "message", event.text, f"{event.sender} ({event.channel})")
            )
        elif isinstance(event, UpdateSent) and event.text:
            to = ", ".join(names.get(a, a) for a in event.audiences)
            notes.append(RoomNote(event.t, "update", event.text, to))
    return notes


def expectation_outcomes(
    events: Iterable[Event], scenario: Scenario, render: Callable[[str], str]
) -> list[tuple[float, str, bool]]:
    """What the audiences expected and whether they got it in time: (when it was settled,
    what, met), as the feed said it during play (``✓ Done in time`` / ``✗ Missed``)."""
    from drillsim.engine.events import ExpectationFailed, ExpectationMet
    from drillsim.tui.narration import expectation_words

    return [
        (
            event.t,
            expectation_words(scenario, event.expectation, render),
            isinstance(event, ExpectationMet),
        )
        for event in events
        if isinstance(event, ExpectationMet | ExpectationFailed)
    ]


def observation_subjects(
    events: Iterable[Event], scenario: Scenario, render: Callable[[str], str], names: dict[str, str]
) -> list[tuple[str, int]]:
    """What the facilitator may observe on: (label, seq) for each update sent and each
    decision's close, in the order they happened."""
    from drillsim.aar import observed_subject

    return [
        (_shortened(label, SUBJECT_WIDTH), event.seq)
        for event in events
        if (label := observed_subject(event, scenario, render, names)) is not None
    ]


SUBJECT_WIDTH = 60
"""A subject's label fits on one line of the dialog at 80 columns."""


def _shortened(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def your_call(
    card: ScoreCard, item: DecisionScore, decision: Decision, render: Callable[[str], str]
) -> str:
    """What the team did with one plan-B decision, in words that agree with its deductions:
    a decision the outage made moot was "not needed" only when waiting cost nothing."""
    if item.option is None:
        if item.reason != "moot":
            return "no choice made"
        if any(d.decision == item.decision for d in card.deductions):
            return f"no choice made before the outage ended at {minute(item.closed_at)}"
        return "no choice needed: the outage ended first"
    how = "default taken" if item.reason == "default" else "chose"
    label = render(option_of(decision, item.option).label)
    return f"{how} {label} at {minute(item.closed_at)}"


class DebriefScreen(Screen[None]):
    """The hot wash, on one scrollable page."""

    observations: reactive[list[Observation]] = reactive(list, init=False)
    """The facilitator's observations, as journaled."""

    BINDINGS = [
        Binding("plus", "observe('strength')", "Strength", id="debrief.strength"),
        Binding("minus", "observe('improvement')", "Improve", id="debrief.improvement"),
        Binding("p", "play_again", "New draw", id="debrief.again"),
        Binding("s", "play_same_seed", "Same seed", id="debrief.same-seed"),
        Binding("r", "write_report", "Report", id="debrief.report"),
        Binding("h", "app.show_history", "History", id="debrief.history"),
        Binding("escape", "library", "Scenarios", id="debrief.library"),
        # Shown in the help and the palette: the footer keeps room at 80 columns for the rest.
        Binding("q", "app.quit", "Quit", show=False, id="debrief.quit"),
    ]

    class PlayAgain(Message):
        """The same scenario again: the same draw with ``seed``, else a new one."""

        def __init__(self, path: str | Path, seed: int | None = None) -> None:
            super().__init__()
            self.path = path
            self.seed = seed

    class Library(Message):
        """Back to the scenario library."""

    def __init__(
        self,
        setup: PlaySetup,
        card: ScoreCard,
        render: Callable[[str], str],
        *,
        journal_path: Path | None = None,
        notes: list[RoomNote] | None = None,
        subjects: list[tuple[str, int]] | None = None,
        expected: list[tuple[float, str, bool]] | None = None,
    ) -> None:
        """``subjects``: what the facilitator may observe on (:func:`observation_subjects`);
        ``expected``: what the audiences expected, met or missed (:func:`expectation_outcomes`)."""
        super().__init__()
        self.setup = setup
        self.card = card
        self.render_text = render
        self.journal_path = journal_path
        self.notes = notes or []
        self.subjects = subjects or []
        self.expected = expected or []
        self.set_reactive(DebriefScreen.observations, [])

    def compose(self) -> ComposeResult:
        card, scenario = self.card, self.setup.scenario
        with VerticalScroll(id="page"), Vertical(id="sheet"):
            yield Static(plain(f"Debrief · {self.render_text(scenario.title)}", "bold"), id="title")
            yield Static(plain(self._run_line(), "dim"), id="run")
            yield ScoreBars(card, id="scores")
            if self.journal_path is not None:
                yield Static(plain(f"Journal: {self.journal_path}", "dim"), id="journal")
            yield Label("What went well", classes="heading")
            yield Static(self._good_calls(), id="good")
            yield Label("Where the points went", classes="heading")
            yield Static(self._deductions(), id="deductions")
            yield Label("Plan B: decision quality vs luck", classes="heading")
            yield Static(self._decisions(), id="decisions")
            yield Label("Updates against due times", classes="heading")
            yield UpdateTimeline(card.audiences, self._end(), id="timeline")
            yield Label("Lessons", classes="heading")
            yield Static(self._lessons(), id="lessons")
            if self.expected:
                yield Label("What the audiences expected (not scored)", classes="heading")
                yield Static(self._expected(), id="expected")
            yield Label("From the room (not scored)", classes="heading")
            yield Static(self._room(), id="room")
            yield Label("The facilitator's observations (not scored)", classes="heading")
            yield Static(self._observed(), id="observations")
        yield Footer(compact=True, show_command_palette=False)

    def _observed(self) -> Content:
        if not self.observations:
            return Content.styled(
                "None yet. Press + for a strength or − for an area for improvement, on the "
                "whole run or on one update or decision; each goes into the run's journal.",
                "dim",
            )
        labels = {seq: label for label, seq in self.subjects}
        lines = []
        for seen in self.observations:
            strength = seen.verdict == "strength"
            sign, style = ("+", "bold $success") if strength else ("−", "bold $error")
            about = labels.get(seen.on, "the whole run") if seen.on else "the whole run"
            lines.append(
                Content.assemble((f"{sign} ", style), (f"On {about}: ", "dim"), plain(seen.text))
            )
        return Content("\n").join(lines)

    def watch_observations(self) -> None:
        self.query_one("#observations", Static).update(self._observed())

    def action_observe(self, verdict: str) -> None:
        from drillsim.tui.screens.choice import ObservationDialog

        def observed(answer: tuple[int | None, str] | None) -> None:
            if answer is not None:
                self._keep(Observation(verdict, answer[1], answer[0]))

        self.app.push_screen(ObservationDialog(verdict, self.subjects), observed)

    @work(thread=True, group="observations")
    def _keep(self, observation: Observation) -> None:
        """Journal the observation (the seal renewed over it), then show it; the history's
        row follows the journal."""
        try:
            warning = journal_observation(self.journal_path, observation)
        except NotJournaled as error:
            self.app.call_from_thread(
                self.notify, str(error), title="Observation", severity="error", markup=False
            )
            return
        self.app.call_from_thread(self._kept, observation, warning)

    def _kept(self, observation: Observation, warning: str | None) -> None:
        self.observations.append(observation)
        self.mutate_reactive(DebriefScreen.observations)
        self.query_one("#observations", Static).scroll_visible()
        if warning is not None:
            self.notify(warning, title="Observation saved", severity="warning", markup=False)

    def _end(self) -> float:
        """The timeline's right edge: the last update or the last due time, whichever is later
        (so the all-clear sent after the outage shows too)."""
        audiences = self.card.audiences
        return max(
            (
                *(a.window_end for a in audiences),
                *(t for a in audiences for t in a.updates),
            ),
            default=float(self.setup.scenario.length),
        )

    def _run_line(self) -> str:
        card, setup = self.card, self.setup
        outage = (
            f"the outage lasted {format_span(card.true_duration)}"
            if card.resolved_in_play
            else "the outage outlasted the drill"
        )
        parts = [f"seed {card.seed}", "official run" if setup.official else "practice run", outage]
        if setup.team:
            parts.insert(0, f"team {setup.team}")
        return " · ".join(parts)

    def _deductions(self) -> Content:
        """Every deduction, by dimension, biggest first: nothing hidden behind a count."""
        card = self.card
        lost = [d for d in card.deductions if d.points > 0]
        if not lost:
            if card.partial:
                return Content.styled(
                    "Nothing lost before the drill ended, but it ended while the outage was "
                    "still on: this says little about the whole incident.",
                    "italic",
                )
            return Content.styled("Nothing lost. Textbook.", "bold $success")
        lines = []
        for dimension, name in DIMENSION_NAMES.items():
            mine = sorted((d for d in lost if d.dimension == dimension), key=lambda d: -d.points)
            if not mine:
                continue
            total = sum(d.points for d in mine)
            count = f"{len(mine)} deduction{'s' if len(mine) > 1 else ''}"
            lines.append(
                Content.assemble((name, "bold underline"), (f"  −{total:.1f}, {count}", "dim"))
            )
            for deduction in mine:
                when = format_moments(deduction.start, deduction.end)
                lines.append(
                    Content.assemble(
                        (f"−{deduction.points:4.1f} ", "bold $error"),
                        (f"{when} · " if when else "", "dim"),
                        plain(deduction.reason),
                    )
                )
        lines.append(Content.styled("Points count out of each dimension's 100.", "dim italic"))
        return Content("\n").join(lines)

    def _good_calls(self) -> Content:
        """What the team did right, from the same score card (the scores reward it)."""
        from drillsim.aar import strengths

        good = strengths(self.card, self.setup.scenario, self.render_text)
        if not good:
            return Content.styled("Nothing stood out this time: see the lessons below.", "dim")
        return Content("\n").join(Content.assemble(("✓ ", "bold $success"), plain(g)) for g in good)

    def _expected(self) -> Content:
        """Each expectation met or missed, as the feed said it during play: a missed one
        costs no points, but it is what the audience will remember."""
        return Content("\n").join(
            Content.assemble(
                ("✓ " if met else "✗ ", "bold $success" if met else "bold $error"),
                (f"{minute(t)} ", "dim"),
                ("Done in time: " if met else "Missed: ", "bold"),
                plain(what),
            )
            for t, what, met in self.expected
        )

    def _room(self) -> Content:
        if not self.notes:
            return Content.styled(
                "No notes and no free text in the updates. Press n during play to note "
                "what the team debated; it shows here.",
                "dim",
            )
        lines = []
        for note in self.notes:
            head = {
                "note": "Note",
                "update": f"Update to {note.to}",
                "message": f"Facilitator's message as {note.to}",
            }[note.kind]
            lines.append(
                Content.assemble(
                    (f"{minute(note.t)} ", "dim"), (f"{head}: ", "bold"), plain(note.text)
                )
            )
        return Content("\n").join(lines)

    def _decisions(self) -> Content:
        from drillsim.aar import not_arisen

        card, scenario, r = self.card, self.setup.scenario, self.render_text
        unarisen = [
            plain(f"{item.prompt}: {item.words}.", "dim") for item in not_arisen(card, scenario, r)
        ]
        if not card.decisions:
            return Content("\n").join(
                [Content.styled("No plan-B decision came up in this run.", "dim"), *unarisen]
            )
        lines = []
        for item in card.decisions:
            decision = scenario.decision(item.decision)
            yours = your_call(card, item, decision, r)
            if item.best_option is not None and item.best_at is not None:
                best_label = r(option_of(decision, item.best_option).label)
                best = f"best on the odds: {best_label} at {minute(item.best_at)}"
            else:
                best = "best on the odds: wait"
            quality = 100 * max(0.0, 1 - item.regret / item.stakes) if item.stakes > 0 else 100.0
            lines.append(plain(r(decision.prompt), "bold"))
            lines.append(plain(f"  You: {yours}. {best}. Decision quality {quality:.0f}/100."))
        lines.extend(unarisen)
        luck = card.luck
        if card.partial:
            lines.append(
                plain(
                    "Luck (not scored): not shown, the drill ended before the outage did, "
                    "so what the outage really cost is unknown.",
                    "italic",
                )
            )
        elif luck.expected_loss or luck.realised_loss:
            lines.append(
                plain(
                    f"Luck (not scored): your plan-B course was {luck_figures(luck)}"
                    + (
                        ""
                        if luck_gap(luck) == 0
                        else ", because of how long the outage happened to last"
                    )
                    + "."
                    + self._cost_scope(),
                    "italic",
                )
            )
        recovery = self._recovery_after_play()
        if recovery:
            lines.append(plain(recovery, "italic"))
        return Content("\n").join(lines)

    def _recovery_after_play(self) -> str:
        """What the recovery phases lose after the end of play: the meter stops there, the
        clean-up does not (docs/format.md, impact)."""
        card = self.card
        if card.partial:
            return ""
        impact = self.setup.scenario.impact
        resolution, ended = card.true_duration, card.ended_at
        tail = max(recovery_length(stream) for stream in impact.streams.values())
        if resolution + tail <= ended:
            return ""
        after = sum(
            recovery_loss(stream, resolution, max(ended, resolution), resolution + tail)
            for stream in impact.streams.values()
        )
        return (
            f"Recovery (counted past the end of play): the clean-up after the outage goes on "
            f"to {minute(resolution + tail)}, after play ended at {minute(ended)}; it loses "
            f"another {after:,.0f} {impact.unit} the meter did not show."
        )

    def _cost_scope(self) -> str:
        """Why the luck line's cost is not the impact meter's: it counts the streams plan B
        acts on, over the whole outage, even past the end of play."""
        card = self.card
        shown = f" (the meter showed {card.impact:,.0f} when play ended)" if card.impact else ""
        if card.resolved_in_play:
            return f" This counts only the losses plan B acts on{shown}."
        return (
            f" This counts the outage to its end at {minute(card.true_duration)}, past the end "
            f"of play at {minute(card.ended_at)}, and only the losses plan B acts on{shown}."
        )

    def _lessons(self) -> Content:
        card, lessons, r = self.card, self.setup.scenario.lessons, self.render_text
        lines = []
        for title, text, verdict in (
            ("Have a crisis plan", lessons.plan, self._plan_verdict()),
            ("Prepare a plan B", lessons.plan_b, self._score_verdict(card.plan_b, "plan_b")),
            ("Over-communicate", lessons.communicate, self._score_verdict(card.cadence, "cadence")),
            (
                "Don't overreact",
                lessons.restraint,
                self._score_verdict(card.restraint, "restraint"),
            ),
        ):
            lines.append(Content.assemble((title, "bold"), "  ", plain(r(text))))
            lines.append(Content.assemble((self._verdict_label(), "italic"), plain(verdict)))
        if card.never_repaired:
            lines.append(Content.assemble((BACKUP_TITLE, "bold"), "  ", plain(BACKUP_LESSON)))
            lines.append(
                Content.assemble((self._verdict_label(), "italic"), plain(self._bounce_verdict()))
            )
        return Content("\n").join(lines)

    def _bounce_verdict(self) -> str:
        scenario = self.setup.scenario
        names = ", ".join(
            self.render_text(scenario.audience(audience).name)
            for audience in self.card.never_repaired
        )
        return (
            f"updates to {names} bounced (the channel was down) and never went again over one "
            "that worked: they never heard them."
        )

    def _verdict_label(self) -> str:
        """A run ended early is not rated (the headline says so): its lessons show only what
        was judged by the end, marked as such, never a score that reads as a result."""
        if self.card.partial:
            return "  Not rated (ended early); judged so far: "
        return "  How you did: "

    def _plan_verdict(self) -> str:
        late, never = [], []
        for audience in self.card.audiences:
            first = audience.credited[0] if audience.credited else None
            policy = (
                self.setup.scenario.audience(audience.audience)
                .cadence_at(audience.impacted_from)
                .first_update
            )
            due = audience.impacted_from + float(policy)
            if first is None:
                if due < self.card.ended_at:  # else its first word was not due yet
                    never.append(audience.name)
            elif first > due:
                late.append(f"{audience.name} (at {minute(first)})")
        if not late and not never:
            if self.card.partial:
                return "first word reached everyone affected by then in time."
            return "your first word reached everyone affected in time: the plan held."
        parts = [f"no first word to {', '.join(never)}"] if never else []
        parts += [f"first word late to {', '.join(late)}"] if late else []
        return "; ".join(parts) + "."

    def _score_verdict(self, score: float | None, dimension: str) -> str:
        if score is None:
            return "not tested in this run."
        worst = next((d for d in self.card.top_deductions(50) if d.dimension == dimension), None)
        biggest = f" Biggest loss: {worst.reason.rstrip('.')}." if worst else ""
        if self.card.partial:
            return biggest.lstrip() if worst else "no points lost by then."
        level = (
            "strong"
            if score >= 85
            else "some gaps"
            if score >= 70
            else "major gaps"
            if score >= 50
            else "weak"
        )
        return f"{score:.0f}/100, {level}.{biggest}"

    def action_play_again(self) -> None:
        self._ask_to_leave("Play again, on a new draw?", self.PlayAgain(self.setup.path))

    def action_play_same_seed(self) -> None:
        """The same draw again (names, outage length) on the scenario text this run had."""
        from drillsim.store import StoreError
        from drillsim.store.replays import scenario_file

        setup = self.setup
        try:
            path = scenario_file(setup.scenario.id, setup.sha256, setup.text, setup.path)
        except StoreError as error:
            self.notify(error.message, title="Same seed", severity="error", markup=False)
            return
        self._ask_to_leave(
            f"Play again, on the same draw (seed {setup.seed})?", self.PlayAgain(path, setup.seed)
        )

    def _ask_to_leave(self, question: str, leaving: DebriefScreen.PlayAgain) -> None:
        """Leave the debrief for a new briefing once the facilitator says so: a key held
        down from the drill (s skips there) must not throw the debrief off the screen."""
        from drillsim.tui.screens.choice import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self.post_message(leaving)

        detail = "This debrief stays in the run history (h shows it again)."
        self.app.push_screen(ConfirmDialog(question, detail, "Play again"), answered)

    def action_library(self) -> None:
        self.post_message(self.Library())

    def action_write_report(self) -> None:
        """Write the run's After-Action Report (Markdown) into the reports folder, once."""
        from drillsim.aar import report_of, to_markdown, write_report
        from drillsim.paths import data_dir
        from drillsim.recorded import RunRefused, open_run

        if self.journal_path is None:
            self.notify("This run was not journaled: nothing to report from.", title="Report")
            return
        target = data_dir() / "reports" / f"{self.journal_path.stem}-aar.md"
        try:
            text = to_markdown(report_of(open_run(self.journal_path, partial=True)))
            target.parent.mkdir(parents=True, exist_ok=True)
            write_report(target, text)
        except FileExistsError:
            self.notify(str(target), title="Report already written", markup=False)
            return
        except (RunRefused, OSError) as error:
            self.notify(f"Not written: {error}", title="Report", severity="error", markup=False)
            return
        self.notify(str(target), title="After-action report written", markup=False)


@dataclass(frozen=True, slots=True)
class Observation:
    """The facilitator's plus or minus with a note, on one update or decision (``on``: its
    seq) or on the whole run."""

    verdict: str  # "strength" or "improvement"
    text: str
    on: int | None = None


class NotJournaled(Exception):
    """The run's journal refused the observation; the message says why."""


def journal_observation(journal: Path | None, observation: Observation) -> str | None:
    """Write ``observation`` into the run's journal and refresh the run's row in the history.

    NotJournaled when the journal cannot take it; a warning when only the history could not
    follow (``drillsim runs --reindex`` catches up); else None.
    """
    if journal is None:
        return None  # a run played without a journal (tests): shown, not kept
    from drillsim.journal import JournalError, add_observation, installation_key
    from drillsim.live import wall_now
    from drillsim.paths import data_dir
    from drillsim.store import StoreError
    from drillsim.store.runs import index_journal, open_history

    key = installation_key(data_dir(), create=False)
    if key is None:
        raise NotJournaled(f"Not saved: this installation's journal key is missing ({journal})")
    try:
        add_observation(
            journal,
            key,
            verdict="strength" if observation.verdict == "strength" else "improvement",
            text=observation.text,
            on=observation.on,
            wall=wall_now(),
        )
    except (JournalError, OSError) as error:
        raise NotJournaled(f"Not saved: {error}") from None
    try:
        with open_history() as history:
            index_journal(history, journal, running=False)
    except StoreError as error:
        return f"the run history was not updated ({error}); drillsim runs --reindex mends it"
    return None
