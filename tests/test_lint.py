"""`drillsim lint`: validate's checks, the drill-design warnings, golden runs, the scoring bar."""

from __future__ import annotations

import json
import math
import shutil

import pytest
from conftest import MINIMAL, ROOT, SCENARIOS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz_scenarios import mutants

from drillsim.authoring.golden import golden_path, play_golden
from drillsim.authoring.lint import RULES
from drillsim.authoring.separation import POLICIES, shortfalls
from drillsim.cli import main
from drillsim.policies import POLICY_NAMES
from drillsim.scenario.loader import load_scenario


def lint(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["lint", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def rules_found(out: str) -> set[str]:
    return {problem["rule"] for problem in json.loads(out)["problems"] if problem.get("rule")}


# ------------------------------------------------------------------ the rules
@pytest.mark.parametrize(
    ("changes", "rule", "fragment"),
    [
        (
            [
                (
                    "when: {expectation_failed: execs-first}",
                    "when: {all: [{after: 45m}, {incident: open}]}",
                )
            ],
            "inject-never-fires",
            "the scripted outage ends at T+40m",
        ),
        (
            [
                (
                    "when: {expectation_failed: execs-first}",
                    "when: {chosen: {decision: plan-b, option: pages}}",
                ),
                (
                    "{id: pages, label: CMS pages,",
                    "{id: pages, label: CMS pages, requires: {incident: resolved},",
                ),
            ],
            "inject-never-fires",
            "option 'pages' of decision 'plan-b', which can never be chosen",
        ),
        (
            [("at: 5m\n    timeout: 20m", "at: 45m\n    timeout: 10m")],
            "decision-never-opens",
            "moot",
        ),
        (  # a follow-up waiting for the outage to outlast a threshold it never reaches
            [("at: 5m\n    timeout: 20m", "when: {incident_open_for: 45m}\n    timeout: 20m")],
            "decision-never-opens",
            "the earliest it opens is T+45m, when the scripted outage (fixed 40m) is over",
        ),
        (
            [
                (
                    "{id: pages, label: CMS pages,",
                    "{id: pages, label: CMS pages, requires: {before: 1m},",
                )
            ],
            "no-choice",
            "but the default ('wait')",
        ),
        (
            [
                ("reveals: [cause]}", "}"),
                ("text: Why am I hearing nothing?", "text: Hello.\n    reveals: [cause]"),
                (
                    "when: {expectation_failed: execs-first}",
                    "when: {all: [{after: 45m}, {incident: open}]}",
                ),
            ],
            "fact-never-revealed",
            "fact 'cause'",
        ),
        (
            [("impacted: {flag: visible}", "impacted: {incident_open_for: 50m}")],
            "audience-never-affected",
            "'customers'",
        ),
        (
            [("impacted: {flag: visible}", "impacted: false")],
            "audience-never-affected",
            "impacted is false",
        ),
        (
            [
                (
                    "  - id: execs\n    name: Executive team\n",
                    "  - id: execs\n    name: Executive team\n    impacted: {after: 25m}\n",
                )
            ],
            "no-early-impact",
            "the first can be at T+25m",
        ),
        (
            [
                (
                    "setup: 10m, cost: 20, effectiveness: 0.8",
                    "setup: 0m, cost: 0, effectiveness: 0.8",
                )
            ],
            "no-trade-off",
            "option 'pages' is the best plan whatever",
        ),
        (
            [
                (
                    "setup: 10m, cost: 20, effectiveness: 0.8",
                    "setup: 50m, cost: 900, effectiveness: 0.1",
                )
            ],
            "no-trade-off",
            "taking the default 'wait'",
        ),
        (
            [
                (
                    "text: Bad deploy., reveals: [cause]}",
                    "text: Bad deploy., reveals: [cause], belief: {median: 5m, sigma: 0.5}}",
                )
            ],
            "belief-before-inject",
            "(T+10m)",
        ),
    ],
)
def test_each_rule_finds_what_it_names_and_says_where(
    capsys, write, changes, rule, fragment
) -> None:
    text = MINIMAL
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    path = write(text)
    code, out, _ = lint(capsys, "--json", str(path))
    assert code == 0, "warnings alone pass"
    found = [p for p in json.loads(out)["problems"] if p.get("rule") == rule]
    assert found, out
    assert any(fragment in p["message"] for p in found), found
    assert all(p["severity"] == "warning" and p["line"] > 1 for p in found)
    assert lint(capsys, "--strict", str(path))[0] == 1


@pytest.mark.slow
def test_the_small_scenario_and_every_shipped_one_lint_clean(capsys, write) -> None:
    code, out, err = lint(capsys, "--strict", str(write(MINIMAL)), *map(str, SCENARIOS))
    assert (code, out) == (0, ""), out
    assert err == f"{len(SCENARIOS) + 1} of {len(SCENARIOS) + 1} files clean\n"


def test_a_warning_names_its_rule_in_text_and_json(capsys, write) -> None:
    path = write(MINIMAL.replace("impacted: {flag: visible}", "impacted: false"))
    code, out, err = lint(capsys, str(path))
    assert code == 0 and "1 of 1 file clean" in err
    assert f"{path}:17:15: warning: [audience-never-affected] audiences[1].impacted: " in out
    assert rules_found(lint(capsys, "--json", str(path))[1]) == {"audience-never-affected"}


def test_every_rule_is_defined_in_the_authoring_guide() -> None:
    text = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    for rule in (*RULES, "golden-run", "scoring-bar"):
        assert f"`{rule}`" in text, rule


# ------------------------------------------------------------------ exit codes
def test_errors_exit_1_and_unreadable_paths_2_with_one_line_each(capsys, write, tmp_path) -> None:
    bad = write(MINIMAL.replace("length: 1h", "length: 60"))
    code, out, err = lint(capsys, str(bad))
    assert code == 1 and out.count("\n") == 1 and "length" in out
    code, out, err = lint(capsys, str(tmp_path / "missing.yaml"))
    assert (
        code == 2
        and out == ""
        and err.splitlines()[0].endswith(
            "no such file; check the path; `drillsim list` shows bundled scenarios"
        )
    )
    assert lint(capsys, str(bad), str(tmp_path / "missing.yaml"))[0] == 2


def test_seeds_without_check_scoring_is_a_usage_error(capsys, write) -> None:
    code, _, err = lint(capsys, "--seeds", "5", str(write(MINIMAL)))
    assert code == 2 and err == "drillsim lint: --seeds and --jobs go with --check-scoring\n"


# ------------------------------------------------------------------ golden runs
GOLDEN_FILES = sorted((ROOT / "scenarios" / "golden").glob("*.yaml"))


@pytest.mark.parametrize("golden", GOLDEN_FILES, ids=lambda p: p.stem)
def test_every_shipped_golden_run_holds(golden) -> None:
    scenario, _ = load_scenario(golden.parent.parent / golden.name)
    outcomes = play_golden(golden, scenario)
    assert outcomes
    for outcome in outcomes:
        assert outcome.held, (outcome.run, outcome.rating, outcome.overall)


def test_the_shipped_golden_runs_pin_good_and_bad_play_on_the_original_scenarios() -> None:
    import yaml

    pinned = {golden.stem for golden in GOLDEN_FILES}
    assert pinned <= {path.stem for path in SCENARIOS}, "a golden file without its scenario"
    for stem in ("map-outage-mid-send", "crm-down-quarter-end", "erp-order-sync-stall"):
        runs = yaml.safe_load(golden_path(ROOT / "scenarios" / f"{stem}.yaml").read_text())
        assert {run["rating"] for run in runs} >= {"P", "U"}, stem


GOLDEN = """\
- name: first word
  seed: 2
  rating: {rating}
  overall: {overall}
  actions:
    - at: 2m
      send_update: {{audiences: [execs], facts: [down], next_update_in: 20m}}
"""


def test_a_golden_run_that_misses_fails_lint_at_its_line(capsys, write) -> None:
    path = write(MINIMAL, "mini.yaml")
    (path.parent / "golden").mkdir()
    golden = path.parent / "golden" / "mini.yaml"
    golden.write_text(GOLDEN.format(rating="U", overall=0), encoding="utf-8")
    scenario, _ = load_scenario(path)
    (outcome,) = play_golden(golden, scenario)
    assert outcome.held and outcome.rating == "U"
    golden.write_text(GOLDEN.format(rating="P", overall=90), encoding="utf-8")
    code, out, _ = lint(capsys, str(path))
    assert code == 1
    assert out.startswith(
        f"{golden}:1:3: [golden-run] [0]: golden run 'first word' (seed 2) scored "
    )
    assert f"rated {outcome.rating}; it pins rating P with overall at least 90;" in out


def test_a_broken_golden_file_is_reported_where_it_is_wrong(capsys, write) -> None:
    path = write(MINIMAL, "mini.yaml")
    (path.parent / "golden").mkdir()
    golden = path.parent / "golden" / "mini.yaml"
    golden.write_text(
        GOLDEN.format(rating="Q", overall=0).replace("audiences: [execs]", "audiences: [exec]"),
        encoding="utf-8",
    )
    code, out, _ = lint(capsys, str(path))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"{golden}:3:11: [0].rating: 'Q' is not allowed")
    assert lines[1].startswith(f"{golden}:7:33: [0].send_update.audiences[0]: no audience 'exec'")


def test_golden_actions_may_name_an_actions_file(tmp_path) -> None:
    folder = tmp_path / "lib"
    shutil.copytree(ROOT / "scenarios", folder)
    outcomes = play_golden(
        golden_path(folder / "map-outage-mid-send.yaml"),
        load_scenario(folder / "map-outage-mid-send.yaml")[0],
    )
    assert outcomes[0].run.name == "textbook"


# ------------------------------------------------------------------ the scoring bar
def test_the_bar_names_only_real_bots() -> None:
    assert set(POLICIES) <= set(POLICY_NAMES)


def test_a_scenario_that_rewards_doing_nothing_fails_the_bar_saying_why(capsys, write) -> None:
    path = write(MINIMAL + "scoring:\n  weights: {cadence: 0, plan_b: 0, restraint: 1}\n")
    code, out, err = lint(capsys, "--check-scoring", "--seeds", "3", "--jobs", "1", str(path))
    assert code == 1
    passive = [line for line in out.splitlines() if "passive scored too well" in line]
    assert passive and "restraint 100" in passive[0] and "[scoring-bar]" in passive[0]
    assert "over 3 seeds" in passive[0] and "overreaction costs little" in passive[0]
    assert "oracle" in err  # the bots' table


def test_shortfalls_blame_the_dimensions_that_carried_a_policy() -> None:
    def row(overall: float, cadence: float, plan_b: float, restraint: float) -> dict:
        def stats(median: float) -> dict:
            return {"median": median, "p10": median, "p90": min(100.0, median + 20)}

        scores = {"cadence": cadence, "plan_b": plan_b, "restraint": restraint}
        return {"overall": stats(overall)} | {name: stats(v) for name, v in scores.items()}

    report = {"policies": {policy: row(10, 10, 10, 10) for policy in POLICIES}}
    report["policies"] |= {
        "oracle": row(95, 95, 95, 95),
        "diligent": row(70, 40, 95, 95),
        "passive": row(45, 10, 95, 80),
    }
    found = shortfalls(report, {"cadence": 0.4, "plan_b": 0.3, "restraint": 0.3})
    assert [(s.bar.policy, s.bar.statistic) for s in found] == [
        ("diligent", "median"),
        ("passive", "p90"),
    ]
    assert found[0].why == "cadence 40" and "scored too badly" in found[0].message()
    assert found[1].why == "plan_b 100; restraint 100"  # cadence (30) held it down
    assert "scored too well: 90th percentile overall 65.0" in found[1].message()


# ------------------------------------------------------------------ any valid scenario
@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=mutants(), seed=st.integers(0, 10_000))
def test_lint_and_preview_handle_whatever_validates(document, seed) -> None:
    """Hidden scenarios are linted: on any mutant of a shipped scenario the rules, the events
    list and the decision outlook run without error, and every finding is located."""
    import yaml

    from drillsim.authoring.lint import lint as lint_rules
    from drillsim.authoring.msel import events_list, events_text
    from drillsim.authoring.outlook import outlooks
    from drillsim.scenario.loader import check_text

    checked = check_text(yaml.safe_dump(document, sort_keys=False), "mutant.yaml", lint_rules)
    for problem in checked.problems:
        assert problem.line >= 1 and problem.column >= 1
        if problem.rule:
            assert problem.rule in RULES and problem.severity == "warning"
    if checked.ok and checked.scenario is not None:
        listed = events_list(checked.scenario, seed)
        assert events_text(checked.scenario, listed, seed)
        for outlook in outlooks(checked.scenario):
            for moment in outlook.moments:
                assert all(math.isfinite(loss) for loss in moment.losses.values())
