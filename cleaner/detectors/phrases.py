"""Exact phrases: lines that say nothing but a known UI label.

What it removes
    A block equal to one of the rule's `phrases` after folding (case, curly
    vs straight quotes and apostrophes, dashes, runs of spaces, decoration at
    the edges such as `:` or `»`), or starting with one of its `prefixes`
    followed by a separator (`:`, `|`, `-`, `»`, `›`, `→`).

Options
    phrases: labels that make up a whole line. prefixes: labels that open a
    line and are followed by a separator and anything (a headline).

Example
    phrases: ["S'abonner"] removes `S’abonner` and `S'ABONNER :`.
    prefixes: ["Lire aussi"] removes `Lire aussi : Le Sénat vote la loi`.

Keeps
    Sentences that merely contain a label (`Il faut s'abonner pour lire.`),
    and prefixes not followed by a separator (`Lire aussi le rapport.`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from ..model import Mark, Rule
from ..text import fold, folded_initial
from .base import Option, OptionError, Page, as_strings, in_time

KIND = "phrases"
PRIORITY = 2
CONTEXTUAL = False  # judges each block alone
OPTIONS = {
    "phrases": Option("strs", doc="labels that make up a whole line"),
    "prefixes": Option("strs", doc="labels that open a line, then a separator and anything"),
}

FOLD_SLACK = 2  # a line may fold to half its length at most (edge decoration, spacing)
FOLD_MARGIN = 16
_SEPARATOR = r"\s*(?::|\||-|»|›|→|>|—|–|：)\s*"


@dataclass(frozen=True, slots=True)
class Prepared:
    whole: Mapping[str, Rule]
    longest: int  # characters of the longest phrase or prefix, folded
    prefix_re: regex.Pattern[str] | None
    prefix_rules: Mapping[str, Rule]
    initials: frozenset[str]  # the first character of every prefix


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Fold every phrase once; a rule needs phrases or prefixes."""
    whole = tuple(fold(p) for p in as_strings(options.get("phrases") or ()))
    prefixes = tuple(fold(p) for p in as_strings(options.get("prefixes") or ()))
    if not whole and not prefixes:
        raise OptionError("phrases", "a phrases rule needs `phrases` or `prefixes`")
    for key, folded in (("phrases", whole), ("prefixes", prefixes)):
        if "" in folded:
            raise OptionError(key, "an entry is empty once folded")
    return {**options, "phrases": whole, "prefixes": prefixes}


def prepare(rules: Sequence[Rule]) -> Prepared:
    """One lookup table and one prefix regex for all phrase rules; first rule wins."""
    whole: dict[str, Rule] = {}
    prefix_rules: dict[str, Rule] = {}
    for rule in rules:
        for phrase in rule.options["phrases"]:
            whole.setdefault(phrase, rule)
        for prefix in rule.options["prefixes"]:
            prefix_rules.setdefault(prefix, rule)
    prefix_re = None
    if prefix_rules:
        alternatives = "|".join(regex.escape(p) for p in sorted(prefix_rules, key=len, reverse=True))
        prefix_re = regex.compile(rf"({alternatives}){_SEPARATOR}\S")
    longest = max((len(p) for p in (*whole, *prefix_rules)), default=0)
    return Prepared(whole, longest, prefix_re, prefix_rules, frozenset(p[0] for p in prefix_rules))


def detect(prepared: Prepared, page: Page) -> Iterator[Mark]:
    """Mark blocks equal to a phrase, or opened by a prefix and a separator."""
    # Folding never lengthens a label much, so a block much longer than the
    # longest one cannot equal it, and a prefix is found in its head.
    window = FOLD_SLACK * prepared.longest + FOLD_MARGIN
    for block in in_time(page):
        whole_line = len(block.text) <= window
        if not whole_line:
            if prepared.prefix_re is None:
                continue
            initial = folded_initial(block.text)
            if initial is not None and initial not in prepared.initials:
                continue  # a long line opening with no prefix's first letter: no need to fold it
        folded = fold(block.text if whole_line else block.text[:window])
        rule = prepared.whole.get(folded) if whole_line else None
        if rule is not None:
            yield Mark(block.index, rule, PRIORITY)
        elif prepared.prefix_re is not None:
            found = prepared.prefix_re.match(folded)
            if found:
                yield Mark(block.index, prepared.prefix_rules[found.group(1)], PRIORITY, "prefix")
