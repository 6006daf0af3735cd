"""Attribution cues: the patterns that tie a quotation to its speaker.

A cue is a speech verb and a speaker next to a quotation: after it ("“...,” said X", "“...,” X
said", "according to X", "― X"), before it ("X said:", "X told reporters,", "X declared that"),
or the subject of the sentence that holds it ("X attacked Y, saying “...”"). The verb is one of a
list, or any past-tense verb in the slot where only a cue fits (a quotation ending in a comma); the
speaker is a name, a pronoun or a description.
"""

from __future__ import annotations

import re

from bot.analysis.names import ABBREVIATED_HONORIFICS, ABBREVIATED_SUFFIXES, ANY_NAME, FULL_NAME

VERB_FORMS = """
    say says said saying tell tells told telling add adds added adding declare declares declared declaring
    write writes wrote writing ask asks asked asking explain explains explained explaining note notes noted noting
    state states stated argue argues argued arguing insist insists insisted insisting warn warns warned warning
    claim claims claimed claiming continue continues continued reply replies replied respond responds responded
    recall recalls recalled acknowledge acknowledges acknowledged admit admits admitted announce announces announced
    observe observes observed remark remarks remarked suggest suggests suggested tweet tweets tweeted tweeting
    post posts posted shout shouts shouted joke jokes joked urge urges urged caution cautions cautioned
    predict predicts predicted concede concedes conceded complain complains complained counter counters countered
    emphasize emphasizes emphasized emphasise emphasises emphasised stress stresses stressed testify testifies
    testified conclude concludes concluded agree agrees agreed quip quips quipped muse muses mused exclaim exclaims
    exclaimed demand demands demanded promise promises promised vow vows vowed boast boasts boasted charge charges
    charged thunder thundered lament laments lamented wonder wonders wondered confirm confirms confirmed deny denies
    denied report reports reported recount recounts recounted yell yells yelled whisper whispers whispered
    scold scolds scolded sing sings sang singing chant chants chanted read reads retort retorts retorted snap
    snapped reiterate reiterates reiterated maintain maintains maintained contend contends contended assert asserts
    asserted allege alleges alleged accuse accuses accused answer answers answered assure assures assured
    blast blasts blasted brag brags bragged comment comments commented cry cries cried decry decries decried
    echo echoes echoed hint hints hinted implore implores implored lecture lectures lectured mention mentions
    mentioned object objects objected opine opines opined plead pleads pleaded pledge pledges pledged proclaim
    proclaims proclaimed protest protests protested reason reasons reasoned reassure reassures reassured reflect
    reflects reflected remind reminds reminded repeat repeats repeated reveal reveals revealed scoff scoffs scoffed
    sneer sneered speculate speculates speculated taunt taunts taunted tease teases teased threaten threatens
    threatened tout touts touted venture ventures ventured volunteer volunteered put puts describe describes
    described call calls called text texts texted email emails emailed begin begins began went
"""
SPEECH_VERBS = (
    "|".join(
        sorted(set(VERB_FORMS.split()) - {"went", "put", "puts", "call", "calls", "called"}, key=len, reverse=True)
    )
    + r"|went on|pointed out|put it|shot back"
)
PRONOUNS = r"he|she|they|I|we|He|She|They|We"
UNNAMED_SOURCES = (
    r"spokesman|spokeswoman|spokesperson|official|officials|statement|source|aide|adviser|advisor|lawyer|"
    r"attorney|campaign|report|memo|letter|police|agency|department|ministry|company|group|mayor|president|"
    r"governor|senator|secretary|minister|chairman|director|candidate|nominee|doctor|expert|analyst|author|"
    r"union|book|article|ruling|court|judge|narrator|announcer|friend|father|mother|husband|wife|son|daughter|"
    r"fund|study|poll|survey|editorial|newspaper|magazine|network|website|ad|filing|complaint|lawsuit|"
    r"researchers|experts|critics|supporters|protesters|residents|voters|analysts"
)
DETERMINER = r"(?:the|a|an|my|his|her|their|our|its|one|another)"
# Names of other shapes: "VanderSloot", "PolitiFact", "CNN" (in a cue slot, where only a name fits).
OTHER_NAME = r"(?:[A-Z](?:[a-z]+[A-Z])+[a-z]+|[A-Z]{2,6})(?![\w’'-]|\.\w)"
SPEAKER = (
    rf"(?P<speaker>(?>{ANY_NAME})(?![’']s\b(?!\s*[“\x22«]))|{OTHER_NAME}|{PRONOUNS}|"
    rf"{DETERMINER}\s+(?:[\w’'-]+\s+){{0,3}}(?:{UNNAMED_SOURCES})|the\s+[A-Z]{{2,6}})"
)
DESC = (
    r"(?:,\s*(?P<desc>(?:an?|the|who|whose|[a-z][\w-]*|[A-Z][\w.’'-]*|\d+)(?:\s[^,“”\"«»]{2,160}?)?)"
    r"(?:,\s*[^,“”\"«»]{2,120}?)?,)"
)
DESC_END = r"(?:,\s*(?P<desc_end>(?:an?|the|who)\s[^,“”\"«»]{2,160}?)(?:[.!?]?$|,))"
VERB = rf"(?P<verb>{SPEECH_VERBS})"
# Titles before a name ("Clinton campaign spokesman Brian Fallon"), a party tag after it ("(D-Mo.)"),
# and an organisation ("Mr. Morgan of the Sierra Club").
PREFIX = r"(?:(?:[A-Z][\w.'’-]*|[a-z][\w-]*|\d[\w/-]*)\s+){0,5}?"
PAREN = r"(?:\s*\([^()]{1,40}\))?"
OF = r"(?:\s+(?:of|from|at)\s+(?:the\s+)?[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4})?"
ADVERBS = r"(?:(?:also|later|then|once|again|previously|recently|had|has|have|would|will|simply|flatly|just)\s+)*"

# In a cue slot any description can speak ("one senior Democrat said", "according to the Daily Caller").
SOMEONE = rf"(?P<speaker>{DETERMINER}\s+(?:[\w’'-]+\s+){{0,2}}[\w’'-]+)"
# A description not closed by a comma before the verb ("Nate Silver, the polling guru who founded
# the site tweeted").
DESC_OPEN = r"(?:,\s*(?P<desc_open>(?:an?|the|who)\s[^,“”\"«»]{2,120}?))"

# A description, then the person's name set off by commas: "Smith’s lawyer, Ben Brafman, said", "The
# Mandan, North Dakota, police chief, Jason Ziegler, said", "said Obama’s press secretary, Josh Earnest".
# The description ends in a lower-case word (its noun), so a name before the name is not taken.
APPOSED = r"(?P<pre>[^“”\x22«».;!?]{0,100}?(?<![\w’'-])[a-z][\w’'-]*)"
APPOSED_NAME = rf"(?P<speaker>{FULL_NAME}){PAREN}"
APPOSED_AFTER = (
    re.compile(rf"^\s*[,—–-]?\s*{APPOSED},\s*{APPOSED_NAME}(?:,\s*[^,“”\x22«»]{{1,80}}?)?,\s+{ADVERBS}{VERB}\b"),
    re.compile(rf"^\s*[,—–-]?\s*{VERB}\s+{APPOSED},\s*{APPOSED_NAME}(?=\s*(?:[.,;]|$))"),
)
APPOSED_BEFORE = re.compile(
    rf"^{APPOSED},\s*{APPOSED_NAME}(?:,\s*[^,“”\x22«»]{{1,80}}?)?,\s+{ADVERBS}{VERB}\b[^“”\x22«».?!]{{0,80}}$"
)

# Attribution after the closing mark: ", said X" / ", X said" / ", X, a diplomat, said" / "according to X" / "― X".
AFTER_PATTERNS = (
    re.compile(rf"^\s*[,—–-]?\s*{VERB}\s+{PREFIX}{SPEAKER}{PAREN}(?:{DESC}|{DESC_END})?"),
    re.compile(rf"^\s*[,—–-]?\s*{PREFIX}{SPEAKER}{PAREN}{OF}(?:{DESC}|{DESC_OPEN})?\s+{ADVERBS}{VERB}\b"),
    re.compile(rf"^\s*[,—–-]?\s*according to\s+{PREFIX}{SPEAKER}{DESC}?"),
    re.compile(rf"^\s*[,—–-]?\s*{SOMEONE}\s+{ADVERBS}{VERB}\b"),
    re.compile(rf"^\s*[,—–-]?\s*according to\s+{SOMEONE}(?=\s*(?:$|[,.;]))"),
    re.compile(rf"^\s*[―—–]\s*{SPEAKER}(?=\s*(?:$|[“\"(,.;]))"),
    *APPOSED_AFTER,
)
# Attribution before the opening mark: "X said:", "X told reporters,", "X declared that there is".
BEFORE_PATTERNS = (
    re.compile(rf"(?:^|[\s(,;])(?i:{VERB})\s+{PREFIX}{SPEAKER}{PAREN}{DESC}?\s*[:,]\s*$"),
    re.compile(rf"(?:^|[\s(,;])(?:[Aa]ccording to\s+){SPEAKER}{DESC}?\s*,?\s*(?:[^“”\"«»]{{0,80}})$"),
    re.compile(
        rf"(?:^|[\s(,;—])(?:(?:[a-z]+\s+){{0,2}}){SPEAKER}{PAREN}{OF}{DESC}?\s+(?:{ADVERBS}|to\s+|went on to\s+)*"
        rf"{VERB}\b(?:[^“”\"«».?!]{{0,80}})$"
    ),
    re.compile(rf"(?:^|[\s(,;])(?:[Aa]ccording to\s+){SOMEONE},\s*$"),
    APPOSED_BEFORE,
)
# A verb of no list in the cue slot of a quotation that needs a cue ("“...,” Toomey fumed",
# "“...,” interjected Hannity", "Kasich resisted:"): a past-tense word right beside the speaker.
OPEN_VERB = r"(?P<verb>[a-z]{2,}ed)(?![\w'’-])(?:\s+(?:back|on|up|out|in))?"
OPEN_AFTER = (
    re.compile(rf"^\s*[,—–-]?\s*{OPEN_VERB}\s+{PREFIX}{SPEAKER}{PAREN}(?:{DESC}|{DESC_END})?(?=\s*(?:[.,;!?]|$))"),
    re.compile(rf"^\s*[,—–-]?\s*{PREFIX}{SPEAKER}{PAREN}{OF}{DESC}?\s+{ADVERBS}{OPEN_VERB}"),
)
OPEN_BEFORE = re.compile(rf"(?:^|[\s(,;—]){SPEAKER}{PAREN}{DESC}?\s+{ADVERBS}{OPEN_VERB}(?:\s+[a-z]+ly)?\s*:\s*$")
# "Trump attacked “the hateful ideology of radical Islam”", "Huckabee, for his part, is labeling
# Obama’s actions “...”": a quotation with no cue at all, in a sentence whose subject (a name or a
# pronoun) goes straight on to its verb, is the subject's.
SUBJECT_ANY_VERB = re.compile(
    rf"^(?:[^,“”\x22«»]{{0,60}},\s+)?(?:[A-Z][\w.'’-]*\s+){{0,4}}?{SPEAKER}{PAREN}{DESC}?\s+{ADVERBS}"
    rf"(?!(?:and|or|of|in|at|on|to|for|from|with|by|as|but|nor)\b)(?P<verb>[a-z][\w'’-]+)\b(?P<rest>[^“”\x22«»]*)$"
)
# "..., saying", "by interjecting", "..., writing on Twitter": a participle that leads to the quotation.
PARTICIPLE_BEFORE = re.compile(r"(?:,|\bby)\s*[a-z]{2,}ing\b[^,“”\x22«»]{0,60}[,:]?\s*$")
# A sentence ends at . ! or ? followed by space, but not after an honorific or an initial.
# (The mark comes first so that a search skips straight to candidates; each look-behind checks the
# word before it.)
NOT_SENTENCE_ENDS = "".join(rf"(?<!\b{a}.)" for a in (*ABBREVIATED_HONORIFICS, "St", *ABBREVIATED_SUFFIXES))
SENTENCE_END = re.compile(rf"[.!?]{NOT_SENTENCE_ENDS}(?<!\b[A-Z].)[”\"’)]?(?=\s+[A-Z“\"‘(]|\s*$)")

GENERIC_SPEAKERS = re.compile(r"^(?:the|a|an|my|his|her|their|our|its|one|another)\s", re.I)

RUNS_ON = (",", "—", "–", "-", "?", "!")
QUOTE_NEXT = re.compile(r"\s*[,:]\s*[“\"«]")
CLAUSE_NEXT = re.compile(rf"\s+(?:that|{PRONOUNS}|it|you|the|a|an|his|her|their|its|this|these|those)\b")


def next_sentence(rest: str, full_stop: bool) -> bool:
    """Whether what follows a cue after a finished quotation shows the cue belongs to the next
    sentence: another quotation follows it, or (after a full stop) a clause of its own."""
    return bool(QUOTE_NEXT.match(rest) or (full_stop and CLAUSE_NEXT.match(rest)))


TO_SOMEONE = re.compile(r"(?<!according)\s+to\s*$", re.I)  # "wrote in a statement to Wired"

ARTICLE_BEFORE = re.compile(r"\b(?:a|an)\s+$")
# Verbs whose object is the person spoken to.
ADDRESSEE_VERB = re.compile(
    r"(?i:tell|tells|told|telling|ask|asks|asked|asking|urge|urges|urged|remind|reminds|reminded|assure|assures|assured|warn|warns|warned)"
)
