"""The one dialog base: a box between the clock bar and the footer, closed by Escape or q.

The screen behind stays in view (dimmed), so the exercise clock on its top line is always
visible: whether it runs or shows "paused" while a dialog is open is the drill screen's call.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A modal box over the screen that opened it; Escape or q closes it with no answer."""

    pauses_clock: ClassVar[bool] = False
    """Pause the exercise clock while open whatever the setting (help, for instance)."""

    decision_id: str | None = None
    """The plan-B decision it is about, if any: it closes when the decision does."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
        background: $background 45%;
    }
    Dialog > Vertical {
        width: 90%;
        max-width: 100;
        height: auto;
        /* the top line is the clock bar, the bottom one the footer: both stay in view */
        margin: 1 0;
        max-height: 1fr;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    Dialog .title { text-style: bold; margin-bottom: 1; }
    Dialog .hint { color: $text-muted; margin-top: 1; }
    """

    BINDINGS = [Binding("escape,q", "close", "Close", show=False, id="dialog.close")]

    def action_close(self) -> None:
        self.dismiss(None)

    def withdraw(self) -> None:
        """Close without an answer, telling no one: what it asked about is gone."""
        if self.is_current:
            self.app.pop_screen()
