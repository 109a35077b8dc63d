"""The argument types several commands share: what each accepts, and the refusal argparse
shows for the rest.

argparse is imported only to refuse a value, so a command read without argparse (the plain
forms of ``drillsim validate`` and ``drillsim play``) checks its values by the same rules.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn


def refuse(message: str) -> NoReturn:
    """Refuse an argument's value: argparse prints ``message`` as the usage error."""
    import argparse

    raise argparse.ArgumentTypeError(message)


def natural(text: str) -> int:
    """An argument type: a whole number, zero or more."""
    try:
        value = int(text)
    except ValueError:
        refuse(f"{text!r} is not a whole number")
    if value < 0:
        refuse(f"{text!r} must not be negative")
    return value


def seed(text: str) -> int:
    """An argument type: a run's seed, a whole number from 0 to the largest a journal keeps."""
    from drillsim.limits import LARGEST_SEED

    value = natural(text)
    if value > LARGEST_SEED:
        refuse(f"{text!r} is too large for a seed (at most {LARGEST_SEED})")
    return value


def positive(text: str) -> int:
    """An argument type: a whole number, one or more."""
    value = natural(text)
    if value < 1:
        refuse(f"{text!r} must be at least 1")
    return value


def speed(text: str) -> float:
    """An argument type: exercise seconds per real second, within what the engine allows."""
    from drillsim.limits import MAX_SPEED, MIN_SPEED

    try:
        value = float(text)
    except ValueError:
        refuse(f"{text!r} is not a number")
    if not MIN_SPEED <= value <= MAX_SPEED:
        refuse(f"speed must be between {MIN_SPEED:g} and {MAX_SPEED:g}")
    return value


def team_name(text: str) -> str:
    """A team name with something in it: ``--team ''`` is a mistake, not a team."""
    name = " ".join(text.split())
    if not name:
        refuse("the team name is empty; give one (--team 'Marketing ops') or leave --team out")
    return name
