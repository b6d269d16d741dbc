"""Title bars: a scraped page's first line, its title, over the headline it repeats.

What it removes
    The document's first block when a `separator` splits it into parts one
    of which (at least `min_tokens` tokens) stands again, alone, as one of
    the `within` blocks after it: the page's `<title>` (`Storm hits coast -
    Valley Courier`) above its headline (`Storm hits coast`). The headline
    stays; the line that only repeats it with the site's name goes.

Options
    separator: regex between a title's parts (default: ` - `, ` – `, ` — `,
    ` | `, ` :: `, ` » `, ` : `, also glued to the part after it, as in
    `Storm hits coast :courier`); a part is also compared without the marks
    around it (`» Storm hits coast`). min_tokens: shortest part that counts
    (default 3; each CJK or Thai character is a token). within: blocks after
    the first that are searched for the headline (default 40). in_pages:
    also judge an HTML page (default false: a page's `<title>` is not part
    of its rendering).

Example
    `Storm hits coast - Valley Courier` goes when `Storm hits coast` stands
    below it.

Keeps
    A first line whose parts stand nowhere below it (a headline with a
    colon, a kicker), and every line after the first.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..model import Mark, Rule
from ..text import token_count
from .base import Option, OptionError, Page, compile_pattern, from_markup

KIND = "title"
PRIORITY = 1
PART_MARKS = " \t»«›‹|·•:-–—"  # what opens or closes a title's part besides its words
CONTEXTUAL = True  # judges a block by the blocks after it
OPTIONS = {
    "separator": Option("pattern", default=r"\s+(?:-|–|—|\||::|»|:)\s*", doc="regex between a title's parts"),
    "min_tokens": Option("int", default=3, doc="shortest part that counts, in tokens"),
    "within": Option("int", default=40, doc="blocks after the first searched for the headline"),
    "in_pages": Option("bool", default=False, doc="also judge an HTML page"),
}


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Compile the separator and check the numbers."""
    for key in ("min_tokens", "within"):
        if int(options[key]) < 1:
            raise OptionError(key, "expected a whole number of at least 1")
    return {**options, "separator": compile_pattern("separator", options["separator"])}


def prepare(rules: Sequence[Rule]) -> Sequence[Rule]:
    """Title rules are applied one at a time."""
    return tuple(rules)


def detect(prepared: Sequence[Rule], page: Page) -> Iterator[Mark]:
    """Mark the first block when it is a title bar over its headline."""
    blocks = page.blocks
    if len(blocks) < 3:
        return
    first = blocks[0]
    on_page = from_markup(page)
    for rule in prepared:
        options = rule.options
        if on_page and not options["in_pages"]:
            continue
        parts = options["separator"].split(first.text)
        if len(parts) < 2:
            continue
        below = {_folded(b.text) for b in blocks[1 : options["within"] + 1]}
        if any(token_count(p) >= options["min_tokens"] and _stands_below(p, below) for p in parts):
            yield Mark(first.index, rule, PRIORITY, "the page's title over its headline")
            return


def _stands_below(part: str, below: set[str]) -> bool:
    """Whether a title's part, as it is or without the marks around it, is one of the blocks below."""
    return _folded(part) in below or _folded(part.strip(PART_MARKS)) in below


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())
