"""Messages: building them from a bot's payload, storing, editing, removing, and dispatching their events."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .payloads import (
    Intent,
    Json,
    iso_now,
    make_message,
    snowflake,
)
from .records import UploadedFile

EPHEMERAL, LOADING = 1 << 6, 1 << 7
_SETTABLE_FLAGS = (1 << 2) | EPHEMERAL | (1 << 12) | (1 << 15)  # suppress embeds/notifications, components v2
_MENTION = re.compile(r"<@!?(\d+)>")


class MessageStore:
    """The message store and the gateway events it sends.

    A mixin of ``FakeDiscord`` (server.py): it uses the state ``FakeDiscord.__init__`` sets up.
    """

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

    def _remove(self, msg: Json) -> None:
        channel_id = int(msg["channel_id"])
        if channel_id in self.messages:
            self.messages[channel_id] = [m for m in self.messages[channel_id] if m is not msg]
        self._changed()
