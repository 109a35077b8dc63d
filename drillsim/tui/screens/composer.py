"""The update composer: who hears it, what we know, what we don't, when we'll be back."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from drillsim.durations import format_ago, format_span
from drillsim.engine.actions import Eta, SendUpdate, carries_content
from drillsim.tui.screens.dialog import Dialog
from drillsim.tui.text import abbreviate, plain
from drillsim.tui.widgets.tick_list import TickList
from drillsim.update_status import UPDATE_STATUSES

NEXT_UPDATE_MINUTES = (10, 15, 20, 30, 45, 60)
"""The next-update times always offered; each audience's own limits are added to them."""


def next_update_choices(
    windows: dict[str, tuple[float, float] | None],
) -> list[tuple[str, int]]:
    """The "Next update in" choices: no promise, the usual times, and the soonest and latest
    whole minutes each audience can be held to now (a days-long drill's cadence may allow
    hours), shortest first."""
    minutes = set(NEXT_UPDATE_MINUTES)
    for window in windows.values():
        if window is not None:
            low, high = math.ceil(window[0] / 60), math.floor(window[1] / 60)
            minutes.update(m for m in (low, high) if m > 0 and low <= high)
    return [("no promise", 0)] + [(format_span(m * 60), m) for m in sorted(minutes)]


@dataclass(frozen=True, slots=True)
class ComposerChoices:
    """What the composer offers: only what the team can know."""

    audiences: list[tuple[str, str, str]]  # (id, name, hint)
    facts: list[tuple[str, str]]  # revealed facts (id, text)
    unknowns: list[tuple[str, str]]  # still-open questions (id, text)
    status: str = "investigating"
    next_minutes: int = 20
    doing: list[tuple[str, str]] = field(default_factory=list)  # plan Bs chosen, actions taken
    windows: dict[str, tuple[float, float] | None] = field(default_factory=dict)
    """Per audience, the next-update times (seconds) it can be held to."""
    channels: list[tuple[str, str]] = field(default_factory=list)
    """The scenario's channels (id, label as the team knows it: no word of one being down
    unless an update bounced on it); none: no channel choice is shown."""
    reach: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per audience, the channels that reach it (none: reached directly)."""
    vendor_eta: tuple[str, ...] = ()
    """Revealed facts that are the vendor's published resolution time (``eta: vendor``): the
    update may relay it, which is not promising a time of our own."""
    noise_for: Callable[[SendUpdate], list[str]] | None = None
    """The audiences (ids) an update would be noise for, as the score counts it: the
    composer warns once before sending it (none: no warning)."""


DEFAULT_CHANNEL = ""
"""The channel choice that sends to each audience over its own default."""


class UpdateComposer(Dialog[SendUpdate | None]):
    """Compose a structured stakeholder update; it refuses to send without an audience."""

    DEFAULT_CSS = """
    UpdateComposer > Vertical { width: 96%; max-width: 110; border: round $accent; }
    UpdateComposer .title { margin-bottom: 0; }
    UpdateComposer .heading { text-style: bold; color: $text-muted; }
    UpdateComposer #body { height: auto; max-height: 1fr; }
    UpdateComposer #top { height: auto; }
    UpdateComposer #who { width: 1fr; height: auto; }
    UpdateComposer #settings { width: 32; height: auto; padding-left: 1; }
    UpdateComposer #settings Select { width: 100%; }
    UpdateComposer TickList { width: 100%; }
    UpdateComposer #text { margin-top: 1; }
    /* docked: on a short screen the form scrolls, the buttons and any error stay in view
       (one docked box: two widgets docked to the same edge would overlap) */
    UpdateComposer #foot { dock: bottom; height: auto; }
    UpdateComposer #buttons { height: auto; align-horizontal: right; }
    UpdateComposer #error { color: $error; text-style: bold; height: auto; display: none; }
    UpdateComposer #error.-shown { display: block; }
    UpdateComposer #buttons Button { margin-left: 2; }
    """

    BINDINGS = [
        Binding("ctrl+s", "send", "Send", priority=True, id="composer.send"),
    ]

    def __init__(self, choices: ComposerChoices) -> None:
        super().__init__()
        self.choices = choices
        self._warned: SendUpdate | None = None
        """The update the team was warned would be noise: sent as it is if sent again."""

    def compose(self) -> ComposeResult:
        choices = self.choices
        with Vertical():
            yield Label(
                "Send an update · ↑↓ space tick · tab next · ctrl+s send · esc cancel",
                classes="title",
            )
            with VerticalScroll(id="body"):
                with Horizontal(id="top"):
                    with Vertical(id="who"):
                        yield Label("To", classes="heading")
                        yield TickList(
                            ((value, f"{name}  {hint}") for value, name, hint in choices.audiences),
                            id="audiences",
                        )
                    with Vertical(id="settings"):
                        yield Label("Next update in", classes="heading")
                        yield Select(
                            next_update_choices(choices.windows),
                            value=choices.next_minutes,
                            allow_blank=False,
                            compact=True,
                            id="next",
                        )
                        yield Label("Status", classes="heading")
                        yield Select(
                            [(status, status) for status in UPDATE_STATUSES],
                            value=choices.status,
                            allow_blank=False,
                            compact=True,
                            id="status",
                        )
                        if choices.channels:
                            yield Label("Over", classes="heading")
                            yield Select(
                                [("each one's usual channel", DEFAULT_CHANNEL)]
                                + [(label, value) for value, label in choices.channels],
                                value=DEFAULT_CHANNEL,
                                allow_blank=False,
                                compact=True,
                                id="channel",
                            )
                        yield TickList(self._eta_choices(), id="eta")
                        yield Input(placeholder="Message (optional)", compact=True, id="text")
                yield Label("What we know (facts you have been told)", classes="heading")
                if choices.facts:
                    yield TickList(
                        choices.facts, ticked=(value for value, _ in choices.facts), id="facts"
                    )
                else:
                    yield Static("Nothing confirmed yet.")
                if choices.doing:
                    yield Label("What we're doing", classes="heading")
                    yield TickList(
                        choices.doing, ticked=(value for value, _ in choices.doing), id="doing"
                    )
                yield Label("What we don't know yet", classes="heading")
                yield TickList(
                    choices.unknowns,
                    ticked=(value for value, _ in choices.unknowns),
                    id="unknowns",
                )
            with Vertical(id="foot"):
                yield Static("", id="error")
                with Horizontal(id="buttons"):
                    yield Button("Cancel", compact=True, id="cancel")
                    yield Button("Send  ctrl+s", variant="primary", compact=True, id="send")

    def _eta_choices(self) -> list[tuple[str, str]]:
        if not self.choices.vendor_eta:
            return [("eta", "Say when it will be fixed")]
        return [("eta", "Say when we will fix it"), ("vendor", "Relay the vendor's fix time")]

    def on_mount(self) -> None:
        self._offered_next = self.choices.next_minutes
        """The next-update time the composer last offered."""
        self._next_picked = False
        """The team picked a next-update time: ticking audiences no longer moves it."""
        self.query_one("#audiences", TickList).focus()

    @on(Select.Changed, "#next")
    def next_picked(self, event: Select.Changed) -> None:
        if event.value != self._offered_next:  # not the composer's own offer
            self._next_picked = True

    @on(TickList.Changed, "#audiences")
    def fit_next_update(self, event: TickList.Changed) -> None:
        """Until the team picks one, the next-update time follows the ticked audiences: the
        usual default if they can all be held to it, else the allowed time nearest to it."""
        select = self.query_one("#next", Select)
        if self._next_picked or not self.choices.next_minutes:
            return
        audiences = tuple(event.tick_list.selected)
        if not audiences or self._promise_refusal(audiences, self.choices.next_minutes) == "":
            fitting = self.choices.next_minutes
        else:
            allowed = [
                minutes
                for _, minutes in next_update_choices(self.choices.windows)
                if minutes and not self._promise_refusal(audiences, minutes)
            ]
            if not allowed:
                return  # no time in common: the refusal says so when the team sends
            fitting = min(allowed, key=lambda m: abs(m - self.choices.next_minutes))
        self._offered_next = select.value = fitting

    @on(TickList.Resized, "#audiences")
    def fit_audiences(self, event: TickList.Resized) -> None:
        """Each audience on one line where it can be: its name abbreviated (text.abbreviate)
        to leave room for when it was last told."""
        if event.width > 0:
            event.tick_list.relabel(
                {
                    value: audience_line(name, hint, event.width)
                    for value, name, hint in self.choices.audiences
                }
            )

    @on(Button.Pressed, "#send")
    @on(Input.Submitted, "#text")
    def action_send(self) -> None:
        audiences = tuple(self.query_one("#audiences", TickList).selected)
        if not audiences:
            self._refuse(
                "Pick at least one audience: who is this update for?",
                self.query_one("#audiences", TickList),
            )
            return
        facts = tuple(self.query_one("#facts", TickList).selected) if self.choices.facts else ()
        doing = tuple(self.query_one("#doing", TickList).selected) if self.choices.doing else ()
        minutes = self.query_one("#next", Select).value
        refusal = self._promise_refusal(audiences, minutes if isinstance(minutes, int) else 0)
        if refusal:
            self._refuse(refusal, self.query_one("#next", Select))
            return
        channel = self._channel()
        refusal = self._channel_refusal(audiences, channel)
        if refusal:
            self._refuse(refusal, self.query_one("#channel", Select))
            return
        eta, refusal = self._eta(facts)
        if refusal:
            self._refuse(refusal, self.query_one("#eta", TickList))
            return
        update = SendUpdate(
            audiences=audiences,
            facts=facts,
            unknowns=tuple(self.query_one("#unknowns", TickList).selected),
            status=str(self.query_one("#status", Select).value),  # type: ignore[arg-type]
            next_update_in=float(minutes) * 60 if minutes else None,  # type: ignore[arg-type]
            eta=eta,
            text=self.query_one("#text", Input).value.strip(),
            doing=doing,
            channel=channel,
        )
        warning = self._noise_warning(update)
        if warning and update != self._warned:
            self._warned = update  # the same update sent again goes: the team was told
            self._refuse(
                warning,
                self.query_one("#facts", TickList)
                if facts
                else self.query_one("#audiences", TickList),
            )
            return
        self.dismiss(update)

    def _noise_warning(self, update: SendUpdate) -> str:
        """What the update would be for whom it is noise (see ComposerChoices.noise_for)."""
        if self.choices.noise_for is None:
            return ""
        noisy = self.choices.noise_for(update)
        if not noisy:
            return ""
        names = {value: name for value, name, _ in self.choices.audiences}
        who = ", ".join(names.get(a, a) for a in noisy)
        if not carries_content(update.facts, update.unknowns, update.next_update_in, update.status):
            return (
                f"This update says nothing (no fact, open question, next-update time or "
                f"status), so it counts as noise for {who}. Send again to send it anyway."
            )
        return (
            f"Too soon for {who}, with nothing new: the score counts it as noise. Tick a "
            "fact they have not had or a later status, or wait; Send again to send it anyway."
        )

    def _eta(self, facts: tuple[str, ...]) -> tuple[Eta, str]:
        """The resolution time the update gives (ours, the vendor's relayed, or none), and
        why it cannot be sent as ticked ("" if it can)."""
        ticked = set(self.query_one("#eta", TickList).selected)
        if ticked == {"eta", "vendor"}:
            return False, "Give one fix time: ours or the vendor's, not both."
        if "vendor" in ticked:
            if not set(facts) & set(self.choices.vendor_eta):
                return False, "Tick the vendor's fix time under What we know to relay it."
            return "vendor", ""
        return "eta" in ticked, ""

    def _channel(self) -> str | None:
        """The channel the team picked (None: each audience's own default)."""
        if not self.choices.channels:
            return None
        value = self.query_one("#channel", Select).value
        return value if isinstance(value, str) and value != DEFAULT_CHANNEL else None

    def _channel_refusal(self, audiences: tuple[str, ...], channel: str | None) -> str:
        """Why the picked channel cannot carry the update to these audiences, or ""."""
        if channel is None:
            return ""
        missed = [
            a
            for a in audiences
            if self.choices.reach.get(a) and channel not in self.choices.reach[a]
        ]
        if not missed:
            return ""
        label = dict(self.choices.channels).get(channel, channel)
        names = {value: name for value, name, _ in self.choices.audiences}
        return (
            f"{label} does not reach {', '.join(names.get(a, a) for a in missed)}: pick their "
            "usual channel, or send them a separate update."
        )

    def _refuse(self, refusal: str, field: Widget) -> None:
        """Say why the update cannot go (above the buttons), and take the team to the field."""
        error = self.query_one("#error", Static)
        error.update(plain(refusal))  # it names audiences and channels: scenario text
        error.add_class("-shown")
        field.focus()

    def _promise_refusal(self, audiences: tuple[str, ...], minutes: int) -> str:
        """Why the chosen next-update time cannot be promised to these audiences, or ""."""
        if not minutes:
            return ""
        spans = [self.choices.windows.get(audience) for audience in audiences]
        if any(span is None for span in spans) or not spans:
            return ""
        low = max(span[0] for span in spans if span is not None) / 60
        high = min(span[1] for span in spans if span is not None) / 60
        soonest, latest = math.ceil(low), math.floor(high)  # the whole minutes offered
        if soonest > latest:
            return (
                "These audiences have no next-update time in common: "
                "send them separate updates, or make no promise."
            )
        if not low <= minutes <= high:
            span = (
                format_span(soonest * 60)
                if soonest == latest
                else f"between {format_span(soonest * 60)} and {format_span(latest * 60)}"
            )
            return f"Promise {span} to these audiences: sooner is noise, later leaves them waiting."
        return ""

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.dismiss(None)


def audience_line(name: str, hint: str, room: int) -> str:
    """An audience's name and hint in ``room`` characters, the name abbreviated if need be."""
    return f"{abbreviate(name, max(8, room - len(hint) - 2))}  {hint}"


def audience_hint(last: float | None, now: float) -> str:
    return "(not told yet)" if last is None else f"(told {format_ago(last, now)})"
