"""Strip selectors: a site template's nodes that are not the article.

What it removes
    In HTML input, every block inside an element that one of the rule's
    `select` selectors picks (CSS, or XPath when it starts with `/`, `./` or
    `(`), and whose text passes the selector's predicate if it has one
    (`text`: a regular expression searched in the node's text, its blocks
    one per line; `contains`: a plain string). The text stays in the page's
    rendering and is logged with the rule, like any other removal. Written
    only in a site template's `html: strip:` list; plain text has no DOM,
    so the rule does nothing there.

Options
    select: a selector or a list (`"div.related"`, `"//aside"`,
    `{css: "div.box", text: "^Related"}`). case_sensitive: for the text
    predicates (default false).

Example
    select: ["div.share-tools", {xpath: "//div[@class='box']", contains: "Read more"}]
    removes `<div class="share-tools"><a>Share</a></div>`.

Keeps
    Blocks outside the selected nodes, and the blocks of a node whose text
    fails its predicate.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..model import Mark, Rule
from .base import Option, Page, check_time, search
from .selectors import compile_selectors, node_text, picked_nodes

KIND = "strip"
PRIORITY = 2  # as specific as a DOM rule; the site's rule names a block both claim
CONTEXTUAL = False  # judged once on the whole page: later passes reuse the marks
OPTIONS = {
    "select": Option("selectors", required=True, doc="CSS or XPath selectors, with optional text predicates"),
}


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Compile the selectors (an invalid one is an OptionError naming it)."""
    return {**options, "select": compile_selectors(options["select"], "select", bool(options["case_sensitive"]))}


def prepare(rules: Sequence[Rule]) -> Sequence[Rule]:
    """Strip rules are applied one at a time."""
    return tuple(rules)


def detect(prepared: Sequence[Rule], page: Page) -> Iterator[Mark]:
    """Mark the blocks of every selected node that passes its predicate."""
    for rule in prepared:
        check_time(page)
        marked: set[int] = set()
        for (index, _), blocks in picked_nodes(page.blocks, rule.id).items():
            predicate = rule.options["select"][index].text
            if predicate is not None and not search(rule, predicate, node_text(blocks)):
                continue
            for block in blocks:
                if block.index not in marked:
                    marked.add(block.index)
                    yield Mark(block.index, rule, PRIORITY, block.path)
