"""Hostile journals at the command line: one clear line naming the file and line, exit 1
(2 for a path that cannot be read), no traceback, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drillsim.cli import main


@pytest.fixture(scope="module")
def journal(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    simulation = ["simulate", "map-outage-mid-send", "--seeds", "1", "--policy", "oracle"]
    assert main([*simulation, "--journal-dir", str(folder)]) == 0
    return next(folder.glob("*.jsonl"))


def mangled(journal: Path, tmp_path: Path, edit) -> Path:
    rows = [json.loads(line) for line in journal.read_text().splitlines()]
    edit(rows)
    path = tmp_path / "hostile.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


HOSTILE = {
    "player-string": lambda rows: rows[0].update(player="x"),
    "versions-null": lambda rows: rows[0].update(versions=None),
    "seed-huge": lambda rows: rows[0].update(seed=10**40),
    "sigma-zero": lambda rows: rows[1]["belief"].update(sigma=0),
    "sigma-huge": lambda rows: rows[1]["belief"].update(sigma=1e308),
    "variables-list": lambda rows: rows[1].update(variables=[1, 2]),
    "kind-unknown": lambda rows: rows[3].update(kind="teleport"),
    "time-back": lambda rows: rows[4].update(t=-1),
    "deleted-line": lambda rows: rows.pop(5),
    "newer-format": lambda rows: rows[0].update(journal=99),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_journal_gets_one_located_line_and_exit_1(
    journal, tmp_path, capsys, name
) -> None:
    path = mangled(journal, tmp_path, HOSTILE[name])
    before = sorted(tmp_path.iterdir())
    assert main(["score", str(path)]) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and captured.out == "", captured.err
    assert lines[0].startswith(f"drillsim score: {path}"), lines[0]
    assert "Traceback" not in captured.err
    assert sorted(tmp_path.iterdir()) == before


def test_a_missing_journal_is_a_usage_error(tmp_path, capsys) -> None:
    assert main(["score", str(tmp_path / "nowhere.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_a_folder_is_not_a_journal(tmp_path, capsys) -> None:
    assert main(["score", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
