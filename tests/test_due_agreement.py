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


def not_owed_yet(so_far, audience: str, t: float) -> bool:
    """The outage ended before the audience's first word was owed and it had heard nothing
    by ``t``: nothing is owed then (the score judges it only because the team told it
    something later, see scoring.due.judged)."""
    resolved = so_far.resolution_seen
    told = any(u.says_something for u in so_far.updates if audience in u.audiences)
    return resolved is not None and resolved <= t and not told


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
            if shown is None and not_owed_yet(so_far, row.audience, t):
                continue
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


TESTER_SEED = 456759
"""The flagship draw a tester played: the outage ends at T+0:36 (and 54 s)."""


@pytest.mark.parametrize(("policy", "seed"), [("passive", TESTER_SEED), *RUNS])
def test_the_board_calls_late_only_an_audience_the_score_judges_and_every_overdue_one(
    flagship, policy: str, seed: int
) -> None:
    """At every minute of a run, an audience the board calls late (past its deadline) is one
    the score judges, and one the score counts overdue in its window the board calls late.
    On the tester's draw, with nothing sent, the agency's first word was due at T+0:40, after
    the outage ended: the score leaves it out, and so does the board once the outage is over."""
    drill, _ = record(flagship, policy, seed)
    events = drill.events
    card = score_run(flagship, events)
    rows = {row.audience: row for row in card.audiences}
    resolved = drill.true_duration
    lates = 0
    for t in moments(events, 0.0, drill.now):
        so_far = build(flagship, [e for e in events if e.t <= t], until=t)
        for audience in flagship.audiences:
            due = next_due(so_far, audience, t)
            late = due is not None and t > due.deadline
            lates += late
            row = rows.get(audience.id)
            assert not late or row is not None, (policy, seed, audience.id, t, due)
            if row is not None and row.impacted_from <= t < row.window_end:
                if due is None and not_owed_yet(so_far, audience.id, t):
                    continue  # judged only for what the team told it later
                lefts = [left for left, _ in row.due]
                overdue = t > row.due[bisect_right(lefts, t) - 1][1]
                assert not overdue or late, (policy, seed, audience.id, t, due)
            if seed == TESTER_SEED and audience.id == "agency" and t >= resolved:
                assert due is None, (t, due)
    assert lates or policy == "diligent"  # someone was late: the check is not empty
    if seed == TESTER_SEED:
        assert "agency" not in rows


def test_an_audiences_expectation_is_the_earliest_deadline_that_applies(flagship) -> None:
    """The flagship expects sales to hear from the team within 5 minutes; its first-word
    policy alone allows 15. Once missed (no score counts it), the cadence's deadline and the
    VP's question (answer within 10 minutes) hold the team, and the board calls nothing late
    before them."""
    from conftest import run_script

    sales = flagship.audience("sales")
    drill = run_script(flagship, 3, [], length=20 * 60.0)
    due = next_due(build(flagship, drill.events, until=0.0), sales, 0.0)
    assert due is not None and (due.by, due.expected, due.deadline) == (900.0, 300.0, 300.0)
    from drillsim.tui.widgets.stakeholder_board import StakeholderBoard

    assert StakeholderBoard._due(due) == "first by T+0:05"
    after = [e for e in drill.events if e.t <= 360.0]
    assert any(e.kind == "expectation_failed" for e in after)
    due = next_due(build(flagship, after, until=360.0), sales, 360.0)
    assert due is not None and due.expected == due.deadline == 900.0


def test_a_skip_is_held_to_a_promise_falling_due_after_the_outage_and_to_expectations(
    flagship,
) -> None:
    """Everyone told at T+0:31 on the tester's draw with "next update in 20 minutes": after
    the outage ended (T+0:36) the deadlines ahead still hold the promise broken at T+0:56,
    where the score counts it broken. On saas-gone-for-days the COO's question at T+0:08
    (answer within 15 minutes) holds a skip from T+0:20 before T+0:23, though the executives
    were promised their next update by T+0:35."""
    from conftest import ROOT, run_script

    from drillsim.engine.actions import SendUpdate
    from drillsim.scenario.loader import load_scenario
    from scoring.due import deadlines_ahead

    everyone = tuple(a.id for a in flagship.audiences)
    told = SendUpdate(everyone, status="investigating", next_update_in=20 * 60.0)
    drill = run_script(flagship, TESTER_SEED, [(31 * 60.0, told)])
    now = 54 * 60.0
    so_far = build(flagship, [e for e in drill.events if e.t <= now], until=now)
    broken = [
        d
        for d in score_run(flagship, drill.events).deductions
        if d.audience == "execs" and "promise was broken" in d.reason
    ]
    assert broken and broken[0].end == 56 * 60.0
    assert 56 * 60.0 in deadlines_ahead(so_far, flagship.audience("execs"), now)

    saas = load_scenario(ROOT / "scenarios" / "saas-gone-for-days.yaml")[0]
    promise = SendUpdate(("execs",), status="investigating", next_update_in=30 * 60.0)
    drill = run_script(saas, 3, [(5 * 60.0, promise)], length=25 * 60.0)
    now = 20 * 60.0
    so_far = build(saas, [e for e in drill.events if e.t <= now], until=now)
    execs = saas.audience("execs")
    assert deadlines_ahead(so_far, execs, now)[0] == 23 * 60.0
    due = next_due(so_far, execs, now)
    assert due is not None and due.promise == 35 * 60.0 and due.deadline == 23 * 60.0
