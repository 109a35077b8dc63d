"""Problems found in a scenario file, each with its location and a fix."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Literal

    Severity = Literal["error", "warning"]


class Problem:
    """One thing wrong with a scenario file: where, which field, what, and what to do."""

    __slots__ = ("column", "field", "hint", "line", "message", "path", "rule", "severity")

    def __init__(
        self,
        path: str,
        line: int,
        column: int,
        field: str,
        message: str,
        hint: str,
        severity: Severity = "error",
        rule: str = "",
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.field = field
        self.message = message
        self.hint = hint
        self.severity: Severity = severity
        self.rule = rule
        """The lint rule that found it (docs/authoring.md lists them); "" for validate's."""

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash(str(self))

    def as_warning(self, rule: str = "") -> Problem:
        return Problem(
            self.path,
            self.line,
            self.column,
            self.field,
            self.message,
            self.hint,
            "warning",
            rule or self.rule,
        )

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        label = self.field or "(file)"
        prefix = "warning: " if self.severity == "warning" else ""
        if self.rule:
            prefix += f"[{self.rule}] "
        return f"{where}: {prefix}{label}: {self.message}; {self.hint}"

    def as_dict(self) -> dict[str, object]:
        found: dict[str, object] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
            "severity": self.severity,
        }
        if self.rule:
            found["rule"] = self.rule
        return found


class ScenarioError(Exception):
    """A scenario could not be loaded; ``problems`` says every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = tuple(problems)


class UnreadableScenario(ScenarioError):
    """The path itself cannot be read (missing, a directory, no permission)."""


def suggest(word: str, choices: Iterable[object]) -> str:
    """A ``did you mean`` hint for a misspelt name, or a list of the valid ones."""
    options = sorted(str(choice) for choice in choices)
    if not options:
        return "there is nothing defined to refer to yet"
    from difflib import get_close_matches

    close = get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
    return f"expected one of: {shown}"
