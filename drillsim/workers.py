"""Worker processes for a batch: each is handed shares of the work over its own pipe and
sends each share's results back on it.

A worker that finishes early is handed more, so the workers stay busy to the end; each holds
two shares at a time, so it never waits for this process between them. This process only
waits on the pipes (no threads of its own: a pool's helper threads cost a few percent of a
core). A worker that dies, or whose work raises, stops the whole run with an error.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar, cast

Item = TypeVar("Item")
Result = TypeVar("Result")

AHEAD = 2
"""Shares a worker holds at once: the one it works on and the next."""


class WorkerFailed(RuntimeError):
    """A worker process died (it exited, was killed, or its pipe broke), or its work raised
    something that cannot be sent back as it is."""


class RemoteTraceback(Exception):
    """Where a worker's error was raised, as the worker printed it: the cause of the error
    raised again in this process, so its traceback shows both."""

    def __str__(self) -> str:
        return f"\n\n(in the worker process)\n{self.args[0]}"


class Workers(Generic[Item, Result]):
    """Worker processes, started at once, each running ``start(*start_args)`` once, then
    ``work`` on every share it is handed."""

    def __init__(
        self,
        context: BaseContext,
        jobs: int,
        start: Callable[..., None],
        start_args: tuple[Any, ...],
        work: Callable[[list[Item]], list[Result]],
    ) -> None:
        self._workers: list[tuple[BaseProcess, Connection]] = []
        try:
            for _ in range(jobs):
                ours, theirs = context.Pipe()
                process = context.Process(  # type: ignore[attr-defined]
                    target=_serve, args=(theirs, start, start_args, work), daemon=True
                )
                process.start()
                theirs.close()
                self._workers.append((process, ours))
        except OSError as error:  # out of memory, processes or open files
            self.stop(finished=False)
            raise WorkerFailed(
                f"cannot start {jobs} worker processes ({error.strerror or error}); run the "
                f"batch again with fewer --jobs, or --jobs 1 to play the drills one at a time "
                f"without worker processes"
            ) from None
        except BaseException:
            self.stop(finished=False)
            raise

    def results(self, shares: Sequence[list[Item]]) -> Iterator[Result]:
        """The results of every share, share by share as workers finish them (not in
        order); each worker is told to stop once nothing is left for it."""
        pending = iter(shares)
        owner = {ours: process for process, ours in self._workers}
        held: dict[Connection, int] = {}
        """Per worker still working, how many shares it holds."""
        for process, ours in self._workers:
            held[ours] = 0
            self._hand(ours, process, pending, AHEAD, held)
        while held:
            sentinels = {owner[ours].sentinel: ours for ours in held}
            for ready in wait([*held, *sentinels]):
                ours = sentinels[ready] if isinstance(ready, int) else cast(Connection, ready)
                if ours not in held:
                    continue  # told to stop already, this round
                results = _receive(ours, owner[ours])
                held[ours] -= 1
                self._hand(ours, owner[ours], pending, 1, held)
                yield from results

    @staticmethod
    def _hand(
        ours: Connection,
        process: BaseProcess,
        pending: Iterator[list[Item]],
        count: int,
        held: dict[Connection, int],
    ) -> None:
        """Hand a worker up to ``count`` more shares; tell it to stop if it holds none."""
        try:
            for share in pending:
                ours.send(share)
                held[ours] += 1
                count -= 1
                if not count:
                    break
            if not held[ours]:
                ours.send(None)
                del held[ours]
        except OSError as error:  # its end of the pipe is gone: it ended since it last answered
            if ours.poll():  # ended after sending what stopped it (its drill's error): that
                _receive(ours, process)  # is raised here, not "it ended"
            raise _died(process, error) from None

    def stop(self, *, finished: bool) -> None:
        """Wait for the workers to end (``finished``: they were all told to), or end them
        now (the run failed or was interrupted)."""
        for process, ours in self._workers:
            if not finished and process.is_alive():
                process.terminate()
            process.join()
            ours.close()


def _receive(ours: Connection, process: BaseProcess) -> list[Any]:
    """A share's results, or the worker's error raised here."""
    try:
        done, payload, trace = ours.recv()
    except EOFError:
        raise _died(process) from None
    except OSError as error:
        raise _died(process, error) from None
    if not done:
        raise payload from RemoteTraceback(trace)
    return cast(list[Any], payload)


def _died(process: BaseProcess, error: OSError | None = None) -> WorkerFailed:
    """The error for a worker that is gone, saying how it ended and what to do (``error``:
    what its pipe raised, said if the worker is in fact still running)."""
    import signal

    process.join(5)  # a pipe found closed or reset: the worker has ended, or is ending
    if process.is_alive():  # the pipe itself failed: end the worker that cannot be reached
        process.terminate()
        process.join()
        return WorkerFailed(
            f"the pipe to a worker process failed ({error}); run the batch again, with "
            f"--jobs 1 to play the drills one at a time without worker processes"
        )
    code = process.exitcode
    if code is not None and code < 0:
        try:
            how = f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            how = f"was killed by signal {-code}"
        advice = (
            "if the machine ran short of memory, run the batch again with fewer --jobs "
            "(--jobs 1 plays the drills one at a time without worker processes)"
        )
    else:
        how = f"exited with code {code}"
        advice = (
            "run the batch again with --jobs 1 to play the drills one at a time without "
            "worker processes and see the error"
        )
    return WorkerFailed(f"a worker process {how} before it finished its drills; {advice}")


def _serve(
    theirs: Connection,
    start: Callable[..., None],
    start_args: tuple[Any, ...],
    work: Callable[[list[Item]], list[Result]],
) -> None:
    """A worker's life: start, then work share after share until told to stop."""
    start(*start_args)
    try:
        while (share := theirs.recv()) is not None:
            try:
                results = work(share)
            except BaseException as error:  # sent back whole, or as text if it cannot be
                import traceback

                trace = "".join(traceback.format_exception(error))
                theirs.send((False, _sendable(error), trace))
                return
            theirs.send((True, results, ""))
    except (EOFError, OSError):
        return  # the process that started this one is gone: nobody waits for the results


def _sendable(error: BaseException) -> BaseException:
    """The error itself if it survives pickling, else a ``WorkerFailed`` that names it."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        first_line = next(iter(str(error).splitlines()), "")
        return WorkerFailed(
            f"a drill failed in a worker process with an error that cannot be sent back "
            f"({type(error).__name__}: {first_line}); run the batch again with --jobs 1 to "
            f"see where it happens"
        )
    return error
