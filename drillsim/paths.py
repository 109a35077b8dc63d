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
    """:func:`data_dir` as text, found without pathlib or platformdirs (about 16 ms of
    imports) where ``$DRILLSIM_HOME`` names it or on a plain Linux setup (the scenario cache
    is read on the way to ``drillsim validate``'s verdict and to the briefing)."""
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return os.path.expanduser(override)
    return _plain_linux_data_dir() or os.fspath(data_dir())


def _plain_linux_data_dir() -> str | None:
    """The data folder on Linux where platformdirs and the old default agree by construction:
    ``$XDG_DATA_HOME/drillsim`` when it is an absolute path, else ``$HOME/.local/share/drillsim``
    with an absolute ``$HOME`` (tests/test_paths.py holds it to :func:`data_dir`). None
    anywhere else (Android, a relative ``$XDG_DATA_HOME`` or ``$HOME``, other systems)."""
    import sys

    if sys.platform != "linux" or hasattr(sys, "getandroidapilevel"):
        return None
    if os.environ.get("ANDROID_DATA") == "/data" and os.environ.get("ANDROID_ROOT") == "/system":
        return None
    xdg = os.environ.get("XDG_DATA_HOME", "")
    home = os.environ.get("HOME", "")
    if xdg:
        found = os.path.join(xdg, APP_NAME) if os.path.isabs(xdg) else None
    else:
        found = os.path.join(home, ".local", "share", APP_NAME) if os.path.isabs(home) else None
    # Only a path written plainly (no "..", ".", "//" or trailing "/"), as pathlib writes it.
    return found if found is not None and os.path.normpath(found) == found else None


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
