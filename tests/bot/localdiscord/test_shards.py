"""The fake gateway's shards, as Discord documents them (Gateway > Sharding): IDENTIFY with
``shard: [shard_id, num_shards]``, 4010 for a shard Discord cannot use, 4011 for too many guilds on
one session, each guild's events on shard ``(guild_id >> 22) % num_shards`` only, DMs on shard 0."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from bot.localdiscord import FakeDiscord, make_guild_on_shard, make_user, shard_of, snowflake_on_shard
from bot.localdiscord.shards import EVERYONE, event_guild, owns, parse_shard, recommended_shards

INTENTS = (1 << 0) | (1 << 9) | (1 << 12)  # guilds, guild messages, direct messages


def test_shard_of_is_discords_formula():
    assert shard_of(175928847299117063, 16) == (175928847299117063 >> 22) % 16
    for count in (1, 2, 3, 7):
        for shard in range(count):
            assert shard_of(snowflake_on_shard(shard, count), count) == shard


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([0, 1], (0, 1)),
        ([1, 2], (1, 2)),
        ([2, 2], None),  # the id must be below the count
        ([-1, 2], None),
        ([0, 0], None),
        ([0], None),
        ([0, 1, 2], None),
        ("0,2", None),
        ([True, 2], None),
        ([0.0, 2], None),
        (None, None),
    ],
)
def test_the_identify_shard_field(value, expected):
    assert parse_shard(value) == expected


def test_events_are_routed_by_guild_dm_or_to_everyone():
    assert event_guild("MESSAGE_CREATE", {"guild_id": "42", "channel_id": "1"}) == 42
    assert event_guild("GUILD_CREATE", {"id": "43"}) == 43
    assert event_guild("MESSAGE_CREATE", {"channel_id": "1"}) is None  # a DM
    assert event_guild("USER_UPDATE", {"id": "5"}) is EVERYONE
    assert owns((0, 2), None) and not owns((1, 2), None)  # DMs on shard 0 only
    assert owns((0, 1), snowflake_on_shard(1, 2))  # one shard of one receives every guild


def test_the_recommended_number_of_shards():
    assert [recommended_shards(n) for n in (0, 1, 1000, 1001, 2501)] == [1, 1, 1, 2, 3]


async def _identify(
    fake: FakeDiscord, http: aiohttp.ClientSession, shard: Any = None
) -> aiohttp.ClientWebSocketResponse:
    ws = await http.ws_connect(fake.gateway_url + "?v=10&encoding=json")
    hello = await ws.receive_json(timeout=5)
    assert hello["op"] == 10
    d: dict[str, Any] = {"token": fake.token, "intents": INTENTS, "properties": {}}
    if shard is not None:
        d["shard"] = shard
    await ws.send_json({"op": 2, "d": d})
    return ws


async def _events(ws: aiohttp.ClientWebSocketResponse, quiet: float = 0.3) -> list[dict[str, Any]]:
    """The dispatches received until nothing came for ``quiet`` seconds."""
    found = []
    while True:
        try:
            msg = await ws.receive(timeout=quiet)
        except TimeoutError:
            return found
        if msg.type != aiohttp.WSMsgType.TEXT:
            return found
        payload = msg.json()
        if payload["op"] == 0:
            found.append(payload)


def _two_shard_world() -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    owner, alice = make_user(username="owner"), make_user(username="alice")
    guilds = [
        make_guild_on_shard("Shard zero", 0, 2, owner=owner, members=[alice]),
        make_guild_on_shard("Shard one", 1, 2, owner=owner, members=[alice]),
    ]
    return guilds, owner, alice


@pytest.mark.parametrize("shard", [[2, 2], [-1, 2], [0, 0], [0], "0,2", [0, "2"]])
async def test_an_invalid_shard_is_closed_with_4010(shard):
    async with FakeDiscord() as fake, aiohttp.ClientSession() as http:
        ws = await _identify(fake, http, shard)
        msg = await ws.receive(timeout=5)
        assert msg.type == aiohttp.WSMsgType.CLOSE and msg.data == 4010
        assert msg.extra == "Invalid shard"
        assert not fake.gateway.sessions


async def test_too_many_guilds_for_one_session_is_closed_with_4011():
    guilds, _, _ = _two_shard_world()
    async with FakeDiscord(guilds=guilds) as fake, aiohttp.ClientSession() as http:
        fake.gateway.max_guilds_per_session = 1  # Discord's is 2,500
        ws = await _identify(fake, http)  # unsharded: both guilds on one session
        msg = await ws.receive(timeout=5)
        assert (msg.type, msg.data, msg.extra) == (aiohttp.WSMsgType.CLOSE, 4011, "Sharding required")
        # Sharded, each session has one guild: accepted.
        zero, one = await _identify(fake, http, [0, 2]), await _identify(fake, http, [1, 2])
        assert [e["t"] for e in await _events(zero)] == ["READY", "GUILD_CREATE"]
        assert [e["t"] for e in await _events(one)] == ["READY", "GUILD_CREATE"]
        assert fake.gateway.ready_shards == {(0, 2), (1, 2)}


async def test_each_session_gets_its_shards_guilds_events_and_dms_go_to_shard_zero():
    guilds, _, alice = _two_shard_world()
    async with FakeDiscord(guilds=guilds) as fake, aiohttp.ClientSession() as http:
        zero, one = await _identify(fake, http, [0, 2]), await _identify(fake, http, [1, 2])
        ready0, ready1 = await _events(zero), await _events(one)
        ids = [g["id"] for g in guilds]
        assert ready0[0]["t"] == "READY" and ready0[0]["d"]["shard"] == [0, 2]
        assert [g["id"] for g in ready0[0]["d"]["guilds"]] == [ids[0]]
        assert [e["d"]["id"] for e in ready0[1:]] == [ids[0]]  # its GUILD_CREATE only
        assert [g["id"] for g in ready1[0]["d"]["guilds"]] == [ids[1]]
        assert [e["d"]["id"] for e in ready1[1:]] == [ids[1]]

        # A message in each guild reaches only that guild's shard.
        for guild in guilds:
            await fake.send_message(int(guild["channels"][0]["id"]), "hello", author=alice)
        got0, got1 = await _events(zero), await _events(one)
        assert [(e["t"], e["d"]["guild_id"]) for e in got0] == [("MESSAGE_CREATE", ids[0])]
        assert [(e["t"], e["d"]["guild_id"]) for e in got1] == [("MESSAGE_CREATE", ids[1])]

        # A direct message goes to shard 0 only.
        dm = fake.dm_channel(alice)
        await fake.send_message(int(dm["id"]), "psst", author=alice)
        assert [e["t"] for e in await _events(zero)] == ["MESSAGE_CREATE"]
        assert await _events(one) == []

        # An event of no guild and no channel goes to every session.
        await fake.dispatch("USER_UPDATE", fake.bot_user)
        assert [e["t"] for e in await _events(zero)] == ["USER_UPDATE"]
        assert [e["t"] for e in await _events(one)] == ["USER_UPDATE"]
        await asyncio.gather(zero.close(), one.close())


async def test_an_interaction_goes_to_its_guilds_shard_and_none_without_it():
    guilds, _, alice = _two_shard_world()
    async with FakeDiscord(guilds=guilds) as fake, aiohttp.ClientSession() as http:
        one = await _identify(fake, http, [1, 2])
        await _events(one)
        inter = await fake.send_interaction(3, {"custom_id": "x", "component_type": 2}, channel_id=_channel(guilds[1]))
        assert inter.shard == (1, 2)
        assert [(e["t"], e["d"]["id"]) for e in await _events(one)] == [("INTERACTION_CREATE", str(inter.id))]
        # Shard 0 is not connected: Discord has no session to send guild zero's interaction to.
        with pytest.raises(RuntimeError, match="no bot session on the gateway"):
            await fake.send_interaction(3, {"custom_id": "x", "component_type": 2}, channel_id=_channel(guilds[0]))
        with pytest.raises(RuntimeError, match=r"shard 0 \(direct messages\)"):
            await fake.send_interaction(3, {"custom_id": "x", "component_type": 2}, user=alice, dm=True)
        await one.close()


def _channel(guild: dict[str, Any]) -> int:
    return int(guild["channels"][0]["id"])


async def test_gateway_bot_recommends_shards_by_guild_count():
    guilds, _, _ = _two_shard_world()
    async with FakeDiscord(guilds=guilds) as fake, aiohttp.ClientSession() as http:
        headers = {"Authorization": f"Bot {fake.token}"}
        async with http.get(fake.api_url + "/gateway/bot", headers=headers) as resp:
            body = await resp.json()
        assert body["shards"] == 1 and body["url"] == fake.gateway_url.rstrip("/")
        assert set(body["session_start_limit"]) == {"total", "remaining", "reset_after", "max_concurrency"}
