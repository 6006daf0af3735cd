"""REST routes of guilds and channels: guilds, roles, members, channels, messages, typing, reactions."""

from __future__ import annotations

import time

from .check_message import validate_message
from .faults import error_body
from .forms import form_error
from .payloads import (
    THREAD_TYPES,
    Json,
    partial_guild,
)
from .permissions import Perm
from .records import RestRequest
from .rest import Reply


class ChannelRoutes:
    """Guild and channel routes, with Discord's permission checks.

    A mixin of ``FakeDiscord`` (server.py): it uses the state ``FakeDiscord.__init__`` sets up.
    """

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

    def _send_permission(self, rec: RestRequest) -> int:
        """What sending in the channel takes: SEND_MESSAGES, or in a thread SEND_MESSAGES_IN_THREADS."""
        cid = rec.params["channel_id"]
        channel = self.channels.get(int(cid)) if cid.isdigit() else None
        thread = channel is not None and channel.get("type") in THREAD_TYPES
        return Perm.VIEW_CHANNEL | (Perm.SEND_MESSAGES_IN_THREADS if thread else Perm.SEND_MESSAGES)

    async def _thread_open_for(self, channel: Json) -> Reply | None:
        """A locked thread refuses messages but from those who may manage threads; an archived one is
        unarchived by a message (Discord: "sending a message will automatically unarchive the thread,
        unless the thread has been locked by a moderator")."""
        meta = channel.get("thread_metadata")
        if meta is None:
            return None
        if meta.get("locked") and not self.bot_permissions_in(int(channel["id"])) & Perm.MANAGE_THREADS:
            return 403, {"message": "Thread is locked", "code": 160005}
        if meta.get("archived"):
            await self.update_thread(int(channel["id"]), archived=False)
        return None

    async def _post_message(self, rec: RestRequest) -> Reply:
        channel, err = self._channel_or_error(rec, self._send_permission(rec))
        if err or channel is None:
            return err or (404, None)
        body: Json = rec.json if isinstance(rec.json, dict) else {}
        if rec.files and not self.bot_permissions_in(int(channel["id"])) & Perm.ATTACH_FILES:
            return 403, {"message": "Missing Permissions", "code": 50013}
        if problem := validate_message(body, has_files=bool(rec.files)):
            return 400, problem
        if refused := await self._thread_open_for(channel):
            return refused
        nonce = body.get("nonce")
        # Discord: "nonce: integer or string", a string at most 25 characters; enforce_nonce a boolean.
        if nonce is not None and (isinstance(nonce, bool) or not isinstance(nonce, int | str)):
            return 400, form_error({"nonce": "Must be an integer or a string."})
        if nonce is not None and len(str(nonce)) > 25:
            return 400, form_error({"nonce": "Must be 25 or fewer in length."})
        if "enforce_nonce" in body and not isinstance(body["enforce_nonce"], bool):
            return 400, form_error({"enforce_nonce": "Must be either true or false."})
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

    async def _typing(self, rec: RestRequest) -> Reply:
        _, err = self._channel_or_error(rec, self._send_permission(rec))
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
