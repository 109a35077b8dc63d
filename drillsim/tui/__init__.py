"""The Textual terminal UI: scenario picker, briefing, live drill, debrief."""
