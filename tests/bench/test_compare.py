"""bench.compare's proxy: the pairs, the reference (what A's summary says that B does not), and the
Fightin' Words z-scores of its candidates."""

from bench.compare import Doc, after_lead, aligned_places, beyond_lead, pairs, reference, signals, zscores


def doc(text: str, summary: list[str]) -> Doc:
    words = [w.strip(".").lower() for w in text.split()]
    return Doc([text], [0], [w for w in words if len(w) > 3], summary)


HARBOUR = doc("Harbour dredging harbour budget council harbour ferry.", ["The ferry terminal opens in spring."])
HARBOUR_TOO = doc("Harbour dredging council budget harbour cod.", ["The council approved the harbour budget."])
FOOTBALL = doc("Football match goals striker referee stadium.", ["The striker scored twice."])


def test_each_article_pairs_with_its_most_similar_other_above_the_floor():
    found = {(a, b) for a, b, _ in pairs([HARBOUR, HARBOUR_TOO, FOOTBALL], floor=0.1)}
    assert found == {(0, 1), (1, 0)}  # the football piece shares nothing with either


def test_the_reference_keeps_the_summary_sentences_mostly_absent_from_the_other_article():
    assert reference(HARBOUR, HARBOUR_TOO) == ["The ferry terminal opens in spring."]
    assert reference(HARBOUR_TOO, HARBOUR) == []  # council, harbour, budget: all in the other


def test_fightin_words_favours_the_words_of_one_article_over_the_shared_ones():
    z = zscores(["harbour", "harbour", "ferry", "ferry", "ferry"], ["harbour", "harbour", "cod"], None)
    assert z["ferry"] > 0 > z["harbour"]


LEADING = Doc(
    [
        "The council approved the harbour budget.",
        "Dredging of the harbour begins in spring.",
        "Fishermen fear the cod will leave the bay.",
        "The ferry terminal opens next year.",
    ],
    [0, 1, 3, 2],
    ["council", "harbour", "budget", "dredging", "harbour", "spring", "fishermen", "cod", "bay", "ferry", "terminal"],
    ["The council approved the harbour budget.", "Fishermen fear for the cod.", "A new ferry terminal."],
)
ELSEWHERE = doc("Football match goals striker referee stadium.", ["The striker scored twice."])


def test_beyond_the_lead_the_reference_drops_what_the_first_sentences_say_and_the_choice_starts_after_them():
    assert reference(LEADING, ELSEWHERE) == LEADING.summary
    assert beyond_lead(LEADING, ELSEWHERE) == ["Fishermen fear for the cod.", "A new ferry terminal."]
    assert after_lead(LEADING) == (LEADING.sentences[2:], [1, 0])  # places 3 and 2 renumbered, in ranking order


def test_each_summary_sentence_aligns_with_the_article_sentence_sharing_most_of_its_words():
    assert aligned_places(LEADING, LEADING.summary) == [0, 2, 3]
    assert aligned_places(LEADING, ["The harbour ferry."]) == [3]  # one word with 0, 1 and 3: the latest


def test_the_share_absent_from_the_other_article_weighs_its_words_by_rarity():
    mine = ["The harbour budget was approved by the council.", "The ferry terminal and the harbour will open."]
    theirs = ["The harbour budget was debated by the council."]
    sig = signals(mine, [0, 1], theirs)
    assert sig.absent[0] < sig.absent[1]  # approved only; ferry, terminal and open
    assert 0 < sig.absent[0] < 1 and sig.fw_mean[1] > 0
