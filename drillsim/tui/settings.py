"""The facilitator's settings, from a small TOML file in the platform's config folder.

```toml
# ~/.config/drillsim/settings.toml
pause_in_dialogs = true        # the exercise clock shows "paused" while a dialog is open
pause_on_decision = false      # pause the clock when a plan-B decision opens
```

Settings that change how a run plays are written into its journal as pauses when they act.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Settings:
    pause_in_dialogs: bool = True
    """True: the clock pauses while a dialog is open. False: it runs, countdowns and all."""
    pause_on_decision: bool = False
    """True: the clock pauses when a plan-B decision opens, until the facilitator resumes."""

    @classmethod
    def load(cls, path: Path | None = None) -> tuple[Settings, str | None]:
        """The settings in ``path`` (default: the platform's config file), and a problem
        with the file if there is one (then the defaults stand for what could not be read)."""
        from drillsim.paths import settings_file

        path = path or settings_file()
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(), None  # the usual case: no file, no TOML parser to load
        except (OSError, UnicodeDecodeError) as error:
            return cls(), f"{path}: not read ({error}); using the default settings"
        import tomllib

        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            return cls(), f"{path}: not read ({error}); using the default settings"
        known = {field.name for field in fields(cls)}
        values = {}
        problems = []
        for key, value in raw.items():
            if key not in known:
                problems.append(f"unknown setting {key!r} (known: {', '.join(sorted(known))})")
            elif not isinstance(value, bool):
                problems.append(f"{key} must be true or false, not {value!r}")
            else:
                values[key] = value
        return cls(**values), (f"{path}: " + "; ".join(problems)) if problems else None
