"""The exercise clock: T+mm:ss, speed, running or paused, time left, whether the run is
official or practice, scenario title."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from drillsim.durations import format_between, format_minute
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

    def __init__(self, title: str, *, official: bool = False, **kwargs) -> None:
        """``official``: the run counts in the team's trend (else practice)."""
        super().__init__(**kwargs)
        self._title = title
        self._kind = "official" if official else "practice"
        self._shown: tuple[int, int, float, bool, bool, bool] | None = None

    def show(
        self,
        now: float,
        length: float,
        speed: float,
        paused: bool,
        ended: bool = False,
        *,
        held: bool = False,
    ) -> None:
        """``held``: paused because a dialog is open (it runs again when the dialog closes)."""
        key = (int(now) // 60, int(length - now) // 60, speed, paused, ended, held)
        if key == self._shown:
            return  # nothing visible changed this tick
        self._shown = key
        self.set_class(paused, "-paused")
        self.set_class(ended, "-ended")
        left = format_between(now, length)
        state = (
            ("■ ENDED", "bold")
            if ended
            else ("⏸ PAUSED (dialog open)", "bold reverse")
            if paused and held
            else ("⏸ PAUSED", "bold reverse")
            if paused
            else ("▶", "bold")
        )
        self.update(  # one fixed line: no need to lay the screen out again
            layout=False,
            content=Content.assemble(
                (format_minute(now), "bold"),
                "  ",
                (f"×{speed:g}", "italic"),
                "  ",
                state,
                f"   {left} left   ",
                (self._kind, "bold" if self._kind == "official" else "italic"),
                "   ",
                plain(self._title, "dim"),
            ),
        )
