"""The drill's agenda: the exercise times at which something falls due, soonest first.

Each thing due (a timed inject, a decision's timeout, an expectation's deadline...) holds at
most one time under its key; setting the key again moves it, dropping it forgets it. A heap
with lazy removal: the old entry of a moved or dropped key is skipped when it comes up. So
the drill asks for its next instant in constant time instead of going over everything it
tracks after every action.
"""

from __future__ import annotations

import heapq
import math

Key = tuple[str, str]
"""What falls due, as (kind, name): ("closes", "fallback-decision")."""


class Agenda:
    """Times keyed by what falls due then."""

    __slots__ = ("_heap", "_times")

    def __init__(self) -> None:
        self._heap: list[tuple[float, Key]] = []
        self._times: dict[Key, float] = {}

    def set(self, key: Key, t: float) -> None:
        """``key`` falls due at ``t`` (instead of any time it held before)."""
        if self._times.get(key) == t:
            return
        self._times[key] = t
        heapq.heappush(self._heap, (t, key))
        if len(self._heap) > 2 * len(self._times) + 32:  # mostly old entries: rebuild
            self._heap = [(when, name) for name, when in self._times.items()]
            heapq.heapify(self._heap)

    def drop(self, key: Key) -> None:
        """``key`` no longer falls due."""
        self._times.pop(key, None)

    def first(self) -> float:
        """The soonest time anything falls due (inf when nothing does)."""
        heap, times = self._heap, self._times
        while heap:
            t, key = heap[0]
            if times.get(key) == t:
                return t
            heapq.heappop(heap)
        return math.inf

    def take_due(self, now: float) -> list[Key]:
        """The keys due at or before ``now``, dropped from the agenda."""
        found: list[Key] = []
        heap, times = self._heap, self._times
        while heap and heap[0][0] <= now:
            t, key = heapq.heappop(heap)
            if times.get(key) == t:
                del times[key]
                found.append(key)
        return found
