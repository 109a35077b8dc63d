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
from textual.widgets import Footer, Static

from drillsim.durations import format_span
from drillsim.templates import fill
from drillsim.tui.rules import GAME_RULES
from drillsim.tui.setup import PlaySetup
from drillsim.tui.text import plain

if TYPE_CHECKING:
    from drillsim.engine.draws import DrawApart

KEYS_LINE = (
    "u update · d decide · a actions · space pause · +/- speed · s skip · n note · e end"
    " · ? help · q quit"
)

MUTED = "auto 60%"
"""The theme's $text-muted, written out: a style inside text cannot look that variable up."""


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
        # Few widgets: the handout is one text (headings styled inside it), so the first
        # frame costs little more than a bare app's; the key bar follows once it is usable.
        with VerticalScroll(id="page"), Vertical(id="sheet"):
            yield Static(id="title")
            yield Static(self._facts_line(), id="facts")
            yield Static("Preparing…", id="start")
            yield Static(_section("Situation", plain("Preparing the drill…")), id="handout")

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
        sections = [_section("Situation", plain(r(briefing.situation)))]
        if briefing.roles:
            roles = (
                Content.assemble(plain(f"• {r(role.name)}", "bold"), " — ", plain(r(role.brief)))
                for role in briefing.roles
            )
            sections.append(_section("Roles", Content("\n").join(roles)))
        if briefing.objectives:
            objectives = (plain(f"• {r(item)}") for item in briefing.objectives)
            sections.append(_section("Objectives", Content("\n").join(objectives)))
        rules = (plain(f"• {rule}") for rule in [*GAME_RULES, *map(r, briefing.rules)])
        sections.append(_section("Rules of the game", Content("\n").join(rules)))
        sections.append(_section("Keys", Content.styled(KEYS_LINE, MUTED)))
        self.query_one("#handout", Static).update(Content("\n\n").join(sections))
        self.query_one("#start", Static).update(
            Content.styled(
                " Press Enter when the team is ready: the clock starts at once ",
                "bold reverse $accent",
            )
        )
        self.post_message(self.Ready())
        self.call_after_refresh(self._add_key_bar)

    async def _add_key_bar(self) -> None:
        """The key bar, once the briefing is usable (it cost a tenth of the time to it)."""
        await self.mount(Footer(compact=True))
        self.refresh_bindings()  # a footer learns the keys from the next bindings update

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


def _section(heading: str, body: Content) -> Content:
    """A part of the handout: its heading, then its text."""
    return Content.assemble(Content.styled(heading, f"bold underline {MUTED}"), "\n", body)
