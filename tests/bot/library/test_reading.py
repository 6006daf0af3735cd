"""Reading the library: briefs, related articles, loads, searches and their input checks."""

from __future__ import annotations

from tests.bot.library.conftest import ARTICLE

HARBOUR_B = (
    "Harbour Dredging Begins\n\nThe harbour board began dredging the harbour channel on Friday. "
    "The harbour plan approved on Monday pays for the dredging of the channel.\n"
)
OPERA = "Opera Season Opens\n\nThe opera house opened its season with a new production of Tosca. Singers and critics cheered.\n"


async def test_related_articles(library, articles_dir):
    (articles_dir / "harbour.txt").write_text(ARTICLE)
    (articles_dir / "dredging.txt").write_text(HARBOUR_B)
    (articles_dir / "opera.txt").write_text(OPERA)
    await library.sync()
    harbour = library.catalogue.resolve("harbour-plan-approved")
    related = [r.title for r in await library.reading.related(harbour)]
    assert related[0] == "Harbour Dredging Begins"
    assert "Opera Season Opens" not in related
    brief = await library.reading.brief(harbour, 3)
    assert brief.related[0] == "Harbour Dredging Begins"
    # A retired article is never related.
    (articles_dir / "dredging.txt").unlink()
    await library.sync()
    assert "Harbour Dredging Begins" not in [r.title for r in await library.reading.related(harbour)]
    # The seeds are about the same subject.
    seed = library.catalogue.resolve("warning-is-china-pivoting-back-to-north-korea")
    assert (
        next(r.slug for r in await library.reading.related(seed))
        == "north-koreas-defiance-may-reshape-chinas-strategic-calculus"
    )


async def test_a_brief_is_the_stored_analysis_with_related_titles(library, articles_dir):
    (articles_dir / "harbour.txt").write_text(ARTICLE)
    (articles_dir / "dredging.txt").write_text(HARBOUR_B)
    await library.sync()
    row = library.catalogue.resolve("harbour-plan-approved")
    article, analysis = await library.reading.load(row)
    assert article.id == row.id and article.source_path == "harbour.txt"
    brief = await library.reading.brief(row, 1)
    assert brief.summary == tuple(analysis.summary(1)) and brief.related == ("Harbour Dredging Begins",)


async def test_an_article_with_no_stored_analysis_at_all_is_a_lookup_error(library, db):
    import pytest

    row = library.articles[0]
    await db.execute("DELETE FROM analyses WHERE content_hash = ?", (row.content_hash,))
    with pytest.raises(LookupError, match="no stored analysis"):
        await library.reading.load(row)


async def test_search_input_is_checked_before_anything_runs(library):
    import pytest

    from bot.core.errors import UserError

    check = library.reading.check_search
    with pytest.raises(UserError, match="nothing to search for in that keyword"):
        check("!!!", None, None)
    with pytest.raises(UserError, match="no letters or digits"):
        check(None, "???", None)
    with pytest.raises(UserError, match="Give a keyword"):
        check(None, None, None)
    query, speaker = check("harbour", "Lopez", None)
    assert query is not None and speaker is not None


async def test_a_keyword_with_no_quotation_finds_passages(library, articles_dir):
    (articles_dir / "opera.txt").write_text(OPERA)
    await library.sync()
    found = await library.reading.search_quotes("tosca")
    assert found.total == 0 and found.passage_total == 1
    [(row, text)] = found.passages
    assert row.title == "Opera Season Opens" and "Tosca" in text


async def test_an_articles_quotations_in_order_and_speakers_for_autocomplete(library):
    row = library.catalogue.resolve("warning-is-china-pivoting-back-to-north-korea")
    found = await library.reading.search_quotes(None, article=row, limit=50)
    assert found.query is None and found.total == len(found.hits) > 0
    assert all(r.id == row.id for r, _ in found.hits)
    assert await library.reading.speakers("dan") == [("Daniel Russel", 1)]
    assert await library.reading.speakers("zz") == []


async def test_live_reads_the_database_when_the_catalogue_has_not_caught_up(library, db, articles_dir):
    """An outbox row is committed with its article, before the catalogue is refreshed (or by another
    process's ingest): the article it names is found all the same, and a retired one is not."""
    from bot.library.service import Library

    (articles_dir / "harbour.txt").write_text(ARTICLE)
    other = Library(db, articles_dir)  # another process's library over the same database
    await other.sync()
    row = other.catalogue.resolve("harbour-plan-approved")
    assert library.catalogue.by_id(row.id) is None  # this one has not refreshed
    assert (await library.reading.live(row.id)).title == "Harbour Plan Approved"
    assert await library.reading.live("0" * 16) is None
    (articles_dir / "harbour.txt").unlink()
    await other.sync()
    assert library.catalogue.by_id(row.id) is None and await library.reading.live(row.id) is None
