"""Recurring page furniture by its class and id: what `cleaner learn` finds in HTML.

A page's blocks carry the class and id tokens of their element and of every
ancestor (`cleaner.html`). A token is learned when it is on at least
`min_pages` pages of the sample and every block under it, on every page,
is a line that recurs (so it never stands over text that occurs once, such
as the article's own paragraphs), and the shipped rules do not already
remove all of those blocks. It becomes a CSS selector of the template's
`html: strip:` part, `.weather-box` or `#promo`, spelt as the pages spell
it. Tokens a selector cannot name plainly (digits first, odd characters)
are never learned.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from .learn_text import SamplePage, is_dated, occurs_once, position_of

_CSS_NAME = regex.compile(r"-?[_a-zA-Z][_a-zA-Z0-9-]*")  # an identifier CSS takes without escapes


@dataclass(frozen=True, slots=True)
class DomFinding:
    """A class or id whose blocks recur, as a selector, with its evidence."""

    selector: str  # `.name` or `#name`
    token: str  # the context token it stands for: `class:name`, `id:name`
    pages: int
    position: str
    shipped: str  # the category the shipped rules give its blocks, where they do
    examples: tuple[str, ...]


@dataclass
class _Tally:
    """What one class or id stands over, across the sample (built while reading)."""

    pages: set[int] = field(default_factory=set)
    unique: bool = False  # stands over a line found on one page only
    dated: bool = False  # stands over a dateline (which pages of one day share)
    unshipped: int = 0
    positions: list[float] = field(default_factory=list)
    texts: Counter[str] = field(default_factory=Counter)
    shipped: Counter[str] = field(default_factory=Counter)


def recurring_names(
    pages: Sequence[SamplePage], min_pages: int, counts: Counter[str], dates: bool = False,
) -> list[DomFinding]:
    """The classes and ids learned from the HTML pages of the sample, most widespread first.

    With `dates` false, a class or id over a dateline is not learned.
    """
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    spelt: dict[str, str] = {}
    for number, page in enumerate(pages):
        if page.html:
            _read_page(number, page, counts, tallies)
            for token, name in page.spellings.items():
                spelt.setdefault(token, name)
    found = []
    for token, tally in tallies.items():
        name = spelt.get(token, token.split(":", 1)[1])
        wanted = not tally.unique and tally.unshipped and (dates or not tally.dated)
        if len(tally.pages) >= min_pages and wanted and _CSS_NAME.fullmatch(name):
            found.append(_finding(("." if token.startswith("class:") else "#") + name, token, tally))
    return sorted(found, key=lambda f: (-f.pages, f.selector))


def _read_page(number: int, page: SamplePage, counts: Counter[str], tallies: dict[str, _Tally]) -> None:
    before = 0
    for block in page.blocks:
        once = occurs_once(block.text, counts)
        dated = is_dated(block.text)
        for token in block.context:
            if not token.startswith(("class:", "id:")):
                continue
            tally = tallies[token]
            tally.pages.add(number)
            tally.unique = tally.unique or once
            tally.dated = tally.dated or dated
            tally.positions.append(before / max(page.chars, 1))
            tally.texts[block.text] += 1
            if block.index in page.shipped:
                tally.shipped[page.shipped[block.index]] += 1
            else:
                tally.unshipped += 1
        before += len(block.text)


def _finding(selector: str, token: str, tally: _Tally) -> DomFinding:
    shipped = tally.shipped.most_common(1)[0][0] if tally.shipped else ""
    examples = tuple(text for text, _ in tally.texts.most_common(3))
    return DomFinding(selector, token, len(tally.pages), position_of(statistics.median(tally.positions)), shipped,
                      examples)
