"""Conversion of plain YAML data into the scenario's model classes, collecting every problem
in one pass, each located and with a did-you-mean hint where one helps."""

from __future__ import annotations

import math
import re
from functools import cache

from drillsim.durations import Duration, format_duration, suggest_duration
from drillsim.limits import longest_duration
from drillsim.scenario.document import Document, PathKey
from drillsim.scenario.problems import Problem, suggest
from drillsim.scenario.shape import (
    ID_PATTERN,
    FieldInfo,
    Id,
    LiteralType,
    Model,
    Template,
    discriminator,
    fields_of,
    generic_args,
    is_model,
    union_members,
)

_ID = re.compile(ID_PATTERN)


def describe(tp: object) -> str:
    """Plain words for a type, used in error messages."""
    if tp is Duration:
        return "a duration like 45m"
    if tp is Id:
        return "an id (lowercase letters, digits, - or _)"
    if tp in (str, Template):
        return "text"
    if tp is bool:
        return "true or false"
    if tp is int:
        return "a whole number"
    if tp is float:
        return "a number"
    if isinstance(tp, LiteralType):
        return "one of " + ", ".join(str(value) for value in tp.values)
    if generic_args(tp, tuple) is not None:
        return "a list"
    if generic_args(tp, dict) is not None:
        return "a mapping"
    members = union_members(tp)
    if members:
        return " or ".join(describe(member) for member in members if member is not type(None))
    if is_model(tp):
        return f"a mapping ({tp.__name__})"
    return str(tp)


def format_of(data: object) -> int:
    """The format version a scenario document declares: its top-level ``format`` when that is
    2, else 1 (absent means 1; a wrong value is reported where the key is converted)."""
    return 2 if isinstance(data, dict) and data.get("format") == 2 else 1


class Converter:
    """Builds model objects from a Document, collecting every problem found.

    ``format_version`` (default: what the document declares) sets what durations may say:
    days and spans past a day are format 2's."""

    def __init__(self, document: Document, format_version: int | None = None) -> None:
        self.document = document
        self.format = format_of(document.data) if format_version is None else format_version
        self.problems: list[Problem] = []
        self.origins: dict[int, PathKey] = {}
        self.broken: list[PathKey] = []

    def fail(self, where: PathKey, message: str, hint: str, *, key: bool = False) -> None:
        self.problems.append(self.document.problem(where, message, hint, key=key))
        self.broken.append(where)

    def is_broken(self, where: PathKey) -> bool:
        """Whether ``where`` lies in (or contains) a value that failed to convert."""
        return any(
            where[: len(path)] == path or path[: len(where)] == where for path in self.broken
        )

    def convert(self, value: object, tp: object, where: PathKey) -> object:
        form, detail = _plan(tp)
        if form == "scalar":
            return self._scalar(value, tp, where)
        if form == "model" and is_model(tp):
            return self._model(value, tp, where)
        if form == "tuple":
            return self._sequence(value, detail, where)
        if form == "dict":
            return self._mapping(value, detail, where)
        if isinstance(detail, _Union):
            return self._union(value, detail, tp, where)
        if not isinstance(detail, tuple):
            raise TypeError(f"no conversion for {tp!r}")
        if value in detail and type(value) is type(detail[0]):  # a literal's values
            return value
        self.fail(where, f"{value!r} is not allowed", suggest(str(value), detail))
        return None

    def _scalar(self, value: object, tp: object, where: PathKey) -> object:
        if tp is bool:
            if isinstance(value, bool):
                return value
            self._wrong(value, tp, where)
            return None
        if tp is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            self._wrong(value, tp, where)
            return None
        if tp is float:
            if isinstance(value, int | float) and not isinstance(value, bool):
                return self._finite(value, where)
            self._wrong(value, tp, where)
            return None
        if not isinstance(value, str):
            self._wrong(value, tp, where)
            return None
        if tp is Duration:
            return self._duration(value, where)
        if tp is Id:
            if not _ID.match(value):
                self.fail(
                    where,
                    f"{value!r} is not a valid id",
                    "use lowercase letters, digits, - and _ (at most 64), e.g. vp-sales",
                )
                return None
            # Kept a plain str: a str subclass slows every dict keyed by ids (a dict of plain
            # str keys has CPython's fast lookup) and sends every id the journal writes
            # through the encoder's hook.
            return value
        if tp is Template:
            return Template(value)
        return value

    def _finite(self, value: float, where: PathKey) -> float | None:
        """``value`` as a float, or None (and a problem) for NaN, infinity or a huge number."""
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if math.isfinite(number):
            return number
        if math.isnan(number):
            shown = ".nan"
        elif isinstance(value, float):
            shown = ".inf" if value > 0 else "-.inf"
        else:
            shown = "a whole number too large to compute with"
        self.fail(where, f"expected a finite number, got {shown}", "write an ordinary number")
        return None

    def _duration(self, text: str, where: PathKey) -> Duration | None:
        try:
            duration = Duration.parse(text)
        except ValueError:
            units = "90s, 45m or 1h30m" if self.format == 1 else "90s, 45m, 1h30m or 2d"
            wordy = suggest_duration(text)
            if wordy is not None and (self.format != 1 or not wordy.endswith("d")):
                fix = f"write it as {wordy} (numbers and unit letters, like {units})"
            else:
                fix = f"write it with numbers and unit letters, like {units}"
            self.fail(where, f"{text!r} is not a duration", fix)
            return None
        except OverflowError:
            duration = Duration(math.inf)
        shown = text if len(text) <= 20 else text[:17] + "..."
        if self.format == 1 and "d" in text:
            self.fail(
                where,
                f"{shown!r} counts days, which format 1 does not",
                "add format: 2 at the top of the file (docs/format.md, Format versions), "
                "or write hours, like 24h",
            )
            return None
        longest = longest_duration(self.format)
        if duration > longest:
            hint = f"write at most {format_duration(longest)}"
            if self.format == 1:
                hint += f", or add format: 2 (up to {format_duration(longest_duration(2))})"
            self.fail(
                where,
                f"{shown!r} is longer than {format_duration(longest)}, the longest span a drill "
                "uses",
                hint,
            )
            return None
        return duration

    def _wrong(self, value: object, tp: object, where: PathKey) -> None:
        got = _kind_of(value)
        hint = f"write {describe(tp)}"
        if tp in (str, Template, Id) and isinstance(value, bool | int | float):
            hint = "put it in quotes so YAML reads it as text"
        if tp is Duration and isinstance(value, int | float) and not isinstance(value, bool):
            hint = f"add a unit: {value}m or {value}s"
        self.fail(where, f"expected {describe(tp)}, got {got}", hint)

    def _sequence(self, value: object, item: object, where: PathKey) -> tuple[object, ...] | None:
        if not isinstance(value, list):
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                self.fail(where, f"expected a list, got {_kind_of(value)}", f"write [{value}]")
            else:
                self.fail(where, f"expected a list, got {_kind_of(value)}", "write a YAML list")
            return None
        converted = (
            self.convert(entry, item, (*where, index)) for index, entry in enumerate(value)
        )
        return tuple(entry for entry in converted if entry is not None)

    def _mapping(self, value: object, item: object, where: PathKey) -> dict[str, object] | None:
        if not isinstance(value, dict):
            self.fail(
                where, f"expected a mapping, got {_kind_of(value)}", "write name: value pairs"
            )
            return None
        result = {}
        for name, entry in value.items():
            if not _ID.match(name):
                self.fail(
                    (*where, name),
                    f"{name!r} is not a valid name",
                    "use lowercase letters, digits, - and _",
                    key=True,
                )
            converted = self.convert(entry, item, (*where, name))
            if converted is not None:
                result[name] = converted
        return result

    def _model(self, value: object, cls: type[Model], where: PathKey) -> object:
        if not isinstance(value, dict):
            self.fail(
                where, f"expected {describe(cls)}, got {_kind_of(value)}", "write key: value pairs"
            )
            return None
        fields = fields_of(cls)
        known = {info.key: info for info in fields}
        for name in value:
            if name not in known:
                self.fail(
                    (*where, name),
                    f"unknown key {name!r} in {cls.__name__}",
                    suggest(name, known),
                    key=True,
                )
        arguments = {}
        for info in fields:
            if info.key in value:
                converted = self.convert(value[info.key], info.type, (*where, info.key))
                if converted is not None:
                    self._check_bounds(converted, info, (*where, info.key))
                    self._check_size(value[info.key], info, (*where, info.key))
                    arguments[info.name] = converted
                elif value[info.key] is None and _allows_none(info.type):
                    arguments[info.name] = None
            elif info.required:
                self.fail(
                    where,
                    f"missing required key {info.key!r}",
                    f"add {info.key}: ({describe(info.type)}) — {info.doc}",
                )
                self.broken[-1] = (*where, info.key)
        for info in fields:
            if info.name not in arguments and info.required:
                arguments[info.name] = placeholder(info.type)
        built = cls(**arguments)
        self.origins[id(built)] = where
        return built

    def _check_bounds(self, value: object, info: FieldInfo, where: PathKey) -> None:
        if not isinstance(value, int | float) or isinstance(value, bool):
            return

        def shown(number: float) -> str:
            if isinstance(value, Duration):
                return format_duration(number)
            whole = float(number).is_integer() and abs(number) < 1e15
            return str(int(number)) if whole else f"{number:g}"

        if info.ge is not None and value < info.ge:
            low = shown(info.ge)
            self.fail(where, f"{shown(value)} is below the minimum {low}", f"use a value >= {low}")
        if info.gt is not None and value <= info.gt:
            low = shown(info.gt)
            self.fail(where, f"{shown(value)} must be above {low}", f"use a value > {low}")
        le = info.format_1_le if self.format == 1 and info.format_1_le is not None else info.le
        if le is not None and value > le:
            high = shown(le)
            self.fail(
                where, f"{shown(value)} is above the maximum {high}", f"use a value <= {high}"
            )

    def _check_size(self, value: object, info: FieldInfo, where: PathKey) -> None:
        if info.most is None or not isinstance(value, list | dict) or len(value) <= info.most:
            return
        first_extra = list(value)[info.most] if isinstance(value, dict) else info.most
        self.fail(
            (*where, first_extra),
            f"{len(value)} entries, more than the {info.most} a scenario may have here",
            "a drill stays playable with fewer: drop some, or split it into two scenarios",
            key=isinstance(value, dict),
        )

    def _union(self, value: object, union: _Union, tp: object, where: PathKey) -> object:
        if value is None:
            if union.optional:
                return None
            self.fail(where, "value is empty", f"write {describe(tp)}")
            return None
        if isinstance(value, dict) and len(union.by_key) == 1:  # one model: no tag needed
            return self._model(value, next(iter(union.by_key.values())), where)
        if isinstance(value, dict) and union.by_key:
            return self._tagged(value, union, where)
        for member in union.scalars:
            if _fits(value, member):
                return self.convert(value, member, where)
        if len(union.scalars) == 1 and not union.by_key:
            return self.convert(value, union.scalars[0], where)
        models = list(union.by_key.values())
        self.fail(where, f"expected {describe(tp)}, got {_kind_of(value)}", _union_hint(models))
        return None

    def _tagged(self, value: dict[str, object], union: _Union, where: PathKey) -> object:
        by_key = union.by_key
        models = list(by_key.values())
        chosen = [key for key in value if key in by_key]
        if len(chosen) == 1:
            return self._model(value, by_key[chosen[0]], where)
        if not chosen:
            first = next(iter(value), "")
            self.fail(
                where,
                f"{first!r} is not a known form here" if first else "empty mapping",
                suggest(first, by_key) if first else _union_hint(models),
                key=bool(first),
            )
        else:
            self.fail(
                where,
                f"mixes {', '.join(chosen)} in one mapping",
                "use exactly one of them; nest with all:/any: to combine",
            )
        return None


class _Union:
    """A union type prepared for conversion: its models by key, its scalar members."""

    __slots__ = ("by_key", "optional", "scalars")

    def __init__(self, members: tuple[object, ...]) -> None:
        self.optional = type(None) in members
        self.by_key = {discriminator(m): m for m in members if is_model(m)}
        self.scalars = [m for m in members if m is not type(None) and not is_model(m)]


@cache
def _plan(tp: object) -> tuple[str, object]:
    """How to convert values of type ``tp``: its form and what the form needs."""
    members = union_members(tp)
    if members is not None:
        return "union", _Union(members)
    if isinstance(tp, LiteralType):
        return "literal", tp.values
    items = generic_args(tp, tuple)
    if items is not None:
        return "tuple", items[0]
    entries = generic_args(tp, dict)
    if entries is not None:
        return "dict", entries[1]
    if is_model(tp):
        return "model", None
    return "scalar", None


def placeholder(tp: object) -> object:
    """A stand-in for a value that failed to convert, so checking can go on."""
    members = union_members(tp)
    if members is not None:
        return None if type(None) in members else placeholder(members[0])
    if isinstance(tp, LiteralType):
        return tp.values[0]
    if generic_args(tp, tuple) is not None:
        return ()
    if generic_args(tp, dict) is not None:
        return {}
    if is_model(tp):
        return tp(**{info.name: placeholder(info.type) for info in fields_of(tp) if info.required})
    stand_ins: dict[object, object] = {
        bool: False,
        int: 0,
        float: 0.0,
        Duration: Duration(0),
        Id: Id("?"),
        Template: Template(""),
        str: "",
    }
    return stand_ins[tp]


def _fits(value: object, tp: object) -> bool:
    if tp is bool:
        return isinstance(value, bool)
    if tp in (int, float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if tp in (str, Template, Id, Duration) or isinstance(tp, LiteralType):
        return isinstance(value, str)
    if generic_args(tp, tuple) is not None:
        return isinstance(value, list)
    if generic_args(tp, dict) is not None:
        return isinstance(value, dict)
    return False


def _allows_none(tp: object) -> bool:
    members = union_members(tp)
    return members is not None and type(None) in members


def _union_hint(models: list[type[Model]]) -> str:
    keys = ", ".join(f"{discriminator(model)}:" for model in models)
    return f"write a mapping with one of {keys}" if keys else "check the value's type"


def _kind_of(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
