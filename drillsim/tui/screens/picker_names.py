"""The names one seed draws for every scenario the picker lists, drawn in one helper process.

Faker loads in the helper, never in the picker's process (as for a run's own draw in
:mod:`drillsim.engine.draws`), and one process serves the whole library:
``python -m drillsim.tui.screens.picker_names SEED PATH...`` prints ``{path: {name: value}}``.
The values are those the briefing draws for the same seed, so the titles agree.
"""

from __future__ import annotations

from collections.abc import Sequence

HELPER_TIMEOUT = 60.0
"""Seconds the picker waits for the helper (it shows the marked names meanwhile)."""


def draw_library(seed: int, paths: Sequence[str]) -> dict[str, dict[str, str]]:
    """Each scenario's drawn values for ``seed``, here in this process."""
    from drillsim.engine.draws import draw_variables
    from drillsim.scenario.loader import load_scenario

    return {path: draw_variables(load_scenario(path)[0], seed) for path in paths}


def draw_library_apart(seed: int, paths: Sequence[str]) -> dict[str, dict[str, str]]:
    """:func:`draw_library` in a helper process; empty when the helper fails (the picker
    then keeps each name marked, as before a draw)."""
    import json
    import subprocess
    import sys

    try:
        done = subprocess.run(
            [sys.executable, "-m", __name__, str(seed), *paths],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=HELPER_TIMEOUT,
            check=False,
        )
        drawn = json.loads(done.stdout) if done.returncode == 0 else None
    except (OSError, ValueError, subprocess.SubprocessError):
        return {}
    if not isinstance(drawn, dict):
        return {}
    return {
        str(path): {str(name): str(value) for name, value in values.items()}
        for path, values in drawn.items()
        if isinstance(values, dict)
    }


if __name__ == "__main__":
    import json
    import sys

    from drillsim.engine.draws import import_faker_lean

    import_faker_lean()  # a process of its own: Faker without its survey of locales
    print(json.dumps(draw_library(int(sys.argv[1]), sys.argv[2:])))
