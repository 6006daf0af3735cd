from __future__ import annotations

import pytest

from bot.analysis.quotes import quotations
from bot.analysis.speakers import People, Vocabulary, clean_name


def speakers(*paragraphs: str) -> list[str | None]:
    return [q.speaker for q in quotations(list(paragraphs))]


# --- pronouns: gender and personhood -----------------------------------------------------------------


def test_she_skips_a_man_named_after_her():
    assert speakers(
        "Janet Yellen said she was worried about the outlook.",
        "Donald Trump said he would fire her.",
        "“Rates will rise slowly and carefully,” she said.",
    ) == ["Janet Yellen"]


def test_he_skips_a_woman_named_after_him():
    assert speakers(
        "Mr. Pitt arrived at the ceremony with Laura Dern, and he waved to the crowd.",
        "Ms. Dern wore red.",
        "“I am so grateful to everyone here tonight,” he said.",
    ) == ["Mr. Pitt"]


def test_unknown_gender_person_is_a_candidate_for_either_pronoun():
    assert speakers("Alex Morgan spoke first.", "“We will win this thing in the end,” she said.") == ["Alex Morgan"]


def test_a_pronoun_never_goes_to_a_place_or_an_institution():
    assert speakers(
        "Jane Smith, who grew up in the Rust Belt, studied at Georgetown University.",
        "“Nobody there listened to us for years,” she said.",
    ) == ["Jane Smith"]


def test_a_surname_alone_makes_its_person_the_latest_again():
    assert speakers(
        "Bernie Sanders met Hillary Clinton in Iowa on Monday.",
        "On Tuesday, Sanders spoke to the crowd for an hour.",
        "“We are going to win this state,” he said.",
    ) == ["Bernie Sanders"]


def test_object_pronouns_do_not_give_the_named_person_a_gender():
    # "scolded him": him is someone else, so Claire McCaskill stays a candidate for "she".
    assert speakers(
        "Sen. Claire McCaskill scolded him at the hearing on Tuesday.",
        "“The science is almost monolithic against you,” she said.",
    ) == ["Sen. Claire McCaskill"]


# --- names that are not the speaker --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "speaker"),
    [
        ("Priebus later told Fox News: “Both of them are meeting next week to talk.”", "Priebus"),
        ("Sanders asks at Western High School, “Any questions I can answer for you?”", "Sanders"),
        ("As Michael Dell said last week in Tel Aviv, “Israel is the center of the digital future.”", "Michael Dell"),
        ("Carly Fiorina wrote on Facebook: “Anyone can turn an inheritance into more money.”", "Carly Fiorina"),
    ],
)
def test_a_place_or_the_verbs_object_is_not_the_speaker(paragraph, speaker):
    assert speakers(paragraph) == [speaker]


@pytest.mark.parametrize(
    ("paragraph", "speaker"),
    [
        (
            "“It was a very hard landing for the probe,” says Rosetta’s former mission manager Gerhard Schwehm.",
            "Gerhard Schwehm",
        ),
        (
            "“You would think the safety of women would matter more,” said White House Press Secretary Josh Earnest.",
            "Josh Earnest",
        ),
        ("“We will do everything we can,” said Secretary of State Hillary Clinton.", "Hillary Clinton"),
        ("“It was never about the money for me,” replied Stephen Colbert.", "Stephen Colbert"),
    ],
)
def test_titles_possessives_and_glued_words_are_not_the_name(paragraph, speaker):
    assert speakers(paragraph) == [speaker]


def test_a_sentence_initial_common_word_is_not_a_name():
    text = [
        "A few people came, and few of them stayed afterwards to talk.",
        "Afterwards Penny Marshall said: “That was the best night of my whole life.”",
    ]
    assert speakers(*text) == ["Penny Marshall"]


# --- the building blocks --------------------------------------------------------------------------------


def test_clean_name_strips_glued_words_only_when_common():
    vocabulary = Vocabulary(["He left afterwards. Afterwards Penny Smith spoke.", "Ask Will Smith."])
    assert clean_name("Afterwards Penny Smith", vocabulary) == "Penny Smith"
    assert clean_name("State Hillary Clinton", vocabulary) == "Hillary Clinton"
    assert clean_name("Will Smith", vocabulary) == "Will Smith"  # "will" never written in lower case here


def test_gender_from_honorifics_and_following_pronouns():
    people = People()
    people.note("Mrs. Lee arrived. John Park said he would stay. Sam Roe left.")
    assert people.gender("Mrs. Lee") == "f"
    assert people.gender("John Park") == "m"
    assert people.gender("Sam Roe") is None
    assert people.resolve("she") == "Sam Roe"
    people.note("Sam Roe said he was tired.")
    assert people.resolve("she") == "Mrs. Lee"
    assert people.resolve("they") is None


@pytest.mark.parametrize(
    "paragraph",
    [
        "“We are looking at everything we can,” said The Mandan, North Dakota, police chief, Jason Ziegler.",
        "The Mandan, North Dakota, police chief, Jason Ziegler, said: “We are looking at everything we can.”",
    ],
)
def test_a_name_in_apposition_to_a_place_is_the_speaker(paragraph):
    assert speakers(paragraph) == ["Jason Ziegler"]


def test_words_the_text_writes_in_lower_case_are_not_a_name():
    text = ["“This is the best thing we have done in years,” Good Is said.", "It is good."]
    assert speakers(*text) == [None]


def test_a_speech_verb_with_no_name_still_attributes_a_short_quote():
    # "Some chanted": no one named, but an attribution all the same, so not a scare quote dropped.
    found = quotations(["Only some of them stayed.", "Some chanted “USA! USA!”"])
    assert [(q.text, q.speaker) for q in found] == [("USA! USA!", None)]


def test_a_statement_the_subject_made_is_not_the_speaker():
    found = quotations(["Verizon Wireless said in a statement: “We look forward to having everyone back at work.”"])
    assert [q.speaker for q in found] == ["Verizon Wireless"]


def test_a_relative_clause_tells_the_persons_gender():
    text = "Brad Pitt thanked Laura Dern, who won for her role. “This is for my kids and for all of you,” he said."
    assert speakers(text) == ["Brad Pitt"]


def test_a_paragraph_ending_in_a_colon_attributes_the_quote_after_it():
    assert speakers(
        "“Everyone knows the moderators will not vote in our primary,” Ted Cruz said.",
        "Then Mitch Daniels spoke briefly. Cruz continued:",
        "“Look at the questions they asked us tonight, one after another.”",
    ) == ["Ted Cruz", "Ted Cruz"]


def test_the_subject_nearest_the_quote_speaks():
    text = "Asked by George Stephanopoulos to respond to the criticism, Ben Carson said, “What does it say about them?”"
    assert speakers(text) == ["Ben Carson"]


def test_a_phrase_of_words_the_text_writes_in_lower_case_is_a_thing_not_a_person():
    found = quotations(
        [
            "Maria Lopez runs the lab. Energy Control tests drugs; its energy control results are public.",
            "“The program is still in its infancy,” he says.",
        ]
    )
    assert [q.speaker for q in found] == ["Maria Lopez"]


def test_a_name_with_a_number_in_it_is_a_thing():
    found = quotations(["Ann Lee met the heads of 20th Century Fox.", "“It is all nonsense,” she said."])
    assert [q.speaker for q in found] == ["Ann Lee"]
    found = quotations(["Tom Hardy praised Blade Runner 2049 on Monday.", "“It is like three movies,” he says."])
    assert [q.speaker for q in found] == ["Tom Hardy"]


# --- the kind of speaker: a person or an organisation the text makes speak ------------------------------


def kinds(*paragraphs: str) -> list[tuple[str | None, str | None]]:
    return [(q.speaker, q.kind) for q in quotations(list(paragraphs))]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("“We will not stand for this,” the DNC said in a statement.", ("the DNC", "organisation")),
        ("“We are reviewing the footage,” CNN reported.", ("CNN", "organisation")),
        ("“Our members agree on this,” NATO said.", ("NATO", "organisation")),
        ("Google said in a statement: “We take privacy seriously.”", ("Google", "organisation")),
        ("“The ministry rejects the claims,” the ministry said.", ("the ministry", "organisation")),
        ("“There is nothing to add,” said the Pentagon.", ("Pentagon", "organisation")),
        ("“We will win this state,” the Clinton campaign said.", ("the Clinton campaign", "organisation")),
        ("“It was a good speech tonight,” the New York businessman said.", ("the New York businessman", "person")),
        ("“It was a fine speech overall,” the statement said.", ("the statement", None)),
        ("“We will see about that,” a spokesman said.", ("a spokesman", "person")),
        ("“Trade is good for the town,” said Brafman.", ("Brafman", "person")),
    ],
)
def test_the_kind_of_speaker_is_decided_from_form_and_context(paragraph, expected):
    assert kinds(paragraph) == [expected]


def test_a_person_who_issues_a_statement_stays_a_person():
    # A statement is no sign of an organisation: persons issue them too.
    assert kinds(
        "Barack Obama spoke on Friday.",
        "“I am pleased to nominate him to the bench,” Obama said in a statement.",
    ) == [("Barack Obama", "person")]
    assert kinds("“We cannot fix our problems unless we talk,” Thiel wrote in a statement.") == [("Thiel", "person")]


def test_a_name_the_text_writes_as_a_place_speaks_for_it_unless_it_is_a_surname():
    assert kinds(
        "Talks in Japan, resumed on Monday, were short.",
        "“We renounce war for ever,” Japan said.",
    ) == [("Japan", "organisation")]
    assert kinds(
        "Talks in Jordan, resumed on Monday, were short.",
        "“We are close to a deal,” Jordan said.",
        "Michael Jordan, who chaired the talks, left on Tuesday.",
    ) == [("Jordan", "person")]


def test_the_speaker_kind_follows_the_speaker_to_the_quotations_that_continue_it():
    assert kinds(
        "“We will not stand for this,” the DNC said. “Nor will our members.”",
        "“The vote is final.”",
    ) == [("the DNC", "organisation"), ("the DNC", "organisation"), ("the DNC", "organisation")]


def test_a_title_after_an_organisation_names_the_person_who_speaks():
    assert kinds("“This is a critical week for us,” said GOP strategist Keith Nahigian.") == [
        ("Keith Nahigian", "person")
    ]
    assert kinds("“I can't vote for him,” said Concord resident Whit Symms.") == [("Whit Symms", "person")]
    assert kinds("“We won the vote,” said Sierra Club director Jane Roe.") == [("Jane Roe", "person")]


def test_a_description_that_goes_on_past_an_organisations_noun_is_a_persons():
    # "one former campaign staffer": a person, though the cue's match stops at "campaign".
    assert [k for _, k in kinds("“I couldn't afford it,” said one former campaign staffer, who left.")] == ["person"]
    assert kinds("“We will win this,” the campaign also said.") == [("the campaign", "organisation")]


def test_a_family_the_text_names_is_people_not_an_organisation():
    assert kinds(
        "Hillary Clinton spoke on Monday.",
        "“The drop is directly attributable to the emails,” said the Clintons.",
    ) == [("Clintons", "person")]


# --- titles inside a name, descriptions with a name in them, object pronouns ---------------------------


@pytest.mark.parametrize(
    ("paragraph", "speaker"),
    [
        ("“We have no plans to change that,” said Pentagon spokesman Navy Capt. Jeff Davis.", "Capt. Jeff Davis"),
        ("“It is over for them now,” said Army Gen. Mark Milley.", "Gen. Mark Milley"),
        ("Democratic Sen. Claire McCaskill said: “The science is almost monolithic.”", "Sen. Claire McCaskill"),
    ],
)
def test_a_person_starts_at_an_honorific_inside_a_run_of_capitalised_words(paragraph, speaker):
    assert speakers(paragraph) == [speaker]


def test_clean_name_drops_the_words_before_an_inner_honorific():
    assert clean_name("Navy Capt. Jeff Davis", None) == "Capt. Jeff Davis"
    assert clean_name("Capt. Jeff Davis", None) == "Capt. Jeff Davis"


def test_a_name_inside_a_description_is_not_the_speaker():
    assert kinds("“The deal is done and it is a good one,” said the New York businessman.") == [
        ("the New York businessman", "person")
    ]
    # A name after "the" that the verb follows stays the name ("the Pentagon said").
    assert kinds("“There is nothing to add,” the Pentagon said.") == [("Pentagon", "organisation")]


def test_her_as_an_object_is_someone_else():
    # "criticized her": her is Yellen, so Trump gets his gender from "he", and "she" skips him.
    assert speakers(
        "Janet Yellen spoke on Monday.",
        "Donald Trump criticized her, and he promised to replace the chair.",
        "“We will be patient with the recovery,” she said.",
    ) == ["Janet Yellen"]
    # A possessive "her" is the person's own.
    assert speakers(
        "Mr. Pitt arrived with Laura Dern.",
        "Dern waved to her fans.",
        "“I am so grateful to everyone here tonight,” he said.",
    ) == ["Mr. Pitt"]


def test_one_word_with_capitals_inside_is_an_organisation_unless_a_surname():
    assert kinds("“The claim is false and always was,” PolitiFact said.") == [("PolitiFact", "organisation")]
    assert kinds("“It is a sad day for the state,” McCain said.") == [("McCain", "person")]


def test_gender_from_gendered_nouns_before_or_in_apposition_after_the_name():
    people = People()
    people.note("White House spokeswoman Hope Hicks spoke first. Congressman Jim Jordan spoke next.")
    people.note("Jane Doe, the wife of the mayor, arrived. Bob Lee, a Trump spokesman, left.")
    people.note("German Chancellor Angela Merkel spoke.")  # "German" is no gendered noun
    assert [people.gender(n) for n in ("Hope Hicks", "Jim Jordan", "Jane Doe", "Bob Lee", "Angela Merkel")] == [
        "f",
        "m",
        "f",
        "m",
        None,
    ]


def test_she_skips_a_spokesman_for_a_congresswoman():
    assert speakers(
        "Congresswoman Maxine Waters met Bob Lee, a Trump spokesman, in Washington on Monday.",
        "“We will not back down from this fight,” she said.",
    ) == ["Maxine Waters"]
