"""The domain must not depend on Discord: importing it must not import discord."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

DOMAIN_MODULES = [
    "bot.search",
    "bot.delivery",
    "bot.storage.requests",
    "bot.storage.subscriptions",
    "bot.models",
    "bot.text",
    "bot.loaders",
    "bot.parsing",
    "bot.quotes",
    "bot.summarise",
    "bot.keywords",
    "bot.engine",
    "bot.library",
    "bot.storage.db",
    "bot.storage.articles",
    "bot.config",
    "bot.cli",
    "bot.errors",
    "bot.feeds",
    "bot.fetch",
    "bot.urls",
    "bot.storage.feeds",
    "bot.web",
    "bot.titles",
    "bot.names",
    "bot.backoff",
    "bot.storage.refusals",
]


def test_domain_does_not_import_discord():
    code = "import sys\n" + "".join(f"import {m}\n" for m in DOMAIN_MODULES) + "print('discord' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
