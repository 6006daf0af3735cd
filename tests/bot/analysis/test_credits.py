"""Credit lines in several languages: the role, and what follows it."""

from __future__ import annotations

import pytest

from bot.analysis.credits import credit_line
from bot.core.models import CREDIT_ROLES


@pytest.mark.parametrize(
    ("text", "role", "rest"),
    [
        ("Edited by Betsy Beyer", "editor", "Betsy Beyer"),
        ("Editing by", "editor", ""),
        ("Translated from the Spanish by Ana Roe", "translator", "Ana Roe"),
        ("Photographs by Ann Lee", "photographer", "Ann Lee"),
        ("Additional reporting by Colin Daileda.", "additional reporting", "Colin Daileda."),
        ("With additional reporting by AFP", "additional reporting", "AFP"),
        ("Compiled by Jo Poe", "compiler", "Jo Poe"),
        ("Übersetzung: Zoe Zander", "translator", "Zoe Zander"),
        ("Aus dem Englischen von Bo Roe", "translator", "Bo Roe"),
        ("Redaktion: Max Muster", "editor", "Max Muster"),
        ("Traduit de l'anglais par Léa Roux", "translator", "Léa Roux"),
        ("Propos recueillis par Léa Roux", "compiler", "Léa Roux"),
        ("Traducción de María Pérez", "translator", "María Pérez"),
        ("Con información de Juan Ruiz", "additional reporting", "Juan Ruiz"),
        ("A cura di Luca Bianchi", "editor", "Luca Bianchi"),
        ("Tradução: Ana Lima", "translator", "Ana Lima"),
        ("Vertaald door Piet Jansen", "translator", "Piet Jansen"),
    ],
)
def test_credit_lines(text, role, rest):
    assert credit_line(text) == (role, rest)
    assert role in CREDIT_ROLES


@pytest.mark.parametrize(
    "text",
    [
        "Photo by Ann Lee",  # one picture's credit, not the article's
        "Reporting by Howard Schneider",  # a wire story's writer
        "By Jane Doe",
        "Editorial board",
        "Edited",
        "Redaktion",  # a label without its colon is a word of the text
        "The edited version by the committee",
    ],
)
def test_not_credit_lines(text):
    assert credit_line(text) is None


def test_every_credit_line_passes_the_quick_test():
    from bot.analysis.credits import may_hold_credit

    for text in ("Aus dem Englischen von Bo Roe", "A cura di Luca", "With additional reporting by AFP", "Fotos: Ute"):
        assert may_hold_credit(text) and credit_line(text) is not None
    assert not may_hold_credit("The harbour board approved a new plan on Monday.")
