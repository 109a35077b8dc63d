"""Scenario format: model, safe loading, validation and JSON Schema."""
