"""`drillsim report`: the After-Action Report / Improvement Plan of a recorded run."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from conftest import ROOT

from drillsim import aar
from drillsim.cli import main
from drillsim.durations import format_minute as minute
from drillsim.engine import events as ev
from drillsim.recorded import open_run
from scoring import score_run

pytestmark = pytest.mark.usefixtures("home")  # a data folder of its own per test

EXAMPLES = ROOT / "scenarios" / "examples"
SERIOUS = EXAMPLES / "map-outage-mid-send-good-run-two-serious-errors.yaml"
PANICKED = EXAMPLES / "map-outage-mid-send-panicked.yaml"

NOTED = """\
- at: 3m
  send_update:
    audiences: [execs, sales]
    facts: [send-halted]
    next_update_in: 20m
    text: "Send stopped | we *think* it's the vendor <b>now</b>"
- at: 4m
  add_note: "Lead hesitated | asked [legal] first"
- at: 6m
  take_action: resend-whole-list
- at: 30m
  end_drill: {}
"""


def saved(capsys, actions: Path, *extra: str) -> Path:
    """Play an actions file on the flagship, saved; return the journal's path."""
    code = main(["run", "map-outage-mid-send", "--actions", str(actions), "--save", *extra])
    err = capsys.readouterr().err
    assert code == 0, err
    return Path(re.search(r"saved (\S+\.jsonl)", err).group(1))


def report(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["report", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def built(journal: Path) -> aar.AfterActionReport:
    return aar.report_of(open_run(journal, partial=True))


@pytest.fixture
def noted(tmp_path, capsys) -> Path:
    actions = tmp_path / "noted.yaml"
    actions.write_text(NOTED, encoding="utf-8")
    return saved(capsys, actions, "--team", "Marketing ops")


def test_every_deduction_is_an_area_for_improvement_and_a_plan_row(capsys) -> None:
    journal = saved(capsys, PANICKED, "--seed", "3")
    recorded = open_run(journal)
    card = score_run(recorded.scenario, recorded.journal.events)
    lost = [d for d in card.deductions if d.points > 0]
    assert len(lost) >= 3
    code, out, _ = report(capsys, str(journal))
    assert code == 0
    areas = out.split("## Areas for improvement")[1].split("## Timeline")[0]
    plan = out.split("## Improvement plan")[1]
    for deduction in lost:
        reason = aar._md(deduction.reason)
        assert reason in areas
        assert reason in plan
    rows = [line for line in plan.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rows) == len(lost)
    assert all(line.endswith("|  |  |  |") for line in rows)  # to fill in


def test_overview_objectives_and_scores_come_from_the_run(capsys) -> None:
    journal = saved(capsys, SERIOUS, "--seed", "2", "--team", "Marketing ops")
    recorded = open_run(journal)
    card = score_run(recorded.scenario, recorded.journal.events)
    got = built(journal)
    overview = got.overview
    assert (overview.team, overview.seed, overview.kind, overview.status) == (
        "Marketing ops",
        2,
        "scripted",
        "finished",
    )
    assert overview.seal == "sealed" and overview.official is False
    assert overview.played == card.ended_at == recorded.scenario.length
    assert got.overall == card.overall and got.rating == card.rating
    ratings = {item.key: item.rating for item in got.objectives}
    for key in ("cadence", "restraint"):
        assert ratings[key] == aar.rating_of(getattr(card, key))
    text = aar.to_markdown(got)
    assert "| Seed | 2 |" in text
    assert "practice, scripted, finished" in text
    assert f"**{card.overall:.1f}**" in text


def test_the_restraint_objective_claims_nothing_about_silence_it_does_not_judge(
    tmp_path, capsys
) -> None:
    """Restraint counts a silence only once an affected audience has had no word past its
    first deadline and its longest silence together, while the outage lasts; a run that told
    nobody anything of a short outage keeps restraint 100, and what that 100 means must not
    claim the silence was not there (tester finding 12)."""
    nothing = tmp_path / "nothing.yaml"
    nothing.write_text("[]\n", encoding="utf-8")
    journal = saved(capsys, nothing, "--seed", "456759")  # the outage lasts 36 min
    recorded = open_run(journal)
    assert not any(isinstance(event, ev.UpdateSent) for event in recorded.journal.events)
    restraint = next(item for item in built(journal).objectives if item.key == "restraint")
    assert restraint.score == 100.0
    assert "no silence" not in restraint.meaning
    assert "Over-communicate" in restraint.meaning  # where every silence is judged


@pytest.mark.slow
def test_strengths_name_the_good_calls(capsys) -> None:
    journal = saved(capsys, SERIOUS, "--seed", "0")
    got = built(journal)
    assert any(text.startswith("A sound plan B:") for text in got.strengths)
    assert any("heard from you in time" in text for text in got.strengths)


def test_timeline_holds_injects_updates_decisions_and_notes_as_written(noted, capsys) -> None:
    recorded = open_run(noted, partial=True)
    got = built(noted)
    kinds = [entry.kind for entry in got.timeline]
    injects = [e for e in recorded.journal.events if isinstance(e, ev.InjectDelivered)]
    assert kinds.count("inject") == len(injects) > 0
    assert kinds.count("update") == 1 and kinds.count("note") == 1 and "action" in kinds
    assert "decision" in kinds
    assert [entry.t for entry in got.timeline] == sorted(entry.t for entry in got.timeline)
    assert [o.text for o in got.observations] == ["Lead hesitated | asked [legal] first"]
    code, out, _ = report(capsys, str(noted))
    assert code == 0
    # Free text is shown as written: no table cell broken, no markup, no HTML.
    assert r"Send stopped \| we \*think\* it's the vendor \<b\>now\</b\>" in out
    assert r"Lead hesitated \| asked \[legal\] first" in out
    for line in out.splitlines():
        if line.startswith("| T+"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 4, line
    # Ended on purpose with the outage on: partial, and the report says so.
    assert got.overview.status == "partial" and got.rating is None
    assert "not rated" in out


def test_json_carries_the_same_content(noted, capsys) -> None:
    code, out, _ = report(capsys, str(noted), "--format", "json")
    assert code == 0
    data = json.loads(out)
    expected = built(noted).as_dict()
    assert data == json.loads(json.dumps(expected))
    assert data["report_version"] == aar.REPORT_VERSION
    assert {area["reason"] for area in data["areas_for_improvement"]} == {
        row["issue"] for row in data["improvement_plan"]
    }
    assert data["scores"]["seal"] == "sealed"


@pytest.mark.slow
def test_csv_is_one_row_per_run_with_the_documented_columns(noted, capsys) -> None:
    other = saved(capsys, SERIOUS, "--seed", "1")
    code, out, _ = report(capsys, str(noted), str(other), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(csv.DictReader(io.StringIO(out)).fieldnames) == aar.CSV_COLUMNS
    assert [row["seed"] for row in rows] == ["0", "1"]
    card = score_run(*(lambda r: (r.scenario, r.journal.events))(open_run(other)))
    assert float(rows[1]["overall"]) == pytest.approx(card.overall, abs=1e-3)
    assert rows[1]["rating"] == card.rating and rows[0]["rating"] == ""
    assert rows[0]["status"] == "partial" and rows[0]["notes"] == "1"
    docs = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    for column in aar.CSV_COLUMNS:
        assert f"`{column}`" in docs, column


def test_one_run_per_markdown_or_json_report(noted, capsys) -> None:
    code, _, err = report(capsys, str(noted), str(noted))
    assert code == 2
    assert "--format csv" in err


def test_refuses_to_overwrite_without_force(noted, tmp_path, capsys) -> None:
    target = tmp_path / "aar.md"
    target.write_text("our filled-in plan", encoding="utf-8")
    code, _, err = report(capsys, str(noted), "-o", str(target))
    assert code == 2 and "--force" in err
    assert target.read_text(encoding="utf-8") == "our filled-in plan"
    code, _, err = report(capsys, str(noted), "-o", str(target), "--force")
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("# After-Action Report")
    fresh = tmp_path / "fresh.json"
    assert report(capsys, str(noted), "-o", str(fresh), "--format", "json")[0] == 0
    assert json.loads(fresh.read_text(encoding="utf-8"))["overview"]["seed"] == 0


def test_an_interrupted_run_is_reported_as_far_as_it_got(noted, tmp_path, capsys) -> None:
    lines = noted.read_bytes().splitlines(keepends=True)
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(b"".join(lines[:12]))
    code, out, _ = report(capsys, str(cut))
    assert code == 0
    assert "interrupted" in out and "not rated" in out


def test_an_edited_journal_is_refused(noted, tmp_path, capsys) -> None:
    edited = tmp_path / "edited.jsonl"
    edited.write_bytes(noted.read_bytes().replace(b"Lead hesitated", b"Lead hesitatex"))
    code, _, err = report(capsys, str(edited))
    assert code == 1 and "--accept-edited" in err
    code, out, _ = report(capsys, str(edited), "--accept-edited")
    assert code == 0 and "**EDITED journal**" in out


def test_a_missing_run_says_what_to_do(tmp_path, capsys) -> None:
    code, _, err = report(capsys, str(tmp_path / "nope.jsonl"))
    assert code == 2 and "no such file" in err


def test_the_report_builder_loads_no_ui() -> None:
    import subprocess
    import sys

    probe = "import sys, drillsim.aar; print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_docs_name_every_json_key(noted) -> None:
    docs = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    data = built(noted).as_dict()
    for key in data:
        assert f"`{key}`" in docs, key
    for key in data["overview"]:
        assert f"`{key}`" in docs, key


def test_the_facilitators_debrief_observations_are_in_the_report_apart_from_the_score(
    noted, capsys
) -> None:
    from drillsim.journal import add_observation, installation_key
    from drillsim.paths import data_dir

    before = built(noted)
    update = next(
        e for e in open_run(noted, partial=True).journal.events if e.kind == "update_sent"
    )
    key = installation_key(data_dir(), create=False)
    add_observation(noted, key, verdict="strength", text="Execs | heard it *first*", on=update.seq)
    add_observation(noted, key, verdict="improvement", text="Nobody told sales")
    got = built(noted)
    assert got.card == before.card and got.overall == before.overall  # never scored
    strength, improvement = got.facilitator
    assert (strength.sign, strength.on, strength.text) == (
        "+",
        update.seq,
        "Execs | heard it *first*",
    )
    assert strength.about.startswith(minute(update.t) + " update to ")
    assert (improvement.sign, improvement.on, improvement.about) == ("−", None, "the whole run")
    code, out, _ = report(capsys, str(noted))
    assert code == 0
    section = out.split("## Facilitator's observations")[1].split("## Scores")[0]
    assert f"- + On {aar._md(strength.about)}: Execs \\| heard it \\*first\\*" in section
    assert "- − On the whole run: Nobody told sales" in section
    assert "Lead hesitated" in section  # the notes taken during play stay
    plan = out.split("## Improvement plan")[1]
    assert (
        f"| {len(got.areas) + 1} | Facilitator's observation | On the whole run: Nobody told sales |"
        in plan
    )
    assert "heard it" not in plan  # a strength needs no corrective action
    data = json.loads(report(capsys, str(noted), "--format", "json")[1])
    assert [
        (o["verdict"], o["sign"], o["on"], o["text"]) for o in data["facilitator_observations"]
    ] == [
        ("strength", "+", update.seq, "Execs | heard it *first*"),
        ("improvement", "−", None, "Nobody told sales"),
    ]
    assert data["scores"] == json.loads(json.dumps(before.as_dict()["scores"]))
    (row,) = csv.DictReader(io.StringIO(report(capsys, str(noted), "--format", "csv")[1]))
    assert (row["observed_strengths"], row["observed_improvements"]) == ("1", "1")


def test_a_first_word_that_cost_restraint_is_not_also_a_strength(tmp_path) -> None:
    """A tester's poor run told the agency at T+0:15, before it was affected: the debrief
    listed "heard from you in time" under what went well and charged the same word as a
    premature disclosure."""
    from drillsim.scenario.loader import load_scenario_file
    from drillsim.script import play_script, read_script

    flagship = load_scenario_file(ROOT / "scenarios" / "map-outage-mid-send.yaml").scenario
    actions = tmp_path / "early.yaml"
    actions.write_text(
        "- at: 15m\n  send_update: {audiences: [execs, agency], facts: [send-halted], "
        "unknowns: [when-back], next_update_in: 20m}\n",
        encoding="utf-8",
    )
    drill = play_script(read_script(actions, flagship), flagship, 616221).drill
    card = score_run(flagship, drill.events)
    assert any(d.audience == "agency" and "premature" in d.reason for d in card.deductions)
    good = aar.strengths(card, flagship, lambda text: text)
    assert not any("Paid-media agency heard from you in time" in text for text in good)
    assert any("Executive team heard from you in time" in text for text in good)


def test_the_luck_line_adds_up_as_written() -> None:
    """A tester read "expected to cost 613 sign-ups; it cost 624 — 10 worse": each figure
    was rounded on its own. The difference is the one between the figures as written."""
    from drillsim.cardtext import luck_figures
    from scoring.card import Luck

    luck = Luck(expected_loss=613.4, realised_loss=623.6, unit="sign-ups")
    assert luck_figures(luck) == (
        "expected to cost 613 sign-ups; it cost 624, 11 worse than expected"
    )
    even = Luck(expected_loss=99.6, realised_loss=100.4, unit="$k")
    assert luck_figures(even, "\\$k") == "expected to cost 100 \\$k; it cost 100, as expected"
