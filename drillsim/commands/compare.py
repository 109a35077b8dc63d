"""``drillsim compare``: two runs side by side, or a team's trend over its official runs."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from drillsim.commands import EXIT_OK, EXIT_USAGE, CommandError

if TYPE_CHECKING:
    from drillsim.recorded import RecordedRun
    from drillsim.store.database import BaselineScores, Database, RunRecord
    from scoring.compare import Interval

EPILOG = """\
examples:
  drillsim compare 20261002T0900 latest      two runs side by side, with deltas (B - A)
  drillsim compare q3.jsonl q4.jsonl --json  the same as JSON
  drillsim compare --team "Marketing ops" --scenario map-outage-mid-send
                                             the team's trend over its official runs

skill = (team - random) / (oracle - random): where the team sits between the random and
the oracle bots on the run's own seed, so an easy draw does not pass for progress (1 plays
like the oracle, 0 like acting at random). Two runs show a difference, never whether it
would hold up; from four official runs the trend adds a bootstrap interval."""


def configure(parser: argparse.ArgumentParser) -> None:
    from drillsim.store.refs import RUN_HELP

    parser.description = (
        "Put two runs side by side, per dimension, audience and decision, with the\n"
        "difference (B - A) and each run's skill against the baseline bots on its own\n"
        "seed; warn, with what changed, when they were played on different scenario\n"
        "texts or scoring versions. With --team and --scenario instead: the team's\n"
        "trend over all its official runs of that scenario."
    )
    parser.epilog = EPILOG
    parser.add_argument("runs", nargs="*", metavar="RUN", help=f"two runs: {RUN_HELP}")
    parser.add_argument("--team", metavar="T", help="with --scenario: the team's trend")
    parser.add_argument("--scenario", metavar="S", help="with --team: the scenario id")
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")


def run(args: argparse.Namespace) -> int:
    trend = args.team is not None or args.scenario is not None
    if trend and (args.runs or args.team is None or args.scenario is None):
        raise CommandError(
            "give two runs, or --team and --scenario (without runs) for a trend", EXIT_USAGE
        )
    if not trend and len(args.runs) != 2:
        raise CommandError(
            f"give two runs to compare (got {len(args.runs)}), or --team T --scenario S "
            "for a team's trend",
            EXIT_USAGE,
        )
    from drillsim.store.runs import open_history

    with open_history() as history:
        if trend:
            return _trend(history, args.team, args.scenario, as_json=args.json)
        return _pair(history, args.runs, as_json=args.json)


# ------------------------------------------------------------------ two runs
class _Side:
    """One run of a pair: its journal as read, its card now, its bots' scores on its seed."""

    def __init__(self, history: Database, reference: str) -> None:
        from drillsim.store.baselines import baseline_scores, skill
        from drillsim.store.refs import resolve_run
        from drillsim.store.runs import score_journal

        found = resolve_run(reference, history)
        self.journal = found.journal
        self.recorded: RecordedRun
        self.recorded, self.card = score_journal(found.journal)
        header = self.recorded.journal.header
        self.header = header
        self.baselines = baseline_scores(
            history, self.recorded.scenario, self.recorded.sha256, header.seed
        )
        self.skill = {
            name: skill(getattr(self.card, name), self.baselines, name)
            for name in ("overall", "cadence", "plan_b", "restraint")
        }

    def title(self) -> str:
        header = self.header
        started = (header.started_at or "")[:16].replace("T", " ") or "time not recorded"
        mode = "official" if header.official else "practice"
        who = header.team or header.policy or "-"
        return (
            f"{header.run_id} · {header.scenario.id} {header.scenario.version} · seed "
            f"{header.seed} · {who} · {mode} · {started}"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.header.run_id,
            "scenario": self.header.scenario.id,
            "scenario_version": self.header.scenario.version,
            "scenario_sha256": self.header.scenario.sha256,
            "played_scoring": self.header.versions.scoring,
            "team": self.header.team,
            "seed": self.header.seed,
            "official": self.header.official,
            "seal": self.recorded.seal,
            "partial": self.card.partial,
            "rating": self.card.rating,
            "journal": str(self.journal),
            "skill": self.skill,
            "baselines": {
                policy: {
                    "overall": s.overall,
                    "cadence": s.cadence,
                    "plan_b": s.plan_b,
                    "restraint": s.restraint,
                }
                for policy, s in self.baselines.items()
            },
        }


def _pair(history: Database, references: list[str], *, as_json: bool) -> int:
    from scoring.compare import audience_deltas, decision_pairs, dimension_deltas

    a, b = (_Side(history, reference) for reference in references)
    warnings = _warnings(a, b)
    dimensions = dimension_deltas(a.card, b.card)
    audiences = audience_deltas(a.card, b.card)
    decisions = decision_pairs(a.card, b.card)
    if as_json:
        print(
            json.dumps(
                {
                    "a": a.as_json(),
                    "b": b.as_json(),
                    "dimensions": {d.name: _delta_json(d.a, d.b) for d in dimensions},
                    "skill": {name: _delta_json(a.skill[name], b.skill[name]) for name in a.skill},
                    "audiences": [{"audience": d.name, **_delta_json(d.a, d.b)} for d in audiences],
                    "decisions": [
                        {
                            "decision": p.decision,
                            "a_option": p.a_option,
                            "b_option": p.b_option,
                            "a_regret": p.a_regret,
                            "b_regret": p.b_regret,
                            "regret_delta": p.regret_delta,
                        }
                        for p in decisions
                    ],
                    "warnings": warnings,
                },
                indent=2,
            )
        )
        return EXIT_OK
    print(f"A  {a.title()}")
    print(f"B  {b.title()}")
    for warning in warnings:
        print(f"warning: {warning}")
    print(f"\n{'':<22}{'A':>9}{'B':>9}{'B - A':>9}")
    for d in dimensions:
        print(_row(_label(d.name), d.a, d.b))
    print(_row("rating", None, None, text=(a.card.rating or "-", b.card.rating or "-")))
    print(
        f"\nSkill on each run's own seed, (team - random) / (oracle - random)"
        f"\n{'':<22}{'A':>9}{'B':>9}{'B - A':>9}"
    )
    for name in a.skill:
        print(_row(_label(name), a.skill[name], b.skill[name], digits=2))
    for side, letter in ((a, "A"), (b, "B")):
        print(
            f"  {letter}: random {_bots(side.baselines, 'random')}, oracle "
            f"{_bots(side.baselines, 'oracle')} overall on seed {side.header.seed}"
        )
    if audiences:
        print(f"\nCadence per audience\n{'':<22}{'A':>9}{'B':>9}{'B - A':>9}")
        for d in audiences:
            print(_row(d.name, d.a, d.b))
    if decisions:
        print("\nPlan-B decisions (regret: expected loss above the best choice then)")
        for p in decisions:
            print(
                f"  {p.decision}: A chose {p.a_option or '-'} (regret {_num(p.a_regret)}), "
                f"B chose {p.b_option or '-'} (regret {_num(p.b_regret)})"
            )
    print(
        "\nTwo runs show a difference, not whether it would hold up: compare a team's official "
        "runs over time with drillsim compare --team T --scenario S."
    )
    return EXIT_OK


def _warnings(a: _Side, b: _Side) -> list[str]:
    from scoring import __version__ as scoring_version
    from scoring.compare import scenario_changes

    warnings = []
    ref_a, ref_b = a.header.scenario, b.header.scenario
    if ref_a.id != ref_b.id:
        warnings.append(
            f"different scenarios ({ref_a.id} and {ref_b.id}): the scores measure different drills"
        )
    elif ref_a.sha256 != ref_b.sha256:
        changes = scenario_changes(a.recorded.scenario, b.recorded.scenario)
        what = "; ".join(changes) if changes else "wording only, nothing that moves scores"
        warnings.append(
            f"played on different texts of {ref_a.id} ({ref_a.version}, sha256 "
            f"{ref_a.sha256[:12]} and {ref_b.version}, sha256 {ref_b.sha256[:12]}): {what}"
        )
    played_a, played_b = a.header.versions.scoring, b.header.versions.scoring
    if played_a != played_b:
        warnings.append(
            f"played under different scoring versions ({played_a or 'unknown'} and "
            f"{played_b or 'unknown'}); both are scored here with scoring {scoring_version}"
        )
    for side, letter in ((a, "A"), (b, "B")):
        if side.recorded.seal == "edited":
            warnings.append(f"run {letter}'s journal was edited after it was written")
        if side.card.partial:
            warnings.append(f"run {letter} stopped early: its scores cover only what was played")
    return warnings


# ------------------------------------------------------------------ a trend
def _trend(history: Database, team: str, scenario: str, *, as_json: bool) -> int:
    from drillsim.store.baselines import skill
    from scoring.compare import MIN_TREND_RUNS, bootstrap_interval

    official = history.find(team=team, scenario=scenario, official=True, oldest_first=True)
    runs = [r for r in official if r.overall is not None and r.status == "finished"]
    left_out = len(official) - len(runs)
    if not runs:
        raise CommandError(
            f"no official runs of {scenario} by team {team!r}; `drillsim runs --team {team!r}` "
            "lists the team's runs, and --official marks a run official when it starts"
        )
    skills = [
        skill(
            record.overall,
            history.baselines(record.scenario_sha256, record.seed, record.scoring_version or ""),
        )
        for record in runs
    ]
    figures: dict[str, list[float]] = {
        "overall": [r.overall for r in runs if r.overall is not None]
    }
    if all(value is not None for value in skills):
        figures["skill"] = [value for value in skills if value is not None]
    intervals: dict[str, Interval] = {}
    if len(runs) >= MIN_TREND_RUNS:
        intervals = {name: bootstrap_interval(values) for name, values in figures.items()}
    verdicts = {
        name: _verdict(values[-1], intervals[name])
        for name, values in figures.items()
        if name in intervals
    }
    if as_json:
        print(
            json.dumps(
                {
                    "team": team,
                    "scenario": scenario,
                    "left_out": left_out,
                    "runs": [
                        {**_trend_row(record), "skill": value}
                        for record, value in zip(runs, skills, strict=True)
                    ],
                    "intervals": {
                        name: {
                            "low": i.low,
                            "high": i.high,
                            "level": 0.95,
                            "runs": i.runs,
                            "latest": figures[name][-1],
                            "verdict": verdicts[name],
                        }
                        for name, i in intervals.items()
                    },
                },
                indent=2,
            )
        )
        return EXIT_OK
    print(
        f"{team} · {scenario} · {len(runs)} finished official run{'s' if len(runs) > 1 else ''}"
        + (f" ({left_out} not finished left out)" if left_out else "")
    )
    print(
        f"{'STARTED':<17}{'ID':<30}{'OVERALL':>8}{'CADENCE':>9}{'PLAN B':>8}"
        f"{'RESTRAINT':>10}{'SKILL':>7}  RATING"
    )
    for record, value in zip(runs, skills, strict=True):
        started = (record.started_at or "")[:16].replace("T", " ")
        print(
            f"{started:<17}{record.id:<30}{_num(record.overall):>8}{_num(record.cadence):>9}"
            f"{_num(record.plan_b):>8}{_num(record.restraint):>10}{_num(value, 2):>7}  "
            f"{record.rating or '-'}"
        )
    for name in ("overall", "cadence", "plan_b", "restraint"):
        values = [getattr(record, name) for record in runs]
        print(f"  {_label(name):<10} {_sparkline(values)}")
    if not intervals:
        print(
            f"\nWith {len(runs)} run{'s' if len(runs) > 1 else ''}, no interval: from "
            f"{MIN_TREND_RUNS} official runs on, the trend shows one."
        )
        return EXIT_OK
    for name, interval in intervals.items():
        digits = 2 if name == "skill" else 1
        print(
            f"\n{name}: 95% bootstrap interval of the mean over the {interval.runs} runs "
            f"{interval.low:.{digits}f}-{interval.high:.{digits}f}; latest "
            f"{figures[name][-1]:.{digits}f}: {verdicts[name]}"
        )
    return EXIT_OK


def _verdict(latest: float, interval: Interval) -> str:
    if interval.holds(latest):
        return "no clear change"
    side = "above" if latest > interval.high else "below"
    return f"{side} the interval (a change to watch; more runs will tell if it holds)"


def _trend_row(record: RunRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "started_at": record.started_at,
        "seed": record.seed,
        "status": record.status,
        "overall": record.overall,
        "cadence": record.cadence,
        "plan_b": record.plan_b,
        "restraint": record.restraint,
        "rating": record.rating,
        "scoring_version": record.scoring_version,
    }


# ------------------------------------------------------------------ text
_LABELS = {"overall": "Overall", "cadence": "Cadence", "plan_b": "Plan B", "restraint": "Restraint"}
_BLOCKS = "▁▂▃▄▅▆▇█"


def _label(name: str) -> str:
    return _LABELS.get(name, name)


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _row(
    label: str,
    a: float | None,
    b: float | None,
    *,
    digits: int = 1,
    text: tuple[str, str] | None = None,
) -> str:
    if text is not None:
        return f"  {label:<20}{text[0]:>9}{text[1]:>9}"
    delta = None if a is None or b is None else b - a
    shown = "-" if delta is None else f"{delta:+.{digits}f}"
    return f"  {label:<20}{_num(a, digits):>9}{_num(b, digits):>9}{shown:>9}"


def _delta_json(a: float | None, b: float | None) -> dict[str, float | None]:
    return {"a": a, "b": b, "delta": None if a is None or b is None else b - a}


def _bots(baselines: dict[str, BaselineScores], policy: str) -> str:
    scores = baselines.get(policy)
    return "-" if scores is None else f"{scores.overall:.1f}"


def _sparkline(values: list[float | None]) -> str:
    """One block per run, its height the score out of 100 (a gap for no score)."""
    return "".join(
        " " if value is None else _BLOCKS[min(len(_BLOCKS) - 1, int(value / 100 * len(_BLOCKS)))]
        for value in values
    )
