"""Where drillsim keeps its files: one seam, so tests and ``--data-dir`` can point it elsewhere.

The data folder is, in order: ``$DRILLSIM_HOME`` (``--data-dir`` sets it for the process and
the processes it starts); a folder at the old default (``$XDG_DATA_HOME/drillsim``, else
``~/.local/share/drillsim``) that already exists, so no run is lost on an upgrade that moved
the default; else the platform's user data folder (``platformdirs``). Nothing is created at
import time; folders are made when something is written.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

HOME_VARIABLE = "DRILLSIM_HOME"
APP_NAME = "drillsim"


def use_data_dir(folder: str | os.PathLike[str]) -> None:
    """Keep every file of this process, and of the processes it starts, in ``folder``."""
    from pathlib import Path

    os.environ[HOME_VARIABLE] = os.fspath(Path(folder).expanduser().absolute())


def data_dir() -> Path:
    """The data folder (see the module docstring for the order it is chosen in)."""
    from pathlib import Path

    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override).expanduser()
    legacy = legacy_data_dir()
    platform = platform_data_dir()
    if legacy != platform and legacy.is_dir() and not platform.exists():
        return legacy
    return platform


def platform_data_dir() -> Path:
    """The platform's user data folder for drillsim (``~/.local/share/drillsim`` on Linux,
    ``~/Library/Application Support/drillsim`` on macOS, ``%LOCALAPPDATA%\\drillsim`` on
    Windows)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def legacy_data_dir() -> Path:
    """Where drillsim kept its files before it followed the platform's conventions."""
    from pathlib import Path

    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / APP_NAME


def data_dir_text() -> str:
    """:func:`data_dir` as text, found without pathlib where ``$DRILLSIM_HOME`` names it (the
    scenario cache is read on the way to ``drillsim validate``'s verdict)."""
    override = os.environ.get(HOME_VARIABLE)
    return os.path.expanduser(override) if override else os.fspath(data_dir())


def runs_path() -> Path:
    """Folder of played and saved runs' journals (not made here: see :func:`runs_dir`)."""
    return data_dir() / "runs"


def runs_dir() -> Path:
    """Folder of played and saved runs' journals (created on first use)."""
    folder = runs_path()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def history_file() -> Path:
    """The run history's SQLite database (an index: the journals stay the truth)."""
    return data_dir() / "history.sqlite3"


def settings_file() -> Path:
    """The facilitator's settings: ``$DRILLSIM_HOME/settings.toml``, else ``settings.toml`` in
    the platform's config folder (``~/.config/drillsim`` on Linux). Read only; never created."""
    from pathlib import Path

    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override).expanduser() / "settings.toml"
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "settings.toml"
