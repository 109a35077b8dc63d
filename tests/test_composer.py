"""The update composer on its own, over a bare host app: what it offers and what it sends."""

from __future__ import annotations

from textual.app import App

from drillsim.engine.actions import SendUpdate
from drillsim.tui.screens.composer import ComposerChoices, UpdateComposer
from drillsim.tui.widgets.tick_list import TickList

VENDOR_SAYS = ("vendor-eta", "The vendor expects the tool back on day five.")
STALLED = ("stalled", "Orders stopped syncing at 08:40.")


class Host(App[None]):
    """Opens one composer and keeps what it answers."""

    def __init__(self, choices: ComposerChoices) -> None:
        super().__init__()
        self.choices = choices
        self.sent: list[SendUpdate | None] = []

    def on_mount(self) -> None:
        self.push_screen(UpdateComposer(self.choices), self.sent.append)


def choices(**overrides) -> ComposerChoices:
    given: dict = {
        "audiences": [("execs", "Executive team", "(not told yet)")],
        "facts": [STALLED, VENDOR_SAYS],
        "unknowns": [],
        "vendor_eta": ("vendor-eta",),
    }
    given.update(overrides)
    return ComposerChoices(**given)


def tick(composer: UpdateComposer, list_id: str, value: str) -> None:
    ticks = composer.query_one(list_id, TickList)
    ticks.highlighted = [v for v, _ in ticks.items].index(value)
    ticks.action_tick()


async def send(host: Host, pilot) -> str:
    """Press ctrl+s: the error shown if the composer refused ("" if it sent)."""
    await pilot.press("ctrl+s")
    await pilot.pause()
    return "" if host.sent else str(host.screen.query_one("#error").content)


def test_the_vendors_fix_time_is_offered_only_once_the_vendor_gave_one() -> None:
    offered = UpdateComposer(choices())._eta_choices()
    assert offered == [
        ("eta", "Say when we will fix it"),
        ("vendor", "Relay the vendor's fix time"),
    ]
    without = UpdateComposer(choices(facts=[STALLED], vendor_eta=()))._eta_choices()
    assert without == [("eta", "Say when it will be fixed")]


async def test_the_team_relays_the_vendors_fix_time_apart_from_promising_its_own() -> None:
    host = Host(choices())
    async with host.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        composer = host.screen
        assert isinstance(composer, UpdateComposer)
        await pilot.press("space")  # to the executive team
        tick(composer, "#eta", "vendor")
        assert await send(host, pilot) == ""
    assert [update.eta for update in host.sent if update] == ["vendor"]


async def test_one_fix_time_only_and_the_vendors_needs_its_fact() -> None:
    host = Host(choices())
    async with host.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        composer = host.screen
        assert isinstance(composer, UpdateComposer)
        await pilot.press("space")
        tick(composer, "#eta", "eta")
        tick(composer, "#eta", "vendor")
        assert "not both" in await send(host, pilot)
        tick(composer, "#eta", "eta")
        tick(composer, "#facts", "vendor-eta")
        assert "Tick the vendor's fix time" in await send(host, pilot)
        tick(composer, "#eta", "vendor")
        tick(composer, "#eta", "eta")
        assert await send(host, pilot) == ""  # our own time needs no fact
    assert [update.eta for update in host.sent if update] == [True]


async def test_an_update_that_would_be_noise_is_sent_only_once_the_team_was_told() -> None:
    """A tester answered the CRO a minute after the last update, with nothing new, and read
    in the debrief that it was noise: the composer now says so first, once."""
    asked: list[SendUpdate] = []

    def noise_for(update: SendUpdate) -> list[str]:
        asked.append(update)
        return ["execs"]

    host = Host(choices(noise_for=noise_for))
    async with host.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        composer = host.screen
        assert isinstance(composer, UpdateComposer)
        await pilot.press("space")
        warning = await send(host, pilot)
        assert warning.startswith("Too soon for Executive team, with nothing new")
        assert "Send again to send it anyway" in warning
        assert await send(host, pilot) == ""  # the same update again: it goes
    assert [update.audiences for update in host.sent if update] == [("execs",)]
    assert len(asked) == 2


async def test_an_update_with_news_is_sent_at_once() -> None:
    host = Host(choices(noise_for=lambda update: [] if "stalled" in update.facts else ["execs"]))
    async with host.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        composer = host.screen
        assert isinstance(composer, UpdateComposer)
        await pilot.press("space")
        assert "stalled" in composer.query_one("#facts", TickList).selected  # offered ticked
        assert await send(host, pilot) == ""
