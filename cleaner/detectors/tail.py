"""Tails: the short non-sentence lines after the article's last paragraph.

What it removes
    After the last block that reads like a body paragraph (at least
    `anchor_tokens` tokens, ending with terminal punctuation of any script),
    every block that is short (at most `max_tokens` tokens) and does not end
    a sentence: related headlines, tag lists, widget labels, navigation. It
    fires only when there are at least `min_run` such blocks, so a lone
    closing line stays. Tail marks are weak: a more specific rule that also
    claims a block names it instead.

Options
    anchor_tokens: tokens of a body paragraph (default 15). max_tokens:
    longest block removed (default 30). min_run: fewest blocks to remove
    (default 2). Tokens count each CJK or Thai character as one, so no
    threshold assumes spaces between words.

Example
    After "... the minister said on Tuesday.", the lines `Related stories`,
    `Markets fall as oil prices surge` and `Tags: economy, oil` go.

Keeps
    Everything up to the last body paragraph or numbered list item (`9) A
    board game`, `1、香港`), and sentences after it (an author's note ending with a
    full stop). In plain text, a paragraph hard-wrapped over lines counts as one:
    a line that stops mid-sentence followed by one that goes on in lower case
    and ends the sentence, together as long as a paragraph. On a page, list
    items that are mostly not links (the article's own list: ingredients,
    steps, sources); lists of links there still go.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import regex

from ..model import Block, Mark, Rule
from ..text import ends_sentence, token_count
from .base import Option, OptionError, Page, in_time

# A numbered item belongs to the article's own list (a listicle), however short:
# `9) A board game`, `3. Step three`, and CJK numbering without a space, `1、香港`.
_LIST_ITEM = regex.compile(r"^\(?\d{1,3}(?:[.)]\s+|[、．])\S")
# A hard-wrapped paragraph: one line stops mid-sentence, on a lower-case word
# or a comma; the next opens with a lower-case word and ends that sentence (a
# full stop after a lower-case word, not an initial, mid-line or at its end);
# and at least half their words open in lower case, as running prose does in
# scripts with case.
_STOPS_MID = regex.compile(r"(?:\p{Ll}|,)\s*$")
_CONTINUES = regex.compile(r"\p{Ll}+[\s,].*?(?:\p{Ll}[.!?]|\p{L}[。！？])(?:\s|$)")
_WORD_OPENING = regex.compile(r"(?<!\p{L})\p{L}")
_PROSE_LOWER_SHARE = 1 / 2
_WRAPPED_LINE_TOKENS = 6  # the wrapped line is a line of prose, not a name
# On a page, a list item after the last paragraph that is not a link is the article's own list
# (ingredients, steps, sources); lists of links there are related headlines and menus.
_LIST_ITEM_CONTEXT = frozenset({"tag:li"})
MAX_LIST_LINK_DENSITY = 0.5
KIND = "tail"
PRIORITY = 1
CONTEXTUAL = True  # judges a block by its neighbours
OPTIONS = {
    "anchor_tokens": Option("int", default=15, doc="tokens of a body paragraph"),
    "max_tokens": Option("int", default=30, doc="longest block removed, in tokens"),
    "min_run": Option("int", default=2, doc="fewest blocks to remove"),
}


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Check that the numbers are positive."""
    for key in OPTIONS:
        if int(options[key]) < 1:
            raise OptionError(key, "expected a whole number of at least 1")
    return options


def prepare(rules: Sequence[Rule]) -> Sequence[Rule]:
    """Tail rules are applied one at a time."""
    return tuple(rules)


def detect(prepared: Sequence[Rule], page: Page) -> Iterator[Mark]:
    """Mark the short non-sentence blocks after the last body paragraph.

    Blocks are read from the end back to that paragraph, so the body is
    never measured.
    """
    for rule in prepared:
        options = rule.options
        chosen = []
        later, later_tokens = None, 0  # the block after this one, in document order
        for block in in_time(page, page.blocks[::-1]):
            tokens = token_count(block.text)
            if _anchors(block.text, tokens, options):
                break
            if later is not None and _wraps(block, tokens, later, later_tokens, options):
                if chosen and chosen[-1] is later:
                    chosen.pop()  # the paragraph's second line is the body's too
                break
            if tokens <= options["max_tokens"] and not ends_sentence(block.text) and not _listed(block):
                chosen.append(block)
            later, later_tokens = block, tokens
        else:
            continue  # no body paragraph at all: nothing to anchor a tail to
        if len(chosen) >= options["min_run"]:
            yield from (Mark(b.index, rule, PRIORITY, "after the last paragraph") for b in reversed(chosen))


def _wraps(block: Block, tokens: int, later: Block, later_tokens: int, options: Mapping[str, Any]) -> bool:
    """Whether a block and the next are one hard-wrapped body paragraph.

    The block stops mid-sentence (on a lower-case word or a comma), the next
    goes on in lower case and ends that sentence, at least half their words
    are in lower case (running prose, not headlines or names), the first is
    a line of prose (not a name) and together they are as long as a body
    paragraph. Plain text only: a page's blocks are its elements. Adjacency
    is not asked for: a cleaned text sets each kept line apart, and
    cleaning it again must judge it the same way.
    """
    if block.context or tokens < _WRAPPED_LINE_TOKENS:
        return False
    if tokens + later_tokens < options["anchor_tokens"]:
        return False
    if _STOPS_MID.search(block.text) is None or _CONTINUES.match(later.text) is None:
        return False
    words = _WORD_OPENING.findall(block.text) + _WORD_OPENING.findall(later.text)
    return sum(map(str.islower, words)) >= len(words) * _PROSE_LOWER_SHARE


def _listed(block: Block) -> bool:
    """Whether a page's block is an item of the article's own list: in an `<li>`, mostly not a link."""
    return not _LIST_ITEM_CONTEXT.isdisjoint(block.context) and block.link_density < MAX_LIST_LINK_DENSITY


def _anchors(text: str, tokens: int, options: Mapping[str, Any]) -> bool:
    """Whether a block is the article's own: a body paragraph or a numbered list item."""
    return (tokens >= options["anchor_tokens"] and ends_sentence(text)) or bool(_LIST_ITEM.match(text))
