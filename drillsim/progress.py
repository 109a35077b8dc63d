"""A one-line progress bar for long commands, drawn on stderr only when it is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """``label [#####-----] 45%  450/1000  12.3/s``, redrawn at most ten times a second."""

    def __init__(
        self, total: int, label: str, unit: str = "", stream: TextIO | None = None
    ) -> None:
        self.total = max(1, total)
        self.label = label
        self.unit = unit
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.done = 0
        self.started = time.monotonic()
        self._drawn = 0.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if self.enabled and (now - self._drawn >= 0.1 or self.done >= self.total):
            self._drawn = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        width = 24
        filled = int(width * self.done / self.total)
        rate = self.done / max(now - self.started, 1e-9)
        percent = 100 * self.done // self.total
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'-' * (width - filled)}] "
            f"{percent:3d}%  {self.done}/{self.total}  {rate:.1f}{self.unit}/s"
        )
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
