"""The domain must not depend on Discord: importing it must not import discord."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

DOMAIN_MODULES = [
    "bot.core.query",
    "bot.library.routing",
    "bot.storage.requests",
    "bot.storage.subscriptions",
    "bot.core.models",
    "bot.core.text",
    "bot.sources.files",
    "bot.analysis.parsing",
    "bot.analysis.quotes",
    "bot.analysis.summary",
    "bot.analysis.keywords",
    "bot.analysis.engine",
    "bot.library.service",
    "bot.storage.db",
    "bot.storage.articles",
    "bot.config",
    "bot.cli",
    "bot.core.errors",
    "bot.library.feeds",
    "bot.sources.fetch",
    "bot.sources.urls",
    "bot.storage.feeds",
    "bot.sources.pages",
    "bot.library.titles",
    "bot.analysis.names",
    "bot.core.backoff",
    "bot.storage.refusals",
]


def test_domain_does_not_import_discord():
    code = "import sys\n" + "".join(f"import {m}\n" for m in DOMAIN_MODULES) + "print('discord' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
