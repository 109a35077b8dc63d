"""``drillsim preview``: a scenario's events list for a seed, and what the plan-B model thinks."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from drillsim.commands import EXIT_OK
from drillsim.commands.values import seed

if TYPE_CHECKING:
    from drillsim.authoring.outlook import Outlook
    from drillsim.scenario.model import Scenario

EPILOG = """\
examples:
  drillsim preview my-drill.yaml             the events list, names drawn for seed 0
  drillsim preview my-drill.yaml --seed 7    ...for seed 7 (its outage length too)
  drillsim preview my-drill.yaml --decisions every option's expected loss, and the best move,
                                             at each decision's opening and after each
                                             inject that changes what the team believes
  drillsim preview map-outage-mid-send --json

Times marked ~ are the earliest the condition allows: what the team does can make them
later, or never. Expected losses are in the scenario's impact unit, from the plan-B model
the score uses (docs/scoring.md); docs/authoring.md shows how to size them."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Show the master scenario events list of a scenario for one seed: when each inject\n"
        "lands (filled with that seed's names), what it reveals and starts, when decisions\n"
        "open and close, and what triggers the conditional ones. --decisions adds what the\n"
        "plan-B model makes of each decision."
    )
    parser.epilog = EPILOG
    parser.add_argument("scenario", metavar="SCENARIO", help="a .yaml file or a bundled id")
    parser.add_argument(
        "--seed", type=seed, default=0, metavar="N", help="the seed to draw (default 0)"
    )
    parser.add_argument(
        "--decisions",
        action="store_true",
        help="every option's expected loss and the model's best move, moment by moment",
    )
    parser.add_argument("--json", action="store_true", help="print it as JSON")


def run(args: argparse.Namespace) -> int:
    import json

    from drillsim.authoring.msel import events_list, events_text
    from drillsim.authoring.outlook import outlooks
    from drillsim.commands.inputs import load_scenario

    scenario = load_scenario(args.scenario).scenario
    listed = events_list(scenario, args.seed)
    found = outlooks(scenario) if args.decisions else None
    if args.json:
        report: dict[str, Any] = {
            "scenario": scenario.id,
            "version": scenario.version,
            "seed": args.seed,
            "title": listed.title,
            "outage": listed.outage,
            "events": [entry.as_dict() for entry in listed.entries],
        }
        if found is not None:
            report["decisions"] = [_outlook_dict(scenario, outlook) for outlook in found]
        print(json.dumps(report, indent=2))
        return EXIT_OK
    print(events_text(scenario, listed, args.seed, _width()))
    if found is not None:
        print(_decisions_text(scenario, found, listed.values))
    return EXIT_OK


def _width() -> int:
    try:
        columns = int(os.environ.get("COLUMNS", "")) or os.get_terminal_size().columns
    except (ValueError, OSError):
        columns = 100
    return max(60, min(columns, 140))


def _decisions_text(scenario: Scenario, found: list[Outlook], values: dict[str, str]) -> str:
    from drillsim.authoring.msel import describe, describe_belief
    from drillsim.durations import format_minute
    from drillsim.scenario.streams import in_words, is_flat, peak_rate
    from drillsim.templates import fill

    unit = scenario.impact.unit
    lines = ["", f"Plan-B decisions: expected loss from then on, in {unit}"]
    if not found:
        lines.append("  (no decision can open)")
    for outlook in found:
        decision = outlook.decision
        stream = scenario.impact.streams.get(decision.stream, 0.0)
        peak = peak_rate(stream)
        most = "" if is_flat(stream) else " at most"
        rate = in_words(stream, unit)
        lines.append("")
        lines.append(f"{decision.id}: {fill(decision.prompt, values)}")
        lines.append(
            f"  stream {decision.stream} ({rate}) · opens "
            f"{format_minute(outlook.opens)} · closes {format_minute(outlook.closes)} with "
            f"{decision.default} if undecided"
        )
        if decision.when is not None:
            lines.append(f"  opens when {describe(decision.when)}, the earliest it can be above")
        if outlook.share < 1.0:
            lines.append(
                f"  weighed on the {outlook.share:.0%} of the stream the choices it follows "
                f"leave running ({peak * outlook.share:g} {unit}/min{most})"
            )
        for moment in outlook.moments:
            cause = _cause(moment.cause)
            lines.append(
                f"  {format_minute(moment.at)} {cause}: belief {describe_belief(moment.belief)}"
            )
            for option in decision.options:
                notes = []
                if option.id == decision.default:
                    notes.append("default")
                if option.id not in moment.available:
                    notes.append("not available yet")
                if moment.best == option.id:
                    notes.append("best move")
                tag = f"  ({', '.join(notes)})" if notes else ""
                lines.append(f"    {option.id:<24} {moment.losses[option.id]:>10.1f}{tag}")
            tag = "  (best move: decide later)" if moment.best == "wait" else ""
            lines.append(f"    {'wait and decide later':<24} {moment.wait:>10.1f}{tag}")
    return "\n".join(lines)


def _cause(cause: str) -> str:
    """A moment's cause in words: "at opening", "after inject X", "once X can be chosen"."""
    if cause == "opens":
        return "at opening"
    if cause.endswith(" available"):
        return f"once {cause.split()[1]} can be chosen"
    return f"after {cause}"


def _outlook_dict(scenario: Scenario, outlook: Outlook) -> dict[str, object]:
    from drillsim.authoring.msel import describe, describe_belief

    when = outlook.decision.when
    return {
        "decision": outlook.decision.id,
        "trigger": None if when is None else describe(when),
        "stream": outlook.decision.stream,
        "unit": scenario.impact.unit,
        "opens": outlook.opens,
        "closes": outlook.closes,
        "share": outlook.share,
        "default": outlook.decision.default,
        "moments": [
            {
                "at": moment.at,
                "cause": moment.cause,
                "belief": describe_belief(moment.belief),
                "available": sorted(moment.available),
                "expected_loss": moment.losses,
                "wait": moment.wait,
                "best": moment.best,
            }
            for moment in outlook.moments
        ],
    }
