"""The debrief: score and rating, bars, where the points went, decision quality vs luck,
updates against due times, and the four lessons with how this team did."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from drillsim.durations import format_minute as minute
from drillsim.durations import format_span
from drillsim.scenario.model import option_of
from drillsim.tui.setup import PlaySetup
from drillsim.tui.text import plain
from drillsim.tui.widgets.score_bars import ScoreBars
from drillsim.tui.widgets.update_timeline import UpdateTimeline
from scoring.card import ScoreCard

DIMENSION_NAMES = {"cadence": "Cadence", "plan_b": "Plan B", "restraint": "Restraint"}


class DebriefScreen(Screen[None]):
    """The hot wash, on one scrollable page."""

    BINDINGS = [
        Binding("p", "play_again", "Play again (new seed)", id="debrief.again"),
        Binding("escape", "library", "Scenarios", id="debrief.library"),
        Binding("q", "app.quit", "Quit", id="debrief.quit"),
    ]

    def __init__(
        self,
        setup: PlaySetup,
        card: ScoreCard,
        render: Callable[[str], str],
        *,
        journal_path: Path | None = None,
    ) -> None:
        super().__init__()
        self.setup = setup
        self.card = card
        self.render_text = render
        self.journal_path = journal_path

    def compose(self) -> ComposeResult:
        card, scenario = self.card, self.setup.scenario
        with VerticalScroll(id="page"), Vertical(id="sheet"):
            yield Static(plain(f"Debrief · {self.render_text(scenario.title)}", "bold"), id="title")
            yield Static(plain(self._run_line(), "dim"), id="run")
            yield ScoreBars(card, id="scores")
            yield Label("Where the points went", classes="heading")
            yield Static(self._deductions(), id="deductions")
            yield Label("Plan B: decision quality vs luck", classes="heading")
            yield Static(self._decisions(), id="decisions")
            yield Label("Updates against due times", classes="heading")
            yield UpdateTimeline(card.audiences, self._end(), id="timeline")
            yield Label("Lessons", classes="heading")
            yield Static(self._lessons(), id="lessons")
        yield Footer(compact=True)

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
        parts = [f"seed {card.seed}", outage]
        if setup.team:
            parts.insert(0, f"team {setup.team}")
        if self.journal_path is not None:
            parts.append(f"journal {self.journal_path}")
        return " · ".join(parts)

    def _deductions(self) -> Content:
        top = self.card.top_deductions(6)
        if not top:
            return Content.styled("Nothing lost. Textbook.", "bold $success")
        lines = []
        for deduction in top:
            when = ""
            if deduction.start is not None:
                when = minute(deduction.start)
                if deduction.end is not None and deduction.end != deduction.start:
                    when += f" to {minute(deduction.end)}"
            lines.append(
                Content.assemble(
                    (f"−{deduction.points:.1f} ", "bold $error"),
                    (DIMENSION_NAMES[deduction.dimension], "bold"),
                    (f"  {when}", "dim"),
                )
            )
            lines.append(plain(f"   {deduction.reason}"))
        more = len(self.card.deductions) - len(top)
        if more > 0:
            lines.append(
                Content.styled(f"… {more} smaller deduction{'s' if more > 1 else ''}", "dim")
            )
        lines.append(Content.styled("Points count out of each dimension's 100.", "dim italic"))
        return Content("\n").join(lines)

    def _decisions(self) -> Content:
        card, scenario, r = self.card, self.setup.scenario, self.render_text
        if not card.decisions:
            return Content.styled("No plan-B decision came up in this run.", "dim")
        lines = []
        for item in card.decisions:
            decision = scenario.decision(item.decision)
            if item.option is None:
                yours = (
                    "no choice needed: the outage ended first"
                    if item.reason == "moot"
                    else "no choice made"
                )
            else:
                how = "default taken" if item.reason == "default" else "chose"
                label = r(option_of(decision, item.option).label)
                yours = f"{how} {label} at {minute(item.closed_at)}"
            if item.best_option is not None and item.best_at is not None:
                best_label = r(option_of(decision, item.best_option).label)
                best = f"best on the odds: {best_label} at {minute(item.best_at)}"
            else:
                best = "best on the odds: wait"
            quality = 100 * max(0.0, 1 - item.regret / item.stakes) if item.stakes > 0 else 100.0
            lines.append(plain(r(decision.prompt), "bold"))
            lines.append(plain(f"  You: {yours}. {best}. Decision quality {quality:.0f}/100."))
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
            verdict = "better" if luck.difference >= 0 else "worse"
            lines.append(
                plain(
                    f"Luck (not scored): your plan-B course was expected to cost "
                    f"{luck.expected_loss:.0f} {luck.unit}; it cost {luck.realised_loss:.0f} — "
                    f"{abs(luck.difference):.0f} {verdict} than expected, because of how long "
                    "the outage happened to last.",
                    "italic",
                )
            )
        return Content("\n").join(lines)

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
            lines.append(Content.assemble(("  How you did: ", "italic"), plain(verdict)))
        return Content("\n").join(lines)

    def _plan_verdict(self) -> str:
        late = []
        for audience in self.card.audiences:
            first = audience.credited[0] if audience.credited else None
            policy = self.setup.scenario.audience(audience.audience).cadence.first_update
            if first is None or first > audience.impacted_from + float(policy):
                when = "never" if first is None else f"at {minute(first)}"
                late.append(f"{audience.name} ({when})")
        if not late:
            return "your first word reached everyone affected in time: the plan held."
        return "first word was late for " + ", ".join(late) + "."

    def _score_verdict(self, score: float | None, dimension: str) -> str:
        if score is None:
            return "not tested in this run."
        worst = next((d for d in self.card.top_deductions(50) if d.dimension == dimension), None)
        level = (
            "strong"
            if score >= 85
            else "some gaps"
            if score >= 70
            else "major gaps"
            if score >= 50
            else "weak"
        )
        biggest = f" Biggest loss: {worst.reason.rstrip('.')}." if worst else ""
        return f"{score:.0f}/100, {level}.{biggest}"

    def action_play_again(self) -> None:
        self.app.open_briefing(str(self.setup.path))  # type: ignore[attr-defined]

    def action_library(self) -> None:
        self.app.show_library()  # type: ignore[attr-defined]
