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
from typing import Any

from ..model import Mark, Rule
from .base import Option, Page, patterns_of, search

KIND = "regex"
PRIORITY = 2
OPTIONS = {
    "pattern": Option("patterns", required=True, doc="a regex or a list of regexes"),
    "max_length": Option("int", default=300, doc="longest block considered, in characters"),
    "case_sensitive": Option("bool", default=False, doc="match case exactly"),
}


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Compile the patterns."""
    return {**options, "pattern": patterns_of(options, "pattern")}


def prepare(rules: Sequence[Rule]) -> Sequence[Rule]:
    """Regex rules are matched one by one, in rule-set order."""
    return tuple(rules)


def detect(prepared: Sequence[Rule], page: Page) -> Iterator[Mark]:
    """Mark every block that a rule's pattern matches."""
    for rule in prepared:
        limit = rule.options["max_length"]
        for block in page.blocks:
            if len(block.text) <= limit and any(search(rule, p, block.text) for p in rule.options["pattern"]):
                yield Mark(block.index, rule, PRIORITY)
