from __future__ import annotations

import json

import pytest

from bot.analysis.engine import analyse, make_brief
from bot.analysis.parsing import parse_article
from bot.core.models import RawArticle
from bot.sources.files import read_article_file
from tests.conftest import SEED_000, SEED_001

PITCH_WORDS = (
    "Keep reading",
    "Subscribe",
    "subscriber",
    "Log in",
    "All-Access",
    "ad-free",
    "More World Politics Review",
    "newsletter",
    "Image:",
    "Flickr",
)


@pytest.fixture(scope="module")
def seed0():
    return parse_article(read_article_file(SEED_000))


@pytest.fixture(scope="module")
def seed1():
    return parse_article(read_article_file(SEED_001))


def brief_json(article) -> str:
    return json.dumps(make_brief(article, analyse(article)).to_json(), ensure_ascii=False)


class TestSeed000:
    def test_title_and_standfirst_kept_apart(self, seed0):
        assert seed0.title == "Warning: Is China Pivoting Back to North Korea?"
        assert seed0.standfirst == "The West needs Beijing's help in coercing Pyongyang."
        assert seed0.paragraphs[0].startswith("Third is China’s continuing prioritization")
        assert all(seed0.standfirst not in p for p in seed0.paragraphs)

    def test_bio_becomes_author(self, seed0):
        author = seed0.author
        assert author is not None and author.name == "Joel Wuthnow"
        assert author.title == "Research Fellow"
        assert author.affiliation == "Institute for National Strategic Studies at the National Defense University"
        assert author.role.startswith("Research Fellow in the Institute")
        assert author.bio.startswith("Joel Wuthnow is a Research Fellow")
        assert "views expressed" not in author.bio
        assert not any("Wuthnow" in p for p in seed0.paragraphs)

    def test_disclaimer_kept_apart(self, seed0):
        assert seed0.disclaimer.startswith("The views expressed here are his own")
        assert not any("views expressed" in p for p in seed0.paragraphs)

    def test_image_credit_dropped(self, seed0):
        assert not any("Flickr" in p or p.startswith("Image") for p in seed0.paragraphs)
        assert "Flickr" not in brief_json(seed0)

    def test_no_publication_guessed(self, seed0):
        # "National Defense University" is the author's employer, not the publication.
        assert seed0.publication is None
        assert not seed0.preview_only


class TestSeed001:
    def test_repeated_title_dropped(self, seed1):
        assert seed1.title == "North Korea’s Defiance May Reshape China’s Strategic Calculus"
        assert seed1.paragraphs[0].startswith("For the past four years")
        assert seed1.standfirst is None

    def test_publication_named_by_text(self, seed1):
        assert seed1.publication == "World Politics Review"

    def test_paywall_marks_preview_and_drops_pitch(self, seed1):
        assert seed1.preview_only
        assert len(seed1.paragraphs) == 3
        out = brief_json(seed1)
        for phrase in PITCH_WORDS:
            assert phrase not in out, phrase
        assert "•" not in out

    def test_no_author(self, seed1):
        assert seed1.authors == ()


def parse(text: str, title: str | None = "A Title For Testing", **kw) -> object:
    return parse_article(RawArticle(text=text, title=title, **kw))


LONG = (
    "The city council voted on Tuesday to expand the bus network across the northern districts. "
    "The plan adds twelve routes and extends service hours until midnight on weekdays. "
    "Officials said the expansion would be paid for by a new regional transport levy."
)


class TestBylines:
    @pytest.mark.parametrize(
        ("line", "names"),
        [
            ("By Jane Doe", ["Jane Doe"]),
            ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
            ("BY JANE DOE", ["Jane Doe"]),
            ("Jane Doe | Reuters", ["Jane Doe"]),
            ("- Jane Doe, Staff Writer", ["Jane Doe"]),
            ("By Jane Doe, Jim Poe and John Roe", ["Jane Doe", "Jim Poe", "John Roe"]),
        ],
    )
    def test_byline_forms(self, line, names):
        a = parse(f"{line}\n\n{LONG}\n\n{LONG}")
        assert [x.name for x in a.authors] == names
        assert not any(line in p for p in a.paragraphs)

    def test_byline_role_kept(self):
        a = parse(f"Jane Doe | Reuters\n\n{LONG}")
        assert a.author.role == "Reuters"

    def test_person_merely_mentioned_is_not_author(self):
        a = parse(
            f"{LONG}\n\nMayor Tom Brown is a supporter of the plan and said so at the meeting on Tuesday.\n\n{LONG}"
        )
        assert a.authors == ()

    def test_front_matter_author_wins(self):
        a = parse(f"By Someone Else\n\n{LONG}", author="Jane Doe")
        assert [x.name for x in a.authors] == ["Jane Doe"]


class TestBios:
    def test_bio_at_end_with_appositive(self):
        bio = "Maria Lopez, a senior fellow at the Atlantic Council, writes about energy policy."
        a = parse(f"{LONG}\n\n{LONG}\n\n{bio}")
        assert a.author.name == "Maria Lopez"
        assert a.author.role == "senior fellow at the Atlantic Council"
        assert a.author.affiliation == "Atlantic Council"
        assert a.paragraphs == (LONG, LONG)

    def test_author_of_bio(self):
        bio = "Sam Green is the author of Cities in Motion and a professor of urban studies at Leeds."
        a = parse(f"{LONG}\n\n{bio}")
        assert a.author.name == "Sam Green"
        assert a.author.bio == bio

    def test_bio_merges_with_byline(self):
        a = parse(f"By Sam Green\n\n{LONG}\n\nSam Green is a correspondent for the Daily Planet.")
        assert len(a.authors) == 1
        assert a.author.role == "correspondent for the Daily Planet"

    def test_body_sentence_about_a_person_is_not_a_bio(self):
        text = f"{LONG}\n\nThe mayor defended the decision.\n\n{LONG}"
        assert parse(text).authors == ()


class TestBoilerplate:
    @pytest.mark.parametrize(
        "line",
        [
            "Image: Flickr/Roman Harak",
            "Photo: Reuters",
            "(Photo by John Smith/Getty Images)",
            "Subscribe now to get full access.",
            "Sign up for our daily newsletter.",
            "Follow us on Twitter",
            "Advertisement",
        ],
    )
    def test_dropped(self, line):
        a = parse(f"{LONG}\n\n{line}\n\n{LONG}")
        assert line not in a.paragraphs
        assert len(a.paragraphs) == 2

    def test_paywall_cut_marks_preview(self):
        a = parse(f"{LONG}\n\nTo continue reading, subscribe today.\n\n{LONG} More text after the wall.")
        assert a.preview_only
        assert a.paragraphs == (LONG,)

    def test_a_notice_to_subscribe_for_the_full_story_marks_preview(self):
        a = parse(f"{LONG}\n\nTo view the full story, please subscribe to The Haitian Times.\n\nMore from the site.")
        assert a.preview_only
        assert a.paragraphs == (LONG,)

    def test_sentence_mentioning_subscriptions_in_long_paragraph_is_kept(self):
        para = LONG + " Readers who subscribe now to the city's transit alerts will get updates on the new routes."
        a = parse(f"{para}\n\n{LONG}")
        assert para in a.paragraphs
        assert not a.preview_only

    @pytest.mark.parametrize(
        "line",
        [
            "The basement at 80 New York. (Scott Heins/Gothamist)",
            "Le port de Marseille au petit matin. (Jean Dupont/Hans Lucas)",
            "Sources: GreatAgain, Washington Examiner / Photo credit: Carl Icahn/Facebook",
        ],
    )
    def test_a_caption_ending_with_a_credit_is_dropped(self, line):
        a = parse(f"{LONG}\n\n{line}\n\n{LONG}")
        assert line not in a.paragraphs

    @pytest.mark.parametrize("line", ["Shape / Rocker Profile", "Why we chose FreeBSD over GNU/Linux"])
    def test_a_heading_with_a_slash_is_kept(self, line):
        a = parse(f"{LONG}\n\n{line}\n\n{LONG}")
        assert line in a.paragraphs

    @pytest.mark.parametrize(
        "line",
        [
            "For more, sign up for the What’s Working newsletter.",
            "Listen to our analysis of the debate in the podcast above. Subscribe here.",
            "Stop the censors, sign up to get today's top stories delivered to your inbox",
        ],
    )
    def test_a_pitch_opening_a_clause_is_dropped(self, line):
        a = parse(f"{LONG}\n\n{line}\n\n{LONG}")
        assert line not in a.paragraphs

    @pytest.mark.parametrize(
        "line",
        [
            "City Attorney Brad Holm said the advertisement “unmistakably and wrongfully” suggests an endorsement.",
            "The campaign has reserved time for television advertisements in four states.",
            "She merely wanted men to sign up for mobile updates from the campaign.",
        ],
    )
    def test_the_same_words_inside_a_reported_sentence_are_kept(self, line):
        a = parse(f"{LONG}\n\n{line}\n\n{LONG}")
        assert line in a.paragraphs


class TestStandfirst:
    def test_news_dateline_lead_is_body(self):
        lead = "WASHINGTON — The Senate passed the bill on Tuesday."
        a = parse(f"{lead}\n\n{LONG}")
        assert a.standfirst is None and a.paragraphs[0] == lead

    def test_opening_quote_is_body(self):
        lead = "“We are ready,” the mayor said."
        a = parse(f"{lead}\n\n{LONG}")
        assert a.standfirst is None

    def test_no_title_means_all_body(self):
        a = parse(f"A short first line.\n\n{LONG}", title=None)
        assert a.standfirst is None
        assert a.paragraphs[0] == "A short first line."


class TestPageText:
    def test_list_markers_are_removed(self):
        a = parse(f"{LONG}\n\n- First point made here\n\n• Second point\n\n* Third\n\n12. Twelfth step\n\n{LONG}")
        assert a.paragraphs[1:5] == ("First point made here", "Second point", "Third", "Twelfth step")

    def test_a_dash_inside_a_paragraph_or_a_year_is_kept(self):
        a = parse(f"{LONG}\n\n2020. That was the year it began.\n\nWe went - and came back.")
        assert a.paragraphs[1:] == ("2020. That was the year it began.", "We went - and came back.")

    def test_a_line_break_inside_a_sentence_is_reflowed(self):
        a = parse(f"{LONG}\n\nThe council said the tram line\n\nwould reach the terminal by May.")
        assert a.paragraphs[1:] == ("The council said the tram line would reach the terminal by May.",)

    def test_headings_and_finished_sentences_are_not_joined(self):
        a = parse(f"{LONG}\n\nWhat comes next\n\nThe vote is in May.\n\niPhones were banned.")
        assert a.paragraphs[1:] == ("What comes next", "The vote is in May.", "iPhones were banned.")

    def test_the_headline_with_a_site_suffix_is_not_repeated_in_the_body(self):
        a = parse(f"Harbour Plan Approved\n\n{LONG}", title="Harbour Plan Approved | Harbour Times")
        assert a.paragraphs == (LONG,) and a.standfirst is None
        a = parse(f"Harbour Plan Approved - Harbour Times\n\n{LONG}", title="Harbour Plan Approved")
        assert a.paragraphs == (LONG,) and a.standfirst is None

    def test_an_opening_sentence_that_starts_like_the_title_is_kept(self):
        lead = "Mozilla is a free-software community created in 1998."
        a = parse(f"{lead}\n\n{LONG}", title="Mozilla")
        assert lead in (a.standfirst, *a.paragraphs)

    @pytest.mark.parametrize("label", ["Abstract", "Highlights", "24 July 2015", "Test Case 1", "Lorem"])
    def test_a_label_or_date_is_not_a_standfirst(self, label):
        a = parse(f"{label}\n\n{LONG}")
        assert a.standfirst is None

    def test_a_dek_without_a_full_stop_is_a_standfirst(self):
        dek = "Having cut the city adrift of its port, planners indulge an old fantasy about a new role"
        a = parse(f"{dek}\n\n{LONG}")
        assert a.standfirst == dek


def test_parse_is_deterministic_and_id_from_content():
    a1 = parse(LONG)
    a2 = parse(LONG)
    a3 = parse(LONG + " Changed.")
    assert a1.id == a2.id and a1.id != a3.id
    assert len(a1.id) == 16
    assert a1.slug == "a-title-for-testing"


# --- paywall notices in other languages (the fallback for text without its page) ----------------

_BODIES = {
    "de": "Der Stadtrat hat am Dienstag den Plan für den Hafen beschlossen. Die Sitzung dauerte vier Stunden.",
    "fr": "Le conseil municipal a adopté mardi le plan du port. La séance a duré quatre heures.",
    "es": "El ayuntamiento aprobó el martes el plan del puerto. La sesión duró cuatro horas.",
}
_NOTICES = {
    "de": "Dieser Artikel ist nur für Abonnenten verfügbar.",
    "fr": "Il vous reste 78 % de cet article à lire.",
    "es": "Suscríbete para seguir leyendo este artículo.",
}


@pytest.mark.parametrize("lang", sorted(_NOTICES))
def test_a_paywall_notice_in_another_language_marks_preview(lang):
    text = f"{_BODIES[lang]}\n\n{_BODIES[lang]}\n\n{_NOTICES[lang]}\n\nOK"
    a = parse_article(RawArticle(text=text, title="Port"))
    assert a.preview_only
    assert all(_NOTICES[lang] not in p for p in a.paragraphs)
    # the same words inside a sentence of the article are the article's
    quoted = f"{_BODIES[lang]}\n\nHe wrote: {_NOTICES[lang]}"
    assert not parse_article(RawArticle(text=quoted, title="Port")).preview_only


# --- credit lines ---------------------------------------------------------------------------------


def test_credit_lines_give_authors_with_their_role_after_the_writers():
    text = (
        "By Jane Doe\n\nÜbersetzung: Ann Lee\n\n"
        "The council met on Tuesday to discuss the plan for the harbour. It was a long meeting.\n\n"
        "Members voted for the plan after four hours. The mayor said it was a good day.\n\n"
        "Reporting by Jane Doe; Additional reporting by Cy Poe in London; Editing by Di Rye"
    )
    a = parse_article(RawArticle(text=text, title="Harbour plan"))
    assert [(x.name, x.credit) for x in a.authors] == [
        ("Jane Doe", None),
        ("Ann Lee", "translator"),
        ("Cy Poe", "additional reporting"),
        ("Di Rye", "editor"),
    ]
    assert a.authors[1].to_json() == {"name": "Ann Lee", "role": "translator", "bio": None}
    assert not any("Ann Lee" in p or "Editing" in p for p in a.paragraphs)


def test_a_source_s_credits_follow_its_writers_once():
    raw = RawArticle(
        text="The council met on Tuesday to discuss the plan.\n\nEdited by Bo Roe",
        title="Harbour",
        authors=("Jane Doe",),
        author="Jane Doe",
        credits=(("Bo Roe", "editor"), ("Jane Doe", "contributor")),
    )
    a = parse_article(raw)
    assert [(x.name, x.credit) for x in a.authors] == [("Jane Doe", None), ("Bo Roe", "editor")]


def test_a_line_that_only_looks_like_a_credit_stays_in_the_body():
    text = "Edited by the committee over many months, the plan changed a great deal.\n\nMore text follows here."
    a = parse_article(RawArticle(text=text, title="Harbour"))
    assert a.paragraphs[0].startswith("Edited by the committee")
    assert not a.authors
