"""Briefs of links, end to end through the real discord.py stack against the local fake of Discord and
a local page server: `/brief url:` and the message command "Brief this article" with its Post to
channel button (cogs/briefs.py, cogs/links.py; bot.library.links does the fetching)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from bot.discord_app.briefbot import BriefBot
from bot.discord_app.views import NOT_YOURS
from cogs.briefs import BOTH_GIVEN
from cogs.links import CANNOT_POST, CANNOT_POST_THREAD, CANNOT_POST_YOURSELF, MENU_NAME, NO_LINK, THREAD_LOCKED
from tests.bot.library.test_feeds import FERRY, HARBOUR, Clock
from tests.cogs.conftest import EPHEMERAL, button, new_member, on_backend
from tests.cogs.test_feeds import delivered
from tests.cogs.test_subscriptions import subscribe
from tests.support.feedserver import Route

ANSWER_SECONDS = 30.0  # a page's first extraction starts a worker process


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """Members' links end to end on both storage backends."""
    return request.param


@pytest.fixture
async def link_bot(fake_discord, feed_server, tmp_path, articles_dir, backend, request) -> AsyncIterator[BriefBot]:
    settings = Settings(
        articles_dir=articles_dir,
        db_path=tmp_path / "bot.sqlite3",
        poll_seconds=3600,
        links_allow_private=True,  # the page server is on the loopback address
    )
    async with (
        on_backend(settings, backend, request) as settings,
        fake_discord.run(BriefBot(settings, guild_ready_timeout=0.05)) as running,
    ):
        assert running.db.dialect == backend
        yield running


def harbour(server) -> str:
    return server.page("/harbour", "Harbour Plan Approved", HARBOUR, author="Jane Doe")


async def brief_url(fake, url: str, user=None, **options):
    """/brief url:..., deferred at once; the interaction, its first response and its answer."""
    inter = await fake.send_command("brief", options={"url": url, **options}, **({"user": user} if user else {}))
    first = await inter.response(timeout=3)
    return inter, first, await inter.answer(timeout=ANSWER_SECONDS)


async def test_brief_url_briefs_the_page_and_reuses_it(fake_discord, feed_server, link_bot):
    url = harbour(feed_server)
    inter, first, data = await brief_url(fake_discord, url)
    assert first.type == 5 and not (first.data or {}).get("flags", 0) & EPHEMERAL  # deferred, in public
    [embed] = data["embeds"]
    assert not data.get("flags", 0) & EPHEMERAL
    assert embed["title"] == "Harbour Plan Approved" and embed["url"] == url
    assert embed["author"]["name"] == "By Jane Doe · Harbour Gazette"
    assert "The harbour board approved a new plan on Monday" in embed["description"]
    quotes = next(f for f in embed["fields"] if f["name"] == "Key quotes")
    assert "“We will rebuild the quays” — Maria Lopez" in quotes["value"]
    # The same link again (tracking parameters and all): briefed from the library, not fetched.
    _, _, again = await brief_url(fake_discord, url + "?utm_campaign=chat", length="short")
    assert again["embeds"][0]["title"] == "Harbour Plan Approved"
    assert len(feed_server.requests_to("/harbour")) == 1
    # It joined the library: /brief article: and /quotes find it, /history records both briefs.
    inter = await fake_discord.send_command("quotes", options={"keyword": "quays"})
    found = await inter.answer(timeout=5)
    assert "Maria Lopez" in found["embeds"][0]["description"]
    inter = await fake_discord.send_command("history")
    history = (await inter.answer(timeout=5))["embeds"][0]["description"]
    assert history.count("`/brief` · Harbour Plan Approved") == 2


async def test_a_linked_article_is_not_posted_to_subscribed_channels(fake_discord, feed_server, link_bot):
    await subscribe(fake_discord)
    _, _, data = await brief_url(fake_discord, harbour(feed_server))
    assert data["embeds"][0]["title"] == "Harbour Plan Approved"
    link_bot.delivery_worker.wake()
    await asyncio.sleep(0.5)
    assert delivered(fake_discord, fake_discord.channel_id) == []
    async with link_bot.db.execute("SELECT COUNT(*) FROM deliveries") as cur:
        assert (await cur.fetchone())[0] == 0


async def test_a_subscriptions_backfill_leaves_out_the_articles_of_members_links(fake_discord, feed_server, link_bot):
    _, _, linked = await brief_url(fake_discord, harbour(feed_server))
    assert linked["embeds"][0]["title"] == "Harbour Plan Approved"
    assert len(link_bot.library.articles) == 3  # the two files of the folder and the link's article
    answer = await subscribe(fake_discord, backfill=3)
    assert "Posting the latest 2 now." in answer["content"]  # the two files of the folder, not the link
    await fake_discord.wait_for(lambda: len(delivered(fake_discord, fake_discord.channel_id)) == 2, timeout=5)
    await asyncio.sleep(0.3)
    assert "Harbour Plan Approved" not in delivered(fake_discord, fake_discord.channel_id)
    async with link_bot.db.execute("SELECT COUNT(*) FROM deliveries") as cur:
        assert (await cur.fetchone())[0] == 2


NAV_ONLY = b"<html><head><title>Home</title></head><body><nav><a href='/a'>A</a> <a href='/b'>B</a></nav></body></html>"


async def test_what_cannot_be_briefed_gets_a_short_private_answer(fake_discord, feed_server, link_bot):
    link_bot.links.seconds = 1.0
    feed_server.set("/paper.pdf", Route(body=b"%PDF-1.7", content_type="application/pdf"))
    feed_server.set("/home", Route(body=NAV_ONLY))
    feed_server.set("/slow", Route(body=b"<html></html>", delay=3.0))
    cases = [
        ("/gone", "That page could not be fetched: the site answered HTTP 404 Not Found."),
        ("/paper.pdf", "That link is not a web page but application/pdf, so there is no article to brief."),
        ("/home", "That page is not an article I can brief: no article text found in the page."),
        ("/slow", "That page took too long to answer (no article within 1 s); try again later."),
    ]
    for path, words in cases:
        if path == "/home":
            link_bot.links.seconds = 30.0  # the worker's first start takes a few seconds
        elif path == "/slow":
            link_bot.links.seconds = 1.0
        _, first, data = await brief_url(fake_discord, feed_server.url(path), user=new_member(fake_discord))
        assert first.type == 5, path  # deferred before the page was fetched
        assert data["flags"] & EPHEMERAL and data["content"] == words, path
        assert not data.get("embeds")
    # Both an article and a link, or a malformed link: answered at once, privately, nothing fetched.
    seen = len(feed_server.seen)
    for options, words in [
        ({"url": feed_server.url("/home"), "article": "strategic calculus"}, BOTH_GIVEN),
        ({"url": "ftp://files.example/story"}, "I can't fetch that address: only http and https addresses"),
    ]:
        inter = await fake_discord.send_command("brief", options=options, user=new_member(fake_discord))
        first = await inter.response(timeout=3)
        assert first.type == 4 and first.data["flags"] & EPHEMERAL and first.data["content"].startswith(words)
    assert len(feed_server.seen) == seen
    assert len(link_bot.library.articles) == 2


async def test_private_addresses_are_refused_unless_allowed(fake_discord, feed_server, bot):
    """The `bot` fixture keeps BRIEFBOT_LINKS_ALLOW_PRIVATE off: the page server's address is refused."""
    url = harbour(feed_server)
    inter = await fake_discord.send_command("brief", options={"url": url})
    first = await inter.response(timeout=3)
    assert first.type == 4 and first.data["flags"] & EPHEMERAL
    assert first.data["content"] == (
        r"I can't fetch that address: 127.0.0.1 is a private or local address (BRIEFBOT\_LINKS\_ALLOW\_PRIVATE is off)."
    )
    # A name that resolves to a private address: refused when the fetcher connects.
    _, first, data = await brief_url(fake_discord, url.replace("127.0.0.1", "localhost"), user=new_member(fake_discord))
    assert first.type == 5 and data["flags"] & EPHEMERAL
    assert data["content"].startswith("I can't fetch that address: localhost resolves to a private or local address")
    assert feed_server.seen == []


async def test_brief_this_article_answers_privately_and_posts_on_request(fake_discord, feed_server, link_bot):
    url = harbour(feed_server)
    channel = fake_discord.channel_id
    shared = await fake_discord.send_message(channel, f"Big news for the port: {url} (via the board)")
    inter = await fake_discord.send_message_command(MENU_NAME, shared)
    first = await inter.response(timeout=3)
    assert first.type == 5 and first.data["flags"] & EPHEMERAL  # deferred, privately
    data = await inter.answer(timeout=ANSWER_SECONDS)
    assert data["flags"] & EPHEMERAL
    [embed] = data["embeds"]
    assert embed["title"] == "Harbour Plan Approved" and "Maria Lopez" in str(embed["fields"])
    post = button(data, "Post to channel")
    before = len(fake_discord.channel_messages(channel))
    # Someone else presses it: a private note, nothing posted.
    other = new_member(fake_discord, "bystander")
    press = await fake_discord.send_component(data, post["custom_id"], user=other)
    note = await press.answer(timeout=5)
    assert note["flags"] & EPHEMERAL and note["content"] == NOT_YOURS
    assert len(fake_discord.channel_messages(channel)) == before
    # The asker presses it: the brief is posted in the channel, once, and the button is disabled.
    press = await fake_discord.send_component(data, post["custom_id"], user=fake_discord.alice)
    assert (await press.response(timeout=5)).type == 7
    await fake_discord.wait_for(lambda: len(fake_discord.channel_messages(channel)) > before, timeout=5)
    [posted] = fake_discord.channel_messages(channel)[before:]
    assert posted["embeds"][0]["title"] == "Harbour Plan Approved"
    assert posted["content"] == f"Brief shared by <@{fake_discord.alice['id']}>" and not posted["mentions"]
    assert not posted.get("flags", 0) & EPHEMERAL
    assert button(fake_discord.get_message(int(data["id"])) or data, "Posted to the channel")["disabled"]
    inter = await fake_discord.send_command("history")
    assert "`/brief` · Harbour Plan Approved" in (await inter.answer(timeout=5))["embeds"][0]["description"]


async def test_brief_this_article_on_a_message_without_a_link(fake_discord, link_bot):
    message = await fake_discord.send_message(fake_discord.channel_id, "no link here, just http:// and words")
    inter = await fake_discord.send_message_command(MENU_NAME, message)
    first = await inter.response(timeout=3)
    assert first.type == 4 and first.data["flags"] & EPHEMERAL and first.data["content"] == NO_LINK


async def press_post_to_channel(fake, channel: int, message: dict) -> tuple[dict, int]:
    """Brief this article on ``message`` (the harbour page's brief, privately), press Post to
    channel: the private note the presser got, and how many messages the press added to the channel."""
    inter = await fake.send_message_command(MENU_NAME, message)
    data = await inter.answer(timeout=ANSWER_SECONDS)
    assert data["flags"] & EPHEMERAL and data["embeds"][0]["title"] == "Harbour Plan Approved"
    before = len(fake.channel_messages(channel))
    press = await fake.send_component(data, button(data, "Post to channel")["custom_id"])
    note = await press.answer(timeout=5)
    await asyncio.sleep(0.2)  # a post, had there been one, would be in the channel by now
    return note, len(fake.channel_messages(channel)) - before


async def test_brief_this_article_reads_an_embed_link_and_cannot_post_where_the_bot_may_not(
    fake_discord, feed_server, link_bot
):
    url = harbour(feed_server)
    channel = fake_discord.readonly_channel_id  # members and the bot may read, not send
    message = await fake_discord.send_message(channel, "", embeds=[{"title": "A card", "url": url}])
    note, posted = await press_post_to_channel(fake_discord, channel, message)
    assert note["flags"] & EPHEMERAL and note["content"] == CANNOT_POST
    assert posted == 0


async def test_brief_this_article_shares_the_work_cooldown(fake_discord, link_bot):
    message = await fake_discord.send_message(fake_discord.channel_id, "nothing to read here")
    member = new_member(fake_discord, "eager")
    answers = []
    for _ in range(6):
        inter = await fake_discord.send_message_command(MENU_NAME, message, user=member)
        answers.append((await inter.answer(timeout=5))["content"])
    assert answers[:5] == [NO_LINK] * 5
    assert answers[5].startswith("Easy there: you can use this command again in")


async def test_brief_this_article_cannot_be_posted_where_the_member_may_not_send(fake_discord, feed_server, link_bot):
    # An announcements-like channel: members may read and use the Apps menu, only the bot may send.
    # The button posts for the member, so it must not let them post where they themselves cannot.
    from bot.localdiscord.payloads import make_overwrite, make_text_channel
    from bot.localdiscord.permissions import Perm

    guild = fake_discord.guilds[fake_discord.guild_id]
    bot_role = next(int(r["id"]) for r in guild["roles"] if r.get("managed"))
    channel = int(
        fake_discord.add_channel(
            fake_discord.guild_id,
            make_text_channel(
                name="announcements",
                position=3,
                permission_overwrites=[
                    make_overwrite(fake_discord.guild_id, deny=Perm.SEND_MESSAGES),
                    make_overwrite(bot_role, allow=Perm.SEND_MESSAGES),
                ],
            ),
        )["id"]
    )
    url = harbour(feed_server)
    message = await fake_discord.send_message(channel, f"Read this: {url}")
    note, posted = await press_post_to_channel(fake_discord, channel, message)
    assert note["flags"] & EPHEMERAL and note["content"] == CANNOT_POST_YOURSELF
    assert posted == 0


async def test_private_feeds_do_not_open_private_addresses_to_members_links(
    fake_discord, feed_server, tmp_path, articles_dir
):
    """BRIEFBOT_FEEDS_ALLOW_PRIVATE=1 is for a feed on the operator's network; a member's link to
    that network (here the page server on the loopback address) is still refused, literal or name."""
    settings = Settings(
        articles_dir=articles_dir, db_path=tmp_path / "bot.sqlite3", poll_seconds=3600, feeds_allow_private=True
    )
    url = harbour(feed_server)
    async with fake_discord.run(BriefBot(settings, guild_ready_timeout=0.05)):
        inter = await fake_discord.send_command("brief", options={"url": url})
        first = await inter.response(timeout=3)
        assert first.data["flags"] & EPHEMERAL and "is a private or local address" in first.data["content"]
        _, first, data = await brief_url(
            fake_discord, url.replace("127.0.0.1", "localhost"), user=new_member(fake_discord)
        )
        assert data["flags"] & EPHEMERAL
        assert data["content"].startswith(
            "I can't fetch that address: localhost resolves to a private or local address"
        )
    assert feed_server.seen == []


async def test_each_member_may_have_only_so_many_pages_fetched(fake_discord, feed_server, link_bot):
    """The allowance is shared by /brief url: and Brief this article, counts only pages fetched, and
    its answer is polite and private; another member still has theirs."""
    link_bot.links.per_user = 1
    url = harbour(feed_server)
    other = feed_server.page("/ferry", "Night Ferry Added", FERRY)
    member = new_member(fake_discord, "linker")
    _, _, data = await brief_url(fake_discord, url, user=member)
    assert data["embeds"][0]["title"] == "Harbour Plan Approved"
    message = await fake_discord.send_message(fake_discord.channel_id, f"and this: {other}")
    inter = await fake_discord.send_message_command(MENU_NAME, message, user=member)
    refused = await inter.answer(timeout=ANSWER_SECONDS)
    assert refused["flags"] & EPHEMERAL and not refused.get("embeds")
    assert refused["content"].startswith("You've had me fetch 1 new page in the last 60 minutes, my limit per member")
    assert feed_server.requests_to("/ferry") == []
    _, _, again = await brief_url(fake_discord, url, user=member)  # briefed from the library: not counted
    assert again["embeds"][0]["title"] == "Harbour Plan Approved"
    inter = await fake_discord.send_message_command(MENU_NAME, message, user=new_member(fake_discord, "another"))
    assert (await inter.answer(timeout=ANSWER_SECONDS))["embeds"][0]["title"] == "Night Ferry Added"


async def test_a_linked_article_leaves_the_library_when_its_time_is_up(fake_discord, feed_server, link_bot):
    """Kept BRIEFBOT_LINKS_KEEP_DAYS after it was last asked for, then retired everywhere at once:
    /brief article:, autocomplete, /quotes and /articles no longer find it; /history still names it."""
    clock = Clock()
    link_bot.links.clock = clock
    _, _, data = await brief_url(fake_discord, harbour(feed_server))
    assert data["embeds"][0]["title"] == "Harbour Plan Approved"
    clock.now += link_bot.settings.links_keep_days * 86_400 + 1
    assert len(await link_bot.links.sweep()) == 1
    inter = await fake_discord.send_command("brief", options={"article": "Harbour Plan Approved"})
    missing = await inter.answer(timeout=5)
    assert missing["flags"] & EPHEMERAL and missing["content"].startswith("I couldn't find an article matching")
    auto = await fake_discord.send_autocomplete("brief", {"article": "harbour"}, focused="article")
    assert "Harbour Plan Approved" not in str((await auto.response(timeout=5)).data)
    inter = await fake_discord.send_command("quotes", options={"keyword": "quays"})
    assert "Maria Lopez" not in str(await inter.answer(timeout=5))
    inter = await fake_discord.send_command("articles")
    assert "Harbour Plan Approved" not in str(await inter.answer(timeout=5))
    inter = await fake_discord.send_command("history")
    assert "`/brief` · Harbour Plan Approved" in (await inter.answer(timeout=5))["embeds"][0]["description"]
    # Asked for again: fetched again, and back in the library.
    _, _, back = await brief_url(fake_discord, feed_server.url("/harbour"))
    assert back["embeds"][0]["title"] == "Harbour Plan Approved"
    assert len(feed_server.requests_to("/harbour")) == 2


async def thread_of(fake, bot, parent: int, name: str, **options) -> int:
    """A thread started in ``parent`` while the bot runs (THREAD_CREATE), once the bot knows it."""
    thread = await fake.create_thread(parent, name, **options)
    await fake.wait_for(lambda: bot.get_guild(fake.guild_id).get_thread(int(thread["id"])), timeout=5)
    return int(thread["id"])


async def test_post_to_channel_in_a_thread_takes_send_messages_in_threads(fake_discord, feed_server, link_bot):
    """A thread of the read-only channel: nobody may send in the channel, everyone may in its
    threads (Send Messages in Threads), so the brief is posted in the thread."""
    thread = await thread_of(fake_discord, link_bot, fake_discord.readonly_channel_id, "port talk")
    message = await fake_discord.send_message(thread, f"Read this: {harbour(feed_server)}")
    _, posted = await press_post_to_channel(fake_discord, thread, message)
    [brief] = [m for m in fake_discord.channel_messages(thread) if m.get("embeds")]
    assert brief["embeds"][0]["title"] == "Harbour Plan Approved" and posted == 1
    assert fake_discord.channel_messages(fake_discord.readonly_channel_id) == []


async def test_post_to_channel_in_a_thread_is_refused_where_discord_would_refuse(fake_discord, feed_server, link_bot):
    """Where the bot may send in the channel but not in its threads, where the member may not send in
    threads, and in a locked thread: a private note, nothing posted."""
    from bot.localdiscord import Intent, Perm, make_overwrite

    guild = fake_discord.guilds[fake_discord.guild_id]
    bot_role = next(int(r["id"]) for r in guild["roles"] if r.get("managed"))
    general = fake_discord.channels[fake_discord.channel_id]
    general["permission_overwrites"].append(make_overwrite(bot_role, deny=Perm.SEND_MESSAGES_IN_THREADS))
    readonly = fake_discord.channels[fake_discord.readonly_channel_id]
    readonly["permission_overwrites"][0]["deny"] = str(int(Perm.SEND_MESSAGES | Perm.SEND_MESSAGES_IN_THREADS))
    readonly["permission_overwrites"].append(make_overwrite(bot_role, allow=Perm.SEND_MESSAGES_IN_THREADS))
    for channel in (general, readonly):
        await fake_discord.gateway.dispatch("CHANNEL_UPDATE", channel, intent=Intent.GUILDS)
    url = harbour(feed_server)
    cases = [
        (fake_discord.channel_id, {}, CANNOT_POST_THREAD),
        (fake_discord.readonly_channel_id, {}, CANNOT_POST_YOURSELF),
        (fake_discord.readonly_channel_id, {"locked": True}, THREAD_LOCKED),
    ]
    for parent, options, words in cases:
        thread = await thread_of(fake_discord, link_bot, parent, "a thread", **options)
        message = await fake_discord.send_message(thread, f"Read this: {url}", author=fake_discord.owner)
        note, posted = await press_post_to_channel(fake_discord, thread, message)
        assert note["flags"] & EPHEMERAL and note["content"] == words, words
        assert posted == 0 and fake_discord.channel_messages(thread) == [message]
