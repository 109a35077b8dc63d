"""Widgets of the drill screens, one per file, each with its own styles."""
