"""Builders for realistic Discord API v10 JSON payloads: users, roles, channels, members, guilds,
messages, snowflakes and tokens.

Everything here is plain dicts shaped like Discord's documented objects, so discord.py parses
them exactly as it would parse real traffic. Nothing in this module imports discord.py. The rules
the fake enforces on what a bot sends are in the ``check_*`` modules; permissions in ``permissions``.
"""

from __future__ import annotations

import enum
import itertools
import secrets
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

Json = dict[str, Any]
DISCORD_EPOCH_MS = 1_420_070_400_000
_increment = itertools.count()


def snowflake(at: float | None = None) -> int:
    """A fresh, time-ordered snowflake (unique within this process)."""
    ms = int((time.time() if at is None else at) * 1000)
    return ((ms - DISCORD_EPOCH_MS) << 22) | (1 << 17) | (next(_increment) & 0xFFF)


def iso_now() -> str:
    return datetime.now(UTC).isoformat()


class Intent(enum.IntFlag):
    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_MESSAGES = 1 << 9
    DIRECT_MESSAGES = 1 << 12
    MESSAGE_CONTENT = 1 << 15


class ChannelType(enum.IntEnum):
    GUILD_TEXT = 0
    DM = 1
    GUILD_VOICE = 2
    GUILD_CATEGORY = 4
    GUILD_ANNOUNCEMENT = 5
    ANNOUNCEMENT_THREAD = 10
    PUBLIC_THREAD = 11
    PRIVATE_THREAD = 12


THREAD_TYPES = frozenset({ChannelType.ANNOUNCEMENT_THREAD, ChannelType.PUBLIC_THREAD, ChannelType.PRIVATE_THREAD})


# --------------------------------------------------------------------------- builders


def make_user(
    id: int | None = None,
    username: str = "user",
    *,
    bot: bool = False,
    global_name: str | None = None,
) -> Json:
    return {
        "id": str(id or snowflake()),
        "username": username,
        "global_name": global_name,
        "discriminator": "0",
        "avatar": None,
        "avatar_decoration_data": None,
        "banner": None,
        "accent_color": None,
        "public_flags": 0,
        "flags": 0,
        "bot": bot,
        "system": False,
    }


def make_self_user(user: Json) -> Json:
    """The ``/users/@me`` / READY flavour of a user (has the private fields)."""
    return {**user, "verified": True, "mfa_enabled": False, "email": None, "locale": "en-US", "premium_type": 0}


def make_role(
    id: int,
    name: str,
    *,
    permissions: int = 0,
    position: int = 0,
    color: int = 0,
    hoist: bool = False,
    mentionable: bool = False,
    managed: bool = False,
    bot_id: int | None = None,
) -> Json:
    role: Json = {
        "id": str(id),
        "name": name,
        "color": color,
        "colors": {"primary_color": color, "secondary_color": None, "tertiary_color": None},
        "hoist": hoist,
        "icon": None,
        "unicode_emoji": None,
        "position": position,
        "permissions": str(permissions),
        "managed": managed,
        "mentionable": mentionable,
        "flags": 0,
    }
    if bot_id is not None:
        role["tags"] = {"bot_id": str(bot_id)}
    return role


def make_overwrite(id: int, *, member: bool = False, allow: int = 0, deny: int = 0) -> Json:
    """A channel permission overwrite; ``member=False`` means a role overwrite."""
    return {"id": str(id), "type": 1 if member else 0, "allow": str(allow), "deny": str(deny)}


def make_text_channel(
    id: int | None = None,
    name: str = "general",
    *,
    guild_id: int | None = None,
    position: int = 0,
    permission_overwrites: Sequence[Json] = (),
    topic: str | None = None,
    parent_id: int | None = None,
    nsfw: bool = False,
    type: int = ChannelType.GUILD_TEXT,
) -> Json:
    channel: Json = {
        "id": str(id or snowflake()),
        "type": int(type),
        "name": name,
        "position": position,
        "permission_overwrites": list(permission_overwrites),
        "topic": topic,
        "nsfw": nsfw,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "parent_id": str(parent_id) if parent_id else None,
        "default_auto_archive_duration": 1440,
        "flags": 0,
    }
    if guild_id is not None:
        channel["guild_id"] = str(guild_id)
    return channel


def make_dm_channel(id: int, recipient: Json) -> Json:
    return {"id": str(id), "type": ChannelType.DM, "last_message_id": None, "flags": 0, "recipients": [recipient]}


def make_member(user: Json, roles: Iterable[int] = (), *, nick: str | None = None) -> Json:
    return {
        "user": user,
        "nick": nick,
        "avatar": None,
        "banner": None,
        "roles": [str(r) for r in roles],
        "joined_at": iso_now(),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }


def make_guild(
    id: int,
    name: str,
    *,
    owner_id: int,
    roles: Sequence[Json],
    channels: Sequence[Json],
    members: Sequence[Json],
) -> Json:
    """A full GUILD_CREATE-style guild (roles[0] should be @everyone, whose id equals the guild id)."""
    return {
        "id": str(id),
        "name": name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "features": [],
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": channels[0]["id"] if channels else None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": False,
        "preferred_locale": "en-US",
        "nsfw_level": 0,
        "max_members": 500000,
        "max_video_channel_users": 25,
        "roles": list(roles),
        "emojis": [],
        "stickers": [],
        "channels": [{**c, "guild_id": str(id)} for c in channels],
        "members": list(members),
    }


def make_thread(
    parent: Json,
    name: str = "thread",
    *,
    id: int | None = None,
    type: int = ChannelType.PUBLIC_THREAD,
    owner_id: int | None = None,
    archived: bool = False,
    locked: bool = False,
) -> Json:
    """A thread channel (types 10, 11, 12) in ``parent``, as Discord's channel object gives it:
    ``parent_id``, ``owner_id``, counts and ``thread_metadata``; no permission overwrites of its own
    (a thread's permissions are its parent's)."""
    thread: Json = {
        "id": str(id or snowflake()),
        "type": int(type),
        "name": name,
        "parent_id": parent["id"],
        "owner_id": str(owner_id or snowflake()),
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "total_message_sent": 0,
        "flags": 0,
        "thread_metadata": {
            "archived": archived,
            "auto_archive_duration": 1440,
            "archive_timestamp": iso_now(),
            "locked": locked,
            **({"invitable": True} if type == ChannelType.PRIVATE_THREAD else {}),
        },
    }
    if "guild_id" in parent:
        thread["guild_id"] = parent["guild_id"]
    return thread


def guild_create_payload(guild: Json) -> Json:
    """The GUILD_CREATE event body for a stored guild."""
    return {
        **guild,
        "channels": [{k: v for k, v in c.items() if k != "guild_id"} for c in guild["channels"]],
        "joined_at": iso_now(),
        "large": False,
        "unavailable": False,
        "member_count": len(guild["members"]),
        "voice_states": [],
        "presences": [],
        "threads": [t for t in guild.get("threads", []) if not t["thread_metadata"]["archived"]],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "lazy": True,
    }


def partial_guild(guild: Json) -> Json:
    """Guild object as returned by ``GET /guilds/{id}`` (no channels/members)."""
    return {k: v for k, v in guild.items() if k not in ("channels", "members", "threads")}


def make_message(
    *,
    channel_id: int,
    author: Json,
    content: str = "",
    guild_id: int | None = None,
    embeds: Sequence[Json] = (),
    components: Sequence[Json] = (),
    attachments: Sequence[Json] = (),
    flags: int = 0,
    type: int = 0,
    nonce: str | int | None = None,
    mentions: Sequence[Json] = (),
    mention_everyone: bool = False,
    webhook_id: int | None = None,
    application_id: int | None = None,
    message_reference: Json | None = None,
    tts: bool = False,
) -> Json:
    msg: Json = {
        "id": str(snowflake()),
        "type": type,
        "channel_id": str(channel_id),
        "author": author,
        "content": content,
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": tts,
        "mention_everyone": mention_everyone,
        "mentions": list(mentions),
        "mention_roles": [],
        "attachments": list(attachments),
        "embeds": list(embeds),
        "components": list(components),
        "pinned": False,
        "flags": flags,
    }
    if guild_id is not None:
        msg["guild_id"] = str(guild_id)
    if nonce is not None:
        msg["nonce"] = nonce
    if webhook_id is not None:
        msg["webhook_id"] = str(webhook_id)
    if application_id is not None:
        msg["application_id"] = str(application_id)
    if message_reference is not None:
        msg["message_reference"] = {"type": 0, **message_reference, "channel_id": str(channel_id)}
    return msg


def new_token(prefix: str = "aW50ZXJhY3Rpb24") -> str:
    return f"{prefix}:{secrets.token_urlsafe(48)}"
