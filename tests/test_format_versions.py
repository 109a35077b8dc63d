"""Format versions: a file without ``format`` is format 1 and keeps its bounds; format 2 counts
days, plays multi-day drills with skips, and scores them to finite numbers."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from conftest import MINIMAL

from drillsim.durations import Duration, format_duration
from drillsim.engine import events as ev
from drillsim.engine.actions import ChooseOption
from drillsim.engine.clock import ManualClock
from drillsim.engine.drill import Drill
from drillsim.journal import JournalWriter, Player, ScenarioRef, new_header, read_journal
from drillsim.limits import (
    DAY,
    FORMAT_1_LONGEST_DRILL,
    LONGEST_DRILL,
    LONGEST_OUTAGE,
    MAX_SPEED,
)
from drillsim.live import LiveRecorder
from drillsim.policies import play
from drillsim.scenario.loader import check_text, load_scenario_file
from scoring import score_run

DAYS = Path(__file__).parent / "scenarios" / "days-long-outage.yaml"


@pytest.fixture(scope="module")
def days():
    return load_scenario_file(DAYS)


def messages(text: str) -> list[str]:
    return [f"{p.line}: {p.message} | {p.hint}" for p in check_text(text, "s.yaml").problems]


def test_days_are_a_unit_and_past_a_day_they_are_written_back() -> None:
    assert Duration.parse("1d12h") == 36 * 3600
    assert Duration.parse("15d") == 15 * DAY
    assert format_duration(24 * 3600) == "24h"  # a format-1 bound reads as it always did
    assert format_duration(36 * 3600 + 60) == "1d12h1m"


def test_a_file_without_format_is_format_1_and_refuses_days_with_the_way_out() -> None:
    text = DAYS.read_text(encoding="utf-8").replace("format: 2\n", "")
    found = messages(text)
    assert any(
        line.startswith("5: '15d' counts days, which format 1 does not | add format: 2")
        for line in found
    )
    assert load_scenario_file(DAYS).scenario.format == 2


def test_format_1_keeps_its_bounds_and_format_2_has_its_own() -> None:
    text = DAYS.read_text(encoding="utf-8")
    as_format_1 = text.replace("format: 2\n", "format: 1\n").replace("length: 15d", "length: 13h")
    assert any(
        "13h is above the maximum 12h" in line and line.startswith("6:")
        for line in messages(as_format_1)
    )
    assert format_duration(FORMAT_1_LONGEST_DRILL) == "12h"
    too_long = text.replace("length: 15d", f"length: {int(LONGEST_DRILL // DAY) + 1}d")
    assert any("is longer than 30d" in line for line in messages(too_long))


def test_a_distribution_reaching_past_the_longest_outage_is_warned_about() -> None:
    text = DAYS.read_text(encoding="utf-8").replace(
        "{median: 3d, sigma: 0.6}", "{median: 20d, sigma: 0.6}"
    )
    checked = check_text(text, "s.yaml")
    assert checked.ok  # a warning, not an error
    (warning,) = [p for p in checked.problems if "the longest outage" in p.message]
    assert warning.severity == "warning" and warning.line == 28
    assert format_duration(LONGEST_OUTAGE) in warning.message
    format_1 = MINIMAL.replace("duration: {fixed: 40m}", "duration: {median: 20h, sigma: 1.0}")
    assert check_text(format_1, "s.yaml").problems == ()  # format 1 validates as it always did


def test_a_multi_day_drill_plays_and_scores_to_finite_numbers(days) -> None:
    for policy in ("oracle", "diligent", "passive", "random"):
        drill = play(days.scenario, policy, 1)
        assert drill.ended and drill.now == 15 * DAY
        assert drill.true_duration > DAY  # drawn past format 1's bound
        card = score_run(days.scenario, drill.events)
        figures = [card.overall, card.cadence, card.plan_b, card.restraint]
        assert all(math.isfinite(figure) and 0 <= figure <= 100 for figure in figures), policy
        assert card.impact is not None and math.isfinite(card.impact)


def test_a_skip_crosses_days_in_one_jump_and_journals_no_minute_by_minute(days, tmp_path) -> None:
    """Skips go from one scheduled moment to the next however far, never minute by minute,
    so a multi-day drill played with skips stays a short journal (no clock mark per skipped
    minute; the events a skip stops at mark how far the run got)."""
    clock = ManualClock()
    drill = Drill(days.scenario, 1, clock=clock, speed=MAX_SPEED)
    ref = ScenarioRef.of(days.scenario, days.sha256, days.text)
    header = new_header(
        kind="played", run_id="r", scenario=ref, seed=1, player=Player(team="t"),
        scoring_version="test",
    )  # fmt: skip
    path = tmp_path / "days.jsonl"
    recorder = LiveRecorder(drill, JournalWriter(path, header, None))
    recorder.poll()
    assert drill.skip() == 2 * 3600  # the decision opens at T+2h
    recorder.poll()
    drill.act(ChooseOption("spreadsheets", "wait"))  # doing nothing keeps it open
    assert drill.skip() == 3 * 3600  # until it closes at its deadline with the choice held
    recorder.poll()
    assert drill.skip() == DAY  # nothing to see until clients notice, 21 hours on
    recorder.poll()
    assert drill.skip() == 36 * 3600  # and until the vendor writes at T+1d12h
    recorder.poll()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + len(drill.events)  # the header and the events, nothing else
    assert read_journal(path, partial=True, key=None).events[-1].t == 36 * 3600
    assert [e.kind for e in drill.events].count(ev.SKIPPED) == 4


# ------------------------------------------------------------------ the vendor's own ETA
def relay_card(tmp_path, capsys, at: str, eta: str) -> dict:
    """The card of a scripted run that tells clients, at ``at``, with ``eta``."""
    import json

    from drillsim.cli import main

    actions = tmp_path / "relay.yaml"
    actions.write_text(
        f"- at: 5m\n  send_update: {{audiences: [staff], facts: [down]}}\n"
        f"- at: {at}\n  send_update: {{audiences: [clients], facts: [down], eta: {eta}}}\n",
        encoding="utf-8",
    )
    assert main(["run", str(DAYS), "--actions", str(actions), "--seed", "1", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def eta_deductions(card: dict) -> list[str]:
    return [d["reason"] for d in card["deductions"] if "resolution time" in d["reason"]]


def test_relaying_the_vendor_s_published_eta_costs_no_restraint(tmp_path, capsys) -> None:
    relayed = relay_card(tmp_path, capsys, "1d13h", "vendor")  # the vendor wrote at T+1d12h
    assert eta_deductions(relayed) == []
    invented = relay_card(tmp_path, capsys, "1d13h", "true")  # the team's own is still invented
    assert eta_deductions(invented) == [
        "Gave Clients a resolution time at T+1d 13:00; nobody knew when the outage would end, "
        "so never promise one to people outside the company"
    ]
    assert invented["restraint"] < relayed["restraint"]


def test_a_vendor_eta_relayed_before_the_vendor_gave_one_is_its_own_offence(
    tmp_path, capsys
) -> None:
    early = relay_card(tmp_path, capsys, "1d1h", "vendor")
    assert eta_deductions(early) == [
        "Relayed a vendor's resolution time to Clients at T+1d 01:00 before the vendor had "
        "published one; relay the vendor's ETA only once you have it"
    ]


def test_vendor_etas_are_format_2_and_need_such_a_fact(tmp_path, capsys) -> None:
    from drillsim.cli import main

    format_1 = MINIMAL.replace(
        "{id: cause, text: A bad deploy.}", "{id: cause, text: A bad deploy., eta: vendor}"
    )
    (problem,) = check_text(format_1, "s.yaml").problems
    assert (problem.line, problem.message) == (
        20,
        "a vendor's resolution time (eta: vendor) is format 2's",
    )
    assert "format: 2" in problem.hint
    mini = tmp_path / "mini.yaml"
    mini.write_text(MINIMAL, encoding="utf-8")
    actions = tmp_path / "a.yaml"
    actions.write_text("- at: 5m\n  send_update: {audiences: [execs], eta: vendor}\n")
    assert main(["run", str(mini), "--actions", str(actions)]) == 1
    assert "a.yaml:2:42: [0].send_update.eta: no fact" in capsys.readouterr().err
