"""Bounced updates (format 2): which audiences an update never reached because its channel
was down, and were never told again over one that worked. The debrief draws its lesson on
keeping a backup of lists and channels from this; the scores count bounces in the timeline
(:mod:`scoring.timeline`), where a bounced update is no update at all for that audience."""

from __future__ import annotations

from scoring.timeline import Timeline


def never_repaired(timeline: Timeline) -> tuple[str, ...]:
    """Audiences (in the scenario's order) whose last update that said something bounced:
    nothing reached them over a working channel afterwards."""
    waiting: set[str] = set()
    for update in timeline.updates:
        if update.says_something:
            waiting.update(update.bounced)
            waiting.difference_update(update.audiences)
    return tuple(a.id for a in timeline.scenario.audiences if a.id in waiting)
