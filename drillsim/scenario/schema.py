"""JSON Schema (draft 2020-12) of the scenario format, generated from the model."""

from __future__ import annotations

from drillsim.durations import DURATION_PATTERN, Duration
from drillsim.scenario.conditions import CONDITION_FORMS
from drillsim.scenario.model import FORMAT_VERSION, Scenario
from drillsim.scenario.shape import (
    ID_PATTERN,
    Id,
    LiteralType,
    Template,
    fields_of,
    generic_args,
    is_model,
    union_members,
)

SCHEMA_ID = f"https://drillsim.dev/schema/scenario-v{FORMAT_VERSION}.json"


def json_schema() -> dict[str, object]:
    """The scenario format as a JSON Schema document."""
    definitions: dict[str, dict[str, object]] = {}
    root = _ref(Scenario, definitions)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "drillsim scenario",
        "description": (
            f"A drillsim crisis-drill scenario, format version {FORMAT_VERSION} "
            "(a file without format: is version 1)."
        ),
        **root,
        "$defs": dict(sorted(definitions.items())),
    }


def _ref(cls: type, definitions: dict[str, dict[str, object]]) -> dict[str, object]:
    if cls.__name__ not in definitions:
        definitions[cls.__name__] = {}
        properties: dict[str, object] = {}
        required = []
        for info in fields_of(cls):
            prop = dict(_type(info.type, definitions))
            if info.doc:
                prop["description"] = info.doc
            # A duration is text to JSON Schema: its bounds (in seconds) cannot be said there.
            for bound, keyword in (
                ("ge", "minimum"),
                ("le", "maximum"),
                ("gt", "exclusiveMinimum"),
            ):
                value = getattr(info, bound)
                if value is not None and info.type is not Duration:
                    prop[keyword] = value
            if info.most is not None:
                prop["maxProperties" if prop.get("type") == "object" else "maxItems"] = info.most
            if info.required:
                required.append(info.key)
            properties[info.key] = prop
        definition: dict[str, object] = {
            "type": "object",
            "properties": properties,
            "additionalProperties": False,
        }
        if cls.__doc__ and not cls.__doc__.startswith(cls.__name__ + "("):
            definition["description"] = cls.__doc__.strip().splitlines()[0]
        if required:
            definition["required"] = required
        definitions[cls.__name__] = definition
    return {"$ref": f"#/$defs/{cls.__name__}"}


def _type(tp: object, definitions: dict[str, dict[str, object]]) -> dict[str, object]:
    members = union_members(tp)
    if members is not None:
        if set(CONDITION_FORMS) <= set(members):
            condition = _condition(definitions)
            return {"oneOf": [condition, {"type": "null"}]} if type(None) in members else condition
        options = [_type(member, definitions) for member in members]
        return {"oneOf": options}
    if isinstance(tp, LiteralType):
        return {"enum": list(tp.values)}
    items = generic_args(tp, tuple)
    if items is not None:
        return {"type": "array", "items": _type(items[0], definitions)}
    entries = generic_args(tp, dict)
    if entries is not None:
        return {
            "type": "object",
            "propertyNames": {"pattern": ID_PATTERN},
            "additionalProperties": _type(entries[1], definitions),
        }
    if is_model(tp):
        return _ref(tp, definitions)
    simple: dict[object, dict[str, object]] = {
        type(None): {"type": "null"},
        bool: {"type": "boolean"},
        int: {"type": "integer"},
        float: {"type": "number"},
        str: {"type": "string"},
        Template: {"type": "string"},
        Id: {"type": "string", "pattern": ID_PATTERN},
        Duration: {
            "type": "string",
            "pattern": DURATION_PATTERN,
            "examples": ["90s", "45m", "1h30m", "2d"],
        },
    }
    return dict(simple[tp])


def _condition(definitions: dict[str, dict[str, object]]) -> dict[str, object]:
    if "Condition" not in definitions:
        definitions["Condition"] = {}
        forms: list[dict[str, object]] = [{"type": "boolean"}]
        for form in CONDITION_FORMS:
            ref = _ref(form, definitions)
            forms.append(ref)
        definitions["Condition"] = {
            "description": "true, false, or a one-key mapping such as {after: 30m}.",
            "oneOf": forms,
        }
    return {"$ref": "#/$defs/Condition"}
