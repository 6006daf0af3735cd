"""Feeds as documents: parsing RSS and Atom, an entry's text, and the forms entries are compared in."""

from __future__ import annotations

import pytest

from bot.core.models import RawArticle
from bot.sources.feeds import (
    Entry,
    FeedError,
    clean_author,
    entry_raw,
    entry_text,
    normalise_link,
    parse_feed,
    text_hash,
)


def test_parse_feed_and_helpers():
    parsed = parse_feed(
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><item><title> A  title </title>"
        b"<link>https://x.example/a</link><guid>1</guid><description>&lt;p&gt;One&lt;/p&gt;&lt;p&gt;Two&lt;br/&gt;three&lt;/p&gt;"
        b"</description></item></channel></rss>"
    )
    assert parsed.title == "T"
    [entry] = parsed.entries
    assert (entry.guid, entry.link, entry.title) == ("1", "https://x.example/a", "A title")
    assert entry_text(entry.content_html) == "One\n\nTwo three"
    assert (
        normalise_link("HTTPS://News.Example/a?id=3&utm_source=rss&fbclid=x#comments") == "https://news.example/a?id=3"
    )
    assert normalise_link("   ") is None
    relative = parse_feed(
        b"<rss version='2.0'><channel><item><link>/2025/a</link></item></channel></rss>", "https://x.example/feed"
    )
    assert relative.entries[0].link == "https://x.example/2025/a"


def test_an_atom_feed_with_full_content():
    parsed = parse_feed(
        b"<feed xmlns='http://www.w3.org/2005/Atom'><title>Gazette</title><entry><id>urn:1</id>"
        b"<title>Harbour</title><link href='https://x.example/h'/><author><name>Jane Doe</name></author>"
        b"<updated>2025-11-03T09:00:00Z</updated><content type='html'>&lt;p&gt;Body.&lt;/p&gt;</content></entry></feed>"
    )
    [entry] = parsed.entries
    assert parsed.title == "Gazette" and entry.guid == "urn:1" and entry.author == "Jane Doe"
    assert entry.published == "2025-11-03T09:00:00Z" and entry_text(entry.content_html) == "Body."


@pytest.mark.parametrize("body", [b"", b"   ", b"<html><body>not a feed</body></html>"])
def test_what_is_not_a_feed_is_refused(body):
    with pytest.raises(FeedError):
        parse_feed(body)


def test_an_entry_as_the_feed_gives_it():
    entry = Entry("g", "https://x.example/a", "A", "Jane", "2025-11-03", "<p>One</p><p>Two</p>")
    assert entry_raw(entry, "Gazette") == RawArticle(
        text="One\n\nTwo",
        title="A",
        author="Jane",
        url="https://x.example/a",
        published="2025-11-03",
        publication="Gazette",
    )
    assert entry_raw(Entry("g", None, "A", None, None, "  "), "Gazette") is None


def test_the_text_hash_ignores_whitespace_and_a_leading_headline():
    one = RawArticle(text="Harbour Plan\n\nThe board   approved it.", title="Harbour Plan")
    two = RawArticle(text="The board approved it.\n", title="A New Title")
    assert text_hash(one) == text_hash(two)
    assert text_hash(one) != text_hash(RawArticle(text="The board rejected it."))


def test_feed_author_strings_are_cleaned_to_names() -> None:

    assert clean_author("John (noreply@blogger.com)") == "John"
    assert clean_author("noreply@blogger.com (John)") == "John"
    assert clean_author("Example editor <me@example.com>") == "Example editor"
    assert clean_author("  Jane   Doe ") == "Jane Doe"
    assert clean_author("me@example.com") is None
    assert clean_author(None) is None


def test_every_author_of_an_entry_in_order() -> None:
    body = b"""<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
    <title>T</title>
    <item><title>a</title><link>http://example.com/a</link><author>noreply@blogger.com (John)</author>
    <description>x</description></item>
    <item><title>b</title><link>http://example.com/b</link><dc:creator>Jane Doe</dc:creator>
    <dc:creator>John Roe</dc:creator><description>x</description></item>
    <item><title>c</title><link>http://example.com/c</link><author>me@example.com</author>
    <description>x</description></item>
    </channel></rss>"""
    assert [e.author for e in parse_feed(body).entries] == ["John", "Jane Doe; John Roe", None]
