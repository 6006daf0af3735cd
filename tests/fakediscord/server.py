"""``FakeDiscord``: an in-process fake of Discord's REST API (v10) and gateway for discord.py tests."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import logging
import re
import socket
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Self

from aiohttp import web

from .faults import INVALID_WEBHOOK_TOKEN, UNKNOWN_WEBHOOK, Fault, RouteLimit, SlidingWindow, error_body, rate_limited
from .gateway import FakeGateway
from .interactions import (
    ALLOWED_RESPONSES,
    InteractionType,
    OptionType,
    build_options,
    interaction_payload,
)
from .patching import patch_discord
from .payloads import (
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    Intent,
    Json,
    Perm,
    compute_permissions,
    form_error,
    iso_now,
    make_dm_channel,
    make_guild,
    make_member,
    make_message,
    make_overwrite,
    make_role,
    make_self_user,
    make_text_channel,
    make_user,
    partial_guild,
    snowflake,
    validate_choices,
    validate_commands,
    validate_message,
)
from .ratelimits import DefaultRateLimits
from .records import FakeInteraction, InteractionCallback, RestRequest, Signal, UploadedFile

if TYPE_CHECKING:
    import discord

log = logging.getLogger("fakediscord")

Reply = tuple[int, Any] | tuple[int, Any, dict[str, str]]
Handler = Callable[[RestRequest], Awaitable[Reply]]

EPHEMERAL, LOADING = 1 << 6, 1 << 7
_SETTABLE_FLAGS = (1 << 2) | EPHEMERAL | (1 << 12) | (1 << 15)  # suppress embeds/notifications, components v2
_MENTION = re.compile(r"<@!?(\d+)>")


def _json_response(status: int, payload: Any, headers: Mapping[str, str]) -> web.Response:
    # discord.py only decodes JSON when Content-Type is exactly "application/json" (no charset).
    hdrs = {"Via": "1.1 google", **headers}
    if payload is None or status == 204:
        return web.Response(status=status, headers=hdrs)
    hdrs["Content-Type"] = "application/json"
    return web.Response(status=status, body=json.dumps(payload).encode(), headers=hdrs)


class FakeDiscord:
    """A fake Discord (REST + gateway) on ``127.0.0.1:<random port>``.

    ``async with FakeDiscord() as fake:`` starts it and (unless ``patch=False``) points discord.py
    at it; see ``tests/fakediscord/__init__.py`` for a usage example. With ``guilds=None`` a default
    world is built: guild ``fake.guild_id`` with channels ``channel_id`` (#general),
    ``readonly_channel_id`` (@everyone may not send, the bot neither) and ``staff_channel_id``
    (hidden from @everyone and the bot), users ``owner``, ``alice``, ``mod`` (Moderator role) and the
    bot (managed role with ``bot_permissions``).

    Like Discord, it refuses (400, 50035 "Invalid Form Body" with an ``errors`` tree) payloads that
    break the documented rules (``payloads.validate_message`` and ``validate_commands``); answers
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

    # ================================================================== world

    def _build_default_world(self) -> None:
        gid = snowflake()
        self.owner = make_user(username="owner", global_name="Owner")
        self.alice = make_user(username="alice", global_name="Alice")
        self.mod = make_user(username="mod", global_name="Mod")
        mod_role = make_role(
            snowflake(),
            "Moderator",
            position=1,
            hoist=True,
            permissions=int(Perm.MANAGE_MESSAGES | Perm.KICK_MEMBERS | Perm.MANAGE_CHANNELS),
        )
        general = make_text_channel(name="general", position=0, topic="General chat")
        readonly = make_text_channel(
            name="read-only", position=1, permission_overwrites=[make_overwrite(gid, deny=Perm.SEND_MESSAGES)]
        )
        staff = make_text_channel(
            name="staff",
            position=2,
            permission_overwrites=[
                make_overwrite(gid, deny=Perm.VIEW_CHANNEL),
                make_overwrite(int(mod_role["id"]), allow=Perm.VIEW_CHANNEL),
            ],
        )
        guild = make_guild(
            gid,
            "Fake Guild",
            owner_id=int(self.owner["id"]),
            roles=[make_role(gid, "@everyone", permissions=DEFAULT_EVERYONE_PERMISSIONS), mod_role],
            channels=[general, readonly, staff],
            members=[make_member(self.owner), make_member(self.alice), make_member(self.mod, [int(mod_role["id"])])],
        )
        self.add_guild(guild)
        self.guild_id = gid
        self.channel_id, self.readonly_channel_id, self.staff_channel_id = (
            int(c["id"]) for c in (general, readonly, staff)
        )

    def add_guild(self, guild: Json) -> Json:
        """Register a guild (see ``payloads.make_guild``); the bot is added as a member if missing."""
        gid = int(guild["id"])
        bot_id = self.bot_user["id"]
        if not any(m["user"]["id"] == bot_id for m in guild["members"]):
            role = make_role(
                snowflake(),
                self.bot_user["username"],
                permissions=self.bot_permissions,
                position=len(guild["roles"]),
                managed=True,
                bot_id=self.application_id,
            )
            guild["roles"].append(role)
            guild["members"].append(make_member(self.bot_user, [int(role["id"])]))
        self.guilds[gid] = guild
        for channel in guild["channels"]:
            channel["guild_id"] = str(gid)
            self.channels[int(channel["id"])] = channel
        for member in guild["members"]:
            self.users.setdefault(int(member["user"]["id"]), member["user"])
        return guild

    def add_member(self, guild_id: int, user: Json, roles: Iterable[int] = ()) -> Json:
        member = make_member(user, roles)
        self.guilds[guild_id]["members"].append(member)
        self.users[int(user["id"])] = user
        return member

    def add_channel(self, guild_id: int, channel: Json) -> Json:
        channel["guild_id"] = str(guild_id)
        self.guilds[guild_id]["channels"].append(channel)
        self.channels[int(channel["id"])] = channel
        return channel

    def member(self, guild_id: int, user_id: int) -> Json | None:
        return next((m for m in self.guilds[guild_id]["members"] if m["user"]["id"] == str(user_id)), None)

    def bot_member(self, guild_id: int) -> Json:
        member = self.member(guild_id, self.application_id)
        assert member is not None
        return member

    def dm_channel(self, user: Json) -> Json:
        uid = int(user["id"])
        if uid not in self._dm_channels:
            channel = make_dm_channel(snowflake(), user)
            self._dm_channels[uid] = int(channel["id"])
            self.channels[int(channel["id"])] = channel
            self.users.setdefault(uid, user)
        return self.channels[self._dm_channels[uid]]

    def bot_permissions_in(self, channel_id: int) -> int:
        channel = self.channels[channel_id]
        if "guild_id" not in channel:
            return DEFAULT_BOT_PERMISSIONS
        guild = self.guilds[int(channel["guild_id"])]
        return compute_permissions(guild, self.bot_member(int(guild["id"])), channel)

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

    # ================================================================== configuration

    def inject_fault(
        self,
        method: str | None,
        path: str | re.Pattern[str],
        status: int | None,
        *,
        times: int | None = 1,
        retry_after: float = 1.0,
        is_global: bool = False,
        body: Json | None = None,
        headers: Mapping[str, str] | None = None,
        delay: float = 0.0,
        delay_after: float = 0.0,
        processed: bool = False,
    ) -> Fault:
        """Make the next ``times`` matching requests (``None`` = forever) fail with ``status``.

        429s get Discord's headers/body (``retry_after``, ``global``); other statuses get Discord's
        error body for the route (e.g. 403 -> 50013 Missing Permissions). ``status=None`` with a
        ``delay`` only slows the request down. Note discord.py retries 500/502/504 itself (sleeping
        1s, 3s, ...), so prefer 503 to see a ``DiscordServerError`` immediately. With
        ``processed=True`` the request is carried out (a message posted, an interaction
        acknowledged) and only then answered with ``status``, as a gateway timeout can be.
        """
        fault = Fault(
            method,
            path,
            status,
            times=times,
            retry_after=retry_after,
            is_global=is_global,
            body=body,
            headers=dict(headers or {}),
            delay=delay,
            delay_after=delay_after,
            processed=processed,
        )
        self.faults.append(fault)
        return fault

    def now(self) -> float:
        """The fake's clock (seconds): real time plus however far tests have moved it on."""
        return time.perf_counter() + self._clock_offset

    def advance_clock(self, seconds: float) -> None:
        """Move the fake's clock on by ``seconds``: interaction tokens older than ``token_lifetime``
        (15 minutes) expire, and initial callbacks later than ``callback_deadline`` (3 s) are refused."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._clock_offset += seconds
        self._changed()

    def token_status(self, inter: FakeInteraction) -> int | None:
        """``None`` while ``inter``'s token is valid, else the status its webhook routes now answer:
        set by :meth:`expire_interaction`, or 401 once ``token_lifetime`` has passed on the clock."""
        if inter.expired is not None:
            return inter.expired
        if self.now() - inter.sent_at >= self.token_lifetime:
            return 401
        return None

    def expire_interaction(self, inter: FakeInteraction, status: int = 401) -> None:
        """Let ``inter``'s token expire, as Discord does 15 minutes after the interaction: its callback
        answers 404 10062 Unknown interaction, and followups and ``@original`` answer 401 50027 Invalid
        Webhook Token (``status=401``) or 404 10015 Unknown Webhook (``status=404``)."""
        if status not in (401, 404):
            raise ValueError("an expired interaction token gets 401 or 404")
        inter.expired = status
        self._changed()

    def clear_faults(self) -> None:
        self.faults.clear()

    def set_global_rate_limit(self, limit: int | None, per: float = 1.0) -> None:
        """At most ``limit`` authenticated requests per ``per`` seconds, else a global 429."""
        self._global_limit = None if limit is None else SlidingWindow(limit, per)

    def set_route_rate_limit(self, method: str, template: str, limit: int, per: float = 1.0) -> RouteLimit:
        """A per-route bucket (e.g. ``("POST", "/channels/{channel_id}/messages", 5, 5.0)``) that
        sends X-RateLimit-* headers on every response and 429s when exceeded."""
        limit_obj = RouteLimit(method.upper(), template, limit, per)
        self._route_limits.append(limit_obj)
        return limit_obj

    async def revoke_token(self, token: str | None = None, *, close_gateway: bool = True) -> None:
        """Make ``token`` invalid from now on (REST 401; the gateway closes with 4004)."""
        self.valid_tokens.discard(token or self.token)
        if close_gateway:
            for conn in self.gateway.open_connections:
                await conn.close(4004, "Authentication failed")

    # ================================================================== gateway control

    async def dispatch(self, event: str, data: Json, *, intent: int | None = None) -> None:
        """Send any gateway DISPATCH event to connected bots."""
        await self.gateway.dispatch(event, data, intent=intent)

    async def drop_gateway(self, code: int = 4000, *, abrupt: bool = False) -> None:
        """Close the bot's websocket(s) from the server side (``abrupt``: cut without a close frame).
        discord.py reconnects and RESUMEs; after 4007/4009 the session is gone and it must IDENTIFY."""
        await self.gateway.drop(code, abrupt=abrupt)

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT."""
        await self.gateway.request_reconnect()

    async def invalidate_session(self, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION (the bot must IDENTIFY again unless ``resumable``)."""
        await self.gateway.invalidate(resumable)

    # ================================================================== interactions

    def _user(self, user: Json | int | None) -> Json:
        if user is None:
            return self.alice
        return self.users[user] if isinstance(user, int) else user

    def _context(self, user: Json | int | None, channel_id: int | None, dm: bool) -> tuple[Json, Json, Json | None]:
        user = self._user(user)
        channel = self.dm_channel(user) if dm else self.channels[channel_id or self.channel_id]
        guild = self.guilds[int(channel["guild_id"])] if "guild_id" in channel else None
        return user, channel, guild

    def _find_command(self, name: str, ctype: int, guild: Json | None) -> tuple[Json | None, int | None]:
        scopes: list[int | None] = [int(guild["id"])] if guild else []
        for scope in [*scopes, None]:
            for cmd in self._commands.get(scope, {}).values():
                if cmd["name"] == name and cmd.get("type", 1) == ctype:
                    return cmd, scope
        return None, None

    def _resolved(self, options: list[Json], guild: Json | None) -> Json:
        resolved: Json = {}
        flat: list[Json] = []
        stack = list(options)
        while stack:  # subcommand (group) options nest their own options
            opt = stack.pop()
            flat.append(opt)
            stack.extend(opt.get("options") or [])
        for opt in flat:
            otype, value = opt.get("type"), opt.get("value")
            entity = (OptionType.USER, OptionType.CHANNEL, OptionType.ROLE, OptionType.MENTIONABLE)
            if opt.get("focused") or otype not in entity or not str(value).isdigit():
                continue
            vid = int(str(value))
            if otype in (OptionType.USER, OptionType.MENTIONABLE) and vid in self.users:
                resolved.setdefault("users", {})[str(vid)] = self.users[vid]
                member = self.member(int(guild["id"]), vid) if guild else None
                if member is not None:
                    channel_perms = compute_permissions(guild, member) if guild else 0
                    partial = {k: v for k, v in member.items() if k != "user"}
                    resolved.setdefault("members", {})[str(vid)] = {**partial, "permissions": str(channel_perms)}
            elif otype in (OptionType.ROLE, OptionType.MENTIONABLE) and guild:
                role = next((r for r in guild["roles"] if r["id"] == str(vid)), None)
                if role is not None:
                    resolved.setdefault("roles", {})[str(vid)] = role
            elif otype == OptionType.CHANNEL and vid in self.channels:
                ch = self.channels[vid]
                resolved.setdefault("channels", {})[str(vid)] = {
                    "id": ch["id"],
                    "name": ch.get("name"),
                    "type": ch["type"],
                    "parent_id": ch.get("parent_id"),
                    "permissions": str(self.bot_permissions_in(vid)),
                    "guild_id": ch.get("guild_id"),
                }
        return resolved

    def _command_data(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[Json] | None,
        guild: Json | None,
        guild_command: bool | None,
        focused: str | None = None,
    ) -> Json:
        cmd, scope = self._find_command(name, 1, guild)
        opts = build_options(options, (cmd or {}).get("options", []), focused)
        data: Json = {"id": cmd["id"] if cmd else str(snowflake()), "name": name, "type": 1}
        if opts:
            data["options"] = opts
        if guild is not None and (guild_command or (guild_command is None and scope is not None)):
            data["guild_id"] = guild["id"]
        if resolved := self._resolved(opts, guild):
            data["resolved"] = resolved
        return data

    async def send_interaction(
        self,
        type: int,
        data: Json | None,
        *,
        user: Json | int | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        message: Json | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """Send a raw INTERACTION_CREATE of ``type`` with ``data`` from ``user`` (default: ``alice``)
        in ``channel_id`` (default: #general) or in the user's DM with the bot (``dm=True``)."""
        user, channel, guild = self._context(user, channel_id, dm)
        return await self._send_interaction(type, data, user, channel, guild, message, locale)

    async def _send_interaction(
        self,
        type: int,
        data: Json | None,
        user: Json,
        channel: Json,
        guild: Json | None,
        message: Json | None,
        locale: str,
    ) -> FakeInteraction:
        member = permissions = None
        if guild is not None:
            member = self.member(int(guild["id"]), int(user["id"]))
            if member is None:
                raise ValueError(f"user {user['username']} is not a member of guild {guild['id']}")
            permissions = compute_permissions(guild, member, channel)
        payload = interaction_payload(
            type=type,
            application_id=self.application_id,
            data=data,
            channel=channel,
            user=user,
            guild=guild,
            member=member,
            permissions=permissions or 0,
            app_permissions=self.bot_permissions_in(int(channel["id"])),
            message=copy.deepcopy(message) if message is not None else None,
            locale=locale,
        )
        if not any(s.ready for s in self.gateway.live_sessions):
            raise RuntimeError("fakediscord: no bot session on the gateway to receive the interaction")
        inter = FakeInteraction(payload, self._signal)
        self.interactions[inter.id] = inter
        self._by_token[inter.token] = inter
        inter.sent_at = self.now()
        await self.gateway.dispatch("INTERACTION_CREATE", payload, single=True)
        return inter

    async def send_command(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[Json] | None = None,
        *,
        user: Json | int | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        guild_command: bool | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """Invoke slash command ``/name`` with ``options`` (``{name: value}``; option types come from
        the synced command if the bot synced it, else are guessed from the Python values; pass a list
        of raw option dicts for subcommands). ``data.guild_id`` is set when the command was synced to
        the guild, or when ``guild_command=True``."""
        user, channel, guild = self._context(user, channel_id, dm)
        data = self._command_data(name, options, guild, guild_command)
        return await self._send_interaction(
            InteractionType.APPLICATION_COMMAND, data, user, channel, guild, None, locale
        )

    async def send_autocomplete(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[Json],
        focused: str | None = None,
        *,
        user: Json | int | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        guild_command: bool | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """Autocomplete for ``/name`` while the user types in option ``focused`` (default: the last)."""
        user, channel, guild = self._context(user, channel_id, dm)
        if focused is None and isinstance(options, Mapping):
            focused = list(options)[-1]
        data = self._command_data(name, options, guild, guild_command, focused)
        return await self._send_interaction(InteractionType.AUTOCOMPLETE, data, user, channel, guild, None, locale)

    async def send_component(
        self,
        message: Json | int,
        custom_id: str,
        *,
        values: Sequence[str] | None = None,
        user: Json | int | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """Click a button (or pick ``values`` in a select) with ``custom_id`` on ``message`` (a message
        dict, e.g. ``inter.original``, or a message id). The component must exist and be enabled."""
        if isinstance(message, int):
            message = self._message_index[message]
        else:
            message = self._message_index.get(int(message["id"]), message)
        component = self._find_component(message.get("components") or [], custom_id)
        if component is None:
            raise ValueError(f"no component with custom_id {custom_id!r} on message {message['id']}")
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled")
        data: Json = {"custom_id": custom_id, "component_type": component["type"]}
        if values is not None:
            data["values"] = list(values)
        channel = self.channels[int(message["channel_id"])]
        guild = self.guilds[int(channel["guild_id"])] if "guild_id" in channel else None
        return await self._send_interaction(
            InteractionType.MESSAGE_COMPONENT, data, self._user(user), channel, guild, message, locale
        )

    async def send_modal_submit(
        self,
        custom_id: str,
        values: Mapping[str, str],
        *,
        user: Json | int | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        message: Json | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """Submit modal ``custom_id`` with text inputs ``{input_custom_id: value}``."""
        user, channel, guild = self._context(user, channel_id, dm)
        rows = [{"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]} for k, v in values.items()]
        return await self._send_interaction(
            InteractionType.MODAL_SUBMIT,
            {"custom_id": custom_id, "components": rows},
            user,
            channel,
            guild,
            message,
            locale,
        )

    @staticmethod
    def _find_component(components: Sequence[Json], custom_id: str) -> Json | None:
        for comp in components:
            if comp.get("custom_id") == custom_id:
                return comp
            for key in ("components", "accessory"):
                child = comp.get(key)
                children = [child] if isinstance(child, dict) else (child or [])
                if found := FakeDiscord._find_component(children, custom_id):
                    return found
        return None

    async def send_message(
        self, channel_id: int, content: str, *, author: Json | int | None = None, **fields: Any
    ) -> Json:
        """A user posts a message (MESSAGE_CREATE; content blanked for sessions without the
        MESSAGE_CONTENT intent unless it is a DM or mentions the bot, as on Discord)."""
        user, channel, guild = self._context(author, channel_id, False)
        msg = make_message(
            channel_id=channel_id, author=user, content=content, guild_id=int(guild["id"]) if guild else None, **fields
        )
        msg["mentions"] = self._mentions(content, None)
        self._store(msg, channel)
        await self._dispatch_message("MESSAGE_CREATE", msg, channel)
        return msg

    # ================================================================== messages

    def _mentions(self, content: str, allowed: Json | None) -> list[Json]:
        out = []
        for raw in dict.fromkeys(_MENTION.findall(content or "")):
            uid = int(raw)
            if uid not in self.users:
                continue
            if allowed is None or "users" in allowed.get("parse", []) or raw in map(str, allowed.get("users", [])):
                out.append(self.users[uid])
        return out

    def _attachments(self, channel_id: int, body: Json, files: Sequence[UploadedFile]) -> list[Json]:
        described = {str(a.get("id")): a for a in body.get("attachments") or []}
        out = []
        for index, f in enumerate(files):
            aid = snowflake()
            meta = described.get(str(index), {})
            url = f"https://cdn.discordapp.com/attachments/{channel_id}/{aid}/{f.filename}"
            out.append(
                {
                    "id": str(aid),
                    "filename": f.filename,
                    "size": len(f.data),
                    "url": url,
                    "proxy_url": url,
                    "content_type": f.content_type,
                    "description": meta.get("description"),
                }
            )
        return out

    def _build_message(
        self,
        channel: Json,
        body: Json,
        files: Sequence[UploadedFile],
        *,
        author: Json,
        msg_type: int = 0,
        webhook: bool = False,
        extra_flags: int = 0,
    ) -> Json:
        channel_id = int(channel["id"])
        content = body.get("content")
        content = "" if content is None else str(content)
        allowed = body.get("allowed_mentions")
        mentions = self._mentions(content, allowed)
        everyone = ("@everyone" in content or "@here" in content) and (
            allowed is None or "everyone" in allowed.get("parse", [])
        )
        msg = make_message(
            channel_id=channel_id,
            author=author,
            content=content,
            guild_id=int(channel["guild_id"]) if "guild_id" in channel else None,
            embeds=[{"type": "rich", **e} for e in body.get("embeds") or []],
            components=body.get("components") or [],
            attachments=self._attachments(channel_id, body, files),
            flags=(int(body.get("flags") or 0) & _SETTABLE_FLAGS) | extra_flags,
            type=msg_type,
            nonce=body.get("nonce"),
            mentions=mentions,
            mention_everyone=everyone,
            webhook_id=self.application_id if webhook else None,
            application_id=self.application_id if webhook else None,
            message_reference=body.get("message_reference"),
            tts=bool(body.get("tts")),
        )
        if body.get("message_reference"):
            msg["type"] = 19
        return msg

    def _store(self, msg: Json, channel: Json) -> None:
        self._message_index[int(msg["id"])] = msg
        if not msg["flags"] & EPHEMERAL:
            self.messages[int(channel["id"])].append(msg)
            channel["last_message_id"] = msg["id"]
        self._changed()

    def _apply_edit(self, msg: Json, body: Json, files: Sequence[UploadedFile]) -> None:
        was_loading = bool(msg["flags"] & LOADING)
        if "content" in body:
            msg["content"] = "" if body["content"] is None else str(body["content"])
            msg["mentions"] = self._mentions(msg["content"], body.get("allowed_mentions"))
        if "embeds" in body:
            msg["embeds"] = [{"type": "rich", **e} for e in body["embeds"] or []]
        if "components" in body:
            msg["components"] = body["components"] or []
        if body.get("flags") is not None:
            msg["flags"] = (msg["flags"] & EPHEMERAL) | (int(body["flags"]) & _SETTABLE_FLAGS & ~EPHEMERAL)
        if "attachments" in body:
            keep = {str(a.get("id")) for a in body["attachments"] or []}
            msg["attachments"] = [a for a in msg["attachments"] if a["id"] in keep]
        if files:
            msg["attachments"] += self._attachments(int(msg["channel_id"]), body, files)
        msg["flags"] &= ~LOADING
        if not was_loading:
            msg["edited_timestamp"] = iso_now()
        self._changed()

    async def _dispatch_message(self, event: str, msg: Json, channel: Json) -> None:
        if msg["flags"] & EPHEMERAL:
            return
        is_dm = "guild_id" not in channel
        intent = Intent.DIRECT_MESSAGES if is_dm else Intent.GUILD_MESSAGES
        if event == "MESSAGE_DELETE":
            data: Json = {"id": msg["id"], "channel_id": msg["channel_id"]}
            if not is_dm:
                data["guild_id"] = channel["guild_id"]
            await self.gateway.dispatch(event, data, intent=intent)
            return
        data = dict(msg)
        if not is_dm:
            member = self.member(int(channel["guild_id"]), int(msg["author"]["id"]))
            if member is not None:
                data["member"] = {k: v for k, v in member.items() if k != "user"}
        bot_id = self.bot_user["id"]
        private = not (is_dm or msg["author"]["id"] == bot_id or any(u["id"] == bot_id for u in msg["mentions"]))

        def redact(session_intents: int) -> Json:
            if private and not session_intents & Intent.MESSAGE_CONTENT:
                return {**data, "content": "", "embeds": [], "attachments": [], "components": []}
            return data

        await self.gateway.dispatch(event, data, intent=intent, transform=redact)

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
        task = asyncio.create_task(bot.start(token or self.token), name="fakediscord-bot")
        body_failed = False
        try:
            if wait_ready:
                deadline = time.monotonic() + ready_timeout
                while not bot.is_ready():
                    if task.done():
                        task.result()
                        raise RuntimeError("bot.start() returned before the bot became ready")
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"fakediscord: bot not ready after {ready_timeout}s")
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

    # ================================================================== REST plumbing

    @staticmethod
    def _compile(template: str) -> re.Pattern[str]:
        return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)))

    def _match(self, method: str, path: str) -> tuple[str | None, dict[str, str], Handler | None, bool]:
        template: str | None = None
        for m, pattern, tmpl, handler in self._routes:
            found = pattern.fullmatch(path)
            if found is None:
                continue
            if m == method:
                return tmpl, found.groupdict(), handler, True
            template = template or tmpl
        return template, {}, None, template is not None

    async def _read_body(self, request: web.Request) -> tuple[Any, list[UploadedFile]]:
        if not request.can_read_body:
            return None, []
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            body: Any = None
            files = []
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files.append(UploadedFile(key, value.filename, value.content_type, value.file.read()))
                elif key == "payload_json":
                    body = json.loads(value)
            return body, files
        raw = await request.read()
        try:
            return (json.loads(raw) if raw else None), []
        except ValueError:
            return raw.decode(errors="replace"), []

    async def _handle_rest(self, request: web.Request) -> web.StreamResponse:
        method = request.method
        path = "/" + request.match_info["tail"].rstrip("/")
        template, params, handler, known_path = self._match(method, path)
        body, files = await self._read_body(request)
        auth = request.headers.get("Authorization", "")
        token = auth[4:] if auth.startswith("Bot ") else (auth or None)
        rec = RestRequest(method, path, template, dict(request.query), body, token, files=files, params=params)
        self.requests.append(rec)
        try:
            status, payload, headers = await self._process(rec, handler, known_path)
            if not rec.fault:
                after = max((f.delay_after for f in self.faults if f.matches(method, path, template)), default=0.0)
                if after:
                    await asyncio.sleep(after)  # the work is done; only the answer is late
        except Exception:
            log.exception("fakediscord handler crashed on %s %s", method, path)
            status, payload, headers = 500, error_body(500), {}
        rec.status, rec.response = status, payload
        self._changed()
        return _json_response(status, payload, headers)

    async def _process(
        self, rec: RestRequest, handler: Handler | None, known_path: bool
    ) -> tuple[int, Any, dict[str, str]]:
        late: Fault | None = None  # a fault that answers only once the request was carried out
        for fault in list(self.faults):
            if not fault.matches(rec.method, rec.path, rec.template):
                continue
            if fault.processed and fault.status is not None:
                late = late or fault
                continue
            fault.hits += 1
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.status is not None:
                rec.fault = True
                return fault.response(rec.template)
        status, payload, headers = await self._carry_out(rec, handler, known_path)
        if late is not None and not late.exhausted:
            late.hits += 1
            if late.delay:
                await asyncio.sleep(late.delay)
            rec.fault = True
            return late.response(rec.template)
        return status, payload, headers

    async def _carry_out(
        self, rec: RestRequest, handler: Handler | None, known_path: bool
    ) -> tuple[int, Any, dict[str, str]]:
        if handler is None:
            self.unknown_routes.append((rec.method, rec.path))
            log.warning("fakediscord: unhandled route %s %s", rec.method, rec.path)
            if known_path:
                return 405, {"message": "405: Method Not Allowed", "code": 0}, {}
            return 404, {"message": "404: Not Found", "code": 0}, {}
        assert rec.template is not None
        bot_route = not rec.template.startswith(("/interactions/", "/webhooks/"))
        if bot_route and rec.token not in self.valid_tokens:
            return 401, {"message": "401: Unauthorized", "code": 0}, {}
        now = time.monotonic()
        if bot_route and self._global_limit is not None:
            retry = self._global_limit.hit(now)
            if retry is not None:
                headers, body = rate_limited(retry, is_global=True, limit=self._global_limit.limit)
                return 429, body, headers
        extra: dict[str, str] = {}
        limited = False
        for limit in self._route_limits:
            if limit.method == rec.method and limit.template == rec.template:
                limited = True
                window = limit.window(rec.path)
                retry = window.hit(now)
                if retry is not None:
                    headers, body = rate_limited(retry, is_global=False, limit=limit.limit, bucket=limit.bucket)
                    return 429, body, headers
                extra = window.headers(now, limit.bucket)
        if not limited and self.rate_limits is not None:
            bucket, bucket_id = self.rate_limits.window(rec.method, rec.template, rec.params)
            retry = bucket.hit(now)
            if retry is not None:
                headers, body = rate_limited(retry, is_global=False, limit=bucket.limit, bucket=bucket_id)
                return 429, body, headers
            extra = bucket.headers(now, bucket_id)
            if extra["X-RateLimit-Remaining"] == "0":
                self.rate_limits.exhausted += 1
        result = await handler(rec)
        status, payload = result[0], result[1]
        headers = {**extra, **(result[2] if len(result) == 3 else {})}  # type: ignore[misc]
        return status, payload, headers

    def _route_table(self) -> list[tuple[str, str, Handler]]:
        app_cmds = "/applications/{application_id}/commands"
        guild_cmds = "/applications/{application_id}/guilds/{guild_id}/commands"
        msg = "/channels/{channel_id}/messages/{message_id}"
        hook_msg = "/webhooks/{application_id}/{interaction_token}/messages/{message_id}"
        return [
            ("GET", "/users/@me", self._get_me),
            ("POST", "/users/@me/channels", self._create_dm),
            ("GET", "/users/{user_id}", self._get_user),
            ("GET", "/gateway", self._get_gateway),
            ("GET", "/gateway/bot", self._get_gateway),
            ("GET", "/oauth2/applications/@me", self._get_application),
            ("GET", "/applications/@me", self._get_application),
            ("GET", app_cmds, self._list_commands),
            ("PUT", app_cmds, self._put_commands),
            ("POST", app_cmds, self._post_command),
            ("GET", app_cmds + "/{command_id}", self._get_command),
            ("PATCH", app_cmds + "/{command_id}", self._patch_command),
            ("DELETE", app_cmds + "/{command_id}", self._delete_command),
            ("GET", guild_cmds, self._list_commands),
            ("PUT", guild_cmds, self._put_commands),
            ("POST", guild_cmds, self._post_command),
            ("GET", guild_cmds + "/{command_id}", self._get_command),
            ("PATCH", guild_cmds + "/{command_id}", self._patch_command),
            ("DELETE", guild_cmds + "/{command_id}", self._delete_command),
            ("GET", "/guilds/{guild_id}", self._get_guild),
            ("GET", "/guilds/{guild_id}/channels", self._get_guild_channels),
            ("GET", "/guilds/{guild_id}/roles", self._get_guild_roles),
            ("GET", "/guilds/{guild_id}/members", self._list_members),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member),
            ("GET", "/channels/{channel_id}", self._get_channel),
            ("GET", "/channels/{channel_id}/messages", self._list_messages),
            ("POST", "/channels/{channel_id}/messages", self._post_message),
            ("GET", msg, self._get_message),
            ("PATCH", msg, self._edit_message),
            ("DELETE", msg, self._delete_message),
            ("POST", "/channels/{channel_id}/typing", self._typing),
            ("PUT", msg + "/reactions/{emoji}/@me", self._react),
            ("DELETE", msg + "/reactions/{emoji}/@me", self._react),
            ("POST", "/interactions/{interaction_id}/{interaction_token}/callback", self._callback),
            ("POST", "/webhooks/{application_id}/{interaction_token}", self._followup),
            ("GET", hook_msg, self._webhook_message),
            ("PATCH", hook_msg, self._webhook_message),
            ("DELETE", hook_msg, self._webhook_message),
        ]

    # ================================================================== REST: users, app, gateway

    async def _get_me(self, rec: RestRequest) -> Reply:
        return 200, make_self_user(self.bot_user)

    async def _get_user(self, rec: RestRequest) -> Reply:
        user = self.users.get(int(rec.params["user_id"])) if rec.params["user_id"].isdigit() else None
        return (200, user) if user else (404, error_body(404, rec.template))

    async def _create_dm(self, rec: RestRequest) -> Reply:
        user = self.users.get(int((rec.json or {}).get("recipient_id", 0)))
        if user is None:
            return 400, form_error({"recipient_id": "Unknown user"})
        return 200, self.dm_channel(user)

    async def _get_gateway(self, rec: RestRequest) -> Reply:
        payload: Json = {"url": self.gateway_url.rstrip("/")}
        if rec.template == "/gateway/bot":
            payload.update(
                shards=1,
                session_start_limit={"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1},
            )
        return 200, payload

    async def _get_application(self, rec: RestRequest) -> Reply:
        owner = getattr(self, "owner", None) or self.bot_user
        return 200, {
            "id": str(self.application_id),
            "name": self.bot_user["username"],
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "hook": True,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": owner,
            "team": None,
            "flags": self.application_flags,
            "bot": make_self_user(self.bot_user),
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "tags": [],
            "approximate_guild_count": len(self.guilds),
            "integration_types_config": {"0": {}},
        }

    # ================================================================== REST: application commands

    def _app_check(self, rec: RestRequest) -> tuple[int | None, Reply | None]:
        if rec.params["application_id"] != str(self.application_id):
            return None, (403, {"message": "Missing Access", "code": 50001})
        gid = rec.params.get("guild_id")
        if gid is not None and (not gid.isdigit() or int(gid) not in self.guilds):
            return None, (403, {"message": "Missing Access", "code": 50001})
        return (int(gid) if gid else None), None

    def _store_command(self, body: Json, guild_id: int | None, command_id: int | None = None) -> Json:
        cmd: Json = {
            "id": str(command_id or snowflake()),
            "application_id": str(self.application_id),
            "version": str(snowflake()),
            "type": body.get("type", 1),
            "name": body["name"],
            "name_localizations": body.get("name_localizations"),
            "description": body.get("description", ""),
            "description_localizations": body.get("description_localizations"),
            "options": body.get("options") or [],
            "default_member_permissions": body.get("default_member_permissions"),
            "nsfw": body.get("nsfw", False),
            "contexts": body.get("contexts"),
            "integration_types": body.get("integration_types") or [0],
        }
        if guild_id is not None:
            cmd["guild_id"] = str(guild_id)
        else:
            cmd["dm_permission"] = body.get("dm_permission", True)
        return cmd

    async def _list_commands(self, rec: RestRequest) -> Reply:
        gid, err = self._app_check(rec)
        return err or (200, self.registered_commands(gid))

    async def _put_commands(self, rec: RestRequest) -> Reply:
        gid, err = self._app_check(rec)
        if err:
            return err
        body = rec.json if isinstance(rec.json, list) else []
        if problem := validate_commands(body):
            return 400, problem
        old = {(c["name"], c["type"]): int(c["id"]) for c in self._commands[gid].values()}
        new = [self._store_command(c, gid, old.get((c["name"], c.get("type", 1)))) for c in body]
        self._commands[gid] = {int(c["id"]): c for c in new}
        self.command_syncs.append((gid, body))
        return 200, new

    async def _post_command(self, rec: RestRequest) -> Reply:
        gid, err = self._app_check(rec)
        if err:
            return err
        if problem := validate_commands([rec.json or {}]):
            return 400, problem
        existing = next(
            (
                c
                for c in self._commands[gid].values()
                if c["name"] == rec.json["name"] and c["type"] == rec.json.get("type", 1)
            ),
            None,
        )
        cmd = self._store_command(rec.json, gid, int(existing["id"]) if existing else None)
        self._commands[gid][int(cmd["id"])] = cmd
        return (200 if existing else 201), cmd

    def _command_or_404(self, rec: RestRequest) -> tuple[int | None, Json | None, Reply | None]:
        gid, err = self._app_check(rec)
        if err:
            return None, None, err
        cid = rec.params["command_id"]
        cmd = self._commands[gid].get(int(cid)) if cid.isdigit() else None
        if cmd is None:
            return gid, None, (404, {"message": "Unknown application command", "code": 10063})
        return gid, cmd, None

    async def _get_command(self, rec: RestRequest) -> Reply:
        _, cmd, err = self._command_or_404(rec)
        return err or (200, cmd)

    async def _patch_command(self, rec: RestRequest) -> Reply:
        gid, cmd, err = self._command_or_404(rec)
        if err or cmd is None:
            return err or (404, None)
        merged = {**cmd, **(rec.json or {})}
        if problem := validate_commands([merged]):
            return 400, problem
        updated = self._store_command(merged, gid, int(cmd["id"]))
        self._commands[gid][int(cmd["id"])] = updated
        return 200, updated

    async def _delete_command(self, rec: RestRequest) -> Reply:
        gid, cmd, err = self._command_or_404(rec)
        if err or cmd is None:
            return err or (404, None)
        del self._commands[gid][int(cmd["id"])]
        return 204, None

    # ================================================================== REST: guilds and channels

    def _guild_or_404(self, rec: RestRequest) -> Json | None:
        gid = rec.params["guild_id"]
        return self.guilds.get(int(gid)) if gid.isdigit() else None

    async def _get_guild(self, rec: RestRequest) -> Reply:
        guild = self._guild_or_404(rec)
        if guild is None:
            return 404, error_body(404, rec.template)
        data = partial_guild(guild)
        if rec.query.get("with_counts") in ("true", "True", "1"):
            data.update(
                approximate_member_count=len(guild["members"]), approximate_presence_count=len(guild["members"])
            )
        return 200, data

    async def _get_guild_channels(self, rec: RestRequest) -> Reply:
        guild = self._guild_or_404(rec)
        return (200, guild["channels"]) if guild else (404, error_body(404, rec.template))

    async def _get_guild_roles(self, rec: RestRequest) -> Reply:
        guild = self._guild_or_404(rec)
        return (200, guild["roles"]) if guild else (404, error_body(404, rec.template))

    async def _list_members(self, rec: RestRequest) -> Reply:
        guild = self._guild_or_404(rec)
        if guild is None:
            return 404, error_body(404, rec.template)
        after = int(rec.query.get("after", 0))
        limit = int(rec.query.get("limit", 1))
        members = sorted(
            (m for m in guild["members"] if int(m["user"]["id"]) > after), key=lambda m: int(m["user"]["id"])
        )
        return 200, members[:limit]

    async def _get_member(self, rec: RestRequest) -> Reply:
        guild = self._guild_or_404(rec)
        uid = rec.params["user_id"]
        member = self.member(int(guild["id"]), int(uid)) if guild and uid.isdigit() else None
        return (200, member) if member else (404, {"message": "Unknown Member", "code": 10007})

    def _channel_or_error(self, rec: RestRequest, need: int = Perm.VIEW_CHANNEL) -> tuple[Json | None, Reply | None]:
        cid = rec.params["channel_id"]
        channel = self.channels.get(int(cid)) if cid.isdigit() else None
        if channel is None:
            return None, (404, {"message": "Unknown Channel", "code": 10003})
        perms = self.bot_permissions_in(int(cid))
        if not perms & Perm.VIEW_CHANNEL:
            return None, (403, {"message": "Missing Access", "code": 50001})
        if perms & need != need:
            return None, (403, {"message": "Missing Permissions", "code": 50013})
        return channel, None

    async def _get_channel(self, rec: RestRequest) -> Reply:
        channel, err = self._channel_or_error(rec)
        return err or (200, channel)

    async def _list_messages(self, rec: RestRequest) -> Reply:
        channel, err = self._channel_or_error(rec, Perm.VIEW_CHANNEL | Perm.READ_MESSAGE_HISTORY)
        if err or channel is None:
            return err or (404, None)
        msgs = self.messages.get(int(channel["id"]), [])
        if "before" in rec.query:
            msgs = [m for m in msgs if int(m["id"]) < int(rec.query["before"])]
        if "after" in rec.query:
            msgs = [m for m in msgs if int(m["id"]) > int(rec.query["after"])]
        limit = int(rec.query.get("limit", 50))
        newest_first = list(reversed(msgs))
        if "after" in rec.query:
            return 200, list(reversed(msgs[:limit]))
        return 200, newest_first[:limit]

    async def _post_message(self, rec: RestRequest) -> Reply:
        channel, err = self._channel_or_error(rec, Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES)
        if err or channel is None:
            return err or (404, None)
        body: Json = rec.json if isinstance(rec.json, dict) else {}
        if rec.files and not self.bot_permissions_in(int(channel["id"])) & Perm.ATTACH_FILES:
            return 403, {"message": "Missing Permissions", "code": 50013}
        if problem := validate_message(body, has_files=bool(rec.files)):
            return 400, problem
        nonce = body.get("nonce")
        if nonce is not None and len(str(nonce)) > 25:
            return 400, form_error({"nonce": "Must be 25 or fewer in length."})
        key = (self.bot_user["id"], str(nonce))
        now = time.monotonic()
        if nonce is not None and body.get("enforce_nonce"):
            seen = self._nonces.get(key)
            if seen is not None and now - seen[0] < self.nonce_window:
                self.nonce_replays += 1
                return 200, seen[1]
        msg = self._build_message(channel, body, rec.files, author=self.bot_user)
        if nonce is not None:
            self._nonces[key] = (now, msg)
        self._store(msg, channel)
        await self._dispatch_message("MESSAGE_CREATE", msg, channel)
        return 200, msg

    def _message_or_error(self, rec: RestRequest, need: int = Perm.VIEW_CHANNEL) -> tuple[Json | None, Reply | None]:
        channel, err = self._channel_or_error(rec, need)
        if err or channel is None:
            return None, err
        mid = rec.params["message_id"]
        msg = next((m for m in self.messages.get(int(channel["id"]), []) if m["id"] == mid), None)
        if msg is None:
            return None, (404, {"message": "Unknown Message", "code": 10008})
        return msg, None

    async def _get_message(self, rec: RestRequest) -> Reply:
        msg, err = self._message_or_error(rec, Perm.VIEW_CHANNEL | Perm.READ_MESSAGE_HISTORY)
        return err or (200, msg)

    async def _edit_message(self, rec: RestRequest) -> Reply:
        msg, err = self._message_or_error(rec)
        if err or msg is None:
            return err or (404, None)
        body: Json = rec.json if isinstance(rec.json, dict) else {}
        if msg["author"]["id"] != self.bot_user["id"] and set(body) - {"flags"}:
            return 403, {"message": "Cannot edit a message authored by another user", "code": 50005}
        if problem := validate_message(body, has_files=bool(rec.files), edit=True):
            return 400, problem
        self._apply_edit(msg, body, rec.files)
        await self._dispatch_message("MESSAGE_UPDATE", msg, self.channels[int(msg["channel_id"])])
        return 200, msg

    async def _delete_message(self, rec: RestRequest) -> Reply:
        msg, err = self._message_or_error(rec)
        if err or msg is None:
            return err or (404, None)
        channel_id = int(msg["channel_id"])
        own = msg["author"]["id"] == self.bot_user["id"]
        if not own and not self.bot_permissions_in(channel_id) & Perm.MANAGE_MESSAGES:
            return 403, {"message": "Missing Permissions", "code": 50013}
        self._remove(msg)
        await self._dispatch_message("MESSAGE_DELETE", msg, self.channels[channel_id])
        return 204, None

    def _remove(self, msg: Json) -> None:
        channel_id = int(msg["channel_id"])
        if channel_id in self.messages:
            self.messages[channel_id] = [m for m in self.messages[channel_id] if m is not msg]
        self._changed()

    async def _typing(self, rec: RestRequest) -> Reply:
        _, err = self._channel_or_error(rec, Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES)
        return err or (204, None)

    async def _react(self, rec: RestRequest) -> Reply:
        msg, err = self._message_or_error(rec, Perm.VIEW_CHANNEL | Perm.READ_MESSAGE_HISTORY)
        if err or msg is None:
            return err or (404, None)
        emoji = rec.params["emoji"]
        name, _, eid = emoji.partition(":")
        reactions: list[Json] = msg.setdefault("reactions", [])
        existing = next((r for r in reactions if r["emoji"]["name"] == name), None)
        if rec.method == "PUT" and existing is None:
            reactions.append(
                {
                    "count": 1,
                    "count_details": {"burst": 0, "normal": 1},
                    "me": True,
                    "me_burst": False,
                    "burst_colors": [],
                    "emoji": {"id": eid or None, "name": name},
                }
            )
        elif rec.method == "DELETE" and existing is not None:
            reactions.remove(existing)
        self._changed()
        return 204, None

    # ================================================================== REST: interactions

    def _interaction_message(
        self, inter: FakeInteraction, body: Json, files: Sequence[UploadedFile], extra_flags: int = 0
    ) -> Json:
        channel = self.channels.get(int(inter.payload["channel_id"]), inter.payload["channel"])
        msg = self._build_message(
            channel,
            body,
            files,
            author=self.bot_user,
            webhook=True,
            extra_flags=extra_flags,
            msg_type=20 if inter.type == InteractionType.APPLICATION_COMMAND else 0,
        )
        user = inter.payload.get("user") or inter.payload["member"]["user"]
        msg["interaction_metadata"] = {
            "id": str(inter.id),
            "type": inter.type,
            "user": user,
            "authorizing_integration_owners": inter.payload["authorizing_integration_owners"],
        }
        if inter.type == InteractionType.APPLICATION_COMMAND:
            msg["interaction"] = {
                "id": str(inter.id),
                "type": inter.type,
                "name": inter.payload["data"]["name"],
                "user": user,
            }
        self._store(msg, channel)
        return msg

    async def _callback(self, rec: RestRequest) -> Reply:
        iid = rec.params["interaction_id"]
        inter = self.interactions.get(int(iid)) if iid.isdigit() else None
        if inter is None or inter.token != rec.params["interaction_token"] or self.token_status(inter):
            return 404, {"message": "Unknown interaction", "code": 10062}
        now = self.now()
        body: Json = rec.json if isinstance(rec.json, dict) else {}
        rtype, data = body.get("type"), body.get("data")
        problem: tuple[int, Json] | None = None
        if inter.acknowledged:
            problem = 400, {"message": "Interaction has already been acknowledged.", "code": 40060}
        elif self.callback_deadline is not None and now - inter.sent_at > self.callback_deadline:
            problem = 404, {"message": "Unknown interaction", "code": 10062}
        elif rtype not in ALLOWED_RESPONSES.get(inter.type, frozenset()):
            problem = 400, form_error({"type": f"Interaction response type {rtype} is invalid for this interaction"})
        elif rtype in (6, 7) and "message" not in inter.payload:
            problem = 400, form_error({"type": "This interaction has no message to update"})
        elif err := self._callback_data_error(rtype, data or {}, bool(rec.files)):
            problem = 400, err
        if problem is not None:
            inter.rejected.append((problem[0], problem[1], body))
            self._changed()
            return problem
        assert isinstance(rtype, int)
        inter.callbacks.append(InteractionCallback(rtype, data, now, now - inter.sent_at))
        data = data or {}
        message: Json | None = None
        ephemeral = bool(int(data.get("flags") or 0) & EPHEMERAL)
        if rtype == 4:
            message = inter.original = self._interaction_message(inter, data, rec.files)
            await self._dispatch_message("MESSAGE_CREATE", message, self.channels[int(message["channel_id"])])
        elif rtype == 5:
            message = inter.original = self._interaction_message(
                inter, {"flags": data.get("flags")}, [], extra_flags=LOADING | (EPHEMERAL if ephemeral else 0)
            )
            await self._dispatch_message("MESSAGE_CREATE", message, self.channels[int(message["channel_id"])])
        elif rtype in (6, 7):
            source = inter.payload["message"]
            target = self._message_index.get(int(source["id"]), source)
            inter.original = target
            ephemeral = bool(target["flags"] & EPHEMERAL)
            if rtype == 7:
                self._apply_edit(target, data, rec.files)
                message = target
                channel = self.channels.get(int(target["channel_id"]))
                if channel is not None:
                    await self._dispatch_message("MESSAGE_UPDATE", target, channel)
        self._changed()
        if rec.query.get("with_response", "").lower() not in ("1", "true"):
            return 204, None
        info: Json = {
            "id": str(inter.id),
            "type": inter.type,
            "response_message_loading": rtype == 5,
            "response_message_ephemeral": ephemeral,
        }
        if message is not None:
            info["response_message_id"] = message["id"]
        resource: Json = {"type": rtype}
        if message is not None:
            resource["message"] = message
        return 200, {"interaction": info, "resource": resource}

    @staticmethod
    def _callback_data_error(rtype: int, data: Json, has_files: bool) -> Json | None:
        if rtype in (4, 7):
            problem = validate_message(data, has_files=has_files, edit=rtype == 7)
            if problem is not None and "errors" in problem:  # Discord reports them under "data"
                problem = {**problem, "errors": {"data": problem["errors"]}}
            return problem
        if rtype == 8:
            return validate_choices(data.get("choices") or [])
        if rtype == 9 and not all(data.get(k) for k in ("custom_id", "title", "components")):
            return form_error({"data": "Modals need custom_id, title and components"})
        return None

    def _webhook_interaction(self, rec: RestRequest) -> tuple[FakeInteraction | None, Reply | None]:
        inter = self._by_token.get(rec.params["interaction_token"])
        if inter is None or rec.params["application_id"] != str(self.application_id) or not inter.acknowledged:
            return None, (404, dict(UNKNOWN_WEBHOOK))
        status = self.token_status(inter)
        if status == 401:
            return None, (401, dict(INVALID_WEBHOOK_TOKEN))
        if status == 404:
            return None, (404, dict(UNKNOWN_WEBHOOK))
        return inter, None

    async def _followup(self, rec: RestRequest) -> Reply:
        inter, err = self._webhook_interaction(rec)
        if err or inter is None:
            return err or (404, dict(UNKNOWN_WEBHOOK))
        body: Json = rec.json if isinstance(rec.json, dict) else {}
        if problem := validate_message(body, has_files=bool(rec.files)):
            return 400, problem
        original = inter.original
        if (
            inter.callbacks[0].type == 5
            and original is not None
            and original["flags"] & LOADING
            and not inter.followups
            and not inter.deleted_original
        ):
            # Discord: the first followup after a deferred response edits the loading message, and
            # its ephemeral flag is ignored (deprecated; Edit Original Interaction Response is the
            # way). Once the loading message is deleted, a followup is a new message with its flags.
            self._apply_edit(original, {k: v for k, v in body.items() if k != "flags"}, rec.files)
            msg = original
            await self._dispatch_message("MESSAGE_UPDATE", msg, self.channels[int(msg["channel_id"])])
        else:
            msg = self._interaction_message(inter, body, rec.files)
            msg["interaction_metadata"]["original_response_message_id"] = original["id"] if original else None
            await self._dispatch_message("MESSAGE_CREATE", msg, self.channels[int(msg["channel_id"])])
        inter.followups.append(msg)
        self._changed()
        if rec.query.get("wait", "").lower() in ("1", "true"):
            return 200, msg
        return 204, None

    async def _webhook_message(self, rec: RestRequest) -> Reply:
        inter, err = self._webhook_interaction(rec)
        if err or inter is None:
            return err or (404, dict(UNKNOWN_WEBHOOK))
        mid = rec.params["message_id"]
        if mid == "@original":
            msg = None if inter.deleted_original else inter.original
        else:
            candidates = [m for m in [inter.original, *inter.followups] if m is not None]
            msg = next((m for m in candidates if m["id"] == mid), None)
        if msg is None:
            return 404, {"message": "Unknown Message", "code": 10008}
        channel = self.channels.get(int(msg["channel_id"]))
        if rec.method == "GET":
            return 200, msg
        if rec.method == "DELETE":
            self._remove(msg)
            if msg is inter.original:
                inter.deleted_original = True
            if channel is not None:
                await self._dispatch_message("MESSAGE_DELETE", msg, channel)
            return 204, None
        body: Json = rec.json if isinstance(rec.json, dict) else {}
        if problem := validate_message(body, has_files=bool(rec.files), edit=True):
            return 400, problem
        self._apply_edit(msg, body, rec.files)
        if msg is inter.original:
            inter.edits.append(body)
        if channel is not None:
            await self._dispatch_message("MESSAGE_UPDATE", msg, channel)
        self._changed()
        return 200, msg
