"""The Library as the bot and the terminal build it: its parts composed, and what its sync does once."""

from __future__ import annotations


async def test_seeds_load(library):
    titles = {r.title for r in library.articles}
    assert titles == {
        "Warning: Is China Pivoting Back to North Korea?",
        "North Korea’s Defiance May Reshape China’s Strategic Calculus",
    }
    row = library.catalogue.resolve("warning-is-china-pivoting-back-to-north-korea")
    brief = await library.reading.brief(row, 3)
    assert brief.article.author.name == "Joel Wuthnow"


async def test_the_parts_share_one_catalogue_one_repository_and_one_pool(library):
    assert library.reading.catalogue is library.catalogue is library.ingest.catalogue is library.files.catalogue
    assert library.ingest.repo is library.catalogue.repo
    assert library.ingest.pages is library.pages
    assert library.articles is library.catalogue.articles


async def test_the_first_sync_backfills_pairs_and_reanalyses_once_per_process(db, articles_dir, monkeypatch):
    from bot.library.service import Library

    calls = []

    async def counting(db):
        calls.append("pairs")
        return 0

    monkeypatch.setattr("bot.library.service.backfill_pairs", counting)
    lib = Library(db, articles_dir)
    real = lib.ingest.reanalyse

    async def reanalyse(report):
        calls.append("reanalyse")
        await real(report)

    monkeypatch.setattr(lib.ingest, "reanalyse", reanalyse)
    try:
        await lib.sync()
        await lib.sync()
        assert calls == ["pairs", "reanalyse"]
    finally:
        lib.close()


async def test_a_file_added_is_queued_for_subscribers_by_the_library_the_terminal_builds(db, articles_dir):
    """The terminal and the bot build the same Library from the database: fan-out is not optional."""
    from bot.library.service import Library
    from bot.storage.subscriptions import SubscriptionRepository
    from tests.bot.library.conftest import ARTICLE

    await SubscriptionRepository(db).subscribe(guild_id=1, channel_id=10, keywords=[], user_id=5)
    lib = Library(db, articles_dir)
    try:
        await lib.sync()
        (articles_dir / "harbour.txt").write_text(ARTICLE)
        report = await lib.sync()
        assert report.queued == 1
        assert await SubscriptionRepository(db).due(5) != []
    finally:
        lib.close()
