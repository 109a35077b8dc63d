"""Plan-B rules pinned as scripted runs (issue "Scores that mean what they say", fix 11):
what a decision is worth, what a subtle mistake costs, and how the debrief words it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from drillsim.scenario.loader import load_scenario
from drillsim.script import play_script, read_script
from scoring import score_run
from scoring.card import ScoreCard

SEEDS = (0, 1, 2)

VENDOR_FIX = """\
format: 1
id: vendor-fix
title: Vendor fix at {company}
summary: The vendor says a fix is rolling out; twenty minutes in, it says hours.
version: "1"
length: 2h
briefing:
  situation: The sign-up forms at {company} are down.
variables:
  company: {value: Acme}
audiences:
  - id: execs
    name: Executive team
facts:
  - {id: down, text: The forms are down.}
  - {id: rollback-failed, text: The vendor's rollback failed.}
unknowns:
  - {id: when-back, text: When the forms are back.}
truth:
  duration: {median: 90m, sigma: 0.8}
belief: {median: 25m, sigma: 0.8}
impact: {unit: sign-ups, label: Sign-ups lost, streams: {forms: 5}}
injects:
  - {id: alert, at: 0m, channel: monitoring, from: Monitor, text: Forms down., reveals: [down]}
  - id: rollback-failed
    when: {all: [{after: 20m}, {incident: open}]}
    channel: status_page
    from: Vendor
    text: Our rollback failed. We are rebuilding the database; expect hours.
    reveals: [rollback-failed]
    belief: {median: 3h, sigma: 0.6}
  - {id: fixed, resolves: true, channel: status_page, from: Vendor, text: Resolved.}
decisions:
  - id: forms-plan
    prompt: Stand up alternative pages?
    stream: forms
    at: 5m
    timeout: 40m
    default: wait
    options:
      - {id: wait, label: Wait for the vendor}
      - {id: pages, label: Alternative pages on the CMS, setup: 15m, cost: 60, effectiveness: 0.8}
ABSURD
"""

ABSURD = """\
      - id: rebuild
        label: Rebuild the whole site on another platform tonight
        setup: 3h
        cost: 4000
        effectiveness: 1.0
"""

WORD = """\
- at: 1m
  send_update: {audiences: [execs], facts: [down], unknowns: [when-back], next_update_in: 20m}
"""


@pytest.fixture
def play(tmp_path: Path):
    """Play an actions file on the vendor-fix scenario (with or without its absurd option)."""

    def _play(actions: str, seed: int, *, absurd: bool = True) -> ScoreCard:
        scenario_path = tmp_path / "vendor-fix.yaml"
        scenario_path.write_text(
            VENDOR_FIX.replace("ABSURD\n", ABSURD if absurd else ""), encoding="utf-8"
        )
        scenario = load_scenario(scenario_path)[0]
        actions_path = tmp_path / "actions.yaml"
        actions_path.write_text(textwrap.dedent(actions), encoding="utf-8")
        run = play_script(read_script(actions_path, scenario), scenario, seed)
        return score_run(scenario, run.drill.events)

    return _play


TOO_EARLY = WORD + "- {at: 15m, choose_option: {decision: forms-plan, option: pages}}\n"
ON_THE_NEWS = (
    WORD + "- {after: rollback-failed, choose_option: {decision: forms-plan, option: pages}}\n"
)


@pytest.mark.parametrize("seed", SEEDS)
def test_committing_one_piece_of_news_too_early_costs_visibly(play, seed) -> None:
    """At T+15 the vendor still says a fix is rolling out: waiting was the better move, and
    the alternative pages were right only once the rollback failed at T+20. That slip costs
    at least 5 plan-B points, though the decision also offers an absurd option."""
    early, on_time = play(TOO_EARLY, seed), play(ON_THE_NEWS, seed)
    assert on_time.plan_b is not None and on_time.plan_b >= 97.0  # T+5 was a near-tie
    assert early.plan_b is not None and early.plan_b <= 95.0, early.plan_b
    reasons = [d.reason for d in early.deductions if d.dimension == "plan_b"]
    assert any("waiting had a lower expected loss" in reason for reason in reasons), reasons


@pytest.mark.parametrize("seed", SEEDS)
def test_an_absurd_option_does_not_inflate_what_a_decision_is_worth(play, seed) -> None:
    """Stakes are taken on the options a reasonable team would weigh: offering one no team
    would take (worse than sitting the decision out) changes no score of a run that left it."""
    with_it, without = play(TOO_EARLY, seed), play(TOO_EARLY, seed, absurd=False)
    assert with_it.plan_b == pytest.approx(without.plan_b, abs=1e-9)
    assert with_it.decisions[0].stakes == pytest.approx(without.decisions[0].stakes)


@pytest.mark.parametrize("seed", SEEDS)
def test_taking_the_absurd_option_loses_all_that_was_at_stake(play, seed) -> None:
    card = play(
        WORD + "- {at: 15m, choose_option: {decision: forms-plan, option: rebuild}}\n", seed
    )
    [decision] = card.decisions
    assert card.plan_b == pytest.approx(0.0, abs=1e-9)
    assert decision.regret == pytest.approx(decision.stakes)


@pytest.fixture
def play_flagship(tmp_path: Path, flagship):
    def _play(actions: str, seed: int) -> ScoreCard:
        path = tmp_path / "actions.yaml"
        path.write_text(textwrap.dedent(actions), encoding="utf-8")
        return score_run(
            flagship, play_script(read_script(path, flagship), flagship, seed).drill.events
        )

    return _play


@pytest.mark.parametrize("seed", SEEDS)
def test_a_choice_is_never_told_that_choosing_at_its_own_minute_would_have_saved_more(
    play_flagship, seed
) -> None:
    """Pausing the ads was the better move from T+5:00; the team paused them at T+5:40. The
    debrief says acting sooner would have saved a little, never "choosing it at T+0:05"."""
    card = play_flagship(
        "- {at: 5m40s, choose_option: {decision: ads-plan, option: pause-ads}}\n", seed
    )
    reasons = [d.reason for d in card.deductions if d.decision == "ads-plan"]
    assert reasons == [
        "Chose 'Pause the paid ads' at T+0:05, within the minute it became the better call; "
        "choosing it at once would have saved a little more"
    ]
    later = play_flagship(
        "- {at: 12m, choose_option: {decision: ads-plan, option: pause-ads}}\n", seed
    )
    assert [d.reason for d in later.deductions if d.decision == "ads-plan"] == [
        "Chose 'Pause the paid ads' at T+0:12; choosing it at T+0:05 would have saved more"
    ]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_debrief_names_acting_sooner_when_acting_was_the_better_move(
    play_flagship, seed
) -> None:
    card = play_flagship(
        "- {at: 20m, choose_option: {decision: ads-plan, option: keep-ads}}\n", seed
    )
    reasons = [d.reason for d in card.deductions if d.decision == "ads-plan"]
    assert any("acting sooner ('Pause the paid ads') was the better call" in r for r in reasons), (
        reasons
    )
    assert not [r for r in reasons if "waiting" in r], reasons


@pytest.mark.parametrize("seed", SEEDS)
def test_choosing_to_do_nothing_keeps_the_decision_open_and_judged_to_its_deadline(
    play_flagship, seed
) -> None:
    """Keeping the ads running (no setup, cost or effect) is waiting by another name: it
    closes nothing, so it escapes no checkpoint — it scores as letting the clock run out."""
    held = play_flagship(
        "- {at: 6m, choose_option: {decision: ads-plan, option: keep-ads}}\n", seed
    )
    ignored = play_flagship("- {at: 6m, add_note: thinking about the ads}\n", seed)
    ads = next(d for d in held.decisions if d.decision == "ads-plan")
    assert (ads.option, ads.closed_at) == ("keep-ads", 25 * 60.0)
    assert ads.regret == pytest.approx(
        next(d for d in ignored.decisions if d.decision == "ads-plan").regret
    )
    assert held.plan_b == pytest.approx(ignored.plan_b)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_do_nothing_choice_can_still_be_changed(play_flagship, seed) -> None:
    changed = play_flagship(
        "- {at: 6m, choose_option: {decision: ads-plan, option: keep-ads}}\n"
        "- {at: 8m, choose_option: {decision: ads-plan, option: pause-ads}}\n",
        seed,
    )
    ads = next(d for d in changed.decisions if d.decision == "ads-plan")
    assert (ads.option, ads.reason, ads.closed_at) == ("pause-ads", "chosen", 8 * 60.0)


@pytest.mark.parametrize(
    ("seed", "ended", "lost"), [(456759, "T+0:36", True), (7, "T+0:17", False)]
)
def test_a_decision_the_outage_made_moot_is_worded_as_its_deduction_says(
    play_flagship, flagship, seed, ended, lost
) -> None:
    """Nothing done: the send decision goes moot when the outage ends. On seed 456759
    finishing from the backup was the better call from T+0:18, so the debrief says no choice
    was made (never "no choice needed" beside a deduction), and the deduction says the outage
    ended it. On seed 7 waiting was best all along: no choice needed, nothing lost."""
    from drillsim.tui.screens.debrief import your_call

    card = play_flagship("[]\n", seed)
    send = next(d for d in card.decisions if d.decision == "send-plan")
    assert send.reason == "moot"
    words = your_call(card, send, flagship.decision("send-plan"), str)
    reasons = [d.reason for d in card.deductions if d.decision == "send-plan"]
    if lost:
        assert words == f"no choice made before the outage ended at {ended}"
        assert reasons == [
            f"Had not decided from T+0:18 until the outage ended at {ended}; acting sooner "
            "('Finish from the backup email service') was the better call on what was known"
        ]
    else:
        assert words == "no choice needed: the outage ended first"
        assert reasons == []


def test_a_choice_whose_condition_turns_at_the_same_instant_is_judged_as_made(
    tmp_path: Path,
) -> None:
    """An option that needs the executives left alone for 5 minutes, chosen at T+0:06 as an
    update to them goes out in the same instant: the engine took the choice (the option was
    available), so scoring judges it in that state (it raised KeyError: 'pause-ads')."""
    from conftest import FLAGSHIP

    text = FLAGSHIP.read_text(encoding="utf-8").replace(
        "        description: Ask the agency to pause every ad that points at the landing pages.\n",
        "        description: Ask the agency to pause every ad that points at the landing pages.\n"
        "        requires: {silent: {audience: execs, for: 5m}}\n",
        1,
    )
    scenario_path = tmp_path / "silent-gate.yaml"
    scenario_path.write_text(text, encoding="utf-8")
    scenario = load_scenario(scenario_path)[0]
    assert scenario.decision("ads-plan").options[1].requires is not None
    actions = tmp_path / "actions.yaml"
    actions.write_text(
        textwrap.dedent(
            """\
            - at: 6m
              choose_option: {decision: ads-plan, option: pause-ads}
            - at: 6m
              send_update: {audiences: [execs], facts: [send-halted], next_update_in: 20m}
            """
        ),
        encoding="utf-8",
    )
    for seed in SEEDS:
        run = play_script(read_script(actions, scenario), scenario, seed)
        card = score_run(scenario, run.drill.events)
        [ads] = [d for d in card.decisions if d.decision == "ads-plan"]
        assert ads.option == "pause-ads" and card.plan_b is not None
        assert 0 <= card.plan_b <= 100
