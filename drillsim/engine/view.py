"""What the players can see of a drill at one moment: the feed, the board, the open
decisions and their options, the current belief. Never the hidden truth.

Frozen msgspec structs, not dataclasses: a bot builds a view at every wake, and a frozen
dataclass is ten times slower to build.

A policy that must play fair (the ``diligent`` baseline) is handed only this view.
"""

from __future__ import annotations

import msgspec

from drillsim.scenario.model import Action, Audience, Distribution, Stream
from drillsim.scenario.outage import Outage
from drillsim.scenario.streams import Assumed, is_flat, peak_rate, schedule
from drillsim.timegrid import on_grid

TYPE_CHECKING = False
if TYPE_CHECKING:
    from drillsim.engine.drill import Drill


class AudienceView(msgspec.Struct, frozen=True):
    """An audience as the stakeholder board shows it (its cadence: the phase in force now)."""

    id: str
    affected_since: float | None
    first_update: float
    max_silence: float
    min_interval: float
    last_update: float | None
    promised_by: float | None
    channels: tuple[str, ...] = ()
    """The channels that reach it, its default first (format 2; none: reached directly)."""
    bounced_at: float | None = None
    """When the team last saw an update to it bounce (a delivery failure in the feed)."""
    phase_starts: tuple[tuple[float, float], ...] = ()
    """Its later cadence phases (format 2), public like the rest of the scenario: when each
    begins and its longest silence."""


class QuestionView(msgspec.Struct, frozen=True):
    """Someone asked (an inject) and expects an answer from the team by ``due``."""

    expectation: str
    audience: str
    due: float


class OptionView(msgspec.Struct, frozen=True):
    id: str
    setup: float
    cost: float
    effectiveness: float
    expected_risk_cost: float
    available: bool


class DecisionView(msgspec.Struct, frozen=True):
    id: str
    stream: str
    loss_per_minute: float
    """How fast the stream this decision acts on loses, as the impact meter shows it: what
    the plan Bs chosen on it before this decision opened left running."""
    opened_at: float
    closes_at: float
    default: str
    options: tuple[OptionView, ...]


class ActionView(msgspec.Struct, frozen=True):
    id: str
    always_proportionate: bool
    """The scenario says the action is proportionate whatever happens (``justified_if: true``)."""
    taken: int
    expected_by: float | None = None
    """The team is expected to take it by then (format 2's ``expected``, owed now and not yet
    taken); None otherwise."""


class PlayerView(msgspec.Struct, frozen=True):
    now: float
    length: float
    delivered: frozenset[str]
    known: tuple[str, ...]
    """Facts revealed so far, in the scenario's order (what an update can cite)."""
    open_unknowns: tuple[str, ...]
    """Open questions no revealed fact has answered yet (what an update can say we don't know)."""
    doing: tuple[str, ...]
    """What the team is doing: plan Bs chosen, actions taken (what an update can cite)."""
    outage_over: bool
    """The team has been told the outage is over (a resolving inject arrived)."""
    belief: Distribution
    audiences: tuple[AudienceView, ...]
    questions: tuple[QuestionView, ...]
    decisions: tuple[DecisionView, ...]
    actions: tuple[ActionView, ...]
    failed_channels: frozenset[str] = frozenset()
    """Channels the team has seen an update bounce on (format 2): nothing else tells it a
    channel is down, bar an inject."""


def _loss_per_minute(drill: Drill, decision: str, name: str) -> float:
    """A stream's loss per minute as the players can reckon it: its rate, or for a stream
    that follows conditions (format 2) the average it is expected to lose a minute from now
    on while the team waits, on the schedule the meter shows and the belief held now."""
    stream = drill.scenario.impact.streams.get(name, 0.0)
    if is_flat(stream) or not isinstance(stream, Stream):
        return peak_rate(stream)
    outage = Outage(drill.belief)
    now = drill.now / 60.0
    remaining = outage.excess(now)
    if remaining <= 1e-12:
        return peak_rate(stream)
    expected = schedule(stream, Assumed(drill, (decision, None)), drill.now)
    return expected.expected(outage, now) / remaining


def player_view(drill: Drill) -> PlayerView:
    """The players' view of ``drill`` now."""
    scenario = drill.scenario
    now = drill.now
    revealed = drill.revealed
    questions = tuple(
        QuestionView(name, scenario.expectation(name).audience, state.deadline)
        for name, state in drill.expectations.items()
        if state.status == "pending" and scenario.expectation(name).after is not None
    )
    decisions = tuple(
        DecisionView(
            id=state.decision.id,
            stream=state.decision.stream,
            loss_per_minute=_loss_per_minute(drill, state.decision.id, state.decision.stream)
            * drill.stream_share(state),
            opened_at=state.opened_at,
            closes_at=state.closes_at,
            default=state.decision.default,
            options=tuple(
                OptionView(
                    id=option.id,
                    setup=float(option.setup),
                    cost=float(option.cost),
                    effectiveness=float(option.effectiveness),
                    expected_risk_cost=option.expected_risk_cost,
                    available=drill.available(option),
                )
                for option in state.decision.options
            ),
        )
        for state in drill.open_decisions()
    )
    actions = tuple(
        ActionView(
            id=action.id,
            always_proportionate=action.justified_if is True,
            taken=len(drill.actions_taken.get(action.id, ())),
            expected_by=expected_by(drill, action),
        )
        for action in scenario.actions
    )
    delivered = drill.delivered
    return PlayerView(
        now=now,
        length=drill.length,
        delivered=frozenset(delivered),
        doing=drill.doing_refs(),
        known=tuple(fact.id for fact in scenario.facts if fact.id in revealed),
        open_unknowns=tuple(
            unknown.id
            for unknown in scenario.unknowns
            if unknown.answered_by is None or unknown.answered_by not in revealed
        ),
        outage_over=any(inject.resolves and inject.id in delivered for inject in scenario.injects),
        belief=drill.belief,
        audiences=tuple(_audience_view(drill, audience, now) for audience in scenario.audiences),
        questions=questions,
        decisions=decisions,
        actions=actions,
        failed_channels=frozenset(drill.failed_channels),
    )


def _audience_view(drill: Drill, audience: Audience, now: float) -> AudienceView:
    cadence = audience.cadence_at(now)
    return AudienceView(
        id=audience.id,
        affected_since=drill.affected.get(audience.id),
        first_update=float(cadence.first_update),
        max_silence=float(cadence.max_silence),
        min_interval=float(cadence.min_interval),
        last_update=drill.last_updates.get(audience.id),
        promised_by=drill.promised.get(audience.id),
        channels=tuple(audience.channels),
        bounced_at=drill.bounced.get(audience.id),
        phase_starts=tuple(
            (phase.start, float(phase.policy.max_silence)) for phase in audience.phases[1:]
        )
        if audience.phased
        else (),
    )


def expected_by(drill: Drill, action: Action) -> float | None:
    """The deadline of an expected action owed now and not yet taken."""
    owed = drill.owed.get(action.id)
    if owed is None or action.expected is None or action.id in drill.actions_taken:
        return None
    return on_grid(owed + float(action.expected.within))
