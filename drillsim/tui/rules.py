"""The rules of the game, as the briefing and the help screen state them (no screen needed
to read them: the briefing shows them on the way to its first frame)."""

GAME_RULES = (
    "Facts reach you only through the feed; the update composer offers only what you were told.",
    "Every update: what we know, what we don't know yet, and when the next update comes. "
    "Keep that promise.",
    "Updates with nothing in them, or repeated too soon, count as noise.",
    "Plan B is judged on what you knew when you chose, never on how long the outage lasted.",
    "Tempting actions are recorded. Each is right only when the real impact calls for it.",
    "Ctrl+P opens the command palette with every action; F5 pauses the clock from anywhere.",
)
