from __future__ import annotations

import pytest

from bot.core.text import fold, normalise, slugify, split_sentences, strip_stray_nuls


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


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "今日は晴れです。明日は雨でしょう！本当ですか？はい。",
            ["今日は晴れです。", "明日は雨でしょう！", "本当ですか？", "はい。"],
        ),
        ("他说：“我们明天去。”然后他走了。对吗？", ["他说：“我们明天去。”", "然后他走了。", "对吗？"]),
        # a quotation that ends with 。 and goes on in hiragana is one sentence; so is a bracket's inside
        ("彼は「行きます。」と言った。次の文です。", ["彼は「行きます。」と言った。", "次の文です。"]),
        ("（注：これは例です。）次の文。", ["（注：これは例です。）", "次の文。"]),
        ("価格は2900円（税込）。次は5000円。", ["価格は2900円（税込）。", "次は5000円。"]),
    ],
)
def test_chinese_and_japanese_sentences_end_without_a_space(paragraph, expected):
    assert split_sentences(paragraph) == expected


def test_a_few_stray_nuls_are_dropped_and_many_are_binary():
    text = "Una frase corta." * 20
    assert strip_stray_nuls(text[:50] + "\x00" + text[50:]) == text
    assert strip_stray_nuls(text) == text
    with pytest.raises(ValueError, match="binary content"):
        strip_stray_nuls("ab\x00cd\x00" + text[:100])
