"""``drillsim import``: copy journals from another machine, a shared folder or a git
repository into the runs folder, and index them."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from drillsim.commands import EXIT_INVALID, EXIT_OK, EXIT_USAGE, CommandError

if TYPE_CHECKING:
    from drillsim.store.database import Database

EPILOG = """\
examples:
  drillsim import ~/Downloads/20261002T090001123Z-8f3a2c1d-map-outage-mid-send-4711.jsonl
  drillsim import /mnt/shared/drills/        every .jsonl journal in the folder and below
  drillsim import drills-repo/runs/*.jsonl   journals kept in a git repository

A run already kept with the same id and the same content is skipped; one kept with the
same id but other content is reported and not imported (exit 1). A journal that cannot be
read (not a journal, cut short, from a newer drillsim) is reported and not imported."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Copy run journals into this data folder's runs folder and index them in the\n"
        "history. Runs sealed on another installation read as intact (their chain is\n"
        "checked; the seal is that installation's)."
    )
    parser.epilog = EPILOG
    parser.add_argument("paths", nargs="+", metavar="PATH", help="journal files or folders")


def run(args: argparse.Namespace) -> int:
    from drillsim.store.runs import check_room, open_history

    journals = _journals(args.paths)
    folder = check_room()
    counts = {"imported": 0, "skipped": 0, "refused": 0}
    with open_history() as history:
        for journal in journals:
            outcome, message = _import(history, journal, folder)
            counts[outcome] += 1
            print(
                f"drillsim import: {message}",
                file=sys.stderr if outcome == "refused" else sys.stdout,
            )
    print(
        f"{counts['imported']} imported, {counts['skipped']} already kept, "
        f"{counts['refused']} not imported"
    )
    return EXIT_INVALID if counts["refused"] else EXIT_OK


def _journals(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(sorted(path.rglob("*.jsonl")))
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"{name}: no such file or folder; check the path", EXIT_USAGE)
    if not found:
        raise CommandError(
            f"no .jsonl journals in {', '.join(paths)}; pass journal files or folders holding them",
            EXIT_USAGE,
        )
    return found


def _import(history: Database, journal: Path, folder: Path) -> tuple[str, str]:
    """Import one journal: (outcome, what to say about it)."""
    import hashlib
    from dataclasses import replace

    from drillsim.store import StoreError
    from drillsim.store.runs import journal_of, record_of, stored_path

    try:
        content = journal.read_bytes()
        candidate = record_of(history, journal, running=False)
    except OSError as error:
        return "refused", f"{journal}: cannot be read ({error.strerror})"
    except StoreError as error:
        return "refused", error.message
    kept = history.get(candidate.id)
    if kept is not None:
        kept_path = journal_of(kept)
        try:
            kept_content = kept_path.read_bytes()
        except OSError:
            kept_content = None
        if (
            kept_content is not None
            and hashlib.sha256(kept_content).digest() == hashlib.sha256(content).digest()
        ):
            return "skipped", f"{journal}: run {candidate.id} is already kept ({kept_path})"
        if kept_content is not None:
            return (
                "refused",
                f"{journal}: run {candidate.id} is already kept with other content "
                f"({kept_path}); not imported: compare the two files, and keep the right one",
            )
    target = folder / journal.name
    if target.exists():
        target = folder / f"{candidate.id}.jsonl"
    try:
        if target.exists():
            raise FileExistsError(target)
        shutil.copyfile(journal, target)
    except OSError as error:
        return "refused", f"{journal}: cannot copy to {target} ({error})"
    try:
        history.put(replace(candidate, journal=stored_path(target)))
    except StoreError:
        target.unlink(missing_ok=True)
        raise
    return "imported", f"{journal}: run {candidate.id} imported as {target}"
