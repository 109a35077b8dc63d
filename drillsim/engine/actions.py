"""Structured actions the team (or a bot policy) takes during a drill."""

from __future__ import annotations

from dataclasses import dataclass

from drillsim.scenario.model import UpdateStatus


class ActionRejected(ValueError):
    """The action cannot be taken now; the message says why and what to do instead."""


@dataclass(frozen=True, slots=True)
class SendUpdate:
    """A stakeholder update: who hears it, what we know, what we don't, when we'll be back."""

    audiences: tuple[str, ...]
    facts: tuple[str, ...] = ()
    unknowns: tuple[str, ...] = ()
    status: UpdateStatus = "investigating"
    next_update_in: float | None = None
    eta: bool = False
    text: str = ""


@dataclass(frozen=True, slots=True)
class ChooseOption:
    """Pick a plan-B option for an open decision."""

    decision: str
    option: str


@dataclass(frozen=True, slots=True)
class TakeAction:
    """Take an action from the scenario's catalogue (apology, re-send, page execs...)."""

    action: str


@dataclass(frozen=True, slots=True)
class AddNote:
    """A facilitator's note in the journal."""

    text: str


TeamAction = SendUpdate | ChooseOption | TakeAction | AddNote
