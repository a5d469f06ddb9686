"""Worker process pools that stop with doclint.

Every pool doclint starts (lint workers, corpus-rule workers, corpus extraction, corpus
reports) comes from :func:`process_pool`, whose workers

- ignore Ctrl-C: the terminal sends SIGINT to the whole process group, and the main
  process, which handles it, stops them (a worker's KeyboardInterrupt would only print a
  traceback and leave the pool waiting);
- die when the main process dies, however it dies (Linux: ``PR_SET_PDEATHSIG``), so a CI job
  cancelled with SIGKILL leaves no worker burning CPU.

:func:`stopping_on_signals` makes SIGINT, SIGTERM (a cancelled CI job, ``timeout``) and
SIGHUP end the main process at once, its workers first: the pools' shutdown would otherwise
wait for the slice each worker is busy with.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1  # linux/prctl.h

# Python collects cyclic garbage every 700 net container allocations; linting allocates
# millions of short-lived, acyclic objects (tokens, spans, matches), so most collections
# find nothing. mypy runs with these thresholds for the same reason. A cold 200-page run
# (--jobs 1, all rules): 15.74/15.50 -> 13.98/14.55 s, peak RSS 109 MB either way.
COLLECTION_THRESHOLDS = (200_000, 30, 30)


def collect_garbage_less_often() -> None:
    """Raise the cyclic garbage collector's thresholds (:data:`COLLECTION_THRESHOLDS`)."""
    import gc

    gc.set_threshold(*COLLECTION_THRESHOLDS)


def process_pool(
    jobs: int, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()
) -> ProcessPoolExecutor:
    """A ProcessPoolExecutor of ``jobs`` workers that stop with this process (see the module)."""
    from concurrent.futures import ProcessPoolExecutor  # 30 ms to import: only when a pool starts

    return ProcessPoolExecutor(
        max_workers=jobs, initializer=_start_worker, initargs=(os.getpid(), initializer, initargs)
    )


def _start_worker(parent: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    collect_garbage_less_often()  # inherited by a forked worker, not by a spawned one (macOS, Windows)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker inherits the main process's handler
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the main process died before prctl: nobody will collect our work
        os._exit(1)
    if initializer is not None:
        initializer(*initargs)


def fork(work: Callable[[], None]) -> int:
    """Fork a process that does ``work`` and exits, with status 0 if it returned and 1 if it
    raised (it says nothing: the caller does the work itself when :func:`succeeded` is
    False, and meets the same error in the open). Like a pool's worker it ignores Ctrl-C and
    dies with this process; :func:`stopping_on_signals` terminates it. The child leaves with
    ``os._exit``: no atexit handler runs and no copy of this process's buffered output is
    flushed. Only where ``os.fork`` exists (POSIX)."""
    parent = os.getpid()
    child = os.fork()
    if child:
        _forked.add(child)
        return child
    status = 1
    try:
        _start_worker(parent, None, ())
        work()
        status = 0
    finally:
        os._exit(status)


def succeeded(child: int) -> bool:
    """Wait for a process started by :func:`fork`; whether its work returned."""
    _, status = os.waitpid(child, 0)
    _forked.discard(child)
    return os.waitstatus_to_exitcode(status) == 0


def stop(child: int) -> None:
    """Terminate a process started by :func:`fork` and wait for it (nothing if it was waited for)."""
    if child not in _forked:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(child, signal.SIGTERM)
    succeeded(child)


_forked: set[int] = set()  # processes started by fork() and not yet waited for
_main_process: int | None = None  # the process that installed _on_signal


@contextlib.contextmanager
def stopping_on_signals() -> Iterator[None]:
    """In the main process: SIGINT, SIGTERM and SIGHUP terminate this process's workers and
    end it at once (exit status 128 + the signal's number); the previous handlers come back
    afterwards.

    The process ends with ``os._exit`` rather than an exception: a signal can arrive where
    Python swallows exceptions (the pools' fork hooks, finalizers), and unwinding would wait
    for the pools' shutdown. Nothing is lost that should be kept: every file doclint writes
    (results cache, baseline, ``--fix``) is written to a temporary file and renamed, the index
    is an SQLite database (an open transaction rolls back), and the findings spool is made of
    unnamed temporary files.
    """
    global _main_process
    handled = [signal.SIGTERM, signal.SIGINT]
    if hasattr(signal, "SIGHUP"):
        handled.append(signal.SIGHUP)
    _main_process = os.getpid()
    previous = {number: signal.signal(number, _on_signal) for number in handled}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _on_signal(number: int, frame: FrameType | None) -> None:
    if os.getpid() != _main_process:
        # A worker forked a moment ago, terminated by the main process before _start_worker
        # put the default handler back: it inherited this one. Leave quietly; the main
        # process says why the run stopped.
        os._exit(128 + number)
    multiprocessing = sys.modules.get("multiprocessing")
    if multiprocessing is not None:  # a pool was started
        for child in multiprocessing.active_children():
            child.terminate()
    for forked in list(_forked):
        with contextlib.suppress(OSError):
            os.kill(forked, signal.SIGTERM)
    atomic = sys.modules.get("linter.atomic")
    if atomic is not None:
        atomic.remove_temporary_files()
    reason = "interrupted" if number == signal.SIGINT else f"stopped by {signal.Signals(number).name}"
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"\ndoclint: {reason}\n" if sys.stderr.isatty() else f"doclint: {reason}\n")
        sys.stderr.flush()
    os._exit(128 + number)
