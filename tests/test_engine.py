"""The drill engine: time, injects, decisions, expectations, actions, facilitator controls."""

from __future__ import annotations

import pytest

from drillsim.engine import events as ev
from drillsim.engine.actions import ActionRejected, AddNote, ChooseOption, SendUpdate, TakeAction
from drillsim.engine.clock import ExerciseClock, ManualClock
from drillsim.engine.drill import Drill
from drillsim.limits import MAX_SPEED, MIN_SPEED


def kinds(events) -> list[str]:
    return [event.kind for event in events]


def delivered(drill: Drill) -> list[tuple[float, str]]:
    return [(e.t, e.inject) for e in drill.events if e.kind == ev.INJECT_DELIVERED]


def test_start_records_seed_truth_and_variables(mini) -> None:
    drill = Drill(mini, seed=3)
    started = drill.events[0]
    assert started.kind == ev.DRILL_STARTED
    assert started.seed == 3
    assert started.truth.duration == 2400.0
    assert started.variables == {"company": "Acme"}
    assert delivered(drill) == [(0.0, "alert")]


def test_injects_arrive_at_their_time_and_reveal_facts(mini) -> None:
    drill = Drill(mini, seed=1)
    drill.advance_to(599)
    assert "cause" not in drill.revealed
    drill.advance_to(600)
    assert delivered(drill)[-1] == (600.0, "cause")
    assert drill.revealed == {"down": 0.0, "cause": 600.0}


def test_contingency_inject_fires_at_the_instant_the_expectation_fails(mini) -> None:
    drill = Drill(mini, seed=1)
    drill.advance_to(3000)
    failed = [e for e in drill.events if e.kind == ev.EXPECTATION_FAILED]
    assert [(e.t, e.expectation) for e in failed] == [(900.0, "execs-first")]
    assert (900.0, "nag") in delivered(drill)


def test_update_in_time_meets_the_expectation_and_prevents_the_contingency(mini) -> None:
    drill = Drill(mini, seed=1)
    drill.advance_to(300)
    drill.act(SendUpdate(("execs",), facts=("down",), next_update_in=1200))
    drill.advance_to(3000)
    met = [e for e in drill.events if e.kind == ev.EXPECTATION_MET]
    assert [(e.t, e.expectation) for e in met] == [(300.0, "execs-first")]
    assert "nag" not in drill.delivered


def test_decision_opens_and_defaults_on_timeout(mini) -> None:
    drill = Drill(mini, seed=1)
    drill.advance_to(300)
    assert [state.decision.id for state in drill.open_decisions()] == ["plan-b"]
    drill.advance_to(1500)
    closed = [e for e in drill.events if e.kind == ev.DECISION_CLOSED]
    assert [(e.t, e.option, e.reason) for e in closed] == [(1500.0, "wait", "default")]
    assert drill.open_decisions() == []


def test_chosen_option_takes_effect_after_setup_and_slows_the_impact(mini) -> None:
    waiting, acting = Drill(mini, seed=1), Drill(mini, seed=1)
    acting.advance_to(300)
    acting.act(ChooseOption("plan-b", "pages"))
    acting.advance_to(3600)
    waiting.advance_to(3600)
    effective = [e for e in acting.events if e.kind == ev.PLAN_B_EFFECTIVE]
    assert [e.t for e in effective] == [900.0]
    # 5 leads/min for 40 min, minus 80% of the 25 minutes after T+15.
    assert waiting.impact(3600) == pytest.approx(200.0)
    assert acting.impact(3600) == pytest.approx(200.0 - 0.8 * 5 * 25)
    assert acting.impact_rate(1000) == pytest.approx(1.0)
    assert acting.impact_rate(2500) == 0.0


def test_resolution_delivers_the_resolving_inject_and_makes_open_decisions_moot(mini) -> None:
    from drillsim.scenario.model import Fixed

    scenario = mini.replace(truth=mini.truth.replace(duration=Fixed(fixed=600.0)))
    drill = Drill(scenario, seed=1)
    drill.advance_to(700)
    assert (600.0, "fixed") in delivered(drill)
    closed = [e for e in drill.events if e.kind == ev.DECISION_CLOSED]
    assert [(e.decision, e.option, e.reason) for e in closed] == [("plan-b", None, "moot")]
    assert not drill.incident_open


def test_drill_ends_at_its_length(mini) -> None:
    drill = Drill(mini, seed=1)
    drill.advance_to(10_000)
    assert drill.ended
    assert drill.events[-1].kind == ev.DRILL_ENDED
    assert drill.events[-1].t == 3600.0
    assert drill.events[-1].reason == "time"
    with pytest.raises(ActionRejected, match="ended"):
        drill.act(AddNote("too late"))


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (SendUpdate(()), "pick at least one audience"),
        (SendUpdate(("board",)), "no audience 'board'"),
        (SendUpdate(("execs",), facts=("rumour",)), "no fact 'rumour'"),
        (SendUpdate(("execs", "execs")), "listed twice"),
        (SendUpdate(("execs",), next_update_in=0), "in the future"),
        (ChooseOption("plan-b", "pages"), "is not open"),
        (ChooseOption("nope", "x"), "is not open"),
        (TakeAction("launch-rocket"), "no action 'launch-rocket'"),
        # What the journal cannot record back is refused, never written (issue 10, fix 9).
        (SendUpdate(("execs",), status="on fire"), "status 'on fire' is not one of"),
        (SendUpdate(("execs",), next_update_in=float("inf")), "in the future, within the drill"),
        (SendUpdate(("execs",), next_update_in=float("nan")), "in the future, within the drill"),
        (SendUpdate(("execs",), eta="yes"), "eta is true, false or vendor"),  # type: ignore[arg-type]
        (SendUpdate(("execs",), eta="vendor"), "no fact in this scenario is a vendor's"),
        (SendUpdate(("execs",), text="half a \ud800 pair"), "lone surrogate"),
        (AddNote("half a \ud800 pair"), "lone surrogate"),
    ],
)
def test_bad_actions_are_rejected_and_leave_no_trace(mini, action, message) -> None:
    drill = Drill(mini, seed=1)
    before = list(drill.events)
    with pytest.raises(ActionRejected, match=message):
        drill.act(action)
    assert drill.events == before


def test_unknown_option_and_unmet_prerequisite_are_rejected(flagship) -> None:
    drill = Drill(flagship, seed=1)
    drill.advance_to(15 * 60)
    with pytest.raises(ActionRejected, match="has no option 'teleport'"):
        drill.act(ChooseOption("send-plan", "teleport"))
    with pytest.raises(ActionRejected, match="Needs a clean list export"):
        drill.act(ChooseOption("send-plan", "backup-esp"))
    drill.advance_to(18 * 60)
    drill.act(ChooseOption("send-plan", "backup-esp"))
    assert drill.decisions["send-plan"].option == "backup-esp"


def test_catalogue_action_and_note_are_recorded(mini) -> None:
    drill = Drill(mini, seed=1)
    drill.advance_to(60)
    drill.act(TakeAction("apology"))
    drill.act(AddNote("Team argued about the apology"))
    assert kinds(drill.events)[-2:] == [ev.ACTION_TAKEN, ev.NOTE_ADDED]
    assert drill.actions_taken == {"apology": [60.0]}


def test_inject_text_is_rendered_with_the_run_variables(flagship) -> None:
    drill = Drill(flagship, seed=5)
    alert = next(e for e in drill.events if e.kind == ev.INJECT_DELIVERED)
    platform = drill.variables["platform"]
    assert alert.text.startswith(f"{platform} API is returning 503 errors")
    assert "{" not in alert.text


def test_variables_depend_on_the_seed_only(flagship) -> None:
    assert Drill(flagship, seed=9).variables == Drill(flagship, seed=9).variables
    names = {Drill(flagship, seed=seed).variables["vp_sales"] for seed in range(10)}
    assert len(names) > 5


@pytest.mark.parametrize("told_at", [None, 0.0, 40.0, 299.0])
def test_the_vp_of_sales_asks_only_if_sales_has_heard_nothing_by_t5(flagship, told_at) -> None:
    """The flagship's story: a team that told sales at once (T+0 included) is not asked
    "Is something wrong?" five minutes later."""
    drill = Drill(flagship, seed=1)
    if told_at is not None:
        drill.advance_to(told_at)
        drill.act(SendUpdate(("sales",), facts=("send-halted",)))
    drill.advance_to(10 * 60)
    asked = [
        e.t for e in drill.events if e.kind == ev.INJECT_DELIVERED and e.inject == "vp-sales-asks"
    ]
    assert asked == ([300.0] if told_at is None else [])


def test_belief_switches_when_an_inject_says_so(flagship) -> None:
    drill = Drill(flagship, seed=2)  # seed 2 runs long enough
    drill.advance_to(31 * 60)
    assert drill.true_duration > 31 * 60
    assert float(drill.belief.median) == 3600.0
    event = next(e for e in drill.events if getattr(e, "inject", None) == "vendor-identified")
    assert event.belief == ev.Belief(median=3600.0, sigma=0.5)


# ------------------------------------------------------------ the clocked drill
def clocked(scenario, speed: float = 1.0) -> tuple[Drill, ManualClock]:
    clock = ManualClock()
    return Drill(scenario, seed=1, clock=clock, speed=speed), clock


def test_poll_returns_each_event_once(mini) -> None:
    drill, clock = clocked(mini)
    first = drill.poll()
    assert kinds(first) == [ev.DRILL_STARTED, ev.INJECT_DELIVERED, ev.AUDIENCE_AFFECTED]
    assert first[-1].audience == "execs"
    assert drill.poll() == []
    clock.advance(300)
    assert kinds(drill.poll()) == [ev.DECISION_OPENED]
    assert drill.poll() == []


def test_speed_multiplies_exercise_time(mini) -> None:
    drill, clock = clocked(mini, speed=10)
    clock.advance(60)
    drill.poll()
    assert drill.now == 600.0
    assert (600.0, "cause") in delivered(drill)


def test_pause_freezes_exercise_time(mini) -> None:
    drill, clock = clocked(mini)
    clock.advance(100)
    drill.pause()
    clock.advance(5000)
    drill.poll()
    assert drill.now == 100.0
    assert drill.paused
    drill.resume()
    clock.advance(50)
    drill.poll()
    assert drill.now == 150.0
    assert kinds(drill.events).count(ev.PAUSED) == 1


def test_speed_change_keeps_time_already_elapsed(mini) -> None:
    drill, clock = clocked(mini)
    clock.advance(100)
    assert drill.set_speed(4) == 4
    clock.advance(10)
    drill.poll()
    assert drill.now == 140.0
    assert drill.set_speed(MAX_SPEED) == MAX_SPEED
    for wrong in (MAX_SPEED * 2, MIN_SPEED / 2):
        with pytest.raises(ActionRejected, match="outside"):
            drill.set_speed(wrong)
    assert drill.speed == MAX_SPEED


def test_skip_jumps_to_the_next_thing_the_team_sees(mini) -> None:
    drill, clock = clocked(mini)
    drill.poll()
    assert drill.skip() == 300.0  # the plan-B decision opens
    assert drill.skip() == 600.0  # the vendor names the cause
    drill.poll()
    assert drill.now == 600.0
    clock.advance(1)
    drill.poll()
    assert drill.now == 601.0


def test_facilitator_controls_need_a_clock(mini) -> None:
    drill = Drill(mini, seed=1)
    with pytest.raises(ActionRejected, match="headless"):
        drill.pause()


def test_end_by_facilitator(mini) -> None:
    drill, clock = clocked(mini)
    clock.advance(120)
    drill.end()
    assert drill.events[-1].kind == ev.DRILL_ENDED
    assert drill.events[-1].reason == "facilitator"
    assert drill.events[-1].t == 120.0


def test_exercise_clock_arithmetic() -> None:
    wall = ManualClock(1000.0)
    clock = ExerciseClock(wall, speed=2)
    wall.advance(10)
    assert clock.elapsed() == 20
    clock.pause()
    wall.advance(100)
    assert clock.elapsed() == 20
    clock.resume()
    clock.set_speed(0.5)
    wall.advance(10)
    assert clock.elapsed() == 25
    clock.jump_to(100)
    assert clock.elapsed() == 100
    clock.jump_to(50)
    assert clock.elapsed() == 100
    with pytest.raises(ValueError):
        clock.set_speed(0)


def test_an_instant_just_past_a_poll_is_not_skipped(mini) -> None:
    drill = Drill(mini, seed=1)
    drill.advance_to(599.9996)  # a clock reading a hair before the inject is due
    drill.advance_to(700)
    assert (600.0, "cause") in delivered(drill)


def test_decision_due_after_the_outage_ended_never_opens(mini) -> None:
    from drillsim.scenario.model import Fixed

    scenario = mini.replace(truth=mini.truth.replace(duration=Fixed(fixed=120.0)))
    drill = Drill(scenario, seed=1)
    drill.advance_to(3600)
    assert drill.ended
    assert not any(e.kind == ev.DECISION_OPENED for e in drill.events)
    assert drill.decisions["plan-b"].reason == "moot"


def test_an_empty_update_answers_nobody(mini) -> None:
    drill = Drill(mini, seed=1)
    drill.advance_to(300)
    drill.act(SendUpdate(("execs",)))
    drill.advance_to(1000)
    assert drill.expectations["execs-first"].status == "failed"
    assert "nag" in drill.delivered


def test_a_plan_b_ready_after_the_outage_ended_is_not_announced(mini) -> None:
    from drillsim.scenario.model import Fixed

    scenario = mini.replace(truth=mini.truth.replace(duration=Fixed(fixed=700.0)))
    drill = Drill(scenario, seed=1)
    drill.advance_to(300)
    drill.act(ChooseOption("plan-b", "pages"))  # ready at T+15, the outage ends at T+11:40
    drill.advance_to(3600)
    assert not any(e.kind == ev.PLAN_B_EFFECTIVE for e in drill.events)


def test_skipping_never_ends_the_drill(mini) -> None:
    drill, _ = clocked(mini)
    for _ in range(20):
        drill.skip()
    assert not drill.ended
    assert drill.now == 3540.0  # a minute before the end: closing the loop stays possible
    assert drill.events[-1].kind == ev.SKIPPED


def test_skipping_goes_however_far_and_stops_before_a_promise(mini) -> None:
    drill, _ = clocked(mini)
    drill.act(SendUpdate(("execs",), facts=("down",), next_update_in=12 * 60))
    assert drill.skip() == 300.0  # the plan-B decision opens at T+5
    assert drill.skip() == 600.0  # the vendor names the cause at T+10
    assert drill.skip() == 660.0  # a minute before the promised update at T+12
    drill.act(SendUpdate(("execs",), facts=("down",)))
    assert drill.skip() == 1500.0  # the plan-B default is taken at T+25
    assert drill.skip() == 1800.0  # customers are affected from T+30
    assert drill.skip() == 2400.0  # the outage ends at T+40
    drill.act(SendUpdate(("execs",), facts=("down",), next_update_in=15 * 60))
    assert drill.skip() == 3240.0  # nothing happens until the promise at T+55, kept
    drill.act(SendUpdate(("execs",), facts=("down",)))
    assert drill.skip() == 3540.0  # then nothing at all, and never into the end
    assert drill.skip() == 3540.0


def test_skipping_stops_a_minute_before_an_update_falls_due(mini) -> None:
    """The board's due times (passed in: the engine cannot import scoring.due) stop a skip
    as a promise does; one already past, or within the minute, does not hold it back."""
    drill, _ = clocked(mini)
    assert drill.skip(due_times=[240.0]) == 180.0  # a minute before T+4
    assert drill.skip(due_times=[240.0]) == 300.0  # due within the minute: on to T+5
    assert drill.skip(due_times=[100.0, 9 * 60.0]) == 480.0  # the one ahead, not the one past
    assert drill.skip(due_times=[9 * 60.0]) == 600.0
    assert [e.to for e in drill.events if e.kind == ev.SKIPPED] == [180.0, 300.0, 480.0, 600.0]


def test_a_promise_must_be_one_the_audience_can_be_held_to(mini) -> None:
    drill = Drill(mini, seed=1)
    for minutes in (5, 31):  # execs: at least 10 min apart, never silent over 30
        with pytest.raises(ActionRejected, match="promise the next update in 10 to 30 min"):
            drill.act(SendUpdate(("execs",), facts=("down",), next_update_in=minutes * 60))
    drill.act(SendUpdate(("execs",), facts=("down",), next_update_in=30 * 60))
    assert drill.promised["execs"] == 1800.0


def test_an_empty_update_breaks_nobodys_silence(mini) -> None:
    drill = Drill(mini, seed=1)
    drill.advance_to(600)
    drill.act(SendUpdate(("execs",)))
    assert drill.last_update("execs") is None
    drill.act(SendUpdate(("execs",), facts=("down",)))
    assert drill.last_update("execs") == 600.0


@pytest.mark.slow
def test_names_drawn_in_the_helper_process_match_the_seed(flagship, monkeypatch) -> None:
    from drillsim.engine import draws
    from drillsim.engine.draws import draw_variables, draw_variables_apart

    here = draw_variables(flagship, 11)
    drawn_in_the_drill = Drill(flagship, 11).events

    def no_faker_here(*_: object) -> list[str]:
        raise AssertionError("the names came from this process, not from the helper")

    monkeypatch.setattr(draws, "fake_values", no_faker_here)
    assert draw_variables_apart(flagship, 11) == here
    assert Drill(flagship, 11, variables=here).events == drawn_in_the_drill


def test_a_scenario_without_faker_names_lets_the_helper_go_at_once(mini) -> None:
    from drillsim.engine.draws import DrawApart, draw_variables
    from drillsim.scenario.model import FakerVariable

    assert not any(isinstance(v, FakerVariable) for v in mini.variables.values())
    names = DrawApart()
    names.draw(mini, 4)
    assert names.ready()
    assert names.result() == draw_variables(mini, 4)


def test_wall_time_at_follows_speed_and_pauses(mini) -> None:
    drill, clock = clocked(mini, speed=4)
    assert drill.wall_time_at(400) == 100.0
    clock.advance(50)
    drill.pause()
    clock.advance(30)
    drill.resume()
    assert drill.wall_time_at(400) == 130.0


def test_an_update_can_say_what_the_team_is_doing_once_it_does_it(mini) -> None:
    drill = Drill(mini, seed=1)
    with pytest.raises(ActionRejected, match="not something the team is doing"):
        drill.act(SendUpdate(("execs",), facts=("down",), doing=("plan-b/pages",)))
    drill.advance_to(300)
    drill.act(ChooseOption("plan-b", "pages"))
    drill.act(TakeAction("apology"))
    assert drill.doing_refs() == ("plan-b/pages", "apology")
    event = drill.act(SendUpdate(("execs",), facts=("down",), doing=("plan-b/pages", "apology")))
    assert event.doing == ("plan-b/pages", "apology")


def _with_injects(write, *injects: str):
    """The mini scenario with extra injects (YAML list items, indented for the list)."""
    from conftest import MINIMAL

    from drillsim.scenario.loader import load_scenario

    extra = "".join(f"  - {inject}\n" for inject in injects)
    text = MINIMAL.replace("expectations:\n", extra + "expectations:\n", 1)
    return load_scenario(write(text))[0]


def test_a_condition_found_false_is_judged_again_when_an_update_makes_it_hold(write) -> None:
    """The engine remembers conditions it found false; an update lifting a silence under
    `not` must still fire the inject at that instant."""
    scenario = _with_injects(
        write,
        "{id: heard, channel: chat, from: CEO, text: Thanks., when: {all: [{after: 20m}, "
        "{not: {silent: {audience: execs, for: 10m}}}]}}",
    )
    drill = Drill(scenario, seed=1)
    drill.advance_to(1500)  # silent since T+0: the condition is false from T+20
    assert "heard" not in drill.delivered
    drill.act(SendUpdate(("execs",), facts=("down",)))
    assert drill.delivered["heard"] == 1500.0


def test_a_condition_found_false_is_judged_again_when_its_clock_time_comes(write) -> None:
    scenario = _with_injects(
        write,
        "{id: late, channel: chat, from: CEO, text: Still?, when: {all: [{fact: cause}, "
        "{silent: {audience: execs, for: 20m}}]}}",
    )
    drill = Drill(scenario, seed=1)
    drill.advance_to(700)
    drill.act(SendUpdate(("execs",), facts=("down",)))  # the silence restarts at T+11:40
    drill.advance_to(1899)
    assert "late" not in drill.delivered
    drill.advance_to(2400)
    assert drill.delivered["late"] == 1900.0


@pytest.mark.slow
def test_the_plan_cache_lets_go_of_a_scenario(flagship) -> None:
    import gc

    from drillsim.engine import plan as engine

    scenario = flagship.replace()
    Drill(scenario, 1)
    key = id(scenario)
    assert key in engine._PLANS
    del scenario
    gc.collect()
    assert key not in engine._PLANS


def test_pausing_or_changing_speed_after_the_clock_ran_out_writes_nothing_after_the_end(
    mini,
) -> None:
    for act in (lambda drill: drill.pause(), lambda drill: drill.set_speed(8.0)):
        drill, clock = clocked(mini)
        clock.advance(drill.length / drill.speed + 10)
        act(drill)
        assert drill.ended and drill.events[-1].kind == ev.DRILL_ENDED


def test_the_agenda_gives_the_soonest_time_of_what_is_still_due() -> None:
    from drillsim.engine.agenda import Agenda

    agenda = Agenda()
    assert agenda.first() == float("inf")
    agenda.set(("closes", "a"), 300.0)
    agenda.set(("expectation", "b"), 120.0)
    agenda.set(("delivers", "c"), 600.0)
    assert agenda.first() == 120.0
    agenda.set(("expectation", "b"), 900.0)  # moved: its old time no longer counts
    assert agenda.first() == 300.0
    agenda.drop(("closes", "a"))
    assert agenda.first() == 600.0
    assert agenda.take_due(600.0) == [("delivers", "c")]
    assert agenda.take_due(600.0) == []
    assert agenda.first() == 900.0
    for step in range(200):  # many moves keep one live time per key
        agenda.set(("expectation", "b"), 1000.0 + step)
    assert agenda.take_due(2000.0) == [("expectation", "b")]
    assert agenda.first() == float("inf")


def test_pause_on_decision_stops_the_clock_at_the_instant_it_opens_and_replays(flagship) -> None:
    from drillsim.replay import first_difference

    wall = ManualClock()
    drill = Drill(flagship, 3, clock=wall, speed=4, variables={}, pause_on_decision=True)
    opens = flagship.decision("ads-plan").at
    wall.advance((float(opens) + 170) / 4)  # well past the opening, as a late tick would be
    drill.poll()
    assert drill.paused and drill.now == float(opens)
    held = [e for e in drill.events if e.kind in (ev.DECISION_OPENED, ev.PAUSED)]
    assert [(e.kind, e.t) for e in held] == [
        (ev.DECISION_OPENED, float(opens)),
        (ev.PAUSED, float(opens)),
    ]
    wall.advance(600)
    drill.poll()
    assert drill.now == float(opens)  # nothing runs while held
    drill.resume()
    wall.advance(60)
    drill.poll()
    assert drill.now == float(opens) + 240 and not drill.paused
    drill.pause()
    assert [e.kind for e in drill.events].count(ev.PAUSED) == 2  # a hand pause, once
    drill.resume()
    drill.end()
    lines = list(range(2, len(drill.events) + 2))
    assert first_difference(flagship, drill.events, lines, finished=True) is None


def test_without_pause_on_decision_the_clock_runs_through_an_opening(flagship) -> None:
    wall = ManualClock()
    drill = Drill(flagship, 3, clock=wall, speed=4, variables={})
    wall.advance(float(flagship.decision("ads-plan").at) / 4 + 10)
    drill.poll()
    assert not drill.paused and drill.now == float(flagship.decision("ads-plan").at) + 40
