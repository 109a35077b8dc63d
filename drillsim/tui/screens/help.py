"""The help screen: the keys, and the rules of the game."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from drillsim.scenario.model import Scenario
from drillsim.tui.rules import GAME_RULES
from drillsim.tui.screens.dialog import Dialog
from drillsim.tui.text import plain

KEY_NAMES = {"space": "space", "plus": "+", "minus": "-", "question_mark": "?"}


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
                    for key, help_text in self._keys()
                ),
                id="keys",
            )
            yield Label("Rules of the game", classes="title")
            rules = [
                *GAME_RULES,
                *(self.render_text(rule) for rule in self.scenario.briefing.rules),
            ]
            yield Static(Content("\n").join(plain(f"• {rule}") for rule in rules))
            yield Label("Esc or q closes · the clock is paused while help is open", classes="hint")

    def _keys(self) -> list[tuple[str, str]]:
        """Each key once with what it does: a key with two controls (space pauses and
        resumes) says both."""
        keys: dict[str, list[str]] = {}
        for key, _, _, help_text in self.controls:
            keys.setdefault(key, []).append(help_text)
        return [(key, " / ".join(texts)) for key, texts in keys.items()]
