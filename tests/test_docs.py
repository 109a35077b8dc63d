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
