"""Imported by a pool's workers (``KillablePool(preload=...)``): the analysis of an article whose
title contains "Slow" never ends, as a hostile text could make it. Only the workers that import
this module are affected; the test process's own analysis is left as it is."""

from __future__ import annotations

import bot.library.ingest

_analyse = bot.library.ingest.analyse


def _slow_analyse(article):  # type: ignore[no-untyped-def]
    if "Slow" in article.title:
        while True:
            sum(range(10_000))
    return _analyse(article)


bot.library.ingest.analyse = _slow_analyse
