"""Which writing system each letter of a text is in, counted at C speed.

A translation table maps every letter of the scripts we know to one private-use
code character per script and deletes everything else, so that counting the
letters of each script in a line is one `str.translate` and a few
`str.count` calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import regex

SCRIPTS: tuple[str, ...] = (
    "Latin", "Cyrillic", "Greek", "Arabic", "Hebrew", "Han", "Hiragana", "Katakana",
    "Hangul", "Thai", "Lao", "Khmer", "Myanmar", "Devanagari", "Bengali", "Gurmukhi",
    "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada", "Malayalam", "Sinhala",
    "Tibetan", "Georgian", "Armenian", "Ethiopic", "Thaana", "Syriac", "Mongolian",
    "Bopomofo", "Tifinagh", "Cherokee", "Canadian_Aboriginal", "Javanese", "Balinese",
)

# Scripts that are written together in one language: none is foreign to another.
KINDRED: Mapping[str, frozenset[str]] = {
    "Han": frozenset({"Han", "Hiragana", "Katakana", "Hangul", "Bopomofo"}),
    "Hiragana": frozenset({"Han", "Hiragana", "Katakana"}),
    "Katakana": frozenset({"Han", "Hiragana", "Katakana"}),
    "Hangul": frozenset({"Han", "Hangul"}),
    "Bopomofo": frozenset({"Han", "Bopomofo"}),
}

# Scripts each language is normally written in (beyond its main one).
LANGUAGE_SCRIPTS: Mapping[str, frozenset[str]] = {
    "sr": frozenset({"Cyrillic", "Latin"}),
    "bs": frozenset({"Cyrillic", "Latin"}),
    "ja": frozenset({"Han", "Hiragana", "Katakana"}),
    "ko": frozenset({"Hangul", "Han"}),
    "zh": frozenset({"Han", "Bopomofo"}),
}

_ASCII_NON_LETTERS = {i: None for i in range(128) if not chr(i).isalpha()}
_PRIVATE_BASE = 0xF0000  # supplementary private use area: one code per script


@lru_cache(maxsize=1)
def _table() -> dict[int, int | None]:
    every = "".join(chr(i) for i in range(0x30000) if not 0xD800 <= i < 0xE000)
    table: dict[int, int | None] = {}
    for code, name in enumerate(SCRIPTS):
        for char in regex.findall(rf"(?V1)[\p{{Script={name}}}&&\p{{L}}]", every):
            table[ord(char)] = _PRIVATE_BASE + code
    for start, end in ((0xE000, 0xF900), (0xF0000, 0x110000)):
        for i in range(start, end):
            table[i] = None
    return table


def script_counts(text: str) -> dict[str, int]:
    """Letters per script in `text` (letters of unlisted scripts are ignored).

    >>> script_counts("Привет, Paris!")
    {'Latin': 5, 'Cyrillic': 6}
    """
    if text.isascii():
        letters = len(text.translate(_ASCII_NON_LETTERS))
        return {"Latin": letters} if letters else {}
    coded = text.translate(_table())
    counts: dict[str, int] = {}
    for code, name in enumerate(SCRIPTS):
        n = coded.count(chr(_PRIVATE_BASE + code))
        if n:
            counts[name] = n
    return counts
