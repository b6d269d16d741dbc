"""Script-aware text measures: folding, tokens, terminal punctuation.

No measure here assumes that words are separated by spaces: every Han, kana,
Thai, Lao, Khmer or Myanmar character counts as one token, as in the scoring
of the evaluation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import regex

# Characters that each count as a token of their own (scripts without spaces).
_SINGLE = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
TOKEN_RE = regex.compile(rf"[{_SINGLE}]|[^\W{_SINGLE}]+")

# What ends a sentence, in every script we know of.
TERMINAL_PUNCTUATION = frozenset(
    ".!?…»”\"'’)]›"  # Latin and quotes closing a sentence
    "。！？｡」』】）"  # CJK
    "؟۔"  # Arabic question mark, Urdu full stop
    "।॥"  # Devanagari danda, double danda
    "።፧"  # Ethiopic
    "။"  # Myanmar
    "։"  # Armenian
    "჻"  # Georgian
    ";"  # Greek question mark is U+037E, folded to ';' by NFKC; keep both
    "\u037e"
)

_APOSTROPHES = "\u2019\u2018\u02bc\u0060\u00b4\u2032"
_QUOTES = "\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a\u300c\u300d"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_FOLD_TABLE = str.maketrans(
    {**{c: "'" for c in _APOSTROPHES}, **{c: '"' for c in _QUOTES}, **{c: "-" for c in _DASHES}}
)
# Decoration that does not change what a UI label says: "Lire aussi :" is "lire aussi".
EDGE_DECORATION = " \t:|›‹»«<>→←↑↓•·*+-–—…\"'!▶►▸◀◄●■□◆◇※∨∧▼▲❯❮✓✔✕✖×»"


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Fold a line for exact-phrase lookup: case, quotes, dashes, spacing, edges.

    >>> fold("  S’abonner  ")
    "s'abonner"
    >>> fold("Lire aussi :")
    'lire aussi'
    >>> fold("ΔΙΑΒΑΣΤΕ ΕΠΙΣΗΣ") == fold("Διαβάστε επίσης")
    True
    """
    if not text.isascii() or "`" in text:
        text = _strip_accents(unicodedata.normalize("NFKC", text).translate(_FOLD_TABLE))
    return " ".join(text.casefold().split()).strip(EDGE_DECORATION)


# What fold() strips from the start of a line: decoration, and what normalises to nothing else
# (curly quotes, dashes; not `…`, which becomes `...`).
_LEADING = frozenset(
    c for c in EDGE_DECORATION + _APOSTROPHES + _QUOTES + _DASHES
    if all(n in EDGE_DECORATION or n.isspace() for n in unicodedata.normalize("NFKC", c).translate(_FOLD_TABLE))
)
# Scripts in which a letter not followed by a mark folds alone as it does in its line: below
# Hebrew (Latin, Greek, Cyrillic, Armenian) and the CJK ideographs. Elsewhere two letters may
# compose into one (Hangul jamo, Indic vowel parts, half-width kana and their voicing marks).
_ALONE = ((0, 0x0590), (0x4E00, 0xA000))


def folded_initial(text: str) -> str | None:
    """The first character of `fold(text)` (of any line that starts as `text`), when its first letter tells.

    None when it cannot be told that cheaply (a mark follows the letter,
    a script whose letters compose, nothing but decoration): then fold the
    line. Only the opening of the text is read.

    >>> folded_initial("  » Lire aussi : ...")
    'l'
    >>> folded_initial("ΔΙΑΒΑΣΤΕ")
    'δ'
    """
    for position, char in enumerate(text):
        if char in _LEADING or char.isspace():
            continue
        if not char.isalnum() or not any(low <= ord(char) < high for low, high in _ALONE):
            return None
        following = text[position + 1 : position + 2]
        if following and unicodedata.category(following)[0] == "M":
            return None
        folded = fold(char)
        return folded[0] if folded else None
    return None


def _strip_accents(text: str) -> str:
    """Drop combining marks: Greek sites capitalise labels without their accents.

    Marks that carry letters in scripts without precomposed forms (Indic
    vowel signs, Arabic vowels) are kept: only Latin, Greek and Cyrillic
    lose theirs.
    """
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _ACCENT_RE.sub(r"\1", decomposed))


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; each CJK/Thai-like character is one token."""
    return TOKEN_RE.findall(text.lower())


_ACCENT_RE = regex.compile(r"([\p{Latin}\p{Greek}\p{Cyrillic}])\p{Mn}+")
_WORD_RE = re.compile(r"\w+")
# Words with their combining marks (Devanagari vowel signs, decomposed accents).
_MARKED_WORD_RE = regex.compile(r"[\w\p{M}]+")


def words(text: str) -> list[str]:
    """Lower-cased words, composed (NFC), marks kept: for stop-word counts.

    >>> words("यह बात है")
    ['यह', 'बात', 'है']
    """
    if text.isascii():
        return _WORD_RE.findall(text.lower())
    return _MARKED_WORD_RE.findall(unicodedata.normalize("NFC", text.lower()))


@lru_cache(maxsize=16384)
def token_count(text: str) -> int:
    """How many tokens `tokens()` would return (ASCII text takes a faster path).

    Cached: several detectors, over several passes, measure the same blocks.
    """
    if text.isascii():
        return len(_WORD_RE.findall(text))
    return len(TOKEN_RE.findall(text))


def ends_sentence(text: str) -> bool:
    """True when the text ends with terminal punctuation of any script."""
    stripped = text.rstrip()
    return bool(stripped) and stripped[-1] in TERMINAL_PUNCTUATION
