"""Starting and stopping the bot's process.

Stopping: Ctrl-C (SIGINT) and SIGTERM cancel the main task wherever it is (starting up, waiting
for Discord, analysing the folder, serving), so ``BriefBot.close`` runs: the polls and the delivery
worker are cancelled, the fetcher and the connection to Discord closed, the database closed. Then
the analysis worker processes are ended (a worker busy with a long page is not waited for), one
"stopped" line is logged and the process exits with status 0. Python cannot interrupt a thread, so
a worker thread still busy with a computation whose result nobody wants would hold the exit; once
everything that matters is closed, the process ends without waiting for it. A watchdog ends the
process (status 1, with a log line) if a clean stop has not finished STOP_DEADLINE seconds after
the signal: the database is in WAL mode, so even then it stays whole.

Starting: while Discord cannot be reached (no network, DNS failure, connection refused, 5xx), each
attempt logs one line and the next waits longer (doubling from RETRY_FIRST to RETRY_CAP seconds,
with jitter, so many bots do not retry in step). A token Discord rejects is not retried.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import random
import signal
import sys
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any

import aiohttp
import discord
from discord.utils import MISSING

from bot import PARENT_PID_VARIABLE
from bot.core.backoff import backoff

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
STOP_DEADLINE = 8.0  # seconds from the signal to the end of the process, at most
CLOSE_TIMEOUT = 3.0  # seconds for closing the connection to Discord (a dead network never answers)
WORKER_GRACE = 1.0  # seconds for killed worker processes to be collected
THREAD_GRACE = 0.5  # seconds the threads still running at the end have to finish

RETRY_FIRST = 1.0  # seconds: the first wait (at most; jitter takes up to half off every wait)
RETRY_CAP = 60.0  # seconds: the longest wait between two attempts

# What "Discord cannot be reached" looks like: the network (refused, unreachable, DNS, reset, TLS),
# a timeout, or Discord's own 5xx after discord.py's retries.
UNREACHABLE: tuple[type[BaseException], ...] = (
    OSError,
    aiohttp.ClientError,
    TimeoutError,
    discord.GatewayNotFound,
    discord.DiscordServerError,
)


def retry_delay(attempt: int, rng: random.Random | None = None) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1, 2, ...): half the capped
    exponential step, plus a random part of up to the other half."""
    step = backoff(RETRY_FIRST, attempt, RETRY_CAP)
    return step / 2 + (rng or random).uniform(0, step / 2)


def describe(exc: BaseException) -> str:
    """One line saying why Discord could not be reached (no traceback)."""
    if isinstance(exc, TimeoutError):
        return "timed out"
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


async def login(bot: Any, token: str, *, sleep: Callable[[float], Coroutine[Any, Any, None]] = asyncio.sleep) -> None:
    """``bot.login(token)``, tried again with backoff while Discord cannot be reached. Failures
    after ``bot.setup_started`` (the bot's own start-up, after Discord answered) are not retried:
    they are not about reaching Discord, and set-up must not run twice."""
    attempt = 0
    while True:
        attempt += 1
        try:
            await bot.login(token)
            if attempt > 1:
                log.info("reached Discord at attempt %d", attempt)
            return
        except UNREACHABLE as exc:
            if getattr(bot, "setup_started", False):
                raise
            delay = retry_delay(attempt)
            log.warning("cannot reach Discord (attempt %d): %s; trying again in %.1f s", attempt, describe(exc), delay)
        # discord.py opens a new HTTP session at each login: close this one (and the connector it
        # owns), or each attempt would leave an unclosed session behind.
        with contextlib.suppress(Exception):
            await bot.http.close()
        bot.http.connector = MISSING
        await sleep(delay)


async def connect(bot: Any, *, sleep: Callable[[float], Coroutine[Any, Any, None]] = asyncio.sleep) -> None:
    """``bot.connect()``, tried again with backoff while the gateway cannot be reached at first.

    Once connected, discord.py reconnects by itself. Its first connection is another matter: when
    it fails, discord.py 2.x waits, then reads the sequence number of a websocket it never had and
    raises AttributeError, the real reason as that error's context. That case (and only it: no
    websocket yet, a network reason) is retried here, with a line of its own per attempt.
    """
    attempt = 0
    while True:
        attempt += 1
        try:
            await bot.connect(reconnect=True)
            return
        except AttributeError as exc:
            reason = exc.__context__
            if bot.ws is not None or not isinstance(reason, UNREACHABLE):
                raise
        delay = retry_delay(attempt)
        log.warning(
            "cannot reach Discord's gateway (attempt %d): %s; trying again in %.1f s", attempt, describe(reason), delay
        )
        await sleep(delay)


class DiscordLogFilter(logging.Filter):
    """discord.py's start-up and reconnect records, one line each: "logging in using static token"
    once, not at every attempt; a reconnect (the network down while running) without its
    traceback, the reason on the same line instead; and none for a first connection that failed
    (``connect`` above logs that one)."""

    def __init__(self, connected_once: Callable[[], bool]) -> None:
        super().__init__()
        self._connected_once = connected_once
        self._logged_in_once = False

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == "logging in using static token":
            seen, self._logged_in_once = self._logged_in_once, True
            return not seen
        if isinstance(record.msg, str) and record.msg.startswith("Attempting a reconnect in") and record.exc_info:
            if not self._connected_once():
                return False
            exc = record.exc_info[1]
            if exc is not None:
                record.msg = record.getMessage() + f" ({describe(exc)})"
                record.args = None
                record.exc_info = None
                record.exc_text = None
        return True


class Stopper:
    """Turns SIGINT and SIGTERM into a clean stop: the main task is cancelled once (a second
    signal does not interrupt the stop in progress), and a watchdog bounds the whole stop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, task: asyncio.Task[Any]) -> None:
        self.loop = loop
        self.task = task
        self.signal: str | None = None
        self.since = 0.0

    def install(self) -> None:
        for sig in STOP_SIGNALS:
            try:
                self.loop.add_signal_handler(sig, self.request, sig)
            except NotImplementedError:  # an event loop without signal support: Ctrl-C stays KeyboardInterrupt
                log.debug("cannot handle %s on this event loop", sig.name)

    def uninstall(self) -> None:
        for sig in STOP_SIGNALS:
            with contextlib.suppress(Exception):
                self.loop.remove_signal_handler(sig)
            # Between the loop's end and the process's: a signal changes nothing now.
            with contextlib.suppress(Exception):
                signal.signal(sig, signal.SIG_IGN)

    def request(self, sig: signal.Signals) -> None:
        if self.signal is not None:
            log.info("%s: already stopping", sig.name)
            return
        self.signal = sig.name
        self.since = time.monotonic()
        log.info("%s: stopping", sig.name)
        watchdog = threading.Thread(target=self._watch, name="briefbot-stop-watchdog", daemon=True)
        watchdog.start()
        self.task.cancel()

    def _watch(self) -> None:
        time.sleep(STOP_DEADLINE)
        log.error("not stopped %.0f s after %s: exiting without waiting any longer", STOP_DEADLINE, self.signal)
        exit_now(1)


def owns_process() -> bool:
    """Whether this is the process's main thread, which may take signals over and end the process
    (not so when a test runs the program in a thread of its own)."""
    return threading.current_thread() is threading.main_thread()


def serve(main: Coroutine[Any, Any, None]) -> str | None:
    """Run ``main`` on a new event loop until it returns or a stop signal ends it; return the
    signal's name (None if ``main`` returned by itself). Exceptions from ``main`` propagate."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    task = loop.create_task(main, name="briefbot-main")
    stopper = Stopper(loop, task)
    owner = owns_process()
    if owner:
        stopper.install()
        os.environ[PARENT_PID_VARIABLE] = str(os.getpid())  # its workers leave Ctrl-C to it (bot/__init__.py)
    try:
        try:
            loop.run_until_complete(task)
        except asyncio.CancelledError:
            if stopper.signal is None:
                raise
        return stopper.signal
    finally:
        try:
            _finish_tasks(loop)
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            if owner:
                stopper.uninstall()
            asyncio.set_event_loop(None)
            # Not loop.shutdown_default_executor(): it waits for every worker thread, and one may
            # be busy for minutes with work whose result nobody wants now. close() stops the
            # executor without waiting.
            loop.close()
            if owner:
                end_worker_processes()
                # The database's thread (and any other that is about to end) finishes first, so
                # that its last log line comes before ours.
                wait_for_threads(THREAD_GRACE)
            if stopper.signal is not None:
                log.info("stopped (%s, %.1f s after the signal)", stopper.signal, time.monotonic() - stopper.since)


def _finish_tasks(loop: asyncio.AbstractEventLoop, timeout: float = CLOSE_TIMEOUT) -> None:
    """Cancel what is still pending (discord.py's helpers, a straggler) and give it a moment."""
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    if not pending:
        return
    for t in pending:
        t.cancel()
    loop.run_until_complete(asyncio.wait(pending, timeout=timeout))
    for t in pending:
        if t.done() and not t.cancelled() and t.exception() is not None:
            log.debug("task %s ended with %r while stopping", t.get_name(), t.exception())


def end_worker_processes(grace: float = WORKER_GRACE) -> None:
    """Kill this process's worker processes (the analysis and page pools'): a worker busy with a
    long task would otherwise be waited for at exit, however long the task. They hold nothing
    that needs a clean exit, and they ignore SIGTERM (see bot/__init__.py): SIGKILL."""
    children = multiprocessing.active_children()
    for child in children:
        with contextlib.suppress(Exception):
            child.kill()
    deadline = time.monotonic() + grace
    for child in children:
        child.join(max(0.0, deadline - time.monotonic()))


def busy_threads() -> list[threading.Thread]:
    """Threads other than this one that the interpreter would wait for at exit."""
    me = threading.current_thread()
    return [t for t in threading.enumerate() if t is not me and not t.daemon and t.is_alive()]


def wait_for_threads(grace: float) -> list[threading.Thread]:
    """Give the threads the interpreter would wait for at exit ``grace`` seconds in all to end;
    return those still running."""
    deadline = time.monotonic() + grace
    for t in busy_threads():
        t.join(max(0.0, deadline - time.monotonic()))
    return busy_threads()


def end_process(status: int) -> int:
    """Return ``status`` for a normal exit; but when a worker thread is still busy (a computation
    nobody waits for any more: everything else is closed by now), end the process at once with
    that status rather than wait for it. Only from the main thread: a program run in a thread
    (by a test) does not end the process it shares."""
    if not owns_process():
        return status
    left = wait_for_threads(0.0)
    if left:
        log.debug("not waiting for busy threads: %s", ", ".join(t.name for t in left))
        exit_now(status)
    return status


def exit_now(status: int) -> None:
    """End the process with ``status`` after flushing the log and the standard streams."""
    for handler in logging.getLogger().handlers:
        with contextlib.suppress(Exception):
            handler.flush()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status)
