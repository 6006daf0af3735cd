"""Only the articles folder is read: symbolic links (to files or folders, inside or outside it),
paths with "..", and anything that is not a regular file are never opened.

A secret article lives outside the folder, reachable through symbolic links placed inside it; an
audit hook records every file the process opens and every folder it lists while the library syncs
and while commands run, and the secret's marker word must appear nowhere: not in the database,
the logs, Discord's requests or the command line's output.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings
from bot.core.errors import ArticleFileError
from bot.discord_app.briefbot import BriefBot
from bot.library.service import Library
from bot.sources.files import read_article_file
from bot.storage.db import connect
from tests.bot.test_cli import run_cli
from tests.cogs.conftest import EPHEMERAL, new_member

SECRET = "zqxsecretmarker"
SECRET_TEXT = (
    f"Secret Plans {SECRET}\n\nThe {SECRET} committee met in private on Monday to discuss the budget.\n\n"
    f"“Nobody may know about {SECRET},” said Jane Doe, the committee chair.\n"
)

# --- every file opened and folder listed, while recording ------------------------------------

_recording: list[str] | None = None


def _audit(event: str, args: tuple) -> None:
    if _recording is not None and event in ("open", "os.scandir", "os.listdir") and args:
        target = args[0]
        flags = args[2] if event == "open" and len(args) > 2 and isinstance(args[2], int) else 0
        # An open that refuses to follow a link reads nothing through it: not recorded.
        if isinstance(target, str | bytes | os.PathLike) and not (flags & os.O_NOFOLLOW and os.path.islink(target)):
            _recording.append(os.fsdecode(target))


sys.addaudithook(_audit)  # hooks cannot be removed; this one does nothing unless recording


@contextlib.contextmanager
def recording() -> Iterator[list[str]]:
    global _recording
    _recording = []
    try:
        yield _recording
    finally:
        _recording = None


def outside_touches(opened: list[str], outside: Path, folder: Path) -> list[str]:
    """Paths opened or listed outside the folder, or through a link inside it."""
    bad = []
    for name in opened:
        path = Path(name)
        if not path.is_absolute():
            continue
        through_link = path.is_relative_to(folder) and path.is_symlink()
        if path.is_relative_to(outside) or path.resolve().is_relative_to(outside) or through_link:
            bad.append(name)
    return bad


def inside(opened: list[str], folder: Path) -> list[str]:
    """Paths opened or listed inside the folder."""
    return [p for p in opened if os.path.isabs(p) and Path(p).resolve().is_relative_to(folder.resolve())]


@pytest.fixture
def world(tmp_path: Path, articles_dir: Path) -> tuple[Path, Path]:
    """The seeds folder, plus links, pipes and oddities; and a secret folder outside it."""
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET_TEXT)
    (outside / "folder" / "secret2.md").write_text(f"# {SECRET} Two\n\n{SECRET_TEXT}")
    folder = articles_dir
    (folder / "link-to-outside.txt").symlink_to(outside / "secret.txt")
    (folder / "link-to-outside-folder").symlink_to(outside / "folder", target_is_directory=True)
    (folder / "relative-link.txt").symlink_to(Path("..") / "outside" / "secret.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "nested.txt").write_text("Nested Article\n\nA real article in a subfolder is read as usual.\n")
    (folder / "sub" / "up-link.md").symlink_to(Path("..") / ".." / "outside" / "folder" / "secret2.md")
    (folder / "link-to-inside.txt").symlink_to(folder / "sub" / "nested.txt")
    (folder / "link-to-inside-folder").symlink_to(folder / "sub", target_is_directory=True)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "dangling.txt").symlink_to(folder / "missing.txt")
    os.mkfifo(folder / "pipe.txt")  # reading it would block for ever
    (folder / "folder.txt").mkdir()  # a folder with an article's name is a folder
    (folder / "folder.txt" / "inner.json").write_text(
        '{"title": "Inner Json", "text": "Read from a folder named .txt."}'
    )
    (folder / ".hidden.txt").write_text(SECRET_TEXT)
    return folder, outside


def dump_database(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return "\n".join(str(conn.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables)


async def test_library_reads_only_regular_files_inside(world, tmp_path, caplog):
    folder, outside = world
    caplog.set_level(logging.INFO)
    db = await connect(tmp_path / "lib.sqlite3")
    try:
        library = Library(db, folder)
        with recording() as opened:
            report = await library.sync()
        paths = sorted(r.source_path for r in library.articles)
        assert paths == [
            "000_18d7c81359cbff0f.txt",
            "001_1b1c40b80df8ac56.txt",
            "folder.txt/inner.json",
            "sub/nested.txt",
        ]
        assert not report.skipped  # links and pipes are passed over at the scan, not opened
        assert outside_touches(opened, outside, folder) == []
        assert not any(Path(p).name in ("pipe.txt", ".hidden.txt") for p in opened)
        for name in (
            "link-to-outside.txt",
            "relative-link.txt",
            "sub/up-link.md",
            "link-to-inside.txt",
            "dangling.txt",
        ):
            assert f"skipped {name}: symbolic links are not followed" in caplog.text
        assert "skipped pipe.txt: not a regular file" in caplog.text
        # A second sync (the poll) is no different.
        with recording() as opened:
            await library.sync()
        assert outside_touches(opened, outside, folder) == []
    finally:
        await db.close()
    assert SECRET not in dump_database(tmp_path / "lib.sqlite3")
    assert SECRET not in caplog.text


async def test_file_swapped_for_a_link_after_the_scan_is_not_read(world, tmp_path, monkeypatch):
    """The check that matters is at the moment of opening: a regular file seen by the scan and
    replaced by a link before it is read is refused, not followed."""
    folder, outside = world
    (folder / "swapped.txt").write_text("Swapped\n\nAn ordinary article, for now.\n")
    db = await connect(tmp_path / "lib.sqlite3")
    try:
        library = Library(db, folder)
        scan = library.files._scan

        def scan_then_swap():
            found = scan()
            (folder / "swapped.txt").unlink()
            (folder / "swapped.txt").symlink_to(outside / "secret.txt")
            return found

        monkeypatch.setattr(library.files, "_scan", scan_then_swap)
        with recording() as opened:
            report = await library.sync()
        assert ("swapped.txt", "symbolic links are not followed") in report.skipped
        assert all(SECRET not in r.title for r in library.articles)
        assert outside_touches(opened, outside, folder) == []
    finally:
        await db.close()
    assert SECRET not in dump_database(tmp_path / "lib.sqlite3")


async def test_file_gone_or_grown_between_scan_and_read(world, tmp_path, monkeypatch):
    folder, _ = world
    (folder / "vanishing.txt").write_text("Vanishing\n\nHere at the scan, gone at the read.\n")
    (folder / "growing.txt").write_text("Growing\n\nSmall at the scan.\n")
    db = await connect(tmp_path / "lib.sqlite3")
    try:
        library = Library(db, folder, max_bytes=1000)
        scan = library.files._scan

        def scan_then_change():
            found = scan()
            (folder / "vanishing.txt").unlink()
            (folder / "growing.txt").write_text("Growing\n\n" + "Much longer now. " * 500)
            return found

        monkeypatch.setattr(library.files, "_scan", scan_then_change)
        report = await library.sync()
        reasons = dict(report.skipped)
        assert reasons["vanishing.txt"] == "unreadable: No such file or directory"
        assert reasons["growing.txt"].startswith("file too large")
    finally:
        await db.close()


@pytest.mark.parametrize("swapped", ["sub", "sub/deeper"])
async def test_folder_swapped_for_a_link_after_the_scan_is_not_read(world, tmp_path, monkeypatch, caplog, swapped):
    """O_NOFOLLOW guards only a path's last name: a sub-folder seen by the scan and replaced by a
    link to an outside folder (holding a secret under the same file name) before the read must be
    refused, at whatever depth, and nothing of the secret stored or logged."""
    folder, outside = world
    caplog.set_level(logging.INFO)
    (folder / "sub" / "deeper").mkdir()
    (folder / "sub" / "deeper" / "deep.txt").write_text("Deep Article\n\nA real article two folders down.\n")
    decoy = outside / "decoy"  # what the link points to: the same names, secret contents
    (decoy / "deeper").mkdir(parents=True)
    (decoy / "nested.txt").write_text(SECRET_TEXT)
    (decoy / "deeper" / "deep.txt").write_text(f"Deeper {SECRET}\n\n{SECRET_TEXT}")
    db = await connect(tmp_path / "lib.sqlite3")
    try:
        library = Library(db, folder)
        scan = library.files._scan

        swapped_at = 0

        def scan_then_swap():
            nonlocal swapped_at
            found = scan()
            (folder / swapped).rename(tmp_path / "moved-away")
            (folder / swapped).symlink_to(decoy / swapped.removeprefix("sub").lstrip("/"), target_is_directory=True)
            swapped_at = len(opened)
            return found

        monkeypatch.setattr(library.files, "_scan", scan_then_swap)
        with recording() as opened:
            report = await library.sync()
        assert all(SECRET not in r.title for r in library.articles)
        reasons = dict(report.skipped)
        refused = f"symbolic links are not followed ({swapped}/ is one)"
        assert reasons["sub/deeper/deep.txt"] == refused
        if swapped == "sub":
            assert reasons["sub/nested.txt"] == refused
        # Since the swap, nothing was opened through the link (what the scan listed before it
        # now resolves outside, so is not checked).
        assert swapped_at and outside_touches(opened[swapped_at:], outside, folder) == []
    finally:
        await db.close()
    assert SECRET not in dump_database(tmp_path / "lib.sqlite3")
    assert SECRET not in caplog.text
    assert f"skipped sub/deeper/deep.txt: {refused}" in caplog.text


@pytest.mark.parametrize("swapped", ["sub", "sub/deeper"])
async def test_folder_swapped_for_a_link_while_the_scan_walks_is_not_listed(
    world, tmp_path, monkeypatch, caplog, swapped
):
    """The scan walks from the folder by descriptor, as the read does: a sub-folder seen as a
    folder when its parent is listed, then swapped for a link to an outside folder before it is
    listed itself, is not listed through the link. Listing it would show the outside folder's file
    names and sizes (a file whose name is the secret here) in the logs, the report and the rows."""
    folder, outside = world
    caplog.set_level(logging.INFO)
    (folder / "sub" / "deeper").mkdir()
    (folder / "sub" / "deeper" / "deep.txt").write_text("Deep Article\n\nA real article two folders down.\n")
    decoy = outside / "named"  # what the link points to: a file whose very name is the secret
    decoy.mkdir()
    (decoy / f"{SECRET}.txt").write_text("Ordinary Title\n\nNothing secret in here but the name.\n")
    parent = os.stat((folder / swapped).parent)
    real_scandir = os.scandir
    swapped_at: int | None = None

    def scandir_then_swap(target=None):
        """List as asked; once the swapped folder's parent has been listed, swap the folder."""
        nonlocal swapped_at
        entries = list(real_scandir(target))
        if swapped_at is None and os.path.samestat(os.stat(target), parent):
            (folder / swapped).rename(tmp_path / "moved-away")
            (folder / swapped).symlink_to(decoy, target_is_directory=True)
            swapped_at = len(opened)
        return iter(entries)

    db = await connect(tmp_path / "lib.sqlite3")
    try:
        library = Library(db, folder)
        monkeypatch.setattr(os, "scandir", scandir_then_swap)
        with recording() as opened:
            report = await library.sync()
        monkeypatch.undo()
        assert swapped_at is not None, "the swap happened"
        assert SECRET not in repr(report)
        assert all(SECRET not in (r.source_path or "") + r.title for r in library.articles)
        assert f"skipped folder {swapped}/: symbolic links are not followed" in caplog.text
        # Since the swap, nothing was opened or listed through the link.
        assert outside_touches(opened[swapped_at:], outside, folder) == []
        # The folder back in its place, the next scan lists it as usual.
        (folder / swapped).unlink()
        (tmp_path / "moved-away").rename(folder / swapped)
        await library.sync()
        assert library.catalogue.resolve("Deep Article") is not None
    finally:
        await db.close()
    assert SECRET not in dump_database(tmp_path / "lib.sqlite3")
    assert SECRET not in caplog.text


@pytest.mark.parametrize("deeper", [False, True], ids=["leaf", "with-a-sub-folder"])
async def test_folder_swapped_for_a_link_under_a_settled_listing_is_not_listed(world, tmp_path, caplog, deeper):
    """A poll reuses a settled directory's listing, sub-folders included. A sub-folder swapped for
    a link to an outside folder, the parent's modification time then put back (so the parent is
    not listed again), is refused when the poll comes to it: not stat'ed, let alone listed, through
    the link."""
    folder, outside = world
    caplog.set_level(logging.INFO)
    if deeper:
        (folder / "sub" / "deeper").mkdir()
        (folder / "sub" / "deeper" / "deep.txt").write_text("Deep Article\n\nA real article two folders down.\n")
    decoy = outside / "named"
    decoy.mkdir()
    (decoy / f"{SECRET}.txt").write_text("Ordinary Title\n\nNothing secret in here but the name.\n")
    db = await connect(tmp_path / "lib.sqlite3")
    try:
        library = Library(db, folder)
        await library.sync()
        assert library.catalogue.resolve("Nested Article") is not None
        library.files._full_scan_cost = 100.0  # polls skip the full scan, as in a huge folder
        for path, seen in library.files._listings.items():  # and every listing has settled
            library.files._listings[path] = replace(seen, listed_ns=seen.mtime_ns + 2_000_000_000)
        before = os.stat(folder)
        (folder / "sub").rename(tmp_path / "moved-away")
        (folder / "sub").symlink_to(decoy, target_is_directory=True)
        os.utime(folder, ns=(before.st_atime_ns, before.st_mtime_ns))
        with recording() as opened:
            report = await library.sync()
        assert SECRET not in repr(report)
        assert all(SECRET not in (r.source_path or "") + r.title for r in library.articles)
        assert "skipped folder sub/: symbolic links are not followed" in caplog.text
        assert outside_touches(opened, outside, folder) == []
    finally:
        await db.close()
    assert SECRET not in dump_database(tmp_path / "lib.sqlite3")
    assert SECRET not in caplog.text


async def test_folder_swapped_back_and_forth_by_a_racing_thread(world, tmp_path, caplog):
    """A thread swaps a sub-folder for a link to an outside folder and back, as fast as it can,
    while the library syncs again and again (every file changed, every scan a full one): whatever
    the timing, each read is either the real file or refused, never the secret."""
    folder, outside = world
    caplog.set_level(logging.INFO)
    decoy = outside / "decoy"
    decoy.mkdir()
    (decoy / "nested.txt").write_text(SECRET_TEXT)
    sub, aside = folder / "sub", tmp_path / "sub-aside"
    real = os.open(sub, os.O_RDONLY | os.O_DIRECTORY)  # the real folder, whatever its name at the moment
    stop = threading.Event()
    swaps = 0

    def swap() -> None:
        nonlocal swaps
        while not stop.is_set():
            os.rename(sub, aside)
            sub.symlink_to(decoy, target_is_directory=True)
            time.sleep(0.0002)
            sub.unlink()
            os.rename(aside, sub)
            swaps += 1
            time.sleep(0.0002)

    db = await connect(tmp_path / "lib.sqlite3")
    racer = threading.Thread(target=swap, daemon=True)
    racer.start()
    try:
        library = Library(db, folder)
        refused = stored = 0
        deadline = time.monotonic() + 60  # about 30 syncs alone; many more on a loaded machine
        i = 0
        while time.monotonic() < deadline:  # until the race has been caught often enough, both ways
            i += 1
            # A new version of the real file every time, so every sync that lists it reads it again.
            fd = os.open("nested.txt", os.O_WRONLY | os.O_TRUNC, dir_fd=real)
            os.write(fd, f"Nested Article\n\nVersion {i} of a real article{'.' * (i % 50)}\n".encode())
            os.close(fd)
            library.files._last_full_scan = float("-inf")
            report = await library.sync()
            # Refused: listed as a real folder's file, then found a link at the read, the moment
            # where following the link would read the secret.
            refused += ("sub/nested.txt", "symbolic links are not followed (sub/ is one)") in report.skipped
            stored += any(r.source_path == "sub/nested.txt" for r in library.articles)
            assert all(SECRET not in r.title for r in library.articles)
            if refused >= 5 and stored >= 5:
                break
    finally:
        stop.set()
        racer.join()
        os.close(real)
        await db.close()
    assert refused >= 5 and stored >= 5, (refused, stored, swaps)  # the race did run, both ways
    assert SECRET not in dump_database(tmp_path / "lib.sqlite3")
    assert SECRET not in caplog.text


def test_loader_walks_from_the_folder_without_following_links(world):
    folder, _ = world
    raw = read_article_file(Path("sub/nested.txt"), folder=folder)
    assert raw.title == "Nested Article" and raw.source_path == "nested.txt"
    for path, reason in [
        ("link-to-outside-folder/secret2.md", "symbolic links are not followed (link-to-outside-folder/ is one)"),
        ("link-to-inside-folder/nested.txt", "symbolic links are not followed (link-to-inside-folder/ is one)"),
        ("loop/sub/nested.txt", "symbolic links are not followed (loop/ is one)"),
        ("link-to-outside.txt", "symbolic links are not followed"),
        ("sub/up-link.md", "symbolic links are not followed"),
        ("../outside/secret.txt", "not a path inside the articles folder"),
        ("sub/../../outside/secret.txt", "not a path inside the articles folder"),
        (str(folder / "sub" / "nested.txt"), "not a path inside the articles folder"),
        ("folder.txt/inner.json/x.txt", "unreadable: Not a directory"),
        ("missing/x.txt", "unreadable: No such file or directory"),
    ]:
        with pytest.raises(ArticleFileError) as refused:
            read_article_file(Path(path), folder=folder)
        assert str(refused.value) == reason, path


def test_loader_refuses_links_pipes_and_folders_when_told(world):
    folder, _ = world
    with pytest.raises(ArticleFileError, match="symbolic links are not followed"):
        read_article_file(folder / "link-to-outside.txt", follow_symlinks=False)
    with pytest.raises(ArticleFileError, match="not a regular file"):
        read_article_file(folder / "pipe.txt")  # opened without blocking, then refused
    with pytest.raises(ArticleFileError, match="not a regular file"):
        read_article_file(folder / "folder.txt")


# --- commands never read files ---------------------------------------------------------------

TRAVERSALS = [
    "../outside/secret.txt",
    "../../outside/secret.txt",
    "link-to-outside.txt",
    "relative-link.txt",
    "sub/up-link.md",
    "sub/../../outside/secret.txt",
    "link-to-outside-folder/secret2.md",
    ".hidden.txt",
    "pipe.txt",
    "/etc/passwd",
    "..",
    "../",
    "....//....//etc/passwd",
    "%2e%2e%2fsecret.txt",
    "..\\..\\outside\\secret.txt",
    "file:///etc/passwd",
    "~/.ssh/id_rsa",
    "secret",
    "Secret Plans",
]


async def test_article_references_never_reach_outside(fake_discord, world, tmp_path):
    folder, outside = world
    settings = Settings(articles_dir=folder, db_path=tmp_path / "bot.sqlite3", poll_seconds=3600)
    async with fake_discord.run(BriefBot(settings, guild_ready_timeout=0.05)) as bot:
        refs = [*TRAVERSALS, str(outside / "secret.txt"), str(folder / "link-to-outside.txt")]
        with recording() as opened:
            for ref in refs:
                user = new_member(fake_discord)  # fresh members: the cooldown never answers instead
                for command, options in (
                    ("brief", {"article": ref}),
                    ("summary", {"article": ref}),
                    ("quotes", {"article": ref}),
                    ("author", {"article": ref}),
                    ("author", {"name": ref}),
                ):
                    inter = await fake_discord.send_command(command, options=options, user=user)
                    reply = (await inter.response(timeout=3)).data
                    assert reply["flags"] & EPHEMERAL, (command, ref, reply)
                    assert "couldn't find" in reply["content"] or "No article" in reply["content"], reply
                auto = await fake_discord.send_autocomplete("brief", {"article": ref}, user=user)
                assert (await auto.response(timeout=3)).type == 8
        # Commands read the database, never the folder, let alone outside it.
        assert inside(opened, folder) == []
        assert outside_touches(opened, outside, folder) == []
        assert len(bot.library.articles) == 4
    for request in fake_discord.requests:
        assert SECRET not in str(request.json)
    assert SECRET not in dump_database(tmp_path / "bot.sqlite3")


# --- the command line ---------------------------------------------------------------------------
# `briefbot brief PATH` reads the file the operator names (README: "a file, inside the library or
# anywhere"), but never through a symbolic link; anything that is not a file is looked up in the
# library by name, and the library has only what its folder's regular files hold.


def error_line(stderr: str) -> str:
    """The one error line (the library's warnings about the links it passed over come first)."""
    [line] = [x for x in stderr.splitlines() if x.startswith("briefbot: error:")]
    return line


@pytest.fixture
def cli(world, tmp_path, monkeypatch, capsys):
    """`briefbot ARGS` in this process, in a working folder whose seeds/ is the linked-up folder;
    returns (status, stdout, stderr, paths opened)."""
    folder, _ = world
    work = tmp_path / "work"
    work.mkdir()
    (work / "seeds").symlink_to(folder, target_is_directory=True)
    monkeypatch.chdir(work)
    for key in list(os.environ):
        if key.startswith(("BRIEFBOT_", "DISCORD_")):
            monkeypatch.delenv(key)
    root = logging.getLogger()

    def run(*args: str) -> tuple[int, str, str, list[str]]:
        handlers, level = root.handlers[:], root.level
        try:
            with recording() as opened:
                code = main(list(args))
        finally:
            root.handlers[:] = handlers
            root.setLevel(level)
        out = capsys.readouterr()
        return code, out.out, out.err, opened

    return run


def test_cli_library_skips_links(cli, world):
    folder, outside = world
    code, out, err, opened = cli("articles")
    assert code == 0, err
    assert "4 articles" in out
    assert SECRET not in out + err
    assert outside_touches(opened, outside, folder) == []


@pytest.mark.parametrize(
    "ref",
    [
        "../outside/secret",  # not a file: looked up in the library as a name, and not found
        "../outside",
        "seeds/../../outside/secret",
        "seeds/link-to-outside-folder",
        "seeds/pipe.txt",
        "seeds/.hidden",
        "Secret Plans",
    ],
)
def test_cli_references_that_are_not_files_stay_in_the_library(cli, world, ref):
    folder, outside = world
    code, out, err, opened = cli("brief", ref)
    assert code == 2
    assert error_line(err).startswith(f"briefbot: error: no article matches {ref!r}")
    assert SECRET not in out + err
    assert outside_touches(opened, outside, folder) == []


@pytest.mark.parametrize("link", ["seeds/link-to-outside.txt", "seeds/relative-link.txt", "seeds/sub/up-link.md"])
def test_cli_does_not_follow_a_link_it_is_given(cli, world, link):
    folder, outside = world
    code, out, err, opened = cli("brief", link)
    assert code == 2
    assert error_line(err) == "briefbot: error: symbolic links are not followed"
    assert SECRET not in out + err
    assert outside_touches(opened, outside, folder) == []


def test_python_m_bot_brief_dot_dot(world, tmp_path):
    """The same through a real `python -m bot brief ../x` in its own process."""
    folder, _ = world
    code = run_cli("brief", "../link-to-outside.txt", cwd=folder / "sub", env_extra={"BRIEFBOT_ARTICLES_DIR": ".."})
    assert code.returncode == 2
    assert error_line(code.stderr) == "briefbot: error: symbolic links are not followed"
    assert SECRET not in code.stdout + code.stderr


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("seeds/link-to-outside-folder/secret2.md", "link-to-outside-folder/ is one"),
        ("seeds/link-to-inside-folder/up-link.md", "link-to-inside-folder/ is one"),
        ("seeds/loop/link-to-outside-folder/secret2.md", "loop/ is one"),
    ],
)
def test_cli_does_not_follow_a_linked_folder_inside_the_library(cli, world, ref, reason):
    """A file named through the articles folder is opened as the library opens it: no link below
    the folder is followed, not only the file's own name."""
    folder, outside = world
    code, out, err, opened = cli("brief", ref)
    assert code == 2
    assert error_line(err) == f"briefbot: error: symbolic links are not followed ({reason})"
    assert SECRET not in out + err
    assert outside_touches(opened, outside, folder) == []
