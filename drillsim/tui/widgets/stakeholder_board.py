"""The stakeholder board: per audience, time since the last update, the promised next one,
and a meter that moves from calm to urgent as silence grows against the audience's policy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from drillsim.durations import format_ago
from drillsim.durations import format_minute as minute
from drillsim.scenario.model import Audience
from drillsim.tui.text import plain

METER_WIDTH = 8  # meter, "first by T+0:15" and "late" fit the narrowest side panel


@dataclass(slots=True)
class Ledger:
    """What the team has told one audience so far, and since when it is affected."""

    last: float | None = None
    promised_by: float | None = None
    count: int = 0
    affected_at: float | None = None
    closed: bool = False


def urgency(audience: Audience, ledger: Ledger, now: float, grace: float) -> float | None:
    """Share of the allowed silence used up (1.0 = due now); None when nothing is owed.

    Nothing is owed before the audience is affected, or once it has been told the outage
    is over.
    """
    cadence = audience.cadence
    if ledger.closed or (ledger.affected_at is None and ledger.last is None):
        return None
    if ledger.last is None:
        return (now - ledger.affected_at) / float(cadence.first_update)  # type: ignore[operator]
    allowed = float(cadence.max_silence) + grace
    if ledger.promised_by is not None:
        allowed = min(allowed, ledger.promised_by + grace - ledger.last)
    return (now - ledger.last) / max(allowed, 1.0)


class AudienceRow(Static):
    """Two lines for one audience (one on a short screen)."""

    DEFAULT_CSS = """
    AudienceRow { height: 2; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    AudienceRow.-calm { color: $success; }
    AudienceRow.-warn { color: $warning; }
    AudienceRow.-urgent { color: $error; text-style: bold; }
    AudienceRow.-idle { color: $text-muted; }
    """


class StakeholderBoard(Vertical):
    """Who has heard what, and who is waiting."""

    DEFAULT_CSS = """
    StakeholderBoard.-compact > AudienceRow { height: 1; }
    StakeholderBoard {
        height: auto;
        border: round $panel-lighten-2;
        border-title-color: $text;
    }
    """

    compact = reactive(False)
    """One line per audience, for short screens: name and when the next word is due."""

    def __init__(
        self, audiences: tuple[Audience, ...], names: dict[str, str], grace: float, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self._now = 0.0
        self.audiences = audiences
        self.names = names
        self.grace = grace
        self.ledgers: dict[str, Ledger] = {audience.id: Ledger() for audience in audiences}

    def compose(self):
        for audience in self.audiences:
            yield AudienceRow(id=f"audience-{audience.id}")

    def on_mount(self) -> None:
        self.border_title = "Stakeholders"
        self.refresh_meters(0.0)

    def record_update(
        self, t: float, audiences: Iterable[str], next_update_in: float | None, closing: bool
    ) -> None:
        for audience in audiences:
            ledger = self.ledgers[audience]
            ledger.last = t
            ledger.count += 1
            ledger.promised_by = t + next_update_in if next_update_in else None
            ledger.closed = closing

    def mark_affected(self, audience: str, t: float) -> None:
        self.ledgers[audience].affected_at = t

    def watch_compact(self, compact: bool) -> None:
        self.set_class(compact, "-compact")
        if self.is_mounted:
            self.refresh_meters(self._now)

    def refresh_meters(self, now: float) -> None:
        self._now = now
        for audience in self.audiences:
            ledger = self.ledgers[audience.id]
            level = urgency(audience, ledger, now, self.grace)
            row = self.query_one(f"#audience-{audience.id}", AudienceRow)
            state = (
                "idle"
                if level is None
                else "calm"
                if level < 0.6
                else "warn"
                if level < 1
                else "urgent"
            )
            for name in ("idle", "calm", "warn", "urgent"):
                row.set_class(name == state, f"-{name}")
            if self.compact:
                row.update(self._line(audience, ledger, level, row.size.width - 2), layout=False)
            else:
                row.update(self._row(audience, ledger, level, now), layout=False)

    def _line(self, audience: Audience, ledger: Ledger, level: float | None, width: int) -> Content:
        """One line: the name (shortened if need be) and when the next word is due."""
        if ledger.closed:
            due = "told it is over ✓"
        elif level is None:
            due = "not affected"
        else:
            due = self._due(audience, ledger).replace(" by ", " ")
            due += " late" if level >= 1 else ""
        name = self.names[audience.id]
        room = max(4, width - len(due) - 1)
        if len(name) > room:
            name = name[: room - 1] + "…"
        return Content.assemble(plain(name.ljust(room), "bold"), " ", (due, ""))

    def _due(self, audience: Audience, ledger: Ledger) -> str:
        if ledger.promised_by is not None:
            return f"next by {minute(ledger.promised_by)}"
        if ledger.last is None:
            affected = ledger.affected_at or 0.0
            return f"first by {minute(affected + float(audience.cadence.first_update))}"
        return f"due by {minute(ledger.last + float(audience.cadence.max_silence))}"

    def _row(self, audience: Audience, ledger: Ledger, level: float | None, now: float) -> Content:
        name = plain(self.names[audience.id], "bold")
        if ledger.last is not None:
            name = Content.assemble(name, (f"  {format_ago(now - ledger.last)}", ""))
        if ledger.closed:
            return Content("\n").join([name, Content.styled("told it is over ✓", "dim")])
        if level is None:
            return Content("\n").join([name, Content.styled("not affected (yet)", "dim")])
        filled = min(METER_WIDTH, round(level * METER_WIDTH))
        meter = "█" * filled + "░" * (METER_WIDTH - filled)
        due = self._due(audience, ledger)
        overdue = " late" if level >= 1 else ""
        return Content("\n").join([name, Content.assemble(meter, " ", due, (overdue, "bold"))])
