"""Hidden elements leave the page before its text is extracted; the page's main text never does."""

from __future__ import annotations

import time

from lxml import etree
from lxml import html as lxml_html

from bot.sources.cleanup import drop_hidden, drop_link_tables, table_rows_as_lines, unwrap_layout_tables
from bot.sources.pages import raw_from_html

PROSE = (
    "The harbour board approved a new plan on Monday that will reshape the waterfront over the next decade, "
    "with new quays, a ferry terminal and a public park where the old warehouses now stand."
)


def tree(body: str):
    return lxml_html.fromstring(f"<html><head><title>t</title></head><body>{body}</body></html>")


def text(t) -> str:
    return " ".join(" ".join(t.find(".//body").itertext()).split())


def test_each_kind_of_hidden_element_goes():
    t = tree(
        f"<p>{PROSE}</p><div hidden>attribute</div><div aria-hidden='true'>aria</div>"
        "<div style='color: red; DISPLAY : None'>display</div><p style='visibility:hidden'>visibility</p>"
    )
    assert drop_hidden(t) == 4
    assert text(t) == PROSE


def test_the_common_hiding_classes_go_as_whole_tokens():
    t = tree(
        f"<p>{PROSE}</p><span class='sr-only'>Opens in a new window</span><div class='widget hide'>Related</div>"
        "<div class='d-none'>x</div><p class='hidden-xs'>kept on wide screens</p><p class='hideaway'>kept</p>"
    )
    assert drop_hidden(t) == 3
    assert text(t) == f"{PROSE} kept on wide screens kept"


def test_visible_and_aria_hidden_false_stay():
    t = tree(f"<p>{PROSE}</p><div aria-hidden='false'>shown</div><div style='display:block'>block</div>")
    assert drop_hidden(t) == 0
    assert text(t).endswith("shown block")


def test_the_text_after_a_hidden_element_stays():
    t = tree("<p>before <span hidden>menu</span>after, in the same paragraph</p>")
    drop_hidden(t)
    assert text(t) == "before after, in the same paragraph"


def test_nested_hidden_elements_are_counted_once():
    t = tree(f"<p>{PROSE}</p><div hidden><div hidden>inner</div>outer</div>")
    assert drop_hidden(t) == 1


def test_a_hidden_wrapper_holding_most_of_the_text_is_kept():
    # A page that hides its article until a script reveals it must not lose the article.
    t = tree(f"<nav>Home</nav><div style='display:none'><p>{PROSE}</p><p>{PROSE}</p></div>")
    assert drop_hidden(t) == 0
    assert PROSE in text(t)


def test_head_is_left_alone():
    t = lxml_html.fromstring("<html><head><meta hidden name='x' content='y'></head><body><p>a b</p></body></html>")
    assert drop_hidden(t) == 0


def test_hidden_text_never_reaches_the_article():
    page = (
        "<html><head><title>Harbour plan</title></head><body><article><h1>Harbour plan</h1>"
        f"<p>{PROSE}</p><div style='display:none'><p>This modal window can be closed by pressing the Escape "
        "key or activating the close button at any time.</p></div>"
        f"<p>{PROSE.replace('Monday', 'Tuesday')}</p></article></body></html>"
    )
    assert "modal" not in raw_from_html(page).text


def test_time_is_linear_in_the_number_of_hidden_elements():
    body = f"<p>{PROSE}</p>" * 200 + "<div><span hidden>x</span> y</div>" * 20_000
    t = tree(body)
    start = time.perf_counter()
    assert drop_hidden(t) == 20_000
    assert time.perf_counter() - start < 5


# --- tables used for layout ----------------------------------------------------------------------


def tags(t) -> list[str]:
    return [e.tag for e in t.find(".//body").iter() if e.tag != "body"]


def test_an_article_in_a_single_cell_table_becomes_blocks():
    t = tree(f"<table><tbody><tr><td><p>{PROSE}</p><p>{PROSE}</p></td></tr></tbody></table>")
    assert unwrap_layout_tables(t) == 1
    assert "table" not in tags(t) and "td" not in tags(t)
    assert text(t) == f"{PROSE} {PROSE}"


def test_a_single_column_and_a_presentation_table_are_layout():
    assert unwrap_layout_tables(tree("<table><tr><td>a</td></tr><tr><td>b</td></tr></table>")) == 1
    grid = "<tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr>"
    assert unwrap_layout_tables(tree(f"<table role='presentation'>{grid}</table>")) == 1
    nested = tree(f"<table><tr><td><table>{grid}</table></td><td>x</td></tr>{grid}</table>")
    assert unwrap_layout_tables(nested) == 1  # the outer one; the grid inside is data
    assert tags(nested).count("table") == 1 and tags(nested).count("td") == 4


def test_data_tables_stay_tables():
    grid = "<tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr>"
    for table in (
        f"<table>{grid}</table>",
        "<table><caption>Results</caption><tr><td>a</td></tr></table>",
        "<table><tr><th>Name</th></tr><tr><td>a</td></tr></table>",
        f"<table summary='Scores'>{grid}</table>",
    ):
        t = tree(table)
        assert unwrap_layout_tables(t) == 0, table
        assert "table" in tags(t)


def test_the_text_in_a_layout_table_reaches_the_article():
    page = (
        "<html><head><title>Harbour plan</title></head><body><table width='90%'><tr><td>"
        f"<h1>Harbour plan</h1><p>{PROSE}</p><p>{PROSE.replace('Monday', 'Tuesday')}</p>"
        f"<p>{PROSE.replace('Monday', 'Friday')}</p></td></tr></table></body></html>"
    )
    assert "Friday" in raw_from_html(page).text


def test_a_table_whose_cells_hold_headings_or_paragraphs_is_layout_even_with_a_header_cell():
    # An old page's frame: a header cell on top, the article's headings and paragraphs in a cell below.
    frame = (
        "<table><tr><th>Weekly edition</th><th>Archives</th></tr><tr><td><h2>Harbour plan</h2>"
        f"<p>{PROSE}</p></td><td>x</td></tr></table>"
    )
    assert unwrap_layout_tables(tree(frame)) == 1
    two_paragraphs = (
        f"<table><tr><th>a</th><th>b</th></tr><tr><td><p>{PROSE}</p><p>{PROSE}</p></td><td>y</td></tr></table>"
    )
    assert unwrap_layout_tables(tree(two_paragraphs)) == 1
    one_paragraph = "<table><tr><th>a</th><th>b</th></tr><tr><td><p>71 MB</p></td><td>8 MB</td></tr></table>"
    assert unwrap_layout_tables(tree(one_paragraph)) == 0


# --- tables of links -----------------------------------------------------------------------------


def link_grid(rows: int) -> str:
    cells = "".join(
        f"<tr><td><a href='/s{i}'>Section number {i}</a></td><td><a href='/t{i}'>Topic {i}</a></td></tr>"
        for i in range(rows)
    )
    return f"<table class='grid'>{cells}</table>"


DATA_TABLE = (
    "<table><tr><th>Application</th><th>Size</th></tr><tr><td><a href='/farm'>Farm Heroes</a></td>"
    "<td>71.1 MB</td></tr><tr><td><a href='/maps'>Maps</a></td><td>32.7 MB</td></tr></table>"
)


def test_a_table_of_links_goes_and_a_table_of_data_with_links_stays():
    t = tree(f"<p>{PROSE}</p>{link_grid(6)}<p>{PROSE}</p>{DATA_TABLE}")
    assert drop_link_tables(t) == 1
    assert "Section number" not in text(t)
    assert "71.1 MB" in text(t) and text(t).count(PROSE) == 2


def test_a_table_of_links_holding_most_of_the_page_stays():
    t = tree(f"<p>A short note.</p>{link_grid(20)}")
    assert drop_link_tables(t) == 0


def test_tables_of_links_inside_one_removed_are_counted_once():
    t = tree(
        f"<p>{PROSE}</p><p>{PROSE}</p><table><tr><td>{link_grid(3)}</td><td><a href='/x'>more</a></td></tr></table>"
    )
    assert drop_link_tables(t) == 1
    assert "table" not in tags(t)


def test_time_is_linear_in_the_number_of_nested_tables():
    depth = 2_000
    body = f"<p>{PROSE}</p>" * 50 + "<table><tr><td><a href='/x'>link text</a>" * depth + "</td></tr></table>" * depth
    t = tree(body)
    start = time.perf_counter()
    assert drop_link_tables(t) == 1
    assert time.perf_counter() - start < 5


# --- data tables in the extracted text -----------------------------------------------------------


def test_rows_become_lines_of_their_non_empty_cells():
    body = etree.fromstring(
        "<body><p>before</p><table><row><cell role='head'>App</cell><cell role='head'>Size</cell></row>"
        "<row><cell>Farm <hi>Heroes</hi></cell><cell>71 MB</cell></row><row><cell/><cell>3</cell></row>"
        "<row><cell/><cell/></row></table>after<p>last</p></body>"
    )
    assert table_rows_as_lines(body) == 1
    assert [(e.tag, e.text, (e.tail or "").strip()) for e in body] == [
        ("p", "before", ""),
        ("p", "App | Size", ""),
        ("p", "Farm Heroes | 71 MB", ""),
        ("p", "3", "after"),
        ("p", "last", ""),
    ]


def test_a_table_whose_cells_hold_blocks_gives_its_blocks_in_order():
    body = etree.fromstring(
        "<body><table><row><cell>Menu</cell><cell><head>Title</head><p>One.</p><p>Two.</p></cell></row></table></body>"
    )
    assert table_rows_as_lines(body) == 1
    assert [(e.tag, e.text) for e in body] == [("p", "Menu"), ("head", "Title"), ("p", "One."), ("p", "Two.")]


def test_a_data_table_in_an_article_reaches_its_text_one_line_a_row():
    page = (
        "<html><head><title>Smaller updates</title></head><body><article><h1>Smaller updates</h1>"
        f"<p>{PROSE}</p>{DATA_TABLE}<p>{PROSE.replace('Monday', 'Friday')}</p>{link_grid(8)}</article></body></html>"
    )
    text_ = raw_from_html(page).text
    assert "Farm Heroes | 71.1 MB" in text_.split("\n\n")
    assert "Maps | 32.7 MB" in text_.split("\n\n")
    assert "---" not in text_ and "Section number" not in text_
    assert text_.index("Monday") < text_.index("Farm Heroes") < text_.index("Friday")
