"""A list of things to tick, each marked ``[x]`` or ``[ ]`` in its own text.

Textual's SelectionList draws its box once per screen line, so an item that wraps gets a
box on its second line too, and ticked and unticked boxes differ only in colour. Here the
mark is part of the item, on its first line, with the text hanging beside it, and reads
the same in monochrome.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from drillsim.tui.text import escape_controls

TICKED, UNTICKED = "[x] ", "[ ] "


class TickList(OptionList):
    """Space or Enter ticks the highlighted item; ``selected`` lists the ticked ones."""

    DEFAULT_CSS = """
    TickList { height: auto; max-height: 8; border: none; padding: 0; }
    TickList:focus { border: none; background: $boost; }
    """
    BINDINGS = [Binding("space", "tick", "Tick", show=False, id="ticklist.tick")]

    class Changed(Message):
        """An item was ticked or unticked."""

        def __init__(self, tick_list: TickList) -> None:
            super().__init__()
            self.tick_list = tick_list

        @property
        def control(self) -> TickList:
            return self.tick_list

    class Resized(Message):
        """The list was laid out at a new size: its owner may fit the texts to ``width``."""

        def __init__(self, tick_list: TickList, width: int) -> None:
            super().__init__()
            self.tick_list = tick_list
            self.width = width
            """Room for an item's text beside its tick mark."""

        @property
        def control(self) -> TickList:
            return self.tick_list

    def __init__(
        self, items: Iterable[tuple[str, str]], ticked: Iterable[str] = (), **kwargs
    ) -> None:
        """``items``: (value, text) pairs; text is shown as typed, never as markup."""
        self.items = list(items)
        self.ticked = set(ticked)
        super().__init__(*(self._option(value, text) for value, text in self.items), **kwargs)

    @property
    def selected(self) -> tuple[str, ...]:
        """The ticked values, in the order of the list."""
        return tuple(value for value, _ in self.items if value in self.ticked)

    def _option(self, value: str, text: str) -> Option:
        return Option(self._prompt(value, text), id=value)

    def _prompt(self, value: str, text: str) -> Table:
        grid = Table.grid(padding=0, expand=True)
        grid.add_column(width=len(TICKED), no_wrap=True)
        grid.add_column(ratio=1)
        mark = TICKED if value in self.ticked else UNTICKED
        grid.add_row(Text(mark, style="bold"), Text(escape_controls(text)))
        return grid

    def on_resize(self) -> None:
        # Once laid out: a scrollbar shown or hidden by this layout changes the room.
        self.call_after_refresh(self._tell_width)

    def _tell_width(self) -> None:
        self.post_message(self.Resized(self, self.scrollable_content_region.width - len(TICKED)))

    def relabel(self, texts: dict[str, str]) -> None:
        """Show other texts for some items (by value); their ticks stay as they are."""
        for index, (value, text) in enumerate(self.items):
            new = texts.get(value, text)
            if new != text:
                self.items[index] = (value, new)
                self.replace_option_prompt_at_index(index, self._prompt(value, new))

    def action_tick(self) -> None:
        index = self.highlighted
        if index is None:
            return
        value, text = self.items[index]
        self.ticked ^= {value}
        self.replace_option_prompt_at_index(index, self._prompt(value, text))
        self.post_message(self.Changed(self))

    @on(OptionList.OptionSelected)
    def _ticked_by_enter_or_click(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_tick()
