"""The brief engine: article in, analysis and brief out. Pure functions, no I/O, no Discord."""

from __future__ import annotations

from dataclasses import replace

from bot.analysis.keywords import keywords as extract_keywords
from bot.analysis.quotes import Contexts, quotations
from bot.analysis.summary import content_terms, rank_and_fit, signature
from bot.core.models import Analysis, Article, Brief, Quote
from bot.core.stopwords import stop_words_for
from bot.core.text import split_sentences

# Analyses are cached per (content hash, ANALYSIS_VERSION): a new version re-analyses every article
# (files from their files, every other article from its stored raw text). Bump it with any change
# that changes an analysis (parsing, sentences, quotations, keywords, summary, signature);
# tests/bot/analysis/test_engine.py fails when the outputs change and this does not.
ANALYSIS_VERSION = "2026.11.28-5"

SUMMARY_LENGTHS = {"short": 2, "medium": 3, "long": 5}
DEFAULT_SENTENCES = SUMMARY_LENGTHS["medium"]
MAX_KEY_QUOTES = 3


def analyse(article: Article) -> Analysis:
    """Everything a brief needs, computed once per article version."""
    per_paragraph = [split_sentences(p) for p in article.paragraphs]
    sentences = [s for para in per_paragraph for s in para]
    stops = stop_words_for(sentences)  # the text's language, found once for all three below
    opens = [i == 0 for para in per_paragraph for i in range(len(para))]
    ranking, fit = rank_and_fit(sentences, shown=article.standfirst, stops=stops, opens_paragraph=opens)
    kws = extract_keywords(sentences, stops=stops)
    found = quotations(article.paragraphs)
    contexts: dict[int, Contexts] = {}
    for q in found:
        if q.paragraph not in contexts:
            contexts[q.paragraph] = Contexts(article.paragraphs[q.paragraph], per_paragraph[q.paragraph])
    quotes = [
        Quote(
            text=q.text,
            speaker=q.speaker,
            context=contexts[q.paragraph].of(q.start, q.end),
            speaker_description=q.desc,
            paragraph=q.paragraph,
            speaker_kind=q.kind,
        )
        for q in found
    ]
    quotes = mark_key_quotes(quotes, kws)
    return Analysis(
        sentences=tuple(sentences),
        ranking=tuple(ranking),
        quotes=tuple(quotes),
        keywords=tuple(kws),
        signature=tuple(signature(sentences, article.title, stops=stops)),
        fit=fit,
    )


def mark_key_quotes(quotes: list[Quote], kws: list[str]) -> list[Quote]:
    """Key quotes, at most three: attributed ones first, then substance, then relevance.

    Score = 2 if a person is named as speaker (1 for an unnamed source such as "a spokesman"),
    + 1 for 6 to 60 words, + 0.5 per article keyword the quotation contains. Quotes scoring
    under 1 (unattributed fragments) are never key; ties go to the earlier quote.
    """
    key_terms = {t for k in kws for t in content_terms(k)}

    def score(q: Quote) -> float:
        s = 0.0
        if q.speaker:
            s += 1.0 if q.speaker[:1].islower() else 2.0
        n = len(q.text.split())
        if 6 <= n <= 60:
            s += 1.0
        s += 0.5 * len(key_terms.intersection(content_terms(q.text)))
        return s

    scored = sorted(((score(q), i) for i, q in enumerate(quotes)), key=lambda x: (-x[0], x[1]))
    chosen = {i for s, i in scored[:MAX_KEY_QUOTES] if s >= 1.0}
    return [replace(q, key=i in chosen) for i, q in enumerate(quotes)]


def make_brief(
    article: Article, analysis: Analysis, sentences: int = DEFAULT_SENTENCES, related: tuple[str, ...] = ()
) -> Brief:
    return Brief(
        article=article,
        summary=tuple(analysis.summary(sentences)),
        quotes=analysis.quotes,
        keywords=analysis.keywords,
        total_sentences=len(analysis.sentences),
        related=related,
    )
