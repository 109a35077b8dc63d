"""Showing scenario text safely: always plain, never markup, never terminal control codes."""

from __future__ import annotations

import unicodedata

from textual.content import Content

_KEEP = {"\n", "\t"}


def escape_controls(text: str) -> str:
    """Make control characters visible (``\\x1b``) so no escape sequence reaches the terminal."""
    if text.isprintable():
        return text
    return "".join(
        char
        if char in _KEEP or unicodedata.category(char) not in ("Cc", "Cf")
        else f"\\x{ord(char):02x}"
        if ord(char) < 0x100
        else f"\\u{ord(char):04x}"
        for char in text
    )


def plain(text: str, style: str = "") -> Content:
    """Scenario text as literal content: ``[@click=app.quit]`` and ``[bold]`` show as typed."""
    content = Content(escape_controls(text), strip_control_codes=False)
    return content.stylize(style) if style else content


def preview(text: str, variables: dict[str, object]) -> str:
    """Scenario text before a run's draw: each name a run will draw shows as a marked word
    (‹platform›), not as one of the names the run may end up with.

    Used where no seed exists yet (the scenario picker).
    """
    from drillsim.scenario.linked import placeholder_names
    from drillsim.scenario.model import FixedVariable
    from drillsim.templates import fill

    defined = placeholder_names(variables)

    def marked(name: str) -> str | None:
        variable = variables.get(name)
        if isinstance(variable, FixedVariable):
            return variable.value
        if name in defined:
            return "‹" + name.replace("_", " ") + "›"
        return None

    return fill(text, marked)
