from __future__ import annotations

import pytest

from bot.analysis.quotemarks import find_quote_spans


def texts(paragraph: str) -> list[str]:
    return [s.text for s in find_quote_spans(paragraph)]


def test_curly_and_straight_pairs():
    assert texts('“One,” he said. "Two," she said.') == ["One,", "Two,"]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        # A straight opening mark closed by a curly one, with another quotation later on.
        (
            '"Never underestimate him,” Reid said. “He is hard to predict."',
            ["Never underestimate him,", "He is hard to predict."],
        ),
        # A curly opening mark closed by a straight one.
        ('“I disagree," said Mick Bednarek. "It is wrong."', ["I disagree,", "It is wrong."]),
    ],
)
def test_mixed_marks_close_at_the_first_closing_mark(paragraph, expected):
    assert texts(paragraph) == expected


def test_pairs_nested_inside_are_skipped():
    assert texts('“He called it "fake" today,” she said.') == ['He called it "fake" today,']
    assert texts('"I said “no” to him," she said.') == ["I said “no” to him,"]


def test_unclosed_quote_runs_to_the_paragraph_end():
    spans = find_quote_spans("“This goes on to the next paragraph.")
    assert [(s.text, s.closed) for s in spans] == [("This goes on to the next paragraph.", False)]


def test_a_curly_pair_nested_in_a_curly_quotation():
    assert texts("“I would rather live in what he calls “hell” than here.” ― Ann Lee") == [
        "I would rather live in what he calls “hell” than here."
    ]
    # A nested opening mark that is never closed: the first closing mark ends the quotation.
    assert texts("“He said “no to me,” she said.") == ["He said “no to me,"]
