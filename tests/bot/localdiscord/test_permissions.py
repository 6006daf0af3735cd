"""Discord's permission algorithm: roles, then @everyone, role and member overwrites in the channel."""

from __future__ import annotations

from bot.localdiscord.payloads import make_guild, make_member, make_overwrite, make_role, make_text_channel, make_user
from bot.localdiscord.permissions import ALL_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, Perm, compute_permissions

GID = 100
MOD_ROLE = 200


def world(*overwrites):
    owner, alice, mod = make_user(username="owner"), make_user(username="alice"), make_user(username="mod")
    channel = make_text_channel(permission_overwrites=list(overwrites))
    guild = make_guild(
        GID,
        "G",
        owner_id=int(owner["id"]),
        roles=[
            make_role(GID, "@everyone", permissions=DEFAULT_EVERYONE_PERMISSIONS),
            make_role(MOD_ROLE, "Mod", permissions=int(Perm.MANAGE_MESSAGES)),
        ],
        channels=[channel],
        members=[make_member(owner), make_member(alice), make_member(mod, [MOD_ROLE])],
    )
    members = {m["user"]["username"]: m for m in guild["members"]}
    return guild, channel, members


def test_base_permissions_are_everyone_plus_the_members_roles():
    guild, _, members = world()
    assert compute_permissions(guild, members["alice"]) == DEFAULT_EVERYONE_PERMISSIONS
    assert compute_permissions(guild, members["mod"]) == DEFAULT_EVERYONE_PERMISSIONS | Perm.MANAGE_MESSAGES
    assert compute_permissions(guild, members["owner"]) == ALL_PERMISSIONS


def test_administrator_has_everything():
    guild, channel, members = world(make_overwrite(GID, deny=Perm.VIEW_CHANNEL))
    guild["roles"][1]["permissions"] = str(int(Perm.ADMINISTRATOR))
    assert compute_permissions(guild, members["mod"], channel) == ALL_PERMISSIONS


def test_overwrites_everyone_then_roles_then_the_member():
    guild, channel, members = world(
        make_overwrite(GID, deny=Perm.SEND_MESSAGES),
        make_overwrite(MOD_ROLE, allow=Perm.SEND_MESSAGES),
    )
    assert not compute_permissions(guild, members["alice"], channel) & Perm.SEND_MESSAGES
    assert compute_permissions(guild, members["mod"], channel) & Perm.SEND_MESSAGES
    mod_id = int(members["mod"]["user"]["id"])
    channel["permission_overwrites"].append(make_overwrite(mod_id, member=True, deny=Perm.SEND_MESSAGES))
    assert not compute_permissions(guild, members["mod"], channel) & Perm.SEND_MESSAGES


def test_a_hidden_channel_gives_nothing():
    guild, channel, members = world(make_overwrite(GID, deny=Perm.VIEW_CHANNEL))
    assert compute_permissions(guild, members["alice"], channel) == 0


def test_a_thread_takes_its_parents_permissions_and_sends_with_send_messages_in_threads():
    """Discord: a thread has no overwrites of its own; SEND_MESSAGES_IN_THREADS, not SEND_MESSAGES,
    lets one send there (and with it embed links and attach files); a private thread is seen only by
    its members and those who may manage threads."""
    from bot.localdiscord.payloads import make_thread

    guild, channel, members = world(
        make_overwrite(GID, deny=Perm.SEND_MESSAGES),  # a read-only channel whose threads are open
        make_overwrite(MOD_ROLE, deny=Perm.SEND_MESSAGES_IN_THREADS),
    )
    channel = guild["channels"][0]
    public = make_thread(channel, type=11)
    private = make_thread(channel, type=12)
    alice, mod = members["alice"], members["mod"]
    in_thread = compute_permissions(guild, alice, public)
    assert in_thread & Perm.SEND_MESSAGES_IN_THREADS and in_thread & Perm.EMBED_LINKS
    assert not compute_permissions(guild, alice, channel) & Perm.SEND_MESSAGES
    mods = compute_permissions(guild, mod, public)
    assert mods & Perm.VIEW_CHANNEL and not mods & (Perm.SEND_MESSAGES_IN_THREADS | Perm.EMBED_LINKS)
    assert compute_permissions(guild, alice, private) == 0  # not a member of the private thread
    assert compute_permissions(guild, alice, private, thread_members={int(alice["user"]["id"])}) == in_thread
    guild["roles"][1]["permissions"] = str(int(Perm.MANAGE_THREADS))
    assert compute_permissions(guild, mod, private) & Perm.VIEW_CHANNEL  # moderators see every thread
    channel["permission_overwrites"].append(make_overwrite(GID, deny=Perm.VIEW_CHANNEL))
    hidden = compute_permissions(guild, alice, public)
    assert hidden == 0  # a thread of a channel one cannot see is hidden too
