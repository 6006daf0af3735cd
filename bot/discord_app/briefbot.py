"""The Discord side: one commands.Bot subclass that composes the bot's services and starts its
background tasks. What each does lives in a module of its own: the delivery worker
(delivery_worker.py), the polls (polls.py), command uploads (sync.py), error answers (errors.py),
the loop-lag and acknowledgement watchdogs (watchdog.py), answering within Discord's window
(answers.py), starting and stopping the process (lifecycle.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
from typing import Any

import discord
from discord.ext import commands

from bot.analysis.engine import DEFAULT_SENTENCES
from bot.config import Settings
from bot.core.models import Brief
from bot.discord_app import answers, errors, lifecycle
from bot.discord_app.delivery_worker import DeliveryWorker
from bot.discord_app.embeds import NO_MENTIONS
from bot.discord_app.lifecycle import CLOSE_TIMEOUT, UNREACHABLE, DiscordLogFilter, describe
from bot.discord_app.polls import poll_feeds, poll_library, sweep_links
from bot.discord_app.sync import CommandSync
from bot.discord_app.watchdog import Acknowledgements, LoopLag
from bot.library.feeds import FeedPoller
from bot.library.links import SWEEP_SECONDS, Links
from bot.library.service import Library
from bot.sources.fetch import Fetcher
from bot.storage.clock import Clock
from bot.storage.database import Database
from bot.storage.db import connect
from bot.storage.digests import DigestRepository
from bot.storage.feeds import FeedRepository
from bot.storage.links import LinkRepository
from bot.storage.requests import RequestRepository
from bot.storage.state import StateRepository
from bot.storage.subscriptions import SubscriptionRepository

log = logging.getLogger(__name__)

EXTENSIONS = (
    "cogs.briefs",
    "cogs.links",
    "cogs.quotes",
    "cogs.authors",
    "cogs.library",
    "cogs.records",
    "cogs.subscriptions",
    "cogs.feeds",
    "cogs.admin",
    "cogs.help",
)

STARTUP_SYNC_SECONDS = 5.0  # the longest start-up waits for the first library sync


class TokenRejected(Exception):
    """Discord refused the token or the connection (intents, shards); the message says what to do."""


class BriefBot(commands.Bot):
    """Composes the bot's services when Discord answers (``setup_hook``), starts its background
    tasks, and closes them all, the database last. Every service is None until started."""

    def __init__(
        self,
        settings: Settings,
        *,
        extensions: tuple[str, ...] = EXTENSIONS,
        auto_sync: bool = True,
        poll: bool = True,
        clock: Clock = time.time,
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
        self.clock = clock  # calendar time for the digest periods (tests move it)
        self.startup_sync_seconds = STARTUP_SYNC_SECONDS
        self.setup_started = False  # Discord answered and the bot's own start-up began
        # The bot's own health: how late its event loop runs, and its commands acknowledged in time.
        self.lag = LoopLag()
        self.acks = Acknowledgements()
        # The services, composed by setup_hook.
        self.db: Database | None = None
        self.state: StateRepository | None = None
        self.requests: RequestRepository | None = None
        self.subscriptions: SubscriptionRepository | None = None
        self.digests: DigestRepository | None = None
        self.library: Library | None = None
        self.feeds: FeedRepository | None = None
        self.fetcher: Fetcher | None = None
        self.link_fetcher: Fetcher | None = None  # members' links: its own private-address switch
        self.feed_poller: FeedPoller | None = None
        self.links: Links | None = None
        self.delivery_worker: DeliveryWorker | None = None
        self.commands_sync: CommandSync | None = None
        # The background tasks, started by setup_hook when polling.
        self._lag_watch: asyncio.Task[None] | None = None
        self._first_sync: asyncio.Future[Any] | None = None
        self._poller: asyncio.Task[None] | None = None
        self._feed_task: asyncio.Task[None] | None = None
        self._links_task: asyncio.Task[None] | None = None
        self.tree.on_error = errors.on_app_command_error

    @property
    def max_loop_lag(self) -> float:
        """Seconds: the longest the event loop was seen blocked."""
        return self.lag.max_lag

    async def setup_hook(self) -> None:
        self.setup_started = True
        if self._poll:  # watched from the start, so that a cold ingest's effect on the loop shows
            self._lag_watch = asyncio.create_task(self.lag.watch(), name="briefbot-loop-lag")
        self.db = db = await connect(self.settings.database)
        self.state = StateRepository(db)
        self.requests = RequestRepository(db)
        self.subscriptions = SubscriptionRepository(db, clock=self.clock)
        self.digests = DigestRepository(db, clock=self.clock)
        self.library = Library(db, self.settings.articles_dir, clock=self.clock)
        self.delivery_worker = DeliveryWorker(
            self.subscriptions,
            self._brief_for_delivery,
            self.get_partial_messageable,
            ready=self.wait_until_ready,
            digests=self.digests,
        )
        self.commands_sync = CommandSync(self.tree, self.state, self.settings.dev_guild)
        self.feeds = FeedRepository(db)
        added, removed = await self.feeds.sync_config(self.settings.feeds, self.settings.feed_interval)
        for url in added:
            log.info("feed %s added from BRIEFBOT_FEEDS", url)
        for url in removed:
            log.info("feed %s removed: no longer in BRIEFBOT_FEEDS", url)
        self.fetcher = Fetcher(allow_private=self.settings.feeds_allow_private)
        self.feed_poller = FeedPoller(self.feeds, self.library, self.fetcher)
        # The fetcher's limits, but the private-address switch of links: a member's link is not the
        # operator's feed, and BRIEFBOT_FEEDS_ALLOW_PRIVATE must not let every member read the LAN.
        self.link_fetcher = Fetcher(allow_private=self.settings.links_allow_private)
        self.links = Links(
            self.library, self.link_fetcher, LinkRepository(db), keep_seconds=self.settings.links_keep_days * 86_400.0
        )
        await self._first_library_sync(self.library)
        for name in self._extensions:
            await self.load_extension(name)
        if self._auto_sync and self.uploads_commands:
            try:
                await self.commands_sync.sync()
            except UNREACHABLE as exc:  # Discord went away since the login: the bot runs; the next start retries
                log.warning("could not upload the slash commands (%s); the next start tries again", describe(exc))
        if self._poll:
            wake = self.delivery_worker.wake
            self._poller = asyncio.create_task(
                poll_library(self.library, self.settings.poll_seconds, wake), name="briefbot-library-poll"
            )
            self._feed_task = asyncio.create_task(poll_feeds(self.feed_poller, wake), name="briefbot-feed-poll")
            self._links_task = asyncio.create_task(sweep_links(self.links, SWEEP_SECONDS), name="briefbot-links-sweep")
            self.delivery_worker.start()  # posts whatever is pending, including what a crash left

    @property
    def uploads_commands(self) -> bool:
        """Whether this process uploads the slash commands at start (when they changed): with shards
        split over several processes, the one running shard 0 does (the commands are the
        application's, not a shard's: one upload serves every shard)."""
        return not self.settings.sharded or 0 in (self.settings.shard_ids or ())

    async def _first_library_sync(self, library: Library) -> None:
        """The first sync is waited for a few seconds at most: a folder of pages slow to extract (each
        within its budget, bot.library.ingest.PAGE_SECONDS) must not keep the bot from answering with
        the articles the database already holds. The sync goes on in the background, holding the
        library's lock, so the first poll waits for it."""
        first = asyncio.ensure_future(library.sync())
        done, _ = await asyncio.wait({first}, timeout=self.startup_sync_seconds)
        if first in done:
            report = first.result()
            log.info("library ready: %d articles (%d skipped)", len(library.articles), len(report.skipped))
        else:
            self._first_sync = first
            first.add_done_callback(self._first_sync_done)
            log.info("library ready with %d articles; the first sync goes on in the background", len(library.articles))

    async def first_sync_finished(self) -> None:
        """Return once the first library sync has finished: at once when start-up waited for it,
        else when it finishes in the background (its error, if it failed, is raised here)."""
        if self._first_sync is not None:
            await asyncio.shield(self._first_sync)

    async def login(self, token: str) -> None:
        # Interaction responses retried within Discord's window (bot/discord_app/answers.py), for the
        # task that logs in and every task it starts: whether through start() or run()'s login and connect.
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
        if report.queued and self._poll and self.delivery_worker is not None:
            self.delivery_worker.wake()

    async def _brief_for_delivery(self, article_id: str) -> Brief | None:
        """The brief a subscribed channel is sent for a new article; None when the article is gone."""
        assert self.library is not None
        # The outbox row is committed with its article, before the catalogue is refreshed.
        row = await self.library.reading.live(article_id)
        if row is None:
            return None
        return await self.library.reading.brief(row, DEFAULT_SENTENCES)

    async def close(self) -> None:
        """Kill the page workers, stop the polls and the delivery worker, close the fetcher and the
        connection to Discord, and always close the database last (whatever failed before it)."""
        try:
            if self.library is not None:
                self.library.close()  # page workers killed now: a page being extracted holds nothing up
            if self._lag_watch is not None:
                self._lag_watch.cancel()
            if self._first_sync is not None:
                self._first_sync.cancel()
            if self.delivery_worker is not None:
                await self.delivery_worker.stop()
            for task in (self._poller, self._feed_task, self._links_task):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            if self.feed_poller is not None:
                await self.feed_poller.stop()  # the polls in progress: before the fetcher and the database close
            if self.links is not None:
                await self.links.stop()  # the links being fetched for members, likewise
            for fetcher in (self.fetcher, self.link_fetcher):
                if fetcher is not None:
                    await fetcher.close()
            try:  # a network that went away answers no close frame: not waited for long
                await asyncio.wait_for(super().close(), CLOSE_TIMEOUT)
            except TimeoutError:
                log.warning("the connection to Discord did not close within %.0f s; not waiting for it", CLOSE_TIMEOUT)
        finally:
            if self.db is not None:
                await self.db.close()

    async def on_ready(self) -> None:
        assert self.user is not None
        log.info(
            "connected as %s (id %s) to %d servers%s, serving %d articles",
            self.user,
            self.user.id,
            len(self.guilds),
            self._shards_text(),
            len(self.library.articles) if self.library is not None else 0,
        )

    def _shards_text(self) -> str:
        settings = self.settings
        if not settings.sharded:
            return ""
        ids = ", ".join(str(i) for i in settings.shard_ids or ())
        return f" as shard{'s' if len(settings.shard_ids or ()) > 1 else ''} {ids} of {settings.shard_count}"

    async def on_command_error(self, ctx: commands.Context[Any], error: commands.CommandError) -> None:
        errors.on_text_command_error(ctx, error)


class ShardedBriefBot(BriefBot, commands.AutoShardedBot):
    """The bot as the gateway shards BRIEFBOT_SHARD_COUNT and BRIEFBOT_SHARD_IDS name: discord.py's
    AutoShardedBot, one websocket per shard in this process. Discord sends each server's events,
    its commands included, to shard ``(server_id >> 22) % count`` only, so a process answers the
    servers of its own shards; the others' processes answer theirs."""


def make_bot(settings: Settings, **options: Any) -> BriefBot:
    """The bot the settings ask for: a ShardedBriefBot when BRIEFBOT_SHARD_COUNT is set, else the
    one-connection BriefBot (as before sharding existed: no GET /gateway/bot, no shard in IDENTIFY)."""
    if not settings.sharded:
        return BriefBot(settings, **options)
    return ShardedBriefBot(
        settings, shard_count=settings.shard_count, shard_ids=list(settings.shard_ids or ()), **options
    )


async def sync_now(settings: Settings, token: str) -> int:
    """`python -m bot sync`: log in over HTTP only, upload the command tree, and return its size."""
    async with BriefBot(settings, auto_sync=False, poll=False) as bot:
        try:
            await bot.login(token)
        except discord.LoginFailure:
            raise TokenRejected(_REJECTED) from None
        assert bot.commands_sync is not None
        await bot.commands_sync.sync(force=True)
        return len(bot.tree.get_commands())


_REJECTED = (
    "Discord rejected DISCORD_TOKEN (401 Unauthorized). Copy the token again from "
    "https://discord.com/developers/applications (Bot > Reset Token) into .env."
)


_SHARDS_REFUSED = {
    4010: "Discord refused the connection (4010 Invalid shard): check BRIEFBOT_SHARD_COUNT and BRIEFBOT_SHARD_IDS.",
    4011: (
        "Discord refused the connection (4011 Sharding required): the bot is in too many servers for one "
        "connection; set BRIEFBOT_SHARD_COUNT (Discord requires a shard per 2,500 servers at most)."
    ),
}


# How often a thread holding the GIL is made to hand it over (Python's default is 5 ms). The bot's
# background threads do seconds of Python work at 100,000 articles (a full folder scan, rebuilding
# the lookups); each time the event loop wakes for a command it must wait for the GIL, and at 5 ms
# a wait per wake-up added up to over 100 ms for one /brief while they ran.
SWITCH_INTERVAL = 0.001  # seconds


async def run(settings: Settings, token: str) -> None:
    """Log in (trying again while Discord cannot be reached), start up, and serve until closed.
    Stopping on a signal is bot.discord_app.lifecycle.serve's: it cancels this coroutine."""
    sys.setswitchinterval(SWITCH_INTERVAL)
    bot = make_bot(settings)
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
                if exc.code in _SHARDS_REFUSED:
                    raise TokenRejected(_SHARDS_REFUSED[exc.code]) from None
                raise
    finally:
        discord_log.removeFilter(one_line)
