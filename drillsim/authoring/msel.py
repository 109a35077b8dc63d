"""The master scenario events list of one seed: what reaches the team and when, as written.

Timed injects land at their time; the resolution inject when the seed's drawn outage ends;
conditional injects and decisions at the earliest their condition allows, with the trigger
in words (what the team does can make them come later, or never). Texts are filled with the
seed's variables. Nothing is played: this is the script a facilitator reads beforehand.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

from drillsim.durations import format_minute, format_span
from drillsim.engine.draws import draw_duration, draw_variables
from drillsim.limits import longest_outage
from drillsim.scenario import conditions as cond
from drillsim.scenario.conditions import Condition
from drillsim.scenario.model import Distribution, Fixed, Scenario
from drillsim.scenario.reachability import Reach, needs_open
from drillsim.templates import fill


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the events list."""

    at: float | None
    """Exercise time, or the earliest it can happen (None: never on this seed)."""
    kind: str
    """``inject``, ``decision opens``, ``decision closes``, ``expectation``, ``affected``,
    ``action expected``, ``channel down``."""
    id: str
    exact: bool
    """True when it happens at ``at`` whatever the team does."""
    channel: str = ""
    sender: str = ""
    text: str = ""
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        return {
            "at": self.at,
            "kind": self.kind,
            "id": self.id,
            "exact": self.exact,
            "channel": self.channel,
            "from": self.sender,
            "text": self.text,
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class EventsList:
    title: str
    outage: float
    """The seed's drawn outage duration, in seconds."""
    entries: tuple[Entry, ...]
    values: dict[str, str]
    """The seed's variables, to fill other texts with."""


def events_list(scenario: Scenario, seed: int) -> EventsList:
    """The scenario's events list for ``seed``, in time order (never-happening ones last)."""
    values = draw_variables(scenario, seed)
    outage = draw_duration(scenario.truth.duration, seed, longest=longest_outage(scenario.format))
    reach = Reach(scenario, thorough=True)
    reach.settle()
    flags = scenario.truth.flags

    def render(text: str) -> str:
        return fill(text, values)

    entries: list[Entry] = []
    for inject in scenario.injects:
        notes: list[str] = []
        if inject.subject:
            notes.append(f"subject: {render(inject.subject)}")
        if inject.reveals:
            notes.append("reveals: " + ", ".join(inject.reveals))
        if inject.belief is not None:
            notes.append(f"belief from now: {describe_belief(inject.belief)}")
        for expectation in scenario.expectations:
            if expectation.after == inject.id:
                notes.append(
                    f"starts expectation {expectation.id}: {expectation.audience} within "
                    f"{format_span(expectation.within)}"
                )
        if inject.resolves:
            at: float | None = outage if outage < scenario.length else None
            late = ", after the drill ends" if at is None else ""
            notes.insert(0, f"when the outage ends (this seed: {format_minute(outage)}{late})")
            exact = True
        elif inject.at is not None:
            at, exact = float(inject.at), True
        else:
            at = reach.injects.get(inject.id)
            exact = False
            assert inject.when is not None
            notes.insert(0, "when " + describe(inject.when))
            if at is not None and needs_open(inject.when, flags) and at >= outage:
                at = None
                notes.insert(1, "not on this seed: the outage ends first")
        entries.append(
            Entry(
                at,
                "inject",
                inject.id,
                exact,
                inject.channel,
                render(inject.sender),
                render(inject.text),
                tuple(notes),
            )
        )
    for decision in scenario.decisions:
        opens = reach.decisions.get(decision.id)
        if opens is not None and opens >= outage:
            opens = None
        trigger = (
            f"at {format_minute(float(decision.at))}"
            if decision.at is not None
            else "when " + describe(decision.when or False)
        )
        options = ", ".join(option.id for option in decision.options)
        entries.append(
            Entry(
                opens,
                "decision opens",
                decision.id,
                decision.at is not None,
                text=render(decision.prompt),
                notes=(trigger, f"options: {options}", f"stream: {decision.stream}"),
            )
        )
        closes = None if opens is None else min(opens + float(decision.timeout), outage)
        entries.append(
            Entry(
                closes,
                "decision closes",
                decision.id,
                decision.at is not None,
                notes=(
                    f"at the latest; default {decision.default} after "
                    f"{format_span(decision.timeout)}, or moot when the outage ends",
                ),
            )
        )
    for expectation in scenario.expectations:
        if expectation.after is None:
            entries.append(
                Entry(
                    0.0,
                    "expectation",
                    expectation.id,
                    True,
                    text=render(expectation.description),
                    notes=(f"{expectation.audience} within {format_span(expectation.within)}",),
                )
            )
    for audience in scenario.audiences:
        low, _ = reach.window(audience.impacted)
        affected = low if reach.possible(audience.impacted) and low < outage else None
        entries.append(
            Entry(
                affected,
                "affected",
                audience.id,
                audience.impacted is True,
                text=f"{render(audience.name)} affected",
                notes=() if audience.impacted is True else ("when " + describe(audience.impacted),),
            )
        )
    for action in scenario.actions:
        expected = action.expected
        if expected is None:
            continue
        owed_while = expected.owed_while
        low, _ = reach.window(owed_while)
        owed = low if reach.possible(owed_while) and low < scenario.length else None
        if owed is not None and needs_open(owed_while, flags) and owed >= outage:
            owed = None
        trigger = (
            "from T+0 while the outage is open"
            if expected.when is None
            else "when " + describe(expected.when)
        )
        entries.append(
            Entry(
                owed,
                "action expected",
                action.id,
                expected.when is None,
                text=render(action.label),
                notes=(
                    trigger,
                    f"due within {format_span(expected.within)}; missed costs "
                    f"{expected.penalty:g} restraint points",
                ),
            )
        )
    for channel in scenario.channels:
        if channel.down is False:
            continue
        low, _ = reach.window(channel.down)
        entries.append(
            Entry(
                low if reach.possible(channel.down) else None,
                "channel down",
                channel.id,
                channel.down is True,
                text=f"{render(channel.label)} down: updates over it bounce",
                notes=("down while: " + describe(channel.down),),
            )
        )
    order = {"affected": 0, "expectation": 1, "inject": 2, "decision opens": 3}
    entries.sort(key=lambda e: (math.inf if e.at is None else e.at, order.get(e.kind, 4)))
    return EventsList(render(scenario.title), outage, tuple(entries), values)


def events_text(scenario: Scenario, listed: EventsList, seed: int, width: int = 100) -> str:
    """The events list as a plain-text table ``width`` columns wide (drillsim preview, and
    the picker's preview in the TUI)."""
    outage = format_span(listed.outage)
    lines = [
        listed.title,
        f"{scenario.id} {scenario.version} · seed {seed} · length "
        f"{format_span(scenario.length)} · the outage lasts {outage} on this seed",
        "",
        f"{'when':<9} {'what':<16} {'channel':<12} {'from / text'}",
    ]
    body = width - 40
    for entry in listed.entries:
        if entry.at is None:
            when = "never"
        else:
            when = ("" if entry.exact else "~") + format_minute(entry.at)
        head = f"{when:<9} {entry.kind:<16} {entry.channel:<12} "
        words = [f"{entry.id}" + (f" · {entry.sender}" if entry.sender else "")]
        if entry.text:
            words.extend(textwrap.wrap(entry.text, body) or [""])
        words.extend(f"  {note}" for note in entry.notes)
        lines.append(head + words[0])
        lines.extend(" " * len(head) + line for line in words[1:])
    lines.append("")
    lines.append("~ the earliest its condition allows; never: not on this seed, or not at all")
    return "\n".join(lines)


def describe_belief(belief: Distribution) -> str:
    if isinstance(belief, Fixed):
        return f"fixed {format_span(belief.fixed)}"
    return f"median {format_span(belief.median)}, sigma {belief.sigma:g}"


def describe(condition: Condition) -> str:
    """A condition in words, e.g. ``from T+0:30 and the outage still open``."""
    match condition:
        case bool():
            return "always" if condition else "never"
        case cond.AllOf(all=items):
            return " and ".join(_grouped(item) for item in items) or "always"
        case cond.AnyOf(any=items):
            return " or ".join(_grouped(item) for item in items) or "never"
        case cond.Not(negated=inner):
            return f"not {_grouped(inner)}"
        case cond.After(after=at):
            return f"from {format_minute(float(at))}"
        case cond.Before(before=at):
            return f"before {format_minute(float(at))}"
        case cond.FactRevealed(fact=fact):
            return f"fact {fact} revealed"
        case cond.Chosen(chosen=ref):
            return f"{ref.decision} decided {ref.option}"
        case cond.Silent(silent=ref):
            return f"{ref.audience} without an update for {format_span(ref.longer_than)}"
        case cond.ExpectationFailed(expectation_failed=name):
            return f"expectation {name} failed"
        case cond.ExpectationMet(expectation_met=name):
            return f"expectation {name} met"
        case cond.IncidentIs(incident=state):
            return "the outage still open" if state == "open" else "the outage over"
        case cond.IncidentOpenFor(incident_open_for=span):
            return f"the outage open for {format_span(span)}"
        case cond.FlagSet(flag=name):
            return f"flag {name}"
        case cond.ActionTaken(action_taken=name):
            return f"action {name} taken"
        case cond.InjectDelivered(inject_delivered=name):
            return f"inject {name} delivered"
    return repr(condition)


def _grouped(condition: Condition) -> str:
    text = describe(condition)
    return f"({text})" if isinstance(condition, cond.AllOf | cond.AnyOf) else text
