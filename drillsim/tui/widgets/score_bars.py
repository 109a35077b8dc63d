"""The three dimension scores as bars, with the overall score and rating above them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Digits, Static

from scoring.card import ScoreCard, rating_words

BAR_WIDTH = 30
LABELS = (("cadence", "Cadence"), ("plan_b", "Plan B"), ("restraint", "Restraint"))


def bar(score: float, width: int = BAR_WIDTH) -> Content:
    filled = round(width * max(0.0, min(100.0, score)) / 100)
    colour = "$success" if score >= 85 else "$warning" if score >= 50 else "$error"
    return Content.assemble(("█" * filled, colour), ("░" * (width - filled), "dim"))


class ScoreBars(Vertical):
    """The overall score in big digits with its rating, and a bar per dimension."""

    DEFAULT_CSS = """
    ScoreBars { height: auto; padding: 0 1; }
    ScoreBars #headline { height: auto; }
    ScoreBars Digits { width: auto; margin-right: 2; }
    ScoreBars #rating { width: 1fr; padding-top: 1; }
    ScoreBars #bars { height: auto; margin-top: 1; }
    """

    def __init__(self, card: ScoreCard, **kwargs) -> None:
        super().__init__(**kwargs)
        self.card = card

    def compose(self) -> ComposeResult:
        card = self.card
        with Horizontal(id="headline"):
            yield Digits(f"{card.overall:.0f}", id="overall")
            yield Static(
                Content.assemble(
                    (f"Overall score: {card.overall:.0f}/100\n", "bold"),
                    (f"{card.rating}", "bold"),
                    f" — {rating_words(card.rating)}",
                    (
                        "\npartial run: ended while the outage was on" if card.partial else "",
                        "italic",
                    ),
                ),
                id="rating",
            )
        lines = []
        for key, label in LABELS:
            score = getattr(card, key)
            if score is None:
                lines.append(
                    Content.assemble(
                        (f"{label:<10}", "bold"), ("  n/a (no plan-B decision opened)", "dim")
                    )
                )
            else:
                lines.append(
                    Content.assemble((f"{label:<10}", "bold"), f"{score:5.0f}  ", bar(score))
                )
        yield Static(Content("\n").join(lines), id="bars")
