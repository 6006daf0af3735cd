"""`python -m bot` / `briefbot`: run the bot, or use the brief engine from a terminal.

briefbot                       start the Discord bot (needs DISCORD_TOKEN)
briefbot demo ["/command ..."] the real bot on a local stand-in for Discord: no token, no network
briefbot articles              list the library
briefbot brief REF [--json]    one article's brief (REF: a file path, slug, id or title)
briefbot analyse IN.jsonl      briefs for a JSON Lines batch
briefbot feeds add|list|remove the RSS and Atom feeds the bot polls
briefbot migrate-db --to URL   copy the SQLite database into an empty PostgreSQL database
briefbot --version
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
import textwrap
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from bot.analysis.engine import DEFAULT_SENTENCES, analyse, make_brief
from bot.analysis.parsing import parse_article
from bot.config import (
    DEFAULT_ARTICLES,
    DEFAULT_DB,
    ENV_FILE,
    SHIPPED_SEEDS,
    ConfigError,
    Environment,
    Settings,
    check_articles_dir,
    check_interval,
    load_settings,
    read_environment,
)
from bot.core.errors import ArticleFileError
from bot.core.models import Brief, RawArticle
from bot.core.text import normalise
from bot.core.wording import about_author, byline, not_found_terminal, speaker_line
from bot.library.ingest import analyse_file
from bot.library.service import Library
from bot.logs import redact, setup_logging

log = logging.getLogger("bot.cli")

EXIT_USAGE = 2
PROGRESS_ROWS = 10_000  # migrate-db: a table this big shows its progress


SETTINGS_HELP = f"""\
settings: environment variables (DISCORD_TOKEN, BRIEFBOT_ARTICLES_DIR, BRIEFBOT_DB, ...), over a
  .env file: the current folder's, or the one --env-file names. In BRIEFBOT_ARTICLES_DIR and
  BRIEFBOT_DB, relative paths are taken from the folder of the .env file they were read from,
  else from the current folder.
  Defaults: articles in ./{DEFAULT_ARTICLES}, database ./{DEFAULT_DB.as_posix()} (its folder made when
  missing).
  `brief FILE` and `analyse` read neither and write nothing; `demo` uses the shipped articles
  (or BRIEFBOT_ARTICLES_DIR) and a temporary database, deleted at the end.
"""


def package_version() -> str:
    """The installed package's version (its metadata), else the source's."""
    from importlib.metadata import PackageNotFoundError, version

    from bot import __version__

    try:
        return version("briefbot")
    except PackageNotFoundError:
        return __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefbot",
        description="Briefs on articles, in Discord or in a terminal.",
        epilog=SETTINGS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    parser.add_argument(
        "--env-file",
        type=Path,
        metavar="PATH",
        help="read settings from this file instead of .env in the current folder (relative paths in it "
        "are taken from its folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", help="start the Discord bot (the default)")
    demo = sub.add_parser(
        "demo",
        help="the real bot on a local stand-in for Discord: no token, no network",
        description="Run the real bot against a local stand-in for Discord (no token, no network), on a copy of "
        "the shipped articles (or BRIEFBOT_ARTICLES_DIR) and a temporary database, and print each answer as a "
        "person reads it. Without COMMAND, a short tour.",
    )
    demo.add_argument(
        "commands",
        nargs="*",
        metavar="COMMAND",
        help='slash commands as typed in Discord, e.g. "/brief article:china pivot" "/quotes keyword:sanctions"',
    )
    sub.add_parser("articles", help="list the articles in the library")
    sync = sub.add_parser("sync", help="upload the slash commands to Discord now (needs DISCORD_TOKEN)")
    sync.add_argument("--guild", type=int, metavar="ID", help="to this server only (instant), instead of globally")

    brief = sub.add_parser("brief", help="show one article's brief")
    brief.add_argument(
        "ref",
        metavar="PATH_OR_SLUG",
        help="an article file (briefed on its own: no library, no database), or a slug, id or title in the library",
    )
    brief.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    brief.add_argument(
        "--sentences",
        type=_sentences,
        default=DEFAULT_SENTENCES,
        metavar="N",
        help=f"summary length in sentences (default {DEFAULT_SENTENCES})",
    )

    batch = sub.add_parser("analyse", aliases=["analyze"], help="brief every article of a JSON Lines file")
    batch.add_argument("input", type=Path, metavar="IN.jsonl", help="lines of {id, text, title?} or {id, html, url?}")
    batch.add_argument("-o", "--output", type=Path, metavar="OUT.jsonl", help="where to write (default: stdout)")
    batch.add_argument("--sentences", type=_sentences, default=DEFAULT_SENTENCES, metavar="N")

    feeds = sub.add_parser("feeds", help="the RSS and Atom feeds the bot polls for new articles")
    feeds_sub = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    add = feeds_sub.add_parser("add", help="add a feed, or enable a disabled one again")
    add.add_argument("url", metavar="URL", help="the feed's http or https address")
    add.add_argument(
        "--interval",
        type=_interval,
        metavar="SECONDS",
        help="seconds between polls (default BRIEFBOT_FEED_INTERVAL, else 900)",
    )
    feeds_sub.add_parser("list", help="the feeds, their state and failures")
    remove = feeds_sub.add_parser("remove", help="stop polling a feed (its articles stay in the library)")
    remove.add_argument("url", metavar="URL")

    move = sub.add_parser(
        "migrate-db",
        help="copy the SQLite database into an empty PostgreSQL database",
        description="Copy the SQLite database (BRIEFBOT_DB, or --from) into an empty PostgreSQL database, in one "
        "transaction, and compare every table's row count. The SQLite database is first brought to the latest "
        "schema, as starting the bot would; the copy only reads it. Stop the bot first: what it writes during "
        "the copy is not copied. Exit status 0 when every count matches, 1 when the copy failed or a count "
        "differs (nothing is kept), 2 when it was refused (the target holds rows, a bad address).",
    )
    move.add_argument(
        "--to",
        metavar="URL",
        help="postgresql://USER:PASSWORD@HOST:5432/DATABASE, an empty database (default BRIEFBOT_DATABASE_URL, "
        "which keeps the password off the command line)",
    )
    move.add_argument("--from", dest="source", type=Path, metavar="PATH", help="the SQLite file (default BRIEFBOT_DB)")
    return parser


def _sentences(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= n <= 20:
        raise argparse.ArgumentTypeError("must be between 1 and 20")
    return n


def _interval(value: str) -> float:
    try:
        return check_interval(float(value))
    except ValueError as exc:
        reason = str(exc) if value.replace(".", "", 1).isdigit() else f"{value!r} is not a number of seconds"
        raise argparse.ArgumentTypeError(reason) from None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    if args.env_file is not None and not args.env_file.is_file():
        return _fail(f"--env-file: {str(args.env_file)!r} is not a file")
    env = read_environment(args.env_file or ENV_FILE)
    # The articles folder is checked only for the commands that read it.
    brief_file = command == "brief" and Path(args.ref).is_file()
    library = command in ("run", "sync", "articles") or (command == "brief" and not brief_file)
    try:
        settings = load_settings(env, library=library)
        if command == "demo":
            source = _demo_source(env)
    except ConfigError as exc:  # a token pasted into the wrong variable is not printed back
        return _fail(redact(str(exc), [env.values.get("DISCORD_TOKEN", "").strip()]))
    if command == "sync" and args.guild is not None:
        settings = replace(settings, dev_guild=args.guild)
    if command in ("run", "sync"):
        return _with_discord(settings, command)
    if command == "migrate-db":
        return _migrate_db(settings, args.to, args.source)
    if command == "demo":  # quiet unless BRIEFBOT_LOG_LEVEL asks for more: the answers are the output
        setup_logging(settings.log_level if env.values.get("BRIEFBOT_LOG_LEVEL", "").strip() else "ERROR")
        return _demo(source, args.commands)
    setup_logging("WARNING" if settings.log_level == "INFO" else settings.log_level, secrets=settings.secrets())
    try:
        if command == "articles":
            return asyncio.run(_articles(settings))
        if command == "brief" and brief_file:
            return _brief_file(settings, Path(args.ref), args.json, args.sentences)
        if command == "brief":
            return asyncio.run(_brief(settings, args.ref, args.json, args.sentences))
        if command == "feeds":
            return asyncio.run(
                _feeds(settings, args.feeds_command, getattr(args, "url", None), getattr(args, "interval", None))
            )
        return _analyse(args.input, args.output, args.sentences)
    except (ArticleFileError, LookupError, OSError) as exc:
        return _fail(str(exc))


def _fail(message: str) -> int:
    print(f"briefbot: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _with_discord(settings: Settings, action: str) -> int:
    """Run the bot (``action`` "run") or a command sync ("sync"): both need the token, turn a
    rejected one into one line and status 2, and keep the token out of every log line."""
    try:
        token = settings.require_token()
    except ConfigError as exc:
        return _fail(str(exc))
    if action == "run" and threading.current_thread() is threading.main_thread():
        # Until the event loop takes SIGTERM over (bot.discord_app.lifecycle), it stops the program as Ctrl-C does.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        from bot.discord_app.briefbot import TokenRejected, run, sync_now  # imports discord.py only when needed
        from bot.discord_app.lifecycle import end_process, serve
    except KeyboardInterrupt:
        return 0

    setup_logging(settings.log_level, secrets=[token, *settings.secrets()])
    status = 0
    try:
        if action == "sync":
            count = asyncio.run(sync_now(settings, token))
            where = f"to server {settings.dev_guild}" if settings.dev_guild else "globally"
            print(f"Synced {count} slash commands {where}.")
            return 0
        serve(run(settings, token))  # Ctrl-C and SIGTERM end it cleanly, with status 0
    except TokenRejected as exc:
        status = _fail(str(exc))
    except KeyboardInterrupt:
        pass
    except Exception as exc:
        # Through the log (which redacts the token), never as a bare traceback on stderr.
        log.critical("stopped by an unexpected error", exc_info=exc)
        status = _fail(f"stopped by an unexpected error ({type(exc).__name__}); the log above has the details")
    # Without waiting for a worker thread still busy with work nobody wants now (bot.discord_app.lifecycle).
    return end_process(status) if action == "run" else status


def _migrate_db(settings: Settings, to: str | None, source: Path | None) -> int:
    """`briefbot migrate-db`: bot.storage.transfer, with its progress on stderr and its counts on stdout."""
    from urllib.parse import unquote, urlsplit

    from bot.storage.database import is_postgres_url, url_problem
    from bot.storage.transfer import TransferError, transfer

    url = to or settings.database_url
    if not url or not is_postgres_url(url):  # never echoed: it may hold a password
        given = "--to is not a PostgreSQL address" if url else "no database to copy into"
        return _fail(
            f"migrate-db: {given}; give --to postgresql://USER:PASSWORD@HOST:5432/DATABASE or set BRIEFBOT_DATABASE_URL"
        )
    if problem := url_problem(url):
        return _fail(f"migrate-db: the PostgreSQL address is not usable: {problem}")
    password = urlsplit(url).password or ""
    setup_logging("WARNING", secrets=[*settings.secrets(), password, unquote(password)])
    shown: dict[str, float] = {}

    def progress(table: str, done: int, total: int) -> None:  # for a big table, a line every 2 s and at its end
        now = time.monotonic()
        if total >= PROGRESS_ROWS and (done == total or now - shown.get(table, -2.0) >= 2.0):
            shown[table] = now
            print(f"  {table}: {done:,} of {total:,} rows", file=sys.stderr, flush=True)

    try:
        report = asyncio.run(transfer(source or settings.db_path, url, progress=progress))
    except TransferError as exc:
        if exc.report is not None and exc.report.tables:
            print("\n".join(exc.report.table()))
        print(f"briefbot: error: {exc}", file=sys.stderr)
        return exc.status
    print("\n".join(report.summary()))
    return 0


async def _open_library(settings: Settings) -> tuple[Library, Any]:
    from bot.storage.db import connect

    db = await connect(settings.database)
    library = Library(db, settings.articles_dir)
    await library.sync()
    return library, db


async def _articles(settings: Settings, out: IO[str] | None = None) -> int:
    out = out or sys.stdout
    library, db = await _open_library(settings)
    try:
        rows = library.articles
        if not rows:
            print(f"No articles in {settings.articles_dir}/ (.txt, .md and .json files are read).", file=out)
            return 0
        # Every slug in full: whatever is printed to name an article, `briefbot brief` takes back.
        slug_w = max(len(r.slug) for r in rows)
        print(f"{'ID':16}  {'SLUG':{slug_w}}  {'WORDS':>6}  {'AUTHOR':24}  TITLE", file=out)
        for r in rows:
            author = (r.author or "-")[:24]
            print(f"{r.id:16}  {r.slug:{slug_w}}  {r.words:>6}  {author:24}  {r.title}", file=out)
        print(f"{len(rows)} article{'s' if len(rows) != 1 else ''} in {settings.articles_dir}/", file=out)
    finally:
        await db.close()
    return 0


async def _feeds(
    settings: Settings, action: str, url: str | None, interval: float | None, out: IO[str] | None = None
) -> int:
    """`briefbot feeds add|list|remove`: change the feeds in the database; the running bot picks
    the change up at its next check (within FEED_CHECK_SECONDS)."""
    from bot.core.wording import FEED_IN_CONFIG, feed_added, feed_lines, feed_removed, plural
    from bot.sources.urls import check_url
    from bot.storage.db import connect
    from bot.storage.feeds import FeedRepository

    out = out or sys.stdout
    if url is not None and action == "add":
        try:
            url = check_url(url, allow_private=settings.feeds_allow_private)
        except ValueError as exc:
            return _fail(f"{url!r}: {exc}")
    elif url is not None:  # a feed refused today may have been added before: it can always be removed
        url = url.strip()
    db = await connect(settings.database)
    try:
        repo = FeedRepository(db)
        await repo.sync_config(settings.feeds, settings.feed_interval)
        if action == "add":
            assert url is not None
            previous = await repo.get(url)
            feed, new = await repo.add(url, interval or (previous.interval if previous else settings.feed_interval))
            print(feed_added(feed, new=new, previous=previous), file=out)
            return 0
        if action == "remove":
            assert url is not None
            if not await repo.remove(url):
                return _fail(f"no feed {url!r}; `briefbot feeds list` shows them")
            print(feed_removed(url), file=out)
            if url in settings.feeds:
                print(FEED_IN_CONFIG, file=out)
            return 0
        feeds = await repo.all()
        if not feeds:
            print("No feeds. Add one with `briefbot feeds add URL` or BRIEFBOT_FEEDS.", file=out)
            return 0
        for feed in feeds:
            head, *details = feed_lines(feed)
            print(head, file=out)
            for line in details:
                print(f"  {line}", file=out)
        print(plural(len(feeds), "feed"), file=out)
    finally:
        await db.close()
    return 0


async def _brief(settings: Settings, ref: str, as_json: bool, sentences: int) -> int:
    """An article of the library, by slug, id, title or a fragment of it."""
    library, db = await _open_library(settings)
    try:
        row = library.catalogue.resolve(ref)
        if row is None:
            raise LookupError(not_found_terminal(ref, [r.slug for r in library.catalogue.closest(ref)]))
        brief = await library.reading.brief(row, sentences)
    finally:
        await db.close()
    _print_brief(brief, as_json)
    return 0


def _brief_file(settings: Settings, path: Path, as_json: bool, sentences: int) -> int:
    """An article file, briefed on its own: no library, no database. A file named through the
    articles folder is opened as the library opens it (no link below the folder followed)."""
    folder = settings.articles_dir
    inner = _inside(path, folder) if folder.is_dir() else None
    if inner is not None:
        article, analysis = analyse_file(inner, folder)
    else:
        article, analysis = analyse_file(path)
    _print_brief(make_brief(article, analysis, sentences), as_json)
    return 0


def _print_brief(brief: Brief, as_json: bool) -> None:
    if as_json:
        print(json.dumps(brief.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render_text(brief))


def _demo_source(env: Environment) -> Path:
    """The folder the demo copies: BRIEFBOT_ARTICLES_DIR when set, else the shipped seeds."""
    if env.values.get("BRIEFBOT_ARTICLES_DIR", "").strip():
        return check_articles_dir(env)
    if not SHIPPED_SEEDS.is_dir():
        raise ConfigError(
            f"the shipped articles are not beside the package ({SHIPPED_SEEDS} is missing); "
            "set BRIEFBOT_ARTICLES_DIR to a folder of articles"
        )
    return SHIPPED_SEEDS


def _demo(source: Path, commands: Sequence[str]) -> int:
    from bot.demo.commands import CommandError  # imports discord.py only when needed
    from bot.demo.tour import run_demo

    try:
        asyncio.run(run_demo(source, commands))
    except CommandError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        print("briefbot: demo stopped", file=sys.stderr)
        return 130
    return 0


def _inside(path: Path, folder: Path) -> Path | None:
    """``path`` relative to ``folder`` when it is named through the folder (``seeds/sub/a.txt``,
    compared as written, links not resolved), else None."""
    rel = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(folder)))
    return None if rel.parts[:1] in ((), ("..",), (".",)) else rel


def _analyse(input_path: Path, output: Path | None, sentences: int) -> int:
    """Each input line {id, text, title?} or {id, html, url?} becomes the brief JSON with the
    input's id and ``body``, the article text as the bot read it (paragraphs split by a blank line)."""
    failures = 0
    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        with input_path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    article = parse_article(_raw_from_record(record))
                    brief = make_brief(article, analyse(article), sentences)
                except (ValueError, ArticleFileError) as exc:
                    failures += 1
                    print(f"briefbot: line {number} skipped: {exc}", file=sys.stderr)
                    continue
                out = brief.to_json()
                out["id"] = record.get("id", out["id"])
                out["body"] = article.body
                sink.write(json.dumps(out, ensure_ascii=False) + "\n")
    finally:
        if output:
            sink.close()
    return 1 if failures else 0


def _raw_from_record(record: Any) -> RawArticle:
    """One input line as the bot reads it: ``text`` (plain text, an optional ``title``) or ``html``
    (a page, with its optional ``url``), the page read as a saved page is."""
    if isinstance(record, dict) and isinstance(record.get("html"), str) and not isinstance(record.get("text"), str):
        url = record.get("url")
        if url is not None and not isinstance(url, str):
            raise ValueError("'url' must be a string")
        from bot.sources.pages import raw_from_html  # loads trafilatura only when a page comes

        return raw_from_html(record["html"], url or None)
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise ValueError("each line needs a JSON object with a 'text' or 'html' string")
    title = record.get("title")
    return RawArticle(
        text=normalise(record["text"]),
        title=normalise(title).strip() if isinstance(title, str) else None,
    )


def render_text(brief: Brief, width: int = 88) -> str:
    """A brief for a terminal."""
    a = brief.article
    wrap = textwrap.TextWrapper(width=width)
    bullet = textwrap.TextWrapper(width=width, initial_indent="  • ", subsequent_indent="    ")
    lines = [a.title]
    if a.standfirst:
        lines += wrap.wrap(a.standfirst)
    by = byline(a.authors, a.publication)
    meta = [by] if by else []
    meta.append(f"{brief.words:,} words, {brief.reading_minutes} min read")
    lines.append(" · ".join(meta))
    if a.preview_only:
        lines.append("Preview only: the article is cut short by a paywall.")
    lines.append("")
    lines.append(f"Summary ({len(brief.summary)} of {brief.total_sentences} sentences)")
    for s in brief.summary:
        lines += bullet.wrap(s)
    if brief.key_quotes:
        lines += ["", "Key quotes"]
        for q in brief.key_quotes:
            lines += bullet.wrap(f"“{q.text}” — {speaker_line(q)}")
    about = about_author(a.author, named=True) if a.author else None
    if about:
        lines += ["", "About the author"]
        lines += wrap.wrap(about)
    if brief.keywords:
        lines += ["", "Keywords: " + ", ".join(brief.keywords)]
    if brief.related:
        lines += ["Related: " + "; ".join(brief.related)]
    return "\n".join(lines)
