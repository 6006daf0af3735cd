"""What the fake records: REST requests, interaction callbacks, and a way to await them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .payloads import Json


class Signal:
    """Wakes every waiter whenever the fake's state changes; waiters re-check their predicate then,
    and also every ``poll`` seconds (so predicates may look at the bot's state too)."""

    poll = 0.01

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def fire(self) -> None:
        for fut in self._waiters:
            if not fut.done():
                fut.set_result(None)
        self._waiters.clear()

    async def wait_for(self, predicate: Callable[[], Any], timeout: float, what: str = "condition") -> None:  # noqa: ASYNC109
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"localdiscord: timed out after {timeout}s waiting for {what}")
            fut: asyncio.Future[None] = loop.create_future()
            self._waiters.add(fut)
            try:
                await asyncio.wait({fut}, timeout=min(remaining, self.poll))
            finally:
                self._waiters.discard(fut)


@dataclass
class UploadedFile:
    field_name: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class RestRequest:
    """One REST call the bot made (``path`` has no ``/api/v10`` prefix)."""

    method: str
    path: str
    template: str | None
    query: dict[str, str]
    json: Any
    token: str | None
    at: float = field(default_factory=time.perf_counter)
    files: list[UploadedFile] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)
    status: int = 0
    response: Any = None
    fault: bool = False


@dataclass
class InteractionCallback:
    """A POST to ``/interactions/{id}/{token}/callback`` that Discord accepted."""

    type: int
    data: Json | None
    at: float
    latency: float  # seconds from INTERACTION_CREATE being sent to this callback arriving


class FakeInteraction:
    """An INTERACTION_CREATE the fake sent, and everything the bot did with it.

    * ``callbacks``: accepted initial responses (at most one, as on Discord); ``rejected`` holds
      ``(status, error_body, request_body)`` for refused callbacks (double ack, too late, invalid).
    * ``original``: the current state of ``@original`` (the response message, or for component
      interactions answered with type 6/7 the message the component is on).
    * ``followups``: messages returned by the followup endpoint, in order. The first followup after
      a deferred (type 5) response edits the loading message instead of creating one (as Discord
      does), so then ``followups[0] is original``.
    * ``edits``: bodies of PATCHes to ``@original``.
    * ``answer()`` waits for whichever of these is the answer.
    """

    def __init__(self, payload: Json, signal: Signal) -> None:
        self.payload = payload
        self.id = int(payload["id"])
        self.token: str = payload["token"]
        self.type: int = payload["type"]
        self.sent_at: float = 0.0
        self.shard: tuple[int, int] | None = None  # (shard_id, num_shards) of the session it was sent to
        self.callbacks: list[InteractionCallback] = []
        self.rejected: list[tuple[int, Json, Any]] = []
        self.original: Json | None = None
        self.followups: list[Json] = []
        self.edits: list[Json] = []
        self.deleted_original = False
        self.expired: int | None = None  # set by FakeDiscord.expire_interaction: the status its token now gets
        self._signal = signal

    def __repr__(self) -> str:
        return f"<FakeInteraction id={self.id} type={self.type} callbacks={[c.type for c in self.callbacks]}>"

    @property
    def acknowledged(self) -> bool:
        return bool(self.callbacks)

    @property
    def latency(self) -> float | None:
        """Seconds from dispatch to the initial callback, or ``None`` if not answered yet."""
        return self.callbacks[0].latency if self.callbacks else None

    @property
    def message(self) -> Json | None:
        """The message to click on next: ``original`` if any, else the message this interaction came from."""
        return self.original or self.payload.get("message")

    async def response(self, timeout: float = 5.0) -> InteractionCallback:  # noqa: ASYNC109
        """Wait for the initial callback (response types 4-9...)."""
        await self._signal.wait_for(lambda: self.callbacks, timeout, f"a callback to interaction {self.id}")
        return self.callbacks[0]

    async def answer(self, timeout: float = 5.0) -> Json:  # noqa: ASYNC109
        """Wait for the answer: the initial response's data, or after a deferral (type 5) the deferred
        message once it became the answer (edited through ``@original``, or by the deprecated first
        followup), or else the first followup (one sent after the deferred message was deleted)."""
        reply = await self.response(timeout)
        if reply.type != 5:
            return reply.data or {}
        await self._signal.wait_for(lambda: self.edits or self.followups, timeout, f"the answer to {self.id}")
        if self.followups:
            return self.followups[0]
        assert self.original is not None
        return self.original

    async def followup(self, index: int = 0, timeout: float = 5.0) -> Json:  # noqa: ASYNC109
        """Wait for the ``index``-th followup message."""
        await self._signal.wait_for(lambda: len(self.followups) > index, timeout, f"followup #{index} of {self.id}")
        return self.followups[index]

    async def wait_edit(self, count: int = 1, timeout: float = 5.0) -> Json:  # noqa: ASYNC109
        """Wait until ``@original`` has been edited ``count`` times; return the current original."""
        await self._signal.wait_for(lambda: len(self.edits) >= count, timeout, f"{count} edit(s) of {self.id}")
        assert self.original is not None
        return self.original
