"""Recurring lines across one site's pages: what `cleaner learn` finds in text.

Every block (a line of text, or a block of a page) is normalised: folded as
`cleaner.text.fold` folds it (case, quotes, dashes, spacing, decoration at
its edges) and with every run of digits made `0`, so that counters, dates
and times of one label fall together. A normalised line is counted once per
page it occurs on; it recurs when it is on at least `min_pages` pages of the
sample, or when it belongs to a block of lines that are all on the same
fewer pages (another template of the site, SUBTEMPLATE_SHARE). A line on
one page only never recurs, whatever happens.

>>> normalise("  12 Comments » ")
'0 comments'
>>> normalise("Updated 10:35, 3 May 2011") == normalise("Updated 9:05, 21 May 2011")
True
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import regex

from .engine import Options, clean, read_document
from .model import Block
from .rulebook import RuleBook
from .text import ends_sentence, fold, token_count

MIN_PAGES = 2  # a line on fewer pages is the page's own text
DEFAULT_MIN_SHARE = 0.5  # share of the sample's pages a line must be on to recur
HEAD_END = 0.25  # a line whose median position is before this share of the page is in its head
TAIL_START = 0.75  # ... after this share, in its tail
BODY_MIN_TOKENS = 15  # a recurring line this long that ends a sentence reads like body text
BYLINE_MAX_TOKENS = 8
DATED_MAX_TOKENS = 12  # a longer line with a year in it is a sentence, not a dateline
# A line whose nearest neighbours the shipped rules leave are the page's own text (or the page's
# edge) on this share of its pages stands inside the article: a heading over its text ("Story
# highlights"), an author line before it, a sign-off after it. Page chrome comes in runs.
EMBEDDED_SHARE = 0.5
# A site can have several templates (sections, channels): a block of chrome then recurs on fewer pages
# than `min_share` asks, but all its lines on the same pages. Lines on at least SUBTEMPLATE_SHARE of
# the pages (and SUBTEMPLATE_MIN_PAGES) recur too when SUBTEMPLATE_MIN_LINES or more lines are on
# exactly the same pages and none of them reads like body text (pages sharing a sentence carry one
# story twice). A lone line on a few pages (an author's name) is not learned that way.
SUBTEMPLATE_SHARE = 0.3
SUBTEMPLATE_MIN_PAGES = 3
SUBTEMPLATE_MIN_LINES = 4
_DIGITS = regex.compile(r"\d+")
_LETTER = regex.compile(r"\p{L}")
# "By Jane Doe" in the languages of the lexicons most often met; the name must be capitalised.
# A year or a time of day: the line is a date (a dateline, "Published 3 May 2011, 10:35").
_DATE = regex.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)|(?<!\d)\d{1,2}:\d\d(?!\d)")
_ATTRIBUTE = regex.compile(r"""\s(class|id)\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)')""", regex.IGNORECASE)
MAX_MARKUP_SCAN = 2_000_000  # characters of a page searched for the spelling of its classes
_BYLINE = regex.compile(r"^(?i:by|von|par|por|di|door|av|af|przez|od|от|από|του|της)\s+\p{Lu}")


def normalise(line: str) -> str:
    """The line as it is compared across pages: folded, digit runs made `0`."""
    return _DIGITS.sub("0", fold(line))


@dataclass(frozen=True, slots=True)
class SamplePage:
    """One page of the sample: its blocks, and what the shipped rules already cut.

    `shipped` maps a block's index to the category the shipped rules remove
    it for (with no site template).
    """

    doc_id: str
    url: str | None
    blocks: tuple[Block, ...]
    chars: int
    lang: str | None
    shipped: Mapping[int, str]
    html: bool = False
    spellings: Mapping[str, str] = field(default_factory=dict)  # class:/id: token -> as the page spells it


def read_sample(
    doc_id: str, text: str, url: str | None = None, lang: str | None = None,
    book: RuleBook | None = None, format: str = "auto",
) -> SamplePage:
    """Read one page and clean it with the shipped rules (no site template)."""
    document = read_document(text, format)
    result = clean(text, url=url, lang=lang, rules=book, options=Options(use_sites=False, format=format))
    starts = {b.start: b.index for b in document.blocks}
    shipped = {starts[c.start]: c.category.value for c in result.cuts if c.start in starts}
    html = any(b.path for b in document.blocks)
    return SamplePage(doc_id, url, document.blocks, sum(len(b.text) for b in document.blocks), result.lang,
                      shipped, html, spellings(text) if html else {})


def spellings(markup: str) -> dict[str, str]:
    """Each class and id token of a page, lower-cased (as blocks carry it), to its spelling.

    >>> spellings('<div class="Weather-Box big" id="Top">')
    {'class:weather-box': 'Weather-Box', 'class:big': 'big', 'id:top': 'Top'}
    """
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(markup[:MAX_MARKUP_SCAN]):
        kind, value = match.group(1).lower(), match.group(2) or match.group(3) or ""
        names = value.split() if kind == "class" else [value.strip()]
        for name in names:
            found.setdefault(f"{kind}:{name.lower()}", name)
    return found


@dataclass(frozen=True, slots=True)
class Recurring:
    """A normalised line found on several pages, with what is known of it.

    `variants` are its texts as written, most frequent first; `position` is
    head, body or tail (by its median place in the pages); `shipped` is the
    category the shipped rules remove it for where they do ("" if nowhere),
    and `everywhere` says whether they remove every occurrence; `embedded`
    says whether it stands inside the page's own text (EMBEDDED_SHARE).
    """

    key: str
    variants: tuple[str, ...]
    pages: int
    position: str
    shipped: str
    everywhere: bool
    body_like: bool
    byline: bool
    dated: bool
    embedded: bool = False

    @property
    def exact(self) -> bool:
        """True when every occurrence folds to the same line (no digits varied)."""
        return len({fold(v) for v in self.variants}) == 1


@dataclass(frozen=True, slots=True)
class _Seen:
    page: int
    index: int  # the block's place in its page's blocks
    text: str
    position: float
    shipped: str


def min_pages_for(pages: int, min_share: float = DEFAULT_MIN_SHARE) -> int:
    """How many pages a line must be on to recur in a sample of `pages`.

    >>> min_pages_for(3), min_pages_for(5), min_pages_for(20, 0.3)
    (2, 3, 6)
    """
    return max(MIN_PAGES, math.ceil(min_share * pages))


def occurrences(pages: Sequence[SamplePage]) -> dict[str, list[_Seen]]:
    """Every normalised line with letters, and where it occurs."""
    seen: dict[str, list[_Seen]] = defaultdict(list)
    for number, page in enumerate(pages):
        before = 0
        for block in page.blocks:
            key = normalise(block.text)
            if _LETTER.search(key):
                seen[key].append(_Seen(number, block.index, block.text, before / max(page.chars, 1),
                                       page.shipped.get(block.index, "")))
            before += len(block.text)
    return seen


def occurs_once(text: str, counts: Counter[str]) -> bool:
    """Whether a line (with letters: a bare number is no text of its own) is on one page only."""
    key = normalise(text)
    return counts[key] < MIN_PAGES and _LETTER.search(key) is not None


def page_counts(pages: Sequence[SamplePage]) -> Counter[str]:
    """On how many pages each normalised line occurs."""
    return _page_counts(occurrences(pages))


def _page_counts(seen_at: Mapping[str, list[_Seen]]) -> Counter[str]:
    return Counter({key: len({s.page for s in found}) for key, found in seen_at.items()})


def recurring_lines(pages: Sequence[SamplePage], min_pages: int) -> list[Recurring]:
    """The lines on at least `min_pages` pages, or of a sub-template, most widespread first."""
    seen_at = occurrences(pages)
    counts = _page_counts(seen_at)
    inside = [embedded_blocks(page, counts) for page in pages]
    grouped = subtemplate_keys(seen_at, len(pages), min_pages)
    found = []
    for key, seen in seen_at.items():
        on = counts[key]
        if on >= max(min_pages, MIN_PAGES) or key in grouped:
            share = sum(s.index in inside[s.page] for s in seen) / len(seen)
            found.append(_recurring(key, seen, on, share >= EMBEDDED_SHARE))
    return sorted(found, key=lambda r: (-r.pages, r.key))


def subtemplate_keys(seen_at: Mapping[str, list[_Seen]], pages: int, min_pages: int) -> set[str]:
    """Lines on too few pages to recur alone that recur as a block: SUBTEMPLATE_MIN_LINES on the same pages."""
    floor = subtemplate_floor(pages)
    by_pages: dict[frozenset[int], list[str]] = defaultdict(list)
    for key, seen in seen_at.items():
        on = frozenset(s.page for s in seen)
        if floor <= len(on) < min_pages:
            by_pages[on].append(key)
    found: set[str] = set()
    for keys in by_pages.values():
        if len(keys) >= SUBTEMPLATE_MIN_LINES and not any(reads_like_body(seen_at[k][0].text) for k in keys):
            found.update(keys)
    return found


def subtemplate_floor(pages: int) -> int:
    """How many pages a sub-template's lines must be on in a sample of `pages`.

    >>> subtemplate_floor(6), subtemplate_floor(10), subtemplate_floor(26)
    (3, 3, 8)
    """
    return max(SUBTEMPLATE_MIN_PAGES, math.ceil(SUBTEMPLATE_SHARE * pages))


def reads_like_body(text: str) -> bool:
    """A long line ending a sentence: body text even where it recurs."""
    return token_count(text) >= BODY_MIN_TOKENS and ends_sentence(text)


def embedded_blocks(page: SamplePage, counts: Counter[str]) -> set[int]:
    """The recurring blocks of a page between its own text and its own text or the page's edge.

    Neighbours are the nearest blocks with letters; neither may be chrome
    (a line that recurs), and at least one must be text found on this page
    only that the shipped rules leave. Such a line they remove (a title the
    main-content rules drop) counts as the page's edge.
    """
    lines = [b for b in page.blocks if _LETTER.search(b.text)]
    kinds = [_neighbour(b, page, counts) for b in lines]
    inside = set()
    for i, block in enumerate(lines):
        before = kinds[i - 1] if i else None
        after = kinds[i + 1] if i + 1 < len(lines) else None
        if kinds[i] is False and block.index not in page.shipped and False not in (before, after) \
                and (before or after):
            inside.add(block.index)
    return inside


def _neighbour(block: Block, page: SamplePage, counts: Counter[str]) -> bool | None:
    """True for the page's own text, False for a recurring line, None for own text the shipped rules cut."""
    if counts[normalise(block.text)] >= MIN_PAGES:
        return False
    return None if block.index in page.shipped else True


def is_dated(text: str) -> bool:
    """Whether a short line gives a date or a time (pages of one day share their datelines).

    >>> is_dated("Published 3 May 2011, 10:35"), is_dated("2 captures")
    (True, False)
    """
    return token_count(text) <= DATED_MAX_TOKENS and bool(_DATE.search(text))


def position_of(share: float) -> str:
    """head, body or tail, for a place in a page (the share of its text before it)."""
    return "head" if share < HEAD_END else "tail" if share > TAIL_START else "body"


def _recurring(key: str, seen: list[_Seen], on: int, embedded: bool) -> Recurring:
    variants = tuple(text for text, _ in Counter(s.text for s in seen).most_common())
    position = position_of(statistics.median(s.position for s in seen))
    categories = Counter(s.shipped for s in seen if s.shipped)
    shipped = categories.most_common(1)[0][0] if categories else ""
    text = variants[0]
    body_like = reads_like_body(text)
    byline = token_count(text) <= BYLINE_MAX_TOKENS and bool(_BYLINE.match(text))
    everywhere = all(s.shipped for s in seen)
    return Recurring(key, variants, on, position, shipped, everywhere, body_like, byline, is_dated(text), embedded)
