"""Hostile article files: every input becomes an article or a skip with a reason, in bounded time.

A property-based test (hypothesis) feeds the whole file path (bytes -> ``parse_article_bytes`` for
each article suffix -> parsing -> analysis -> brief -> embed) random bytes, random text, huge
inputs near and over the size limit, deeply nested JSON, mis-encoded text, BOMs, NULs, control,
bidi, zero-width and combining characters, giant sentences, thousands of quotation marks and
markdown and front-matter abuse. Each example is timed: the bound (5 s plus 10 s per MB) is a hang
guard against super-linear work, not a speed claim.

CI runs a fixed, derandomised set of examples; ``BRIEFBOT_FUZZ_EXAMPLES=2000`` searches longer.
The named regression inputs below each hung or crashed the parser before it was fixed.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.analysis.engine import make_brief
from bot.core.errors import ArticleFileError
from bot.core.models import Analysis, Article
from bot.discord_app.embeds import EMBED_TOTAL_LIMIT, brief_embed
from bot.library.ingest import analyse_raw
from bot.sources.files import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, parse_article_bytes

SUFFIXES = sorted(SUPPORTED_SUFFIXES)  # .html too, once the loader reads it
EXAMPLES = int(os.environ.get("BRIEFBOT_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # each example is timed by check() instead, with a bound that grows with its size
    derandomize=True,  # the same examples on every run, so CI is reproducible
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


def time_bound(size: int) -> float:
    return 5.0 + 10.0 * size / 1_000_000


def check(data: bytes, suffix: str, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Run one file's bytes through everything a file goes through; return "article" or the skip
    reason. Fails on any other exception, on a malformed result, or past the time bound."""
    start = time.perf_counter()
    try:
        raw = parse_article_bytes(data, suffix, source_path=f"fuzz{suffix}", max_bytes=max_bytes)
        article, analysis = analyse_raw(raw)
        outcome = "article"
    except ArticleFileError as exc:
        outcome = str(exc)
        assert outcome.strip(), "a skip must say why"
    else:
        assert isinstance(article, Article) and isinstance(analysis, Analysis)
        assert article.title.strip() and article.slug
        body = "\n".join(article.paragraphs)
        assert all(s in body for s in analysis.sentences)  # sentences are cut from the text, never invented
        assert sorted(analysis.ranking) == list(range(len(analysis.sentences)))
        brief = make_brief(article, analysis, 5)
        json.dumps(brief.to_json())
        assert len(brief_embed(brief, "long summary")) <= EMBED_TOTAL_LIMIT
    elapsed = time.perf_counter() - start
    assert elapsed <= time_bound(len(data)), f"{elapsed:.1f} s for {len(data):,} bytes ({suffix}): {data[:120]!r}"
    return outcome


# --- strategies ------------------------------------------------------------------------------

FRAGMENTS = [
    *"\"“”«»„‘’'`",
    "“We will,” he said, “win.”",
    " said Jane Doe, a senior fellow at the Institute, ",
    "according to Mr. Smith ",
    "By Jane Doe and John Roe\n\n",
    "Jane Doe is a fellow at the Council.\n\n",
    "The views expressed here are his own.",
    "Keep reading for free!\n\n",
    "Subscribe now to our newsletter",
    "Image: Flickr/Someone\n\n",
    "(Photo by X/Getty Images)",
    "U.S. ",
    "Dr. ",
    "Feb. 12 ",
    "J. R. R. ",
    "WASHINGTON — ",
    " — ",
    "...",
    "…",
    "?!",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "\u00a0",
    "\u2028",
    "\u2029",
    "# ",
    "## ",
    "#",
    "---\n",
    "title: x\n",
    "authors:\n  - A B\n",
    "**",
    "__",
    "*",
    "_",
    "[",
    "]",
    "(",
    ")",
    "![",
    "](",
    "<a ",
    "<",
    ">",
    "> ",
    "```",
    "@everyone ",
    "@here ",
    "<@123456789012345678> ",
    "<@&123456789012345678> ",
    "||spoiler||",
    '{"title": ',
    '"text": ',
    "}",
    "{",
    "\x00",
    "\x01",
    "\x1b[31m",
    "\x7f",
    "\u200b",
    "\u200d",
    "\u200e",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\u0301",
    "\u0308\u0308\u0308",
    "\U0001f642",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "مرحبا بالعالم ",
    "שלום ",
    "日本語の文章。",
    "Ελληνικά ",
    "Зоя Петрова ",
    "Zoë Café ",
    "word ",
    "Sentence one. ",
    "Aa ",
]

pieces = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(max_size=12),
    st.text(alphabet="abcdefghij KLMNOP.,;:!?\"“”'\n-#*_[]()<>", max_size=30),
)
# A run of pieces repeated many times: the shape that exposes work growing faster than the text.
texts = st.builds(
    lambda parts, times: ("".join(parts) * times)[:200_000],
    st.lists(pieces, max_size=40),
    st.integers(min_value=1, max_value=3_000),
)


def encodings() -> st.SearchStrategy[Callable[[str], bytes]]:
    return st.sampled_from(
        [
            lambda t: t.encode("utf-8"),
            lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),  # UTF-8 with a BOM
            lambda t: t.encode("utf-16"),  # with its BOM
            lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
            lambda t: t.encode("utf-16-le"),  # no BOM: not UTF-8, refused
            lambda t: t.encode("latin-1", "replace"),
            lambda t: t.encode("utf-8") + b"\xff\xfe\xc3(",  # invalid sequences
            lambda t: b"\xed\xa0\x80" + t.encode("utf-8"),  # an encoded surrogate
            lambda t: t.encode("utf-8")[:-1],  # cut inside a character
            lambda t: t.encode("utf-16")[:-1],  # odd length
        ]
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
json_articles = st.fixed_dictionaries(
    {},
    optional={
        "title": json_values | texts,
        "text": json_values | texts,
        "author": json_values | st.lists(st.text(max_size=20), max_size=5),
        "url": json_values,
        "published": json_values,
        "publication": json_values,
        "dek": json_values | texts,
    },
).map(lambda d: json.dumps(d).encode())


def nested(depth: int, kind: str) -> bytes:
    if kind == "array":
        return b"[" * depth + b"]" * depth
    if kind == "object":
        return b'{"text":' * depth + b'"x"' + b"}" * depth
    return b'{"title": "T", "text": ' + b"[" * depth + b"]" * depth + b"}"


deep_json = st.builds(nested, st.integers(min_value=1, max_value=200_000), st.sampled_from(["array", "object", "text"]))
front_matter = st.builds(
    lambda head, body, closed: ("---\n" + head + ("\n---\n" if closed else "\n") + body).encode(),
    texts,
    texts,
    st.booleans(),
)


# --- properties --------------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=20_000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes(data, suffix):
    check(data, suffix)


@FUZZ
@given(text=texts, encode=encodings(), suffix=st.sampled_from(SUFFIXES))
def test_adversarial_text_in_any_encoding(text, encode, suffix):
    check(encode(text), suffix)


@FUZZ
@given(text=st.text(max_size=5_000), suffix=st.sampled_from(SUFFIXES))
def test_random_unicode(text, suffix):
    check(text.encode("utf-8", "surrogatepass"), suffix)


@FUZZ
@given(data=st.one_of(json_articles, deep_json, front_matter))
def test_json_and_markdown_structure(data):
    check(data, ".json")
    check(data, ".md")


@settings(FUZZ, max_examples=max(4, EXAMPLES // 10))
@given(
    unit=st.sampled_from(["a", "a ", " ", "\n\n", "\u200b", "\u0301", "“", "\x00", "\ufeff"]),
    over=st.integers(min_value=-64, max_value=64),
    suffix=st.sampled_from(SUFFIXES),
)
def test_huge_inputs_near_and_over_the_limit(unit, over, suffix):
    """The real 2 MB limit, with contents cheap to analyse: the size checks are exact."""
    body = unit.encode() * ((MAX_FILE_BYTES + over) // len(unit.encode()) + 1)
    data = (b"Title\n\n" + body)[: MAX_FILE_BYTES + over]
    outcome = check(data, suffix)
    if over > 0:
        assert outcome.startswith("file too large")
    else:
        assert not outcome.startswith("file too large")


@settings(FUZZ, max_examples=max(4, EXAMPLES // 6))
@given(text=texts, encode=encodings(), suffix=st.sampled_from(SUFFIXES), limit=st.integers(100, 5_000))
def test_any_limit_is_exact(text, encode, suffix, limit):
    data = encode(text)
    outcome = check(data, suffix, max_bytes=limit)
    assert outcome.startswith("file too large") == (len(data) > limit)


# --- inputs that once crashed or hung ----------------------------------------------------------

REGRESSIONS = {
    # RecursionError from json.loads
    "json nested arrays": (b"[" * 100_000 + b"]" * 100_000, ".json"),
    "json nested objects": (b'{"text":' * 50_000 + b'"x"' + b"}" * 50_000, ".json"),
    # ValueError: an integer too long to convert
    "json huge integer": (b'{"title": "T", "text": "x", "url": ' + b"9" * 5_000 + b"}", ".json"),
    # exponential: a link whose address is followed by a space and no closing parenthesis
    "markdown open link": (b"# T\n\n[a](" + b"b" * 40 + b" x\n", ".md"),
    # quadratic: a heading ending in a long run of #
    "markdown heading hashes": (b"# a" + b"#" * 50_000 + b"x\n\nbody", ".md"),
    # quadratic: bold markers that never close
    "markdown bold": (b"# T\n\n" + b"**a " * 20_000, ".md"),
    "markdown underline": (b"# T\n\n" + b"__a " * 20_000, ".md"),
    # quadratic: tags that never close
    "markdown tags": (b"# T\n\n" + b"<a" * 200_000, ".md"),
    # quadratic: link brackets that never close
    "markdown brackets": (b"# T\n\n" + b"[" * 200_000, ".md"),
    # quadratic in the quotations of a paragraph: attribution searched the whole paragraph each time
    "many quotations": (("T\n\n" + "“x,” said " * 5_000).encode(), ".txt"),
    # quadratic in the people named: every mention scanned the list of everyone named so far
    "many people quoted": (
        (
            "T\n\n"
            + "".join(
                f"{a.capitalize()}{b} {c.capitalize()}{d} said “hello there friend.” Koba said “x.” "
                for a in ("ba", "ko", "ri", "mu", "te", "lo", "ni", "sa")
                for b in ("ba", "ko", "ri", "mu", "te", "lo", "ni", "sa")
                for c in ("ba", "ko", "ri", "mu", "te", "lo", "ni", "sa")
                for d in ("ba", "ko", "ri", "mu")
            )
        ).encode(),
        ".txt",
    ),
}


@pytest.mark.parametrize("name", list(REGRESSIONS))
def test_inputs_that_once_crashed_or_hung(name):
    data, suffix = REGRESSIONS[name]
    check(data, suffix)  # each of these took from 15 s to hours, or crashed, before the fix
