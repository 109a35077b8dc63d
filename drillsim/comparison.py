"""Kept runs compared: two runs side by side, and a team's trend over its official runs,
each built once as JSON-ready data and shown from it as text (the command line and a screen
show the same figures). No UI here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drillsim.store import StoreError

if TYPE_CHECKING:
    from drillsim.recorded import RecordedRun
    from drillsim.store.database import Database, RunRecord
    from scoring.card import ScoreCard

DIMENSIONS = ("overall", "cadence", "plan_b", "restraint")
LABELS = {"overall": "Overall", "cadence": "Cadence", "plan_b": "Plan B", "restraint": "Restraint"}
NO_SIGNIFICANCE = (
    "Two runs show a difference, not whether it would hold up: compare a team's official "
    "runs over time with drillsim compare --team T --scenario S."
)
_BLOCKS = "▁▂▃▄▅▆▇█"


# ------------------------------------------------------------------ two runs
def compare_runs(history: Database, first: str, second: str) -> dict[str, Any]:
    """Two runs (RUN references) scored with the current scoring, side by side: dimensions,
    skill, audiences and decisions with B - A, and warnings when the comparison is shaky."""
    from scoring.compare import audience_deltas, decision_pairs, dimension_deltas

    a, recorded_a, card_a = _side(history, first)
    b, recorded_b, card_b = _side(history, second)
    return {
        "a": a,
        "b": b,
        "dimensions": {d.name: _delta(d.a, d.b) for d in dimension_deltas(card_a, card_b)},
        "skill": {name: _delta(a["skill"][name], b["skill"][name]) for name in DIMENSIONS},
        "audiences": [
            {"audience": d.name, **_delta(d.a, d.b)} for d in audience_deltas(card_a, card_b)
        ],
        "decisions": [
            {
                "decision": p.decision,
                "a_option": p.a_option,
                "b_option": p.b_option,
                "a_regret": p.a_regret,
                "b_regret": p.b_regret,
                "regret_delta": p.regret_delta,
            }
            for p in decision_pairs(card_a, card_b)
        ],
        "warnings": _warnings(recorded_a, card_a, recorded_b, card_b),
    }


def _side(history: Database, reference: str) -> tuple[dict[str, Any], RecordedRun, ScoreCard]:
    """One run of a pair: its figures (JSON-ready), its journal as read, its card now."""
    from drillsim.store.baselines import baseline_scores, skill
    from drillsim.store.refs import resolve_run
    from drillsim.store.runs import score_journal

    found = resolve_run(reference, history)
    recorded, card = score_journal(found.journal)
    header = recorded.journal.header
    bots = baseline_scores(history, recorded.scenario, recorded.sha256, header.seed)
    figures = {
        "id": header.run_id,
        "scenario": header.scenario.id,
        "scenario_version": header.scenario.version,
        "scenario_sha256": header.scenario.sha256,
        "played_scoring": header.versions.scoring,
        "team": header.team,
        "seed": header.seed,
        "official": header.official,
        "started_at": header.started_at,
        "seal": recorded.seal,
        "partial": card.partial,
        "rating": card.rating,
        "journal": str(found.journal),
        "skill": {name: skill(getattr(card, name), bots, name) for name in DIMENSIONS},
        "baselines": {
            policy: {name: getattr(scores, name) for name in DIMENSIONS}
            for policy, scores in bots.items()
        },
    }
    return figures, recorded, card


def _warnings(a: RecordedRun, card_a: ScoreCard, b: RecordedRun, card_b: ScoreCard) -> list[str]:
    from scoring import __version__ as scoring_version
    from scoring.compare import scenario_changes

    warnings = []
    header_a, header_b = a.journal.header, b.journal.header
    ref_a, ref_b = header_a.scenario, header_b.scenario
    if ref_a.id != ref_b.id:
        warnings.append(
            f"different scenarios ({ref_a.id} and {ref_b.id}): the scores measure different drills"
        )
    elif ref_a.sha256 != ref_b.sha256:
        changes = scenario_changes(a.scenario, b.scenario)
        what = "; ".join(changes) if changes else "wording only, nothing that moves scores"
        warnings.append(
            f"played on different texts of {ref_a.id} ({ref_a.version}, sha256 "
            f"{ref_a.sha256[:12]} and {ref_b.version}, sha256 {ref_b.sha256[:12]}): {what}"
        )
    played_a, played_b = header_a.versions.scoring, header_b.versions.scoring
    if played_a != played_b:
        warnings.append(
            f"played under different scoring versions ({played_a or 'unknown'} and "
            f"{played_b or 'unknown'}); both are scored here with scoring {scoring_version}"
        )
    for recorded, card, letter in ((a, card_a, "A"), (b, card_b, "B")):
        if recorded.seal == "edited":
            warnings.append(f"run {letter}'s journal was edited after it was written")
        if card.partial:
            warnings.append(f"run {letter} stopped early: its scores cover only what was played")
    return warnings


def comparison_text(data: dict[str, Any]) -> str:
    """:func:`compare_runs` as the command line prints it."""
    a, b = data["a"], data["b"]
    lines = [f"A  {_title(a)}", f"B  {_title(b)}"]
    lines.extend(f"warning: {warning}" for warning in data["warnings"])
    lines.append(f"\n{'':<22}{'A':>9}{'B':>9}{'B - A':>9}")
    lines.extend(_row(LABELS[name], d["a"], d["b"]) for name, d in data["dimensions"].items())
    lines.append(f"  {'Rating':<20}{a['rating'] or '-':>9}{b['rating'] or '-':>9}")
    lines.append(
        "\nSkill on each run's own seed, (team - random) / (oracle - random)"
        f"\n{'':<22}{'A':>9}{'B':>9}{'B - A':>9}"
    )
    lines.extend(_row(LABELS[name], d["a"], d["b"], digits=2) for name, d in data["skill"].items())
    for side, letter in ((a, "A"), (b, "B")):
        bots = side["baselines"]
        lines.append(
            f"  {letter}: random {_num(bots.get('random', {}).get('overall'))}, oracle "
            f"{_num(bots.get('oracle', {}).get('overall'))} overall on seed {side['seed']}"
        )
    if data["audiences"]:
        lines.append(f"\nCadence per audience\n{'':<22}{'A':>9}{'B':>9}{'B - A':>9}")
        lines.extend(_row(d["audience"], d["a"], d["b"]) for d in data["audiences"])
    if data["decisions"]:
        lines.append("\nPlan-B decisions (regret: expected loss above the best choice then)")
        lines.extend(
            f"  {p['decision']}: A chose {p['a_option'] or '-'} (regret {_num(p['a_regret'])}), "
            f"B chose {p['b_option'] or '-'} (regret {_num(p['b_regret'])})"
            for p in data["decisions"]
        )
    lines.append(f"\n{NO_SIGNIFICANCE}")
    return "\n".join(lines)


def _title(side: dict[str, Any]) -> str:
    started = (side["started_at"] or "")[:16].replace("T", " ") or "time not recorded"
    mode = "official" if side["official"] else "practice"
    return (
        f"{side['id']} · {side['scenario']} {side['scenario_version']} · seed {side['seed']} · "
        f"{side['team'] or '-'} · {mode} · {started}"
    )


# ------------------------------------------------------------------ a trend
def team_trend(history: Database, team: str, scenario: str) -> dict[str, Any]:
    """A team's finished official runs of a scenario, oldest first, with skill; from
    :data:`scoring.compare.MIN_TREND_RUNS` runs on, a bootstrap interval of the mean overall
    (and skill, when every run has one) and whether the latest run sits inside it."""
    from drillsim.store.baselines import skill
    from scoring.compare import BOOTSTRAP_LEVEL, MIN_TREND_RUNS, bootstrap_interval

    official = history.find(team=team, scenario=scenario, official=True, oldest_first=True)
    runs = [r for r in official if r.overall is not None and r.status == "finished"]
    if not runs:
        raise StoreError(
            f"no finished official runs of {scenario} by team {team!r}; `drillsim runs --team "
            f"{team!r}` lists the team's runs, and --official marks a run official when it "
            "starts"
        )
    skills = [
        skill(r.overall, history.baselines(r.scenario_sha256, r.seed, r.scoring_version or ""))
        for r in runs
    ]
    figures: dict[str, list[float]] = {
        "overall": [r.overall for r in runs if r.overall is not None]
    }
    if all(value is not None for value in skills):
        figures["skill"] = [value for value in skills if value is not None]
    intervals: dict[str, Any] = {}
    if len(runs) >= MIN_TREND_RUNS:
        for name, values in figures.items():
            interval = bootstrap_interval(values)
            intervals[name] = {
                "low": interval.low,
                "high": interval.high,
                "level": BOOTSTRAP_LEVEL,
                "runs": interval.runs,
                "latest": values[-1],
                "verdict": _verdict(values[-1], interval.low, interval.high),
            }
    return {
        "team": team,
        "scenario": scenario,
        "left_out": len(official) - len(runs),
        "runs": [{**_trend_row(r), "skill": s} for r, s in zip(runs, skills, strict=True)],
        "intervals": intervals,
        "min_runs": MIN_TREND_RUNS,
    }


def _verdict(latest: float, low: float, high: float) -> str:
    if low <= latest <= high:
        return "no clear change"
    side = "above" if latest > high else "below"
    return f"{side} the interval (a change to watch; more runs will tell if it holds)"


def _trend_row(record: RunRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "started_at": record.started_at,
        "seed": record.seed,
        "status": record.status,
        **record.scores(),
    }


def trend_text(data: dict[str, Any]) -> str:
    """:func:`team_trend` as the command line prints it."""
    runs, left_out = data["runs"], data["left_out"]
    lines = [
        f"{data['team']} · {data['scenario']} · {len(runs)} finished official "
        f"run{'s' if len(runs) > 1 else ''}"
        + (f" ({left_out} not finished left out)" if left_out else ""),
        f"{'STARTED':<17}{'ID':<30}{'OVERALL':>8}{'CADENCE':>9}{'PLAN B':>8}"
        f"{'RESTRAINT':>10}{'SKILL':>7}  RATING",
    ]
    for run in runs:
        started = (run["started_at"] or "")[:16].replace("T", " ")
        lines.append(
            f"{started:<17}{run['id']:<30}{_num(run['overall']):>8}{_num(run['cadence']):>9}"
            f"{_num(run['plan_b']):>8}{_num(run['restraint']):>10}{_num(run['skill'], 2):>7}  "
            f"{run['rating'] or '-'}"
        )
    lines.extend(
        f"  {LABELS[name]:<10} {sparkline([run[name] for run in runs])}" for name in DIMENSIONS
    )
    if not data["intervals"]:
        lines.append(
            f"\nWith {len(runs)} run{'s' if len(runs) > 1 else ''}, no interval: from "
            f"{data['min_runs']} official runs on, the trend shows one."
        )
    for name, interval in data["intervals"].items():
        digits = 2 if name == "skill" else 1
        lines.append(
            f"\n{name}: {interval['level']:.0%} bootstrap interval of the mean over the "
            f"{interval['runs']} runs {interval['low']:.{digits}f}-{interval['high']:.{digits}f}; "
            f"latest {interval['latest']:.{digits}f}: {interval['verdict']}"
        )
    return "\n".join(lines)


# ------------------------------------------------------------------ text
def sparkline(values: list[float | None]) -> str:
    """One block per run, its height the score out of 100 (a gap for no score)."""
    return "".join(
        " " if value is None else _BLOCKS[min(len(_BLOCKS) - 1, int(value / 100 * len(_BLOCKS)))]
        for value in values
    )


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _row(label: str, a: float | None, b: float | None, *, digits: int = 1) -> str:
    delta = None if a is None or b is None else b - a
    shown = "-" if delta is None else f"{delta:+.{digits}f}"
    label = label if len(label) <= 20 else label[:19] + "…"
    return f"  {label:<20}{_num(a, digits):>9}{_num(b, digits):>9}{shown:>9}"


def _delta(a: float | None, b: float | None) -> dict[str, float | None]:
    return {"a": a, "b": b, "delta": None if a is None or b is None else b - a}
