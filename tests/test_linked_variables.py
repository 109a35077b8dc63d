"""Linked variables (format 2): templates built from other variables, and linked choices
whose values are drawn together; deterministic per seed, with located errors."""

from __future__ import annotations

from conftest import MINIMAL

from drillsim.engine.draws import draw_variables
from drillsim.scenario.loader import check_text
from drillsim.scenario.model import Scenario

VARIABLES = """\
variables:
  company: {value: Acme}
  first: {faker: first_name}
  last: {faker: last_name}
  domain: {value: acme.example}
  email: {template: "{first}.{last}@{domain}", lowercase: true}
  signature: {template: "{first} {last}, {email}"}
  stack:
    linked_choices:
      - {crm: Salesforce, automation: Pardot}
      - {crm: HubSpot, automation: HubSpot Workflows}
      - {crm: Dynamics 365, automation: Customer Insights}
"""

TEXT = (
    MINIMAL.replace("format: 1\n", "format: 2\n")
    .replace("variables:\n  company: {value: Acme}\n", VARIABLES)
    .replace("Things broke at {company}.", "'{crm} and {automation} broke; ask {signature}.'")
)
PAIRS = {
    "Salesforce": "Pardot",
    "HubSpot": "HubSpot Workflows",
    "Dynamics 365": "Customer Insights",
}


def scenario_of(text: str) -> Scenario:
    checked = check_text(text, "s.yaml")
    assert checked.scenario is not None and checked.ok, checked.problems
    return checked.scenario


def messages(text: str) -> list[str]:
    return [
        f"{p.line}:{p.column}: {p.message} | {p.hint}" for p in check_text(text, "s.yaml").errors
    ]


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_templates_and_linked_choices_are_drawn_together_and_the_same_per_seed() -> None:
    scenario = scenario_of(TEXT)
    seen = set()
    for seed in range(12):
        values = draw_variables(scenario, seed)
        assert values == draw_variables(scenario, seed)
        assert PAIRS[values["crm"]] == values["automation"]
        assert values["email"] == f"{values['first']}.{values['last']}@acme.example".lower()
        assert values["signature"] == f"{values['first']} {values['last']}, {values['email']}"
        assert "stack" not in values  # a linked choice's own name is not a placeholder
        seen.add(values["crm"])
    assert len(seen) > 1


def test_a_template_as_written_keeps_its_case() -> None:
    values = draw_variables(scenario_of(TEXT), 3)
    assert values["signature"].startswith(values["first"][0])  # not lowercased
    assert values["first"][0].isupper()


def test_an_unknown_name_in_a_template_is_a_located_error() -> None:
    text = TEXT.replace('"{first}.{last}@{domain}"', '"{first}.{lats}@{domain}"')
    found = messages(text)
    line = line_of(text, "email: {template")
    assert any(
        m.startswith(f"{line}:")
        and "template uses {lats} but no such variable" in m
        and "'last'" in m
        for m in found
    ), found


def test_a_cycle_of_templates_is_a_located_error() -> None:
    text = TEXT.replace('"{first}.{last}@{domain}"', '"{signature}@{domain}"')
    found = messages(text)
    line = line_of(text, "email: {template")
    assert any(
        m.startswith(f"{line}:") and "cycle: email -> signature -> email" in m for m in found
    ), found


def test_a_linked_choice_name_is_not_a_placeholder_and_keys_must_agree() -> None:
    text = TEXT.replace("ask {signature}", "ask {stack}")
    assert any("text uses {stack} but no such variable" in m for m in messages(text))
    uneven = TEXT.replace(
        "{crm: HubSpot, automation: HubSpot Workflows}", "{crm: HubSpot, tool: Workflows}"
    )
    line = line_of(uneven, "tool: Workflows")
    assert any(
        m.startswith(f"{line}:") and "keys crm, tool differ from the first set's" in m
        for m in messages(uneven)
    )
    clash = TEXT.replace("{crm: Salesforce, automation: Pardot}", "{crm: Salesforce, domain: x}")
    clash = clash.replace("automation: HubSpot Workflows", "domain: y").replace(
        "automation: Customer Insights", "domain: z"
    )
    assert any("{domain} is already defined by variable 'domain'" in m for m in messages(clash))


def test_linked_variables_in_a_format_1_file_are_a_located_error() -> None:
    text = TEXT.replace("format: 2\n", "format: 1\n")
    found = messages(text)
    for name in ("email", "signature", "stack"):
        line = line_of(text, f"  {name}:")
        assert any(m.startswith(f"{line}:3:") and "is format 2's" in m for m in found), found


def test_black_friday_draws_a_providers_status_page_and_backup_acquirer_with_it() -> None:
    """The shipped adoption: the status page the team reads and the acquirer it may switch to
    always belong to the payment provider this run drew."""
    from pathlib import Path

    from drillsim.scenario.loader import load_scenario_file

    path = Path(__file__).resolve().parent.parent / "scenarios/black-friday-checkout-down.yaml"
    scenario = load_scenario_file(path).scenario
    own = {
        "Paystream": ("status.paystream.com", "Northgate Merchant Services"),
        "CardVault Payments": ("status.cardvaultpayments.com", "Harbour Acquiring"),
        "Tillo Pay": ("tillopay-status.com", "Meridian Card Services"),
    }
    providers = set()
    for seed in range(12):
        values = draw_variables(scenario, seed)
        assert (values["psp_status"], values["psp_acquirer"]) == own[values["psp"]]
        providers.add(values["psp"])
    assert len(providers) > 1
