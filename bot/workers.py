"""Worker processes that never outlive the bot.

The library analyses a large batch of files in a pool of worker processes. When the bot process is
killed (SIGKILL, the OOM killer), nothing tells those workers: each still holds its own end of the
pool's task pipe, so it waits for the next task forever. ``exit_with_parent`` (the pool's
initializer) ends a worker as soon as the process that started it is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import multiprocessing
import os
import threading
import time
import weakref
from collections.abc import Callable
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
_START_SECONDS = 120.0  # a worker's imports on a busy machine; not part of a task's budget


def _serve(conn: Any, parent_pid: int, memory_bytes: int | None, preload: tuple[str, ...]) -> None:
    """A worker's life: import what the tasks need, limit memory, then run tasks until told to stop."""
    import importlib
    import pickle

    exit_with_parent(parent_pid)
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
    conn.send(READY)
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
            target=_serve, args=(child, os.getpid(), memory_bytes, preload), name="briefbot-page", daemon=True
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

    def roundtrip(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, Any]:
        self.conn.send((fn, args))
        return self.conn.recv()  # type: ignore[no-any-return]

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.conn.close()

    def reap(self) -> None:
        """Collect a killed worker's exit status (so it leaves no zombie); quick after kill()."""
        with contextlib.suppress(Exception):
            self.process.join(5)


def _in_thread(loop: asyncio.AbstractEventLoop, fn: Callable[[], T]) -> asyncio.Future[T]:
    """Run ``fn`` in a daemon thread of its own: a daemon never holds up the interpreter's exit,
    as a thread of an executor blocked on a worker's pipe would."""
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        try:
            result = fn()
        except BaseException as exc:  # handed to the awaiting task
            with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
                loop.call_soon_threadsafe(settle, None, exc)
            return
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, result, None)

    threading.Thread(target=run, name="briefbot-page-wait", daemon=True).start()
    return future


def _kill_all(idle: list[_Worker], busy: set[_Worker]) -> None:
    for worker in [*idle, *busy]:
        worker.kill()


def _reap_later(pool: weakref.ref[KillablePool]) -> None:
    alive = pool()
    if alive is not None:
        alive._reap_idle()


class KillablePool:
    """At most ``size`` tasks at once, each in a worker process with a wall-time and memory budget.

    Workers start when first needed and are kept for the next task; one idle for ``idle_seconds``
    ends. A task over its time budget has its worker killed; over its memory budget, the worker
    exits; either way :meth:`run` raises TaskRefused saying why, and the next task gets a fresh
    worker. ``close()`` kills every worker at once (the bot's ``close()`` calls it)."""

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
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._slots: asyncio.Semaphore | None = None
        self._closed = False
        self.killed = 0  # workers killed over a budget, for tests and the log
        # A pool dropped without close() (a test's library) still ends its workers when collected.
        weakref.finalize(self, _kill_all, self._idle, self._busy)

    async def run(self, fn: Callable[..., T], *args: Any, seconds: float) -> T:
        """``fn(*args)`` in a worker; its result, or its own exception, or TaskRefused.
        ``fn``, its arguments and its result must be picklable (a module-level function)."""
        if self._closed:
            raise PoolClosed("the bot is stopping")
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.size)
        loop = asyncio.get_running_loop()
        async with self._slots:
            self._reap_idle()
            worker = self._idle.pop() if self._idle else None
            if worker is None:
                worker = await _in_thread(loop, self._start)
                if self._closed:  # closed while it started
                    worker.kill()
                    raise PoolClosed("the bot is stopping")
            self._busy.add(worker)
            keep = False
            try:
                try:
                    status, value = await asyncio.wait_for(
                        _in_thread(loop, functools.partial(worker.roundtrip, fn, args)), seconds
                    )
                except TimeoutError:
                    self.killed += 1
                    raise TaskRefused(f"took more than {seconds:g} s; stopped") from None
                except (EOFError, OSError):
                    if self._closed:
                        raise PoolClosed("the bot is stopping") from None
                    worker.process.join(1)
                    raise TaskRefused(f"its worker process died (exit code {worker.process.exitcode})") from None
                if status == "memory":
                    self.killed += 1
                    limit = (self.memory_bytes or 0) / 1_000_000
                    raise TaskRefused(f"needed more than {limit:,.0f} MB of memory; stopped")
                keep = True
                if status == "error":
                    raise value
                return value  # type: ignore[no-any-return]
            finally:
                self._busy.discard(worker)
                if keep and not self._closed:
                    worker.idle_since = time.monotonic()
                    self._idle.append(worker)
                    loop.call_later(self.idle_seconds + 0.5, _reap_later, weakref.ref(self))
                else:
                    worker.kill()
                    _in_thread(loop, worker.reap)

    def _start(self) -> _Worker:
        worker = _Worker(self._ctx, self.memory_bytes, self.preload)
        try:
            worker.wait_ready()
        except BaseException:
            worker.kill()
            worker.reap()
            raise
        return worker

    def _reap_idle(self) -> None:
        now = time.monotonic()
        stale = [w for w in self._idle if now - w.idle_since >= self.idle_seconds]
        for worker in stale:
            self._idle.remove(worker)
            worker.kill()
            worker.reap()

    @property
    def workers(self) -> int:
        """Worker processes alive now (idle or busy)."""
        return len(self._idle) + len(self._busy)

    def close(self) -> None:
        """Kill every worker now; later tasks are refused. Safe to call more than once."""
        self._closed = True
        workers = [*self._idle, *self._busy]
        self._idle.clear()
        for worker in workers:
            worker.kill()
        for worker in workers:
            worker.reap()
