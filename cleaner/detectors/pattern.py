"""Regular expressions: lines of a known shape (credits, counters, dates).

What it removes
    A block that one of the rule's `pattern`s matches (a `search`, so anchor
    with `^`/`$` to judge the whole line), among blocks no longer than
    `max_length` characters. Patterns use the `regex` module, so Unicode
    properties and scripts work: `\\p{Lu}`, `\\p{Script=Cyrillic}`.

Options
    pattern: one regex or a list. max_length: longest block considered
    (default 300). case_sensitive: match case exactly (default false).
    requires: substrings (compared in lower case) one of which a block
    must contain before the patterns are tried: a speed hint for patterns
    that could match anywhere (`^(?=.*cookie)` needs none: a word in a
    leading lookahead is found by itself).

Example
    pattern: '^(©|\\(c\\))\\s*\\S' removes `© Photo Pixabay / skeeze`.

Keeps
    Blocks longer than max_length, and anything the pattern does not match.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from ..model import Mark, Rule
from .base import Option, Page, PrefixIndex, as_strings, in_time, patterns_of, search

KIND = "regex"
PRIORITY = 2
CONTEXTUAL = False  # judges each block alone
OPTIONS = {
    "pattern": Option("patterns", required=True, doc="a regex or a list of regexes"),
    "max_length": Option("int", default=300, doc="longest block considered, in characters"),
    "case_sensitive": Option("bool", default=False, doc="match case exactly"),
    "requires": Option("strs", doc="substrings one of which a block must contain to be tried (a speed hint)"),
}
# A pattern opening with `^(?=.*word` needs `word` somewhere: found without running it.
_LOOKAHEAD_LITERAL = regex.compile(r"^\^\(\?=\.\*(?:\\b)?([\p{L}\p{N}]{3,})([?*{]?)")


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Compile the patterns."""
    return {**options, "pattern": patterns_of(options, "pattern")}


@dataclass(frozen=True, slots=True)
class Prepared:
    """The rules in order, every pattern with the rule it belongs to, and their index.

    Most blocks can match none of the patterns; the prefix index rules them
    out by their first characters. A block that remains is matched rule by
    rule, so the first rule in order names it.
    """

    owners: tuple[Rule, ...]  # the rule of each pattern in `index`
    needles: tuple[tuple[str, ...], ...]  # substrings each pattern needs (one of), or ()
    index: PrefixIndex
    longest: int


def prepare(rules: Sequence[Rule]) -> Prepared:
    """Index every pattern of every rule, in rule order."""
    owners = tuple(rule for rule in rules for _ in rule.options["pattern"])
    patterns = [p for rule in rules for p in rule.options["pattern"]]
    needles = tuple(_needles(rule, p) for rule in rules for p in rule.options["pattern"])
    longest = max((r.options["max_length"] for r in rules), default=0)
    return Prepared(owners, needles, PrefixIndex(patterns), longest)


def _needles(rule: Rule, pattern: regex.Pattern[str]) -> tuple[str, ...]:
    if rule.options.get("requires"):
        return tuple(n.lower() for n in as_strings(rule.options["requires"]))
    found = _LOOKAHEAD_LITERAL.match(pattern.pattern)
    if not found:
        return ()
    word = found.group(1)[:-1] if found.group(2) else found.group(1)
    return (word.lower(),) if len(word) >= 3 else ()


def detect(prepared: Prepared, page: Page) -> Iterator[Mark]:
    """Mark every block that a rule's pattern matches (the first such rule names it)."""
    for block in in_time(page):
        text = block.text
        if len(text) > prepared.longest:
            continue
        lower = ""
        for i in prepared.index.candidates(text):
            rule = prepared.owners[i]
            if len(text) > rule.options["max_length"]:
                continue
            if prepared.needles[i]:
                lower = lower or text.lower()
                if not any(n in lower for n in prepared.needles[i]):
                    continue
            if search(rule, prepared.index.patterns[i], text):
                yield Mark(block.index, rule, PRIORITY)
                break
