"""The benchmark figures, gathered from one module per area."""

from __future__ import annotations


def all_figures() -> list:
    import history_figures
    import scoring_figures
    import simulate_figures
    import tui_figures
    import validate_figures

    return [
        *validate_figures.figures(),
        *scoring_figures.figures(),
        *tui_figures.figures(),
        *simulate_figures.figures(),
        *history_figures.figures(),
    ]
