"""Synthetic inputs for scaling figures: long journals, and a large scenario to simulate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drillsim.engine.actions import SendUpdate, TakeAction, promise_window
from drillsim.engine.drill import Drill
from drillsim.engine.events import Event
from drillsim.scenario.model import Scenario


def chatty_run(scenario: Scenario, events: int, seed: int = 2) -> list[Event]:
    """A run of about ``events`` events: updates to rotating audiences, some actions."""
    drill = Drill(scenario, seed)
    audiences = [audience.id for audience in scenario.audiences]
    facts = [fact.id for fact in scenario.facts]
    unknowns = [unknown.id for unknown in scenario.unknowns]
    actions = [action.id for action in scenario.actions]
    count = max(1, events - len(drill.events) - 40)
    step = float(scenario.length) / (count + 1)
    for index in range(count):
        drill.advance_to((index + 1) * step)
        if drill.ended:
            break
        if index % 50 == 49:
            drill.act(TakeAction(actions[index % len(actions)]))
            continue
        known = [fact for fact in facts if fact in drill.revealed]
        # Promises vary across the audience's window now (the engine refuses any outside it).
        window = promise_window([scenario.audiences[index % len(audiences)]], drill.now)
        promise = window[0] + (window[1] - window[0]) * (index % 20) / 19 if window else None
        drill.act(
            SendUpdate(
                (audiences[index % len(audiences)],),
                facts=tuple(known[-2:]),
                unknowns=tuple(unknowns[:1]),
                next_update_in=promise,
            )
        )
    drill.advance_to(drill.length)
    return drill.events


LARGE_HOURS = 300
"""The large scenario's exercise length: panic, updating every 5 minutes, writes ~3,600 events."""


def large_hours() -> int:
    """LARGE_HOURS, or the longest format-1 drill validation allows when that is shorter
    (the large scenario is format 1, so its figures compare across revisions)."""
    try:
        from drillsim import limits  # type: ignore[import-not-found]
    except ImportError:
        return LARGE_HOURS
    longest = getattr(limits, "FORMAT_1_LONGEST_DRILL", getattr(limits, "LONGEST_DRILL", None))
    return LARGE_HOURS if longest is None else min(LARGE_HOURS, int(longest // 3600))


_STREAMS = ("orders", "leads", "tickets", "payments", "ads", "reports")


def large_scenario(hours: int | None = None) -> dict[str, Any]:
    """A long exercise: 6 decisions, 5 audiences, belief updates, questions and contingencies.

    The outage itself lasts hours (a lognormal truncated at a day); the exercise goes on for
    ``hours`` so that bots that keep talking write long journals.
    """
    hours = large_hours() if hours is None else hours
    audiences = [
        _audience("execs", "Executive team", "internal", True, 15, 30, 10, 1.0),
        _audience("sales", "Sales team", "internal", True, 15, 30, 10, 1.0),
        _audience("support", "Customer support", "internal", {"flag": "noticed"}, 15, 45, 10, 0.8),
        _audience("partner", "Delivery partner", "partner", {"flag": "spreading"}, 20, 60, 15, 0.4),
        _audience("customers", "Customers", "external", {"flag": "public"}, 30, 90, 20, 0.6),
    ]
    facts = [
        {"id": f"fact-{index:02d}", "text": f"Finding {index} about the {{system}} outage."}
        for index in range(12)
    ] + [{"id": "restored", "text": "{system} is back."}]
    unknowns = [
        {"id": "when-back", "text": "When {system} will be back.", "answered_by": "restored"},
        {"id": "cause", "text": "What caused it.", "answered_by": "fact-05"},
        {"id": "scope", "text": "How many customers are affected.", "answered_by": "fact-08"},
        {"id": "loss", "text": "How much business we lose."},
    ]
    injects: list[dict[str, Any]] = [
        _inject("alert", {"at": "0m"}, "monitoring", "{system} is down.", ["fact-00"]),
    ]
    for index in range(1, 12):
        when = {"all": [{"after": f"{20 * index}m"}, {"incident": "open"}]}
        inject = _inject(
            f"finding-{index:02d}", when, "chat", f"Finding {index}.", [f"fact-{index:02d}"]
        )
        if index % 3 == 0:  # the vendor revises its estimate: the team's belief moves
            inject["belief"] = {"median": f"{2 * index}h", "sigma": 0.6}
        injects.append(inject)
    for audience in ("execs", "sales", "support", "partner", "customers"):
        injects.append(
            _inject(
                f"{audience}-asks",
                {"all": [{"silent": {"audience": audience, "for": "2h"}}, {"incident": "open"}]},
                "email",
                f"The {audience} ask where the updates are.",
                [],
            )
        )
    injects.append(
        {
            "id": "resolved",
            "resolves": True,
            "channel": "status_page",
            "from": "{system} status page",
            "text": "{system} is operating normally.",
            "reveals": ["restored"],
        }
    )
    expectations = [
        {"id": "execs-first", "audience": "execs", "within": "15m", "description": "Execs first."},
        *(
            {
                "id": f"{audience}-answer",
                "audience": audience,
                "after": f"{audience}-asks",
                "within": "15m",
                "description": f"The {audience} get an answer.",
            }
            for audience in ("execs", "sales", "support", "partner", "customers")
        ),
    ]
    decisions = [_decision(index, stream) for index, stream in enumerate(_STREAMS)]
    actions = [
        _action("escalate", True, 0),
        _action("page-all", {"incident_open_for": "2h"}, 25),
        _action("apologise", {"all": [{"flag": "public"}, {"incident_open_for": "6h"}]}, 40),
        _action("status-page", {"flag": "noticed"}, 15),
        _action("rebuild", False, 35),
    ]
    return {
        "format": 1,
        "id": "bench-large",
        "title": "Benchmark: a long outage with a long tail",
        "summary": "A synthetic scenario for benchmarks: long, busy, every feature.",
        "version": "1.0.0",
        "length": f"{hours}h",
        "speed": 60,
        "briefing": {
            "situation": "{system} fails at {company} and stays down for hours.",
            "roles": [{"name": "Incident lead", "brief": "Runs the drill."}],
            "objectives": ["Keep people informed."],
            "rules": ["Do not promise a fix time."],
        },
        "variables": {"company": {"faker": "company"}, "system": {"choices": ["Orbit", "Nova"]}},
        "audiences": audiences,
        "facts": facts,
        "unknowns": unknowns,
        "truth": {
            "duration": {"median": "8h", "sigma": 0.7},
            "flags": {
                "noticed": {"incident_open_for": "20m"},
                "spreading": {"incident_open_for": "1h"},
                "public": {"incident_open_for": "3h"},
            },
        },
        "belief": {"median": "4h", "sigma": 0.8},
        "impact": {
            "unit": "orders",
            "label": "Orders lost",
            "streams": {stream: 1 + index for index, stream in enumerate(_STREAMS)},
        },
        "injects": injects,
        "expectations": expectations,
        "decisions": decisions,
        "actions": actions,
        "scoring": {
            "weights": {"cadence": 0.4, "plan_b": 0.3, "restraint": 0.3},
            "grace": "5m",
            "checkpoint": "1m",
            "closure_within": "30m",
        },
    }


def write_large_scenario(folder: Path, hours: int | None = None) -> Path:
    """The large scenario as a YAML file in ``folder``, ready for ``drillsim simulate``."""
    import yaml

    path = Path(folder) / "bench-large.yaml"
    path.write_text(
        yaml.safe_dump(large_scenario(hours), sort_keys=False, allow_unicode=True), "utf-8"
    )
    return path


def _audience(
    id: str,
    name: str,
    kind: str,
    impacted: object,
    first: int,
    silence: int,
    interval: int,
    weight: float,
) -> dict[str, Any]:
    return {
        "id": id,
        "name": name,
        "kind": kind,
        "description": f"The {name.lower()}.",
        "impacted": impacted,
        "cadence": {
            "first_update": f"{first}m",
            "max_silence": f"{silence}m",
            "min_interval": f"{interval}m",
            "weight": weight,
        },
    }


def _inject(
    id: str, timing: dict[str, Any], channel: str, text: str, reveals: list[str]
) -> dict[str, Any]:
    key, value = next(iter(timing.items())) if "at" in timing else ("when", timing)
    return {
        "id": id,
        key: value,
        "channel": channel,
        "from": "{system} team",
        "text": text,
        "reveals": reveals,
    }


def _decision(index: int, stream: str) -> dict[str, Any]:
    wait = f"wait-{stream}"
    return {
        "id": f"{stream}-plan",
        "prompt": f"The {stream} are failing. Do we work around {{system}}?",
        "stream": stream,
        "at": f"{10 + 25 * index}m",
        "timeout": "45m",
        "default": wait,
        "options": [
            {"id": wait, "label": "Wait for {system}", "description": "Do nothing yet."},
            {
                "id": f"quick-{stream}",
                "label": "A quick workaround",
                "description": "Half the loss, soon.",
                "setup": "20m",
                "cost": 30 + 10 * index,
                "effort": "Two people for an hour.",
                "effectiveness": 0.5,
                "risks": [
                    {"text": "Some records need fixing later.", "probability": 0.3, "cost": 20}
                ],
            },
            {
                "id": f"full-{stream}",
                "label": "A full fallback",
                "description": "Most of the loss, later.",
                "setup": "2h",
                "cost": 150 + 20 * index,
                "effort": "A team for the morning.",
                "effectiveness": 0.9,
                **({"requires": {"fact": "fact-02"}} if index % 2 else {}),
            },
        ],
    }


def _action(id: str, justified_if: object, penalty: int) -> dict[str, Any]:
    return {
        "id": id,
        "label": f"Do {id}",
        "description": f"The team does {id}.",
        "justified_if": justified_if,
        "penalty": penalty,
        "why": f"{id} is proportionate only sometimes.",
    }
