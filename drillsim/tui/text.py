"""Showing scenario text safely: always plain, never markup, never terminal control codes."""

from __future__ import annotations

import re
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


def abbreviate(name: str, room: int) -> str:
    """``name`` in at most ``room`` characters, shortened so it still reads (an audience's
    name on the stakeholder board or in the composer at 80 columns), in this order:

    1. as written, if it fits;
    2. "and" becomes "&";
    3. words of six letters or more, the longest first, become their first four letters and a
       full stop ("Customer support" -> "Cust. support");
    4. then words of five letters become their first three and a full stop;
    5. what is still too long is cut at the end with "…".

    Hyphens and slashes separate words ("Paid-media" is two).
    """
    if len(name) <= room:
        return name
    parts = ["&" if part.lower() == "and" else part for part in re.split(r"([ /-])", name)]
    for shortest, keep in ((6, 4), (5, 3)):
        while sum(map(len, parts)) > room:
            long = [i for i, part in enumerate(parts) if len(part) >= shortest and part.isalpha()]
            if not long:
                break
            index = max(long, key=lambda i: (len(parts[i]), i))
            parts[index] = parts[index][:keep] + "."
    text = "".join(parts)
    return text if len(text) <= room else text[: max(room - 1, 0)].rstrip() + "…"


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
