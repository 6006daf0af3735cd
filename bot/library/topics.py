"""Briefs across articles: a topic across the library (`/brief topic:`), and two articles compared
(`/compare`). The scoring is bot.analysis.topics and bot.analysis.contrast; the matching is the
full-text index of the articles' sentences (bot.storage.search), through bot.core.query, so a
topic is searched for as words, never obeyed as FTS5 syntax."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from bot.analysis.contrast import distinct_points
from bot.analysis.topics import best_sentence, on_topic, relevance, term_weights
from bot.core.errors import UserError
from bot.core.models import ArticleRow, ComparedSide, Comparison, TopicBrief, TopicEntry
from bot.core.query import SearchQuery, highlight, parse_query
from bot.library.reading import Reading

TOPIC_ARTICLES = 5  # a brief to read, not a list of search results: /quotes pages through more
NOTHING_TO_SEARCH = "There is nothing to search for in that topic: type a word or two, like `sanctions`."
SAME_ARTICLE = "Pick two different articles to compare."


def newest_first(rows: Iterable[ArticleRow]) -> list[ArticleRow]:
    """Newest first as the library lists them: by publication date (the ingestion time when an
    article has none), then ingestion, then id."""
    return sorted(sorted(rows, key=lambda r: r.id), key=lambda r: (r.sort_time, r.added_at), reverse=True)


class Topics:
    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self.catalogue = reading.catalogue
        self.search = reading.search

    @staticmethod
    def check(topic: str | None) -> SearchQuery:
        """The parsed topic, or a UserError when it holds nothing to search for; cheap, so a command
        checks it before acknowledging."""
        query = parse_query(topic)
        if query is None:
            raise UserError(NOTHING_TO_SEARCH)
        return query

    async def brief(self, query: SearchQuery, limit: int = TOPIC_ARTICLES) -> TopicBrief:
        """The ``limit`` articles most relevant to the topic, newest first, each with its sentence
        that best speaks to it; and how many articles are on the topic."""
        topic = " ".join(query.terms)
        live = self.catalogue.articles
        if not live:
            return TopicBrief(topic, (), 0)
        counts = [await self.search.articles_matching(part) for part in query.parts]
        weights = term_weights([len(c) for c in counts], len(live))
        average = sum(r.words for r in live) / len(live)
        scored: list[tuple[float, ArticleRow]] = []
        for article_id in set().union(*counts):
            row = self.catalogue.by_id(article_id)
            per_term = [c.get(article_id, 0) for c in counts]
            if row is not None and on_topic(per_term, weights):
                scored.append((relevance(per_term, weights, row.words, average), row))
        scored.sort(key=lambda s: (-round(s[0], 9), s[1].id))
        chosen = [row for _, row in scored[:limit]]
        entries = await self._sentences(chosen, query, weights)
        return TopicBrief(topic, tuple(entries), len(scored))

    async def _sentences(self, rows: list[ArticleRow], query: SearchQuery, weights: list[float]) -> list[TopicEntry]:
        if not rows:
            return []
        ids = [r.id for r in rows]
        matched: dict[str, dict[int, set[int]]] = {i: {} for i in ids}
        for term, part in enumerate(query.parts):
            for article_id, position in await self.search.positions_matching(part, ids):
                matched[article_id].setdefault(position, set()).add(term)
        entries = []
        for row in newest_first(rows):
            _, analysis = await self.reading.load(row)
            best = best_sentence(analysis.sentences, matched[row.id], weights)
            if best is not None:
                sentence = analysis.sentences[best]
                entries.append(TopicEntry(row, sentence, highlight(sentence, query)))
        return entries

    async def compare(self, first: ArticleRow, second: ArticleRow) -> Comparison:
        """What each article says that the other does not, the newer first."""
        if first.id == second.id:
            raise UserError(SAME_ARTICLE)
        newer, older = newest_first([first, second])
        (_, a), (_, b) = await self.reading.load(newer), await self.reading.load(older)
        # Pure CPU over both articles' sentences, linear in their length: off the event loop.
        mine = await asyncio.to_thread(distinct_points, a.sentences, a.ranking, b.sentences)
        theirs = await asyncio.to_thread(distinct_points, b.sentences, b.ranking, a.sentences)
        return Comparison(
            ComparedSide(newer, tuple(a.sentences[i] for i in mine)),
            ComparedSide(older, tuple(b.sentences[i] for i in theirs)),
        )
