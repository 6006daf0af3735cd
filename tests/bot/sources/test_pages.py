"""Article pages (HTML): authors from every kind of evidence, cleaning, decoding, and what a page
without an article does. Pages are small and hand-written; each one is extracted by trafilatura."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest

from bot.analysis.parsing import parse_article
from bot.core.errors import ArticleFileError
from bot.core.models import Article
from bot.sources.pages import MAX_HTML_BYTES, decode_html, raw_from_html, read_page
from tests.conftest import ROOT

PARAGRAPHS = [
    "The harbour board approved a new plan on Monday that will reshape the waterfront over the next decade, "
    "with new quays, a ferry terminal and a public park where the old warehouses now stand.",
    "Officials said the project would be paid for by a mix of port fees and a loan from the regional bank, "
    "and that construction could begin as early as next spring if the final permits arrive on time.",
    "Residents who spoke at the meeting were divided. Some welcomed the park and the jobs, while others "
    "worried about traffic on the narrow streets that lead down to the harbour from the old town.",
    "The board's chair said the plan had been revised three times after public consultations and that "
    "the current version kept the historic crane and the fish market that many people asked to save.",
    "A final vote on the budget is expected in the autumn, when the council will also decide whether to "
    "extend the tram line to the new terminal, a question that has divided the city for years.",
]
TITLE = "Harbour Plan Approved After Long Debate"


def page(head: str = "", header: str = "", body: str | None = None, after: str = "", lang: str = "en") -> str:
    """A news page: <head> extras, a header after the headline (bylines), the article, a footer."""
    text = body if body is not None else "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{TITLE} | Harbour Times</title>'
        f"{head}</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<main><article><h1>{TITLE}</h1>{header}<div class='article-body'>{text}</div></article></main>"
        f"{after}<footer><p>Contact us</p></footer></body></html>"
    )


def authors(html: str | bytes, url: str | None = "https://harbourtimes.example/news/plan") -> list[str]:
    """The names the whole pipeline gives: page -> raw article -> parsed Article's authors."""
    return [a.name for a in parse_article(raw_from_html(html, url)).authors]


# --- where authors come from ---------------------------------------------------------------------


def test_json_ld_person_author():
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE,
          "author": {"@type": "Person", "name": "Maria Lindqvist"}}  # fmt: skip
    html = page(head=f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    assert authors(html) == ["Maria Lindqvist"]


def test_json_ld_graph_with_id_references_and_several_authors():
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": "#site", "name": "Harbour Times"},
            {"@type": "Person", "@id": "#p1", "name": "Maria Lindqvist"},
            {
                "@type": "Article",
                "headline": TITLE,
                "author": [{"@id": "#p1"}, {"@type": "Person", "name": "Tomás Ortega"}],
            },
        ],
    }
    html = page(head=f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    assert authors(html) == ["Maria Lindqvist", "Tomás Ortega"]


@pytest.mark.parametrize(
    "meta",
    [
        '<meta name="author" content="Maria Lindqvist">',
        '<meta property="article:author" content="Maria Lindqvist">',
        '<meta name="parsely-author" content="Maria Lindqvist">',
        '<meta name="sailthru.author" content="Maria Lindqvist">',
        '<meta name="DC.creator" content="Maria Lindqvist">',
        '<meta name="byl" content="By MARIA LINDQVIST">',
        '<meta name="author" value="Maria Lindqvist">',  # saved pages that write value= for content=
    ],
)
def test_meta_tag_authors(meta):
    assert authors(page(head=meta)) == ["Maria Lindqvist"]


@pytest.mark.parametrize(
    "header",
    [
        '<div itemprop="author" itemscope><span itemprop="name">Maria Lindqvist</span></div>',
        '<p>Story: <a rel="author" href="/m">Maria Lindqvist</a></p>',
        '<div class="article-byline"><span>Maria Lindqvist</span><time>March 3, 2024</time></div>',
        '<p><span>By</span> <a href="/staff/mlindqvist">Maria Lindqvist</a> - March 3, 2024</p>',
        "<p>Words by <b>Maria Lindqvist</b></p>",
    ],
)
def test_visible_bylines(header):
    assert authors(page(header=header)) == ["Maria Lindqvist"]


def test_by_inside_a_sentence_is_not_a_byline_but_after_a_date_it_is():
    body = "<p>The plan was inspired by a novel written <a href='/b'>by Mark Twain</a> about the river.</p>"
    body += "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    assert authors(page(body=body)) == []
    assert authors(page(header="<div><time>March 3, 2024</time> · <span>By Maria Lindqvist</span></div>")) == [
        "Maria Lindqvist"
    ]


def test_written_by_in_twitter_labels_counts_after_the_visible_byline():
    head = '<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Olga Berg">'
    assert authors(page(head=head)) == ["Olga Berg"]
    # The account that posted the page is often an editor: the byline under the headline wins.
    assert authors(page(head=head, header="<p>By Maria Lindqvist</p>")) == ["Maria Lindqvist"]


def test_json_ld_escaped_as_html_is_unescaped():
    ld = '{"@type": "Article", "author": {"@type": "Person", "name": "Siobhan O&#039;Brien"}}'
    assert authors(page(head=f'<script type="application/ld+json">{ld}</script>')) == ["Siobhan O'Brien"]


def test_a_line_break_inside_a_byline_is_a_space():
    header = "<p>By</p><p>by MARIA LINDQVIST, TOMÁS ORTEGA and AL\n        RIVERA</p><p>March 3, 2024</p>"
    assert authors(page(header=header)) == ["Maria Lindqvist", "Tomás Ortega", "Al Rivera"]


def test_a_byline_does_not_run_into_the_story():
    header = (
        "<p>By <a href='/a/ml'>Maria Lindqvist</a></p>"
        "<p>HARBOURTON, North Island — A plan backed by <a href='/t/x'>Olga Berg</a> passed on Monday.</p>"
    )
    assert authors(page(header=header)) == ["Maria Lindqvist"]


def test_people_credited_for_photos_or_styling_are_not_authors_even_in_a_meta_tag():
    head = '<meta name="author" content="Maria Lindqvist,Olga Berg,Pedro Alves at Quay Models">'
    header = (
        "<p class='byline'>By Maria Lindqvist</p>"
        "<p><span>Photographed by <span>Olga Berg</span></span>; <span>Modeled by <span>Pedro Alves at Quay Models</span></span></p>"
    )
    assert authors(page(head=head, header=header)) == ["Maria Lindqvist"]
    # Someone who wrote the piece and took its photographs is still its author.
    head = '<meta name="author" content="Maria Lindqvist">'
    assert authors(page(head=head, header="<p>Photos by Maria Lindqvist</p>")) == ["Maria Lindqvist"]


def test_photo_credits_are_not_bylines():
    header = "<figure><img src='x.jpg'><figcaption>The old quay. <small>Photo by <a href='https://photos.example/olga'>Olga Berg</a></small></figcaption></figure>"
    assert authors(page(header=header)) == []


def test_links_to_person_pages_count_only_standing_alone():
    in_sentence = "<p><a href='/people/olga-berg'>Olga Berg</a> was at the meeting on Monday.</p>"
    assert authors(page(header=in_sentence)) == []
    assert authors(page(header="<div><a href='/editors/maria-lindqvist/'>Maria Lindqvist</a></div>")) == [
        "Maria Lindqvist"
    ]
    assert authors(page(header="<div><a href='/users/login'>Log In</a></div>")) == []


def test_a_handle_under_the_headline_beats_a_related_storys_byline():
    header = "<div class='meta'><a href='/u/harbourfan'>harbourfan</a></div>"
    related = "<aside><h4>Another story</h4><span class='byline'>Olga Berg</span></aside>"
    assert authors(page(header=header, after=related)) == ["harbourfan"]


def test_trafilatura_guess_is_the_last_resort_and_a_text_byline_still_works():
    body = "<p>By Maria Lindqvist</p>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    assert authors(page(body=body)) == ["Maria Lindqvist"]


# --- several authors -----------------------------------------------------------------------------


def test_headline_byline_extends_a_meta_tag_naming_only_the_first_author():
    html = page(
        head='<meta name="author" content="Maria Lindqvist">',
        header='<p class="byline">By <a href="/a/ml">Maria Lindqvist</a> and <a href="/a/to">Tomás Ortega</a></p>',
    )
    assert authors(html) == ["Maria Lindqvist", "Tomás Ortega"]


@pytest.mark.parametrize("between", [" and ", ", ", " in San Sebastián and "])
def test_author_links_joined_by_and_are_one_byline(between):
    header = (
        f'<p><a rel="author" href="/p/ml">Maria Lindqvist</a>{between}<a rel="author" href="/p/to">Tomás Ortega</a></p>'
    )
    assert authors(page(header=header)) == ["Maria Lindqvist", "Tomás Ortega"]


@pytest.mark.parametrize(
    "value",
    [
        "By MARIA LINDQVIST, TOMÁS ORTEGA and AL RIVERA",
        "Maria Lindqvist, Tomás Ortega & Al Rivera",
        "Maria Lindqvist; Tomás Ortega; Al Rivera",
    ],
)
def test_several_authors_in_one_value_become_several_authors(value):
    raw = raw_from_html(page(head=f'<meta name="author" content="{value}">'))
    article = parse_article(raw)
    assert [a.name for a in article.authors] == ["Maria Lindqvist", "Tomás Ortega", "Al Rivera"]
    assert raw.author == "Maria Lindqvist; Tomás Ortega; Al Rivera"
    # The cached form of an article keeps them all.
    assert Article.from_dict(json.loads(json.dumps(article.to_dict()))).authors == article.authors


def test_organisation_with_and_in_its_name_stays_one_author():
    ld = {
        "@type": "Article",
        "headline": TITLE,
        "author": {"@type": "Organization", "name": "Friends and Neighbours Trust"},
    }
    html = page(head=f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    assert authors(html) == ["Friends and Neighbours Trust"]


# --- cleaning ------------------------------------------------------------------------------------


def test_site_name_after_a_name_is_dropped():
    html = page(
        head='<meta property="og:site_name" content="HarbourTimes">',
        header="<p class='byline'>Maria Lindqvist HarbourTimes Local Fellow</p>",
    )
    assert authors(html) == ["Maria Lindqvist"]


def test_the_publisher_beside_the_writer_is_not_an_author():
    html = page(
        head='<meta name="author" content="Conde Lindholm"><meta name="author" content="Maria Lindqvist">'
        '<meta name="copyright" content="Copyright (c) Conde Lindholm 2024">'
    )
    assert authors(html) == ["Maria Lindqvist"]


def test_a_blog_whose_owner_writes_keeps_the_owner():
    html = page(
        head='<meta name="author" content="Maria Lindqvist"><meta name="copyright" content="© Maria Lindqvist">'
    )
    assert authors(html) == ["Maria Lindqvist"]


def test_bylines_of_related_stories_do_not_win_over_the_articles_own():
    related = "".join(
        f"<li><a href='/s{i}'>Another story {i}</a> <span class='byline'>By {name}</span></li>"
        for i, name in enumerate(["Olga Berg", "Pedro Alves", "Sam Okafor"])
    )
    html = page(
        header="<div class='story-meta'><span class='byline'>By Maria Lindqvist</span></div>",
        after=f"<aside><ul>{related}</ul></aside>",
    )
    assert authors(html) == ["Maria Lindqvist"]


def test_a_credited_organisation_when_no_person_is_named():
    html = page(head='<meta name="author" content="Harbour Wire Service">', header="<p>By: Harbour Wire Service</p>")
    assert authors(html) == ["Harbour Wire Service"]


def test_declared_names_in_lower_case_or_in_scripts_without_case():
    assert authors(page(head='<meta name="author" content="maria lindqvist">')) == ["Maria Lindqvist"]
    assert authors(page(head='<meta name="author" content="王小明">')) == ["王小明"]
    assert authors(page(head='<meta name="author" content="Иван Петров">')) == ["Иван Петров"]


def test_no_author_evidence_gives_no_author():
    assert authors(page()) == []


# --- everything else a page gives ----------------------------------------------------------------


def test_title_date_publication_description_and_canonical_url():
    head = (
        '<meta property="og:site_name" content="Harbour Times">'
        '<meta property="og:title" content="Harbour Plan Approved After Long Debate">'
        '<meta name="description" content="The waterfront will change more in ten years than in the last fifty.">'
        '<meta property="article:published_time" content="2024-03-05T10:00:00Z">'
        '<link rel="canonical" href="https://harbourtimes.example/news/harbour-plan">'
    )
    raw = raw_from_html(page(head=head), "https://harbourtimes.example/news/harbour-plan?utm_source=feed")
    assert raw.title == TITLE
    assert raw.published == "2024-03-05"
    assert raw.publication == "Harbour Times"
    assert raw.standfirst == "The waterfront will change more in ten years than in the last fifty."
    assert raw.url == "https://harbourtimes.example/news/harbour-plan"
    assert raw.text.split("\n\n")[0] == PARAGRAPHS[0]
    article = parse_article(raw)
    assert article.paragraphs == tuple(PARAGRAPHS)


def test_a_description_that_repeats_the_opening_is_not_a_standfirst():
    head = f'<meta name="description" content="{PARAGRAPHS[0][:120]}...">'
    assert raw_from_html(page(head=head)).standfirst is None


@pytest.mark.parametrize(
    "description",
    [
        "Posted on 3 June 2021",
        "11/28/2016 11:00 AM PT",
        "By Jane Doe and John Roe",
        "Abstract:",
        "Supported by",
        "harbour-plan-final.pdf",
        "Highlights",
    ],
)
def test_a_date_byline_label_or_file_name_is_not_a_standfirst(description):
    head = f'<meta name="description" content="{description}">'
    assert raw_from_html(page(head=head)).standfirst is None


def test_the_title_is_the_headline_without_the_site_name_and_not_a_prompt():
    # <title> says "... | Harbour Times"; a newsletter prompt in an h1 before the article names the site.
    html = (
        page(head='<meta property="og:site_name" content="Harbour Times">')
        .replace(f"<h1>{TITLE}</h1>", f"<h2>{TITLE}</h2>")
        .replace("<main>", "<main><h1>Get Harbour Times in your inbox</h1>")
    )
    raw = raw_from_html(html, "https://harbourtimes.example/news/plan")
    assert raw.title == TITLE
    article = parse_article(raw)
    assert article.paragraphs[0] == PARAGRAPHS[0]


def test_list_markers_and_line_breaks_inside_sentences_do_not_reach_the_article():
    body = (
        f"<p>{PARAGRAPHS[0]}</p><ul><li>New quays on the east side</li><li>A ferry terminal</li></ul>"
        f"<p>{PARAGRAPHS[1].replace(' port fees', '<br>port fees')}</p>"
    )
    article = parse_article(raw_from_html(page(body=body)))
    assert "New quays on the east side" in article.paragraphs
    assert not any(p.startswith(("- ", "• ")) for p in article.paragraphs)
    assert " ".join(PARAGRAPHS[1].split()) in article.paragraphs


def test_boilerplate_in_a_page_never_reaches_the_article():
    body = (
        f"<p>{TITLE}</p>"
        "<p>Photo: Harbour Board/Flickr</p>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:3])
        + "<p>Sign up for our newsletter to get the latest harbour news.</p>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[3:])
        + "<p>Subscribe now for unlimited access.</p>"
    )
    article = parse_article(raw_from_html(page(body=body)))
    assert article.paragraphs == tuple(PARAGRAPHS)


# --- decoding ------------------------------------------------------------------------------------


def test_declared_windows_1252_bytes_are_decoded_with_it():
    html = page(head='<meta name="author" content="Zoë Ångström">').replace('<meta charset="utf-8">', "")
    html = html.replace("<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">')
    html = html.replace(PARAGRAPHS[1], PARAGRAPHS[1] + " The café’s owner agreed.")
    raw = raw_from_html(html.encode("cp1252"))
    assert "The café’s owner agreed." in raw.text
    assert parse_article(raw).authors[0].name == "Zoë Ångström"


def test_iso_8859_1_label_reads_as_windows_1252_and_utf8_wins_when_valid():
    latin = '<html><head><meta charset="iso-8859-1"></head><body><p>\u201cquoted\u201d caf\xe9</p></body></html>'
    assert "\u201cquoted\u201d café" in decode_html(latin.encode("cp1252"))
    # Declared latin-1 but the bytes are valid UTF-8: they are UTF-8.
    assert "café" in decode_html(latin.encode("utf-8"))


def test_declared_charsets():
    from bot.sources.pages import declared_charset

    assert declared_charset(b'<meta charset="ISO-8859-1">') == "cp1252"
    assert declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">') == "shift_jis"
    assert declared_charset(b'<?xml version="1.0" encoding="koi8-r"?><html>') == "koi8-r"
    assert declared_charset(b'<meta charset="utf-16">') == "utf-8"
    assert declared_charset(b'<meta charset="no-such-charset">') is None
    assert declared_charset(b"<html><body>no declaration</body></html>") is None
    koi8 = '<html><head><meta charset="koi8-r"></head><body><p>Привет</p></body></html>'
    assert "Привет" in decode_html(koi8.encode("koi8-r"))


def test_byte_order_marks_and_undeclared_bytes():
    text = "<html><body><p>Zoë</p></body></html>"
    assert decode_html(b"\xff\xfe" + text.encode("utf-16-le")) == text
    assert decode_html(b"\xef\xbb\xbf" + text.encode()) == text
    assert "Zo" in decode_html(text.encode("cp1252"))  # no declaration, not UTF-8: detected, never a crash


# --- pages that are not articles -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("", "empty page"),
        ("   \n", "empty page"),
        (b"\x00\x01\x02<html>", "binary content"),
        ("<html><head><title>Login</title></head><body><form><input name=u></form></body></html>", "no article text"),
        ("<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
    ],
)
def test_pages_without_an_article_are_refused_with_a_reason(html, reason):
    with pytest.raises(ArticleFileError, match=reason):
        raw_from_html(html)


def test_page_size_limit():
    with pytest.raises(ArticleFileError, match="too large"):
        raw_from_html(b" " * (MAX_HTML_BYTES + 1))
    with pytest.raises(ArticleFileError, match="too large"):
        raw_from_html(page(), max_bytes=100)


def test_read_page_keeps_trafilaturas_own_guess_for_comparison():
    result = read_page(page(head='<meta name="author" content="Maria Lindqvist, Staff Writer">'))
    assert result.authors == ("Maria Lindqvist",)
    assert result.trafilatura_author is not None


def test_trafilatura_is_imported_only_when_a_page_is_read():
    code = "import sys, bot.sources.pages, bot.sources.files, bot.library.service; print('trafilatura' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- through the library -------------------------------------------------------------------------


async def test_html_files_load_through_the_library_and_bad_pages_are_skipped(db, articles_dir, caplog):
    from bot.library.service import Library

    head = '<meta name="author" content="Maria Lindqvist, Staff Writer"><meta property="og:site_name" content="Harbour Times">'
    (articles_dir / "harbour.html").write_text(page(head=head), encoding="utf-8")
    (articles_dir / "menu.htm").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    lib = Library(db, articles_dir)
    with caplog.at_level(logging.WARNING, logger="bot.library.service"):
        report = await lib.sync()
    assert dict(report.skipped) == {"menu.htm": "no article text found in the page"}
    assert "skipped menu.htm: no article text found in the page" in caplog.text
    row = lib.catalogue.resolve("harbour-plan-approved-after-long-debate")
    brief = await lib.reading.brief(row, 3)
    assert brief.article.author.name == "Maria Lindqvist"
    assert brief.article.publication == "Harbour Times"
    assert brief.article.source_path == "harbour.html"
    assert all(s in " ".join(PARAGRAPHS) for s in brief.summary)


async def test_many_html_files_are_extracted_in_worker_processes(db, tmp_path, monkeypatch):
    import bot.library.ingest as libmod
    from bot.library.folder import CHUNK
    from bot.library.service import Library
    from bot.sources import pages as web

    def not_here(*args, **kwargs):
        raise AssertionError("a page was extracted in the bot's own process")

    monkeypatch.setattr(web, "read_page", not_here)  # the spawned workers have the real one
    monkeypatch.setattr(libmod, "analyse", not_here)  # so is the analysis
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(CHUNK):
        html = page(head='<meta name="author" content="Maria Lindqvist">').replace(TITLE, f"{TITLE} {i}")
        (folder / f"p{i:03}.html").write_text(html.replace(PARAGRAPHS[0], f"{PARAGRAPHS[0]} Item {i}."))
    library = Library(db, folder)
    try:
        report = await library.sync()
        assert library.pages.workers > 0, "the pool's workers were used"
        assert len(report.added) == CHUNK and not report.skipped
    finally:
        library.close()


# --- inputs that would make author-finding cost more than linear ----------------------------------


def _many_names(n: int) -> list[str]:
    """``n`` distinct plausible names (most first names repeat, every surname differs)."""
    firsts = ["Anna", "Ben", "Cara", "Dan", "Eve", "Finn", "Gail", "Hugo", "Ivy", "Jon", "Kai", "Lea"]
    letters = "bcdfghklmnprstvz"
    surnames = ("".join(letters[(i // 16**k) % 16] + "aeiou"[(i + k) % 5] for k in range(4)).title() for i in range(n))
    return [f"{firsts[i % len(firsts)]} {s}" for i, s in enumerate(surnames)]


class _Count:
    n = 0


def _count_calls(monkeypatch, module, name: str) -> _Count:
    """Wrap ``module.name`` so that its calls are counted (``.n``), for tests of how work grows."""
    count, real = _Count(), getattr(module, name)

    def counting(*args):
        count.n += 1
        return real(*args)

    monkeypatch.setattr(module, name, counting)
    return count


def test_a_meta_tag_with_thousands_of_names_is_read_in_linear_time(monkeypatch):
    """One meta tag listing 2,000 names: only the first MAX_NAMES_PER_VALUE are read, and the
    de-duplication compares each name only with names of the same first and last word (it used to
    compare every pair: 16,000 names took 48 s)."""
    from bot.analysis import names as name_module
    from bot.sources import authors as authors_module
    from bot.sources.bylines import MAX_NAMES_PER_VALUE

    in_dedupe = _count_calls(monkeypatch, name_module, "same_person")
    in_choosing = _count_calls(monkeypatch, authors_module, "same_person")
    names = _many_names(2_000)
    got = authors(page(head=f'<meta name="author" content="{", ".join(names)}">'))
    assert got[:3] == names[:3]
    assert len(got) <= MAX_NAMES_PER_VALUE
    n = in_dedupe.n + in_choosing.n
    assert n < 5_000, f"{n:,} name comparisons for 2,000 names"


def test_dedupe_is_linear_and_keeps_the_fuller_form(monkeypatch):
    from bot.analysis import names as name_module

    calls = _count_calls(monkeypatch, name_module, "same_person")
    names = _many_names(3_000)
    assert name_module.dedupe_names([*names, "Jane Doe", "Jane Q. Doe", names[0].upper()]) == [*names, "Jane Q. Doe"]
    assert calls.n < 3 * len(names), f"{calls.n:,} comparisons for {len(names):,} names"


def test_thousands_of_json_ld_authors_reach_neither_our_reader_nor_trafilatura_unbounded(monkeypatch):
    """trafilatura normalises JSON-LD authors in time cubic in their number (1,000 took 11 s): the
    page's tree is trimmed to MAX_AUTHORS before trafilatura reads it, and so is our evidence."""
    import trafilatura.json_metadata as jm

    from bot.sources import evidence as web

    seen = _count_calls(monkeypatch, jm, "normalize_authors")
    names = _many_names(400)
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE,
          "author": [{"@type": "Person", "name": n} for n in names]}  # fmt: skip
    got = authors(page(head=f'<script type="application/ld+json">{json.dumps(ld)}</script>'))
    assert got[:2] == names[:2] and len(got) <= web.MAX_AUTHORS
    assert 0 < seen.n <= web.MAX_AUTHORS, f"trafilatura normalised {seen.n} author values"


def test_thousands_of_author_meta_tags_are_bounded_for_trafilatura_too(monkeypatch):
    import trafilatura.metadata as tm

    from bot.sources import evidence as web

    seen = _count_calls(monkeypatch, tm, "normalize_authors")
    names = _many_names(300)
    head = "".join(f'<meta name="author" content="{n}">' for n in names)
    got = authors(page(head=head))
    assert got[:2] == names[:2] and len(got) <= web.MAX_AUTHORS
    assert 0 < seen.n <= web.MAX_AUTHORS, f"trafilatura normalised {seen.n} author values"


def test_page_text_is_bounded_like_a_file_text():
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS * 40)
    assert len(raw_from_html(page(body=body)).text) > 20_000
    with pytest.raises(ArticleFileError, match="article text too long"):
        raw_from_html(page(body=body), max_text_bytes=20_000)


def test_a_lone_surrogate_escaped_in_json_ld_does_not_reach_the_article():
    # "\ud800" is valid JSON and decodes to a lone surrogate, which no UTF-8 encoder takes: the
    # article's content hash, its row in SQLite and the embed sent to Discord would all raise.
    ld = '{"@type": "NewsArticle", "headline": "Harbour plan \\ud800 approved", "author": {"@type": "Person", "name": "Jane \\udc00 Doe"}, "publisher": {"@type": "Organization", "name": "Gazette \\ud83d"}, "description": "A plan \\udfff"}'
    paras = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = f"<html><head><script type='application/ld+json'>{ld}</script></head><body><article>{paras}</article></body></html>"
    result = read_page(page, "https://news.example/harbour")
    raw = result.raw
    for value in (
        raw.text,
        raw.title,
        raw.author,
        raw.url,
        raw.published,
        raw.publication,
        raw.standfirst,
        *raw.authors,
    ):
        (value or "").encode("utf-8")
    (result.trafilatura_author or "").encode("utf-8")
    assert raw.title == "Harbour plan \ufffd approved" and raw.authors == ("Jane \ufffd Doe",)
    parse_article(raw)  # hashes every field
