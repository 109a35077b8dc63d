"""`drillsim play`'s plain arguments are read without argparse: the reading must be
argparse's own, and anything else must be left to argparse."""

from __future__ import annotations

import itertools

import pytest

from drillsim.commands.parser import build_parser
from drillsim.commands.play import plain_arguments

WORDS = (
    "map-outage-mid-send",
    "x.yaml",
    "--seed",
    "7",
    "--speed",
    "8",
    "--team",
    "Ops",
    "--official",
    "-1",
    "",
    "--se",
    "-h",
    "--",
    "0.01",
)
FIELDS = ("scenario", "seed", "speed", "team", "official")


def _argparse(arguments: list[str]) -> tuple[object, ...] | None:
    """What argparse makes of ``arguments`` (None when it refuses them or shows help)."""
    try:
        args = build_parser(arguments).parse_args(arguments)
    except SystemExit:
        return None
    return (args.command, args.data_dir, *(getattr(args, field) for field in FIELDS))


def test_the_plain_reading_agrees_with_argparse_wherever_it_answers(capsys) -> None:
    answered = 0
    for length in range(4):
        for rest in itertools.product(WORDS, repeat=length):
            arguments = ["play", *rest]
            plain = plain_arguments(arguments)
            if plain is None:
                continue
            answered += 1
            ours = (plain.command, plain.data_dir, *(getattr(plain, field) for field in FIELDS))
            assert _argparse(arguments) == ours, arguments
    capsys.readouterr()
    assert answered > 100  # the usual forms are read without argparse


@pytest.mark.parametrize(
    "arguments",
    [
        ["play", "x.yaml", "--seed", "7", "--speed", "8", "--team", "Ops", "--official"],
        ["play", "--official", "--team", "Ops", "--speed", "0.25", "--seed", "0", "x.yaml"],
        [
            "play",
            "--team",
            "Marketing  ops",
            "map-outage-mid-send",
            "--seed",
            "9223372036854775807",
        ],
    ],
)
def test_every_option_at_once_reads_as_argparse_reads_it(arguments, capsys) -> None:
    plain = plain_arguments(arguments)
    assert plain is not None
    ours = (plain.command, plain.data_dir, *(getattr(plain, field) for field in FIELDS))
    assert _argparse(arguments) == ours


def test_a_seed_too_large_for_a_journal_is_refused_before_the_drill_starts(capsys) -> None:
    arguments = ["play", "--seed", "9223372036854775808"]  # 2**63: no signed 64-bit integer
    assert plain_arguments(arguments) is None
    assert _argparse(arguments) is None
    assert "too large for a seed" in capsys.readouterr().err


@pytest.mark.parametrize(
    "arguments",
    [
        ["play", "--seed", "-1"],  # argparse refuses it, in its own words
        ["play", "--seed", "x"],
        ["play", "--speed", "100000"],
        ["play", "--team", "  "],
        ["play", "--seed"],
        ["play", "--seed=7"],
        ["play", "--se", "7"],  # an abbreviation: argparse's to expand
        ["play", "--seed", "1", "--seed", "2"],
        ["play", "a.yaml", "b.yaml"],
        ["play", "-h"],
        ["play", "--", "-odd.yaml"],
        ["--data-dir", "x", "play"],
        ["validate", "a.yaml"],
    ],
)
def test_anything_but_the_plain_form_is_left_to_argparse(arguments) -> None:
    assert plain_arguments(arguments) is None
