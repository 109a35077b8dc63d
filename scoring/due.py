"""When an audience is owed its next update: the credit rule and the due rule, shared by the
cadence score and the stakeholder board so the two never disagree."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from drillsim.scenario.model import Audience
from drillsim.timegrid import on_grid
from drillsim.update_status import UPDATE_STATUSES
from scoring.timeline import Timeline, Update

STATUS_RANK: dict[str, int] = {status: rank for rank, status in enumerate(UPDATE_STATUSES)}
"""How far along an incident each status is (a later one is news)."""


class Due(NamedTuple):
    """An audience's next update as the cadence score counts it at one moment."""

    since: float
    """When the silence being measured began: the last credited update, or the impact."""
    by: float
    """When the next update is owed, grace included; later than this is overdue."""
    first: bool
    """Nothing credited yet: this is the first-update deadline."""
    promised: bool
    """The time comes from a promise the last credited update made."""


def credit(
    cited: Callable[[Update], frozenset[str]],
    updates: list[Update],
    min_interval: float,
    asks: list[float],
) -> tuple[list[Update], list[Update]]:
    """Split updates into credited ones and noise.

    Noise: an update that says nothing (no fact, unknown, next-update time or status), or
    one that repeats itself sooner than the audience's minimum interval. Answering a
    question the audience asked since its last update is never noise. ``cited``: the
    revealed facts an update cites.
    """
    credited: list[Update] = []
    noise: list[Update] = []
    given: set[str] = set()
    best_status = -1
    for update in updates:
        revealed = cited(update)
        status = STATUS_RANK.get(update.status, 0)
        novel = not revealed.issubset(given) or status > best_status
        spaced = not credited or update.t - credited[-1].t >= min_interval
        if asks and not novel:  # an answer to a question asked since the last credited one
            since = credited[-1].t if credited else -1.0
            novel = any(since < asked <= update.t for asked in asks)
        if update.says_something and (novel or spaced):
            credited.append(update)
        else:
            noise.append(update)
        if revealed:
            given |= revealed
        if status > best_status:
            best_status = status
    return credited, noise


def asks(timeline: Timeline, audience: Audience) -> list[float]:
    """When the audience asked the team something (its expectations' injects), in order."""
    return sorted(
        timeline.delivered[e.after][0]
        for e in timeline.scenario.expectations
        if e.audience == audience.id and e.after is not None and e.after in timeline.delivered
    )


def first_due(audience: Audience, start: float) -> float:
    """When an audience impacted from ``start`` is owed its first update."""
    return on_grid(start + float(audience.cadence.first_update))


def due_after(previous: Update | None, first: float, cap: float, grace: float) -> float:
    """When the next update is owed after the credited update ``previous`` (None: the first).

    ``max(u, first deadline) + min(promise or max_silence, max_silence) + grace``: updates
    sent before the first deadline count from it, so telling people early (or more often)
    never brings the next update due sooner.
    """
    if previous is None:
        return first
    promised = previous.next_update_in
    allowance = min(float(promised), cap) if promised else cap
    return on_grid(max(previous.t, first) + allowance + grace)


def with_closure(timeline: Timeline, due: float, at: float) -> float:
    """``due``, brought forward to when the word that the outage is over is owed
    (``closure_within`` after it ended) once it has ended by ``at``."""
    resolved = timeline.resolution_seen
    if resolved is None or resolved > at:
        return due
    return min(due, on_grid(resolved + float(timeline.scenario.scoring.closure_within)))


def closing_update(timeline: Timeline, updates: list[Update]) -> float | None:
    """When an update told the audience the outage was over, after it was (None: not yet)."""
    resolved = timeline.resolution_seen
    if resolved is None:
        return None
    return next((u.t for u in updates if u.status == "resolved" and u.t >= resolved), None)


def next_due(timeline: Timeline, audience: Audience, now: float) -> Due | None:
    """The audience's next update at ``now`` as the cadence score counts it.

    None when nothing is owed: the audience is not impacted yet, or was told it is over.
    ``timeline`` may be a run in progress (built up to ``now``).
    """
    start = timeline.impacted_from(audience)
    if start is None or start > now:
        return None
    updates = [u for u in timeline.updates if u.t <= now and audience.id in u.audiences]
    if closing_update(timeline, updates) is not None:
        return None
    policy = audience.cadence
    credited, _ = credit(
        lambda u: timeline.known_at(u).intersection(u.facts),
        updates,
        float(policy.min_interval),
        asks(timeline, audience),
    )
    previous = credited[-1] if credited else None
    first = first_due(audience, start)
    grace = float(timeline.scenario.scoring.grace)
    by = with_closure(timeline, due_after(previous, first, float(policy.max_silence), grace), now)
    return Due(
        since=start if previous is None else previous.t,
        by=by,
        first=previous is None,
        promised=previous is not None and bool(previous.next_update_in),
    )
