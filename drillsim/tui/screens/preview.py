"""A scenario's events list from the picker: what lands when, as `drillsim preview` shows it."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from drillsim.tui.text import plain


class PreviewScreen(Screen[None]):
    """The master scenario events list of one scenario, read-only; Escape goes back."""

    DEFAULT_CSS = """
    PreviewScreen > Vertical { padding: 0 1; }
    PreviewScreen .title { text-style: bold; color: $accent; }
    PreviewScreen .hint { color: $text-muted; }
    PreviewScreen VerticalScroll { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="preview.back"),
        Binding("q", "app.pop_screen", "Back", show=False, id="preview.quit"),
    ]

    def __init__(self, path: Path, seed: int) -> None:
        """``seed``: the draw whose names and outage are shown (the picker's next run)."""
        super().__init__()
        self.path = path
        self.seed = seed

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Events list: for the facilitator's eyes only", classes="title")
            yield Label(
                f"Seed {self.seed}, the next run's draw: its names, its outage and every "
                "event, so it gives the drill away. If the players saw it, set another seed "
                "(s in the picker). ~ marks the earliest a conditional event can come.",
                classes="hint",
            )
            with VerticalScroll():
                yield Static(plain("Reading the scenario..."), id="events")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
        self.load_events()

    @work(thread=True, exclusive=True, group="preview")
    def load_events(self) -> None:
        """Read the scenario and draw the seed's names away from the event loop."""
        from drillsim.authoring.msel import events_list, events_text
        from drillsim.scenario.loader import load_scenario_file
        from drillsim.scenario.problems import ScenarioError

        try:
            scenario = load_scenario_file(self.path).scenario
            listed = events_list(scenario, self.seed)
            text = events_text(scenario, listed, self.seed, max(60, self.size.width - 4))
        except (OSError, ScenarioError) as error:
            text = f"Cannot preview {self.path}: {error}"
        self.app.call_from_thread(self.query_one("#events", Static).update, plain(text))
