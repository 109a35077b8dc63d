"""One definition of each list of domain values: no module spells one out a second time."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

from drillsim.update_status import UPDATE_STATUSES

STILL_COPIED: dict[str, str] = {}
"""Copies not yet replaced, and what replaces them. Remove a line when its copy goes."""


def listings(path: Path, values: tuple[str, ...]) -> Iterator[int]:
    """Lines where a tuple, list or set (or a Literal[...]) spells out most of ``values``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            spelled = {
                item.value
                for item in node.elts
                if isinstance(item, ast.Constant) and item.value in values
            }
            if len(spelled) >= 3:
                yield node.lineno


@pytest.mark.slow
def test_the_update_statuses_are_listed_once() -> None:
    copies = {
        str(path.relative_to(ROOT))
        for top in ("drillsim", "scoring")
        for path in (ROOT / top).rglob("*.py")
        if path != ROOT / "drillsim" / "update_status.py" and any(listings(path, UPDATE_STATUSES))
    }
    assert copies == set(STILL_COPIED)


def test_the_check_sees_a_copy_in_a_literal(tmp_path) -> None:
    path = tmp_path / "copy.py"
    path.write_text('Status = Literal["identified", "resolved", "monitoring"]\n')
    assert list(listings(path, UPDATE_STATUSES)) == [1]
