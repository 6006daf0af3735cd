"""Only members who can manage the target channel can subscribe or unsubscribe it.

Every member below meets every target channel, with the command typed in the target itself and
in another channel (where some of them may manage channels), for /subscribe and /unsubscribe.
Manage Channels comes from a role, a role's overwrite on the channel (allow or deny), a member's
own overwrite (allow or deny), @everyone's overwrite, Administrator, or owning the server. The
expected answer of each pair is written out in ``CAN_MANAGE``; every other combination is refused
privately and leaves the subscriptions and deliveries tables exactly as they were. /subscriptions
lists to each member the subscribed channels of that same table, and no others.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.config import Settings
from bot.discord_app.briefbot import BriefBot
from bot.localdiscord import (
    DEFAULT_EVERYONE_PERMISSIONS,
    FakeDiscord,
    Perm,
    compute_permissions,
    make_guild,
    make_member,
    make_overwrite,
    make_role,
    make_text_channel,
    make_user,
    snowflake,
)
from tests.cogs.conftest import EPHEMERAL
from tests.conftest import SEED_000, SEED_001

pytestmark = pytest.mark.asyncio(loop_scope="module")

MEMBERS = ["plain", "manager", "helper", "carol", "dave", "admin", "owner"]
CHANNELS = ["open", "helpers-allowed", "managers-denied", "carol-allowed", "dave-denied", "everyone-allowed"]

# Who can manage which target channel (what Discord would compute), written out.
CAN_MANAGE = {
    "plain": {"everyone-allowed"},
    "manager": {"open", "helpers-allowed", "carol-allowed", "dave-denied", "everyone-allowed"},
    "helper": {"helpers-allowed", "everyone-allowed"},
    "carol": {"carol-allowed", "everyone-allowed"},
    "dave": {"open", "helpers-allowed", "carol-allowed", "everyone-allowed"},  # a manager, denied on his own
    "admin": set(CHANNELS),  # Administrator overrides every deny
    "owner": set(CHANNELS),
}


class World:
    def __init__(self, fake: FakeDiscord, bot: BriefBot, users: dict[str, dict], channels: dict[str, int]):
        self.fake, self.bot, self.users, self.channels = fake, bot, users, channels

    async def tables(self) -> tuple[list, list]:
        rows = []
        for table in ("subscriptions", "deliveries"):
            async with self.bot.db.execute(f"SELECT * FROM {table} ORDER BY 1") as cur:
                rows.append([tuple(r) for r in await cur.fetchall()])
        return rows[0], rows[1]

    async def subscribed(self, channel_id: int) -> bool:
        async with self.bot.db.execute("SELECT 1 FROM subscriptions WHERE channel_id = ?", (channel_id,)) as cur:
            return await cur.fetchone() is not None


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(tmp_path_factory) -> AsyncIterator[World]:
    gid = snowflake()
    users = {name: make_user(username=name) for name in [*MEMBERS, "nobody"]}
    managers = make_role(snowflake(), "Managers", position=1, permissions=int(Perm.MANAGE_CHANNELS))
    helpers = make_role(snowflake(), "Helpers", position=2)
    admins = make_role(snowflake(), "Admins", position=3, permissions=int(Perm.ADMINISTRATOR))
    mid, hid, aid = (int(r["id"]) for r in (managers, helpers, admins))
    uid = {name: int(u["id"]) for name, u in users.items()}
    manage = int(Perm.MANAGE_CHANNELS)
    overwrites = {
        "open": [],
        "helpers-allowed": [make_overwrite(hid, allow=manage)],
        "managers-denied": [make_overwrite(mid, deny=manage), make_overwrite(aid, deny=manage)],
        "carol-allowed": [make_overwrite(uid["carol"], member=True, allow=manage)],
        "dave-denied": [make_overwrite(uid["dave"], member=True, deny=manage)],
        "everyone-allowed": [make_overwrite(gid, allow=manage)],
    }
    channels = [
        make_text_channel(name=name, position=i, permission_overwrites=ow)
        for i, (name, ow) in enumerate(overwrites.items())
    ]
    # The other channel where commands are typed: there the helper may manage channels too.
    lobby = make_text_channel(name="lobby", position=10, permission_overwrites=[make_overwrite(hid, allow=manage)])
    roles_of = {"manager": [mid], "helper": [hid], "dave": [mid], "admin": [aid]}
    guild = make_guild(
        gid,
        "Permissions Guild",
        owner_id=uid["owner"],
        roles=[make_role(gid, "@everyone", permissions=DEFAULT_EVERYONE_PERMISSIONS), managers, helpers, admins],
        channels=[*channels, lobby],
        members=[make_member(users[name], roles_of.get(name, [])) for name in [*MEMBERS, "nobody"]],
    )
    folder = tmp_path_factory.mktemp("articles")
    for seed in (SEED_000, SEED_001):
        shutil.copy(seed, folder / seed.name)
    settings = Settings(articles_dir=folder, db_path=tmp_path_factory.mktemp("data") / "bot.sqlite3", poll_seconds=3600)
    async with FakeDiscord(guilds=[guild]) as fake:
        ids = {c["name"]: int(c["id"]) for c in [*channels, lobby]}
        # The oracle agrees with the table: the table is what Discord's algorithm gives.
        for member in guild["members"]:
            name = member["user"]["username"]
            if name in CAN_MANAGE:
                for channel in channels:
                    allowed = bool(compute_permissions(guild, member, channel) & Perm.MANAGE_CHANNELS)
                    assert allowed == (channel["name"] in CAN_MANAGE[name]), (name, channel["name"])
        async with fake.run(BriefBot(settings, guild_ready_timeout=0.05)) as bot:
            yield World(fake, bot, users, ids)


CASES = [
    pytest.param(command, member, channel, typed_in, id=f"/{command} {member} -> #{channel} typed in {typed_in}")
    for command in ("subscribe", "unsubscribe")
    for member in MEMBERS
    for channel in CHANNELS
    for typed_in in ("target", "lobby")
]


@pytest.mark.parametrize(("command", "member", "channel", "typed_in"), CASES)
async def test_permission_matrix(world, command, member, channel, typed_in):
    target = world.channels[channel]
    repo = world.bot.subscriptions
    # The state each command acts on: /subscribe a channel that is not subscribed, /unsubscribe one that is.
    if command == "subscribe":
        await repo.unsubscribe(target)
    elif not await world.subscribed(target):
        await repo.subscribe(
            guild_id=world.fake.guild_id,
            channel_id=target,
            keywords=[],
            user_id=0,
            backfill=[world.bot.library.articles[0].id],
        )
    before = await world.tables()
    where = target if typed_in == "target" else world.channels["lobby"]
    options = {} if typed_in == "target" else {"channel": target}
    inter = await world.fake.send_command(command, options=options, user=world.users[member], channel_id=where)
    reply = (await inter.response(timeout=3)).data
    assert reply["flags"] & EPHEMERAL
    assert reply["allowed_mentions"] == {"parse": []}
    if channel in CAN_MANAGE[member]:
        assert reply["content"].startswith("Subscribed" if command == "subscribe" else "Unsubscribed"), reply
        assert await world.subscribed(target) == (command == "subscribe")
    else:
        verb = command
        assert reply["content"] == f"You need the Manage Channels permission in #{channel} to {verb} it."
        assert await world.tables() == before  # nothing changed, not even a pending delivery


@pytest.mark.parametrize("command", ["subscribe", "unsubscribe"])
async def test_managing_the_channel_typed_in_is_not_enough(world, command):
    """A member with no roles, typing where everyone may manage channels, still needs that
    permission on the target."""
    target = world.channels["open"]
    before = await world.tables()
    inter = await world.fake.send_command(
        command, options={"channel": target}, user=world.users["nobody"], channel_id=world.channels["everyone-allowed"]
    )
    reply = (await inter.response(timeout=3)).data
    assert reply["flags"] & EPHEMERAL and reply["content"].startswith(
        "You need the Manage Channels permission in #open"
    )
    assert await world.tables() == before


@pytest.mark.parametrize("member", [*MEMBERS, "nobody"])
async def test_subscriptions_lists_only_the_channels_a_member_can_manage(world, member):
    """/subscriptions, typed in the lobby, lists each subscribed channel only to members who could
    subscribe or unsubscribe it (whatever the server's command permissions say)."""
    for name in CHANNELS:
        if not await world.subscribed(world.channels[name]):
            await world.bot.subscriptions.subscribe(
                guild_id=world.fake.guild_id, channel_id=world.channels[name], keywords=[], user_id=0
            )
    inter = await world.fake.send_command("subscriptions", user=world.users[member], channel_id=world.channels["lobby"])
    reply = (await inter.response(timeout=3)).data
    assert reply["flags"] & EPHEMERAL
    listed = reply["embeds"][0]["description"]
    shown = {name for name in CHANNELS if f"<#{world.channels[name]}>" in listed}
    assert shown == CAN_MANAGE.get(member, {"everyone-allowed"})  # nobody: only what @everyone may manage
