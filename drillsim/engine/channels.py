"""Which channel an update goes over to each audience (format 2): the one rule the engine,
the actions file and the composer share.

An audience that lists channels gets an update over the channel the team named, or else
over its own default (the first it lists). An audience that lists none is reached directly
(a call, a chat) and ignores the named channel: nothing sent to it ever bounces. A channel
the team names must reach every audience of the update that lists channels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from drillsim.engine.actions import ActionRejected
from drillsim.scenario.model import Scenario


def routes(
    scenario: Scenario,
    audiences: Iterable[str],
    channel: str | None,
    render: Callable[[str], str] = str,
) -> dict[str, str | None]:
    """The channel each audience gets the update over (None: reached directly); refuse with
    ActionRejected a channel the scenario lacks or one that misses a listed audience."""
    chosen = [scenario.audience(name) for name in audiences]
    if channel is not None:
        if not isinstance(channel, str) or channel not in {c.id for c in scenario.channels}:
            known = ", ".join(c.id for c in scenario.channels)
            raise ActionRejected(
                f"no channel {channel!r} in this scenario"
                + (f" (it has {known})" if known else ": leave the channel out")
            )
        missed = [a for a in chosen if a.channels and channel not in a.channels]
        if missed:
            names = ", ".join(render(a.name) for a in missed)
            raise ActionRejected(
                f"{render(scenario.channel(channel).label)} does not reach {names}: leave the "
                "channel out (each audience gets its own default) or send them separate updates"
            )
    return {
        a.id: (channel if channel is not None else a.channels[0]) if a.channels else None
        for a in chosen
    }


def shared_channels(scenario: Scenario, audiences: Iterable[str]) -> tuple[str, ...]:
    """The channels that reach every one of ``audiences`` that lists channels (in the
    scenario's order): what the team may name for an update to all of them."""
    listed = [set(scenario.audience(name).channels) for name in audiences]
    listed = [channels for channels in listed if channels]
    if not listed:
        return ()
    return tuple(c.id for c in scenario.channels if all(c.id in each for each in listed))
