"""Dialogs that pick one thing: a plan-B option, a catalogue action, yes or no, a note."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from drillsim.tui.screens.dialog import Dialog
from drillsim.tui.text import plain


class OptionDialog(Dialog[str | None]):
    """A titled list of options; Enter picks one, Escape goes back."""

    DEFAULT_CSS = """
    OptionDialog > Vertical { height: 90%; }
    OptionDialog OptionList { width: 100%; height: 1fr; }
    """

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


class DecisionDialog(OptionDialog):
    """Which decision, or which option of one."""


class CatalogueDialog(OptionDialog):
    """The catalogue of tempting actions."""


class ConfirmDialog(Dialog[bool | None]):
    """A yes/no question; Escape, q or n mean no."""

    DEFAULT_CSS = """
    ConfirmDialog #warning { color: $warning; text-style: bold; margin-top: 1; }
    ConfirmDialog #buttons { height: auto; align-horizontal: right; margin-top: 1; }
    ConfirmDialog Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("n", "answer(False)", "No", id="confirm.no"),
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
    ]

    def __init__(self, question: str, detail: str, yes: str, warning: str = "") -> None:
        """``question`` and ``detail`` may quote scenario text: shown as typed, never markup;
        ``warning``: what the team should know before saying yes, shown apart."""
        super().__init__()
        self.question = plain(question)
        self.detail = plain(detail)
        self.warning = plain(warning)
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, classes="title")
            yield Static(self.detail)
            if self.warning:
                yield Static(self.warning, id="warning")  # wraps: it must be read whole
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


class NoteDialog(Dialog[str | None]):
    """A facilitator's note for the journal (q types a q here: the field has the keys)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Facilitator note (saved in the run's journal)", classes="title")
            yield Input(placeholder="e.g. Team debated the apology for five minutes", id="note")
            yield Label("Enter saves · Esc cancels", classes="hint")

    @on(Input.Submitted)
    def save(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)


class SeedDialog(Dialog[int | None]):
    """The seed of the next run, typed: the same seed draws the same names and outage."""

    def __init__(self, current: int) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Seed for the next run", classes="title")
            yield Label("The same seed draws the same names and the same hidden outage.")
            yield Input(
                placeholder=f"now {self.current}", restrict=r"[0-9]*", max_length=9, id="seed"
            )
            yield Label("Enter sets it · Esc keeps the one drawn", classes="hint")

    @on(Input.Submitted)
    def save(self, event: Input.Submitted) -> None:
        self.dismiss(int(event.value) if event.value else None)


class MessageDialog(Dialog[tuple[str, str, str] | None]):
    """The facilitator's ad-hoc inject: who sends it, on which channel, and what it says."""

    DEFAULT_CSS = """
    MessageDialog Input, MessageDialog Select { margin-bottom: 1; }
    """

    def __init__(self, channels: list[tuple[str, str]]) -> None:
        """``channels``: (label, channel) pairs, the feed's channels."""
        super().__init__()
        self.channels = channels

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Send a message into the feed (facilitator, not scored)", classes="title")
            yield Input(placeholder="From, e.g. Dana Reyes, CEO", id="sender")
            yield Select(self.channels, value=self.channels[0][1], allow_blank=False, id="channel")
            yield Input(placeholder="What it says; Enter sends", id="text")
            yield Label("Tab moves · Enter in the message sends · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#sender", Input).focus()

    @on(Input.Submitted, "#sender")
    def next_field(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#text")
    def send(self) -> None:
        sender = self.query_one("#sender", Input).value.strip()
        text = self.query_one("#text", Input).value.strip()
        if not sender:
            self.query_one("#sender", Input).focus()
            return
        if text:
            self.dismiss((sender, str(self.query_one("#channel", Select).value), text))


VERDICT_WORDS = {"strength": "+ Strength", "improvement": "− Area for improvement"}


class ObservationDialog(Dialog[tuple[int | None, str] | None]):
    """The facilitator's observation in the debrief: on what (the whole run, an update, a
    decision), and the note. The verdict (+ or −) is the key that opened it."""

    DEFAULT_CSS = """
    ObservationDialog Select { margin-bottom: 1; }
    """

    def __init__(self, verdict: str, subjects: list[tuple[str, int]]) -> None:
        """``subjects``: (label, seq) of each update and decision the run had."""
        super().__init__()
        self.verdict = verdict
        self.subjects = subjects

    def compose(self) -> ComposeResult:
        # Labels quote the scenario: plain content, never markup.
        choices = [(Content("The run as a whole"), 0)]
        choices += [(Content(label), seq) for label, seq in self.subjects]
        with Vertical():
            yield Label(
                f"{VERDICT_WORDS[self.verdict]}: an observation for the journal (not scored)",
                classes="title",
            )
            yield Select(choices, value=0, allow_blank=False, id="on")
            yield Input(placeholder="What the room did, e.g. execs heard it first", id="text")
            yield Label("Tab moves · Enter saves · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    @on(Input.Submitted, "#text")
    def save(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text:
            on = self.query_one("#on", Select).value
            self.dismiss((on if isinstance(on, int) and on > 0 else None, text))


def option(identifier: str, lines: list[Content], disabled: bool = False) -> Option:
    return Option(Content("\n").join(lines), id=identifier, disabled=disabled)


__all__ = [
    "CatalogueDialog",
    "ConfirmDialog",
    "DecisionDialog",
    "MessageDialog",
    "NoteDialog",
    "ObservationDialog",
    "OptionDialog",
    "option",
    "plain",
]
