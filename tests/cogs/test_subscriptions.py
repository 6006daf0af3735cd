"""Subscriptions end to end: the commands, permission checks, posting new articles, faults."""

from __future__ import annotations

import asyncio

import pytest

from bot.discord_app.delivery_worker import DeliveryWorker
from bot.localdiscord import Intent, Perm, make_overwrite, make_text_channel
from bot.storage.subscriptions import SubscriptionRepository
from tests.cogs.conftest import EPHEMERAL, new_member, run


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """These commands end to end on both storage backends (the bot fixture opens the one asked for)."""
    return request.param


NEW = "Harbour Plan Approved\n\nThe harbour board approved a new plan on Monday. It will cost a great deal.\n"
OTHER = "Opera Season Opens\n\nThe opera house opened its season with a new production of Tosca.\n"


def posts(fake, channel_id: int) -> list[str]:
    return [m["embeds"][0]["title"] for m in fake.channel_messages(channel_id) if m.get("embeds")]


async def subscribe(fake, **options):
    _, data = await run(fake, "subscribe", user=fake.mod, **options)
    return data


async def add_file(bot, articles_dir, name: str, text: str) -> None:
    (articles_dir / name).write_text(text)
    report = await bot.library.sync()
    if report.queued:
        bot.delivery_worker.wake()


async def test_subscribe_and_new_article_is_posted_once(fake_discord, bot, articles_dir):
    data = await subscribe(fake_discord)
    assert data["flags"] & EPHEMERAL and data["content"].startswith("Subscribed: <#")
    assert posts(fake_discord, fake_discord.channel_id) == []  # no back catalogue flood
    await add_file(bot, articles_dir, "harbour.txt", NEW)
    await fake_discord.wait_for(lambda: posts(fake_discord, fake_discord.channel_id), timeout=5)
    assert posts(fake_discord, fake_discord.channel_id) == ["Harbour Plan Approved"]
    [post] = fake_discord.requests_to("POST", f"/channels/{fake_discord.channel_id}/messages")
    assert post.json["allowed_mentions"] == {"parse": []}
    assert post.json["enforce_nonce"] is True and post.json["nonce"].startswith("bb")
    # Editing the article does not post it again.
    await add_file(bot, articles_dir, "harbour.txt", NEW + "\nA correction was added.\n")
    await asyncio.sleep(0.3)
    assert posts(fake_discord, fake_discord.channel_id) == ["Harbour Plan Approved"]


async def test_keyword_filter(fake_discord, bot, articles_dir):
    await subscribe(fake_discord, keywords="tosca, ballet")
    await add_file(bot, articles_dir, "harbour.txt", NEW)
    await add_file(bot, articles_dir, "opera.txt", OTHER)
    await fake_discord.wait_for(lambda: posts(fake_discord, fake_discord.channel_id), timeout=5)
    await asyncio.sleep(0.2)
    assert posts(fake_discord, fake_discord.channel_id) == ["Opera Season Opens"]
    _, data = await run(fake_discord, "subscriptions", user=fake_discord.mod)
    assert "“tosca”, “ballet”" in data["embeds"][0]["description"]


async def test_backfill_posts_the_latest(fake_discord, bot):
    data = await subscribe(fake_discord, backfill=2)
    assert "Posting the latest 2 now." in data["content"]
    await fake_discord.wait_for(lambda: len(posts(fake_discord, fake_discord.channel_id)) == 2, timeout=15)
    assert sorted(posts(fake_discord, fake_discord.channel_id)) == sorted(r.title for r in bot.library.articles[:2])


async def test_backfill_out_of_range_is_refused(fake_discord, bot):
    inter = await fake_discord.send_command("subscribe", options={"backfill": 11}, user=fake_discord.mod)
    reply = await inter.response(timeout=3)
    assert reply.data["flags"] & EPHEMERAL and "something went wrong" not in reply.data["content"]


async def test_member_without_manage_channels_is_refused(fake_discord, bot):
    _, data = await run(fake_discord, "subscribe")  # alice
    assert data["flags"] & EPHEMERAL
    assert "You need the Manage Channels permission in #general" in data["content"]
    assert await bot.subscriptions.for_guild(fake_discord.guild_id) == []


async def test_permission_is_checked_on_the_target_channel(fake_discord, bot):
    mod_role = next(r for r in fake_discord.guilds[fake_discord.guild_id]["roles"] if r["name"] == "Moderator")
    locked = make_text_channel(
        name="locked", permission_overwrites=[make_overwrite(int(mod_role["id"]), deny=Perm.MANAGE_CHANNELS)]
    )
    fake_discord.add_channel(fake_discord.guild_id, locked)
    await fake_discord.dispatch("CHANNEL_CREATE", {**locked, "guild_id": str(fake_discord.guild_id)})
    await asyncio.sleep(0.1)
    # Typed in #general, where the moderator may manage channels, but aimed at #locked.
    _, data = await run(fake_discord, "subscribe", user=fake_discord.mod, channel=int(locked["id"]))
    assert "You need the Manage Channels permission in #locked" in data["content"]


async def test_bot_lacking_permissions_says_which(fake_discord, bot):
    data = await subscribe(fake_discord, channel=fake_discord.readonly_channel_id)
    assert "I lack Send Messages" in data["content"]
    data = await subscribe(fake_discord, channel=fake_discord.staff_channel_id)
    assert "I lack View Channel, Send Messages, Embed Links" in data["content"]
    assert await bot.subscriptions.for_guild(fake_discord.guild_id) == []


async def test_unsubscribe(fake_discord, bot, articles_dir):
    await subscribe(fake_discord)
    _, data = await run(fake_discord, "unsubscribe", user=fake_discord.mod)
    assert data["content"].startswith("Unsubscribed")
    await add_file(bot, articles_dir, "harbour.txt", NEW)
    await asyncio.sleep(0.3)
    assert posts(fake_discord, fake_discord.channel_id) == []
    _, data = await run(fake_discord, "unsubscribe", user=fake_discord.mod)
    assert "is not subscribed" in data["content"]


async def test_forbidden_channel_pauses_and_resubscribing_resumes(fake_discord, bot, articles_dir):
    await subscribe(fake_discord)
    path = f"/channels/{fake_discord.channel_id}/messages"
    fake_discord.inject_fault("POST", path, 403, times=None)
    await add_file(bot, articles_dir, "harbour.txt", NEW)
    await fake_discord.wait_for(lambda: fake_discord.requests_to("POST", path), timeout=5)
    await asyncio.sleep(0.2)
    [sub] = await bot.subscriptions.for_guild(fake_discord.guild_id)
    assert sub.paused and "permissions" in sub.paused_reason
    _, data = await run(fake_discord, "subscriptions", user=fake_discord.mod)
    assert "paused" in data["embeds"][0]["description"]
    fake_discord.faults.clear()
    await subscribe(fake_discord)  # fixed permissions: subscribing again resumes
    await fake_discord.wait_for(lambda: posts(fake_discord, fake_discord.channel_id), timeout=5)
    assert posts(fake_discord, fake_discord.channel_id) == ["Harbour Plan Approved"]


async def test_server_errors_are_retried_and_rate_limits_respected(fake_discord, bot, articles_dir):
    bot.delivery_worker.base_delay = 0.05
    await subscribe(fake_discord)
    path = f"/channels/{fake_discord.channel_id}/messages"
    fake_discord.inject_fault("POST", path, 503, times=2)
    await add_file(bot, articles_dir, "harbour.txt", NEW)
    await fake_discord.wait_for(lambda: posts(fake_discord, fake_discord.channel_id), timeout=5)
    fake_discord.inject_fault("POST", path, 429, times=1, retry_after=0.2)
    await add_file(bot, articles_dir, "opera.txt", OTHER)
    await fake_discord.wait_for(lambda: len(posts(fake_discord, fake_discord.channel_id)) == 2, timeout=5)
    await asyncio.sleep(0.3)
    assert sorted(posts(fake_discord, fake_discord.channel_id)) == ["Harbour Plan Approved", "Opera Season Opens"]
    assert (await bot.subscriptions.counts()) == {"delivered": 2}


async def test_subscribe_is_hidden_by_default_permissions(fake_discord, bot):
    commands = {c["name"]: c for c in fake_discord.registered_commands()}
    for name in ("subscribe", "unsubscribe", "subscriptions"):
        assert int(commands[name]["default_member_permissions"]) == int(Perm.MANAGE_CHANNELS)


async def test_deleted_channel_pauses_with_reason(fake_discord, bot, articles_dir):
    await subscribe(fake_discord)
    path = f"/channels/{fake_discord.channel_id}/messages"
    fake_discord.inject_fault("POST", path, 404, times=None)
    await add_file(bot, articles_dir, "harbour.txt", NEW)
    await fake_discord.wait_for(lambda: fake_discord.requests_to("POST", path), timeout=5)
    await asyncio.sleep(0.2)
    [sub] = await bot.subscriptions.for_guild(fake_discord.guild_id)
    assert sub.paused_reason == "the channel no longer exists"
    assert (await bot.subscriptions.counts()) == {"pending": 1}  # kept, not dropped


async def test_article_with_a_malformed_url_is_posted_without_the_link(fake_discord, bot, articles_dir):
    """Discord refuses a message with a malformed embed URL (50035), and so does the fake; before the
    render check such a post failed every attempt and was retried forever. Now it goes out once."""
    await subscribe(fake_discord)
    for name, url in (("harbour.md", "https://"), ("opera.md", "https://[::1")):
        title, body = (NEW if name == "harbour.md" else OTHER).split("\n\n", 1)
        await add_file(bot, articles_dir, name, f"---\ntitle: {title}\nurl: {url}\n---\n\n{body}")
    channel = fake_discord.channel_id
    await fake_discord.wait_for(lambda: len(posts(fake_discord, channel)) == 2, timeout=5)
    assert sorted(posts(fake_discord, channel)) == ["Harbour Plan Approved", "Opera Season Opens"]
    assert all("url" not in m["embeds"][0] for m in fake_discord.channel_messages(channel))
    sent = fake_discord.requests_to("POST", f"/channels/{channel}/messages")
    assert [r.status for r in sent] == [200, 200]  # nothing refused, nothing retried
    await asyncio.sleep(0.3)
    assert len(fake_discord.requests_to("POST", f"/channels/{channel}/messages")) == 2
    assert not (await bot.subscriptions.for_guild(fake_discord.guild_id))[0].paused


async def test_a_refused_post_pauses_and_is_not_retried(fake_discord, bot, articles_dir):
    """Discord refuses the post itself (400 Invalid Form Body, as for a malformed embed): sending it
    again would be refused again, so the subscription is paused with Discord's reason, shown by
    /subscriptions, and that post is cancelled: subscribing again resumes the channel without
    sending it again (it would be refused again, and pause the channel again), and new posts go."""
    bot.delivery_worker.base_delay = 0.05  # a retry, were there one, would come at once
    await subscribe(fake_discord)
    path = f"/channels/{fake_discord.channel_id}/messages"
    refusal = {
        "message": "Invalid Form Body",
        "code": 50035,
        "errors": {
            "embeds": {
                "0": {"url": {"_errors": [{"code": "URL_TYPE_INVALID_URL", "message": "Not a well formed URL."}]}}
            }
        },
    }
    fake_discord.inject_fault("POST", path, 400, times=None, body=refusal)
    await add_file(bot, articles_dir, "harbour.txt", NEW)
    await fake_discord.wait_for(lambda: fake_discord.requests_to("POST", path), timeout=5)
    await asyncio.sleep(0.5)
    assert len(fake_discord.requests_to("POST", path)) == 1  # refused once, never sent again
    [sub] = await bot.subscriptions.for_guild(fake_discord.guild_id)
    assert sub.paused and sub.paused_reason.startswith("Discord refused the post (400): error 50035")
    assert "Not a well formed URL" in sub.paused_reason
    _, data = await run(fake_discord, "subscriptions", user=fake_discord.mod)
    assert "paused: Discord refused the post (400): error 50035" in data["embeds"][0]["description"]
    assert (await bot.subscriptions.counts()) == {"cancelled": 1}
    fake_discord.clear_faults()
    await subscribe(fake_discord)  # resumed: the refused post is not tried again
    await asyncio.sleep(0.5)
    assert len(fake_discord.requests_to("POST", path)) == 1
    assert not (await bot.subscriptions.for_guild(fake_discord.guild_id))[0].paused
    await add_file(bot, articles_dir, "opera.txt", OTHER)  # and the next article is posted
    await fake_discord.wait_for(lambda: posts(fake_discord, fake_discord.channel_id), timeout=5)
    assert posts(fake_discord, fake_discord.channel_id) == ["Opera Season Opens"]
    for _ in range(50):  # marked delivered just after Discord took it
        if (await bot.subscriptions.counts()) == {"cancelled": 1, "delivered": 1}:
            break
        await asyncio.sleep(0.05)
    assert (await bot.subscriptions.counts()) == {"cancelled": 1, "delivered": 1}


@pytest.mark.parametrize("status", [503, 429, 401])
async def test_server_errors_and_rate_limits_do_not_pause(fake_discord, bot, articles_dir, status):
    """What may pass is retried, and pauses nothing: a server error, a rate limit, and a 401 (the
    bot's own token refused: no channel's fault)."""
    bot.delivery_worker.base_delay = 0.05
    await subscribe(fake_discord)
    path = f"/channels/{fake_discord.channel_id}/messages"
    fake = fake_discord.inject_fault("POST", path, status, times=3, retry_after=0.05)
    await add_file(bot, articles_dir, "harbour.txt", NEW)
    await fake_discord.wait_for(lambda: posts(fake_discord, fake_discord.channel_id), timeout=10)
    assert fake.hits == 3
    for _ in range(50):  # marked delivered just after Discord took it
        if (await bot.subscriptions.counts()) == {"delivered": 1}:
            break
        await asyncio.sleep(0.05)
    [sub] = await bot.subscriptions.for_guild(fake_discord.guild_id)
    assert not sub.paused and (await bot.subscriptions.counts()) == {"delivered": 1}


async def test_subscriptions_checks_the_permission_in_code(fake_discord, bot):
    """A server may give /subscriptions to everyone (overriding its default permissions): a member
    without Manage Channels is refused, and a member who manages one channel sees only that one."""
    await subscribe(fake_discord)  # #general, by the moderator
    alice = int(fake_discord.alice["id"])
    own = make_text_channel(
        name="alices", permission_overwrites=[make_overwrite(alice, member=True, allow=Perm.MANAGE_CHANNELS)]
    )
    fake_discord.add_channel(fake_discord.guild_id, own)
    await fake_discord.dispatch("CHANNEL_CREATE", {**own, "guild_id": str(fake_discord.guild_id)})
    await asyncio.sleep(0.1)
    bob = new_member(fake_discord, "bob")

    _, data = await run(fake_discord, "subscriptions", user=bob)
    assert data["flags"] & EPHEMERAL and not data.get("embeds")
    assert data["content"] == "You need the Manage Channels permission to see subscriptions."

    _, data = await run(fake_discord, "subscribe", channel=int(own["id"]))  # alice manages #alices
    assert data["content"].startswith("Subscribed")
    _, data = await run(fake_discord, "subscriptions")  # alice, typed in #general
    listed = data["embeds"][0]["description"]
    assert f"<#{own['id']}>" in listed and f"<#{fake_discord.channel_id}>" not in listed

    _, data = await run(fake_discord, "subscriptions", user=fake_discord.mod)
    listed = data["embeds"][0]["description"]
    assert f"<#{own['id']}>" in listed and f"<#{fake_discord.channel_id}>" in listed


async def test_a_post_whose_brief_fails_is_not_retried_in_a_spin(fake_discord, bot, articles_dir, monkeypatch):
    """Bug 1: a pending post whose article cannot be briefed (its brief raises) once made the
    worker try again about every 50 ms, forever. Each failure is an attempt with the usual backoff."""
    calls = 0

    async def broken_brief(row, sentences):
        nonlocal calls
        calls += 1
        raise RuntimeError("the analysis fell over")

    await subscribe(fake_discord)
    monkeypatch.setattr(bot.library.reading, "brief", broken_brief)
    await add_file(bot, articles_dir, "harbour.txt", NEW)
    await fake_discord.wait_for(lambda: calls, timeout=5)
    await asyncio.sleep(1.5)
    assert 1 <= calls <= 2  # the first retry waits the base delay (2 s): dozens on the old code
    assert posts(fake_discord, fake_discord.channel_id) == []
    [sub] = await bot.subscriptions.for_guild(fake_discord.guild_id)
    assert not sub.paused  # one article's fault: the channel's other posts still go


async def test_a_post_whose_brief_keeps_failing_is_given_up_with_its_reason(
    fake_discord, bot, articles_dir, monkeypatch
):
    """After a bounded number of attempts the post is cancelled with the reason; the worker goes on."""
    from bot.discord_app.delivery_worker import MAX_ATTEMPTS

    calls = 0

    async def broken_brief(row, sentences):
        nonlocal calls
        calls += 1
        raise RuntimeError("the analysis fell over")

    bot.delivery_worker.base_delay = 0.01
    await subscribe(fake_discord)
    monkeypatch.setattr(bot.library.reading, "brief", broken_brief)
    await add_file(bot, articles_dir, "harbour.txt", NEW)
    for _ in range(100):
        if (await bot.subscriptions.counts()) == {"cancelled": 1}:
            break
        await asyncio.sleep(0.05)
    assert (await bot.subscriptions.counts()) == {"cancelled": 1}
    assert calls == MAX_ATTEMPTS
    async with bot.db.execute("SELECT last_error FROM deliveries") as cur:
        [(reason,)] = await cur.fetchall()
    assert "could not be briefed" in reason and "the analysis fell over" in reason
    monkeypatch.undo()
    await add_file(bot, articles_dir, "opera.txt", OTHER)  # the next article is posted
    await fake_discord.wait_for(lambda: posts(fake_discord, fake_discord.channel_id), timeout=5)
    assert posts(fake_discord, fake_discord.channel_id) == ["Opera Season Opens"]


@pytest.mark.parametrize("where", ["embed", "send"])
async def test_a_post_that_fails_unexpectedly_while_built_or_sent_is_not_retried_in_a_spin(
    fake_discord, bot, articles_dir, monkeypatch, where
):
    """An error no retry policy knows, raised while the embed is built or the message sent, counts as
    an attempt with the usual backoff too (it once escaped to the worker's loop, which tried again
    every 50 ms without counting it)."""
    import discord

    import bot.discord_app.delivery_worker as worker

    calls = 0

    def broken_embed(brief, label):
        nonlocal calls
        calls += 1
        raise ValueError("an embed the renderer chokes on")

    async def broken_send(self, *args, **kwargs):
        nonlocal calls
        calls += 1
        raise ValueError("an unexpected error while sending")

    await subscribe(fake_discord)
    if where == "embed":
        monkeypatch.setattr(worker, "brief_embed", broken_embed)
    else:
        monkeypatch.setattr(discord.PartialMessageable, "send", broken_send)
    await add_file(bot, articles_dir, "harbour.txt", NEW)
    await fake_discord.wait_for(lambda: calls, timeout=15)  # under load, not a Discord limit
    await asyncio.sleep(1.5)
    assert 1 <= calls <= 2  # the first retry waits the base delay (2 s)
    async with bot.db.execute("SELECT attempts, last_error FROM deliveries") as cur:
        [(attempts, reason)] = await cur.fetchall()
    assert attempts == calls and reason in ("an embed the renderer chokes on", "an unexpected error while sending")


THIRD = "Bridge Reopens\n\nThe old bridge reopened to traffic on Friday after two years of repairs.\n"


async def test_a_thread_is_subscribed_and_posted_to_with_send_messages_in_threads(fake_discord, bot, articles_dir):
    """A thread of the read-only channel: the bot may not send in the channel, but may in its threads
    (Send Messages in Threads). An archived thread is reopened by the post; a locked one refuses it,
    and the subscription is paused with Discord's reason."""
    thread = await fake_discord.create_thread(fake_discord.readonly_channel_id, "port news")
    tid = int(thread["id"])
    await fake_discord.wait_for(lambda: bot.get_guild(fake_discord.guild_id).get_thread(tid), timeout=5)
    data = await subscribe(fake_discord, channel=tid)
    assert data["flags"] & EPHEMERAL and data["content"].startswith(f"Subscribed: <#{tid}> gets every new article")
    await add_file(bot, articles_dir, "harbour.txt", NEW)
    await fake_discord.wait_for(lambda: posts(fake_discord, tid), timeout=5)
    await fake_discord.update_thread(tid, archived=True)
    await add_file(bot, articles_dir, "opera.txt", OTHER)
    await fake_discord.wait_for(lambda: len(posts(fake_discord, tid)) == 2, timeout=5)
    assert posts(fake_discord, tid) == ["Harbour Plan Approved", "Opera Season Opens"]
    assert not thread["thread_metadata"]["archived"]  # the post reopened it
    assert fake_discord.channel_messages(fake_discord.readonly_channel_id) == []
    await fake_discord.update_thread(tid, archived=True, locked=True)
    await add_file(bot, articles_dir, "bridge.txt", THIRD)
    path = f"/channels/{tid}/messages"
    await fake_discord.wait_for(lambda: [r for r in fake_discord.requests_to("POST", path) if r.status == 403])
    await asyncio.sleep(0.2)
    [sub] = await bot.subscriptions.for_guild(fake_discord.guild_id)
    assert sub.paused and sub.paused_reason == "the thread is locked: only its moderators may post in it"
    assert len(posts(fake_discord, tid)) == 2


async def test_a_thread_the_bot_cannot_post_in_is_refused_at_subscribe(fake_discord, bot):
    guild = fake_discord.guilds[fake_discord.guild_id]
    bot_role = next(int(r["id"]) for r in guild["roles"] if r.get("managed"))
    general = fake_discord.channels[fake_discord.channel_id]
    general["permission_overwrites"].append(make_overwrite(bot_role, deny=Perm.SEND_MESSAGES_IN_THREADS))
    await fake_discord.gateway.dispatch("CHANNEL_UPDATE", general, intent=Intent.GUILDS)  # as Discord tells the bot
    closed = await fake_discord.create_thread(fake_discord.channel_id, "closed to the bot")
    locked = await fake_discord.create_thread(fake_discord.readonly_channel_id, "locked", locked=True)
    for thread in (closed, locked):
        await fake_discord.wait_for(lambda t=thread: bot.get_guild(fake_discord.guild_id).get_thread(int(t["id"])))
    data = await subscribe(fake_discord, channel=int(closed["id"]))
    assert data["flags"] & EPHEMERAL
    assert data["content"] == (
        "I can't post in #closed to the bot: I lack Send Messages in Threads, Embed Links there. "
        "Grant it and subscribe again."
    )
    data = await subscribe(fake_discord, channel=int(locked["id"]))
    assert data["flags"] & EPHEMERAL and data["content"] == (
        "I can't post in #locked: the thread is locked, so only its moderators may post there. "
        "Unlock it and subscribe again."
    )
    assert await bot.subscriptions.for_guild(fake_discord.guild_id) == []


async def test_a_post_whose_lease_was_taken_over_is_not_doubled(fake_discord, bot, articles_dir, caplog):
    """Two processes on one database (issue 18): this bot's worker posts, Discord takes the message
    but answers late; meanwhile its lease lapses and another process's worker takes the row over and
    posts it again, with the same nonce: Discord returns the message already made. The first worker's
    "delivered" is refused (the row is the other's now), and the channel holds one message."""
    await subscribe(fake_discord)
    path = f"/channels/{fake_discord.channel_id}/messages"
    fake_discord.inject_fault("POST", path, None, times=None, delay_after=3.0)  # posted, answered late
    await add_file(bot, articles_dir, "harbour.txt", NEW)
    await fake_discord.wait_for(lambda: posts(fake_discord, fake_discord.channel_id), timeout=10)
    fake_discord.clear_faults()  # the first post's answer is still on its way
    await bot.db.execute("UPDATE deliveries SET lease_until = 0")  # the first worker's lease lapses
    other = DeliveryWorker(
        SubscriptionRepository(bot.db, owner="another-host:1:other"),
        bot._brief_for_delivery,
        bot.get_partial_messageable,
    )
    assert await other.drain() == 1
    await fake_discord.wait_for(lambda: "was taken over by another process" in caplog.text, timeout=10)
    [message] = fake_discord.channel_messages(fake_discord.channel_id)
    assert fake_discord.nonce_replays == 1
    first, second = fake_discord.requests_to("POST", path)
    assert first.json["nonce"] == second.json["nonce"] and second.json["enforce_nonce"] is True
    async with bot.db.execute("SELECT status, message_id, claimed_by FROM deliveries") as cur:
        assert tuple(await cur.fetchone()) == ("delivered", int(message["id"]), "another-host:1:other")
