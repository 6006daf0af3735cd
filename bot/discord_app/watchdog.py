"""Keeping the bot inside Discord's 3-second window: the event loop's lag, measured, and commands
acknowledged in time however long their work takes.

Both are state of one bot (``BriefBot.lag`` and ``BriefBot.acks``), not of the process: two bots
in one process (as in the tests) count their own commands in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator

import discord

from bot.discord_app.answers import answer_lock, defer

log = logging.getLogger(__name__)

LAG_WARNING = 0.1  # seconds
# Under a burst (hundreds of commands at once) the answers queue behind each other's database
# reads; past BUSY_THRESHOLD commands in flight, a command is acknowledged first (deferred) so that
# it is inside Discord's 3-second window whatever the queue, and answered as soon as it can be.
BUSY_THRESHOLD = 32
# Whatever else makes a command slow (another process holding the database locked, a slow disk),
# one not answered after ACK_DEADLINE seconds is deferred, so it is still answered (by editing the
# deferred message: see bot/discord_app/answers.py).
ACK_DEADLINE = 1.5


class LoopLag:
    """How long the event loop is blocked: a sleep that wakes late was kept waiting."""

    def __init__(self, interval: float = 0.05, warning: float = LAG_WARNING) -> None:
        self.interval = interval
        self.warning = warning
        self.max_lag = 0.0  # seconds: the longest the event loop was seen blocked

    async def watch(self) -> None:
        """Measure forever. Blocks over ``warning`` are logged, so an operator sees them, with the
        CPU time the loop's thread used meanwhile: near the lag, the loop itself was busy (one long
        step, or many queued ones); far below it, the process was starved (other threads holding
        the GIL, or the machine busy)."""
        loop = asyncio.get_running_loop()
        while True:
            start, cpu = loop.time(), time.thread_time()
            await asyncio.sleep(self.interval)
            lag = loop.time() - start - self.interval
            if lag > self.max_lag:
                self.max_lag = lag
            if lag > self.warning:
                busy = time.thread_time() - cpu
                log.warning("event loop blocked for %.0f ms (loop thread busy %.0f ms)", lag * 1000, busy * 1000)


class Acknowledgements:
    """Commands in flight, each acknowledged in time: at once under a burst, after a deadline when
    its work is slow."""

    def __init__(self, busy_threshold: int = BUSY_THRESHOLD, deadline: float = ACK_DEADLINE) -> None:
        self.busy_threshold = busy_threshold
        self.deadline = deadline
        self.in_flight = 0

    @contextlib.asynccontextmanager
    async def in_time(self, interaction: discord.Interaction, *, ephemeral: bool = False) -> AsyncIterator[None]:
        """Run a command's work so that Discord gets an acknowledgement in time. Answer inside it
        with bot.discord_app.answers.reply."""
        self.in_flight += 1
        watchdog = asyncio.create_task(_defer_after(interaction, self.deadline, ephemeral))
        try:
            if self.in_flight > self.busy_threshold:
                await defer(interaction, ephemeral=ephemeral)
            yield
        finally:
            self.in_flight -= 1
            lock = answer_lock(interaction)
            if lock.locked():  # the watchdog is deferring right now (the work is done): that completes first
                async with lock:
                    pass
            # Otherwise it is asleep, or waiting for the lock behind an answer that has now been sent
            # or has failed: either way no deferral is wanted any more.
            watchdog.cancel()


async def _defer_after(interaction: discord.Interaction, delay: float, ephemeral: bool) -> None:
    await asyncio.sleep(delay)
    try:
        await defer(interaction, ephemeral=ephemeral)
    except discord.HTTPException:
        log.warning("could not defer slow interaction %s", interaction.id, exc_info=True)
