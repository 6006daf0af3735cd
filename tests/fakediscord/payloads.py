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
from urllib.parse import urlsplit

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


Problem = str | tuple[str, str]  # a message (code BASE_TYPE_INVALID), or (Discord's error code, message)


def form_error(errors: Mapping[str, Problem]) -> Json:
    """A Discord 50035 "Invalid Form Body" error body. ``errors`` maps dotted paths to a message, or
    to ``(code, message)`` for Discord's specific codes (e.g. ``URL_TYPE_INVALID_URL``)."""
    tree: Json = {}
    for path, problem in errors.items():
        code, message = problem if isinstance(problem, tuple) else ("BASE_TYPE_INVALID", problem)
        node = tree
        for part in path.split("."):
            node = node.setdefault(part, {})
        node["_errors"] = [{"code": code, "message": message}]
    return {"message": "Invalid Form Body", "code": 50035, "errors": tree}


def _length(low: int, high: int) -> tuple[str, str]:
    return "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length."


def _at_most(high: int) -> tuple[str, str]:
    return "BASE_TYPE_MAX_LENGTH", f"Must be {high} or fewer in length."


EMBED_URL_LIMIT = 2048
BUTTON_URL_LIMIT = 512
_SCHEMES_MESSAGE = "Scheme {scheme!r} is not supported. Scheme must be one of {allowed}."


def url_problem(url: Any, schemes: Sequence[str] = ("http", "https"), limit: int = EMBED_URL_LIMIT) -> Problem | None:
    """Why Discord would refuse ``url`` in an embed or a link button, or ``None`` if it is accepted.

    Discord parses the URL and refuses ("Not a well formed URL.", URL_TYPE_INVALID_URL) one that
    does not parse, has no host, has a bad port or contains whitespace or control characters,
    and one whose scheme is not in ``schemes`` (URL_TYPE_INVALID_SCHEME): http(s) for links, and
    also ``attachment`` for images, thumbnails and icons (``attachment://file.png``).
    """
    if not isinstance(url, str):
        return "BASE_TYPE_INVALID", "Could not interpret value as string."
    if len(url) > limit:
        return _at_most(limit)
    malformed = ("URL_TYPE_INVALID_URL", "Not a well formed URL.")
    if not url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return malformed
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return malformed
    if not parts.scheme or not parts.netloc:
        return malformed
    if parts.scheme.lower() not in schemes:
        return "URL_TYPE_INVALID_SCHEME", _SCHEMES_MESSAGE.format(scheme=parts.scheme, allowed=tuple(schemes))
    if not parts.hostname:
        return malformed
    return None


_LINK_SCHEMES = ("http", "https")
_IMAGE_SCHEMES = ("http", "https", "attachment")
# Where an embed holds a URL, and which schemes each accepts (Discord's embed object docs: images,
# thumbnails and icons "only support http(s) and attachments").
_EMBED_URLS: tuple[tuple[str | None, str, tuple[str, ...]], ...] = (
    (None, "url", _LINK_SCHEMES),
    ("author", "url", _LINK_SCHEMES),
    ("author", "icon_url", _IMAGE_SCHEMES),
    ("footer", "icon_url", _IMAGE_SCHEMES),
    ("image", "url", _IMAGE_SCHEMES),
    ("thumbnail", "url", _IMAGE_SCHEMES),
    ("video", "url", _LINK_SCHEMES),
)


def _embed_url_errors(embed: Json, path: str) -> dict[str, Problem]:
    errors: dict[str, Problem] = {}
    for part, key, schemes in _EMBED_URLS:
        holder = embed if part is None else embed.get(part)
        if not isinstance(holder, dict) or holder.get(key) is None:
            continue
        if problem := url_problem(holder[key], schemes):
            errors[f"{path}.{key}" if part is None else f"{path}.{part}.{key}"] = problem
    return errors


def _embed_errors(embeds: Sequence[Json]) -> dict[str, Problem]:
    errors: dict[str, Problem] = {}
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
        errors.update(_embed_url_errors(embed, f"embeds.{i}"))
    if total > 6000:
        errors["embeds"] = "Embed size exceeds maximum size of 6000"
    return errors


_SELECT_TYPES = frozenset({3, 5, 6, 7, 8})  # string, user, role, mentionable and channel selects


def _int_in(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _button_errors(comp: Json, here: str) -> dict[str, Problem]:
    """Discord's button rules: a link button (style 5) has a url and no custom_id; a premium button
    (style 6) a sku_id; every other style a custom_id and no url; labels of at most 80 characters."""
    errors: dict[str, Problem] = {}
    style = comp.get("style")
    if not _int_in(style, 1, 6):
        errors[f"{here}.style"] = ("BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3, 4, 5, 6).")
    if len(comp.get("label") or "") > 80:
        errors[f"{here}.label"] = _at_most(80)
    if style == 5:
        if comp.get("custom_id") is not None:
            errors[f"{here}.custom_id"] = (
                "COMPONENT_LINK_BUTTON_HAS_CUSTOM_ID",
                "A link button cannot have a custom id",
            )
        if comp.get("url") is None:
            errors[f"{here}.url"] = ("BASE_TYPE_REQUIRED", "This field is required")
        elif problem := url_problem(comp["url"], ("http", "https", "discord"), BUTTON_URL_LIMIT):
            errors[f"{here}.url"] = problem
    elif style == 6:
        if not comp.get("sku_id"):
            errors[f"{here}.sku_id"] = ("BASE_TYPE_REQUIRED", "This field is required")
    else:
        if comp.get("url") is not None:
            errors[f"{here}.url"] = ("COMPONENT_BUTTON_HAS_URL", "Only link buttons can have a url")
        if comp.get("custom_id") is None:
            errors[f"{here}.custom_id"] = ("BASE_TYPE_REQUIRED", "This field is required")
    return errors


def _select_errors(comp: Json, here: str) -> dict[str, Problem]:
    """Discord's select menu rules: a custom_id; a placeholder of at most 150 characters;
    min_values 0-25, max_values 1-25 and min <= max; a string select (type 3) has 1-25 options
    with labels and values of 1-100 characters, distinct values, descriptions of at most 100,
    max_values no more than its options and no more defaults than max_values."""
    errors: dict[str, Problem] = {}
    if comp.get("custom_id") is None:
        errors[f"{here}.custom_id"] = ("BASE_TYPE_REQUIRED", "This field is required")
    placeholder = comp.get("placeholder")
    if placeholder is not None and len(str(placeholder)) > 150:
        errors[f"{here}.placeholder"] = _at_most(150)
    low, high = comp.get("min_values", 1), comp.get("max_values", 1)
    if not _int_in(low, 0, 25):
        errors[f"{here}.min_values"] = ("NUMBER_TYPE_MAX", "int value should be between 0 and 25.")
    if not _int_in(high, 1, 25):
        errors[f"{here}.max_values"] = ("NUMBER_TYPE_MAX", "int value should be between 1 and 25.")
    elif _int_in(low, 0, 25) and low > high:
        errors[f"{here}.min_values"] = (
            "SELECT_COMPONENT_MIN_VALUES_TOO_HIGH",
            "min_values must be less than or equal to max_values.",
        )
    if comp.get("type") == 3:
        options = comp.get("options") or []
        if not 1 <= len(options) <= 25:
            errors[f"{here}.options"] = _length(1, 25)
        elif _int_in(high, 1, 25) and high > len(options):
            errors[f"{here}.max_values"] = (
                "SELECT_COMPONENT_MAX_VALUES_TOO_HIGH",
                f"max_values must be less than or equal to the number of options ({len(options)}).",
            )
        values: set[str] = set()
        for k, option in enumerate(options):
            at = f"{here}.options.{k}"
            for key in ("label", "value"):
                if not 1 <= len(str(option.get(key) or "")) <= 100:
                    errors[f"{at}.{key}"] = _length(1, 100)
            if len(str(option.get("description") or "")) > 100:
                errors[f"{at}.description"] = _at_most(100)
            if option.get("value") in values:
                errors[f"{at}.value"] = ("SELECT_COMPONENT_OPTION_VALUE_DUPLICATED", "Option values must be unique")
            values.add(option.get("value"))
        defaults = sum(1 for o in options if o.get("default"))
        if _int_in(high, 1, 25) and defaults > high:
            errors[f"{here}.options"] = (
                "SELECT_COMPONENT_TOO_MANY_DEFAULT_VALUES",
                f"The number of default options must be {high} (max_values) or fewer.",
            )
    else:
        defaults_given = comp.get("default_values") or []
        if _int_in(high, 1, 25) and len(defaults_given) > high:
            errors[f"{here}.default_values"] = _at_most(high)
    return errors


def _component_errors(components: Sequence[Json]) -> dict[str, Problem]:
    errors: dict[str, Problem] = {}
    if len(components) > 5 and all(c.get("type", 1) == 1 for c in components):
        errors["components"] = "Must be 5 or fewer in length."
    seen: set[str] = set()

    def walk(items: Sequence[Json], path: str) -> None:
        for i, comp in enumerate(items):
            here = f"{path}.{i}"
            ctype = comp.get("type")
            custom_id = comp.get("custom_id")
            if custom_id is not None:
                if not 1 <= len(custom_id) <= 100:
                    errors[f"{here}.custom_id"] = "Must be between 1 and 100 in length."
                if custom_id in seen:
                    errors[f"{here}.custom_id"] = "Component custom id cannot be duplicated"
                seen.add(custom_id)
            if ctype == 2:
                errors.update(_button_errors(comp, here))
            elif ctype in _SELECT_TYPES:
                errors.update(_select_errors(comp, here))
            elif len(comp.get("label") or "") > 80:
                errors[f"{here}.label"] = "Must be 80 or fewer in length."
            children = comp.get("components")
            if ctype == 1 and children is not None:
                if not 1 <= len(children) <= 5:
                    errors[f"{here}.components"] = _length(1, 5)
                elif any(c.get("type") in _SELECT_TYPES for c in children) and len(children) > 1:
                    errors[f"{here}.components"] = (
                        "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                        "An action row holding a select menu holds nothing else.",
                    )
            if children:
                walk(children, f"{here}.components")

    walk(components, "components")
    return errors


def validate_message(payload: Json, *, has_files: bool = False, edit: bool = False) -> Json | None:
    """Return a Discord error body if ``payload`` would be rejected as a message, else ``None``."""
    content = payload.get("content")
    if content is not None and not isinstance(content, str):
        content = str(content)
    errors: dict[str, Problem] = {}
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
    errors: dict[str, Problem] = {}
    if len(choices) > 25:
        errors["data.choices"] = "Must be 25 or fewer in length."
    for i, choice in enumerate(choices):
        if not 1 <= len(str(choice.get("name", ""))) <= 100:
            errors[f"data.choices.{i}.name"] = "Must be between 1 and 100 in length."
        value = choice.get("value")
        if isinstance(value, str) and len(value) > 100:
            errors[f"data.choices.{i}.value"] = "Must be 100 or fewer in length."
    return form_error(errors) if errors else None


COMMAND_SIZE_LIMIT = 8000  # name, description and choice name/value characters in a whole command
_CHOICE_TYPES = frozenset({3, 4, 10})  # STRING, INTEGER, NUMBER
_CONTEXT_MENU_TYPES = frozenset({2, 3})  # USER, MESSAGE


def _longest(holder: Json, key: str) -> int:
    """A field's size as Discord counts it: the longest of its default and its localizations."""
    sizes = [len(str(holder.get(key) or ""))]
    sizes += [len(str(v or "")) for v in (holder.get(f"{key}_localizations") or {}).values()]
    return max(sizes)


def command_size(cmd: Json) -> int:
    """Characters counted toward the 8,000 limit: the name and description of the command and of
    every option (subcommands and groups included), and every choice's name and value."""

    def options_size(options: Sequence[Json]) -> int:
        total = 0
        for opt in options:
            total += _longest(opt, "name") + _longest(opt, "description")
            for choice in opt.get("choices") or []:
                total += _longest(choice, "name") + len(str(choice.get("value", "")))
            total += options_size(opt.get("options") or [])
        return total

    return _longest(cmd, "name") + _longest(cmd, "description") + options_size(cmd.get("options") or [])


def _localized_errors(holder: Json, key: str, path: str, check: Any) -> dict[str, Problem]:
    errors: dict[str, Problem] = {}
    for locale, value in (holder.get(f"{key}_localizations") or {}).items():
        if problem := check(str(value or "")):
            errors[f"{path}.{key}_localizations.{locale}"] = problem
    return errors


def _slash_name_problem(name: str) -> Problem | None:
    if not _CMD_NAME.match(name) or name != name.lower():
        return "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
    return None


def _description_problem(text: str) -> Problem | None:
    return None if 1 <= len(text) <= 100 else _length(1, 100)


def _command_errors(cmd: Json, here: str) -> dict[str, Problem]:
    errors: dict[str, Problem] = {}
    ctype = cmd.get("type", 1)
    name = str(cmd.get("name", ""))
    if ctype not in (1, 2, 3, 4):
        errors[f"{here}.type"] = ("BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3, 4).")
    if ctype in _CONTEXT_MENU_TYPES:
        # USER and MESSAGE commands: 1-32 characters, mixed case and spaces allowed, no description
        # (an empty string at most) and no options.
        def menu_name(text: str) -> Problem | None:
            return None if 1 <= len(text) <= 32 else _length(1, 32)

        if problem := menu_name(name):
            errors[f"{here}.name"] = problem
        errors.update(_localized_errors(cmd, "name", here, menu_name))
        if cmd.get("description"):
            errors[f"{here}.description"] = (
                "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                "Context menu commands cannot have a description",
            )
        if cmd.get("options"):
            errors[f"{here}.options"] = (
                "APPLICATION_COMMAND_OPTIONS_NOT_ALLOWED",
                "Only chat input commands can have options",
            )
        return errors
    if problem := _slash_name_problem(name):
        errors[f"{here}.name"] = problem
    errors.update(_localized_errors(cmd, "name", here, _slash_name_problem))
    if problem := _description_problem(str(cmd.get("description", ""))):
        errors[f"{here}.description"] = problem
    errors.update(_localized_errors(cmd, "description", here, _description_problem))
    errors.update(_option_errors(cmd.get("options") or [], f"{here}.options"))
    if (size := command_size(cmd)) > COMMAND_SIZE_LIMIT:
        errors[here] = (
            "APPLICATION_COMMAND_TOO_LARGE",
            f"Command exceeds maximum size ({COMMAND_SIZE_LIMIT}): {size} characters",
        )
    return errors


def validate_commands(commands: Sequence[Json]) -> Json | None:
    """Application-command registration rules, per Discord's docs: names and descriptions (chat
    input and context menu), options, choices, ranges and lengths, and the 8,000-character total."""
    errors: dict[str, Problem] = {}
    seen: set[tuple[str, int]] = set()
    for i, cmd in enumerate(commands):
        ctype = cmd.get("type", 1)
        name = cmd.get("name", "")
        key = (name, ctype)
        errors.update(_command_errors(cmd, str(i)))
        if key in seen:
            errors[f"{i}.name"] = ("APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
        seen.add(key)
    return form_error(errors) if errors else None


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _choice_errors(opt: Json, here: str) -> dict[str, Problem]:
    errors: dict[str, Problem] = {}
    otype = opt.get("type")
    choices = opt.get("choices") or []
    if len(choices) > 25:
        errors[f"{here}.choices"] = _at_most(25)
    if choices and otype not in _CHOICE_TYPES:
        errors[f"{here}.choices"] = ("APPLICATION_COMMAND_OPTION_CHOICES_NOT_ALLOWED", "Choices are not allowed")
    if choices and opt.get("autocomplete"):
        errors[f"{here}.autocomplete"] = (
            "APPLICATION_COMMAND_AUTOCOMPLETE_WITH_CHOICES",
            "Autocomplete cannot be enabled on an option that has choices",
        )
    for k, choice in enumerate(choices):
        at = f"{here}.choices.{k}"
        if not 1 <= len(str(choice.get("name") or "")) <= 100:
            errors[f"{at}.name"] = _length(1, 100)
        errors.update(_localized_errors(choice, "name", at, lambda t: None if 1 <= len(t) <= 100 else _length(1, 100)))
        value = choice.get("value")
        if otype == 3 and not (isinstance(value, str) and 1 <= len(value) <= 100):
            errors[f"{at}.value"] = _length(1, 100) if isinstance(value, str) else "Must be a string."
        elif otype == 4 and not (isinstance(value, int) and not isinstance(value, bool)):
            errors[f"{at}.value"] = ("NUMBER_TYPE_COERCE", "Value is not int.")
        elif otype == 10 and not _number(value):
            errors[f"{at}.value"] = ("NUMBER_TYPE_COERCE", "Value is not a number.")
    return errors


def _range_errors(opt: Json, here: str) -> dict[str, Problem]:
    errors: dict[str, Problem] = {}
    otype = opt.get("type")
    low, high = opt.get("min_value"), opt.get("max_value")
    if (low is not None or high is not None) and otype not in (4, 10):
        errors[f"{here}.min_value"] = ("APPLICATION_COMMAND_OPTION_RANGE_NOT_ALLOWED", "Only numbers have a range")
    elif _number(low) and _number(high) and low > high:
        errors[f"{here}.min_value"] = (
            "APPLICATION_COMMAND_OPTION_MIN_GREATER_THAN_MAX",
            "min_value must be less than or equal to max_value",
        )
    short, long = opt.get("min_length"), opt.get("max_length")
    if (short is not None or long is not None) and otype != 3:
        errors[f"{here}.min_length"] = ("APPLICATION_COMMAND_OPTION_LENGTH_NOT_ALLOWED", "Only strings have a length")
        return errors
    if short is not None and not _int_in(short, 0, 6000):
        errors[f"{here}.min_length"] = ("NUMBER_TYPE_MAX", "int value should be between 0 and 6000.")
    if long is not None and not _int_in(long, 1, 6000):
        errors[f"{here}.max_length"] = ("NUMBER_TYPE_MAX", "int value should be between 1 and 6000.")
    if _int_in(short, 0, 6000) and _int_in(long, 1, 6000) and short > long:
        errors[f"{here}.min_length"] = (
            "APPLICATION_COMMAND_OPTION_MIN_GREATER_THAN_MAX",
            "min_length must be less than or equal to max_length",
        )
    return errors


def _option_errors(options: Sequence[Json], path: str, parent: int = 0) -> dict[str, Problem]:
    """``parent``: 0 for a command's own options, else the type of the subcommand (group) holding them."""
    errors: dict[str, Problem] = {}
    if len(options) > 25:
        errors[path] = _at_most(25)
    kinds = {opt.get("type") in (1, 2) for opt in options}
    if len(kinds) > 1:
        errors[path] = (
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Subcommands and subcommand groups cannot be mixed with other options",
        )
    names: set[str] = set()
    optional_seen = False
    for j, opt in enumerate(options):
        here = f"{path}.{j}"
        name = str(opt.get("name", ""))
        otype = opt.get("type")
        if problem := _slash_name_problem(name):
            errors[f"{here}.name"] = problem
        elif name in names:
            errors[f"{here}.name"] = (
                "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME",
                "Option names must be unique within their array",
            )
        names.add(name)
        errors.update(_localized_errors(opt, "name", here, _slash_name_problem))
        if problem := _description_problem(str(opt.get("description", ""))):
            errors[f"{here}.description"] = problem
        errors.update(_localized_errors(opt, "description", here, _description_problem))
        if not _int_in(otype, 1, 11):
            errors[f"{here}.type"] = ("BASE_TYPE_CHOICES", "Value must be one of (1, 2, ..., 11).")
        elif (parent == 1 and otype in (1, 2)) or (parent == 2 and otype != 1):
            errors[f"{here}.type"] = (
                "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                "A subcommand group holds only subcommands, and a subcommand no subcommands",
            )
        if opt.get("autocomplete") and otype not in _CHOICE_TYPES:
            errors[f"{here}.autocomplete"] = (
                "APPLICATION_COMMAND_AUTOCOMPLETE_NOT_ALLOWED",
                "Autocomplete is only for string, integer and number options",
            )
        errors.update(_choice_errors(opt, here))
        errors.update(_range_errors(opt, here))
        if otype in (1, 2):
            errors.update(_option_errors(opt.get("options") or [], f"{here}.options", otype))
            continue
        if opt.get("required"):
            if optional_seen:
                errors[f"{here}.required"] = (
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True
    return errors
