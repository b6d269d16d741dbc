"""Cores: on a scraped page, the stretch of running text between two walls of chrome.

What it removes
    The page's core is the stretch of consecutive blocks that scores best
    when each body paragraph (at least `min_tokens` tokens, ending with
    terminal punctuation of any script) adds its tokens and every other
    block costs something: a menu-like block (at most `menu_tokens`
    tokens, no digit) `penalty` plus `token_penalty` per token, any other
    block (a date, a figure, a long line without a sentence end: the
    article's own data as often as not) only MILD_PENALTY. The core then
    takes the paragraphs at most REACH blocks beyond its ends (a caption
    and a tag line cost more than a short paragraph brings). When both
    stretches around it are walls of chrome, they go: each at least
    `min_side` blocks; before the core, `min_menu_share` of them
    menu-like, their lines of `min_tokens` or more (sentences or not)
    holding at most HEAD_TEXT_SHARE of the core's paragraph tokens; after
    it, where teasers, related headlines and comments stand too,
    `min_foot_menu_share` of them menu-like and FOOT_TEXT_SHARE. That is a
    scraped page's menus above its article and its footer, sidebars and
    teasers below, whatever the site's language. Nothing goes unless the
    core holds `min_core_share` of the page's tokens and MIN_CORE_PROSE
    paragraph tokens: a page that is a list or a table has no core. Core
    marks are weak: a more specific rule that also claims a block names it
    instead.

Options
    min_tokens: tokens of a body paragraph (default 10). menu_tokens:
    longest menu-like block (default 8). penalty and token_penalty: the
    cost of a menu-like block (defaults 3 and 0.5). min_side: fewest
    blocks on each side (default 8). min_menu_share: share of the blocks
    before the core that must be menu-like (default 0.6).
    min_foot_menu_share: the same after it (default 0.2). min_core_share:
    share of the page's tokens the core must hold (default 0.2). spare:
    blocks right before the core that stay (default 1: its headline).
    in_pages: also judge the blocks of an HTML page (default false: there
    the main-content rule reads the markup). Tokens count each CJK or Thai
    character as one.

Example
    Eight menu lines, an article of four paragraphs, then a footer of
    eight short links: the menu and the footer go, the headline stays.

Keeps
    The core and everything in it (headings, captions, short lines between
    its paragraphs), the line right before it (the headline); pages with
    chrome on one side only (an article container closed by its own list);
    sides that hold text (other articles, comments, long lines).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import regex

from ..model import Block, Mark, Rule
from ..text import ends_sentence, token_count
from .base import Option, OptionError, Page, from_markup

KIND = "core"
PRIORITY = 1
# The page is judged as it came, once: the marks are reused in later passes, whatever other rules removed
# meanwhile (a site template's removals then leave the core where the shipped rules see it).
CONTEXTUAL = False
OPTIONS = {
    "min_tokens": Option("int", default=10, doc="tokens of a body paragraph"),
    "menu_tokens": Option("int", default=8, doc="longest menu-like block, in tokens"),
    "penalty": Option("float", default=3.0, doc="cost of a menu-like block"),
    "token_penalty": Option("float", default=0.5, doc="cost of each token of a menu-like block"),
    "min_side": Option("int", default=8, doc="fewest blocks on each side of the core for them to go"),
    "min_core_share": Option("float", default=0.2, doc="share of the page's tokens the core must hold"),
    "spare": Option("int", default=1, doc="blocks right before the core that stay (its headline)"),
    "min_menu_share": Option("float", default=0.6, doc="share of the blocks before the core that must be menu-like"),
    "min_foot_menu_share": Option("float", default=0.2, doc="share of the blocks after it that must be menu-like"),
    "in_pages": Option("bool", default=False, doc="also judge the blocks of an HTML page"),
}
MILD_PENALTY = 0.5  # a block that is neither a paragraph nor menu-like: a date, a figure, a data row
# A side whose long lines hold more tokens than this share of the core's paragraph tokens is no chrome. A page's
# head is menus; its foot holds teasers, related headlines and comments as well, so it may hold more text.
HEAD_TEXT_SHARE = 0.5
FOOT_TEXT_SHARE = 4.0
MIN_CORE_PROSE = 50  # paragraph tokens a core needs: fewer make no article
REACH = 4  # a paragraph this few blocks beyond the core's end is the article's too
_DIGIT = regex.compile(r"\d")


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Check the numbers."""
    for key in ("min_tokens", "menu_tokens", "min_side"):
        if int(options[key]) < 1:
            raise OptionError(key, "expected a whole number of at least 1")
    if int(options["spare"]) < 0:
        raise OptionError("spare", "expected a whole number of at least 0")
    for key in ("penalty", "token_penalty"):
        if float(options[key]) < 0:
            raise OptionError(key, "expected a number of at least 0")
    for key in ("min_core_share", "min_menu_share", "min_foot_menu_share"):
        if not 0 <= float(options[key]) <= 1:
            raise OptionError(key, "expected a share between 0 and 1")
    return options


def prepare(rules: Sequence[Rule]) -> Sequence[Rule]:
    """Core rules are applied one at a time."""
    return tuple(rules)


def detect(prepared: Sequence[Rule], page: Page) -> Iterator[Mark]:
    """Mark the walls of chrome on both sides of the page's core."""
    on_page = from_markup(page)
    for rule in prepared:
        options = rule.options
        if on_page and not options["in_pages"]:
            continue
        for block in _walls(page.blocks, options):
            yield Mark(block.index, rule, PRIORITY, "outside the page's core")


def _walls(blocks: Sequence[Block], options: Mapping[str, Any]) -> Sequence[Block]:
    """The blocks before and after the core, when both are walls of chrome (else none)."""
    if len(blocks) < 2 * options["min_side"] + 1:
        return ()
    tokens = [token_count(b.text) for b in blocks]
    prose = [n if n >= options["min_tokens"] and ends_sentence(b.text) else 0
             for b, n in zip(blocks, tokens, strict=True)]
    menu = [not p and n <= options["menu_tokens"] and _DIGIT.search(b.text) is None
            for b, n, p in zip(blocks, tokens, prose, strict=True)]
    start, end = _core(tokens, prose, menu, options)
    if end == start:
        return ()
    start, end = _reach(prose, start, end)
    core_prose = sum(prose[start:end])
    if core_prose < MIN_CORE_PROSE or sum(tokens[start:end]) < options["min_core_share"] * sum(tokens):
        return ()
    long_lines = [n if n >= options["min_tokens"] else 0 for n in tokens]  # a side's text, sentences or not
    sides = ((slice(0, start), options["min_menu_share"], HEAD_TEXT_SHARE),
             (slice(end, len(blocks)), options["min_foot_menu_share"], FOOT_TEXT_SHARE))
    for side, menu_share, text_share in sides:
        size = side.stop - side.start
        if (size < options["min_side"] or sum(menu[side]) < menu_share * size
                or sum(long_lines[side]) > text_share * core_prose):
            return ()
    return (*blocks[: max(start - options["spare"], 0)], *blocks[end:])


def _core(
    tokens: Sequence[int], prose: Sequence[int], menu: Sequence[bool], options: Mapping[str, Any]
) -> tuple[int, int]:
    """The best-scoring stretch of consecutive blocks, as (start, end); (0, 0) when none scores above 0.

    A maximum-sum stretch (Kadane's scan, one pass): paragraphs score their
    tokens, menu-like blocks cost `penalty` and `token_penalty` per token,
    other blocks MILD_PENALTY.
    """
    best = current = 0.0
    best_start = best_end = start = 0
    for i, n in enumerate(tokens):
        if prose[i]:
            score = float(n)
        elif menu[i]:
            score = -(options["penalty"] + options["token_penalty"] * n)
        else:
            score = -MILD_PENALTY
        if current <= 0:
            current, start = score, i
        else:
            current += score
        if current > best:
            best, best_start, best_end = current, start, i + 1
    return best_start, best_end


def _reach(prose: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """The core grown to take the paragraphs at most REACH blocks beyond either end, again and again."""
    moved = True
    while moved:
        moved = False
        before = next((i for i in range(start - 1, max(start - 1 - REACH, -1), -1) if prose[i]), None)
        if before is not None:
            start, moved = before, True
        after = next((i for i in range(end, min(end + REACH, len(prose))) if prose[i]), None)
        if after is not None:
            end, moved = after + 1, True
    return start, end
