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
