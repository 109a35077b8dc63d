"""The scenario picker over the bundled library: title and summary (with the names the next
run's seed draws), length, difficulty, tags, the team's last score (from the run history),
p for a scenario's events list, s to type the next run's seed, o for official or practice,
h for the run history, and the interrupted runs to resume."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, OptionList
from textual.widgets.option_list import Option

from drillsim.durations import format_span
from drillsim.library import Entry
from drillsim.templates import fill
from drillsim.tui.text import plain, preview

RESUME = "resume:"
"""The option id of an interrupted run starts with this, then its journal's path."""


class PickerScreen(Screen[None]):
    """Choose a drill."""

    DEFAULT_CSS = """
    PickerScreen { align-horizontal: center; }
    PickerScreen > Vertical { max-width: 110; padding: 1 2; }
    PickerScreen .title { text-style: bold; color: $accent; }
    PickerScreen .hint { color: $text-muted; }
    PickerScreen #mode { margin-bottom: 1; }
    PickerScreen #mode.official { color: $warning; text-style: bold; }
    PickerScreen #team-row { height: auto; margin-bottom: 1; }
    PickerScreen #team-row Label { width: auto; padding-right: 1; }
    PickerScreen #team { width: 1fr; max-width: 40; }
    PickerScreen OptionList { height: 1fr; }
    """
    BINDINGS = [
        Binding("enter", "choose", "Brief me", show=True, id="picker.choose"),
        Binding("p", "preview", "Events list", show=True, id="picker.preview"),
        Binding("s", "choose_seed", "Seed", id="picker.seed"),
        Binding("o", "app.toggle_official", "Official/practice", id="picker.official"),
        Binding("h", "app.show_history", "History", id="picker.history"),
        Binding("q", "app.quit", "Quit", id="picker.quit"),
    ]

    class ResumeChosen(Message):
        """The facilitator picked an interrupted run to go on with."""

        def __init__(self, journal: str) -> None:
            super().__init__()
            self.journal = journal

    class SeedChosen(Message):
        """The facilitator typed the seed of the next run (to replay a known draw)."""

        def __init__(self, seed: int) -> None:
            super().__init__()
            self.seed = seed

    class Chosen(Message):
        """The facilitator picked a drill (and maybe named the team), to play with ``seed``."""

        def __init__(self, path: str, team: str, seed: int) -> None:
            super().__init__()
            self.path = path
            self.team = team
            self.seed = seed

    def __init__(self, entries: list[Entry], team: str = "", *, seed: int = 0) -> None:
        """``seed``: the draw the next run will use (the app's ``next_seed`` follows)."""
        super().__init__()
        self.entries = entries
        self.team = team
        self.seed = seed
        self.drawn: dict[str, dict[str, str]] = {}
        """Each scenario's values for ``seed`` (by path), once the helper has drawn them."""
        self.last: dict[str, str] = {}
        """Each scenario's last score line (by id), from the history."""
        self._drawing: int | None = None
        """The seed whose names the helper is drawing, if any."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("drillsim · pick a crisis drill", classes="title")
            yield Label(self._seed_line(), classes="hint", id="seed")
            yield Label(id="mode")
            with Horizontal(id="team-row"):
                yield Label("Team")
                yield Input(
                    self.team,
                    placeholder="optional · Tab here to type a name",
                    compact=True,
                    id="team",
                )
            yield OptionList(*(self._option(entry) for entry in self.entries), id="scenarios")
        yield Footer(compact=True)

    def _seed_line(self) -> str:
        return f"Next run: seed {self.seed} (names below; s: another) · Enter opens its briefing"

    def _option(self, entry: Entry) -> Option:
        return Option(self._prompt(entry), id=str(entry.path))

    def _prompt(self, entry: Entry) -> Content:
        facts = f"{format_span(entry.length)} · {entry.difficulty}" + (
            f" · {', '.join(entry.tags[:4])}" if entry.tags else ""
        )
        drawn = self.drawn.get(str(entry.path))
        lines = [
            plain(self._filled(entry.title, entry, drawn), "bold"),
            plain(self._filled(entry.summary, entry, drawn)),
            plain(facts, "dim"),
        ]
        if entry.id in self.last:
            lines.append(plain(self.last[entry.id], "dim"))
        return Content("\n").join([*lines, Content("")])

    @staticmethod
    def _filled(text: str, entry: Entry, drawn: dict[str, str] | None) -> str:
        """The text with this seed's names, or (until they are drawn) each name marked."""
        return fill(text, drawn) if drawn is not None else preview(text, entry.variables)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._show_start_of_team()
        self.watch(self.app, "official", self._show_mode)
        self.watch(self.app, "next_seed", self._new_seed)
        self.load_last_scores()

    def _show_mode(self, official: bool) -> None:
        mode = self.query_one("#mode", Label)
        mode.set_class(official, "official")
        mode.update(
            "Official run: counts in the team's trend · o: practice instead"
            if official
            else "Practice run: not in the team's trend · o: official instead"
        )

    def _new_seed(self, seed: int) -> None:
        """A new draw for the next run: its number at the top, its names in the titles
        (drawn when the picker is in view, never behind a drill)."""
        if seed == self.seed and self.drawn:
            return
        self.seed = seed
        self.drawn = {}
        self.query_one("#seed", Label).update(self._seed_line())
        self._refresh_prompts()
        if self.is_current:
            self._draw_once()

    def on_screen_resume(self) -> None:
        self._draw_once()

    def _draw_once(self) -> None:
        if not self.drawn and self._drawing != self.seed:
            self._drawing = self.seed
            self.draw_names(self.seed)

    @work(thread=True, exclusive=True, group="names")
    def draw_names(self, seed: int) -> None:
        """This seed's names for every scenario, from one helper process (Faker loads there)."""
        from drillsim.tui.screens.picker_names import draw_library_apart

        drawn = draw_library_apart(seed, [str(entry.path) for entry in self.entries])
        self.app.call_from_thread(self._show_names, seed, drawn)

    def _show_names(self, seed: int, drawn: dict[str, dict[str, str]]) -> None:
        if self._drawing == seed:
            self._drawing = None
        if drawn and seed == self.seed:  # not a draw overtaken by a newer seed
            self.drawn = drawn
            self._refresh_prompts()

    def _refresh_prompts(self) -> None:
        options = self.query_one(OptionList)
        for entry in self.entries:
            options.replace_option_prompt(str(entry.path), self._prompt(entry))

    @work(thread=True, exclusive=True, group="last-scores")
    def load_last_scores(self) -> None:
        """Each scenario's last scored run from the history, read away from the event loop;
        without a history (or with one that cannot be read) the picker shows none."""
        from drillsim.store import StoreError
        from drillsim.store.runs import current_status, journal_of, open_history

        last: dict[str, str] = {}
        interrupted: list[tuple[str, str]] = []
        try:
            with open_history() as history:
                titles = {entry.id: preview(entry.title, entry.variables) for entry in self.entries}
                for run in history.find(limit=200):
                    if current_status(run) == "interrupted":
                        team = f" · team {run.team}" if run.team else ""
                        started = (run.started_at or "")[:16].replace("T", " ")
                        title = titles.get(run.scenario, run.scenario)
                        interrupted.append(
                            (str(journal_of(run)), f"Resume: {title}{team} · started {started}")
                        )
                for entry in self.entries:
                    scored = [r for r in history.find(scenario=entry.id, limit=20) if r.overall]
                    if scored:
                        run = scored[0]
                        when = (run.started_at or "")[:10]
                        team = f" · team {run.team}" if run.team else ""
                        last[entry.id] = (
                            f"Last: {run.overall:.1f} ({run.rating or 'not rated'}){team} · {when}"
                        )
        except (StoreError, OSError):
            return
        if last or interrupted:
            self.app.call_from_thread(self._show_last, last, interrupted)

    def _show_last(self, last: dict[str, str], interrupted: list[tuple[str, str]]) -> None:
        options = self.query_one(OptionList)
        options.add_options(  # interrupted runs, after the library: Enter resumes one
            Option(
                Content("\n").join(
                    [
                        plain(label, "bold"),
                        plain("stopped before its end; Enter goes on where it stopped", "dim"),
                        Content(""),
                    ]
                ),
                id=f"{RESUME}{journal}",
            )
            for journal, label in interrupted
        )
        self.last = last
        self._refresh_prompts()

    def action_preview(self) -> None:
        from pathlib import Path

        from drillsim.tui.screens.preview import PreviewScreen

        options = self.query_one(OptionList)
        if options.highlighted is not None:
            path = str(options.get_option_at_index(options.highlighted).id)
            if not path.startswith(RESUME):
                self.app.push_screen(PreviewScreen(Path(path), self.seed))

    def action_choose_seed(self) -> None:
        from drillsim.tui.screens.choice import SeedDialog

        def typed(seed: int | None) -> None:
            if seed is not None:
                self.post_message(self.SeedChosen(seed))

        self.app.push_screen(SeedDialog(self.seed), typed)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self._choose(str(event.option.id))

    @on(Input.Submitted, "#team")
    def team_named(self) -> None:
        self.query_one(OptionList).focus()

    @on(Input.Blurred, "#team")
    def _show_start_of_team(self) -> None:
        """A long team name reads from its start when the field is not being typed in (an
        input shows the end, where its cursor is)."""
        self.query_one("#team", Input).cursor_position = 0

    def action_choose(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._choose(str(options.get_option_at_index(options.highlighted).id))

    def _choose(self, path: str) -> None:
        if path.startswith(RESUME):
            self.post_message(self.ResumeChosen(path.removeprefix(RESUME)))
            return
        team = " ".join(self.query_one("#team", Input).value.split())
        self.post_message(self.Chosen(path, team, self.seed))
