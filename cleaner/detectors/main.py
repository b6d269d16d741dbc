"""Main content: on a page, the blocks outside the article's container.

What it removes
    In HTML input, every block that lies outside the element holding the
    article. Each paragraph of running text (at least `min_tokens` tokens,
    link density at most `max_link_density`, not hidden) weighs its tokens:
    a paragraph element (`<p>`, `<li>`, a `<div>` of text alone) gives them
    to its parent box and half to the box above; text standing directly in
    a box among other blocks (`<br>`-separated lines in a `<div>` or a
    layout `<td>`) gives them to that box. Quotes, lists, table rows and
    inline elements pass the weight on to the box around them. A box loses
    the share of its text that is links (a list of headlines with a line
    under each). The heaviest box is the article's container; its parent
    instead when the parent weighs `parent_share` of it; the list around it
    when its siblings of the same shape (tag and classes: forum messages,
    posts of a blog page) hold `sibling_share` of its text (`parent_share`
    for a shape without a class), looked for up to 3 levels up, or up to 5
    when the other sections hold as much text as it (stacked layout tables,
    the steps of a guide); joined by its siblings that weigh
    `sibling_share` of it (articles split across several boxes), and by
    the lead before it: the paragraphs ending a sentence right before the
    container (a standfirst in a box of its own), up to 3 elements above
    it and after the page's `<h1>`. Paragraphs
    in boxes named in `avoid` (comments, footers, related lists) weigh
    nothing, unless the rest of the page holds less than `avoid_share` of
    its running text (a discussion page: there the heaviest box of that
    rest, the article opening the discussion, joins the container); those
    in boxes named in `exclude` (sidebars, pop-ups, consent forms) or
    inside an `<aside>` weigh nothing unless the rest holds less than 5% of
    it (a page laid out inside one mislabelled box); nor do legal notices
    (a `©` in the paragraph) and form fields (`<fieldset>`). The page's
    `<h1>` before the container stays, and so does the headline the
    page's `<title>` names (`Storm hits coast - Courier`) when it stands
    before the container in a box of its own and the article does not
    carry it. Marks are weak: a more specific
    rule that also claims a block names it instead. Plain text has no DOM:
    the rule does nothing there.

Options
    min_tokens: tokens of a paragraph that counts (default 10).
    max_link_density: above this a block is a link list, not text (default
    0.4). sibling_share: weight a sibling container needs (default 0.2).
    parent_share: weight that makes the parent the container (default 0.75).
    avoid: parts of class or id names (split at `-`, `_`, spaces) of the
    boxes whose paragraphs are no article; only a block's 8 nearest
    elements are read (a comment's text sits deep in its box).
    avoid_share: share of the page's running text that must stand outside
    such boxes for them to be left out (default 0.5). exclude: name parts
    like `avoid`'s (read in a block's path, its 4 nearest elements) whose
    boxes are left out whatever `avoid_share` says (a sidebar of long
    widget texts beside a short post), unless the rest of the page holds
    less than 5% of its running text. Tokens count each CJK or Thai
    character as one.

Example
    A page whose paragraphs sit in `<div class="story">` loses its menus,
    footer and sidebars, whatever their classes are called.

Keeps
    Everything inside the container, headings and short paragraphs included.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from ..model import Block, Mark, Rule
from ..text import ends_sentence, token_count
from .base import Option, OptionError, Page, as_strings, check_time, in_time

KIND = "main"
PRIORITY = 1
CONTEXTUAL = True  # judges a block by the whole page
OPTIONS = {
    "min_tokens": Option("int", default=10, doc="tokens of a paragraph that counts"),
    "max_link_density": Option("float", default=0.4, doc="above this a block is a link list"),
    "sibling_share": Option("float", default=0.2, doc="weight a sibling container needs, as a share of the best"),
    "parent_share": Option("float", default=0.75, doc="weight that makes the parent the container instead"),
    "avoid": Option("strs", doc="class or id name parts of boxes whose paragraphs are no article (comments...)"),
    "avoid_share": Option("float", default=0.5, doc="share of running text outside avoided boxes that keeps them out"),
    "exclude": Option("strs", doc="name parts of boxes whose paragraphs never weigh (sidebars...)"),
}
_LABEL_NAMES = regex.compile(r"[#.]")  # a path label is tag#id.class.class
_NAME_PARTS = regex.compile(r"[-_\s]+")
_CLOSING_SIGNS = regex.compile(r"[\p{So}\p{Sk}\u201c\s]+$")  # symbols and quotes that may follow a sentence's end
# Boxes named in `exclude` weigh nothing unless the rest of the page holds less than this share of its running
# text (a page whose whole layout sits in one mislabelled box).
EXCLUDE_SHARE = 0.05
EXCLUDE_TAGS = frozenset({"tag:aside"})  # a sidebar's element: its paragraphs weigh nothing either
LIST_LEVELS = 3  # how far above the article's box a list of posts is looked for
# ...and how far a list of sections is (a page of stacked layout tables, a guide's steps): there, an element with
# an id and no class is a part of the layout (`div#left`, `div#centercol`), never one of a list.
# Found that far up, the other sections must hold at least as much text as the article's box.
DEEP_LIST_LEVELS = 5
DEEP_LIST_SHARE = 1.0
# Quotes, lists, table rows and inline elements: the box around them holds their text.
TRANSPARENT_TAGS = frozenset(
    "blockquote ul ol dl table tbody thead tfoot tr font center span b i em strong small".split()
)
# Paragraphs that are never the article's, however long: legal notices (a copyright sign) and form fields
# (a consent checkbox's text in a `<fieldset>`); they weigh nothing.
NOT_ARTICLE_SIGNS = ("\u00a9",)
NOT_ARTICLE_CONTEXT = frozenset({"tag:fieldset"})
# A lead (standfirst, summary) often stands in a box of its own before the article's: the paragraphs ending a
# sentence right before the container, up to LEAD_GAP blocks that do not count between them, inside the element
# LEAD_LEVELS above the container, are the article's too (none before the page's `<h1>`). Measured on the dev set:
# 2 levels leave half the German leads out, a gap of 10 brings in the headline lists before Chinese articles.
LEAD_LEVELS = 3
LEAD_GAP = 5
# How many of a paragraph's nearest elements are read for `avoid` names: a comment's text often sits 4 or more
# elements below the box named `comments` (`div#comments > dl > dd > div > p`), beyond the block's path.
AVOID_LEVELS = 8
LABELS_CACHED = 16_384  # element labels whose class and id name parts are kept across pages
# A page's headline may stand before the article's container, outside it (a header box of its own): the
# page's <title> names it. A block before the container whose text is in the title, at least HEADLINE_SHARE
# of the title's longest part (not the site's name or a section's), MIN_HEADLINE_CHARS and MIN_HEADLINE_TOKENS
# long, stays.
TITLE_SEPARATORS = regex.compile(r"\s+(?:-|–|—|\||::|»|«|›|‹|·|:)\s+")
HEADLINE_SHARE = 0.5
MIN_HEADLINE_CHARS = 8
MIN_HEADLINE_TOKENS = 3  # a site's name is often the whole title of a page: `Valley Courier`
PARAGRAPH_TAGS = frozenset("p li dd dt h1 h2 h3 h4 h5 h6 pre blockquote figcaption caption th address summary".split())


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Check the shares."""
    for key in ("max_link_density", "sibling_share", "parent_share", "avoid_share"):
        if not 0.0 <= float(options[key]) <= 1.0:
            raise OptionError(key, "expected a share between 0 and 1")
    names = {key: frozenset(n.lower() for n in as_strings(options.get(key) or ())) for key in ("avoid", "exclude")}
    return {**options, **names}


def prepare(rules: Sequence[Rule]) -> Sequence[Rule]:
    """Main-content rules are applied one at a time."""
    return tuple(rules)


def _boxes(blocks: Sequence[Block]) -> frozenset[int]:
    """Elements that hold more than one block, or a block and other blocks' elements."""
    own: dict[int, int] = defaultdict(int)
    enclosing: set[int] = set()
    for block in blocks:
        if block.ancestors:
            own[block.ancestors[-1]] += 1
            enclosing.update(block.ancestors[-3:-1])
    return frozenset(n for n, count in own.items() if count > 1 or n in enclosing)


def _labels(block: Block) -> list[str]:
    """The labels (`tag#id.class`) of a block's nearest elements, aligned with the end of its ancestors."""
    return block.path.split(" > ")[-len(block.ancestors):] if block.ancestors else []


def _tag(label: str) -> str:
    return label.split("#", 1)[0].split(".", 1)[0]  # what _LABEL_NAMES splits at, with str methods (faster)


def _credited(block: Block, boxes: frozenset[int]) -> tuple[int, int] | None:
    """The element a paragraph's text makes heavier, and that element's parent.

    A paragraph (`<p>`, `<li>`, a `<div>` of text alone...) credits its
    parent: the box it stands in. Text that stands directly in a box among
    other blocks (`<br>`-separated lines in a `<div>` or a layout `<td>`,
    text between paragraphs) credits that box itself. Quotes, lists, table
    rows and inline elements are no boxes: the box around them is credited.
    """
    ancestors, labels = block.ancestors, _labels(block)
    own_paragraph = _tag(labels[-1]) in PARAGRAPH_TAGS if labels else False
    at = -2 if own_paragraph or ancestors[-1] not in boxes else -1
    while -at < len(labels) and _tag(labels[at]) in TRANSPARENT_TAGS:
        at -= 1
    return (ancestors[at], ancestors[at - 1]) if -at < len(ancestors) else None


def _running_text(blocks: Sequence[Block], max_link_density: float, min_tokens: int) -> list[tuple[Block, float]]:
    """The paragraphs of running text that can make the article, each with its weight (its tokens out of links)."""
    found: list[tuple[Block, float]] = []
    for block in blocks:
        if block.hidden or not block.ancestors or block.link_density > max_link_density:
            continue
        text = block.text
        if any(sign in text for sign in NOT_ARTICLE_SIGNS) or not NOT_ARTICLE_CONTEXT.isdisjoint(block.context):
            continue
        tokens = token_count(text)
        if tokens >= min_tokens:
            found.append((block, tokens * (1.0 - block.link_density)))
    return found


def _paragraphs(
    blocks: Sequence[Block], options: Mapping[str, Any], labels: Mapping[int, str]
) -> tuple[list[tuple[Block, float]], list[tuple[Block, float]]]:
    """The paragraphs of running text and their weights, boxes named as no article left out; and those outside
    the boxes named in `avoid`.

    When such boxes hold almost all the page's running text (more than
    1 - `avoid_share`: a discussion, a page whose content is a sidebar's),
    they are weighed like the rest, as the DOM rules' guard keeps them.
    """
    avoided = _deep_avoider(options["avoid"], labels)
    excluded = _avoider(options["exclude"], EXCLUDE_TAGS)
    counted = _running_text(blocks, options["max_link_density"], options["min_tokens"])
    found = _share_or_all([(b, v) for b, v in counted if not excluded(b)], counted, EXCLUDE_SHARE)
    kept = [(b, v) for b, v in found if not avoided(b)]
    return _share_or_all(kept, found, options["avoid_share"]), kept


def _share_or_all(
    some: list[tuple[Block, float]], everything: list[tuple[Block, float]], share: float
) -> list[tuple[Block, float]]:
    """`some` paragraphs when they weigh `share` of `everything`, else all of them."""
    return some if sum(v for _, v in some) >= share * sum(v for _, v in everything) else everything


def _weights(paragraphs: Sequence[tuple[Block, float]], boxes: frozenset[int]) -> dict[int, float]:
    """Each element's weight: its paragraphs' in full, its grandchildren's at half."""
    weights: dict[int, float] = defaultdict(float)
    for block, value in paragraphs:
        credited = _credited(block, boxes)
        if credited is not None:
            weights[credited[0]] += value
            weights[credited[1]] += value / 2
    return weights


def _totals(paragraphs: Sequence[tuple[Block, float]]) -> dict[int, float]:
    """Each element's weight of all the paragraphs below it, however deep."""
    totals: dict[int, float] = defaultdict(float)
    for block, value in paragraphs:
        for number in block.ancestors:
            totals[number] += value
    return totals


def _avoider(names: frozenset[str], tags: frozenset[str] = frozenset()) -> Callable[[Block], bool]:
    """Whether a block stands in a box whose class or id names say it is no article, or below one of `tags`.

    Only the nearest elements (those of the block's path) are read for
    names: a class far up the page (`<body class="has-sidebar">`) says
    nothing of a block. Tags (`tag:aside`) are looked for in all its context.
    """
    seen: dict[tuple[str, frozenset[str]], bool] = {}

    def avoided(block: Block) -> bool:
        key = (block.path, block.context if tags else frozenset())
        found = seen.get(key)
        if found is None:
            found = seen[key] = not names.isdisjoint(_path_names(block.path)) or not tags.isdisjoint(block.context)
        return found

    return avoided


def _deep_avoider(names: frozenset[str], labels: Mapping[int, str]) -> Callable[[Block], bool]:
    """Whether a block stands in a box whose class or id names say it is no article, read in its AVOID_LEVELS
    nearest elements (their labels as the page's blocks' paths give them)."""
    named = {number for number, label in labels.items() if not names.isdisjoint(_label_names(label))}

    def avoided(block: Block) -> bool:
        return not named.isdisjoint(block.ancestors[-AVOID_LEVELS:])

    return avoided


def _path_names(path: str) -> frozenset[str]:
    """The parts of the class and id names in a block's path (`div#main > p.lead-text`)."""
    return frozenset().union(*map(_label_names, path.split(" > ")))


@lru_cache(maxsize=LABELS_CACHED)
def _label_names(label: str) -> frozenset[str]:
    """The parts of the class and id names in an element's label (`p.lead-text`: lead, text)."""
    parts: set[str] = set()
    for name in _LABEL_NAMES.split(label)[1:]:
        parts.update(p for p in _NAME_PARTS.split(name.lower()) if p)
    return frozenset(parts)


def _link_densities(blocks: Sequence[Block], elements: Collection[int]) -> dict[int, float]:
    """The share of link text in all the text of each element (its blocks' text)."""
    chars: dict[int, int] = defaultdict(int)
    linked: dict[int, float] = defaultdict(float)
    wanted = set(elements)
    for block in blocks:
        found = wanted.intersection(block.ancestors)  # each element's sums still run in block order
        if found:
            size = len(block.text)
            share = size * block.link_density
            for number in found:
                chars[number] += size
                linked[number] += share
    return {n: linked[n] / chars[n] for n in chars if chars[n]}


def containers(blocks: Sequence[Block], options: Mapping[str, Any]) -> frozenset[int]:
    """The element numbers that hold the article (empty when no block has a DOM).

    On a discussion page (the boxes named in `avoid` weighed, as the rest
    holds too little running text) the container found among the rest (the
    article that opens the discussion) joins the one found among all.
    """
    tree = _Tree.of(blocks)
    paragraphs, outside = _paragraphs(blocks, options, tree.labels)
    boxes = _boxes(blocks)
    found = _container(blocks, paragraphs, boxes, tree, options)
    if outside and len(outside) < len(paragraphs):
        found |= _container(blocks, outside, boxes, tree, options)
    return found


def _container(
    blocks: Sequence[Block],
    paragraphs: Sequence[tuple[Block, float]],
    boxes: frozenset[int],
    tree: _Tree,
    options: Mapping[str, Any],
) -> frozenset[int]:
    """The elements that hold the article, found from these paragraphs (empty when none is in a box)."""
    raw = _weights(paragraphs, boxes)
    if not raw:
        return frozenset()
    densities = _link_densities(blocks, raw)
    # A box of headlines with a line of text under each is mostly links: it weighs less.
    weights = {n: w * (1.0 - densities.get(n, 0.0)) for n, w in raw.items()}
    best = max(weights, key=lambda n: (weights[n], -n))
    # An article split into boxes weighs almost as much in their common parent: take the parent.
    while tree.parent.get(best) in weights and weights[tree.parent[best]] >= options["parent_share"] * weights[best]:
        best = tree.parent[best]
    best = _list_of_posts(best, tree, _totals(paragraphs), options)
    parent = tree.parent.get(best)
    chosen = {best}
    if parent is not None:
        floor = options["sibling_share"] * weights.get(best, 0.0)
        chosen.update(
            n for n, w in weights.items()
            if w >= floor and tree.parent.get(n) == parent and densities.get(n, 0.0) <= options["max_link_density"]
        )
    counted = {b.index for b, _ in paragraphs}
    return frozenset(chosen | _lead(blocks, chosen, _above(best, tree, LEAD_LEVELS), counted, _chain(best, tree)))


def _sentence(text: str) -> bool:
    """Whether a paragraph ends a sentence, past closing signs (a German closing quote `“`, an emoji)."""
    return ends_sentence(_CLOSING_SIGNS.sub("", text))


def _in_column(block: Block, chain: set[int]) -> bool:
    """Whether a block branches off the container's ancestors in a part of the page's layout (`div#left`)."""
    labels = _labels(block)
    unlabelled = len(block.ancestors) - len(labels)  # the path names only the nearest elements
    for at in range(len(block.ancestors) - 1, 0, -1):
        if block.ancestors[at - 1] in chain:
            return at >= unlabelled and _layout_part(labels[at - unlabelled])
    return False


def _chain(number: int, tree: _Tree) -> set[int]:
    """An element and all the elements above it."""
    chain = {number}
    while number in tree.parent:
        number = tree.parent[number]
        chain.add(number)
    return chain


def _above(number: int, tree: _Tree, levels: int) -> int:
    """The element `levels` above an element (the highest one there is when the tree is shallower)."""
    for _ in range(levels):
        number = tree.parent.get(number, number)
    return number


def _lead(blocks: Sequence[Block], chosen: set[int], anchor: int, paragraphs: set[int], chain: set[int]) -> set[int]:
    """The elements of the paragraphs that lead into the container: right before it, below `anchor`.

    Read back from the container's first block: a counted paragraph below
    `anchor` that ends a sentence is a lead (its own element joins, never
    one that holds the container); one outside `anchor` or in a column of
    the layout (`div#left`), the page's `<h1>` or more than LEAD_GAP other
    blocks in a row end the lead.
    """
    first = next((i for i, b in enumerate(blocks) if not chosen.isdisjoint(b.ancestors)), 0)
    found: set[int] = set()
    gap = 0
    for block in reversed(blocks[:first]):
        if _own_tag(block) == "h1":
            break
        inside = anchor in block.ancestors and not _in_column(block, chain)
        if block.index in paragraphs and inside and block.ancestors[-1] not in chain and _sentence(block.text):
            found.add(block.ancestors[-1])
            gap = 0
        elif (block.index in paragraphs and not inside) or gap >= LEAD_GAP:
            break
        else:
            gap += 1
    return found


@dataclass(frozen=True, slots=True)
class _Tree:
    """The elements that hold blocks: each one's parent, children and label (`tag#id.class`)."""

    parent: Mapping[int, int]
    children: Mapping[int, Sequence[int]]
    labels: Mapping[int, str]

    @classmethod
    def of(cls, blocks: Sequence[Block]) -> _Tree:
        parent: dict[int, int] = {}
        labels: dict[int, str] = {}
        for block in blocks:
            ancestors = block.ancestors
            parent.update(zip(ancestors[1:], ancestors, strict=False))  # in C, in a comprehension's order
            labels.update(zip(reversed(ancestors), reversed(block.path.split(" > ")), strict=False))  # as _labels
        children: dict[int, list[int]] = defaultdict(list)
        for child, number in parent.items():
            children[number].append(child)
        return cls(parent, children, labels)

    def shape(self, number: int) -> str:
        """An element's tag and classes without digits ('' when unknown)."""
        label = self.labels.get(number)
        return _shape(label) if label else ""


@lru_cache(maxsize=4096)
def _shape(label: str) -> str:
    """An element's tag and the classes without digits: what the items of one list share."""
    tag, *names = _LABEL_NAMES.split(label)
    classes = sorted(n for n in names[1 if "#" in label else 0 :] if not any(c.isdigit() for c in n))
    return ".".join([tag, *classes])


def _list_of_posts(best: int, tree: _Tree, totals: Mapping[int, float], options: Mapping[str, Any]) -> int:
    """The list that holds the article's box among boxes of its shape (posts, forum messages).

    Climbing at most LIST_LEVELS elements, an element whose siblings of the
    same shape hold at least `sibling_share` of its text is one post of a
    list, and the list is the content. A shape without a class (a bare
    `div`, `tr`) says less: its siblings need `parent_share` of its text.
    Up to DEEP_LIST_LEVELS the list is looked for among elements that are
    not a layout part (an id and no class), whose siblings hold at least
    DEEP_LIST_SHARE of its text.
    """
    node = best
    for level in range(DEEP_LIST_LEVELS):
        parent = tree.parent.get(node)
        if parent is None:
            break
        deep = level >= LIST_LEVELS
        shape = "" if deep and _layout_part(tree.labels.get(node, "")) else tree.shape(node)
        alike = sum(totals.get(c, 0.0) for c in tree.children[parent] if c != node and tree.shape(c) == shape)
        share = options["sibling_share"] if "." in shape else options["parent_share"]
        if shape and alike >= (DEEP_LIST_SHARE if deep else share) * totals.get(node, 0.0):
            best = parent
        node = parent
    return best


def _layout_part(label: str) -> bool:
    """Whether an element has an id and no class (`div#sidebar`): one part of a page's layout."""
    return "#" in label and "." not in label


def _own_tag(block: Block) -> str:
    return _tag(block.path.rsplit(" > ", 1)[-1])


def detect(prepared: Sequence[Rule], page: Page) -> Iterator[Mark]:
    """Mark blocks outside the article's container(s), but the title and headline before it."""
    if not any(b.ancestors for b in page.blocks):
        return
    for rule in prepared:
        check_time(page)
        inside = containers(page.blocks, rule.options)
        check_time(page)
        if not inside:
            continue
        first = next((i for i, b in enumerate(page.blocks) if not inside.isdisjoint(b.ancestors)), len(page.blocks))
        before = page.blocks[:first]
        title: Block | None = next((b for b in before if _own_tag(b) == "h1" and not b.hidden), None)
        headline = _headline(before, page.blocks, inside, title, page.title)
        for block in in_time(page):
            if inside.isdisjoint(block.ancestors) and block is not title and block is not headline:
                yield Mark(block.index, rule, PRIORITY, "outside the main content")


def _headline(
    before: Sequence[Block], blocks: Sequence[Block], inside: frozenset[int], h1: Block | None, title: str
) -> Block | None:
    """The page's headline standing before the article's container, if the article lacks it.

    The page's `<title>` names the article (`Storm hits coast - Courier`):
    the first block before the container whose text is in the title and
    is at least HEADLINE_SHARE of the title's longest part is the
    headline, unless the kept text holds a part of the title already (the
    article carries its headline) or a block before it stands in the
    article too (a teaser of the article above it). Texts are compared
    case-folded and without spaces (CJK headlines are spaced at will).
    """
    whole = _squeezed(title)
    if not whole:
        return None
    parts = [_squeezed(p) for p in TITLE_SEPARATORS.split(title)]
    kept = (b for b in blocks if b is h1 or not inside.isdisjoint(b.ancestors))  # only when there is a title
    article = "\n".join(_squeezed(b.text) for b in kept)
    if any(part in article for part, tokens in zip(parts, map(token_count, TITLE_SEPARATORS.split(title)),
                                                   strict=True) if tokens >= 2):
        return None
    longest = max(parts, key=len)
    names = set(parts) - {longest}  # the site's name, a section's
    for block in before:
        text = _squeezed(block.text)
        if not text or block.hidden:
            continue
        if text in article:
            return None
        if (len(text) >= max(MIN_HEADLINE_CHARS, HEADLINE_SHARE * len(longest)) and text in whole
                and text not in names and token_count(block.text) >= MIN_HEADLINE_TOKENS):
            return block
    return None


def _squeezed(text: str) -> str:
    return "".join(text.casefold().split())
