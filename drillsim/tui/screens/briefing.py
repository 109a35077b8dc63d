"""The briefing: situation, roles, objectives, rules of the game, keys; Enter starts the clock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from drillsim.durations import format_span
from drillsim.templates import fill
from drillsim.tui.screens.help import GAME_RULES
from drillsim.tui.setup import PlaySetup
from drillsim.tui.text import plain

if TYPE_CHECKING:
    from drillsim.engine.draws import DrawApart

KEYS_LINE = (
    "u update · d decide · a actions · space pause · +/- speed · s skip · n note · e end"
    " · ? help · q quit"
)


class BriefingScreen(Screen[None]):
    """What the team reads before the clock starts."""

    BINDINGS = [
        Binding("enter", "start", "Start the clock", id="briefing.start"),
        Binding("escape", "back", "Scenarios", id="briefing.back"),
        Binding("q", "app.quit", "Quit", id="briefing.quit"),
    ]

    class Start(Message):
        """The team is ready: start the drill with the run's names."""

        def __init__(self, setup: PlaySetup, variables: dict[str, str]) -> None:
            super().__init__()
            self.setup = setup
            self.variables = variables

    class Back(Message):
        """Back to the scenario library."""

    class Ready(Message):
        """The briefing is usable: names filled in, Enter accepted."""

    def __init__(
        self, setup: PlaySetup, *, can_go_back: bool = True, names: DrawApart | None = None
    ) -> None:
        """``names``: the run's names, already being drawn (else drawn when shown)."""
        super().__init__()
        self.setup = setup
        self.names = names
        self.can_go_back = can_go_back
        self.variables: dict[str, str] | None = None

    def compose(self) -> ComposeResult:
        scenario = self.setup.scenario
        with VerticalScroll(id="page"), Vertical(id="sheet"):
            yield Static(id="title")
            yield Static(self._facts_line(), id="facts")
            yield Static("Preparing…", id="start")
            yield Label("Situation", classes="heading")
            yield Static("Preparing the drill…", id="situation")
            if scenario.briefing.roles:
                yield Label("Roles", classes="heading")
                yield Static(id="roles")
            if scenario.briefing.objectives:
                yield Label("Objectives", classes="heading")
                yield Static(id="objectives")
            yield Label("Rules of the game", classes="heading")
            yield Static(id="rules")
            yield Label("Keys", classes="heading")
            yield Static(KEYS_LINE, id="keys")
        yield Footer(compact=True)

    def _facts_line(self) -> Content:
        setup = self.setup
        parts = [
            f"{format_span(setup.scenario.length)} exercise",
            f"speed ×{setup.speed:g}",
            f"seed {setup.seed}",
        ]
        if setup.team:
            parts.append(f"team {setup.team}")
        parts.append("official run" if setup.official else "practice run")
        return plain(" · ".join(parts), "dim")

    def on_mount(self) -> None:
        if self.names is not None and self.names.ready():
            self._show(self.names.result())  # drawn while Textual loaded: usable at once
            return
        # After the first frame: the briefing shows at once, names arrive a moment later.
        self.call_after_refresh(self._prepare)

    @work(thread=True, exclusive=True, group="prepare")
    def _prepare(self) -> None:
        """Draw the run's names off the UI thread, in a helper process (Faker loads there)."""
        from drillsim.engine.draws import draw_variables_apart

        setup = self.setup
        if self.names is not None:
            variables = self.names.result()
        else:
            variables = draw_variables_apart(setup.scenario, setup.seed)
        self.app.call_from_thread(self._show, variables)

    def render_text(self, text: str) -> str:
        return fill(text, self.variables or {})

    def _show(self, variables: dict[str, str]) -> None:
        self.variables = variables
        briefing = self.setup.scenario.briefing
        r = self.render_text
        self.query_one("#title", Static).update(plain(r(self.setup.scenario.title), "bold"))
        self.query_one("#situation", Static).update(plain(r(briefing.situation)))
        if briefing.roles:
            self.query_one("#roles", Static).update(
                Content("\n").join(
                    Content.assemble(
                        plain(f"• {r(role.name)}", "bold"), " — ", plain(r(role.brief))
                    )
                    for role in briefing.roles
                )
            )
        if briefing.objectives:
            self.query_one("#objectives", Static).update(
                Content("\n").join(plain(f"• {r(item)}") for item in briefing.objectives)
            )
        rules = [*GAME_RULES, *(r(rule) for rule in briefing.rules)]
        self.query_one("#rules", Static).update(
            Content("\n").join(plain(f"• {rule}") for rule in rules)
        )
        self.query_one("#start", Static).update(
            Content.styled(
                " Press Enter when the team is ready: the clock starts at once ",
                "bold reverse $accent",
            )
        )
        self.post_message(self.Ready())

    def action_start(self) -> None:
        if self.variables is None:
            self.notify("One moment: the drill is still being prepared.")
            return
        self.post_message(self.Start(self.setup, self.variables))

    def action_back(self) -> None:
        if self.can_go_back:
            self.post_message(self.Back())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.can_go_back
        return True
