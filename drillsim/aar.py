"""The After-Action Report / Improvement Plan (HSEEP style) of a recorded run: built from its
journal and score card, written as Markdown, JSON or a CSV row (see docs/reports.md).

No UI here: ``drillsim report`` and the debrief's report key both write what this builds.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from drillsim.cardtext import luck_figures
from drillsim.durations import format_minute as minute
from drillsim.durations import format_moments, format_span
from drillsim.engine import events as ev
from drillsim.journal import SEAL_MEANINGS, Header, SealStatus
from drillsim.recorded import RecordedRun
from drillsim.scenario.model import Scenario, option_of
from drillsim.templates import fill
from scoring.card import RATINGS, ScoreCard, rating_of, rating_words

REPORT_VERSION = 1
"""The JSON report's keys are added, never renamed or removed."""

DIMENSIONS = (
    (
        "cadence",
        "Over-communicate",
        "The people affected heard early and regularly what the team knew, what it did not, "
        "and when the next update would come, and every promise held.",
    ),
    (
        "plan_b",
        "Prepare a plan B",
        "The plan-B choices were the best ones on what the team knew at the time, made in time "
        "(judged on the odds, not on how long the outage happened to last).",
    ),
    (
        "restraint",
        "Don't overreact",
        "The response matched the real impact: no panic, no premature public statement, no "
        "guessed resolution time, every expected action in time, and no affected audience "
        "still without a word by its first deadline plus its longest silence while the outage "
        "lasted (every shorter silence counts under Over-communicate).",
    ),
)
"""Each scored dimension as an exercise objective: its key, its name, and what a 100 means."""

CSV_COLUMNS = (
    "run_id",
    "scenario",
    "scenario_version",
    "scenario_sha256",
    "team",
    "seed",
    "kind",
    "official",
    "started_at",
    "status",
    "seal",
    "played_s",
    "overall",
    "rating",
    "cadence",
    "cadence_rating",
    "plan_b",
    "plan_b_rating",
    "restraint",
    "restraint_rating",
    "strengths",
    "areas_for_improvement",
    "points_lost_cadence",
    "points_lost_plan_b",
    "points_lost_restraint",
    "injects",
    "updates",
    "decisions_chosen",
    "notes",
    "impact",
    "impact_unit",
    "scoring_version",
    "observed_strengths",
    "observed_improvements",
)
"""The CSV report's columns, in order (one row per run; docs/reports.md says what each holds)."""


@dataclass(frozen=True, slots=True)
class Overview:
    run_id: str
    scenario: str
    scenario_id: str
    scenario_version: str
    scenario_sha256: str
    date: str | None
    """When the run started (ISO-8601 UTC), if it was played or saved (not simulated)."""
    team: str
    seed: int
    kind: str
    official: bool
    status: str
    """finished, partial (ended on purpose before the outage ended) or interrupted."""
    seal: SealStatus
    played: float
    """Exercise seconds played."""
    wall: float | None
    """Wall-clock seconds from the first to the last stamped line (pauses included)."""
    outage: float
    resolved_in_play: bool
    scoring_version: str


@dataclass(frozen=True, slots=True)
class Objective:
    key: str
    name: str
    meaning: str
    score: float | None
    rating: str | None
    """P, S, M or U for this objective alone; None when it was not tested."""
    words: str


@dataclass(frozen=True, slots=True)
class Area:
    """An area for improvement: one deduction of the score card."""

    number: int
    objective: str
    points: float
    when: str
    reason: str
    start: float | None
    end: float | None


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the timeline."""

    t: float
    kind: str
    title: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Observation:
    """The facilitator's observation from the debrief (journaled after the end, never scored):
    a strength (+) or an area for improvement (−), on the whole run or on one update or
    decision."""

    verdict: str
    """strength or improvement."""
    sign: str
    """+ for a strength, − for an area for improvement."""
    text: str
    on: int | None
    """The ``seq`` of the update or decision's close it is on; None: the whole run."""
    about: str
    """What it is on, in words."""


OBSERVATION_SIGNS = {"strength": "+", "improvement": "−"}


@dataclass(frozen=True, slots=True)
class PlanRow:
    area: int
    objective: str
    issue: str
    corrective_action: str = ""
    owner: str = ""
    due: str = ""


@dataclass(frozen=True, slots=True)
class AfterActionReport:
    overview: Overview
    briefed_objectives: tuple[str, ...]
    objectives: tuple[Objective, ...]
    overall: float
    rating: str | None
    rating_words: str
    strengths: tuple[str, ...]
    areas: tuple[Area, ...]
    timeline: tuple[Entry, ...]
    observations: tuple[Entry, ...]
    """The notes taken during play."""
    card: ScoreCard
    impact_unit: str
    plan: tuple[PlanRow, ...] = field(default=())
    facilitator: tuple[Observation, ...] = field(default=())
    """The facilitator's observations from the debrief, apart from the score."""
    not_arisen: tuple[Unarisen, ...] = field(default=())
    """The decisions that never opened (:func:`not_arisen`): not judged."""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, numbers as numbers; the card under ``scores`` as ``drillsim score
        --json`` prints it."""
        return {
            "report_version": REPORT_VERSION,
            "overview": asdict(self.overview),
            "briefed_objectives": list(self.briefed_objectives),
            "objectives": [asdict(item) for item in self.objectives],
            "overall": self.overall,
            "rating": self.rating,
            "rating_words": self.rating_words,
            "strengths": list(self.strengths),
            "areas_for_improvement": [asdict(item) for item in self.areas],
            "timeline": [asdict(item) for item in self.timeline],
            "observations": [asdict(item) for item in self.observations],
            "facilitator_observations": [asdict(item) for item in self.facilitator],
            "scores": {**self.card.as_dict(), "seal": self.overview.seal},
            "impact_unit": self.impact_unit,
            "improvement_plan": [asdict(item) for item in self.plan],
            "decisions_not_arisen": [asdict(item) for item in self.not_arisen],
        }


# ------------------------------------------------------------------------ building
def build_report(recorded: RecordedRun, card: ScoreCard) -> AfterActionReport:
    """The report of a recorded run and its score card."""
    journal, scenario = recorded.journal, recorded.scenario
    start = journal.events[0]
    variables = dict(start.variables) if isinstance(start, ev.DrillStarted) else {}

    def render(text: str) -> str:
        return fill(text, variables)

    areas = tuple(
        Area(
            number,
            _dimension_name(deduction.dimension),
            deduction.points,
            format_moments(deduction.start, deduction.end),
            deduction.reason,
            deduction.start,
            deduction.end,
        )
        for number, deduction in enumerate(
            sorted(
                (d for d in card.deductions if d.points > 0),
                key=lambda d: (_DIMENSION_ORDER[d.dimension], -d.points, d.start or 0.0),
            ),
            start=1,
        )
    )
    rating = card.rating
    facilitator = tuple(_observations(journal.events, journal.observations, scenario, render))
    improvements = [o for o in facilitator if o.verdict == "improvement"]
    return AfterActionReport(
        overview=_overview(recorded, card, render),
        briefed_objectives=tuple(render(text) for text in scenario.briefing.objectives),
        objectives=tuple(_objective(card, key, name, meaning) for key, name, meaning in DIMENSIONS),
        overall=card.overall,
        rating=rating,
        rating_words=rating_words(rating) if rating is not None else "not rated (partial run)",
        strengths=tuple(strengths(card, scenario, render)),
        areas=areas,
        timeline=tuple(_timeline(journal.events, scenario, render)),
        observations=tuple(
            Entry(event.t, "note", "Facilitator's note", event.text)
            for event in journal.events
            if isinstance(event, ev.NoteAdded)
        ),
        card=card,
        impact_unit=scenario.impact.unit,
        plan=(
            *(PlanRow(area.number, area.objective, area.reason) for area in areas),
            *(
                PlanRow(number, FACILITATOR_OBJECTIVE, f"On {seen.about}: {seen.text}")
                for number, seen in enumerate(improvements, start=len(areas) + 1)
            ),
        ),
        facilitator=facilitator,
        not_arisen=tuple(not_arisen(card, scenario, render)),
    )


@dataclass(frozen=True, slots=True)
class Unarisen:
    """A plan-B decision that never opened in a run: not judged, and no fault."""

    decision: str
    prompt: str
    why: str
    """Why it did not arise, e.g. "its condition did not hold while the outage was on"."""

    @property
    def words(self) -> str:
        return f"did not arise ({self.why}); not judged"


def not_arisen(card: ScoreCard, scenario: Scenario, render: Callable[[str], str]) -> list[Unarisen]:
    """Each decision that never opened in a complete run, in words: a follow-up whose
    condition never held (or one the outage or the drill's end came before) is not judged and
    is no fault. A partial run lists none: what it did not reach is not news."""
    if card.partial:
        return []
    found = []
    for decision_id in card.not_arisen:
        decision = scenario.decision(decision_id)
        if decision.at is None:
            why = "its condition did not hold while the outage was on"
        elif card.true_duration <= float(decision.at):
            why = f"the outage was over before {minute(float(decision.at))}"
        else:
            why = f"the drill ended before {minute(float(decision.at))}"
        found.append(Unarisen(decision_id, render(decision.prompt), why))
    return found


FACILITATOR_OBJECTIVE = "Facilitator's observation"
"""The improvement plan's objective for a row from a facilitator's − observation."""


def _observations(
    events: Sequence[ev.Event],
    observations: Iterable[ev.ObservationAdded],
    scenario: Scenario,
    render: Callable[[str], str],
) -> Iterable[Observation]:
    names: dict[str, str] = {a.id: render(a.name) for a in scenario.audiences}
    for seen in observations:
        on = events[seen.on - 1] if seen.on is not None and 0 < seen.on <= len(events) else None
        about = (on and observed_subject(on, scenario, render, names)) or "the whole run"
        yield Observation(seen.verdict, OBSERVATION_SIGNS[seen.verdict], seen.text, seen.on, about)


def observed_subject(
    event: ev.Event, scenario: Scenario, render: Callable[[str], str], names: dict[str, str]
) -> str | None:
    """What an observation on ``event`` is on, in words: an update sent or a decision's close
    (None for any other event)."""
    if isinstance(event, ev.UpdateSent):
        return f"{minute(event.t)} update to {', '.join(names.get(a, a) for a in event.audiences)}"
    if isinstance(event, ev.DecisionClosed):
        decision = scenario.decision(event.decision)
        outcome = (
            f": {render(option_of(decision, event.option).label)}"
            if event.option is not None
            else f" ({event.reason})"
        )
        return f"{minute(event.t)} {render(decision.prompt)}{outcome}"
    return None


_DIMENSION_ORDER = {key: index for index, (key, _, _) in enumerate(DIMENSIONS)}


def _dimension_name(key: str) -> str:
    return next(name for dimension, name, _ in DIMENSIONS if dimension == key)


def _overview(recorded: RecordedRun, card: ScoreCard, render: Callable[[str], str]) -> Overview:
    journal = recorded.journal
    header = journal.header
    walls = [wall for event in journal.events if (wall := getattr(event, "wall", None))]
    return Overview(
        run_id=header.run_id,
        scenario=render(recorded.scenario.title),
        scenario_id=header.scenario.id,
        scenario_version=header.scenario.version,
        scenario_sha256=recorded.sha256,
        date=header.started_at,
        team=_team(header),
        seed=header.seed,
        kind=header.kind or "played",
        official=header.official,
        status=run_status(journal.finished, card.partial),
        seal=recorded.seal,
        played=card.ended_at,
        wall=_wall_span(walls[0], walls[-1]) if len(walls) > 1 else None,
        outage=card.true_duration,
        resolved_in_play=card.resolved_in_play,
        scoring_version=header.versions.scoring,
    )


def run_status(finished: bool, partial: bool) -> str:
    """finished; partial (ended on purpose with the outage still on); interrupted (no end)."""
    if not finished:
        return "interrupted"
    return "partial" if partial else "finished"


def _team(header: Header) -> str:
    if header.policy:
        return f"bot {header.policy}"
    return header.team or ""


def _wall_span(first: str, last: str) -> float | None:
    from datetime import datetime

    try:
        return (datetime.fromisoformat(last) - datetime.fromisoformat(first)).total_seconds()
    except ValueError:
        return None


def _objective(card: ScoreCard, key: str, name: str, meaning: str) -> Objective:
    score: float | None = getattr(card, key)
    if score is None:
        return Objective(key, name, meaning, None, None, "not tested: no plan-B decision opened")
    letter = rating_of(score)
    return Objective(key, name, meaning, score, letter, rating_words(letter))


def strengths(card: ScoreCard, scenario: Scenario, render: Callable[[str], str]) -> list[str]:
    """The good calls the score card rewards: first word in time, promises kept, sound plan
    Bs, no overreaction (the debrief shows the same)."""
    good: list[str] = []
    # A word that cost restraint (told before they were affected, a resolution time given) is
    # not praised as well: the debrief would credit and charge the same update.
    charged = {
        (d.audience, d.start) for d in card.deductions if d.dimension == "restraint" and d.audience
    }
    for audience in card.audiences:
        first = audience.credited[0] if audience.credited else None
        policy = float(
            scenario.audience(audience.audience).cadence_at(audience.impacted_from).first_update
        )
        if (
            first is not None
            and first <= audience.impacted_from + policy
            and (audience.audience, first) not in charged
        ):
            good.append(f"{audience.name} heard from you in time (first word at {minute(first)}).")
        if audience.promises_made and audience.promises_kept == audience.promises_made:
            kept = audience.promises_kept
            plural = "s" if kept > 1 else ""
            good.append(f"Every promise to {audience.name} was kept ({kept} promise{plural}).")
    for item in card.decisions:
        if item.option is not None and item.reason == "chosen" and item.stakes > 0:
            quality = 100 * max(0.0, 1 - item.regret / item.stakes)
            if quality >= 85:
                label = render(option_of(scenario.decision(item.decision), item.option).label)
                good.append(
                    f"A sound plan B: {label} at {minute(item.closed_at)} ({quality:.0f}/100)."
                )
    if card.restraint >= 100:
        good.append("No overreaction: nothing tempting was done without cause.")
    return good


def _timeline(
    events: Iterable[ev.Event], scenario: Scenario, render: Callable[[str], str]
) -> Iterable[Entry]:
    """What happened, in order: injects, updates, decisions, actions, notes, the facilitator's
    messages and the engine's turns (the clock's pauses and speed changes left out)."""
    audiences: dict[str, str] = {a.id: render(a.name) for a in scenario.audiences}
    facts: dict[str, str] = {f.id: render(f.text) for f in scenario.facts}
    unknowns: dict[str, str] = {u.id: render(u.text) for u in scenario.unknowns}

    def names(ids: Iterable[str], table: dict[str, str]) -> str:
        return ", ".join(table.get(item, item) for item in ids)

    for event in events:
        match event:
            case ev.InjectDelivered():
                title = f"Inject: {event.subject or event.inject} ({event.sender}, {event.channel})"
                yield Entry(event.t, "inject", title, event.text)
            case ev.UpdateSent():
                said = [f"status {event.status}"]
                if event.facts:
                    said.append(f"we know: {names(event.facts, facts)}")
                if event.doing:
                    said.append(f"we're doing: {', '.join(event.doing)}")
                if event.unknowns:
                    said.append(f"we don't know: {names(event.unknowns, unknowns)}")
                if event.next_update_in:
                    said.append(f"next update in {format_span(event.next_update_in)}")
                if event.eta == "vendor":
                    said.append("relayed the vendor's resolution time")
                elif event.eta:
                    said.append("gave a resolution time")
                if event.channel:
                    said.append(f"over {render(scenario.channel(event.channel).label)}")
                title = f"Update to {names(event.audiences, audiences)}: {'; '.join(said)}"
                yield Entry(event.t, "update", title, event.text)
            case ev.UpdateBounced():
                channel = render(scenario.channel(event.channel).label)
                who = audiences.get(event.audience, event.audience)
                title = f"Bounced: the update to {who} over {channel} did not arrive (channel down)"
                yield Entry(event.t, "engine", title)
            case ev.DecisionOpened():
                decision = scenario.decision(event.decision)
                title = f"Decision opened: {render(decision.prompt)}"
                yield Entry(event.t, "decision", f"{title} (closes {minute(event.closes_at)})")
            case ev.DecisionClosed():
                decision = scenario.decision(event.decision)
                label = (
                    render(option_of(decision, event.option).label)
                    if event.option is not None
                    else "nothing"
                )
                how = {
                    "chosen": f"chose {label}",
                    "default": f"deadline passed, default {label} taken",
                    "moot": "no longer needed (the outage ended)",
                    "unfinished": "left open when the drill ended",
                }[event.reason]
                yield Entry(event.t, "decision", f"Decision {render(decision.prompt)}: {how}")
            case ev.PlanBEffective():
                decision = scenario.decision(event.decision)
                label = (
                    render(option_of(decision, event.option).label)
                    if event.option is not None
                    else event.decision
                )
                yield Entry(event.t, "decision", f"Plan B in effect: {label}")
            case ev.ActionTaken():
                action = scenario.action(event.action)
                yield Entry(event.t, "action", f"Action: {render(action.label)}")
            case ev.NoteAdded():
                yield Entry(event.t, "note", "Facilitator's note", event.text)
            case ev.FacilitatorMessage():
                title = f"Facilitator's message as {event.sender} ({event.channel})"
                yield Entry(event.t, "message", title, event.text)
            case ev.AudienceAffected():
                yield Entry(
                    event.t, "engine", f"{audiences.get(event.audience, event.audience)} affected"
                )
            case ev.AudienceUnaffected():
                name = audiences.get(event.audience, event.audience)
                yield Entry(event.t, "engine", f"{name} no longer affected")
            case ev.ExpectationMet():
                yield Entry(event.t, "engine", f"Expectation met: {event.expectation}")
            case ev.ExpectationFailed():
                yield Entry(event.t, "engine", f"Expectation missed: {event.expectation}")
            case ev.IncidentResolved():
                yield Entry(event.t, "engine", "The outage ended")
            case ev.DrillStarted():
                yield Entry(event.t, "engine", "The drill started")
            case ev.DrillEnded():
                how = "time was up" if event.reason == "time" else f"ended by the {event.reason}"
                yield Entry(event.t, "engine", f"The drill ended ({how})")


# ------------------------------------------------------------------------ writing
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def _md(text: str) -> str:
    """Text from the scenario or the room, shown as written: no Markdown, one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def to_markdown(report: AfterActionReport) -> str:
    o, card = report.overview, report.card
    lines = [
        f"# After-Action Report / Improvement Plan: {_md(o.scenario)}",
        "",
        *(
            [
                f"> **EDITED journal**: {SEAL_MEANINGS['edited']}.",
                "",
            ]
            if o.seal == "edited"
            else []
        ),
        "## Exercise overview",
        "",
        "| | |",
        "| --- | --- |",
        f"| Scenario | {_md(o.scenario)} ({_md(o.scenario_id)} {_md(o.scenario_version)}) |",
        f"| Date | {o.date or 'not recorded'} |",
        f"| Team | {_md(o.team) or 'not named'} |",
        f"| Seed | {o.seed} |",
        f"| Length played | {format_span(o.played)} of exercise time"
        + (f" in {format_span(o.wall)} of wall time" if o.wall is not None else "")
        + " |",
        f"| Outage | {_outage(o)} |",
        f"| Run | {'official' if o.official else 'practice'}, {o.kind}, {o.status} |",
        f"| Run id | {_md(o.run_id)} |",
        f"| Journal | {o.seal} ({SEAL_MEANINGS[o.seal]}) |",
        "",
        "## Objectives and ratings",
        "",
        "Ratings follow HSEEP: **P** performed without challenges, **S** with some challenges, "
        "**M** with major challenges, **U** unable to be performed.",
        "",
        "| Objective | Score | Rating | What a 100 means |",
        "| --- | --- | --- | --- |",
    ]
    for item in report.objectives:
        rated = f"{item.rating}: {item.words}" if item.rating else item.words
        lines.append(f"| {item.name} | {_score(item.score)} | {rated} | {item.meaning} |")
    overall = f"{report.rating}: {report.rating_words}" if report.rating else report.rating_words
    lines.append(f"| **Overall** | **{report.overall:.1f}** | **{overall}** | |")
    if report.briefed_objectives:
        lines += ["", "The objectives the team was briefed on:", ""]
        lines += [f"- {_md(text)}" for text in report.briefed_objectives]
    if o.status != "finished":
        lines += ["", _PARTIAL_WORDS[o.status]]
    lines += ["", "## Strengths", ""]
    lines += [f"- {_md(text)}" for text in report.strengths] or [
        "- Nothing stood out this time; see the areas for improvement."
    ]
    lines += ["", "## Areas for improvement", ""]
    if report.areas:
        lines += [
            "Every point the scoring took off, by objective, biggest first "
            "(points count out of each objective's 100).",
            "",
            "| # | Objective | Points | When | What happened |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {a.number} | {a.objective} | -{a.points:.1f} | {a.when or '-'} | {_md(a.reason)} |"
            for a in report.areas
        ]
    else:
        lines.append("No points were lost.")
    lines += ["", "## Timeline", "", "| Time | What | Said |", "| --- | --- | --- |"]
    lines += [
        f"| {minute(entry.t)} | {_md(entry.title)} | {_md(entry.text)} |"
        for entry in report.timeline
    ]
    lines += ["", "## Facilitator's observations", ""]
    if report.facilitator:
        lines += [
            "From the debrief, apart from the score (+ a strength, − an area for improvement):",
            "",
        ]
        lines += [
            f"- {seen.sign} On {_md(seen.about)}: {_md(seen.text)}" for seen in report.facilitator
        ]
    else:
        lines.append("The facilitator added no observations in the debrief.")
    lines += ["", "Notes taken during play:", ""]
    lines += [f"- {minute(entry.t)}: {_md(entry.text)}" for entry in report.observations] or [
        "No notes were taken during play."
    ]
    lines += ["", "## Scores", "", *_scores_markdown(report, card)]
    lines += [
        "",
        "## Improvement plan",
        "",
        "One row per area for improvement and per facilitator's − observation: fill in the "
        "corrective action, who owns it and when it is due.",
        "",
        "| # | Objective | Area for improvement | Corrective action | Owner | Due date |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {row.area} | {row.objective} | {_md(row.issue)} | {_md(row.corrective_action)} "
        f"| {_md(row.owner)} | {_md(row.due)} |"
        for row in report.plan
    ] or ["| | | Nothing to improve on this run's score | | | |"]
    return "\n".join(lines) + "\n"


_PARTIAL_WORDS = {
    "partial": "The drill was ended before the outage ended: the scores cover only what "
    "happened by then, and the run is not rated.",
    "interrupted": "The run stopped without an end (a crash or a closed terminal): the scores "
    "cover only what happened by its last line, and the run is not rated.",
}


def _outage(o: Overview) -> str:
    if o.resolved_in_play:
        return f"lasted {format_span(o.outage)}"
    return f"outlasted the drill (it would have lasted {format_span(o.outage)})"


def _scores_markdown(report: AfterActionReport, card: ScoreCard) -> list[str]:
    lines = [
        "| Dimension | Score | Weight | Points lost |",
        "| --- | --- | --- | --- |",
    ]
    for key, name, _ in DIMENSIONS:
        lost = sum(d.points for d in card.deductions if d.dimension == key)
        lines.append(
            f"| {name} | {_score(getattr(card, key))} | {card.weights[key]:.0%} | {lost:.1f} |"
        )
    lines += [
        "",
        "The overall score is a weighted geometric mean of the three, so a great score on one "
        "cannot buy back a collapse on another; the rating is never more than one step above "
        "the weakest objective's. Bands: "
        + ", ".join(f"{code} from {floor:g}" for floor, code, _ in RATINGS)
        + ".",
        "",
    ]
    for audience in card.audiences:
        lines.append(
            f"- {_md(audience.name)}: cadence {audience.score:.1f}, "
            f"{audience.promises_kept} of {audience.promises_made} promises kept, "
            f"{audience.noise} noisy update{'s' if audience.noise != 1 else ''}."
        )
    for decision in card.decisions:
        quality = (
            100 * max(0.0, 1 - decision.regret / decision.stakes) if decision.stakes > 0 else 100.0
        )
        lines.append(
            f"- Decision {_md(decision.decision)}: quality {quality:.0f}/100 "
            f"(regret {decision.regret:.0f} of {decision.stakes:.0f} {_md(report.impact_unit)} "
            "at stake)."
        )
    lines += [f"- Decision {_md(item.decision)}: {_md(item.words)}." for item in report.not_arisen]
    luck = card.luck
    if not card.partial and (luck.expected_loss or luck.realised_loss):
        lines.append(
            f"- Luck (not scored): the plan-B course was {luck_figures(luck, _md(luck.unit))}."
        )
    return lines


def to_json(report: AfterActionReport) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"


def csv_row(report: AfterActionReport) -> dict[str, object]:
    """The report as one CSV row (:data:`CSV_COLUMNS`); a missing value is an empty cell."""
    o, card = report.overview, report.card
    ratings = {item.key: item.rating for item in report.objectives}

    def lost(key: str) -> float:
        return round(sum(d.points for d in card.deductions if d.dimension == key), 3)

    def count(kind: str) -> int:
        return sum(1 for entry in report.timeline if entry.kind == kind)

    row: dict[str, object] = {
        "run_id": o.run_id,
        "scenario": o.scenario_id,
        "scenario_version": o.scenario_version,
        "scenario_sha256": o.scenario_sha256,
        "team": o.team,
        "seed": o.seed,
        "kind": o.kind,
        "official": "yes" if o.official else "no",
        "started_at": o.date or "",
        "status": o.status,
        "seal": o.seal,
        "played_s": o.played,
        "overall": round(card.overall, 3),
        "rating": card.rating or "",
        "cadence": round(card.cadence, 3),
        "cadence_rating": ratings["cadence"] or "",
        "plan_b": "" if card.plan_b is None else round(card.plan_b, 3),
        "plan_b_rating": ratings["plan_b"] or "",
        "restraint": round(card.restraint, 3),
        "restraint_rating": ratings["restraint"] or "",
        "strengths": len(report.strengths),
        "areas_for_improvement": len(report.areas),
        "points_lost_cadence": lost("cadence"),
        "points_lost_plan_b": lost("plan_b"),
        "points_lost_restraint": lost("restraint"),
        "injects": count("inject"),
        "updates": count("update"),
        "decisions_chosen": sum(1 for d in card.decisions if d.reason == "chosen"),
        "notes": len(report.observations),
        "impact": "" if card.impact is None else round(card.impact, 3),
        "impact_unit": report.impact_unit,
        "scoring_version": o.scoring_version,
        "observed_strengths": sum(1 for seen in report.facilitator if seen.verdict == "strength"),
        "observed_improvements": sum(
            1 for seen in report.facilitator if seen.verdict == "improvement"
        ),
    }
    return row


def to_csv(reports: Iterable[AfterActionReport]) -> str:
    """A header line and one row per report."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for report in reports:
        writer.writerow(csv_row(report))
    return buffer.getvalue()


FORMATS: dict[str, Callable[[AfterActionReport], str]] = {"md": to_markdown, "json": to_json}
"""The single-run formats; CSV (:func:`to_csv`) takes any number of runs."""


def write_report(path: str | os.PathLike[str], text: str, *, force: bool = False) -> None:
    """Write a report file; FileExistsError if it exists and ``force`` is not given (a filled-in
    improvement plan is never overwritten by accident)."""
    target = Path(path)
    if force:
        temporary = target.with_name(f".{target.name}.part")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
        return
    with target.open("x", encoding="utf-8", newline="") as handle:
        handle.write(text)


def report_of(recorded: RecordedRun) -> AfterActionReport:
    """Score a recorded run and build its report (raises scoring.timeline.JournalMismatch for
    events that do not fit the scenario)."""
    from scoring import score_run

    journal = recorded.journal
    return build_report(recorded, score_run(recorded.scenario, journal.events, journal.clock_until))
