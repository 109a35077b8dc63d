"""A picture of updates against due times: one row per impacted audience, time across."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from drillsim.durations import format_minute
from scoring.card import AudienceScore

LABEL_WIDTH = 20


def timeline_row(audience: AudienceScore, end: float, width: int) -> Content:
    """``●`` credited update, ``○`` noise, ``━`` overdue, ``·`` waiting, blank: not yet affected."""
    cells: list[tuple[str, str]] = []
    step = end / width if width else end
    credited = set(audience.credited)
    for index in range(width):
        left, right = index * step, (index + 1) * step
        sent = [
            t for t in audience.updates if left <= t < right or (index == width - 1 and t == end)
        ]
        if sent:
            good = any(t in credited for t in sent)
            cells.append(("●", "bold $success") if good else ("○", "$warning"))
            continue
        middle = (left + right) / 2
        if middle < audience.impacted_from or middle > audience.window_end:
            cells.append((" ", ""))
            continue
        overdue = any(
            start <= middle and middle > due and (nxt is None or middle < nxt)
            for (start, due), nxt in zip(
                audience.due, [*(s for s, _ in audience.due[1:]), None], strict=True
            )
        )
        cells.append(("━", "bold $error") if overdue else ("·", "dim"))
    return Content.assemble(*cells)


NOTHING_OWED = (
    "No audience was owed an update while the drill ran (none affected, or none for long "
    "enough to be owed a first word): there is nothing to chart."
)


class UpdateTimeline(Static):
    """Rows of updates against due times, with an axis and a legend."""

    DEFAULT_CSS = """
    UpdateTimeline { height: auto; padding: 0 1; }
    """

    def __init__(self, audiences: tuple[AudienceScore, ...], end: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.audiences = audiences
        self.end = end

    def on_mount(self) -> None:
        self.draw()

    def on_resize(self) -> None:
        self.draw()

    def draw(self) -> None:
        width = max(20, self.size.width - LABEL_WIDTH - 3) if self.size.width else 50
        self.update(chart(self.audiences, self.end, width))


def chart(audiences: tuple[AudienceScore, ...], end: float, width: int) -> Content:
    """One row per audience ``width`` cells wide from T+0:00 to ``end``, the axis, the legend;
    with no audience judged, a sentence saying so (an axis over no rows tells nothing). An
    audience is judged once it was owed a word: affected audiences of a drill ended before
    any first deadline, or of an outage over before one, were owed none."""
    if not audiences:
        return Content.styled(NOTHING_OWED, "dim")
    rows = []
    for audience in audiences:
        name = (
            audience.name
            if len(audience.name) < LABEL_WIDTH
            else audience.name[: LABEL_WIDTH - 2] + "…"
        )
        label = name.ljust(LABEL_WIDTH)
        rows.append(Content.assemble((label, "bold"), timeline_row(audience, end, width)))
    rows.append(Content.styled(axis_line(end, width), "dim"))
    rows.append(Content.styled("● update   ○ noise   ━ overdue   · waiting", "dim"))
    return Content("\n").join(rows)


def axis_line(end: float, width: int) -> str:
    """The time axis under rows ``width`` cells wide: T+0:00 at the left, ``end`` at the right,
    both written the one way every screen writes exercise time."""
    start = format_minute(0)
    return " " * LABEL_WIDTH + start + format_minute(end).rjust(max(0, width - len(start)))
