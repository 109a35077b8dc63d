"""Golden scores: every shipped scenario x every bot x seeds 0..49, as ``drillsim simulate`` scores them.

``tests/golden_scores.json`` is the record; ``tests/test_golden_scores.py`` reproduces it bit for
bit, so a refactor of the engine, the journal or scoring proves it moved no score. Regenerate it
only when a score is meant to change, in a commit that says why:

    .venv/bin/python tests/golden_scores.py               # every scenario
    .venv/bin/python tests/golden_scores.py NAME...       # only these, the rest kept as recorded
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from drillsim.scenario.loader import LoadedScenario

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden_scores.json"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
SEEDS = range(50)
FIGURES = ("overall", "cadence", "plan_b", "restraint", "rating")


def score_rows(path: Path, policy: str, seeds: Sequence[int] = SEEDS) -> list[dict[str, Any]]:
    """One row of score-card figures per seed, through the same path as ``drillsim simulate``."""
    from drillsim.simulation import simulate

    cards = simulate(_loaded(path), [policy], seeds)[policy]
    return [
        {"seed": seed, **{figure: getattr(card, figure) for figure in FIGURES}}
        for seed, card in zip(seeds, cards, strict=True)
    ]


@cache
def _loaded(path: Path) -> LoadedScenario:
    """Each scenario read and checked once per test run, whichever bots play it."""
    from drillsim.scenario.loader import load_scenario_file

    return load_scenario_file(path)


def scenario_sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def generate(only: set[str] | None = None) -> dict[str, Any]:
    """The record of every shipped scenario; with ``only``, those scenarios scored again and
    the others' entries kept from the record."""
    from drillsim.policies import POLICY_NAMES

    kept = load()["scenarios"] if only else {}
    return {
        "seeds": [SEEDS.start, SEEDS.stop],
        "scenarios": {
            path.stem: (
                kept[path.stem]
                if only and path.stem not in only and path.stem in kept
                else {
                    "sha256": scenario_sha256(path),
                    "policies": {policy: score_rows(path, policy) for policy in POLICY_NAMES},
                }
            )
            for path in SCENARIOS
        },
    }


def dump(golden: dict[str, Any]) -> str:
    """JSON with one line per run, so a diff shows which runs moved. Floats are written with
    ``repr``, which reads back to the same float bit for bit."""
    lines = ["{", f'  "seeds": {json.dumps(golden["seeds"])},', '  "scenarios": {']
    stems = list(golden["scenarios"])
    for s, stem in enumerate(stems):
        entry = golden["scenarios"][stem]
        lines.append(f"    {json.dumps(stem)}: {{")
        lines.append(f'      "sha256": {json.dumps(entry["sha256"])},')
        lines.append('      "policies": {')
        policies = list(entry["policies"])
        for p, policy in enumerate(policies):
            rows = entry["policies"][policy]
            lines.append(f"        {json.dumps(policy)}: [")
            for r, row in enumerate(rows):
                comma = "," if r < len(rows) - 1 else ""
                lines.append(f"          {json.dumps(row)}{comma}")
            lines.append("        ]" + ("," if p < len(policies) - 1 else ""))
        lines.append("      }")
        lines.append("    }" + ("," if s < len(stems) - 1 else ""))
    lines.extend(["  }", "}"])
    return "\n".join(lines) + "\n"


def load() -> dict[str, Any]:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def main() -> int:
    only = set(sys.argv[1:])
    unknown = only - {path.stem for path in SCENARIOS}
    if unknown:
        print(f"no shipped scenario named {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    GOLDEN.write_text(dump(generate(only or None)), encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
