"""Cadence phases (format 2): an audience's rhythm changes at exercise moments; every update
is judged by the phase in force when it is sent, and a phase that begins during a silence owes
an update by its start + its own longest silence. The score, the board (scoring.due), the
engine, the actions file and the composer's windows all follow the same phase."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import phased_flagship_text
from hypothesis import given, settings
from hypothesis import strategies as st

from drillsim.authoring.lint import lint
from drillsim.engine.actions import ActionRejected, SendUpdate, promise_window
from drillsim.engine.drill import Drill
from drillsim.scenario.loader import check_text
from drillsim.script import ScriptError, play_script, read_script
from scoring import score_run
from scoring.card import ScoreCard

M = 60.0
FIRST = "{at: 2m, send_update: {audiences: [AUD], facts: [send-halted], unknowns: [when-back]}}"


@pytest.fixture
def play(tmp_path: Path, phased):
    def _play(text: str, seed: int = 0) -> ScoreCard:
        path = tmp_path / "actions.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        run = play_script(read_script(path, phased), phased, seed)
        return score_run(phased, run.drill.events)

    return _play


def row(card: ScoreCard, audience: str):
    return next(r for r in card.audiences if r.audience == audience)


def due_at(card: ScoreCard, audience: str, t: float) -> float:
    """The due time the score counted at ``t`` for ``audience``."""
    return next(due for left, due in reversed(row(card, audience).due) if left <= t)


def update(audience: str, at: str, extra: str = "") -> str:
    return (
        f"- {{at: {at}, send_update: {{audiences: [{audience}], facts: [send-halted], "
        f"unknowns: [when-back]{extra}}}}}\n"
    )


# ------------------------------------------------------------------ the model
def test_phases_resolve_in_order_each_field_carried_from_the_phase_before(phased) -> None:
    execs = phased.audience("execs")
    assert [p.start for p in execs.phases] == [0.0, 40 * M, 80 * M]
    assert execs.phased and not phased.audience("support").phased
    assert float(execs.cadence_at(39 * M).max_silence) == 30 * M
    tight = execs.cadence_at(40 * M)
    assert (float(tight.max_silence), float(tight.min_interval)) == (15 * M, 5 * M)
    assert float(tight.first_update) == 15 * M  # carried on from the first phase
    assert float(execs.cadence_at(10 * 3600).max_silence) == 60 * M
    assert execs.cadence == execs.cadence_at(0.0)


# ------------------------------------------------------------------ the due rule
def test_a_phase_that_tightens_during_a_silence_owes_an_update_from_its_start(play) -> None:
    card = play(update("execs", "35m"))
    # sent under the 30-minute phase (due T+70), but the 15-minute phase from T+40 owes one
    # by T+40 + 15 + 5 grace
    assert due_at(card, "execs", 36 * M) == 60 * M
    assert any("15 min policy from T+0:40" in d.reason for d in card.deductions)


def test_a_phase_that_loosens_lets_the_update_sent_before_it_run_its_course(play) -> None:
    card = play(update("sales", "25m") + update("sales", "35m", ", status: identified"))
    assert due_at(card, "sales", 26 * M) == 60 * M  # sent under the 30-minute phase
    assert due_at(card, "sales", 36 * M) == 100 * M  # sent under the 1-hour phase


def test_noise_follows_the_minimum_interval_of_the_phase_in_force(play) -> None:
    # the same update twice, 6 minutes apart: noise under a 10-minute minimum interval,
    # credited under the 5-minute one in force from T+40
    early = play(update("execs", "20m") + update("execs", "26m"))
    late = play(update("execs", "45m") + update("execs", "51m"))
    assert row(early, "execs").noise == 1
    assert row(late, "execs").noise == 0


def test_keeping_a_promise_made_under_the_phase_before_is_never_noise(play) -> None:
    # promised at T+25 under sales' first phase (minimum interval 10 min), kept at T+35 with
    # nothing new under the next (20 min): the shorter of the two applies
    card = play(update("sales", "25m", ", next_update_in: 10m") + update("sales", "35m"))
    sales = row(card, "sales")
    assert sales.noise == 0 and (sales.promises_made, sales.promises_kept) == (1, 1)


def test_a_promise_is_held_to_the_longest_silence_of_the_phase_it_was_made_in(play) -> None:
    tight = play(update("execs", "45m", ", next_update_in: 15m"))
    assert due_at(tight, "execs", 46 * M) == (45 + 15 + 5) * M
    loose = play(update("execs", "1h25m", ", next_update_in: 50m"))
    assert due_at(loose, "execs", 86 * M) == (85 + 50 + 5) * M
    assert row(loose, "execs").content == row(tight, "execs").content  # a promise in bounds


# ------------------------------------------------------------------ the engine
def test_the_engine_holds_a_promise_to_the_phase_in_force_when_it_is_sent(phased) -> None:
    drill = Drill(phased, seed=0)
    long_promise = SendUpdate(("sales",), facts=(), unknowns=(), next_update_in=50 * M)
    drill.advance_to(10 * M)
    with pytest.raises(ActionRejected, match=r"10 to 30 min.*cadence in force now"):
        drill.act(long_promise)
    drill.advance_to(31 * M)
    drill.act(long_promise)  # the 1-hour phase from T+30: 20 to 60 minutes
    assert drill.promised["sales"] == 81 * M


def test_the_composers_window_is_the_phase_in_force(phased) -> None:
    execs = phased.audience("execs")
    assert promise_window([execs], 0.0) == (10 * M, 30 * M)
    assert promise_window([execs], 45 * M) == (5 * M, 15 * M)
    assert promise_window([execs], 90 * M) == (20 * M, 60 * M)
    sales = phased.audience("sales")
    assert promise_window([execs, sales], 45 * M) is None  # 5-15 and 20-60: nothing in common


# ------------------------------------------------------------------ the actions file
def test_an_actions_file_promise_is_checked_against_the_phase_of_its_moment(
    tmp_path, phased
) -> None:
    path = tmp_path / "team.yaml"
    path.write_text(update("sales", "10m", ", next_update_in: 50m"), encoding="utf-8")
    with pytest.raises(ScriptError) as raised:
        read_script(path, phased)
    (problem,) = raised.value.problems
    assert (problem.line, problem.column) == (1, 108)
    assert "at T+10m (10m to 30m" in problem.message
    assert "phase in force when the update is sent" in problem.hint
    path.write_text(update("sales", "35m", ", next_update_in: 50m"), encoding="utf-8")
    read_script(path, phased)
    # timed after an inject: refused at once only if no phase could take it
    path.write_text(
        "- {after: vendor-confirms, send_update: {audiences: [sales], facts: [send-halted], "
        "next_update_in: 2h}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScriptError):
        read_script(path, phased)


# ------------------------------------------------------------------ validation and lint
def _checked(text: str):
    return check_text(text, "phased.yaml", lint)


def test_validation_refuses_what_phases_cannot_say() -> None:
    text = phased_flagship_text()
    one = text.replace("format: 2", "format: 1", 1)
    assert any("are format 2's" in p.message for p in check_text(one, "x.yaml").errors)
    late_first = text.replace(
        "[{from: 0m, first_update: 15m, max_silence: 30m",
        "[{from: 5m, first_update: 15m, max_silence: 30m",
        1,
    )
    (problem,) = check_text(late_first, "x.yaml").errors
    assert "the first cadence phase starts at T+5m" in problem.message
    backwards = text.replace("{from: 1h20m,", "{from: 30m,", 1)
    (problem,) = check_text(backwards, "x.yaml").errors
    assert "not after the one before it (T+40m)" in problem.message
    weighted = text.replace(
        "{from: 40m, max_silence: 15m", "{from: 40m, weight: 2, max_silence: 15m", 1
    )
    (problem,) = check_text(weighted, "x.yaml").errors
    assert "write weight in the first phase only" in problem.hint
    empty = text.replace(
        text[
            text.index("    cadence: [{from: 0m") : text.index(
                "\n", text.index("    cadence: [{from: 0m")
            )
        ],
        "    cadence: []",
        1,
    )
    (problem,) = check_text(empty, "x.yaml").errors
    assert "empty list of cadence phases" in problem.message
    assert check_text(text, "x.yaml").ok


def test_lint_warns_about_a_phase_that_starts_after_the_drill() -> None:
    text = phased_flagship_text()
    assert not [p for p in _checked(text).problems if p.rule == "cadence-phase-never-starts"]
    late = text.replace("{from: 1h20m,", "{from: 2h,", 1)
    (warning,) = [p for p in _checked(late).problems if p.rule == "cadence-phase-never-starts"]
    assert "from T+2h starts at or after the drill's end (length 2h)" in warning.message


# ------------------------------------------------------------------ properties
def _with_execs_cadence(cadence: str):
    text = phased_flagship_text()
    at = text.index(
        "    cadence: [{from: 0m, first_update: 15m, max_silence: 30m, min_interval: 10m}"
    )
    end = text.index("\n", at)
    checked = check_text(text[:at] + f"    cadence: {cadence}" + text[end:], "p.yaml")
    assert checked.ok, checked.errors
    return checked.scenario


minutes = st.integers(min_value=1, max_value=118)


@settings(max_examples=20, deadline=None)
@given(
    starts=st.lists(st.integers(min_value=5, max_value=110), min_size=1, max_size=3, unique=True),
    silences=st.lists(st.sampled_from([10, 15, 30, 45, 60]), min_size=4, max_size=4),
    sent=st.lists(minutes, min_size=0, max_size=8, unique=True),
)
def test_the_board_and_the_score_agree_on_any_phases_and_updates(starts, silences, sent) -> None:
    """Whatever the phases and whenever the updates, the board's next due (scoring.due on the
    run so far) is the due time the score counted, at every update and every minute."""
    from hypothesis import assume

    from scoring.due import next_due
    from scoring.timeline import build

    phases = [(0, silences[0])] + [(s, silences[i + 1]) for i, s in enumerate(sorted(starts))]
    cadence = (
        "["
        + ", ".join(f"{{from: {s}m, max_silence: {m}m, min_interval: 5m}}" for s, m in phases)
        + "]"
    )
    scenario = _with_execs_cadence(cadence)
    drill = Drill(scenario, seed=0)
    for t in sorted(sent):
        drill.advance_to(t * M)
        if drill.ended:
            break
        drill.act(SendUpdate(("execs",), facts=("send-halted",)))
    drill.advance_to(drill.length)
    card = score_run(scenario, drill.events)
    rows = [r for r in card.audiences if r.audience == "execs"]
    assume(rows)
    execs = scenario.audience("execs")
    for t in sorted({*(x * M for x in sent), *(float(m) * M for m in range(0, 120, 3))}):
        if not rows[0].impacted_from <= t < rows[0].window_end:
            continue
        so_far = build(scenario, [e for e in drill.events if e.t <= t], until=t)
        shown = next_due(so_far, execs, t)
        assert shown is not None and shown.by == due_at(card, "execs", t), (t, cadence)


def test_one_phase_scores_as_the_mapping_it_spells_out(flagship) -> None:
    mapping = flagship
    listed = _with_execs_cadence(
        "[{from: 0m, first_update: 15m, max_silence: 30m, min_interval: 10m, weight: 1.0}]"
    )
    drill_a, drill_b = Drill(mapping, seed=1), Drill(listed, seed=1)
    for drill in (drill_a, drill_b):
        for t in (3, 20, 26, 58):
            drill.advance_to(t * M)
            drill.act(SendUpdate(("execs",), facts=("send-halted",), next_update_in=20 * M))
        drill.advance_to(drill.length)
    a = row(score_run(mapping, drill_a.events), "execs")
    b = row(score_run(listed, drill_b.events), "execs")
    assert (a.score, a.due, a.noise) == (b.score, b.due, b.noise)
