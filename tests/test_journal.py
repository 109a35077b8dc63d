"""The journal: reproducible files, crash-safe appends, and clear errors for bad ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FLAGSHIP, run_script

from drillsim.journal import (
    Header,
    JournalError,
    JournalWriter,
    read_journal,
    simulated_header,
    write_journal,
)
from drillsim.scenario.loader import load_scenario


@pytest.fixture(scope="module")
def flagship_run():
    scenario, sha = load_scenario(FLAGSHIP)
    drill = run_script(scenario, 3, [])
    return scenario, sha, drill


def write(path: Path, flagship_run) -> Path:
    scenario, sha, drill = flagship_run
    write_journal(
        path, simulated_header(scenario.id, scenario.version, sha, "passive", 3), drill.events
    )
    return path


def test_round_trip(tmp_path, flagship_run) -> None:
    scenario, sha, drill = flagship_run
    journal = read_journal(write(tmp_path / "run.jsonl", flagship_run))
    assert journal.header.scenario == scenario.id
    assert journal.header.scenario_sha256 == sha
    assert journal.header.policy == "passive" and journal.header.team is None
    assert journal.events == drill.events


def test_header_line(tmp_path, flagship_run) -> None:
    first = json.loads((write(tmp_path / "run.jsonl", flagship_run)).read_text().splitlines()[0])
    assert first["journal"] == 1
    assert first["run_id"].startswith("sim-")
    assert set(first["scenario"]) == {"id", "version", "sha256"}
    assert first["player"] == {"policy": "passive"}
    assert set(first["versions"]) == {"drillsim", "scoring"}
    assert "started_at" not in first


def test_simulated_run_ids_depend_on_what_ran() -> None:
    one = simulated_header("s", "1", "abc", "oracle", 1).run_id
    assert one == simulated_header("s", "1", "abc", "oracle", 1).run_id
    assert one != simulated_header("s", "1", "abc", "oracle", 2).run_id
    assert one != simulated_header("s", "1", "abc", "spam", 1).run_id


def test_writer_flushes_every_event_so_a_crash_loses_nothing(tmp_path, flagship_run) -> None:
    _, sha, drill = flagship_run
    header = Header(
        "run-1",
        "map-outage-mid-send",
        "1.0.0",
        sha,
        3,
        team="Ops",
        started_at="2026-11-26T09:00:00Z",
    )
    writer = JournalWriter(tmp_path / "live.jsonl", header)
    for event in drill.events[:5]:
        writer.append(event, wall="2026-11-26T09:00:01Z")
    # No close(): what a crash leaves behind is already on disk.
    lines = (tmp_path / "live.jsonl").read_text().splitlines()
    assert len(lines) == 6
    assert json.loads(lines[1])["wall"] == "2026-11-26T09:00:01Z"
    assert json.loads(lines[0])["player"] == {"team": "Ops"}
    writer.close()
    with pytest.raises(FileExistsError):
        JournalWriter(tmp_path / "live.jsonl", header)


@pytest.mark.parametrize(
    ("mangle", "line", "message"),
    [
        (lambda text: text[: len(text) // 2], None, "cut off (truncated journal)"),
        (
            lambda text: "\n".join(text.splitlines()[:-1]) + "\n",
            None,
            "without a drill_ended event",
        ),
        (lambda text: "hello\n" + text, 1, "not JSON"),
        (lambda text: '{"not": "a journal"}\n' + text, 1, "not a drillsim journal"),
        (
            lambda text: text.replace('"journal":1', '"journal":9', 1),
            1,
            "journal format 9 is not supported",
        ),
        (lambda text: text.replace('"seq":3,', '"seq":7,', 1), 4, "seq 7 where 3 was expected"),
        (
            lambda text: text.replace('"kind":"update_sent"', '"kind":"teleport"').replace(
                '"kind":"inject_delivered"', '"kind":"teleport"', 1
            ),
            3,
            "unknown event kind 'teleport'",
        ),
        (lambda text: "", 1, "file is empty"),
    ],
)
def test_bad_journals_get_a_located_error(tmp_path, flagship_run, mangle, line, message) -> None:
    path = write(tmp_path / "run.jsonl", flagship_run)
    path.write_text(mangle(path.read_text()))
    with pytest.raises(JournalError) as raised:
        read_journal(path)
    assert message in str(raised.value)
    assert str(raised.value).startswith(f"{path}:")
    if line is not None:
        assert raised.value.line == line


def test_binary_garbage(tmp_path) -> None:
    path = tmp_path / "noise.jsonl"
    path.write_bytes(bytes(range(256)))
    with pytest.raises(JournalError, match=r"noise\.jsonl:1: "):
        read_journal(path)


def test_missing_journal(tmp_path) -> None:
    with pytest.raises(JournalError, match="no such file") as raised:
        read_journal(tmp_path / "nope.jsonl")
    assert raised.value.line == 0


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (
            lambda rows: rows[2].update(t=float("nan")) or rows,
            "NaN is not a number a journal may hold",
        ),
        (lambda rows: rows[3].update(t=-5.0) or rows, "goes back"),
        (lambda rows: rows.insert(3, dict(rows[-1], seq=3)) or rows, "in the middle of the run"),
        (lambda rows: rows[0].update(seed=999) or rows, "does not match the header"),
    ],
)
def test_inconsistent_journals_are_refused(tmp_path, flagship_run, mangle, message) -> None:
    path = write(tmp_path / "run.jsonl", flagship_run)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    rows = mangle(rows)
    for index, row in enumerate(rows[1:], start=1):
        row["seq"] = index
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    with pytest.raises(JournalError, match=message):
        read_journal(path)


def test_a_tampered_outage_length_is_refused(flagship_run) -> None:
    from drillsim.engine.events import Event
    from scoring import score_run
    from scoring.timeline import JournalMismatch

    scenario, _, drill = flagship_run
    events = list(drill.events)
    start = events[0]
    events[0] = Event(start.seq, start.t, start.kind, {**start.data, "truth": {"duration": 300.0}})
    with pytest.raises(JournalMismatch, match=r"recorded as 300\.0 s"):
        score_run(scenario, events)
