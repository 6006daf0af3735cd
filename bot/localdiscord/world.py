"""The fake's world: guilds, channels, members and DM channels, and the bot's permissions in them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .payloads import (
    Intent,
    Json,
    iso_now,
    make_dm_channel,
    make_guild,
    make_member,
    make_overwrite,
    make_role,
    make_text_channel,
    make_thread,
    make_user,
    snowflake,
)
from .permissions import DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, Perm, compute_permissions


class World:
    """Building and growing the world the bot sees.

    A mixin of ``FakeDiscord`` (server.py): it uses the state ``FakeDiscord.__init__`` sets up.
    """

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

    def add_thread(
        self,
        parent_id: int,
        name: str = "thread",
        *,
        type: int = 11,
        archived: bool = False,
        locked: bool = False,
        members: Iterable[int] = (),
    ) -> Json:
        """A thread (10 announcement, 11 public, 12 private) in channel ``parent_id``, with these
        user ids as its members (a private thread is seen only by them and moderators). Active
        threads reach the bot in GUILD_CREATE; add threads before the bot connects, or call
        ``update_thread`` after."""
        parent = self.channels[parent_id]
        guild_id = int(parent["guild_id"])
        thread = make_thread(parent, name, type=type, archived=archived, locked=locked)
        self.guilds[guild_id].setdefault("threads", []).append(thread)
        self.channels[int(thread["id"])] = thread
        self.thread_members[int(thread["id"])] = {int(m) for m in members}
        return thread

    async def create_thread(self, parent_id: int, name: str = "thread", **options: Any) -> Json:
        """``add_thread``, then THREAD_CREATE to the bot (a thread started while it is connected)."""
        thread = self.add_thread(parent_id, name, **options)
        await self.gateway.dispatch("THREAD_CREATE", {**thread, "newly_created": True}, intent=Intent.GUILDS)
        return thread

    async def update_thread(self, thread_id: int, *, archived: bool | None = None, locked: bool | None = None) -> Json:
        """Archive, unarchive, lock or unlock a thread (as a moderator would), with THREAD_UPDATE."""
        thread = self.channels[thread_id]
        meta = thread["thread_metadata"]
        if archived is not None and archived != meta["archived"]:
            meta["archived"] = archived
            meta["archive_timestamp"] = iso_now()
        if locked is not None:
            meta["locked"] = locked
        await self.gateway.dispatch("THREAD_UPDATE", thread, intent=Intent.GUILDS)
        self._changed()
        return thread

    def permissions_in(self, user_id: int, channel_id: int) -> int:
        """A member's permissions in a guild channel or thread (Discord's algorithm)."""
        channel = self.channels[channel_id]
        guild = self.guilds[int(channel["guild_id"])]
        member = self.member(int(guild["id"]), user_id)
        if member is None:
            return 0
        return compute_permissions(guild, member, channel, thread_members=self.thread_members.get(channel_id, ()))

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
        return self.permissions_in(self.application_id, channel_id)
