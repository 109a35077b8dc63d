"""The diligent baseline: a team that follows the rules and sees only what players see.

It reads a :class:`~drillsim.engine.view.PlayerView` and nothing else (nothing hidden from
the players, no import from ``scoring``). It tells every affected audience early, then on a
rhythm it can keep; cites only what has been revealed and says what is still unknown;
answers questions; closes the loop once told the outage is over; takes only the catalogue
actions the scenario calls always proportionate, and those it is expected to take the moment
they are owed; and picks a plan B by its own expected-loss
estimate under the belief it holds. It is the proof that a team following the rules scores
well.
"""

from __future__ import annotations

import math
import random

from drillsim.engine.actions import ChooseOption, SendUpdate, TakeAction, TeamAction
from drillsim.engine.view import AudienceView, DecisionView, OptionView, PlayerView
from drillsim.policies.base import PlayerPolicy, doing_after
from drillsim.scenario.model import Distribution, Scenario
from drillsim.scenario.outage import Outage

MINUTE = 60.0
SLACK = 5 * MINUTE
"""How much earlier than the longest silence the diligent team promises to be back."""
LOOK_EVERY = 5 * MINUTE
"""How often it looks at an open decision again."""


def expected_remaining(belief: Distribution, elapsed: float, after: float) -> float:
    """E[max(0, D - elapsed - after)] / P(D > elapsed): minutes of outage still to come
    ``after`` seconds from now, given it has lasted ``elapsed`` seconds (D the total)."""
    outage = Outage(belief)
    alive = outage.survival(elapsed / 60.0)
    return outage.excess((elapsed + after) / 60.0) / alive if alive > 1e-12 else 0.0


class Diligent(PlayerPolicy):
    name = "diligent"

    def __init__(self, scenario: Scenario, rng: random.Random) -> None:
        super().__init__(scenario, rng)
        self.told: dict[str, frozenset[str]] = {}
        """Per audience, the facts its last update cited."""
        self.closed: set[str] = set()
        self.looked: dict[str, float] = {}

    # ---------------------------------------------------------------- plan B
    def _loss(self, view: PlayerView, decision: DecisionView, option: OptionView) -> float:
        remaining = expected_remaining(view.belief, view.now, 0.0)
        after_setup = expected_remaining(view.belief, view.now, option.setup)
        lost = remaining - option.effectiveness * after_setup
        return decision.loss_per_minute * lost + option.cost + option.expected_risk_cost

    def _choice(self, view: PlayerView, decision: DecisionView) -> str | None:
        """The option with the lowest expected loss, if it beats leaving the default."""
        losses = {
            option.id: self._loss(view, decision, option)
            for option in decision.options
            if option.available
        }
        if not losses:
            return None
        best = min(losses, key=lambda name: (losses[name], name))
        default = losses.get(decision.default, math.inf)
        return best if best != decision.default and losses[best] < default else None

    # ---------------------------------------------------------------- updates
    @staticmethod
    def _promise(audience: AudienceView) -> float:
        """A next-update time the audience can be held to: inside its longest silence,
        never shorter than its minimum interval."""
        return max(audience.min_interval, audience.max_silence - SLACK)

    @staticmethod
    def _channel(view: PlayerView, audience: AudienceView) -> str | None:
        """The first of the audience's channels no update has bounced on (None: its
        default, when it has no channels or every one has failed)."""
        return next((c for c in audience.channels if c not in view.failed_channels), None)

    @staticmethod
    def _bounced(audience: AudienceView) -> bool:
        """Its last update bounced: it has not heard since."""
        return audience.bounced_at is not None and (
            audience.last_update is None or audience.bounced_at > audience.last_update
        )

    @staticmethod
    def _phase_due(audience: AudienceView) -> float | None:
        """When a cadence phase that began since the last update owes the next one (its start
        plus its longest silence, less the slack), if one does."""
        last = audience.last_update
        if not audience.phase_starts:
            return None
        dues = [
            start + silence - SLACK
            for start, silence in audience.phase_starts
            if last is not None and start > last
        ]
        return min(dues) if dues else None

    def _due(self, view: PlayerView, audience: AudienceView) -> bool:
        if audience.last_update is None or self._bounced(audience):
            return True
        phase_due = self._phase_due(audience)
        if phase_due is not None and view.now >= phase_due:
            return True
        since = view.now - audience.last_update
        spaced = since >= audience.min_interval
        novel = not self.told.get(audience.id, frozenset()).issuperset(view.known)
        asked = any(question.audience == audience.id for question in view.questions)
        promised = audience.promised_by is not None and view.now >= audience.promised_by - MINUTE
        return asked or promised or (novel and spaced)

    def _update(
        self, view: PlayerView, audience: AudienceView, doing: tuple[str, ...]
    ) -> SendUpdate:
        self.told[audience.id] = frozenset(view.known)
        if view.outage_over:
            self.closed.add(audience.id)
            return SendUpdate(
                (audience.id,),
                facts=view.known,
                status="resolved",
                text="It is over.",
                channel=self._channel(view, audience),
            )
        return SendUpdate(
            (audience.id,),
            facts=view.known,
            unknowns=view.open_unknowns,
            doing=doing,
            status="investigating",
            next_update_in=self._promise(audience),
            text="What we know, what we don't, and when you will hear from us next.",
            channel=self._channel(view, audience),
        )

    # ------------------------------------------------------------------ loop
    def decide(self, view: PlayerView) -> list[TeamAction]:
        actions: list[TeamAction] = [
            TakeAction(action.id)
            for action in view.actions
            if (action.always_proportionate or action.expected_by is not None) and not action.taken
        ]
        for decision in view.decisions:
            if view.now - self.looked.get(decision.id, -math.inf) < LOOK_EVERY:
                continue
            self.looked[decision.id] = view.now
            option = self._choice(view, decision)
            if option is not None:
                actions.append(ChooseOption(decision.id, option))
        doing: tuple[str, ...] | None = None  # worked out for the first update of this wake
        for audience in view.audiences:
            if audience.id in self.closed:
                continue
            if view.outage_over:
                due = audience.last_update is not None or audience.bounced_at is not None
            else:
                due = audience.affected_since is not None and self._due(view, audience)
            if due:
                if doing is None:
                    doing = doing_after(view.doing, actions)
                actions.append(self._update(view, audience, doing))
        return actions

    def wake(self, view: PlayerView) -> float:
        wakes = [self.looked.get(d.id, view.now) + LOOK_EVERY for d in view.decisions]
        for audience in view.audiences:
            if audience.id in self.closed:
                continue
            if self._bounced(audience):  # read the delivery failure, then send it again
                wakes.append((audience.bounced_at or 0.0) + MINUTE)
            if audience.last_update is None:
                continue
            if audience.promised_by is not None:
                wakes.append(audience.promised_by - MINUTE)
            wakes.append(audience.last_update + audience.min_interval)
            phase_due = self._phase_due(audience)
            if phase_due is not None:
                wakes.append(phase_due)
        later = [wake for wake in wakes if wake > view.now]
        return min(later) if later else math.inf
