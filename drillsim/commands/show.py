"""``drillsim show``: the debrief of a past run, as text, scored again from its journal."""

from __future__ import annotations

import argparse

from drillsim.commands import EXIT_OK

EPILOG = """\
examples:
  drillsim show latest                       the run started last
  drillsim show 20261202T0900                a run by a unique prefix of its id
  drillsim show ~/shared/drills/q3.jsonl     a journal anywhere
  drillsim show latest --json                the score card as JSON, with the run's details"""


def configure(parser: argparse.ArgumentParser) -> None:
    from drillsim.store.refs import RUN_HELP

    parser.description = (
        "Show the debrief of a past run: who played what and when, its status, and the\n"
        "score card, scored again from the journal with this drillsim's scoring. A run\n"
        "that stopped early is scored up to where it stopped; an edited journal is\n"
        "shown, marked EDITED."
    )
    parser.epilog = EPILOG
    parser.add_argument("run", metavar="RUN", help=RUN_HELP)
    parser.add_argument("--json", action="store_true", help="print the card and run as JSON")


def run(args: argparse.Namespace) -> int:
    from drillsim.cardtext import past_run_text, run_report
    from drillsim.store.refs import resolve_run
    from drillsim.store.runs import current_status, open_history, score_journal

    with open_history() as history:
        found = resolve_run(args.run, history)
    recorded, card = score_journal(found.journal)
    header = recorded.journal.header
    status = current_status(found.record) if found.record is not None else None
    if args.json:
        import json

        details = {
            "id": header.run_id,
            "team": header.team,
            "kind": header.kind,
            "official": header.official,
            "status": status,
            "started_at": header.started_at,
            "journal": str(found.journal),
        }
        print(
            json.dumps(
                {
                    "run": details,
                    "card": json.loads(run_report(card, header, recorded.seal, as_json=True)),
                }
            )
        )
        return EXIT_OK
    print(past_run_text(recorded, card, status))
    print(f"Journal file: {found.journal}")
    return EXIT_OK
