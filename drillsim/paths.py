"""Where drillsim keeps its files: one seam, so tests can point it at a temporary folder.

Nothing is created at import time; folders are made when something is written.
"""

from __future__ import annotations

import os
from pathlib import Path

HOME_VARIABLE = "DRILLSIM_HOME"


def data_dir() -> Path:
    """``$DRILLSIM_HOME``, else ``$XDG_DATA_HOME/drillsim``, else ``~/.local/share/drillsim``."""
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "drillsim"


def runs_dir() -> Path:
    """Folder of played runs' journals (created on first use)."""
    folder = data_dir() / "runs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def settings_file() -> Path:
    """The facilitator's settings: ``$DRILLSIM_HOME/settings.toml``, else ``settings.toml`` in
    the platform's config folder (``~/.config/drillsim`` on Linux). Read only; never created."""
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override).expanduser() / "settings.toml"
    from platformdirs import user_config_path

    return user_config_path("drillsim") / "settings.toml"
