"""Main content: on a page, the blocks outside the article's container.

What it removes
    In HTML input, every block that lies outside the element holding the
    article. Each paragraph-like block (at least `min_tokens` tokens, link
    density below `max_link_density`) gives its text weight to its parent
    element and half of it to its grandparent; the heaviest element is the
    article's container, joined by its siblings that weigh at least
    `sibling_share` of it (articles split across several boxes). Marks are
    weak: a more specific rule that also claims a block names it instead.
    Plain text has no DOM: the rule does nothing there.

Options
    min_tokens: tokens of a paragraph that counts (default 10).
    max_link_density: above this a block is a link list, not text (default
    0.4). sibling_share: weight a sibling container needs (default 0.2).
    parent_share: weight that makes the parent the container (default 0.75).
    Tokens count each CJK or Thai character as one.

Example
    A page whose paragraphs sit in `<div class="story">` loses its menus,
    footer and sidebars, whatever their classes are called.

Keeps
    Everything inside the container, headings and short paragraphs included.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..model import Block, Mark, Rule
from ..text import token_count
from .base import Option, OptionError, Page, check_time, in_time

KIND = "main"
PRIORITY = 1
CONTEXTUAL = True  # judges a block by the whole page
OPTIONS = {
    "min_tokens": Option("int", default=10, doc="tokens of a paragraph that counts"),
    "max_link_density": Option("float", default=0.4, doc="above this a block is a link list"),
    "sibling_share": Option("float", default=0.2, doc="weight a sibling container needs, as a share of the best"),
    "parent_share": Option("float", default=0.75, doc="weight that makes the parent the container instead"),
}


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Check the shares."""
    for key in ("max_link_density", "sibling_share", "parent_share"):
        if not 0.0 <= float(options[key]) <= 1.0:
            raise OptionError(key, "expected a share between 0 and 1")
    return options


def prepare(rules: Sequence[Rule]) -> Sequence[Rule]:
    """Main-content rules are applied one at a time."""
    return tuple(rules)


def _weights(blocks: Sequence[Block], options: Mapping[str, Any]) -> dict[int, float]:
    weights: dict[int, float] = defaultdict(float)
    for block in blocks:
        if block.hidden or len(block.ancestors) < 3 or block.link_density > options["max_link_density"]:
            continue
        tokens = token_count(block.text)
        if tokens < options["min_tokens"]:
            continue
        value = tokens * (1.0 - block.link_density)
        # ancestors[-1] is the block's own element: its parent and grandparent gain.
        weights[block.ancestors[-2]] += value
        weights[block.ancestors[-3]] += value / 2
    return weights


def containers(blocks: Sequence[Block], options: Mapping[str, Any]) -> frozenset[int]:
    """The element numbers that hold the article (empty when no block has a DOM)."""
    weights = _weights(blocks, options)
    if not weights:
        return frozenset()
    best = max(weights, key=lambda n: (weights[n], -n))
    parent_of = {a[i]: a[i - 1] for b in blocks for a in (b.ancestors,) for i in range(1, len(a))}
    # An article split into boxes weighs almost as much in their common parent: take the parent.
    while parent_of.get(best) in weights and weights[parent_of[best]] >= options["parent_share"] * weights[best]:
        best = parent_of[best]
    parent = parent_of.get(best)
    chosen = {best}
    if parent is not None:
        floor = options["sibling_share"] * weights[best]
        chosen.update(n for n, w in weights.items() if w >= floor and parent_of.get(n) == parent)
    return frozenset(chosen)


def _own_tag(block: Block) -> str:
    return block.path.rsplit(" > ", 1)[-1].split("#")[0].split(".")[0]


def detect(prepared: Sequence[Rule], page: Page) -> Iterator[Mark]:
    """Mark blocks outside the article's container(s), but the title before it."""
    if not any(b.ancestors for b in page.blocks):
        return
    for rule in prepared:
        check_time(page)
        inside = containers(page.blocks, rule.options)
        check_time(page)
        if not inside:
            continue
        first = next((i for i, b in enumerate(page.blocks) if not inside.isdisjoint(b.ancestors)), len(page.blocks))
        title: Block | None = next(
            (b for b in page.blocks[:first] if _own_tag(b) == "h1" and not b.hidden), None
        )
        for block in in_time(page):
            if inside.isdisjoint(block.ancestors) and block is not title:
                yield Mark(block.index, rule, PRIORITY, "outside the main content")
