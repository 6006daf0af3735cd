"""bench.compare's proxy: the pairs, the reference (what A's summary says that B does not), and the
Fightin' Words z-scores of its candidates."""

from bench.compare import Doc, pairs, reference, zscores


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
