"""Domain objects: plain dataclasses, no Discord, no I/O."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from bot.core import periods
from bot.core.cjk import CJK_WORDS_PER_MINUTE, count_words


@dataclass(frozen=True, slots=True)
class Author:
    """Who wrote an article.

    ``role`` is the phrase the article itself uses ("a Research Fellow in the Institute for ...",
    without the article); ``title`` and ``affiliation`` are that phrase split where it says
    "<title> in/at/of <affiliation>".

    ``credit`` is set for a person the article credits for something other than the writing, in
    its own words ("Edited by", "Übersetzung:", "Photographs by"): one of CREDIT_ROLES. A writer has
    none. In JSON the credit is the author's ``role``.
    """

    name: str
    role: str | None = None
    title: str | None = None
    affiliation: str | None = None
    bio: str | None = None
    credit: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"name": self.name, "role": self.credit or self.role, "bio": self.bio}


# What an article may credit a person for besides the writing (Author.credit), in the order a byline
# lists them after the writers. bot.analysis.credits reads them in several languages; bot.core.wording
# says them.
CREDIT_ROLES = (
    "additional reporting",
    "editor",
    "translator",
    "compiler",
    "photographer",
    "illustrator",
    "contributor",
)


# What kind of speaker a quotation has: a person, an organisation the text makes speak ("the DNC
# said in a statement", "CNN reported"), or not known (no speaker, or a thing such as "the report").
SpeakerKind = Literal["person", "organisation"]
SPEAKER_KINDS: tuple[str, ...] = ("person", "organisation")


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation: its words (without quotation marks), who said them and where.
    ``speaker_kind`` says whether the speaker is a person or an organisation (None: not known;
    analyses stored before it existed load with None)."""

    text: str
    speaker: str | None
    context: str
    speaker_description: str | None = None
    key: bool = False
    paragraph: int = 0
    speaker_kind: SpeakerKind | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "speaker": self.speaker,
            "speaker_kind": self.speaker_kind,
            "context": self.context,
            "key": self.key,
        }


@dataclass(frozen=True, slots=True)
class Article:
    """A parsed article. ``paragraphs`` is the body only: no title, standfirst, bio or boilerplate."""

    id: str
    slug: str
    title: str
    standfirst: str | None
    paragraphs: tuple[str, ...]
    authors: tuple[Author, ...] = ()
    disclaimer: str | None = None
    publication: str | None = None
    url: str | None = None
    published: str | None = None
    preview_only: bool = False
    content_hash: str = ""
    source_path: str | None = None

    @property
    def author(self) -> Author | None:
        return self.authors[0] if self.authors else None

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def word_counts(self) -> tuple[int, int]:
        """(words, CJK characters) of the body: see bot.core.text.count_words."""
        counts = [count_words(p) for p in self.paragraphs]
        return sum(w for w, _ in counts), sum(c for _, c in counts)

    @property
    def words(self) -> int:
        """Words, counting each Chinese or Japanese character as one."""
        return sum(self.word_counts)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["paragraphs"] = list(self.paragraphs)
        data["authors"] = [asdict(a) for a in self.authors]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        fields = dict(data)
        fields.setdefault("id", "")
        fields.setdefault("slug", "")
        fields.setdefault("source_path", None)
        if "dek" in fields:  # the standfirst's name in analyses stored before it was renamed
            fields.setdefault("standfirst", fields.pop("dek"))
        fields["paragraphs"] = tuple(fields["paragraphs"])
        fields["authors"] = tuple(Author(**a) for a in fields.get("authors", ()))
        return cls(**fields)


WORDS_PER_MINUTE = 230


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the engine computes from an article, independent of summary length.

    ``sentences`` are the body's sentences in article order; ``ranking`` lists their indices,
    best first, so a summary of any length is a cheap slice.
    """

    sentences: tuple[str, ...]
    ranking: tuple[int, ...]
    quotes: tuple[Quote, ...]
    keywords: tuple[str, ...]
    # The article's most characteristic content-word stems with unit-length weights, for finding
    # related articles: cosine similarity is the sum of products over shared terms.
    signature: tuple[tuple[str, float], ...] = ()
    # How many of the ranking's first sentences may be shown in a summary (the others fail more
    # tests of a stand-alone sentence than the article's best); None: all of them.
    fit: int | None = None

    def summary(self, n: int) -> list[str]:
        n = max(0, n) if self.fit is None else max(0, min(n, self.fit))
        chosen = sorted(self.ranking[:n])
        return [self.sentences[i] for i in chosen]

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentences": list(self.sentences),
            "ranking": list(self.ranking),
            "quotes": [asdict(q) for q in self.quotes],
            "keywords": list(self.keywords),
            "signature": [list(pair) for pair in self.signature],
            "fit": self.fit,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        return cls(
            sentences=tuple(data["sentences"]),
            ranking=tuple(data["ranking"]),
            quotes=tuple(Quote(**q) for q in data["quotes"]),
            keywords=tuple(data["keywords"]),
            signature=tuple((t, float(w)) for t, w in data.get("signature", ())),
            fit=data.get("fit"),
        )


@dataclass(frozen=True, slots=True)
class Brief:
    """What a user is shown about one article."""

    article: Article
    summary: tuple[str, ...]
    quotes: tuple[Quote, ...]
    keywords: tuple[str, ...]
    total_sentences: int = 0
    related: tuple[str, ...] = field(default=())

    @property
    def words(self) -> int:
        return self.article.words

    @property
    def reading_minutes(self) -> int:
        """Words at WORDS_PER_MINUTE plus Chinese and Japanese characters at CJK_WORDS_PER_MINUTE, rounded up."""
        words, cjk = self.article.word_counts
        rate = WORDS_PER_MINUTE * CJK_WORDS_PER_MINUTE
        return max(1, -(-(words * CJK_WORDS_PER_MINUTE + cjk * WORDS_PER_MINUTE) // rate))

    @property
    def key_quotes(self) -> tuple[Quote, ...]:
        return tuple(q for q in self.quotes if q.key)

    def to_json(self) -> dict[str, Any]:
        """The brief as the documented JSON object (``python -m bot brief --json``)."""
        author = self.article.author
        return {
            "id": self.article.id,
            "title": self.article.title,
            "standfirst": self.article.standfirst,
            "source": self.article.publication,
            "author": author.to_json() if author else {"name": None, "role": None, "bio": None},
            "authors": [a.to_json() for a in self.article.authors],
            "summary": list(self.summary),
            "quotes": [q.to_json() for q in self.quotes],
            "keywords": list(self.keywords),
            "words": self.words,
            "reading_minutes": self.reading_minutes,
            "preview_only": self.article.preview_only,
        }


# Rows the library keeps and the repositories return (bot/storage).


@dataclass(frozen=True, slots=True)
class RawArticle:
    """An article as a file gives it, before parsing. ``title`` None means the whole text is body."""

    text: str
    title: str | None = None
    author: str | None = None  # several names: "A; B" (or "A and B", "A, B" where no ";" is used)
    url: str | None = None
    published: str | None = None
    publication: str | None = None
    standfirst: str | None = None
    source_path: str | None = None
    # The names one by one, when the source lists them (an HTML page's metadata); ``author`` is then
    # their display string, "; "-joined, so the content hash still covers them.
    authors: tuple[str, ...] = ()
    # People the source credits for something other than the writing, in its order: (name, one of
    # CREDIT_ROLES). Not in ``author`` or ``authors``, which name the writers.
    credits: tuple[tuple[str, str], ...] = ()
    # The source knows the text is cut short (a page whose markup shows a paywall); parsing also
    # finds paywall notices in the text itself.
    preview_only: bool = False


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """What the library keeps about an article without loading its text."""

    id: str
    slug: str
    title: str
    author: str | None
    publication: str | None
    url: str | None
    published: str | None
    words: int
    preview_only: bool
    source_path: str | None
    content_hash: str
    file_size: int | None
    file_mtime_ns: int | None
    sort_time: str
    added_at: str
    retired_at: str | None


@dataclass(frozen=True, slots=True)
class Feed:
    id: int
    url: str
    origin: str  # "cli" (added with `briefbot feeds add`) or "config" (BRIEFBOT_FEEDS)
    interval: float  # seconds between polls
    title: str | None
    etag: str | None
    last_modified: str | None
    next_poll: float  # unix time
    failures: int  # consecutive
    last_error: str | None
    last_polled_at: str | None
    last_ok_at: str | None
    primed: bool  # the first good poll is done: later items are posted to subscribed channels
    disabled_at: str | None
    disabled_reason: str | None
    added_at: str
    items: int = 0  # items taken from it (the due() list leaves this 0)

    @property
    def disabled(self) -> bool:
        return self.disabled_at is not None


@dataclass(frozen=True, slots=True)
class FeedItem:
    feed_id: int
    guid: str | None
    link: str | None
    content_hash: str | None
    article_id: str


@dataclass(frozen=True, slots=True)
class Subscription:
    channel_id: int
    guild_id: int
    keywords: tuple[str, ...]
    created_by: int
    created_at: str
    paused_at: str | None
    paused_reason: str | None
    digest: str = "off"  # "off" (each article as it comes), "daily" or "weekly" (bot.core.periods)
    digest_from: str | None = None  # ISO 8601: the start of the open digest period

    @property
    def paused(self) -> bool:
        return self.paused_at is not None

    @property
    def next_digest(self) -> str | None:
        """ISO 8601: when the open period ends and its digest is due; None for each article as it comes."""
        if self.digest == "off" or self.digest_from is None:
            return None
        return periods.iso(periods.next_end(self.digest, self.digest_from))


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    channel_id: int
    article_id: str
    attempts: int


@dataclass(frozen=True, slots=True)
class Digest:
    """A closed period's digest for a channel: its articles in the order they came, and how many of
    its messages Discord has accepted so far."""

    id: int
    channel_id: int
    mode: str
    period_start: str
    period_end: str
    article_ids: tuple[str, ...]
    parts_sent: int
    attempts: int


@dataclass(frozen=True, slots=True)
class RequestRecord:
    article_id: str
    title: str | None  # None when the article is no longer in the library
    command: str
    guild_id: int | None
    channel_id: int | None
    created_at: str


@dataclass(frozen=True, slots=True)
class Refusal:
    key: str
    reason: str
    failures: int
    retry_at: float
    file_size: int | None = None
    file_mtime_ns: int | None = None


# A topic across the library, and two articles compared (bot.library.topics).


@dataclass(frozen=True, slots=True)
class TopicEntry:
    """One article on a topic: the sentence of its body that best speaks to it, and that sentence
    with the topic's words between bot.core.query's highlight marks."""

    article: ArticleRow
    sentence: str
    marked: str


@dataclass(frozen=True, slots=True)
class TopicBrief:
    """The most relevant articles on a topic, newest first, out of ``matched`` on the topic."""

    topic: str
    entries: tuple[TopicEntry, ...]
    matched: int


@dataclass(frozen=True, slots=True)
class ComparedSide:
    """An article compared with another: its sentences saying what the other does not, in order."""

    article: ArticleRow
    points: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two articles compared, the newer first."""

    first: ComparedSide
    second: ComparedSide
