"""What the room sees when the run's journal cannot be written mid-drill: the drill is paused,
and where the run goes on being kept (drillsim.store.tracked.JournalFault says it)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from drillsim.tui.screens.dialog import Dialog
from drillsim.tui.text import plain


class JournalFaultDialog(Dialog[None]):
    """The fault's message, read whole; Enter, Escape or q closes it (the drill stays paused
    until the facilitator resumes it)."""

    DEFAULT_CSS = """
    JournalFaultDialog > Vertical { border: thick $error; }
    JournalFaultDialog .title { color: $error; }
    """
    BINDINGS = [Binding("enter", "close", "Close", id="fault.close")]

    def __init__(self, message: str, *, paused: bool) -> None:
        """``paused``: the drill was paused for it (else it had already ended)."""
        super().__init__()
        self.message = message
        self.paused = paused

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                "The run could not be saved: the drill is paused"
                if self.paused
                else "The run could not be saved where it should be",
                classes="title",
            )
            yield Static(plain(self.message), id="fault")
            yield Static(
                "Enter closes this; space resumes the drill when the room is ready."
                if self.paused
                else "Enter closes this.",
                classes="hint",
            )
