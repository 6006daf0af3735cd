"""A deterministic synthetic corpus: article texts and quotations with a realistic word distribution.

Words follow a Zipf distribution over a vocabulary of common English words followed by generated
pseudo-words (so there are common words, rare words and everything between); quotations have
speakers from a pool of generated names; a few fixed phrases recur at known rates, for phrase
queries. Used by the search and library benchmarks.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

COMMON = (
    "government people year state policy country report city public minister health economy market "
    "plan school court police war president party law money family water energy climate security trade "
    "election campaign budget tax company workers price housing border council union vote rights crisis "
    "report leader official military power region history change future support attack agreement deal "
    "research data program service industry system network community development growth issue problem"
).split()
SYLLABLES = "ka ri to mu sel van dor pel qui nax bro tem lis fa gor hun zel wex pri cas nol mir tor ben".split()
FIRST_NAMES = "Ana Ben Carla David Elena Farid Grace Hiro Ines Jonas Kofi Lena Marta Nadia Omar Priya".split()
PHRASES = ("climate policy", "housing crisis", "trade agreement")


@dataclass(frozen=True, slots=True)
class SyntheticQuote:
    text: str
    speaker: str
    context: str


class Corpus:
    def __init__(self, seed: int = 1, vocabulary: int = 50_000) -> None:
        self.rng = random.Random(seed)
        words = list(COMMON)
        seen = set(words)
        while len(words) < vocabulary:
            w = "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 4)))
            if w not in seen:
                seen.add(w)
                words.append(w)
        self.words = words
        weights = [1.0 / (rank + 1) ** 1.07 for rank in range(len(words))]
        total = sum(weights)
        self.cumulative = []
        acc = 0.0
        for w in weights:
            acc += w / total
            self.cumulative.append(acc)
        surnames = ["".join(self.rng.choice(SYLLABLES) for _ in range(3)).title() for _ in range(2000)]
        self.speakers = [f"{self.rng.choice(FIRST_NAMES)} {s}" for s in surnames]

    def word(self) -> str:
        import bisect

        return self.words[min(bisect.bisect(self.cumulative, self.rng.random()), len(self.words) - 1)]

    def sentence(self, low: int = 8, high: int = 24) -> str:
        words = [self.word() for _ in range(self.rng.randint(low, high))]
        if self.rng.random() < 0.03:
            at = self.rng.randrange(len(words))
            words[at:at] = self.rng.choice(PHRASES).split()
        return " ".join(words).capitalize() + "."

    def quotes(self, n: int) -> Iterator[SyntheticQuote]:
        for _ in range(n):
            text = self.sentence(6, 30)
            speaker = self.rng.choice(self.speakers)
            yield SyntheticQuote(text=text, speaker=speaker, context=f"“{text}” said {speaker}.")

    def title(self) -> str:
        return " ".join(self.word() for _ in range(self.rng.randint(4, 9))).title()

    def article(self, index: int) -> tuple[str, str]:
        """(file name, .txt content) of a realistic article: title, byline, paragraphs with quotes, bio."""
        rng = self.rng
        title = self.title()
        author = rng.choice(self.speakers)
        paragraphs = [f"By {author}"]
        for _ in range(rng.randint(4, 30)):
            para = " ".join(self.sentence() for _ in range(rng.randint(1, 4)))
            if rng.random() < 0.35:
                q = self.sentence(6, 20)
                para += f" “{q.rstrip('.')},” said {rng.choice(self.speakers)}."
            paragraphs.append(para)
        if rng.random() < 0.3:
            paragraphs.append("Subscribe now to get full access.")
        paragraphs.append(f"{author} is a correspondent for the {self.word().title()} Review.")
        return f"{index:07d}.txt", title + "\n\n" + "\n\n".join(paragraphs) + "\n"
