from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DEFAULT_DB, ConfigError, load_environment, load_settings


def test_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seeds").mkdir()
    s = load_settings({})
    assert s.articles_dir == Path("seeds")
    assert s.db_path == DEFAULT_DB
    assert s.poll_seconds == 60
    assert s.dev_guild is None
    assert s.log_level == "INFO"
    assert s.token is None
    assert s.database_url is None and s.database == DEFAULT_DB  # SQLite unless BRIEFBOT_DATABASE_URL is set


def test_all_values(tmp_path):
    env = {
        "DISCORD_TOKEN": "abc.def.ghi",
        "BRIEFBOT_ARTICLES_DIR": str(tmp_path),
        "BRIEFBOT_DB": str(tmp_path / "x.db"),
        "BRIEFBOT_POLL_SECONDS": "5",
        "BRIEFBOT_DEV_GUILD": "123456789012345678",
        "BRIEFBOT_LOG_LEVEL": "debug",
    }
    s = load_settings(env)
    assert (s.poll_seconds, s.dev_guild, s.log_level, s.require_token()) == (
        5,
        123456789012345678,
        "DEBUG",
        "abc.def.ghi",
    )
    assert "abc.def.ghi" not in repr(s)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("BRIEFBOT_POLL_SECONDS", "soon", "BRIEFBOT_POLL_SECONDS: 'soon' is not a number"),
        ("BRIEFBOT_POLL_SECONDS", "0", "BRIEFBOT_POLL_SECONDS: 0 is out of range"),
        ("BRIEFBOT_ARTICLES_DIR", "/no/such/folder", "BRIEFBOT_ARTICLES_DIR: folder '/no/such/folder' does not exist"),
        ("BRIEFBOT_DEV_GUILD", "my-server", "BRIEFBOT_DEV_GUILD: 'my-server' is not a Discord server id"),
        ("BRIEFBOT_LOG_LEVEL", "LOUD", "BRIEFBOT_LOG_LEVEL: 'LOUD' is not one of"),
    ],
)
def test_bad_values_name_the_variable(tmp_path, key, value, message):
    env = {"BRIEFBOT_ARTICLES_DIR": str(tmp_path), key: value}
    with pytest.raises(ConfigError) as exc:
        load_settings(env)
    assert str(exc.value).startswith(message)


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_a_database_url_selects_postgresql_and_its_password_is_never_shown(tmp_path, scheme):
    url = f"{scheme}://briefbot:s3cret-pw@db.example:5432/briefbot"
    s = load_settings({"BRIEFBOT_ARTICLES_DIR": str(tmp_path), "BRIEFBOT_DATABASE_URL": f" {url} "})
    assert s.database == url and s.db_path == DEFAULT_DB
    assert "s3cret-pw" not in repr(s) and s.secrets() == ["s3cret-pw"]


@pytest.mark.parametrize("value", ["mysql://bot:s3cret-pw@db/x", "data/briefbot.sqlite3", "sqlite:///x.db"])
def test_a_database_url_must_name_postgresql(tmp_path, value):
    with pytest.raises(ConfigError, match=r"^BRIEFBOT_DATABASE_URL: give a PostgreSQL address") as exc:
        load_settings({"BRIEFBOT_ARTICLES_DIR": str(tmp_path), "BRIEFBOT_DATABASE_URL": value})
    assert "s3cret-pw" not in str(exc.value)


@pytest.mark.parametrize("value", ["postgresql://bot:s3c/ret-pw@db/x", "postgresql://bot:s3cret-pw@db:pw/x"])
def test_a_database_url_that_cannot_be_parsed_is_refused_without_its_password(tmp_path, value):
    with pytest.raises(ConfigError, match=r"^BRIEFBOT_DATABASE_URL: .*percent-encoded") as exc:
        load_settings({"BRIEFBOT_ARTICLES_DIR": str(tmp_path), "BRIEFBOT_DATABASE_URL": value})
    assert "ret-pw" not in str(exc.value) and "s3c" not in str(exc.value)


def test_missing_token_explains(tmp_path):
    s = load_settings({"BRIEFBOT_ARTICLES_DIR": str(tmp_path)})
    with pytest.raises(ConfigError, match="DISCORD_TOKEN is not set"):
        s.require_token()


def test_env_file_read_and_real_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DISCORD_TOKEN=from-file\nBRIEFBOT_POLL_SECONDS=30\n")
    values = load_environment(env_file, environ={"BRIEFBOT_POLL_SECONDS": "15"})
    assert values["DISCORD_TOKEN"] == "from-file"
    assert values["BRIEFBOT_POLL_SECONDS"] == "15"


def test_missing_env_file_is_fine(tmp_path):
    assert load_environment(tmp_path / ".env", environ={}) == {}


def test_feed_settings(tmp_path):
    s = load_settings(
        {
            "BRIEFBOT_ARTICLES_DIR": str(tmp_path),
            "BRIEFBOT_FEEDS": " https://a.example/feed.xml ,, http://b.example/rss,https://a.example/feed.xml",
            "BRIEFBOT_FEED_INTERVAL": "300",
            "BRIEFBOT_FEEDS_ALLOW_PRIVATE": "1",
        }
    )
    assert s.feeds == ("https://a.example/feed.xml", "http://b.example/rss")
    assert s.feed_interval == 300 and s.feeds_allow_private is True
    default = load_settings({"BRIEFBOT_ARTICLES_DIR": str(tmp_path)})
    assert default.feeds == () and default.feed_interval == 900 and default.feeds_allow_private is False
    assert s.links_allow_private is False and default.links_allow_private is False  # a switch of its own
    links = load_settings({"BRIEFBOT_ARTICLES_DIR": str(tmp_path), "BRIEFBOT_LINKS_ALLOW_PRIVATE": "yes"})
    assert links.links_allow_private is True and links.feeds_allow_private is False


def test_links_keep_days(tmp_path):
    assert load_settings({"BRIEFBOT_ARTICLES_DIR": str(tmp_path)}).links_keep_days == 30
    kept = load_settings({"BRIEFBOT_ARTICLES_DIR": str(tmp_path), "BRIEFBOT_LINKS_KEEP_DAYS": " 7.5 "})
    assert kept.links_keep_days == 7.5


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"BRIEFBOT_FEEDS": "file:///etc/passwd"},
            "BRIEFBOT_FEEDS: 'file:///etc/passwd': only http and https addresses are fetched, not 'file'",
        ),
        ({"BRIEFBOT_FEED_INTERVAL": "often"}, "BRIEFBOT_FEED_INTERVAL: 'often' is not a number of seconds"),
        ({"BRIEFBOT_FEED_INTERVAL": "10"}, "BRIEFBOT_FEED_INTERVAL: 10 s is out of range (60 to 604800 seconds)"),
        ({"BRIEFBOT_FEEDS_ALLOW_PRIVATE": "sometimes"}, "BRIEFBOT_FEEDS_ALLOW_PRIVATE: 'sometimes' is not 1 or 0"),
        ({"BRIEFBOT_LINKS_ALLOW_PRIVATE": "maybe"}, "BRIEFBOT_LINKS_ALLOW_PRIVATE: 'maybe' is not 1 or 0"),
        ({"BRIEFBOT_LINKS_KEEP_DAYS": "a month"}, "BRIEFBOT_LINKS_KEEP_DAYS: 'a month' is not a number of days"),
        ({"BRIEFBOT_LINKS_KEEP_DAYS": "0"}, "BRIEFBOT_LINKS_KEEP_DAYS: 0 is out of range (1 to 3650 days)"),
        ({"BRIEFBOT_LINKS_KEEP_DAYS": "nan"}, "BRIEFBOT_LINKS_KEEP_DAYS: nan is out of range (1 to 3650 days)"),
    ],
)
def test_bad_feed_settings(tmp_path, env, message):
    with pytest.raises(ConfigError) as exc:
        load_settings({"BRIEFBOT_ARTICLES_DIR": str(tmp_path), **env})
    assert str(exc.value) == message


def test_relative_paths_from_an_env_file_are_taken_from_its_folder(tmp_path):
    from bot.config import read_environment

    conf = tmp_path / "conf"
    (conf / "news").mkdir(parents=True)
    (conf / ".env").write_text("BRIEFBOT_ARTICLES_DIR=news\nBRIEFBOT_DB=db/bot.sqlite3\nBRIEFBOT_POLL_SECONDS=5\n")
    env = read_environment(conf / ".env", environ={})
    assert env.file == conf / ".env" and env.from_file == {
        "BRIEFBOT_ARTICLES_DIR",
        "BRIEFBOT_DB",
        "BRIEFBOT_POLL_SECONDS",
    }
    s = load_settings(env)
    assert s.articles_dir == conf / "news" and s.db_path == conf / "db" / "bot.sqlite3"
    # a value of the real environment wins, and a relative one is the current folder's
    env = read_environment(conf / ".env", environ={"BRIEFBOT_DB": "here.sqlite3"})
    assert load_settings(env).db_path == Path("here.sqlite3")
    # absolute paths stay as they are
    env = read_environment(conf / ".env", environ={"BRIEFBOT_ARTICLES_DIR": str(conf / "news")})
    assert load_settings(env).articles_dir == conf / "news"


def test_the_articles_folder_is_checked_only_when_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match=r"^BRIEFBOT_ARTICLES_DIR is not set and there is no seeds/ folder"):
        load_settings({})
    s = load_settings({}, library=False)
    assert s.articles_dir == Path("seeds") and s.db_path == DEFAULT_DB
    with pytest.raises(ConfigError, match="BRIEFBOT_POLL_SECONDS"):  # the other settings are still checked
        load_settings({"BRIEFBOT_POLL_SECONDS": "often"}, library=False)


def test_the_shipped_seeds_are_found_beside_the_package():
    from bot.config import SHIPPED_SEEDS

    assert sorted(p.name for p in SHIPPED_SEEDS.iterdir()) == ["000_18d7c81359cbff0f.txt", "001_1b1c40b80df8ac56.txt"]


def test_a_database_password_written_escaped_is_hidden_both_as_written_and_decoded(tmp_path):
    url = "postgresql://briefbot:p%40ss%2Fword@db.example/briefbot"
    s = load_settings({"BRIEFBOT_ARTICLES_DIR": str(tmp_path), "BRIEFBOT_DATABASE_URL": url})
    assert s.secrets() == ["p%40ss%2Fword", "p@ss/word"]


def test_without_shard_settings_the_bot_is_not_sharded(tmp_path):
    s = load_settings({"BRIEFBOT_ARTICLES_DIR": str(tmp_path)})
    assert (s.shard_count, s.shard_ids, s.sharded) == (None, None, False)


@pytest.mark.parametrize(
    ("count", "ids", "expected"),
    [
        ("2", "", (0, 1)),  # every shard by default
        ("1", "", (0,)),
        ("3", "2", (2,)),
        ("4", " 1, 3 ", (1, 3)),
        ("2", "1,0", (1, 0)),
    ],
)
def test_shard_settings(tmp_path, count, ids, expected):
    env = {"BRIEFBOT_ARTICLES_DIR": str(tmp_path), "BRIEFBOT_SHARD_COUNT": count, "BRIEFBOT_SHARD_IDS": ids}
    s = load_settings(env)
    assert (s.shard_count, s.shard_ids, s.sharded) == (int(count), expected, True)


@pytest.mark.parametrize(
    ("count", "ids", "message"),
    [
        ("", "0", "BRIEFBOT_SHARD_IDS is set without BRIEFBOT_SHARD_COUNT"),
        ("0", "", "BRIEFBOT_SHARD_COUNT: '0' is not a number of shards (1 to 100000)"),
        ("-1", "", "BRIEFBOT_SHARD_COUNT: '-1' is not a number of shards"),
        ("two", "", "BRIEFBOT_SHARD_COUNT: 'two' is not a number of shards"),
        ("²", "", "BRIEFBOT_SHARD_COUNT: '²' is not a number of shards"),
        ("100001", "", "BRIEFBOT_SHARD_COUNT: '100001' is not a number of shards"),
        ("2", "2", "BRIEFBOT_SHARD_IDS: shard 2 is out of range for BRIEFBOT_SHARD_COUNT=2"),
        ("2", "0,5", "BRIEFBOT_SHARD_IDS: shard 5 is out of range"),
        ("2", "0,0", "BRIEFBOT_SHARD_IDS: shard 0 is given twice"),
        ("2", "0;1", "BRIEFBOT_SHARD_IDS: '0;1' is not a shard number"),
        ("2", "-1", "BRIEFBOT_SHARD_IDS: '-1' is not a shard number"),
        ("2", "0,", "BRIEFBOT_SHARD_IDS: '' is not a shard number"),
    ],
)
def test_bad_shard_settings_name_the_variable(tmp_path, count, ids, message):
    env = {"BRIEFBOT_ARTICLES_DIR": str(tmp_path), "BRIEFBOT_SHARD_COUNT": count, "BRIEFBOT_SHARD_IDS": ids}
    with pytest.raises(ConfigError) as exc:
        load_settings(env)
    assert str(exc.value).startswith(message)
