"""The title index behind autocomplete and "did you mean": prefixes, typos, order, limits."""

from __future__ import annotations

from dataclasses import dataclass

from bot.library.titles import TitleIndex


@dataclass
class Row:
    title: str


TITLES = [  # newest first
    "Harbour Plan Approved",
    "Night Ferry Added",
    "Harbour Dredging Begins",
    "Opera Season Opens",
    "Café Owners Protest Harbour Tax",
]


def search(query: str, limit: int = 25) -> list[str]:
    index = TitleIndex([Row(t) for t in TITLES])
    return [TITLES[i] for i in index.search(query, limit)]


def test_nothing_typed_gives_the_newest_first():
    assert search("", 3) == TITLES[:3]
    assert search("  ", 10) == TITLES


def test_the_word_being_typed_matches_as_a_prefix_and_earlier_words_whole():
    assert search("harb") == ["Harbour Plan Approved", "Harbour Dredging Begins", "Café Owners Protest Harbour Tax"]
    assert search("harbour dre") == ["Harbour Dredging Begins"]
    assert search("plan harb") == ["Harbour Plan Approved"]  # in any order


def test_a_typo_still_matches_and_an_exact_word_ranks_first():
    assert search("ferrry") == ["Night Ferry Added"]
    assert search("harbor plan")[0] == "Harbour Plan Approved"


def test_case_and_accents_are_ignored():
    assert search("CAFE owners") == ["Café Owners Protest Harbour Tax"]


def test_every_typed_word_must_match_and_the_limit_holds():
    assert search("opera ferry") == []
    assert search("harbour", 2) == ["Harbour Plan Approved", "Harbour Dredging Begins"]
    assert search("zzzz") == []
