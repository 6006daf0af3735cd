"""Worker processes that never outlive the bot.

The library reads and analyses everything from outside (files, feed pages and articles) in a pool of
worker processes. When the bot process is killed (SIGKILL, the OOM killer), nothing tells those
workers: each still holds its own end of its task pipe, so it waits for the next task forever.
``exit_with_parent`` (called first in each worker) ends a worker as soon as the process that started
it is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import queue
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


def exit_with_parent(parent_pid: int, interval: float = 0.2) -> None:
    """Start a daemon thread that ends this process once its parent is no longer ``parent_pid``."""

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent_pid:  # the parent died; this process was handed to another
                os._exit(1)

    threading.Thread(target=watch, name="briefbot-exit-with-parent", daemon=True).start()


# --- a pool whose tasks can be killed ------------------------------------------------------------
#
# concurrent.futures.ProcessPoolExecutor cannot stop a task once it runs: cancelling its future does
# nothing to the worker, and a page that takes an hour keeps a core for an hour. KillablePool runs
# each task in a worker process of its own at that moment, and kills that worker when the task goes
# over its time budget (then starts a fresh one for the next task). Memory is limited in the worker
# itself with RLIMIT_AS: the kernel refuses any allocation past the budget at once (an RSS watchdog
# polling /proc would notice only after the fact, and a fast allocation could overshoot by hundreds of
# megabytes between two looks), and Python turns the refusal into a MemoryError, which the worker
# reports before it exits. The limit is set after the worker's imports, as its address space then plus
# the budget, so what is limited is what one task adds.


class TaskRefused(Exception):
    """A task its worker could not finish: over its time or memory budget, or the worker died.
    The message says which, for the log."""


class PoolClosed(asyncio.CancelledError):
    """The pool was closed (the bot is stopping): the task is abandoned, as if cancelled. Not a
    refusal of the page, so nothing records it."""


READY = "ready"
# Imported once by the fork server, for every worker forked from it (a pool's own ``preload`` is
# still imported by each worker, so a module the fork server has not loaded works too).
FORK_SERVER_PRELOAD = ("bot.library.service", "bot.sources.pages", "trafilatura")
_START_SECONDS = 120.0  # a worker's imports on a busy machine; not part of a task's budget


def _serve(conn: Any, memory_bytes: int | None, preload: tuple[str, ...]) -> None:
    """A worker's life: import what the tasks need, limit memory, then run tasks until told to stop."""
    import importlib
    import pickle

    # The parent is the fork server, which ends when the bot does (its pipe to the bot closes).
    exit_with_parent(os.getppid())
    for name in preload:
        importlib.import_module(name)
    limit: int | None = None
    if memory_bytes is not None:
        import resource

        base = _address_space()
        if base is not None:
            limit = base + memory_bytes
            _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        conn.send(READY)
    except OSError:  # the pool closed while this worker started (the bot is stopping): nothing to do
        return
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        fn, args = message
        try:
            reply: tuple[str, Any] = ("ok", fn(*args))
        except MemoryError:
            reply = ("memory", None)
        except BaseException as exc:  # the task's own error travels back to the caller
            reply = ("error", exc)
            # A C library (lxml) that cannot allocate reports its own error ("unknown error"), not
            # MemoryError: an address space that reached the limit says what happened.
            peak = _address_space("VmPeak:")
            if limit is not None and peak is not None and peak >= limit - _NEAR_LIMIT:
                reply = ("memory", None)
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", None))
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            conn.send(("error", RuntimeError(f"unpicklable result: {exc}")))
        if reply[0] == "memory":
            return  # a heap that ran out may be in any state: start afresh


_NEAR_LIMIT = 32 * 1024 * 1024  # bytes: a peak this close to the limit means an allocation was refused


def _address_space(field: str = "VmSize:") -> int | None:
    """This process's virtual memory size (VmSize, or VmPeak) in bytes, or None where /proc does not say."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


class _Worker:
    def __init__(self, ctx: Any, memory_bytes: int | None, preload: tuple[str, ...]) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_serve, args=(child, memory_bytes, preload), name="briefbot-page", daemon=True
        )
        self.process.start()
        child.close()
        self.idle_since = time.monotonic()

    def wait_ready(self) -> None:
        try:
            ready = self.conn.poll(_START_SECONDS) and self.conn.recv() == READY
        except (EOFError, OSError):
            ready = False
        if not ready:
            raise TaskRefused(f"a worker process did not start (exit code {self.process.exitcode})")

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()

    def reap(self) -> None:
        """Collect a killed worker's exit status (so it leaves no zombie); quick after kill()."""
        with contextlib.suppress(Exception):
            self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()


@dataclass(eq=False)
class _Job:
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    seconds: float
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]
    abandoned: bool = False  # the caller gave up (cancelled): stop the task at once


def _settle(job: _Job, result: Any = None, error: BaseException | None = None) -> None:
    """Hand an outcome to the awaiting task, from a dispatcher thread."""

    def settle() -> None:
        if job.future.done():
            return
        if error is not None:
            job.future.set_exception(error)
        else:
            job.future.set_result(result)

    with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
        job.loop.call_soon_threadsafe(settle)


def _kill_all(live: set[_Worker]) -> None:
    for worker in list(live):
        worker.kill()


class KillablePool:
    """At most ``size`` tasks at once, each in a worker process with a wall-time and memory budget.

    Each of up to ``size`` dispatcher threads owns one worker process and feeds it tasks from a
    shared queue, as ProcessPoolExecutor's manager thread does: a worker never waits for the event
    loop between two tasks. A task over its time budget, or abandoned by its caller (cancelled), has
    its worker killed; over its memory budget, the worker exits; :meth:`run` raises TaskRefused
    saying why, and the dispatcher starts a fresh worker for its next task. A dispatcher idle for
    ``idle_seconds`` ends with its worker. ``close()`` kills every worker at once (the bot's
    ``close()`` calls it)."""

    def __init__(
        self,
        size: int,
        *,
        memory_bytes: int | None = None,
        preload: tuple[str, ...] = (),
        idle_seconds: float = 120.0,
    ) -> None:
        self.size = max(1, size)
        self.memory_bytes = memory_bytes
        self.preload = preload
        self.idle_seconds = idle_seconds
        # Workers are forked from a fork server: a clean process (no threads, no event loop) started
        # once, which has imported the worker's modules, so a new worker is ready in milliseconds
        # rather than after a second of imports (a killed or idle-ended worker is replaced often).
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(["bot.library.workers", *FORK_SERVER_PRELOAD])
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._dispatchers = 0
        self._waiting = 0  # jobs queued and not yet taken
        self._live: set[_Worker] = set()
        self._busy: set[_Worker] = set()
        self._closed = False
        self.killed = 0  # workers killed over a budget, for tests and the log
        # A pool dropped without close() (a test's library) still ends its workers when collected.
        weakref.finalize(self, _kill_all, self._live)

    async def run(self, fn: Callable[..., T], *args: Any, seconds: float) -> T:
        """``fn(*args)`` in a worker; its result, or its own exception, or TaskRefused.
        ``fn``, its arguments and its result must be picklable (a module-level function)."""
        if self._closed:
            raise PoolClosed("the bot is stopping")
        loop = asyncio.get_running_loop()
        job = _Job(fn, args, seconds, loop, loop.create_future())
        with self._lock:
            self._waiting += 1
            if self._dispatchers < min(self.size, self._waiting + len(self._busy)):
                self._dispatchers += 1
                threading.Thread(target=self._dispatch, name="briefbot-page-dispatch", daemon=True).start()
        self._jobs.put(job)
        try:
            return await job.future  # type: ignore[no-any-return]
        except asyncio.CancelledError:
            job.abandoned = True
            raise

    def _dispatch(self) -> None:
        """One dispatcher thread: take jobs, run each in this thread's worker, settle its future."""
        worker: _Worker | None = None
        try:
            while True:
                try:
                    job = self._jobs.get(timeout=self.idle_seconds)
                except queue.Empty:
                    return
                if job is None:
                    return
                with self._lock:
                    self._waiting -= 1
                if job.abandoned or job.future.done():
                    continue
                if self._closed:
                    _settle(job, error=PoolClosed("the bot is stopping"))
                    continue
                if worker is None:
                    try:
                        worker = self._start()
                    except TaskRefused as exc:
                        _settle(job, error=exc)
                        continue
                worker = self._run(worker, job)
        finally:
            with self._lock:
                self._dispatchers -= 1
            if worker is not None:
                self._end(worker)

    def _run(self, worker: _Worker, job: _Job) -> _Worker | None:
        """Run one job in ``worker``; the worker to keep for the next, or None when it was ended."""
        if job.abandoned:  # its caller gave up while the worker started
            return worker
        self._busy.add(worker)
        try:
            try:
                worker.conn.send((job.fn, job.args))
                deadline = time.monotonic() + job.seconds
                while not worker.conn.poll(min(0.05, max(0.0, deadline - time.monotonic()))):
                    if self._closed:
                        raise PoolClosed("the bot is stopping")
                    if job.abandoned:
                        self._end(worker)
                        return None
                    if time.monotonic() >= deadline:
                        self.killed += 1
                        self._end(worker)
                        _settle(job, error=TaskRefused(f"took more than {job.seconds:g} s; stopped"))
                        return None
                status, value = worker.conn.recv()
            except PoolClosed as exc:
                _settle(job, error=exc)
                return None
            except (EOFError, OSError):
                if self._closed:
                    _settle(job, error=PoolClosed("the bot is stopping"))
                    return None
                worker.process.join(0.5)
                code = worker.process.exitcode
                self._end(worker)
                _settle(job, error=TaskRefused(f"its worker process died (exit code {code})"))
                return None
            except BaseException as exc:  # an argument that cannot be pickled, say
                self._end(worker)
                _settle(job, error=exc)
                return None
            if status == "memory":
                self.killed += 1
                self._end(worker)
                limit = (self.memory_bytes or 0) / 1_000_000
                _settle(job, error=TaskRefused(f"needed more than {limit:,.0f} MB of memory; stopped"))
                return None
            if status == "error":
                _settle(job, error=value)
            else:
                _settle(job, result=value)
            return worker
        finally:
            self._busy.discard(worker)

    def _start(self) -> _Worker:
        worker = _Worker(self._ctx, self.memory_bytes, self.preload)
        with self._lock:
            self._live.add(worker)
        try:
            worker.wait_ready()
        except BaseException:
            self._end(worker)
            raise
        return worker

    def _end(self, worker: _Worker) -> None:
        worker.kill()
        worker.reap()
        with self._lock:
            self._live.discard(worker)

    @property
    def workers(self) -> int:
        """Worker processes alive now (idle or busy)."""
        return len(self._live)

    def close(self) -> None:
        """Kill every worker now; tasks running or queued end with PoolClosed. Safe to call twice."""
        self._closed = True
        with self._lock:
            workers = list(self._live)
            self._live.clear()
            dispatchers = self._dispatchers
        for worker in workers:
            worker.kill()
        for _ in range(dispatchers):
            self._jobs.put(None)
        for worker in workers:
            worker.reap()
