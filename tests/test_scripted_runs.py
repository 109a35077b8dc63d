"""`drillsim run`: actions files read with locations, played headless, scored like a journal."""

from __future__ import annotations

import json
import re
import tempfile
import textwrap
from pathlib import Path

import pytest
from conftest import FLAGSHIP, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from drillsim.cli import main
from drillsim.engine import events as ev
from drillsim.scenario.loader import load_scenario
from drillsim.script import ScriptError, play_script, read_script

pytestmark = pytest.mark.usefixtures("home")  # a data folder of its own per test

EXAMPLES = ROOT / "scenarios" / "examples"
TEXTBOOK = EXAMPLES / "map-outage-mid-send-textbook.yaml"
PANICKED = EXAMPLES / "map-outage-mid-send-panicked.yaml"
SCENARIO, _ = load_scenario(FLAGSHIP)


@pytest.fixture
def actions(tmp_path):
    """Write an actions file (YAML by default) and return its path."""

    def write(text: str, name: str = "team.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["run", "map-outage-mid-send", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def card(capsys, *args: str) -> dict:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


# ------------------------------------------------------------------ the examples
@pytest.mark.parametrize("seed", [0, 1, 2, 3, 8])
def test_the_textbook_example_rates_p(capsys, seed: int) -> None:
    result = card(capsys, "--actions", str(TEXTBOOK), "--seed", str(seed))
    assert result["rating"] == "P" and result["overall"] >= 90
    assert result["partial"] is False


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 8])
def test_the_panicked_example_rates_u(capsys, seed: int) -> None:
    result = card(capsys, "--actions", str(PANICKED), "--seed", str(seed))
    assert result["rating"] == "U" and result["overall"] < 30


def test_the_same_scenario_seed_and_file_give_the_same_card_bit_for_bit(capsys) -> None:
    for output in ("--json", "--team=ops"):
        first = run(capsys, "--actions", str(TEXTBOOK), "--seed", "4", output)
        second = run(capsys, "--actions", str(TEXTBOOK), "--seed", "4", output)
        assert first == second and first[0] == 0


def test_seed_defaults_to_zero_and_the_team_to_the_file_name(capsys) -> None:
    assert card(capsys, "--actions", str(TEXTBOOK)) == card(
        capsys, "--actions", str(TEXTBOOK), "--seed", "0"
    )
    _, out, _ = run(capsys, "--actions", str(TEXTBOOK))
    assert out.splitlines()[0] == (
        "map-outage-mid-send 1.0.0 · seed 0 · team 'map-outage-mid-send-textbook'"
    )
    assert out.splitlines()[-1] == "Journal: not saved (--save keeps the run, sealed)."


# ------------------------------------------------------------------ saving
def test_a_saved_run_is_sealed_scripted_and_scores_the_same_with_score(capsys, home) -> None:
    code, out, err = run(capsys, "--actions", str(PANICKED), "--seed", "3", "--save", "--json")
    assert code == 0
    saved = [path for path in (home / "runs").iterdir()]
    run_id = json.loads(saved[0].read_text(encoding="utf-8").splitlines()[0])["run_id"]
    assert len(saved) == 1 and err == f"drillsim run: saved {saved[0]} (run {run_id})\n"
    header = json.loads(saved[0].read_text(encoding="utf-8").splitlines()[0])
    assert header["kind"] == "scripted" and header["seed"] == 3
    assert header["player"] == {"team": "map-outage-mid-send-panicked"}
    assert json.loads(out)["seal"] == "sealed"
    assert main(["score", str(saved[0]), "--json"]) == 0
    assert capsys.readouterr().out == out
    code, text, _ = run(capsys, "--actions", str(PANICKED), "--seed", "3", "--save")
    assert main(["score", str(sorted((home / "runs").iterdir())[-1])]) == 0
    assert capsys.readouterr().out == text
    assert len(list((home / "runs").iterdir())) == 2, "every saved run has its own id"


def test_without_save_nothing_is_written_and_the_seal_is_null(capsys, home) -> None:
    assert card(capsys, "--actions", str(TEXTBOOK))["seal"] is None
    assert not (home / "runs").exists() and not (home / "journal.key").exists()


# ------------------------------------------------------------------ timing
def test_items_run_at_their_time_after_an_inject_plus_wait_and_in_file_order(actions) -> None:
    path = actions(
        """\
        - {at: 5m, add_note: first}
        - {after: forms-errors, wait: 2m, add_note: second}
        - {at: 5m, add_note: third}
        - {after: alert, add_note: at the start}
        """
    )
    drill = play_script(read_script(path, SCENARIO), SCENARIO, 0).drill
    notes = [(event.t, event.text) for event in drill.events if isinstance(event, ev.NoteAdded)]
    assert notes == [(0.0, "at the start"), (300.0, "first"), (300.0, "second"), (300.0, "third")]


def test_an_item_due_when_the_engine_acts_runs_after_it(actions) -> None:
    """At T+5 the ads decision opens first, so a choice at 5m finds it open."""
    path = actions("- {at: 5m, choose_option: {decision: ads-plan, option: pause-ads}}\n")
    drill = play_script(read_script(path, SCENARIO), SCENARIO, 0).drill
    closed = [event for event in drill.events if isinstance(event, ev.DecisionClosed)]
    assert (closed[0].t, closed[0].option, closed[0].reason) == (300.0, "pause-ads", "chosen")


def test_end_drill_ends_it_and_without_it_the_drill_runs_to_its_length(actions) -> None:
    ended = play_script(
        read_script(actions("- {at: 30m, end_drill: {}}\n"), SCENARIO), SCENARIO, 0
    ).drill
    assert (ended.events[-1].t, ended.events[-1].reason) == (1800.0, "facilitator")
    full = play_script(read_script(actions("[]\n"), SCENARIO), SCENARIO, 0).drill
    assert (full.events[-1].t, full.events[-1].reason) == (SCENARIO.length, "time")


def test_a_json_actions_file_indented_with_tabs_plays_like_the_yaml(capsys, actions) -> None:
    yaml_path = actions(
        """\
        - at: 4m
          send_update: {audiences: [execs], facts: [send-halted], next_update_in: 20m}
        """
    )
    json_path = actions(
        '[\n\t{\n\t\t"at": "4m",\n\t\t"send_update": {"audiences": ["execs"], '
        '"facts": ["send-halted"], "next_update_in": "20m"}\n\t}\n]\n',
        name="team.json",
    )
    assert card(capsys, "--actions", str(json_path)) == card(capsys, "--actions", str(yaml_path))


# ------------------------------------------------------------------ moot items
MOOT = """\
- {after: social-buzz, add_note: the posts came}
- {at: 20m, choose_option: {decision: forms-plan, option: cms-pages}}
"""


def test_an_item_this_seed_makes_moot_is_skipped_with_a_warning(capsys, actions) -> None:
    """Seed 7 draws a 17-minute outage: no social posts, and the forms decision closes moot."""
    path = actions(MOOT)
    code, out, err = run(capsys, "--actions", str(path), "--seed", "7")
    assert code == 0 and out.startswith("map-outage-mid-send")
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}:1:34: warning: [0].add_note: skipped add_note: inject ")
    assert "'social-buzz' never came" in lines[0] and "on seed 7" in lines[0]
    assert lines[1].startswith(f"{path}:2:28: warning: [1].choose_option: skipped choose_option ")
    assert "forms-plan/cms-pages" in lines[1] and "the outage ended at T+" in lines[1]


def test_strict_makes_a_moot_item_an_error(capsys, actions) -> None:
    code, out, err = run(capsys, "--actions", str(actions(MOOT)), "--seed", "7", "--strict")
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert len(lines) == 3 and "warning" not in err
    assert lines[-1] == (
        "drillsim run: 2 items skipped on seed 7 (--strict); make them hold on every seed, "
        "or drop --strict"
    )


def test_a_seed_where_nothing_is_moot_passes_strict(capsys, actions) -> None:
    code, _, err = run(capsys, "--actions", str(actions(MOOT)), "--seed", "0", "--strict")
    assert (code, err) == (0, "")


# ------------------------------------------------------------------ errors
def errors(capsys, path: Path) -> list[str]:
    code, out, err = run(capsys, "--actions", str(path))
    assert code == 1 and out == ""
    assert "Traceback" not in err
    return err.splitlines()


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            "- {at: 5m, choose_option: {decision: ads-plan, option: pause-ad}}",
            "1:56: [0].choose_option.option: decision 'ads-plan' has no option 'pause-ad'; "
            "did you mean 'pause-ads'?",
        ),
        (
            "- {at: 5m, send_update: {audiences: [exec]}}",
            "1:38: [0].send_update.audiences[0]: no audience 'exec' in this scenario; "
            "did you mean 'execs'?",
        ),
        (
            "- {at: 5m, send_update: {audiences: [execs], fact: [send-halted]}}",
            "1:46: [0].send_update.fact: unknown key 'fact' in SendUpdateItem; "
            "did you mean 'facts'?",
        ),
        (
            "- {at: 5m, send_update: {audiences: [execs], next_update_in: 20}}",
            "1:62: [0].send_update.next_update_in: expected a duration like 45m, got the number "
            "20; add a unit: 20m or 20s",
        ),
        (
            "- {at: 5m, send_update: {audiences: [execs, prospects], next_update_in: 35m}}",
            "1:73: [0].send_update.next_update_in: next_update_in: 35m is outside what execs, "
            "prospects can be held to (20m to 30m: sooner is noise, later leaves them waiting); "
            "promise between 20m and 30m",
        ),
        (
            "- {at: 5m, send_update: {audiences: [execs], status: fixed}}",
            "1:54: [0].send_update.status: 'fixed' is not allowed; expected one of: identified, "
            "investigating, mitigating, monitoring, resolved",
        ),
        (
            "- {at: 5m, take_action: panic}",
            "1:25: [0].take_action: no action 'panic' in this scenario; expected one of: "
            "apology-blog, email-all-prospects, escalate-vendor, page-everyone, public-status, "
            "resend-whole-list, war-room",
        ),
        (
            "- {after: alrt, add_note: x}",
            "1:11: [0].after: no inject or decision 'alrt' in this scenario; did you mean 'alert'?",
        ),
        (
            "- {at: 5m, after: alert, add_note: x}",
            "1:3: [0]: an item needs either at: or after:, not both; write at: DURATION "
            "(exercise time) or after: INJECT_ID (with an optional wait:)",
        ),
        (
            "- {at: 5m, wait: 1m, add_note: x}",
            "1:12: [0].wait: wait: goes with after:, not at:; add the wait to at:, or wait "
            "after an inject",
        ),
        (
            "- {at: 5m}",
            "1:3: [0]: an item needs exactly one action; use one of send_update, choose_option, "
            "take_action, add_note, end_drill; put each action in its own item",
        ),
        (
            "- {at: 5m, add_note: x, take_action: war-room}",
            "1:3: [0]: an item needs exactly one action, not 2 (take_action, add_note); use one "
            "of send_update, choose_option, take_action, add_note, end_drill; put each action "
            "in its own item",
        ),
        (
            "- {at: 5m, add_note: x, notes: y}",
            "1:25: [0].notes: unknown key 'notes'; did you mean 'add_note'?",
        ),
        (
            "- {at: 2h, add_note: x}",
            "1:8: [0].at: at: 2h is not before the drill ends (2h); use an earlier time; the "
            "drill ends by itself when its time is up",
        ),
        (
            "- {at: 2m, choose_option: {decision: send-plan, option: backup-esp}}",
            "1:8: [0].at: decision 'send-plan' opens at T+15m, after this item (T+2m); choose "
            "at: 15m or later",
        ),
        (
            "- {at: 30m, choose_option: {decision: ads-plan, option: pause-ads}}",
            "1:8: [0].at: decision 'ads-plan' has closed by T+30m (its deadline is T+25m, when "
            "'keep-ads' is taken); choose before T+25m",
        ),
        (
            "- {at: 5m, end_drill: stop}",
            "1:23: [0].end_drill: end_drill takes nothing; write end_drill: {}",
        ),
        (
            "- at 5m",
            "1:3: [0]: an item must be a mapping; write at: (or after:) and one action, e.g. "
            "'- {at: 5m, take_action: ID}'",
        ),
        (
            "at: 5m",
            "1:1: (file): the file must be a list of items; write one '- at: 5m' (or "
            "'- after: INJECT') item per action; see docs/scripted-runs.md",
        ),
    ],
)
def test_a_mistake_in_the_file_is_one_located_line_with_a_fix(
    capsys, actions, item: str, expected: str
) -> None:
    path = actions(item + "\n")
    assert errors(capsys, path) == [
        f"{path}:{expected}",
        "drillsim run: the actions file has 1 error; fix it and run again",
    ]


def test_every_mistake_is_reported_at_once_in_file_order(capsys, actions) -> None:
    path = actions(
        """\
        - {at: 10m, add_note: fine}
        - {at: 5m, take_action: panic}
        - {at: 20m, end_drill: {}}
        - {at: 30m, add_note: too late}
        """
    )
    lines = errors(capsys, path)
    assert [line.split(": ", 2)[1] for line in lines[:-1]] == [
        "[1].at",
        "[1].take_action",
        "[2].end_drill",
    ]
    assert "earlier than an item above it (at: 10m, line 1)" in lines[0]
    assert "end_drill is not the last item" in lines[2]
    assert lines[-1] == "drillsim run: the actions file has 3 errors; fix them and run again"


def test_doing_refs_are_checked_against_the_scenario(capsys, actions) -> None:
    path = actions(
        """\
        - at: 25m
          send_update:
            audiences: [execs]
            doing: [ads-plan/pause, war-rooms]
        """
    )
    lines = errors(capsys, path)
    assert lines[0] == (
        f"{path}:4:13: [0].send_update.doing[0].option: decision 'ads-plan' has no option "
        "'pause'; did you mean 'pause-ads'?"
    )
    assert lines[1].startswith(
        f"{path}:4:29: [0].send_update.doing[1]: 'war-rooms' is neither DECISION/OPTION nor "
        "an action in this scenario; write a plan B as decision/option (e.g. ads-plan/keep-ads)"
    )
    assert "did you mean 'war-room'?" in lines[1]


DOING = """\
- {at: 5m, choose_option: {decision: ads-plan, option: pause-ads}}
- {at: 5m, take_action: escalate-vendor}
- {at: 12m, choose_option: {decision: forms-plan, option: cms-pages}}
- at: 20m
  send_update:
    audiences: [execs]
    facts: [send-halted]
    doing: [ads-plan/pause-ads, escalate-vendor, forms-plan/cms-pages]
"""


def test_an_update_says_what_the_team_is_doing(actions) -> None:
    drill = play_script(read_script(actions(DOING), SCENARIO), SCENARIO, 0).drill
    sent = [event for event in drill.events if isinstance(event, ev.UpdateSent)]
    assert sent[0].doing == ("ads-plan/pause-ads", "escalate-vendor", "forms-plan/cms-pages")


def test_doing_leaves_out_what_a_moot_item_would_have_done(capsys, actions) -> None:
    """Seed 7's outage is over at T+17 before the forms decision opens: its choice is moot."""
    path = actions(DOING.replace("at: 12m", "at: 18m").replace("at: 20m", "at: 19m"))
    run_ = play_script(read_script(path, SCENARIO), SCENARIO, 7)
    sent = [event for event in run_.drill.events if isinstance(event, ev.UpdateSent)]
    assert sent[0].doing == ("ads-plan/pause-ads", "escalate-vendor")
    assert [str(problem).split(": ", 2)[1] for problem in run_.skipped] == [
        "[2].choose_option",
        "[3].send_update",
    ]
    assert "doing: forms-plan/cms-pages left out" in str(run_.skipped[1])


def test_doing_what_the_team_has_not_done_yet_is_an_error(capsys, actions) -> None:
    path = actions(DOING.replace("{at: 12m,", "{after: dup-check,"))
    lines = errors(capsys, path)
    assert lines[0].startswith(
        f"{path}:6:5: [3].send_update: at T+20m the drill refused it: 'forms-plan/cms-pages' is "
        "not something the team is doing"
    )
    assert lines[0].endswith(
        "; cite in doing: only a plan B an item above chose, or an action it took, once that "
        "item has run"
    )


def test_an_engine_refusal_the_file_could_have_avoided_stops_the_run(capsys, actions) -> None:
    """The backup send needs the list export, which is only confirmed at T+18."""
    path = actions(
        """\
        - {at: 1m, add_note: start}
        - {at: 16m, choose_option: {decision: send-plan, option: backup-esp}}
        """
    )
    lines = errors(capsys, path)
    assert lines[0].startswith(
        f"{path}:2:28: [1].choose_option: at T+16m the drill refused it: Finish from the backup "
        "email service is not available: Needs a clean list export"
    )
    assert lines[0].endswith(
        "; choose it once its prerequisite holds (e.g. after: the inject that brings it)"
    )


def test_choosing_twice_for_one_decision_is_an_error(capsys, actions) -> None:
    path = actions(
        """\
        - {at: 5m, choose_option: {decision: ads-plan, option: pause-ads}}
        - {at: 6m, choose_option: {decision: ads-plan, option: keep-ads}}
        """
    )
    assert errors(capsys, path)[0] == (
        f"{path}:2:27: [1].choose_option: decision 'ads-plan' was already decided: 'pause-ads' "
        "chosen at T+5m; choose once per decision; remove one of the two items"
    )


def test_a_yaml_syntax_error_is_located(capsys, actions) -> None:
    path = actions("- {at: 5m, add_note: [unclosed}\n")
    lines = errors(capsys, path)
    assert lines[0].startswith(f"{path}:1:") and "YAML syntax error" in lines[0]


@pytest.mark.parametrize("name", ["missing.yaml", "."])
def test_an_unreadable_actions_file_exits_2(capsys, tmp_path, name: str) -> None:
    path = tmp_path / name
    code, out, err = run(capsys, "--actions", str(path))
    assert code == 2 and out == ""
    assert err.startswith(f"drillsim run: {path}: ") and len(err.splitlines()) == 1


def test_an_empty_actions_file_says_how_to_start(capsys, actions) -> None:
    path = actions("")
    assert errors(capsys, path)[0] == (
        f"{path}:1:1: (file): file is empty; start from scenarios/examples/*.yaml and see "
        "docs/scripted-runs.md"
    )


def test_read_script_raises_with_every_problem(actions) -> None:
    with pytest.raises(ScriptError) as raised:
        read_script(actions("- {at: 5m, take_action: x}\n- {at: 6m, take_action: y}\n"), SCENARIO)
    assert len(raised.value.problems) == 2 and not raised.value.unreadable


def test_the_worked_example_in_the_docs_plays_as_the_docs_say(capsys, tmp_path) -> None:
    text = (ROOT / "docs" / "scripted-runs.md").read_text(encoding="utf-8")
    example = text.split("## A worked example", 1)[1].split("```yaml\n", 1)[1].split("```")[0]
    path = tmp_path / "first-hour.yaml"
    path.write_text(example, encoding="utf-8")
    code, out, err = run(capsys, "--actions", str(path), "--seed", "3")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] in text
    code, _, err = run(capsys, "--actions", str(path), "--seed", "1")
    assert code == 0
    assert err.replace(f"{tmp_path}/", "") in text


# ------------------------------------------------------------------ never a traceback
KEYS = [
    "at", "after", "wait", "send_update", "choose_option", "take_action", "add_note",
    "end_drill", "audiences", "facts", "doing", "unknowns", "status", "next_update_in", "eta",
    "text", "decision", "option", "bogus",
]  # fmt: skip
IDS = [
    "execs", "prospects", "send-halted", "when-back", "ads-plan", "pause-ads", "send-plan",
    "backup-esp", "resend-all", "ads-plan/pause-ads", "escalate-vendor", "alert",
    "export-ready", "social-buzz", "resolved", "resolved", "nope", "",
]  # fmt: skip
SCALARS = st.one_of(
    st.sampled_from(IDS),
    st.sampled_from(["0s", "5m", "15m", "20m", "30m", "1h59m", "3h", "-5m", "5"]),
    st.sampled_from(["investigating", "resolved", "on fire"]),
    st.integers(-5, 10_000),
    st.booleans(),
    st.none(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)
    ),
    max_leaves=12,
)
ITEMS = st.lists(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=4), max_size=6)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(ITEMS, st.integers(0, 20))
def test_any_actions_file_plays_or_gets_located_problems_never_a_traceback(
    items: list, seed: int
) -> None:
    """Whatever the file holds, reading and playing it ends in a card or in problems that
    each name the file, line and column, with a fix."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.json"
        path.write_text(json.dumps(items, indent="\t"), encoding="utf-8")
        try:
            played = play_script(read_script(path, SCENARIO), SCENARIO, seed)
        except ScriptError as error:
            problems = error.problems
            assert problems
        else:
            assert played.drill.ended
            problems = tuple(played.skipped)
        for problem in problems:
            assert re.match(rf"^{re.escape(str(path))}:\d+:\d+: [^:]+: .+; .+$", str(problem))
