"""Regular expressions: lines of a known shape (credits, counters, dates).

What it removes
    A block that one of the rule's `pattern`s matches (a `search`, so anchor
    with `^`/`$` to judge the whole line), among blocks no longer than
    `max_length` characters. Patterns use the `regex` module, so Unicode
    properties and scripts work: `\\p{Lu}`, `\\p{Script=Cyrillic}`.

Options
    pattern: one regex or a list. max_length: longest block considered
    (default 300). case_sensitive: match case exactly (default false).

Example
    pattern: '^(©|\\(c\\))\\s*\\S' removes `© Photo Pixabay / skeeze`.

Keeps
    Blocks longer than max_length, and anything the pattern does not match.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


from ..model import Mark, Rule
from .base import Option, Page, PrefixIndex, patterns_of, search

KIND = "regex"
PRIORITY = 2
CONTEXTUAL = False  # judges each block alone
OPTIONS = {
    "pattern": Option("patterns", required=True, doc="a regex or a list of regexes"),
    "max_length": Option("int", default=300, doc="longest block considered, in characters"),
    "case_sensitive": Option("bool", default=False, doc="match case exactly"),
}


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
    index: PrefixIndex
    longest: int


def prepare(rules: Sequence[Rule]) -> Prepared:
    """Index every pattern of every rule, in rule order."""
    owners = tuple(rule for rule in rules for _ in rule.options["pattern"])
    patterns = [p for rule in rules for p in rule.options["pattern"]]
    longest = max((r.options["max_length"] for r in rules), default=0)
    return Prepared(owners, PrefixIndex(patterns), longest)


def detect(prepared: Prepared, page: Page) -> Iterator[Mark]:
    """Mark every block that a rule's pattern matches (the first such rule names it)."""
    for block in page.blocks:
        text = block.text
        if len(text) > prepared.longest:
            continue
        for i in prepared.index.candidates(text):
            rule = prepared.owners[i]
            if len(text) <= rule.options["max_length"] and search(rule, prepared.index.patterns[i], text):
                yield Mark(block.index, rule, PRIORITY)
                break
