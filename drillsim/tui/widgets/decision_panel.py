"""The open plan-B decision: its question, a countdown, and the options in brief."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from drillsim.durations import format_between, format_minute
from drillsim.tui.text import plain


class DecisionPanel(VerticalScroll, can_focus=False):
    """Shows the open decisions; the team decides with the d key. Several open decisions
    on a short screen scroll (the scroll bar shows there is more), never cut."""

    DEFAULT_CSS = """
    DecisionPanel {
        height: 1fr;
        scrollbar-size-vertical: 1;
        border: round $panel-lighten-2;
        border-title-color: $text;
        padding: 0 1;
    }
    DecisionPanel.-open { border: round $accent; }
    DecisionPanel.-closing { border: round $error; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="decisions")

    @property
    def content(self) -> Content:
        """What the panel says now."""
        return self.query_one("#decisions", Static).content  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.border_title = "Plan B"
        self.show([], 0.0, "")

    def show(
        self, open_decisions: list[tuple[str, float, str, str | None]], now: float, made: str
    ) -> None:
        """``open_decisions``: (prompt, closes_at, default label, label of the do-nothing
        option the team holds, if any); ``made``: choices so far."""
        self.set_class(bool(open_decisions), "-open")
        closing = any(item[1] - now < 180 for item in open_decisions)
        self.set_class(closing, "-closing")
        self.border_subtitle = "d to decide" if open_decisions else ""
        count = len(open_decisions)
        self.border_title = f"Plan B · {count} open" if count > 1 else "Plan B"
        if not open_decisions:
            message = made or "No decision open. Plan-B choices appear here when they come up."
            self.query_one("#decisions", Static).update(plain(message, "dim"))
            return
        parts: list[Content] = []
        for prompt, closes, default, held in sorted(open_decisions, key=lambda item: item[1]):
            parts.append(plain(prompt, "bold"))
            parts.append(
                Content.assemble(
                    (f"{format_between(now, closes)} left", "bold"),
                    (f" (until {format_minute(closes)})", "dim"),
                )
            )
            if held is not None:
                # Doing nothing is waiting: the decision stays open and can still change.
                parts.append(Content.assemble(("holding: ", "dim"), plain(held, "bold")))
                parts.append(plain("still open: d to change it", "dim"))
            else:
                parts.append(Content.assemble(("then by default: ", "dim"), plain(default, "dim")))
        self.query_one("#decisions", Static).update(Content("\n").join(parts))
