"""Gateway sharding as Discord documents it (Gateway > Sharding), for the fake gateway.

A session that IDENTIFYs with ``"shard": [shard_id, num_shards]`` receives the events of the guilds
whose ``(guild_id >> 22) % num_shards`` is its ``shard_id``, and direct messages only on shard 0;
one without ``shard`` is shard 0 of 1 and receives everything. Discord closes the connection with
4010 (Invalid shard) for a shard it cannot use, and with 4011 (Sharding required) when one session
would handle too many guilds (2,500 by Discord's documented rule). ``GET /gateway/bot`` recommends
a number of shards (``recommended_shards``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from .payloads import Json, make_guild, make_member, make_role, make_text_channel, snowflake
from .permissions import DEFAULT_EVERYONE_PERMISSIONS

INVALID_SHARD = 4010  # close code: "You sent an invalid shard when identifying."
SHARDING_REQUIRED = 4011  # close code: "The session would have handled too many guilds"
MAX_GUILDS_PER_SESSION = 2500  # past this, Discord requires sharding
GUILDS_PER_RECOMMENDED_SHARD = 1000  # Discord's recommendation is about one shard per 1,000 guilds

# Events whose guild is the payload's own id (every other guild event carries ``guild_id``).
_GUILD_IS_ID = frozenset({"GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"})

Shard = tuple[int, int]  # (shard_id, num_shards)
UNSHARDED: Shard = (0, 1)


def shard_of(guild_id: int, num_shards: int) -> int:
    """The shard that receives a guild's events, by Discord's formula."""
    return (int(guild_id) >> 22) % num_shards


def parse_shard(value: Any) -> Shard | None:
    """The IDENTIFY ``shard`` field as ``(shard_id, num_shards)``, or None when Discord would refuse
    it (not a pair of integers, no shards, a shard id negative or not below the count)."""
    if not isinstance(value, list) or len(value) != 2:
        return None
    shard_id, count = value
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (shard_id, count)):
        return None
    if count < 1 or not 0 <= shard_id < count:
        return None
    return shard_id, count


def owns(shard: Shard, guild_id: int | None) -> bool:
    """Whether the session of ``shard`` receives the events of ``guild_id`` (None: a DM, shard 0's)."""
    shard_id, count = shard
    if guild_id is None:
        return shard_id == 0
    return shard_of(guild_id, count) == shard_id


class Everyone:
    """The route of an event that concerns no guild and no DM channel (e.g. USER_UPDATE): every session."""


EVERYONE = Everyone()


def event_guild(event: str, data: Json) -> int | Everyone | None:
    """Which guild's shard an event goes to: its guild's id, None for a DM (shard 0), or EVERYONE."""
    if data.get("guild_id") is not None:
        return int(data["guild_id"])
    if event in _GUILD_IS_ID and data.get("id") is not None:
        return int(data["id"])
    if data.get("channel_id") is not None or data.get("channel") is not None:
        return None  # a direct message's event: "DMs will only be sent to shard 0"
    return EVERYONE


def recommended_shards(guild_count: int) -> int:
    """What ``GET /gateway/bot`` answers in ``shards`` for a bot in ``guild_count`` guilds."""
    return max(1, math.ceil(guild_count / GUILDS_PER_RECOMMENDED_SHARD))


def snowflake_on_shard(shard_id: int, num_shards: int) -> int:
    """A fresh snowflake (a guild id) whose guild falls on ``shard_id`` of ``num_shards``: its
    timestamp moved forward by less than ``num_shards`` milliseconds."""
    fresh = snowflake()
    return fresh + (((shard_id - (fresh >> 22)) % num_shards) << 22)


def make_guild_on_shard(
    name: str, shard_id: int, num_shards: int, *, owner: Json, members: Iterable[Json] = ()
) -> Json:
    """A small guild on a given shard, for ``FakeDiscord(guilds=[...])``: @everyone with its default
    permissions, one #general channel, ``owner`` and ``members`` (users) as its members."""
    gid = snowflake_on_shard(shard_id, num_shards)
    return make_guild(
        gid,
        name,
        owner_id=int(owner["id"]),
        roles=[make_role(gid, "@everyone", permissions=DEFAULT_EVERYONE_PERMISSIONS)],
        channels=[make_text_channel(name="general")],
        members=[make_member(owner), *(make_member(user) for user in members)],
    )
