"""Scripted runs: an actions file that stands in for the team, read with the line and column
of every item, and played headless through the engine (documented in docs/scripted-runs.md).

The file is a list of items. Each is due ``at`` an exercise time or ``after`` an inject (plus
an optional ``wait``) and holds exactly one action. What the file could have avoided (an
unknown id, a bad field, an engine refusal) is an error; an item that this seed's draw makes
moot (an inject that never comes, a decision the outage closed) is skipped with a warning.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

import msgspec

from drillsim.durations import Duration, format_duration
from drillsim.engine.actions import (
    ActionRejected,
    AddNote,
    ChooseOption,
    SendUpdate,
    TakeAction,
    TeamAction,
    promise_window,
)
from drillsim.engine.channels import routes
from drillsim.engine.drill import Drill
from drillsim.scenario.convert import Converter
from drillsim.scenario.document import Document, PathKey
from drillsim.scenario.model import Scenario, VendorEta
from drillsim.scenario.problems import Problem, ScenarioError, UnreadableScenario, suggest
from drillsim.scenario.shape import Id, Model, spec
from drillsim.scenario.textfile import FileKind, read_text
from drillsim.timegrid import on_grid
from drillsim.update_status import UPDATE_STATUSES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from drillsim.update_status import UpdateStatus
else:  # the converter reads field types at run time, in its own Literal form
    from drillsim.scenario.shape import Literal

    UpdateStatus = Literal[UPDATE_STATUSES]

ACTIONS_FILE = FileKind(
    "actions file",
    what="pass the actions file (.yaml or .json)",
    find="check the path",
    size="an actions file is a few dozen lines; check you passed the right file",
    start="start from scenarios/examples/*.yaml and see docs/scripted-runs.md",
)

TIMING_KEYS = ("at", "after", "wait")
Timing = tuple[float | None, str | None, float]
"""An item's ``at``, or its ``after`` and ``wait``."""
ACTION_KEYS = ("send_update", "choose_option", "take_action", "add_note", "end_drill")


class ScriptError(Exception):
    """The actions file cannot be played; ``problems`` say where and what to do.

    ``unreadable``: the path itself cannot be read (missing, a folder, no permission).
    """

    def __init__(self, problems: list[Problem], *, unreadable: bool = False) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = tuple(problems)
        self.unreadable = unreadable


class SendUpdateItem(Model):
    audiences: tuple[Id, ...] = spec("Who hears it: audience ids.")
    facts: tuple[Id, ...] = spec("What we know: fact ids.", default=())
    doing: tuple[str, ...] = spec(
        "What we're doing: DECISION/OPTION of a plan B chosen, or an action id taken.",
        default=(),
    )
    unknowns: tuple[Id, ...] = spec("What we don't know yet: unknown ids.", default=())
    status: UpdateStatus = spec("Where the incident stands.", default="investigating")
    next_update_in: Duration | None = spec("When the next update comes.", default=None)
    eta: bool | VendorEta = spec(
        "true if the update gives a resolution time; vendor if it relays the one the vendor "
        "published (a fact with eta: vendor, format 2).",
        default=False,
    )
    text: str = spec("The update's words.", default="")
    channel: Id | None = spec(
        "The channel it goes over (format 2): one that reaches every audience listed that "
        "has channels. Left out: each audience gets it over its own default (its first).",
        default=None,
    )


class ChooseOptionItem(Model):
    decision: Id = spec("The plan-B decision.")
    option: Id = spec("The option chosen.")


@dataclass(frozen=True, slots=True)
class EndDrill:
    """End the drill now, as the facilitator does."""


@dataclass(frozen=True, slots=True)
class Step:
    """One item of the file: when it is due, what it does, and where it is written."""

    index: int
    key: str
    """The action's key (``send_update``...), as written."""
    action: TeamAction | EndDrill
    at: float | None = None
    after: str | None = None
    wait: float = 0.0
    opens: bool = False
    """``after`` names a decision: the step is due when it opens (plus the wait)."""

    @property
    def where(self) -> PathKey:
        return (self.index, self.key)

    def due(self, drill: Drill) -> float | None:
        """When the step is due in this drill, or None while its inject has not come (or its
        decision has not opened)."""
        if self.at is not None:
            return self.at
        if self.opens:
            opened = drill.decisions.get(self.after or "")
            came = None if opened is None else opened.opened_at
        else:
            came = drill.delivered.get(self.after or "")
        return None if came is None else on_grid(came + self.wait)

    def describe(self) -> str:
        action = self.action
        match action:
            case ChooseOption():
                return f"{self.key} {action.decision}/{action.option}"
            case TakeAction():
                return f"{self.key} {action.action}"
            case SendUpdate():
                return f"{self.key} to {', '.join(action.audiences)}"
        return self.key


@dataclass(slots=True)
class Script:
    """An actions file, checked against a scenario: its steps in file order."""

    document: Document
    steps: list[Step]

    def problem(self, where: PathKey, message: str, hint: str) -> Problem:
        return self.document.problem(where, message, hint)


@dataclass(slots=True)
class ScriptedRun:
    """A played script: the drill, ended, and why items were skipped as moot on this seed
    (errors under ``--strict``, warnings otherwise)."""

    drill: Drill
    skipped: list[Problem] = field(default_factory=list)
    moot: set[str] = field(default_factory=set)
    """What skipped items would have made the team do (``doing`` refs): an update may not
    cite them on this seed."""


# ----------------------------------------------------------------------- reading
def read_script(path: str | os.PathLike[str], scenario: Scenario) -> Script:
    """Read and check an actions file (YAML, or JSON) against ``scenario``; ScriptError lists
    every problem found."""
    from drillsim.scenario.source import parse_document  # the YAML parser: not for live play

    shown = os.fspath(path)
    try:
        text = read_text(path, shown, ACTIONS_FILE)
        if shown.endswith(".json"):
            # JSON may indent with tabs, which YAML refuses; one space keeps every column.
            text = text.replace("\t", " ")
        document = parse_document(text, shown, ACTIONS_FILE)
    except UnreadableScenario as error:
        raise ScriptError(list(error.problems), unreadable=True) from None
    except ScenarioError as error:
        raise ScriptError(list(error.problems)) from None
    return check_script(document, scenario)


def check_script(document: Document, scenario: Scenario) -> Script:
    """Check parsed actions (a file's, or a golden run's) against ``scenario``; ScriptError
    lists every problem found."""
    return _Checker(document, scenario).check()


class _Checker:
    """Turns a parsed actions file into steps, collecting every problem in one pass."""

    def __init__(self, document: Document, scenario: Scenario) -> None:
        self.document = document
        self.scenario = scenario
        self.converter = Converter(document, scenario.format)
        self.problems = self.converter.problems
        self.sent_at: float | None = None
        """When the item being checked runs, if its ``at`` says (None: after an inject)."""

    def fail(self, where: PathKey, message: str, hint: str, *, key: bool = False) -> None:
        self.problems.append(self.document.problem(where, message, hint, key=key))

    def check(self) -> Script:
        data = self.document.data
        steps: list[Step] = []
        if not isinstance(data, list):
            self.fail(
                (),
                "the file must be a list of items",
                "write one '- at: 5m' (or '- after: INJECT') item per action; "
                "see docs/scripted-runs.md",
            )
        else:
            last_at: tuple[float, int] | None = None
            for index, item in enumerate(data):
                timing, step = self._step(index, item)
                at = timing[0] if timing is not None else None
                if at is not None:
                    if last_at is not None and at < last_at[0]:
                        self.fail(
                            (index, "at"),
                            f"at: {format_duration(at)} is earlier than an item above it "
                            f"(at: {format_duration(last_at[0])}, line {last_at[1]})",
                            "list items in time order; items due at the same time run in "
                            "file order",
                        )
                    last_at = (at, self.document.position((index,))[0])
                if step is not None:
                    steps.append(step)
            self._end_drill_last(steps, len(data))
        if self.problems:
            self.problems.sort(key=lambda problem: (problem.line, problem.column))
            raise ScriptError(self.problems)
        return Script(self.document, steps)

    def _step(self, index: int, item: object) -> tuple[Timing | None, Step | None]:
        """The item's timing and its step (each None if it is wrong)."""
        where: PathKey = (index,)
        if not isinstance(item, dict):
            self.fail(
                where,
                "an item must be a mapping",
                "write at: (or after:) and one action, e.g. '- {at: 5m, take_action: ID}'",
            )
            return None, None
        known = (*TIMING_KEYS, *ACTION_KEYS)
        for name in item:
            if name not in known:
                self.fail((index, name), f"unknown key {name!r}", suggest(name, known), key=True)
        actions = [name for name in ACTION_KEYS if name in item]
        timing = self._timing(index, item)
        if len(actions) != 1:
            self.fail(
                where,
                "an item needs exactly one action"
                + (f", not {len(actions)} ({', '.join(actions)})" if actions else ""),
                f"use one of {', '.join(ACTION_KEYS)}; put each action in its own item",
            )
            return timing, None
        self.sent_at = timing[0] if timing is not None else None
        action = self._action(index, actions[0], item[actions[0]])
        if timing is None or action is None:
            return timing, None
        at, after, wait = timing
        opens = after is not None and all(inject.id != after for inject in self.scenario.injects)
        step = Step(index, actions[0], action, at, after, wait, opens)
        self._check_timing_against_scenario(step)
        return timing, step

    def _timing(self, index: int, item: dict[str, object]) -> Timing | None:
        where: PathKey = (index,)
        if ("at" in item) == ("after" in item):
            self.fail(
                where,
                "an item needs either at: or after:" + (", not both" if "at" in item else ""),
                "write at: DURATION (exercise time) or after: INJECT_ID (with an optional wait:)",
            )
            return None
        if "wait" in item and "at" in item:
            self.fail(
                (index, "wait"),
                "wait: goes with after:, not at:",
                "add the wait to at:, or wait after an inject",
                key=True,
            )
            return None
        count = len(self.problems)
        if "at" in item:
            at = self.converter.convert(item["at"], Duration, (index, "at"))
            if len(self.problems) > count or not isinstance(at, float):
                return None
            length = self.scenario.length
            if at >= length:
                self.fail(
                    (index, "at"),
                    f"at: {format_duration(at)} is not before the drill ends "
                    f"({format_duration(length)})",
                    "use an earlier time; the drill ends by itself when its time is up",
                )
                return None
            return float(at), None, 0.0
        after = self.converter.convert(item["after"], Id, (index, "after"))
        wait = self.converter.convert(item.get("wait", "0s"), Duration, (index, "wait"))
        if len(self.problems) > count or not isinstance(after, str):
            return None
        injects = {inject.id for inject in self.scenario.injects}
        decisions = {decision.id for decision in self.scenario.decisions}
        if after not in injects and after not in decisions:
            self.fail(
                (index, "after"),
                f"no inject or decision {after!r} in this scenario",
                suggest(after, injects | decisions),
            )
            return None
        return None, str(after), float(wait) if isinstance(wait, float) else 0.0

    def _action(self, index: int, key: str, value: object) -> TeamAction | EndDrill | None:
        where: PathKey = (index, key)
        count = len(self.problems)
        if key == "end_drill":
            if value not in ({}, None):
                self.fail(where, "end_drill takes nothing", "write end_drill: {}")
                return None
            return EndDrill()
        if key == "add_note":
            text = self.converter.convert(value, str, where)
            return AddNote(str(text)) if len(self.problems) == count else None
        if key == "take_action":
            action = self.converter.convert(value, Id, where)
            if len(self.problems) > count:
                return None
            self._known(where, "action", str(action), [a.id for a in self.scenario.actions])
            return TakeAction(str(action)) if len(self.problems) == count else None
        if key == "choose_option":
            choice = self.converter.convert(value, ChooseOptionItem, where)
            if not isinstance(choice, ChooseOptionItem) or len(self.problems) > count:
                return None
            if not self._choice(where, choice.decision, choice.option):
                return None
            return ChooseOption(str(choice.decision), str(choice.option))
        update = self.converter.convert(value, SendUpdateItem, where)
        if not isinstance(update, SendUpdateItem):
            return None
        self._check_update(where, update)  # the fields that converted, if some did not
        return self._update(update) if len(self.problems) == count else None

    def _known(self, where: PathKey, noun: str, name: str, valid: Sequence[str]) -> bool:
        if name in valid:
            return True
        self.fail(where, f"no {noun} {name!r} in this scenario", suggest(name, valid))
        return False

    def _choice(self, where: PathKey, decision: str, option: str) -> bool:
        found = next((d for d in self.scenario.decisions if d.id == decision), None)
        if found is None:
            valid = [d.id for d in self.scenario.decisions]
            return self._known((*where, "decision"), "decision", decision, valid)
        options = [o.id for o in found.options]
        if option not in options:
            self.fail(
                (*where, "option"),
                f"decision {decision!r} has no option {option!r}",
                suggest(option, options),
            )
            return False
        return True

    def _check_update(self, where: PathKey, update: SendUpdateItem) -> None:
        count = len(self.problems)
        s = self.scenario
        if not update.audiences:
            self.fail((*where, "audiences"), "no audience", "list at least one audience id")
        seen: set[str] = set()
        for index, audience in enumerate(update.audiences):
            self._known(
                (*where, "audiences", index), "audience", audience, [a.id for a in s.audiences]
            )
            if audience in seen:
                self.fail(
                    (*where, "audiences", index), f"{audience!r} is listed twice", "list it once"
                )
            seen.add(audience)
        for name, given, valid in (
            ("fact", update.facts, [f.id for f in s.facts]),
            ("unknown", update.unknowns, [u.id for u in s.unknowns]),
        ):
            for index, item in enumerate(given):
                self._known((*where, f"{name}s", index), name, item, valid)
        for index, ref in enumerate(update.doing):
            self._doing((*where, "doing", index), ref)
        if update.eta == "vendor" and not any(fact.eta == "vendor" for fact in s.facts):
            self.fail(
                (*where, "eta"),
                "no fact in this scenario is a vendor's resolution time (eta: vendor)",
                "write eta: true (the team's own resolution time) or leave eta out",
            )
        if update.channel is not None and len(self.problems) == count:
            try:
                routes(s, update.audiences, str(update.channel))
            except ActionRejected as refused:
                self.fail(
                    (*where, "channel"),
                    str(refused),
                    "see the channels each audience lists in the scenario",
                )
        if update.next_update_in is not None and len(self.problems) == count:
            self._promise((*where, "next_update_in"), update)

    def _promise(self, where: PathKey, update: SendUpdateItem) -> None:
        """A next-update time every audience of the update can be held to (promise_window)
        in the cadence phase in force when it is sent. An item timed after an inject is
        checked here only when no phase could take the promise; the drill checks the rest
        when the item runs."""
        audiences = [self.scenario.audience(name) for name in update.audiences]
        promise = float(update.next_update_in or 0.0)
        sent_at = self.sent_at
        if sent_at is None:
            moments = sorted({0.0, *(p.start for a in audiences for p in a.phases)})
            windows = [promise_window(audiences, moment) for moment in moments]
            if any(w is not None and w[0] <= promise <= w[1] for w in windows):
                return
            sent_at = 0.0
        window = promise_window(audiences, sent_at)
        if window is None:
            spans = ", ".join(
                f"{a.id} {format_duration(a.cadence_at(sent_at).min_interval)}-"
                f"{format_duration(a.cadence_at(sent_at).max_silence)}"
                for a in audiences
            )
            self.fail(
                where,
                f"these audiences have no next-update time in common ({spans})",
                "send them separate updates",
            )
        elif not window[0] <= promise <= window[1]:
            low, high = (format_duration(bound) for bound in window)
            phased = any(a.phased for a in audiences)
            self.fail(
                where,
                f"next_update_in: {format_duration(promise)} is outside what "
                f"{', '.join(update.audiences)} can be held to"
                + (f" at T+{format_duration(sent_at)}" if phased else "")
                + f" ({low} to {high}: sooner is noise, later leaves them waiting)",
                f"promise between {low} and {high}"
                + (" (the cadence phase in force when the update is sent)" if phased else ""),
            )

    def _doing(self, where: PathKey, ref: str) -> None:
        """A ``doing`` reference: DECISION/OPTION of a plan B, or a catalogue action id."""
        decision, slash, option = ref.partition("/")
        if slash:
            self._choice(where, decision, option)
            return
        valid = [a.id for a in self.scenario.actions]
        if ref not in valid:
            self.fail(
                where,
                f"{ref!r} is neither DECISION/OPTION nor an action in this scenario",
                "write a plan B as decision/option (e.g. "
                f"{self._example_option()}) or an action id ({suggest(ref, valid)})",
            )

    def _example_option(self) -> str:
        for decision in self.scenario.decisions:
            for option in decision.options:
                return f"{decision.id}/{option.id}"
        return "decision/option"

    @staticmethod
    def _update(update: SendUpdateItem) -> SendUpdate:
        return SendUpdate(
            audiences=tuple(map(str, update.audiences)),
            facts=tuple(map(str, update.facts)),
            unknowns=tuple(map(str, update.unknowns)),
            status=update.status,
            next_update_in=None if update.next_update_in is None else float(update.next_update_in),
            eta=update.eta,
            text=update.text,
            doing=tuple(update.doing),
            channel=None if update.channel is None else str(update.channel),
        )

    def _check_timing_against_scenario(self, step: Step) -> None:
        """A choice timed before its decision opens, or after it has surely closed."""
        action = step.action
        if step.at is None or not isinstance(action, ChooseOption):
            return
        decision = next(d for d in self.scenario.decisions if d.id == action.decision)
        if decision.at is None:
            return
        opens, closes = float(decision.at), on_grid(float(decision.at) + decision.timeout)
        if step.at < opens:
            self.fail(
                (step.index, "at"),
                f"decision {decision.id!r} opens at T+{format_duration(opens)}, after this "
                f"item (T+{format_duration(step.at)})",
                f"choose at: {format_duration(opens)} or later",
            )
        elif step.at >= closes:
            self.fail(
                (step.index, "at"),
                f"decision {decision.id!r} has closed by T+{format_duration(step.at)} "
                f"(its deadline is T+{format_duration(closes)}, when {decision.default!r} is "
                "taken)",
                f"choose before T+{format_duration(closes)}",
            )

    def _end_drill_last(self, steps: list[Step], count: int) -> None:
        for step in steps:
            if isinstance(step.action, EndDrill) and step.index != count - 1:
                self.fail(
                    (step.index, step.key),
                    "end_drill is not the last item: nothing after it would run",
                    "move end_drill to the end of the file",
                    key=True,
                )


# ----------------------------------------------------------------------- playing
def play_script(script: Script, scenario: Scenario, seed: int) -> ScriptedRun:
    """Play ``scenario`` on ``seed`` with the script standing in for the team, to the end.

    Every step runs at its due time, after what the engine has due at that moment; steps due
    at the same moment run in file order. Raises ScriptError when the engine refuses a step.
    """
    player = ScriptPlayer(script, Drill(scenario, seed))
    player.play_until(player.drill.length)
    return player.finish()


class ScriptPlayer:
    """Plays a script on a drill up to a time limit at a time: all at once (headless), or
    in step with a live clock (:func:`drillsim.live.play_live`). Either way each step runs at
    its own due time, so the drill makes the same events whatever the rhythm."""

    def __init__(self, script: Script, drill: Drill) -> None:
        self.script = script
        self.run = ScriptedRun(drill)
        self.pending = list(script.steps)

    @property
    def drill(self) -> Drill:
        return self.run.drill

    def play_until(self, limit: float, *, inputs: int | None = None) -> None:
        """Run the steps due and what the engine has due, up to exercise time ``limit``.

        ``inputs``: stop, once the drill reached ``limit``, before a step that would take
        the team's input count past it (catching up with a journal that stopped there)."""
        drill = self.drill
        limit = min(limit, drill.length)
        while self.pending and not drill.ended:
            ready = [step for step in self.pending if _is_due(step, drill)]
            if ready:
                if inputs is not None and drill.now >= limit and team_inputs(drill) >= inputs:
                    return
                step = ready[0]
                self.pending.remove(step)
                _take(self.script, self.run, step)
                continue
            dues = [due for step in self.pending if (due := step.due(drill)) is not None]
            target = min([*dues, drill.next_instant()])
            target = target if target > drill.now else min(dues, default=drill.length)
            if target > limit:
                drill.advance_to(limit)
                return
            drill.advance_to(target)
        drill.advance_to(limit)

    def handed_to(self, drill: Drill) -> ScriptPlayer:
        """The same script going on with ``drill``, which must stand where this one does
        (a resumed run, replayed from its journal): the steps still to take, and the moot."""
        player = ScriptPlayer(self.script, drill)
        player.pending = list(self.pending)
        player.run.moot = set(self.run.moot)
        return player

    def finish(self) -> ScriptedRun:
        """The played run, once the drill has ended: what was skipped, and why."""
        run = self.run
        run.skipped.extend(_never_due(self.script, self.drill, step) for step in self.pending)
        self.pending.clear()
        run.skipped.sort(key=lambda problem: (problem.line, problem.column))
        return run


def team_inputs(drill: Drill) -> int:
    """How many of the drill's events are the team's own inputs (not the clock's)."""
    from drillsim.engine.events import FACILITATOR_KINDS

    return sum(1 for e in drill.events if e.is_input and e.kind not in FACILITATOR_KINDS)


def _is_due(step: Step, drill: Drill) -> bool:
    due = step.due(drill)
    return due is not None and due <= drill.now


def _take(script: Script, run: ScriptedRun, step: Step) -> None:
    drill = run.drill
    action = step.action
    if isinstance(action, EndDrill):
        drill.end()
        return
    if isinstance(action, ChooseOption):
        moot = _closed_choice(script, drill, step, action)
        if moot is not None:
            run.skipped.append(moot)
            run.moot.add(f"{action.decision}/{action.option}")
            return
    if isinstance(action, SendUpdate) and action.doing:
        action = _without_moot_refs(script, run, step, action)
    try:
        drill.act(action)
    except ActionRejected as error:
        raise ScriptError(
            [
                script.problem(
                    step.where,
                    f"at T+{format_duration(drill.now)} the drill refused it: {error}",
                    _refusal_hint(action),
                )
            ]
        ) from None


def _without_moot_refs(
    script: Script, run: ScriptedRun, step: Step, update: SendUpdate
) -> SendUpdate:
    """The update without what a skipped item would have done (a warning says so)."""
    dropped = [ref for ref in update.doing if ref in run.moot]
    if not dropped:
        return update
    run.skipped.append(
        _moot(
            script,
            step,
            run.drill,
            f"doing: {', '.join(dropped)} left out, as the item that does it was skipped",
            skipped="part of",
        )
    )
    return msgspec.structs.replace(
        update, doing=tuple(ref for ref in update.doing if ref not in run.moot)
    )


def _refusal_hint(action: TeamAction) -> str:
    if isinstance(action, ChooseOption):
        return "choose it once its prerequisite holds (e.g. after: the inject that brings it)"
    if isinstance(action, SendUpdate) and action.doing:
        return (
            "cite in doing: only a plan B an item above chose, or an action it took, once "
            "that item has run"
        )
    return "change the item so the drill accepts it"


def _closed_choice(
    script: Script, drill: Drill, step: Step, action: ChooseOption
) -> Problem | None:
    """Why a choice is moot now (a warning), or None if its decision is open; raises
    ScriptError if the file could have known better."""
    state = drill.decisions.get(action.decision)
    now = f"T+{format_duration(drill.now)}"
    if state is not None and state.is_open:
        return None
    if state is None:
        decision = next(d for d in drill.scenario.decisions if d.id == action.decision)
        if decision.at is not None and decision.at > drill.now:
            raise ScriptError(
                [
                    script.problem(
                        step.where,
                        f"at {now} decision {action.decision!r} is not open yet "
                        f"(it opens at T+{format_duration(decision.at)})",
                        "wait: longer, or choose with at: once it is open",
                    )
                ]
            )
        why = "its condition has not held by then"
        if not drill.incident_open:
            why = f"the outage ended at T+{format_duration(drill.true_duration)}"
        return _moot(script, step, drill, f"decision {action.decision!r} never opened ({why})")
    if state.reason == "chosen":
        raise ScriptError(
            [
                script.problem(
                    step.where,
                    f"decision {action.decision!r} was already decided: {state.option!r} "
                    f"chosen at T+{format_duration(state.closed_at or 0.0)}",
                    "choose once per decision; remove one of the two items",
                )
            ]
        )
    closed = f"T+{format_duration(state.closed_at or 0.0)}"
    why = (
        f"the outage ended at {closed}"
        if state.reason == "moot"
        else f"its deadline passed at {closed} and {state.option!r} was taken"
    )
    return _moot(script, step, drill, f"decision {action.decision!r} is closed ({why})")


def _moot(script: Script, step: Step, drill: Drill, why: str, *, skipped: str = "") -> Problem:
    what = f"skipped {skipped} {step.describe()}" if skipped else f"skipped {step.describe()}"
    return script.problem(
        step.where,
        f"{what} at T+{format_duration(drill.now)}: {why} on seed {drill.seed}",
        "other seeds may play it; --strict makes a skipped item an error",
    )


def _never_due(script: Script, drill: Drill, step: Step) -> Problem:
    ended = f"the drill ended at T+{format_duration(drill.now)}"
    due = step.due(drill)
    if due is None:
        what = "decision" if step.opens else "inject"
        came = "opened" if step.opens else "came"
        why = f"{what} {step.after!r} never {came} before {ended}"
    else:
        why = f"it was due at T+{format_duration(due)}, but {ended}"
    return script.problem(
        step.where,
        f"skipped {step.describe()}: {why} on seed {drill.seed}",
        "other seeds may play it; --strict makes a skipped item an error",
    )
