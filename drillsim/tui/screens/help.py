"""The help screen: the keys, and the rules of the game."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from drillsim.scenario.model import Scenario
from drillsim.tui.screens.dialog import Dialog
from drillsim.tui.text import plain

KEY_NAMES = {"space": "space", "plus": "+", "minus": "-", "question_mark": "?"}

GAME_RULES = (
    "Facts reach you only through the feed; the update composer offers only what you were told.",
    "Every update: what we know, what we don't know yet, and when the next update comes. "
    "Keep that promise.",
    "Updates with nothing in them, or repeated too soon, count as noise.",
    "Plan B is judged on what you knew when you chose, never on how long the outage lasted.",
    "Tempting actions are recorded. Each is right only when the real impact calls for it.",
    "Ctrl+P opens the command palette with every action; F5 pauses the clock from anywhere.",
)


class HelpScreen(Dialog[None]):
    """Keys and rules; the exercise clock is paused while it is open."""

    pauses_clock = True
    DEFAULT_CSS = """
    HelpScreen > Vertical { height: 100%; }
    HelpScreen .title { margin: 1 0 0 0; }
    """
    BINDINGS = [Binding("question_mark", "close", "Close", show=False, id="help.close")]

    def __init__(
        self,
        scenario: Scenario,
        render: Callable[[str], str],
        controls: tuple[tuple[str, str, str, str], ...],
    ) -> None:
        super().__init__()
        self.scenario = scenario
        self.render_text = render
        self.controls = controls

    def compose(self) -> ComposeResult:
        with Vertical(), VerticalScroll():
            yield Label("Keys", classes="title")
            yield Static(
                Content("\n").join(
                    Content.assemble((f"{KEY_NAMES.get(key, key):>6}  ", "bold"), help_text)
                    for key, _, _, help_text in self.controls
                )
            )
            yield Label("Rules of the game", classes="title")
            rules = [
                *GAME_RULES,
                *(self.render_text(rule) for rule in self.scenario.briefing.rules),
            ]
            yield Static(Content("\n").join(plain(f"• {rule}") for rule in rules))
            yield Label("Esc or q closes · the clock is paused while help is open", classes="hint")
