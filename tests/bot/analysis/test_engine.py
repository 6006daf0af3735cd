from __future__ import annotations

import json

from bot.analysis.engine import SUMMARY_LENGTHS, analyse, make_brief
from bot.analysis.parsing import parse_article
from bot.core.models import RawArticle
from bot.core.text import split_sentences
from bot.sources.files import read_article_file
from tests.conftest import SEED_000, SEED_001

BRIEF_KEYS = {
    "id",
    "title",
    "standfirst",
    "source",
    "author",
    "authors",
    "summary",
    "quotes",
    "keywords",
    "words",
    "reading_minutes",
    "preview_only",
}


def brief_of(path, n=3):
    article = parse_article(read_article_file(path))
    return make_brief(article, analyse(article), n)


def test_brief_json_has_exactly_the_documented_keys():
    out = brief_of(SEED_000).to_json()
    assert set(out) == BRIEF_KEYS
    assert set(out["author"]) == {"name", "role", "bio"}
    assert all(set(q) == {"text", "speaker", "speaker_kind", "context", "key"} for q in out["quotes"])
    json.dumps(out)


def test_seed_000_brief():
    out = brief_of(SEED_000).to_json()
    assert out["author"]["name"] == "Joel Wuthnow"
    assert out["author"]["role"].startswith("Research Fellow")
    assert out["author"]["bio"].startswith("Joel Wuthnow is")
    quote = next(q for q in out["quotes"] if q["text"] == "no connection")
    assert quote["speaker"] == "Daniel Russel" and quote["key"]
    assert "“no connection”" in quote["context"]
    assert out["source"] is None and out["preview_only"] is False
    assert 5 <= len(out["keywords"]) <= 8


def test_seed_001_brief():
    out = brief_of(SEED_001).to_json()
    assert out["source"] == "World Politics Review"
    assert out["author"]["name"] is None
    assert out["preview_only"] is True
    text = json.dumps(out)
    for phrase in ("Keep reading", "Subscribe", "subscriber", "Log in", "ad-free", "More World"):
        assert phrase not in text


def test_summary_sentences_come_from_body_in_article_order():
    for seed in (SEED_000, SEED_001):
        article = parse_article(read_article_file(seed))
        body_sentences = [s for p in article.paragraphs for s in split_sentences(p)]
        for n in (1, 2, 3, 5):
            summary = list(make_brief(article, analyse(article), n).summary)
            assert len(summary) == min(n, len(body_sentences))
            positions = [body_sentences.index(s) for s in summary]
            assert positions == sorted(positions)
            assert article.title not in summary and article.standfirst not in summary


def test_summary_lengths():
    assert SUMMARY_LENGTHS == {"short": 2, "medium": 3, "long": 5}


def test_keywords_have_no_stop_words_or_boilerplate():
    for seed in (SEED_000, SEED_001):
        kws = brief_of(seed).keywords
        assert 5 <= len(kws) <= 8
        for k in kws:
            assert k.lower() not in {"the", "and", "subscribe", "subscription", "articles"}


def test_reading_time():
    text = "\n\n".join(["word " * 230] * 3)
    article = parse_article(RawArticle(text=text, title="T"))
    assert make_brief(article, analyse(article)).reading_minutes == 3


def test_key_quotes_at_most_three_and_attributed_first():
    paras = [
        f"“Point number {i} matters a great deal to the whole city,” said Person Number{i} Smith." for i in range(5)
    ]
    paras.append("“An unattributed remark that goes on for a while here.”")
    article = parse_article(RawArticle(text="\n\n".join(paras), title="Quotes"))
    quotes = analyse(article).quotes
    assert len(quotes) == 6
    key = [q for q in quotes if q.key]
    assert len(key) == 3 and all(q.speaker for q in key)


# --- the ANALYSIS_VERSION guard ----------------------------------------------------------------
# Stored analyses are reused while ANALYSIS_VERSION stays the same, so a change to what the analysis
# produces must come with a new version. The digest of the outputs for fixed articles is recorded
# here next to the version it was recorded under.
RECORDED_VERSION = "2026.11.28-5"
RECORDED_DIGEST = "01eb4e23c97db88b702876c8a27c42ad40e1d4316c8fbee83adec7a3fd44c811"

GUARD_TEXTS = [
    RawArticle(
        title="Harbour Plan Approved",
        author="Ana Lopez and Ben Smith",
        published="2025-11-03",
        text="The harbour board approved a new plan on Monday after a long debate.\n\n"
        "“We will dredge the channel this summer,” said Ana Lopez, the board's chair. "
        "Critics said the money would be better spent on schools.\n\n"
        "Work starts in the spring, a spokesman said, “if the weather allows.”",
    ),
    RawArticle(text="Opera Season Opens\n\nThe opera house opened its season with a new production of Tosca."),
    RawArticle(text="One line, no title, no quotation, nothing to rank."),
    # Languages other than English: their sentences, terms, stop words and keywords are analysis outputs too.
    RawArticle(
        title="Le projet de loi adopté",
        text="Les députés ont adopté mardi le projet de loi sur le renseignement. Le texte part au Sénat.\n\n"
        "Le gouvernement a salué un vote « historique ». Les opposants au projet de loi saisiront le Conseil.",
    ),
    RawArticle(
        title="台风登陆福建",
        text="台风周三在福建沿海登陆。气象部门表示，这是今年登陆福建的最强台风。\n\n"
        "福州的学校全部停课。กรมอุตุนิยมวิทยาประกาศเตือนประชาชนในภาคใต้ให้ระวังฝนตกหนักถึงหนักมาก "
        "ประชาชนที่อาศัยอยู่ริมแม่น้ำควรติดตามประกาศของทางราชการอย่างใกล้ชิด",
    ),
]


def analysis_digest() -> str:
    """SHA-256 of everything the analysis produces for the seeds and GUARD_TEXTS."""
    import hashlib

    from bot.library.ingest import analyse_raw

    h = hashlib.sha256()
    for raw in [read_article_file(SEED_000), read_article_file(SEED_001), *GUARD_TEXTS]:
        article, analysis = analyse_raw(raw)
        stored = article.to_dict()
        for key in ("id", "slug", "source_path"):  # the library's, not the analysis's (as cached)
            stored.pop(key)
        record = {"article": stored, "analysis": analysis.to_dict()}
        h.update(json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def version_problem(version: str, digest: str) -> str | None:
    """What is wrong with (ANALYSIS_VERSION, digest of the outputs) against the recorded pair."""
    if version == RECORDED_VERSION and digest != RECORDED_DIGEST:
        return (
            "the analysis outputs changed but ANALYSIS_VERSION did not: bump ANALYSIS_VERSION in "
            f"bot/analysis/engine.py and update the digest (RECORDED_VERSION, RECORDED_DIGEST = {digest!r})"
        )
    if version != RECORDED_VERSION:
        return (
            f"ANALYSIS_VERSION is {version!r}: record it with its digest here "
            f"(RECORDED_VERSION, RECORDED_DIGEST = {version!r}, {digest!r})"
        )
    return None


def test_analysis_version_is_bumped_when_the_outputs_change():
    from bot.analysis.engine import ANALYSIS_VERSION

    problem = version_problem(ANALYSIS_VERSION, analysis_digest())
    assert problem is None, problem


def test_the_guard_fails_on_changed_outputs_under_the_same_version():
    assert "bump ANALYSIS_VERSION" in (version_problem(RECORDED_VERSION, "changed") or "")
    assert version_problem(RECORDED_VERSION, RECORDED_DIGEST) is None


def test_the_digest_covers_the_quotations(monkeypatch):
    before = analysis_digest()
    monkeypatch.setattr("bot.analysis.engine.MAX_KEY_QUOTES", 1)  # fewer key quotes: other outputs
    assert analysis_digest() != before
