"""drillsim: a terminal crisis-drill game for rehearsing the day a critical system fails."""

__version__ = "0.1.0"
