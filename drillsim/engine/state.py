"""Where each plan-B decision and each expectation of a running drill stands."""

from __future__ import annotations

from dataclasses import dataclass

from drillsim.scenario.model import Decision


@dataclass(slots=True)
class DecisionState:
    """Where an open or closed plan-B decision stands."""

    decision: Decision
    opened_at: float
    closes_at: float
    option: str | None = None
    closed_at: float | None = None
    reason: str | None = None
    effective_at: float | None = None
    effective: bool = False
    held: str | None = None
    """A do-nothing option the team chose while the decision is open (it closes with it)."""

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(slots=True)
class ExpectationState:
    """An audience's expectation of an update: pending until met or past its deadline."""

    started_at: float
    deadline: float
    status: str = "pending"
