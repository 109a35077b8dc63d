"""The drill engine: a pure, deterministic exercise driven by an injected clock."""
