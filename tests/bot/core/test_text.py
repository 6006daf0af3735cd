from __future__ import annotations

import pytest

from bot.core.text import fold, normalise, slugify, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The U.S. is big. It is.", ["The U.S. is big.", "It is."]),
        (
            "It happened on Feb. 12 in the capital. Then it ended.",
            ["It happened on Feb. 12 in the capital.", "Then it ended."],
        ),
        (
            "Dr. Smith met J. R. Jones in Jan. of that year. They talked.",
            ["Dr. Smith met J. R. Jones in Jan. of that year.", "They talked."],
        ),
        ("“We will win.” Then he left.", ["“We will win.”", "Then he left."]),
        ('He said, "I am here. I will stay." Then he left.', ['He said, "I am here. I will stay."', "Then he left."]),
        ("Prices rose 2.5 percent. Wages did not.", ["Prices rose 2.5 percent.", "Wages did not."]),
    ],
)
def test_sentence_splitting(text, expected):
    assert split_sentences(text) == expected


def test_long_paragraph_is_split_in_linear_pieces():
    text = "word " * 30_000
    out = split_sentences(text)
    assert "".join(out).replace(" ", "") == text.replace(" ", "")


def test_normalise_strips_controls_and_bidi():
    assert normalise("a\u202eb\x07c\r\nd") == "abc\nd"


def test_fold_and_slug():
    assert fold("Ça Va É") == "ca va e"
    assert slugify("North Korea’s Defiance: May Reshape!") == "north-koreas-defiance-may-reshape"
    assert slugify("!!!") == "article"
    assert len(slugify("word " * 100)) <= 60
