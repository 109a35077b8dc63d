"""Playing a kept run's draw again: the scenario text it was played on, as a file to open,
and the seed and team it was played with.

The same seed on the same scenario text draws the same names and the same outage; a
scenario file edited since would not, so the journal's own text is used when the file on
disk differs from it.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from drillsim.paths import data_dir
from drillsim.store import StoreError


@dataclass(frozen=True, slots=True)
class Replay:
    """What "play again with this seed" starts: the scenario file, the seed, the team."""

    path: Path
    seed: int
    team: str


def scenario_file(scenario_id: str, sha256: str, text: str, known: Path | None = None) -> Path:
    """A file holding exactly ``text``: ``known`` (the file the run was played from) or the
    bundled scenario when either still holds it, else a copy kept in the data folder's
    ``scenarios`` folder (made once per scenario text)."""
    from drillsim.library import UnknownScenario, resolve

    if not text and known is not None:  # the text was not kept (a run set up by hand)
        return known
    candidates = [known] if known is not None else []
    with suppress(UnknownScenario):
        candidates.append(resolve(scenario_id))
    for candidate in candidates:
        if _holds(candidate, text):
            return candidate
    copy = data_dir() / "scenarios" / f"{scenario_id}-{sha256[:12]}.yaml"
    if not _holds(copy, text):
        try:
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(text, encoding="utf-8")
        except OSError as error:
            raise StoreError(
                f"cannot keep the scenario's text in {copy} ({error.strerror}); pass "
                "--data-dir for another folder",
                2,
            ) from None
    return copy


def _holds(path: Path, text: str) -> bool:
    try:
        return path.is_file() and path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


def replay_of(journal: Path) -> Replay:
    """The scenario, seed and team of the run kept in ``journal``; StoreError when the
    journal cannot be read or names a scenario that is neither embedded nor bundled."""
    from drillsim.journal import JournalError, read_journal
    from drillsim.library import UnknownScenario, resolve

    try:
        header = read_journal(journal, partial=True).header
    except JournalError as error:
        raise StoreError(f"cannot play that run again: {error}") from None
    except OSError as error:
        raise StoreError(f"cannot read {journal} ({error.strerror})", 2) from None
    ref = header.scenario
    if ref.text is not None:
        path = scenario_file(ref.id, ref.sha256, ref.text)
    else:  # an older journal: the bundled scenario of that id, if there is one
        try:
            path = resolve(ref.id)
        except UnknownScenario:
            raise StoreError(
                f"cannot play that run again: its journal does not carry the scenario's text "
                f"and no bundled scenario is called {ref.id!r}"
            ) from None
    return Replay(path, header.seed, header.team or "")
