"""Substrings a regular expression cannot match without: a cheap test before running it.

`^[^|]{0,200}\\|\\s*main\\s*\\|` cannot match a line without `main`; a
block that lacks it is ruled out by a substring test, far cheaper than
the search. The pattern is read with the standard library's parser, which
knows the syntax `regex` shares with `re`; anything beyond it (Unicode
properties, fuzzy matching, POSIX classes, version 1 sets) raises there,
or is refused here, and the pattern simply gets no needles. Needles and
texts are compared case-folded (`fold_for_needles`), so a match that
ignores case still contains its needle.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

import regex

# `{e<=1}` (fuzzy matching) and `[[:alpha:]]` (POSIX classes) are read as plain characters by `re`.
_BEYOND_RE = regex.compile(r"\{[^}]*[A-Za-z][^}]*\}|\[:")
_REPEATS = tuple(op for op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)) if op)
# Letters beyond this code point are trusted as needles only when they have no case at all: the
# ones below are those whose case-insensitive matches were checked to fold as `fold_for_needles` does.
CHECKED_CASE_LIMIT = 0x530


def needles(pattern: regex.Pattern[str]) -> tuple[str, ...]:
    """Folded substrings one of which every text the pattern matches contains, or () if unknown.

    >>> needles(regex.compile(r"^[^|]{0,200}\\|\\s*Main\\s*\\|"))
    ('main',)
    >>> needles(regex.compile(r"(?i)\\b(getty images|afp)\\b"))
    ('afp', 'getty images')
    >>> needles(regex.compile(r"^\\p{Lu}+$"))
    ()
    """
    source = pattern.pattern
    if _BEYOND_RE.search(source):
        return ()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = sre_parse.parse(source, pattern.flags & (re.VERBOSE | re.DOTALL | re.MULTILINE))
    except Exception:  # any syntax `re` does not share: no needles, nothing else changes
        return ()
    found = tuple(sorted({fold_for_needles(s) for s in _best(_requirements(tree))}))
    return found if all(_case_checked(s) for s in found) else ()


# A pattern opening with `^(?=.*word` needs `word` somewhere: found without running it.
_LOOKAHEAD_LITERAL = regex.compile(r"^\^\(\?=\.\*(?:\\b)?([\p{L}\p{N}]{3,})([?*{]?)")


def pattern_needles(pattern: regex.Pattern[str]) -> tuple[str, ...]:
    """`needles`, or failing those the word a pattern opening with `^(?=.*word` looks ahead for.

    The look-ahead is read from the source even where the rest of the
    pattern is beyond `re`'s syntax.
    """
    found = needles(pattern)
    if found:
        return found
    lookahead = _LOOKAHEAD_LITERAL.match(pattern.pattern)
    if not lookahead:
        return ()
    word = lookahead.group(1)[:-1] if lookahead.group(2) else lookahead.group(1)
    return (fold_for_needles(word),) if len(word) >= 3 else ()


def fold_for_needles(text: str) -> str:
    """Case-folded, with the dotted and dotless i folded like a plain i (as case-insensitive matching does)."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return folded.replace("\u0307", "").replace("\u0131", "i")


def _case_checked(needle: str) -> bool:
    return all(ord(c) < CHECKED_CASE_LIMIT or c.lower() == c.upper() == c.casefold() == c for c in needle)


def _best(requirements: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    """The most telling requirement: the longest shortest needle, then the fewest needles."""
    usable = [r for r in requirements if r and all(r)]
    return max(usable, key=lambda r: (min(map(len, r)), -len(r))) if usable else ()


def _requirements(items: sre_parse.SubPattern) -> list[tuple[str, ...]]:
    """Every requirement of a sequence: each a set of strings one of which must occur."""
    found: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, value in items:
        if op is sre.LITERAL:
            run.append(chr(value))
            continue
        if run:
            found.append(("".join(run),))
            run = []
        found.extend(_requirements_of(op, value))
    if run:
        found.append(("".join(run),))
    return found


def _requirements_of(op: object, value: object) -> list[tuple[str, ...]]:
    if op is sre.SUBPATTERN:
        return _requirements(value[-1])  # type: ignore[index]
    if op is sre.ATOMIC_GROUP:
        return _requirements(value)  # type: ignore[arg-type]
    if op in _REPEATS:
        least, _, item = value  # type: ignore[misc]
        return _requirements(item) if least >= 1 else []
    if op is sre.ASSERT:  # a lookaround's text is in the line too
        return _requirements(value[1])  # type: ignore[index]
    if op is sre.BRANCH:
        options = [_best(_requirements(branch)) for branch in value[1]]  # type: ignore[index]
        return [tuple(sorted({s for o in options for s in o}))] if all(options) else []
    return []
