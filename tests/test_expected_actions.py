"""Expected actions (format 2): owed from when a condition first holds, due within a time;
taken in time they earn nothing, missed they cost restraint with the scenario's own words."""

from __future__ import annotations

from conftest import MINIMAL
from hypothesis import given, settings
from hypothesis import strategies as st

from drillsim.authoring.lint import lint
from drillsim.engine.actions import TakeAction
from drillsim.engine.drill import Drill
from drillsim.engine.view import player_view
from drillsim.policies import play
from drillsim.scenario.loader import check_text
from drillsim.scenario.model import Scenario
from scoring import score_run
from scoring.card import ScoreCard

EXPECTED = """\
  - id: escalate
    label: Escalate to the vendor
    justified_if: true
    penalty: 0
    expected:
      within: 10m
      deduction: Nobody opened a ticket with the vendor at {company}.
  - id: notice
    label: Post a status notice
    justified_if: {flag: visible}
    penalty: 25
    expected:
      when: {flag: visible}
      within: 5m
      penalty: 20
"""

TEXT = MINIMAL.replace("format: 1\n", "format: 2\n") + EXPECTED


def scenario_of(text: str = TEXT) -> Scenario:
    checked = check_text(text, "s.yaml")
    assert checked.scenario is not None and checked.ok, checked.problems
    return checked.scenario


def messages(text: str) -> list[str]:
    return [
        f"{p.line}:{p.column}: {p.message} | {p.hint}" for p in check_text(text, "s.yaml").problems
    ]


def lint_rules(text: str) -> list[tuple[str, int]]:
    return [(p.rule, p.line) for p in check_text(text, "s.yaml", lint).problems if p.rule]


def run(taken: dict[str, float], *, text: str = TEXT, seed: int = 0) -> ScoreCard:
    """Take each action at its time (minutes), play to the end and score."""
    scenario = scenario_of(text)
    drill = Drill(scenario, seed)
    for action, minute in sorted(taken.items(), key=lambda item: item[1]):
        drill.advance_to(minute * 60.0)
        drill.act(TakeAction(action))
    drill.advance_to(drill.length)
    return score_run(scenario, drill.events)


def missed(card: ScoreCard) -> dict[str, str]:
    return {
        d.action: d.reason
        for d in card.deductions
        if d.action is not None and "was expected by" in d.reason
    }


def test_expected_in_a_format_1_file_is_a_located_error_with_the_way_out() -> None:
    text = MINIMAL + EXPECTED
    found = messages(text)
    line = text.splitlines().index("    expected:") + 1
    assert any(
        m.startswith(f"{line}:")
        and "expected action (expected:) is format 2's" in m
        and "add format: 2" in m
        for m in found
    ), found
    assert check_text(TEXT, "s.yaml").ok


def test_an_unknown_reference_in_when_is_a_located_error() -> None:
    text = TEXT.replace("when: {flag: visible}", "when: {flag: visibel}")
    line = text.splitlines().index("      when: {flag: visibel}") + 1
    assert any(
        m.startswith(f"{line}:") and "no truth flag with id 'visibel'" in m for m in messages(text)
    )


def test_taken_in_time_costs_nothing_and_earns_nothing() -> None:
    card = run({"escalate": 3, "notice": 31})
    assert missed(card) == {}
    plain_text = MINIMAL.replace("format: 1\n", "format: 2\n") + (
        "  - {id: escalate, label: Escalate, justified_if: true, penalty: 0}\n"
        "  - {id: notice, label: Notice, justified_if: {flag: visible}, penalty: 25}\n"
    )
    plain = run({"escalate": 3, "notice": 31}, text=plain_text)
    assert card.restraint == plain.restraint


def test_a_missed_action_costs_restraint_with_its_own_words_filled() -> None:
    card = run({"notice": 31})
    reasons = missed(card)
    assert set(reasons) == {"escalate"}
    assert reasons["escalate"] == (
        "Escalate to the vendor was expected by T+0:10, 10 min after it was owed, and never "
        "came: Nobody opened a ticket with the vendor at Acme."
    )
    assert card.restraint < 100.0
    late = missed(run({"escalate": 12, "notice": 31}))
    assert "and came late" in late["escalate"]


def test_the_deadline_runs_from_when_the_condition_first_holds() -> None:
    # visible from T+30 (the outage lasts 40m): due by T+35.
    assert "notice" not in missed(run({"escalate": 1, "notice": 35}))
    reasons = missed(run({"escalate": 1, "notice": 36}))
    assert reasons["notice"].startswith("Post a status notice was expected by T+0:35")
    assert missed(run({"escalate": 1}))["notice"].endswith("never came")


def test_no_longer_owed_once_its_condition_stops_holding_before_the_deadline() -> None:
    # The outage ends at T+40: a notice due 15 minutes after T+30 is no longer owed then,
    # nor an escalation due 50 minutes after T+0.
    text = TEXT.replace("within: 5m", "within: 15m").replace("within: 10m", "within: 50m")
    assert missed(run({}, text=text)) == {}


def test_the_engine_shows_an_owed_action_until_it_is_taken() -> None:
    drill = Drill(scenario_of(), 0)
    drill.advance_to(60.0)
    shown = {action.id: action.expected_by for action in player_view(drill).actions}
    assert shown == {"apology": None, "escalate": 600.0, "notice": None}
    drill.advance_to(30 * 60.0)
    assert {a.id: a.expected_by for a in player_view(drill).actions}["notice"] == 35 * 60.0
    drill.act(TakeAction("escalate"))
    assert {a.id: a.expected_by for a in player_view(drill).actions}["escalate"] is None


def test_the_diligent_team_and_the_oracle_take_expected_actions_in_time() -> None:
    scenario = scenario_of()
    for name in ("diligent", "oracle"):
        for seed in range(3):
            card = score_run(scenario, play(scenario, name, seed).events)
            assert missed(card) == {}, (name, seed)
    passive = score_run(scenario, play(scenario, "passive", 0).events)
    assert set(missed(passive)) == {"escalate", "notice"}


def test_lint_warns_about_an_expected_action_that_can_never_be_missed() -> None:
    text = TEXT.replace("when: {flag: visible}", "when: {after: 58m}")
    found = lint_rules(text)
    line = text.splitlines().index("      when: {after: 58m}") + 1
    assert ("expected-never-owed", line) in found


def test_lint_warns_about_an_expected_action_that_is_always_an_overreaction() -> None:
    text = TEXT.replace("justified_if: {flag: visible}", "justified_if: false")
    found = lint_rules(text)
    line = text.splitlines().index("    justified_if: false") + 1
    assert ("expected-overreaction", line) in found
    assert not [rule for rule, _ in lint_rules(TEXT) if rule.startswith("expected-")]


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=59))
def test_missed_exactly_when_not_taken_by_the_deadline(minute: int) -> None:
    """The escalation is owed from T+0, due at T+10 (the outage lasts 40m)."""
    reasons = missed(run({"escalate": minute}))
    assert ("escalate" in reasons) == (minute > 10)


def test_a_missed_expected_action_is_an_area_for_improvement_in_the_report(
    tmp_path, monkeypatch, capsys
) -> None:
    """On a shipped scenario: the debrief's deduction, its variables filled, in the report."""
    import re

    from drillsim import aar
    from drillsim.cli import main
    from drillsim.recorded import open_run

    monkeypatch.setenv("DRILLSIM_HOME", str(tmp_path / "home"))
    actions = tmp_path / "late.yaml"
    actions.write_text(
        "- at: 5m\n"
        "  send_update: {audiences: [execs, cs], facts: [wrong-send], next_update_in: 20m}\n"
        "- {at: 20m, take_action: escalate-vendor}\n"
        "- {at: 50m, end_drill: {}}\n",
        encoding="utf-8",
    )
    code = main(["run", "cdp-wrong-segment", "--actions", str(actions), "--save"])
    err = capsys.readouterr().err
    assert code == 0, err
    journal = re.search(r"saved (\S+\.jsonl)", err).group(1)
    recorded = open_run(journal)
    card = score_run(recorded.scenario, recorded.journal.events)
    variables = recorded.journal.events[0].variables
    reasons = missed(card)
    assert reasons["escalate-vendor"].startswith(
        "Open a P1 with " + variables["cdp"] + " support was expected by T+0:15"
    )
    assert "and came late" in reasons["escalate-vendor"]
    assert reasons["tell-dpo"].endswith(
        variables["dpo"] + " heard nothing half an hour after names were known to be mixed "
        "up; a possible personal-data breach starts a 72-hour clock."
    )
    assert main(["report", journal]) == 0
    areas = capsys.readouterr().out.split("## Areas for improvement")[1].split("## Timeline")[0]
    for reason in reasons.values():
        assert aar._md(reason) in areas


def test_the_preview_lists_when_each_expected_action_is_owed() -> None:
    from conftest import ROOT

    from drillsim.authoring.msel import events_list

    scenario = scenario_of((ROOT / "scenarios" / "cdp-wrong-segment.yaml").read_text())
    listed = {e.id: e for e in events_list(scenario, 2).entries if e.kind == "action expected"}
    assert set(listed) == {"escalate-vendor", "tell-dpo"}
    assert listed["escalate-vendor"].at == 0.0 and listed["escalate-vendor"].exact
    assert listed["tell-dpo"].at == 8 * 60.0 and not listed["tell-dpo"].exact
    assert "due within 30 min" in listed["tell-dpo"].notes[1]


def test_owed_afresh_when_its_condition_holds_again_after_lapsing() -> None:
    """A condition that comes and goes: 'execs silent 12 minutes' holds at T+12, one update at
    T+16 lapses it before its T+22 deadline, and the execs are silent again from T+28. The
    action is owed afresh then (due T+38): one update must not buy it off for good (it did:
    no deduction, restraint 77.9 against 55.8)."""
    from drillsim.engine.actions import SendUpdate

    text = TEXT.replace(
        "      when: {flag: visible}\n      within: 5m",
        "      when: {silent: {audience: execs, for: 12m}}\n      within: 10m",
    )
    scenario = scenario_of(text)

    def played(told: list[float], notice: float | None = None) -> ScoreCard:
        drill = Drill(scenario, 0)
        steps: list[tuple[float, object]] = [(t, SendUpdate(("execs",), ("down",))) for t in told]
        if notice is not None:
            steps.append((notice, TakeAction("notice")))
        for t, action in sorted(steps, key=lambda step: step[0]):
            drill.advance_to(t * 60.0)
            drill.act(action)  # type: ignore[arg-type]
        drill.advance_to(drill.length)
        return score_run(scenario, drill.events)

    assert (
        missed(played([]))
        .get("notice", "")
        .startswith("Post a status notice was expected by T+0:22")
    )
    assert (
        missed(played([16]))
        .get("notice", "")
        .startswith("Post a status notice was expected by T+0:38, 10 min after it was owed")
    )
    assert "notice" not in missed(played([16], notice=37))
    # Each silence broken before its deadline, the last one's deadline past the end of play.
    assert "notice" not in missed(played([16, 36, 50]))


def test_ending_the_drill_before_an_owed_deadline_does_not_escape_it() -> None:
    """An action owed after the outage (here: execs silent 45 minutes, T+45, due T+55; the
    outage ends at T+40) is missed by a team that ends the drill at T+50 without it, as a
    closing word is (docs/scoring.md): ending a complete run early is the team's choice, not
    a deadline the run never reached. Played to its end by the clock, it is judged on time;
    taken before ending, it costs nothing."""
    text = TEXT.replace(
        "      when: {flag: visible}\n      within: 5m",
        "      when: {silent: {audience: execs, for: 45m}}\n      within: 10m",
    )
    scenario = scenario_of(text)

    def ended(at: float, notice: bool) -> ScoreCard:
        drill = Drill(scenario, 0)
        drill.advance_to(1 * 60.0)
        drill.act(TakeAction("escalate"))
        drill.advance_to(at * 60.0)
        if notice:
            drill.act(TakeAction("notice"))
        drill.end()  # what an actions file's end_drill does
        return score_run(scenario, drill.events)

    early = ended(50, notice=False)
    assert not early.partial
    assert missed(early).get("notice", "").startswith("Post a status notice was expected by")
    assert missed(ended(50, notice=True)) == {}
    assert "notice" in missed(run({"escalate": 1}, text=text))  # played to T+1:00: T+55 passed
