"""What the feed says as the drill goes: each engine event told as a message or a notice.

Only words here, from the scenario and the team's names, never widgets: the drill screen
puts them in the feed, and handles the team's moves (dialogs, choices, actions) apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from drillsim.durations import format_minute
from drillsim.engine import events as ev
from drillsim.scenario.model import Scenario, option_of


def expectation_words(scenario: Scenario, expectation_id: str, render: Callable[[str], str]) -> str:
    """What an audience expected, as the feed and the debrief say it: its description, or
    its id where it has none."""
    expectation = scenario.expectation(expectation_id)
    return render(expectation.description) or expectation.id


@dataclass(frozen=True, slots=True)
class FeedMessage:
    """A message arriving in the feed: an inject, or the facilitator's own."""

    t: float
    channel: str
    sender: str
    subject: str
    text: str


@dataclass(frozen=True, slots=True)
class Notice:
    """A line about what happened: a consequence, a decision, the team's own move."""

    t: float
    text: str


class Narrator:
    """Tells a run's events in words, for one scenario with its names filled in."""

    def __init__(
        self, scenario: Scenario, render: Callable[[str], str], names: dict[str, str]
    ) -> None:
        """``names``: each audience's name, by id, already filled in."""
        self.scenario = scenario
        self.render = render
        self.names = names

    def tell(self, event: ev.Event) -> FeedMessage | Notice | None:
        """What the feed shows for ``event`` (None: nothing)."""
        scenario, render, t = self.scenario, self.render, event.t
        match event:
            case ev.InjectDelivered():
                return FeedMessage(t, event.channel, event.sender, event.subject, event.text)
            case ev.FacilitatorMessage():
                return FeedMessage(t, event.channel, event.sender, "", event.text)
            case ev.DecisionOpened():
                decision = scenario.decision(event.decision)
                prompt = render(decision.prompt)
                if decision.when is not None:  # a follow-up: it came up, nobody scheduled it
                    return Notice(t, f"New decision: {prompt} (press d)")
                return Notice(t, f"Decision needed: {prompt} (press d)")
            case ev.DecisionClosed():
                return self._decision_closed(event)
            case ev.OptionHeld():
                label = render(option_of(scenario.decision(event.decision), event.option).label)
                return Notice(
                    t,
                    f"Holding: {label}. The decision stays open until its time runs out; "
                    "press d to change it",
                )
            case ev.PlanBEffective(option=str(option)):
                label = render(option_of(scenario.decision(event.decision), option).label)
                return Notice(t, f"Plan B in effect: {label}")
            case ev.UpdateSent():
                told = ", ".join(self.names[a] for a in event.audiences)
                promise = (
                    f"; next by {format_minute(t + event.next_update_in)}"
                    if event.next_update_in
                    else ""
                )
                over = (
                    f" over {render(scenario.channel(event.channel).label)}"
                    if event.channel
                    else ""
                )
                return Notice(t, f"Update sent to {told}{over}{promise}")
            case ev.UpdateBounced():
                channel = render(scenario.channel(event.channel).label)
                return Notice(
                    t,
                    f"✗ Delivery failure: your update to {self.names[event.audience]} over "
                    f"{channel} did not arrive; they have not heard it",
                )
            case ev.AudienceAffected() if t > 0:
                audience = scenario.audience(event.audience)
                due = format_minute(t + float(audience.cadence_at(t).first_update))
                return Notice(
                    t, f"{self.names[audience.id]} are now affected: first update due by {due}"
                )
            case ev.AudienceUnaffected():
                return Notice(
                    t, f"{self.names[event.audience]} are no longer affected: no update is owed"
                )
            case ev.ActionTaken():
                return Notice(t, f"Done: {render(scenario.action(event.action).label)}")
            case ev.ExpectationMet() | ev.ExpectationFailed():
                what = expectation_words(scenario, event.expectation, render)
                met = isinstance(event, ev.ExpectationMet)
                return Notice(t, f"✓ Done in time: {what}" if met else f"✗ Missed: {what}")
            case ev.NoteAdded():
                return Notice(t, f"Note: {event.text}")
            case ev.Skipped():
                start = format_minute(event.start)
                if start == format_minute(t):  # "from T+0:05" at T+0:05 reads as no skip
                    return Notice(t, "Skipped ahead a few seconds")
                return Notice(t, f"Skipped ahead from {start}")
        return None

    def chosen_label(self, event: ev.DecisionClosed) -> str:
        """The option a closed decision ended on, in the run's words ('' for none)."""
        if event.option is None:
            return ""
        return self.render(option_of(self.scenario.decision(event.decision), event.option).label)

    def _decision_closed(self, event: ev.DecisionClosed) -> Notice | None:
        label = self.chosen_label(event)
        if event.reason == "default":
            return Notice(event.t, f"Time's up — default taken: {label}")
        if event.reason == "chosen":
            effective = format_minute(event.effective_at) if event.effective_at is not None else ""
            return Notice(event.t, f"Plan B chosen: {label}, in effect from {effective}")
        if event.reason == "moot":
            prompt = self.render(self.scenario.decision(event.decision).prompt)
            return Notice(event.t, f"No longer needed, the outage is over: {prompt}")
        return None
