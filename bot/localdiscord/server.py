"""``FakeDiscord``: an in-process fake of Discord's REST API (v10) and gateway, run by the real discord.py
(the tests, the benchmarks and the offline demo use it).

The class is put together from mixins, one job each: ``world`` (guilds, channels, members),
``controls`` (faults, clock, rate limits, gateway events a test sets off), ``users`` (what users
do: commands, clicks, messages), ``store`` (messages and their gateway events), ``rest`` (routing
and answering a request) and the REST routes by resource (``routes_application``,
``routes_channels``, ``routes_interactions``). Here: its state, inspection and lifecycle.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import socket
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from typing import TYPE_CHECKING, Any, Self

from aiohttp import web

from .controls import Controls
from .faults import Fault, RouteLimit, SlidingWindow
from .gateway import FakeGateway
from .patching import patch_discord
from .payloads import (
    Json,
    make_user,
    snowflake,
)
from .permissions import DEFAULT_BOT_PERMISSIONS
from .ratelimits import DefaultRateLimits
from .records import FakeInteraction, RestRequest, Signal
from .rest import RestPlumbing
from .routes_application import ApplicationRoutes
from .routes_channels import ChannelRoutes
from .routes_interactions import InteractionRoutes
from .store import MessageStore
from .users import UserActions
from .world import World

if TYPE_CHECKING:
    import discord

log = logging.getLogger("localdiscord")


class FakeDiscord(
    World,
    Controls,
    UserActions,
    MessageStore,
    RestPlumbing,
    ApplicationRoutes,
    ChannelRoutes,
    InteractionRoutes,
):
    """A fake Discord (REST + gateway) on ``127.0.0.1:<random port>``.

    ``async with FakeDiscord() as fake:`` starts it and (unless ``patch=False``) points discord.py
    at it; see ``bot/localdiscord/__init__.py`` for a usage example. With ``guilds=None`` a default
    world is built: guild ``fake.guild_id`` with channels ``channel_id`` (#general),
    ``readonly_channel_id`` (@everyone may not send, the bot neither) and ``staff_channel_id``
    (hidden from @everyone and the bot), users ``owner``, ``alice``, ``mod`` (Moderator role) and the
    bot (managed role with ``bot_permissions``).

    Like Discord, it refuses (400, 50035 "Invalid Form Body" with an ``errors`` tree) payloads that
    break the documented rules (``check_message.validate_message`` and ``check_commands.validate_commands``); answers
    every REST call with X-RateLimit-* headers from a per-route bucket (``rate_limit``: requests per
    window, generous by default; a client that ignores the headers gets 429s); and keeps a clock
    (``now``, ``advance_clock``) by which interaction tokens expire after ``token_lifetime``
    (15 minutes) and an initial callback must come within ``callback_deadline`` (3 s).
    """

    # Handy handles on the world. With custom ``guilds``: ``guild_id``/``channel_id`` are the first
    # guild and its first channel, ``owner`` its owner and ``alice`` its first other human member;
    # ``mod``, ``readonly_channel_id`` and ``staff_channel_id`` exist only in the default world.
    guild_id: int
    channel_id: int
    readonly_channel_id: int
    staff_channel_id: int
    owner: Json
    alice: Json
    mod: Json

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        bot_name: str = "briefbot",
        application_id: int | None = None,
        bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
        guilds: Sequence[Json] | None = None,
        heartbeat_interval: float = 41.25,
        callback_deadline: float | None = 3.0,
        token_lifetime: float = 15 * 60.0,
        rate_limit: tuple[int, float] | None = (50, 1.0),
        nonce_window: float = 300.0,
        application_flags: int = (1 << 19) | (1 << 23),
        patch: bool = True,
    ) -> None:
        self.token = token
        self.valid_tokens: set[str] = {token}
        self.application_id = application_id or snowflake()
        self.application_flags = application_flags
        self.bot_user = make_user(self.application_id, bot_name, bot=True)
        self.bot_permissions = bot_permissions
        self.callback_deadline = callback_deadline  # seconds (by the fake's clock) to send the initial callback
        self.token_lifetime = token_lifetime  # seconds (by the fake's clock) an interaction token lives
        self._clock_offset = 0.0
        # Every route's bucket, sent as X-RateLimit-* headers on every response (None: no headers).
        self.rate_limits = DefaultRateLimits(*rate_limit) if rate_limit is not None else None
        self.nonce_window = nonce_window
        self.nonce_replays = 0  # posts answered with the message an earlier post (same nonce) made

        self.guilds: dict[int, Json] = {}
        self.channels: dict[int, Json] = {}
        self.users: dict[int, Json] = {int(self.bot_user["id"]): self.bot_user}
        self.messages: defaultdict[int, list[Json]] = defaultdict(list)  # channel id -> messages (not ephemeral)
        self._message_index: dict[int, Json] = {}  # every message ever created, ephemeral included
        self._dm_channels: dict[int, int] = {}  # user id -> DM channel id
        self.thread_members: dict[int, set[int]] = {}  # thread id -> ids of the users in it
        self._nonces: dict[tuple[str, str], tuple[float, Json]] = {}
        self._commands: dict[int | None, dict[int, Json]] = defaultdict(dict)  # guild id (None=global)
        self.command_syncs: list[tuple[int | None, list[Json]]] = []

        self.requests: list[RestRequest] = []
        self.unknown_routes: list[tuple[str, str]] = []
        self.interactions: dict[int, FakeInteraction] = {}
        self._by_token: dict[str, FakeInteraction] = {}
        self.faults: list[Fault] = []
        self._global_limit: SlidingWindow | None = None
        self._route_limits: list[RouteLimit] = []

        self._signal = Signal()
        self.gateway = FakeGateway(self, heartbeat_interval)
        self._routes = [(m, self._compile(t), t, h) for m, t, h in self._route_table()]
        self._runner: web.AppRunner | None = None
        self._patch = patch
        self._patcher: contextlib.AbstractContextManager[None] | None = None
        self.host = "127.0.0.1"
        self.port = 0

        if guilds is None:
            self._build_default_world()
        else:
            for guild in guilds:
                self.add_guild(guild)
            first = next(iter(self.guilds.values()), None)
            if first is not None:
                self.guild_id = int(first["id"])
                if first["channels"]:
                    self.channel_id = int(first["channels"][0]["id"])
                self.owner = self.users[int(first["owner_id"])]
                humans = [m["user"] for m in first["members"] if not m["user"].get("bot")]
                self.alice = next((u for u in humans if u["id"] != first["owner_id"]), self.owner)

    # ================================================================== inspection

    def channel_messages(self, channel_id: int) -> list[Json]:
        """Messages currently in a channel, oldest first (ephemeral ones are never here)."""
        return list(self.messages.get(channel_id, []))

    def get_message(self, message_id: int) -> Json | None:
        return self._message_index.get(int(message_id))

    def registered_commands(self, guild_id: int | None = None) -> list[Json]:
        """Application commands as stored after sync (global when ``guild_id`` is None)."""
        return list(self._commands.get(guild_id, {}).values())

    def requests_to(self, method: str | None = None, path: str | re.Pattern[str] | None = None) -> list[RestRequest]:
        """Recorded REST requests filtered by method and path (exact, template with ``{}`` or regex)."""
        out = []
        for req in self.requests:
            if method and req.method != method.upper():
                continue
            if isinstance(path, re.Pattern):
                if not path.fullmatch(req.path):
                    continue
            elif path is not None and path not in (req.path, req.template):
                continue
            out.append(req)
        return out

    def interaction_latencies(self) -> list[float]:
        return [i.latency for i in self.interactions.values() if i.latency is not None]

    @property
    def identify_count(self) -> int:
        return self.gateway.identify_count

    @property
    def resume_count(self) -> int:
        return self.gateway.resume_count

    async def wait_for(
        self,
        predicate: Callable[[], Any],
        timeout: float = 5.0,  # noqa: ASYNC109
        what: str = "condition",
    ) -> None:
        """Wait until ``predicate()`` is true; re-checked whenever the fake sees traffic."""
        await self._signal.wait_for(predicate, timeout, what)

    async def wait_until_ready(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until a gateway session got READY (+ GUILD_CREATEs) and is connected."""
        await self.wait_for(lambda: self.gateway.ready, timeout, "a READY gateway session")

    def _changed(self) -> None:
        self._signal.fire()

    # ================================================================== lifecycle

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/"

    @property
    def resume_gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/resume"

    async def start(self) -> Self:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", r"/api/v{version:\d+}/{tail:.*}", self._handle_rest)
        app.router.add_get("/", self.gateway.handle)
        app.router.add_get("/resume", self.gateway.handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        if self._patch:
            self._patcher = patch_discord(self.api_url, self.gateway_url)
            self._patcher.__enter__()
        log.debug("fake discord listening on %s", self.base_url)
        return self

    async def close(self) -> None:
        try:
            await self.gateway.close_all()
            if self._runner is not None:
                await self._runner.cleanup()
                self._runner = None
        finally:
            if self._patcher is not None:
                self._patcher.__exit__(None, None, None)
                self._patcher = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @contextlib.asynccontextmanager
    async def run(
        self, bot: discord.Client, *, token: str | None = None, ready_timeout: float = 10.0, wait_ready: bool = True
    ) -> AsyncIterator[discord.Client]:
        """Run ``bot.start(token)`` in a task until the block ends, then ``bot.close()``.

        Waits for discord.py's ``on_ready`` (tip: ``guild_ready_timeout=0.05`` on the bot avoids its
        default 2 s wait after the last GUILD_CREATE). Startup errors (e.g. ``LoginFailure``) are raised,
        and so is an exception that ended ``bot.start()`` while the block ran.
        """
        task = asyncio.create_task(bot.start(token or self.token), name="localdiscord-bot")
        body_failed = False
        try:
            if wait_ready:
                deadline = time.monotonic() + ready_timeout
                while not bot.is_ready():
                    if task.done():
                        task.result()
                        raise RuntimeError("bot.start() returned before the bot became ready")
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"localdiscord: bot not ready after {ready_timeout}s")
                    await asyncio.sleep(0.005)
            yield bot
        except BaseException:
            body_failed = True
            raise
        finally:
            await bot.close()
            try:
                await asyncio.wait_for(task, 5.0)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
            except Exception:
                if not body_failed:
                    raise  # the bot crashed while running (e.g. ConnectionClosed 4004): surface it
