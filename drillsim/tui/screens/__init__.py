"""The screens of the drill: picker, briefing, live drill, debrief, and their dialogs."""
