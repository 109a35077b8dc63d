"""The score card: three dimension scores, the overall rating, and every lost point explained.

Its records are frozen msgspec structs: a run's scoring builds dozens (a frozen dataclass took
~1 us to build and ~2 us to copy with a change, a struct under 0.1 us).
"""

from __future__ import annotations

import math
from typing import Any

import msgspec
from msgspec.structs import asdict

CARD_VERSION = 1
"""The card's JSON keys are added, never renamed or removed (docs/scoring.md lists them)."""

RATINGS = (
    (85.0, "P", "Performed without challenges"),
    (70.0, "S", "Performed with some challenges"),
    (50.0, "M", "Performed with major challenges"),
    (0.0, "U", "Unable to be performed"),
)


def rating_of(score: float, weakest: float | None = None) -> str:
    """HSEEP-style rating letter for a 0-100 overall score, no better than one step above
    the rating of the ``weakest`` scored dimension: a run that ignored every plan B, or
    panicked, cannot be rated as performed without challenges on its other strengths."""
    rank = next(index for index, (floor, _, _) in enumerate(RATINGS) if score >= floor)
    if weakest is not None:
        floor_rank = next(index for index, (floor, _, _) in enumerate(RATINGS) if weakest >= floor)
        rank = max(rank, floor_rank - 1)
    return RATINGS[rank][1]


def rating_words(letter: str) -> str:
    return next(words for _, code, words in RATINGS if code == letter)


def overall_score(scores: dict[str, float | None], weights: dict[str, float]) -> float:
    """Weighted geometric mean, each dimension floored at 1, dimensions without a score skipped.

    A geometric mean means great cadence cannot buy back an overreaction.
    """
    used = {name: score for name, score in scores.items() if score is not None}
    total = sum(weights[name] for name in used)
    if total <= 0:
        return 100.0
    log_sum = sum(weights[name] * math.log(max(1.0, score)) for name, score in used.items())
    return min(100.0, math.exp(log_sum / total))  # exp(log(100)) can land a hair above


class Deduction(msgspec.Struct, frozen=True):
    """Points lost, where and why, in words a person can read in the debrief."""

    dimension: str
    points: float
    reason: str
    start: float | None = None
    end: float | None = None
    audience: str | None = None
    action: str | None = None
    decision: str | None = None


class AudienceScore(msgspec.Struct, frozen=True):
    """How one impacted audience was kept informed."""

    audience: str
    name: str
    weight: float
    impacted_from: float
    window_end: float
    score: float
    gap: float
    promises: float
    content: float
    closure: float | None
    """None when not judged (the outage outlasted the drill): the other parts carry its share."""
    noise: int
    debt_minutes: float
    promises_made: int
    promises_kept: int
    updates: tuple[float, ...]
    credited: tuple[float, ...]
    due: tuple[tuple[float, float], ...]
    """(from, due) spans: the audience was owed an update by ``due``."""


class DecisionScore(msgspec.Struct, frozen=True):
    """How one plan-B decision was handled, against the best choice on the known odds."""

    decision: str
    prompt: str
    opened_at: float
    closed_at: float
    option: str | None
    reason: str
    best_option: str | None
    best_at: float | None
    regret: float
    stakes: float
    expected_loss: float
    realised_loss: float


class Luck(msgspec.Struct, frozen=True):
    """Realised against expected loss of the plan-B choices: shown, never scored."""

    unit: str
    expected_loss: float
    realised_loss: float

    @property
    def difference(self) -> float:
        """Positive when the outcome was better than the team could expect (good luck)."""
        return self.expected_loss - self.realised_loss


class ScoreCard(msgspec.Struct, frozen=True):
    """A run's scores: a pure function of (scenario, seed, events)."""

    scenario: str
    version: str
    seed: int
    overall: float
    rating: str | None
    """HSEEP letter; None for a partial run (what was not played cannot be rated)."""
    cadence: float
    plan_b: float | None
    restraint: float
    weights: dict[str, float]
    deductions: tuple[Deduction, ...]
    audiences: tuple[AudienceScore, ...]
    decisions: tuple[DecisionScore, ...]
    luck: Luck
    impact: float | None
    """Loss when the drill ended, in the scenario's impact unit (None: the run was cut short)."""
    true_duration: float
    resolved_in_play: bool
    ended_at: float = 0.0
    partial: bool = False
    """Ended early while the incident was still open, or never finished (a crash): scores
    cover only what happened."""
    never_repaired: tuple[str, ...] = ()
    """Audiences an update bounced for (its channel was down) that were never told again
    over a channel that worked (format 2): the debrief's lesson on backup channels."""
    not_arisen: tuple[str, ...] = ()
    """Decisions that never opened in this run (a follow-up whose condition never held, or
    one the outage or the drill's end came before): not judged, and never a fault."""

    def top_deductions(self, count: int = 5) -> list[Deduction]:
        return sorted(self.deductions, key=lambda d: -d.points)[:count]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: numbers stay numbers."""
        return {
            "card_version": CARD_VERSION,
            "scenario": self.scenario,
            "version": self.version,
            "seed": self.seed,
            "overall": self.overall,
            "rating": self.rating,
            "cadence": self.cadence,
            "plan_b": self.plan_b,
            "restraint": self.restraint,
            "weights": dict(self.weights),
            "deductions": [asdict(deduction) for deduction in self.deductions],
            "audiences": [asdict(audience) for audience in self.audiences],
            "decisions": [asdict(decision) for decision in self.decisions],
            "luck": {**asdict(self.luck), "difference": self.luck.difference},
            "impact": self.impact,
            "true_duration": self.true_duration,
            "resolved_in_play": self.resolved_in_play,
            "ended_at": self.ended_at,
            "partial": self.partial,
            "never_repaired": list(self.never_repaired),
            "decisions_not_arisen": list(self.not_arisen),
        }
