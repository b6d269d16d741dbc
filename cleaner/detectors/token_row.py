"""Token rows: a line made only of button labels (a share row, a menu).

What it removes
    A block whose words, split at spaces and separators (`|`, `·`, `•`,
    `/`, `,`), all belong to the rule's `tokens` (folded), with at least
    `min_tokens` of them: `Facebook Twitter WhatsApp E-mail`.

Options
    tokens: the labels (a label may have spaces: `Google+`, `Send by mail`).
    min_tokens: fewest labels in a row (default 2).

Example
    tokens: [facebook, twitter, email] removes `Facebook | Twitter | Email`.

Keeps
    A sentence that names the networks (`Follow us on Facebook and Twitter.`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from ..model import Mark, Rule
from ..text import EDGE_DECORATION, fold
from .base import Option, OptionError, Page, as_strings, in_time

KIND = "token_row"
PRIORITY = 2
CONTEXTUAL = False  # judges each block alone
OPTIONS = {
    "tokens": Option("strs", required=True, doc="the labels a row is made of"),
    "min_tokens": Option("int", default=2, doc="fewest labels in a row"),
}
_SPLIT = regex.compile(r"\s*[|·•/,;]\s*|\s+")
MAX_ROW_CHARS = 160  # a longer line is prose, not a row of buttons


@dataclass(frozen=True, slots=True)
class Prepared:
    rules: tuple[tuple[Rule, frozenset[str], int], ...]
    any_label: frozenset[str]  # every rule's labels: a row must open with one of them


def _words(folded: str) -> list[str]:
    """Labels of a folded line, each without edge decoration (`字号:` is `字号`)."""
    return [w for w in (part.strip(EDGE_DECORATION) for part in _SPLIT.split(folded)) if w]


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Fold the labels; multi-word labels are matched word by word."""
    words = frozenset(w for label in as_strings(options["tokens"]) for w in _words(fold(label)))
    if not words:
        raise OptionError("tokens", "no label left once folded")
    if int(options["min_tokens"]) < 1:
        raise OptionError("min_tokens", "expected at least 1")
    return {**options, "tokens": words}


def prepare(rules: Sequence[Rule]) -> Prepared:
    """Keep each rule's label set."""
    labels = frozenset().union(*(r.options["tokens"] for r in rules))
    return Prepared(tuple((r, r.options["tokens"], r.options["min_tokens"]) for r in rules), labels)


def detect(prepared: Prepared, page: Page) -> Iterator[Mark]:
    """Mark blocks made only of a rule's labels."""
    for block in in_time(page):
        if len(block.text) > MAX_ROW_CHARS:
            continue
        folded = fold(block.text)
        if _SPLIT.split(folded, maxsplit=1)[0].strip(EDGE_DECORATION) not in prepared.any_label:
            continue  # most lines open with a word that is no label; the rest are split
        words = _words(folded)
        for rule, labels, least in prepared.rules:
            if len(words) >= least and all(w in labels for w in words):
                yield Mark(block.index, rule, PRIORITY)
                break
