"""At 80 columns audience names are abbreviated so they still read (drillsim.tui.text.abbreviate),
on the stakeholder board and in the composer, instead of being cut mid-word."""

from __future__ import annotations

import pytest
from test_tui import build, start

from drillsim.tui.screens.composer import UpdateComposer
from drillsim.tui.text import abbreviate
from drillsim.tui.widgets.stakeholder_board import AudienceRow
from drillsim.tui.widgets.tick_list import TICKED, TickList

pytestmark = pytest.mark.usefixtures("shared_name_helper")


def test_names_are_shortened_word_by_word_then_cut() -> None:
    assert abbreviate("Customer support", 16) == "Customer support"
    assert abbreviate("Customer support", 15) == "Cust. support"
    assert abbreviate("Prospects and customers", 15) == "Pros. & cust."
    assert abbreviate("Paid-media agency", 15) == "Paid-med. agen."
    assert abbreviate("Customers with deals in flight", 15) == "Cust. with dea…"
    assert abbreviate("Executive team", 4) == "Exe…"


async def test_audience_names_read_at_80_columns() -> None:
    app, _ = build()
    async with app.run_test(size=(80, 24)) as pilot:
        drill = await start(app, pilot)
        await pilot.pause()
        shown = {
            str(row.id).removeprefix("audience-"): str(row.content)
            for row in drill.query(AudienceRow)
        }
        expected = {
            "execs": "Executive team",
            "sales": "Sales team",
            "support": "Cust. support",
            "agency": "Paid-med. agen.",
            "prospects": "Pros. & cust.",
        }
        for audience, name in expected.items():
            assert shown[audience].startswith(name + " "), shown
        await pilot.press("u")
        await pilot.pause()
        composer = app.screen
        assert isinstance(composer, UpdateComposer)
        await pilot.pause()
        audiences = composer.query_one("#audiences", TickList)
        room = audiences.scrollable_content_region.width - len(TICKED)
        lines = dict(audiences.items)
        assert all(len(line) <= room for line in lines.values()), lines
        assert lines["prospects"].startswith("Prospects & cust.  (not told yet)")
        assert lines["execs"] == "Executive team  (not told yet)"
