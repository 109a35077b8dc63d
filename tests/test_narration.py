"""The feed's words for a run's events, told without a screen."""

from __future__ import annotations

import pytest

from drillsim.engine import events as ev
from drillsim.policies import play
from drillsim.tui.narration import FeedMessage, Narrator, Notice

TOLD = {
    ev.INJECT_DELIVERED,
    ev.DECISION_OPENED,
    ev.PLAN_B_EFFECTIVE,
    ev.UPDATE_SENT,
    ev.ACTION_TAKEN,
    ev.EXPECTATION_MET,
    ev.EXPECTATION_FAILED,
    ev.NOTE_ADDED,
    ev.FACILITATOR_MESSAGE,
    ev.SKIPPED,
    ev.OPTION_HELD,
}
"""Kinds the feed always tells (decisions closing and audiences affected: most of the time)."""


@pytest.mark.parametrize("policy", ["oracle", "panic", "spam"])
def test_every_event_the_team_should_see_is_told_in_the_runs_words(flagship, policy) -> None:
    run = play(flagship, policy, 3)
    names = {a.id: run.render(a.name) for a in flagship.audiences}
    narrator = Narrator(flagship, run.render, names)
    for event in run.events:
        told = narrator.tell(event)
        if event.kind in TOLD:
            assert told is not None, event
        if told is None:
            continue
        assert told.t == event.t
        words = told.text if isinstance(told, Notice) else told.sender + told.text
        assert "{" not in words, words  # every placeholder filled
        if isinstance(event, ev.InjectDelivered):
            assert isinstance(told, FeedMessage) and told.text == event.text


def test_a_decision_taken_by_default_and_a_chosen_one_read_differently(flagship) -> None:
    narrator = Narrator(flagship, lambda text: text, {})
    default = ev.DecisionClosed(
        seq=9, t=1500, decision="ads-plan", option="keep-ads", reason="default"
    )
    chosen = ev.DecisionClosed(
        seq=9, t=600, decision="ads-plan", option="pause-ads", reason="chosen", effective_at=900
    )
    assert narrator.tell(default) == Notice(1500, "Time's up — default taken: Keep the ads running")
    assert narrator.tell(chosen) == Notice(
        600, "Plan B chosen: Pause the paid ads, in effect from T+0:15"
    )
    unfinished = ev.DecisionClosed(
        seq=9, t=600, decision="ads-plan", option=None, reason="unfinished"
    )
    assert narrator.tell(unfinished) is None


def test_a_skip_within_one_minute_does_not_read_as_from_the_same_minute(flagship) -> None:
    narrator = Narrator(flagship, lambda text: text, {})
    short = ev.Skipped(seq=9, t=310, start=302, to=310)
    longer = ev.Skipped(seq=9, t=480, start=302, to=480)
    assert narrator.tell(short) == Notice(310, "Skipped ahead a few seconds")
    assert narrator.tell(longer) == Notice(480, "Skipped ahead from T+0:05")


def test_a_follow_up_decision_is_told_as_new_and_a_scheduled_one_as_needed(flagship) -> None:
    """A decision that opens on a condition came up unannounced: the feed calls it new."""
    from drillsim.scenario.conditions import InjectDelivered

    send = flagship.decision("send-plan")
    follow_up = send.replace(id="revisit", at=None, when=InjectDelivered(inject_delivered="alert"))
    scenario = flagship.replace(decisions=(*flagship.decisions, follow_up))
    narrator = Narrator(scenario, lambda text: text, {})
    prompt = send.prompt
    opened = ev.DecisionOpened(seq=5, t=600, decision="revisit", closes_at=1200)
    scheduled = ev.DecisionOpened(seq=6, t=900, decision="send-plan", closes_at=2400)
    assert narrator.tell(opened) == Notice(600, f"New decision: {prompt} (press d)")
    assert narrator.tell(scheduled) == Notice(900, f"Decision needed: {prompt} (press d)")
