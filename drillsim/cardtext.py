"""Plain-text rendering of score cards and simulation summaries for the command line."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from drillsim.durations import format_minute
from drillsim.journal import SEAL_MEANINGS, SealStatus
from scoring.card import Luck, ScoreCard, rating_words

if TYPE_CHECKING:
    from drillsim.journal import Header
    from drillsim.recorded import RecordedRun

DIMENSION_LABELS = {"cadence": "Cadence", "plan_b": "Plan B", "restraint": "Restraint"}


def overall_text(overall: float | None, status: str) -> str:
    """A run's overall score as lists of runs show it: "(100.0)" for a partial run, scored on
    what was played but not rated (ended at T+0:03, nothing was owed yet: a bare 100.0 read
    as a perfect run); "-" for none."""
    if overall is None:
        return "-"
    return f"({overall:.1f})" if status == "partial" else f"{overall:.1f}"


def bar(score: float, width: int = 20) -> str:
    filled = round(width * max(0.0, min(100.0, score)) / 100)
    return "█" * filled + "░" * (width - filled)


def card_text(card: ScoreCard, *, title: str = "", deductions: int = 8) -> str:
    lines = []
    if title:
        lines.append(title)
    rating = (
        f"{card.rating} — {rating_words(card.rating)}"
        if card.rating is not None and not card.partial
        else "not rated"
    )
    lines.append(f"Overall {card.overall:5.1f}  {rating}")
    if card.partial:
        lines.append(
            f"  Partial run: stopped at {format_minute(card.ended_at)}"
            f"{', outage still on' if not card.resolved_in_play else ''}; "
            "scores cover only what happened by then"
        )
    for key, label in DIMENSION_LABELS.items():
        score = getattr(card, key)
        if score is None:
            lines.append(f"  {label:<10} n/a   (no plan-B decision was opened)")
        else:
            lines.append(f"  {label:<10} {score:5.1f} {bar(score)}")
    top = card.top_deductions(deductions)
    if top:
        lines.append("Where the points went (out of each dimension's 100)")
        lines.extend(
            f"  -{d.points:4.1f} {DIMENSION_LABELS[d.dimension]:<9} {d.reason}" for d in top
        )
        hidden = len(card.deductions) - len(top)
        if hidden > 0:
            lines.append(
                f"  ... and {hidden} smaller deduction{'s' if hidden > 1 else ''} (--json for all)"
            )
    luck = card.luck
    if card.partial and card.decisions:
        lines.append("Luck (not scored): not shown, the run stopped before the outage ended")
    elif luck.expected_loss or luck.realised_loss:
        lines.append(f"Luck (not scored): your plan-B course was {luck_figures(luck)}")
    return "\n".join(lines)


def luck_gap(luck: Luck) -> int:
    """Expected minus realised loss as the luck line writes them (whole units): positive
    when the outcome was better than expected, 0 when it came out as expected."""
    return round(luck.expected_loss) - round(luck.realised_loss)


def luck_figures(luck: Luck, unit: str | None = None) -> str:
    """ "expected to cost 613 sign-ups; it cost 624, 11 worse than expected": the difference
    is the one between the figures as written, so it always adds up (``unit``: the unit as
    the caller writes it, the card's by default)."""
    expected, realised = round(luck.expected_loss), round(luck.realised_loss)
    written = luck.unit if unit is None else unit
    gap = luck_gap(luck)
    verdict = (
        "as expected"
        if gap == 0
        else f"{abs(gap)} {'better' if gap > 0 else 'worse'} than expected"
    )
    return f"expected to cost {expected} {written}; it cost {realised}, {verdict}"


SEAL_TEXT: dict[SealStatus | None, str] = {
    **{
        seal: f"Journal: {seal.upper() if seal == 'edited' else seal} — {meaning}."
        for seal, meaning in SEAL_MEANINGS.items()
    },
    None: "Journal: not saved (--save keeps the run, sealed).",
}
"""What the last line of a printed card says about the run's journal, by its seal."""


def run_report(card: ScoreCard, header: Header, seal: SealStatus | None, *, as_json: bool) -> str:
    """A scored run as ``drillsim score`` and ``drillsim run`` print it: the card with a title
    and the journal's seal, or the card's JSON with a ``"seal"`` key (None: no journal)."""
    if as_json:
        import json

        return json.dumps({**card.as_dict(), "seal": seal})
    scenario = header.scenario
    title = f"{scenario.id} {scenario.version} · seed {header.seed} · {header.who}"
    return f"{card_text(card, title=title)}\n{SEAL_TEXT[seal]}"


def past_run_text(recorded: RecordedRun, card: ScoreCard, status: str | None) -> str:
    """A kept run's debrief as ``drillsim show`` prints it: who played it, when, practice or
    official, its status, the journal's warnings, then the card as :func:`run_report` has it."""
    header = recorded.journal.header
    mode = "official" if header.official else "practice"
    started = (header.started_at or "time not recorded").replace("T", " ")
    lines = [
        f"Run {header.run_id} · {header.kind or 'played'} · {mode} · started {started}"
        + (f" · {status}" if status else "")
    ]
    lines.extend(f"  warning: {warning}" for warning in recorded.warnings)
    lines.append(run_report(card, header, recorded.seal, as_json=False))
    return "\n".join(lines)


def summary_text(summary: dict[str, Any], seeds: range) -> str:
    first, last = seeds.start, seeds.stop - 1
    lines = [f"{summary['scenario']} · {summary['seeds']} seeds ({first}-{last})"]
    header = f"{'policy':<9}" + "".join(
        f"{name:>20}" for name in ("overall", "cadence", "plan_b", "restraint")
    )
    lines.append(header)
    for policy, row in summary["policies"].items():
        cells = []
        for name in ("overall", "cadence", "plan_b", "restraint"):
            stats = row[name]
            cells.append(
                f"{'n/a':>20}"
                if stats is None
                # The range in whole points, rounded outwards: it holds the median as shown
                # (99.9 with a range read "100-100" once; now "99-100").
                else f"{stats['median']:>7.1f} ({math.floor(round(stats['p10'], 1)):>4d}-"
                f"{math.ceil(round(stats['p90'], 1)):>3d})".rjust(20)
            )
        lines.append(f"{policy:<9}" + "".join(cells))
    lines.append("medians, with the 10th-90th percentile range in brackets")
    return "\n".join(lines)
