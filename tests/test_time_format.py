"""One way to write exercise time and spans, on every screen and in every report."""

from __future__ import annotations

import re

import pytest

from drillsim.durations import format_ago, format_between, format_minute, format_span


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
    assert format_ago(10, 30) == "just now"
    assert format_ago(0, 7 * 60) == "7 min ago"


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (5 * 60 + 40, 25 * 60, "20 min"),  # at T+0:05 (and 40 s), until T+0:25
        (5 * 60, 25 * 60 + 59, "20 min"),
        (90, 100, "under 1 min"),
        (100, 100, "0 min"),
        (30, 2 * 3600, "2 h"),
    ],
)
def test_spans_between_two_times_add_up_with_the_times_as_written(start, end, text) -> None:
    """A tester read "19 min left (until T+0:25)" at T+0:05 and "told 13 min ago" 14 minutes
    after an update: spans counted seconds while the clock shows minutes."""
    assert format_between(start, end) == text
    assert format_ago(30, 14 * 60 + 10) == "14 min ago"


@pytest.mark.parametrize("end", [51 * 60, 2 * 3600, 26 * 3600 + 5 * 60])
def test_the_debrief_chart_axis_writes_both_ends_the_one_way(end: float) -> None:
    """It read 'T+00:00 … T+0:51', two formats on one line (tester finding 10)."""
    from drillsim.tui.widgets.update_timeline import LABEL_WIDTH, axis_line

    axis = axis_line(end, 50)
    assert axis.strip().startswith(f"{format_minute(0)} ")
    assert axis.endswith(f" {format_minute(end)}")
    assert len(axis) == LABEL_WIDTH + 50


def test_the_debrief_chart_of_no_affected_audience_is_a_sentence_not_an_empty_axis() -> None:
    """Ended at T+0:00 nobody was owed a word yet: no rows, so no axis to T+2:00 under them.
    A tester ended a drill at T+0:03 with four audiences affected from T+0:00 and read "No
    audience was affected": none was owed its first word yet, which is what it now says."""
    from drillsim.tui.widgets.update_timeline import chart

    text = str(chart((), 0.0, 50))
    assert "T+" not in text and "●" not in text
    assert text.startswith("No audience was owed an update while the drill ran")


def test_the_events_list_writes_spans_as_every_screen_does() -> None:
    """The picker's events list (p) and drillsim preview read 'length 2h · the outage lasts
    1h47m36s on this seed' and 'sales within 5m' (tester finding 11)."""
    from conftest import FLAGSHIP

    from drillsim.authoring.msel import events_list, events_text
    from drillsim.scenario.loader import load_scenario

    scenario, _ = load_scenario(FLAGSHIP)
    listed = events_list(scenario, 3)
    text = events_text(scenario, listed, 3)
    header = text.splitlines()[1]
    assert header.endswith(
        f"seed 3 · length 2 h · the outage lasts {format_span(listed.outage)} on this seed"
    )
    assert "sales within 5 min" in text and "within 5m" not in text
    assert re.search(r"\d[hms]\b", text) is None, re.search(r".*\d[hms]\b.*", text)


def test_a_partial_card_says_when_it_stopped_the_one_way(tmp_path, capsys) -> None:
    """drillsim score, run and show read 'Partial run: stopped at T+10m'."""
    from drillsim.cli import main

    actions = tmp_path / "early.yaml"
    actions.write_text("- {at: 10m, end_drill: {}}\n", encoding="utf-8")
    main(["run", "map-outage-mid-send", "--actions", str(actions)])
    assert "Partial run: stopped at T+0:10, outage still on;" in capsys.readouterr().out


def test_the_library_listing_writes_lengths_as_the_picker_does(capsys) -> None:
    from drillsim.cli import main

    assert main(["list"]) == 0
    flagship = next(
        line for line in capsys.readouterr().out.splitlines() if "map-outage-mid-send" in line
    )
    assert f" {format_span(2 * 3600)} " in flagship and " 2h " not in flagship


@pytest.mark.parametrize(("seed", "span"), [(0, "2 h"), (2, "1 h 13 min"), (1, "48 min")])
def test_a_silence_in_the_debrief_is_a_span_like_any_other(flagship, seed, span) -> None:
    """Cadence read '73 min of silence' (and '2560 min' over days) beside restraint's
    '1 h 50 min after they were affected'."""
    from drillsim.engine.drill import Drill
    from scoring import score_run

    drill = Drill(flagship, seed)
    drill.advance_to(drill.length)
    card = score_run(flagship, drill.events)
    silences = [d.reason for d in card.deductions if "of silence" in d.reason]
    assert silences and all(re.search(r"\d{3,} min", reason) is None for reason in silences)
    assert f": {span} of silence against a first update due within 15 min" in silences[0]
