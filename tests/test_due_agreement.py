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
