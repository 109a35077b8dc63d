"""Loading scenarios: the model, every problem located, did-you-mean hints, semantics."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import MINIMAL, SCENARIOS

from drillsim.durations import Duration
from drillsim.scenario.conditions import AllOf, FlagSet, IncidentOpenFor
from drillsim.scenario.loader import check_file, check_text, load_scenario
from drillsim.scenario.model import Fixed, Lognormal
from drillsim.scenario.problems import ScenarioError


def problems_of(text: str) -> list[str]:
    return [str(problem) for problem in check_text(text, "s.yaml").problems]


def errors_of(text: str) -> list[str]:
    return [str(problem) for problem in check_text(text, "s.yaml").errors]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_shipped_scenario_is_valid_without_warnings(path) -> None:
    checked = check_file(path)
    assert checked.ok, [str(p) for p in checked.problems]
    assert checked.problems == ()


def test_minimal_scenario_loads_into_the_model(mini) -> None:
    assert mini.id == "mini"
    assert mini.length == Duration(3600)
    assert isinstance(mini.truth.duration, Fixed)
    assert mini.belief == Lognormal(median=Duration(4500), sigma=1.1)
    assert mini.audiences[0].cadence.first_update == 900
    assert mini.audiences[1].premature_weight == 15.0
    justified = mini.actions[0].justified_if
    assert justified == AllOf(
        all=(FlagSet(flag="visible"), IncidentOpenFor(incident_open_for=Duration(2100)))
    )
    assert mini.decisions[0].options[1].effectiveness == 0.8


def test_models_are_frozen(mini) -> None:
    with pytest.raises(AttributeError):
        mini.id = "other"  # type: ignore[misc]


def test_load_scenario_returns_the_text_digest(write) -> None:
    import hashlib

    path = write(MINIMAL)
    _, digest = load_scenario(path)
    assert digest == hashlib.sha256(MINIMAL.encode()).hexdigest()


def test_load_scenario_raises_with_every_error(write) -> None:
    path = write(
        MINIMAL.replace("channel: monitoring", "channel: pager").replace("format: 1", "format: 3")
    )
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    assert len(raised.value.problems) == 2


def test_unknown_key_gets_did_you_mean_at_the_key() -> None:
    text = MINIMAL.replace(
        "  - id: execs\n    name: Executive team", "  - id: execs\n    nmae: Executive team"
    )
    found = errors_of(text)
    assert (
        "s.yaml:13:5: audiences[0].nmae: unknown key 'nmae' in Audience; did you mean 'name'?"
        in found
    )
    assert any("missing required key 'name'" in line for line in found)


def test_wrong_enum_value_suggests_the_closest() -> None:
    found = errors_of(MINIMAL.replace("kind: external", "kind: externl"))
    assert found == [
        "s.yaml:16:11: audiences[1].kind: 'externl' is not allowed; did you mean 'external'?"
    ]


def test_duration_without_unit_says_how_to_write_it() -> None:
    found = errors_of(MINIMAL.replace("length: 1h", "length: 60"))
    assert found == [
        "s.yaml:6:9: length: expected a duration like 45m, got the number 60; add a unit: 60m or 60s"
    ]


def test_bad_duration_text() -> None:
    found = errors_of(MINIMAL.replace("length: 1h", "length: an hour"))
    assert found == [
        "s.yaml:6:9: length: 'an hour' is not a duration; write it with numbers and unit "
        "letters, like 90s, 45m or 1h30m"
    ]


@pytest.mark.parametrize(
    ("written", "fix"),
    [("15 minutes", "15m"), ("2 hours", "2h"), ("90 secs", "90s"), ("45 Min.", "45m")],
)
def test_a_duration_in_words_is_told_how_to_write_it(written: str, fix: str) -> None:
    """A tester wrote '15 minutes' and read "write it with units, like 90s": it has units."""
    found = errors_of(MINIMAL.replace("length: 1h", f"length: {written}"))
    assert found == [
        f"s.yaml:6:9: length: {written!r} is not a duration; write it as {fix} (numbers and "
        "unit letters, like 90s, 45m or 1h30m)"
    ]


def test_number_where_text_is_expected_says_to_quote() -> None:
    found = errors_of(MINIMAL.replace('version: "1"', "version: 1.10"))
    assert found == [
        "s.yaml:5:10: version: expected text, got the number 1.1; put it in quotes so YAML reads it as text"
    ]


def test_bounds_are_checked() -> None:
    found = errors_of(MINIMAL.replace("effectiveness: 0.8", "effectiveness: 1.5"))
    assert found == [
        "s.yaml:48:76: decisions[0].options[1].effectiveness: 1.5 is above the maximum 1; use a value <= 1"
    ]


def test_unknown_condition_form_gets_did_you_mean() -> None:
    found = errors_of(MINIMAL.replace("{incident_open_for: 35m}", "{incident_open_fro: 35m}"))
    assert len(found) == 1
    assert (
        "'incident_open_fro' is not a known form here; did you mean 'incident_open_for'?"
        in found[0]
    )


def test_condition_mixing_two_forms_is_refused() -> None:
    found = errors_of(
        MINIMAL.replace("{incident_open_for: 35m}", "{incident_open_for: 35m, after: 5m}")
    )
    assert any("mixes incident_open_for, after in one mapping" in line for line in found)


def test_dangling_references_are_located_with_suggestions() -> None:
    text = (
        MINIMAL.replace("reveals: [down]", "reveals: [dwn]")
        .replace("audience: execs, within", "audience: exec, within")
        .replace("default: wait", "default: wiat")
        .replace("stream: forms", "stream: form")
        .replace("{flag: visible}", "{flag: visibel}")
        .replace("{expectation_failed: execs-first}", "{expectation_failed: exec-first}")
    )
    found = errors_of(text)
    assert (
        "s.yaml:29:85: injects[0].reveals[0]: no fact with id 'dwn'; did you mean 'down'?" in found
    )
    assert any(
        "expectations[0].audience: no audience with id 'exec'; did you mean 'execs'?" in f
        for f in found
    )
    assert any(
        "decisions[0].default: no option with id 'wiat'; did you mean 'wait'?" in f for f in found
    )
    assert any(
        "decisions[0].stream: no impact stream with id 'form'; did you mean 'forms'?" in f
        for f in found
    )
    assert any("no truth flag with id 'visibel'; did you mean 'visible'?" in f for f in found)
    assert any(
        "no expectation with id 'exec-first'; did you mean 'execs-first'?" in f for f in found
    )
    assert len(found) == 7  # the flag is misspelt in two places


def test_all_errors_of_a_file_come_in_one_run() -> None:
    text = (
        MINIMAL.replace("kind: external", "kind: externl")
        .replace("reveals: [down]", "reveals: [dwn]")
        .replace("Things broke at {company}.", "Things broke at {compnay}.")
    )
    found = errors_of(text)
    assert len(found) == 3
    assert [line.split(":")[1] for line in found] == sorted(
        (line.split(":")[1] for line in found), key=int
    )


def test_duplicate_ids() -> None:
    text = MINIMAL.replace("{id: cause, text: A bad deploy.}", "{id: down, text: A bad deploy.}")
    text = text.replace("reveals: [cause]", "reveals: [down]")
    found = errors_of(text)
    assert found == [
        "s.yaml:20:10: facts[1].id: duplicate id 'down' in facts (first at line 19); give each one its own id"
    ]


def test_unknown_variable_in_text() -> None:
    found = errors_of(
        MINIMAL.replace("title: Mini drill at {company}", "title: Mini drill at {compnay}")
    )
    assert found == [
        "s.yaml:3:8: title: text uses {compnay} but no such variable is defined; did you mean 'company'? "
        "(define it under variables:, or write the text without braces)"
    ]


def test_literal_braces_that_are_not_placeholders_are_fine() -> None:
    assert (
        errors_of(MINIMAL.replace("A tiny drill for tests.", "'Use {{ and }} or {1} freely.'"))
        == []
    )


def test_times_past_the_end() -> None:
    found = errors_of(
        MINIMAL.replace("at: 10m, channel: status_page", "at: 2h, channel: status_page")
    )
    assert found == [
        "s.yaml:30:21: injects[1].at: T+2h is past the exercise end (length 1h); move it earlier or make the exercise longer"
    ]


def test_inject_needs_exactly_one_trigger() -> None:
    found = errors_of(MINIMAL.replace("{id: alert, at: 0m,", "{id: alert,"))
    assert found == [
        "s.yaml:29:5: injects[0]: an inject needs exactly one of at: or when:; add at: T+ time (e.g. at: 5m) or when: a condition"
    ]


def test_resolving_inject_takes_no_time() -> None:
    found = errors_of(
        MINIMAL.replace("{id: fixed, resolves: true,", "{id: fixed, at: 5m, resolves: true,")
    )
    assert len(found) == 1 and "takes no at/when" in found[0]


def test_decision_whose_options_change_nothing() -> None:
    found = errors_of(MINIMAL.replace("effectiveness: 0.8", "effectiveness: 0"))
    assert len(found) == 1 and "no option has any effect" in found[0]


def test_inject_that_can_never_fire_says_why() -> None:
    contradiction = MINIMAL.replace(
        "when: {expectation_failed: execs-first}", "when: {all: [{after: 30m}, {before: 10m}]}"
    )
    assert any(
        "can never fire: its time bounds exclude each other" in f for f in errors_of(contradiction)
    )
    too_late = MINIMAL.replace("when: {expectation_failed: execs-first}", "when: {after: 3h}")
    assert any("cannot hold before T+3h, after the exercise ends" in f for f in errors_of(too_late))
    self_waiting = MINIMAL.replace(
        "when: {expectation_failed: execs-first}", "when: {inject_delivered: nag}"
    )
    assert any("inject 'nag' can never fire" in f for f in errors_of(self_waiting))


def test_fact_nobody_reveals_is_a_warning_not_an_error() -> None:
    text = MINIMAL.replace("reveals: [cause]", "reveals: []")
    assert errors_of(text) == []
    assert problems_of(text) == [
        "s.yaml:20:5: warning: facts[1]: no inject ever reveals fact 'cause'; add it to an inject's reveals, or remove it"
    ]


def test_flag_cycle() -> None:
    text = MINIMAL.replace(
        "visible: {incident_open_for: 30m}", "visible: {flag: loud}\n    loud: {flag: visible}"
    )
    assert any("flag refers to itself: visible -> loud -> visible" in f for f in errors_of(text))


def test_merge_keys_and_non_string_keys_are_refused() -> None:
    assert any("merge keys" in f for f in errors_of("base: &b {a: 1}\nother:\n  <<: *b\n"))
    assert any("mapping keys must be plain text" in f for f in errors_of("? [a, b]\n: 1\n"))


def test_ids_must_be_slugs() -> None:
    found = errors_of(MINIMAL.replace("id: mini", "id: Mini Drill"))
    assert found == [
        "s.yaml:2:5: id: 'Mini Drill' is not a valid id; use lowercase letters, digits, - and _ (at most 64), e.g. vp-sales"
    ]


def test_an_unchanged_scenario_comes_from_the_cache_a_changed_one_does_not(
    write, monkeypatch
) -> None:
    import os

    from drillsim.scenario import source

    path = write(MINIMAL)
    first, digest = load_scenario(path)
    calls = []
    monkeypatch.setattr(
        source,
        "parse_document",
        lambda *a: calls.append(a) or (_ for _ in ()).throw(AssertionError),
    )
    again, same = load_scenario(path)
    assert again == first and same == digest and calls == []
    monkeypatch.undo()
    path.write_text(MINIMAL.replace("Mini drill", "Mini exercise"))
    os.utime(path, ns=(1, 2))
    changed, other = load_scenario(path)
    assert changed.title == "Mini exercise at {company}" and other != digest


def test_an_edit_that_keeps_size_and_time_is_never_served_from_the_cache(write) -> None:
    import os

    path = write(MINIMAL)
    _, digest = load_scenario(path)
    stat = path.stat()
    edited = MINIMAL.replace("Mini drill", "Mini drilX")  # same size
    assert len(edited) == len(MINIMAL)
    path.write_text(edited)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    changed, other = load_scenario(path)
    assert changed.title == "Mini drilX at {company}" and other != digest


def test_a_corrupt_cache_entry_is_ignored(write) -> None:
    from drillsim.scenario import cache

    path = write(MINIMAL)
    _, digest = load_scenario(path)
    Path(cache._entry_path(digest)).write_text("{not json")
    assert load_scenario(path)[0].id == "mini"
    assert cache.recall(digest) is not None  # rewritten after the full load


def test_an_invalid_file_is_never_cached(write) -> None:
    import hashlib

    from drillsim.scenario import cache

    text = MINIMAL.replace("kind: external", "kind: externl")
    path = write(text)
    with pytest.raises(ScenarioError):
        load_scenario(path)
    assert cache.recall(hashlib.sha256(text.encode()).hexdigest()) is None


def test_default_option_with_a_prerequisite_is_a_warning() -> None:
    text = MINIMAL.replace(
        "{id: wait, label: Wait}", "{id: wait, label: Wait, requires: {fact: cause}}"
    )
    assert errors_of(text) == []  # it still loads: the engine takes the default regardless
    found = problems_of(text)
    assert len(found) == 1 and "warning" in found[0]
    assert "the default option 'wait' has a prerequisite, which is ignored" in found[0]
    assert "remove its requires" in found[0]


def test_option_that_can_never_be_chosen_is_a_warning_saying_why() -> None:
    # The decision opens at T+5m and closes at T+25m.
    late = MINIMAL.replace("effectiveness: 0.8}", "effectiveness: 0.8, requires: {after: 40m}}")
    assert errors_of(late) == []
    found = problems_of(late)
    assert len(found) == 1 and "warning" in found[0]
    assert "option 'pages' can never be chosen" in found[0]
    assert "cannot hold before T+40m, after the decision closes (T+25m)" in found[0]
    early = MINIMAL.replace("effectiveness: 0.8}", "effectiveness: 0.8, requires: {before: 2m}}")
    assert any("before the decision opens" in f for f in problems_of(early))
    # Reachable within the window: no warning.
    fine = MINIMAL.replace(
        "effectiveness: 0.8}", "effectiveness: 0.8, requires: {inject_delivered: cause}}"
    )
    assert problems_of(fine) == []


@pytest.mark.parametrize("needs_the_end", ["{inject_delivered: fixed}", "{incident: resolved}"])
def test_option_needing_the_outage_over_can_never_be_chosen(needs_the_end: str) -> None:
    # Even with an outage short enough to end inside the decision's window: open decisions
    # close as moot when the outage ends.
    text = MINIMAL.replace(
        "effectiveness: 0.8}", f"effectiveness: 0.8, requires: {needs_the_end}}}"
    ).replace("duration: {fixed: 40m}", "duration: {fixed: 20m}")
    found = problems_of(text)
    assert len(found) == 1 and "warning" in found[0]
    assert "it needs the outage over, and open decisions close (moot) when it ends" in found[0]


@pytest.mark.parametrize(
    "when",
    [
        "{all: [{incident: open}, {incident: resolved}]}",
        "{all: [{incident_open_for: 5m}, {any: [{incident: resolved}, "
        "{all: [{incident: resolved}, {after: 1m}]}]}]}",
        "{all: [{any: [{incident: open}, {incident_open_for: 1m}]}, {incident: resolved}]}",
    ],
)
def test_inject_needing_the_incident_open_and_resolved_at_once(when: str) -> None:
    text = MINIMAL.replace("when: {expectation_failed: execs-first}", f"when: {when}")
    assert any("it needs the incident both open and resolved" in f for f in errors_of(text))


@pytest.mark.parametrize(
    "when",
    [
        "{not: {all: [{incident: open}, {incident: resolved}]}}",
        "{any: [{all: [{incident: open}, {incident: resolved}]}, {after: 5m}]}",
        "{any: [{incident: open}, {incident: resolved}]}",
    ],
)
def test_open_and_resolved_in_separate_branches_is_fine(when: str) -> None:
    text = MINIMAL.replace("when: {expectation_failed: execs-first}", f"when: {when}")
    assert errors_of(text) == []


def test_what_a_condition_avoids_is_not_blamed_for_it_never_holding() -> None:
    text = MINIMAL.replace(
        "when: {expectation_failed: execs-first}",
        "when: {all: [{not: {fact: cause}}, {expectation_failed: late}]}",
    ).replace(
        "- {id: execs-first, audience: execs, within: 15m}",
        "- {id: execs-first, audience: execs, within: 15m}\n"
        "  - {id: late, audience: execs, after: cause, within: 55m}",
    )
    found = errors_of(text)
    assert len(found) == 1, found
    assert "inject 'nag' can never fire" in found[0]
    assert "cannot happen before the exercise ends (T+1h)" in found[0]
    assert "reveals" not in found[0]


def test_inject_waiting_for_something_that_comes_too_late_for_its_bounds() -> None:
    text = MINIMAL.replace(
        "when: {expectation_failed: execs-first}",
        "when: {all: [{inject_delivered: cause}, {before: 5m}]}",
    )
    found = errors_of(text)
    assert any(
        "inject 'nag' can never fire" in f and "cannot happen before T+10m" in f for f in found
    ), found


def test_an_expectation_fails_no_earlier_than_its_start_plus_its_time() -> None:
    # The cause comes out at T+10m; 45m later is T+55m, inside the hour; 55m later is not.
    def waiting_for(within: str) -> str:
        return MINIMAL.replace(
            "when: {expectation_failed: execs-first}", "when: {expectation_failed: late}"
        ).replace(
            "- {id: execs-first, audience: execs, within: 15m}",
            "- {id: execs-first, audience: execs, within: 15m}\n"
            f"  - {{id: late, audience: execs, after: cause, within: {within}}}",
        )

    assert errors_of(waiting_for("45m")) == []
    found = errors_of(waiting_for("55m"))
    assert len(found) == 1 and "cannot happen before the exercise ends (T+1h)" in found[0]


def test_a_scenario_from_a_pipe_is_read_afresh_each_time() -> None:
    import os

    titles = []
    for title in ("First title", "Second title"):
        read_end, write_end = os.pipe()
        os.write(write_end, MINIMAL.replace("Mini drill at {company}", title).encode())
        os.close(write_end)
        try:
            titles.append(load_scenario(f"/dev/fd/{read_end}")[0].title)
        finally:
            os.close(read_end)
    assert titles == ["First title", "Second title"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            ("impacted: {flag: visible}", "impacted: {flag: visible}\n    cadence: {weight: .nan}"),
            "audiences[1].cadence.weight",
            "expected a finite number, got .nan",
        ),
        (("penalty: 40", "penalty: .nan"), "actions[0].penalty", "got .nan"),
        (("length: 1h", "length: 1h\nspeed: .inf"), "speed", "got .inf"),
        (("cost: 20", "cost: -.inf"), "decisions[0].options[1].cost", "got -.inf"),
        (
            ("cost: 20", "cost: 1" + "0" * 400),
            "decisions[0].options[1].cost",
            "a whole number too large to compute with",
        ),
        (("streams: {forms: 5}", "streams: {forms: .nan}"), "impact.streams.forms", "got .nan"),
    ],
)
def test_numbers_must_be_finite(change, field: str, message: str) -> None:
    found = errors_of(MINIMAL.replace(*change))
    assert len(found) == 1, found
    assert re.match(rf"s\.yaml:\d+:\d+: {re.escape(field)}: ", found[0]), found
    assert message in found[0] and "; write an ordinary number" in found[0]


@pytest.mark.parametrize(
    "change",
    [
        ("length: 1h", "length: 99999999999h"),
        ("timeout: 20m", "timeout: 100000h"),
        ("at: 5m", "at: 99999999999999h"),
        ("{incident_open_for: 35m}", "{incident_open_for: " + "9" * 400 + "h}"),
    ],
)
def test_an_absurd_duration_is_a_located_error_not_an_overflow(change) -> None:
    found = errors_of(MINIMAL.replace(*change))
    assert len(found) == 1, found
    longer = re.compile(r"s\.yaml:\d+:\d+: [\w.\[\]]+: '\d+(h|\.\.\.)' is longer than 24h")
    assert longer.match(found[0]), found
    assert found[0].endswith(
        "the longest span a drill uses; write at most 24h, or add format: 2 (up to 30d)"
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("length: 1h", "length: 13h"),
            "s.yaml:6:9: length: 13h is above the maximum 12h; use a value <= 12h",
        ),
        (
            ("length: 1h", "length: 1h\nscoring: {checkpoint: 0s}"),
            "s.yaml:7:23: scoring.checkpoint: 0s is below the minimum 1m; use a value >= 1m",
        ),
        (
            ("timeout: 20m", "timeout: 0s"),
            "s.yaml:44:14: decisions[0].timeout: 0s is below the minimum 1m; use a value >= 1m",
        ),
        (
            ("{fixed: 40m}", "{median: 0s, sigma: 1}"),
            "s.yaml:24:22: truth.duration.median: 0s is below the minimum 1m; use a value >= 1m",
        ),
        (
            ("{fixed: 40m}", "{fixed: 0s}"),
            "s.yaml:24:21: truth.duration.fixed: 0s is below the minimum 1m; use a value >= 1m",
        ),
        (
            ("{fixed: 40m}", "{median: 40m, sigma: 0.001}"),
            "s.yaml:24:34: truth.duration.sigma: 0.001 is below the minimum 0.01; use a value >= 0.01",
        ),
        (
            ("length: 1h", "length: 1h\nspeed: 500"),
            "s.yaml:7:8: speed: 500 is above the maximum 240; use a value <= 240",
        ),
        (
            ("penalty: 40", "penalty: 101"),
            "s.yaml:53:14: actions[0].penalty: 101 is above the maximum 100; use a value <= 100",
        ),
        (
            ("cost: 20", "cost: 2e9"),  # YAML 1.1 reads 2e9 as text: the type error is enough
            "s.yaml:48:57: decisions[0].options[1].cost: expected a number, got text '2e9'; write a number",
        ),
        (
            ("cost: 20", "cost: 2000000000"),
            "s.yaml:48:57: decisions[0].options[1].cost: 2000000000 is above the maximum 1000000000; use a value <= 1000000000",
        ),
        (
            ("streams: {forms: 5}", "streams: {forms: 5000000}"),
            "s.yaml:27:59: impact.streams.forms: loss rate 5e+06 is above the maximum 1e+06 per minute; count the loss in a larger unit (thousands, not units)",
        ),
        (
            ("company: {value: Acme}", "company: {faker: random_int, max: 10000000000000}"),
            "s.yaml:10:37: variables.company.max: 10000000000000 is above the maximum 1000000000000; use a value <= 1000000000000",
        ),
    ],
)
def test_numbers_outside_their_documented_range_are_located(change, expected: str) -> None:
    assert errors_of(MINIMAL.replace(*change)) == [expected]


def test_the_locale_must_be_one_faker_knows() -> None:
    assert errors_of(MINIMAL.replace("length: 1h", "length: 1h\nlocale: de_DE")) == []
    found = errors_of(MINIMAL.replace("length: 1h", "length: 1h\nlocale: en_us"))
    assert found == ["s.yaml:7:9: locale: 'en_us' is not allowed; did you mean 'en_US'?"]
    found = errors_of(MINIMAL.replace("length: 1h", "length: 1h\nlocale: xx_YY"))
    assert len(found) == 1 and found[0].startswith("s.yaml:7:9: locale: 'xx_YY' is not allowed")


@pytest.mark.parametrize(
    ("text", "line", "column", "character"),
    [
        ("a: b\ntitle: \x07 ring\n", 2, 8, "U+0007"),
        ("a: 'ééé'\nb: \"日本語 \x1b[31m\"\n", 2, 9, "U+001B"),
        ("a: 😀\nb:\n  c: x\x7fy\n", 3, 7, "U+007F"),
    ],
)
def test_a_control_character_is_located_where_it_is(text, line, column, character) -> None:
    found = errors_of(text)
    assert found == [
        f"s.yaml:{line}:{column}: (file): control character {character} is not allowed in YAML; "
        "remove it (a text editor's 'show invisibles' finds it)"
    ]


def test_a_list_longer_than_its_limit_is_located_at_the_first_extra_entry() -> None:
    extra = "".join(f"\n      - {{id: o{n}, label: O{n}}}" for n in range(4))
    found = errors_of(MINIMAL.replace("effectiveness: 0.8}", "effectiveness: 0.8}" + extra))
    assert found == [
        "s.yaml:52:9: decisions[0].options[5]: 6 entries, more than the 5 a scenario may have "
        "here; a drill stays playable with fewer: drop some, or split it into two scenarios"
    ]
    streams = ", ".join(f"s{n}: 1" for n in range(21))
    found = errors_of(MINIMAL.replace("streams: {forms: 5}", f"streams: {{forms: 5, {streams}}}"))
    assert len(found) == 1 and "impact.streams.s19: 22 entries, more than the 20" in found[0]


def test_conditions_are_limited_in_size_all_together() -> None:
    big = "{any: [" + ", ".join(f"{{after: {n}m}}" for n in range(400)) + "]}"
    found = errors_of(MINIMAL.replace("when: {expectation_failed: execs-first}", f"when: {big}"))
    assert found == [
        "s.yaml:32:11: injects[2].when: the conditions up to here have 404 parts (a truth flag "
        "counts wherever it is used), more than the 400 a drill evaluates at every instant; "
        "simplify the largest conditions"
    ]


def test_flags_built_on_flags_are_counted_without_walking_every_path() -> None:
    """Each flag uses the next one twice: 2**40 parts, counted (and cycles sought) in linear time."""
    import time

    chain = "".join(
        f"\n    f{n}: {{all: [{{flag: f{n + 1}}}, {{flag: f{n + 1}}}]}}" for n in range(40)
    )
    text = MINIMAL.replace(
        "visible: {incident_open_for: 30m}",
        f"visible: {{flag: f0}}{chain}\n    f40: {{incident_open_for: 30m}}",
    )
    started = time.perf_counter()
    found = errors_of(text)
    assert time.perf_counter() - started < 2
    assert len(found) == 1, found
    assert (
        "audiences[1].impacted: the conditions up to here have 4,398,046,511,104 parts" in found[0]
    )
