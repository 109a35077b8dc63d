"""The press as an audience (kind: press, format 2): its own cadence defaults, a heavy price
for an unsolicited statement before it is affected, and no invented resolution time."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import FLAGSHIP

from drillsim.scenario.loader import check_text
from drillsim.script import play_script, read_script
from scoring import score_run

PRESS = """\
  - id: press
    name: Trade press
    kind: press
    impacted: {inject_delivered: vendor-identified}
"""


def with_press(format_version: int = 2) -> str:
    text = FLAGSHIP.read_text(encoding="utf-8").replace("format: 1", f"format: {format_version}")
    return text.replace("\nfacts:\n", "\n" + PRESS + "\nfacts:\n", 1)


@pytest.fixture(scope="module")
def scenario():
    checked = check_text(with_press(), "press.yaml")
    assert checked.ok, checked.errors
    return checked.scenario


def test_the_press_has_its_own_defaults(scenario) -> None:
    press = scenario.audience("press")
    cadence = press.cadence
    minutes = [
        float(x) / 60 for x in (cadence.first_update, cadence.max_silence, cadence.min_interval)
    ]
    assert minutes == [60, 120, 60]
    assert press.premature_weight == 30.0
    assert scenario.audience("prospects").premature_weight == 15.0  # external is unchanged


def test_the_press_is_format_2s() -> None:
    (problem,) = check_text(with_press(1), "press.yaml").errors
    assert "kind: press" in problem.message and "format: 2" in problem.hint


def test_a_statement_to_the_press_before_it_asks_and_an_eta_cost_restraint(
    tmp_path: Path, scenario
) -> None:
    def play(text: str):
        path = tmp_path / "actions.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return score_run(
            scenario, play_script(read_script(path, scenario), scenario, 0).drill.events
        )

    quiet = play("- {at: 5m, add_note: nothing to the press}\n")
    early = play("- {at: 5m, send_update: {audiences: [press], facts: [send-halted]}}\n")
    told = play(
        "- {after: vendor-identified, send_update: {audiences: [press], facts: [send-halted], eta: true}}\n"
    )
    reasons = [d.reason for d in early.deductions if d.dimension == "restraint"]
    assert any("Trade press" in r and "before" in r for r in reasons), reasons
    assert early.restraint < quiet.restraint - 10
    assert any("resolution time" in d.reason and "Trade press" in d.reason for d in told.deductions)
