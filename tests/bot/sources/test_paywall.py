"""A page cut by a paywall is marked preview-only from its markup, whatever its language; a page that
declares a paywall but carries the whole text is not."""

from __future__ import annotations

import json

from lxml import html as lxml_html

from bot.analysis.parsing import parse_article
from bot.sources.pages import raw_from_html
from bot.sources.paywall import PaywallEvidence, is_cut, read_paywall

# Estonian prose: no English words for a phrase list to find.
PARAS = [
    "Sadamanõukogu kiitis esmaspäeval heaks uue plaani, mis muudab järgmise kümnendi jooksul kogu "
    "rannaala ilmet, rajades uued kaid, parditerminali ja pargi vanade ladude asemele.",
    "Ametnike sõnul makstakse projekt kinni sadamatasudest ja piirkondliku panga laenust ning ehitus "
    "võib alata juba järgmisel kevadel, kui lõplikud load õigel ajal saabuvad.",
]
LOCKED = [
    "Koosolekul sõna võtnud elanikud olid eri meelt: mõned tervitasid parki ja töökohti, teised "
    "muretsesid liikluse pärast kitsastel tänavatel, mis viivad vanalinnast sadamasse alla.",
    "Nõukogu esimehe sõnul on plaani pärast avalikke arutelusid kolm korda muudetud ning praegune "
    "versioon säilitab ajaloolise kraana ja kalaturu, mida paljud inimesed palusid alles hoida.",
]


def ld(free: bool | str = False, selector: str | None = ".locked") -> str:
    data: dict = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Sadamaplaan",
                  "isAccessibleForFree": free}  # fmt: skip
    if selector:
        data["hasPart"] = {"@type": "WebPageElement", "isAccessibleForFree": free, "cssSelector": selector}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def page(head: str = "", body: str = "") -> str:
    free = "".join(f"<p>{p}</p>" for p in PARAS)
    return (
        f"<html lang='et'><head><meta charset='utf-8'><title>Sadamaplaan</title>{head}</head><body>"
        f"<article><h1>Sadamaplaan</h1>{free}{body}</article></body></html>"
    )


def preview(html: str) -> bool:
    return parse_article(raw_from_html(html)).preview_only


def full_locked_part() -> str:
    return "<div class='locked'>" + "".join(f"<p>{p}</p>" for p in LOCKED) + "</div>"


def test_the_locked_part_left_empty_marks_a_preview():
    assert preview(page(ld(), "<div class='locked'></div>"))


def test_the_locked_part_hidden_marks_a_preview():
    hidden = full_locked_part().replace("<div class='locked'>", "<div class='locked' style='display: none'>")
    html = page(ld(), hidden)
    assert preview(html)
    assert LOCKED[0] not in raw_from_html(html).text  # the reader never sees it, nor does the brief


def test_the_locked_part_present_in_full_is_no_preview():
    assert not preview(page(ld(), full_locked_part()))


def test_a_declared_paywall_without_evidence_of_a_cut_is_no_preview():
    # As news sites that declare every article locked and serve the whole text (and Folha's page).
    assert not preview(page(ld(selector=".paywall")))
    assert not preview(page(ld(selector=None)))


def test_a_paywall_prompt_where_the_text_stops_marks_a_preview():
    prompt = "<div class='c-paywall'><h2>Loe edasi</h2><a href='/telli'>Telli</a></div>"
    assert preview(page(ld(selector=None), prompt))
    assert preview(page('<meta property="article:content_tier" content="locked">', prompt))


def test_a_prompt_on_a_page_that_declares_nothing_is_no_preview():
    prompt = "<div class='c-paywall'><h2>Loe edasi</h2><a href='/telli'>Telli</a></div>"
    assert not preview(page("", prompt))
    assert not preview(page('<meta property="article:content_tier" content="metered">', prompt))


def test_paragraphs_marked_paywall_are_the_article_not_a_prompt():
    marked = "".join(f"<p class='paywall'>{p}</p>" for p in LOCKED)
    assert not preview(page(ld(selector=None), marked))


def test_evidence_forms():
    tree = lxml_html.fromstring(page(ld(free="False"), "<div id='locked'></div>").replace(".locked", "#locked"))
    evidence = read_paywall(tree)
    assert evidence.declared and evidence.sections == ((0, False),)
    microdata = "<meta itemprop='isAccessibleForFree' content='false'>"
    assert read_paywall(lxml_html.fromstring(page(microdata))).declared
    assert read_paywall(lxml_html.fromstring(page(ld(free=True, selector=None)))) == PaywallEvidence()
    broken = '<script type="application/ld+json">{"isAccessibleForFree": fal</script>'
    assert not read_paywall(lxml_html.fromstring(page(broken))).declared


def test_is_cut_rules():
    assert not is_cut(PaywallEvidence(), 10)
    assert is_cut(PaywallEvidence(declared=True, sections=((3, False),)), 100)
    assert not is_cut(PaywallEvidence(declared=True, sections=((3, False), (300, False))), 100)
    assert is_cut(PaywallEvidence(declared=True, prompts=(12,)), 100)
    assert not is_cut(PaywallEvidence(declared=True, prompts=(80,)), 100)  # the prompt holds the article


# Calls to action where the text stops, on pages that declare nothing: the link targets say
# "subscribe" and "sign in", whatever the language of the words around them.
CALLS = {
    "de": "<div class='box'><p>Weiterlesen mit Plus</p><a href='/abo/angebote'>Jetzt testen</a> "
    "<a href='https://login.example.de/anmelden?r=1'>Anmelden</a></div>",
    "fr": "<section><h3>La suite est réservée aux abonnés.</h3><a href='/abonnement/offres'>S'abonner</a>"
    "<a href='/connexion'>Se connecter</a></section>",
    "es": "<div><p>Contenido exclusivo</p><form action='/suscripcion/checkout'><button>Suscríbete</button></form>"
    "<a href='/mi-cuenta/login'>Inicia sesión</a></div>",
    "et": "<div><p>Loe edasi</p><a href='https://example.ee/subscribe'>Telli</a><a href='/account/login'>Logi sisse</a></div>",
}


def test_a_call_to_subscribe_and_sign_in_where_the_text_stops_marks_a_preview_in_any_language():
    for lang, call in CALLS.items():
        html = page("", call)
        assert preview(html), lang
        text = raw_from_html(html).text
        assert PARAS[-1] in text and "Telli" not in text and "Anmelden" not in text, lang  # the pitch is out


def test_calls_that_are_not_a_paywall_are_no_preview():
    newsletter = (
        "<div><p>Sign up for our newsletter</p><form action='/newsletter/subscribe'><input type=email></form></div>"
    )
    one_link = "<div><p>Support our journalism</p><a href='/subscribe'>Subscribe</a></div>"
    menu = "<nav><a href='/subscribe'>Subscribe</a> <a href='/login'>Log in</a></nav>"
    account_list = "<ul><li><a href='/login'>Sign in</a></li><li><a href='/subscribe'>Subscribe</a></li></ul>"
    for body in (newsletter, one_link, menu, account_list):
        assert not preview(page("", body)), body
    # A promotion in the middle of the article, with its text going on after it.
    middle = CALLS["et"] + "".join(f"<p>{p}</p>" for p in LOCKED)
    assert not preview(page("", middle))


def test_a_call_to_action_as_long_as_the_text_is_no_preview():
    assert not is_cut(PaywallEvidence(calls=(40,)), 60)
    assert is_cut(PaywallEvidence(calls=(12,)), 60)
