"""What scoring works out once per scenario, whatever the seed or the run.

Each module keeps its own record of it (a class made with no arguments), looked up by the
scenario and kept as long as the scenario lives: a simulation scores thousands of runs of one
scenario, and a long session plays many scenarios.
"""

from __future__ import annotations

import weakref
from functools import partial
from typing import TYPE_CHECKING, TypeVar, cast

if TYPE_CHECKING:
    from drillsim.scenario.model import Scenario

Record = TypeVar("Record")

_MEMOS: dict[int, tuple[weakref.ref[Scenario], dict[type, object]]] = {}
"""Each live scenario's records, by the scenario's id and the record's class."""


def per_scenario(scenario: Scenario, kind: type[Record]) -> Record:
    """The ``kind`` record kept for ``scenario`` (made on first use)."""
    owner = id(scenario)
    entry = _MEMOS.get(owner)
    if entry is None or entry[0]() is not scenario:
        # The callback must not hold the scenario itself, or it would never be freed.
        entry = _MEMOS[owner] = (weakref.ref(scenario, partial(_forget, owner)), {})
    found = entry[1].get(kind)
    if found is None:
        found = entry[1][kind] = kind()
    return cast(Record, found)


def _forget(owner: int, _freed: weakref.ref[Scenario]) -> None:
    _MEMOS.pop(owner, None)
