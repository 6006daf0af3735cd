"""bot/core/stem.py: the light English stemmer shared by summaries, keywords and search."""

from __future__ import annotations

import pytest

from bot.core.stem import stem


def test_stem_conflates_inflections():
    assert stem("sanctions") == stem("sanction")
    assert stem("talked") == stem("talk") == stem("talking")


@pytest.mark.parametrize(
    "forms",
    [
        ("sanction", "sanctions"),
        ("talk", "talked", "talking"),
        ("harbour", "harbours"),
        ("payment", "payments"),
    ],
)
def test_inflections_share_one_stem(forms):
    assert len({stem(w) for w in forms}) == 1, {w: stem(w) for w in forms}


def test_ies_and_ied_end_in_y():
    assert stem("parties") == "party"
    assert stem("carried") == "carry"


@pytest.mark.parametrize("word", ["is", "was", "has", "bus", "red", "king", "sing", "gas"])
def test_short_words_are_left_alone(word):
    assert stem(word) == word


def test_case_is_folded():
    assert stem("Talking") == stem("talking") == "talk"
    assert stem("SANCTIONS") == "sanction"


def test_different_words_stay_apart():
    assert stem("talk") != stem("walk")
    assert stem("sanction") != stem("section")


def test_a_possessive_stems_as_its_word_with_either_apostrophe():
    assert stem("China’s") == stem("China's") == stem("China") == "china"
    assert stem("leaders’") == stem("leaders'") == stem("leader")
    assert stem("l'état") == "l'etat"  # an apostrophe inside a word stays
