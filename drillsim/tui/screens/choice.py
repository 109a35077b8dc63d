"""Dialogs that pick one thing: a plan-B option, a catalogue action, yes or no, a note."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from drillsim.tui.text import plain

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 90%;
    max-width: 100;
    height: auto;
    max-height: 90%;
    border: thick $accent;
    background: $surface;
    padding: 0 1;
}}
{name} .title {{ text-style: bold; margin-bottom: 1; }}
{name} .hint {{ color: $text-muted; margin-top: 1; }}
{name} OptionList {{ width: 100%; height: auto; max-height: 20; }}
"""


class OptionDialog(ModalScreen[str | None]):
    """A titled list of options; Enter picks one, Escape goes back."""

    decision_id: str | None = None
    """The plan-B decision it is about, if any: closed with it (DrillScreen)."""

    BINDINGS = [Binding("escape", "cancel", "Back", id="dialog.cancel")]

    def __init__(self, title: Content, options: list[Option], hint: str) -> None:
        super().__init__()
        self.heading = title
        self.options = options
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.heading, classes="title")
            yield OptionList(*self.options)
            yield Label(self.hint, classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


LIST_CSS = """
{name} > Vertical {{ height: 90%; }}
{name} OptionList {{ height: 1fr; max-height: 100%; }}
"""


class DecisionDialog(OptionDialog):
    DEFAULT_CSS = DIALOG_CSS.format(name="DecisionDialog") + LIST_CSS.format(name="DecisionDialog")


class CatalogueDialog(OptionDialog):
    DEFAULT_CSS = DIALOG_CSS.format(name="CatalogueDialog") + LIST_CSS.format(
        name="CatalogueDialog"
    )


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; Escape means no."""

    decision_id: str | None = None
    """The plan-B decision it is about, if any: closed with it (DrillScreen)."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ConfirmDialog")
        + """
    ConfirmDialog #buttons { height: auto; align-horizontal: right; margin-top: 1; }
    ConfirmDialog Button { margin-left: 2; }
    """
    )
    BINDINGS = [
        Binding("escape,n", "answer(False)", "No", id="confirm.no"),
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
    ]

    def __init__(self, question: str, detail: str, yes: str) -> None:
        """``question`` and ``detail`` may quote scenario text: shown as typed, never markup."""
        super().__init__()
        self.question = plain(question)
        self.detail = plain(detail)
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, classes="title")
            yield Label(self.detail)
            with Horizontal(id="buttons"):
                yield Button("No (n)", id="no")
                yield Button(f"{self.yes} (y)", variant="error", id="yes")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class NoteDialog(ModalScreen[str | None]):
    """A facilitator's note for the journal."""

    DEFAULT_CSS = DIALOG_CSS.format(name="NoteDialog")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="note.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Facilitator note (saved in the run's journal)", classes="title")
            yield Input(placeholder="e.g. Team debated the apology for five minutes", id="note")
            yield Label("Enter saves · Esc cancels", classes="hint")

    @on(Input.Submitted)
    def save(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def option(identifier: str, lines: list[Content], disabled: bool = False) -> Option:
    return Option(Content("\n").join(lines), id=identifier, disabled=disabled)


__all__ = [
    "CatalogueDialog",
    "ConfirmDialog",
    "DecisionDialog",
    "NoteDialog",
    "OptionDialog",
    "option",
    "plain",
]
