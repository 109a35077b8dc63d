"""The open plan-B decision: its question, a countdown, and the options in brief."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from drillsim.durations import format_minute, format_span
from drillsim.tui.text import plain


class DecisionPanel(Static):
    """Shows the open decisions; the team decides with the d key."""

    DEFAULT_CSS = """
    DecisionPanel {
        height: 1fr;
        border: round $panel-lighten-2;
        border-title-color: $text;
        padding: 0 1;
    }
    DecisionPanel.-open { border: round $accent; }
    DecisionPanel.-closing { border: round $error; }
    """

    def on_mount(self) -> None:
        self.border_title = "Plan B"
        self.show([], 0.0, "")

    def show(self, open_decisions: list[tuple[str, float, str]], now: float, made: str) -> None:
        """``open_decisions``: (prompt, closes_at, default label); ``made``: choices so far."""
        self.set_class(bool(open_decisions), "-open")
        closing = any(closes - now < 180 for _, closes, _ in open_decisions)
        self.set_class(closing, "-closing")
        self.border_subtitle = "d to decide" if open_decisions else ""
        if not open_decisions:
            message = made or "No decision open. Plan-B choices appear here when they come up."
            self.update(plain(message, "dim"), layout=False)
            return
        parts: list[Content] = []
        for prompt, closes, default in sorted(open_decisions, key=lambda item: item[1]):
            parts.append(plain(prompt, "bold"))
            parts.append(
                Content.assemble(
                    (f"{format_span(closes - now)} left", "bold"),
                    (f" (until {format_minute(closes)}), then: ", "dim"),
                    plain(default, "dim"),
                )
            )
        self.update(Content("\n").join(parts), layout=False)
