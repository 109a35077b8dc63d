"""Events the engine emits; the journal persists them and scoring reads them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DRILL_STARTED = "drill_started"
INJECT_DELIVERED = "inject_delivered"
INCIDENT_RESOLVED = "incident_resolved"
AUDIENCE_AFFECTED = "audience_affected"
DECISION_OPENED = "decision_opened"
DECISION_CLOSED = "decision_closed"
PLAN_B_EFFECTIVE = "plan_b_effective"
UPDATE_SENT = "update_sent"
ACTION_TAKEN = "action_taken"
NOTE_ADDED = "note_added"
EXPECTATION_MET = "expectation_met"
EXPECTATION_FAILED = "expectation_failed"
PAUSED = "paused"
RESUMED = "resumed"
SPEED_CHANGED = "speed_changed"
SKIPPED = "skipped"
DRILL_ENDED = "drill_ended"

KINDS = frozenset(
    {
        DRILL_STARTED,
        INJECT_DELIVERED,
        INCIDENT_RESOLVED,
        AUDIENCE_AFFECTED,
        DECISION_OPENED,
        DECISION_CLOSED,
        PLAN_B_EFFECTIVE,
        UPDATE_SENT,
        ACTION_TAKEN,
        NOTE_ADDED,
        EXPECTATION_MET,
        EXPECTATION_FAILED,
        PAUSED,
        RESUMED,
        SPEED_CHANGED,
        SKIPPED,
        DRILL_ENDED,
    }
)

FACILITATOR_KINDS = frozenset({PAUSED, RESUMED, SPEED_CHANGED, SKIPPED})
"""Events about the exercise clock, not the incident; play may differ here, scores may not."""


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened at exercise time ``t`` (seconds since T+0)."""

    seq: int
    t: float
    kind: str
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "t": self.t, "kind": self.kind, **self.data}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Event:
        data = {key: value for key, value in raw.items() if key not in ("seq", "t", "kind")}
        return cls(int(raw["seq"]), float(raw["t"]), str(raw["kind"]), data)
