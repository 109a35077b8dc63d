"""The collector held while the TUI starts: resumed once the first screen is usable, and
left as it was found by a start-up that fails."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from conftest import FLAGSHIP

from drillsim import startup
from drillsim.engine.clock import ManualClock
from drillsim.tui.app import make_app
from drillsim.tui.screens.briefing import BriefingScreen
from drillsim.tui.settings import Settings

pytestmark = pytest.mark.usefixtures("shared_name_helper")


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Whatever a test does to the collector, the next test finds it on and unfrozen."""
    frozen = gc.get_freeze_count()
    yield
    if gc.get_freeze_count() > frozen:
        gc.unfreeze()
    gc.enable()


@pytest.mark.usefixtures("collector_restored")
def test_a_start_up_that_fails_leaves_the_collector_on_and_nothing_frozen() -> None:
    frozen = gc.get_freeze_count()
    with pytest.raises(RuntimeError), startup.collection_held():
        assert not gc.isenabled()
        raise RuntimeError("the scenario could not be read")
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen


@pytest.mark.usefixtures("collector_restored")
def test_release_does_nothing_where_start_up_did_not_hold_the_collector() -> None:
    frozen = gc.get_freeze_count()
    startup.release()  # as an app built in a test's process does once usable
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    gc.disable()
    with startup.collection_held():  # off already (someone else's choice): not ours to undo
        startup.release()
    assert not gc.isenabled()


@pytest.mark.usefixtures("collector_restored")
def test_start_up_s_garbage_is_collected_not_frozen() -> None:
    import weakref

    class Node:
        pass

    with startup.collection_held():
        cycle = Node()
        cycle.self = cycle  # garbage only a collection frees
        gone = weakref.ref(cycle)
        del cycle
        startup.release()
    assert gone() is None


@pytest.mark.usefixtures("collector_restored")
async def test_the_collector_resumes_once_the_briefing_is_usable() -> None:
    frozen = gc.get_freeze_count()
    clock = ManualClock()
    app = make_app(FLAGSHIP, seed=3, clock_factory=lambda: clock, tick=10**6, settings=Settings())
    with startup.collection_held():
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(200):
                await pilot.pause()
                screen = app.screen
                if isinstance(screen, BriefingScreen) and screen.variables is not None:
                    break
            await pilot.pause()
            assert gc.isenabled(), "collection resumed once the names were in"
            assert gc.get_freeze_count() > frozen, "what start-up made is frozen"
