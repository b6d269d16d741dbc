"""Body selectors: on a site's pages, the blocks outside the article's node.

What it removes
    In HTML input, every block outside the nodes picked by the first of the
    rule's `select` selectors (tried in order) that picks a node with text
    (and whose predicate, if it has one, that text passes), except the
    page's first `h1` when it comes before them (the title). Written only
    in a site template's `html: body:`. When no selector picks anything,
    the page falls back to main-content detection (the rule set's `main`
    rules, which a body rule stands in for). Marks are weak, like main
    content's: a more specific rule that also claims a block names it.

Options
    select: a selector or a list, in order of preference
    (`["article .story-body", "//div[@id='content']"]`). case_sensitive:
    for the text predicates (default false).

Example
    select: ["div.article-body"] removes the menu of
    `<nav><a>Home</a></nav><div class="article-body"><p>Text.</p></div>`.

Keeps
    Everything inside the body node, and the title before it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..model import Block, Mark, Rule
from . import main
from .base import Option, Page, check_time, in_time, search
from .selectors import compile_selectors, node_text, picked_nodes

KIND = "body"
PRIORITY = 1  # weak, like main content's marks
CONTEXTUAL = True  # judges a block by the whole page (and may fall back to main content)
OPTIONS = {
    "select": Option("selectors", required=True, doc="CSS or XPath selectors, first that picks text wins"),
}
FALLBACK = "fallback"  # option set by the rule set: the `main` rules to run when no selector picks anything


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Compile the selectors (an invalid one is an OptionError naming it)."""
    return {**options, "select": compile_selectors(options["select"], "select", bool(options["case_sensitive"]))}


def prepare(rules: Sequence[Rule]) -> Sequence[Rule]:
    """Body rules are applied one at a time."""
    return tuple(rules)


def body_blocks(rule: Rule, blocks: Sequence[Block]) -> frozenset[int] | None:
    """Indexes of the blocks inside the first selector's nodes that have text; None if no selector has."""
    nodes = picked_nodes(blocks, rule.id)
    for index, selector in enumerate(rule.options["select"]):
        inside: set[int] = set()
        for (which, _), node_blocks in nodes.items():
            if which != index:
                continue
            if selector.text is None or search(rule, selector.text, node_text(node_blocks)):
                inside.update(b.index for b in node_blocks)
        if inside:
            return frozenset(inside)
    return None


def _title(blocks: Sequence[Block], inside: frozenset[int]) -> Block | None:
    for block in blocks:
        if block.index in inside:
            return None
        if block.path.rsplit(" > ", 1)[-1].split("#")[0].split(".")[0] == "h1" and not block.hidden:
            return block
    return None


def detect(prepared: Sequence[Rule], page: Page) -> Iterator[Mark]:
    """Mark the blocks outside the body; fall back to main content when no selector picks text."""
    for rule in prepared:
        check_time(page)
        inside = body_blocks(rule, page.blocks)
        if inside is None:
            fallback = rule.options.get(FALLBACK) or ()
            if fallback:
                yield from main.detect(main.prepare(fallback), page)
            continue
        title = _title(page.blocks, inside)
        for block in in_time(page):
            if block.index not in inside and block is not title:
                yield Mark(block.index, rule, PRIORITY, block.path)
