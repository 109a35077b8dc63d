"""`drillsim validate`'s plain arguments are read without argparse: the reading must be
argparse's own, and anything else must be left to argparse."""

from __future__ import annotations

import itertools

import pytest

from drillsim.commands.parser import build_parser
from drillsim.commands.validate import plain_arguments

WORDS = ("a.yaml", "b.yaml", "--json", "--strict", "-", "--", "-h", "--js", "", "c d.yaml")


def _argparse(arguments: list[str]) -> tuple[list[str], bool, bool] | None:
    """What argparse makes of ``arguments`` (None when it refuses them or shows help)."""
    try:
        args = build_parser(arguments).parse_args(arguments)
    except SystemExit:
        return None
    return list(args.paths), args.json, args.strict


def _cases() -> list[list[str]]:
    cases = []
    for length in range(4):
        for rest in itertools.product(WORDS, repeat=length):
            cases.append(["validate", *rest])
    return cases


def test_the_plain_reading_agrees_with_argparse_wherever_it_answers(capsys) -> None:
    answered = 0
    for arguments in _cases():
        plain = plain_arguments(arguments)
        if plain is None:
            continue
        answered += 1
        assert _argparse(arguments) == (plain.paths, plain.json, plain.strict), arguments
    capsys.readouterr()
    assert answered > 100  # the usual forms are read without argparse


@pytest.mark.parametrize(
    "arguments",
    [
        ["validate"],
        ["validate", "--json"],
        ["validate", "a.yaml", "--json", "b.yaml"],  # argparse: unrecognized arguments
        ["validate", "--js", "a.yaml"],  # an abbreviation: argparse's to expand
        ["validate", "-h"],
        ["validate", "--", "-odd.yaml"],
        ["--data-dir", "x", "validate", "a.yaml"],
        ["lint", "a.yaml"],
    ],
)
def test_anything_but_the_plain_form_is_left_to_argparse(arguments) -> None:
    assert plain_arguments(arguments) is None


def test_flags_around_the_paths_are_read() -> None:
    plain = plain_arguments(["validate", "--strict", "a.yaml", "b.yaml", "--json"])
    assert plain is not None
    assert (plain.paths, plain.json, plain.strict) == (["a.yaml", "b.yaml"], True, True)
