"""to_ms puts a time on the millisecond grid exactly as rounding to six places and taking
the ceiling does, its fast path for times already on the grid included."""

from __future__ import annotations

import math
import random

import pytest

from drillsim.timegrid import on_grid, to_ms


def reference(seconds: float) -> int:
    return math.ceil(round(seconds * 1000.0, 6))


def test_to_ms_answers_as_rounding_to_six_places_then_the_ceiling() -> None:
    rng = random.Random(9)
    times = [rng.randrange(0, 10**10) / 1000 for _ in range(5_000)]
    times += [rng.uniform(0, 1e7) for _ in range(5_000)]
    # A hair either side of grid points, around the fast path's edge (4e-7 ms) and the
    # rounding's (5e-7 ms), in seconds.
    offsets = (0.0, 1e-13, -1e-13, 3.9e-10, -3.9e-10, 4.1e-10, 4.9e-10, 5e-10, -5e-10, 1e-9)
    times += [k / 1000 + offset for k in range(0, 10**7, 39_989) for offset in offsets]
    times += [t + 0.0005 for t in times[:5000]]  # half a millisecond: off the grid
    for seconds in times:
        assert to_ms(seconds) == reference(seconds), seconds
        assert on_grid(seconds) == reference(seconds) / 1000.0


def test_a_time_that_is_not_finite_is_refused() -> None:
    for seconds in (math.inf, -math.inf, math.nan):
        with pytest.raises(ValueError):
            to_ms(seconds)
