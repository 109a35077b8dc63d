"""Exercise time on a millisecond grid.

The engine keeps its clock in whole milliseconds and puts every time that enters it (a poll
of the wall clock, a drawn outage, a promised update) on that grid first. Times leave the
engine as seconds (``ms / 1000``), whose JSON text reads back as the same float, so replaying
a journal reproduces every time exactly.
"""

from __future__ import annotations

import math

MAX_SECONDS = 366 * 86_400.0
"""The largest exercise time a drill or a journal may hold (a year: far past any drill)."""


def to_ms(seconds: float) -> int:
    """The grid point at or just after ``seconds`` (a float a hair off the grid snaps to it)."""
    scaled = seconds * 1000.0
    try:
        nearest = round(scaled)  # refuses infinity and NaN (asked of every time, so no check first)
    except (OverflowError, ValueError):
        raise ValueError(f"{seconds!r} is not a time a clock can hold (not finite)") from None
    # Nearly every time is on the grid already, a hair off at most: within 4e-7 ms of a
    # whole number, rounding to 6 places gives that number (its neighbours at that precision
    # are 6e-7 away or more), so the slow decimal rounding is not needed.
    if abs(scaled - nearest) < 4e-7:
        return nearest
    return math.ceil(round(scaled, 6))


def on_grid(seconds: float) -> float:
    """``seconds`` put on the millisecond grid, as seconds."""
    return to_ms(seconds) / 1000.0
