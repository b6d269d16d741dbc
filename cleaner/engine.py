"""The engine: a string in, a `Result` out; no files, clocks or globals.

1. Split the text into blocks (one per non-blank line).
2. Find the site (URL host, else fingerprints) and the language (given, or
   detected once per pass on a bounded sample).
3. Run every detector of the rule set; each yields marks.
4. Decide: one mark per block (higher priority wins, then rule order: site,
   language, generic); site `keep` patterns veto; a guard drops every mark
   of a rule file that would remove most of the document.
5. Repeat on the kept blocks until nothing more goes (removing a card can
   make the lines around it neighbours), so that cleaning a clean text
   changes nothing.
6. Assemble the clean text and the log.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlsplit

from . import language
from .detectors import DocumentTimeout, Page, RuleTimeout
from .detectors import zone as zone_detector
from .document import Document, from_text
from .html import from_html, looks_like_html, with_selection
from .layout import assemble
from .model import Block, Mark, Result, Stats
from .rulebook import RuleBook, RuleSet, SiteTemplate, identify_site, rule_set
from .rulefiles import default_rule_book
from .scripts import KINDRED, LANGUAGE_SCRIPTS
from .text import ends_sentence, token_count

MAX_RULE_FILE_SHARE = 0.5  # beyond this share of a document's text, a rule file is eating the body
UNGUARDED_KINDS = frozenset({"main", "body", "core"})  # page-level detectors the guard does not judge
ZONE_KIND = zone_detector.KIND  # the guard weighs a zone by the prose it takes: its list of headlines is what it is for
PROSE_TOKENS = 8  # a block that ends a sentence and holds this many tokens is prose (CJK: characters)
MAX_PASSES = 4  # removal converges in two passes on real text; this bounds the odd case
NATIVE_SCRIPT_SHARE = 0.2  # a script with this share of a document's letters is not foreign to it
# Seconds one document may take. A 50 MB text cleans in well under a minute on one core; beyond
# this a page is pathological (or a user's patterns are slow on it), and a corpus run moves on.
TIME_BUDGET_SECONDS = 60.0
OVER_BUDGET = "time budget of {budget:g} s ran out in pass {number}; kept the removals of {done} finished pass(es)"


@dataclass(frozen=True, slots=True)
class Options:
    """Settings of a cleaning, all optional.

    site: use this site template (by name) whatever the URL says.
    use_sites: false to apply generic and language rules only (default true).
    max_rule_file_share: the guard; a rule file whose marks would remove more
        than this share of a document's characters removes nothing
        (default MAX_RULE_FILE_SHARE).
    max_passes: passes over the kept blocks (default MAX_PASSES).
    format: "text", "html", or "auto" (default): HTML when the input opens
        like a page or is mostly markup (see `cleaner.html.looks_like_html`).
    time_budget: seconds one document may take (default
        TIME_BUDGET_SECONDS; None for no limit). It is checked before every
        block a detector reads. When it runs out, the cleaning stops and
        the result keeps the removals of the passes that finished (none if
        the first did not: the document comes back whole, its layout
        normalised); `result.stats.over_budget` says so. Nothing is lost and
        nothing raises, so a corpus run goes on. Reading the document into
        blocks is linear in its size and is not cut short. This is the one
        place `clean()` reads a clock: within its budget, the result never
        depends on it.
    """

    site: str | None = None
    use_sites: bool = True
    max_rule_file_share: float = MAX_RULE_FILE_SHARE
    max_passes: int = MAX_PASSES
    format: str = "auto"
    time_budget: float | None = TIME_BUDGET_SECONDS

    def __post_init__(self) -> None:
        if self.time_budget is not None and not self.time_budget > 0:
            raise ValueError(f"time_budget must be a positive number of seconds or None, not {self.time_budget!r}")


FORMATS = ("auto", "text", "html")
DEFAULT_OPTIONS = Options()


def clean(
    text: str,
    url: str | None = None,
    lang: str | None = None,
    *,
    rules: RuleBook | None = None,
    options: Options = DEFAULT_OPTIONS,
) -> Result:
    """Clean one scraped text: the article body plus the log of what went.

    `url` identifies the site template; `lang` skips language detection.
    """
    if not isinstance(text, str):
        raise TypeError(f"clean() takes the text as a str, not {type(text).__name__}")
    book = rules if rules is not None else default_rule_book()
    budget = options.time_budget
    deadline = time.monotonic() + budget if budget is not None else math.inf
    document = read_document(text, options.format)
    host = _host(url or document.url)  # a page without a given URL names itself (canonical, og:url)
    site = _site(book, host, document.blocks, options)
    document = with_selection(document, site.selection if site else None)  # the site's html: selectors
    tally = _Tally(deadline)
    chosen, first_guess = _converge(book, document, host, site, lang, options, tally)
    clean_text, removals = assemble(document.text, document.blocks, chosen)
    stats = tally.stats(document.blocks, chosen, first_guess.method)
    return Result(clean_text, removals, first_guess.lang, site.name if site else None, stats, document.text)


def read_document(text: str, format: str = "auto") -> Document:
    """Blocks of a plain text or of a page (its plain-text rendering)."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r} (expected one of: {', '.join(FORMATS)})")
    if format == "html" or (format == "auto" and looks_like_html(text)):
        return from_html(text)
    return from_text(text)


def _converge(
    book: RuleBook,
    document: Document,
    host: str | None,
    site: SiteTemplate | None,
    lang: str | None,
    options: Options,
    tally: _Tally,
) -> tuple[dict[int, Mark], language.Guess]:
    """Mark blocks pass after pass until a pass removes nothing.

    Returns the chosen marks and the language guess of the first pass (the
    document's language as it came in).
    """
    kept = document.blocks
    chosen: dict[int, Mark] = {}
    reusable: dict[tuple[object, ...], list[Mark]] = {}
    previous_sample: str | None = None
    guess, native, first_guess = language.Guess(lang, "given"), frozenset[str](), None
    for number in range(max(options.max_passes, 1)):
        text_sample = language.sample(kept)
        if text_sample != previous_sample:  # removals rarely touch the longest blocks
            guess = language.Guess(lang, "given") if lang else language.detect_sample(text_sample, book.lexicons)
            native = _native_scripts(text_sample, guess.lang)
            previous_sample = text_sample
        first_guess = first_guess or guess
        page_site = site if number == 0 or options.site or (host and site) else _site(book, host, kept, options)
        page = Page(kept, guess.lang, native, sum(len(b.text) for b in kept), tally.deadline,
                    partial(language.identify_text, lexicons=book.lexicons), document.title)
        try:
            marks = decide(rule_set(book, guess.lang, page_site), page, options, tally, reusable)
        except DocumentTimeout:
            tally.over_budget = OVER_BUDGET.format(budget=options.time_budget, number=number + 1, done=number)
            break
        tally.passes = number + 1
        if not marks:
            break
        chosen.update(marks)
        kept = tuple(b for b in kept if b.index not in marks)
    return chosen, first_guess or guess


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    return host.lower() if host else None


def _site(book: RuleBook, host: str | None, blocks: Sequence[Block], options: Options) -> SiteTemplate | None:
    if options.site:
        return book.site(options.site)
    if not options.use_sites:
        return None
    return identify_site(book, host, blocks)


def native_scripts(blocks: Sequence[Block], lang: str | None) -> frozenset[str]:
    """The scripts a document is written in: main, kindred, its language's, and large shares.

    Judged on the same bounded sample of long blocks as the language.
    """
    return _native_scripts(language.sample(blocks), lang)


def _native_scripts(text_sample: str, lang: str | None) -> frozenset[str]:
    counts = language.sample_script_counts(text_sample)
    letters = sum(counts.values())
    if not letters:
        return frozenset()
    main = max(counts, key=lambda name: (counts[name], name))
    native = set(KINDRED.get(main, {main})) | set(LANGUAGE_SCRIPTS.get(lang or "", ()))
    native.update(name for name, n in counts.items() if n >= NATIVE_SCRIPT_SHARE * letters)
    return frozenset(native)


class _Tally:
    """Counters gathered over the passes of one cleaning."""

    def __init__(self, deadline: float = math.inf) -> None:
        self.deadline = deadline  # on the time.monotonic() clock
        self.over_budget = ""
        self.guarded: list[str] = []
        self.kept_by_site: set[int] = set()  # block indexes: a pass after a removal protects them again
        self.timeouts: list[str] = []
        self.passes = 0

    def stats(self, blocks: Sequence[Block], chosen: Mapping[int, Mark], lang_method: str) -> Stats:
        removed = [b for b in blocks if b.index in chosen]
        return Stats(
            blocks=len(blocks),
            removed_blocks=len(removed),
            removed_chars=sum(len(b.text) for b in removed),
            per_rule=dict(Counter(m.rule.id for m in chosen.values())),
            per_category=dict(Counter(m.rule.category.value for m in chosen.values())),
            guarded=tuple(dict.fromkeys(self.guarded)),  # once per file, however many passes it fired in
            kept_by_site=len(self.kept_by_site),
            passes=self.passes,
            lang_method=lang_method,
            timeouts=tuple(dict.fromkeys(self.timeouts)),
            over_budget=self.over_budget,
        )


def decide(
    rules: RuleSet, page: Page, options: Options, tally: _Tally, reusable: dict[tuple[object, ...], list[Mark]]
) -> dict[int, Mark]:
    """One mark per block, after priorities, site `keep` and the guard.

    `reusable` carries the marks of detectors that judge each block alone
    from one pass to the next: with the same rule set and scripts they would
    find the same marks again, so only the kept blocks' marks are taken.
    """
    rank = {rule.id: i for i, rule in enumerate(rules.rules)}
    claims: dict[int, list[Mark]] = {}
    for mark in _all_marks(rules, page, tally, reusable):
        claims.setdefault(mark.block, []).append(mark)
    if rules.site is not None and rules.site.keep:
        texts = {b.index: b.text for b in page.blocks}
        protected = [i for i in claims if rules.site.keeps(texts[i])]
        tally.kept_by_site.update(protected)
        for i in protected:
            del claims[i]
    for marks in claims.values():  # strongest first: higher priority, then earlier rule
        marks.sort(key=lambda m: (-m.priority, rank[m.rule.id]))
    return _guard(claims, page, options, tally)


def _all_marks(
    rules: RuleSet, page: Page, tally: _Tally, reusable: dict[tuple[object, ...], list[Mark]]
) -> Iterator[Mark]:
    kept = {b.index for b in page.blocks}
    for module, prepared in rules.prepared:
        key = (module.KIND, id(rules), page.lang, page.native_scripts)
        if not module.CONTEXTUAL and key in reusable:
            yield from (m for m in reusable[key] if m.block in kept)
            continue
        skipped: set[str] = set()
        while True:
            try:
                marks = list(module.detect(prepared, page))
                if not module.CONTEXTUAL:
                    reusable[key] = marks
                yield from marks
                break
            except RuleTimeout as timeout:
                skipped.add(timeout.rule.id)
                tally.timeouts.append(f"{timeout.rule.id} ({timeout.rule.source}:{timeout.rule.line})")
                remaining = [r for r in rules.rules if r.kind == module.KIND and r.id not in skipped]
                prepared = module.prepare(remaining)


def _guard(claims: dict[int, list[Mark]], page: Page, options: Options, tally: _Tally) -> dict[int, Mark]:
    """One mark per block, after dropping every rule file that would remove most of the page.

    A block claimed by a dropped file keeps its next claim, if any. A zone's
    blocks count only when they are prose (see `_guard_weight`). Marks of
    page-level detectors (main content) are exempt: on a page, most of the
    text is rightly outside the article, and that detector keeps the
    heaviest container of text by construction.
    """
    blocks = {b.index: b for b in page.blocks}
    per_file: Counter[str] = Counter()
    for index, marks in claims.items():
        if marks[0].rule.kind not in UNGUARDED_KINDS:
            per_file[marks[0].rule.source] += _guard_weight(blocks[index], marks[0].rule.kind)
    limit = options.max_rule_file_share * page.chars
    eating = {source for source, chars in per_file.items() if chars > limit}
    if eating:
        tally.guarded.extend(sorted(eating))
    chosen: dict[int, Mark] = {}
    for index, marks in claims.items():
        kept = [m for m in marks if m.rule.source not in eating or m.rule.kind in UNGUARDED_KINDS]
        if kept:
            chosen[index] = kept[0]
    return chosen


def _guard_weight(block: Block, kind: str) -> int:
    """What removing a block counts towards the guard: its characters; for a zone, only if it is prose.

    A zone opens at a marker (`Related articles`): the headlines it then
    takes are what the marker announces, however many; a zone that runs
    into sentences is eating the article.
    """
    if kind != ZONE_KIND:
        return len(block.text)
    return len(block.text) if ends_sentence(block.text) and token_count(block.text) >= PROSE_TOKENS else 0


__all__ = ["DEFAULT_OPTIONS", "TIME_BUDGET_SECONDS", "Options", "clean", "decide", "native_scripts"]
