"""The one dialog base: a box between the clock bar and the footer, closed by Escape or q.

The screen behind stays in view (dimmed), so the exercise clock on its top line is always
visible: whether it runs or shows "paused" while a dialog is open is the drill screen's call.
The bottom line is the dialog's own key bar, over the screen's: the keys that work now.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import events, on
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Footer

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
        /* the top line is the clock bar, the bottom one the key bar (docked): both in view */
        margin: 1 0 0 0;
        max-height: 1fr;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    Dialog .title { text-style: bold; margin-bottom: 1; }
    Dialog .hint { color: $text-muted; margin-top: 1; }
    """

    BINDINGS = [Binding("escape,q", "close", "Close", key_display="esc", id="dialog.close")]

    @on(events.Mount)
    async def _mount_key_bar(self) -> None:
        # Mounted last, docked to the bottom line: the screen behind keeps its own key bar,
        # which would list keys that do nothing while the dialog is open.
        await self.mount(Footer(compact=True, show_command_palette=False))

    def action_close(self) -> None:
        self.dismiss(None)

    def withdraw(self) -> None:
        """Close without an answer, telling no one: what it asked about is gone."""
        if self.is_current:
            self.app.pop_screen()
