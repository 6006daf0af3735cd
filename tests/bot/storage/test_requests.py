"""Request records: only per user, newest first, with the article's title while it exists."""

from __future__ import annotations

import pytest

from bot.storage.requests import RequestRepository


async def test_history_is_the_users_own_newest_first_and_forget_deletes_it(db):
    repo = RequestRepository(db)
    for command, article in (("brief", "a1"), ("quotes", "a2"), ("author", "a1")):
        await repo.record(user_id=1, guild_id=5, channel_id=6, article_id=article, command=command)
    await repo.record(user_id=2, guild_id=None, channel_id=None, article_id="a1", command="summary")
    assert await repo.count(1) == 3 and await repo.count(2) == 1
    history = await repo.history(1, limit=2)
    assert [(r.command, r.article_id) for r in history] == [("author", "a1"), ("quotes", "a2")]
    assert history[0].title is None  # no such article in the library
    assert [r.command for r in await repo.history(1, limit=5, offset=2)] == ["brief"]
    assert await repo.forget(1) == 3
    assert await repo.history(1, limit=5) == [] and await repo.count(2) == 1


async def test_an_unknown_command_is_refused(db):
    with pytest.raises(ValueError, match="unknown command"):
        await RequestRepository(db).record(user_id=1, guild_id=None, channel_id=None, article_id="a", command="x")


async def test_a_topic_and_a_comparison_are_recorded_under_their_own_names(db):
    repo = RequestRepository(db)
    await repo.record(user_id=1, guild_id=None, channel_id=None, article_id="a1", command="topic")
    await repo.record(user_id=1, guild_id=None, channel_id=None, article_id="a2", command="compare")
    assert {r.command for r in await repo.history(1, limit=5)} == {"topic", "compare"}
