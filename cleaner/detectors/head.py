"""Heads: runs of menu entries before the article's first paragraph.

What it removes
    Before the first block that reads like a body paragraph (at least
    `anchor_tokens` tokens, ending with terminal punctuation of any script),
    when at least `min_head` blocks stand there: every run of at least
    `min_run` consecutive menu-like blocks, each short (at most
    `max_tokens` tokens), ending no sentence, holding no digit and opening
    with no list marker. A scraped page opens with its navigation (`Home`,
    `World`, `Sign in`, `Subscribe`), whatever the site's language. Head
    marks are weak: a more specific rule that also claims a block names it
    instead.

Options
    anchor_tokens: tokens of a body paragraph (default 15). max_tokens:
    longest block removed (default 6). min_run: fewest consecutive menu-like
    blocks removed (default 3). min_head: fewest blocks before the paragraph
    for the head to be judged at all (default 6: an article container opens
    with its headline, byline and date, not with a menu). spare: blocks right
    before the paragraph that always stay (default 1: the headline, or a
    subheading). in_pages: also judge the blocks of an HTML page (default
    false: there the DOM and main-content rules see the navigation's
    markup). Tokens count each CJK or Thai character as one.

Example
    Before "The central bank raised its main rate on Tuesday, ...", the
    lines `Home`, `World`, `Business`, `Sport` go.

Keeps
    The line right before the first paragraph, short runs (a headline and a
    byline), dates and numbered or bulleted items (they hold digits or list
    markers), sentences, and everything from the first paragraph on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import regex

from ..model import Block, Mark, Rule
from ..text import ends_sentence, token_count
from .base import Option, OptionError, Page, from_markup, in_time

KIND = "head"
PRIORITY = 1
CONTEXTUAL = True  # judges a block by its neighbours
OPTIONS = {
    "anchor_tokens": Option("int", default=15, doc="tokens of a body paragraph"),
    "max_tokens": Option("int", default=6, doc="longest block removed, in tokens"),
    "min_run": Option("int", default=3, doc="fewest consecutive menu-like blocks removed"),
    "min_head": Option("int", default=6, doc="fewest blocks before the first paragraph for the head to be judged"),
    "spare": Option("int", default=1, doc="blocks right before the first paragraph that stay"),
    "in_pages": Option("bool", default=False, doc="also judge the blocks of an HTML page"),
}
_NUMBERS = ("anchor_tokens", "max_tokens", "min_run", "min_head")
# Dates, counts and table rows hold digits; list items open with a marker: the article's own.
_DIGIT = regex.compile(r"\d")
_LIST_MARKER = regex.compile(r"^\(?\d{1,3}[.)]\s|^[•·*+–—-]\s")


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Check the numbers."""
    for key in _NUMBERS:
        if int(options[key]) < 1:
            raise OptionError(key, "expected a whole number of at least 1")
    if int(options["spare"]) < 0:
        raise OptionError("spare", "expected a whole number of at least 0")
    return options


def prepare(rules: Sequence[Rule]) -> Sequence[Rule]:
    """Head rules are applied one at a time."""
    return tuple(rules)


def detect(prepared: Sequence[Rule], page: Page) -> Iterator[Mark]:
    """Mark the runs of menu-like blocks before the first body paragraph."""
    on_page = from_markup(page)
    for rule in prepared:
        options = rule.options
        if on_page and not options["in_pages"]:
            continue
        head = _head(page, options["anchor_tokens"], options["min_head"])
        judged = head[: len(head) - options["spare"]]
        for run in _menu_runs(judged, options["max_tokens"]):
            if len(run) >= options["min_run"]:
                yield from (Mark(b.index, rule, PRIORITY, "before the first paragraph") for b in run)


def _head(page: Page, anchor_tokens: int, min_head: int) -> Sequence[Block]:
    """The blocks before the first body paragraph, when they are `min_head` or more and the rest outweighs them.

    A head heavier than all that follows its "first paragraph" is the
    article itself (a table, a list), closed by a note or a comment prompt.
    Nothing is returned when there is no such paragraph.
    """
    position = next((i for i, b in enumerate(in_time(page)) if _anchors(b.text, anchor_tokens)), None)
    if position is None or position < min_head:
        return ()
    head = page.blocks[:position]
    weight = sum(token_count(b.text) for b in head)
    for block in page.blocks[position:]:  # most often the first paragraph alone outweighs a menu
        weight -= token_count(block.text)
        if weight <= 0:
            return head
    return ()


def _anchors(text: str, anchor_tokens: int) -> bool:
    """Whether a block reads like a body paragraph: long enough, ending a sentence."""
    return ends_sentence(text) and token_count(text) >= anchor_tokens


def _menu_runs(blocks: Sequence[Block], max_tokens: int) -> Iterator[list[Block]]:
    """The maximal runs of consecutive menu-like blocks."""
    run: list[Block] = []
    for block in blocks:
        if _menu_like(block.text, max_tokens):
            run.append(block)
        elif run:
            yield run
            run = []
    if run:
        yield run


def _menu_like(text: str, max_tokens: int) -> bool:
    """A menu entry's shape: short, no sentence, no digit, no list marker."""
    return (
        not ends_sentence(text)
        and _DIGIT.search(text) is None
        and _LIST_MARKER.match(text) is None
        and token_count(text) <= max_tokens
    )
