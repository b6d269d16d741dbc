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
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
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
TOKEN_PARTS_CACHE_SIZE = 16_384  # distinct class and id tokens whose name parts are remembered


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


@dataclass(frozen=True, slots=True)
class Prepared:
    """DOM rules in order, each listed under what makes it match: a tag or role token, a name part, hidden.

    A context's rules are then found from its own tokens and name parts (a
    few set operations in C), instead of asking every rule in turn.
    """

    rules: tuple[Rule, ...]
    by_token: Mapping[str, frozenset[int]]  # context token (`tag:nav`, `role:banner`) -> positions of its rules
    by_part: Mapping[str, frozenset[int]]  # class or id name part -> positions of its rules
    hiding: frozenset[int]  # positions of the rules that match hidden blocks


def prepare(rules: Sequence[Rule]) -> Prepared:
    """DOM rules, listed under the tokens and name parts they match."""
    by_token: dict[str, set[int]] = defaultdict(set)
    by_part: dict[str, set[int]] = defaultdict(set)
    for i, rule in enumerate(rules):
        for token in rule.options["tags"]:
            by_token[token].add(i)
        for part in rule.options["names"]:
            by_part[part].add(i)
    hiding = frozenset(i for i, rule in enumerate(rules) if rule.options["hidden"])
    return Prepared(tuple(rules), _frozen(by_token), _frozen(by_part), hiding)


def _frozen(index: Mapping[str, set[int]]) -> dict[str, frozenset[int]]:
    return {key: frozenset(positions) for key, positions in index.items()}


@functools.lru_cache(maxsize=NAME_PARTS_CACHE_SIZE)
def name_parts(context: frozenset[str]) -> frozenset[str]:
    """The parts of every class and id name in a block's context.

    Cached: a page's blocks share a few contexts, which every dom rule asks about.
    """
    return frozenset(chain.from_iterable(map(_token_parts, context)))


@functools.lru_cache(maxsize=TOKEN_PARTS_CACHE_SIZE)
def _token_parts(token: str) -> tuple[str, ...]:
    """The parts of a class or id token's name (none for other tokens)."""
    if not token.startswith(("class:", "id:")):
        return ()
    return tuple(p for p in _PARTS.split(token.split(":", 1)[1]) if p)


def _matching(prepared: Prepared, context: frozenset[str], hidden: bool) -> tuple[Rule, ...]:
    """The rules a block's context (and its being hidden) matches, in order."""
    found = set(prepared.hiding) if hidden else set()
    for token in prepared.by_token.keys() & context:
        found |= prepared.by_token[token]
    if prepared.by_part:
        for part in prepared.by_part.keys() & name_parts(context):
            found |= prepared.by_part[part]
    return tuple(prepared.rules[i] for i in sorted(found))


def detect(prepared: Prepared, page: Page) -> Iterator[Mark]:
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
            rules = matching[key] = _matching(prepared, block.context, block.hidden)
        for rule in rules:
            options = rule.options
            if block.link_density < options["min_link_density"]:
                continue
            if options["max_tokens"] and token_count(block.text) > options["max_tokens"]:
                continue
            yield Mark(block.index, rule, PRIORITY, block.path)
            break
