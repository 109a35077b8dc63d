"""The bundled scenario library and how a scenario name or path is resolved."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SCENARIO = "map-outage-mid-send"


def bundled_dir() -> Path:
    """Folder of bundled scenarios: inside the wheel, or the repository in an editable install."""
    packaged = Path(__file__).resolve().parent / "_scenarios"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "scenarios"


def bundled_paths() -> list[Path]:
    """Bundled scenario files, the default first, then by name."""
    paths = sorted(bundled_dir().glob("*.yaml"))
    return sorted(paths, key=lambda path: (path.stem != DEFAULT_SCENARIO, path.stem))


class UnknownScenario(LookupError):
    """Neither a file nor a bundled scenario id."""


def resolve(name: str | os.PathLike[str] | None) -> Path:
    """A scenario file from a path, a bundled id (``map-outage-mid-send``), or the default."""
    if name is None:
        name = DEFAULT_SCENARIO
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists() or os.sep in str(name):
        return path
    candidate = bundled_dir() / f"{name}.yaml"
    if candidate.is_file():
        return candidate
    from difflib import get_close_matches

    stems = [p.stem for p in bundled_paths()]
    close = get_close_matches(str(name), stems, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise UnknownScenario(
        f"no scenario {str(name)!r}: {hint}pass a .yaml file or one of: {', '.join(stems)}"
    )


@dataclass(frozen=True, slots=True)
class Entry:
    """A library scenario as the picker shows it."""

    path: Path
    id: str
    title: str
    summary: str
    length: float
    difficulty: str
    tags: tuple[str, ...]
    variables: dict[str, object]


def entries() -> list[Entry]:
    """Every valid bundled scenario, default first."""
    from drillsim.scenario.loader import check_file

    found = []
    for path in bundled_paths():
        checked = check_file(path)
        if checked.ok and checked.scenario is not None:
            s = checked.scenario
            found.append(
                Entry(
                    path,
                    s.id,
                    s.title,
                    s.summary,
                    float(s.length),
                    s.difficulty,
                    s.tags,
                    dict(s.variables),
                )
            )
    return found
