"""Keeping the history: open it, check there is room for a run, index a journal, rebuild.

A run's row is made from its journal alone (header, events, seal, a fresh score), so
``rebuild`` can always remake the history from the journals in the runs folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from drillsim.journal import Header
from drillsim.paths import data_dir, history_file, runs_dir
from drillsim.store import StoreError
from drillsim.store.database import Database, RunRecord, Status
from drillsim.store.locks import is_locked

if TYPE_CHECKING:
    from drillsim.recorded import RecordedRun
    from scoring.card import ScoreCard

RUN_ROOM_BYTES = 8 * 1024 * 1024
"""Free space a run needs: its journal (well under 1 MB), the index, and room to spare."""
JOURNAL_GLOB = "*.jsonl"


def check_room(folder: Path | None = None) -> Path:
    """The runs folder, made if missing, once it is shown writable with room for a run;
    StoreError (exit 2) otherwise, so the drill never starts where it cannot be kept."""
    try:
        folder = folder if folder is not None else runs_dir()
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".write-check-{os.getpid()}"
        probe.write_bytes(b"drillsim")
        probe.unlink()
    except OSError as error:
        where = folder if folder is not None else data_dir()
        raise StoreError(
            f"cannot write runs in {where} ({error.strerror}); make it writable, or pass "
            "--data-dir (or set DRILLSIM_HOME) for another folder",
            2,
        ) from None
    free = free_bytes(folder)
    if free < RUN_ROOM_BYTES:
        raise StoreError(
            f"only {free / 1024 / 1024:.1f} MB free in {folder}; a run needs "
            f"{RUN_ROOM_BYTES // 1024 // 1024} MB: free some space, or pass --data-dir "
            "(or set DRILLSIM_HOME) for another folder",
            2,
        )
    return folder


def free_bytes(folder: Path) -> int:
    return shutil.disk_usage(folder).free


def open_history() -> Database:
    """The history database, made (and filled from the journals already there) if missing;
    its ``skipped`` lists the journals that filling could not use, and why."""
    database = Database(history_file())
    try:
        if database.created:
            database.skipped = _index_folder(database, _journals())[1]
        else:
            _settle_ended(database)
    except BaseException:
        database.close()
        raise
    return database


def _settle_ended(database: Database) -> None:
    """Index again each run kept as running whose process is gone though its journal ended:
    the process sealed the journal and died before scoring its row, which would otherwise
    read interrupted, unscored, until ``rescore --all``."""
    for record in database.running():
        journal = journal_of(record)
        if is_locked(journal) or not _ends(journal):
            continue
        with suppress(StoreError):  # a journal that cannot be used keeps its row as it was
            index_journal(database, journal, running=False)


class _Line(msgspec.Struct):
    kind: str = ""


_LAST_LINE = msgspec.json.Decoder(_Line)
_TAIL_BYTES = 4096
"""A journal's last line is read from this much of its end (a seal line is under 200 bytes)."""


def _ends(journal: Path) -> bool:
    """Whether ``journal``'s last line ends a run (its seal, or an unsealed drill_ended),
    read from its tail so that an interrupted run's journal is not read whole each time."""
    try:
        with journal.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - _TAIL_BYTES))
            tail = handle.read()
    except OSError:
        return False
    if not tail.endswith(b"\n"):
        return False  # torn mid-line: the run stopped while writing
    last = tail[:-1].rsplit(b"\n", 1)[-1]
    try:
        kind = _LAST_LINE.decode(last).kind
    except msgspec.DecodeError:
        return False
    return kind in ("seal", "drill_ended")


def _journals() -> list[Path]:
    folder = data_dir() / "runs"
    return sorted(folder.glob(JOURNAL_GLOB)) if folder.is_dir() else []


# ------------------------------------------------------------------ paths kept
def stored_path(journal: Path) -> str:
    """How a row names its journal: relative to the runs folder when inside it, so the data
    folder can move."""
    absolute = journal.absolute()
    try:
        return str(absolute.relative_to((data_dir() / "runs").absolute()))
    except ValueError:
        return str(absolute)


def journal_of(record: RunRecord) -> Path:
    """The journal file a row names."""
    path = Path(record.journal)
    return path if path.is_absolute() else data_dir() / "runs" / path


def current_status(record: RunRecord) -> Status:
    """A row's status now: a run kept as running whose process no longer holds its lock was
    interrupted (a crash, a kill, a closed terminal)."""
    if record.status == "running" and not is_locked(journal_of(record)):
        return "interrupted"
    return record.status


# ------------------------------------------------------------------ indexing
def started_record(header: Header, journal: Path) -> RunRecord:
    """The row of a run that has just started: running, not yet scored."""
    return RunRecord(
        id=header.run_id,
        scenario=header.scenario.id,
        scenario_version=header.scenario.version,
        scenario_sha256=header.scenario.sha256,
        team=header.team or "",
        seed=header.seed,
        kind=header.kind or "played",
        official=header.official,
        started_at=header.started_at,
        ended_at=None,
        status="running",
        overall=None,
        cadence=None,
        plan_b=None,
        restraint=None,
        rating=None,
        played_scoring=header.versions.scoring,
        scoring_version=None,
        seal=None,
        journal=stored_path(journal),
        journal_sha256="",
    )


def index_journal(database: Database, journal: Path, *, running: bool | None = None) -> RunRecord:
    """Read, replay and score the run in ``journal``, and keep its row (with the baseline
    bots' scores on its seed). ``running``: whether its process is still playing it (None:
    ask its lock). StoreError when the journal cannot be used."""
    record = record_of(database, journal, running=running)
    database.put(record)
    return record


def score_journal(journal: Path) -> tuple[RecordedRun, ScoreCard]:
    """The run in ``journal`` read, replayed and scored with the current scoring (a run that
    stopped early up to where it stopped; an edited one marked so by its seal). StoreError
    says why a journal cannot be used."""
    from drillsim.recorded import RunRefused, open_run
    from scoring import score_run
    from scoring.timeline import JournalMismatch

    try:
        recorded = open_run(journal, partial=True, accept_edited=True)
    except RunRefused as error:
        raise StoreError(str(error), error.exit_code) from None
    opened = recorded.journal
    try:
        card = score_run(recorded.scenario, opened.events, opened.clock_until)
    except JournalMismatch as error:
        raise StoreError(f"{journal}: the events do not fit the scenario ({error})") from None
    return recorded, card


def record_of(database: Database, journal: Path, *, running: bool | None = None) -> RunRecord:
    """The row ``journal`` makes (scored with the current scoring), not yet kept."""
    from drillsim.store.baselines import baseline_scores
    from scoring import __version__ as scoring_version

    if running is None:
        running = is_locked(journal)
    try:
        content = journal.read_bytes()
    except OSError as error:
        raise StoreError(f"{journal}: cannot be read ({error.strerror})", 2) from None
    sha256 = hashlib.sha256(content).hexdigest()
    if running:
        header = _header_of(journal)
        return replace(started_record(header, journal), journal_sha256=sha256)
    recorded, card = score_journal(journal)
    opened = recorded.journal
    header = opened.header
    if header.kind == "simulated":
        raise StoreError(
            f"{journal}: a simulated run (the {header.policy} bot's); the history keeps played "
            "and saved runs only"
        )
    status: Status = (
        ("partial" if card.partial else "finished") if opened.finished else "interrupted"
    )
    # Played now, on the run's own seed, so its skill score is there when it is compared.
    baseline_scores(database, recorded.scenario, recorded.sha256, header.seed)
    last = opened.events[-1] if opened.events else None
    return replace(
        started_record(header, journal),
        ended_at=getattr(last, "wall", None) if opened.finished else None,
        status=status,
        overall=card.overall,
        cadence=card.cadence,
        plan_b=card.plan_b,
        restraint=card.restraint,
        rating=card.rating,
        scoring_version=scoring_version,
        seal=opened.seal,
        journal_sha256=sha256,
    )


def _header_of(journal: Path) -> Header:
    """The header of a journal still being written (what follows it may be cut mid-line)."""
    from drillsim.journal import JournalError, read_journal

    try:
        return read_journal(journal, partial=True).header
    except JournalError as error:
        raise StoreError(str(error), 2 if error.line == 0 else 1) from None


@dataclass
class Rebuilt:
    """What a rebuild of the history found."""

    indexed: int = 0
    skipped: list[str] = field(default_factory=list)
    """One line per journal that could not be indexed, saying why."""
    kept_aside: Path | None = None
    """Where the database it replaced now is."""


def rebuild() -> Rebuilt:
    """Remake the history from the journals in the runs folder. The old database (damaged or
    not) is kept aside as ``history.sqlite3.before-reindex``; the journals are only read."""
    path = history_file()
    result = Rebuilt()
    if path.exists():
        aside = path.with_name(path.name + ".before-reindex")
        try:
            for suffix in ("", "-wal", "-shm"):
                old = Path(f"{path}{suffix}")
                if old.exists():
                    os.replace(old, Path(f"{aside}{suffix}"))
        except OSError as error:
            raise StoreError(
                f"cannot move the old run history {path} aside ({error.strerror}); make its "
                "folder writable",
                2,
            ) from None
        result.kept_aside = aside
    with Database(path) as database:
        result.indexed, result.skipped = _index_folder(database, _journals())
    return result


def _index_folder(database: Database, journals: list[Path]) -> tuple[int, list[str]]:
    """Index every journal; one that cannot be used is skipped with a line saying why."""
    records: list[RunRecord] = []
    skipped: list[str] = []
    for journal in journals:
        try:
            records.append(record_of(database, journal))
        except StoreError as error:
            skipped.append(error.message)
    if records:
        database.put(*records)
    return len(records), skipped
