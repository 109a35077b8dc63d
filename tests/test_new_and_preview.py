"""`drillsim new` writes a scenario that lints clean; `drillsim preview` shows its script and
what the plan-B model thinks of each decision."""

from __future__ import annotations

import json
import os
import re

import jsonschema
import pytest
import yaml
from conftest import FLAGSHIP, MINIMAL, ROOT

from drillsim.cli import main
from drillsim.engine.draws import draw_duration
from drillsim.limits import longest_outage
from drillsim.scenario.loader import check_text, load_scenario
from scoring.planb import WAIT, build_tables


def drillsim(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ------------------------------------------------------------------ new
def test_new_writes_a_scenario_that_lints_clean_and_never_overwrites(
    capsys, tmp_path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert drillsim(capsys, "new", "x")[0] == 0
    assert sorted(os.listdir(tmp_path)) == ["scenario.schema.json", "x.yaml"]
    assert drillsim(capsys, "lint", "--strict", "x.yaml") == (0, "", "1 of 1 file clean\n")
    before = (tmp_path / "x.yaml").read_bytes()
    stamp = (tmp_path / "x.yaml").stat().st_mtime_ns
    code, out, err = drillsim(capsys, "new", "x")
    assert (code, out) == (2, "")
    assert (
        err == "drillsim new: x.yaml exists; pick another NAME, or pass --force to overwrite it\n"
    )
    assert (tmp_path / "x.yaml").read_bytes() == before
    assert (tmp_path / "x.yaml").stat().st_mtime_ns == stamp


def test_the_new_file_names_the_schema_beside_it_and_matches_it(capsys, tmp_path) -> None:
    assert drillsim(capsys, "new", "webinar-down", "-o", str(tmp_path))[0] == 0
    text = (tmp_path / "webinar-down.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=scenario.schema.json"
    schema = json.loads((tmp_path / "scenario.schema.json").read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(yaml.safe_load(text)))
    assert errors == []
    assert load_scenario(tmp_path / "webinar-down.yaml")[0].id == "webinar-down"


def test_new_keeps_an_existing_schema_and_says_so_when_it_differs(capsys, tmp_path) -> None:
    (tmp_path / "scenario.schema.json").write_text("{}\n", encoding="utf-8")
    code, _, err = drillsim(capsys, "new", "a", "-o", str(tmp_path))
    assert code == 0 and "kept " in err and "drillsim schema -o" in err
    assert (tmp_path / "scenario.schema.json").read_text(encoding="utf-8") == "{}\n"
    assert drillsim(capsys, "new", "a", "-o", str(tmp_path), "--force")[0] == 0
    assert json.loads((tmp_path / "scenario.schema.json").read_text())["$defs"]


def test_new_from_a_scenario_copies_its_text_with_comments_and_the_new_id(capsys, tmp_path) -> None:
    assert (
        drillsim(capsys, "new", "launch-2", "--from", "map-outage-mid-send", "-o", str(tmp_path))[0]
        == 0
    )
    copy = (tmp_path / "launch-2.yaml").read_text(encoding="utf-8")
    original = FLAGSHIP.read_text(encoding="utf-8")
    assert (
        copy.splitlines()[1:]
        == original.replace("id: map-outage-mid-send", "id: launch-2", 1).splitlines()
    )
    assert drillsim(capsys, "lint", "--strict", str(tmp_path / "launch-2.yaml"))[0] == 0


@pytest.mark.parametrize("name", ["X", "_x", "my drill", "a" * 65, "é"])
def test_an_invalid_id_gets_the_rule(capsys, tmp_path, name) -> None:
    code, out, err = drillsim(capsys, "new", name, "-o", str(tmp_path))
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert "lowercase letters, digits, - and _" in err and os.listdir(tmp_path) == []


def test_new_from_a_broken_scenario_or_into_a_missing_folder_fails_in_one_line(
    capsys, tmp_path, write
) -> None:
    broken = write(MINIMAL.replace("length: 1h", "length: 60"))
    code, _, err = drillsim(capsys, "new", "b", "--from", str(broken), "-o", str(tmp_path))
    assert code == 1 and err.splitlines()[-1].startswith("drillsim new: the scenario has errors")
    code, _, err = drillsim(capsys, "new", "b", "-o", str(tmp_path / "nope"))
    assert code == 2 and err.count("\n") == 1
    assert os.listdir(tmp_path) == ["scenario.yaml"]


# ------------------------------------------------------------------ preview
def test_preview_lists_every_inject_with_the_seeds_names_and_outage(capsys, flagship) -> None:
    code, out, _ = drillsim(capsys, "preview", "map-outage-mid-send", "--seed", "3", "--json")
    assert code == 0
    report = json.loads(out)
    events = report["events"]
    injects = {e["id"]: e for e in events if e["kind"] == "inject"}
    assert set(injects) == {inject.id for inject in flagship.injects}
    assert report["outage"] == draw_duration(
        flagship.truth.duration, 3, longest=longest_outage(flagship.format)
    )
    assert injects["resolved"]["at"] == report["outage"]
    assert injects["alert"]["at"] == 0 and injects["alert"]["exact"]
    assert injects["vendor-identified"]["at"] == 1800 and not injects["vendor-identified"]["exact"]
    assert injects["rollback-slow"]["at"] is None  # the outage ends first on seed 3
    assert not any(re.search(r"\{[a-z_]+\}", e["text"]) for e in events)
    times = [e["at"] for e in events if e["at"] is not None]
    assert times == sorted(times)
    kinds = {(e["kind"], e["id"]) for e in events}
    assert {("decision opens", d.id) for d in flagship.decisions} <= kinds
    assert {("decision closes", d.id) for d in flagship.decisions} <= kinds


def test_preview_decisions_names_every_decision_with_each_options_expected_loss(
    capsys, flagship
) -> None:
    code, out, _ = drillsim(capsys, "preview", "map-outage-mid-send", "--decisions")
    assert code == 0
    section = out[out.index("Plan-B decisions") :]
    for decision in flagship.decisions:
        block = section[section.index(f"\n{decision.id}: ") :]
        for option in decision.options:
            assert re.search(rf"\n    {re.escape(option.id)} +\d+\.\d", block), option.id
    assert "after inject vendor-identified: belief median 1 h, sigma 0.5" in section
    assert "once backup-esp can be chosen" in section


def test_preview_decisions_are_the_scoring_models_own_numbers(capsys, flagship) -> None:
    report = json.loads(
        drillsim(capsys, "preview", "map-outage-mid-send", "--decisions", "--json")[1]
    )
    for found in report["decisions"]:
        decision = flagship.decision(found["decision"])
        opening = found["moments"][0]
        everything = frozenset(option.id for option in decision.options)
        tables = build_tables(flagship, decision, found["opens"], flagship.belief, everything)
        assert opening["expected_loss"] == pytest.approx(tables.commit[0])
        available = frozenset(opening["available"])
        best = build_tables(flagship, decision, found["opens"], flagship.belief, available)
        assert opening["best"] == ("wait" if best.best_move[0] == WAIT else best.best_move[0])
    send = next(d for d in report["decisions"] if d["decision"] == "send-plan")
    assert [m["best"] for m in send["moments"]] == ["wait", "backup-esp", "wait"]


def test_preview_of_bad_input_says_so_in_one_line(capsys, write) -> None:
    code, out, err = drillsim(capsys, "preview", "no-such-drill")
    assert (code, out) == (2, "") and err.count("\n") == 1
    broken = write(MINIMAL.replace("length: 1h", "length: 60"))
    code, out, err = drillsim(capsys, "preview", str(broken))
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == (
        "drillsim preview: the scenario has errors; fix them (drillsim validate) and retry"
    )
    with pytest.raises(SystemExit) as stopped:
        main(["preview", "map-outage-mid-send", "--seed", "-1"])
    assert stopped.value.code == 2


def test_the_template_is_a_clean_small_scenario() -> None:
    text = (ROOT / "scenarios" / "template" / "scenario.yaml").read_text(encoding="utf-8")
    checked = check_text(text, "template.yaml")
    assert checked.ok and checked.problems == ()
