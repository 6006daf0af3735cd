"""The fake's world: the default guild, custom guilds, members, channels, DMs and the bot's permissions."""

from __future__ import annotations

from bot.localdiscord import FakeDiscord, Perm, make_guild, make_member, make_role, make_text_channel, make_user


def test_the_default_world():
    fake = FakeDiscord()
    guild = fake.guilds[fake.guild_id]
    assert [c["name"] for c in guild["channels"]] == ["general", "read-only", "staff"]
    assert {m["user"]["username"] for m in guild["members"]} == {"owner", "alice", "mod", "briefbot"}
    assert fake.bot_permissions_in(fake.channel_id) & Perm.SEND_MESSAGES
    assert not fake.bot_permissions_in(fake.readonly_channel_id) & Perm.SEND_MESSAGES
    assert fake.bot_permissions_in(fake.staff_channel_id) == 0  # hidden from the bot


def test_a_guild_gets_the_bot_as_a_member_with_a_managed_role():
    fake = FakeDiscord(guilds=[], bot_permissions=int(Perm.VIEW_CHANNEL))
    owner = make_user(username="boss")
    guild = make_guild(
        7,
        "Seven",
        owner_id=int(owner["id"]),
        roles=[make_role(7, "@everyone")],
        channels=[make_text_channel(name="news")],
        members=[make_member(owner)],
    )
    fake.add_guild(guild)
    bot = fake.bot_member(7)
    (role,) = [r for r in guild["roles"] if r["id"] in bot["roles"]]
    assert role["managed"] and role["tags"] == {"bot_id": str(fake.application_id)}
    assert guild["channels"][0]["guild_id"] == "7"
    assert fake.bot_permissions_in(int(guild["channels"][0]["id"])) == int(Perm.VIEW_CHANNEL)


def test_custom_guilds_pick_the_handy_handles():
    owner, alice = make_user(username="boss"), make_user(username="ann")
    channel = make_text_channel(name="news")
    guild = make_guild(
        8,
        "Eight",
        owner_id=int(owner["id"]),
        roles=[make_role(8, "@everyone")],
        channels=[channel],
        members=[make_member(owner), make_member(alice)],
    )
    fake = FakeDiscord(guilds=[guild])
    assert (fake.guild_id, fake.channel_id) == (8, int(channel["id"]))
    assert fake.owner is owner and fake.alice is alice


def test_members_channels_and_dms_are_added():
    fake = FakeDiscord()
    newcomer = make_user(username="newcomer")
    fake.add_member(fake.guild_id, newcomer)
    assert fake.member(fake.guild_id, int(newcomer["id"]))["user"] is newcomer
    assert fake.member(fake.guild_id, 1) is None
    channel = fake.add_channel(fake.guild_id, make_text_channel(name="extra"))
    assert fake.channels[int(channel["id"])] is channel and channel["guild_id"] == str(fake.guild_id)
    dm = fake.dm_channel(newcomer)
    assert fake.dm_channel(newcomer) is dm and dm["recipients"] == [newcomer]
    assert fake.bot_permissions_in(int(dm["id"])) & Perm.SEND_MESSAGES
