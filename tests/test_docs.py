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
