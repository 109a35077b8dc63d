"""Events the engine emits, one typed record per kind: the engine, the journal writer and
reader, replay and scoring all use these definitions and no other.

Times are exercise seconds on a millisecond grid (see :mod:`drillsim.timegrid`). A record
is either an *input* (what the team or the facilitator did: replay feeds it back to the
engine) or an *engine event* (what the engine made happen: replay must reproduce it).
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from drillsim.limits import LARGEST_SEED
from drillsim.timegrid import MAX_SECONDS
from drillsim.update_status import UpdateStatus

TYPE_CHECKING = False
if TYPE_CHECKING:
    from drillsim.scenario.model import Distribution

DRILL_STARTED = "drill_started"
INJECT_DELIVERED = "inject_delivered"
INCIDENT_RESOLVED = "incident_resolved"
AUDIENCE_AFFECTED = "audience_affected"
AUDIENCE_UNAFFECTED = "audience_unaffected"
DECISION_OPENED = "decision_opened"
DECISION_CLOSED = "decision_closed"
OPTION_HELD = "option_held"
PLAN_B_EFFECTIVE = "plan_b_effective"
UPDATE_SENT = "update_sent"
UPDATE_BOUNCED = "update_bounced"
ACTION_TAKEN = "action_taken"
NOTE_ADDED = "note_added"
FACILITATOR_MESSAGE = "facilitator_message"
EXPECTATION_MET = "expectation_met"
EXPECTATION_FAILED = "expectation_failed"
PAUSED = "paused"
RESUMED = "resumed"
SPEED_CHANGED = "speed_changed"
SKIPPED = "skipped"
DRILL_ENDED = "drill_ended"
OBSERVATION_ADDED = "observation_added"

Seconds = Annotated[float, msgspec.Meta(ge=0, le=MAX_SECONDS)]
"""An exercise time or span in seconds: finite, never negative, within the engine's range."""
Span = Annotated[float, msgspec.Meta(gt=0, le=MAX_SECONDS)]
Positive = Annotated[float, msgspec.Meta(gt=0, le=1e12)]
Ident = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Seed = Annotated[int, msgspec.Meta(ge=0, le=LARGEST_SEED)]
Sequence = Annotated[int, msgspec.Meta(ge=1)]

CloseReason = Literal["chosen", "default", "moot", "unfinished"]
Verdict = Literal["strength", "improvement"]


class Belief(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """The team's belief about the outage length: a lognormal, or a fixed length."""

    median: Positive | None = None
    sigma: Annotated[float, msgspec.Meta(gt=0, le=10)] | None = None
    fixed: Seconds | None = None

    def __post_init__(self) -> None:
        lognormal = self.median is not None and self.sigma is not None
        if lognormal == (self.fixed is not None) or (self.median is None) != (self.sigma is None):
            raise ValueError("a belief is either {median, sigma} or {fixed}")

    @classmethod
    def of(cls, distribution: Distribution) -> Belief:
        """A scenario's distribution as the journal records it."""
        from drillsim.scenario.model import Lognormal

        if isinstance(distribution, Lognormal):
            return cls(median=float(distribution.median), sigma=float(distribution.sigma))
        return cls(fixed=float(distribution.fixed))

    def distribution(self) -> Distribution:
        """The scenario distribution this record states (the inverse of :meth:`of`)."""
        from drillsim.scenario.model import Fixed, Lognormal

        if self.fixed is not None:
            return Fixed(fixed=self.fixed)
        return Lognormal(median=float(self.median or 0.0), sigma=float(self.sigma or 0.0))


class Truth(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    duration: Seconds


class Event(
    msgspec.Struct, frozen=True, tag_field="kind", forbid_unknown_fields=True, omit_defaults=True
):
    """Something that happened at exercise time ``t`` (seconds since T+0)."""

    seq: Sequence
    t: Seconds

    INPUT = False
    """Whether replay feeds this record to the engine (True) or expects the engine to make it."""

    @property
    def kind(self) -> str:
        return str(self.__struct_config__.tag)

    @property
    def is_input(self) -> bool:
        return self.INPUT


class _Stamped(Event, kw_only=True, frozen=True):
    wall: str | None = None
    """When it happened on the wall clock (ISO-8601 UTC), for played runs only."""


class DrillStarted(_Stamped, tag=DRILL_STARTED, kw_only=True, frozen=True):
    scenario: Ident
    version: str
    seed: Seed
    speed: Positive
    length: Span
    variables: dict[str, str]
    truth: Truth
    belief: Belief


class InjectDelivered(_Stamped, tag=INJECT_DELIVERED, kw_only=True, frozen=True):
    inject: Ident
    channel: str
    sender: str
    subject: str
    text: str
    reveals: tuple[Ident, ...] = ()
    belief: Belief | None = None


class IncidentResolved(_Stamped, tag=INCIDENT_RESOLVED, kw_only=True, frozen=True):
    duration: Seconds


class AudienceAffected(_Stamped, tag=AUDIENCE_AFFECTED, kw_only=True, frozen=True):
    audience: Ident


class AudienceUnaffected(_Stamped, tag=AUDIENCE_UNAFFECTED, kw_only=True, frozen=True):
    """An audience whose affected state follows its condition both ways (format 2) stops
    being affected: nothing is owed to it until an ``audience_affected`` again."""

    audience: Ident


class DecisionOpened(_Stamped, tag=DECISION_OPENED, kw_only=True, frozen=True):
    decision: Ident
    closes_at: Seconds


class DecisionClosed(_Stamped, tag=DECISION_CLOSED, kw_only=True, frozen=True):
    decision: Ident
    option: Ident | None
    reason: CloseReason
    effective_at: Seconds | None = None

    @property
    def is_input(self) -> bool:
        return self.reason == "chosen"


class OptionHeld(_Stamped, tag=OPTION_HELD, kw_only=True, frozen=True):
    """The team chose a do-nothing option: the decision stays open, changeable and judged
    until its deadline, when it closes with the option held then."""

    INPUT = True
    decision: Ident
    option: Ident


class PlanBEffective(_Stamped, tag=PLAN_B_EFFECTIVE, kw_only=True, frozen=True):
    decision: Ident
    option: Ident | None


class UpdateSent(_Stamped, tag=UPDATE_SENT, kw_only=True, frozen=True):
    INPUT = True
    audiences: tuple[Ident, ...]
    facts: tuple[Ident, ...] = ()
    unknowns: tuple[Ident, ...] = ()
    status: UpdateStatus = "investigating"
    next_update_in: Span | None = None
    eta: bool | Literal["vendor"] = False
    """True: a resolution time given; "vendor": the vendor's published one relayed."""
    text: str = ""
    doing: tuple[Annotated[str, msgspec.Meta(min_length=1, max_length=401)], ...] = ()
    """What we're doing: ``DECISION/OPTION`` plan Bs chosen, ids of catalogue actions taken."""
    channel: Ident | None = None
    """The channel the team named (format 2); None: each audience's own default."""


class UpdateBounced(_Stamped, tag=UPDATE_BOUNCED, kw_only=True, frozen=True):
    """An update did not reach one audience: the channel it went over was down. Made by the
    engine right after the ``update_sent`` it follows, and shown to the team (a delivery
    failure); scoring counts that audience as not having heard it."""

    update: Sequence
    """The ``seq`` of the update that bounced."""
    audience: Ident
    channel: Ident


class ActionTaken(_Stamped, tag=ACTION_TAKEN, kw_only=True, frozen=True):
    INPUT = True
    action: Ident


class NoteAdded(_Stamped, tag=NOTE_ADDED, kw_only=True, frozen=True):
    INPUT = True
    text: str


class FacilitatorMessage(_Stamped, tag=FACILITATOR_MESSAGE, kw_only=True, frozen=True):
    """A message the facilitator sent into the feed during play (not in the scenario)."""

    INPUT = True
    sender: Ident
    channel: Ident
    text: Annotated[str, msgspec.Meta(min_length=1)]


class ExpectationMet(_Stamped, tag=EXPECTATION_MET, kw_only=True, frozen=True):
    expectation: Ident
    audience: Ident


class ExpectationFailed(_Stamped, tag=EXPECTATION_FAILED, kw_only=True, frozen=True):
    expectation: Ident
    audience: Ident


class Paused(_Stamped, tag=PAUSED, kw_only=True, frozen=True):
    INPUT = True


class Resumed(_Stamped, tag=RESUMED, kw_only=True, frozen=True):
    INPUT = True


class SpeedChanged(_Stamped, tag=SPEED_CHANGED, kw_only=True, frozen=True):
    INPUT = True
    speed: Positive


class Skipped(_Stamped, tag=SKIPPED, kw_only=True, frozen=True):
    INPUT = True
    start: Seconds = msgspec.field(name="from")
    to: Seconds


class DrillEnded(_Stamped, tag=DRILL_ENDED, kw_only=True, frozen=True):
    reason: Ident
    impact: Annotated[float, msgspec.Meta(ge=0, le=1e15)]

    @property
    def is_input(self) -> bool:
        """Ended by the team or the facilitator; ``time`` is the engine's own end."""
        return self.reason != "time"


class ObservationAdded(_Stamped, tag=OBSERVATION_ADDED, kw_only=True, frozen=True):
    """The facilitator's observation in the debrief, after the drill ended: a strength (+) or
    an area for improvement (−), with a note, on one event of the run (``on``: its ``seq``,
    an update sent or a decision's close) or on the run as a whole (``on`` omitted).

    A post-end record: the engine neither makes nor takes it, so replay and scoring never see
    it. Its ``t`` is the drill's end; it follows ``drill_ended`` (docs/journal.md).
    """

    verdict: Verdict
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    on: Sequence | None = None


OBSERVED_KINDS = frozenset({UPDATE_SENT, DECISION_CLOSED})
"""What an observation may be on, besides the run as a whole."""


AnyEvent = (
    DrillStarted
    | InjectDelivered
    | IncidentResolved
    | AudienceAffected
    | AudienceUnaffected
    | DecisionOpened
    | DecisionClosed
    | OptionHeld
    | PlanBEffective
    | UpdateSent
    | UpdateBounced
    | ActionTaken
    | NoteAdded
    | FacilitatorMessage
    | ExpectationMet
    | ExpectationFailed
    | Paused
    | Resumed
    | SpeedChanged
    | Skipped
    | DrillEnded
)

EVENT_TYPES: tuple[type[Event], ...] = AnyEvent.__args__
KINDS = frozenset(str(kind.__struct_config__.tag) for kind in EVENT_TYPES)

FACILITATOR_KINDS = frozenset({PAUSED, RESUMED, SPEED_CHANGED, SKIPPED})
"""Events about the exercise clock, not the incident; play may differ here, scores may not."""


def without_wall(event: Event) -> Event:
    """The event as the engine made it, without the wall-clock stamp the writer added."""
    if getattr(event, "wall", None) is None:
        return event
    return msgspec.structs.replace(event, wall=None)


def _plain(value: object) -> object:
    """Scenario texts are ``str`` subclasses (Template); the journal holds them as plain
    strings."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, float):
        return float(value)
    raise NotImplementedError(f"{type(value).__name__} has no place in a journal")


ENCODER = msgspec.json.Encoder(enc_hook=_plain)
"""Encodes records as compact JSON, fields in definition order: the journal's line bodies."""
