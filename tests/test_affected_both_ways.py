"""Format 2: an audience whose affected state follows its condition both ways. The engine
says when it stops being affected (audience_unaffected) and when it is affected again; the
cadence score, the due rule the stakeholder board shows and the silence rule owe nothing in
between; replay reads the new event; a format-1 file may not say it."""

from __future__ import annotations

import msgspec
import pytest
from conftest import MINIMAL, run_script

from drillsim.engine import events as ev
from drillsim.engine.actions import SendUpdate
from drillsim.engine.drill import Drill
from drillsim.engine.events import ENCODER, AnyEvent
from drillsim.replay import first_difference
from drillsim.scenario.loader import check_text, load_scenario_text
from scoring import score_run
from scoring.cadence import FIRST_WORD_WEIGHT
from scoring.due import next_due
from scoring.timeline import build

M = 60.0

BOTH_WAYS = """\
    impacted:
      any:
        - {all: [{after: 10m}, {before: 20m}]}
        - {after: 30m}
    impacted_both_ways: true
"""


def text(format_version: int = 2) -> str:
    return MINIMAL.replace("format: 1", f"format: {format_version}").replace(
        "    impacted: {flag: visible}\n", BOTH_WAYS
    )


@pytest.fixture(scope="module")
def scenario():
    return load_scenario_text(text(), "s.yaml").scenario


def moves(drill: Drill) -> list[tuple[str, float]]:
    return [
        (event.kind, event.t)
        for event in drill.events
        if isinstance(event, ev.AudienceAffected | ev.AudienceUnaffected)
        and event.audience == "customers"
    ]


def test_the_engine_says_when_an_audience_stops_and_starts_being_affected(scenario) -> None:
    drill = Drill(scenario, 0)
    drill.advance_to(drill.length)
    assert moves(drill) == [
        (ev.AUDIENCE_AFFECTED, 10 * M),
        (ev.AUDIENCE_UNAFFECTED, 20 * M),
        (ev.AUDIENCE_AFFECTED, 30 * M),
    ]


def test_nothing_is_owed_while_unaffected_and_a_first_word_is_owed_on_return(scenario) -> None:
    drill = run_script(scenario, 0, [(12 * M, SendUpdate(("customers",), ("down",)))])
    drill.advance_to(drill.length)
    timeline = build(scenario, drill.events)
    audience = scenario.audience("customers")
    assert next_due(timeline, audience, 25 * M) is None
    back = next_due(timeline, audience, 31 * M)
    assert back is not None and back.first and back.by == 30 * M + 15 * M
    assert timeline.affected_spans(audience, 40 * M) == [(10 * M, 20 * M), (30 * M, 40 * M)]


def test_cadence_counts_no_debt_between_the_spans(scenario) -> None:
    told = [(12 * M, SendUpdate(("customers",), ("down",), next_update_in=900.0))]
    drill = run_script(scenario, 0, told)
    drill.advance_to(drill.length)
    card = score_run(scenario, drill.events)
    customers = next(a for a in card.audiences if a.audience == "customers")
    # Told at 12m (promising 15 minutes), owed nothing from 20m to 30m, then owed a first
    # word afresh by 45m and never told again: overdue from 45m to the end of its window (the
    # resolution at 40m + 15m for the closing word), at the first word's weight. Counted
    # through the gap, the 12m promise would have been overdue from 32m.
    assert customers.due[-2:] == ((30 * M, 45 * M), (40 * M, 45 * M))
    assert customers.debt_minutes == pytest.approx(FIRST_WORD_WEIGHT * 10)
    silences = [d for d in card.deductions if d.audience == "customers" and "heard" in d.reason]
    assert [(d.start, d.end) for d in silences] == [(30 * M, 55 * M)]


def test_replay_reads_the_new_event_and_the_journal_round_trips(scenario) -> None:
    drill = Drill(scenario, 0)
    drill.advance_to(drill.length)
    again = msgspec.json.decode(ENCODER.encode(drill.events), type=list[AnyEvent])
    assert again == drill.events
    lines = list(range(1, len(again) + 1))
    assert first_difference(scenario, again, lines, finished=True) is None


def test_an_audience_affected_both_ways_in_a_format_1_file_is_a_located_error() -> None:
    errors = [str(problem) for problem in check_text(text(1), "s.yaml").errors]
    assert any(
        "impacted_both_ways" in error and "format: 2" in error and error.startswith("s.yaml:")
        for error in errors
    ), errors


def test_lint_warns_when_the_condition_can_never_stop_holding() -> None:
    from drillsim.authoring.lint import lint
    from drillsim.scenario.convert import Converter
    from drillsim.scenario.model import Scenario
    from drillsim.scenario.source import parse_document

    def rules(source: str) -> list[str]:
        document = parse_document(source, "s.yaml")
        converter = Converter(document)
        found = converter.convert(document.data, Scenario, ())
        return [problem.rule for problem in lint(found, converter)]

    assert "never-unaffected" not in rules(text())
    monotone = text().replace("{all: [{after: 10m}, {before: 20m}]}", "{after: 10m}")
    assert "never-unaffected" in rules(monotone)


async def test_the_stakeholder_board_shows_an_audience_that_left(scenario) -> None:
    from textual.app import App

    from drillsim.tui.widgets.stakeholder_board import AudienceRow, StakeholderBoard

    drill = Drill(scenario, 0)
    drill.advance_to(scenario.length)
    names = {a.id: a.name for a in scenario.audiences}
    board = StakeholderBoard(scenario.audiences, names)

    class Host(App[None]):
        def compose(self):
            yield board

    async with Host().run_test(size=(60, 12)) as pilot:
        for t, said in ((15 * M, "first by"), (25 * M, "no longer affected"), (35 * M, "first by")):
            board.refresh_meters(t, build(scenario, [e for e in drill.events if e.t <= t], until=t))
            await pilot.pause()
            row = board.query_one("#audience-customers", AudienceRow)
            assert said in str(row.render()), (t, str(row.render()))


def test_a_run_affected_both_ways_is_journaled_sealed_and_replayed(tmp_path, scenario) -> None:
    """The new kind of line reads back from a sealed journal (format 4) and replays."""
    import hashlib

    from drillsim.journal import (
        JOURNAL_FORMAT,
        Player,
        ScenarioRef,
        new_header,
        read_journal,
        simulated_run_id,
        write_journal,
    )

    source = text()
    ref = ScenarioRef.of(scenario, hashlib.sha256(source.encode()).hexdigest(), source)
    header = new_header(
        kind="simulated",
        run_id=simulated_run_id(ref, "passive", 0),
        scenario=ref,
        seed=0,
        player=Player(policy="passive"),
        scoring_version="test",
    )
    drill = Drill(scenario, 0)
    drill.advance_to(drill.length)
    path = tmp_path / "run.jsonl"
    key = b"k" * 32
    write_journal(path, header, drill.events, key)
    journal = read_journal(path, key=key)
    assert journal.header.journal == JOURNAL_FORMAT == 4 and journal.seal == "sealed"
    assert any(isinstance(e, ev.AudienceUnaffected) for e in journal.events)
    lines = list(range(2, len(journal.events) + 2))
    assert first_difference(scenario, list(journal.events), lines, finished=True) is None
