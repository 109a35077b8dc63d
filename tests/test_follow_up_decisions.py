"""Follow-up decisions: a decision that opens on a condition (docs/format.md) opens the moment
it first holds, is weighed on what earlier plan Bs left of its stream, is answered by an
actions file with ``after: DECISION``, and, when it never arises, is not judged."""

from __future__ import annotations

import textwrap

import msgspec
import pytest
from conftest import run_script

from drillsim.aar import not_arisen
from drillsim.durations import Duration
from drillsim.engine.actions import ChooseOption
from drillsim.engine.drill import Drill
from drillsim.engine.events import DecisionClosed, DecisionOpened
from drillsim.engine.view import player_view
from drillsim.scenario.conditions import AllOf, Chosen, IncidentOpenFor, OptionRef
from drillsim.scenario.model import Fixed
from drillsim.script import play_script, read_script
from scoring import score_run
from scoring.planb import stream_share
from scoring.timeline import build

M = 60.0


@pytest.fixture(scope="module")
def revisited(mini):
    """The mini scenario with a follow-up to its plan B: once CMS pages (80% of the forms
    stream) are chosen and the outage has lasted 20 minutes, revisit them."""
    first = mini.decisions[0]
    revisit = first.replace(
        id="revisit",
        prompt="The CMS pages only catch part of it. Go further?",
        at=None,
        when=AllOf(
            all=(
                Chosen(chosen=OptionRef(decision="plan-b", option="pages")),
                IncidentOpenFor(incident_open_for=Duration(20 * M)),
            )
        ),
        options=(
            first.options[0],
            first.options[1].replace(id="rebuild", label="Rebuild the forms", effectiveness=0.5),
        ),
    )
    return mini.replace(decisions=(first, revisit))


def test_it_opens_the_moment_its_condition_first_holds_and_weighs_what_is_left(revisited):
    drill = run_script(revisited, 0, [(6 * M, ChooseOption("plan-b", "pages"))])
    state = drill.decisions["revisit"]
    assert state.opened_at == 20 * M  # not the next poll: nothing else happens at T+20
    assert drill.stream_share(state) == pytest.approx(0.2)
    timeline = build(revisited, drill.events)
    assert stream_share(timeline, revisited.decision("revisit"), 20 * M) == pytest.approx(0.2)
    card = score_run(revisited, drill.events)
    assert [d.decision for d in card.decisions] == ["plan-b", "revisit"]
    assert card.not_arisen == ()


def test_the_players_see_the_loss_left_on_the_stream_it_revisits(revisited):
    drill = Drill(revisited, 0)
    drill.advance_to(6 * M)
    drill.act(ChooseOption("plan-b", "pages"))
    drill.advance_to(20 * M)
    drill_view = player_view(drill)
    [revisit] = [d for d in drill_view.decisions if d.id == "revisit"]
    assert revisit.loss_per_minute == pytest.approx(5 * 0.2)


def test_a_follow_up_that_never_arises_is_not_judged_and_said_so(revisited):
    drill = run_script(revisited, 0, [])  # the team waits: pages are never chosen
    card = score_run(revisited, drill.events)
    assert [d.decision for d in card.decisions] == ["plan-b"]
    assert card.not_arisen == ("revisit",)
    assert card.as_dict()["decisions_not_arisen"] == ["revisit"]
    assert all(d.decision != "revisit" for d in card.deductions)
    [item] = not_arisen(card, revisited, str)
    assert (item.decision, item.prompt) == (
        "revisit",
        "The CMS pages only catch part of it. Go further?",
    )
    assert item.words == (
        "did not arise (its condition did not hold while the outage was on); not judged"
    )


def test_an_actions_file_answers_it_after_it_opens(revisited, tmp_path):
    path = tmp_path / "team.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            - {at: 6m, choose_option: {decision: plan-b, option: pages}}
            - {after: revisit, wait: 1m, choose_option: {decision: revisit, option: rebuild}}
            """
        ),
        encoding="utf-8",
    )
    run = play_script(read_script(path, revisited), revisited, 0)
    state = run.drill.decisions["revisit"]
    assert (state.option, state.reason, state.closed_at) == ("rebuild", "chosen", 21 * M)
    assert run.skipped == []


def test_preview_weighs_it_on_what_the_choice_it_follows_leaves(revisited):
    from drillsim.authoring.outlook import outlooks

    found = {outlook.decision.id: outlook for outlook in outlooks(revisited)}
    assert found["plan-b"].share == 1.0
    assert found["revisit"].share == pytest.approx(0.2)
    assert found["revisit"].opens == 20 * M


def test_the_report_says_a_follow_up_did_not_arise(tmp_path, monkeypatch, capsys) -> None:
    """black-friday-checkout-down, seed 1: the outage ends before the PSP's fix can slip, so
    the checkout follow-up never opens; the report says so and judges it nowhere."""
    import json
    import re
    from pathlib import Path

    import yaml
    from conftest import ROOT

    from drillsim import aar
    from drillsim.cli import main
    from drillsim.recorded import open_run

    monkeypatch.setenv("DRILLSIM_HOME", str(tmp_path / "home"))
    golden = ROOT / "scenarios" / "golden" / "black-friday-checkout-down.yaml"
    actions = tmp_path / "textbook.yaml"
    actions.write_text(yaml.safe_dump(yaml.safe_load(golden.read_text())[0]["actions"]))
    scenario = ROOT / "scenarios" / "black-friday-checkout-down.yaml"
    code = main(["run", str(scenario), "--actions", str(actions), "--seed", "1", "--save"])
    assert code == 0
    journal = Path(re.search(r"saved (\S+\.jsonl)", capsys.readouterr().err).group(1))
    report = aar.report_of(open_run(journal))
    assert "checkout-revisit" not in {d.decision for d in report.card.decisions}
    assert (
        "- Decision checkout-revisit: did not arise (its condition did not hold while the "
        "outage was on); not judged." in aar.to_markdown(report)
    )
    [entry] = json.loads(aar.to_json(report))["decisions_not_arisen"]
    assert entry["decision"] == "checkout-revisit" and "fix has slipped" in entry["prompt"]


@pytest.mark.parametrize("policy", ["oracle", "diligent"])
def test_the_oracle_and_the_diligent_team_answer_a_follow_up(policy) -> None:
    """black-friday-checkout-down, seed 0: the PSP's fix slips at T+70 with the outage still
    on; both bots switch on the backup acquirer in that follow-up, and lose nothing on it."""
    from conftest import ROOT

    from drillsim.policies import play
    from drillsim.scenario.loader import load_scenario

    scenario = load_scenario(ROOT / "scenarios" / "black-friday-checkout-down.yaml")[0]
    drill = play(scenario, policy, 0)
    state = drill.decisions["checkout-revisit"]
    assert state.opened_at == 70 * M
    assert (state.option, state.reason) == ("backup-acquirer", "chosen")
    card = score_run(scenario, drill.events)
    [judged] = [d for d in card.decisions if d.decision == "checkout-revisit"]
    assert judged.regret <= 0.01 * judged.stakes


def test_preview_assumes_the_choice_a_follow_up_requires_on_a_conditional_stream() -> None:
    """cdp-wrong-segment's journey-resume opens only once the journey is paused, and its
    stream (trials) loses only while it is: the outlook weighs it with the pause made."""
    from conftest import ROOT

    from drillsim.authoring.outlook import outlooks
    from drillsim.scenario.loader import load_scenario

    scenario = load_scenario(ROOT / "scenarios" / "cdp-wrong-segment.yaml")[0]
    found = {outlook.decision.id: outlook for outlook in outlooks(scenario)}
    opening = found["journey-resume"].moments[0]
    assert opening.losses["keep-paused"] > opening.losses["resume-journey"] > 0
    assert opening.best == "resume-journey"


def test_a_follow_up_opening_as_the_drill_ends_did_not_arise(revisited, tmp_path):
    """A follow-up whose condition first holds at the very moment play ends (the outage
    outlasting the drill's hour) gives the team no moment to decide. The engine no longer
    opens it; a journal recorded before it did (opened and closed at T+1:00) rescores the
    same: it did not arise, is not judged, and its stakes cannot dilute the regret of a
    decision the team did face (such a journal once scored plan B 88.2 instead of 87.0)."""
    late = revisited.replace(
        truth=revisited.truth.replace(duration=Fixed(fixed=Duration(90 * M))),
        decisions=(
            revisited.decisions[0],
            revisited.decisions[1].replace(
                when=IncidentOpenFor(incident_open_for=revisited.length)
            ),
        ),
    )
    path = tmp_path / "team.yaml"
    path.write_text("- {at: 24m, choose_option: {decision: plan-b, option: pages}}\n")
    run = play_script(read_script(path, late), late, 0)
    events = list(run.drill.events)
    assert all(getattr(e, "decision", None) != "revisit" for e in events)
    end = events[-1]
    older = [
        *events[:-1],
        DecisionOpened(seq=end.seq, t=end.t, decision="revisit", closes_at=end.t + 20 * M),
        DecisionClosed(seq=end.seq + 1, t=end.t, decision="revisit", option=None, reason="moot"),
        msgspec.structs.replace(end, seq=end.seq + 2),
    ]
    for journal in (events, older):
        card = score_run(late, journal)
        assert [d.decision for d in card.decisions] == ["plan-b"]
        assert card.not_arisen == ("revisit",)
        assert all(d.decision != "revisit" for d in card.deductions)
        [plan_b] = card.decisions
        assert card.plan_b == pytest.approx(100 * (1 - plan_b.regret / plan_b.stakes))
