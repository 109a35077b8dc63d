"""The cycle collector paused over work that allocates a lot and makes few reference cycles.

Playing or scoring a long drill allocates hundreds of thousands of objects that die by
reference counting; the collector's passes over them (triggered by the allocations alone)
find next to nothing. Paused for the block and restored after, the few cycles left are
collected by its next pass.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off over the block (a no-op if it is off already), as it was after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
