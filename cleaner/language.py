"""Which language a document is in: cheaply, deterministically.

In order: the script when it names the language (Hangul is Korean, kana is
Japanese, Greek letters are Greek); else the stop words of our lexicons when
one language clearly wins; else langdetect, seeded, on a bounded sample of
the document's longest blocks. The sample is a function of the blocks alone,
so the same text always gives the same answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .model import Block
from .rulebook import Lexicon
from .scripts import script_counts
from .text import words as split_words

SAMPLE_BLOCKS = 8  # blocks judged when every block looks like code
SAMPLE_CHARS = 1200  # enough for langdetect to be sure, small enough to be cheap
LANGDETECT_CHARS = 500  # langdetect's cost grows with its input; this much is enough for it
MIN_LETTERS = 20  # below this, no guess at all
KANA_SHARE = 0.05  # this share of kana among Han letters makes a text Japanese
CODE_CHARACTERS = "{}<>=;|\\"
CODE_SHARE = 0.05  # more of these characters than this share: code, not prose
URL_SPACING = 20  # fewer than one space per this many characters, with a URL: links
STOPWORD_MIN_HITS = 4  # the winning language needs this many stop words...
STOPWORD_MARGIN = 2.0  # ...and this many times more than the runner-up

# Scripts used by one language (of those we know) as its main script.
SCRIPT_LANGUAGE: Mapping[str, str] = {
    "Hangul": "ko", "Thai": "th", "Greek": "el", "Hebrew": "he", "Armenian": "hy",
    "Georgian": "ka", "Khmer": "km", "Lao": "lo", "Myanmar": "my", "Sinhala": "si",
    "Bengali": "bn", "Tamil": "ta", "Telugu": "te", "Kannada": "kn", "Malayalam": "ml",
    "Gujarati": "gu", "Gurmukhi": "pa", "Oriya": "or", "Tibetan": "bo", "Thaana": "dv",
    "Ethiopic": "am",
}


@dataclass(frozen=True, slots=True)
class Guess:
    """A language guess and how it was made (given, script, stopwords, langdetect)."""

    lang: str | None
    method: str


def sample(blocks: Sequence[Block]) -> str:
    """The longest blocks, up to SAMPLE_CHARS, in document order."""
    chosen: list[Block] = []
    total = 0
    for block in sorted(blocks, key=lambda b: (-len(b.text), b.index)):
        if looks_like_code(block.text):
            continue
        chosen.append(block)
        total += len(block.text)
        if total >= SAMPLE_CHARS:
            break
    if not chosen:  # nothing but code: judge it as it is
        chosen = sorted(blocks, key=lambda b: (-len(b.text), b.index))[:SAMPLE_BLOCKS]
    return "\n".join(b.text for b in sorted(chosen, key=lambda b: b.index))[: SAMPLE_CHARS * 2]


@lru_cache(maxsize=16)
def sample_script_counts(text: str) -> Mapping[str, int]:
    """`script_counts` of a language sample, shared by language and script judgements."""
    return script_counts(text)


def looks_like_code(text: str) -> bool:
    """Embedded markup, script or a run of URLs: no evidence of a language.

    >>> looks_like_code('var x = {"a": 1}; if (x) { y(); }')
    True
    """
    signs = sum(text.count(c) for c in CODE_CHARACTERS)
    return signs > CODE_SHARE * len(text) or ("://" in text and text.count(" ") * URL_SPACING < len(text))


def detect(blocks: Sequence[Block], lexicons: Mapping[str, Lexicon]) -> Guess:
    """Guess the language of a document from its blocks."""
    return detect_sample(sample(blocks), lexicons)


def detect_sample(text: str, lexicons: Mapping[str, Lexicon]) -> Guess:
    """Guess the language of a document from its sample (see `sample`)."""
    counts = sample_script_counts(text)
    letters = sum(counts.values())
    if letters < MIN_LETTERS:
        return Guess(None, "too-short")
    main = max(counts, key=lambda name: (counts[name], name))
    kana = counts.get("Hiragana", 0) + counts.get("Katakana", 0)
    if main in ("Han", "Hiragana", "Katakana"):
        return Guess("ja" if kana >= KANA_SHARE * letters else "zh", "script")
    if main in SCRIPT_LANGUAGE:
        return Guess(SCRIPT_LANGUAGE[main], "script")
    by_stopwords = _by_stopwords(text, lexicons)
    if by_stopwords:
        return Guess(by_stopwords, "stopwords")
    return Guess(_langdetect(text[:LANGDETECT_CHARS]), "langdetect")


@lru_cache(maxsize=8)
def _stopword_index(lexicons: tuple[Lexicon, ...]) -> dict[str, tuple[str, ...]]:
    """Each stop word with the languages it belongs to."""
    index: dict[str, list[str]] = {}
    for lexicon in lexicons:
        for word in lexicon.stopwords:
            index.setdefault(word, []).append(lexicon.lang)
    return {word: tuple(codes) for word, codes in index.items()}


def identify_text(text: str, lexicons: Mapping[str, Lexicon]) -> str | None:
    """The language of a piece of text when its stop words clearly name it, else None."""
    return _by_stopwords(text, lexicons)


def confirm(text: str, lang: str) -> bool:
    """Whether langdetect (seeded) agrees that `text` is in `lang`."""
    return _langdetect(text[:LANGDETECT_CHARS]) == lang


def _by_stopwords(text: str, lexicons: Mapping[str, Lexicon]) -> str | None:
    """The language whose stop words clearly win; failing that, whose own stop words clearly win.

    Related languages share many stop words (`de`, `la`, `que` in Spanish,
    French and Portuguese): when all of them are counted and no language
    wins by STOPWORD_MARGIN, the words of one language alone decide, under
    the same thresholds.
    """
    index = _stopword_index(tuple(lexicons[code] for code in sorted(lexicons)))
    counts = Counter(split_words(text))
    found = counts.keys() & index.keys()
    hits: Counter[str] = Counter()
    for word in found:
        for code in index[word]:
            hits[code] += counts[word]
    winner = _clear_winner(hits)
    if winner or len(hits) < 2:
        return winner
    own: Counter[str] = Counter()
    for word in found:
        if len(index[word]) == 1:
            own[index[word][0]] += counts[word]
    return _clear_winner(own)


def _clear_winner(hits: Mapping[str, int]) -> str | None:
    """The language with STOPWORD_MIN_HITS hits and STOPWORD_MARGIN times the runner-up's, if any."""
    if not hits:
        return None
    ranked = sorted(((n, code) for code, n in hits.items()), reverse=True)
    best, code = ranked[0]
    runner_up = ranked[1][0] if len(ranked) > 1 else 0
    if best >= STOPWORD_MIN_HITS and best >= STOPWORD_MARGIN * runner_up:
        return code
    return None


@lru_cache(maxsize=4096)
def _langdetect(text: str) -> str | None:
    from langdetect import DetectorFactory, LangDetectException, detect_langs

    DetectorFactory.seed = 0  # langdetect is random unless seeded before each call
    try:
        found = detect_langs(text)
    except LangDetectException:
        return None
    if not found:
        return None
    return found[0].lang.split("-")[0]
