"""Discord's permission bits, the defaults the fake's world uses, and Discord's permission algorithm."""

from __future__ import annotations

import enum
from collections.abc import Collection

from .payloads import THREAD_TYPES, ChannelType, Json


class Perm(enum.IntFlag):
    """Permission bits (subset of Discord's, enough for bots)."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_AUDIT_LOG = 1 << 7
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    SEND_TTS_MESSAGES = 1 << 12
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    CHANGE_NICKNAME = 1 << 26
    MANAGE_ROLES = 1 << 28
    MANAGE_WEBHOOKS = 1 << 29
    USE_APPLICATION_COMMANDS = 1 << 31
    MANAGE_THREADS = 1 << 34
    CREATE_PUBLIC_THREADS = 1 << 35
    SEND_MESSAGES_IN_THREADS = 1 << 38


ALL_PERMISSIONS = 8_866_461_766_385_663  # discord.Permissions.all().value as of API v10
DEFAULT_EVERYONE_PERMISSIONS = int(
    Perm.CREATE_INSTANT_INVITE
    | Perm.ADD_REACTIONS
    | Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.USE_EXTERNAL_EMOJIS
    | Perm.CHANGE_NICKNAME
    | Perm.USE_APPLICATION_COMMANDS
    | Perm.CREATE_PUBLIC_THREADS
    | Perm.SEND_MESSAGES_IN_THREADS
)
DEFAULT_BOT_PERMISSIONS = int(
    Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.ADD_REACTIONS
    | Perm.USE_EXTERNAL_EMOJIS
    | Perm.USE_APPLICATION_COMMANDS
    | Perm.SEND_MESSAGES_IN_THREADS
)


# What a member without the permission to send loses implicitly (Discord's "implicit permissions");
# in a thread, the permission to send there is SEND_MESSAGES_IN_THREADS.
_NEED_SENDING = Perm.SEND_TTS_MESSAGES | Perm.MENTION_EVERYONE | Perm.ATTACH_FILES | Perm.EMBED_LINKS


def compute_permissions(
    guild: Json, member: Json, channel: Json | None = None, *, thread_members: Collection[int] = ()
) -> int:
    """Discord's permission algorithm: base role permissions, then channel overwrites. A thread has
    no overwrites: its permissions are its parent channel's, a private thread is seen only by its
    members (``thread_members``, user ids) and those who may manage threads, and in a thread it is
    SEND_MESSAGES_IN_THREADS (not SEND_MESSAGES) that allows sending, and with it embeds and files."""
    if channel is not None and channel.get("type") in THREAD_TYPES:
        parent = next((c for c in guild["channels"] if c["id"] == channel.get("parent_id")), None)
        perms = compute_permissions(guild, member, parent) if parent is not None else 0
        if not perms & Perm.VIEW_CHANNEL:
            return 0
        private = channel["type"] == ChannelType.PRIVATE_THREAD
        if private and int(member["user"]["id"]) not in thread_members and not perms & Perm.MANAGE_THREADS:
            return 0
        if not perms & Perm.SEND_MESSAGES_IN_THREADS:
            perms &= ~_NEED_SENDING
        return perms
    guild_id = guild["id"]
    user_id = member["user"]["id"]
    if user_id == guild["owner_id"]:
        return ALL_PERMISSIONS
    roles = {r["id"]: int(r["permissions"]) for r in guild["roles"]}
    member_roles = set(member["roles"])
    perms = roles.get(guild_id, 0)
    for role_id in member_roles:
        perms |= roles.get(role_id, 0)
    if perms & Perm.ADMINISTRATOR:
        return ALL_PERMISSIONS
    if channel is None:
        return perms
    overwrites = {o["id"]: o for o in channel.get("permission_overwrites", [])}
    if everyone := overwrites.get(guild_id):
        perms = (perms & ~int(everyone["deny"])) | int(everyone["allow"])
    allow = deny = 0
    for ow in overwrites.values():
        if ow["type"] == 0 and ow["id"] in member_roles:
            allow |= int(ow["allow"])
            deny |= int(ow["deny"])
    perms = (perms & ~deny) | allow
    if (mine := overwrites.get(user_id)) and mine["type"] == 1:
        perms = (perms & ~int(mine["deny"])) | int(mine["allow"])
    if not perms & Perm.VIEW_CHANNEL:
        return 0
    return perms
