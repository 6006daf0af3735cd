"""What one article says that another does not."""

from __future__ import annotations

from bot.analysis.contrast import POINTS, distinct_points

MINE = [
    "The council approved the harbour budget on Monday after a long debate.",
    "Dredging of the harbour channel will begin in the spring.",
    "The mayor said the new ferry terminal would open next year.",
    "Fishermen worry that the dredging will drive away the cod.",
    "The council approved the harbour budget on Monday after a long debate!",
]
THEIRS = [
    "The council approved the harbour budget on Monday after a long debate.",
    "Dredging of the harbour channel will begin in the spring.",
    "Critics of the plan point to the cost overruns of the last project.",
]


def test_what_the_other_also_says_is_left_out_and_the_rest_is_in_article_order():
    ranking = [0, 1, 2, 3, 4]
    points = distinct_points(MINE, ranking, THEIRS)
    assert points == [2, 3]  # 0 and 1 repeat the other; 4 repeats 0 and exclaims
    assert points == sorted(points)


def test_at_most_n_points_the_most_salient_first():
    theirs = ["Nothing in common with anything at all here."]
    mine = [
        f"Sentence number {w} talks about the {w} matter in detail." for w in ("first", "second", "third", "fourth")
    ]
    assert distinct_points(mine, [3, 2, 1, 0], theirs, n=2) == [2, 3]  # the two ranked best, in article order
    assert len(distinct_points(mine, [0, 1, 2, 3], theirs)) == POINTS


def test_identical_articles_have_nothing_to_tell_apart():
    assert distinct_points(THEIRS, [0, 1, 2], THEIRS) == []
    assert distinct_points([], [], THEIRS) == []
