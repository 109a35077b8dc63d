"""A parsed scenario document: its plain data, and where each value sits in the file."""

from __future__ import annotations

from drillsim.scenario.problems import Problem

PathKey = tuple[str | int, ...]


class Document:
    """A parsed scenario file: the data, and where each value and key sits in the file."""

    __slots__ = ("data", "keys", "path", "values")

    def __init__(self, path: str, data: object) -> None:
        self.path = path
        self.data = data
        self.values: dict[PathKey, tuple[int, int]] = {}
        self.keys: dict[PathKey, tuple[int, int]] = {}

    def position(self, where: PathKey, *, key: bool = False) -> tuple[int, int]:
        """1-based line and column of the value (or its key) at ``where``.

        Falls back to the nearest enclosing value that has a position.
        """
        table = self.keys if key else self.values
        probe = tuple(where)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))

    def part(self, where: PathKey, data: object) -> Document:
        """The value ``data`` found at ``where`` as a document of its own, each position kept
        (an actions list inside a golden-runs file is checked as an actions file)."""
        inner = Document(self.path, data)
        cut = len(where)
        for table, target in ((self.values, inner.values), (self.keys, inner.keys)):
            for key, position in table.items():
                if key[:cut] == where:
                    target[key[cut:]] = position
        return inner

    def problem(self, where: PathKey, message: str, hint: str, *, key: bool = False) -> Problem:
        line, column = self.position(where, key=key)
        return Problem(self.path, line, column, field_name(where), message, hint)


def field_name(where: PathKey) -> str:
    """``("injects", 3, "text")`` -> ``injects[3].text``."""
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
