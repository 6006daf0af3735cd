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


def test_transpositions_and_up_to_two_edits_in_a_long_word_are_forgiven():
    assert search("ferry nihgt") == ["Night Ferry Added"]  # two letters swapped
    assert search("dreding harbuor") == ["Harbour Dredging Begins"]  # a letter dropped; a swap
    assert search("protset harbour") == ["Café Owners Protest Harbour Tax"]
    assert search("hrabuor plan") == ["Harbour Plan Approved"]  # two swaps in a seven-letter word


def test_short_words_forgive_one_edit_and_very_short_words_none():
    assert search("tac harbour") == ["Café Owners Protest Harbour Tax"]  # three letters: one edit
    assert search("nihgt") == ["Night Ferry Added"]  # five letters: one swap
    assert search("mighz") == []  # five letters, two edits: too far
    assert search("nigjt ferry") == ["Night Ferry Added"]
    assert search("tx harbour") == []  # two letters: typed as is, or nothing
