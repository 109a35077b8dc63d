"""Channels (format 2): audiences list the channels that reach them, an update goes over one,
and an update over a channel that is down bounces: journaled as sent and bounced, told to
the team, and counted as no update at all for that audience."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drillsim.engine import events as ev
from drillsim.engine.actions import ActionRejected, SendUpdate
from drillsim.engine.channels import routes, shared_channels
from drillsim.engine.drill import Drill
from drillsim.replay import first_difference
from drillsim.scenario.loader import check_text, load_scenario_file
from drillsim.script import play_script, read_script
from scoring import score_run
from scoring.due import next_due
from scoring.timeline import JournalMismatch, build

CHANNELS = Path(__file__).parent / "scenarios" / "channels.yaml"
ROOT = Path(__file__).resolve().parent.parent
TEXT = CHANNELS.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def scenario():
    return load_scenario_file(CHANNELS).scenario


def played(scenario, *steps: tuple[float, SendUpdate]) -> Drill:
    drill = Drill(scenario, 1)
    for at, update in steps:
        drill.advance_to(at)
        drill.act(update)
    drill.advance_to(drill.length)
    return drill


def audience_scores(card) -> dict[str, tuple[float, int, tuple[float, ...]]]:
    return {a.audience: (a.score, a.noise, tuple(a.credited)) for a in card.audiences}


# ------------------------------------------------------------------ validation
def test_channels_in_a_format_1_file_are_refused_where_they_are_written() -> None:
    found = check_text(TEXT.replace("format: 2\n", ""), "s.yaml").problems
    assert [(p.line, p.message) for p in found] == [
        (11, "channels are format 2's"),
        (20, "an audience's channels are format 2's"),
        (23, "an audience's channels are format 2's"),
    ]
    assert all("format: 2" in p.hint for p in found)
    undeclared = TEXT.replace("format: 2\n", "").replace("  - {id: banner", "  - {id: bannerx")
    assert len(check_text(undeclared, "s.yaml").problems) == 3  # the format first, one each


def test_an_unknown_or_repeated_channel_is_a_located_error() -> None:
    text = TEXT.replace("channels: [email, banner]", "channels: [emial, banner, banner]")
    found = check_text(text, "s.yaml").problems
    assert [(p.line, p.column, p.message, p.hint) for p in found] == [
        (21, 16, "no channel with id 'emial'", "did you mean 'email'?"),
        (
            21,
            31,
            "channel 'banner' is listed twice for audience 'customers'",
            "list each channel once, the default first",
        ),
    ]


def test_a_down_condition_that_can_never_hold_is_a_lint_warning() -> None:
    from drillsim.authoring.lint import lint

    never = TEXT.replace("down: {incident: open}", "down: {after: 2h}")
    (warning,) = check_text(never, "s.yaml", lint).problems
    assert (warning.line, warning.severity, warning.rule) == (12, "warning", "channel-never-down")
    assert "channel 'email' can never be down: it cannot hold before T+2h" in warning.message
    assert check_text(TEXT, "s.yaml", lint).problems == ()
    unused = TEXT.replace("channels: [email, chat]", "channels: [email]")
    (warning,) = check_text(unused, "s.yaml", lint).problems
    assert (warning.line, warning.rule) == (14, "channel-unused")
    assert warning.message == "channel 'chat' reaches no audience: no update can go over it"


def test_the_events_list_shows_when_a_channel_can_be_down(scenario) -> None:
    from drillsim.authoring.msel import events_list

    (down,) = [e for e in events_list(scenario, 0).entries if e.kind == "channel down"]
    assert (down.at, down.id, down.text) == (0.0, "email", "Email down: updates over it bounce")
    assert down.notes == ("down while: the outage still open",)


# ---------------------------------------------------------------------- engine
def test_each_audience_gets_its_default_unless_a_channel_reaching_all_is_named(scenario) -> None:
    assert routes(scenario, ("customers", "staff", "execs"), None) == {
        "customers": "email",
        "staff": "email",
        "execs": None,
    }
    assert routes(scenario, ("customers", "execs"), "banner") == {
        "customers": "banner",
        "execs": None,
    }
    assert shared_channels(scenario, ("customers", "staff", "execs")) == ("email",)
    assert shared_channels(scenario, ("execs",)) == ()
    with pytest.raises(ActionRejected, match="In-app banner does not reach All staff"):
        routes(scenario, ("customers", "staff"), "banner")
    with pytest.raises(ActionRejected, match="no channel 'fax' in this scenario"):
        routes(scenario, ("customers",), "fax")


def test_a_channel_named_in_a_scenario_without_channels_is_refused(mini) -> None:
    drill = Drill(mini, 1)
    with pytest.raises(ActionRejected, match="no channel 'email' in this scenario: leave"):
        drill.act(SendUpdate(("execs",), ("down",), channel="email"))


def test_an_update_over_a_down_channel_is_journaled_sent_then_bounced(scenario) -> None:
    drill = played(
        scenario,
        (300, SendUpdate(("customers", "execs"), ("down",), next_update_in=1200)),
    )
    sent, bounced = drill.events[5:7]
    assert isinstance(sent, ev.UpdateSent) and sent.channel is None
    assert bounced == ev.UpdateBounced(
        bounced.seq, 300.0, update=sent.seq, audience="customers", channel="email"
    )
    # The bounced audience heard nothing: no silence broken, no promise, no expectation met.
    assert "customers" not in drill.last_updates and "execs" in drill.last_updates
    assert "customers" not in drill.promised
    assert drill.expectations["customers-first"].status == "failed"


def test_the_same_update_over_a_working_channel_arrives(scenario) -> None:
    drill = played(scenario, (300, SendUpdate(("customers",), ("down",), channel="banner")))
    assert not any(isinstance(e, ev.UpdateBounced) for e in drill.events)
    assert drill.expectations["customers-first"].status == "met"


def test_a_channel_is_down_only_while_its_condition_holds(scenario) -> None:
    drill = played(scenario, (2500, SendUpdate(("staff",), ("down",), status="resolved")))
    assert not any(isinstance(e, ev.UpdateBounced) for e in drill.events)  # over at 40 min


@settings(max_examples=40, deadline=None)
@given(
    minute=st.integers(0, 59),
    audiences=st.sets(st.sampled_from(["execs", "customers", "staff"]), min_size=1),
    channel=st.sampled_from([None, "email", "banner", "chat"]),
)
def test_an_update_bounces_exactly_where_its_channel_is_down(minute, audiences, channel) -> None:
    scenario = load_scenario_file(CHANNELS).scenario
    ordered = tuple(sorted(audiences))
    drill = Drill(scenario, 1)
    drill.advance_to(minute * 60.0)
    try:
        sent = drill.act(SendUpdate(ordered, ("down",), channel=channel))
    except ActionRejected:
        assert channel not in shared_channels(scenario, ordered)
        return
    over = routes(scenario, ordered, channel)
    down = minute * 60.0 < drill.true_duration  # email is down while the incident is open
    expected = {a for a, c in over.items() if c == "email" and down}
    bounced = {e.audience for e in drill.events if isinstance(e, ev.UpdateBounced)}
    assert bounced == expected
    (update,) = build(scenario, drill.events).updates
    assert update.seq == sent.seq
    assert set(update.bounced) == expected and set(update.audiences) == set(ordered) - expected


def test_a_run_with_bounces_replays_identically(scenario) -> None:
    drill = played(
        scenario,
        (300, SendUpdate(("customers", "staff"), ("down",))),
        (420, SendUpdate(("customers",), ("down",), channel="banner")),
    )
    events = drill.events
    assert (
        first_difference(scenario, events, list(range(2, 2 + len(events))), finished=True) is None
    )


def test_the_feed_tells_the_team_of_the_bounce_and_names_the_channel(scenario) -> None:
    from drillsim.tui.narration import Narrator

    drill = played(
        scenario,
        (300, SendUpdate(("customers",), ("down",))),
        (360, SendUpdate(("customers",), ("down",), channel="banner")),
    )
    names = {a.id: a.name for a in scenario.audiences}
    told = [Narrator(scenario, drill.render, names).tell(e) for e in drill.events[5:9]]
    assert [notice.text for notice in told if notice is not None] == [
        "Update sent to Customers",
        "✗ Delivery failure: your update to Customers over Email did not arrive; they have "
        "not heard it",
        "Update sent to Customers over In-app banner",
        "✓ Done in time: customers-first",
    ]


def test_the_after_action_report_shows_the_bounce_and_the_channel(scenario) -> None:
    from drillsim.aar import _timeline

    drill = played(
        scenario,
        (300, SendUpdate(("customers",), ("down",))),
        (360, SendUpdate(("customers",), ("down",), channel="banner")),
    )
    titles = [entry.title for entry in _timeline(drill.events, scenario, drill.render)]
    assert titles[5:8] == [
        "Update to Customers: status investigating; we know: The platform is down.",
        "Bounced: the update to Customers over Email did not arrive (channel down)",
        "Update to Customers: status investigating; we know: The platform is down.; over "
        "In-app banner",
    ]


# --------------------------------------------------------------------- scoring
def test_a_bounced_update_earns_nothing_and_a_resend_is_not_noise(scenario) -> None:
    bounced_then_resent = played(
        scenario,
        (300, SendUpdate(("customers",), ("down",), next_update_in=1200)),
        (420, SendUpdate(("customers",), ("down",), next_update_in=1200, channel="banner")),
    )
    only_resent = played(
        scenario,
        (420, SendUpdate(("customers",), ("down",), next_update_in=1200, channel="banner")),
    )
    first = score_run(scenario, bounced_then_resent.events)
    second = score_run(scenario, only_resent.events)
    assert audience_scores(first) == audience_scores(second)
    assert audience_scores(first)["customers"][1] == 0  # the re-send is not noise
    assert (first.restraint, first.overall) == (second.restraint, second.overall)
    assert first.never_repaired == ()


def test_scoring_reads_the_bounce_from_the_journal_alone(scenario) -> None:
    events = played(scenario, (300, SendUpdate(("customers",), ("down",)))).events
    assert score_run(scenario, events).never_repaired == ("customers",)
    without = [e for e in events if not isinstance(e, ev.UpdateBounced)]
    assert score_run(scenario, without).never_repaired == ()  # what was journaled counts
    credited = {a.audience: a.credited for a in score_run(scenario, without).audiences}
    assert credited["customers"] == (300.0,)
    heard = {a.audience: a.credited for a in score_run(scenario, events).audiences}
    assert heard["customers"] == ()


def test_a_bounce_of_an_update_that_did_not_go_there_is_a_foreign_journal(scenario) -> None:
    events = played(scenario, (300, SendUpdate(("customers",), ("down",)))).events
    forged = [
        ev.UpdateBounced(e.seq, e.t, update=e.update, audience="staff", channel="email")
        if isinstance(e, ev.UpdateBounced)
        else e
        for e in events
    ]
    with pytest.raises(JournalMismatch, match="which that update did not go to"):
        build(scenario, forged)
    for event in events:
        if isinstance(event, ev.UpdateBounced | ev.UpdateSent):
            unknown = msgspec.structs.replace(event, channel="fax")
            with pytest.raises(JournalMismatch, match="names channel 'fax', unknown"):
                build(scenario, [unknown if e is event else e for e in events])


def test_the_board_shows_a_bounced_audience_still_waiting(scenario) -> None:
    events = played(scenario, (300, SendUpdate(("customers", "execs"), ("down",)))).events
    timeline = build(scenario, [e for e in events if e.t <= 360])
    customers, execs = scenario.audience("customers"), scenario.audience("execs")
    waiting = next_due(timeline, customers, 360.0)
    assert waiting is not None and waiting.first and waiting.since == 0.0
    told = next_due(timeline, execs, 360.0)
    assert told is not None and not told.first and told.since == 300.0


# One update step: when, to whom, over which channel, what status. Only revealed facts and
# no promises, so every step is valid and restraint sees nothing but what reached people.
STEPS = st.lists(
    st.tuples(
        st.integers(1, 59).map(lambda minute: minute * 60.0),
        st.sets(st.sampled_from(["execs", "customers", "staff"]), min_size=1),
        st.sampled_from([None, "email", "banner", "chat"]),
        st.sampled_from(["investigating", "identified"]),
    ),
    max_size=6,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_a_bounced_update_scores_as_if_never_sent_to_that_audience(scenario, steps) -> None:
    steps = sorted(steps, key=lambda step: step[0])
    sent = Drill(scenario, 1)
    kept: list[tuple[float, SendUpdate]] = []
    for at, audiences, channel, status in steps:
        ordered = tuple(sorted(audiences))
        if channel is not None and channel not in shared_channels(scenario, ordered):
            channel = None
        update = SendUpdate(ordered, ("down",), status=status, channel=channel)  # type: ignore[arg-type]
        sent.advance_to(at)
        before = len(sent.events)
        sent.act(update)
        bounced = {e.audience for e in sent.events[before:] if isinstance(e, ev.UpdateBounced)}
        reached = tuple(a for a in ordered if a not in bounced)
        if reached:
            kept.append((at, SendUpdate(reached, ("down",), status=status, channel=channel)))  # type: ignore[arg-type]
    sent.advance_to(sent.length)
    only_reached = played(scenario, *kept)
    assert not any(isinstance(e, ev.UpdateBounced) for e in only_reached.events)
    first, second = score_run(scenario, sent.events), score_run(scenario, only_reached.events)
    assert audience_scores(first) == audience_scores(second)
    assert (first.cadence, first.restraint) == (second.cadence, second.restraint)


# ------------------------------------------------------------------ actions file
def test_the_actions_file_names_a_channel_and_refuses_one_that_misses(tmp_path, capsys) -> None:
    from drillsim.cli import main

    actions = tmp_path / "a.yaml"
    actions.write_text(
        "- at: 5m\n  send_update: {audiences: [customers], facts: [down]}\n"
        "- at: 7m\n  send_update: {audiences: [customers], facts: [down], channel: banner}\n",
        encoding="utf-8",
    )
    assert main(["run", str(CHANNELS), "--actions", str(actions), "--seed", "1", "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["never_repaired"] == []
    actions.write_text(
        "- at: 5m\n  send_update: {audiences: [customers, staff], channel: banner}\n",
        encoding="utf-8",
    )
    assert main(["run", str(CHANNELS), "--actions", str(actions)]) == 1
    assert (
        "a.yaml:2:57: [0].send_update.channel: In-app banner does not reach All staff"
        in capsys.readouterr().err
    )


# ------------------------------------------------------------------------ bots
def bounces_and_channels(drill: Drill) -> tuple[list[tuple[float, str]], list[tuple[float, str]]]:
    bounced = [(e.t, e.audience) for e in drill.events if isinstance(e, ev.UpdateBounced)]
    customers = [
        (e.t, e.channel or "default")
        for e in drill.events
        if isinstance(e, ev.UpdateSent) and "customers" in e.audiences
    ]
    return bounced, customers


def test_the_diligent_bot_switches_channel_after_a_bounce_and_the_oracle_never_bounces(
    scenario,
) -> None:
    from drillsim.policies import play

    bounced, customers = bounces_and_channels(play(scenario, "diligent", 1))
    assert bounced == [(0.0, "customers"), (0.0, "staff")]  # it cannot know before trying
    assert customers[:2] == [(0.0, "email"), (60.0, "banner")]  # a minute later, elsewhere
    assert {channel for _, channel in customers[1:]} == {"banner"}
    bounced, customers = bounces_and_channels(play(scenario, "oracle", 1))
    assert bounced == [] and customers[0] == (0.0, "banner")
    for name in ("diligent", "oracle"):
        card = score_run(scenario, play(scenario, name, 1).events)
        assert card.never_repaired == () and card.overall >= 90, name


LATE_WORD = """\
- {at: 30m, send_update: {audiences: [customers], channel: email, facts: [transactional-too],
    unknowns: [when-back], next_update_in: 40m, text: Emails from us are delayed.}}
- {at: 55m, send_update: {audiences: [customers], channel: email, facts: [transactional-too],
    unknowns: [when-back], next_update_in: 40m, text: Emails from us are delayed.}}
- {after: resolved, wait: 2m, send_update: {audiences: [customers], channel: status,
    facts: [transactional-too], unknowns: [when-back], status: monitoring, next_update_in: 25m,
    text: Emails are flowing again.}}
- {after: resolved, wait: 25m, send_update: {audiences: [customers], channel: status,
    facts: [transactional-too], status: resolved, text: All delayed emails are sent.}}
"""


@pytest.mark.parametrize("seed", [1, 3])
def test_promises_kept_once_the_outage_is_over_earn_nothing_for_an_audience_never_reached(
    seed, tmp_path
) -> None:
    """Every word to the customers went over the email that was down, so nothing reached them
    while it mattered; the channel came back with the service and the team then promised and
    kept. No promise was made or kept while it mattered: the promises part is 0, as for an
    audience first told when it was all over (it was 1.0: customers 70.5 on seed 1)."""
    scenario = load_scenario_file(ROOT / "scenarios" / "email-platform-down.yaml").scenario
    path = tmp_path / "late.yaml"
    path.write_text(LATE_WORD, encoding="utf-8")
    run = play_script(read_script(path, scenario), scenario, seed)
    card = score_run(scenario, run.drill.events)
    [customers] = [a for a in card.audiences if a.audience == "customers"]
    assert customers.promises_made >= 1 and customers.promises_kept >= 1
    assert all(t >= card.true_duration for t in customers.credited)
    assert customers.promises == 0.0
    assert any(
        "heard nothing until the outage was over" in d.reason
        for d in card.deductions
        if d.audience == "customers"
    )
