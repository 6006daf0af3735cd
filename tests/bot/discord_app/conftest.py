"""A bot's settings over a fresh folder and database, for the Discord layer's tests."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.discord_app.briefbot import BriefBot


@pytest.fixture
def settings(tmp_path, articles_dir) -> Settings:
    return Settings(articles_dir=articles_dir, db_path=tmp_path / "data" / "bot.sqlite3", poll_seconds=3600)


def make_bot(settings: Settings) -> BriefBot:
    return BriefBot(settings, guild_ready_timeout=0.05)
