"""From what recurs across a site's pages to a site template a person reviews.

Each recurring line becomes an entry of a rule: a `phrases` entry when it is
the same line on every page, a `regex` entry (anchored, digits as `\\d+`)
when only its digits vary; each learned class or id of HTML pages a CSS
selector of the template's `html: strip:` part. Entries are grouped into one
rule per position (head, body, tail), category and kind, each entry written
with its evidence as a YAML comment. A learned line after which every line
of its pages recurs also starts a `zone` (`cleaner.learn_zone`).

The guard, on the sample itself: an entry that would remove a line found on
one page only is dropped, and where the entries together would remove more
than MAX_PAGE_SHARE of what the shipped rules leave of a page, the entries
with the least evidence are dropped until they would not. Recurring lines that read like body text
(long, ending a sentence) become `keep` patterns instead, and so do bylines
with `keep_bylines`. The template is then loaded by the rule loader and
every rule's examples are run, as `cleaner rules check` does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import regex

from .engine import MAX_RULE_FILE_SHARE
from .examples import check_rules
from .learn_html import DomFinding, recurring_names
from .learn_text import (
    DEFAULT_MIN_SHARE,
    Recurring,
    SamplePage,
    min_pages_for,
    occurs_once,
    page_counts,
    recurring_lines,
)
from .learn_yaml import MAX_EXAMPLES, render
from .learn_zone import is_marker, zone_span
from .model import Block, Category
from .rulebook import RuleBook, SiteTemplate
from .rulefiles import RuleFileError, load_text
from .text import fold, token_count

MAX_PAGE_SHARE = MAX_RULE_FILE_SHARE  # of what the shipped rules leave of a sample page: no more goes
MAX_FINGERPRINTS = 3
DATE_SHARE = 0.3  # a line this much digits is a date, a time or a counter
KEEP_EXAMPLE_MIN_TOKENS = 8  # a keep example is a line of body text...
KEEP_EXAMPLE_MAX_CHARS = 300  # ... short enough to read in the template
POSITIONS = ("head", "body", "tail")
KINDS = ("phrases", "regex", "zone", "strip")
POSITION_CATEGORY = {"head": Category.NAVIGATION, "body": Category.WIDGET, "tail": Category.WIDGET}
KIND_WORDS = {
    "phrases": "lines",
    "regex": "lines of one shape (their digits vary)",
    "strip": "blocks under these classes or ids",
    "zone": "zones from these marker lines to the end of the page (every line after them recurs)",
}
FALLBACK_KEEP = "This sentence of the article stays where it is."  # when the sample has no line of body text
_PIECES = regex.compile(r"(\d+|\s+)")
_DIGIT = regex.compile(r"\d")


class LearnError(ValueError):
    """Nothing could be learned, or the learned template does not load (with why)."""


@dataclass(frozen=True, slots=True)
class LearnSettings:
    """How `learn` judges a sample.

    min_share: share of the sample's pages a line must be on (at least 2 pages).
    keep_bylines: recurring bylines become `keep` patterns instead of removals.
    names: learn classes and ids from HTML pages (`html: strip:` selectors).
    dates: learn recurring dates and times (datelines) as well; many golds keep them.
    """

    min_share: float = DEFAULT_MIN_SHARE
    keep_bylines: bool = False
    names: bool = True
    dates: bool = False


DEFAULT_SETTINGS = LearnSettings()


@dataclass(frozen=True, slots=True)
class Entry:
    """One learned line or name, with the evidence written beside it."""

    kind: str  # phrases | regex | zone | strip
    value: str  # the phrase, the pattern (a zone's marker) or the selector (`.class`, `#id`)
    category: Category
    position: str
    pages: int
    examples: tuple[str, ...]

    def matches(self, block: Block) -> bool:
        """Whether this entry's rule would remove the block (as its detector judges it)."""
        if self.kind == "phrases":
            return fold(block.text) == fold(self.value)
        if self.kind in ("regex", "zone"):
            return _compiled(self.value).search(block.text) is not None
        prefix = "class:" if self.value.startswith(".") else "id:"
        return prefix + self.value[1:].lower() in block.context


@dataclass(frozen=True, slots=True)
class Keep:
    """A `keep` pattern and why it is there."""

    pattern: str
    why: str


@dataclass(frozen=True, slots=True)
class LearnedRule:
    """One rule of the learned template: its entries and its examples."""

    id: str
    kind: str
    category: Category
    description: str
    entries: tuple[Entry, ...]
    keep_example: str


@dataclass(frozen=True, slots=True)
class Learned:
    """A learned template: its YAML and the figures of how it was learned."""

    name: str
    pages: int
    min_pages: int
    yaml: str
    rules: tuple[LearnedRule, ...]
    keep: tuple[Keep, ...]
    found: int  # recurring lines and names
    already_removed: int  # recurring lines the shipped rules remove on every page
    dropped: tuple[str, ...] = field(default=())  # entries the guard or the examples dropped, with why

    @property
    def entries(self) -> int:
        return sum(len(r.entries) for r in self.rules)


def _compiled(pattern: str) -> regex.Pattern[str]:
    return _PATTERNS.setdefault(pattern, regex.compile(pattern, regex.IGNORECASE))


_PATTERNS: dict[str, regex.Pattern[str]] = {}


def line_pattern(text: str, digits: bool = True) -> str:
    """An anchored pattern of one line: digit runs as `\\d+` (when `digits`), spaces as `\\s+`.

    >>> line_pattern("12 comments (new)")
    '^\\\\d+\\\\s+comments\\\\s+\\\\(new\\\\)$'
    """
    parts = []
    for piece in _PIECES.split(text):
        if piece.isspace():
            parts.append(r"\s+")
        elif digits and piece.isdigit():
            parts.append(r"\d+")
        elif piece:
            parts.append(regex.escape(piece))
    return "^" + "".join(parts) + "$"


def guess_category(found: Recurring) -> Category:
    """What a recurring line is: a byline, what the shipped rules call it, a date, or by its place."""
    if found.byline:
        return Category.METADATA
    if found.shipped:
        return Category(found.shipped)
    text = found.variants[0]
    if len(_DIGIT.findall(text)) >= DATE_SHARE * len(text.replace(" ", "")):
        return Category.METADATA
    return POSITION_CATEGORY[found.position]


def line_entry(found: Recurring) -> Entry:
    """The entry of a recurring line: a phrase when it is one line, else its shape."""
    examples = found.variants[:MAX_EXAMPLES]
    if found.exact:
        return Entry("phrases", found.variants[0], guess_category(found), found.position, found.pages, examples)
    pattern = line_pattern(found.variants[0])
    matched = tuple(v for v in found.variants if _compiled(pattern).search(v))[:MAX_EXAMPLES]
    return Entry("regex", pattern, guess_category(found), found.position, found.pages, matched or examples)


def name_entry(found: DomFinding) -> Entry:
    """The entry of a learned class or id: its selector."""
    category = Category(found.shipped) if found.shipped else POSITION_CATEGORY[found.position]
    return Entry("strip", found.selector, category, found.position, found.pages, found.examples)


def split_findings(lines: Iterable[Recurring], settings: LearnSettings) -> tuple[list[Entry], list[Keep], int]:
    """Removal entries, keep patterns, and how many lines the shipped rules already remove."""
    entries: list[Entry] = []
    keeps: list[Keep] = []
    already = 0
    for found in lines:
        if found.byline and settings.keep_bylines:
            keeps.append(Keep(line_pattern(found.variants[0]), f"byline on {found.pages} pages"))
        elif found.body_like:
            if not found.shipped:
                keeps.append(Keep(line_pattern(found.variants[0]), f"body text on {found.pages} pages"))
        elif found.everywhere:
            already += 1
        elif found.dated and not settings.dates:
            continue
        elif found.embedded and not found.shipped:
            continue  # a heading, author line or sign-off of the article (EMBEDDED_SHARE)
        else:
            entries.append(line_entry(found))
    return entries, keeps, already


def zone_entries(entries: Sequence[Entry], removed: Sequence[Entry], pages: Sequence[SamplePage],
                 counts: Counter[str], min_pages: int) -> list[Entry]:
    """The line entries (and lines the shipped rules remove) that also mark a zone, as zone entries."""
    lines = [e for e in entries if e.kind in ("phrases", "regex")]
    zones = []
    for entry in [*entries, *removed]:
        if entry.kind not in ("phrases", "regex"):
            continue
        pattern = entry.value if entry.kind == "regex" else line_pattern(entry.examples[0], digits=False)
        marker = replace(entry, kind="zone", value=pattern, position="tail")
        on = is_marker(marker.matches, pages, counts, min_pages, lambda b: any(e.matches(b) for e in lines))
        if on:
            spans = [zone_span(marker.matches, p) for p in pages]
            example = min((s for s in spans if len(s) > 1), key=lambda s: len(s[0].text) + len(s[1].text))
            zones.append(replace(marker, pages=on, examples=(f"{example[0].text}\n{example[1].text}",)))
    return _first_markers(zones, pages)


def _first_markers(zones: list[Entry], pages: Sequence[SamplePage]) -> list[Entry]:
    """The markers that open a zone on some page: a line inside another marker's zone adds nothing."""
    first = set()
    for page in pages:
        starts = [(len(page.blocks) - len(span), zone) for zone in zones if (span := zone_span(zone.matches, page))]
        if starts:
            first.add(min(starts, key=lambda s: s[0])[1].value)
    return [zone for zone in zones if zone.value in first]


def _hits(entry: Entry, pages: Sequence[SamplePage]) -> list[tuple[int, Block]]:
    if entry.kind == "zone":
        return [(p, b) for p, page in enumerate(pages) for b in zone_span(entry.matches, page)]
    return [(p, b) for p, page in enumerate(pages) for b in page.blocks if entry.matches(b)]


def guard(entries: Sequence[Entry], pages: Sequence[SamplePage], counts: Counter[str]) -> tuple[list[Entry], list[str]]:
    """The entries that remove no line found on one page and, together, not most of any page."""
    hits = {e: _hits(e, pages) for e in entries}
    kept, dropped = [], []
    for entry in entries:
        # Inside a zone, a line a shipped rule removes is claimed by that stronger rule, not the zone.
        lonely = next((b.text for p, b in hits[entry] if occurs_once(b.text, counts)
                       and not (entry.kind == "zone" and b.index in pages[p].shipped)), None)
        if lonely is None:
            kept.append(entry)
        else:
            dropped.append(f"{entry.kind} {entry.value!r}: would remove {lonely[:80]!r}, found on one page only")
    for number, page in enumerate(pages):
        _thin(kept, dropped, number, page, hits)
    return kept, dropped


def _thin(kept: list[Entry], dropped: list[str], number: int, page: SamplePage,
          hits: dict[Entry, list[tuple[int, Block]]]) -> None:
    """Drop the entries with the least evidence until they remove at most MAX_PAGE_SHARE of the page.

    The page is what the shipped rules leave of it: on a page whose article
    they missed, a recurring notice can be most of what remains. (A margin
    on the whole page, under the engine's guard, was tried and measured: it
    dropped useful entries and lowered F1 on the dev set's whole pages.)
    """
    left = sum(len(b.text) for b in page.blocks if b.index not in page.shipped)
    while True:
        own = {e: [b for p, b in hits[e] if p == number and b.index not in page.shipped] for e in kept}
        if _chars(own) <= MAX_PAGE_SHARE * left:
            return
        weakest = min((e for e in kept if own[e]), key=lambda e: (e.pages, -sum(len(b.text) for b in own[e])))
        kept.remove(weakest)
        dropped.append(f"{weakest.kind} {weakest.value!r}: with the others it would remove most of {page.doc_id}")


def _chars(claims: dict[Entry, list[Block]]) -> int:
    """Characters of the blocks claimed, each block counted once."""
    return sum({b.index: len(b.text) for blocks in claims.values() for b in blocks}.values())


def keep_example(pages: Sequence[SamplePage], counts: Counter[str], entries: Sequence[Entry]) -> str:
    """A line of body text from the sample (on one page only) that no entry removes."""
    best = ""
    for page in pages:
        for block in page.blocks:
            text = block.text
            if (len(text) <= KEEP_EXAMPLE_MAX_CHARS and token_count(text) >= KEEP_EXAMPLE_MIN_TOKENS
                    and token_count(text) > token_count(best) and occurs_once(text, counts)
                    and not any(e.matches(block) for e in entries)):
                best = text
    return best or FALLBACK_KEEP


def assemble(entries: Sequence[Entry], total: int, keep_line: str) -> list[LearnedRule]:
    """One rule per kind, position and category, in a stable order."""
    groups: dict[tuple[str, str, Category], list[Entry]] = {}
    for entry in entries:
        position = "page" if entry.kind == "strip" else entry.position
        groups.setdefault((entry.kind, position, entry.category), []).append(entry)
    order = sorted(groups, key=lambda k: (KINDS.index(k[0]), (*POSITIONS, "page").index(k[1]), k[2].value))
    return [_rule(kind, position, category, groups[(kind, position, category)], total, keep_line)
            for kind, position, category in order]


def _rule(kind: str, position: str, category: Category, entries: list[Entry], total: int,
          keep_line: str) -> LearnedRule:
    suffix = {"phrases": "", "regex": "-shapes", "zone": "-zone", "strip": "-boxes"}[kind]
    rule_id = f"{position}-{category.value}{suffix}"
    low, high = min(e.pages for e in entries), max(e.pages for e in entries)
    on = f"{low}" if low == high else f"{low} to {high}"
    where = "" if kind == "strip" else f", in their {position}"
    description = f"learned: {KIND_WORDS[kind]} recurring on {on} of {total} sample pages{where}"
    return LearnedRule(rule_id, kind, category, description, tuple(entries), keep_line)


def site_domains(pages: Sequence[SamplePage]) -> list[str]:
    """The hosts of the sample's URLs (without www. and m.), each with its subdomains."""
    hosts = sorted({bare_host(p.url) for p in pages if p.url} - {""})
    return [d for host in hosts for d in (host, f"*.{host}")]


def bare_host(url: str | None) -> str:
    """A URL's host name, lower-cased, without a leading `www.` or `m.`.

    >>> bare_host("https://www.Example.com/a"), bare_host("m.example.org"), bare_host(None)
    ('example.com', 'example.org', '')
    """
    if not url:
        return ""
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower().rstrip(".")
    for prefix in ("www.", "m."):
        if host.startswith(prefix):
            return host[len(prefix):]
    return host


def fingerprints(entries: Sequence[Entry]) -> list[str]:
    """Patterns of the most widespread learned lines: how a text without URL is recognised."""
    lines = sorted((e for e in entries if e.kind != "strip"), key=lambda e: -e.pages)[:MAX_FINGERPRINTS]
    return [line_pattern(e.value) if e.kind == "phrases" else e.value for e in lines]


def learn(pages: Sequence[SamplePage], name: str, settings: LearnSettings = DEFAULT_SETTINGS) -> Learned:
    """Learn a site template from a sample of the site's pages; raises LearnError when nothing recurs."""
    if len(pages) < 2:
        raise LearnError(f"a template is learned from at least 2 pages, not {len(pages)}")
    least = min_pages_for(len(pages), settings.min_share)
    counts = page_counts(pages)
    lines = recurring_lines(pages, least)
    entries, keeps, already = split_findings(lines, settings)
    names = recurring_names(pages, least, counts, settings.dates) if settings.names else []
    entries += [name_entry(f) for f in names]
    removed = [line_entry(f) for f in lines if f.everywhere and not f.body_like]  # may still open a zone
    entries += zone_entries(entries, removed, pages, counts, least)
    entries, dropped = guard(entries, pages, counts)
    if not entries and not keeps:
        raise LearnError(f"nothing recurs on {least} or more of the {len(pages)} pages that the shipped rules "
                         f"do not already remove ({len(lines)} recurring lines, {already} already removed)")
    rules = assemble(entries, len(pages), keep_example(pages, counts, entries))
    learned = Learned(name, len(pages), least, "", tuple(rules), tuple(keeps), len(lines) + len(names), already,
                      tuple(dropped))
    return _checked(learned, site_domains(pages), fingerprints(entries))


def _checked(learned: Learned, domains: list[str], prints: list[str]) -> Learned:
    """Render, load and run every rule's examples; a rule whose examples fail is dropped."""
    text = render(learned, domains, prints)
    loaded, problems = load_text(text, f"{learned.name}.yaml")
    if problems or loaded.site is None:
        raise LearnError("the learned template does not load: " + "; ".join(str(p) for p in problems))
    failing = {f.rule.id.split(".", 1)[1]: str(f) for f in check_rules(loaded.site.rules)}
    if not failing:
        return replace(learned, yaml=text)
    rules = tuple(r for r in learned.rules if r.id not in failing)
    dropped = learned.dropped + tuple(f"rule {rid}: its examples fail ({why})" for rid, why in failing.items())
    return _checked(replace(learned, rules=rules, dropped=dropped), domains, prints)


def with_template(book: RuleBook, text: str, name: str = "learned.yaml") -> tuple[RuleBook, SiteTemplate]:
    """`book` plus one template given as YAML text (it replaces a site of the same name)."""
    loaded, problems = load_text(text, name)
    if problems or loaded.site is None:
        raise RuleFileError(problems)
    sites = tuple(s for s in book.sites if s.name != loaded.site.name) + (loaded.site,)
    return RuleBook(book.generic, book.lexicons, sites, book.files + (name,)), loaded.site
