"""The run journal: JSON lines, a header then one line per engine event. Defined here, once.

Header (line 1)::

    {"journal": 1, "run_id": ..., "scenario": {"id", "version", "sha256"}, "seed": ...,
     "player": {"policy": NAME} | {"team": NAME}, "versions": {"drillsim", "scoring"},
     "started_at": ISO-8601 (played runs only)}

Event lines carry ``seq``, ``t`` (exercise seconds), ``kind`` and the event's data; played runs
add ``wall`` (ISO-8601 UTC). Simulated runs write no wall-clock time and derive their run id
from scenario, policy and seed, so two identical simulations write byte-identical files.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from drillsim.engine.events import KINDS, Event
from drillsim.files import NotAFile, read_at_most

JOURNAL_FORMAT = 1
MAX_JOURNAL_BYTES = 512 * 1024 * 1024


class JournalError(Exception):
    """A journal cannot be used; says where and what to do."""

    def __init__(self, path: str, line: int, message: str, hint: str) -> None:
        where = f"{path}:{line}" if line else path  # line 0: about the file, not a line
        super().__init__(f"{where}: {message}; {hint}")
        self.path = path
        self.line = line


@dataclass(frozen=True, slots=True)
class Header:
    """Who ran what: the first line of a journal."""

    run_id: str
    scenario: str
    scenario_version: str
    scenario_sha256: str
    seed: int
    policy: str | None = None
    team: str | None = None
    drillsim_version: str = ""
    scoring_version: str = ""
    started_at: str | None = None

    def as_dict(self) -> dict[str, Any]:
        player = {"policy": self.policy} if self.policy is not None else {"team": self.team or ""}
        row: dict[str, Any] = {
            "journal": JOURNAL_FORMAT,
            "run_id": self.run_id,
            "scenario": {
                "id": self.scenario,
                "version": self.scenario_version,
                "sha256": self.scenario_sha256,
            },
            "seed": self.seed,
            "player": player,
            "versions": {"drillsim": self.drillsim_version, "scoring": self.scoring_version},
        }
        if self.started_at is not None:
            row["started_at"] = self.started_at
        return row


@dataclass(frozen=True, slots=True)
class Journal:
    header: Header
    events: list[Event]


def versions() -> tuple[str, str]:
    from drillsim import __version__ as drillsim_version
    from scoring import __version__ as scoring_version

    return drillsim_version, scoring_version


def simulated_header(scenario_id: str, version: str, sha256: str, policy: str, seed: int) -> Header:
    """Header of a simulated run: its id derives from what was run, never from the clock."""
    import hashlib

    digest = hashlib.sha256(
        f"{scenario_id}|{version}|{sha256}|{policy}|{seed}".encode()
    ).hexdigest()
    drillsim_version, scoring_version = versions()
    return Header(
        run_id=f"sim-{digest[:16]}",
        scenario=scenario_id,
        scenario_version=version,
        scenario_sha256=sha256,
        seed=seed,
        policy=policy,
        drillsim_version=drillsim_version,
        scoring_version=scoring_version,
    )


def _line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"


def event_line(event: Event, wall: str | None = None) -> str:
    row = event.as_dict()
    if wall is not None:
        row["wall"] = wall
    return _line(row)


def write_journal(path: str | os.PathLike[str], header: Header, events: Iterable[Event]) -> None:
    """Write a whole journal atomically (a reader never sees half a file)."""
    target = Path(path)
    temporary = target.with_name(target.name + ".part")
    with temporary.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(_line(header.as_dict()))
        for event in events:
            handle.write(event_line(event))
    os.replace(temporary, target)


class JournalWriter:
    """Appends events as they happen and flushes each line, so a crash loses nothing."""

    def __init__(self, path: str | os.PathLike[str], header: Header) -> None:
        self.path = Path(path)
        self._handle: IO[str] | None = self.path.open("x", encoding="utf-8", newline="\n")
        self._write(_line(header.as_dict()))

    def _write(self, text: str) -> None:
        if self._handle is None:
            raise ValueError("the journal is closed")
        self._handle.write(text)
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def append(self, event: Event, wall: str | None = None) -> None:
        self._write(event_line(event, wall))

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def read_journal(path: str | os.PathLike[str], *, partial: bool = False) -> Journal:
    """Read and check a journal; raise JournalError naming the file and line.

    ``partial``: accept a run that stopped without a drill_ended event (a crash, or a team
    that quit), as long as every line is whole.
    """
    shown = os.fspath(path)
    too_large = JournalError(shown, 1, "file is too large for a journal", "check the path")
    try:
        if os.path.isfile(path) and os.path.getsize(path) > MAX_JOURNAL_BYTES:
            raise too_large
        raw = read_at_most(path, MAX_JOURNAL_BYTES)
    except NotAFile as error:
        raise JournalError(shown, 0, error.reason, "pass a .jsonl journal file") from None
    except FileNotFoundError:
        raise JournalError(shown, 0, "no such file", "check the path") from None
    except OSError as error:
        raise JournalError(
            shown, 0, f"cannot be read ({error.strerror})", "check the path"
        ) from None
    if len(raw) > MAX_JOURNAL_BYTES:
        raise too_large
    if not raw.strip():
        raise JournalError(shown, 1, "file is empty", "pass a journal written by drillsim")
    lines = raw.split(b"\n")
    complete = raw.endswith(b"\n")
    if complete:
        lines.pop()
    header = _header(shown, _row(shown, 1, lines[0], last=not complete and len(lines) == 1))
    events: list[Event] = []
    for number, text in enumerate(lines[1:], start=2):
        if not text.strip():
            continue
        row = _row(shown, number, text, last=not complete and number == len(lines))
        events.append(_event(shown, number, row, len(events) + 1))
    if not events or events[0].kind != "drill_started":
        raise JournalError(shown, 2, "the journal has no drill_started event", "it was cut short")
    _check_events(shown, header, events)
    if events[-1].kind != "drill_ended" and not partial:
        raise JournalError(
            shown,
            len(lines),
            "the journal ends without a drill_ended event (the run did not finish, "
            "or the file was cut)",
            "pass --partial to score what happened up to its last event",
        )
    return Journal(header, events)


def _no_constants(name: str) -> float:
    raise ValueError(f"{name} is not a number a journal may hold")


def _check_events(path: str, header: Header, events: list[Event]) -> None:
    """Order and consistency: one start first, one end last, time never going back."""
    start = events[0].data
    if start.get("seed") != header.seed or start.get("scenario") != header.scenario:
        raise JournalError(
            path,
            2,
            f"drill_started (scenario {start.get('scenario')}, seed {start.get('seed')}) does not "
            f"match the header (scenario {header.scenario}, seed {header.seed})",
            "use the journal as drillsim wrote it",
        )
    previous = 0.0
    for number, event in enumerate(events, start=2):
        if not math.isfinite(event.t) or event.t < previous:
            raise JournalError(
                path,
                number,
                f"exercise time {event.t} goes back or is not finite",
                "use the journal as drillsim wrote it",
            )
        previous = event.t
        misplaced = (event.kind == "drill_started" and number != 2) or (
            event.kind == "drill_ended" and number != len(events) + 1
        )
        if misplaced:
            raise JournalError(
                path,
                number,
                f"{event.kind} in the middle of the run",
                "use the journal as drillsim wrote it",
            )


def _row(path: str, number: int, text: bytes, *, last: bool) -> dict[str, Any]:
    try:
        row = json.loads(text.decode("utf-8"), parse_constant=_no_constants)
    except UnicodeDecodeError:
        raise JournalError(
            path, number, "not UTF-8 text", "pass a journal written by drillsim"
        ) from None
    except ValueError as error:
        if not isinstance(error, json.JSONDecodeError):
            raise JournalError(
                path, number, str(error), "use the journal as drillsim wrote it"
            ) from None
        if last and text.lstrip().startswith(b"{"):  # the start of a row, not garbage
            raise JournalError(
                path,
                number,
                "the last line is cut off (truncated journal)",
                "the run stopped mid-write: delete that line, then score the rest with --partial",
            ) from None
        raise JournalError(
            path,
            number,
            f"not JSON ({error.msg} at column {error.colno})",
            "pass a journal written by drillsim",
        ) from None
    if not isinstance(row, dict):
        raise JournalError(
            path, number, "expected a JSON object", "pass a journal written by drillsim"
        )
    return row


def _header(path: str, row: dict[str, Any]) -> Header:
    if "journal" not in row:
        raise JournalError(
            path,
            1,
            "not a drillsim journal (no header)",
            "pass a .jsonl journal written by drillsim",
        )
    if row["journal"] != JOURNAL_FORMAT:
        raise JournalError(
            path,
            1,
            f"journal format {row['journal']!r} is not supported "
            f"(this drillsim reads format {JOURNAL_FORMAT})",
            "upgrade drillsim",
        )
    try:
        scenario = row["scenario"]
        player = row.get("player", {})
        versions_row = row.get("versions", {})
        return Header(
            run_id=str(row["run_id"]),
            scenario=str(scenario["id"]),
            scenario_version=str(scenario["version"]),
            scenario_sha256=str(scenario["sha256"]),
            seed=int(row["seed"]),
            policy=player.get("policy"),
            team=player.get("team"),
            drillsim_version=str(versions_row.get("drillsim", "")),
            scoring_version=str(versions_row.get("scoring", "")),
            started_at=row.get("started_at"),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise JournalError(
            path, 1, f"header is missing or has a bad {error}", "pass a journal written by drillsim"
        ) from None


def _event(path: str, number: int, row: dict[str, Any], expected_seq: int) -> Event:
    kind = row.get("kind")
    if kind not in KINDS:
        raise JournalError(
            path, number, f"unknown event kind {kind!r}", "pass a journal written by drillsim"
        )
    if row.get("seq") != expected_seq:
        raise JournalError(
            path,
            number,
            f"event seq {row.get('seq')!r} where {expected_seq} was expected "
            "(lines missing or reordered)",
            "use the journal as drillsim wrote it",
        )
    if not isinstance(row.get("t"), int | float) or isinstance(row.get("t"), bool):
        raise JournalError(
            path, number, "event has no exercise time t", "use the journal as drillsim wrote it"
        )
    row.pop("wall", None)
    return Event.from_dict(row)
