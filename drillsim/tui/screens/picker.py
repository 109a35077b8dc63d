"""The scenario picker over the bundled library: title, summary, length, difficulty."""

from __future__ import annotations

from textual import on
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
from drillsim.tui.text import plain, preview


class PickerScreen(Screen[None]):
    """Choose a drill."""

    DEFAULT_CSS = """
    PickerScreen { align-horizontal: center; }
    PickerScreen > Vertical { max-width: 110; padding: 1 2; }
    PickerScreen .title { text-style: bold; color: $accent; }
    PickerScreen .hint { color: $text-muted; margin-bottom: 1; }
    PickerScreen #team-row { height: auto; margin-bottom: 1; }
    PickerScreen #team-row Label { width: auto; padding-right: 1; }
    PickerScreen #team { width: 1fr; max-width: 40; }
    PickerScreen OptionList { height: 1fr; }
    """
    BINDINGS = [
        Binding("enter", "choose", "Brief me", show=True, id="picker.choose"),
        Binding("q", "app.quit", "Quit", id="picker.quit"),
    ]

    class Chosen(Message):
        """The facilitator picked a drill (and maybe named the team)."""

        def __init__(self, path: str, team: str) -> None:
            super().__init__()
            self.path = path
            self.team = team

    def __init__(self, entries: list[Entry], team: str = "") -> None:
        super().__init__()
        self.entries = entries
        self.team = team

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("drillsim · pick a crisis drill", classes="title")
            yield Label(
                "Each run draws new names and a new outage length. Enter opens the briefing.",
                classes="hint",
            )
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

    def _option(self, entry: Entry) -> Option:
        facts = f"{format_span(entry.length)} · {entry.difficulty}" + (
            f" · {', '.join(entry.tags[:4])}" if entry.tags else ""
        )
        text = Content("\n").join(
            [
                plain(preview(entry.title, entry.variables), "bold"),
                plain(preview(entry.summary, entry.variables)),
                plain(facts, "dim"),
                Content(""),
            ]
        )
        return Option(text, id=str(entry.path))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self._choose(str(event.option.id))

    @on(Input.Submitted, "#team")
    def team_named(self) -> None:
        self.query_one(OptionList).focus()

    def action_choose(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._choose(str(options.get_option_at_index(options.highlighted).id))

    def _choose(self, path: str) -> None:
        team = " ".join(self.query_one("#team", Input).value.split())
        self.post_message(self.Chosen(path, team))
