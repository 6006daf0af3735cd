"""The database interface: migrations per backend, and addresses shown without their password."""

from __future__ import annotations

import pytest

from bot.storage.database import DIALECTS, is_postgres_url, migrations, redact_url, url_problem


def test_both_backends_have_the_same_migrations():
    """Every migration exists for SQLite and for PostgreSQL, under the same number and name, so a
    database of either backend reaches the same schema version (porting a migration is adding its file)."""
    names = {dialect: [m.name for m in migrations(dialect)] for dialect in DIALECTS}
    assert names["sqlite"], "no migrations found"
    assert names["postgresql"] == names["sqlite"]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_migrations_are_numbered_without_gaps(dialect):
    found = migrations(dialect)
    assert [m.version for m in found] == list(range(1, len(found) + 1))


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://bot:s3cret@db.example:5432/briefbot", "postgresql://bot:***@db.example:5432/briefbot"),
        ("postgres://bot:p%40ss@[::1]/briefbot", "postgres://bot:***@[::1]/briefbot"),
        (
            "postgresql://db/briefbot?user=bot&password=s3cret&sslmode=require",
            "postgresql://db/briefbot?user=bot&password=***&sslmode=require",
        ),
        ("postgresql://bot@db/briefbot", "postgresql://bot@db/briefbot"),
        # malformed: a password holding an unencoded / ? # or @ is still hidden
        ("postgresql://bot:s3c/ret@db/briefbot", "postgresql://bot:***@db/briefbot"),
        ("postgresql://bot:s3cret@db:port/briefbot", "postgresql://bot:***@db:port/briefbot"),
        ("postgresql://bot:s3c@ret@db:5432/briefbot", "postgresql://bot:***@db:5432/briefbot"),
        ("postgresql://bot:s3c#ret@db/briefbot", "postgresql://bot:***@db/briefbot"),
        ("postgresql://bot:1234/s3cret@db/briefbot", "postgresql://bot:***@db/briefbot"),
    ],
)
def test_redact_url_hides_the_password(url, shown):
    assert redact_url(url) == shown
    assert "s3cret" not in redact_url(url)


def test_which_settings_name_postgresql():
    assert is_postgres_url("postgresql://localhost/briefbot")
    assert is_postgres_url("postgres://localhost/briefbot")
    assert not is_postgres_url("data/briefbot.sqlite3")
    assert not is_postgres_url("postgresql.sqlite3")


@pytest.mark.parametrize(
    "url",
    ["postgresql://bot:s3c/ret@db/briefbot", "postgresql://bot:s3cret@db:port/x", "postgresql://bot:1234/s3cret@db/x"],
)
def test_an_address_that_cannot_be_used_is_named_without_repeating_it(url):
    problem = url_problem(url)
    assert problem and "percent-encoded" in problem and "s3c" not in problem


def test_a_usable_address_has_no_problem():
    assert url_problem("postgresql://bot:p%2Fss@db.example:5432/briefbot") is None
    assert url_problem("postgresql:///briefbot?host=/run/postgresql") is None
