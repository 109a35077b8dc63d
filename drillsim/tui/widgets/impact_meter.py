"""The impact meter: loss so far, how fast it grows, and which plan B slows it."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from drillsim.tui.text import plain


class ImpactMeter(Static):
    """``Sign-ups not captured`` over ``1,214  +109.5/min``, with the plan Bs in effect."""

    DEFAULT_CSS = """
    ImpactMeter {
        height: auto;
        border: round $panel-lighten-2;
        border-title-color: $text;
        padding: 0 1;
    }
    ImpactMeter.-stopped { border: round $success; }
    """

    def __init__(self, label: str, unit: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.label = label
        self.unit = unit
        self._lines = 0

    def on_mount(self) -> None:
        self.border_title = "Impact"

    def show(self, total: float, rate: float, helping: list[str]) -> None:
        # Nothing lost yet and nothing being lost: it has not started (a loss that begins
        # later, a webinar at 10:00), which is no success to show in green.
        stopped = rate == 0 and total > 0
        self.set_class(stopped, "-stopped")
        pace = f"+{rate:.1f}/min" if rate else "stopped" if stopped else "nothing lost yet"
        # The label on a line of its own: the number and its pace never wrap away.
        lines = [
            plain(self.label),
            Content.assemble((f"{total:,.0f}", "bold"), "  ", (pace, "dim")),
        ]
        lines.extend(Content.assemble(("slowed by ", "dim"), plain(name)) for name in helping)
        # Lay out again only when a plan B adds or removes a line.
        self.update(Content("\n").join(lines), layout=len(lines) != self._lines)
        self._lines = len(lines)
