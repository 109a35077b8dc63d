"""A scenario's (or an actions file's) text, read safely: a folder, a device, a missing or
unreadable path, an oversized, binary, non-UTF-8 or empty file is refused with a located
problem and a hint suited to the kind of file.

No YAML here: a scenario validated before is loaded from its text without the parser.
"""

from __future__ import annotations

import os

from drillsim.files import NotAFile, read_at_most
from drillsim.scenario.problems import Problem, ScenarioError, UnreadableScenario

MAX_FILE_BYTES = 1024 * 1024


class FileKind:
    """What a file read here is meant to be, for the hints of the problems reading it."""

    __slots__ = ("find", "noun", "size", "start", "what")

    def __init__(self, noun: str, *, what: str, find: str, size: str, start: str) -> None:
        self.noun = noun
        self.what = what
        """How to pass the right kind of file instead of a folder or a device."""
        self.find = find
        """Where to look when the path does not exist."""
        self.size = size
        """How large such a file really is."""
        self.start = start
        """How to write one from scratch."""


SCENARIO_FILE = FileKind(
    "scenario",
    what="pass the scenario's .yaml file, e.g. scenarios/*.yaml",
    find="check the path; `drillsim list` shows bundled scenarios",
    size="a scenario is a few hundred lines; split it or check you passed the right file",
    start="copy a bundled scenario (drillsim list) and see docs/format.md",
)


def located(path: str, line: int, column: int, message: str, hint: str) -> ScenarioError:
    return ScenarioError([Problem(path, line, column, "", message, hint)])


def read_text(path: str | os.PathLike[str], shown: str, kind: FileKind = SCENARIO_FILE) -> str:
    """The file's text, or a ScenarioError saying precisely why it cannot be used."""
    try:
        raw = read_at_most(path, MAX_FILE_BYTES)
    except NotAFile as error:
        raise UnreadableScenario(
            [
                Problem(
                    shown,
                    1,
                    1,
                    "",
                    error.reason,
                    kind.what,
                )
            ]
        ) from None
    except FileNotFoundError:
        raise UnreadableScenario(
            [
                Problem(
                    shown,
                    1,
                    1,
                    "",
                    "no such file",
                    kind.find,
                )
            ]
        ) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise UnreadableScenario(
            [
                Problem(
                    shown,
                    1,
                    1,
                    "",
                    f"cannot be read ({reason})",
                    "check the path and its permissions",
                )
            ]
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        size = os.path.getsize(path) if os.path.isfile(path) else 0  # a pipe has no size
        known = f"{size / (1024 * 1024):.1f} MiB, " if size > MAX_FILE_BYTES else ""
        raise located(
            shown,
            1,
            1,
            f"file is {known}over the 1 MiB limit for a {kind.noun}",
            kind.size,
        )
    if b"\x00" in raw:
        line, column = _offset_position(raw, raw.index(b"\x00"))
        raise located(
            shown, line, column, "file contains NUL bytes (binary data)", "pass a YAML text file"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _offset_position(raw, error.start)
        raise located(
            shown,
            line,
            column,
            f"not UTF-8 text (byte 0x{raw[error.start]:02x})",
            "save the file as UTF-8",
        ) from None
    if not text.strip():
        raise located(
            shown,
            1,
            1,
            "file is empty",
            kind.start,
        )
    return text


def _offset_position(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    return line, column
