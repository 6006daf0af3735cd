"""The page's JSON-LD, read once (bot.sources.jsonld)."""

from __future__ import annotations

import json

from lxml import html as lxml_html

from bot.sources.evidence import collect_evidence
from bot.sources.jsonld import MAX_JSON_ITEMS, is_article, load_json, read_jsonld
from bot.sources.titles import collect_titles


def _tree(*blocks: str) -> lxml_html.HtmlElement:
    scripts = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    return lxml_html.fromstring(f"<html><head>{scripts}</head><body><p>Text.</p></body></html>")


def test_nodes_in_document_order_through_graph_and_main_entity() -> None:
    graph = {"@graph": [{"@type": "WebSite", "name": "Site"}, {"@type": "WebPage", "mainEntity": {"@type": "Article"}}]}
    ld = read_jsonld(_tree(json.dumps(graph), json.dumps({"@type": "Person", "name": "Jane"})))
    assert [n.get("@type") for n in ld.nodes] == [None, "WebSite", "WebPage", "Article", "Person"]
    assert [n for n in ld.nodes if is_article(n)] == [{"@type": "Article"}]


def test_the_items_of_a_list_page_are_marked_as_other_pages() -> None:
    items = {"@type": "ItemList", "itemListElement": [{"@type": "NewsArticle", "headline": "Another story"}]}
    ld = read_jsonld(_tree(json.dumps(items)))
    assert [n["@type"] for n in ld.page_nodes()] == ["ItemList"]
    assert collect_titles(_tree(json.dumps(items))).meta == []


def test_comment_and_cdata_wrappers_and_a_trailing_semicolon_are_tolerated() -> None:
    assert load_json('<!-- {"a": 1} -->') == {"a": 1}
    assert load_json('<![CDATA[{"a": 1}]]>') == {"a": 1}
    assert load_json('{"a": 1};') == {"a": 1}
    assert load_json("{not json") is None


def test_a_block_over_the_bounds_is_cut_in_the_tree_for_trafilatura() -> None:
    big = {"@type": "ItemList", "itemListElement": [{"@type": "Thing"}] * (MAX_JSON_ITEMS + 50)}
    tree = _tree(json.dumps(big))
    read_jsonld(tree)
    script = next(tree.iter("script"))
    assert len(json.loads(script.text)["itemListElement"]) == MAX_JSON_ITEMS


def test_titles_and_authors_read_the_same_nodes() -> None:
    # A block wrapped in an HTML comment: both the headline and the author come from it.
    block = (
        '<!-- {"@type": "NewsArticle", "headline": "One reader", "author": {"@type": "Person", "name": "Jane Doe"}} -->'
    )
    tree = _tree(block)
    ld = read_jsonld(tree)
    assert collect_titles(tree, ld).meta == [("jsonld", "One reader")]
    assert collect_evidence(tree, ld).jsonld == ["Jane Doe"]
    assert ld.owners() == []
