"""The history commands: runs, show, import, rescore, compare, and their faults."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FLAGSHIP, ROOT

from drillsim import paths
from drillsim.cli import main
from drillsim.journal import (
    Player,
    ScenarioRef,
    installation_key,
    new_header,
    new_run_id,
    write_journal,
)
from drillsim.scenario.loader import load_scenario_file, load_scenario_text
from drillsim.script import play_script, read_script

pytestmark = pytest.mark.usefixtures("home")  # a data folder of its own per test

EXAMPLES = ROOT / "scenarios" / "examples"
TEXTBOOK = EXAMPLES / "map-outage-mid-send-textbook.yaml"
PANICKED = EXAMPLES / "map-outage-mid-send-panicked.yaml"
LOADED = load_scenario_file(FLAGSHIP)
RUN_KEYS = {
    "id", "scenario", "team", "seed", "kind", "official", "status", "started_at", "overall",
    "cadence", "plan_b", "restraint", "rating", "seal", "journal",
}  # fmt: skip


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def save(
    *,
    actions: Path = TEXTBOOK,
    seed: int = 1,
    team: str = "ops",
    official: bool = False,
    started_at: str = "2026-12-01T09:00:00+00:00",
    text: str | None = None,
    scoring: str | None = None,
) -> Path:
    """Play an actions file and keep the run as ``drillsim run --save`` does, with a chosen
    start time, scenario text and scoring version; index it; return its journal."""
    from drillsim.store.runs import index_journal, open_history
    from scoring import __version__

    loaded = LOADED if text is None else load_scenario_text(text, "changed.yaml")
    played = play_script(read_script(actions, loaded.scenario), loaded.scenario, seed)
    run_id = new_run_id()
    header = new_header(
        kind="scripted",
        run_id=run_id,
        scenario=ScenarioRef.of(loaded.scenario, loaded.sha256, loaded.text),
        seed=seed,
        player=Player(team=team),
        scoring_version=scoring or __version__,
        started_at=started_at,
        official=official,
    )
    journal = paths.runs_dir() / f"{run_id}.jsonl"
    write_journal(
        journal, header, played.drill.events, installation_key(paths.data_dir(), create=True)
    )
    with open_history() as history:
        index_journal(history, journal, running=False)
    return journal


def listed(capsys, *argv: str) -> list[dict]:
    code, out, _ = cli(capsys, "runs", "--json", *argv)
    assert code == 0
    return json.loads(out)["runs"]


# ------------------------------------------------------------------ runs
def test_runs_lists_saved_runs_newest_first_with_every_key(capsys) -> None:
    code, _, err = cli(
        capsys, "run", str(FLAGSHIP), "--actions", str(PANICKED), "--seed", "2", "--save",
        "--team", "ops", "--official",
    )  # fmt: skip
    assert code == 0
    older = save(started_at="2026-01-01T09:00:00+00:00")
    runs = listed(capsys)
    assert [run["journal"] for run in runs][1] == str(older)
    newest = runs[0]
    assert set(newest) >= RUN_KEYS
    assert newest["kind"] == "scripted" and newest["official"] is True
    assert newest["status"] == "finished" and newest["seal"] == "sealed" and newest["seed"] == 2
    assert newest["id"] in err and newest["rating"] in "PSMU"


def test_a_partial_run_shows_its_score_as_not_rated(capsys, tmp_path: Path) -> None:
    """A tester ended a drill at T+0:03 and read "partial 100.0" above a real 98.3: nothing
    was owed yet, so nothing was lost. Lists write a partial run's overall in brackets and
    say what they mean."""
    ended = tmp_path / "ended.yaml"
    ended.write_text("- at: 3m\n  end_drill: {}\n", encoding="utf-8")
    save(actions=ended, started_at="2026-12-02T09:00:00+00:00")
    save(started_at="2026-12-01T09:00:00+00:00")
    code, out, _ = cli(capsys, "runs")
    assert code == 0
    lines = out.splitlines()
    assert "partial     (100.0) -" in lines[1]
    assert "finished" in lines[2] and "(" not in lines[2]
    assert lines[-1] == "(overall): a partial run, scored on what was played and not rated"


@pytest.mark.slow
def test_runs_filters_by_scenario_team_and_day(capsys) -> None:
    save(team="ops", started_at="2026-03-01T09:00:00+00:00")
    save(team="sales", started_at="2026-05-01T09:00:00+00:00")
    assert [run["team"] for run in listed(capsys, "--team", "ops")] == ["ops"]
    assert [run["team"] for run in listed(capsys, "--since", "2026-04-30")] == ["sales"]
    assert listed(capsys, "--scenario", "crm-down-quarter-end") == []
    assert len(listed(capsys, "--scenario", "map-outage-mid-send")) == 2
    code, out, _ = cli(capsys, "runs", "--team", "nobody")
    assert code == 0 and "no runs match" in out


def test_runs_text_shows_a_page_and_says_how_many_more(capsys) -> None:
    for day in (1, 2, 3):
        save(started_at=f"2026-02-0{day}T09:00:00+00:00")
    code, out, _ = cli(capsys, "runs", "--limit", "2")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("ID") and len(lines) == 4
    assert "2026-02-03" in lines[1] and "2026-02-02" in lines[2]
    assert " practice " in lines[1]  # as the TUI says it, never a bare '-'
    assert lines[3] == "... 1 older run not shown (--limit 0 shows all)"


def test_a_bad_day_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["runs", "--since", "1 March"])
    assert stop.value.code == 2 and "use YYYY-MM-DD" in capsys.readouterr().err


# ------------------------------------------------------------------ faults
def test_a_corrupt_history_names_reindex_and_reindex_rebuilds_it(capsys, home: Path) -> None:
    journal = save()
    before = journal.read_bytes()
    for suffix in ("-wal", "-shm"):
        Path(f"{paths.history_file()}{suffix}").unlink(missing_ok=True)
    paths.history_file().write_bytes(b"\0garbage" * 512)
    code, _, err = cli(capsys, "runs")
    assert code == 1 and "damaged" in err and "drillsim runs --reindex" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = cli(capsys, "run", str(FLAGSHIP), "--actions", str(TEXTBOOK), "--save")
    assert code == 1 and "--reindex" in err, "a run is not saved into a damaged history"
    runs = listed(capsys, "--reindex")
    assert [run["journal"] for run in runs] == [str(journal)]
    assert journal.read_bytes() == before
    assert (home / "history.sqlite3.before-reindex").exists()


def test_a_journal_from_a_newer_drillsim_is_a_one_line_error(capsys, tmp_path: Path) -> None:
    journal = tmp_path / "future.jsonl"
    journal.write_text(json.dumps({"journal": 99, "run_id": "x"}) + "\n", encoding="utf-8")
    code, _, err = cli(capsys, "show", str(journal))
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "journal format 99 is not supported" in err and "upgrade drillsim" in err
    code, _, err = cli(capsys, "import", str(journal))
    assert code == 1 and "upgrade drillsim" in err


def test_official_needs_save(capsys) -> None:
    code, _, err = cli(capsys, "run", str(FLAGSHIP), "--actions", str(TEXTBOOK), "--official")
    assert code == 2 and "add --save" in err


def test_a_full_disk_stops_a_save_before_anything_is_written(
    capsys, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drillsim.store import runs

    monkeypatch.setattr(runs, "free_bytes", lambda folder: 0)
    code, _, err = cli(capsys, "run", str(FLAGSHIP), "--actions", str(TEXTBOOK), "--save")
    assert code == 2 and "a run needs 8 MB" in err
    assert list((home / "runs").glob("*.jsonl")) == []


# ------------------------------------------------------------------ show
def test_show_prints_a_past_runs_debrief(capsys) -> None:
    journal = save(official=True)
    code, out, _ = cli(capsys, "show", "latest")
    assert code == 0
    first, second = out.splitlines()[:2]
    assert first.startswith(f"Run {journal.stem} · scripted · official · started 2026-12-01")
    assert first.endswith("· finished")
    assert second == "map-outage-mid-send 1.0.0 · seed 1 · team 'ops'"
    assert "Journal: sealed" in out and f"Journal file: {journal}" in out
    code, score_out, _ = cli(capsys, "score", str(journal), "--json")
    code, shown, _ = cli(capsys, "show", journal.stem[:-2], "--json")
    assert json.loads(shown)["card"] == json.loads(score_out)


def test_show_of_an_unknown_run_says_which_was_meant(capsys) -> None:
    journal = save()
    typo = journal.stem[:-1] + ("0" if journal.stem[-1] != "0" else "1")
    code, _, err = cli(capsys, "show", typo)
    assert code == 1
    assert err.strip() == f"drillsim show: no run '{typo}'; did you mean '{journal.stem}'?"


# ------------------------------------------------------------------ import
def test_import_copies_skips_the_same_and_reports_a_clash(
    capsys, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "other-machine"
    monkeypatch.setenv("DRILLSIM_HOME", str(elsewhere))
    journal = save(official=True)
    monkeypatch.setenv("DRILLSIM_HOME", str(home))
    code, out, _ = cli(capsys, "import", str(elsewhere / "runs"))
    assert code == 0 and out.splitlines()[-1] == "1 imported, 0 already kept, 0 not imported"
    [run] = listed(capsys)
    assert run["id"] == journal.stem and run["official"] is True
    assert run["seal"] == "intact", "another installation's seal is not this one's"
    assert Path(run["journal"]).read_bytes() == journal.read_bytes()
    code, out, _ = cli(capsys, "import", str(journal))
    assert code == 0 and out.splitlines()[-1] == "0 imported, 1 already kept, 0 not imported"
    clash = tmp_path / "clash" / journal.name
    clash.parent.mkdir()
    clash.write_bytes(journal.read_bytes().replace(b'"seed":1', b'"seed":2', 1))
    code, out, err = cli(capsys, "import", str(clash))
    assert code == 1 and out.splitlines()[-1] == "0 imported, 0 already kept, 1 not imported"
    assert "chain" in err or "already kept with other content" in err
    assert len(listed(capsys)) == 1


def test_import_of_the_same_id_with_other_content_is_reported(
    capsys, home: Path, tmp_path: Path
) -> None:
    journal = save()
    other = tmp_path / "other" / journal.name
    other.parent.mkdir()
    lines = journal.read_bytes().splitlines(keepends=True)
    other.write_bytes(b"".join(lines[:-1]))  # the same run, without its seal line: edited
    code, _, err = cli(capsys, "import", str(other))
    assert code == 1 and f"run {journal.stem} is already kept with other content" in err


def test_a_run_whose_process_died_after_sealing_its_journal_is_indexed_as_finished(
    capsys,
) -> None:
    """The process sealed the journal and died before scoring its row: the row still says
    running and nobody holds the run's lock. Opening the history notices the journal ended
    and indexes it as finished (it read 'interrupted  - -' until rescore --all)."""
    from drillsim.store.runs import open_history, started_record

    journal = save()
    [finished] = listed(capsys)
    connection = sqlite3.connect(paths.history_file())
    with connection:
        connection.execute("UPDATE runs SET status = 'running', overall = NULL, rating = NULL")
    connection.close()
    [run] = listed(capsys)
    assert (run["status"], run["overall"], run["rating"]) == (
        "finished",
        finished["overall"],
        finished["rating"],
    )
    with open_history() as history:
        assert history.get(run["id"]).status == "finished"  # kept, not only shown
    # A run whose journal has no end stays interrupted, its journal not scored.
    lines = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(b"".join(lines[:-2]))
    header = started_record(open_run_header(journal), journal)
    with open_history() as history:
        history.put(header)
    [run] = listed(capsys)
    assert (run["status"], run["overall"]) == ("interrupted", None)


def open_run_header(journal: Path):
    from drillsim.journal import read_journal

    return read_journal(journal, partial=True).header


# ------------------------------------------------------------------ rescore
def test_rescore_records_the_current_scoring_version(capsys) -> None:
    from scoring import __version__

    journal = save()
    connection = sqlite3.connect(paths.history_file())
    with connection:
        connection.execute("UPDATE runs SET scoring_version = '0.0.1', overall = 1.0")
    connection.close()
    code, out, _ = cli(capsys, "rescore", "--all")
    assert code == 0 and f"(scoring 0.0.1 -> {__version__})" in out
    [run] = listed(capsys)
    assert run["scoring_version"] == __version__ and run["overall"] > 1.0
    assert cli(capsys, "rescore", journal.stem)[0] == 0
    code, _, err = cli(capsys, "rescore")
    assert code == 2 and "--all" in err


# ------------------------------------------------------------------ compare
def test_compare_puts_two_runs_side_by_side_with_deltas_and_skill(capsys) -> None:
    good = save(seed=3)
    bad = save(actions=PANICKED, seed=4)
    code, out, _ = cli(capsys, "compare", good.stem, str(bad), "--json")
    assert code == 0
    result = json.loads(out)
    runs = {run["id"]: run for run in listed(capsys)}
    overall = result["dimensions"]["overall"]
    assert overall["a"] == pytest.approx(runs[good.stem]["overall"])
    assert overall["delta"] == pytest.approx(overall["b"] - overall["a"]) and overall["delta"] < 0
    for side, run in (("a", good), ("b", bad)):
        bots = result[side]["baselines"]
        team = result["dimensions"]["overall"][side]
        expected = (team - bots["random"]["overall"]) / (
            bots["oracle"]["overall"] - bots["random"]["overall"]
        )
        assert result[side]["skill"]["overall"] == pytest.approx(expected)
        assert result[side]["seed"] == (3 if run is good else 4)
    assert {a["audience"] for a in result["audiences"]} >= {"Executive team"}
    assert {d["decision"] for d in result["decisions"]} == {"ads-plan", "forms-plan", "send-plan"}
    assert result["warnings"] == []
    code, text, _ = cli(capsys, "compare", good.stem, bad.stem)
    assert "B - A" in text and "significan" not in text.lower()
    assert "Two runs show a difference, not whether it would hold up" in text


@pytest.mark.slow
def test_compare_warns_with_what_changed_in_the_scenario_and_the_scoring(capsys) -> None:
    changed = LOADED.text.replace('version: "1.0.0"', 'version: "1.1.0"', 1)
    assert "weights:" in changed
    changed = changed.replace("weights: {cadence: 0.4", "weights: {cadence: 0.5", 1)
    first = save()
    second = save(text=changed, scoring="0.0.9")
    code, out, _ = cli(capsys, "compare", first.stem, second.stem, "--json")
    assert code == 0
    warnings = json.loads(out)["warnings"]
    assert any(
        "different texts of map-outage-mid-send" in w and "weights: cadence 0.4 -> 0.5" in w
        for w in warnings
    ), warnings
    assert any("different scoring versions" in w and "0.0.9" in w for w in warnings), warnings


def test_compare_needs_two_runs_or_a_team_and_scenario(capsys) -> None:
    assert cli(capsys, "compare", "latest")[0] == 2
    assert cli(capsys, "compare", "--team", "ops")[0] == 2
    code, _, err = cli(capsys, "compare", "--team", "ops", "--scenario", "map-outage-mid-send")
    assert code == 1 and "no finished official runs" in err


def test_a_trend_shows_an_interval_from_four_official_runs(capsys) -> None:
    for day, seed in ((1, 1), (2, 2), (3, 3)):
        save(official=True, seed=seed, started_at=f"2026-0{day}-01T09:00:00+00:00")
    save(official=False, actions=PANICKED, started_at="2026-03-15T09:00:00+00:00")
    args = ("compare", "--team", "ops", "--scenario", "map-outage-mid-send")
    code, out, _ = cli(capsys, *args)
    assert code == 0 and "3 finished official runs" in out and "no interval" in out
    save(official=True, actions=PANICKED, seed=4, started_at="2026-04-01T09:00:00+00:00")
    code, out, _ = cli(capsys, *args, "--json")
    result = json.loads(out)
    assert len(result["runs"]) == 4, "the practice run is left out"
    interval = result["intervals"]["overall"]
    assert interval["low"] <= interval["high"] and interval["runs"] == 4
    latest = result["runs"][-1]["overall"]
    assert interval["latest"] == latest
    assert (interval["verdict"] == "no clear change") == (
        interval["low"] <= latest <= interval["high"]
    )
    code, text, _ = cli(capsys, *args)
    assert "95% bootstrap interval" in text and "significan" not in text.lower()


def test_the_bootstrap_interval_is_seeded_and_brackets_the_mean() -> None:
    from scoring.compare import bootstrap_interval

    values = [50.0, 60.0, 55.0, 70.0, 65.0]
    first, second = bootstrap_interval(values), bootstrap_interval(values)
    assert first == second
    assert min(values) <= first.low <= sum(values) / len(values) <= first.high <= max(values)
    assert bootstrap_interval([5.0, 5.0, 5.0, 5.0]).holds(5.0)


# ------------------------------------------------------------------ concurrency
@pytest.mark.slow
def test_two_processes_saving_200_runs_each_lose_none(home: Path, tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(
        "import sys\n"
        "from pathlib import Path\n"
        "from drillsim import paths\n"
        "from drillsim.engine.drill import Drill\n"
        "from drillsim.journal import Player, ScenarioRef, installation_key, new_header,"
        " new_run_id, write_journal\n"
        "from drillsim.scenario.loader import load_scenario_file\n"
        "from drillsim.store.runs import index_journal, open_history\n"
        f"loaded = load_scenario_file({str(FLAGSHIP)!r})\n"
        "drill = Drill(loaded.scenario, 7)\n"
        "drill.advance_to(drill.length)\n"
        "key = installation_key(paths.data_dir(), create=True)\n"
        "for n in range(int(sys.argv[1])):\n"
        "    run_id = new_run_id()\n"
        "    header = new_header(kind='scripted', run_id=run_id,"
        " scenario=ScenarioRef.of(loaded.scenario, loaded.sha256, loaded.text), seed=7,"
        " player=Player(team=sys.argv[2]), scoring_version='0.1.0')\n"
        "    journal = paths.runs_dir() / f'{run_id}.jsonl'\n"
        "    write_journal(journal, header, drill.events, key)\n"
        "    with open_history() as history:\n"
        "        index_journal(history, journal, running=False)\n",
        encoding="utf-8",
    )
    writers = [
        subprocess.Popen([sys.executable, str(script), "200", team], stderr=subprocess.PIPE)
        for team in ("a", "b")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=900)
        assert writer.returncode == 0, err.decode()
    connection = sqlite3.connect(paths.history_file())
    counts = dict(connection.execute("SELECT team, COUNT(*) FROM runs GROUP BY team"))
    assert counts == {"a": 200, "b": 200}
    assert len(list((home / "runs").glob("*.jsonl"))) == 400
