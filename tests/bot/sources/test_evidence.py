"""A page's author evidence read from its HTML tree: JSON-LD, meta tags, the visible text and where
the headline and byline elements are; the tree trimmed to the bounds trafilatura will see."""

from __future__ import annotations

import json

from lxml import html as lxml_html

from bot.sources.evidence import MAX_AUTHORS, collect_evidence


def tree(head: str = "", body: str = ""):
    return lxml_html.fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


def test_json_ld_authors_people_and_organisations_and_publisher():
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Organization", "name": "Example Wire"}],
        "publisher": {"@type": "Organization", "name": "Harbour Times"},
    }
    evidence = collect_evidence(tree(head=f'<script type="application/ld+json">{json.dumps(ld)}</script>'))
    assert evidence.jsonld == ["Jane Doe"]
    assert evidence.jsonld_orgs == ["Example Wire"]
    assert evidence.owners == ["Harbour Times"]


def test_meta_tags_author_owner_and_posted_by():
    head = (
        '<meta name="author" content="Jane Doe">'
        '<meta property="og:site_name" content="Harbour Times">'
        '<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Ann Lee">'
    )
    evidence = collect_evidence(tree(head=head))
    assert evidence.meta == ["Jane Doe"]
    assert evidence.owners == ["Harbour Times"]
    assert evidence.posted_by == ["Ann Lee"]


def test_body_text_headline_and_byline_spans():
    body = (
        "<script>var x = 'not text';</script><h1>Harbour Plan Approved</h1>"
        "<div class='byline'>By <a rel='author' href='/author/jane-doe'>Jane Doe</a></div><p>The board met.</p>"
    )
    evidence = collect_evidence(tree(body=body))
    assert evidence.pieces == ["Harbour Plan Approved", "By ", "Jane Doe", "The board met."]
    assert evidence.starts == [True, True, False, True]
    assert evidence.headlines == [(0, "Harbour Plan Approved")]
    assert (1, 3, "class") in evidence.spans and (2, 3, "rel") in evidence.spans


def test_too_many_author_meta_tags_are_dropped_from_the_tree():
    head = "".join(f'<meta name="author" content="Person {i} Doe">' for i in range(MAX_AUTHORS + 5))
    page = tree(head=head)
    evidence = collect_evidence(page)
    assert len(evidence.meta) == MAX_AUTHORS
    assert len(page.findall(".//meta")) == MAX_AUTHORS
