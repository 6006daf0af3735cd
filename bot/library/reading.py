"""Reading the library: an article with its analysis, its brief, related articles, and searches
of quotations and speakers. Reads only; answers in terms of the catalogue's live rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.analysis.engine import ANALYSIS_VERSION, make_brief
from bot.core.errors import UserError
from bot.core.models import Analysis, Article, ArticleRow, Brief, Quote
from bot.core.query import SearchQuery, combine, highlight, parse_query, speaker_filter
from bot.library.catalogue import Catalogue
from bot.storage.articles import ArticleRepository
from bot.storage.search import SearchRepository


@dataclass(frozen=True, slots=True)
class QuoteHit:
    """A quotation found by a search; ``highlighted`` is its text with matched words between
    bot.core.query.HIGHLIGHT_OPEN and HIGHLIGHT_CLOSE."""

    article_id: str
    quote: Quote
    highlighted: str


@dataclass(slots=True)
class QuoteResults:
    """A page of quotation search results. When no quotation matched a keyword, ``passages``
    holds matching article sentences instead (highlighted), and ``passage_total`` their count."""

    hits: list[tuple[ArticleRow, QuoteHit]]
    total: int
    query: SearchQuery | None = None
    passages: list[tuple[ArticleRow, str]] = field(default_factory=list)
    passage_total: int = 0


class Reading:
    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.repo: ArticleRepository = catalogue.repo
        self.search = SearchRepository(catalogue.repo.db)

    async def live(self, article_id: str) -> ArticleRow | None:
        """The live article with this id: from the catalogue, else from the database, which may be
        ahead of it (an article stored a moment ago, or by another process)."""
        row = self.catalogue.by_id(article_id)
        if row is None:
            row = await self.repo.by_id(article_id)
        return row if row is not None and row.retired_at is None else None

    async def load(self, row: ArticleRow) -> tuple[Article, Analysis]:
        """The article and its analysis: of this ANALYSIS_VERSION, else (an article stored before its
        raw text was kept, whose re-analysis is impossible) the newest stored."""
        loaded = await self.repo.load(row, ANALYSIS_VERSION)
        if loaded is None:  # no analysis of any version: never stored through the ingest path
            raise LookupError(f"article {row.id} has no stored analysis")
        return loaded

    async def brief(self, row: ArticleRow, sentences: int) -> Brief:
        article, analysis = await self.load(row)
        related = tuple(r.title for r in await self.related(row))
        return make_brief(article, analysis, sentences, related=related)

    async def related(self, row: ArticleRow, limit: int = 3) -> list[ArticleRow]:
        """The live articles most like this one, most similar first."""
        found = (self.catalogue.by_id(i) for i in await self.repo.related(row.id, limit))
        return [r for r in found if r is not None]

    async def search_quotes(
        self,
        keyword: str | None,
        *,
        speaker: str | None = None,
        article: ArticleRow | None = None,
        limit: int = 5,
        offset: int = 0,
    ) -> QuoteResults:
        """Quotations by keyword (full text: stemmed, phrases, prefixes), speaker and article.

        With neither keyword nor speaker, the article's quotations in order. When a keyword finds
        no quotation, the article sentences that match it are returned instead, marked as passages.
        Raises UserError when the input holds nothing to search for.
        """
        query, by_speaker = self.check_search(keyword, speaker, article)
        if query is None and by_speaker is None:
            assert article is not None
            found, total = await self.search.quotes_of(article.id, limit, offset)
            return QuoteResults(self._hits(found, None), total, query=None)
        match = combine(query.match if query else None, by_speaker)
        assert match is not None
        scope = article.id if article else None
        found, total = await self.search.search_quotes(
            match, scope, limit, offset, query, use_pairs=query is not None and by_speaker is None
        )
        if total == 0 and query is not None:
            passages, count = await self.search.search_passages(
                query.match, scope, limit, offset, query, use_pairs=True
            )
            if count:
                marked = [(row, highlight(text, query)) for a, text in passages if (row := self.catalogue.by_id(a))]
                return QuoteResults([], 0, query=query, passages=marked, passage_total=count)
        return QuoteResults(self._hits(found, query), total, query=query)

    @staticmethod
    def check_search(
        keyword: str | None, speaker: str | None, article: ArticleRow | None
    ) -> tuple[SearchQuery | None, str | None]:
        """The parsed keyword and speaker filter, or a UserError when there is nothing to search
        for; cheap, so a command can check its input before it acknowledges the interaction."""
        query = parse_query(keyword)
        by_speaker = speaker_filter(speaker)
        if keyword and keyword.strip() and query is None and by_speaker is None:
            raise UserError("There is nothing to search for in that keyword: type a word or two.")
        if speaker and speaker.strip() and by_speaker is None:
            raise UserError("That speaker name has no letters or digits to search for.")
        if query is None and by_speaker is None and article is None:
            raise UserError("Give a keyword to search for, a speaker, an article, or some of them.")
        return query, by_speaker

    def _hits(self, found: list[tuple[str, Quote]], query: SearchQuery | None) -> list[tuple[ArticleRow, QuoteHit]]:
        return [(row, QuoteHit(a, q, highlight(q.text, query))) for a, q in found if (row := self.catalogue.by_id(a))]

    async def speakers(self, typed: str, limit: int = 25) -> list[tuple[str, int]]:
        """Speakers for autocomplete: those whose names start with the typed words, most quoted first."""
        words = parse_query(typed.replace("*", " ") + "*") if typed.strip() else None
        match = "speaker : (" + words.match + ")" if words else None
        return await self.search.speakers(match, limit)
