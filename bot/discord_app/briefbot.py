"""The Discord side: one commands.Bot subclass that owns the database, the library and the cogs."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import secrets
import sqlite3
import sys
import time
from typing import Any

import aiosqlite
import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Settings
from bot.core.errors import UserError
from bot.discord_app import answers, lifecycle
from bot.discord_app.answers import send_private
from bot.discord_app.delivery_worker import DeliveryWorker
from bot.discord_app.embeds import NO_MENTIONS, clean
from bot.discord_app.lifecycle import CLOSE_TIMEOUT, UNREACHABLE, DiscordLogFilter, describe
from bot.library.feeds import FeedPoller
from bot.library.service import Library
from bot.sources.fetch import Fetcher
from bot.storage.db import connect
from bot.storage.feeds import FeedRepository
from bot.storage.requests import RequestRepository
from bot.storage.state import StateRepository
from bot.storage.subscriptions import SubscriptionRepository

log = logging.getLogger(__name__)

EXTENSIONS = (
    "cogs.briefs",
    "cogs.quotes",
    "cogs.authors",
    "cogs.library",
    "cogs.records",
    "cogs.subscriptions",
    "cogs.feeds",
    "cogs.admin",
)


LAG_WARNING = 0.1  # seconds
FEED_CHECK_SECONDS = 30.0  # the feeds table is read at least this often, so `briefbot feeds add` is seen soon
STARTUP_SYNC_SECONDS = 5.0  # the longest start-up waits for the first library sync


class TokenRejected(Exception):
    """Discord refused the token; the message says what to do."""


class BriefBot(commands.Bot):
    db: aiosqlite.Connection
    library: Library
    state: StateRepository

    def __init__(
        self,
        settings: Settings,
        *,
        extensions: tuple[str, ...] = EXTENSIONS,
        auto_sync: bool = True,
        poll: bool = True,
        **options: Any,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True  # only to hear "@briefbot sync" from the owner
        intents.dm_messages = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=NO_MENTIONS,
            help_command=None,
            **options,
        )
        self.settings = settings
        self._extensions = extensions
        self._auto_sync = auto_sync
        self._poll = poll
        self._poller: asyncio.Task[None] | None = None
        self._feed_task: asyncio.Task[None] | None = None
        self._lag_watch: asyncio.Task[None] | None = None
        self._first_sync: asyncio.Future[Any] | None = None
        self.startup_sync_seconds = STARTUP_SYNC_SECONDS
        self.max_loop_lag = 0.0  # seconds: the longest the event loop was seen blocked
        self.setup_started = False  # Discord answered and the bot's own start-up began
        self.tree.on_error = self.on_app_command_error

    async def setup_hook(self) -> None:
        self.setup_started = True
        self.db = await connect(self.settings.db_path)
        self.state = StateRepository(self.db)
        self.requests = RequestRepository(self.db)
        self.subscriptions = SubscriptionRepository(self.db)
        self.library = Library(self.db, self.settings.articles_dir)
        self.deliveries = DeliveryWorker(self)
        if self._poll:  # watched from the start, so that a cold ingest's effect on the loop shows
            self._lag_watch = asyncio.create_task(self._watch_loop_lag(), name="briefbot-loop-lag")
        self.feeds = FeedRepository(self.db)
        added, removed = await self.feeds.sync_config(self.settings.feeds, self.settings.feed_interval)
        for url in added:
            log.info("feed %s added from BRIEFBOT_FEEDS", url)
        for url in removed:
            log.info("feed %s removed: no longer in BRIEFBOT_FEEDS", url)
        self.fetcher = Fetcher(allow_private=self.settings.feeds_allow_private)
        self.feed_poller = FeedPoller(self.feeds, self.library, self.fetcher)
        # The first sync is waited for a few seconds at most: a folder of pages slow to extract (each
        # within its budget, bot.library.ingest.PAGE_SECONDS) must not keep the bot from answering with the
        # articles the database already holds. The sync goes on in the background, holding the
        # library's lock, so the first poll waits for it.
        first = asyncio.ensure_future(self.library.sync())
        done, _ = await asyncio.wait({first}, timeout=self.startup_sync_seconds)
        if first in done:
            report = first.result()
            log.info("library ready: %d articles (%d skipped)", len(self.library.articles), len(report.skipped))
        else:
            self._first_sync = first
            first.add_done_callback(self._first_sync_done)
            log.info(
                "library ready with %d articles; the first sync goes on in the background", len(self.library.articles)
            )
        for name in self._extensions:
            await self.load_extension(name)
        if self._auto_sync:
            try:
                await self.sync_commands()
            except UNREACHABLE as exc:  # Discord went away since the login: the bot runs; the next start retries
                log.warning("could not upload the slash commands (%s); the next start tries again", describe(exc))
        if self._poll:
            self._poller = asyncio.create_task(self._poll_library(), name="briefbot-library-poll")
            self._feed_task = asyncio.create_task(self._poll_feeds(), name="briefbot-feed-poll")
            self.deliveries.start()  # posts whatever is pending, including what a crash left

    async def login(self, token: str) -> None:
        # Interaction responses retried within Discord's window (bot/answers.py), for the task that
        # logs in and every task it starts: whether through start() or run()'s login and connect.
        answers.install(self)
        await super().login(token)

    def _first_sync_done(self, task: asyncio.Future[Any]) -> None:
        """The first sync, finished in the background: its outcome logged, its deliveries posted."""
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            log.error("the first library sync failed", exc_info=error)
            return
        report = task.result()
        log.info("the first library sync finished: %d added, %d skipped", len(report.added), len(report.skipped))
        if report.queued and self._poll:
            self.deliveries.wake()

    async def close(self) -> None:
        """Kill the page workers, stop the polls and the delivery worker, close the fetcher and the
        connection to Discord, and always close the database last (whatever failed before it)."""
        try:
            if hasattr(self, "library"):
                self.library.close()  # page workers killed now: a page being extracted holds nothing up
            if self._lag_watch is not None:
                self._lag_watch.cancel()
            if self._first_sync is not None:
                self._first_sync.cancel()
            if hasattr(self, "deliveries"):
                await self.deliveries.stop()
            for task in (self._poller, self._feed_task):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            if hasattr(self, "feed_poller"):
                await self.feed_poller.stop()  # the polls in progress: before the fetcher and the database close
            if hasattr(self, "fetcher"):
                await self.fetcher.close()
            try:  # a network that went away answers no close frame: not waited for long
                await asyncio.wait_for(super().close(), CLOSE_TIMEOUT)
            except TimeoutError:
                log.warning("the connection to Discord did not close within %.0f s; not waiting for it", CLOSE_TIMEOUT)
        finally:
            if hasattr(self, "db"):
                await self.db.close()

    async def on_ready(self) -> None:
        assert self.user is not None
        log.info(
            "connected as %s (id %s) to %d servers, serving %d articles",
            self.user,
            self.user.id,
            len(self.guilds),
            len(self.library.articles),
        )

    async def record(self, interaction: discord.Interaction, article_id: str, command: str) -> None:
        """Remember that this user asked for this article (read by /history, deleted by /forget)."""
        await self.requests.record(
            user_id=interaction.user.id,
            guild_id=interaction.guild_id,
            channel_id=interaction.channel_id,
            article_id=article_id,
            command=command,
        )

    # --- command tree sync ----------------------------------------------------------------------

    def command_fingerprint(self, guild: discord.abc.Snowflake | None) -> str:
        payload = [c.to_dict(self.tree) for c in self.tree.get_commands(guild=guild)]
        payload.sort(key=lambda c: (c.get("type", 1), c["name"]))
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    async def sync_commands(self, *, force: bool = False) -> bool:
        """Upload the command tree only when it changed since the last upload (or when forced).

        Discord rate-limits command uploads, so an unchanged tree is never sent again; with
        BRIEFBOT_DEV_GUILD set, commands go to that server, where they appear at once.
        """
        guild = discord.Object(id=self.settings.dev_guild) if self.settings.dev_guild else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        key = f"commands:{guild.id if guild else 'global'}"
        fingerprint = self.command_fingerprint(guild)
        if not force and await self.state.get(key) == fingerprint:
            log.info("commands unchanged since the last sync; not syncing")
            return False
        synced = await self.tree.sync(guild=guild)
        await self.state.set(key, fingerprint)
        log.info("synced %d commands %s", len(synced), f"to server {guild.id}" if guild else "globally")
        return True

    # --- event loop health -----------------------------------------------------------------------

    async def _watch_loop_lag(self, interval: float = 0.05) -> None:
        """Measure how long the event loop is blocked: a sleep that wakes late was kept waiting.
        Blocks over LAG_WARNING are logged, so an operator sees them, with the CPU time the loop's
        thread used meanwhile: near the lag, the loop itself was busy (one long step, or many
        queued ones); far below it, the process was starved (other threads holding the GIL, or
        the machine busy)."""
        loop = asyncio.get_running_loop()
        while True:
            start, cpu = loop.time(), time.thread_time()
            await asyncio.sleep(interval)
            lag = loop.time() - start - interval
            if lag > self.max_loop_lag:
                self.max_loop_lag = lag
            if lag > LAG_WARNING:
                busy = time.thread_time() - cpu
                log.warning("event loop blocked for %.0f ms (loop thread busy %.0f ms)", lag * 1000, busy * 1000)

    # --- the library poll -------------------------------------------------------------------------

    async def _poll_library(self) -> None:
        while True:
            await asyncio.sleep(self.settings.poll_seconds)
            try:
                report = await self.library.sync()
                if report.queued:
                    self.deliveries.wake()
            except Exception:
                log.exception("library sync failed; retrying in %ss", self.settings.poll_seconds)

    async def _poll_feeds(self) -> None:
        """Start polling the feeds that are due, each in a task of its own, then sleep until the next
        is due or a poll ends (at most FEED_CHECK_SECONDS, so feeds added or removed from the command
        line are seen soon). A slow feed is never waited for: a feed due meanwhile starts on time."""
        while True:
            try:
                for task in await self.feed_poller.start_due():
                    task.add_done_callback(self._feed_polled)
                next_due = await self.feed_poller.next_due()
            except Exception:
                log.exception("feed poll failed; retrying in %ss", FEED_CHECK_SECONDS)
                next_due = None
            wait = FEED_CHECK_SECONDS if next_due is None else next_due - self.feed_poller.clock()
            await self.feed_poller.wait(min(FEED_CHECK_SECONDS, max(1.0, wait)))

    def _feed_polled(self, task: asyncio.Task[Any]) -> None:
        """A feed's poll ended: wake the delivery worker when it queued posts, log what went wrong when
        even recording its failure failed (a poll's own errors are counted against its feed)."""
        if task.cancelled():
            return
        if (exc := task.exception()) is not None:
            log.error("feed poll failed; the feed is polled again at its next check", exc_info=exc)
        elif task.result().queued:
            self.deliveries.wake()

    # --- errors ----------------------------------------------------------------------------------

    async def on_command_error(self, ctx: commands.Context[Any], error: commands.CommandError) -> None:
        """Text commands (only the owner's `sync`): ignore strangers and unknown commands quietly."""
        if isinstance(error, commands.CommandNotFound | commands.CheckFailure):
            log.debug("ignored text command from %s: %s", ctx.author.id, error)
            return
        log.error("text command %s failed", ctx.command, exc_info=error)

    async def on_app_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """Every slash-command error ends here: users get a polite line, operators a traceback."""
        await self.report_interaction_error(interaction, error)

    async def report_interaction_error(self, interaction: discord.Interaction, error: Exception) -> None:
        """The one place errors become answers, for commands and for buttons and menus alike."""
        original = getattr(error, "original", error)
        if isinstance(original, UserError):
            message = clean(original.message)
        elif isinstance(error, app_commands.CommandOnCooldown):
            message = f"Easy there: you can use this command again in {error.retry_after:.0f} s."
        elif isinstance(error, app_commands.CheckFailure):
            message = str(error) or "You can't use this command here."
        elif isinstance(error, app_commands.TransformerError):
            message = f"I couldn't understand {error.value!r} for that option."
        elif isinstance(original, sqlite3.OperationalError) and "locked" in str(original):
            # Another process held the database longer than the busy timeout: nothing was answered
            # and nothing recorded, so the user can simply ask again.
            log.warning("database locked during interaction %s: %s", interaction.id, original)
            message = "My database is busy right now, so I couldn't do that. Please try again in a moment."
        else:
            error_id = secrets.token_hex(4)
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error("error %s in /%s", error_id, command, exc_info=original)
            message = f"Sorry, something went wrong on my side (error id `{error_id}`). It has been logged."
        await send_private(interaction, message)


async def sync_now(settings: Settings, token: str) -> int:
    """`python -m bot sync`: log in over HTTP only, upload the command tree, and return its size."""
    async with BriefBot(settings, auto_sync=False, poll=False) as bot:
        try:
            await bot.login(token)
        except discord.LoginFailure:
            raise TokenRejected(_REJECTED) from None
        await bot.sync_commands(force=True)
        return len(bot.tree.get_commands())


_REJECTED = (
    "Discord rejected DISCORD_TOKEN (401 Unauthorized). Copy the token again from "
    "https://discord.com/developers/applications (Bot > Reset Token) into .env."
)


# How often a thread holding the GIL is made to hand it over (Python's default is 5 ms). The bot's
# background threads do seconds of Python work at 100,000 articles (a full folder scan, rebuilding
# the lookups); each time the event loop wakes for a command it must wait for the GIL, and at 5 ms
# a wait per wake-up added up to over 100 ms for one /brief while they ran.
SWITCH_INTERVAL = 0.001  # seconds


async def run(settings: Settings, token: str) -> None:
    """Log in (trying again while Discord cannot be reached), start up, and serve until closed.
    Stopping on a signal is bot.discord_app.lifecycle.serve's: it cancels this coroutine."""
    sys.setswitchinterval(SWITCH_INTERVAL)
    bot = BriefBot(settings)
    one_line = DiscordLogFilter(connected_once=lambda: bot.ws is not None)
    discord_log = logging.getLogger("discord.client")
    discord_log.addFilter(one_line)
    try:
        async with bot:
            try:
                await lifecycle.login(bot, token)
                await lifecycle.connect(bot)
            except discord.LoginFailure:
                raise TokenRejected(_REJECTED) from None
            except discord.PrivilegedIntentsRequired:
                raise TokenRejected(
                    "Discord refused the connection: this bot asks for no privileged intents, "
                    "so check the application's settings in the developer portal."
                ) from None
            except discord.ConnectionClosed as exc:
                if exc.code == 4004:  # the token was revoked (reset) while the bot ran
                    raise TokenRejected(_REJECTED) from None
                raise
    finally:
        discord_log.removeFilter(one_line)
