"""The scenario picker over the bundled library: title, summary, length, difficulty."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList
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
    PickerScreen OptionList { height: 1fr; }
    """
    BINDINGS = [
        Binding("enter", "choose", "Brief me", show=True, id="picker.choose"),
        Binding("q", "app.quit", "Quit", id="picker.quit"),
    ]

    def __init__(self, entries: list[Entry]) -> None:
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("drillsim · pick a crisis drill", classes="title")
            yield Label(
                "Each run draws new names and a new outage length. Enter opens the briefing.",
                classes="hint",
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
        self.app.open_briefing(event.option.id)  # type: ignore[attr-defined]

    def action_choose(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.app.open_briefing(options.get_option_at_index(options.highlighted).id)  # type: ignore[attr-defined]
