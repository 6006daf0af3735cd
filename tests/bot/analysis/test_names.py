"""People's names, the one place that knows them: honorifics stripped, particles and suffixes kept,
words that are never names refused, and one person under several spellings."""

from __future__ import annotations

import re

import pytest

from bot.analysis.names import (
    ANY_NAME,
    FULL_NAME,
    HONORIFICS,
    NOT_NAMES,
    PARTICLES,
    dedupe_names,
    is_honorific,
    is_institution,
    is_particle,
    is_person,
    looks_like_person,
    name_at_start,
    name_key,
    same_person,
    without_honorific,
)


@pytest.mark.parametrize(
    "name", ["Daniel Russel", "Mr. Smith", "Dr. Jane Doe", "Sir Francis Bacon", "Ludwig van Beethoven", "O’Brien Kelly"]
)
def test_people(name):
    assert looks_like_person(name)


@pytest.mark.parametrize("name", ["Obama", "The White House", "Read More", "Monday Morning", "United States", "x"])
def test_not_people(name):
    assert not looks_like_person(name)


@pytest.mark.parametrize("honorific", HONORIFICS)
def test_every_honorific_is_stripped_in_every_recogniser(honorific):
    assert is_honorific(honorific) and is_honorific(honorific + ".")
    assert without_honorific(f"{honorific}. Jane Doe") == "Jane Doe"
    assert name_at_start(f"{honorific} Jane Doe") == "Jane Doe"
    assert re.fullmatch(ANY_NAME, f"{honorific} Doe") and re.fullmatch(FULL_NAME, f"{honorific}. Jane Doe")


def test_honorifics_are_not_names_on_their_own():
    assert not is_honorific("Mister") and not is_honorific("Drew")
    assert name_at_start("Dr. Jane") is None  # what is left is one word


@pytest.mark.parametrize(
    ("part", "name"),
    [
        ("Hans van der Berg Staff Writer", "Hans van der Berg"),
        ("Martin Luther King Jr.", "Martin Luther King Jr."),
        ("Osama bin Laden", "Osama bin Laden"),
        ("Jane Doe van", "Jane Doe"),  # a particle is kept only before a name word
        ('Robert "Bobby Joe" Lane', 'Robert "Bobby Joe" Lane'),
        ("JANE DOE", "Jane Doe"),
        ("Jane Doe Jane Doe", "Jane Doe"),
        ("Jane Doe March 3", "Jane Doe"),
    ],
)
def test_particles_suffixes_and_layout(part, name):
    assert name_at_start(part) == name


@pytest.mark.parametrize("part", ["The Harbour", "Harbour News Desk", "J. K.", "Doe J.", "Reuters Staff", "Monday"])
def test_non_names_are_refused(part):
    assert name_at_start(part) is None


def test_stop_words_end_a_name():
    assert name_at_start("Jane Doe Harbourtimes", stop_words=frozenset({"harbourtimes"})) == "Jane Doe"


def test_particles_are_lower_case_words_of_the_list():
    assert all(is_particle(p) for p in PARTICLES)
    assert not is_particle("Van") and not is_particle("vanilla")


def test_months_and_weekdays_are_not_names():
    assert {"May", "Sept", "Monday", "December"} <= NOT_NAMES


def test_one_person_several_spellings():
    assert name_key("José  O’Neil-Díaz") == ("jose", "o", "neil", "diaz")
    assert same_person(name_key("Jane Doe"), name_key("Jane Q. Doe"))
    assert not same_person(name_key("Jane Doe"), name_key("John Doe"))
    assert not same_person(name_key("Doe"), name_key("Jane Doe"))
    assert dedupe_names(["Jane Doe", "JANE DOE", "John Roe", "Jane Q. Doe"]) == ["Jane Q. Doe", "John Roe"]
    assert dedupe_names(["", "Ann Lee"]) == ["Ann Lee"]


def test_is_person_and_is_institution():
    for name in ("Georgetown University", "Air Force One", "Rust Belt", "North Carolina", "Democratic Sen"):
        assert is_institution(name), name
        assert not is_person(name), name
    for name in ("Jane Smith", "Kanye West", "Mr. Park"):
        assert not is_institution(name), name


@pytest.mark.parametrize(
    "name",
    [
        "the DNC",
        "CNN",
        "NATO",
        "the IMF",
        "Our Principles PAC",
        "Sierra Club",
        "Breitbart News",
        "Democratic National Committee",
        "the Washington Post",
        "the Pentagon",
        "the White House",
        "New Hampshire",
        "Google",
    ],
)
def test_organisations_by_their_form(name):
    from bot.analysis.names import is_organisation

    assert is_organisation(name)


@pytest.mark.parametrize(
    "name",
    [
        "Daniel Russel",
        "Mr. Church",
        "the Rev. Al Sharpton",
        "the New York businessman",  # a description: its head is not capitalised
        "Majority Leader Mitch McConnell",  # a person after a title
        "Oversight Chairman Jason Chaffetz",
        "South Carolina Gov",  # a person's title, the name cut off
        "John Smith III",
        "Brafman",
    ],
)
def test_people_and_descriptions_are_not_organisations(name):
    from bot.analysis.names import is_organisation

    assert not is_organisation(name)
