"""Hidden elements leave the page before its text is extracted; the page's main text never does."""

from __future__ import annotations

import time

from lxml import html as lxml_html

from bot.sources.cleanup import drop_hidden, unwrap_layout_tables
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
