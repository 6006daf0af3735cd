"""Answering interactions so that Discord's faults neither lose nor repeat an answer, and a private
answer stays private whatever was deferred.

* The initial response (the interaction callback) must reach Discord within 3 seconds of the
  interaction. discord.py sends it through its webhook adapter, which retries a 5xx five times,
  sleeping 1, 3, 5, 7 and 9 seconds: long after the window has closed. ``AnswerAdapter`` retries it
  only while the window lasts, and when a retry is refused with 40060 (already acknowledged), the
  attempt before it did reach Discord (the 5xx came after the work, as a gateway timeout can): that
  is success, not an error.
* A deferred command is answered by editing the deferred message (PATCH @original), which can be
  retried safely; a followup retried after an ambiguous 5xx would post the answer twice.
* After a public deferral, Discord turns the first followup into the "thinking" message and ignores
  its ephemeral flag. A private answer then deletes that message first and is sent as a followup
  of its own, which stays private.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import aiohttp
import discord
from discord.http import Route, json_or_text
from discord.webhook.async_ import AsyncWebhookAdapter, async_context

from bot.discord_app.embeds import NO_MENTIONS

log = logging.getLogger(__name__)

CALLBACK_WINDOW = 3.0  # seconds Discord waits for the initial response
RETRY_MARGIN = 0.3  # a retry is only sent if it can still arrive inside the window
FIRST_PAUSE = 0.2  # before the first retry; doubled each time
MIN_PAUSE = 0.05  # less time than this left in the window: no more retries
ALREADY_ACKNOWLEDGED = 40060
UNKNOWN_MESSAGE = 10008

_ANSWERED = "briefbot_answered"  # the deferred message has been edited into the answer
_DEFERRED_PRIVATE = "briefbot_deferred_private"  # the deferral was ephemeral


def window_left(interaction_id: int) -> float:
    """Seconds left of Discord's window for the initial response, from the interaction's id (its
    creation time), never more than the whole window (a clock behind Discord's)."""
    elapsed = (discord.utils.utcnow() - discord.utils.snowflake_time(interaction_id)).total_seconds()
    return CALLBACK_WINDOW - min(max(elapsed, 0.0), CALLBACK_WINDOW)


class AnswerAdapter(AsyncWebhookAdapter):
    """discord.py's webhook adapter, except for interaction callbacks: see the module's docstring."""

    def __init__(self, application_id: Callable[[], int | None]) -> None:
        super().__init__()
        self._application_id = application_id

    async def request(
        self,
        route: Route,
        session: aiohttp.ClientSession,
        *,
        payload: dict[str, Any] | None = None,
        multipart: list[dict[str, Any]] | None = None,
        proxy: str | None = None,
        proxy_auth: aiohttp.BasicAuth | None = None,
        files: Any = None,
        reason: str | None = None,
        auth_token: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        if route.method != "POST" or not route.path.endswith("/callback"):
            return await super().request(
                route,
                session,
                payload=payload,
                multipart=multipart,
                proxy=proxy,
                proxy_auth=proxy_auth,
                files=files,
                reason=reason,
                auth_token=auth_token,
                params=params,
            )
        return await self._callback(route, session, payload, multipart, files or [], proxy, proxy_auth, params)

    async def _callback(
        self,
        route: Route,
        session: aiohttp.ClientSession,
        payload: dict[str, Any] | None,
        multipart: list[dict[str, Any]] | None,
        files: Any,
        proxy: str | None,
        proxy_auth: aiohttp.BasicAuth | None,
        params: dict[str, Any] | None,
    ) -> Any:
        interaction_id = int(route.webhook_id or 0)
        deadline = time.monotonic() + window_left(interaction_id) - RETRY_MARGIN
        pause = FIRST_PAUSE
        attempt = 0
        ambiguous = False  # an earlier attempt may have reached Discord (a 5xx, a broken connection)
        while True:
            for file in files:
                file.reset(seek=attempt)
            headers: dict[str, str] = {}
            body: Any = None
            if multipart:
                body = aiohttp.FormData(quote_fields=False)
                for part in multipart:
                    body.add_field(**part)
            elif payload is not None:
                headers["Content-Type"] = "application/json"
                body = json.dumps(payload, separators=(",", ":"), ensure_ascii=True)
            try:
                async with session.request(
                    "POST", route.url, data=body, headers=headers, params=params, proxy=proxy, proxy_auth=proxy_auth
                ) as response:
                    # As discord.py's adapter logs it: the URL holds the token, which the log filter redacts.
                    log.debug("interaction %s: POST %s returned %s", interaction_id, route.url, response.status)
                    data = await json_or_text(response)
                    if 200 <= response.status < 300:
                        return data
                    code = data.get("code") if isinstance(data, dict) else None
                    if ambiguous and response.status == 400 and code == ALREADY_ACKNOWLEDGED:
                        # The attempt before this one reached Discord; only its answer was lost.
                        log.info("interaction %s: the retried response had already been received", interaction_id)
                        return await self._acknowledged(route, session, payload, multipart, proxy, proxy_auth)
                    wait = _retry_after(response, data, pause, deadline - time.monotonic())
                    if wait is None:
                        raise _http_error(response, data)
                    ambiguous = ambiguous or response.status >= 500
            except (OSError, aiohttp.ClientConnectionError):
                # The request may or may not have reached Discord: a retry tells (40060 if it did).
                ambiguous = True
                left = deadline - time.monotonic()
                if left < MIN_PAUSE:
                    raise
                wait = min(pause, left)
            log.debug("interaction %s: retrying the initial response in %.2fs", interaction_id, wait)
            await asyncio.sleep(wait)
            attempt += 1
            pause *= 2

    async def _acknowledged(
        self,
        route: Route,
        session: aiohttp.ClientSession,
        payload: dict[str, Any] | None,
        multipart: list[dict[str, Any]] | None,
        proxy: str | None,
        proxy_auth: aiohttp.BasicAuth | None,
    ) -> dict[str, Any]:
        """What Discord would have answered to the callback that it did receive: the interaction,
        and the message the response made (read back, so that its controls can be registered)."""
        rtype = _callback_type(payload, multipart)
        info: dict[str, Any] = {"id": str(route.webhook_id)}
        resource: dict[str, Any] = {"type": rtype}
        application_id = self._application_id()
        if rtype in (4, 5, 7) and application_id is not None and route.webhook_token:
            try:
                message = await self.get_original_interaction_response(
                    application_id, route.webhook_token, session=session, proxy=proxy, proxy_auth=proxy_auth
                )
            except discord.HTTPException as exc:
                log.warning("interaction %s: could not read back the response Discord had (%s)", route.webhook_id, exc)
            else:
                flags = int(message.get("flags") or 0)
                info.update(
                    response_message_id=message["id"],
                    response_message_loading=bool(flags & (1 << 7)),
                    response_message_ephemeral=bool(flags & (1 << 6)),
                )
                resource["message"] = message
        return {"interaction": info, "resource": resource}


def _retry_after(response: aiohttp.ClientResponse, data: Any, pause: float, left: float) -> float | None:
    """How long to wait before retrying a refused callback, or None if retrying cannot help (the
    refusal is final, or the retry could not be sent before the window closes): after a 5xx,
    ``pause``, or less so that the last try is sent as the window closes; after a rate limit, as
    long as Discord says."""
    if response.status >= 500 and left >= MIN_PAUSE:
        return min(pause, left)
    if response.status == 429 and response.headers.get("Via") and isinstance(data, dict):
        wait = float(data.get("retry_after", pause))  # a rate limit (not a Cloudflare ban)
        return wait if wait <= left else None
    return None


def _http_error(response: aiohttp.ClientResponse, data: Any) -> discord.HTTPException:
    if response.status == 403:
        return discord.Forbidden(response, data)
    if response.status == 404:
        return discord.NotFound(response, data)
    if response.status >= 500:
        return discord.DiscordServerError(response, data)
    return discord.HTTPException(response, data)


def _callback_type(payload: dict[str, Any] | None, multipart: list[dict[str, Any]] | None) -> int:
    if payload is not None:
        return int(payload.get("type", 0))
    for part in multipart or []:
        if part.get("name") == "payload_json":
            return int(json.loads(part["value"]).get("type", 0))
    return 0


def install(client: discord.Client) -> None:
    """Use ``AnswerAdapter`` for every interaction the client handles from now on: discord.py reads
    its adapter from a context variable, and each interaction is handled in a task started from
    the one that calls this (``Client.start``), which inherits it."""
    async_context.set(AnswerAdapter(lambda: client.application_id))


# --- answering ------------------------------------------------------------------------------------


def answer_lock(interaction: discord.Interaction) -> asyncio.Lock:
    """Serialises the first answer: a deferral by the watchdog never races the command's own reply."""
    lock = interaction.extras.get("briefbot_answer_lock")
    if lock is None:
        lock = interaction.extras["briefbot_answer_lock"] = asyncio.Lock()
    return lock


async def defer(interaction: discord.Interaction, *, ephemeral: bool = False) -> None:
    """Acknowledge now and answer later (the user sees "thinking"), unless already answered."""
    async with answer_lock(interaction):
        if not interaction.response.is_done():
            await interaction.response.defer(thinking=True, ephemeral=ephemeral)
            interaction.extras[_DEFERRED_PRIVATE] = ephemeral


def _awaiting_answer(interaction: discord.Interaction) -> bool:
    """Deferred with a "thinking" message that has not become the answer yet."""
    return (
        interaction.response.type is discord.InteractionResponseType.deferred_channel_message
        and not interaction.extras.get(_ANSWERED)
    )


async def _drop_public_deferral(interaction: discord.Interaction) -> None:
    """Delete the public "thinking" message, so that the next followup is a message of its own
    (with its own ephemeral flag) instead of becoming that public message."""
    try:
        await interaction.delete_original_response()
    except discord.NotFound as exc:
        if exc.code != UNKNOWN_MESSAGE:  # 10008: already gone (a retried delete); anything else is not
            raise
    interaction.extras[_ANSWERED] = True


async def reply(interaction: discord.Interaction, **kwargs: Any) -> discord.Message | None:
    """Answer: the initial response, or, once deferred, the deferred message edited into the answer
    (a followup retried after an ambiguous 5xx would be posted twice). Returns the message when the
    answer was not the initial response."""
    async with answer_lock(interaction):
        if not interaction.response.is_done():
            await interaction.response.send_message(**kwargs)
            return None
        private = bool(kwargs.pop("ephemeral", False))
        if _awaiting_answer(interaction):
            if private and not interaction.extras.get(_DEFERRED_PRIVATE):
                await _drop_public_deferral(interaction)
                return await interaction.followup.send(**kwargs, ephemeral=True, wait=True)
            message = await interaction.edit_original_response(**kwargs)
            interaction.extras[_ANSWERED] = True
            return message
        return await interaction.followup.send(**kwargs, ephemeral=private, wait=True)


async def send_private(interaction: discord.Interaction, content: str) -> None:
    """A message only the user sees (an error, a refusal), whatever was answered or deferred before.
    Discord failing to take it is logged: there is no one else to tell."""
    try:
        async with answer_lock(interaction):
            if not interaction.response.is_done():
                await interaction.response.send_message(content, ephemeral=True, allowed_mentions=NO_MENTIONS)
            elif _awaiting_answer(interaction) and interaction.extras.get(_DEFERRED_PRIVATE):
                await interaction.edit_original_response(
                    content=content, embeds=[], view=None, allowed_mentions=NO_MENTIONS
                )
                interaction.extras[_ANSWERED] = True
            else:
                if _awaiting_answer(interaction):
                    await _drop_public_deferral(interaction)
                await interaction.followup.send(content, ephemeral=True, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        log.warning("could not deliver an error message for interaction %s", interaction.id, exc_info=True)
