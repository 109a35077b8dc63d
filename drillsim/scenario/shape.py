"""The shape of scenario documents: typed model classes are the one source of truth.

Model classes (:class:`Model`) declare their fields with :func:`spec`. This module holds
the declaration and the type information read from it: :mod:`drillsim.scenario.convert`
turns plain YAML data into those classes, :mod:`drillsim.scenario.schema` turns them into
JSON Schema.

Why not msgspec or pydantic: both stop at the first error or report paths we cannot
place on a line, and importing either costs more than parsing a scenario with libyaml
(the validate benchmark allows 1.5x of that). For the same reason the validate path does not
import :mod:`typing` at run time: ``Literal`` is a small stand-in here, while type checkers
see the real one.
"""

from __future__ import annotations

import sys
import types
from functools import cache

from drillsim.durations import DURATION_PATTERN

TYPE_CHECKING = False


class LiteralType:
    """Run-time stand-in for ``Literal[...]``: the values a field may take."""

    __slots__ = ("values",)

    def __init__(self, values: tuple[object, ...]) -> None:
        self.values = values

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LiteralType) and other.values == self.values

    def __hash__(self) -> int:
        return hash(self.values)

    def __repr__(self) -> str:
        return f"Literal{list(self.values)}"

    def __or__(self, other: object) -> UnionForm:
        return UnionForm((self, _member(other)))

    def __ror__(self, other: object) -> UnionForm:
        return UnionForm((_member(other), self))


class UnionForm:
    """Run-time stand-in for a union with a ``Literal`` member (``bool | Literal["x"]``),
    which Python's own ``|`` cannot build from the stand-in."""

    __slots__ = ("members",)

    def __init__(self, members: tuple[object, ...]) -> None:
        self.members = members

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnionForm) and other.members == self.members

    def __hash__(self) -> int:
        return hash(self.members)

    def __or__(self, other: object) -> UnionForm:
        return UnionForm((*self.members, _member(other)))


def _member(tp: object) -> object:
    return type(None) if tp is None else tp


class _LiteralForm:
    def __getitem__(self, values: object) -> LiteralType:
        return LiteralType(values if isinstance(values, tuple) else (values,))


if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, ClassVar, Literal, TypeGuard
else:
    Literal = _LiteralForm()


def generic_args(tp: object, origin: type) -> tuple[object, ...] | None:
    """Arguments of ``origin[...]`` (``tuple[X, ...]``, ``dict[K, V]``), else None."""
    if isinstance(tp, types.GenericAlias) and tp.__origin__ is origin:
        return tp.__args__
    return None


ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"


class Id(str):
    """A name other parts of the scenario refer to: lowercase letters, digits, - and _.

    The type a model field declares; the loaded value is a plain str (see convert)."""

    __slots__ = ()


class Template(str):
    """Text shown to players; ``{variable}`` placeholders are filled in per run."""

    __slots__ = ()


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Spec:
    """How a model field appears in YAML: its docs, key, default and bounds."""

    __slots__ = (
        "default",
        "doc",
        "examples",
        "factory",
        "format_1_le",
        "ge",
        "gt",
        "key",
        "le",
        "most",
    )

    def __init__(
        self,
        doc: str,
        default: object,
        factory: Callable[[], object] | None,
        key: str | None,
        bounds: tuple[float | None, float | None, float | None],
        most: int | None,
        examples: list[object] | None,
        format_1_le: float | None = None,
    ) -> None:
        self.doc = doc
        self.default = default
        self.factory = factory
        self.key = key
        self.ge, self.le, self.gt = bounds
        self.most = most
        self.examples = examples
        self.format_1_le = format_1_le


def spec(
    doc: str,
    *,
    default: object = MISSING,
    factory: Callable[[], object] | None = None,
    key: str | None = None,
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    most: int | None = None,
    examples: list[object] | None = None,
    format_1_le: float | None = None,
) -> Any:
    """Declare a model field with its documentation, YAML key, numeric bounds and, for a list
    or mapping, the most entries it may hold. ``format_1_le`` is the upper bound in a
    format-1 file where it is lower than ``le`` (format 2's)."""
    return Spec(doc, default, factory, key, (ge, le, gt), most, examples, format_1_le)


class Model:
    """A frozen, keyword-only record whose fields are declared with :func:`spec`.

    Like a frozen dataclass, without generating code at import time: ``drillsim validate``
    must start in a few milliseconds, and dozens of dataclasses cost tens of them.
    """

    __specs__: ClassVar[dict[str, Spec]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        specs: dict[str, Spec] = {}
        for base in reversed(cls.__mro__[1:]):
            specs.update(getattr(base, "__specs__", {}))
        for name in cls.__dict__.get("__annotations__", {}):  # noqa: RUF063 (own class only)
            declared = cls.__dict__.get(name)
            if isinstance(declared, Spec):
                specs[name] = declared
                delattr(cls, name)
        cls.__specs__ = specs

    def __init__(self, **values: Any) -> None:
        fields = {}
        for name, declared in self.__specs__.items():
            if name in values:
                fields[name] = values.pop(name)
            elif declared.factory is not None:
                fields[name] = declared.factory()
            elif declared.default is not MISSING:
                fields[name] = declared.default
            else:
                raise TypeError(f"{type(self).__name__} needs {name}")
        if values:
            raise TypeError(f"{type(self).__name__} has no field {next(iter(values))}")
        self.__dict__.update(fields)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def replace(self, **changes: Any) -> Any:
        """A copy with some fields changed (like ``dataclasses.replace``)."""
        return type(self)(**{**{name: self.__dict__[name] for name in self.__specs__}, **changes})

    def _values(self) -> tuple[object, ...]:
        return tuple(self.__dict__[name] for name in self.__specs__)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(
            tuple(
                tuple(sorted(value.items())) if isinstance(value, dict) else value
                for value in self._values()
            )
        )

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={self.__dict__[name]!r}" for name in self.__specs__)
        return f"{type(self).__name__}({shown})"


class FieldInfo:
    """A model field as the YAML author sees it."""

    __slots__ = (
        "default",
        "doc",
        "examples",
        "format_1_le",
        "ge",
        "gt",
        "key",
        "le",
        "most",
        "name",
        "required",
        "type",
    )

    def __init__(self, name: str, declared: Spec, tp: object) -> None:
        self.name = name
        self.key = declared.key or name
        self.type = tp
        self.doc = declared.doc
        self.required = declared.factory is None and declared.default is MISSING
        self.default = declared.factory() if declared.factory else declared.default
        self.ge = declared.ge
        self.le = declared.le
        self.format_1_le = declared.format_1_le
        self.gt = declared.gt
        self.most = declared.most
        self.examples = declared.examples


_FIELDS: dict[type[Model], tuple[FieldInfo, ...]] = {}
"""Fields by model class, resolved on first use."""


def fields_of(cls: type[Model]) -> tuple[FieldInfo, ...]:
    """The YAML-facing fields of a model class, type annotations resolved."""
    found = _FIELDS.get(cls)
    if found is None:
        annotations: dict[str, str] = {}
        for klass in reversed(cls.__mro__):
            annotations.update(klass.__dict__.get("__annotations__", {}))  # noqa: RUF063
        found = _FIELDS[cls] = tuple(
            FieldInfo(name, declared, _resolve(annotations[name], cls.__module__))
            for name, declared in cls.__specs__.items()
        )
    return found


@cache
def _resolve(annotation: str, module: str) -> object:
    """The type an annotation string names in ``module`` (annotations repeat a lot)."""
    return eval(annotation, vars(sys.modules[module]))


def is_model(tp: object) -> TypeGuard[type[Model]]:
    return isinstance(tp, type) and issubclass(tp, Model)


def union_members(tp: object) -> tuple[object, ...] | None:
    """Members of ``A | B`` (or Optional), else None."""
    if isinstance(tp, types.UnionType):
        return tp.__args__
    if isinstance(tp, UnionForm):
        return tp.members
    return None


def discriminator(cls: type[Model]) -> str:
    """The key that picks this class out of a union of models: its first field's key."""
    return fields_of(cls)[0].key


__all__ = [
    "DURATION_PATTERN",
    "ID_PATTERN",
    "MISSING",
    "FieldInfo",
    "Id",
    "Literal",
    "LiteralType",
    "Model",
    "Spec",
    "Template",
    "discriminator",
    "fields_of",
    "generic_args",
    "is_model",
    "spec",
    "union_members",
]
