"""Scoring: each dimension on hand-made runs, deductions that add up, and the score card."""

from __future__ import annotations

import json

import pytest
from conftest import run_script

from drillsim.engine.actions import ChooseOption, SendUpdate, TakeAction
from drillsim.engine.events import ActionTaken
from scoring import score_run
from scoring.card import overall_score, rating_of
from scoring.timeline import JournalMismatch

M = 60.0


def update(
    *audiences,
    facts=("down",),
    unknowns=("when-back",),
    next_in=20 * M,
    status="investigating",
    doing=(),
):
    return SendUpdate(
        tuple(audiences),
        facts=tuple(facts),
        unknowns=tuple(unknowns),
        status=status,
        next_update_in=next_in,
        doing=tuple(doing),
    )


PAGES = ("plan-b/pages",)


GOOD = [
    (1 * M, update("execs")),
    (5 * M, ChooseOption("plan-b", "pages")),
    (20 * M, update("execs", facts=("down", "cause"), doing=PAGES)),
    (30 * M, update("customers", facts=("down", "cause"), doing=PAGES)),
    (39 * M, update("execs", facts=("down", "cause"), doing=PAGES)),
    (
        40 * M,
        update(
            "execs",
            "customers",
            facts=("down", "cause"),
            unknowns=(),
            next_in=None,
            status="resolved",
        ),
    ),
]


def card_of(mini, steps, seed=1):
    return score_run(mini, run_script(mini, seed, steps).events)


def test_best_practice_scores_full_marks(mini) -> None:
    card = card_of(mini, GOOD)
    assert card.cadence == pytest.approx(100.0)
    assert card.plan_b == pytest.approx(100.0)
    assert card.restraint == pytest.approx(100.0)
    assert card.overall == pytest.approx(100.0)
    assert card.rating == "P"
    assert card.deductions == ()


def test_silence_is_information_debt_with_a_readable_reason(mini) -> None:
    card = card_of(mini, [(5 * M, ChooseOption("plan-b", "pages"))])
    execs = next(a for a in card.audiences if a.audience == "execs")
    # Owed a first word from T+15, and the word that it is over until T+55 (the outage
    # ended at T+40, closure within 15 min): 40 overdue minutes before any first word,
    # which count twice.
    assert execs.debt_minutes == pytest.approx(80.0)
    assert execs.gap == 0.0
    reasons = [d.reason for d in card.deductions if d.audience == "execs"]
    assert (
        "Executive team heard nothing from T+0:00 to T+0:55: 55 min of silence against a first update due within 15 min"
        in reasons
    )
    assert card.restraint == 100  # 40 min is within first update + longest silence (45 min)


def test_long_silence_also_costs_restraint(flagship) -> None:
    card = score_run(flagship, run_script(flagship, 2, []).events)  # seed 2: a long outage
    silent = [d.reason for d in card.deductions if d.dimension == "restraint"]
    assert (
        "Executive team had no word from the team by T+0:45, 45 min after they were affected: holding back is not the same as staying silent"
        in silent
    )


def test_a_late_first_word_costs_twice_its_overdue_minutes(mini) -> None:
    steps = [(s if s[0] != 1 * M else (20 * M, s[1])) for s in GOOD if s[0] != 20 * M]
    card = card_of(mini, steps)
    execs = next(a for a in card.audiences if a.audience == "execs")
    assert execs.debt_minutes == pytest.approx(10.0)  # T+15 to T+20, before any first word
    assert execs.gap == pytest.approx(1 - 10 / 40)  # judged until told it was over, at T+40


def test_empty_updates_are_noise_and_earn_nothing(mini) -> None:
    spam = [(t * M, SendUpdate(("execs",))) for t in range(0, 40, 3)]
    card = card_of(mini, [*spam, (5 * M, ChooseOption("plan-b", "pages"))])
    execs = next(a for a in card.audiences if a.audience == "execs")
    assert execs.credited == ()
    assert execs.noise == len(spam)
    assert execs.score < 10


def test_speculation_costs_content_and_restraint(mini) -> None:
    steps = list(GOOD)
    steps[0] = (1 * M, update("execs", facts=("down", "cause")))  # the cause is revealed at T+10
    card = card_of(mini, steps)
    assert card.cadence < 100
    assert any(
        "cited what the team had not been told (A bad deploy.)" in d.reason for d in card.deductions
    )
    assert card.restraint == pytest.approx(100 * 2.718281828 ** (-10 / 60), rel=1e-6)


def test_broken_promise_is_named(mini) -> None:
    steps = [s for s in GOOD if s[0] != 20 * M]
    card = card_of(mini, steps)
    assert any(
        d.reason
        == "Executive team were promised the next update by T+0:21 (at T+0:01) and the promise was "
        "broken (nothing by T+0:26, with the grace)"  # T+0:21 is what the board showed them
        for d in card.deductions
    )


def test_unjustified_apology_costs_about_half_of_restraint(mini) -> None:
    card = card_of(mini, [*GOOD, (2 * M, TakeAction("apology"))])
    assert card.restraint == pytest.approx(100 * 2.718281828 ** (-40 / 60), rel=1e-6)
    assert 51 <= card.restraint <= 52


def test_justified_action_costs_nothing(mini) -> None:
    card = card_of(mini, [*GOOD, (36 * M, TakeAction("apology"))])  # customers see it since T+30
    assert card.restraint == pytest.approx(100.0)


def test_premature_disclosure_to_customers(mini) -> None:
    card = card_of(mini, [*GOOD, (10 * M, update("customers"))])
    assert any(
        "Told Customers at T+0:10, before they were affected" in d.reason for d in card.deductions
    )


def test_waiting_on_plan_b_costs_regret_in_proportion(mini) -> None:
    prompt = [s for s in GOOD if not isinstance(s[1], ChooseOption)]
    now = card_of(mini, GOOD)
    later = card_of(mini, [*prompt, (12 * M, ChooseOption("plan-b", "pages"))])
    never = card_of(mini, prompt)
    assert now.plan_b == pytest.approx(100.0)
    assert never.plan_b < later.plan_b < now.plan_b
    decision = later.decisions[0]
    assert decision.best_option == "pages" and decision.best_at == 5 * M
    assert any(
        "Chose 'CMS pages' at T+0:12; choosing it at T+0:05 would have saved more" in d.reason
        for d in later.deductions
    )


def test_deductions_add_up_to_the_points_lost(mini) -> None:
    card = card_of(
        mini,
        [
            (20 * M, update("execs")),
            (2 * M, TakeAction("apology")),
            (15 * M, ChooseOption("plan-b", "pages")),
        ],
    )
    for dimension in ("cadence", "plan_b", "restraint"):
        lost = sum(d.points for d in card.deductions if d.dimension == dimension)
        assert lost == pytest.approx(100 - getattr(card, dimension), abs=1e-6), dimension


def test_card_json_has_numbers_not_strings(mini) -> None:
    data = json.loads(json.dumps(card_of(mini, GOOD).as_dict()))
    for key in ("overall", "cadence", "plan_b", "restraint"):
        assert isinstance(data[key], float)
    assert data["rating"] in "PSMU"
    assert isinstance(data["deductions"], list)
    assert set(data["luck"]) == {"unit", "expected_loss", "realised_loss", "difference"}


def test_overall_is_a_weighted_geometric_mean_floored_at_one() -> None:
    weights = {"cadence": 0.4, "plan_b": 0.3, "restraint": 0.3}
    assert overall_score(
        {"cadence": 100, "plan_b": 100, "restraint": 100}, weights
    ) == pytest.approx(100)
    assert overall_score({"cadence": 100, "plan_b": 100, "restraint": 0}, weights) == pytest.approx(
        100**0.7
    )
    assert overall_score(
        {"cadence": 64, "plan_b": None, "restraint": 100}, weights
    ) == pytest.approx((64**0.4 * 100**0.3) ** (1 / 0.7))


@pytest.mark.parametrize(
    ("score", "letter"),
    [(100, "P"), (85, "P"), (84.9, "S"), (70, "S"), (69.9, "M"), (50, "M"), (49.9, "U"), (0, "U")],
)
def test_ratings(score, letter) -> None:
    assert rating_of(score) == letter


def test_events_from_another_scenario_are_refused(mini, flagship) -> None:
    events = run_script(flagship, 1, []).events
    with pytest.raises(JournalMismatch, match="not mini"):
        score_run(mini, events)


def test_events_naming_unknown_things_are_refused(mini) -> None:
    events = list(run_script(mini, 1, GOOD).events)
    events[3] = ActionTaken(events[3].seq, events[3].t, action="launch-rocket")
    with pytest.raises(JournalMismatch, match="launch-rocket"):
        score_run(mini, events)


@pytest.mark.slow
def test_plan_b_tables_are_built_once_per_scenario_not_per_seed(flagship, monkeypatch) -> None:
    from drillsim.policies import play
    from scoring import planb

    built = []
    original = planb.build_tables
    monkeypatch.setattr(
        planb, "build_tables", lambda *args: built.append(args[1].id) or original(*args)
    )
    scenario = flagship.replace()  # a fresh scenario object: an empty cache
    for seed in range(40):
        score_run(scenario, play(scenario, "passive", seed).events)
    first = len(built)
    for seed in range(40, 120):
        score_run(scenario, play(scenario, "passive", seed).events)
    assert first <= 12  # a few information states per decision (belief x available options)
    assert len(built) == first  # 80 more seeds, no new tables


def test_a_drill_ended_early_while_the_outage_lasts_is_partial(mini) -> None:
    from drillsim.engine.clock import ManualClock
    from drillsim.engine.drill import Drill

    clock = ManualClock()
    drill = Drill(mini, 1, clock=clock)
    clock.advance(60)
    drill.end()
    card = score_run(mini, drill.events)
    assert card.partial and card.ended_at == 60.0
    assert not card_of(mini, GOOD).partial


def test_a_promise_longer_than_the_longest_silence_is_held_to_it(mini) -> None:
    honest = [(1 * M, update("execs", next_in=30 * M)), (45 * M, update("execs", next_in=30 * M))]
    inflated = [
        (1 * M, update("execs", next_in=600 * M)),
        (45 * M, update("execs", next_in=600 * M)),
    ]
    fair, gamed = card_of(mini, honest), card_of(mini, inflated)
    assert gamed.cadence <= fair.cadence


def test_an_audience_affected_too_briefly_to_be_owed_anything_is_not_judged(mini) -> None:
    # Customers are affected from T+30; the outage ends at T+40, before their first deadline.
    quiet = [
        s for s in GOOD if not (isinstance(s[1], SendUpdate) and "customers" in s[1].audiences)
    ]
    card = card_of(mini, quiet)
    assert "customers" not in [a.audience for a in card.audiences]


def test_telling_people_early_and_often_never_brings_the_next_update_due_sooner(flagship) -> None:
    later = [(55 * M, update("support", facts=("forms-down",), unknowns=(), next_in=25 * M))]
    one = card_of(
        flagship,
        [(1 * M, update("support", facts=("send-halted",), unknowns=(), next_in=None)), *later],
        seed=2,
    )
    two = card_of(
        flagship,
        [
            (1 * M, update("support", facts=("send-halted",), unknowns=(), next_in=None)),
            (
                4 * M,
                update("support", facts=("send-halted", "forms-down"), unknowns=(), next_in=None),
            ),
            *later,
        ],
        seed=2,
    )
    first, second = (
        next(a for a in card.audiences if a.audience == "support") for card in (one, two)
    )
    assert second.debt_minutes <= first.debt_minutes


def test_the_per_scenario_memo_lets_go_of_a_scenario(flagship) -> None:
    import gc

    from drillsim.policies import play
    from scoring import memo

    scenario = flagship.replace()
    score_run(scenario, play(scenario, "passive", 1).events)
    key = id(scenario)
    assert key in memo._MEMOS
    del scenario
    gc.collect()
    assert key not in memo._MEMOS


def test_plan_b_expected_losses_match_a_monte_carlo_estimate(flagship) -> None:
    """The DP's closed-form expectations agree with simulating outages from the belief."""
    import numpy as np

    from scoring.planb import build_tables

    decision = flagship.decision("forms-plan")
    available = frozenset(o.id for o in decision.options)
    tables = build_tables(flagship, decision, 600.0, flagship.belief, available)
    rng = np.random.default_rng(1)
    minutes = rng.lognormal(np.log(75.0), 1.1, 400_000)
    alive = minutes[minutes > 10.0]  # the team knows the outage is still on at T+10
    rate = flagship.impact.streams["forms"]
    for option in decision.options:
        ready = 10.0 + float(option.setup) / 60.0
        lost = rate * (np.minimum(alive, ready) - 10.0) + rate * (
            1 - option.effectiveness
        ) * np.maximum(0.0, alive - ready)
        expected = lost.mean() + option.cost + sum(r.probability * r.cost for r in option.risks)
        assert tables.commit[0][option.id] == pytest.approx(expected, rel=0.02), option.id


def test_answering_a_question_is_never_noise(flagship) -> None:
    # Told at T+1:20, the VP of Sales asks for a time at T+1:25 (seed 0: the outage is still
    # on); an answer at T+1:26 with nothing new, sooner than the 10-minute minimum interval,
    # is credited all the same.
    same = update("sales", facts=("send-halted",), unknowns=("when-back",), next_in=20 * M)
    card = card_of(flagship, [(80 * M, same), (86 * M, same)], seed=0)
    sales = next(a for a in card.audiences if a.audience == "sales")
    assert sales.credited == (80 * M, 86 * M) and sales.noise == 0
    again = card_of(flagship, [(80 * M, same), (86 * M, same), (88 * M, same)], seed=0)
    assert next(a for a in again.audiences if a.audience == "sales").noise == 1


def test_a_rating_is_at_most_one_step_above_the_weakest_dimension() -> None:
    from scoring.card import rating_of

    assert rating_of(89.7) == "P"
    assert rating_of(89.7, weakest=60.0) == "S"  # plan B ignored: some challenges at best
    assert rating_of(89.7, weakest=30.0) == "M"  # a dimension failed outright
    assert rating_of(72.0, weakest=30.0) == "M"
    assert rating_of(40.0, weakest=95.0) == "U"  # never better than the overall itself


def test_a_decision_opening_before_its_options_is_judged_once_they_are_there(mini) -> None:
    """Fix 11: stakes are taken when the team first has a real choice, not at opening."""
    from drillsim.scenario.conditions import FactRevealed
    from drillsim.scenario.model import Option

    decision = mini.decisions[0]
    ruin = Option(
        id="ruin",
        label="Rebuild everything",
        setup=60.0,
        cost=5000.0,
        effectiveness=0.1,
        requires=FactRevealed(fact="cause"),  # revealed at T+10, after the decision opens
    )
    options = tuple(
        o.replace(requires=FactRevealed(fact="cause")) if o.id == "pages" else o
        for o in decision.options
    )
    scenario = mini.replace(decisions=(decision.replace(options=(*options, ruin)),))
    card = card_of(scenario, [(11 * M, ChooseOption("plan-b", "ruin"))])
    assert card.plan_b is not None and card.plan_b < 50
    [detail] = card.decisions
    assert detail.stakes > 0
    # With only the ruinous option on offer, the better move was to wait, and the debrief
    # says so (never "acting sooner").
    waiting_only = mini.replace(
        decisions=(decision.replace(options=(*(o for o in options if o.id != "pages"), ruin)),)
    )
    card = card_of(waiting_only, [(11 * M, ChooseOption("plan-b", "ruin"))])
    reasons = [d.reason for d in card.deductions if d.dimension == "plan_b"]
    assert any("waiting had a lower expected loss" in reason for reason in reasons), reasons


def test_a_promise_kept_at_the_last_millisecond_of_its_grace_is_kept(mini) -> None:
    """Due times are on the millisecond grid: 0.035 + 20 min + 5 min grace is T+1500.035."""
    steps = [
        (0.035, update("execs")),
        (1500.035, update("execs", facts=("down", "cause"), next_in=None)),
    ]
    execs = next(a for a in card_of(mini, steps).audiences if a.audience == "execs")
    assert execs.promises_made >= 1 and execs.promises_kept == execs.promises_made


def test_an_empty_update_to_an_audience_owed_nothing_does_not_lift_cadence(flagship) -> None:
    """Found by the property test (seed 1031, random bot, 14-minute outage): an empty update to
    prospects, affected too briefly to be owed a first word, made them a judged audience whose
    score sat above the average, so noise raised cadence from 21.3 to 24.4."""
    from conftest import record

    _, steps = record(flagship, "random", 1031)
    base = score_run(flagship, run_script(flagship, 1031, steps).events)
    more = score_run(
        flagship, run_script(flagship, 1031, [*steps, (0.0, SendUpdate(("prospects",)))]).events
    )
    assert base.true_duration < 15 * M  # prospects' first word was never owed
    assert more.cadence <= base.cadence + 1e-9
    assert "prospects" not in {a.audience for a in more.audiences}
