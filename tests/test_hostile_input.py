"""Hostile scenario files get a located one-line error and a clean exit, nothing else."""

from __future__ import annotations

import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL

LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<field>[^:]+): .+; .+$")

BILLION_LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]"
            for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)


def _limit_resources() -> None:
    two_seconds = 2
    resource.setrlimit(resource.RLIMIT_CPU, (two_seconds, two_seconds))
    megabytes = 200 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (megabytes, megabytes))


def validate(*paths: Path | str) -> subprocess.CompletedProcess[str]:
    """Run `drillsim validate` as a user would, within 2 s of CPU and 200 MB of memory."""
    return subprocess.run(
        [sys.executable, "-m", "drillsim", "validate", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_resources,
    )


CASES = {
    "syntax-error": ("title: [unclosed\nid: x\n", 2, "in the list that starts at line 1"),
    "tab-indent": ("briefing:\n\tsituation: x\n", 2, "tab character"),
    "duplicate-keys": ("id: a\nid: b\n", 2, "duplicate key 'id'"),
    "python-tag": ("id: !!python/object/apply:os.system ['echo pwned']\n", 1, "not allowed"),
    "alias-bomb": (BILLION_LAUGHS, None, "alias bomb"),
    "deep-flow": ("a: " + "[" * 10_000 + "]" * 10_000 + "\n", 1, "nesting depth"),
    "deep-block": ("a:\n" + "- " * 10_000 + "x\n", 2, "nesting depth"),
    "deep-mapping": ("a: " + "{a: " * 900 + "1" + "}" * 900 + "\n", 1, "levels deep"),
    "empty": ("", 1, "file is empty"),
    "only-comments": ("# nothing here\n", 1, "file holds no YAML value"),
    "a-scalar": ("just some text\n", 1, "must be a mapping"),
    "two-documents": ("id: a\n---\nid: b\n", 2, "more than one YAML document"),
    "control-character": ("id: a\ntitle: x\x07\n", 2, "control character U+0007"),
    "absurd-duration": (
        MINIMAL.replace("length: 1h", "length: 99999999999h"),
        6,
        "'99999999999h' is longer than 24h",
    ),
    "not-a-number": (
        MINIMAL.replace("length: 1h", "length: 1h\nspeed: .nan"),
        7,
        "expected a finite number, got .nan",
    ),
}


@pytest.fixture(scope="module")
def hostile_verdicts(tmp_path_factory) -> tuple[subprocess.CompletedProcess[str], dict[str, Path]]:
    """Every hostile case validated in one process, as `drillsim validate a.yaml b.yaml ...`
    would (one process per case cost the quick tier seconds); each test reads its own lines."""
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for name, (text, _, _) in CASES.items():
        paths[name] = folder / f"{name}.yaml"
        paths[name].write_text(text, encoding="utf-8")
    return validate(*paths.values()), paths


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_text_gets_one_located_error(hostile_verdicts, name: str) -> None:
    result, paths = hostile_verdicts
    _, line, message = CASES[name]
    # Every file has errors and none is unreadable: exit 1, no traceback anywhere.
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    path = paths[name]
    mine = [text for text in result.stdout.splitlines() if text.startswith(f"{path}:")]
    assert mine, result.stdout
    first = mine[0]
    match = LINE.match(first)
    assert match, first
    assert match["path"] == str(path)
    assert line is None or int(match["line"]) == line
    assert message in first


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("w") as handle:
        handle.write("a: '")
        for _ in range(20):
            handle.write("x" * (1024 * 1024))
        handle.write("'\n")
    result = validate(path)
    assert result.returncode == 1
    assert re.search(
        r"huge\.yaml:1:1: \(file\): file is 20\.0 MiB, over the 1 MiB limit", result.stdout
    )


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"id: x\n" + bytes(range(256)) * 4)
    result = validate(path)
    assert result.returncode == 1
    assert f"{path}:2:1: (file): file contains NUL bytes" in result.stdout


def test_non_utf8_file_points_at_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: x\ntitle: Caf\xe9 crisis\n".encode("latin-1"))
    result = validate(path)
    assert result.returncode == 1
    assert (
        f"{path}:2:11: (file): not UTF-8 text (byte 0xe9); save the file as UTF-8" in result.stdout
    )


def test_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = validate(tmp_path)
    assert result.returncode == 2
    assert f"{tmp_path}:1:1: (file): is a directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = validate(tmp_path / "nope.yaml")
    assert result.returncode == 2
    assert "nope.yaml:1:1: (file): no such file; check the path" in result.stderr


def test_unreadable_file_is_a_usage_error(tmp_path: Path, monkeypatch, capsys) -> None:
    """Permission denied (faked: tests may run as root, who can read anything)."""
    from drillsim.cli import main
    from drillsim.scenario import textfile

    path = tmp_path / "secret.yaml"
    path.write_text("id: x\n")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(textfile, "read_at_most", denied)
    assert main(["validate", str(path)]) == 2
    assert f"{path}:1:1: (file): cannot be read (Permission denied)" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused_before_it_is_read(device: str) -> None:
    result = validate(device)
    assert result.returncode == 2
    assert f"{device}:1:1: (file): is a device, not a file" in result.stderr
    scored = drillsim("score", device)
    assert scored.returncode == 2
    assert scored.stderr.strip() == (
        f"drillsim score: {device}: is a device, not a file; pass a .jsonl journal file"
    )


def drillsim(*args: str, stdin=None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "drillsim", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=stdin,
    )


@pytest.mark.slow
def test_a_scenario_and_a_journal_can_come_through_a_pipe(tmp_path: Path) -> None:
    flagship = Path(__file__).resolve().parent.parent / "scenarios" / "map-outage-mid-send.yaml"
    with flagship.open("rb") as piped:
        result = subprocess.run(
            ["bash", "-c", f'cat | "{sys.executable}" -m drillsim validate /dev/stdin'],
            stdin=piped,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 0, result.stderr
    assert (
        drillsim(
            "simulate", "map-outage-mid-send", "--seeds", "1", "--journal-dir", str(tmp_path)
        ).returncode
        == 0
    )
    journal = next(tmp_path.glob("*.jsonl"))
    scored = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" -m drillsim score <(cat "{journal}")'],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert scored.returncode == 0, scored.stderr
    assert "Overall" in scored.stdout


@pytest.mark.slow
def test_a_named_pipe_nobody_writes_to_reads_as_empty_instead_of_hanging(tmp_path: Path) -> None:
    import os

    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    result = validate(pipe)  # would block forever if opening waited for a writer
    assert result.returncode == 1
    assert f"{pipe}:1:1: (file): file is empty" in result.stdout
    scored = drillsim("score", str(pipe))
    assert scored.returncode == 1
    assert "file is empty" in scored.stderr


def test_a_huge_scenario_through_a_pipe_stops_at_the_limit() -> None:
    result = subprocess.run(
        [
            "bash",
            "-c",
            f'yes "a: 1" | head -c 3000000 | "{sys.executable}" -m drillsim validate /dev/stdin',
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert (
        "/dev/stdin:1:1: (file): file is over the 1 MiB limit for a scenario"
        in result.stdout + result.stderr
    )


@pytest.mark.slow
def test_mixed_paths_take_the_worst_exit_code(write, tmp_path: Path) -> None:
    good = Path(__file__).resolve().parent.parent / "scenarios" / "map-outage-mid-send.yaml"
    bad = write("id: [\n", "bad.yaml")
    assert validate(good).returncode == 0
    assert validate(good, bad).returncode == 1
    assert validate(good, bad, tmp_path / "missing.yaml").returncode == 2
