"""Tail zones: a recurring marker line after which everything on the page recurs too.

A learned line entry is a zone marker when, on at least `min_pages` pages,
it stands in the latter part of the page (after ZONE_MIN_POSITION of its
text, as the `zone` detector asks) and every line from it to the end of the
page recurs or is already removed by the shipped rules, with at least one
line after it. On other pages of the site the zone then also takes the
lines of the same box that the sample never showed (a rotating list of
headlines), which line entries cannot. A line found on one page only
after a marker disqualifies it: a zone never takes text the sample shows
to be a page's own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from .learn_text import MIN_PAGES, SamplePage, occurs_once
from .model import Block

ZONE_MIN_POSITION = 0.5  # the zone detector's default `min_position`


def zone_span(matches: Callable[[Block], bool], page: SamplePage) -> tuple[Block, ...]:
    """The blocks a zone starting at a marker would take on a page (from the first marker on), or ()."""
    before = 0
    for i, block in enumerate(page.blocks):
        if before >= ZONE_MIN_POSITION * page.chars and matches(block):
            return page.blocks[i:]
        before += len(block.text)
    return ()


def is_marker(
    matches: Callable[[Block], bool], pages: Sequence[SamplePage], counts: Counter[str], min_pages: int,
    covered: Callable[[Block], bool],
) -> int:
    """On how many pages a line marks a zone of recurring lines; 0 when it is no marker.

    It is none when, on some page, a line after it occurs on that page only,
    and none when its zone would add nothing: on fewer than MIN_PAGES pages
    does it hold a line that neither the shipped rules nor a learned line
    (`covered`) remove, such as a headline of a rotating list, on too few
    pages to be learned itself. A zone over a fixed box is left to the line
    rules: on other pages it could take what follows the box (comments).
    """
    spans = [(page, zone_span(matches, page)) for page in pages]
    spans = [(page, span) for page, span in spans if span]
    for page, span in spans:
        if any(occurs_once(b.text, counts) and b.index not in page.shipped for b in span):
            return 0
    rotating = sum(1 for page, span in spans if any(b.index not in page.shipped and not covered(b) for b in span[1:]))
    with_more = sum(1 for _, span in spans if len(span) > 1)
    return with_more if with_more >= min_pages and rotating >= MIN_PAGES else 0
