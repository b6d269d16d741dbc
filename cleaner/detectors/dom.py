"""DOM context: blocks of a page that stand inside page furniture.

What it removes
    In HTML input, a block whose element or one of its ancestors has a tag
    in `tags`, an ARIA role in `roles`, or a class or id with a part in
    `names` (parts are split at `-`, `_` and spaces and compared whole, so
    `names: [share]` matches `class="share-buttons"` and `id="post_share"`
    but not `class="shareholders"`); or, with `hidden: true`, a block inside
    a hidden element. `min_link_density` asks in addition that most of the
    block's text be links (a menu). Plain text has no DOM: the rule does
    nothing there.

Options
    tags, roles, names: lists (any one matches). hidden: true to match
    hidden elements. min_link_density: share of link text the block needs
    (default 0: any). max_tokens: longest block removed (default: any).

Example
    names: [share, social] removes the text of
    `<div class="social-share"><a>Facebook</a> <a>Twitter</a></div>`.

Keeps
    Blocks whose context has no such token: the article's paragraphs.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import regex

from ..model import Mark, Rule
from ..text import token_count
from .base import Option, OptionError, Page, as_strings, in_time

KIND = "dom"
PRIORITY = 2
CONTEXTUAL = False  # judges each block alone (by its own DOM context)
OPTIONS = {
    "tags": Option("strs", doc="element names (nav, footer, aside...)"),
    "roles": Option("strs", doc="ARIA roles (navigation, banner, complementary...)"),
    "names": Option("strs", doc="parts of class or id names (share, related, comment...)"),
    "hidden": Option("bool", default=False, doc="match blocks inside hidden elements"),
    "min_link_density": Option("float", default=0.0, doc="share of the block's text inside links"),
    "max_tokens": Option("int", default=0, doc="longest block removed, in tokens (0: any)"),
}
_PARTS = regex.compile(r"[-_\s]+")
NAME_PARTS_CACHE_SIZE = 2048  # distinct contexts remembered (a page has a few hundred)


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Turn the lists into the context tokens they match."""
    tags = frozenset(f"tag:{t.lower()}" for t in as_strings(options.get("tags") or ()))
    roles = frozenset(f"role:{r.lower()}" for r in as_strings(options.get("roles") or ()))
    names = frozenset(n.lower() for n in as_strings(options.get("names") or ()))
    joined = sorted(n for n in names if _PARTS.search(n))
    if joined:
        raise OptionError("names", f"{joined[0]!r} never matches: class names are compared part by part "
                                   "(split at '-', '_' and spaces), so give one part ('readmore', not 'read-more')")
    if not (tags or roles or names or options["hidden"]):
        raise OptionError("tags", "a dom rule needs tags, roles, names or hidden: true")
    if not 0.0 <= float(options["min_link_density"]) <= 1.0:
        raise OptionError("min_link_density", "expected a share between 0 and 1")
    return {**options, "tags": tags | roles, "names": names}


def prepare(rules: Sequence[Rule]) -> Sequence[Rule]:
    """DOM rules are applied one at a time."""
    return tuple(rules)


@functools.lru_cache(maxsize=NAME_PARTS_CACHE_SIZE)
def name_parts(context: frozenset[str]) -> frozenset[str]:
    """The parts of every class and id name in a block's context.

    Cached: a page's blocks share a few contexts, which every dom rule asks about.
    """
    parts: set[str] = set()
    for token in context:
        if token.startswith(("class:", "id:")):
            parts.update(p for p in _PARTS.split(token.split(":", 1)[1]) if p)
    return frozenset(parts)


def _matches(rule: Rule, context: frozenset[str], parts: frozenset[str], hidden: bool) -> bool:
    options = rule.options
    return bool(
        (options["hidden"] and hidden)
        or not options["tags"].isdisjoint(context)
        or not options["names"].isdisjoint(parts)
    )


def detect(prepared: Sequence[Rule], page: Page) -> Iterator[Mark]:
    """Mark blocks whose DOM context matches a rule.

    Which rules a context matches is worked out once per distinct context
    (a page's blocks share a few); a block's own link density and length
    then pick the first of them that applies.
    """
    matching: dict[tuple[frozenset[str], bool], tuple[Rule, ...]] = {}
    for block in in_time(page):
        if not block.context:
            continue
        key = (block.context, block.hidden)
        rules = matching.get(key)
        if rules is None:
            parts = name_parts(block.context)
            rules = matching[key] = tuple(r for r in prepared if _matches(r, block.context, parts, block.hidden))
        for rule in rules:
            options = rule.options
            if block.link_density < options["min_link_density"]:
                continue
            if options["max_tokens"] and token_count(block.text) > options["max_tokens"]:
                continue
            yield Mark(block.index, rule, PRIORITY, block.path)
            break
