"""Direct quotations and who said them.

The work is done per paragraph, in article order:
1. find quotation-mark spans (curly or straight, guillemets), joining a quote that runs over
   paragraphs and a quote split by its attribution ("We will," he said, "win.");
2. drop what is not a quotation: titles of works, nicknames, scare quotes with no speaker;
3. attribute each quote from the sentence it stands in ("X said", "said X", "X, a ..., said",
   "Smith's lawyer, X, said", "according to X", "X told reporters", "X declared that ..."), from
   the subject of that sentence when it has no cue ("Trump attacked “...”", "X, saying “...”",
   "X called them on it:") or from a next paragraph that is only its cue ("X added."), and resolve
   pronouns and bare surnames to the last person the text named.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.analysis import cues
from bot.analysis.names import (
    ANY_NAME,
    FULL_NAME,
    NOT_NAMES,
    TOKEN,
    is_honorific,
    is_institution,
    is_person,
    looks_like_person,
)
from bot.analysis.quotemarks import Span, find_quote_spans
from bot.analysis.speakers import (
    People,
    Vocabulary,
    apposition,
    clean_name,
    description,
    follows_preposition,
    name_run,
    speaker_kind,
    titled_person,
)
from bot.core.text import words

# Quotation marks that no attribution pattern can contain (outside a parenthesis).
_MARKS = '“”"«»'


_TITLE_CUES = re.compile(
    r"\b(?:book|books|film|films|movie|song|songs|album|novel|show|series|play|poem|article|essay|column|"
    r"titled|entitled|called|dubbed|named|headline|headlined|slogan|hashtag|episode|documentary|memoir|"
    r"podcast|program|programme|campaign|catchphrase|term|phrase|word|label|motto|op-ed|bestseller)\s*[,:]?\s*$",
    re.I,
)


# Attribution is looked for this many characters either side of a quotation (far more than any
# pattern spans), so the work per quotation is bounded however long its paragraph; and only the
# most recently named people are remembered for pronouns and surnames. Together these keep
# extraction linear in the text, whatever a hostile file repeats.
WINDOW = 600
_MAX_TRIES = 8  # speakers tried per pattern before giving up on a sentence
_SCARE_WORDS = 3  # an unattributed quotation this short is a scare quote


@dataclass(slots=True)
class _Found:
    text: str
    paragraph: int
    start: int
    end: int
    speaker: str | None = None
    desc: str | None = None
    kind: str | None = None  # "person" or "organisation" (speakers.speaker_kind)
    pronoun: bool = False  # attributed to a mention that names no one (a pronoun, "Some", "Few")


def extract_quotes(paragraphs: Sequence[str]) -> list[_Found]:
    """Every direct quotation in the paragraphs, attributed where the text allows."""
    found: list[_Found] = []
    vocabulary = Vocabulary(paragraphs)
    people = People(vocabulary)  # the persons named so far, for pronouns and surnames
    pending: _Found | None = None  # a quote left open at the end of a paragraph
    prev_para_speaker: tuple[int, _Found] | None = None  # the last attributed quote of the paragraph before

    for pi, para in enumerate(paragraphs):
        spans = find_quote_spans(para, pi)
        # A paragraph that opens with a quotation mark continues the pending quote.
        if pending is not None:
            if spans and spans[0].start == 0:
                first = spans.pop(0)
                pending.text = f"{pending.text} {first.text}".strip()
                if first.closed:
                    pending.text = _strip_joint(pending.text)
                    after = para[first.end : first.end + WINDOW]
                    _attribute(pending, after, "", people, vocabulary, last=first.text.rstrip()[-1:])
                    found.append(pending)
                    pending = None
                else:
                    continue
            else:
                found.append(pending)
                pending = None

        lead = paragraphs[pi - 1].rstrip() if pi > 0 else ""
        merged = _merge_split_quotes(para, spans)
        para_quotes: list[_Found] = []
        noted_to = 0
        for group in merged:
            head, tail = group[0], group[-1]
            people.note(para[noted_to : head.start])
            noted_to = tail.end
            text = " ".join(_strip_joint(s.text) for s in group).strip()
            q = _Found(text=text, paragraph=pi, start=head.start, end=tail.end)
            between = " ".join(para[a.end : b.start] for a, b in itertools.pairwise(group))
            if len(group) > 1:
                _attribute(q, between, "", people, vocabulary, last=",")
            if q.speaker is None:
                before, whole = _sentence_before(para, head.start)
                if head.start == 0 and lead.endswith(":"):
                    # A quote opening its paragraph after one ending in a colon ("Cruz continued:")
                    # is attributed by that paragraph's last sentence.
                    before, whole = _sentence_before(lead, len(lead))
                after = para[tail.end : tail.end + WINDOW]
                _attribute(q, after, before, people, vocabulary, subject=whole, last=tail.text.rstrip()[-1:])
            if q.speaker is None and not q.pronoun and head.start > 0 and not para_quotes:
                # A quotation opening a sentence with no cue of its own, after a sentence whose
                # subject speaks ("Sam Lau said in a statement. “There are no ballots.”").
                cut = len(para[: head.start].rstrip())
                if cut and para[cut - 1] in ".:" and not before.strip():
                    previous, whole = _sentence_before(para, cut - 1)
                    _attribute_before(q, previous, people, vocabulary, subject=whole, cue_only=True)
            if not tail.closed:
                pending = q
                continue
            para_quotes.append(q)

        # A paragraph that ends in an unattributed quotation, followed by a short paragraph that is
        # only its cue ("John Brown added.").
        if para_quotes and pi + 1 < len(paragraphs) and not para[para_quotes[-1].end :].strip():
            last_q = para_quotes[-1]
            if last_q.speaker is None:
                _attribute_signature(last_q, paragraphs[pi + 1], people, vocabulary)

        # A later quote in the paragraph with no attribution of its own continues the one before
        # ("“...,” Mr. Obama said. “...”"), unless another person is named in between.
        for prev, q in itertools.pairwise(para_quotes):
            gap = para[prev.end : q.start]
            if q.speaker is None and prev.speaker and not _names_someone_else(gap) and not _signed(para, q):
                _same_speaker(q, prev)
        # A quote opening its paragraph without a speaker continues the previous paragraph's speaker,
        # unless it is signed by someone else ("“...” ― Christina N Luis Olidem").
        for q in para_quotes:
            latest = prev_para_speaker is not None and prev_para_speaker[0] == pi - 1
            if q.speaker is None and q.start == 0 and latest and not _signed(para, q):
                _same_speaker(q, prev_para_speaker[1])
        people.note(para[noted_to:])
        found.extend(para_quotes)
        if para_quotes and para_quotes[-1].speaker:
            prev_para_speaker = (pi, para_quotes[-1])
        elif pending is None:
            prev_para_speaker = None
    if pending is not None:
        found.append(pending)
    return found


_MAX_SIGNATURE_WORDS = 16


def _attribute_signature(q: _Found, nxt: str, people: People, vocabulary: Vocabulary) -> None:
    """The speaker of a quotation that ends its paragraph, from a next paragraph that is only its
    cue ("John Brown added."). (A name alone or after a dash under a quotation, "- Bernie Sanders.",
    is not taken: that helped the records the rules were developed on and none kept aside.)"""
    nxt = nxt.strip()
    if not nxt or len(nxt.split()) > _MAX_SIGNATURE_WORDS or any(c in nxt for c in _MARKS):
        return
    for pattern in cues.AFTER_PATTERNS[:2]:
        m = pattern.match(nxt)
        if m is not None and not nxt[m.end() :].strip(" ."):
            if _accept_speaker(m, vocabulary) and not re.fullmatch(cues.PRONOUNS, m.group("speaker")):
                _set_speaker(q, m, people, vocabulary)
            return


_RIGHT_AFTER_PARTICIPLE = re.compile(r"[a-z]{2,}ing[,:]?\s*$")


def _subject(q: _Found, before: str, vocabulary: Vocabulary) -> re.Match[str] | None:
    """The subject of the sentence that holds a quotation with no cue of its own: when a participle
    leads to the quotation ("Trump attacked Clinton, saying “...”", "..., interjecting “...”"), or
    when no one else is named between the subject and a quotation too long to be a scare quote
    ("Trump attacked “the hateful ideology of radical Islam”")."""
    m = cues.SUBJECT_ANY_VERB.match(before)
    if m is None or not _accept_speaker(m, vocabulary):
        return None
    rest = m.group("rest")
    short = q.pronoun or len(words(q.text)) <= _SCARE_WORDS
    participle = cues.PARTICIPLE_BEFORE.search(rest)
    if participle and (not short or _RIGHT_AFTER_PARTICIPLE.search(rest)):
        return m  # (a short one only right after its participle: not "yoking him with the nickname “...”")
    if short:
        return None
    if any(not rest.startswith(("’s", "'s"), p.end()) for p in _PERSON_MENTION.finditer(rest)):
        return None
    return m


def _same_speaker(q: _Found, prev: _Found) -> None:
    q.speaker, q.desc, q.kind = prev.speaker, prev.desc, prev.kind


def _signed(para: str, q: _Found) -> bool:
    """A quotation signed after a dash ("“...” ― Christina N Luis Olidem"), by a name or not."""
    return para[q.end : q.end + 3].lstrip().startswith(("―", "—"))


def _names_someone_else(gap: str) -> bool:
    """Whether text between two quotes, past the first quote's own attribution, names a person."""
    rest = gap[len(_first_clause(gap)) :]
    return any(looks_like_person(m.group(1)) for m in _PERSON_MENTION.finditer(rest))


def _strip_joint(text: str) -> str:
    return text.strip().rstrip(",").rstrip()


def _merge_split_quotes(para: str, spans: list[Span]) -> list[list[Span]]:
    """Group `“We will,” he said, “win.”` into one quotation."""
    groups: list[list[Span]] = []
    for span in spans:
        if groups:
            prev = groups[-1][-1]
            gap = para[prev.end : span.start]
            if prev.closed and prev.text.endswith((",", "—", "–", "-", "…")) and _is_short_attribution(gap):
                groups[-1].append(span)
                continue
        groups.append([span])
    return groups


def _is_short_attribution(gap: str) -> bool:
    gap = gap.strip()
    if not gap or len(gap.split()) > 14 or cues.SENTENCE_END.search(gap[:-1]):
        return False  # "..., said X. Kasich resisted: ..." starts another quotation
    return any(p.match(gap) for p in cues.AFTER_PATTERNS) and gap.endswith((",", ":", "—", "–", ";"))


def _sentence_before(para: str, start: int) -> tuple[str, bool]:
    """The text of the current sentence up to a quote's opening mark (at most WINDOW characters,
    cut at a word), and whether that is the whole sentence from its start."""
    low = max(0, start - WINDOW)
    last = None
    for last in cues.SENTENCE_END.finditer(para, low, start):  # noqa: B007 - the last one is wanted
        pass
    if last is not None:
        before, whole = para[last.end() : start], True
    elif low == 0:
        before, whole = para[:start], True
    else:
        head = para[low:start]
        cut = head.find(" ")
        before, whole = (head[cut + 1 :] if cut >= 0 else ""), False
    # No pattern matches across a quotation mark, so the text before the last one is never needed
    # (the mark is kept so that a match cannot start right after it).
    mark = _last_mark(before)
    return (before[mark:], False) if mark >= 0 else (before, whole)


def _last_mark(text: str) -> int:
    """The offset of the last quotation mark not inside a short parenthesis, or -1."""
    end = len(text)
    while True:
        k = max(text.rfind(c, 0, end) for c in _MARKS)
        if k < 0:
            return -1
        opened = text.rfind("(", 0, k)
        if opened > text.rfind(")", 0, k) and k - opened <= 41:
            end = opened  # "Smith (“the Iron Lady”) said": the mark belongs to a parenthesis
            continue
        return k


def _after_match(q: _Found, after: str, last: str, vocabulary: Vocabulary) -> re.Match[str] | None:
    """The accepted attribution after a quotation, if any (see _attribute)."""
    after = _first_clause(after)
    for pattern in cues.AFTER_PATTERNS + (cues.OPEN_AFTER if last in cues.RUNS_ON else ()):
        text = after
        for _ in range(_MAX_TRIES):
            m = pattern.match(text)
            if m is None or (last in ".?!" and last and cues.next_sentence(text[m.end() :], last == ".")):
                break
            if _accept_speaker(m, vocabulary):
                return m
            q.pronoun = True  # attributed, to a word that names no one ("Some chanted", "Few said")
            # Not a name ("said Post White House bureau chief Juliet Eilperin"): try the next one,
            # the rejected word now read as a lower-case word of the title before the name.
            at = m.start("speaker")
            if not text[at].isupper():
                break
            text = text[:at] + text[at].lower() + text[at + 1 :]
    return None


def _attribute(
    q: _Found,
    after: str,
    before: str,
    people: People,
    vocabulary: Vocabulary,
    *,
    subject: bool = True,
    last: str = "",
) -> None:
    """Find the speaker in the text ``after`` the quote or the sentence ``before`` it; ``subject``
    says whether ``before`` starts where its sentence starts (needed to find the sentence's subject);
    ``last`` is the quotation's last character. A quotation ending in a comma or a dash runs on into
    its cue, so any past-tense verb beside a name after it is the cue ("“...,” Toomey fumed"); one
    ending in a full stop has its cue after it only when the cue ends there too: what else follows
    is the next sentence ("“...found.” He added, “...”", "“...” Kasich said he would ...")."""
    m = _after_match(q, after, last, vocabulary)
    if m is not None and not re.fullmatch(cues.PRONOUNS, m.group("speaker").strip()):
        _set_speaker(q, m, people, vocabulary)
        return
    # A pronoun after the quote is the name the sentence gives before it, if it gives one
    # ("Feinstein said “...,” she said"); otherwise the pronoun is resolved.
    _attribute_before(q, before, people, vocabulary, subject=subject)
    if q.speaker is None and m is not None:
        _set_speaker(q, m, people, vocabulary)


def _attribute_before(
    q: _Found, before: str, people: People, vocabulary: Vocabulary, *, subject: bool, cue_only: bool = False
) -> None:
    """The speaker a sentence names before a quotation; ``cue_only``: only a subject and its speech
    verb (for the sentence before the quotation's own)."""
    for pattern in (cues.BEFORE_PATTERNS[2],) if cue_only else (*cues.BEFORE_PATTERNS, cues.OPEN_BEFORE):
        pos, chosen = 0, None
        for _ in range(_MAX_TRIES):
            m = pattern.search(before, pos)
            if m is None:
                break
            if _accept_speaker(m, vocabulary):
                # Not a name in a place or object position ("Priebus later told Fox News:").
                if not _not_the_speaker(before, m) and (chosen is None or m.start("verb") > chosen.start("verb")):
                    chosen = m
                    # "Asked by Stephanopoulos to respond, Carson said:": the subject and verb
                    # nearest the quote, when a sentence has more than one.
                    if pattern is not cues.BEFORE_PATTERNS[2]:
                        break
            else:
                q.pronoun = True
            pos = m.start() + 1
        if chosen is not None:
            _set_speaker(q, chosen, people, vocabulary)
            return
    if cue_only:
        return
    m = _subject(q, before, vocabulary) if subject else None
    if m is not None:
        _set_speaker(q, m, people, vocabulary)


def _first_clause(after: str) -> str:
    # Attribution after a quote sits before the sentence ends.
    m = cues.SENTENCE_END.search(after)
    return after[: m.end()] if m else after


def _speaker_of(m: re.Match[str], vocabulary: Vocabulary) -> str:
    """The speaker a match names: a pronoun or description as written; a name as the whole run
    of name tokens it starts, without the words glued before it ("State Hillary Clinton")."""
    speaker = m.group("speaker").strip()
    if re.fullmatch(cues.PRONOUNS, speaker):
        return speaker
    end = m.start("verb") if "verb" in m.re.groupindex and (m.start("verb") or 0) > m.end("speaker") else -1
    segment = m.string[m.end("speaker") : end if end >= 0 else m.end("speaker") + 200]
    # "Mozilla's CTO, Brendan Eich, said": after a description or an acronym, the name in apposition.
    named = apposition(speaker, segment, generic=bool(cues.GENERIC_SPEAKERS.match(speaker)) or speaker.isupper())
    if not named and not cues.GENERIC_SPEAKERS.match(speaker) and not is_person(speaker):
        named = titled_person(segment, vocabulary)  # "said GOP strategist Keith Nahigian"
    if named:
        return named
    if cues.GENERIC_SPEAKERS.match(speaker):
        return speaker
    run = name_run(m.string, m.start("speaker"))
    if run and len(run) > len(speaker):
        speaker = run
    described = description(m.string, m.start("speaker"), speaker)
    return described or clean_name(speaker, vocabulary)


def _accept_speaker(m: re.Match[str], vocabulary: Vocabulary) -> bool:
    speaker = m.group("speaker").strip()
    if re.fullmatch(cues.PRONOUNS, speaker) or cues.GENERIC_SPEAKERS.match(speaker):
        return True
    cleaned = _speaker_of(m, vocabulary).split()
    # A word of NOT_NAMES the text also writes inside a name ("chief executive Ian Read") may be one.
    if len(cleaned) == 1 and (
        (cleaned[0] in NOT_NAMES and cleaned[0] not in vocabulary.name_parts) or vocabulary.is_common_word(cleaned[0])
    ):
        return is_honorific(cleaned[0])  # "Few", "Asked": a common word, not a name
    if all(vocabulary.is_common_word(t) for t in cleaned):
        return False  # "Good Is": words the text writes in lower case
    if re.fullmatch(ANY_NAME, speaker):
        return True
    # A name of another shape only right beside the verb ("said CNN", not "report as a PDF").
    verb = m.groupdict().get("verb")
    if verb and m.start("verb") < m.start("speaker") and m.string[m.end("verb") : m.start("speaker")].strip():
        return False
    return bool(re.fullmatch(cues.OTHER_NAME, speaker))


def _not_the_speaker(before: str, m: re.Match[str]) -> bool:
    """A name in a place or object position: "asks at Western High School:", "told Fox News:",
    "said last week in Tel Aviv,": the speaker is the sentence's subject, not this name."""
    start = m.start("speaker")
    if re.fullmatch(cues.PRONOUNS, m.group("speaker").strip()):
        return False
    if follows_preposition(before, start) or cues.TO_SOMEONE.search(before, max(0, start - 20), start):
        return True
    if cues.ARTICLE_BEFORE.search(before, max(0, start - 4), start):
        return True  # "posted a Twitter comment, saying": a noun phrase, not a name and a verb
    # "X told Fox News:": a name or pronoun right before the verb is the subject; and whoever
    # follows "told", "asked" or "urged" is spoken to ("Clinton, who ..., told her supporters,").
    verb = m.start("verb") if "verb" in m.re.groupindex and m.group("verb") and m.start("verb") < start else -1
    if verb >= 0 and cues.ADDRESSEE_VERB.fullmatch(m.group("verb")):
        return True
    return verb >= 0 and bool(re.search(rf"(?:{ANY_NAME}|\b(?:{cues.PRONOUNS}))\s+{cues.ADVERBS}$", before[:verb]))


def _set_speaker(q: _Found, m: re.Match[str], people: People, vocabulary: Vocabulary) -> None:
    speaker = _speaker_of(m, vocabulary)
    desc = m.groupdict().get("desc") or m.groupdict().get("desc_end") or m.groupdict().get("desc_open")
    if re.fullmatch(cues.PRONOUNS, speaker):
        q.pronoun = True
        q.speaker = people.resolve(speaker)
        q.kind = "person" if q.speaker else None  # only persons are remembered
    else:
        issuer = _ISSUER.match(speaker)  # "“...,” a statement from Google said": Google
        q.speaker = people.expand(_clean_speaker(issuer.group(1) if issuer else speaker))
        cue, at = (issuer.group(0), 0) if issuer else (m.string, m.start("speaker"))
        q.kind = speaker_kind(q.speaker, people, vocabulary, cue=cue, at=at)
        # A name that speaks is a person's, even a surname alone ("Brafman said"): a pronoun after
        # it may be that person.
        one_name = re.fullmatch(TOKEN, q.speaker) is not None and q.speaker not in NOT_NAMES
        person = (one_name or looks_like_person(q.speaker)) and not vocabulary.names_a_thing(q.speaker)
        if person and q.kind == "person" and not is_institution(q.speaker) and q.speaker not in people:
            people.remember(q.speaker)
    q.desc = desc.strip() if desc else None


_ISSUER = re.compile(r"^(?:a|an|the)\s+(?:\w+\s+)?statement\s+(?:from|by)\s+(.*[A-Z].*)$", re.I)


def _clean_speaker(speaker: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", lambda m: m.group(0).lower(), speaker)


_PERSON_MENTION = re.compile(rf"(?<![\w.])({FULL_NAME})")


# --- what is not a quotation -----------------------------------------------------------------------


def _is_title_or_nickname(para: str, q: _Found) -> bool:
    n_words = len(words(q.text))
    before = para[max(0, q.start - 40) : q.start]
    after = para[q.end : q.end + 3]
    if n_words <= 12 and _TITLE_CUES.search(before):
        return True
    # Nickname: a short quoted word between two parts of a name (Dwayne “The Rock” Johnson).
    if n_words <= 3 and re.search(r"[A-Z][\w.]+\s$", before) and re.match(r"\s[A-Z]", after):
        return True
    # Title-cased short phrase with no speaker and no sentence punctuation: a work's title.
    tokens = q.text.split()
    if q.speaker is None and 1 < len(tokens) <= 10 and not re.search(r"[.!?,]$", q.text):
        caps = sum(
            1
            for t in tokens
            if t[:1].isupper() or t.lower() in {"of", "the", "a", "an", "and", "in", "on", "to", "for"}
        )
        if caps == len(tokens) and sum(1 for t in tokens if t[:1].isupper()) >= 2:
            return True
    return False


def quotations(paragraphs: Sequence[str]) -> list[_Found]:
    """Direct quotations only: no titles, nicknames or unattributed scare quotes."""
    out: list[_Found] = []
    for q in extract_quotes(paragraphs):
        n_words = len(words(q.text))
        if n_words == 0:
            continue
        if _is_title_or_nickname(paragraphs[q.paragraph], q):
            continue
        if q.speaker is None and not q.pronoun and n_words <= _SCARE_WORDS:
            continue  # a scare quote
        out.append(q)
    return out


class Contexts:
    """The sentences a span of one paragraph stands in, for many spans: the sentences' offsets are
    found once, and each span is then placed by bisection (a paragraph may hold thousands)."""

    def __init__(self, paragraph: str, sentences: Sequence[str]) -> None:
        self.paragraph = paragraph
        self.sentences = list(sentences)
        self.ends: list[int] = []
        self.starts: list[int] = []
        pos = 0
        for s in self.sentences:
            at = paragraph.find(s, pos)
            if at < 0:
                at = pos
            self.starts.append(at)
            pos = at + len(s)
            self.ends.append(pos)

    def of(self, start: int, end: int) -> str:
        first = bisect.bisect_right(self.ends, start)  # the first sentence ending after the span starts
        picked = []
        for i in range(first, len(self.sentences)):
            if self.starts[i] >= end:
                break
            picked.append(self.sentences[i])
        return " ".join(picked) if picked else self.paragraph
