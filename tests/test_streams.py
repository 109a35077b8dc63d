"""Format-2 impact streams that follow conditions: the engine's meter, the plan-B model and
the checks agree on phases, one-off losses and recovery (docs/format.md, impact)."""

from __future__ import annotations

import math

import pytest
from conftest import MINIMAL, run_script
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drillsim.engine.actions import ChooseOption, TakeAction
from drillsim.engine.drill import Drill
from drillsim.scenario.loader import check_text, load_scenario_text
from scoring import score_run
from scoring.planb import build_tables, courses

M = 60.0

STREAMS = """\
    streams:
      forms:
        rate: 0
        phases:
          - {when: {chosen: {decision: plan-b, option: pages}}, rate: 2}
          - {when: {flag: visible}, rate: 10}
        once:
          - {at: 12m, loss: 100, unless: {action_taken: apology}}
          - {at: 50m, loss: 1000}
        recovery:
          - {for: 10m, rate: 3}
          - {for: 1h, rate: 1}
"""


def conditional(text: str = STREAMS, outage: str = "40m"):
    """The test scenario in format 2 with conditional streams (an outage of ``outage``)."""
    source = (
        MINIMAL.replace("format: 1", "format: 2")
        .replace(
            "impact: {unit: leads, label: Leads lost, streams: {forms: 5}}",
            "impact:\n  unit: leads\n  label: Leads lost\n" + text.replace("    ", "  ", 1),
        )
        .replace("duration: {fixed: 40m}", f"duration: {{fixed: {outage}}}")
    )
    return source


def load(text: str = STREAMS, outage: str = "40m"):
    return load_scenario_text(conditional(text, outage), "s.yaml").scenario


def test_a_stream_starts_with_its_condition_and_recovers_after_the_resolution() -> None:
    drill = Drill(load(), 0)
    drill.advance_to(29 * M)
    # Nothing before the flag; the 12m lump counts (no apology), the 50m one is after the end.
    assert drill.impact(29 * M) == pytest.approx(100.0)
    assert drill.impact_rate(29 * M) == 0.0
    drill.advance_to(35 * M)
    assert drill.impact_rate(35 * M) == 10.0
    assert drill.impact(35 * M) == pytest.approx(100.0 + 5 * 10)
    drill.advance_to(60 * M)
    # 10 a minute from 30m to the resolution at 40m, then 3 a minute for 10 minutes, then 1.
    assert drill.impact(60 * M) == pytest.approx(100 + 100 + 30 + 10)
    assert drill.impact_rate(45 * M) == 3.0 and drill.impact_rate(55 * M) == 1.0


def test_the_meter_is_the_same_whatever_the_polling_rhythm() -> None:
    coarse = Drill(load(), 0)
    coarse.advance_to(60 * M)
    fine = Drill(load(), 0)
    for second in range(0, 3601, 7):
        fine.advance_to(float(second))
    fine.advance_to(60 * M)
    assert fine.impact(60 * M) == coarse.impact(60 * M)
    assert [e.kind for e in fine.events] == [e.kind for e in coarse.events]


def test_a_phase_keyed_to_a_choice_changes_the_rate_and_a_plan_b_cuts_lumps_and_rates() -> None:
    drill = run_script(load(), 0, [(6 * M, ChooseOption("plan-b", "pages"))])
    # pages chosen at 6m: rate 2 from then (its own phase wins over the flag), cut by 80% once
    # in effect at 16m; the 12m lump lands before the cut.
    expected = 2 * 10 + 2 * 0.2 * (40 - 16) + 100
    assert drill.impact(40 * M) == pytest.approx(expected)


def test_a_one_off_loss_does_not_count_when_its_unless_holds() -> None:
    drill = run_script(load(), 0, [(11 * M, TakeAction("apology"))])
    drill.advance_to(29 * M)
    assert drill.impact(29 * M) == 0.0


def test_a_one_off_loss_after_the_resolution_never_counts() -> None:
    drill = Drill(load(outage="10m"), 0)
    drill.advance_to(20 * M)
    assert drill.impact(20 * M) == pytest.approx(3 * 10)  # only the recovery


def test_the_plan_b_model_sees_a_late_start_and_the_options_own_phase() -> None:
    scenario = load()
    decision = scenario.decision("plan-b")
    expected = courses(scenario, decision, 5 * M)
    assert expected is not None
    assert expected.waiting.pieces == ((5 * M, 0.0), (30 * M, 10.0))
    assert expected.of("pages").pieces == ((5 * M, 2.0),)
    assert expected.waiting.lumps == ((12 * M, 100.0), (50 * M, 1000.0))
    tables = build_tables(
        scenario, decision, 5 * M, scenario.belief, frozenset({"wait", "pages"}), 1.0, expected
    )
    assert all(math.isfinite(value) for row in tables.commit for value in row.values())


def test_a_flat_stream_has_no_courses_and_the_same_tables_as_before(mini) -> None:
    decision = mini.decision("plan-b")
    assert courses(mini, decision, 5 * M) is None


def test_a_conditional_stream_in_a_format_1_file_is_a_located_error() -> None:
    text = conditional().replace("format: 2", "format: 1")
    errors = [str(problem) for problem in check_text(text, "s.yaml").errors]
    assert any(
        "impact.streams.forms" in error and "format: 2" in error and error.startswith("s.yaml:")
        for error in errors
    ), errors


def test_a_negative_phase_rate_is_refused_where_it_is_written() -> None:
    text = conditional(STREAMS.replace("rate: 10}", "rate: -1}"))
    errors = [str(problem) for problem in check_text(text, "s.yaml").errors]
    assert any("phases[1].rate" in error and "minimum 0" in error for error in errors), errors


def test_lint_warns_about_stream_parts_that_never_count() -> None:
    from drillsim.authoring.lint import lint
    from drillsim.scenario.convert import Converter
    from drillsim.scenario.source import parse_document

    text = conditional(
        STREAMS.replace(
            "          - {when: {flag: visible}, rate: 10}",
            "          - {when: true, rate: 4}\n          - {when: {flag: visible}, rate: 10}",
        ).replace("{at: 50m, loss: 1000}", "{at: 2h, loss: 1000}")
    )
    document = parse_document(text, "s.yaml")
    converter = Converter(document)
    scenario = converter.convert(document.data, type(load()), ())
    rules = [problem.rule for problem in lint(scenario, converter)]
    assert rules.count("stream-never-matters") == 2


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    outage=st.integers(min_value=2, max_value=120),
    chosen_at=st.integers(min_value=5, max_value=25),
    option=st.sampled_from(["wait", "pages"]),
    start=st.integers(min_value=0, max_value=60),
    lump_at=st.integers(min_value=0, max_value=59),
    seed=st.integers(min_value=0, max_value=1000),
)
def test_regret_stays_within_the_stakes_and_every_number_is_finite(
    outage, chosen_at, option, start, lump_at, seed
) -> None:
    text = f"""\
    streams:
      forms:
        rate: 1
        phases:
          - {{when: {{chosen: {{decision: plan-b, option: pages}}}}, rate: 3}}
          - {{when: {{after: {start}m}}, rate: 9}}
        once:
          - {{at: {lump_at}m, loss: 50}}
        recovery:
          - {{for: 30m, rate: 2}}
"""
    scenario = load(text, f"{outage}m")
    drill = run_script(scenario, seed, [(chosen_at * M, ChooseOption("plan-b", option))])
    drill.advance_to(drill.length)
    card = score_run(scenario, drill.events)
    for decision in card.decisions:
        assert decision.regret <= decision.stakes + 1e-9
        assert math.isfinite(decision.expected_loss) and math.isfinite(decision.realised_loss)
    assert card.plan_b is None or 0.0 <= card.plan_b <= 100.0
    assert math.isfinite(drill.impact(drill.length))


def test_the_debrief_says_what_the_recovery_loses_past_the_end_of_play() -> None:
    from types import SimpleNamespace

    from drillsim.tui.screens.debrief import DebriefScreen

    scenario = load(outage="50m")
    drill = Drill(scenario, 0)
    drill.advance_to(drill.length)
    card = score_run(scenario, drill.events)
    screen = SimpleNamespace(card=card, setup=SimpleNamespace(scenario=scenario))
    said = DebriefScreen._recovery_after_play(screen)  # type: ignore[arg-type]
    # Resolved at 50m, play ends at 1h: the recovery runs to 2h (10m at 3, then 1h at 1), so
    # after play it still loses 60 minutes at 1 a minute; the meter had the 12m lump, 20
    # minutes at 10 and the first 10 minutes of recovery (the 50m lump lands as it resolves).
    assert "past the end of play" in said and "another 60 leads" in said
    assert drill.impact(drill.length) == pytest.approx(100 + 20 * 10 + 10 * 3)


def test_preview_says_what_a_conditional_stream_does() -> None:
    from drillsim.scenario.streams import in_words

    stream = load().impact.streams["forms"]
    assert in_words(stream, "leads") == (
        "0 to 10 leads/min by phase, 2 one-off losses, recovery over 1h10m"
    )
    assert in_words(5.0, "leads") == "5 leads/min"
