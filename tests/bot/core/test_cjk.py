"""Scripts without spaces: words counted by character or estimated by cluster, sentence ends of other scripts, terms, Korean particles."""

from __future__ import annotations

import pytest

from bot.core.cjk import cjk_cuts, clusters, count_words, korean_stems, script_terms


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


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("ประเทศไทย", ["ป", "ระ", "เท", "ศ", "ไท", "ย"]),  # a vowel written first goes with its consonant
        ("กล่าวว่า", ["ก", "ล่า", "ว", "ว่า"]),
        ("រដ្ឋាភិបាល", ["រ", "ដ្ឋា", "ភិ", "បា", "ល"]),  # a Khmer subscript consonant goes with the one above
        ("မြန်မာနိုင်ငံ", ["မြန်", "မာ", "နိုင်", "ငံ"]),  # a Myanmar killed final goes with its syllable
        ("နှင့်", ["နှင့်"]),
    ],
)
def test_clusters(run, expected):
    assert clusters(run) == expected


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("ประเทศไทย", (2, 0)),  # six clusters, two words
        ("ฝนตกหนัก 3 วัน", (5, 0)),  # "3" counted as a word, the Thai runs estimated (ฝน ตก หนัก, วัน)
        ("မြန်မာနိုင်ငံ", (2, 0)),
        ("Thai: ภาษาไทย", (3, 0)),
        ("ລັດຖະບານລາວໄດ້ປະກາດແຜນການພັດທະນາເສດຖະກິດໃໝ່ ເພື່ອຊ່ວຍປະຊາຊົນໃນເຂດຊົນນະບົດ", (17, 0)),  # Lao: 14 by a dictionary
    ],
)
def test_count_words_estimates_words_of_thai_khmer_and_myanmar(text, counts):
    assert count_words(text) == counts


@pytest.mark.parametrize(
    ("sentence", "texts"),
    [
        ("هل ستكفي؟ قال الوزير.", ["هل ستكفي؟ ", "قال الوزير."]),
        ("सरकार ने घोषणा की। मंत्री ने कहा।", ["सरकार ने घोषणा की। ", "मंत्री ने कहा।"]),
        ("ផ្លូវថ្មី។ គម្រោងនេះ។", ["ផ្លូវថ្មី។ ", "គម្រោងនេះ។"]),
        ("မိုးရွာသည်။ရေကြီးသည်။", ["မိုးရွာသည်။", "ရေကြီးသည်။"]),
        ("«هل ستكفي؟» قال", ["«هل ستكفي؟» ", "قال"]),  # the closing guillemet stays with its sentence
        ("«هل ستكفي؟ قال» الوزير", ["«هل ستكفي؟ قال» الوزير"]),  # and none inside
    ],
)
def test_cuts_at_the_full_stops_of_other_scripts(sentence, texts):
    cuts = cjk_cuts(sentence)
    assert [sentence[a:b] for a, b in zip([0, *cuts], [*cuts, len(sentence)], strict=True)] == texts


def test_thai_sentences_end_at_spaces_but_names_and_continuations_stay():
    clause = "กรมอุตุนิยมวิทยาประกาศเตือนประชาชนในภาคใต้ให้ระวังฝนตกหนัก"
    name = "นายสมชาย ใจดี อธิบดีกรมอุตุนิยมวิทยา กล่าวว่าร่องมรสุมกำลังแรงพาดผ่านภาคใต้ตอนล่าง"
    text = f"{clause} โดยเฉพาะจังหวัดสงขลา {name} ประชาชนควรติดตามประกาศของทางราชการอย่างใกล้ชิด"
    cuts = cjk_cuts(text)
    pieces = [text[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    assert pieces == [f"{clause} โดยเฉพาะจังหวัดสงขลา", name, "ประชาชนควรติดตามประกาศของทางราชการอย่างใกล้ชิด"]
    assert cjk_cuts("ฝนตก น้ำท่วม") == []  # pieces too short to be sentences


@pytest.mark.parametrize(
    ("word", "terms"),
    [
        ("harbour", ["harbour"]),
        ("台风登陆", ["台风", "风登", "登陆"]),
        ("台", ["台"]),
        ("Wi-Fi版", ["Wi", "Fi", "版"]),
        ("ประเทศ", ["ประ", "ระเท", "เทศ"]),
    ],
)
def test_script_terms_are_pairs_of_characters(word, terms):
    assert script_terms(word) == terms


def test_korean_particles_come_off_when_the_text_attests_the_rest():
    stems = korean_stems(["정부는", "정부의", "정책을", "정책", "국가", "국가가", "회의", "전문가들은", "전문가는"])
    assert stems["정부는"] == stems["정부의"] == "정부"
    assert stems["정책을"] == "정책" and stems["국가가"] == "국가"
    assert "국가" not in stems and "회의" not in stems  # 국 and 회 are not attested
    assert stems["전문가들은"] == stems["전문가는"] == "전문가"
