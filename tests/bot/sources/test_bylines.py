"""Byline strings into names: "By", roles, dates, addresses, handles and separators around the
names; credits that name an organisation rather than a person."""

from __future__ import annotations

import pytest

from bot.sources.bylines import byline_names, byline_parts, organisation_name, person_name


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("By Maria Lindqvist, Staff Writer", ["Maria Lindqvist"]),
        ("Maria Lindqvist Senior Science Editor", ["Maria Lindqvist"]),
        ("Maria Lindqvist | Reuters", ["Maria Lindqvist"]),
        ("Maria Lindqvist · Harbour Times", ["Maria Lindqvist"]),
        ("Maria Lindqvist (@mlindqvist)", ["Maria Lindqvist"]),
        ("Maria Lindqvist <mlindqvist@harbourtimes.example>", ["Maria Lindqvist"]),
        ("https://harbourtimes.example/author/maria-lindqvist", []),
        ("Maria Lindqvist Updated March 3, 2024", ["Maria Lindqvist"]),
        ("Maria Lindqvist March 3", ["Maria Lindqvist"]),
        ("Mary June Hollis", ["Mary June Hollis"]),
        ("Maria Lindqvist See all stories by this author Follow", ["Maria Lindqvist"]),
        ("Maria Lindqvist Maria Lindqvist", ["Maria Lindqvist"]),
        ("Dr. Maria Lindqvist", ["Maria Lindqvist"]),
        ("Hans van der Berg and Martin Luther King, Jr.", ["Hans van der Berg", "Martin Luther King Jr."]),
        ('Robert "Bobby Joe" Lane', ['Robert "Bobby Joe" Lane']),
        ("Staff", []),
        ("Harbour Times Staff", []),
        ("The Northern Press Association", []),
        ("admin", []),
        ("von Maria Lindqvist und Hans Meier", ["Maria Lindqvist", "Hans Meier"]),
        ("Par Maria Lindqvist et Jean Roux", ["Maria Lindqvist", "Jean Roux"]),
        ("Por Maria Lindqvist, Ana Ruiz y Luis Gil", ["Maria Lindqvist", "Ana Ruiz", "Luis Gil"]),
        ("Maria Lindqvist (avec Jean Roux et Anne Morel)", ["Maria Lindqvist", "Jean Roux", "Anne Morel"]),
        ("Maria Lindqvist (with John Roe)", ["Maria Lindqvist", "John Roe"]),
        ("Von Miller", ["Von Miller"]),
        ("Maria E Lindqvist", ["Maria E Lindqvist"]),
        ("No Author", []),
        ("Posted by Maria Lindqvist, Software Engineer on Example Play", ["Maria Lindqvist"]),
        ("松村太郎", ["松村太郎"]),
        ("中村 真子", ["中村 真子"]),
        ("田中宏昌，ITmedia", ["田中宏昌"]),
        ("김철수", ["김철수"]),
        ("翻訳者", []),
        ("個人情報保護方針について", []),
        ("By Maria Lindqvist. Photos by Ann Lee and John Roe", ["Maria Lindqvist"]),
        ("Text: Maria Lindqvist; Photos: Ann Lee", ["Maria Lindqvist"]),
        ("Maria Lindqvist | Photographer: Ann Lee", ["Maria Lindqvist"]),
        ("MARIA LINDQVIST, LOS ANGELES", ["Maria Lindqvist"]),
        ("Maria Lindqvist, New York", ["Maria Lindqvist"]),
        ("Maria Lindqvist, Ann Lee", ["Maria Lindqvist", "Ann Lee"]),
        ("Follow Author", []),
    ],
)
def test_byline_cleaning(value, names):
    assert byline_names(value) == names


@pytest.mark.parametrize(
    ("value", "names"),
    [
        # Every honorific of bot.analysis.names is dropped, as "Dr." always was.
        ("By Sen. Ted Cruz", ["Ted Cruz"]),
        ("By Sir Harold Evans", ["Harold Evans"]),
        ("Written by Rev. Jane Doe and Gov. John Roe", ["Jane Doe", "John Roe"]),
        ("Mx. Sam Lee", ["Sam Lee"]),
    ],
)
def test_honorifics_are_dropped_from_bylines(value, names):
    assert byline_names(value) == names


def test_byline_parts_drop_by_addresses_and_notes():
    assert byline_parts("By Jane Doe (R.J.) and John Roe, https://example.com/x; Ann Lee") == [
        "Jane Doe",
        "John Roe",
        "Ann Lee",
    ]


def test_person_name_reads_the_name_at_the_start_of_one_part():
    assert person_name("By Jane Doe Staff Writer") == "Jane Doe"
    assert person_name("Jane Doe Harbour", stop_words=frozenset({"harbour"})) == "Jane Doe"
    assert person_name("The Harbour Times") is None


@pytest.mark.parametrize(
    ("value", "kwargs", "credit"),
    [
        ("By Example Wire", {}, "Example Wire"),
        ("Friends and Neighbours Trust", {"whole": True}, "Friends and Neighbours Trust"),
        ("Friends and Neighbours Trust", {}, None),  # two parts: not one credit
        ("harbourfan", {"handle": True}, "harbourfan"),
        ("harbourfan", {}, None),
        ("Read More", {}, None),
        ("Staff", {}, None),
        ("Issue 42", {}, None),
    ],
)
def test_organisation_names(value, kwargs, credit):
    assert organisation_name(value, **kwargs) == credit


@pytest.mark.parametrize(
    ("value", "names"),
    [
        # A bracketed role that is not the writing credits its person for something else.
        ("By Maria Lindqvist (reporting) and Ann Lee (photography)", ["Maria Lindqvist"]),
        ("Maria Lindqvist (text), Ann Lee (video)", ["Maria Lindqvist"]),
        # Chinese and Japanese labels before a mark introduce the byline and are not names.
        ("作者：张三", ["张三"]),
        ("文● 山田太郎", ["山田太郎"]),
        ("文部科学省", []),
    ],
)
def test_roles_and_labels_around_names(value, names):
    assert byline_names(value) == names


def test_an_agencys_acronym_is_a_credit() -> None:
    assert organisation_name("AFP") == "AFP"
    assert organisation_name("Read More") is None


@pytest.mark.parametrize(
    ("value", "names"),
    [
        # A one-word label before a colon, in any language, is not part of the name.
        ("Автор: Иван Петров", ["Иван Петров"]),
        ("Szerző: Kovács Anna", ["Kovács Anna"]),
        ("Fotos: Ann Lee", []),  # a credit stays a credit
        # Italian "di" as "by"; a name may still begin with "Di".
        ("di Marco Rossi e Anna Bianchi", ["Marco Rossi", "Anna Bianchi"]),
        ("Di Stefano", ["Di Stefano"]),
    ],
)
def test_labels_and_by_words_of_other_languages(value, names):
    assert byline_names(value) == names
