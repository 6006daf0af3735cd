"""The fake gateway: Discord's v10 JSON websocket protocol (optionally zlib-stream compressed)."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import zlib
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

from aiohttp import WSMsgType, web

from .payloads import Intent, Json, guild_create_payload, make_self_user
from .shards import (
    INVALID_SHARD,
    MAX_GUILDS_PER_SESSION,
    SHARDING_REQUIRED,
    UNSHARDED,
    Everyone,
    Shard,
    event_guild,
    owns,
    parse_shard,
)


class GatewayHost(Protocol):
    """What the gateway needs of the fake that runs it (``FakeDiscord``): who the bot is, the world
    it is shown on READY, which tokens are valid, and a way to wake whoever waits on traffic."""

    application_id: int
    application_flags: int
    bot_user: Json
    guilds: dict[int, Json]
    valid_tokens: set[str]

    @property
    def resume_gateway_url(self) -> str: ...

    def _changed(self) -> None: ...


log = logging.getLogger("localdiscord.gateway")


class Op:
    DISPATCH = 0
    HEARTBEAT = 1
    IDENTIFY = 2
    PRESENCE_UPDATE = 3
    VOICE_STATE_UPDATE = 4
    RESUME = 6
    RECONNECT = 7
    REQUEST_GUILD_MEMBERS = 8
    INVALID_SESSION = 9
    HELLO = 10
    HEARTBEAT_ACK = 11


# Close codes after which Discord does not let the session be resumed.
NON_RESUMABLE_CLOSE = frozenset({4007, 4009})


class GatewayConnection:
    """One websocket. Sends are serialised so the zlib stream stays in order."""

    def __init__(
        self, ws: web.WebSocketResponse, path: str, query: dict[str, str], request: web.Request | None = None
    ) -> None:
        self.ws = ws
        self.request = request
        self.path = path
        self.query = query
        self.encoding = query.get("encoding", "json")
        # discord.py asks for zstd-stream when a zstd module is importable; we only implement
        # zlib-stream and otherwise send text frames, which discord.py always accepts.
        self._zlib = zlib.compressobj() if query.get("compress") == "zlib-stream" else None
        self._lock = asyncio.Lock()
        self.session: GatewaySession | None = None
        self.closed_by_server = False
        self.sent: list[Json] = []
        self.received: list[Json] = []

    @property
    def open(self) -> bool:
        return not self.ws.closed

    async def send(self, payload: Json) -> None:
        data = json.dumps(payload, separators=(",", ":"))
        async with self._lock:
            if self.ws.closed:
                return
            self.sent.append(payload)
            try:
                if self._zlib is not None:
                    await self.ws.send_bytes(self._zlib.compress(data.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH))
                else:
                    await self.ws.send_str(data)
            except (ConnectionError, RuntimeError):  # closed under us: dispatches stay buffered for RESUME
                log.debug("gateway send on a closing websocket dropped")

    async def close(self, code: int, message: str = "") -> None:
        self.closed_by_server = True
        async with self._lock:
            await self.ws.close(code=code, message=message.encode())

    def abort(self) -> None:
        """Cut the TCP connection without a close frame (a network failure, not a Discord close)."""
        self.closed_by_server = True
        if self.session is not None and self.session.conn is self:
            self.session.conn = None  # what is dispatched from now on waits in the buffer for RESUME
        transport = self.request.transport if self.request is not None else None
        if transport is not None:
            transport.abort()


class GatewaySession:
    """A gateway session: survives a dropped websocket and can be RESUMEd (missed events are replayed)."""

    def __init__(self, token: str, identify: Json, shard: Shard = UNSHARDED) -> None:
        self.session_id = secrets.token_hex(16)
        self.shard = shard  # (shard_id, num_shards) as identified; (0, 1) without sharding
        self.token = token
        self.identify = identify
        self.intents: int = identify.get("intents", 0)
        self.seq = 0
        self.buffer: deque[Json] = deque(maxlen=5000)
        self.conn: GatewayConnection | None = None
        self.resumable = True
        self.ready = False

    def wants(self, intent: int | None) -> bool:
        return intent is None or bool(self.intents & intent)

    def owns(self, guild_id: int | Everyone | None) -> bool:
        """Whether this session's shard receives events of ``guild_id`` (None: a DM; Everyone: any)."""
        return isinstance(guild_id, Everyone) or owns(self.shard, guild_id)

    async def dispatch(self, event: str, data: Json) -> None:
        self.seq += 1
        payload = {"op": Op.DISPATCH, "t": event, "s": self.seq, "d": data}
        self.buffer.append(payload)
        if self.conn is not None:
            await self.conn.send(payload)


class FakeGateway:
    def __init__(self, fake: GatewayHost, heartbeat_interval: float) -> None:
        self.fake = fake
        self.heartbeat_interval = heartbeat_interval
        self.ack_heartbeats = True
        self.disallowed_intents = 0
        self.sessions: list[GatewaySession] = []
        self.connections: list[GatewayConnection] = []
        self.identify_count = 0
        self.resume_count = 0
        self.heartbeats = 0
        self.presence_updates: list[Json] = []
        self.max_guilds_per_session = MAX_GUILDS_PER_SESSION  # more guilds on one shard: closed with 4011

    # ------------------------------------------------------------------ state

    @property
    def live_sessions(self) -> list[GatewaySession]:
        return [s for s in self.sessions if s.resumable]

    @property
    def open_connections(self) -> list[GatewayConnection]:
        return [c for c in self.connections if c.open]

    @property
    def ready(self) -> bool:
        return any(s.ready and s.conn is not None and s.conn.open for s in self.live_sessions)

    @property
    def ready_shards(self) -> set[Shard]:
        """The ``(shard_id, num_shards)`` of every session that got READY and is connected."""
        return {s.shard for s in self.live_sessions if s.ready and s.conn is not None and s.conn.open}

    def receivers(self, event: str, data: Json) -> list[GatewaySession]:
        """The ready sessions whose shard receives this event (its guild's shard, shard 0 for a DM)."""
        route = event_guild(event, data)
        return [s for s in self.live_sessions if s.ready and s.owns(route)]

    # ------------------------------------------------------------------ events

    async def dispatch(
        self,
        event: str,
        data: Json,
        *,
        intent: int | None = None,
        single: bool = False,
        transform: Callable[[int], Json] | None = None,
    ) -> list[GatewaySession]:
        """Send a DISPATCH to live sessions (buffered for resume while a session is disconnected)
        of the shard the event belongs to (``receivers``); returns the sessions it went to.

        ``single`` sends to the newest session only (interactions go to exactly one session);
        ``transform(session_intents)`` may tailor the payload per session.
        """
        targets = [s for s in self.receivers(event, data) if s.wants(intent)]
        if single:
            targets = targets[-1:]
        if single and not targets:
            log.warning("no gateway session to receive %s", event)
        for session in targets:
            await session.dispatch(event, transform(session.intents) if transform else data)
        return targets

    async def drop(self, code: int = 4000, message: str = "localdiscord: dropped", *, abrupt: bool = False) -> None:
        """Close every open websocket with ``code``, or with ``abrupt=True`` cut the connection without
        a close frame.

        As on Discord, 4000 (unknown error) and an abrupt cut leave the session resumable (a RESUME
        replays what was dispatched since the client's last sequence number), while the codes in
        ``NON_RESUMABLE_CLOSE`` (4007 invalid seq, 4009 session timed out) end it: a RESUME attempt
        then gets op 9 INVALID_SESSION(false) and the client must IDENTIFY again.
        """
        for conn in self.open_connections:
            if not abrupt and code in NON_RESUMABLE_CLOSE and conn.session is not None:
                conn.session.resumable = False
            if abrupt:
                conn.abort()
            else:
                await conn.close(code, message)

    async def request_reconnect(self) -> None:
        for conn in self.open_connections:
            await conn.send({"op": Op.RECONNECT, "d": None, "s": None, "t": None})

    async def invalidate(self, resumable: bool = False) -> None:
        for session in self.live_sessions:
            if not resumable:
                session.resumable = False
            if session.conn is not None:
                await session.conn.send({"op": Op.INVALID_SESSION, "d": resumable, "s": None, "t": None})

    async def close_all(self) -> None:
        for conn in self.open_connections:
            await conn.close(1001, "localdiscord: shutting down")

    # ------------------------------------------------------------------ websocket

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        conn = GatewayConnection(ws, request.path, dict(request.query), request)
        self.connections.append(conn)
        self.fake._changed()
        await conn.send(
            {"op": Op.HELLO, "d": {"heartbeat_interval": int(self.heartbeat_interval * 1000)}, "s": None, "t": None}
        )
        try:
            async for msg in ws:
                if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    continue
                payload = json.loads(msg.data)
                conn.received.append(payload)
                await self._on_payload(conn, payload)
        except Exception:
            log.exception("fake gateway connection failed")
            raise
        finally:
            session = conn.session
            if session is not None and session.conn is conn:
                session.conn = None
                if ws.close_code in (1000, 1001) and not conn.closed_by_server:
                    session.resumable = False  # a clean client close ends the session, as on Discord
            self.fake._changed()
        return ws

    async def _on_payload(self, conn: GatewayConnection, payload: Json) -> None:
        op, d = payload.get("op"), payload.get("d")
        if op == Op.HEARTBEAT:
            self.heartbeats += 1
            if self.ack_heartbeats:
                await conn.send({"op": Op.HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == Op.IDENTIFY:
            await self._identify(conn, d)
        elif op == Op.RESUME:
            await self._resume(conn, d)
        elif op == Op.REQUEST_GUILD_MEMBERS:
            await self._request_members(conn, d)
        elif op == Op.PRESENCE_UPDATE:
            self.presence_updates.append(d)
        elif op == Op.VOICE_STATE_UPDATE:
            pass
        else:
            await conn.close(4001, "Unknown opcode")
        self.fake._changed()

    async def _identify(self, conn: GatewayConnection, d: Json) -> None:
        if conn.session is not None:
            await conn.close(4005, "Already authenticated")
            return
        if d.get("token") not in self.fake.valid_tokens:
            await conn.close(4004, "Authentication failed")
            return
        if d.get("intents", 0) & self.disallowed_intents:
            await conn.close(4014, "Disallowed intent(s)")
            return
        shard = parse_shard(d["shard"]) if "shard" in d else UNSHARDED
        if shard is None:
            await conn.close(INVALID_SHARD, "Invalid shard")
            return
        guilds = [g for g in self.fake.guilds.values() if owns(shard, int(g["id"]))]
        if len(guilds) > self.max_guilds_per_session:
            await conn.close(SHARDING_REQUIRED, "Sharding required")
            return
        for old in self.live_sessions:  # this shard's orphaned sessions will never be resumed now
            if old.conn is None and old.token == d["token"] and old.shard == shard:
                old.resumable = False
        session = GatewaySession(d["token"], d, shard)
        self.sessions.append(session)
        session.conn = conn
        conn.session = session
        self.identify_count += 1
        fake = self.fake
        ready: Json = {
            "v": 10,
            "user": make_self_user(fake.bot_user),
            "user_settings": {},
            "guilds": [{"id": g["id"], "unavailable": True} for g in guilds],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": fake.resume_gateway_url,
            "application": {"id": str(fake.application_id), "flags": fake.application_flags},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["fake"],
            "auth": {},
            "_trace": ['["localdiscord-gateway"]'],
        }
        if "shard" in d:
            ready["shard"] = d["shard"]
        await session.dispatch("READY", ready)
        session.ready = True
        for guild in guilds:
            await session.dispatch("GUILD_CREATE", guild_create_payload(guild))

    async def _resume(self, conn: GatewayConnection, d: Json) -> None:
        session = next((s for s in self.live_sessions if s.session_id == d.get("session_id")), None)
        if session is None or d.get("token") != session.token or d.get("token") not in self.fake.valid_tokens:
            await conn.send({"op": Op.INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        if session.conn is not None and session.conn is not conn:
            await session.conn.close(4000, "Session resumed elsewhere")
        session.conn = conn
        conn.session = session
        self.resume_count += 1
        seq = d.get("seq") or 0
        for payload in list(session.buffer):
            if payload["s"] > seq:
                await conn.send(payload)
        await session.dispatch("RESUMED", {"_trace": ['["localdiscord-gateway"]']})

    async def _request_members(self, conn: GatewayConnection, d: Json) -> None:
        guild = self.fake.guilds.get(int(d["guild_id"]))
        if guild is None or conn.session is None:
            return
        members: list[Json] = guild["members"]
        if d.get("user_ids"):
            wanted = {str(u) for u in d["user_ids"]}
            members = [m for m in members if m["user"]["id"] in wanted]
        elif d.get("query"):
            q = str(d["query"]).lower()
            members = [m for m in members if m["user"]["username"].lower().startswith(q)]
        if d.get("limit"):
            members = members[: d["limit"]]
        chunk: dict[str, Any] = {
            "guild_id": guild["id"],
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if d.get("nonce") is not None:
            chunk["nonce"] = d["nonce"]
        if conn.session.wants(Intent.GUILD_MEMBERS) or d.get("user_ids"):
            await conn.session.dispatch("GUILD_MEMBERS_CHUNK", chunk)
