from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SEED_000


def run_cli(*args: str, cwd, env_extra: dict[str, str] | None = None, stdin: str | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "DISCORD_"))}
    env["PYTHONPATH"] = str(ROOT)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60, input=stdin
    )


@pytest.fixture
def workdir(tmp_path, articles_dir):
    (tmp_path / "seeds").symlink_to(articles_dir)
    return tmp_path


def test_no_token_is_one_line_and_status_2(workdir):
    result = run_cli(cwd=workdir)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DISCORD_TOKEN is not set" in lines[0] and "Traceback" not in result.stderr


def test_bad_setting_is_one_line_and_status_2(workdir):
    result = run_cli("articles", cwd=workdir, env_extra={"BRIEFBOT_POLL_SECONDS": "often"})
    assert result.returncode == 2
    assert result.stderr.strip() == "briefbot: error: BRIEFBOT_POLL_SECONDS: 'often' is not a number of seconds"


def test_a_database_address_with_an_unencoded_password_is_one_line_without_it(workdir):
    """A password holding a / turns its tail into the "port": asyncpg's parser raised with it in the
    message. Refused at start-up instead, in one line that names neither."""
    result = run_cli("articles", cwd=workdir, env_extra={"BRIEFBOT_DATABASE_URL": "postgresql://bot:pa/ss-x9@db/x"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "pa" not in result.stderr.replace("password", "") and "ss-x9" not in result.stderr
    assert result.stderr.startswith("briefbot: error: BRIEFBOT_DATABASE_URL: the port is not a number")


def test_articles_lists_the_library(workdir):
    result = run_cli("articles", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert "warning-is-china-pivoting-back-to-north-korea" in result.stdout
    assert "Joel Wuthnow" in result.stdout
    assert "2 articles" in result.stdout
    assert (workdir / "data" / "briefbot.sqlite3").exists()


def test_brief_json_of_seed(workdir):
    result = run_cli("brief", str(SEED_000), "--json", cwd=workdir)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["author"]["name"] == "Joel Wuthnow"
    assert any(q["text"] == "no connection" and q["speaker"] == "Daniel Russel" for q in out["quotes"])
    assert len(out["summary"]) == 3


def test_brief_by_slug_text_output(workdir):
    result = run_cli(
        "brief", "north-koreas-defiance-may-reshape-chinas-strategic-calculus", "--sentences", "2", cwd=workdir
    )
    assert result.returncode == 0, result.stderr
    assert "Preview only" in result.stdout
    assert "World Politics Review" in result.stdout
    assert "Summary (2 of" in result.stdout


def test_brief_unknown_ref(workdir):
    result = run_cli("brief", "pivotting china", cwd=workdir)
    assert result.returncode == 2
    assert result.stderr.startswith("briefbot: error: no article matches 'pivotting china'")


def test_analyse_batch(workdir, tmp_path):
    source = tmp_path / "in.jsonl"
    body = SEED_000.read_text(encoding="utf-8").split("\n", 1)[1]
    source.write_text(
        json.dumps({"id": "a1", "text": body, "title": "Warning: Is China Pivoting Back to North Korea?"})
        + "\n"
        + json.dumps({"id": "a2", "text": "No title here. The whole text is the body of the article."})
        + "\n"
        + "not json\n"
    )
    out = tmp_path / "out.jsonl"
    result = run_cli("analyse", str(source), "-o", str(out), "--sentences", "2", cwd=workdir)
    assert result.returncode == 1  # one bad line
    assert "line 3 skipped" in result.stderr
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["id"] for x in lines] == ["a1", "a2"]
    assert lines[0]["author"]["name"] == "Joel Wuthnow"
    assert lines[0]["standfirst"] == "The West needs Beijing's help in coercing Pyongyang."
    # "No title here." fails the six-word test the other sentence passes: not fit to show beside it
    assert lines[1]["summary"] == ["The whole text is the body of the article."]
    assert lines[1]["standfirst"] is None


@pytest.fixture
def feeds_cli(workdir, monkeypatch, capsys):
    """`briefbot feeds ...` in this process (quicker than a subprocess): returns (status, stdout, stderr)."""
    from bot.cli import main

    monkeypatch.chdir(workdir)
    for key in [k for k in os.environ if k.startswith(("BRIEFBOT_", "DISCORD_"))]:
        monkeypatch.delenv(key)

    def feeds(*args: str, env: dict[str, str] | None = None):
        with monkeypatch.context() as m:
            for key, value in (env or {}).items():
                m.setenv(key, value)
            status = main(["feeds", *args])
        out = capsys.readouterr()
        return status, out.out, out.err

    return feeds


def test_feeds_add_list_remove(workdir, feeds_cli):
    url = "https://news.example/feed.xml"
    result = run_cli("feeds", "add", url, "--interval", "600", cwd=workdir)  # once through the real entry point
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Added {url}, polled every 10 min.\n"
    result = run_cli("feeds", "list", cwd=workdir)
    assert result.stdout == f"{url}\n  every 10 min, 0 items, not polled yet\n1 feed\n"
    assert feeds_cli("remove", url) == (0, f"Removed {url} (its articles stay in the library).\n", "")
    assert feeds_cli("list")[1].startswith("No feeds.")


def test_feeds_refuses_bad_input(feeds_cli, capsys):
    assert feeds_cli("list")[1].startswith("No feeds.")
    assert feeds_cli("remove", "https://news.example/feed")[0] == 2
    status, _, err = feeds_cli("add", "ftp://news.example/feed")
    assert status == 2
    assert (
        err.strip()
        == "briefbot: error: 'ftp://news.example/feed': only http and https addresses are fetched, not 'ftp'"
    )
    with pytest.raises(SystemExit) as exc:
        feeds_cli("add", "https://news.example/feed", "--interval", "5")
    assert exc.value.code == 2 and "5 s is out of range (60 to 604800 seconds)" in capsys.readouterr().err
    status, _, err = feeds_cli("list", env={"BRIEFBOT_FEEDS": "https://ok.example/a, nope"})
    assert status == 2 and "BRIEFBOT_FEEDS: 'nope'" in err


def test_feeds_list_shows_configured_and_disabled_feeds(workdir, feeds_cli):
    import sqlite3

    configured = "https://config.example/rss"
    feeds_cli("add", "https://down.example/rss")
    with sqlite3.connect(workdir / "data" / "briefbot.sqlite3") as conn:
        conn.execute(
            "UPDATE feeds SET failures = 5, last_error = 'HTTP 500 Internal Server Error', "
            "disabled_at = '2026-11-22T10:00:00+00:00', "
            "disabled_reason = '5 failures in a row; the last: HTTP 500 Internal Server Error'"
        )
    status, out, _ = feeds_cli("list", env={"BRIEFBOT_FEEDS": configured})
    assert status == 0
    assert out.splitlines() == [
        "https://down.example/rss",
        "  every 15 min, 0 items, DISABLED since 2026-11-22 10:00: 5 failures in a row; the last: HTTP 500 Internal Server Error",
        f"{configured} (BRIEFBOT_FEEDS)",
        "  every 15 min, 0 items, not polled yet",
        "2 feeds",
    ]
    status, out, _ = feeds_cli("add", "https://down.example/rss")
    assert out == "Enabled https://down.example/rss again, polled every 15 min.\n"
    # Taken out of BRIEFBOT_FEEDS, a configured feed goes; the operator's stays.
    assert feeds_cli("list")[1].splitlines()[-1] == "1 feed"


PAGE = """<!doctype html><html lang="en"><head><title>Harbour ferry returns after five years</title>
<meta name="author" content="Ann Lee"><link rel="canonical" href="https://news.example.org/ferry"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article>
<h1>Harbour ferry returns after five years</h1>
<p>The harbour ferry sailed again on Monday morning, five years after the council cut the service to save money.</p>
<p>About two hundred people queued at the pier before dawn, and the first crossing was full within minutes.</p>
<p>The council says the boat will run every half hour until the end of the summer, and longer if the numbers hold.</p>
</article><footer>Copyright The Gazette</footer></body></html>"""


def test_analyse_reads_html_lines_and_gives_the_body(workdir, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": "p1", "html": PAGE, "url": "https://news.example.org/ferry?ref=rss"})
        + "\n"
        + json.dumps({"id": "t1", "text": "First paragraph here.\n\nSecond paragraph here."})
        + "\n"
        + json.dumps({"id": "bad", "html": 42})
        + "\n"
    )
    out = tmp_path / "out.jsonl"
    result = run_cli("analyse", str(source), "-o", str(out), cwd=workdir)
    assert result.returncode == 1
    assert "line 3 skipped: each line needs a JSON object with a 'text' or 'html' string" in result.stderr
    page, text = [json.loads(x) for x in out.read_text().splitlines()]
    assert page["id"] == "p1"
    assert page["title"] == "Harbour ferry returns after five years"
    assert page["body"].split("\n\n")[0].startswith("The harbour ferry sailed again on Monday morning")
    assert len(page["body"].split("\n\n")) == 3
    assert "Home" not in page["body"] and "Copyright" not in page["body"]
    assert page["author"]["name"] == "Ann Lee"
    assert page["authors"] == [{"name": "Ann Lee", "role": None, "bio": None}]
    assert text["body"] == "First paragraph here.\n\nSecond paragraph here."
    assert text["authors"] == []


def test_brief_json_carries_the_author_list(workdir):
    result = run_cli("brief", str(SEED_000), "--json", cwd=workdir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["authors"] and data["authors"][0] == data["author"]


JA_PAGE = """<html lang="ja"><head><title>駅前の図書館が再開</title></head><body><article>
<h1>駅前の図書館が再開</h1><p>駅前の図書館が月曜日に再開した。図書館は一年かけて改修された。</p>
<p>館長は新しい閲覧室を紹介した。</p></article></body></html>"""


def test_analyse_a_short_japanese_page(workdir, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "ja", "html": JA_PAGE}) + "\n")
    result = run_cli("analyse", str(source), cwd=workdir)
    assert result.returncode == 0, result.stderr  # once refused: "no article text found in the page"
    out = json.loads(result.stdout)
    sentences = ["駅前の図書館が月曜日に再開した。", "図書館は一年かけて改修された。", "館長は新しい閲覧室を紹介した。"]
    assert out["body"] == sentences[0] + sentences[1] + "\n\n" + sentences[2]
    assert out["summary"] == sentences
    assert out["words"] == sum(len(s) - 1 for s in sentences)  # each character a word, 。 not
    assert out["reading_minutes"] == 1
    assert "図書館" in out["keywords"] and all(len(k) <= 4 for k in out["keywords"])


# --- the terminal from anywhere ---------------------------------------------------------------


@pytest.fixture
def elsewhere(tmp_path):
    """An empty folder with no seeds/, no .env and no data/: where a newcomer might be."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def test_brief_of_a_file_needs_no_library_and_writes_nothing(elsewhere):
    result = run_cli("brief", str(SEED_000), cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Warning: Is China Pivoting Back to North Korea?\n")
    assert "“no connection” — Daniel Russel" in result.stdout
    assert list(elsewhere.iterdir()) == []  # no data/briefbot.sqlite3 left behind


def test_brief_of_a_file_ignores_an_articles_folder_that_is_missing(elsewhere):
    result = run_cli("brief", str(SEED_000), "--json", cwd=elsewhere, env_extra={"BRIEFBOT_ARTICLES_DIR": "gone"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["author"]["name"] == "Joel Wuthnow"
    assert list(elsewhere.iterdir()) == []


def test_analyse_needs_no_library_and_writes_nothing(elsewhere, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "t1", "text": "First paragraph here.\n\nSecond paragraph here."}) + "\n")
    result = run_cli("analyse", str(source), cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "t1"
    assert list(elsewhere.iterdir()) == []


def test_the_library_commands_say_where_they_looked(elsewhere):
    result = run_cli("articles", cwd=elsewhere)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"briefbot: error: BRIEFBOT_ARTICLES_DIR is not set and there is no seeds/ folder, the default, in the "
        f"current folder ({elsewhere}); set it to your folder of articles (relative paths are taken from the "
        f"folder of the .env file they were read from, else from the current folder), or try `briefbot demo`"
    ]
    result = run_cli("brief", "china", cwd=elsewhere, env_extra={"BRIEFBOT_ARTICLES_DIR": "news"})
    assert result.stderr.splitlines() == [
        f"briefbot: error: BRIEFBOT_ARTICLES_DIR: folder 'news' does not exist (relative to the current folder, {elsewhere})"
    ]
    assert list(elsewhere.iterdir()) == []


def test_relative_paths_in_an_env_file_are_taken_from_its_folder(tmp_path, elsewhere):
    conf = tmp_path / "conf"
    (conf / "articles").mkdir(parents=True)
    (conf / "articles" / SEED_000.name).write_bytes(SEED_000.read_bytes())
    (conf / ".env").write_text("BRIEFBOT_ARTICLES_DIR=articles\nBRIEFBOT_DB=state/bot.sqlite3\n")
    result = run_cli("--env-file", "../conf/.env", "articles", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert "1 article in ../conf/articles/" in result.stdout
    assert (conf / "state" / "bot.sqlite3").is_file()
    assert list(elsewhere.iterdir()) == []
    # The same value from the real environment is taken from the current folder, and said so.
    result = run_cli(
        "--env-file", "../conf/.env", "articles", cwd=elsewhere, env_extra={"BRIEFBOT_ARTICLES_DIR": "articles"}
    )
    assert result.returncode == 2
    assert "folder 'articles' does not exist (relative to the current folder" in result.stderr
    # A relative path in the file that leads nowhere names the file.
    (conf / ".env").write_text("BRIEFBOT_ARTICLES_DIR=missing\n")
    result = run_cli("--env-file", str(conf / ".env"), "articles", cwd=elsewhere)
    assert result.stderr.strip() == (
        f"briefbot: error: BRIEFBOT_ARTICLES_DIR: folder 'missing' does not exist "
        f"(relative paths in {conf / '.env'} are taken from its folder, {conf})"
    )
    result = run_cli("--env-file", "no-such.env", "articles", cwd=elsewhere)
    assert result.returncode == 2
    assert result.stderr.strip() == "briefbot: error: --env-file: 'no-such.env' is not a file"


def test_version_and_help(elsewhere):
    import bot

    result = run_cli("--version", cwd=elsewhere)
    assert result.returncode == 0
    assert result.stdout == f"briefbot {bot.__version__}\n"
    from importlib.metadata import version

    assert version("briefbot") == bot.__version__  # pyproject reads it from bot.__version__
    help_text = " ".join(run_cli("--help", cwd=elsewhere).stdout.split())
    assert "relative paths are taken from the folder of the .env file they were read from" in help_text
    assert "database ./data/briefbot.sqlite3" in help_text
    assert "demo" in help_text and "--env-file" in help_text


# --- slugs that round-trip -------------------------------------------------------------------

LONG_TITLE = "The Extraordinarily Long and Winding Story of Municipal Budget Negotiations in Three Neighbouring Cities"


def test_every_identifier_articles_prints_briefs_that_article(workdir, monkeypatch, capsys):
    """Whatever `briefbot articles` prints to name an article (its id, its slug: full, however
    long, with the suffix a taken slug gets), `briefbot brief` takes back, to that very article."""
    from bot.cli import main

    seeds = workdir / "seeds"
    for n in (1, 2):  # the same long title twice: the second slug gets the id's first digits
        (seeds / f"long-{n}.txt").write_text(
            f"{LONG_TITLE}\n\nBy Ann Lee\n\nThe council met for the {n}th time on Monday. It agreed on nothing.\n",
            encoding="utf-8",
        )
    monkeypatch.chdir(workdir)
    for key in [k for k in os.environ if k.startswith(("BRIEFBOT_", "DISCORD_"))]:
        monkeypatch.delenv(key)
    assert main(["articles"]) == 0
    listing = capsys.readouterr().out.splitlines()
    rows = [line.split()[:2] for line in listing[1:-1]]
    assert len(rows) == 4
    slugs = [slug for _, slug in rows]
    assert max(len(s) for s in slugs) > 60  # a long slug with its suffix, printed whole
    for ident, slug in rows:
        for ref in (ident, slug):
            assert main(["brief", ref, "--json"]) == 0, ref
            assert json.loads(capsys.readouterr().out)["id"] == ident, ref


# `briefbot migrate-db`: the SQLite library copied into PostgreSQL (bot.storage.transfer has the details).

PASSWORD = "s3cret-Pass_word"


def with_password(url: str) -> str:
    return url.replace("://briefbot@", f"://briefbot:{PASSWORD}@", 1)


@pytest.fixture
async def migration(tmp_path, articles_dir, postgres_server):
    """(source SQLite file, an empty PostgreSQL database's address with a password in it)."""
    import sqlite3

    from tests.bot.storage.test_transfer import make_source_library

    source = tmp_path / "library.sqlite3"
    await make_source_library(source, articles_dir)
    with sqlite3.connect(source) as conn:  # a big table: its progress is shown
        conn.executemany(
            "INSERT INTO requests (user_id, guild_id, channel_id, article_id, command, created_at) "
            "VALUES (?, 1, 2, 'x', 'brief', '2026-11-28T00:00:00+00:00')",
            [(n,) for n in range(10_500)],
        )
    async with postgres_server.database(template="template0") as url:  # as createdb leaves it
        yield source, with_password(url)


async def test_migrate_db_copies_and_prints_the_counts(migration, tmp_path):
    import asyncpg

    source, url = migration
    result = await asyncio.to_thread(run_cli, "migrate-db", "--from", str(source), "--to", url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"Copied {source} into postgresql://briefbot:***@127.0.0.1:")
    assert lines[1].split() == ["table", "SQLite", "PostgreSQL"]
    assert "requests 10,503 10,503" in [" ".join(line.split()) for line in lines]
    assert "articles 2 2" in [" ".join(line.split()) for line in lines]
    assert "the FTS5 indexes quotes_fts, passages_fts, quote_pairs, passage_pairs" in result.stdout
    assert lines[-1].startswith("Every table's row count matches.")
    assert "requests: 10,503 of 10,503 rows" in result.stderr  # progress of a big table, on stderr
    assert "articles:" not in result.stderr  # small tables are quiet
    assert PASSWORD not in result.stdout + result.stderr
    conn = await asyncpg.connect(url)
    try:
        assert await conn.fetchval("SELECT COUNT(*) FROM requests") == 10_503
    finally:
        await conn.close()

    again = await asyncio.to_thread(run_cli, "migrate-db", "--from", str(source), "--to", url, cwd=tmp_path)
    assert again.returncode == 2 and again.stdout == ""
    assert "is not empty (rows in " in again.stderr and "Traceback" not in again.stderr
    assert PASSWORD not in again.stdout + again.stderr


async def test_migrate_db_rolls_back_a_failure_and_says_why(migration, tmp_path):
    import sqlite3

    import asyncpg

    source, url = migration
    with sqlite3.connect(source) as conn:
        conn.execute("UPDATE links SET article_id = 'a' || char(0)")
    # The address from BRIEFBOT_DATABASE_URL, the SQLite file from BRIEFBOT_DB.
    env = {"BRIEFBOT_DATABASE_URL": url, "BRIEFBOT_DB": str(source)}
    result = await asyncio.to_thread(run_cli, "migrate-db", cwd=tmp_path, env_extra=env)
    assert result.returncode == 1
    [error] = [line for line in result.stderr.splitlines() if line.startswith("briefbot: error:")]
    assert "links (link='https://example.org/b')" in error and "NUL character" in error
    assert "Traceback" not in result.stderr and PASSWORD not in result.stdout + result.stderr
    conn = await asyncpg.connect(url)
    try:
        assert await conn.fetchval("SELECT COUNT(*) FROM articles") == 0
        assert await conn.fetchval("SELECT COUNT(*) FROM requests") == 0
    finally:
        await conn.close()


def test_migrate_db_refuses_what_is_no_postgresql_address(tmp_path):
    import sqlite3

    for args in (("--to", "mysql://me:pw-not-shown@db/x"), ()):
        result = run_cli("migrate-db", *args, cwd=tmp_path)
        assert result.returncode == 2 and "pw-not-shown" not in result.stderr
        assert "give --to postgresql://USER:PASSWORD@HOST:5432/DATABASE" in result.stderr
    missing = run_cli(
        "migrate-db", "--from", "nowhere.sqlite3", "--to", "postgresql://me:pw@127.0.0.1:1/x", cwd=tmp_path
    )
    assert missing.returncode == 2
    assert missing.stderr.strip() == "briefbot: error: there is no SQLite database at nowhere.sqlite3"
    assert not (tmp_path / "nowhere.sqlite3").exists() and not (tmp_path / "data").exists()
    sqlite3.connect(tmp_path / "empty.sqlite3").close()
    unreachable = run_cli(
        "migrate-db", "--from", "empty.sqlite3", "--to", f"postgresql://me:{PASSWORD}@127.0.0.1:1/x", cwd=tmp_path
    )
    assert unreachable.returncode == 2 and "cannot connect" in unreachable.stderr
    assert PASSWORD not in unreachable.stderr and "postgresql://me:***@127.0.0.1:1/x" in unreachable.stderr
    for url in (f"postgresql://me:{PASSWORD}@db:port/x", f"postgresql://me:{PASSWORD}@db:5432/x?sslmode=bogus"):
        bad = run_cli("migrate-db", "--from", "empty.sqlite3", "--to", url, cwd=tmp_path)
        assert bad.returncode == 2 and PASSWORD not in bad.stderr and "Traceback" not in bad.stderr
