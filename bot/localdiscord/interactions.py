"""INTERACTION_CREATE payload builders (application commands, autocomplete, components, modals)."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any

from .payloads import Json, new_token, snowflake


class InteractionType(enum.IntEnum):
    PING = 1
    APPLICATION_COMMAND = 2
    MESSAGE_COMPONENT = 3
    AUTOCOMPLETE = 4
    MODAL_SUBMIT = 5


class ResponseType(enum.IntEnum):
    PONG = 1
    CHANNEL_MESSAGE = 4
    DEFERRED_CHANNEL_MESSAGE = 5
    DEFERRED_UPDATE_MESSAGE = 6
    UPDATE_MESSAGE = 7
    AUTOCOMPLETE_RESULT = 8
    MODAL = 9
    LAUNCH_ACTIVITY = 12


# Which callback types Discord accepts for which interaction type.
ALLOWED_RESPONSES: dict[int, frozenset[int]] = {
    InteractionType.APPLICATION_COMMAND: frozenset({4, 5, 9, 12}),
    InteractionType.MESSAGE_COMPONENT: frozenset({4, 5, 6, 7, 9, 12}),
    InteractionType.AUTOCOMPLETE: frozenset({8}),
    InteractionType.MODAL_SUBMIT: frozenset({4, 5, 6, 7}),
}


class OptionType(enum.IntEnum):
    SUB_COMMAND = 1
    SUB_COMMAND_GROUP = 2
    STRING = 3
    INTEGER = 4
    BOOLEAN = 5
    USER = 6
    CHANNEL = 7
    ROLE = 8
    MENTIONABLE = 9
    NUMBER = 10
    ATTACHMENT = 11


def guess_option_type(value: Any) -> int:
    if isinstance(value, bool):
        return OptionType.BOOLEAN
    if isinstance(value, int):
        return OptionType.INTEGER
    if isinstance(value, float):
        return OptionType.NUMBER
    return OptionType.STRING


def build_options(
    values: Mapping[str, Any] | Sequence[Json] | None,
    declared: Sequence[Json] = (),
    focused: str | None = None,
) -> list[Json]:
    """Interaction ``data.options`` from ``{name: value}`` (types from ``declared``, else guessed).

    A sequence of raw option dicts is passed through unchanged (use it for subcommands).
    """
    if values is None:
        return []
    if not isinstance(values, Mapping):
        return [dict(o) for o in values]
    types = {o["name"]: o["type"] for o in declared}
    options: list[Json] = []
    for name, value in values.items():
        otype = types.get(name) or guess_option_type(value)
        if otype in (OptionType.USER, OptionType.CHANNEL, OptionType.ROLE, OptionType.MENTIONABLE):
            value = str(value)
        opt: Json = {"name": name, "type": int(otype), "value": value}
        if name == focused:
            opt["focused"] = True
            opt["value"] = str(value)  # autocomplete values arrive as the raw typed text
        options.append(opt)
    return options


def interaction_payload(
    *,
    type: int,
    application_id: int,
    data: Json | None,
    channel: Json,
    user: Json,
    guild: Json | None = None,
    member: Json | None = None,
    permissions: int = 0,
    app_permissions: int = 0,
    message: Json | None = None,
    locale: str = "en-US",
) -> Json:
    """A complete INTERACTION_CREATE body, in a guild (``guild`` + ``member``) or a DM."""
    payload: Json = {
        "id": str(snowflake()),
        "application_id": str(application_id),
        "type": int(type),
        "token": new_token(),
        "version": 1,
        "channel": channel,
        "channel_id": channel["id"],
        "app_permissions": str(app_permissions),
        "locale": locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    if data is not None:
        payload["data"] = data
    if message is not None:
        payload["message"] = message
    if guild is not None:
        assert member is not None, "guild interactions need a member"
        payload.update(
            guild_id=guild["id"],
            guild={
                "id": guild["id"],
                "locale": guild.get("preferred_locale", "en-US"),
                "features": guild.get("features", []),
            },
            guild_locale=guild.get("preferred_locale", "en-US"),
            member={**member, "permissions": str(permissions)},
            authorizing_integration_owners={"0": guild["id"]},
            context=0,
        )
    else:
        payload.update(user=user, authorizing_integration_owners={"0": "0"}, context=1)
    return payload
