"""Properties of the engine, checked with hypothesis: order, pauses, determinism, no loss."""

from __future__ import annotations

import contextlib
import json

import pytest
from conftest import SCENARIOS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drillsim.engine import events as ev
from drillsim.engine.actions import ChooseOption, SendUpdate, TakeAction
from drillsim.engine.clock import ExerciseClock, ManualClock
from drillsim.engine.drill import Drill
from drillsim.engine.events import ENCODER
from drillsim.scenario.loader import load_scenario

SHIPPED = [load_scenario(path)[0] for path in SCENARIOS]
FLAGSHIP = next(s for s in SHIPPED if s.id == "map-outage-mid-send")

PLAY = [
    (
        240.0,
        SendUpdate(
            ("execs", "sales"), facts=("send-halted",), unknowns=("when-back",), next_update_in=1800
        ),
    ),
    (420.0, ChooseOption("ads-plan", "pause-ads")),
    (700.0, ChooseOption("forms-plan", "cms-pages")),
    (900.0, TakeAction("escalate-vendor")),
    (
        1500.0,
        SendUpdate(
            ("execs", "sales", "support"),
            facts=("forms-down", "vendor-outage"),
            next_update_in=1800,
        ),
    ),
]


def script(drill: Drill, steps=PLAY) -> None:
    """Play timed actions headless, then run to the end."""
    for at, action in steps:
        drill.advance_to(at)
        if not drill.ended:
            with contextlib.suppress(ValueError):
                drill.act(action)
    drill.advance_to(drill.length)


def journal(drill: Drill, *, facilitator: bool = True) -> str:
    """The run's events as JSON, without sequence numbers and the starting speed (pace, not play)."""
    rows = [
        {k: v for k, v in json.loads(ENCODER.encode(event)).items() if k not in ("seq", "speed")}
        for event in drill.events
        if facilitator or event.kind not in ev.FACILITATOR_KINDS
    ]
    return json.dumps(rows, sort_keys=True)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1), st.sampled_from(SHIPPED))
def test_events_are_ordered_in_time_and_sequence(seed: int, scenario) -> None:
    drill = Drill(scenario, seed)
    script(drill, PLAY if scenario is FLAGSHIP else [])
    seqs = [event.seq for event in drill.events]
    times = [event.t for event in drill.events]
    assert seqs == list(range(1, len(seqs) + 1))
    assert times == sorted(times)
    assert drill.events[0].kind == ev.DRILL_STARTED
    assert drill.events[-1].kind == ev.DRILL_ENDED
    assert all(event.kind in ev.KINDS for event in drill.events)


@pytest.mark.slow
def test_determinism_across_200_seeds() -> None:
    for seed in range(200):
        first, second = Drill(FLAGSHIP, seed), Drill(FLAGSHIP, seed)
        script(first)
        script(second)
        assert journal(first) == journal(second), seed


def test_different_seeds_draw_different_truths() -> None:
    durations = {Drill(FLAGSHIP, seed).true_duration for seed in range(50)}
    assert len(durations) > 40


wall_steps = st.lists(
    st.tuples(
        st.floats(min_value=0.0, max_value=400.0, allow_nan=False),
        st.sampled_from(["tick", "pause", "resume", "speed"]),
        st.floats(min_value=0.25, max_value=30.0, allow_nan=False),
    ),
    max_size=40,
)


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wall_steps)
def test_pause_arithmetic(steps) -> None:
    """Exercise time is the sum of running wall spans, each times the speed then in force."""
    wall = ManualClock()
    clock = ExerciseClock(wall, speed=1.0)
    expected, speed, paused = 0.0, 1.0, False
    for span, what, factor in steps:
        wall.advance(span)
        if not paused:
            expected += span * speed
        if what == "pause":
            clock.pause()
            paused = True
        elif what == "resume":
            clock.resume()
            paused = False
        elif what == "speed":
            clock.set_speed(factor)
            speed = factor
        assert abs(clock.elapsed() - expected) <= 1e-6 * max(1.0, expected)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=10_000),
    intervals=st.lists(
        st.floats(min_value=0.25, max_value=300.0, allow_nan=False), min_size=1, max_size=60
    ),
)
def test_no_event_is_lost_or_moved_under_random_poll_intervals(seed: int, intervals) -> None:
    """Polling in any rhythm yields the events of one headless run, at the same times."""
    reference = Drill(FLAGSHIP, seed)
    reference.advance_to(FLAGSHIP.length)

    clock = ManualClock()
    drill = Drill(FLAGSHIP, seed, clock=clock, speed=8.0)
    seen = list(drill.poll())
    index = 0
    while not drill.ended:
        clock.advance(intervals[index % len(intervals)])
        index += 1
        seen.extend(drill.poll())
    assert [e.seq for e in seen] == list(range(1, len(seen) + 1))
    assert journal(drill) == journal(reference)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=10_000),
    pauses=st.lists(st.floats(min_value=1.0, max_value=600.0, allow_nan=False), max_size=8),
)
def test_pausing_and_speed_changes_never_change_the_incident(seed: int, pauses) -> None:
    """Facilitator controls change the pace of play, never what happens at which exercise time."""
    reference = Drill(FLAGSHIP, seed)
    reference.advance_to(FLAGSHIP.length)

    clock = ManualClock()
    drill = Drill(FLAGSHIP, seed, clock=clock, speed=3.0)
    for number, pause in enumerate(pauses):
        clock.advance(pause)
        drill.pause()
        clock.advance(pause * 2)
        drill.resume()
        drill.set_speed(1.0 + number % 5)
    while not drill.ended:
        clock.advance(97.0)
        drill.poll()
    assert journal(drill, facilitator=False) == journal(reference)
