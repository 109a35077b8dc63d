"""The batch's worker processes (drillsim.workers): every share's results come back once,
a worker's error comes back whole, a worker that dies stops the run with an error."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pytest

from drillsim.workers import RemoteTraceback, WorkerFailed, Workers

CONTEXT = multiprocessing.get_context(
    "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
)
_OFFSET = 0


def _set_offset(offset: int) -> None:
    global _OFFSET
    _OFFSET = offset


def _add_offset(share: list[int]) -> list[int]:
    if -1 in share:
        raise ValueError("a drill went wrong")
    if -2 in share:
        os._exit(3)  # a worker killed mid-share
    return [item + _OFFSET for item in share]


def _results(jobs: int, shares: list[list[int]]) -> list[int]:
    workers = Workers(CONTEXT, jobs, _set_offset, (1000,), _add_offset)
    finished = False
    try:
        found = list(workers.results(shares))
        finished = True
    finally:
        workers.stop(finished=finished)
    return found


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_every_share_comes_back_once_after_each_worker_started(jobs) -> None:
    shares = [[number, number + 1] for number in range(0, 40, 2)]
    assert sorted(_results(jobs, shares)) == [number + 1000 for number in range(40)]


def test_more_workers_than_shares_and_no_shares_end_cleanly() -> None:
    assert _results(4, [[1]]) == [1001]
    assert _results(2, []) == []


def test_an_error_in_a_worker_comes_back_as_it_was_raised_with_where_it_was() -> None:
    with pytest.raises(ValueError, match="a drill went wrong") as raised:
        _results(2, [[1], [2], [-1], [3], [4]])
    cause = raised.value.__cause__
    assert isinstance(cause, RemoteTraceback)
    assert "in _add_offset" in str(cause)  # the worker's own frames, not only ours
    assert "in the worker process" in str(cause)


def test_a_worker_that_dies_stops_the_run_and_says_what_to_do() -> None:
    with pytest.raises(WorkerFailed, match=r"exited with code 3.*--jobs 1"):
        _results(2, [[1], [-2], [3], [4]])


def _exit_with(code: int) -> None:
    os._exit(code)


def _killed_by(number: int) -> None:
    os.kill(os.getpid(), number)


@pytest.mark.parametrize(
    ("target", "argument", "message"),
    [
        (_exit_with, 4, r"exited with code 4 .*--jobs 1"),
        (_killed_by, signal.SIGKILL, r"killed by SIGKILL .*fewer --jobs"),
    ],
)
def test_a_worker_gone_before_it_is_handed_more_stops_the_run(target, argument, message) -> None:
    """The worker answered its last share and died before the next was sent: handing it one
    finds a broken pipe, which is the same failure as a worker dying mid-share."""
    ours, theirs = CONTEXT.Pipe()
    process = CONTEXT.Process(target=target, args=(argument,))
    process.start()
    theirs.close()
    process.join()
    held = {ours: 0}
    with pytest.raises(WorkerFailed, match=message):
        Workers._hand(ours, process, iter([[1], [2]]), 1, held)
    ours.close()


def test_a_worker_whose_parent_is_gone_stops_quietly() -> None:
    from drillsim.workers import _serve

    ours, theirs = CONTEXT.Pipe()
    ours.close()  # the parent end gone: its next read finds nothing, ever
    _serve(theirs, _set_offset, (0,), _add_offset)  # returns, raises nothing


def _fail_then_exit(theirs) -> None:
    theirs.send((False, ValueError("the drill's own error"), "Traceback: in the worker"))
    theirs.close()


def test_a_worker_that_sent_its_error_and_ended_is_reported_by_its_error() -> None:
    """Handing more to a worker that has just sent its drill's error and exited finds a broken
    pipe: the error waiting in the pipe is what is raised, not "it exited with code 0"."""
    ours, theirs = CONTEXT.Pipe()
    process = CONTEXT.Process(target=_fail_then_exit, args=(theirs,))
    process.start()
    theirs.close()
    process.join()
    with pytest.raises(ValueError, match="the drill's own error") as raised:
        Workers._hand(ours, process, iter([[1], [2]]), 1, {ours: 0})
    assert "Traceback: in the worker" in str(raised.value.__cause__)
    ours.close()


def test_a_worker_whose_parent_closed_with_a_share_unread_stops_quietly() -> None:
    from drillsim.workers import _serve

    ours, theirs = CONTEXT.Pipe()
    theirs.send((True, [1], ""))  # results the parent never read
    ours.close()  # ...before it went: the worker's next read is reset, not an end of file
    _serve(theirs, _set_offset, (0,), _add_offset)  # returns, raises nothing


class _NoProcesses:
    """A context whose processes cannot be started (the machine is out of them)."""

    Pipe = staticmethod(CONTEXT.Pipe)

    class Process:
        def __init__(self, **_: object) -> None:
            pass

        def start(self) -> None:
            import errno

            raise OSError(errno.EAGAIN, "Resource temporarily unavailable")


def test_workers_that_cannot_start_say_to_ask_for_fewer() -> None:
    with pytest.raises(
        WorkerFailed,
        match=r"cannot start 3 worker processes \(Resource temporarily unavailable\); "
        r"run the batch again with fewer --jobs",
    ):
        Workers(_NoProcesses(), 3, _set_offset, (0,), _add_offset)  # type: ignore[arg-type]
