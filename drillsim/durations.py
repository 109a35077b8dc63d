"""Exercise durations as scenario authors write them (``90s``, ``45m``, ``1h30m``, ``2d``)."""

from __future__ import annotations

import re

DURATION_PATTERN = r"^(?=\d)(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$"
_DURATION = re.compile(DURATION_PATTERN)


_WORDY = re.compile(
    r"^\s*(\d+)\s*(d|days?|h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?)\.?\s*$", re.I
)


def suggest_duration(text: str) -> str | None:
    """How ``text`` is written as a duration, when it says one in words (``15 minutes``:
    ``15m``, ``2 hours``: ``2h``); None when it does not."""
    match = _WORDY.match(text)
    if match is None:
        return None
    return f"{int(match.group(1))}{match.group(2)[0].lower()}"


class Duration(float):
    """A span of exercise time in seconds, parsed from text like ``1h30m``."""

    __slots__ = ()

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Parse ``90s``, ``45m``, ``1h30m``, ``2h`` or ``3d12h``; raise ValueError otherwise."""
        match = _DURATION.match(text.strip())
        if not match or not any(match.groups()):
            wordy = suggest_duration(text)
            how = f"write it as {wordy}" if wordy else "write it with numbers and unit letters"
            raise ValueError(f"{text!r} is not a duration; {how}, like 90s, 45m, 1h30m or 2d")
        days, hours, minutes, seconds = (int(part) if part else 0 for part in match.groups())
        return cls(days * 86400 + hours * 3600 + minutes * 60 + seconds)

    @property
    def minutes(self) -> float:
        return float(self) / 60.0

    def __repr__(self) -> str:
        return f"Duration({format_duration(self)!r})"


def format_duration(seconds: float) -> str:
    """Write seconds the way authors do: ``1h30m``, ``45m``, ``90s`` becomes ``1m30s``; past
    a day (more than ``24h``) with days, ``1d6h``."""
    total = round(seconds)
    if total == 0:
        return "0s"
    hours, rest = divmod(abs(total), 3600)
    days = 0
    if hours > 24:
        days, hours = divmod(hours, 24)
    minutes, secs = divmod(rest, 60)
    text = f"{days}d" if days else ""
    text += (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")
    text += f"{secs}s" if secs else ""
    return ("-" if total < 0 else "") + text


def format_minute(seconds: float) -> str:
    """Exercise time to the minute, the one way every screen and report writes it:
    ``T+0:05``, ``T+1:30``, and ``T+1d 02:05`` past a day."""
    total = max(0, int(seconds)) // 60
    days, rest = divmod(total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"T+{days}d {hours:02d}:{minutes:02d}"
    return f"T+{hours}:{minutes:02d}"


def format_moments(start: float | None, end: float | None) -> str:
    """When something happened: ``T+0:10``, or ``T+0:10 to T+0:25``; a span within one minute
    reads as one time, and no start reads as nothing."""
    if start is None:
        return ""
    if end is None or format_minute(end) == format_minute(start):
        return format_minute(start)
    return f"{format_minute(start)} to {format_minute(end)}"


def format_span(seconds: float) -> str:
    """A span of exercise time for people: ``12 min``, ``1 h 05 min``, ``2 h``, ``under 1 min``."""
    total = max(0, int(seconds)) // 60
    if total == 0:
        return "under 1 min" if seconds > 0 else "0 min"
    hours, minutes = divmod(total, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"


def format_between(start: float, end: float) -> str:
    """The span from ``start`` to ``end`` in exercise time, as the clock shows the two: the
    difference of their minutes as written (T+0:05 to T+0:25 is ``20 min``, at whatever
    second of T+0:05), so a screen's "20 min left (until T+0:25)" adds up with its clock."""
    shown = max(0, int(end)) // 60 - max(0, int(start)) // 60
    if shown <= 0:
        return "under 1 min" if end > start else "0 min"
    return format_span(shown * 60)


def format_ago(then: float, now: float) -> str:
    """How long ago (``then``) something happened at ``now``, as the clock shows the two:
    ``just now`` within the same minute, else ``12 min ago``."""
    if max(0, int(now)) // 60 <= max(0, int(then)) // 60:
        return "just now"
    return f"{format_between(then, now)} ago"
