"""The format reference documents every key the model accepts."""

from __future__ import annotations

from conftest import ROOT

from drillsim.scenario.schema import json_schema


def test_format_doc_mentions_every_key() -> None:
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    missing = sorted(
        f"{name}.{key}"
        for name, definition in json_schema()["$defs"].items()
        for key in definition.get("properties", {})
        if f"`{key}`" not in text and f"{key}:" not in text
    )
    assert missing == []


def test_readme_has_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install . && .venv/bin/drillsim" in text
    assert "pip install -e '.[test]' && .venv/bin/python -m pytest" in text


def test_journal_doc_names_every_kind_of_line_and_its_sort() -> None:
    from drillsim.engine.events import KINDS

    text = (ROOT / "docs" / "journal.md").read_text(encoding="utf-8")
    inputs_row = next(line for line in text.splitlines() if line.startswith("| **inputs**"))
    engine_row = next(line for line in text.splitlines() if line.startswith("| **engine events**"))
    for kind in KINDS:
        assert f"`{kind}`" in inputs_row or f"`{kind}`" in engine_row, kind
    for always_input in ("update_sent", "action_taken", "note_added", "paused", "skipped"):
        assert f"`{always_input}`" in inputs_row and f"`{always_input}`" not in engine_row
    assert "`inject_delivered`" in engine_row and "`inject_delivered`" not in inputs_row


def test_scoring_doc_lists_every_key_of_the_score_card(flagship) -> None:
    import re

    from drillsim.engine.drill import Drill
    from scoring import score_run

    drill = Drill(flagship, 1)
    drill.advance_to(drill.length)
    card = score_run(flagship, drill.events).as_dict()
    text = (ROOT / "docs" / "scoring.md").read_text(encoding="utf-8")
    table = text[text.index("## The score card as JSON") :]
    documented = set(re.findall(r"`([a-z_]+)(?:\[\])?`", table))
    keys = set(card) | {"seal"}
    keys |= {key for row in card["audiences"] for key in row}
    keys |= {key for row in card["decisions"] for key in row}
    keys |= {key for row in card["deductions"] for key in row}
    keys |= set(card["luck"])
    assert keys - documented == set()


# ------------------------------------------------- docs/format.md against the JSON Schema
def _format_doc() -> str:
    return (ROOT / "docs" / "format.md").read_text(encoding="utf-8")


def _ranges_table() -> list[tuple[str, str]]:
    """The rows of the numbers table: (what, range)."""
    text = _format_doc()
    table = text[text.index("| What | Range | Why |") :].split("\n\n")[0]
    rows = [line.split(" | ") for line in table.splitlines()[2:]]
    return [(cells[0].lstrip("| "), cells[1]) for cells in rows]


def _written(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _row_for(definition: str, key: str) -> str:
    """The range documented for a field: its row names it (``key`` or ``x.key``), or its
    family (``scoring.weights``, ``*_penalty``)."""
    names = [f"{key}`", "scoring.weights`" if definition == "Weights" else "\0"]
    if key.endswith("_penalty"):
        names.append("*_penalty`")
    found = [rng for what, rng in _ranges_table() if any(name in what for name in names)]
    assert len(found) == 1, (definition, key, found)
    return found[0]


def test_format_doc_gives_every_numeric_range_the_schema_enforces() -> None:
    checked = 0
    for definition, body in json_schema()["$defs"].items():
        for key, prop in body.get("properties", {}).items():
            if "minimum" in prop and "maximum" in prop:
                low, high = _written(prop["minimum"]), _written(prop["maximum"])
                assert _row_for(definition, key) == f"`{low}` to `{high}`", (definition, key)
                checked += 1
    assert checked >= 15


def test_format_doc_gives_every_duration_range_the_model_enforces() -> None:
    from drillsim.durations import Duration, format_duration
    from drillsim.scenario.model import Scenario
    from drillsim.scenario.shape import fields_of, is_model

    seen: set[type] = set()
    pending: list[type] = [Scenario]
    checked = 0
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        for info in fields_of(model):
            for inner in (info.type, *getattr(info.type, "__args__", ())):
                if is_model(inner):
                    pending.append(inner)
            if info.type is Duration and info.ge is not None and info.le is not None:
                documented = _row_for(model.__name__, info.key)
                assert documented == f"`{format_duration(info.ge)}` to `{format_duration(info.le)}`"
                checked += 1
    assert checked >= 4


def test_format_doc_gives_every_list_limit_the_schema_enforces() -> None:
    import re

    text = " ".join(_format_doc().split())
    for body in json_schema()["$defs"].values():
        for key, prop in body.get("properties", {}).items():
            most = prop.get("maxItems", prop.get("maxProperties"))
            if most is not None:
                assert re.search(rf"\b{most} (\w+ )?`{key}`", text), key


def test_format_doc_names_every_choice_and_condition_the_schema_allows() -> None:
    import re

    text = _format_doc()
    words = set(re.findall(r"[a-z_]+|\d+", text))
    for body in json_schema()["$defs"].values():
        for prop in body.get("properties", {}).values():
            values = prop.get("enum", [])
            if 1 < len(values) <= 20:
                assert {str(value) for value in values} <= words, values
    conditions = text[text.index("## Conditions") :]
    for ref in json_schema()["$defs"]["Condition"]["oneOf"][1:]:
        form = json_schema()["$defs"][ref["$ref"].rsplit("/", 1)[1]]
        (key,) = form["properties"]
        assert f"`{key}:" in conditions, key


def test_one_speed_range_in_the_model_the_cli_the_tui_and_the_doc() -> None:
    from drillsim.commands.values import speed
    from drillsim.limits import MAX_SPEED, MIN_SPEED
    from drillsim.tui.setup import SPEEDS

    schema = json_schema()["$defs"]["Scenario"]["properties"]["speed"]
    assert (schema["minimum"], schema["maximum"]) == (MIN_SPEED, MAX_SPEED)
    assert (SPEEDS[0], SPEEDS[-1]) == (MIN_SPEED, MAX_SPEED)
    assert speed(_written(MAX_SPEED)) == MAX_SPEED and speed(_written(MIN_SPEED)) == MIN_SPEED
    steps = ", ".join(_written(step) for step in SPEEDS[:-1]) + f" and {_written(SPEEDS[-1])}"
    assert f"step through {steps}." in " ".join(_format_doc().split())


def test_the_authoring_guides_golden_run_holds_on_the_template(tmp_path, capsys) -> None:
    from drillsim.cli import main

    text = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    start = text.index("```yaml\n# A good run") + len("```yaml\n")
    golden = text[start : text.index("```", start)]
    assert main(["new", "webinar-down", "-o", str(tmp_path)]) == 0
    (tmp_path / "golden").mkdir()
    (tmp_path / "golden" / "webinar-down.yaml").write_text(golden, encoding="utf-8")
    capsys.readouterr()
    assert main(["lint", "--strict", str(tmp_path / "webinar-down.yaml")]) == 0
    assert capsys.readouterr().out == ""
    outside = golden[golden.index("    - at: 12m") : golden.index("    - {at: 24m")]
    broken = golden.replace(outside, "").replace("    - {at: 32m, send_update: *outside}\n", "")
    broken = broken.replace("    - {at: 52m, send_update: *outside}\n", "")
    assert "*outside" not in broken and "[registrants]" not in broken
    (tmp_path / "golden" / "webinar-down.yaml").write_text(broken, encoding="utf-8")
    assert main(["lint", str(tmp_path / "webinar-down.yaml")]) == 1
    assert "(seed 0) scored 83.5 rated S; it pins rating P" in capsys.readouterr().out
