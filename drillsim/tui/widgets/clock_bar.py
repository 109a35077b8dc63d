"""The exercise clock: T+mm:ss, speed, running or paused, time left, scenario title."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from drillsim.durations import format_clock
from drillsim.tui.text import plain


class ClockBar(Static):
    """One line across the top of the live drill."""

    DEFAULT_CSS = """
    ClockBar {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ClockBar.-paused { background: $warning 30%; }
    ClockBar.-ended { background: $success 30%; }
    """

    def __init__(self, title: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self._title = title
        self._shown: tuple[int, float, bool, bool] | None = None

    def show(
        self, now: float, length: float, speed: float, paused: bool, ended: bool = False
    ) -> None:
        key = (int(now), speed, paused, ended)
        if key == self._shown:
            return  # nothing visible changed this tick
        self._shown = key
        self.set_class(paused, "-paused")
        self.set_class(ended, "-ended")
        left = format_clock(max(0.0, length - now)).removeprefix("T+")
        state = (
            ("■ ENDED", "bold")
            if ended
            else ("⏸ PAUSED", "bold reverse")
            if paused
            else ("▶", "bold")
        )
        self.update(  # one fixed line: no need to lay the screen out again
            layout=False,
            content=Content.assemble(
                (format_clock(now), "bold"),
                "  ",
                (f"×{speed:g}", "italic"),
                "  ",
                state,
                f"   {left} left   ",
                plain(self._title, "dim"),
            ),
        )
