"""One way to write exercise time and spans, on every screen and in every report."""

from __future__ import annotations

import pytest

from drillsim.durations import format_ago, format_minute, format_span


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "T+0:00"),
        (59, "T+0:00"),
        (5 * 60 + 59, "T+0:05"),
        (48 * 60 + 50, "T+0:48"),
        (90 * 60, "T+1:30"),
        (24 * 3600 - 1, "T+23:59"),
        (26 * 3600 + 5 * 60, "T+1d 02:05"),
    ],
)
def test_exercise_time_is_hours_and_minutes(seconds: float, text: str) -> None:
    assert format_minute(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 min"),
        (30, "under 1 min"),
        (12 * 60 + 40, "12 min"),
        (65 * 60, "1 h 05 min"),
        (2 * 3600, "2 h"),
        (299 * 3600 + 11 * 60, "299 h 11 min"),
    ],
)
def test_spans_are_minutes_and_hours(seconds: float, text: str) -> None:
    assert format_span(seconds) == text


def test_ago() -> None:
    assert format_ago(20) == "just now"
    assert format_ago(7 * 60) == "7 min ago"
