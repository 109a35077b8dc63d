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
    """Where runs are journaled, once it is shown that a run can be kept there: the folder
    writable with room for a run, and the run history readable (StoreError otherwise, before
    any drill starts)."""
    from drillsim.store.runs import check_room, open_history

    folder = check_room()
    open_history().close()
    return folder


def run_journal(run: str) -> Path:
    """The journal a RUN argument names: a run id, a unique prefix of one, a journal path, or
    ``latest`` (StoreError "no run X; did you mean Y" otherwise)."""
    from drillsim.store.refs import resolve_run
    from drillsim.store.runs import open_history

    with open_history() as history:
        return resolve_run(run, history).journal
