"""Linked variables (format 2): variables defined from other variables.

A template variable is text built from other variables (``{first}.{last}@{domain}``); a
linked choice draws one set of values that belong together (a CRM and its own automation
product), each key a variable of its own. This module says which names a text may use, fills
templates in a run's draw, and checks both kinds: unknown names and cycles are located
errors.
"""

from __future__ import annotations

from collections.abc import Mapping

from drillsim.scenario.model import LinkedChoiceVariable, TemplateVariable, Variable
from drillsim.scenario.problems import suggest
from drillsim.templates import PLACEHOLDER, fill

TYPE_CHECKING = False
if TYPE_CHECKING:
    from drillsim.scenario.checker import Checker


def placeholder_names(variables: Mapping[str, object]) -> dict[str, str]:
    """Every name a text may use as ``{name}``, with the variable that defines it: a linked
    choice defines its keys (its own name is not a placeholder), any other variable itself."""
    names: dict[str, str] = {}
    for name, variable in variables.items():
        if isinstance(variable, LinkedChoiceVariable):
            for option in variable.linked_choices:
                for key in option:
                    names.setdefault(key, name)
        else:
            names.setdefault(name, name)
    return names


def fill_templates(variables: Mapping[str, Variable], values: dict[str, str]) -> None:
    """Fill every template variable into ``values`` (the other variables already drawn), each
    after the templates it uses; the scenario is valid, so there is no cycle."""
    templates = {
        name: variable
        for name, variable in variables.items()
        if isinstance(variable, TemplateVariable)
    }

    def value(name: str) -> str | None:
        if name in templates and name not in values:
            template = templates[name]
            text = fill(template.template, value)
            values[name] = text.lower() if template.lowercase else text
        return values.get(name)

    for name in templates:
        value(name)


def check_linked(checker: Checker) -> None:
    """Located errors for linked variables: format 1, unknown names, cycles, keys that clash
    or differ between the sets of a linked choice."""
    s = checker.scenario
    variables = s.variables
    for name, variable in variables.items():
        if isinstance(variable, TemplateVariable | LinkedChoiceVariable) and s.format == 1:
            checker.error(
                checker.where(s, "variables", name),
                "a variable built from others (template, linked_choices) is format 2's",
                "add format: 2 at the top of the file (docs/format.md, Format versions)",
                key=True,
            )
    _check_linked_choices(checker)
    names = placeholder_names(variables)
    templates = {n: v for n, v in variables.items() if isinstance(v, TemplateVariable)}
    for name, template in templates.items():
        for match in PLACEHOLDER.finditer(template.template):
            used = match.group(1)
            if used not in names:
                checker.error(
                    checker.where(s, "variables", name, "template"),
                    f"template uses {{{used}}} but no such variable is defined",
                    suggest(used, set(names)) + " (define it under variables:)",
                )
    cycle = _cycle(templates)
    if cycle:
        checker.error(
            checker.where(s, "variables", cycle[0], "template"),
            "template variables refer to each other in a cycle: " + " -> ".join(cycle),
            "break the cycle: build one of them from drawn or fixed variables only",
        )


def _check_linked_choices(checker: Checker) -> None:
    s = checker.scenario
    defined: dict[str, str] = {
        name: name
        for name, variable in s.variables.items()
        if not isinstance(variable, LinkedChoiceVariable)
    }
    for name, variable in s.variables.items():
        if not isinstance(variable, LinkedChoiceVariable):
            continue
        where = checker.where(s, "variables", name, "linked_choices")
        if not variable.linked_choices:
            checker.error(where, "no sets of linked values", "list at least one")
            continue
        first = variable.linked_choices[0]
        if not first:
            checker.error((*where, 0), "an empty set of linked values", "give it keys")
        for index, option in enumerate(variable.linked_choices):
            if set(option) != set(first):
                checker.error(
                    (*where, index),
                    f"keys {', '.join(sorted(option))} differ from the first set's "
                    f"({', '.join(sorted(first))})",
                    "give every set the same keys, so each run has a value for each",
                )
        for key in first:
            if not key.isidentifier():
                checker.error(
                    (*where, 0, key),
                    f"{key!r} cannot be used as {{{key}}}",
                    "use letters, digits and _ only",
                    key=True,
                )
            elif key in defined:
                other = defined[key]
                checker.error(
                    (*where, 0, key),
                    f"{{{key}}} is already defined by variable {other!r}",
                    "give the key another name: each placeholder has one definition",
                    key=True,
                )
            else:
                defined[key] = name


def _cycle(templates: Mapping[str, TemplateVariable]) -> list[str] | None:
    """A cycle among template variables (first name repeated at the end), if any."""
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> list[str] | None:
        if name in path:
            return [*path[path.index(name) :], name]
        if name in done or name not in templates:
            return None
        for match in PLACEHOLDER.finditer(templates[name].template):
            found = visit(match.group(1), [*path, name])
            if found:
                return found
        done.add(name)
        return None

    for name in templates:
        found = visit(name, [])
        if found:
            return found
    return None
