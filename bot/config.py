"""Settings from the environment, or from a `.env` file through python-dotenv (the real environment wins).

Where relative paths lead (BRIEFBOT_ARTICLES_DIR, BRIEFBOT_DB): a value read from a .env file is
taken from that file's folder, any other value (the real environment, the defaults) from the
current folder. The `.env` read is the current folder's, unless `briefbot --env-file PATH` names
another. Defaults: the articles in ./seeds, the database in ./data/briefbot.sqlite3.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dotenv import dotenv_values

from bot.sources.urls import check_url
from bot.storage.database import url_problem

DEFAULT_DB = Path("data") / "briefbot.sqlite3"
DEFAULT_ARTICLES = Path("seeds")
ENV_FILE = Path(".env")
# The articles shipped with the bot, beside the package (for `briefbot demo`), wherever it runs from.
SHIPPED_SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PATHS_HELP = (
    "relative paths are taken from the folder of the .env file they were read from, else from the current folder"
)
TOKEN_HELP = (
    "DISCORD_TOKEN is not set. Create a bot at https://discord.com/developers/applications "
    "(Bot > Reset Token), then put DISCORD_TOKEN=<your token> in .env or the environment."
)


FEED_INTERVAL_MIN = 60.0
FEED_INTERVAL_MAX = 7 * 24 * 3600.0


def check_interval(seconds: float) -> float:
    """A feed's polling interval in seconds, or ValueError saying the allowed range."""
    if not FEED_INTERVAL_MIN <= seconds <= FEED_INTERVAL_MAX:
        raise ValueError(f"{seconds:g} s is out of range ({FEED_INTERVAL_MIN:g} to {FEED_INTERVAL_MAX:g} seconds)")
    return seconds


class ConfigError(Exception):
    """A setting is missing or wrong; the message names the variable and says what is expected."""


@dataclass(frozen=True, slots=True)
class Settings:
    articles_dir: Path = Path("seeds")
    db_path: Path = DEFAULT_DB
    poll_seconds: float = 60.0
    dev_guild: int | None = None
    log_level: str = "INFO"
    feeds: tuple[str, ...] = ()  # BRIEFBOT_FEEDS
    feed_interval: float = 900.0  # seconds between polls of a feed, unless `feeds add --interval` says otherwise
    feeds_allow_private: bool = False  # let feeds and pages be fetched from private and loopback addresses
    # Let the links members ask about (/brief url:, "Brief this article") be fetched from such addresses:
    # a switch of its own, so that a feed on the operator's network does not open it to every member.
    links_allow_private: bool = False
    # Days an article that only members' links brought is kept after it was last asked for.
    links_keep_days: float = 30.0
    token: str | None = field(default=None, repr=False)  # never printed
    # BRIEFBOT_DATABASE_URL: a PostgreSQL server (postgresql://user:password@host/db) instead of the
    # SQLite file at db_path; never printed (it may hold a password).
    database_url: str | None = field(default=None, repr=False)
    # BRIEFBOT_SHARD_COUNT and BRIEFBOT_SHARD_IDS: the gateway shards this process runs (of
    # shard_count in all); both None when unset (one connection, unsharded, as before).
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None

    @property
    def sharded(self) -> bool:
        """Whether the bot connects as gateway shards (BRIEFBOT_SHARD_COUNT is set)."""
        return self.shard_count is not None

    @property
    def database(self) -> str | Path:
        """What bot.storage.db.connect opens: the PostgreSQL address when one is set, else the SQLite file."""
        return self.database_url or self.db_path

    def secrets(self) -> list[str]:
        """Values no log line may show: the token and the database's password."""
        found = [self.token or ""]
        if self.database_url:
            password = urlsplit(self.database_url).password or ""
            found += [password, unquote(password)]  # as written in the address, and decoded
        return list(dict.fromkeys(s for s in found if s))

    def require_token(self) -> str:
        if not self.token:
            raise ConfigError(TOKEN_HELP)
        return self.token

    def check_feed_url(self, url: str) -> str:
        """A feed's address as it is stored, checked as BRIEFBOT_FEEDS's are (a ValueError says
        why it cannot be polled): for `/feeds add`, which has no other way to the fetcher's rules."""
        return check_url(url, allow_private=self.feeds_allow_private)


@dataclass(frozen=True, slots=True)
class Environment:
    """The settings' variables: the real environment over a .env file's values, and which of them
    came from that file (so that a relative path in it is taken from the file's folder)."""

    values: dict[str, str]
    file: Path | None = None  # the .env file read, if there was one
    from_file: frozenset[str] = frozenset()  # variables whose value is the file's

    def path(self, name: str, default: Path) -> tuple[Path, str]:
        """The variable as a path (relative ones resolved as the module's docstring says) and,
        for messages, where a relative one was taken from."""
        raw = self.values.get(name, "").strip()
        given = Path(raw) if raw else default
        if given.is_absolute():
            return given, ""
        if raw and name in self.from_file and self.file is not None:
            folder = self.file.parent
            return folder / given, f"relative paths in {self.file} are taken from its folder, {folder.resolve()}"
        return given, f"relative to the current folder, {Path.cwd()}"


def read_environment(env_file: str | Path = ENV_FILE, environ: Mapping[str, str] | None = None) -> Environment:
    """The process environment over the values in ``env_file`` (which is optional)."""
    path = Path(env_file)
    found = {k: v for k, v in dotenv_values(path).items() if v is not None} if path.is_file() else {}
    real = os.environ if environ is None else environ
    values = {**found, **real}
    return Environment(values, path if path.is_file() else None, frozenset(k for k in found if k not in real))


def load_environment(env_file: str | Path = ENV_FILE, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The process environment over the values in `.env` (which is optional)."""
    return read_environment(env_file, environ).values


def check_articles_dir(env: Mapping[str, str] | Environment) -> Path:
    """The articles folder the settings name, or ConfigError saying why it cannot be used and
    where a relative path was looked for."""
    environment = env if isinstance(env, Environment) else Environment(dict(env))
    folder, where = environment.path("BRIEFBOT_ARTICLES_DIR", DEFAULT_ARTICLES)
    raw = environment.values.get("BRIEFBOT_ARTICLES_DIR", "").strip()
    hint = f" ({where})" if where else ""
    if not raw and not folder.exists():
        raise ConfigError(
            f"BRIEFBOT_ARTICLES_DIR is not set and there is no {DEFAULT_ARTICLES}/ folder, the default, in the "
            f"current folder ({Path.cwd()}); set it to your folder of articles ({PATHS_HELP}), or try `briefbot demo`"
        )
    if not folder.exists():
        raise ConfigError(f"BRIEFBOT_ARTICLES_DIR: folder {raw!r} does not exist{hint}")
    if not folder.is_dir():
        raise ConfigError(f"BRIEFBOT_ARTICLES_DIR: {raw or str(folder)!r} is not a folder{hint}")
    return folder


def load_settings(env: Mapping[str, str] | Environment, *, library: bool = True) -> Settings:
    """Validate every setting; the first bad one raises ConfigError naming it. ``library=False``
    (commands that never read the articles folder) leaves the folder unchecked."""
    environment = env if isinstance(env, Environment) else Environment(dict(env))
    env = environment.values
    if library:
        articles_dir = check_articles_dir(environment)
    else:
        articles_dir, _ = environment.path("BRIEFBOT_ARTICLES_DIR", DEFAULT_ARTICLES)

    db_path, where = environment.path("BRIEFBOT_DB", DEFAULT_DB)
    if db_path.exists() and db_path.is_dir():
        raw_db = env.get("BRIEFBOT_DB", "").strip() or str(DEFAULT_DB)
        hint = f" ({where})" if where else ""
        raise ConfigError(f"BRIEFBOT_DB: {raw_db!r} is a folder{hint}; give a file path such as data/briefbot.sqlite3")

    database_url = env.get("BRIEFBOT_DATABASE_URL", "").strip() or None
    if database_url is not None and urlsplit(database_url).scheme not in ("postgresql", "postgres"):
        raise ConfigError(
            "BRIEFBOT_DATABASE_URL: give a PostgreSQL address, postgresql://HOST:5432/DATABASE with the user and "
            "password before the host (leave it unset for the SQLite file BRIEFBOT_DB)"
        )
    if database_url is not None and (problem := url_problem(database_url)):
        raise ConfigError(f"BRIEFBOT_DATABASE_URL: {problem}")  # never the address: it may hold a password

    poll = _number(env, "BRIEFBOT_POLL_SECONDS", default=60, low=1, high=86_400, unit="seconds")

    raw_guild = env.get("BRIEFBOT_DEV_GUILD", "").strip()
    dev_guild: int | None = None
    if raw_guild:
        if not raw_guild.isdigit() or not 15 <= len(raw_guild) <= 20:
            raise ConfigError(f"BRIEFBOT_DEV_GUILD: {raw_guild!r} is not a Discord server id (a 17 to 20 digit number)")
        dev_guild = int(raw_guild)

    # The value is echoed as given, never case-folded: a token pasted here is then recognised, and
    # redacted, by the caller (a case-folded copy would not be).
    raw_level = env.get("BRIEFBOT_LOG_LEVEL", "").strip() or "INFO"
    level = raw_level.upper()
    if level not in logging.getLevelNamesMapping() or level == "NOTSET":
        raise ConfigError(f"BRIEFBOT_LOG_LEVEL: {raw_level!r} is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL")

    allow_private = _switch(env, "BRIEFBOT_FEEDS_ALLOW_PRIVATE")
    links_allow_private = _switch(env, "BRIEFBOT_LINKS_ALLOW_PRIVATE")

    feeds: list[str] = []
    for part in env.get("BRIEFBOT_FEEDS", "").split(","):
        if part.strip():
            try:
                feeds.append(check_url(part, allow_private=allow_private))
            except ValueError as exc:
                raise ConfigError(f"BRIEFBOT_FEEDS: {part.strip()!r}: {exc}") from None

    raw_interval = env.get("BRIEFBOT_FEED_INTERVAL", "").strip() or "900"
    try:
        feed_interval = check_interval(float(raw_interval))
    except ValueError as exc:
        reason = exc if raw_interval.replace(".", "", 1).isdigit() else f"{raw_interval!r} is not a number of seconds"
        raise ConfigError(f"BRIEFBOT_FEED_INTERVAL: {reason}") from None

    keep_days = _number(env, "BRIEFBOT_LINKS_KEEP_DAYS", default=30, low=1, high=3650, unit="days")

    shard_count, shard_ids = _shards(env)
    token = env.get("DISCORD_TOKEN", "").strip() or None
    return Settings(
        articles_dir=articles_dir,
        db_path=db_path,
        poll_seconds=poll,
        dev_guild=dev_guild,
        log_level=level,
        feeds=tuple(dict.fromkeys(feeds)),
        feed_interval=feed_interval,
        feeds_allow_private=allow_private,
        links_allow_private=links_allow_private,
        links_keep_days=keep_days,
        token=token,
        database_url=database_url,
        shard_count=shard_count,
        shard_ids=shard_ids,
    )


SHARD_COUNT_MAX = 100_000  # far past any bot's need (Discord asks for one shard per 2,500 servers at most)
_NUMBER = re.compile(r"[0-9]{1,9}")
SHARDS_HELP = "the shards of all the bot's processes are numbered 0 to BRIEFBOT_SHARD_COUNT - 1"


def _shards(env: Mapping[str, str]) -> tuple[int | None, tuple[int, ...] | None]:
    """BRIEFBOT_SHARD_COUNT and BRIEFBOT_SHARD_IDS, checked: (None, None) when neither is set; the
    ids default to every shard, 0 to count - 1."""
    raw_count = env.get("BRIEFBOT_SHARD_COUNT", "").strip()
    raw_ids = env.get("BRIEFBOT_SHARD_IDS", "").strip()
    if not raw_count:
        if raw_ids:
            raise ConfigError(
                "BRIEFBOT_SHARD_IDS is set without BRIEFBOT_SHARD_COUNT: set the number of shards of all the "
                f"bot's processes too ({SHARDS_HELP})"
            )
        return None, None
    if not _NUMBER.fullmatch(raw_count) or not 1 <= int(raw_count) <= SHARD_COUNT_MAX:
        raise ConfigError(f"BRIEFBOT_SHARD_COUNT: {raw_count!r} is not a number of shards (1 to {SHARD_COUNT_MAX})")
    count = int(raw_count)
    if not raw_ids:
        return count, tuple(range(count))
    ids: list[int] = []
    for part in raw_ids.split(","):
        part = part.strip()
        if not _NUMBER.fullmatch(part):
            raise ConfigError(f"BRIEFBOT_SHARD_IDS: {part!r} is not a shard number (give them comma-separated: 0,1)")
        shard = int(part)
        if shard >= count:
            raise ConfigError(
                f"BRIEFBOT_SHARD_IDS: shard {shard} is out of range for BRIEFBOT_SHARD_COUNT={count} ({SHARDS_HELP})"
            )
        if shard in ids:
            raise ConfigError(f"BRIEFBOT_SHARD_IDS: shard {shard} is given twice")
        ids.append(shard)
    return count, tuple(ids)


def _number(env: Mapping[str, str], name: str, *, default: float, low: float, high: float, unit: str) -> float:
    """A setting that is a number of ``unit`` from ``low`` to ``high`` (``default`` when unset), or a
    ConfigError in one line that names it."""
    raw = env.get(name, "").strip() or str(default)
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}: {raw!r} is not a number of {unit}") from None
    if not low <= value <= high:  # NaN too
        raise ConfigError(f"{name}: {raw} is out of range ({low:g} to {high:g} {unit})")
    return value


def _switch(env: Mapping[str, str], name: str) -> bool:
    """An on/off setting: 1/0, true/false or yes/no, off when unset."""
    raw = env.get(name, "").strip() or "0"
    if raw.lower() not in ("0", "1", "true", "false", "yes", "no"):
        raise ConfigError(f"{name}: {raw!r} is not 1 or 0")
    return raw.lower() in ("1", "true", "yes")
