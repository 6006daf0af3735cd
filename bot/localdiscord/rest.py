"""REST plumbing: matching a request to its route, reading its body, faults, auth, rate limits, the answer."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web

from .faults import Fault, error_body, rate_limited
from .records import RestRequest, UploadedFile

log = logging.getLogger("localdiscord")

Reply = tuple[int, Any] | tuple[int, Any, dict[str, str]]
Handler = Callable[[RestRequest], Awaitable[Reply]]


def _json_response(status: int, payload: Any, headers: Mapping[str, str]) -> web.Response:
    # discord.py only decodes JSON when Content-Type is exactly "application/json" (no charset).
    hdrs = {"Via": "1.1 google", **headers}
    if payload is None or status == 204:
        return web.Response(status=status, headers=hdrs)
    hdrs["Content-Type"] = "application/json"
    return web.Response(status=status, body=json.dumps(payload).encode(), headers=hdrs)


class RestPlumbing:
    """Every REST request goes through ``_handle_rest``; the route table maps it to a handler.

    A mixin of ``FakeDiscord`` (server.py): it uses the state ``FakeDiscord.__init__`` sets up.
    """

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
            log.exception("localdiscord handler crashed on %s %s", method, path)
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
            log.warning("localdiscord: unhandled route %s %s", rec.method, rec.path)
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
