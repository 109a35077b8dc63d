"""`drillsim schema` is a valid draft 2020-12 JSON Schema that accepts every shipped scenario."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from conftest import MINIMAL, SCENARIOS

from drillsim.cli import main
from drillsim.scenario.schema import json_schema


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_command_prints_the_schema(capsys) -> None:
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert printed == json_schema()


def test_schema_command_writes_a_file(tmp_path) -> None:
    target = tmp_path / "scenario.schema.json"
    assert main(["schema", "--output", str(target)]) == 0
    assert json.loads(target.read_text()) == json_schema()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_shipped_scenario_matches_the_schema(validator, path) -> None:
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    errors = [error.message for error in validator.iter_errors(document)]
    assert errors == []


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (("kind: external", "kind: externl"), "'externl' is not one of"),
        (("length: 1h", "length: 60"), "is not of type 'string'"),
        (("  - id: execs\n", "  - id: execs\n    colour: red\n"), "Additional properties"),
        (
            ("{incident_open_for: 35m}", "{incident_open_for: 35m, after: 5m}"),
            "is not valid under any",
        ),
        (("effectiveness: 0.8", "effectiveness: 1.5"), "is greater than the maximum"),
    ],
)
def test_schema_rejects_what_the_loader_rejects(validator, change, fragment) -> None:
    from drillsim.scenario.loader import check_text

    text = MINIMAL.replace(*change)
    assert check_text(MINIMAL, "ok.yaml").ok
    assert not check_text(text, "bad.yaml").ok
    messages = " | ".join(error.message for error in validator.iter_errors(yaml.safe_load(text)))
    assert fragment in messages


def test_every_model_field_is_documented() -> None:
    schema = json_schema()
    for name, definition in schema["$defs"].items():
        for key, prop in definition.get("properties", {}).items():
            assert prop.get("description"), f"{name}.{key} has no description"
