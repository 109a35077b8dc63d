"""Exercise durations as scenario authors write them (``90s``, ``45m``, ``1h30m``)."""

from __future__ import annotations

import re

DURATION_PATTERN = r"^(?=\d)(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$"
_DURATION = re.compile(DURATION_PATTERN)


class Duration(float):
    """A span of exercise time in seconds, parsed from text like ``1h30m``."""

    __slots__ = ()

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Parse ``90s``, ``45m``, ``1h30m`` or ``2h``; raise ValueError otherwise."""
        match = _DURATION.match(text.strip())
        if not match or not any(match.groups()):
            raise ValueError(
                f"{text!r} is not a duration; write it with units, like 90s, 45m or 1h30m"
            )
        hours, minutes, seconds = (int(part) if part else 0 for part in match.groups())
        return cls(hours * 3600 + minutes * 60 + seconds)

    @property
    def minutes(self) -> float:
        return float(self) / 60.0

    def __repr__(self) -> str:
        return f"Duration({format_duration(self)!r})"


def format_duration(seconds: float) -> str:
    """Write seconds the way authors do: ``1h30m``, ``45m``, ``90s`` becomes ``1m30s``."""
    total = round(seconds)
    if total == 0:
        return "0s"
    hours, rest = divmod(abs(total), 3600)
    minutes, secs = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")
    text += f"{secs}s" if secs else ""
    return ("-" if total < 0 else "") + text


def format_minute(seconds: float) -> str:
    """``T+32``: exercise time to the minute, for sentences and tight columns."""
    return f"T+{int(seconds // 60)}"


def format_clock(seconds: float) -> str:
    """Exercise clock text: ``T+07:05`` (or ``T+1:02:03`` past an hour)."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"T+{hours}:{minutes:02d}:{secs:02d}"
    return f"T+{minutes:02d}:{secs:02d}"
