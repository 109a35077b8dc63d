"""The outage belief (drillsim.scenario.outage): its chance of still running and the outage
still to come agree with the distribution the scenario states; the journal's record of a
belief reads back as the same distribution."""

from __future__ import annotations

import math

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from drillsim.durations import Duration
from drillsim.engine.events import Belief
from drillsim.limits import LARGEST_SIGMA, LONGEST_OUTAGE, SHORTEST_OUTAGE
from drillsim.policies.diligent import expected_remaining
from drillsim.scenario.model import Fixed, Lognormal
from drillsim.scenario.outage import Outage

medians = st.floats(min_value=SHORTEST_OUTAGE, max_value=LONGEST_OUTAGE)
sigmas = st.floats(min_value=0.05, max_value=LARGEST_SIGMA)


def tail_integral(outage: Outage, a: float) -> float:
    """The integral of P(D > x) over x from ``a`` on, by Simpson's rule in log space."""
    sigma = outage.sigma
    low = math.log(a)
    high = max(low, outage.mu + 14 * sigma) + 1.0
    steps = 800
    width = (high - low) / steps
    total = 0.0
    for index in range(steps + 1):
        u = low + index * width
        weight = 1 if index in (0, steps) else (4 if index % 2 else 2)
        total += weight * outage.survival(math.exp(u)) * math.exp(u)
    return total * width / 3


@pytest.mark.slow
@given(median=medians, sigma=sigmas)
def test_half_of_a_lognormal_outage_is_still_running_at_its_median(median, sigma) -> None:
    outage = Outage(Lognormal(median=Duration(median), sigma=sigma))
    assert outage.survival(median / 60.0) == pytest.approx(0.5, abs=1e-12)
    assert outage.survival(0.0) == 1.0
    assert outage.excess(0.0) == pytest.approx(math.exp(outage.mu + sigma**2 / 2))


@pytest.mark.slow
@given(median=medians, sigma=sigmas, quantile=st.floats(min_value=-2.0, max_value=2.0))
def test_the_outage_still_to_come_is_the_tail_of_the_survival_curve(
    median, sigma, quantile
) -> None:
    outage = Outage(Lognormal(median=Duration(median), sigma=sigma))
    a = math.exp(outage.mu + quantile * sigma)
    assert outage.excess(a) == pytest.approx(tail_integral(outage, a), rel=1e-6)


def test_a_fixed_outage_runs_to_its_length_and_then_stops() -> None:
    outage = Outage(Fixed(fixed=Duration(1800)))
    assert [outage.survival(t) for t in (0.0, 29.9, 30.0, 45.0)] == [1.0, 1.0, 0.0, 0.0]
    assert [outage.excess(t) for t in (0.0, 10.0, 30.0, 45.0)] == [30.0, 20.0, 0.0, 0.0]


def test_the_diligent_team_expects_the_rest_of_the_outage_given_it_is_still_on() -> None:
    fixed = Fixed(fixed=Duration(1800))
    assert expected_remaining(fixed, 600.0, 0.0) == 20.0
    assert expected_remaining(fixed, 600.0, 300.0) == 15.0
    assert expected_remaining(fixed, 1800.0, 0.0) == 0.0
    belief = Lognormal(median=Duration(3600), sigma=1.0)
    outage = Outage(belief)
    assert expected_remaining(belief, 1200.0, 600.0) == pytest.approx(
        outage.excess(30.0) / outage.survival(20.0)
    )
    # The longer it has lasted, the more of a heavy-tailed outage is still to come.
    assert expected_remaining(belief, 7200.0, 0.0) > expected_remaining(belief, 0.0, 0.0)


@pytest.mark.slow
@given(median=medians, sigma=sigmas, fixed=medians)
def test_the_journal_reads_back_the_belief_it_recorded(median, sigma, fixed) -> None:
    for belief in (Lognormal(median=Duration(median), sigma=sigma), Fixed(fixed=Duration(fixed))):
        record = Belief.of(belief)
        assert msgspec.json.decode(msgspec.json.encode(record), type=Belief) == record
        assert record.distribution() == belief
