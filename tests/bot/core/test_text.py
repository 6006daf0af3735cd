from __future__ import annotations

import pytest

from bot.core.text import fold, normalise, slugify, split_sentences, strip_stray_nuls, term_words, words


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("कृषि मंत्री ने कहा", ["कृषि", "मंत्री", "ने", "कहा"]),  # vowel signs and viramas stay in the word
        ("กล่าวว่า", ["กล่าวว่า"]),  # Thai tone marks too
        ("הוא אמר", ["הוא", "אמר"]),
        ("it’s the U.S. state-run 3.5", ["it’s", "the", "U.S", "state-run", "3.5"]),
    ],
)
def test_words_keep_their_combining_marks(text, expected):
    assert words(text) == expected


def test_term_words_cut_runs_of_scripts_without_spaces_into_pairs():
    assert term_words("台风登陆 harbour") == ["台风", "风登", "登陆", "harbour"]


def test_a_hebrew_acronym_is_no_open_quotation():
    text = 'לדברי מנכ"ל המשרד, יותר ממאתיים בתי ספר זקוקים לשיפוץ. הוא הוסיף כי המשרד יקצה תקציב.'
    assert split_sentences(text) == [
        'לדברי מנכ"ל המשרד, יותר ממאתיים בתי ספר זקוקים לשיפוץ.',
        "הוא הוסיף כי המשרד יקצה תקציב.",
    ]


def test_sentences_of_other_scripts_lose_the_space_after_their_mark():
    assert split_sentences("सरकार ने घोषणा की। मंत्री ने कहा।") == ["सरकार ने घोषणा की।", "मंत्री ने कहा।"]


def test_straight_quotes_between_chinese_characters_still_quote():
    text = '順路下切後不久即抵達來到"玉峰國小"。"美樹"美如其名。'
    assert split_sentences(text) == ['順路下切後不久即抵達來到"玉峰國小"。', '"美樹"美如其名。']


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the Greek question mark, as typed (U+037E) and as NFC makes it (";")
        ("Τι έγινε\u037e Κανείς δεν ξέρει.", ["Τι έγινε\u037e", "Κανείς δεν ξέρει."]),
        ("Τι έγινε; Κανείς δεν ξέρει.", ["Τι έγινε;", "Κανείς δεν ξέρει."]),
        # the Arabic question mark
        ("ما هذا؟ لا أحد يعرف.", ["ما هذا؟", "لا أحد يعرف."]),
    ],
)
def test_greek_and_arabic_question_marks_end_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
