"""Regular expressions: lines of a known shape (credits, counters, dates).

What it removes
    A block that one of the rule's `pattern`s matches (a `search`, so anchor
    with `^`/`$` to judge the whole line), among blocks no longer than
    `max_length` characters. Patterns use the `regex` module, so Unicode
    properties and scripts work: `\\p{Lu}`, `\\p{Script=Cyrillic}`.

Options
    pattern: one regex or a list. max_length: longest block considered
    (default 300). case_sensitive: match case exactly (default false).
    requires: substrings (compared ignoring case) one of which a block
    must contain before the patterns are tried: a speed hint for patterns
    whose needed words cannot be read from them (words a pattern cannot
    match without, such as `main` in `^[^|]*\\|\\s*main`, are found by
    themselves: see `cleaner.detectors.literals`).

Example
    pattern: '^(©|\\(c\\))\\s*\\S' removes `© Photo Pixabay / skeeze`.

Keeps
    Blocks longer than max_length, and anything the pattern does not match.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import regex

from ..model import Mark, Rule
from . import literals
from .base import SERIALS, Option, Page, PrefixIndex, as_strings, in_time, patterns_of, remember, search
from .literals import fold_for_needles

KIND = "regex"
PRIORITY = 2
CONTEXTUAL = False  # judges each block alone
OPTIONS = {
    "pattern": Option("patterns", required=True, doc="a regex or a list of regexes"),
    "max_length": Option("int", default=300, doc="longest block considered, in characters"),
    "case_sensitive": Option("bool", default=False, doc="match case exactly"),
    "requires": Option("strs", doc="substrings one of which a block must contain to be tried (a speed hint)"),
}
NO_MATCH = -1
PLANS_LIMIT = 10_000  # sets of candidates remembered per rule set (real text's openings share a few hundred)
# Verdicts remembered, for every prepared rule set of the process together: a bound on
# memory (tens of MB) however many languages and sites a corpus brings.
VERDICT_MEMO_LIMIT = 100_000
_VERDICTS: dict[tuple[int, str], int] = {}  # (rule set's serial, block text) -> first matching pattern


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Compile the patterns."""
    return {**options, "pattern": patterns_of(options, "pattern")}


@dataclass(frozen=True, slots=True)
class Prepared:
    """The rules in order, every pattern with the rule it belongs to, and their index.

    Most blocks can match none of the patterns; the prefix index rules them
    out by their first characters. A block that remains is matched rule by
    rule, so the first rule in order names it. Residue lines repeat from one
    document to the next, so each line's verdict is remembered (`_VERDICTS`).
    """

    owners: tuple[Rule, ...]  # the rule of each pattern in `index`
    index: PrefixIndex
    longest: int
    checks: tuple[tuple[Rule, int, tuple[str, ...]], ...]  # per pattern: its rule, max_length and needles
    serial: int = field(default_factory=lambda: next(SERIALS))  # its key in the verdict memo
    plans: dict[tuple[int, ...], tuple[tuple[Any, ...], ...]] = field(default_factory=dict)  # see `_plan`


def prepare(rules: Sequence[Rule]) -> Prepared:
    """Index every pattern of every rule, in rule order."""
    owners = tuple(rule for rule in rules for _ in rule.options["pattern"])
    patterns = [p for rule in rules for p in rule.options["pattern"]]
    needles = tuple(_needles(rule, p) for rule in rules for p in rule.options["pattern"])
    longest = max((r.options["max_length"] for r in rules), default=0)
    checks = tuple((rule, rule.options["max_length"], found) for rule, found in zip(owners, needles, strict=True))
    return Prepared(owners, PrefixIndex(patterns), longest, checks)


def _needles(rule: Rule, pattern: regex.Pattern[str]) -> tuple[str, ...]:
    if rule.options.get("requires"):
        return tuple(fold_for_needles(n) for n in as_strings(rule.options["requires"]))
    return literals.pattern_needles(pattern)


def detect(prepared: Prepared, page: Page) -> Iterator[Mark]:
    """Mark every block that a rule's pattern matches (the first such rule names it)."""
    serial = prepared.serial
    for block in in_time(page):
        text = block.text
        if len(text) > prepared.longest:
            continue
        found = _VERDICTS.get((serial, text))
        if found is None:
            found = remember(_VERDICTS, VERDICT_MEMO_LIMIT, (serial, text), _first_match(prepared, text))
        if found != NO_MATCH:
            yield Mark(block.index, prepared.owners[found], PRIORITY)


def _first_match(prepared: Prepared, text: str) -> int:
    """The index of the first pattern (in rule order) that matches `text`, or NO_MATCH."""
    candidates = prepared.index.candidates(text)
    plan = prepared.plans.get(candidates)
    if plan is None:
        plan = _plan(prepared, candidates)
        if len(prepared.plans) < PLANS_LIMIT:
            prepared.plans[candidates] = plan
    folded = ""
    length = len(text)
    for i, limit, found, pattern, rule in plan:
        if length > limit:
            continue
        if found:
            folded = folded or fold_for_needles(text)
            for needle in found:  # inline: a call per candidate costs more than its substring tests
                if needle in folded:
                    break
            else:
                continue
        if rule is None:  # a shipped rule: no time budget, no call
            if pattern.search(text) is not None:
                return i
        elif search(rule, pattern, text):
            return i
    return NO_MATCH


def _plan(prepared: Prepared, candidates: tuple[int, ...]) -> tuple[tuple[Any, ...], ...]:
    """What `_first_match` needs of each candidate, looked up once per set of candidates.

    Per candidate: its index, max_length, needles, pattern, and its rule when
    the rule is a user's (its pattern then runs under a time budget).
    """
    return tuple(
        (i, limit, found, prepared.index.patterns[i], None if rule.trusted else rule)
        for i in candidates
        for rule, limit, found in (prepared.checks[i],)
    )
