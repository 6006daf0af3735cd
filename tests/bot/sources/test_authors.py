"""Choosing a page's authors from its evidence: the most explicit source that names a person, extended
by a later one naming the same people and more; publishers and photo credits are not authors."""

from __future__ import annotations

from bot.sources.authors import choose_authors
from bot.sources.evidence import Evidence


def visible(*pieces: str, headline: int = 0) -> Evidence:
    return Evidence(pieces=list(pieces), starts=[True] * len(pieces), headlines=[(headline, pieces[headline])])


def test_json_ld_wins_over_meta_and_the_visible_byline():
    evidence = visible("Harbour Plan Approved", "By John Roe")
    evidence.jsonld, evidence.meta = ["Jane Doe"], ["Ann Lee"]
    assert choose_authors(evidence, title="Harbour Plan Approved") == ["Jane Doe"]


def test_a_later_source_naming_the_same_people_and_more_extends_the_first():
    evidence = visible("Harbour Plan Approved", "By Jane Doe and John Roe")
    evidence.meta = ["Jane Doe"]
    assert choose_authors(evidence, title="Harbour Plan Approved") == ["Jane Doe", "John Roe"]


def test_the_visible_byline_nearest_the_headline():
    evidence = visible(
        "By Old Story Writer", "x", "x", "x", "x", "x", "x", "x", "x", "Harbour Plan", "By Jane Doe", headline=9
    )
    assert choose_authors(evidence, title="Harbour Plan") == ["Jane Doe"]


def test_the_publisher_and_photo_credits_are_not_authors():
    evidence = visible("Harbour Plan Approved", "Photographs by Ann Lee")
    evidence.meta = ["Harbour Times Media", "Jane Doe", "Ann Lee"]
    evidence.owners = ["Harbour Times Media"]
    assert choose_authors(evidence, title="Harbour Plan Approved") == ["Jane Doe"]


def test_the_site_name_ends_a_name_and_the_fallback_comes_last():
    evidence = visible("Harbour Plan Approved")
    assert choose_authors(evidence, site="Harbourtimes", fallback="Jane Doe Harbourtimes") == ["Jane Doe"]
    assert choose_authors(visible("Harbour Plan Approved")) == []


# --- from the page's structure (collect_evidence on small pages) ----------------------------------

BODY = "<p>" + "The harbour board approved a new plan on Monday after a long debate. " * 6 + "</p>"


def from_html(body: str, *, head: str = "", site: str | None = None, url: str | None = None) -> list[str]:
    from lxml import html as lxml_html

    from bot.sources.evidence import collect_evidence

    tree = lxml_html.fromstring(f"<html><head>{head}</head><body>{body}</body></html>")
    return choose_authors(collect_evidence(tree), title="Harbour Plan Approved", site=site, url=url)


def test_a_commenter_in_a_recent_comments_widget_is_not_the_author():
    sidebar = (
        '<aside class="widget widget_recent_comments"><h2>Recent Comments</h2><ul><li>'
        '<span class="comment-author-link"><a href="/author/john-roe">John Roe</a></span> on <a href="/p/1">Harbour Plan</a></li></ul></aside>'
    )
    assert from_html(f"<article><h1>Harbour Plan Approved</h1>{BODY}</article>{sidebar}") == []
    byline = '<p class="byline">By Jane Doe</p>'
    assert from_html(f"<article><h1>Harbour Plan Approved</h1>{byline}{BODY}</article>{sidebar}") == ["Jane Doe"]


def test_comments_below_the_article_are_not_its_byline():
    comments = (
        '<div id="comments"><ol class="commentlist"><li><div class="comment-author vcard">'
        '<cite class="fn">Ann Lee</cite></div><p>Great piece, thanks.</p></li>'
        "<li><p>By Mark Twine</p><p>I disagree.</p></li></ol></div>"
    )
    assert from_html(f"<article><h1>Harbour Plan Approved</h1>{BODY}{comments}</article>") == []


def test_a_reference_list_is_not_the_byline():
    first, last = ["Ann", "Mark", "Lena", "Omar", "Ruth", "Ivan", "Nora"], ["Berg", "Cole", "Dunn", "Hale", "Kerr"]
    refs = "".join(
        f'<li><span class="author">{first[i % 7]} {last[i % 5]}</span>, A study ({1950 + i}).</li>' for i in range(70)
    )
    page = f'<article><h1>Harbour Plan Approved</h1><p class="byline">By Jane Doe</p>{BODY}'
    assert from_html(f'{page}<ol class="references">{refs}</ol></article>') == ["Jane Doe"]
    assert from_html(f'<article><h1>Harbour Plan Approved</h1>{BODY}<ol class="references">{refs}</ol></article>') == []


def test_teasers_of_other_stories_are_not_the_byline():
    teaser = '<li><article><h2><a href="/other">Other story</a></h2><p>By John Roe</p></article></li>'
    page = f"<main><article><h1>Harbour Plan Approved</h1>{BODY}</article><ul>{teaser}</ul></main>"
    assert from_html(page) == []


def test_a_profile_link_counts_only_when_its_text_names_the_person_of_its_address():
    menu = '<div class="user"><a href="/profile/hans-meier">Zum Profil</a></div>'
    page = f"<article><h1>Harbour Plan Approved</h1>{menu}{BODY}</article>"
    assert from_html(page) == []
    linked = '<p><a href="/author/jane-doe">Jane Doe</a></p>'
    assert from_html(f"<article><h1>Harbour Plan Approved</h1>{linked}{BODY}</article>") == ["Jane Doe"]
    numbered = '<p><a href="/profile/12345">Jane Doe</a></p>'
    assert from_html(f"<article><h1>Harbour Plan Approved</h1>{numbered}{BODY}</article>") == ["Jane Doe"]


def test_the_user_menu_in_the_sites_header_is_not_the_byline():
    header = '<header class="site"><div class="author-menu"><a href="/me">Jane Doe</a> <a href="/logout">Abmelden</a></div></header>'
    page = f'{header}<article><h1>Harbour Plan Approved</h1><p class="byline">von Hans Meier</p>{BODY}</article>'
    assert from_html(page) == ["Hans Meier"]


def test_by_in_other_languages_is_not_a_name():
    for by in ("von", "par", "por", "door"):
        page = f'<article><h1>Harbour Plan Approved</h1><p class="author">{by} <a href="/a/hm">Hans Meier</a></p>{BODY}</article>'
        assert from_html(page) == ["Hans Meier"], by
        page = f"<article><h1>Harbour Plan Approved</h1><p>{by.title()} Hans Meier</p>{BODY}</article>"
        assert from_html(page) == ["Hans Meier"], by
    page = '<article><h1>Harbour Plan Approved</h1><p><span itemprop="author">von</span></p>' + BODY + "</article>"
    assert from_html(page) == []


def test_labels_are_not_names():
    for label in ("No Author", "Follow Author", "Autor"):
        page = f'<article><h1>Harbour Plan Approved</h1><p><span itemprop="author">{label}</span></p>{BODY}</article>'
        assert from_html(page) == [], label


def test_a_page_of_many_bylines_and_no_headline_is_a_list_of_stories():
    stories = "".join(
        f'<div><h2>Story {i}</h2><p class="byline">By {n}</p></div>'
        for i, n in enumerate(["Ann Berg", "Mark Cole", "Lena Dunn", "Omar Hale"])
    )
    assert from_html(stories) == []
    assert from_html(stories, head='<meta name="author" content="Jane Doe">') == ["Jane Doe"]


def test_a_personal_site_keeps_its_owner():
    head = '<meta property="og:site_name" content="Jane Doe">'
    page = f'<article><h1>Harbour Plan Approved</h1><p class="byline">By Jane Doe</p>{BODY}</article>'
    assert from_html(page, head=head, site="Jane Doe", url="https://janedoe.example/p") == ["Jane Doe"]
    evidence = visible("Harbour Plan Approved")
    evidence.meta, evidence.owners = ["Jane Doe"], ["Jane Doe"]
    assert choose_authors(evidence, site="Jane Doe", fallback="John Roe") == ["Jane Doe"]
    # A publisher is still not an author.
    evidence.meta, evidence.owners = ["Harbour Media Group", "Ann Lee"], ["Harbour Media Group"]
    assert choose_authors(evidence, site="Harbour Media Group") == ["Ann Lee"]


def test_names_in_scripts_without_case():
    page = (
        f'<article><h1>Harbour Plan Approved</h1><p class="author">[<span>田中宏昌，</span>ITmedia]</p>{BODY}</article>'
    )
    assert from_html(page) == ["田中宏昌"]
    # After other text in a byline element, a word without case is not known to be a name.
    page = f'<article><h1>Harbour Plan Approved</h1><p class="author">Jane 發表在 PIXNET 留言</p>{BODY}</article>'
    assert from_html(page) == []
    # Nor is the text of a link whose address names someone in Latin letters.
    page = f'<article><h1>Harbour Plan Approved</h1><p><a href="/users/signout">退出</a></p>{BODY}</article>'
    assert from_html(page) == []


# --- people credited in another role --------------------------------------------------------------


def roles_from_page(html: str) -> list[tuple[str, str | None]]:
    from bot.analysis.parsing import parse_article
    from bot.sources.pages import raw_from_html

    return [(a.name, a.credit) for a in parse_article(raw_from_html(html)).authors]


def test_editors_translators_and_photographers_are_authors_with_their_role_after_the_writers():
    html = (
        "<html><body><article><h1>Harbour Plan Approved</h1>"
        "<p class='byline'>By Jane Doe and John Roe</p>"
        "<p>Translated from the Spanish by Ana Ruiz</p><p>Photographs by Ann Lee</p>"
        f"{BODY}{BODY}<p>Edited by <a href='/people/bo-roe'>Bo Roe</a></p></article></body></html>"
    )
    assert roles_from_page(html) == [
        ("Jane Doe", None),
        ("John Roe", None),
        ("Ana Ruiz", "translator"),
        ("Ann Lee", "photographer"),
        ("Bo Roe", "editor"),
    ]


def test_credits_in_other_languages_and_in_json_ld():
    import json

    ld = {"@type": "NewsArticle", "headline": "Hafenplan", "author": {"@type": "Person", "name": "Jana Dorn"},
          "translator": {"@type": "Person", "name": "Zoe Zander"}, "editor": [{"name": "Max Muster"}],
          "contributor": {"@type": "Person", "name": "Jana Dorn"}}  # fmt: skip
    html = (
        f"<html><head><script type='application/ld+json'>{json.dumps(ld)}</script></head><body><article>"
        f"<h1>Hafenplan</h1><p>Fotos: Ute Lang</p>{BODY}{BODY}</article></body></html>"
    )
    # the contributor who is also the author is the author only
    assert roles_from_page(html) == [
        ("Jana Dorn", None),
        ("Max Muster", "editor"),
        ("Zoe Zander", "translator"),
        ("Ute Lang", "photographer"),
    ]


def test_an_editor_declared_as_an_author_is_the_editor():
    # the page's metadata lists the editor among the authors; its visible credit line says what she did
    html = (
        "<html><head><meta name='author' content='Jane Doe, Bo Roe'></head><body><article>"
        "<h1>Harbour Plan Approved</h1><p>By Jane Doe</p>"
        "<p>Edited by <span itemprop='author'>Bo Roe</span></p>"
        f"{BODY}{BODY}</article></body></html>"
    )
    assert roles_from_page(html) == [("Jane Doe", None), ("Bo Roe", "editor")]


def test_a_photo_credit_under_a_picture_far_down_is_not_a_credit_of_the_article():
    far = "".join(f"<p>Paragraph {i} of the story goes on about the harbour and its plan.</p>" for i in range(20))
    html = (
        "<html><body><article><h1>Harbour Plan Approved</h1><p>By Jane Doe</p>"
        f"{far}<figure><figcaption>Photographs by Ann Lee</figcaption></figure>{BODY}</article></body></html>"
    )
    assert roles_from_page(html) == [("Jane Doe", None)]


def test_a_reporter_the_metadata_lists_as_author_stays_a_writer():
    html = (
        "<html><head><meta name='author' content='Jane Doe, Bo Roe'></head><body><article>"
        f"<h1>Harbour Plan Approved</h1><p>By Jane Doe</p>{BODY}{BODY}"
        "<p>Reporting by Jane Doe; Additional reporting by Bo Roe and Cy Poe in London; Editing by Di Rye</p>"
        "</article></body></html>"
    )
    assert roles_from_page(html) == [
        ("Jane Doe", None),
        ("Bo Roe", None),
        ("Cy Poe", "additional reporting"),
        ("Di Rye", "editor"),
    ]


# --- declared values written family name first; addresses and handles around the owner ----------


def test_a_declared_name_written_family_name_first() -> None:
    evidence = visible("Harbour Plan Approved")
    evidence.meta = ["Lindqvist, M.", "Berg, Hans van der", "Roe, Staff Writer"]
    assert choose_authors(evidence) == ["M. Lindqvist", "Hans van der Berg"]


def test_a_site_named_for_its_owner_with_a_handle_keeps_the_owner() -> None:
    evidence = visible("Harbour Plan Approved")
    evidence.meta = ["Jane Doe (https://janedoe.example/jdoe/)"]
    site = "Jane Doe ( Janie ) ( jdoe )"
    # trafilatura reads the same tag into "Jane Doe Https; Janedoe Example": the address is no name.
    assert choose_authors(evidence, site=site, fallback="Jane Doe Https; Janedoe Example") == ["Jane Doe"]


def test_an_rdfa_element_with_several_properties_names_its_author() -> None:
    head = '<meta property="dc:creator twitter:site_name" content="Jane Doe">'
    assert from_html(f"<h1>Harbour Plan Approved</h1>{BODY}", head=head) == ["Jane Doe"]


def test_a_byline_holding_a_name_does_not_run_into_the_next_block() -> None:
    page = f"<article><h1>Harbour Plan Approved</h1><div>著者：後藤大地</div><div>脆弱性</div>{BODY}</article>"
    assert from_html(page) == ["後藤大地"]
    # "By" alone: the names are in what follows.
    page = f"<article><h1>Harbour Plan Approved</h1><div>By</div><div>Jane Doe</div>{BODY}</article>"
    assert from_html(page) == ["Jane Doe"]


def test_a_wire_agency_printed_as_the_byline_beats_a_name_far_down() -> None:
    page = (
        '<h1>Harbour Plan Approved</h1><span itemprop="author">AFP</span>'
        f"{BODY}<div>{'<p>Other story</p>' * 20}<p>Par</p><p>Jane Doe</p></div>"
    )
    assert from_html(page) == ["AFP"]
