"""Filling placeholders (drillsim.templates): the one definition, for every screen and score."""

from __future__ import annotations

import msgspec

from drillsim.scenario.shape import Template
from drillsim.templates import fill


def test_filled_text_is_plain_text_with_or_without_a_placeholder() -> None:
    # Scenario text is a Template (a str subclass) the journal's encoder refuses: what fill
    # hands the engine must be plain text even when there was nothing to fill.
    for text, filled in (
        ("No placeholder here.", "No placeholder here."),
        ("{system} is down.", "Orbit is down."),
    ):
        found = fill(Template(text), {"system": "Orbit"})
        assert type(found) is str
        assert found == filled
        assert msgspec.json.encode(found) == msgspec.json.encode(filled)
