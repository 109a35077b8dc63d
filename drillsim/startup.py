"""The garbage collector held off while the TUI starts, until its first screen is usable.

Importing Textual and drillsim and building the first screen allocate hundreds of thousands
of objects that live as long as the process: each collection of the oldest generation over
them is wasted work, a tenth of the time to a usable briefing. So ``drillsim play`` and the
picker start with collection held (:func:`collection_held`), and once the first screen is usable
(:func:`release`) start-up's garbage is collected once, what is left alive is frozen out of
the collector's sight (``gc.freeze``; it stays alive as it would anyway) and collection
resumes for what the drill makes.

Only a process that held collection itself releases it: an app built in a test's process
(Pilot) never freezes that process's objects.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_held = False


@contextmanager
def collection_held() -> Iterator[None]:
    """Collection held over the block (a no-op if it is off already), until :func:`release`
    or the block's end, which resumes it without freezing anything: a command that fails
    before its screen is usable leaves the collector as it found it."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True
    try:
        yield
    finally:
        _resume(freeze=False)


def release() -> None:
    """The first screen is usable: freeze what start-up made and resume collection, if
    :func:`collection_held` stopped it."""
    _resume(freeze=True)


def _resume(*, freeze: bool) -> None:
    global _held
    if _held:
        _held = False
        if freeze:
            gc.collect()  # start-up's garbage cycles go first: frozen, they would stay
            gc.freeze()
        gc.enable()
