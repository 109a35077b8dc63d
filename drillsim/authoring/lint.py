"""Lint rules: what a valid scenario can still get wrong as a drill, each a located warning.

``validate`` asks whether a scenario plays and scores; these rules ask whether it makes a
good drill: whether everything written can happen, whether the team has someone to talk to
from the start, and whether each plan-B decision is a real choice. Every rule is named and
defined in ``RULES`` (and in docs/authoring.md, which a test keeps in step).
"""

from __future__ import annotations

import math

from drillsim.durations import Duration, format_duration
from drillsim.limits import longest_outage
from drillsim.scenario import conditions as cond
from drillsim.scenario.checker import Checker
from drillsim.scenario.conditions import Condition
from drillsim.scenario.convert import Converter
from drillsim.scenario.model import Decision, Distribution, Fixed, Scenario, Stream
from drillsim.scenario.problems import Problem
from drillsim.scenario.reachability import Reach, affirmed, needs_open, needs_resolved

EARLY = 20 * 60.0
"""Some audience should be affected this soon, or the team has nobody to talk to."""

RULES: dict[str, str] = {
    "inject-never-fires": (
        "an inject whose condition can never hold: past the drill's length, past a scripted "
        "(fixed) outage's end when it needs the incident open, or waiting for an option "
        "that can never be chosen"
    ),
    "decision-never-opens": (
        "a decision that can never open: its time or condition lies past the drill's length, "
        "or past a scripted outage's end (a decision due after the outage closes at once)"
    ),
    "no-choice": (
        "a decision none of whose options but the default can be chosen while it is open"
    ),
    "fact-never-revealed": "a fact that no inject which can fire reveals",
    "audience-never-affected": (
        "an audience whose impacted condition can never hold during the drill"
    ),
    "channel-never-down": (
        "a channel whose down condition is written but can never hold during the drill, so "
        "nothing sent over it ever bounces"
    ),
    "cadence-phase-never-starts": (
        "a cadence phase that starts at or after the drill's length: its rhythm is never in force"
    ),
    "channel-unused": "a channel no audience lists: no update can go over it",
    "no-early-impact": "no audience is affected in the first 20 minutes",
    "never-unaffected": (
        "an audience affected both ways whose impacted condition can never stop holding once "
        "it holds (no not, before or silent in it, its truth flags followed)"
    ),
    "no-trade-off": (
        "one option is the best plan whatever outage length the team can believe while the "
        "decision is open: a decision with no real trade-off"
    ),
    "stream-never-matters": (
        "a part of a format-2 impact stream that can never count: a phase behind one that "
        "always holds or whose condition can never hold while the outage lasts, a one-off loss "
        "at or after the drill's end or whose unless always holds"
    ),
    "belief-before-inject": (
        "an inject's belief median (or fixed length) is not after the earliest time the "
        "inject can land: the median is the whole outage from T+0, not the time remaining"
    ),
    "expected-never-owed": (
        "an expected action whose condition can never hold, or not early enough for its "
        "deadline to fall before the drill ends: it can never be missed"
    ),
    "expected-overreaction": (
        "an expected action that cannot be taken justified by its deadline: its justified_if "
        "cannot hold until after the earliest deadline, so the team loses restraint whether "
        "it takes the action or not"
    ),
}
"""Every lint rule and what it finds (validate's own warnings come on top)."""

_LOW_PERCENTILE = -2.3263478740408408
"""The standard normal's 1st percentile: a belief makes lengths down to here plausible."""
_GRID = 48
"""Outage lengths tried between the shortest and longest plausible (geometric steps)."""


def lint(scenario: Scenario, converter: Converter) -> list[Problem]:
    """Every lint warning of a scenario that validates without errors."""
    checker = Checker(scenario, converter)
    basic = Reach(scenario)
    basic.settle()
    reach = Reach(scenario, thorough=True)
    reach.settle()
    _never_happens(checker, basic, reach)
    _no_choice(checker, reach)
    _audiences(checker, reach)
    _channels(checker, reach)
    _phases(checker)
    _trade_offs(checker, reach)
    _streams(checker, reach)
    _beliefs(checker, reach)
    _expected_actions(checker, reach)
    return checker.problems


def _never_happens(checker: Checker, basic: Reach, reach: Reach) -> None:
    """What validate finds possible but a closer look at the outage and options rules out."""
    s = checker.scenario
    for inject in s.injects:
        if inject.id in basic.injects and inject.id not in reach.injects:
            field = "when" if inject.when is not None else "at"
            checker.warn(
                checker.where(inject, field),
                f"inject {inject.id!r} can never fire: {_why_never(reach, inject.when)}",
                "change its condition so it can hold during the drill, or remove it",
                "inject-never-fires",
            )
    for decision in s.decisions:
        if decision.id in basic.decisions and decision.id not in reach.decisions:
            opens = basic.decisions[decision.id]
            checker.warn(
                checker.where(decision, "when" if decision.when is not None else "at"),
                f"decision {decision.id!r} can never open: {_why_late(reach, opens, decision)}",
                "open it while the outage can still be going on, or remove it",
                "decision-never-opens",
            )
    for fact in s.facts:
        if fact.id in basic.facts and fact.id not in reach.facts:
            checker.warn(
                checker.where(fact),
                f"no inject that can fire reveals fact {fact.id!r}",
                "reveal it from an inject that can fire, or remove it",
                "fact-never-revealed",
            )


def _why_late(reach: Reach, opens: float, decision: Decision) -> str:
    if reach.outage_end is not None and opens >= reach.outage_end:
        return (
            f"the earliest it opens is T+{format_duration(opens)}, when the scripted outage "
            f"(fixed {format_duration(reach.outage_end)}) is over and it would close at once "
            "as moot"
        )
    return _why_never(reach, decision.when)


def _why_never(reach: Reach, condition: Condition | None) -> str:
    """Why a condition the thorough reach rules out can never hold, in words."""
    if condition is None:
        return "it comes after the outage has ended"
    flags = reach.scenario.truth.flags
    end = reach.outage_end
    if end is not None and needs_open(condition, flags):
        low, _ = cond.time_window(condition, flags, reach.floor)
        if low >= end:
            return (
                f"it needs the incident open, and cannot hold before T+{format_duration(low)}, "
                f"but the scripted outage ends at T+{format_duration(end)}"
            )
    if end is not None and needs_resolved(condition, flags) and end >= reach.end:
        return (
            f"it needs the incident resolved, but the scripted outage "
            f"({format_duration(end)}) outlasts the drill ({format_duration(reach.end)})"
        )
    for node in affirmed(condition):
        if isinstance(node, cond.Chosen) and reach.floor(node) == math.inf:
            ref = node.chosen
            if ref.decision in reach.decisions:
                return (
                    f"it waits for option {ref.option!r} of decision {ref.decision!r}, "
                    "which can never be chosen"
                )
            return f"it waits for decision {ref.decision!r}, which can never open"
    return reach.why(condition)


def _no_choice(checker: Checker, reach: Reach) -> None:
    for decision in checker.scenario.decisions:
        if decision.id not in reach.decisions:
            continue
        others = [option for option in decision.options if option.id != decision.default]
        if others and all(reach.unchoosable(decision, option.requires) for option in others):
            checker.warn(
                checker.where(decision, "options"),
                f"no option of decision {decision.id!r} but the default "
                f"({decision.default!r}) can be chosen while it is open",
                "check the options' requires against when the decision opens and closes",
                "no-choice",
            )


def _affected_from(reach: Reach, impacted: Condition) -> float:
    """The earliest an audience can be affected (inf: never): the engine marks audiences
    only while the incident is open."""
    if not reach.possible(impacted):
        return math.inf
    low, _ = reach.window(impacted)
    if reach.outage_end is not None and low >= reach.outage_end:
        return math.inf
    return low


def _audiences(checker: Checker, reach: Reach) -> None:
    s = checker.scenario
    earliest = math.inf
    for audience in s.audiences:
        start = _affected_from(reach, audience.impacted)
        earliest = min(earliest, start)
        if start == math.inf:
            why = (
                "impacted is false"
                if audience.impacted is False
                else "its impacted condition cannot hold while the outage lasts"
            )
            checker.warn(
                checker.where(audience, "impacted"),
                f"audience {audience.id!r} can never be affected: {why}",
                "give impacted a condition that can hold during the drill (e.g. "
                "{flag: customer_visible}), or remove the audience",
                "audience-never-affected",
            )
    for audience in s.audiences:
        if audience.impacted_both_ways and not _can_stop_holding(audience.impacted, s):
            checker.warn(
                checker.where(audience, "impacted_both_ways"),
                f"audience {audience.id!r} is affected both ways, but its impacted condition "
                "can never stop holding once it holds",
                "give impacted a part that can stop holding (e.g. not: {chosen: ...}), or "
                "remove impacted_both_ways",
                "never-unaffected",
            )
    if s.audiences and earliest >= EARLY:
        first = (
            f"the first can be at T+{format_duration(earliest)}"
            if earliest < math.inf
            else "none ever is"
        )
        checker.warn(
            checker.where(s, "audiences"),
            f"no audience is affected in the first {format_duration(EARLY)} ({first}): "
            "the team has nobody it owes an update at the start",
            "leave an internal audience impacted from T+0 (impacted: true, the default)",
            "no-early-impact",
        )


def _phases(checker: Checker) -> None:
    """A cadence phase the drill never reaches: the change of rhythm the author wrote never
    comes."""
    s = checker.scenario
    for audience in s.audiences:
        if isinstance(audience.cadence_written, tuple):
            for phase in audience.cadence_written[1:]:
                if phase.start >= s.length:
                    checker.warn(
                        checker.where(phase, "from"),
                        f"the cadence phase of audience {audience.id!r} from "
                        f"T+{format_duration(phase.start)} starts at or after the drill's end "
                        f"(length {format_duration(s.length)}): its rhythm is never in force",
                        "start it earlier, or remove it",
                        "cadence-phase-never-starts",
                    )


def _channels(checker: Checker, reach: Reach) -> None:
    """A channel no audience lists, or one written to go down that never can: either way the
    bounce the author meant never comes."""
    listed = {c for audience in checker.scenario.audiences for c in audience.channels}
    for channel in checker.scenario.channels:
        if channel.id not in listed:
            checker.warn(
                checker.where(channel, "id"),
                f"channel {channel.id!r} reaches no audience: no update can go over it",
                "list it in the channels of the audiences it reaches, or remove it",
                "channel-unused",
            )
            continue
        if channel.down is False:
            continue
        if not reach.possible(channel.down):
            checker.warn(
                checker.where(channel, "down"),
                f"channel {channel.id!r} can never be down: {reach.why(channel.down)}",
                "give down a condition that can hold during the drill (e.g. "
                "{incident: open}), or leave down out if the channel always works",
                "channel-never-down",
            )


def _streams(checker: Checker, reach: Reach) -> None:
    """Parts of conditional streams written in a way that can never count."""
    s = checker.scenario
    for name, stream in s.impact.streams.items():
        if not isinstance(stream, Stream):
            continue
        shadowed = False
        for phase in stream.phases:
            if shadowed:
                why = "a phase before it always holds (the first phase that holds wins)"
            elif _affected_from(reach, phase.when) == math.inf:
                why = "its condition cannot hold while the outage lasts"
            else:
                shadowed = phase.when is True
                continue
            checker.warn(
                checker.where(phase, "when"),
                f"this phase of stream {name!r} never sets its rate: {why}",
                "reorder the phases, or give it a condition that can hold during the outage",
                "stream-never-matters",
            )
        for lump in stream.once:
            if lump.at >= s.length:
                why = f"T+{format_duration(lump.at)} is not before the drill's end"
            elif lump.unless is True:
                why = "its unless always holds"
            elif reach.outage_end is not None and lump.at >= reach.outage_end:
                why = "the scripted outage is over by then"
            else:
                continue
            checker.warn(
                checker.where(lump, "at"),
                f"this one-off loss of stream {name!r} never counts: {why}",
                "move it into the outage, or remove it",
                "stream-never-matters",
            )


def _can_stop_holding(condition: Condition, scenario: Scenario) -> bool:
    """Whether a condition that holds can later stop holding while the incident is open:
    only a negation, a time it must be before, or a silence an update ends can do that."""
    flags = scenario.truth.flags
    pending, seen = [condition], set()
    while pending:
        for node in cond.walk(pending.pop()):
            if isinstance(node, cond.Not | cond.Before | cond.Silent):
                return True
            if isinstance(node, cond.FlagSet) and node.flag in flags and node.flag not in seen:
                seen.add(node.flag)
                pending.append(flags[node.flag])
    return False


def _trade_offs(checker: Checker, reach: Reach) -> None:
    from drillsim.authoring.outlook import outlook_of

    s = checker.scenario
    for decision in s.decisions:
        if decision.id not in reach.decisions or len(decision.options) < 2:
            continue
        outlook = outlook_of(s, decision, reach)
        beliefs = {moment.belief for moment in outlook.moments}
        shortest = outlook.opens + float(s.scoring.checkpoint)
        longest = longest_outage(s.format)
        low = max(shortest, min(_plausible(belief, longest)[0] for belief in beliefs))
        high = max(low, max(_plausible(belief, longest)[1] for belief in beliefs))
        plans = {
            best_plan(s, decision, outlook.opens, Fixed(fixed=Duration(length)))
            for length in _lengths(low, high)
        }
        if len(plans) > 1:
            continue
        (plan,) = plans
        span = f"from {format_duration(low)} to {format_duration(high)}"
        if plan == decision.default:
            message = (
                f"taking the default {plan!r} is the best plan whatever outage length the "
                f"team can believe ({span}): no other option ever pays"
            )
            hint = (
                "make an alternative pay on a long outage (lower its cost or setup, raise its "
                "effectiveness); size it with drillsim preview --decisions"
            )
        else:
            message = (
                f"option {plan!r} is the best plan whatever outage length the team can "
                f"believe ({span}): the decision has no real trade-off"
            )
            hint = (
                "make the best choice depend on how long the outage lasts (a cost, setup or "
                "risk that a short outage does not repay); size it with drillsim preview "
                "--decisions"
            )
        checker.warn(checker.where(decision, "options"), message, hint, "no-trade-off")


def best_plan(scenario: Scenario, decision: Decision, opens: float, belief: Distribution) -> str:
    """The option the model's best policy ends with, on ``belief``, every option available
    (and the choices a follow-up's condition requires made): the first it commits to, or the
    default when waiting wins to the end."""
    from drillsim.authoring.outlook import assumed_courses, assumed_share
    from scoring.planb import WAIT, build_tables

    everything = frozenset(option.id for option in decision.options)
    expected = assumed_courses(scenario, decision, opens)
    share = assumed_share(scenario, decision)
    tables = build_tables(scenario, decision, opens, belief, everything, share, expected)
    return next((move for move in tables.best_move if move != WAIT), decision.default)


def _plausible(belief: Distribution, longest: float) -> tuple[float, float]:
    """The outage lengths (seconds) a belief gives at least a 1% chance of lying beyond,
    up to the ``longest`` outage."""
    if isinstance(belief, Fixed):
        return float(belief.fixed), float(belief.fixed)
    spread = -_LOW_PERCENTILE * belief.sigma
    median = float(belief.median)
    return median * math.exp(-spread), min(longest, median * math.exp(spread))


def _lengths(low: float, high: float) -> list[float]:
    """Outage lengths from ``low`` to ``high`` in geometric steps, whole seconds."""
    if high <= low:
        return [float(round(low))]
    ratio = (high / low) ** (1.0 / (_GRID - 1))
    return sorted({float(round(low * ratio**step)) for step in range(_GRID)})


def _beliefs(checker: Checker, reach: Reach) -> None:
    for inject in checker.scenario.injects:
        belief = inject.belief
        lands = reach.injects.get(inject.id)
        if belief is None or lands is None:
            continue
        median = float(belief.fixed) if isinstance(belief, Fixed) else float(belief.median)
        if median <= lands:
            word = "fixed length" if isinstance(belief, Fixed) else "median"
            checker.warn(
                checker.where(inject, "belief"),
                f"the belief's {word} ({format_duration(median)}) is not after the earliest "
                f"time this inject can land (T+{format_duration(lands)}): it is the whole "
                "outage from T+0, so the model reads it as an outage already past its end",
                f"write the whole outage's length: T+{format_duration(lands)} plus the time "
                "the team should expect it still lasts",
                "belief-before-inject",
            )


def _expected_actions(checker: Checker, reach: Reach) -> None:
    """Expected actions that can never be missed, or never be taken without an overreaction."""
    for action in checker.scenario.actions:
        expected = action.expected
        if expected is None:
            continue
        condition = expected.owed_while
        owed = reach.window(condition)[0] if reach.possible(condition) else math.inf
        deadline = owed + float(expected.within)
        where = checker.where(expected, "when" if expected.when is not None else "within")
        if deadline >= reach.end:
            why = (
                f"its condition can never hold: {_why_never(reach, condition)}"
                if owed == math.inf
                else f"the earliest deadline, T+{format_duration(deadline)}, is not before the "
                f"drill ends (T+{format_duration(reach.end)})"
            )
            checker.warn(
                where,
                f"expected action {action.id!r} can never be missed: {why}",
                "give it a condition that can hold early enough, a shorter within, or remove "
                "expected",
                "expected-never-owed",
            )
            continue
        justified = action.justified_if
        if action.penalty <= 0 or justified is True:
            continue
        low = reach.window(justified)[0] if reach.possible(justified) else math.inf
        if low > deadline:
            when = (
                "can never hold"
                if low == math.inf
                else f"cannot hold before T+{format_duration(low)}"
            )
            checker.warn(
                checker.where(action, "justified_if"),
                f"action {action.id!r} is expected by T+{format_duration(deadline)} at the "
                f"earliest, but its justified_if {when}: taking it in time is an "
                "overreaction, and missing it costs restraint too",
                "make justified_if hold whenever the action is owed (often the same "
                "condition as expected.when), or remove expected",
                "expected-overreaction",
            )
