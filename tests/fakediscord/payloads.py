"""Builders for realistic Discord API v10 JSON payloads, plus the little rules the fake enforces.

Everything here is plain dicts shaped like Discord's documented objects, so discord.py parses
them exactly as it would parse real traffic. Nothing in this module imports discord.py.
"""

from __future__ import annotations

import enum
import itertools
import re
import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
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
        "threads": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "lazy": True,
    }


def partial_guild(guild: Json) -> Json:
    """Guild object as returned by ``GET /guilds/{id}`` (no channels/members)."""
    return {k: v for k, v in guild.items() if k not in ("channels", "members")}


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


# --------------------------------------------------------------------------- permissions


def compute_permissions(guild: Json, member: Json, channel: Json | None = None) -> int:
    """Discord's permission algorithm: base role permissions, then channel overwrites."""
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


# --------------------------------------------------------------------------- validation

_CMD_NAME = re.compile(r"^[-_'\w]{1,32}$")


def form_error(errors: Mapping[str, Any]) -> Json:
    """A Discord 50035 "Invalid Form Body" error body. ``errors`` maps dotted paths to messages."""
    tree: Json = {}
    for path, message in errors.items():
        node = tree
        for part in path.split("."):
            node = node.setdefault(part, {})
        node["_errors"] = [{"code": "BASE_TYPE_INVALID", "message": message}]
    return {"message": "Invalid Form Body", "code": 50035, "errors": tree}


def _embed_errors(embeds: Sequence[Json]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if len(embeds) > 10:
        errors["embeds"] = "Must be 10 or fewer in length."
    total = 0
    limits = {"title": 256, "description": 4096}
    for i, embed in enumerate(embeds):
        for key, limit in limits.items():
            text = embed.get(key) or ""
            total += len(text)
            if len(text) > limit:
                errors[f"embeds.{i}.{key}"] = f"Must be {limit} or fewer in length."
        fields = embed.get("fields") or []
        if len(fields) > 25:
            errors[f"embeds.{i}.fields"] = "Must be 25 or fewer in length."
        for j, field in enumerate(fields):
            name, value = field.get("name") or "", field.get("value") or ""
            total += len(name) + len(value)
            if not name or len(name) > 256:
                errors[f"embeds.{i}.fields.{j}.name"] = "Must be between 1 and 256 in length."
            if not value or len(value) > 1024:
                errors[f"embeds.{i}.fields.{j}.value"] = "Must be between 1 and 1024 in length."
        footer = (embed.get("footer") or {}).get("text") or ""
        author = (embed.get("author") or {}).get("name") or ""
        total += len(footer) + len(author)
        if len(footer) > 2048:
            errors[f"embeds.{i}.footer.text"] = "Must be 2048 or fewer in length."
        if len(author) > 256:
            errors[f"embeds.{i}.author.name"] = "Must be 256 or fewer in length."
    if total > 6000:
        errors["embeds"] = "Embed size exceeds maximum size of 6000"
    return errors


def _component_errors(components: Sequence[Json]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if len(components) > 5 and all(c.get("type", 1) == 1 for c in components):
        errors["components"] = "Must be 5 or fewer in length."
    seen: set[str] = set()

    def walk(items: Sequence[Json], path: str) -> None:
        for i, comp in enumerate(items):
            here = f"{path}.{i}"
            custom_id = comp.get("custom_id")
            if custom_id is not None:
                if not 1 <= len(custom_id) <= 100:
                    errors[f"{here}.custom_id"] = "Must be between 1 and 100 in length."
                if custom_id in seen:
                    errors[f"{here}.custom_id"] = "Component custom id cannot be duplicated"
                seen.add(custom_id)
            if len(comp.get("label") or "") > 80:
                errors[f"{here}.label"] = "Must be 80 or fewer in length."
            children = comp.get("components")
            if comp.get("type") == 1 and children is not None and len(children) > 5:
                errors[f"{here}.components"] = "Must be 5 or fewer in length."
            if children:
                walk(children, f"{here}.components")

    walk(components, "components")
    return errors


def validate_message(payload: Json, *, has_files: bool = False, edit: bool = False) -> Json | None:
    """Return a Discord error body if ``payload`` would be rejected as a message, else ``None``."""
    content = payload.get("content")
    if content is not None and not isinstance(content, str):
        content = str(content)
    errors: dict[str, str] = {}
    if content is not None and len(content) > 2000:
        errors["content"] = "Must be 2000 or fewer in length."
    errors.update(_embed_errors(payload.get("embeds") or []))
    errors.update(_component_errors(payload.get("components") or []))
    if errors:
        return form_error(errors)
    if not edit and not (
        content
        or payload.get("embeds")
        or payload.get("components")
        or payload.get("sticker_ids")
        or payload.get("poll")
        or has_files
        or payload.get("attachments")
    ):
        return {"message": "Cannot send an empty message", "code": 50006}
    return None


def validate_choices(choices: Sequence[Json]) -> Json | None:
    errors: dict[str, str] = {}
    if len(choices) > 25:
        errors["data.choices"] = "Must be 25 or fewer in length."
    for i, choice in enumerate(choices):
        if not 1 <= len(str(choice.get("name", ""))) <= 100:
            errors[f"data.choices.{i}.name"] = "Must be between 1 and 100 in length."
        value = choice.get("value")
        if isinstance(value, str) and len(value) > 100:
            errors[f"data.choices.{i}.value"] = "Must be 100 or fewer in length."
    return form_error(errors) if errors else None


def validate_commands(commands: Sequence[Json]) -> Json | None:
    """Basic application-command registration rules (names, descriptions, option limits)."""
    errors: dict[str, str] = {}
    seen: set[tuple[str, int]] = set()
    for i, cmd in enumerate(commands):
        ctype = cmd.get("type", 1)
        name = cmd.get("name", "")
        key = (name, ctype)
        if key in seen:
            errors[f"{i}.name"] = "Application command names must be unique"
        seen.add(key)
        if ctype == 1:
            if not _CMD_NAME.match(name) or name != name.lower():
                errors[f"{i}.name"] = "Command name is invalid"
            if not 1 <= len(cmd.get("description", "")) <= 100:
                errors[f"{i}.description"] = "Must be between 1 and 100 in length."
        errors.update(_option_errors(cmd.get("options") or [], f"{i}.options"))
    return form_error(errors) if errors else None


def _option_errors(options: Sequence[Json], path: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if len(options) > 25:
        errors[path] = "Must be 25 or fewer in length."
    optional_seen = False
    for j, opt in enumerate(options):
        here = f"{path}.{j}"
        name = opt.get("name", "")
        if not _CMD_NAME.match(name) or name != name.lower():
            errors[f"{here}.name"] = "Command name is invalid"
        if not 1 <= len(opt.get("description", "")) <= 100:
            errors[f"{here}.description"] = "Must be between 1 and 100 in length."
        if len(opt.get("choices") or []) > 25:
            errors[f"{here}.choices"] = "Must be 25 or fewer in length."
        if opt.get("type") in (1, 2):
            errors.update(_option_errors(opt.get("options") or [], f"{here}.options"))
            continue
        if opt.get("required"):
            if optional_seen:
                errors[f"{here}.required"] = "Required options must be placed before non-required options"
        else:
            optional_seen = True
    return errors
