"""Restraint: proportionate, not silent.

Each catalogue action is judged on its ``justified_if`` against the true state just before it
was taken; updates are judged for premature disclosure to audiences not yet affected,
resolution times given to customers, and speculation; expected actions missed
(:mod:`scoring.expected`) cost restraint too: proportion both ways. Penalties add up and decay
exponentially (R = 100 exp(-sum / 60)); a repeat of the same offence weighs 25%.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from msgspec.structs import replace

from drillsim.durations import format_minute as minute
from drillsim.durations import format_span
from drillsim.scenario.conditions import holds
from drillsim.scenario.model import Action
from scoring.card import Deduction
from scoring.due import silence_limit
from scoring.expected import missed_actions
from scoring.timeline import Timeline

DECAY = 60.0
REPEAT_WEIGHT = 0.25
DUPLICATE_PENALTY = 10.0
"""The weight of doing a catalogue action again whose own penalty is 0 (docs/format.md)."""


def score_restraint(timeline: Timeline) -> tuple[float, list[Deduction]]:
    """Restraint score and one deduction per offence."""
    scenario = timeline.scenario
    offences = _Offences()
    actions: dict[str, Action] = {action.id: action for action in scenario.actions}
    for t, seq, action_id in timeline.actions:
        action = actions[action_id]
        if not holds(action.justified_if, timeline.view(t, seq), t):
            offences.add(
                f"action:{action_id}", float(action.penalty), t, _improper, timeline, action, t
            )
    # Per audience an update can offend, worked out once: its premature-disclosure weight,
    # when it was affected, whether a resolution time given to it counts, its name, and its
    # offences' keys. An internal audience with no premature weight cannot be offended.
    judged: dict[str, tuple[float, float | None, bool, str, str, str]] = {
        audience.id: (
            audience.premature_weight,
            timeline.impacted_from(audience) if audience.premature_weight > 0 else 0.0,
            audience.kind != "internal",
            timeline.render(audience.name),
            f"premature:{audience.id}",
            f"eta:{audience.id}",
        )
        for audience in scenario.audiences
        if audience.premature_weight > 0 or audience.kind != "internal"
    }
    rules = scenario.scoring
    eta_penalty = float(rules.eta_penalty)
    vendor_etas = frozenset(fact.id for fact in scenario.facts if fact.eta == "vendor")
    # From this time on no update is premature: every audience it could be was affected.
    premature_until = max(
        (
            math.inf if affected is None else affected
            for weight, affected, *_ in judged.values()
            if weight > 0
        ),
        default=-math.inf,
    )
    for update in timeline.updates:
        # Relaying the vendor's own published resolution time is not inventing one.
        relayed = update.eta == "vendor" and not vendor_etas.isdisjoint(timeline.known_at(update))
        invented_eta = bool(update.eta) and not relayed
        for audience_id in update.audiences if update.t < premature_until or invented_eta else ():
            found = judged.get(audience_id)
            if found is None:
                continue
            premature_weight, affected, outside, name, premature, eta = found
            if premature_weight > 0 and (affected is None or update.t < affected):
                offences.add(
                    premature, premature_weight, update.t, _premature, name, update.t, audience_id
                )
            if invented_eta and outside:
                offences.add(
                    eta,
                    eta_penalty,
                    update.t,
                    _eta,
                    name,
                    update.t,
                    audience_id,
                    update.eta == "vendor",
                )
        cited = update.cited  # what it cites that the team knew
        unrevealed = (
            [fact for fact in update.facts if fact not in cited]
            if not cited.issuperset(update.facts)
            else []
        )
        early_resolution = update.status == "resolved" and (
            timeline.resolution_seen is None or timeline.resolution_seen > update.t
        )
        if unrevealed or early_resolution:
            offences.add(
                "speculation",
                float(rules.speculation_penalty),
                update.t,
                _speculation,
                timeline,
                update.t,
                unrevealed,
            )
    for key, weight, deduction in [
        *_silences(timeline),
        *_duplicates(timeline),
        *missed_actions(timeline),
    ]:
        offences.add(key, weight, deduction.start, deduction)
    grouped = offences.grouped
    total = sum(weight for weight, _, _, _ in grouped.values())
    score = 100.0 * math.exp(-total / DECAY)
    lost = 100.0 - score
    deductions = []
    for weight, count, first, last in grouped.values():
        reason = first.reason
        if count > 1:
            reason += f" — and {count - 1} more time{'s' if count > 2 else ''} (repeats count 25%)"
        deductions.append(
            replace(
                first,
                points=lost * weight / total,
                reason=reason,
                end=last if count > 1 else first.end,
            )
        )
    return score, deductions


class _Offences:
    """Offences grouped by kind as they are found: the first at full weight and described,
    each repeat at 25% (a run that repeats an offence thousands of times describes it once)."""

    def __init__(self) -> None:
        self.grouped: dict[str, tuple[float, int, Deduction, float | None]] = {}

    def add(
        self,
        key: str,
        weight: float,
        start: float | None,
        deduction: Deduction | Callable[..., Deduction],
        *about: object,
    ) -> None:
        """Count an offence; ``deduction`` describes it if it is the first (or makes the
        description from ``about``: a repeat is never described)."""
        if weight <= 0:
            return
        found = self.grouped.get(key)
        if found is None:
            first = deduction if isinstance(deduction, Deduction) else deduction(*about)
            self.grouped[key] = (weight, 1, first, start)
        else:
            total_weight, count, first, _ = found
            self.grouped[key] = (total_weight + weight * REPEAT_WEIGHT, count + 1, first, start)


def _improper(timeline: Timeline, action: Action, t: float) -> Deduction:
    why = timeline.render(action.why) if action.why else "it was not proportionate then"
    return Deduction(
        "restraint",
        0.0,
        f"{timeline.render(action.label)} at {minute(t)}: {why}",
        start=t,
        action=action.id,
    )


def _premature(name: str, t: float, audience_id: str) -> Deduction:
    return Deduction(
        "restraint",
        0.0,
        f"Told {name} at {minute(t)}, before they were affected (premature disclosure)",
        start=t,
        audience=audience_id,
    )


def _eta(name: str, t: float, audience_id: str, as_vendor: bool) -> Deduction:
    reason = (
        f"Relayed a vendor's resolution time to {name} at {minute(t)} before the vendor had "
        "published one; relay the vendor's ETA only once you have it"
        if as_vendor
        else f"Gave {name} a resolution time at {minute(t)}; nobody knew when the outage "
        "would end, so never promise one to people outside the company"
    )
    return Deduction(
        "restraint",
        0.0,
        reason,
        start=t,
        audience=audience_id,
    )


def _speculation(timeline: Timeline, t: float, unrevealed: list[str]) -> Deduction:
    what = (
        "cited what the team had not been told ("
        + ", ".join(timeline.render(timeline.scenario.fact(f).text) for f in unrevealed)
        + ")"
        if unrevealed
        else "called the incident resolved before it was"
    )
    return Deduction("restraint", 0.0, f"The update at {minute(t)} {what}", start=t)


def _duplicates(timeline: Timeline) -> list[tuple[str, float, Deduction]]:
    """A catalogue action taken again (not marked repeatable): a duplicate re-send or page is
    an overreaction even when the first one was justified."""
    found = []
    actions: dict[str, Action] = {action.id: action for action in timeline.scenario.actions}
    seen: set[str] = set()
    for t, _, action_id in timeline.actions:
        action = actions[action_id]
        if action_id not in seen or action.repeatable:
            seen.add(action_id)
            continue
        found.append(
            (
                f"duplicate:{action_id}",
                float(action.penalty) or DUPLICATE_PENALTY,
                Deduction(
                    "restraint",
                    0.0,
                    f"{timeline.render(action.label)} again at {minute(t)}: it was already "
                    "done, and doing it twice is a duplicate, not diligence",
                    start=t,
                    action=action_id,
                ),
            )
        )
    return found


def _silences(timeline: Timeline) -> list[tuple[str, float, Deduction]]:
    """Impacted audiences left without a word long past their deadline: under-reaction."""
    found = []
    weight = float(timeline.scenario.scoring.silence_penalty)
    incident_end = min(timeline.true_duration, timeline.end)
    for audience in timeline.scenario.audiences:
        start = timeline.impacted_from(audience)
        if start is None:
            continue
        limit = silence_limit(audience, start)
        if limit >= incident_end:
            continue
        if audience.impacted_both_ways and not any(
            left <= limit < right for left, right in timeline.affected_spans(audience, limit + 1)
        ):
            continue  # no longer affected by then (format 2): silence toward it is no offence
        first = timeline.first_word(audience.id)
        if first is not None and first <= limit:
            continue
        name = timeline.render(audience.name)
        found.append(
            (
                f"silence:{audience.id}",
                weight,
                Deduction(
                    "restraint",
                    0.0,
                    f"{name} had no word from the team by {minute(limit)}, "
                    f"{format_span(limit - start)} after they were affected: "
                    "holding back is not the same as staying silent",
                    start=start,
                    end=limit,
                    audience=audience.id,
                ),
            )
        )
    return found
