"""What a test controls: injected faults, the clock, rate limits, revoked tokens, gateway events."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping

from .faults import Fault, RouteLimit, SlidingWindow
from .payloads import (
    Json,
)
from .records import FakeInteraction


class Controls:
    """Faults, clock, rate limits and gateway control, set by a test (or the demo).

    A mixin of ``FakeDiscord`` (server.py): it uses the state ``FakeDiscord.__init__`` sets up.
    """

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
