"""Opening a recorded run: read its journal, rebuild its scenario from the text the header
embeds, replay it, and say how far it can be trusted (sealed, intact, edited, unverified).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from drillsim.journal import Journal, JournalError, SealStatus, installation_key, read_journal
from drillsim.scenario.model import Scenario

EDITED_HINT = "pass --accept-edited to score it anyway, marked edited in every output"


class RunRefused(Exception):
    """The run cannot be used; the message names the file and line, and says what to do."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(slots=True)
class RecordedRun:
    journal: Journal
    scenario: Scenario
    sha256: str

    @property
    def seal(self) -> SealStatus:
        return self.journal.seal

    @property
    def warnings(self) -> list[str]:
        return self.journal.warnings


def open_run(
    path: str | os.PathLike[str],
    *,
    partial: bool = False,
    accept_edited: bool = False,
    scenario_path: str | None = None,
) -> RecordedRun:
    """Read, rebuild and replay the run in ``path``; RunRefused says why it cannot be used."""
    from drillsim.paths import data_dir

    shown = os.fspath(path)
    try:
        journal = read_journal(
            path, partial=partial, key=installation_key(data_dir(), create=False)
        )
    except JournalError as error:
        raise RunRefused(str(error), 2 if error.line == 0 else 1) from None
    header = journal.header
    if header.scenario.text is not None:
        if scenario_path is not None:
            journal.warnings.append(
                f"{shown}: the run carries its own scenario text; --scenario is ignored"
            )
        scenario, sha256 = _embedded(journal)
    else:
        scenario, sha256 = _named(journal, scenario_path)
    _replay(journal, scenario)
    if journal.seal == "edited" and not accept_edited:
        raise RunRefused(
            f"{shown}: the journal was edited after it was written ({journal.problems[0]}); "
            f"{EDITED_HINT}",
            1,
        )
    return RecordedRun(journal, scenario, sha256)


def _embedded(journal: Journal) -> tuple[Scenario, str]:
    import hashlib

    from drillsim.scenario.loader import load_scenario_text
    from drillsim.scenario.problems import ScenarioError

    header = journal.header
    text = header.scenario.text or ""
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if sha256 != header.scenario.sha256:
        journal.mark_edited("line 1: the scenario text does not match its recorded sha256")
    try:
        scenario = load_scenario_text(text, f"{journal.path}:1 (the run's scenario)").scenario
    except ScenarioError as error:
        first = error.problems[0] if error.problems else "invalid"
        raise RunRefused(
            f"{journal.path}:1: the scenario this run was played on does not validate with this "
            f"drillsim ({first}); score it with the drillsim version that recorded it "
            f"({header.versions.drillsim or 'unknown'})",
            1,
        ) from None
    if scenario.id != header.scenario.id or scenario.version != header.scenario.version:
        journal.mark_edited("line 1: the scenario text is not the scenario the header names")
    return scenario, sha256


def _named(journal: Journal, scenario_path: str | None) -> tuple[Scenario, str]:
    """A format-1 journal names its scenario: the bundled one, or the file given."""
    from drillsim.library import UnknownScenario, resolve
    from drillsim.scenario.loader import load_scenario
    from drillsim.scenario.problems import ScenarioError

    header = journal.header
    try:
        scenario, sha256 = load_scenario(resolve(scenario_path or header.scenario.id))
    except UnknownScenario as error:
        raise RunRefused(
            f"{error}; pass --scenario with the file the run was played on", 2
        ) from None
    except ScenarioError as error:
        first = error.problems[0] if error.problems else "invalid"
        raise RunRefused(f"{first}; fix the scenario (drillsim validate) and retry", 1) from None
    if sha256 != header.scenario.sha256 or scenario.id != header.scenario.id:
        where = scenario_path or "the bundled library"
        raise RunRefused(
            f"{journal.path}:1: the run was recorded with {header.scenario.id} "
            f"{header.scenario.version} (sha256 {header.scenario.sha256[:12]}), but {where} has "
            f"{scenario.id} {scenario.version} (sha256 {sha256[:12]}); pass --scenario with "
            "the scenario file the run was recorded with",
            1,
        )
    return scenario, sha256


def _replay(journal: Journal, scenario: Scenario) -> None:
    from drillsim.engine import ENGINE_VERSION
    from drillsim.replay import first_difference

    if journal.seal == "unverified":
        return
    recorded = journal.header.versions.engine
    if recorded != ENGINE_VERSION:
        journal.warnings.append(
            f"{journal.path}:1: recorded by engine {recorded}, this drillsim runs engine "
            f"{ENGINE_VERSION}: scored as recorded, not replayed"
        )
        return
    difference = first_difference(
        scenario,
        journal.events,
        journal.lines,
        finished=journal.finished,
        clock_until=journal.clock_until,
    )
    if difference is not None:
        journal.mark_edited(f"{difference} (replay)")
