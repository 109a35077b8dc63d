"""Communication cadence: impacted people hear early and regularly, and promises are kept.

Per impacted audience (see docs/scoring.md): information debt against its policy, promises
kept, content (what we know, what we don't, when we'll be back) and closure, divided by a
noise term so content-free repeats lower the score instead of raising it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

import msgspec

from drillsim.durations import format_minute as minute
from drillsim.durations import format_span as minutes
from drillsim.scenario.model import Audience, Phase
from drillsim.timegrid import on_grid
from scoring.card import AudienceScore, Deduction
from scoring.due import (
    asks,
    closing_update,
    credit,
    first_due,
    judged,
    longest_silence,
    owed_after,
    owed_while_on,
    with_closure,
)
from scoring.timeline import Timeline, Update

WEIGHTS = {"gap": 0.45, "promises": 0.20, "content": 0.25, "closure": 0.10}
NOISE_COST = 0.15
FIRST_WORD_WEIGHT = 2.0
"""Overdue time before an audience's first word counts this many times: past the first
deadline they hear it from someone else (the CEO asks why he hears it from sales)."""


@dataclass(slots=True)
class _Silence:
    since: float
    until: float
    overdue_from: float
    why: str


@dataclass(slots=True)
class _Content:
    known: float = 0.0
    doing: float = 0.0
    unknowns: float = 0.0
    next: float = 0.0
    parts: int = 0
    """How many parts the credited updates were judged on (doing only once there was some)."""
    count: int = 0
    speculative: int = 0
    no_known: int = 0
    no_doing: int = 0
    no_unknowns: int = 0
    no_next: int = 0

    @property
    def score(self) -> float:
        found = self.known + self.doing + self.unknowns + self.next
        return found / self.parts if self.parts else 0.0


class _Lost(msgspec.Struct, frozen=True):
    """Points an audience's own score lost and why, before the audience's weight scales them
    into the cadence score's deductions (see :func:`score_cadence`). Internal records built
    in hot loops are msgspec structs: a frozen one builds several times faster than a
    NamedTuple or a frozen dataclass."""

    points: float
    reason: str
    start: float | None
    end: float | None


class _Said(msgspec.Struct, frozen=True):
    """How one update's content is judged, whoever it reached: all but its next-update time,
    which each audience holds to its own longest silence (see :func:`_content`)."""

    speculative: bool
    """It cites a fact not revealed yet, or calls the incident resolved before it was."""
    known: bool
    """It cites something the team knew, or nothing had been revealed yet."""
    closing: bool
    """It says the outage is over, once it was: nothing more is owed in it."""
    doing: bool | None
    """It says what the team is doing (None: not judged, the team was doing nothing yet)."""
    unknowns: bool
    """It states something still unknown, or nothing was."""


class _Knowledge:
    """What the team knew at each update and how the update's content is judged, worked out
    once however many audiences it reached."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.answered_by = {u.id: u.answered_by for u in timeline.scenario.unknowns}
        self.doing_since = _doing_since(timeline)
        self._said: dict[int, _Said] = {}
        self._open: dict[frozenset[str], frozenset[str]] = {}

    def said(self, update: Update) -> _Said:
        said = self._said.get(update.seq)
        if said is None:
            said = self._said[update.seq] = self._judge(update)
        return said

    def _judge(self, update: Update) -> _Said:
        timeline = self.timeline
        known = timeline.known_at(update)
        resolved = timeline.resolution_seen
        resolved_seen = resolved is not None and resolved <= update.t
        resolution = update.status == "resolved"
        unrevealed = not update.cited.issuperset(update.facts)
        doing_since = self.doing_since
        open_unknowns = self._open_unknowns(known)
        return _Said(
            speculative=unrevealed or (resolution and not resolved_seen),
            known=bool(update.cited) or not known,
            closing=resolution and resolved_seen,
            doing=(
                bool(update.doing)
                if doing_since is not None and doing_since < (update.t, update.seq)
                else None
            ),
            unknowns=not open_unknowns.isdisjoint(update.unknowns) or not open_unknowns,
        )

    def _open_unknowns(self, known: frozenset[str]) -> frozenset[str]:
        """Unknowns none of ``known`` answers (one set per state of knowledge, not per update)."""
        found = self._open.get(known)
        if found is None:
            found = self._open[known] = frozenset(
                name for name, fact in self.answered_by.items() if fact is None or fact not in known
            )
        return found


def score_cadence(timeline: Timeline) -> tuple[float, list[AudienceScore], list[Deduction]]:
    """Combined cadence score, per-audience detail, and the deductions that explain it."""
    scores: list[AudienceScore] = []
    parts: list[tuple[AudienceScore, list[_Lost]]] = []
    knowledge = _Knowledge(timeline)
    reached: dict[str, list[Update]] = {audience.id: [] for audience in timeline.scenario.audiences}
    for update in timeline.updates:
        for audience_id in dict.fromkeys(update.audiences):  # build checked they are the scenario's
            reached[audience_id].append(update)
    optional: list[tuple[AudienceScore, list[_Lost]]] = []
    incident_end = min(timeline.true_duration, timeline.end)
    for audience in timeline.scenario.audiences:
        result = _score_audience(timeline, audience, reached[audience.id], knowledge)
        if result is None:
            continue
        start = result[0].impacted_from
        if owed_while_on(audience, start, incident_end):
            scores.append(result[0])
            parts.append(result)
        else:
            optional.append(result)
    # An audience affected so briefly that nothing was owed to it while the outage lasted is
    # judged only because the team spoke to it, and its row counts only where it raises the
    # score: the best first, each while it is above the score so far. Whatever the team
    # says to it (a word that it is over, say) never costs against saying nothing, and a
    # better word never scores lower than a worse one.
    for result in sorted(optional, key=lambda found: -found[0].score):
        weight = sum(score.weight for score in scores)
        so_far = (
            sum(score.score * score.weight for score in scores) / weight if weight > 0 else 100.0
        )
        if result[0].score > so_far and result[0].weight > 0:
            scores.append(result[0])
            parts.append(result)
    order = {str(a.id): index for index, a in enumerate(timeline.scenario.audiences)}
    scores.sort(key=lambda score: order[score.audience])
    total_weight = sum(score.weight for score in scores)
    if not scores or total_weight <= 0:
        return 100.0, scores, []
    combined = min(100.0, sum(score.score * score.weight for score in scores) / total_weight)
    deductions = [
        Deduction("cadence", points, lost.reason, lost.start, lost.end, score.audience)
        for score, found in parts
        for lost in found
        if (points := lost.points * score.weight / total_weight) > 1e-9
    ]
    return combined, scores, deductions


def _score_audience(
    timeline: Timeline, audience: Audience, updates: list[Update], knowledge: _Knowledge
) -> tuple[AudienceScore, list[_Lost]] | None:
    scenario = timeline.scenario
    end = timeline.end
    start = timeline.impacted_from(audience)
    incident_end = min(timeline.true_duration, end)
    if start is None or not judged(audience, start, updates, incident_end):
        # Impacted only once it was over, or so briefly that nothing was owed and told
        # nothing (the stakeholder board leaves it out too). An empty update does not make
        # it judged, so it can never lift the average.
        return None
    grace = float(scenario.scoring.grace)
    closing = closing_update(timeline, updates)
    stop = _window_end(timeline, closing, incident_end)
    if audience.impacted_both_ways and not timeline.affected_spans(audience, stop):
        return None  # affected for no time at all (it stopped the instant it began)
    credited, noise = credit(updates, audience, asks(timeline, audience), grace)
    silences, debt, due_spans, window = _debt_while_affected(
        timeline, audience, credited, start, stop, grace
    )
    gap = max(0.0, 1.0 - debt / window) if window > 0 else 1.0
    made, kept, broken = _promises(audience, updates, credited, grace, end)
    # An audience first told when it was all over was never kept informed: no promise was
    # made or kept while it mattered, whatever was promised and kept once it was over (every
    # word bounced, say, and the channel came back with the service).
    informed = any(u.t < incident_end for u in credited)
    promises = (kept / made if made else 1.0) if informed else 0.0
    content = _content(knowledge, credited, audience)
    content_score = content.score
    closure, closure_note = _closure(timeline, closing, end)
    spans = timeline.affected_spans(audience, stop) if audience.impacted_both_ways else []
    if spans and spans[-1][1] < stop:  # no longer affected when it ended: no closure owed
        closure, closure_note = None, ""
    numerator = (
        WEIGHTS["gap"] * gap + WEIGHTS["promises"] * promises + WEIGHTS["content"] * content_score
    )
    # Closure not judged (the outage outlasted the drill): the other parts carry its share,
    # so an audience left in silence keeps no closure points it was never judged on.
    scale = 1.0
    if closure is not None:
        numerator += WEIGHTS["closure"] * closure
    else:
        scale = 1.0 / (1.0 - WEIGHTS["closure"])
        numerator *= scale
    divisor = 1.0 + NOISE_COST * len(noise)
    score = 100.0 * numerator / divisor
    name = timeline.render(audience.name)
    detail = AudienceScore(
        audience=audience.id,
        name=name,
        weight=audience.weight,
        impacted_from=start,
        window_end=stop,
        score=score,
        gap=gap,
        promises=promises,
        content=content_score,
        closure=closure,
        noise=len(noise),
        debt_minutes=debt / 60,
        promises_made=made,
        promises_kept=kept,
        updates=tuple([u.t for u in updates]),
        credited=tuple([u.t for u in credited]),
        due=tuple(due_spans),
    )
    deductions: list[_Lost] = []

    def lose(
        points: float, reason: str, start: float | None = None, end: float | None = None
    ) -> None:
        if points > 1e-9:
            deductions.append(_Lost(points, reason, start, end))

    gap_points = 100.0 * scale * WEIGHTS["gap"] * (1.0 - gap)
    overdue_total = sum(s.until - s.overdue_from for s in silences) or 1.0
    for silence in silences:
        share = (silence.until - silence.overdue_from) / overdue_total
        lose(
            gap_points * share,
            f"{name} heard nothing from {minute(silence.since)} to {minute(silence.until)}: "
            f"{minutes(silence.until - silence.since)} of silence {silence.why}",
            start=silence.since,
            end=silence.until,
        )
    promise_points = 100.0 * scale * WEIGHTS["promises"] * (1.0 - promises)
    if credited and not informed:
        lose(
            promise_points,
            f"{name} heard nothing until the outage was over, so no next-update promise was "
            "made or kept while it mattered",
        )
    elif broken:
        # Promises made at the same moment for the same time (a burst of updates) are one
        # broken promise to read, not one line each.
        alike = Counter((update.t, due) for update, due in broken)
        for (made_at, due), count in alike.items():
            lose(
                promise_points * count / len(broken),
                f"{name} were promised the next update by {minute(due - grace)} "
                f"(at {minute(made_at)}{f', {count} times' if count > 1 else ''}) and "
                f"{'those promises were' if count > 1 else 'the promise was'} broken"
                + (f" (nothing by {minute(due)}, with the grace)" if grace else ""),
                start=made_at,
                end=due,
            )
    elif not credited:
        lose(promise_points, f"{name} got no update, so no next-update promise was made or kept")
    content_points = 100.0 * scale * WEIGHTS["content"] * (1.0 - content_score)
    _content_deductions(lose, content_points, content, name, credited)
    if closure is not None:
        lose(100.0 * WEIGHTS["closure"] * (1.0 - closure), f"{name}: {closure_note}")
    noise_points = 100.0 * numerator * (1.0 - 1.0 / divisor)
    if noise:
        lose(
            noise_points,
            f"{len(noise)} update{'s' if len(noise) > 1 else ''} to {name} came within "
            f"{minutes(float(audience.cadence_at(noise[0].t).min_interval))} of the last "
            "with nothing new (noise)",
            start=noise[0].t,
            end=noise[-1].t,
        )
    return detail, deductions


def _content_deductions(
    lose: Callable[[float, str], None],
    points: float,
    content: _Content,
    name: str,
    credited: list[Update],
) -> None:
    if not credited:
        lose(
            points,
            f"{name} got no update saying what we know, what we don't, and when we'll be back",
        )
        return
    missing = content.no_known + content.no_doing + content.no_unknowns + content.no_next
    if missing == 0:
        return
    total = len(credited)
    for count, words in (
        (
            content.no_known,
            "cited nothing the team knew"
            + (f" ({content.speculative} speculated)" if content.speculative else ""),
        ),
        (content.no_doing, "said nothing of what the team was doing about it"),
        (content.no_unknowns, "stated nothing still unknown"),
        (content.no_next, "gave no next-update time within the longest silence"),
    ):
        if count:
            lose(points * count / missing, f"{count} of {total} updates to {name} {words}")


def _window_end(timeline: Timeline, closing: float | None, incident_end: float) -> float:
    """Where an audience's judged window ends: at the end of the outage, or, once it ended
    in play, when the audience was told so (at the latest ``closure_within`` later, or when
    the drill ended): people who were told of an outage are owed its end."""
    resolved = timeline.resolution_seen
    if resolved is None:
        return incident_end
    last = min(timeline.end, resolved + float(timeline.scenario.scoring.closure_within))
    return min(last, closing) if closing is not None else last


def _debt_while_affected(
    timeline: Timeline,
    audience: Audience,
    credited: list[Update],
    start: float,
    stop: float,
    grace: float,
) -> tuple[list[_Silence], float, list[tuple[float, float]], float]:
    """:func:`_debt` over the spans the audience was affected, and their total length: one
    span from ``start`` to ``stop``, or for an audience affected both ways (format 2) one per
    time it was affected, nothing owed in between, and each span after the first owed its
    first update afresh (what was said before it left is not news of its return)."""
    spans = timeline.affected_spans(audience, stop)
    if not audience.impacted_both_ways:
        silences, debt, due_spans = _debt(timeline, audience, credited, start, stop, grace)
        return silences, debt, due_spans, stop - start
    silences, debt, due_spans, window = [], 0.0, [], 0.0
    for index, (left, right) in enumerate(spans):
        heard = credited if index == 0 else [u for u in credited if u.t >= left]
        found, owed, due = _debt(timeline, audience, heard, left, right, grace)
        silences += found
        debt += owed
        due_spans += due
        window += right - left
    return silences, debt, due_spans, window


def _debt(
    timeline: Timeline,
    audience: Audience,
    credited: list[Update],
    start: float,
    stop: float,
    grace: float,
) -> tuple[list[_Silence], float, list[tuple[float, float]]]:
    """Weighted overdue seconds in [start, stop], the silences behind them, and the due spans.

    Before the first update the audience is owed one by ``start + first_update``; after an
    update at u, by :func:`scoring.due.owed_after` (the rule the stakeholder board shows). Once
    the outage is over, the word that it is over is due within ``closure_within``. Overdue
    time before the first word counts ``FIRST_WORD_WEIGHT`` times.
    """
    resolved = timeline.resolution_seen
    first = first_due(audience, start)
    cuts = (resolved,) if resolved is not None and start < resolved < stop else ()
    points = sorted({start, stop, *cuts, *(u.t for u in credited if start < u.t < stop)})
    debt = 0.0
    silences: list[_Silence] = []
    spans: list[tuple[float, float]] = []
    cursor = -1  # index of the last credited update at or before the current point
    for left, right in pairwise(points):
        while cursor + 1 < len(credited) and credited[cursor + 1].t <= left:
            cursor += 1
        previous = credited[cursor] if cursor >= 0 else None
        since = start if previous is None else previous.t
        due, phase = owed_after(audience, previous, first, grace, since)
        closing = with_closure(timeline, due, left)
        closed = closing < due
        if closed:
            due = closing
        spans.append((left, due))
        if due < right:
            overdue_from = max(left, due)
            weight = FIRST_WORD_WEIGHT if cursor < 0 else 1.0
            debt += weight * (right - overdue_from)
            if silences and silences[-1].since == since and silences[-1].until == left:
                silences[-1].until = right  # one silence, cut only by the outage's end
            else:
                why = _overdue_why(audience, start, previous, phase, closed)
                silences.append(_Silence(since, right, overdue_from, why))
    return silences, debt, spans


def _overdue_why(
    audience: Audience, start: float, previous: Update | None, phase: Phase | None, closed: bool
) -> str:
    """Why a silence became overdue (see :func:`_debt`): the word that the outage was over, a
    cadence phase that began during it, the promise made, or the policy."""
    if closed:
        return "after the outage ended, with no word that it was over"
    if phase is not None:
        silence = float(phase.policy.max_silence)
        return f"against the {minutes(silence)} policy from {minute(phase.start)}"
    if previous is None:
        wait = float(audience.cadence_at(start).first_update)
        return f"against a first update due within {minutes(wait)}"
    promised = previous.next_update_in
    cap = longest_silence(audience, previous.t)
    if promised and float(promised) <= cap:
        return f"after promising an update within {minutes(float(promised))}"
    return f"against a {minutes(cap)} policy"


def _promises(
    audience: Audience, updates: list[Update], credited: list[Update], grace: float, end: float
) -> tuple[int, int, list[tuple[Update, float]]]:
    """Promises made to the audience, kept, and broken; only an update with content keeps one.

    A promise longer than the audience's longest silence (in the cadence phase in force when
    it was made) is held to that silence: "next update in ten hours" is no promise at all.
    """
    made = kept = 0
    broken: list[tuple[Update, float]] = []
    times = [u.t for u in credited]
    # One cadence phase (most audiences): the same longest silence whenever promises are made.
    fixed = None if audience.phased else longest_silence(audience, 0.0)
    for update in updates:
        if not update.next_update_in:
            continue
        cap = fixed if fixed is not None else longest_silence(audience, update.t)
        due = on_grid(update.t + min(float(update.next_update_in), cap) + grace)
        index = bisect_right(times, update.t)
        later = credited[index] if index < len(credited) else None
        if later is None and due > end:
            continue
        made += 1
        if later is not None and later.t <= due:
            kept += 1
        else:
            broken.append((update, due))
    return made, kept, broken


def _doing_since(timeline: Timeline) -> tuple[float, int] | None:
    """When the team first had something it was doing: a plan B chosen, an action taken."""
    stamps = [(c.closed_at, c.seq) for c in timeline.choices.values() if c.reason == "chosen"]
    stamps += [(t, seq) for t, seq, _ in timeline.actions]
    return min(stamps) if stamps else None


def _content(knowledge: _Knowledge, credited: list[Update], audience: Audience) -> _Content:
    result = _Content()
    # One cadence phase (most audiences): the same longest silence whenever updates are sent.
    fixed = None if audience.phased else longest_silence(audience, 0.0)
    for update in credited:
        said = knowledge.said(update)
        result.count += 1
        result.parts += 3
        if said.speculative:
            result.speculative += 1
            result.no_known += 1
        elif said.known:
            result.known += 1
        else:
            result.no_known += 1
        if said.closing:
            result.unknowns += 1
            result.next += 1
            continue
        if said.doing is not None:
            result.parts += 1  # "what we're doing" is judged once the team does something
            if said.doing:
                result.doing += 1
            else:
                result.no_doing += 1
        if said.unknowns:
            result.unknowns += 1
        else:
            result.no_unknowns += 1
        cap = fixed if fixed is not None else longest_silence(audience, update.t)
        if update.next_update_in and float(update.next_update_in) <= cap + 1e-6:
            result.next += 1
        else:
            result.no_next += 1
    return result


def _closure(timeline: Timeline, closing: float | None, end: float) -> tuple[float | None, str]:
    """The closure part and why, for a resolved message at ``closing`` (None: none came);
    None when it is not judged: the outage outlasted the drill, or the drill reached its end
    before a resolved message was due."""
    resolved = timeline.resolution_seen
    if resolved is None:
        return None, "the outage did not end during play"
    within = float(timeline.scenario.scoring.closure_within)
    if closing is not None and closing <= resolved + within:
        return 1.0, "closed in time"
    if closing is not None:
        return 0.5, (
            f"the resolved message came at {minute(closing)}, "
            f"{minutes(closing - resolved)} after the outage ended at {minute(resolved)}"
        )
    if end < resolved + within and timeline.ended_by == "time":
        return None, "the drill reached its end before a resolved message was due"
    if end < resolved + within:
        return 0.0, (
            f"the drill ended at {minute(end)}, after the outage ended at {minute(resolved)}, "
            "before anyone told them it was over"
        )
    return 0.0, f"no resolved message after the outage ended at {minute(resolved)}"
