"""The engine's limits: one definition of every bound a scenario and a drill stay within.

Scenario validation refuses what lies outside them, so whatever validates can be played and
scored in bounded time and memory. docs/format.md gives each range and why. Times are in
exercise seconds; this module imports nothing, so anything may use it.
"""

from __future__ import annotations

MINUTE = 60.0
HOUR = 3600.0
DAY = 24 * HOUR

LONGEST_DURATION = 30 * DAY
"""No duration in a format-2 scenario is longer: a drill is no longer, nor is an outage."""

SHORTEST_DRILL = 10 * MINUTE
LONGEST_DRILL = 30 * DAY
"""A format-2 drill's length: a month of exercise time at most, played with skips."""

SHORTEST_OUTAGE = 1 * MINUTE
LONGEST_OUTAGE = 30 * DAY
"""A format-2 hidden outage lasts this long at least and at most; drawn ones are truncated
to it, and validation warns when the truncation cuts off more than TRUNCATION_WARNED."""

FORMAT_1_LONGEST_DURATION = 24 * HOUR
FORMAT_1_LONGEST_DRILL = 12 * HOUR
FORMAT_1_LONGEST_OUTAGE = 24 * HOUR
"""The same bounds for a format-1 scenario, which keeps them as they were: a working day of
play at most, and nothing longer than a day."""

TRUNCATION_WARNED = 0.01
"""Share of a drawn outage's distribution past LONGEST_OUTAGE that validation of a format-2
file warns about: those runs get a second draw inside the bound, so the odds are no longer the
ones written."""

SHORTEST_DECISION_TIMEOUT = 1 * MINUTE
LONGEST_DECISION_TIMEOUT = 1 * HOUR
"""How long a plan-B decision may stay open before its default is taken."""

SHORTEST_CHECKPOINT = 1 * MINUTE
LONGEST_CHECKPOINT = 15 * MINUTE
"""Spacing of plan-B checkpoints: at most 61 per decision, and at least one every 15 min."""

MIN_SPEED = 0.25
MAX_SPEED = 240.0
"""Exercise seconds per real second: a quarter of real time up to two hours in 30 s. The one
range for a scenario's speed, ``drillsim play --speed`` and the facilitator's keys; days go by
with skips, not speed."""

LARGEST_SEED = 2**63 - 1
"""A run's seed is kept as a signed 64-bit integer (the journal's schema, the run history)."""


def longest_duration(format_version: int) -> float:
    """The longest duration a scenario of this format may write."""
    return FORMAT_1_LONGEST_DURATION if format_version == 1 else LONGEST_DURATION


def longest_outage(format_version: int) -> float:
    """The longest outage a scenario of this format may hold or draw."""
    return FORMAT_1_LONGEST_OUTAGE if format_version == 1 else LONGEST_OUTAGE


SMALLEST_SIGMA = 0.01
LARGEST_SIGMA = 3.0
"""Spread of a lognormal outage duration (log-space standard deviation)."""

MAX_WEIGHT = 100.0
"""A score weight; weights are relative, so only their ratios matter."""

MAX_PENALTY = 100.0
"""Restraint points for one offence; 100 alone leaves a restraint score of 19."""

MAX_COST = 1e9
"""A cost in impact units: larger amounts only risk sums that are no longer exact."""

MAX_LOSS_RATE = 1e6
"""Loss per minute of one impact stream, in impact units."""

MAX_WHOLE_NUMBER = 10**12
"""Largest magnitude of a drawn whole number (random_int min and max)."""

MOST_INJECTS = 200
MOST_AUDIENCES = 30
MOST_DECISIONS = 8
MOST_OPTIONS = 5
MOST_RISKS = 10
MOST_ACTIONS = 50
MOST_EXPECTATIONS = 100
MOST_FACTS = 200
MOST_UNKNOWNS = 100
MOST_VARIABLES = 100
MOST_FLAGS = 50
MOST_STREAMS = 20
MOST_CHANNELS = 10
MOST_CADENCE_PHASES = 12
MOST_STREAM_PARTS = 20
"""How many of each a scenario may hold, about ten times what a rich scenario uses: the
engine looks at each of them at every instant it processes (``MOST_STREAM_PARTS``: phases,
one-off losses and recovery phases of one stream, each)."""

MOST_CONDITION_PARTS = 400
"""Parts of all the scenario's conditions together, a truth flag counted wherever it is used
(a rich scenario has under 100): the engine evaluates them at every instant it processes."""
