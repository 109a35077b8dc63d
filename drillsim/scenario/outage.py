"""The team's belief about how long the outage lasts, as the scenario states it (a lognormal
from a median and a spread, or a fixed length), with the quantities a plan-B estimate needs:
the chance it is still on, and how much of it is still to come.

One definition for every estimate made under a belief: the plan-B scoring and the policies
that weigh a plan B by their own rule.
"""

from __future__ import annotations

import math

from drillsim.scenario.model import Distribution, Fixed

_SQRT2 = math.sqrt(2.0)


class Outage:
    """The belief about total outage duration, in minutes, with the partial expectations."""

    def __init__(self, distribution: Distribution) -> None:
        if isinstance(distribution, Fixed):
            self.fixed: float | None = float(distribution.fixed) / 60.0
            self.mu = self.sigma = 0.0
            self.mean = self.fixed
        else:
            self.fixed = None
            self.mu = math.log(float(distribution.median) / 60.0)
            self.sigma = float(distribution.sigma)
            self.mean = math.exp(self.mu + self.sigma**2 / 2)

    def survival(self, a: float) -> float:
        """P(D > a), ``a`` in minutes."""
        if self.fixed is not None:
            return 1.0 if a < self.fixed else 0.0
        if a <= 0:
            return 1.0
        return 0.5 * math.erfc((math.log(a) - self.mu) / (self.sigma * _SQRT2))

    def excess(self, a: float) -> float:
        """E[max(0, D - a)] in minutes, ``a`` in minutes."""
        if self.fixed is not None:
            return max(0.0, self.fixed - a)
        if a <= 0:
            return self.mean - a
        tail = 0.5 * math.erfc((math.log(a) - self.mu - self.sigma**2) / (self.sigma * _SQRT2))
        return self.mean * tail - a * self.survival(a)
