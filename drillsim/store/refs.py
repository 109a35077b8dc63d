"""RUN, wherever a command takes one: a full id, a unique prefix of one, a journal path, or
``latest`` (the run started last)."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from drillsim.store import StoreError
from drillsim.store.database import Database, RunRecord
from drillsim.store.runs import journal_of

LATEST = "latest"
RUN_HELP = "a run id, a unique prefix of one, a journal path, or 'latest'"
"""How a command's --help describes a RUN argument."""


@dataclass(frozen=True, slots=True)
class ResolvedRun:
    """The run a reference names: its journal, and its row when the history has it."""

    journal: Path
    record: RunRecord | None


def resolve_run(reference: str, database: Database) -> ResolvedRun:
    """The run ``reference`` names; StoreError "no run X; did you mean Y" (exit 1) when none
    does, or when a prefix fits several."""
    if reference == LATEST:
        latest = database.latest()
        if latest is None:
            raise StoreError(
                "no runs yet; play one (drillsim play) or save one (drillsim run --save)"
            )
        return ResolvedRun(journal_of(latest), latest)
    if _looks_like_a_path(reference):
        return _by_path(Path(reference), database)
    record = database.get(reference)
    if record is not None:
        return ResolvedRun(journal_of(record), record)
    matches = database.ids(reference)
    if len(matches) == 1:
        record = database.get(matches[0])
        assert record is not None  # listed in the same database a moment ago
        return ResolvedRun(journal_of(record), record)
    if matches:
        shown = ", ".join(matches[:3]) + (
            f" and {len(matches) - 3} more" if len(matches) > 3 else ""
        )
        raise StoreError(
            f"{reference!r} is the start of {len(matches)} run ids ({shown}); give more of the id"
        )
    raise StoreError(_unknown(reference, database))


def _looks_like_a_path(reference: str) -> bool:
    return (
        os.sep in reference
        or (os.altsep is not None and os.altsep in reference)
        or reference.endswith(".jsonl")
        or Path(reference).is_file()
    )


def _by_path(path: Path, database: Database) -> ResolvedRun:
    if not path.is_file():
        raise StoreError(f"no run {str(path)!r}: no such file; check the path", 2)
    run_id = _run_id(path)
    record = database.get(run_id) if run_id else None
    if record is not None and not _same_file(journal_of(record), path):
        record = None  # a copy elsewhere: what it holds is not known to be what was indexed
    return ResolvedRun(path, record)


def _run_id(path: Path) -> str | None:
    """The run id in a journal's header line, if it has a readable one."""
    import msgspec

    try:
        with path.open("rb") as handle:
            first = handle.readline(1024 * 1024)
        header = msgspec.json.decode(first.removeprefix(b"\xef\xbb\xbf"))
    except (OSError, msgspec.DecodeError):
        return None
    run_id = header.get("run_id") if isinstance(header, dict) else None
    return run_id if isinstance(run_id, str) else None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _unknown(reference: str, database: Database) -> str:
    # Each id cut to the reference's length, so a mistyped prefix finds its id too.
    starts: dict[str, str] = {}
    for run_id in database.ids():
        starts.setdefault(run_id[: len(reference)], run_id)
    close = difflib.get_close_matches(reference, [*starts, LATEST], n=1, cutoff=0.6)
    if close:
        return f"no run {reference!r}; did you mean {starts.get(close[0], close[0])!r}?"
    return f"no run {reference!r}; `drillsim runs` lists the runs kept, newest first"
