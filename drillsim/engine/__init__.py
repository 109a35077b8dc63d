"""The drill engine: a pure, deterministic exercise driven by an injected clock."""

ENGINE_VERSION = 1
"""Bumped when the same scenario, seed and inputs would give other events: a journal written
by another engine version is scored as recorded, and not replayed."""
