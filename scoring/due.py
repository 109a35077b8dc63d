"""When an audience is owed its next update: the credit rule and the due rule, shared by the
cadence score and the stakeholder board so the two never disagree."""

from __future__ import annotations

import math
from bisect import bisect_right
from typing import NamedTuple

from drillsim.scenario.model import Audience, Phase
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
    """The last credited update promised the next one (see ``promise``)."""
    promise: float | None = None
    """When that promise said the next update would come, as the team worded it (None: no
    promise). The score holds it broken once ``promise_broken`` passes, which can be sooner
    than ``by`` (a promise made before the first deadline is not anchored to it)."""
    promise_broken: float | None = None
    """When the promise counts as broken (its time + grace, as scoring.cadence counts it)."""
    expected: float | None = None
    """When the earliest of the audience's expectations still pending falls due (None: none
    is), such as "sales hears from you within 5 minutes": the engine judges it then, met or
    missed (see :func:`expectations_due`)."""

    @property
    def deadline(self) -> float:
        """The first moment the audience is judged to have waited too long: the gap's due
        time, the promise counted broken, or an expectation falling due. Only the first two
        are ever passed: an expectation is met or missed at its deadline, and then no longer
        pending (a missed one costs no score, so the board does not call it late)."""
        return min(t for t in (self.by, self.promise_broken, self.expected) if t is not None)


def credit(
    updates: list[Update],
    audience: Audience,
    asks: list[float],
    grace: float,
) -> tuple[list[Update], list[Update]]:
    """Split updates into credited ones and noise.

    Noise: an update that says nothing (no fact, unknown, next-update time or status), or
    one that repeats itself sooner than the audience's minimum interval: with cadence
    phases, the shorter of those in force when the last credited update was sent and when
    this one is, so an update keeping a promise made under one phase is never noise under
    the next. Answering a question the audience asked since its last update is never
    noise, and nor is keeping the last credited update's promise: an update sent from
    ``grace`` before the promised time on keeps it (where a skip stops, a minute before), if
    at least half the minimum interval after the last credited one. A promise kept early runs
    from the time promised, not from when it was kept, so early keeps never chain into a
    quicker rhythm than the minimum interval.
    ``asks``: when the audience asked questions, in order (:func:`asks`).
    """
    credited: list[Update] = []
    noise: list[Update] = []
    given: set[str] = set()
    best_status = -1
    # One cadence phase (most audiences): the same minimum interval whenever updates are sent.
    interval = None if audience.phased else min_interval(audience, 0.0, 0.0)
    promised = math.inf
    """When the last credited update promised the next (none: never)."""
    for update in updates:
        revealed = update.cited
        new_facts = not revealed <= given
        status = STATUS_RANK.get(update.status, 0)
        due_anyway = update.says_something and (
            new_facts  # news: a fact not given yet, or a later status
            or status > best_status
            or not credited
            or update.t - credited[-1].t
            >= (
                interval
                if interval is not None
                else min_interval(audience, credited[-1].t, update.t)
            )
            or bool(asks and _asked_between(asks, credited[-1].t, update.t))
        )
        keeps = (
            update.says_something
            and update.t >= promised - grace
            and update.t - credited[-1].t
            >= (
                interval
                if interval is not None
                else min_interval(audience, credited[-1].t, update.t)
            )
            / 2
        )
        if due_anyway or keeps:
            # Credited only for keeping a promise early: its own promise runs from the time
            # promised, so early keeps never chain into a quicker rhythm than the minimum.
            since = update.t if due_anyway or update.t >= promised else promised
            credited.append(update)
            promise = update.next_update_in
            promised = (
                since + min(float(promise), longest_silence(audience, update.t))
                if promise
                else math.inf
            )
        else:
            noise.append(update)
        if new_facts:
            given |= revealed
        if status > best_status:
            best_status = status
    return credited, noise


def would_be_noise(timeline: Timeline, audience: Audience, candidate: Update) -> bool:
    """Whether ``candidate``, sent to the audience after the run so far (``timeline``), would
    be noise for it as the cadence score counts it (:func:`credit`): the composer warns
    before it goes."""
    updates = [u for u in timeline.updates if audience.id in u.audiences]
    grace = float(timeline.scenario.scoring.grace)
    _, noise = credit([*updates, candidate], audience, asks(timeline, audience), grace)
    return bool(noise) and noise[-1] is candidate


def _asked_between(asks: list[float], since: float, t: float) -> bool:
    """Whether a question in ``asks`` (in order) was asked in (since, t]: an update then
    answers it."""
    return bisect_right(asks, t) > bisect_right(asks, since)


def min_interval(audience: Audience, previous: float, sent: float) -> float:
    """The least gap after a credited update sent at ``previous`` for an update sent at
    ``sent`` with nothing new to be credited: the shorter of the two phases' minimum
    intervals (one phase: its own)."""
    phases = audience.phases
    if len(phases) == 1:  # most audiences; asked of most updates, so no look-up
        return float(phases[0].policy.min_interval)
    before = float(audience.cadence_at(previous).min_interval)
    now = float(audience.cadence_at(sent).min_interval)
    return min(before, now)


def asks(timeline: Timeline, audience: Audience) -> list[float]:
    """When the audience asked the team something (its expectations' injects), in order."""
    return sorted(
        timeline.delivered[e.after][0]
        for e in timeline.scenario.expectations
        if e.audience == audience.id and e.after is not None and e.after in timeline.delivered
    )


def expectations_due(timeline: Timeline, audience: Audience, now: float) -> list[float]:
    """When each of the audience's expectations still pending at ``now`` falls due, in order:
    begun (at T+0, or when its inject arrived) and neither met nor missed yet, with its
    deadline (the engine's: ``within`` after it began) still ahead."""
    found = []
    for expectation in timeline.scenario.expectations:
        if expectation.audience != audience.id:
            continue
        outcome = timeline.expectations.get(expectation.id)  # met or missed, and when
        if outcome is not None and outcome[1] <= now:
            continue
        if expectation.after is None:
            began = 0.0
        else:
            arrived = timeline.delivered.get(expectation.after)
            if arrived is None or arrived[0] > now:
                continue
            began = arrived[0]
        deadline = on_grid(began + float(expectation.within))
        if deadline > now:
            found.append(deadline)
    return sorted(found)


def owed_while_on(audience: Audience, start: float, incident_end: float) -> bool:
    """Whether an audience impacted from ``start`` was owed a word before the outage ended at
    ``incident_end`` (its first deadline fell before the end). One that was not is judged
    only if the team told it something, and its row counts only where it raises the cadence
    score (scoring.cadence.score_cadence)."""
    return start + float(audience.cadence_at(start).first_update) < incident_end


def judged(audience: Audience, start: float, updates: list[Update], incident_end: float) -> bool:
    """Whether the cadence score judges an audience impacted from ``start`` and sent
    ``updates``, for an outage that ended at ``incident_end``: not when it was impacted only
    once it was over, nor when it was affected so briefly that nothing was owed (its first
    deadline fell at or after the end) and it was told nothing."""
    if start >= incident_end:
        return False
    if owed_while_on(audience, start, incident_end):
        return True
    return any(u.says_something for u in updates)


def silence_limit(audience: Audience, start: float) -> float:
    """When an audience impacted from ``start`` and told nothing yet costs restraint for the
    silence (its first deadline plus its longest silence, from the phase in force then)."""
    cadence = audience.cadence_at(start)
    return on_grid(start + float(cadence.first_update) + float(cadence.max_silence))


def first_due(audience: Audience, start: float) -> float:
    """When an audience impacted from ``start`` is owed its first update (the first-update
    deadline of the cadence phase in force then)."""
    return on_grid(start + float(audience.cadence_at(start).first_update))


def longest_silence(audience: Audience, sent: float) -> float:
    """The longest silence after an update sent at ``sent``: the cap on its promise, from the
    cadence phase in force when it is sent."""
    phases = audience.phases
    if len(phases) == 1:  # most audiences; asked of most updates, so no look-up
        return float(phases[0].policy.max_silence)
    return float(audience.cadence_at(sent).max_silence)


def due_after(
    audience: Audience, previous: Update | None, first: float, grace: float, since: float
) -> float:
    """When the next update is owed after the credited update ``previous`` (None: the first,
    owed by ``first``), for a silence that began at ``since`` (see :func:`owed_after`)."""
    return owed_after(audience, previous, first, grace, since)[0]


def owed_after(
    audience: Audience, previous: Update | None, first: float, grace: float, since: float
) -> tuple[float, Phase | None]:
    """When the next update is owed after the credited update ``previous`` (None: the first,
    owed by ``first``), for a silence that began at ``since``, and the cadence phase that
    brought it forward (None: the first deadline, the promise or the policy set it).

    ``max(u, first deadline) + min(promise or T, T) + grace``, T the longest silence of the
    cadence phase in force when ``previous`` was sent: updates sent before the first deadline
    count from it, so telling people early (or more often) never brings the next update due
    sooner. A cadence phase that begins during the silence owes an update by its start + its
    own longest silence + grace at the latest (a phase that tightens the rhythm is in force
    from its start, without waiting for the next update).
    """
    if previous is None:
        due = first
    else:
        cap = longest_silence(audience, previous.t)
        promised = previous.next_update_in
        allowance = min(float(promised), cap) if promised else cap
        due = on_grid(max(previous.t, first) + allowance + grace)
    begun = phase_due(audience, since, grace) if audience.phased else None
    return (due, None) if begun is None or due < begun[0] else begun


def phase_due(audience: Audience, since: float, grace: float) -> tuple[float, Phase] | None:
    """The earliest an update is owed because a cadence phase began after ``since`` (its start
    + its longest silence + grace), and that phase; None when no phase begins after it."""
    found: tuple[float, Phase] | None = None
    for phase in audience.phases[1:]:
        if phase.start > since:
            due = on_grid(phase.start + float(phase.policy.max_silence) + grace)
            if found is None or due < found[0]:
                found = (due, phase)
    return found


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

    None when nothing is owed: the audience is not impacted yet, or was told it is over, or
    (affected both ways, format 2) is not affected now. ``timeline`` may be a run in progress
    (built up to ``now``).
    """
    start = timeline.impacted_from(audience)
    if start is None or start > now:
        return None
    first_start = start
    if audience.impacted_both_ways:
        spans = timeline.affected_spans(audience, now + 1e-6)
        if not spans or spans[-1][1] <= now:
            return None  # not affected now: nothing is owed
        start = spans[-1][0]
    updates = [u for u in timeline.updates if u.t <= now and audience.id in u.audiences]
    if closing_update(timeline, updates) is not None:
        return None
    resolved = timeline.resolution_seen
    if (
        resolved is not None
        and resolved <= now
        and not judged(audience, first_start, updates, resolved)
    ):
        return None  # over before anything was owed, and told nothing: the score leaves it out
    grace = float(timeline.scenario.scoring.grace)
    credited, _ = credit(updates, audience, asks(timeline, audience), grace)
    if start > first_start:  # affected again: owed a first update afresh (scoring.cadence)
        credited = [u for u in credited if u.t >= start]
    previous = credited[-1] if credited else None
    first = first_due(audience, start)
    since = start if previous is None else previous.t
    by = with_closure(timeline, due_after(audience, previous, first, grace, since), now)
    # Promises still waiting for a credited update (the last credited one's, or a later
    # update's): the one the score would first hold broken (scoring.cadence._promises).
    pending = sorted(
        (u.t + min(float(u.next_update_in), longest_silence(audience, u.t)), u.t)
        for u in updates
        if u.next_update_in and previous is not None and u.t >= previous.t
    )
    promise = pending[0][0] if pending else None
    promise_broken = on_grid(promise + grace) if promise is not None else None
    return Due(
        since=since,
        by=by,
        first=previous is None,
        promised=previous is not None and bool(previous.next_update_in),
        promise=promise,
        promise_broken=promise_broken,
        expected=next(iter(expectations_due(timeline, audience, now)), None),
    )


def deadlines_ahead(timeline: Timeline, audience: Audience, now: float) -> list[float]:
    """Every moment after ``now`` at which the audience is judged to have waited too long
    unless it hears from the team first: its due time, its pending promise counted broken,
    its expectations falling due (owed an update or not), and, told nothing yet while the
    outage lasts, the silence that costs restraint. A skip stops a minute before each."""
    found = expectations_due(timeline, audience, now)
    due = next_due(timeline, audience, now)
    if due is not None:
        found += [t for t in (due.by, due.promise_broken) if t is not None]
        start = timeline.impacted_from(audience)
        silent = timeline.first_word(audience.id) is None
        if start is not None and silent and timeline.resolution_seen is None:
            found.append(silence_limit(audience, start))
    return sorted(t for t in found if t > now)
