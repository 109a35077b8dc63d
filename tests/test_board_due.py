"""The stakeholder board and the skip key hold the team to what the scoring judges, played on
the injected clock: each audience's due time is the earliest that applies (the first word,
a promise made, an audience's expectation), "late" appears exactly when the score counts it
late, and a skip stops a minute before each such deadline still ahead."""

from __future__ import annotations

import pytest
from conftest import ROOT
from test_tui import advance, build, start

from drillsim.engine import events as ev
from drillsim.engine.actions import SendUpdate
from drillsim.tui.screens.drill import DrillScreen
from scoring import score_run

# A screen test costs one to three CPU seconds: these run in the slow tier; the rules they
# play are checked headless in the quick one (tests/test_due_agreement.py).
pytestmark = [pytest.mark.usefixtures("shared_name_helper"), pytest.mark.slow]

SAAS = ROOT / "scenarios" / "saas-gone-for-days.yaml"
TESTER_SEED = 456759
"""The flagship draw a tester played: the outage ends at T+0:36 (and 54 s)."""


def row(drill: DrillScreen, audience: str) -> str:
    return str(drill.query_one(f"#audience-{audience}").content)


async def skip_until(pilot, drill: DrillScreen, stop: float) -> list[float]:
    """Press s until the clock reaches ``stop`` or stands still; the times it stopped at."""
    stops = [drill.drill.now]
    while drill.drill.now < stop:
        await pilot.press("s")
        await pilot.pause()
        if drill.drill.now == stops[-1]:
            break
        stops.append(drill.drill.now)
    return stops


async def test_a_skip_stops_before_a_promise_falls_due_after_the_outage_ended() -> None:
    """Everyone told at T+0:31 "next update in 20 minutes"; the outage ends at T+0:36. The
    score holds the promise broken with nothing by T+0:56 (T+0:51 and the grace): skips stop
    a minute before the promised time and a minute before it counts as broken, never past."""
    app, clock = build(seed=TESTER_SEED)
    async with app.run_test(size=(100, 32)) as pilot:
        drill = await start(app, pilot)
        engine = drill.drill
        assert engine.true_duration == 36 * 60.0 + 54
        await advance(pilot, clock, drill, 31 * 60)
        audiences = tuple(a.id for a in drill.setup.scenario.audiences)
        engine.act(SendUpdate(audiences, status="investigating", next_update_in=20 * 60.0))
        stops = await skip_until(pilot, drill, 60 * 60.0)
        assert 50 * 60.0 in stops and 55 * 60.0 in stops, stops  # the last before T+0:56


async def test_a_skip_stops_a_minute_before_an_audiences_expectation_falls_due() -> None:
    """saas-gone-for-days: the executives told at T+0:05 with a 30-minute promise (next by
    T+0:35); the COO asks at T+0:08 and expects an answer within 15 minutes. From T+0:20 a
    skip stops at T+0:22, and the board owes the executives their answer by T+0:23."""
    app, clock = build(SAAS)
    async with app.run_test(size=(100, 32)) as pilot:
        drill = await start(app, pilot)
        engine = drill.drill
        await advance(pilot, clock, drill, 5 * 60)
        engine.act(SendUpdate(("execs",), status="investigating", next_update_in=30 * 60.0))
        await advance(pilot, clock, drill, 15 * 60)
        assert "T+0:23" in row(drill, "execs")
        await pilot.press("s")
        await pilot.pause()
        assert engine.now == 22 * 60.0
        assert not any(e.kind == ev.EXPECTATION_FAILED for e in engine.events)


async def test_the_board_owes_each_audience_the_earliest_deadline_that_applies() -> None:
    """The flagship expects sales to hear from the team within 5 minutes (its first-word
    policy alone would allow 15): the board says so from the start."""
    app, _ = build()
    async with app.run_test(size=(100, 32)) as pilot:
        drill = await start(app, pilot)
        assert "first by T+0:05" in row(drill, "sales")
        assert "first by T+0:15" in row(drill, "execs")


async def test_the_board_calls_late_only_what_the_score_counts_late() -> None:
    """Nobody told anything on the tester's draw: the agency's first word was due at T+0:40,
    after the outage ended (T+0:36), so the score does not judge it, and the board does not
    call it late; everyone the score judges is late."""
    app, clock = build(seed=TESTER_SEED)
    async with app.run_test(size=(100, 32)) as pilot:
        drill = await start(app, pilot)
        await advance(pilot, clock, drill, 119 * 60)
        judged = {a.audience for a in score_run(drill.setup.scenario, drill.drill.events).audiences}
        assert "agency" not in judged
        for audience in drill.setup.scenario.audiences:
            assert ("late" in row(drill, audience.id)) == (audience.id in judged), row(
                drill, audience.id
            )
