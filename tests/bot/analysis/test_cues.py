from __future__ import annotations

import pytest

from bot.analysis import cues


@pytest.mark.parametrize(
    ("after", "speaker"),
    [
        (", said Jane Smith.", "Jane Smith"),
        (" Jane Smith, a senior diplomat, said.", "Jane Smith"),
        (" according to CNN.", "CNN"),
        (" one senior Democrat said.", "one senior Democrat"),
    ],
)
def test_cues_after_a_quotation(after, speaker):
    found = [m.group("speaker") for p in cues.AFTER_PATTERNS if (m := p.match(after))]
    assert speaker in found


@pytest.mark.parametrize(
    ("after", "speaker"),
    [(" Toomey fumed on Tuesday.", "Toomey"), (", interjected Sean Hannity.", "Sean Hannity")],
)
def test_a_past_tense_verb_of_no_list_is_a_cue_where_only_a_cue_fits(after, speaker):
    assert not any(p.match(after) for p in cues.AFTER_PATTERNS)
    assert any((m := p.match(after)) and m.group("speaker") == speaker for p in cues.OPEN_AFTER)


def test_a_colon_after_a_name_and_a_verb():
    m = cues.OPEN_BEFORE.search("Kasich resisted: ")
    assert m is not None and m.group("speaker") == "Kasich"


def test_what_follows_a_cue_tells_whether_it_opens_the_next_sentence():
    assert cues.next_sentence(", “Things happened.”", full_stop=True)
    assert cues.next_sentence(" he would have fired him.", full_stop=True)
    assert not cues.next_sentence(" on Tuesday.", full_stop=True)
    assert not cues.next_sentence(" the crowd.", full_stop=False)


def test_a_name_in_apposition_after_a_description():
    after = [m.group("speaker") for p in cues.APPOSED_AFTER if (m := p.match(" Smith’s lawyer, Ben Brafman, said."))]
    assert after == ["Ben Brafman"]
    m = cues.APPOSED_BEFORE.search("The Mandan police chief, Jason Ziegler, said ")
    assert m is not None and m.group("speaker") == "Jason Ziegler"
    # A name before the name is not a description.
    assert not any(p.match(" Trump, Ben Brafman, said.") for p in cues.APPOSED_AFTER)


def test_a_subject_with_any_verb():
    m = cues.SUBJECT_ANY_VERB.match("Cruz called them on it: ")
    assert m is not None and m.group("speaker") == "Cruz"
    assert cues.SUBJECT_ANY_VERB.match("Wait, it gets better: ") is None
    m = cues.SUBJECT_ANY_VERB.match("In August, Trump attacked ")
    assert m is not None and m.group("speaker") == "Trump"
    assert cues.SUBJECT_ANY_VERB.match("Trump and Clinton used ") is None
