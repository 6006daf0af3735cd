"""Chinese and Japanese: words counted by character, sentence ends without a space."""

from __future__ import annotations

import pytest

from bot.core.cjk import cjk_cuts, count_words


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("The ferry — back at last, 5 % cheaper.", (9, 0)),  # as many as spaces make
        ("駅前の図書館が再開した。", (0, 11)),
        ("Wi-Fi版は2900円（税込）。", (2, 5)),
        ("", (0, 0)),
    ],
)
def test_count_words_counts_cjk_characters_apart(text, counts):
    assert count_words(text) == counts


@pytest.mark.parametrize(
    ("sentence", "cuts"),
    [
        ("一。二！三？", [2, 4]),
        ("一。 二", []),  # a space follows: syntok's cut, not this one
        ("「一。」と二。三", [7]),
        ("“一。”二", [4]),
        ("No CJK here. None.", []),
    ],
)
def test_cjk_cuts(sentence, cuts):
    assert cjk_cuts(sentence) == cuts
