"""Reference checks: every id unique in its group, every reference (in fields and in
conditions) naming something defined, every placeholder a variable, every variable usable,
no truth flag defined through itself."""

from __future__ import annotations

from collections.abc import Iterator

from drillsim.scenario import conditions as cond
from drillsim.scenario.checker import Checker, conditions_of, ids_of
from drillsim.scenario.conditions import Condition
from drillsim.scenario.document import PathKey
from drillsim.scenario.model import FakerVariable
from drillsim.scenario.problems import suggest
from drillsim.scenario.shape import FieldInfo, Model, Template, fields_of, is_model
from drillsim.templates import PLACEHOLDER

TYPE_CHECKING = False
if TYPE_CHECKING:
    from drillsim.scenario.checker import Identified


def check_ids(checker: Checker) -> None:
    scenario = checker.scenario
    groups: dict[str, tuple[Identified, ...]] = {
        "audiences": scenario.audiences,
        "facts": scenario.facts,
        "unknowns": scenario.unknowns,
        "injects": scenario.injects,
        "expectations": scenario.expectations,
        "decisions": scenario.decisions,
        "actions": scenario.actions,
        "channels": scenario.channels,
    }
    for decision in scenario.decisions:
        groups[f"options of decision {decision.id}"] = decision.options
    for group, items in groups.items():
        seen: dict[str, object] = {}
        for item in items:
            if item.id in seen:
                first = checker.converter.document.position(checker.where(seen[item.id], "id"))
                checker.error(
                    checker.where(item, "id"),
                    f"duplicate id {item.id!r} in {group} (first at line {first[0]})",
                    "give each one its own id",
                )
            else:
                seen[item.id] = item


def check_references(checker: Checker) -> None:
    s = checker.scenario
    facts, audiences, injects = ids_of(s.facts), ids_of(s.audiences), ids_of(s.injects)
    decisions: dict[str, set[str]] = {d.id: ids_of(d.options) for d in s.decisions}

    def ref(obj: object, name: str, value: str | None, known: set[str], what: str) -> None:
        if value is not None and value not in known:
            checker.error(
                checker.where(obj, name), f"no {what} with id {value!r}", suggest(value, known)
            )

    for inject in s.injects:
        for index, fact in enumerate(inject.reveals):
            if fact not in facts:
                checker.error(
                    checker.where(inject, "reveals", index),
                    f"no fact with id {fact!r}",
                    suggest(fact, facts),
                )
    channels = ids_of(s.channels)
    # In a format-1 file the channels themselves are the error (check_format_2_parts).
    for audience in s.audiences if s.format != 1 else ():
        listed: set[str] = set()
        for index, channel in enumerate(audience.channels):
            if channel not in channels:
                checker.error(
                    checker.where(audience, "channels", index),
                    f"no channel with id {channel!r}",
                    suggest(channel, channels)
                    if channels
                    else "declare it under channels: at the top level (docs/format.md, Channels)",
                )
            elif channel in listed:
                checker.error(
                    checker.where(audience, "channels", index),
                    f"channel {channel!r} is listed twice for audience {audience.id!r}",
                    "list each channel once, the default first",
                )
            listed.add(channel)
    for unknown in s.unknowns:
        ref(unknown, "answered_by", unknown.answered_by, facts, "fact")
    for expectation in s.expectations:
        ref(expectation, "audience", expectation.audience, audiences, "audience")
        ref(expectation, "after", expectation.after, injects, "inject")
    for decision in s.decisions:
        if not checker.converter.is_broken(checker.where(s.impact, "streams", decision.stream)):
            ref(decision, "stream", decision.stream, set(s.impact.streams), "impact stream")
        ref(decision, "default", decision.default, decisions[decision.id], "option")
    for where, condition in conditions_of(checker):
        _check_condition_refs(checker, where, condition, decisions)


def _check_condition_refs(
    checker: Checker, where: PathKey, condition: Condition, decisions: dict[str, set[str]]
) -> None:
    s = checker.scenario
    tables: dict[type, tuple[str, set[str], str]] = {
        cond.FactRevealed: ("fact", ids_of(s.facts), "fact"),
        cond.ExpectationFailed: ("expectation_failed", ids_of(s.expectations), "expectation"),
        cond.ExpectationMet: ("expectation_met", ids_of(s.expectations), "expectation"),
        cond.FlagSet: ("flag", set(s.truth.flags), "truth flag"),
        cond.ActionTaken: ("action_taken", ids_of(s.actions), "action"),
        cond.InjectDelivered: ("inject_delivered", ids_of(s.injects), "inject"),
    }
    for node in cond.walk(condition):
        node_where = checker.converter.origins.get(id(node), where)
        table = tables.get(type(node))
        if table is not None:
            attribute, known, what = table
            value = getattr(node, attribute)
            if value not in known:
                checker.error(
                    (*node_where, attribute), f"no {what} with id {value!r}", suggest(value, known)
                )
        elif isinstance(node, cond.Silent):
            audiences = ids_of(s.audiences)
            if node.silent.audience not in audiences:
                checker.error(
                    (*node_where, "silent", "audience"),
                    f"no audience with id {node.silent.audience!r}",
                    suggest(node.silent.audience, audiences),
                )
        elif isinstance(node, cond.Chosen):
            ref = node.chosen
            if ref.decision not in decisions:
                checker.error(
                    (*node_where, "chosen", "decision"),
                    f"no decision with id {ref.decision!r}",
                    suggest(ref.decision, decisions),
                )
            elif ref.option not in decisions[ref.decision]:
                checker.error(
                    (*node_where, "chosen", "option"),
                    f"decision {ref.decision!r} has no option {ref.option!r}",
                    suggest(ref.option, decisions[ref.decision]),
                )


def _templates(obj: object, where: PathKey) -> Iterator[tuple[PathKey, str]]:
    """Every Template-typed text in the model, with its path."""
    if isinstance(obj, tuple):
        for index, item in enumerate(obj):
            yield from _templates(item, (*where, index))
        return
    if isinstance(obj, dict):
        for name, item in obj.items():
            yield from _templates(item, (*where, name))
        return
    if isinstance(obj, Template):
        yield where, obj
        return
    if isinstance(obj, Model):
        for info in _template_fields(type(obj)):
            yield from _templates(getattr(obj, info.name), (*where, info.key))


_TEMPLATE_FIELDS: dict[type[Model], tuple[FieldInfo, ...]] = {}


def _template_fields(cls: type[Model]) -> tuple[FieldInfo, ...]:
    """The fields of a model whose values can hold Template text (conditions, numbers and
    ids never do, so validation does not walk them)."""
    found = _TEMPLATE_FIELDS.get(cls)
    if found is None:
        found = _TEMPLATE_FIELDS[cls] = tuple(
            info for info in fields_of(cls) if _can_hold_template(info.type, set())
        )
    return found


def _can_hold_template(tp: object, seen: set[int]) -> bool:
    if id(tp) in seen:
        return False  # a recursive type (conditions): whatever it holds is found elsewhere
    seen.add(id(tp))
    if isinstance(tp, type) and issubclass(tp, Template):
        return True
    if is_model(tp):
        return any(_can_hold_template(info.type, seen) for info in fields_of(tp))
    return any(_can_hold_template(arg, seen) for arg in getattr(tp, "__args__", ()))


def check_templates(checker: Checker) -> None:
    from drillsim.scenario.linked import placeholder_names

    names = set(placeholder_names(checker.scenario.variables))
    for where, text in _templates(checker.scenario, ()):
        for match in PLACEHOLDER.finditer(text):
            if match.group(1) not in names:
                checker.error(
                    where,
                    f"text uses {{{match.group(1)}}} but no such variable is defined",
                    suggest(match.group(1), names)
                    + " (define it under variables:, or write the text without braces)",
                )


def check_variables(checker: Checker) -> None:
    for name, variable in checker.scenario.variables.items():
        where = checker.where(checker.scenario, "variables", name)
        if not name.isidentifier():
            checker.error(
                where, f"{name!r} cannot be used as {{{name}}}", "use letters, digits and _ only"
            )
        if isinstance(variable, FakerVariable) and variable.min > variable.max:
            checker.error(where, "min is greater than max", "swap them")
        if hasattr(variable, "choices") and not variable.choices:
            checker.error((*where, "choices"), "no choices", "list at least one text")


def check_flags(checker: Checker) -> None:
    flags = checker.scenario.truth.flags
    acyclic: set[str] = set()  # flags already followed to the end: each is walked once

    def refers(name: str, seen: tuple[str, ...]) -> tuple[str, ...] | None:
        for node in cond.walk(flags.get(name, False)):
            if isinstance(node, cond.FlagSet) and node.flag not in acyclic:
                if node.flag in seen:
                    return (*seen, node.flag)
                cycle = refers(node.flag, (*seen, node.flag))
                if cycle:
                    return cycle
        acyclic.add(name)
        return None

    for name in flags:
        cycle = refers(name, (name,))
        if cycle:
            checker.error(
                checker.where(checker.scenario.truth, "flags", name),
                "flag refers to itself: " + " -> ".join(cycle),
                "break the cycle",
            )
            return
