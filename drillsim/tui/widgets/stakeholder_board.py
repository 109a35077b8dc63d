"""The stakeholder board: per audience, time since the last update, the promised next one,
and a meter that moves from calm to urgent as silence grows against the audience's policy.

When the next word is due comes from :mod:`scoring.due`, the rule the cadence score counts.
"""

from __future__ import annotations

from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from drillsim.durations import format_ago, format_duration
from drillsim.durations import format_minute as minute
from drillsim.scenario.model import Audience
from drillsim.tui.text import abbreviate, plain
from scoring.due import Due, closing_update, deadlines_ahead, next_due
from scoring.timeline import Timeline

METER_WIDTH = 8  # meter, "first by T+0:15" and "late" fit the narrowest side panel


def rhythm(audience: Audience) -> str:
    """The audience's cadence in words, each phase with when it starts (the row's tooltip)."""
    parts = []
    for phase in audience.phases:
        policy = phase.policy
        words = (
            f"first word within {format_duration(policy.first_update)}, "
            f"at most {format_duration(policy.max_silence)} between updates, "
            f"nothing new more often than every {format_duration(policy.min_interval)} is noise"
        )
        parts.append(words if phase.start == 0 else f"from {minute(phase.start)}: {words}")
    return "\n".join(parts)


def urgency(due: Due, now: float) -> float:
    """Share of the allowed silence used up (1.0 = due now)."""
    return (now - due.since) / max(due.deadline - due.since, 1.0)


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

    def __init__(self, audiences: tuple[Audience, ...], names: dict[str, str], **kwargs) -> None:
        super().__init__(**kwargs)
        self._now = 0.0
        self._timeline: Timeline | None = None
        self.audiences = audiences
        self.names = names
        self.last_told: dict[str, float | None] = {audience.id: None for audience in audiences}
        """When each audience last heard something from the team (None: never)."""

    def compose(self):
        for audience in self.audiences:
            row = AudienceRow(id=f"audience-{audience.id}")
            row.tooltip = rhythm(audience)
            yield row

    def on_mount(self) -> None:
        self.border_title = "Stakeholders"
        self.refresh_meters(0.0, self._timeline)

    def watch_compact(self, compact: bool) -> None:
        self.set_class(compact, "-compact")
        if self.is_mounted:
            self.refresh_meters(self._now, self._timeline)

    def refresh_meters(self, now: float, timeline: Timeline | None) -> None:
        """Redraw every audience as of ``now`` in the run so far (None: nothing happened yet)."""
        self._now = now
        self._timeline = timeline
        for audience in self.audiences:
            due = next_due(timeline, audience, now) if timeline is not None else None
            level = urgency(due, now) if due is not None else None
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
            told = [
                u
                for u in (timeline.updates if timeline is not None else ())
                if u.t <= now and u.says_something and audience.id in u.audiences
            ]
            closed = timeline is not None and closing_update(timeline, told) is not None
            bounced = not closed and self._bounced(timeline, audience.id, now)
            last = self.last_told[audience.id] = told[-1].t if told else None
            width = row.size.width - 2  # inside the row's padding; 0 before the first layout
            since = timeline.impacted_from(audience) if timeline is not None else None
            # Affected both ways (format 2) and not now: it has left, nothing is owed.
            gone = due is None and since is not None and since <= now
            if self.compact:
                line = self._line(audience, due, closed, now, width, gone, bounced)
            else:
                line = self._row(audience, due, closed, last, now, width, gone, bounced)
            row.update(line, layout=False)

    @staticmethod
    def _bounced(timeline: Timeline | None, audience: str, now: float) -> bool:
        """The team's last update to ``audience`` bounced (the feed said so), and none has
        reached it since."""
        for update in reversed(timeline.updates if timeline is not None else ()):
            if update.t > now or not update.says_something:
                continue
            if audience in update.bounced:
                return True
            if audience in update.audiences:
                return False
        return False

    def due_times(self) -> list[float]:
        """Every deadline still ahead at which the scoring (or an audience's expectation)
        judges an audience to have waited too long, as of the board's last refresh
        (:func:`scoring.due.deadlines_ahead`): a skip stops a minute before each."""
        timeline = self._timeline
        if timeline is None:
            return []
        now = self._now
        return [t for a in self.audiences for t in deadlines_ahead(timeline, a, now)]

    def _line(
        self,
        audience: Audience,
        due: Due | None,
        closed: bool,
        now: float,
        width: int,
        gone: bool = False,
        bounced: bool = False,
    ) -> Content:
        """One line: the name (abbreviated if need be, see text.abbreviate) and when the next
        word is due (after "bounced" while the last update to it did not arrive)."""
        if closed:
            text = "told it is over ✓"
        elif due is None:
            text = "no longer affected" if gone else "not affected"
        else:
            text = self._due(due).replace(" by ", " ")
            text += " late" if now > due.deadline else ""
        if bounced:
            text = f"bounced, {text}"
        room = max(4, width - len(text) - 1)
        name = abbreviate(self.names[audience.id], room)
        return Content.assemble(plain(name.ljust(room), "bold"), " ", (text, ""))

    @staticmethod
    def _due(due: Due) -> str:
        """The earliest time the audience is held to: the team's own promise while one is
        pending (the time the feed echoed when it was made), the time the score owes the
        next word, or an expectation's deadline, whichever comes first."""
        owed = due.by if due.expected is None else min(due.by, due.expected)
        if due.promise is not None and due.promise <= owed:
            return f"next by {minute(due.promise)}"
        return f"{'first' if due.first else 'due'} by {minute(owed)}"

    def _row(
        self,
        audience: Audience,
        due: Due | None,
        closed: bool,
        last: float | None,
        now: float,
        width: int,
        gone: bool = False,
        bounced: bool = False,
    ) -> Content:
        """Two lines: the name (abbreviated to leave room for how long ago it was told, and
        "bounced" while the last update to it did not arrive) and the meter with when the
        next word is due."""
        ago = f"  {format_ago(last, now)}" if last is not None else ""
        ago += "  bounced" if bounced else ""
        full = self.names[audience.id]
        name = plain(abbreviate(full, max(4, width - len(ago))) if width > 0 else full, "bold")
        if ago:
            name = Content.assemble(name, (ago, ""))
        if closed:
            return Content("\n").join([name, Content.styled("told it is over ✓", "dim")])
        if due is None:
            state = "no longer affected" if gone else "not affected (yet)"
            return Content("\n").join([name, Content.styled(state, "dim")])
        level = urgency(due, now)
        filled = min(METER_WIDTH, round(level * METER_WIDTH))
        meter = "█" * filled + "░" * (METER_WIDTH - filled)
        overdue = " late" if now > due.deadline else ""
        line = Content.assemble(meter, " ", self._due(due), (overdue, "bold"))
        return Content("\n").join([name, line])
