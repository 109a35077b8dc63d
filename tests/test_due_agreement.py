"""The stakeholder board and the cadence score agree on when each audience is owed its next
update: bots play the flagship through the engine, and at every event time and every minute
the board's "next due" (scoring.due on the run so far) equals the due time the score counted."""

from __future__ import annotations

from bisect import bisect_right

import pytest
from conftest import record

from scoring import score_run
from scoring.due import next_due
from scoring.timeline import build

RUNS = [("diligent", 0), ("random", 1), ("spam", 2), ("passive", 3)]
"""Bots that credit, promise, spam and stay silent, on different seeds (draws)."""


def moments(events, start: float, stop: float) -> list[float]:
    """Every event time and every minute in [start, stop)."""
    grid = {start + minute * 60.0 for minute in range(int((stop - start) // 60) + 1)}
    return sorted(t for t in grid | {e.t for e in events} if start <= t < stop)


@pytest.mark.parametrize(("policy", "seed"), RUNS)
@pytest.mark.parametrize("which", ["flagship", "phased"])
def test_board_next_due_is_the_scores_due_time(request, which: str, policy: str, seed: int) -> None:
    """On the flagship, and on it with cadence phases that tighten and loosen the rhythm."""
    flagship = request.getfixturevalue(which)
    drill, _ = record(flagship, policy, seed)
    events = drill.events
    card = score_run(flagship, events)
    audiences = {a.id: a for a in flagship.audiences}
    checked = 0
    for row in card.audiences:
        lefts = [left for left, _ in row.due]
        for t in moments(events, row.impacted_from, row.window_end):
            so_far = build(flagship, [e for e in events if e.t <= t], until=t)
            shown = next_due(so_far, audiences[row.audience], t)
            expected = row.due[bisect_right(lefts, t) - 1][1]
            assert shown is not None, (policy, seed, row.audience, t)
            assert shown.by == expected, (policy, seed, row.audience, t, shown, expected)
            checked += 1
    assert checked > 50  # the run judged someone for a while: the comparison is not empty


@pytest.mark.parametrize(("policy", "seed"), RUNS)
def test_board_and_score_agree_for_an_audience_affected_both_ways(policy: str, seed: int) -> None:
    """Format 2: while an audience affected both ways is not affected the board owes it
    nothing; while it is, the board's next due is the score's due time."""
    from test_affected_both_ways import text

    from drillsim.scenario.loader import load_scenario_text

    scenario = load_scenario_text(text(), "both-ways.yaml").scenario
    drill, _ = record(scenario, policy, seed)
    events = drill.events
    card = score_run(scenario, events)
    audience = scenario.audience("customers")
    row = next((a for a in card.audiences if a.audience == "customers"), None)
    assert row is not None
    spans = build(scenario, events).affected_spans(audience, row.window_end)
    assert len(spans) == 2
    lefts = [left for left, _ in row.due]
    checked = gaps = 0
    for t in moments(events, row.impacted_from, row.window_end):
        so_far = build(scenario, [e for e in events if e.t <= t], until=t)
        shown = next_due(so_far, audience, t)
        if not any(left <= t < right for left, right in spans):
            assert shown is None, (policy, seed, t, shown)
            gaps += 1
            continue
        expected = row.due[bisect_right(lefts, t) - 1][1]
        assert shown is not None and shown.by == expected, (policy, seed, t, shown, expected)
        checked += 1
    assert checked >= 20 and gaps >= 10


def test_a_promise_made_before_the_first_deadline_is_shown_as_made_and_late_as_scored(
    flagship,
) -> None:
    """The executives told at T+0:01 with "next update in 20 minutes": the board says next
    by T+0:21 (what the feed echoed, not the gap's later due time anchored at the first
    deadline), calls it late exactly once the score holds the promise broken, and a skip
    stops before that moment."""
    from conftest import run_script

    from drillsim.engine.actions import SendUpdate

    told = SendUpdate(
        ("execs",), facts=("send-halted",), status="investigating", next_update_in=20 * 60.0
    )
    drill = run_script(flagship, 0, [(60.0, told)], length=45 * 60.0)
    execs = flagship.audience("execs")
    due = next_due(build(flagship, drill.events, until=600.0), execs, 600.0)
    assert due is not None and due.promise == 21 * 60.0
    assert due.by > due.promise_broken == due.deadline  # the gap alone would allow longer
    card = score_run(flagship, drill.events)
    broken = [d for d in card.deductions if "promise was broken" in d.reason]
    assert broken and "by T+0:21 " in broken[0].reason
    grace = float(flagship.scoring.grace)
    assert due.promise_broken == 21 * 60.0 + grace
    from drillsim.tui.widgets.stakeholder_board import StakeholderBoard

    assert StakeholderBoard._due(due) == "next by T+0:21"
