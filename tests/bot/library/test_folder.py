"""The folder kept in step with the library: reading, editing, renaming, retiring, scanning, refusing."""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import replace

import pytest

from bot.library.service import Library
from tests.bot.library.conftest import ARTICLE


async def test_bad_files_are_skipped_with_reasons_and_the_rest_load(db, articles_dir, caplog):
    (articles_dir / "empty.txt").write_text("")
    (articles_dir / "latin1.txt").write_bytes("Caf\xe9\n\nbody".encode("latin-1"))
    (articles_dir / "broken.json").write_text("{oops")
    (articles_dir / "notes.pdf").write_text("ignored")
    (articles_dir / "good.md").write_text("---\ntitle: Good One\n---\nA fine body of text for the article.\n")
    lib = Library(db, articles_dir)
    with caplog.at_level(logging.WARNING, logger="bot.library.service"):
        report = await lib.sync()
    assert len(report.added) == 3
    reasons = dict(report.skipped)
    assert reasons["empty.txt"] == "empty file"
    assert "not valid UTF-8" in reasons["latin1.txt"]
    assert "invalid JSON" in reasons["broken.json"]
    assert "notes.pdf" not in reasons
    assert "skipped empty.txt: empty file" in caplog.text


async def test_warm_restart_analyses_nothing(db, articles_dir, monkeypatch):
    await Library(db, articles_dir).sync()
    import bot.library.ingest as libmod

    def boom(raw):
        raise AssertionError("analysed again")

    monkeypatch.setattr(libmod, "analyse_raw", boom)  # in this process (the cache lost, say)
    lib = Library(db, articles_dir)
    tasks = []  # what the workers were asked, and what they returned
    real_run = lib.pages.run

    async def recorded(fn, *args, seconds):
        result = await real_run(fn, *args, seconds=seconds)
        tasks.append((fn, args, result))
        return result

    monkeypatch.setattr(lib.pages, "run", recorded)
    try:
        report = await lib.sync()
        assert report.unchanged == 2 and not report.changed
        assert tasks == []
        # A file rewritten with the same bytes (new mtime) is read, but not analysed again.
        seed = next(articles_dir.glob("000_*"))
        os.utime(seed, ns=(1, 1))
        lib.files._last_full_scan = float("-inf")  # an edit in place: found by the next full scan
        report = await lib.sync()
        assert report.unchanged == 2 and report.touched == 1 and not report.changed
        [(fn, (_read, known), (_raw, digest, analysis))] = tasks
        assert fn is libmod.read_and_analyse and known == digest and analysis is None
    finally:
        lib.close()


async def test_edit_keeps_id_and_updates_article(library, articles_dir):
    path = articles_dir / "harbour.txt"
    path.write_text(ARTICLE)
    await library.sync()
    row = library.catalogue.resolve("harbour-plan-approved")
    path.write_text(ARTICLE.replace("Harbour Plan Approved", "Harbour Plan Finally Approved") + "\nMore news.\n")
    report = await library.sync()
    assert report.updated == [row.id]
    new = library.catalogue.resolve(row.id)
    assert new.title == "Harbour Plan Finally Approved"
    assert new.slug == "harbour-plan-finally-approved"


async def test_delete_retires_and_restore_revives(library, articles_dir):
    path = articles_dir / "harbour.txt"
    path.write_text(ARTICLE)
    await library.sync()
    ident = library.catalogue.resolve("harbour-plan-approved").id
    path.unlink()
    report = await library.sync()
    assert report.retired == [ident]
    assert library.catalogue.resolve(ident) is None
    path.write_text(ARTICLE)
    report = await library.sync()
    assert report.added == [ident]
    assert library.catalogue.resolve(ident) is not None


async def test_rename_keeps_the_article(library, articles_dir):
    path = articles_dir / "harbour.txt"
    path.write_text(ARTICLE)
    await library.sync()
    ident = library.catalogue.resolve("harbour-plan-approved").id
    path.rename(articles_dir / "renamed.txt")
    report = await library.sync()
    assert report.retired == []
    row = library.catalogue.resolve(ident)
    assert row.source_path == "renamed.txt"


async def test_duplicate_content_is_skipped(library, articles_dir):
    (articles_dir / "a.txt").write_text(ARTICLE)
    (articles_dir / "b.txt").write_text(ARTICLE)
    report = await library.sync()
    assert len(report.added) == 1
    assert report.skipped == [("b.txt", "same content as a.txt")]


async def test_same_title_gets_distinct_slug(library, articles_dir):
    (articles_dir / "a.txt").write_text(ARTICLE)
    (articles_dir / "b.txt").write_text(ARTICLE + "\nA different ending.\n")
    await library.sync()
    slugs = sorted(r.slug for r in library.articles if r.title == "Harbour Plan Approved")
    assert slugs[0] == "harbour-plan-approved" and slugs[1].startswith("harbour-plan-approved-")


async def test_symlinks_and_hidden_files_are_not_read(library, articles_dir, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("Secret Title\n\nSecret body.\n")
    (articles_dir / "link.txt").symlink_to(outside)
    (articles_dir / ".hidden.txt").write_text(ARTICLE)
    report = await library.sync()
    assert report.added == []
    assert all(r.title != "Secret Title" for r in library.articles)


async def test_hidden_files_and_folders_are_skipped_with_a_debug_line(library, articles_dir, caplog):
    (articles_dir / ".hidden.txt").write_text(ARTICLE)
    (articles_dir / "sub").mkdir()
    (articles_dir / "sub" / ".draft.md").write_text(ARTICLE)
    (articles_dir / ".git").mkdir()
    (articles_dir / ".git" / "inside.txt").write_text(ARTICLE)
    with caplog.at_level(logging.DEBUG, logger="bot.library.folder"):
        report = await library.sync()
    assert report.added == []
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.library.folder" and r.levelno == logging.DEBUG]
    assert "skipped .hidden.txt: hidden" in lines
    assert "skipped sub/.draft.md: hidden" in lines
    assert "skipped .git/: hidden" in lines
    assert not any("inside.txt" in line for line in lines)  # a hidden folder is not walked into


async def test_subfolders_are_read(library, articles_dir):
    (articles_dir / "2024").mkdir()
    (articles_dir / "2024" / "harbour.json").write_text(json.dumps({"title": "Harbour", "text": "Body text."}))
    await library.sync()
    assert library.catalogue.resolve("2024/harbour.json").title == "Harbour"


async def test_files_of_every_type_are_analysed_in_worker_processes(db, tmp_path, monkeypatch):
    """Many files at once (a cold start) and a single one (a poll while serving) alike: read and
    analysed in the pool's workers, within their budget, never in the bot's own process."""
    import bot.library.ingest as libmod
    from bot.library.folder import CHUNK

    def not_here(*args, **kwargs):
        raise AssertionError("analysed in the bot's own process")

    monkeypatch.setattr(libmod, "analyse", not_here)  # the spawned workers have the real one
    monkeypatch.setattr(libmod, "analyse_raw", not_here)
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(CHUNK + 5):
        (folder / f"a{i:03}.txt").write_text(f"Story {i}\n\n“Number {i} is here,” said Ann Lee. It rained today.\n")
    (folder / "b.md").write_text("---\ntitle: Markdown Story\n---\n“Number md is here,” said Ann Lee.\n")
    (folder / "c.json").write_text(json.dumps({"title": "Json Story", "text": "“Number js is here,” said Ann Lee."}))
    (folder / "broken.json").write_text("{nope")
    lib = Library(db, folder)
    try:
        report = await lib.sync()
        assert lib.pages.workers > 0, "the pool's workers were used"
        assert len(report.added) == CHUNK + 7
        assert [p for p, _ in report.skipped] == ["broken.json"]
        assert (await lib.reading.search_quotes("number")).total == CHUNK + 7
        (folder / "one.txt").write_text("One More\n\n“Number one is here,” said Ann Lee.\n")
        report = await lib.sync()
        assert len(report.added) == 1 and lib.catalogue.resolve("one.txt") is not None
    finally:
        lib.close()


async def test_a_text_file_over_its_time_is_refused_recorded_and_the_rest_stored(db, articles_dir, caplog):
    """A plain text file whose analysis never ends (as a hostile text could make it) is refused
    within its budget and recorded, like a page, and tried again only after its backoff."""
    from bot.library.ingest import PAGE_MEMORY_BYTES
    from bot.library.workers import KillablePool
    from bot.storage.refusals import RefusalRepository

    (articles_dir / "slow.txt").write_text("A Slow Article\n\nIts analysis never ends.\n")
    (articles_dir / "fine.md").write_text("---\ntitle: A Fine Article\n---\nA fine body of text.\n")
    pool = KillablePool(2, memory_bytes=PAGE_MEMORY_BYTES, preload=("tests.support.slow_analysis",))
    library = Library(db, articles_dir, pages=pool, page_seconds=1.0, retry_base=3600)
    try:
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="bot.library.service"):
            report = await library.sync()
        assert time.monotonic() - started < 8
        [(path, reason)] = report.skipped
        assert path == "slow.txt" and "took more than 1 s" in reason and "next try in 3600 s" in reason
        assert "skipped slow.txt: file refused: took more than 1 s" in caplog.text
        assert len(library.articles) == 3 and library.catalogue.resolve("fine.md") is not None  # the seeds and fine.md
        refusal = await RefusalRepository(db).get("file:slow.txt")
        assert refusal is not None and refusal.failures == 1
        library.files._last_full_scan = float("-inf")  # the next poll compares every file
        assert (await library.sync()).skipped == []  # not read again before its retry time
        assert pool.killed == 1
    finally:
        library.close()


async def test_polls_relist_only_changed_directories_and_full_scans_catch_edits_in_place(library, articles_dir):
    """When a full scan is expensive (a large library), a poll re-lists only directories whose
    modification time changed: new and removed files show at once, an edit in place at the next
    full scan."""
    desk, other = articles_dir / "desk", articles_dir / "other"
    desk.mkdir()
    other.mkdir()
    (desk / "harbour.txt").write_text(ARTICLE)
    await library.sync()
    row = library.catalogue.resolve("harbour-plan-approved")
    assert row is not None

    def settle() -> None:  # as if every directory was listed well after its last change
        for path, seen in library.files._listings.items():
            library.files._listings[path] = replace(seen, listed_ns=seen.mtime_ns + 2_000_000_000)

    library.files._full_scan_cost = 100.0  # a huge folder: polls skip the full scan (5% of a core)
    settle()
    (desk / "harbour.txt").write_text(ARTICLE.replace("a great deal of money", "millions"))
    assert not (await library.sync()).changed  # an edit in place changes no directory: unseen
    (other / "new.txt").write_text("Ferry Timetable Changes\n\nThe ferry will leave earlier from Monday.\n")
    report = await library.sync()
    assert len(report.added) == 1 and not report.updated  # only the changed directory was listed
    assert library.catalogue.resolve("ferry-timetable-changes") is not None
    settle()
    (other / "new.txt").unlink()
    assert len((await library.sync()).retired) == 1
    library.files._last_full_scan = float("-inf")  # the full scan is due
    assert (await library.sync()).updated == [row.id]


async def test_after_a_failed_sync_the_next_poll_compares_everything(library, articles_dir, monkeypatch):
    """An unchanged scan means "no change" only when the last sync stored all it found."""
    library.files._full_scan_cost = 100.0  # polls skip full scans, as in a huge folder
    (articles_dir / "harbour.txt").write_text(ARTICLE)
    real_save = library.catalogue.repo.save

    async def failing_save(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(library.catalogue.repo, "save", failing_save)
    with pytest.raises(RuntimeError):
        await library.sync()
    monkeypatch.setattr(library.catalogue.repo, "save", real_save)
    for path, seen in library.files._listings.items():  # the directory has settled: the scan reuses it
        library.files._listings[path] = replace(seen, listed_ns=seen.mtime_ns + 2_000_000_000)
    report = await library.sync()
    assert len(report.added) == 1 and library.catalogue.resolve("harbour-plan-approved") is not None
    assert not (await library.sync()).changed  # and now an unchanged poll is just that
