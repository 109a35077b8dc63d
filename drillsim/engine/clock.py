"""Clocks: wall time comes in through ``now()``; exercise time is derived from it."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """A source of wall time in seconds (monotonic)."""

    def now(self) -> float: ...


class MonotonicClock:
    """The real clock for play."""

    def now(self) -> float:
        return time.monotonic()


class ManualClock:
    """A clock that only moves when told to: for tests and replays."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        self._now += seconds


class ExerciseClock:
    """Exercise time from wall time: (wall elapsed, minus pauses) x speed, plus skips."""

    def __init__(self, clock: Clock, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._clock = clock
        self._speed = speed
        self._anchor_wall = clock.now()
        self._anchor_exercise = 0.0
        self._paused = False

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def paused(self) -> bool:
        return self._paused

    def elapsed(self) -> float:
        if self._paused:
            return self._anchor_exercise
        wall = self._clock.now() - self._anchor_wall
        return self._anchor_exercise + max(0.0, wall) * self._speed

    def wall_time_at(self, exercise_time: float) -> float:
        """The wall-clock reading at which ``exercise_time`` falls, at the current pace."""
        return self._anchor_wall + (exercise_time - self._anchor_exercise) / self._speed

    def _reanchor(self) -> None:
        self._anchor_exercise = self.elapsed()
        self._anchor_wall = self._clock.now()

    def pause(self) -> None:
        if not self._paused:
            self._reanchor()
            self._paused = True

    def pause_at(self, exercise_time: float) -> None:
        """Pause as of ``exercise_time``, which the wall clock has reached: the exercise time
        that ran past it does not count (the engine stops at the instant something opened)."""
        self._anchor_exercise = min(exercise_time, self.elapsed())
        self._anchor_wall = self._clock.now()
        self._paused = True

    def resume(self) -> None:
        if self._paused:
            self._anchor_wall = self._clock.now()
            self._paused = False

    def set_speed(self, speed: float) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._reanchor()
        self._speed = speed

    def jump_to(self, exercise_time: float) -> None:
        """Move exercise time forward (skipping); never backwards."""
        self._reanchor()
        self._anchor_exercise = max(self._anchor_exercise, exercise_time)
