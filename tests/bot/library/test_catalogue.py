"""The in-memory catalogue: resolving what users type, suggestions, order, authors, the lookups."""

from __future__ import annotations

from pathlib import Path

from bot.library.service import Library


async def test_resolve_forms(library):
    row = library.articles[0]
    assert library.catalogue.resolve(row.id) == row
    assert library.catalogue.resolve(row.slug) == row
    assert library.catalogue.resolve(Path(row.source_path).name) == row
    assert library.catalogue.resolve(row.title.upper()) == row
    assert library.catalogue.resolve("pivoting back").title.startswith("Warning")
    assert library.catalogue.resolve("nothing like this") is None
    assert library.catalogue.closest("Chna pivotting")[0].title.startswith("Warning")


async def test_suggest(library):
    rows = library.articles
    assert library.catalogue.suggest("") == list(rows)
    assert library.catalogue.suggest("defiance")[0].title.startswith("North Korea’s Defiance")
    assert library.catalogue.suggest("defaince strategc")[0].title.startswith("North Korea’s Defiance")  # typos
    assert library.catalogue.suggest("pivo")[0].title.startswith("Warning")  # a word being typed
    assert library.catalogue.suggest("zzzz qqqq") == []


async def test_newest_first_uses_published_date(db, tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "old.md").write_text("---\ntitle: Old\npublished: 2020-01-01\n---\nOld body.\n")
    (folder / "new.md").write_text("---\ntitle: New\npublished: 2024-06-01\n---\nNew body.\n")
    lib = Library(db, folder)
    await lib.sync()
    assert [r.title for r in lib.articles] == ["New", "Old"]


async def test_articles_by_author_come_from_the_author_index(library, articles_dir):
    (articles_dir / "one.md").write_text(
        "---\ntitle: Harbour Dredging Begins\nauthor: Ana López\npublished: 2024-01-01\n---\n\nThe dredging began.\n"
    )
    (articles_dir / "two.md").write_text(
        "---\ntitle: Ferry Fares Rise\nauthor: Ana Lopez and Ben Smith\npublished: 2024-02-01\n---\n\nFares rose.\n"
    )
    await library.sync()
    assert [r.title for r in library.catalogue.by_author("lopez")] == ["Ferry Fares Rise", "Harbour Dredging Begins"]
    assert [r.title for r in library.catalogue.by_author("BEN")] == ["Ferry Fares Rise"]
    assert [r.title for r in library.catalogue.by_authors({"Ben Smith"})] == ["Ferry Fares Rise"]
    assert [r.title for r in library.catalogue.by_authors({"ana lopez"})] == [
        "Ferry Fares Rise",
        "Harbour Dredging Begins",
    ]
    assert library.catalogue.by_author("  ") == [] and library.catalogue.by_authors({"Nobody"}) == []


async def test_the_lookups_are_kept_out_of_the_garbage_collectors_passes(library):
    """At 100,000 articles a full collection walking the lookups held the event loop for 200 ms."""
    import gc

    gc.unfreeze()
    # What a scan keeps is plain tuples of strings and numbers, which the collector stops tracking.
    scanned = [f for listing in library.files._listings.values() for f in listing.files]
    gc.collect()
    assert scanned and not any(gc.is_tracked(f) for f in scanned)
    await library.catalogue.refresh()  # and the lookups (rows, indexes) are frozen out of its passes
    assert gc.get_freeze_count() >= len(library.articles) > 0
