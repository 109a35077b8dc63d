"""`drillsim simulate` and `drillsim score`: exact JSON shapes, reproducible journals, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FLAGSHIP

from drillsim.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "drillsim", *args], capture_output=True, text=True, timeout=300
    )


SIMULATION = (
    "simulate", "map-outage-mid-send", "--seeds", "3", "--seed-start", "5",
    "--policy", "oracle,panic",
)  # fmt: skip
"""The simulation every test here scores: three seeds, two policies."""


@pytest.fixture(scope="module")
def journals(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("journals")
    result = run(*SIMULATION, "--journal-dir", str(folder), "--json")
    assert result.returncode == 0, result.stderr
    return folder, json.loads(result.stdout)


@pytest.mark.slow
def test_simulate_json_has_exactly_the_documented_shape(journals) -> None:
    _, report = journals
    assert set(report) == {"scenario", "seeds", "policies"}
    assert report["scenario"] == "map-outage-mid-send" and report["seeds"] == 3
    assert set(report["policies"]) == {"oracle", "panic"}
    for row in report["policies"].values():
        assert set(row) == {"overall", "cadence", "plan_b", "restraint"}
        for stats in row.values():
            assert set(stats) == {"median", "p10", "p90"}
            assert all(isinstance(value, float) for value in stats.values())


def test_simulate_writes_one_journal_per_policy_and_seed(journals) -> None:
    folder, _ = journals
    names = sorted(path.name for path in folder.iterdir())
    assert names == sorted(
        f"map-outage-mid-send-{policy}-{seed}.jsonl"
        for policy in ("oracle", "panic")
        for seed in (5, 6, 7)
    )


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2", "5"])
def test_simulations_in_turn_or_in_workers_print_and_write_the_same_bytes(
    journals, tmp_path, jobs
) -> None:
    folder, report = journals
    result = run(*SIMULATION, "--journal-dir", str(tmp_path), "--json", "--jobs", jobs)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == report
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        path.name for path in folder.iterdir()
    )
    for path in folder.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes()


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_batch_in_workers_returns_what_one_in_turn_does(monkeypatch, method) -> None:
    import multiprocessing

    import drillsim.simulation
    from drillsim.scenario.loader import load_scenario_file
    from drillsim.simulation import simulate

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} on this platform")
    monkeypatch.setattr(drillsim.simulation, "_start_method", lambda: method)
    loaded = load_scenario_file(FLAGSHIP)
    calls: list[int] = []
    parallel = simulate(
        loaded, ["panic", "oracle"], range(3, 7), jobs=2, on_run=lambda: calls.append(1)
    )
    assert parallel == simulate(loaded, ["panic", "oracle"], range(3, 7), jobs=1)
    assert list(parallel) == ["panic", "oracle"]
    assert [run.seed for run in parallel["oracle"]] == [3, 4, 5, 6]
    assert len(calls) == 8  # progress moves once per drill


def _dies_at_seed_9_or_2(tasks: list[tuple[int, str, int]]) -> list:
    import os

    from drillsim.simulation import _WORKER_BATCH

    if any(seed in (2, 9) for _, _, seed in tasks):
        os._exit(7)
    assert _WORKER_BATCH is not None
    return [(index, _WORKER_BATCH.run(policy, seed)) for index, policy, seed in tasks]


@pytest.mark.parametrize(
    "command",
    [
        ["simulate", "map-outage-mid-send", "--seeds", "12", "--policy", "passive", "--jobs", "2"],
        ["lint", FLAGSHIP, "--check-scoring", "--seeds", "3", "--jobs", "2"],
    ],
    ids=["simulate", "lint --check-scoring"],
)
def test_a_worker_that_dies_stops_a_batch_command_with_one_line(
    monkeypatch, tmp_path, capsys, command
) -> None:
    import multiprocessing

    import drillsim.simulation

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("the stand-in worker is handed over by fork")
    monkeypatch.setattr(drillsim.simulation, "_start_method", lambda: "fork")
    monkeypatch.setattr(drillsim.simulation, "_run_tasks", _dies_at_seed_9_or_2)
    code = main([str(part) for part in command])
    error = capsys.readouterr().err
    assert code == 1
    assert error.splitlines()[-1] == (
        f"drillsim {command[0]}: a worker process exited with code 7 before it finished its "
        "drills; run the batch again with --jobs 1 to play the drills one at a time without "
        "worker processes and see the error"
    )
    assert "Traceback" not in error


def test_a_journal_folder_that_cannot_be_made_is_a_usage_error(tmp_path, capsys) -> None:
    taken = tmp_path / "runs"
    taken.write_text("a file, not a folder")
    code = main([*SIMULATION, "--journal-dir", str(taken)])
    assert code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"drillsim simulate: cannot write journals to {taken}: File exists"
    )


def test_only_errors_about_the_journal_folder_are_called_journal_errors() -> None:
    from drillsim.commands.simulate import _in_folder

    assert _in_folder("/runs/a.jsonl.part", "/runs")
    assert _in_folder("/runs", "/runs/")
    assert not _in_folder("/runs-old/a.jsonl", "/runs")
    assert not _in_folder("/home/me/.local/share/drillsim/key", "/runs")
    assert not _in_folder(None, "/runs")  # fork out of memory: no file at all
    assert not _in_folder("/runs/a.jsonl", None)


def _stderr_once_ended(process: subprocess.Popen[str], seconds: float) -> str:
    """What ``process`` printed on stderr by its end; killed if it runs past ``seconds``."""
    try:
        return process.communicate(timeout=seconds)[1]
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def _long_batch_writing_journals(tmp_path: Path, *, own_group: bool) -> subprocess.Popen[str]:
    """``drillsim simulate`` of 5,000 seeds in two workers, once its first journal is written
    (``own_group``: in a process group of its own, as a terminal's foreground job is)."""
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "drillsim", "simulate", "map-outage-mid-send", "--seeds",
         "5000", "--jobs", "2", "--journal-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=own_group,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not any(tmp_path.glob("*.jsonl")):
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            _, error = process.communicate()
            pytest.fail(f"no journal written within 60 s: {error}")
        time.sleep(0.05)
    return process


@pytest.mark.slow
@pytest.mark.skipif(
    not Path(f"/proc/self/task/{os.getpid()}/children").exists(),
    reason="needs Linux /proc with the children list",
)
def test_a_worker_killed_from_outside_stops_simulate_with_one_line(tmp_path) -> None:
    """What the kernel's out-of-memory killer does to a worker: the run stops at once, says
    how the worker ended and what to try, and leaves no half-written journal."""
    import os
    import signal

    process = _long_batch_writing_journals(tmp_path, own_group=False)
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    os.kill(int(children.read_text().split()[0]), signal.SIGKILL)
    error = _stderr_once_ended(process, 60)
    assert process.returncode == 1
    assert error.splitlines()[-1].startswith(
        "drillsim simulate: a worker process was killed by SIGKILL before it finished its "
        "drills; if the machine ran short of memory, run the batch again with fewer --jobs"
    )
    assert "Traceback" not in error
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.slow
def test_ctrl_c_stops_a_batch_in_workers_with_one_line_and_no_half_journals(tmp_path) -> None:
    import os
    import signal

    process = _long_batch_writing_journals(tmp_path, own_group=True)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: every process of the group
    error = _stderr_once_ended(process, 60)
    assert process.returncode == 130
    assert error.splitlines()[-1:] == ["drillsim simulate: interrupted"]
    assert "Traceback" not in error
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_ctrl_c_while_the_workers_start_stops_them_all(tmp_path) -> None:
    """A Ctrl-C as the first worker is forked (before any could ignore it) once left the
    workers playing on after the parent gave up, or a worker's traceback."""
    import os
    import signal
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "drillsim", "simulate", "map-outage-mid-send", "--seeds",
         "5000", "--jobs", "2", "--journal-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )  # fmt: skip
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if children.read_text().split():
            break
        time.sleep(0.001)
    os.killpg(process.pid, signal.SIGINT)
    error = _stderr_once_ended(process, 120)
    assert process.returncode == 130
    assert error.splitlines()[-1:] == ["drillsim simulate: interrupted"]
    assert "Traceback" not in error


@pytest.mark.slow
def test_score_equals_what_simulate_reported(journals) -> None:
    folder, _ = journals
    single = run(
        "simulate",
        "map-outage-mid-send",
        "--seeds",
        "1",
        "--seed-start",
        "6",
        "--policy",
        "panic",
        "--json",
    )
    expected = json.loads(single.stdout)["policies"]["panic"]["overall"]["median"]
    scored = run("score", str(folder / "map-outage-mid-send-panic-6.jsonl"), "--json")
    assert scored.returncode == 0, scored.stderr
    card = json.loads(scored.stdout)
    assert card["overall"] == expected
    assert {"overall", "cadence", "plan_b", "restraint", "rating", "deductions", "luck"} <= set(
        card
    )
    assert card["rating"] in ("P", "S", "M", "U")
    assert all(
        isinstance(card[key], float) for key in ("overall", "cadence", "plan_b", "restraint")
    )
    assert isinstance(card["deductions"][0]["points"], float)


def test_score_text_output(journals, capsys) -> None:
    folder, _ = journals
    assert main(["score", str(folder / "map-outage-mid-send-oracle-5.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "map-outage-mid-send 1.0.0 · seed 5 · policy oracle" in out
    assert "Overall 100.0  P — Performed without challenges" in out, out
    assert main(["score", str(folder / "map-outage-mid-send-panic-6.jsonl")]) == 0
    lost = capsys.readouterr().out.split("Where the points went", 1)[1].splitlines()[1:]
    shown = {line[8:17].strip() for line in lost if line.startswith("  -")}
    assert shown and shown <= {"Cadence", "Plan B", "Restraint"}  # labels, never plan_b


def first_format(text: str) -> str:
    """A journal as the first release wrote it: no chain, no seal, no embedded scenario."""
    rows = [json.loads(line) for line in text.splitlines()]
    rows = [row for row in rows if row.get("kind") not in ("seal", "clock")]
    for row in rows:
        row.pop("chain", None)
    header = rows[0]
    header["journal"] = 1
    header["scenario"].pop("text")
    header.pop("kind")
    header["versions"].pop("engine")
    return "".join(json.dumps(row) + "\n" for row in rows)


@pytest.mark.slow
def test_a_run_scores_on_its_own_scenario_text_whatever_the_file_became(journals, tmp_path) -> None:
    folder, _ = journals
    changed = tmp_path / "flagship-edited.yaml"
    changed.write_text(FLAGSHIP.read_text().replace('version: "1.0.0"', 'version: "1.0.1"'))
    journal = str(folder / "map-outage-mid-send-oracle-5.jsonl")
    plain = json.loads(run("score", journal, "--json").stdout)
    result = run("score", journal, "--scenario", str(changed), "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == plain and plain["seal"] == "sealed"
    assert "--scenario is ignored" in result.stderr


@pytest.mark.slow
def test_a_first_format_journal_scores_unverified(journals, tmp_path) -> None:
    folder, _ = journals
    old = tmp_path / "old.jsonl"
    original = folder / "map-outage-mid-send-oracle-5.jsonl"
    old.write_text(first_format(original.read_text()))
    card = json.loads(run("score", str(old), "--json").stdout)
    assert card["seal"] == "unverified"
    assert card["overall"] == json.loads(run("score", str(original), "--json").stdout)["overall"]


def test_score_refuses_a_first_format_journal_from_another_scenario_version(
    journals, tmp_path
) -> None:
    folder, _ = journals
    changed = tmp_path / "flagship-edited.yaml"
    changed.write_text(FLAGSHIP.read_text().replace('version: "1.0.0"', 'version: "1.0.1"'))
    old = tmp_path / "map-outage-mid-send-oracle-5.jsonl"
    old.write_text(first_format((folder / old.name).read_text()))
    result = run("score", str(old), "--scenario", str(changed))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert (
        "map-outage-mid-send-oracle-5.jsonl:1: the run was recorded with map-outage-mid-send 1.0.0"
        in lines[0]
    )
    assert "pass --scenario with the scenario file the run was recorded with" in lines[0]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("mangle", "where", "message"),
    [
        (lambda text: text[: len(text) - 40], ":", "the last line is cut off"),
        (lambda text: "garbage\n" + text, ":1:", "not JSON"),
        (lambda text: "\x00\x01\x02 binary", ":1:", "not"),
    ],
)
def test_score_bad_journal_is_one_line_exit_1(journals, tmp_path, mangle, where, message) -> None:
    folder, _ = journals
    path = tmp_path / "bad.jsonl"
    path.write_text(mangle((folder / "map-outage-mid-send-oracle-5.jsonl").read_text()))
    result = run("score", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"{path}{where}" in lines[0] and message in lines[0]


def test_score_missing_file_is_a_usage_error(tmp_path) -> None:
    assert main(["score", str(tmp_path / "nope.jsonl")]) == 2


def test_simulate_rejects_unknown_policies_and_scenarios(capsys) -> None:
    assert main(["simulate", "map-outage-mid-send", "--policy", "oracle,genius"]) == 2
    assert "unknown policy genius" in capsys.readouterr().err
    assert main(["simulate", "no-such-scenario"]) == 2
    assert "no scenario 'no-such-scenario'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as raised:
        main(["simulate", "map-outage-mid-send", "--seeds", "0"])
    assert raised.value.code == 2


def test_simulate_text_table(capsys) -> None:
    assert (
        main(["simulate", "map-outage-mid-send", "--seeds", "2", "--policy", "oracle,passive"]) == 0
    )
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "map-outage-mid-send · 2 seeds (0-1)"
    assert out.splitlines()[2].startswith("oracle")


def test_a_median_is_never_shown_outside_its_range() -> None:
    """A tester read "diligent 99.9 ( 100-100)": the range is written in whole points
    rounded outwards, so it holds the median as shown; a range of (near) zeros stays 0-0."""
    from drillsim.cardtext import summary_text

    stats = {"median": 99.94, "p10": 99.94, "p90": 100.0}
    zero = {"median": 0.0, "p10": 0.0, "p90": 2e-13}
    row = {"overall": stats, "cadence": zero, "plan_b": None, "restraint": stats}
    text = summary_text({"scenario": "s", "seeds": 2, "policies": {"diligent": row}}, range(2))
    line = text.splitlines()[2]
    assert "99.9 (  99-100)" in line and "0.0 (   0-  0)" in line and "n/a" in line


@pytest.mark.slow
def test_a_run_cut_short_scores_only_with_partial(journals, tmp_path) -> None:
    folder, _ = journals
    lines = (folder / "map-outage-mid-send-oracle-5.jsonl").read_text().splitlines(keepends=True)
    cut = tmp_path / "crashed.jsonl"
    cut.write_text("".join(lines[: len(lines) // 2]))  # whole lines: a crash, not a torn file

    refused = run("score", str(cut))
    assert refused.returncode == 1
    assert "without a drill_ended event" in refused.stderr
    assert "pass --partial" in refused.stderr

    scored = run("score", str(cut), "--partial", "--json")
    assert scored.returncode == 0, scored.stderr
    card = json.loads(scored.stdout)
    assert card["partial"] is True
    assert 0.0 <= card["overall"] <= 100.0

    text = run("score", str(cut), "--partial")
    assert "Partial run: stopped at T+" in text.stdout


@pytest.mark.slow
def test_a_partial_run_says_the_outage_was_on_only_when_it_was(journals, tmp_path) -> None:
    folder, _ = journals
    lines = (folder / "map-outage-mid-send-oracle-5.jsonl").read_text().splitlines(keepends=True)
    resolved = next(i for i, line in enumerate(lines) if '"incident_resolved"' in line)
    for upto, outage_on in ((resolved, True), (resolved + 2, False)):
        cut = tmp_path / f"cut-{upto}.jsonl"
        cut.write_text("".join(lines[:upto]))
        shown = run("score", str(cut), "--partial").stdout
        assert "Partial run: stopped at T+" in shown
        assert ("outage still on" in shown) is outage_on


@pytest.mark.slow
def test_partial_drops_a_torn_last_line_with_a_warning(journals, tmp_path) -> None:
    folder, _ = journals
    text = (folder / "map-outage-mid-send-oracle-5.jsonl").read_text()
    torn = tmp_path / "torn.jsonl"
    torn.write_text(text[: len(text) - 400])
    result = run("score", str(torn), "--partial", "--json")
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    assert card["partial"] is True and card["rating"] is None and card["seal"] == "intact"
    assert "dropped the last line, cut off mid-write" in result.stderr


@pytest.mark.slow
def test_a_run_cut_while_a_decision_was_open_still_judges_it(tmp_path) -> None:
    assert (
        run(
            "simulate",
            "map-outage-mid-send",
            "--seeds",
            "1",
            "--policy",
            "passive",
            "--journal-dir",
            str(tmp_path),
        ).returncode
        == 0
    )
    lines = next(tmp_path.glob("*.jsonl")).read_text().splitlines(keepends=True)
    opened = next(i for i, line in enumerate(lines) if '"decision_opened"' in line)
    # Cut at the next moment after it opened: a decision open for no time at all, cut at
    # the instant it opened, did not arise (scoring.timeline.arisen).
    at = json.loads(lines[opened])["t"]
    later = next(i for i in range(opened, len(lines)) if json.loads(lines[i]).get("t", at) > at)
    cut = tmp_path / "cut.jsonl"
    cut.write_text("".join(lines[: later + 1]))
    card = json.loads(run("score", str(cut), "--partial", "--json").stdout)
    assert card["partial"] is True and card["plan_b"] is not None
    assert [d["reason"] for d in card["decisions"]] == ["unfinished"]
    assert card["impact"] is None  # the engine never said what the loss was
    assert card["luck"]["expected_loss"] == card["luck"]["realised_loss"] == 0.0
    text = run("score", str(cut), "--partial").stdout
    assert "not rated" in text and "Performed" not in text
    assert "Luck (not scored): not shown" in text


def test_summary_figures_are_numpys_to_the_last_bit() -> None:
    """The batch summary computes its median and percentiles without numpy, and must give
    exactly what numpy.median and numpy.percentile (linear) give: golden scores and every
    summary ever printed were numpy's."""
    import random

    import numpy as np

    from drillsim.simulation import stats

    rng = random.Random(9)
    for size in [*range(1, 40), 199, 200, 201, 1000]:
        for values in (
            [rng.uniform(0, 100) for _ in range(size)],
            [round(rng.uniform(0, 100), 1) for _ in range(size)],
            [rng.choice([0.0, 12.5, 50.0, 100.0]) for _ in range(size)],
        ):
            data = np.asarray(values, dtype=float)
            assert stats(values) == {
                "median": float(np.median(data)),
                "p10": float(np.percentile(data, 10)),
                "p90": float(np.percentile(data, 90)),
            }, values
