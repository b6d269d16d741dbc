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

import regex

from ..model import Mark, Rule
from .base import PATTERN_TIMEOUT_SECONDS, Option, Page, patterns_of, search

_BACKREFERENCE = regex.compile(r"\\[1-9]|\(\?P[=>]|\\g<")
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
    """The rules in order, and one alternation of all their patterns.

    Most blocks match no rule; the alternation rejects them in one search.
    A block it accepts is matched rule by rule, so the first rule in order
    names it.
    """

    rules: tuple[Rule, ...]
    any_rule: regex.Pattern[str] | None
    longest: int


def _alternation(rules: Sequence[Rule]) -> regex.Pattern[str] | None:
    parts = []
    for rule in rules:
        flag = "-i" if rule.options["case_sensitive"] else "i"
        for pattern in rule.options["pattern"]:
            if _BACKREFERENCE.search(pattern.pattern):
                return None  # group numbers would change inside one alternation
            parts.append(f"(?{flag}:{pattern.pattern})")
    try:
        return regex.compile("|".join(parts), regex.UNICODE) if parts else None
    except regex.error:
        return None


def prepare(rules: Sequence[Rule]) -> Prepared:
    """Keep the rules in order, with their alternation as a fast filter."""
    longest = max((r.options["max_length"] for r in rules), default=0)
    return Prepared(tuple(rules), _alternation(rules), longest)


def _may_match(prepared: Prepared, text: str) -> bool:
    if prepared.any_rule is None:
        return True
    try:
        return prepared.any_rule.search(text, timeout=PATTERN_TIMEOUT_SECONDS) is not None
    except TimeoutError:
        return True  # the rules one by one will find which pattern is slow


def detect(prepared: Prepared, page: Page) -> Iterator[Mark]:
    """Mark every block that a rule's pattern matches (the first such rule names it)."""
    for block in page.blocks:
        if len(block.text) > prepared.longest or not _may_match(prepared, block.text):
            continue
        for rule in prepared.rules:
            if len(block.text) <= rule.options["max_length"] and any(
                search(rule, p, block.text) for p in rule.options["pattern"]
            ):
                yield Mark(block.index, rule, PRIORITY)
                break
