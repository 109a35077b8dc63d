"""Whatever validates, plays: mutated shipped scenarios are refused with a located error, or
every bot plays them to the end and they score within [0, 100] in bounded time and memory.

The quick tier runs in the normal suite. The long mode runs thousands of mutants:

    pytest -m fuzz --hypothesis-profile long tests/test_fuzz_scenarios.py

Runs happen in a worker process, so a run that hangs fails the test instead of hanging it.
A run's time is measured on its own; its memory is the growth of the worker's peak resident
size over what the worker held after warming up.
"""

from __future__ import annotations

import copy
import math
import multiprocessing
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from conftest import SCENARIOS
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from drillsim.policies import POLICY_NAMES
from drillsim.scenario.model import FAKER_LOCALES

RUN_SECONDS = 5.0
RUN_BYTES = 200 * 1024 * 1024
HARD_STOP = 120.0
"""Seconds a whole mutant (validation and five bots) may take before the worker is killed."""

LOCATED = re.compile(r"^mutant\.yaml:[1-9]\d*:[1-9]\d*: [^:]+: .+; .+$", re.DOTALL)

SHIPPED: dict[str, dict[str, Any]] = {
    path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in SCENARIOS
}

Path = tuple[str | int, ...]


# ------------------------------------------------------------------- the worker
def peak_resident_bytes() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def warm_up() -> None:
    """Load and run what every run uses once, so a run is timed on its own work."""
    from drillsim.scenario.loader import check_text

    global warm_resident_bytes
    outcome(yaml.safe_dump(SHIPPED["map-outage-mid-send"], sort_keys=False), 0)
    check_text("", "warm-up.yaml")
    warm_resident_bytes = peak_resident_bytes()


warm_resident_bytes = 0


def outcome(text: str, seed: int) -> dict[str, Any]:
    """Validate ``text``; if it is valid, play and score it with every bot (in the worker)."""
    import time

    from drillsim.policies import POLICY_NAMES, play
    from drillsim.scenario.loader import check_text
    from scoring import score_run

    checked = check_text(text, "mutant.yaml")
    if not checked.ok or checked.scenario is None:
        return {"errors": [str(problem) for problem in checked.errors]}
    scenario = checked.scenario
    runs = {}
    for policy in POLICY_NAMES:
        started = time.perf_counter()
        drill = play(scenario, policy, seed)
        card = score_run(scenario, drill.events)
        runs[policy] = {
            "ended": drill.ended,
            "scores": [card.overall, card.cadence, card.plan_b, card.restraint],
            "seconds": time.perf_counter() - started,
        }
    return {"runs": runs, "grown": peak_resident_bytes() - warm_resident_bytes}


class Worker:
    """One spawned process that runs :func:`outcome`, replaced after a hang."""

    def __init__(self) -> None:
        self.pool = self._start()

    @staticmethod
    def _start() -> Any:
        return multiprocessing.get_context("spawn").Pool(1, warm_up, maxtasksperchild=100)

    def run(self, text: str, seed: int) -> dict[str, Any]:
        pending = self.pool.apply_async(outcome, (text, seed))
        try:
            return pending.get(timeout=HARD_STOP)
        except multiprocessing.TimeoutError:
            self.pool.terminate()
            self.pool = self._start()
            pytest.fail(f"no outcome within {HARD_STOP:.0f} s (seed {seed}):\n{text}")

    def close(self) -> None:
        self.pool.terminate()


@pytest.fixture(scope="module")
def worker() -> Iterator[Worker]:
    running = Worker()
    yield running
    running.close()


def assert_contract(worker: Worker, data: dict[str, Any], seed: int) -> dict[str, Any]:
    """The contract: refused with located errors only, or played and scored within limits."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    result = worker.run(text, seed)
    if "errors" in result:
        assert result["errors"], "refused without a reason"
        for error in result["errors"]:
            assert LOCATED.match(error), error
        return result
    for policy, run in result["runs"].items():
        assert run["ended"], f"{policy} did not play to the end"
        overall, *dimensions = run["scores"]
        for score in (overall, *(value for value in dimensions if value is not None)):
            assert math.isfinite(score) and 0 <= score <= 100, (policy, run["scores"])
        assert run["seconds"] < RUN_SECONDS, (policy, run["seconds"])
    assert result["grown"] < RUN_BYTES, result["grown"]
    return result


# ------------------------------------------------------------------ mutations
NUMBERS = st.one_of(
    st.floats(0, 200),
    st.integers(0, 1000),
    st.sampled_from(
        [0, -1, 1e-9, 0.5, 1, 2, 100, 101, 1e6, 1e9 + 1, 1e308, 10**400, math.nan, math.inf]
    ),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**20), 10**20),
)
DURATIONS = st.one_of(
    st.builds("{}m".format, st.integers(0, 12 * 60)),
    st.builds("{}s".format, st.integers(0, 3600)),
    st.sampled_from(
        ["0s", "1s", "59s", "1m", "1h", "4h", "12h", "24h", "25h", "99999999999h", "9" * 400 + "h"]
    ),
    st.builds("{}{}".format, st.integers(0, 10**6), st.sampled_from(["s", "m", "h"])),
)
CONDITION_KEYS = {"when", "requires", "impacted", "justified_if"}
DURATION = re.compile(r"^(?=\d)(?:\d+h)?(?:\d+m)?(?:\d+s)?$")


def leaves(node: Any, where: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every value in the document with its path (containers included)."""
    yield where, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*where, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, (*where, index))


def at(document: Any, where: Path) -> Any:
    for part in where:
        document = document[part]
    return document


def put(document: Any, where: Path, value: Any) -> None:
    at(document, where[:-1])[where[-1]] = value


def ids_of(document: dict[str, Any], group: str) -> list[str]:
    items = [item for item in document.get(group) or [] if isinstance(item, dict)]
    return [item["id"] for item in items if isinstance(item.get("id"), str)]


def conditions(document: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Conditions that are possible, impossible, or wait for what never comes."""
    facts = ids_of(document, "facts") or ["none"]
    injects = ids_of(document, "injects") or ["none"]
    return st.one_of(
        st.sampled_from(
            [
                True,
                False,
                {"all": [{"after": "30m"}, {"before": "10m"}]},
                {"all": [{"incident": "open"}, {"incident": "resolved"}]},
                {"incident": "resolved"},
                {"after": "23h"},
                {"not": True},
                {"any": []},
                {"all": []},
            ]
        ),
        st.builds(lambda fact: {"fact": fact}, st.sampled_from(facts)),
        st.builds(lambda inject: {"inject_delivered": inject}, st.sampled_from(injects)),
        st.builds(lambda span: {"incident_open_for": span}, DURATIONS),
    )


def copied_with_new_id(item: Any, number: int) -> Any:
    twin = copy.deepcopy(item)
    if isinstance(twin, dict) and "id" in twin:
        twin["id"] = f"{twin['id']}-{number}"
    return twin


def kind_of(where: Path, value: Any) -> str:
    if where[-1] in CONDITION_KEYS or where[-2:-1] == ("flags",):
        return "condition"
    if isinstance(value, bool):
        return "flag"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "duration" if DURATION.match(value) else "text"
    return "list" if isinstance(value, list) else "mapping"


KINDS = ["number", "number", "duration", "duration", "list", "condition", "mapping", "flag", "text"]


@st.composite
def mutate_one(draw: st.DrawFn, document: dict[str, Any]) -> None:
    """Apply one mutation to a value of a kind picked first (numbers and durations most)."""
    by_kind: dict[str, list[tuple[Path, Any]]] = {}
    for where, value in list(leaves(document))[1:]:
        by_kind.setdefault(kind_of(where, value), []).append((where, value))
    kind = draw(st.sampled_from([kind for kind in KINDS if kind in by_kind]))
    where, value = draw(st.sampled_from(by_kind[kind]))
    if kind == "condition":
        put(document, where, draw(conditions(document)))
    elif kind == "flag":
        put(document, where, not value)
    elif kind == "number":
        put(document, where, draw(NUMBERS))
    elif kind == "duration":
        put(document, where, draw(DURATIONS))
    elif kind == "list":
        how = draw(st.sampled_from(["empty", "drop", "duplicate", "grow"]))
        if how == "empty" or not value:
            put(document, where, [])
        elif how == "drop":
            del value[draw(st.integers(0, len(value) - 1))]
        elif how == "duplicate":
            value.append(copy.deepcopy(draw(st.sampled_from(value))))
        else:
            model = draw(st.sampled_from(value))
            value.extend(copied_with_new_id(model, n) for n in range(draw(st.integers(1, 300))))
    elif kind == "mapping" and value:
        del value[draw(st.sampled_from(sorted(value, key=str)))]
    elif kind == "text":
        put(document, where, draw(st.sampled_from(["", "{nowhere}", "x" * 5000, "1", "no"])))


@st.composite
def strand_a_decision(draw: st.DrawFn, document: dict[str, Any]) -> None:
    """Make every option of a decision wait for a fact that no inject reveals."""
    decisions = document.get("decisions") or []
    if not decisions:
        return
    decision = draw(st.sampled_from(decisions))
    facts = document.setdefault("facts", [])
    if "never-told" not in ids_of(document, "facts"):
        facts.append({"id": "never-told", "text": "Nobody says this."})
    for option in decision.get("options") or []:
        option["requires"] = {"fact": "never-told"}


@st.composite
def set_a_setting(draw: st.DrawFn, document: dict[str, Any]) -> None:
    """Set a top-level setting the shipped files may leave to its default."""
    setting = draw(st.sampled_from(["locale", "checkpoint", "speed", "length", "median"]))
    if setting == "locale":
        document["locale"] = draw(st.sampled_from([*FAKER_LOCALES, "xx_YY", "fr_QC", ""]))
    elif setting == "checkpoint":
        document.setdefault("scoring", {})["checkpoint"] = draw(DURATIONS)
    elif setting == "speed":
        document["speed"] = draw(NUMBERS)
    elif setting == "length":
        document["length"] = draw(DURATIONS)
    else:
        truth = document.setdefault("truth", {})
        truth["duration"] = {"median": draw(DURATIONS), "sigma": draw(NUMBERS)}


@st.composite
def mutants(draw: st.DrawFn) -> dict[str, Any]:
    document = copy.deepcopy(SHIPPED[draw(st.sampled_from(sorted(SHIPPED)))])
    for _ in range(draw(st.integers(1, 4))):
        change = draw(st.sampled_from([mutate_one, mutate_one, strand_a_decision, set_a_setting]))
        draw(change(document))
    return document


SEEDS = st.integers(0, 999_999)
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow
@settings(FUZZ, max_examples=6)
@given(document=mutants(), seed=SEEDS)
def test_quick_fuzz_whatever_validates_plays(worker: Worker, document, seed: int) -> None:
    event("refused" if "errors" in assert_contract(worker, document, seed) else "played")


@pytest.mark.slow
@pytest.mark.fuzz
@FUZZ
@given(document=mutants(), seed=SEEDS)
def test_long_fuzz_whatever_validates_plays(worker: Worker, document, seed: int) -> None:
    """`--hypothesis-show-statistics` says how many mutants were refused and how many played."""
    event("refused" if "errors" in assert_contract(worker, document, seed) else "played")


# ------------------------------------------------------------ regressions
def changed(scenario: str, *changes: tuple[Path, Any]) -> dict[str, Any]:
    document = copy.deepcopy(SHIPPED[scenario])
    for where, value in changes:
        put(document, where, value)
    return document


def stranded(scenario: str, *decisions: int) -> dict[str, Any]:
    """Every option of these decisions (all by default) waits for a fact nobody reveals."""
    document = copy.deepcopy(SHIPPED[scenario])
    document["facts"].append({"id": "never-told", "text": "Nobody says this."})
    for index in decisions or range(len(document["decisions"])):
        for option in document["decisions"][index]["options"]:
            option["requires"] = {"fact": "never-told"}
    return document


FLAGSHIP = "map-outage-mid-send"
REFUSED = {
    "checkpoint-0s": (
        changed(FLAGSHIP, (("scoring", "checkpoint"), "0s")),
        "0s is below the minimum 1m",
    ),
    "timeout-100000h": (
        changed(FLAGSHIP, (("decisions", 0, "timeout"), "100000h")),
        "'100000h' is longer than 24h",
    ),
    "huge-length": (changed(FLAGSHIP, (("length",), "99999999999h")), "longer than 24h"),
    "huge-duration": (
        changed(FLAGSHIP, (("truth", "duration", "median"), "99999999999999h")),
        "longer than 24h",
    ),
    "median-0s": (
        changed(FLAGSHIP, (("truth", "duration", "median"), "0s")),
        "0s is below the minimum 1m",
    ),
    "locale-xx_YY": (changed(FLAGSHIP, (("locale",), "xx_YY")), "'xx_YY' is not allowed"),
    "weight-nan": (
        changed(FLAGSHIP, (("audiences", 0, "cadence", "weight"), math.nan)),
        "got .nan",
    ),
    "penalty-nan": (changed(FLAGSHIP, (("actions", 0, "penalty"), math.nan)), "got .nan"),
    "speed-nan": (changed(FLAGSHIP, (("speed",), math.nan)), "got .nan"),
    "speed-inf": (changed(FLAGSHIP, (("speed",), math.inf)), "got .inf"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_scenario_that_once_broke_play_is_refused(worker: Worker, name: str) -> None:
    document, message = REFUSED[name]
    result = assert_contract(worker, document, 1)
    assert any(message in error for error in result.get("errors", [])), result


@pytest.mark.parametrize(
    "scenario",
    [  # the quick tier plays the flagship's; the slow tier every shipped scenario's
        pytest.param(name, marks=() if name == FLAGSHIP else pytest.mark.slow)
        for name in sorted(SHIPPED)
    ],
)
def test_a_decision_whose_options_are_never_available_still_plays(
    worker: Worker, scenario: str
) -> None:
    """Every option waits for a fact nobody reveals: the panic bot once crashed on max()."""
    result = assert_contract(worker, stranded(scenario), 3)
    assert set(result["runs"]) == set(POLICY_NAMES)


@pytest.mark.slow
def test_a_choice_equal_to_the_best_but_for_rounding_costs_nothing(worker: Worker) -> None:
    """Found by the long fuzz: a regret of -6e-14 made the random bot's plan B 100.00000000000003
    (the contract holds every score to [0, 100]); the best play scores exactly 100."""
    result = assert_contract(worker, stranded("crm-down-quarter-end", 1, 2), 0)
    assert result["runs"]["oracle"]["scores"][2] == 100.0
