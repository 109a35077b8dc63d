"""Structured actions the team (or a bot policy) takes during a drill.

Frozen msgspec structs, not dataclasses: bots build thousands of them a batch, and a frozen
dataclass is ten times slower to build."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal

import msgspec

from drillsim.scenario.model import Audience
from drillsim.update_status import UpdateStatus

Eta = bool | Literal["vendor"]
"""What an update says of the resolution time: nothing, one of the team's, or the vendor's."""


class ActionRejected(ValueError):
    """The action cannot be taken now; the message says why and what to do instead."""


def carries_content(
    facts: tuple[str, ...] | list[str],
    unknowns: tuple[str, ...] | list[str],
    next_update_in: float | None,
    status: str,
) -> bool:
    """An update says something: a fact, an open question, a next-update time, or a status
    past "investigating". An empty one is noise (and answers nobody's question)."""
    return bool(facts or unknowns or next_update_in or status != "investigating")


def promise_window(audiences: Iterable[Audience], at: float) -> tuple[float, float] | None:
    """The next-update times (seconds) every one of ``audiences`` can be held to in an update
    sent at ``at``: no sooner than the longest minimum interval, no later than the shortest
    longest silence, each of the cadence phase in force then. None when they have none in
    common (send them separate updates)."""
    low, high = -math.inf, math.inf
    for audience in audiences:  # one pass, no lists: every update sent is checked so
        policy = audience.cadence_at(at)
        low = max(low, float(policy.min_interval))
        high = min(high, float(policy.max_silence))
    if low == -math.inf:  # no audience
        return None
    return (low, high) if low <= high else None


class SendUpdate(msgspec.Struct, frozen=True):
    """A stakeholder update: who hears it, what we know, what we don't, when we'll be back."""

    audiences: tuple[str, ...]
    facts: tuple[str, ...] = ()
    unknowns: tuple[str, ...] = ()
    status: UpdateStatus = "investigating"
    next_update_in: float | None = None
    eta: Eta = False
    """True: the update gives a resolution time; "vendor": it relays the vendor's own."""
    text: str = ""
    doing: tuple[str, ...] = ()
    """What we're doing: ``DECISION/OPTION`` for a plan B the team chose, or the id of a
    catalogue action it took."""
    channel: str | None = None
    """The channel it goes over (format 2); None: each audience's own default."""


class ChooseOption(msgspec.Struct, frozen=True):
    """Pick a plan-B option for an open decision."""

    decision: str
    option: str


class TakeAction(msgspec.Struct, frozen=True):
    """Take an action from the scenario's catalogue (apology, re-send, page execs...)."""

    action: str


class AddNote(msgspec.Struct, frozen=True):
    """A facilitator's note in the journal."""

    text: str


class SendMessage(msgspec.Struct, frozen=True):
    """The facilitator's ad-hoc inject: a message from ``sender`` on ``channel`` that the
    scenario did not plan (the CEO calls; a customer tweets). Shown in the feed, journaled as
    the facilitator's input, never scored."""

    sender: str
    channel: str
    text: str


TeamAction = SendUpdate | ChooseOption | TakeAction | AddNote | SendMessage
