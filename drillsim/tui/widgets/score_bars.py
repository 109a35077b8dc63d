"""The three dimension scores as bars, with the overall score and rating above them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Digits, Static

from drillsim.durations import format_minute
from scoring.card import RATINGS, ScoreCard, rating_words

BAR_WIDTH = 30
LABELS = (("cadence", "Cadence"), ("plan_b", "Plan B"), ("restraint", "Restraint"))
SCALE = "rating: " + " · ".join(
    f"{letter} {floor:.0f}+" if floor else f"{letter} under {RATINGS[index - 1][0]:.0f}"
    for index, (floor, letter, _) in enumerate(RATINGS)
)
"""The rating letters and their floors: "rating: P 85+ · S 70+ · M 50+ · U under 50"."""


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
    ScoreBars.-partial #rating { padding-top: 0; }
    ScoreBars #bars { height: auto; margin-top: 1; }
    """

    def __init__(self, card: ScoreCard, **kwargs) -> None:
        super().__init__(**kwargs)
        self.card = card
        self.set_class(card.partial, "-partial")

    def compose(self) -> ComposeResult:
        card = self.card
        with Horizontal(id="headline"):
            if card.partial:
                # A run cut short is not rated: no big number that reads as a result.
                yield Static(
                    Content.assemble(
                        (" NOT RATED ", "bold reverse $warning"),
                        (f"  the drill ended at {format_minute(card.ended_at)}", "bold"),
                        " while the outage was still on.\n",
                        (
                            f"Score so far {card.overall:.0f}/100: it counts only what "
                            "happened before the end, so it is no verdict on the incident.",
                            "italic",
                        ),
                    ),
                    id="rating",
                )
            else:
                yield Digits(f"{card.overall:.0f}", id="overall")
                yield Static(
                    Content.assemble(
                        (f"Overall score: {card.overall:.0f}/100\n", "bold"),
                        (card.rating or "", "bold"),
                        f" — {rating_words(card.rating or '')}\n",
                        (SCALE, "dim"),
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
