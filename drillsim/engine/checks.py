"""The checks an update must pass before a drill sends it: each refusal says what to do."""

from __future__ import annotations

from collections.abc import Callable

from drillsim.engine.actions import ActionRejected, SendUpdate, promise_window
from drillsim.engine.plan import Plan
from drillsim.scenario.model import Scenario
from drillsim.timegrid import MAX_SECONDS, on_grid
from drillsim.update_status import UPDATE_STATUSES


def checked_update(
    update: SendUpdate,
    scenario: Scenario,
    plan: Plan,
    doing: tuple[str, ...],
    render: Callable[[str], str],
    now: float = 0.0,
) -> float | None:
    """Refuse ``update`` with ActionRejected if it cannot be sent; else its next-update
    promise in seconds, on the grid (None when it promises none).

    ``doing``: what the team is doing now (what the update may cite); ``render`` fills a
    scenario text's placeholders for this run; ``now``: when it is sent (its promise is held
    to the cadence phase in force then).
    """
    if not update.audiences:
        raise ActionRejected("pick at least one audience for the update")
    for name, given, valid in (
        ("audience", update.audiences, plan.audience_ids),
        ("fact", update.facts, plan.fact_ids),
        ("unknown", update.unknowns, plan.unknown_ids),
    ):
        if not valid.issuperset(given):
            item = next(item for item in given if item not in valid)
            raise ActionRejected(f"no {name} {item!r} in this scenario")
    if len(update.audiences) > 1 and len(set(update.audiences)) != len(update.audiences):
        raise ActionRejected("an audience is listed twice")
    for ref in update.doing:
        if ref not in doing:
            raise ActionRejected(
                f"'{ref}' is not something the team is doing: cite a plan B it chose "
                "(DECISION/OPTION) or a catalogue action it took"
            )
    promise = update.next_update_in
    if promise is not None:
        if not isinstance(promise, int | float) or not 0 < promise <= MAX_SECONDS:
            raise ActionRejected("the next update must be promised in the future, within the drill")
        promise = on_grid(float(promise))
        _check_promise(promise, update.audiences, scenario, render, now)
    if not (isinstance(update.eta, bool) or update.eta == "vendor"):
        raise ActionRejected(
            "eta is true, false or vendor: whether the update gives a resolution time, or "
            "relays the vendor's own"
        )
    if update.eta == "vendor" and not plan.vendor_etas:
        raise ActionRejected(
            "no fact in this scenario is a vendor's resolution time (eta: vendor): "
            "send eta true or false"
        )
    if update.status not in UPDATE_STATUSES:
        raise ActionRejected(f"status {update.status!r} is not one of {', '.join(UPDATE_STATUSES)}")
    writable(update.text, "the update's text")
    return promise


def writable(text: object, what: str) -> str:
    """``text`` if the journal can hold it (a string of Unicode characters); refuse it else."""
    if not isinstance(text, str):
        raise ActionRejected(f"{what} must be text")
    if text.isascii():  # known from the string's header: no lone surrogate in it
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ActionRejected(
            f"{what} holds a broken character (a lone surrogate) the journal cannot record; "
            "retype or re-paste it"
        ) from None
    return text


def _check_promise(
    promise: float,
    audiences: tuple[str, ...],
    scenario: Scenario,
    render: Callable[[str], str],
    now: float,
) -> None:
    """Refuse a next-update time an audience cannot be held to (see promise_window)."""
    chosen = [scenario.audience(name) for name in audiences]
    window = promise_window(chosen, now)
    if window is None:
        spans = ", ".join(
            f"{render(a.name)} {a.cadence_at(now).min_interval.minutes:g}-"
            f"{a.cadence_at(now).max_silence.minutes:g} min"
            for a in chosen
        )
        raise ActionRejected(
            f"these audiences have no next-update time in common ({spans}); "
            "send them separate updates"
        )
    low, high = window
    if not low <= promise <= high:
        raise ActionRejected(
            f"promise the next update in {low / 60:g} to {high / 60:g} min: sooner than "
            "the audience's minimum interval it would be noise, later than its longest "
            "silence it leaves them waiting"
            + (
                " (the cadence in force now)"
                if any(scenario.audience(name).phased for name in audiences)
                else ""
            )
        )
