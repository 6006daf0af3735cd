"""The operators' files: the container's health check says what it claims, and the Dockerfile, the
compose example and the systemd unit keep the paths and settings docs/operating.md describes."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

from bot.storage.db import connect, migrations

ROOT = Path(__file__).resolve().parent.parent
HEALTHCHECK = ROOT / "deploy" / "healthcheck.py"


async def health(db_path: Path) -> tuple[int, str]:
    env = {**os.environ, "BRIEFBOT_DB": str(db_path)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(HEALTHCHECK), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    out, _ = await proc.communicate()
    return proc.returncode or 0, out.decode()


async def test_healthy_only_while_the_bot_has_its_database_open_and_migrated(tmp_path):
    path = tmp_path / "data" / "briefbot.sqlite3"
    status, out = await health(path)
    assert status == 1 and "no database" in out
    db = await connect(path)  # what the bot does once Discord accepted its token
    try:
        status, out = await health(path)
        assert status == 0, out
        assert f"schema version {len(migrations())}" in out
        await db.execute(f"PRAGMA user_version = {len(migrations()) - 1}")  # an older schema
        status, out = await health(path)
        assert status == 1 and "schema version" in out
    finally:
        await db.close()  # what the bot does when it stops: the write-ahead log goes
    status, out = await health(path)
    assert status == 1 and "not open" in out


def test_the_image_the_compose_file_and_the_unit_agree_with_the_docs():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "BRIEFBOT_DB=/data/briefbot.sqlite3" in dockerfile
    assert "BRIEFBOT_ARTICLES_DIR=/articles" in dockerfile
    assert 'VOLUME ["/data", "/articles"]' in dockerfile
    assert "\nUSER 10001:10001\n" in dockerfile and "HEALTHCHECK" in dockerfile
    assert "/app/deploy/healthcheck.py" in dockerfile
    compose = (ROOT / "compose.yaml").read_text()
    assert "briefbot-data:/data" in compose and "./articles:/articles:ro" in compose
    unit = (ROOT / "deploy" / "briefbot.service").read_text()
    for line in (
        "User=briefbot",
        "EnvironmentFile=/etc/briefbot/briefbot.env",
        "Restart=on-failure",
        "RestartPreventExitStatus=2",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/briefbot",
        "WorkingDirectory=/var/lib/briefbot",
    ):
        assert f"\n{line}\n" in unit, line
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored and ".venv" in ignored  # the token and the local venv never enter the image


def test_the_postgres_compose_example_runs_two_shards_on_one_database_with_no_secret_in_it():
    import yaml  # parsed as docker compose parses it (anchors and merge keys included)

    text = (ROOT / "compose.postgres.yaml").read_text()
    services = yaml.safe_load(text)["services"]
    shards = {}
    for name in ("bot-0", "bot-1"):
        bot = services[name]
        env = bot["environment"]
        assert env["BRIEFBOT_SHARD_COUNT"] == "2", name  # quoted: environment values are strings
        shards[name] = env["BRIEFBOT_SHARD_IDS"]
        assert bot["env_file"] == ".env", name  # the token and BRIEFBOT_DATABASE_URL (its password) come from there
        assert bot["depends_on"]["postgres"]["condition"] == "service_healthy", name
        assert "./articles:/articles:ro" in bot["volumes"] and env["BRIEFBOT_ARTICLES_DIR"] == "/articles", name
        assert not {"DISCORD_TOKEN", "BRIEFBOT_DATABASE_URL"} & set(env), name
    assert shards == {"bot-0": "0", "bot-1": "1"}  # shards 0 and 1 of 2: every server has its process
    postgres = services["postgres"]
    assert postgres["env_file"] == "postgres.env" and "POSTGRES_PASSWORD" not in postgres["environment"]
    assert "pg_isready" in postgres["healthcheck"]["test"]
    assert "--locale=C" in postgres["environment"]["POSTGRES_INITDB_ARGS"]  # names sort as on SQLite
    settings = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert not re.search(r"postgres(ql)?://[^/\s]*:[^@/\s]+@", settings)  # no password in an address
    assert not re.search(r"(TOKEN|PASSWORD)\s*[:=]", settings)  # nor a token or password of its own
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert "postgres.env" in ignored and "postgres.env" in (ROOT / ".gitignore").read_text().split()
