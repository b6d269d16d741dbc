"""Which writing system each letter of a text is in, counted at C speed.

A table built once maps every letter of the scripts we know to its script;
counting a text's letters per script is one `Counter` of its characters and
one look-up per distinct character.
"""

from __future__ import annotations

from collections import Counter
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
    """Letters per script in `text` (letters of unlisted scripts are ignored), in SCRIPTS order.

    Each distinct character is looked up once: a text has far fewer
    distinct characters than characters.

    >>> script_counts("Привет, Paris!")
    {'Latin': 5, 'Cyrillic': 6}
    """
    if text.isascii():
        letters = len(text.translate(_ASCII_NON_LETTERS))
        return {"Latin": letters} if letters else {}
    counts: dict[str, int] = {}
    known = _SCRIPT_OF
    for char, n in Counter(text).items():
        name = known.get(char, _UNSEEN)
        if name is _UNSEEN:
            name = script_of(char)
        if name is not None:
            counts[name] = counts.get(name, 0) + n
    return {name: counts[name] for name in SCRIPTS if name in counts} if len(counts) > 1 else counts


def script_of(char: str) -> str | None:
    """The script of a letter of a script we know, else None (remembered for every character seen).

    >>> script_of("ω"), script_of("7")
    ('Greek', None)
    """
    name = _SCRIPT_OF.get(char, _UNSEEN)
    if name is _UNSEEN:
        name = _SCRIPT_OF[char] = _script_of(char)
    return name


_SCRIPT_OF: dict[str, str | None] = {}  # each character seen so far -> its script, or None
_UNSEEN = "?"


def _script_of(char: str) -> str | None:
    code = _table().get(ord(char))
    position = code - _PRIVATE_BASE if code is not None else -1
    return SCRIPTS[position] if 0 <= position < len(SCRIPTS) else None
