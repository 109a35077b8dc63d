"""The run history on screen: kept runs newest first; a past run's debrief, two runs side by
side, and a team's trend per dimension, shown as ``drillsim show`` and ``drillsim compare``
print them (the figures come from :mod:`drillsim.comparison`; SQLite and scoring run in a
worker thread, never in the event loop)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from drillsim.cardtext import overall_text
from drillsim.tui.text import escape_controls, plain

if TYPE_CHECKING:
    from drillsim.store.database import Database, RunRecord
    from drillsim.store.replays import Replay

MOST_RUNS = 500
"""Runs listed; `drillsim runs --limit 0` lists every one."""


class HistoryScreen(Screen[None]):
    """Kept runs; enter shows a past debrief, space marks runs, c compares two, t a trend,
    p plays a run's draw again."""

    DEFAULT_CSS = """
    HistoryScreen > Vertical { padding: 0 1; }
    HistoryScreen .title { text-style: bold; color: $accent; }
    HistoryScreen .hint { color: $text-muted; width: 100%; }
    HistoryScreen #runs { height: 1fr; min-height: 6; }
    HistoryScreen #detail-scroll { height: 2fr; border-top: solid $panel; }
    """
    BINDINGS = [
        Binding("enter", "show_run", "Debrief", id="history.show"),
        Binding("space", "mark", "Mark", id="history.mark"),
        Binding("c", "compare", "Compare 2", id="history.compare"),
        Binding("t", "trend", "Trend", id="history.trend"),
        Binding("p", "play_again", "Play this seed", id="history.again"),
        Binding("escape,q", "app.pop_screen", "Back", id="history.back"),
    ]

    class PlayAgain(Message):
        """Play a past run's draw again: its scenario text, seed and team."""

        def __init__(self, replay: Replay) -> None:
            super().__init__()
            self.replay = replay

    def __init__(self) -> None:
        super().__init__()
        self.marked: list[str] = []
        """Run ids marked for comparing, oldest mark first (two at most)."""
        self.teams: dict[str, tuple[str, str]] = {}
        """Each listed run's (team, scenario), for its trend."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Run history", classes="title")
            yield Label(
                "enter: a run's debrief · space: mark two runs, c: compare them · "
                "t: the team's trend on that scenario (official runs) · "
                "p: play that run's draw again (same scenario text and seed)",
                classes="hint",
            )
            table: DataTable[str] = DataTable(id="runs", cursor_type="row", zebra_stripes=True)
            yield table
            with VerticalScroll(id="detail-scroll"):
                yield Static(id="detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#runs", DataTable)
        for label in (
            "",
            "Started",
            "Scenario",
            "Team",
            "Overall",  # before the rest: in view at 80 columns
            "Rating",
            "Seed",
            "Mode",
            "Status",
        ):
            table.add_column(label, key=label or "mark")
        table.focus()
        self.load_runs()

    # ------------------------------------------------------------------ work
    @work(thread=True, exclusive=True, group="history")
    def load_runs(self) -> None:
        from drillsim.store import StoreError
        from drillsim.store.runs import current_status, open_history

        try:
            with open_history() as history:
                records = history.find(limit=MOST_RUNS)
            rows = [(record, current_status(record)) for record in records]
        except StoreError as error:
            self.app.call_from_thread(self.show_text, error.message)
            return
        self.app.call_from_thread(self._fill, rows)

    def _fill(self, rows: list[tuple[RunRecord, str]]) -> None:
        table = self.query_one("#runs", DataTable)
        table.clear()
        self.teams = {}
        for record, status in rows:
            self.teams[record.id] = (record.team, record.scenario)
            overall = overall_text(record.overall, status)
            table.add_row(
                "",
                _cell((record.started_at or "")[:16].replace("T", " ")),
                _cell(record.scenario),
                _cell(record.team or "-"),
                overall,
                record.rating or "-",
                str(record.seed),
                "official" if record.official else "practice",
                status,
                key=record.id,
            )
        if not rows:
            self.show_text(
                "No runs kept yet: every played run, and every drillsim run --save, appears here."
            )

    @work(thread=True, exclusive=True, group="detail")
    def describe(self, what: str, refs: tuple[str, ...]) -> None:
        """Build the text of a debrief, a comparison or a trend away from the event loop."""
        from drillsim.comparison import compare_runs, comparison_text, team_trend, trend_text
        from drillsim.store import StoreError
        from drillsim.store.runs import open_history

        try:
            with open_history() as history:
                if what == "show":
                    text = _debrief_text(history, refs[0])
                elif what == "compare":
                    text = comparison_text(compare_runs(history, *refs))
                else:
                    text = trend_text(team_trend(history, *refs))
        except StoreError as error:
            text = error.message
        self.app.call_from_thread(self.show_text, text)

    def show_text(self, text: str) -> None:
        self.query_one("#detail", Static).update(plain(text))
        self.query_one("#detail-scroll", VerticalScroll).scroll_home(animate=False)

    # ------------------------------------------------------------------ keys
    def _current(self) -> str | None:
        table = self.query_one("#runs", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value)

    @on(DataTable.RowSelected)
    def row_chosen(self) -> None:
        self.action_show_run()

    def action_show_run(self) -> None:
        current = self._current()
        if current is not None:
            self.describe("show", (current,))

    def action_mark(self) -> None:
        current = self._current()
        if current is None:
            return
        if current in self.marked:
            self.marked.remove(current)
        else:
            self.marked.append(current)
            del self.marked[:-2]
        table = self.query_one("#runs", DataTable)
        for run_id in self.teams:
            letter = "AB"[self.marked.index(run_id)] if run_id in self.marked else ""
            table.update_cell(run_id, "mark", letter)

    def action_compare(self) -> None:
        if len(self.marked) != 2:
            self.notify("Mark two runs with space first.", title="Compare", markup=False)
            return
        self.describe("compare", tuple(self.marked))

    def action_play_again(self) -> None:
        current = self._current()
        if current is not None:
            self.replay(current)

    @work(thread=True, exclusive=True, group="replay")
    def replay(self, reference: str) -> None:
        """Find the run's journal and the scenario text it carries, away from the event loop."""
        from drillsim.store import StoreError
        from drillsim.store.refs import resolve_run
        from drillsim.store.replays import replay_of
        from drillsim.store.runs import open_history

        try:
            with open_history() as history:
                journal = resolve_run(reference, history).journal
            replay = replay_of(journal)
        except StoreError as error:
            self.app.call_from_thread(
                self.notify, error.message, title="Play again", severity="error", markup=False
            )
            return
        self.post_message(self.PlayAgain(replay))

    def action_trend(self) -> None:
        current = self._current()
        if current is not None:
            self.describe("trend", self.teams[current])


def _cell(text: str) -> Text:
    """A table cell shown as typed (never markup) and measured, so its column fits it (a
    Content cell is measured one cell wide and cut off)."""
    return Text(escape_controls(text))


def _debrief_text(history: Database, reference: str) -> str:
    """A past run's debrief, as ``drillsim show`` prints it."""
    from drillsim.cardtext import past_run_text
    from drillsim.store.refs import resolve_run
    from drillsim.store.runs import current_status, score_journal

    found = resolve_run(reference, history)
    recorded, card = score_journal(found.journal)
    status = current_status(found.record) if found.record is not None else None
    return past_run_text(recorded, card, status)
