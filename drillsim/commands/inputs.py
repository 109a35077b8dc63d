"""What several commands read: a scenario named by id or path, and the runs folder."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drillsim.commands import EXIT_INVALID, EXIT_USAGE, CommandError

if TYPE_CHECKING:
    from pathlib import Path

    from drillsim.scenario.loader import LoadedScenario


def load_scenario(name: str | None) -> LoadedScenario:
    """The scenario a bundled id or a path names (the flagship for None), its sha256 and text."""
    from drillsim.library import UnknownScenario, resolve
    from drillsim.scenario.loader import load_scenario_file
    from drillsim.scenario.problems import ScenarioError, UnreadableScenario

    try:
        return load_scenario_file(resolve(name))
    except UnknownScenario as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    except UnreadableScenario as error:
        raise CommandError("; ".join(map(str, error.problems)), EXIT_USAGE) from None
    except ScenarioError as error:
        raise CommandError(
            "the scenario has errors; fix them (drillsim validate) and retry",
            EXIT_INVALID,
            details=tuple(map(str, error.problems)),
        ) from None


def runs_folder() -> Path:
    """Where played runs are journaled, created if missing."""
    from drillsim.paths import runs_dir

    try:
        return runs_dir()
    except OSError as error:
        raise CommandError(
            f"cannot create the runs folder ({error.strerror}); set DRILLSIM_HOME", EXIT_USAGE
        ) from None


def run_journal(run: str) -> Path:
    """The journal a RUN argument names: a journal path (run ids, prefixes and ``latest`` come
    with the run history)."""
    from pathlib import Path

    return Path(run)
