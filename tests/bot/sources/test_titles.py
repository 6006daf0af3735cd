"""The page's headline chosen among its candidates (bot.sources.titles)."""

from __future__ import annotations

from lxml import html as lxml_html

from bot.sources.titles import TitleEvidence, choose_title, collect_titles


def _page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def _title(head: str, body: str = "", *, text: str = "", url: str | None = None, site: str | None = None) -> str | None:
    found = collect_titles(lxml_html.fromstring(_page(head, body)))
    return choose_title(found, body=text, site=site, url=url)


def test_collects_jsonld_og_twitter_title_and_h1s_but_not_navigation_headings() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "JSON headline",'
        ' "publisher": {"@type": "Organization", "name": "The Daily"}}</script>'
        '<meta property="og:title" content="OG headline"><meta name="twitter:title" content="Card headline">'
        '<meta property="og:site_name" content="Daily Site"><title>Page title | The Daily</title>'
    )
    found = collect_titles(lxml_html.fromstring(_page(head, "<nav><h1>Menu</h1></nav><h1>Visible headline</h1>")))
    assert found.meta == [
        ("jsonld", "JSON headline"),
        ("og", "OG headline"),
        ("twitter", "Card headline"),
        ("title", "Page title | The Daily"),
    ]
    assert found.headings == ["Visible headline"]
    assert set(found.sites) == {"The Daily", "Daily Site"}


def test_site_suffix_is_taken_off_the_title_by_the_site_name() -> None:
    head = (
        '<meta property="og:site_name" content="HelloGiggles"><title>Your comfy holiday outfit - HelloGiggles</title>'
    )
    assert _title(head) == "Your comfy holiday outfit"


def test_site_suffix_is_taken_off_by_the_domain_when_no_site_name_is_declared() -> None:
    assert _title("<title>Lyft extends free rides | Engadget</title>", url="https://www.engadget.com/x") == (
        "Lyft extends free rides"
    )


def test_the_part_another_candidate_agrees_with_is_the_headline() -> None:
    # No site name anywhere: the h1 says which part of the <title> is the headline.
    head = "<title>Blog name: Rust in the kernel, two years on</title>"
    body = "<h1>Blog name</h1><h1>Rust in the kernel, two years on</h1>"
    assert _title(head, body) == "Rust in the kernel, two years on"


def test_never_the_sites_name_or_a_prompt_naming_it() -> None:
    head = '<meta property="og:site_name" content="Slate"><title>Broken Pledge</title>'
    assert _title(head, "<h1>Get Slate in your inbox.</h1>") == "Broken Pledge"
    head = "<title>Insiders: Trump will sink Pence in VP debate - POLITICO</title>"
    assert _title(head, "<h1>POLITICO Politico Logo</h1>", url="https://www.politico.com/story/1") == (
        "Insiders: Trump will sink Pence in VP debate"
    )


def test_a_visible_headline_beats_a_different_seo_title_but_not_a_section_label() -> None:
    head = "<title>Coal stronghold losing steam as Trump aims for revival | Wired</title>"
    assert _title(head, "<h1>An ode to coal country as Trump aims for a revival</h1>") == (
        "An ode to coal country as Trump aims for a revival"
    )
    head = "<title>Babies Who Eat Peanuts Early May Avoid Allergy</title>"
    assert _title(head, "<h1>Allergies Health Center</h1>") == "Babies Who Eat Peanuts Early May Avoid Allergy"


def test_candidates_that_agree_win() -> None:
    head = '<meta property="og:title" content="Veteran wraps baby in flag"><title>Veteran wraps baby in flag - Yahoo</title>'
    assert _title(head, "<h1>Good Morning America</h1><h1>Something else entirely here</h1>") == (
        "Veteran wraps baby in flag"
    )


def test_a_misread_site_name_equal_to_the_headline_does_not_remove_it() -> None:
    head = '<meta property="og:title" content="Nintendo game launches in December">'
    assert _title(head, site="Nintendo game launches in December") == "Nintendo game launches in December"


def test_a_home_page_titled_only_by_the_site_name_keeps_it() -> None:
    head = '<meta property="og:title" content="The Daily"><meta property="og:site_name" content="The Daily">'
    assert _title(head) == "The Daily"


def test_fallback_when_the_page_offers_no_candidate() -> None:
    assert choose_title(TitleEvidence(), fallback="Trafilatura's guess") == "Trafilatura's guess"
    assert choose_title(TitleEvidence()) is None


def test_a_short_suffix_is_taken_off_a_title_nothing_else_agrees_with():
    # No site name declared, no other candidate: the short last part after a spaced separator goes.
    assert _title("<title>Lorem ipsum dolor sit amet – My website</title>") == "Lorem ipsum dolor sit amet"
    assert _title("<title>Harbour plan approved after a long debate | The Paper</title>") == (
        "Harbour plan approved after a long debate"
    )
    # Kept: a headline no longer than its last part, and a title another candidate agrees with.
    assert _title("<title>Trump - the rise</title>") == "Trump - the rise"
    head = "<title>Harbour plan approved after a long debate | The Paper</title>"
    assert _title(head, "<h1>Harbour plan approved after a long debate | The Paper</h1>") == (
        "Harbour plan approved after a long debate | The Paper"
    )


def test_a_label_before_a_colon_goes_only_where_another_candidate_leaves_it_out() -> None:
    headline = "The Harbour Plan Is a Triumph"
    og = f"<meta property='og:title' content='Review: {headline}'>"
    assert _title(og, f"<h1>{headline}</h1>") == headline
    assert _title(og.replace("Review:", "Exclusive:"), f"<h1>{headline}</h1>") == headline
    # every candidate carries it: part of the headline
    assert _title(og, f"<h1>Review: {headline}</h1>") == f"Review: {headline}"
    assert _title("<meta property='og:title' content='Warning: Is China Pivoting Back?'>") == (
        "Warning: Is China Pivoting Back?"
    )
    # a label of more than three words is the headline's own first half
    long = "<meta property='og:title' content='This is a long title with a colon: Hello there'>"
    assert _title(long, "<h1>Hello there</h1>") == "This is a long title with a colon: Hello there"


def test_hebrew_and_arabic_site_names_go_with_their_direction_marks() -> None:
    hebrew = "<title>כותרת הכתבה על הנמל\u200f | \u200fהארץ</title><meta property='og:site_name' content='הארץ'>"
    assert _title(hebrew) == "כותרת הכתבה על הנמל"
    prefix = "<title>\u200fהארץ\u200f - כותרת הכתבה על הנמל</title><meta property='og:site_name' content='הארץ'>"
    assert _title(prefix) == "כותרת הכתבה על הנמל"
    arabic = "<title>عنوان المقال عن الميناء الجديد \u061c| الجزيرة نت</title><meta property='og:site_name' content='الجزيرة نت'>"
    assert _title(arabic) == "عنوان المقال عن الميناء الجديد"


# --- the site's masthead, copies of one field, the page's own markup ------------------------------


def test_an_h1_that_links_home_or_sits_in_a_logo_names_the_site() -> None:
    head = "<title>Rivers in spring: a field guide</title>"
    assert _title(head, '<div><h1><a href="/">Harbour Notes Weekly Digest</a></h1></div>') == (
        "Rivers in spring: a field guide"
    )
    assert _title(head, '<a href="https://harbour.example/"><h1>Harbour Notes Weekly Digest</h1></a>') == (
        "Rivers in spring: a field guide"
    )
    assert _title(head, '<div class="site-logo"><h1>Harbour Notes Weekly Digest</h1></div>') == (
        "Rivers in spring: a field guide"
    )
    # An h1 that links to the article itself is its headline.
    body = '<h1><a href="/2024/03/rivers-in-spring">Rivers in spring, a walker guide</a></h1>'
    assert _title(head, body) == "Rivers in spring, a walker guide"
    # The masthead's name goes off the <title> too.
    head = "<title>Rivers in spring: a field guide | Harbour Notes</title>"
    assert _title(head, '<h1 id="logo"><a href="/">Harbour Notes</a></h1>') == "Rivers in spring: a field guide"


def test_an_h1_that_is_one_part_of_the_title_while_the_other_is_a_heading_below_names_the_site() -> None:
    head = "<title>Harbour Diary - Notes on the spring tides</title>"
    body = "<h1>Harbour Diary</h1><h2>March 3</h2><h3>Notes on the spring tides</h3><p>Text</p>"
    assert _title(head, body) == "Notes on the spring tides"
    # Not where the page's metadata names the h1 as the headline (the other part is its standfirst).
    head += "<meta property='og:title' content='Harbour Diary'>"
    assert _title(head, body) == "Harbour Diary"


def test_copies_of_one_field_are_one_voice() -> None:
    # Open Graph and Twitter cards copy one value: two tags, one voice, against the visible headline
    # and the <title>.
    head = (
        "<meta property='og:title' content='Harbour plan wins the vote'>"
        "<meta name='twitter:title' content='Harbour plan wins the vote'>"
        "<title>Council backs the new harbour plan - The Daily</title><meta property='og:site_name' content='The Daily'>"
    )
    assert _title(head, "<h1>Council backs the new harbour plan</h1>") == "Council backs the new harbour plan"
    # The body's opening line is the h1 again, not one more voice for it.
    head = "<meta name='parsely-title' content='Council backs the new harbour plan'>"
    body = "<h1>Harbour plan wins the vote at last</h1>"
    assert _title(head, body, text="Harbour plan wins the vote at last\n\nThe council voted.") == (
        "Council backs the new harbour plan"
    )


def test_among_candidates_that_agree_the_shared_headline() -> None:
    head = (
        "<meta property='og:title' content='Council backs the harbour plan (Published 2016)'>"
        "<title>Council backs the harbour plan - The Daily Example</title>"
    )
    assert _title(head, "<h1>Council backs the harbour plan</h1>") == "Council backs the harbour plan"


def test_the_pages_markup_names_its_headline() -> None:
    body = (
        '<h1 itemprop="alternativeHeadline">Harbour Plan Mistakes</h1>'
        '<h2 itemprop="headline">The five biggest mistakes in the harbour plan, and how to fix them</h2>'
    )
    assert _title("<title>Harbour Plan Mistakes | The Daily</title>", body) == (
        "The five biggest mistakes in the harbour plan, and how to fix them"
    )
    # RDFa: one element, several properties.
    head = '<meta property="x:title dc:title" content="Declared headline"><meta property="og:title twitter:title" content="Other">'
    found = collect_titles(lxml_html.fromstring(_page(head, "")))
    assert found.meta == [("dc", "Declared headline"), ("og", "Other")]


def test_a_headings_permalink_mark_is_not_its_text() -> None:
    body = '<h1>Shared mutable history<a class="headerlink" href="#shared" title="Permalink">¶</a></h1>'
    assert _title("", body) == "Shared mutable history"
