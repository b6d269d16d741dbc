"""Runs: consecutive lines of one stamped shape (a news ticker, an archive list).

What it removes
    Every block of a run of at least `min_run` consecutive blocks that each
    match one of the rule's `pattern`s, have at most `max_tokens` tokens and
    (unless `sentences` is true) do not end a sentence: a feed of
    `14:37 <headline>` lines, a blog's archive of `July 2004` links. One such
    line alone stays, since an article may open a paragraph the same way.
    With `members`, the run must also hold `min_members` lines that match
    one of them: short capitalised lines among which three name a news
    section (`World`, `Business`, `Sports`) make a menu, whatever its
    other entries say; when a paragraph follows, the lines after the last
    member stay (the article's headline under the menu).

Options
    pattern: regex(es) a line of the run matches (a `search`: anchor with
    `^`). min_run: fewest consecutive lines (default 3). max_tokens: longest
    line, in tokens (default 30; each CJK or Thai character is a token).
    sentences: also take lines that end with terminal punctuation (default
    false). case_sensitive: match case exactly (default false). in_pages:
    also judge the blocks of an HTML page (default true; false leaves a
    page's lists to the DOM and main-content rules, which see its markup).
    members: regex(es) of known entries (a `search`). min_members: lines
    of the run that must match `members` (default 1).

Example
    pattern: '^\\d{1,2}:\\d{2}\\s+\\p{L}' with min_run 2 removes
    `10:37 Κύπρος: Σφίγγει ο κλοιός` and `9:32 Σε δημοπρασία ποίημα`
    when they stand one after the other.

Keeps
    A lone matching line, runs shorter than `min_run`, long lines and (by
    default) sentences, which break a run.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import Block, Mark, Rule
from ..text import ends_sentence, token_count
from . import literals
from .base import SERIALS, Option, OptionError, Page, PrefixIndex, from_markup, in_time, patterns_of, remember, search
from .literals import fold_for_needles

KIND = "run"
PRIORITY = 1  # weak, like tails and zones: a more specific rule that claims a block names it
CONTEXTUAL = True  # judges a block by its neighbours
OPTIONS = {
    "pattern": Option("patterns", required=True, doc="regex(es) each line of the run matches"),
    "min_run": Option("int", default=3, doc="fewest consecutive matching lines"),
    "max_tokens": Option("int", default=30, doc="longest line of a run, in tokens"),
    "sentences": Option("bool", default=False, doc="also take lines that end a sentence"),
    "case_sensitive": Option("bool", default=False, doc="match case exactly"),
    "in_pages": Option("bool", default=True, doc="also judge the blocks of an HTML page"),
    "members": Option("patterns", doc="regex(es) that `min_members` lines of a run must match (known names)"),
    "min_members": Option("int", default=1, doc="lines of a run that must match `members`, when given"),
}
MAX_LINE_CHARS = 400  # no run line is longer; spares the token count of body paragraphs
PARAGRAPH_TOKENS = 10  # a sentence this long after a menu is the article's, and the line over it its headline
HEAD_GAP = 1  # blocks that may stand between a menu and that paragraph (a dateline)


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Compile the patterns and check the numbers."""
    for key in ("min_run", "max_tokens", "min_members"):
        if int(options[key]) < 1:
            raise OptionError(key, "expected a whole number of at least 1")
    members = patterns_of(options, "members") if options.get("members") else ()
    return {**options, "pattern": patterns_of(options, "pattern"), "members": members}


@dataclass(frozen=True, slots=True)
class Prepared:
    """Every run rule's patterns in one index, and what each pattern's rule asks of a line.

    A block is judged once for all rules: its opening rules most patterns
    out, and the rules it fits are remembered by its text (`_FITS`), so a
    second pass over a document, or a line that recurs across documents,
    costs one look-up.
    """

    rules: tuple[Rule, ...]
    index: PrefixIndex  # the patterns of every rule, in rule order
    owners: tuple[int, ...]  # position in `rules` of each pattern's rule
    needles: tuple[tuple[str, ...], ...]  # per pattern, words one of which a line needs (see `literals`)
    uncased: frozenset[int]  # patterns whose needles are ASCII without letters (`(`): no folding needed
    serial: int = field(default_factory=lambda: next(SERIALS))  # its key in the memo


# Lines judged, for every prepared rule set of the process together (a bound on memory).
FITS_MEMO_LIMIT = 100_000
_FITS: dict[tuple[int, str], tuple[int, ...]] = {}  # (serial, block text) -> positions of the rules it fits


def prepare(rules: Sequence[Rule]) -> Prepared:
    """One prefix index over the patterns of every rule."""
    patterns = [p for rule in rules for p in rule.options["pattern"]]
    owners = tuple(position for position, rule in enumerate(rules) for _ in rule.options["pattern"])
    needles = tuple(literals.pattern_needles(p) for p in patterns)
    uncased = frozenset(i for i, found in enumerate(needles) if found and all(
        n.isascii() and not any(c.isalpha() for c in n) for n in found))
    return Prepared(tuple(rules), PrefixIndex(patterns), owners, needles, uncased)


def detect(prepared: Prepared, page: Page) -> Iterator[Mark]:
    """Mark the runs of each rule, judging each block once for all rules."""
    rules = prepared.rules
    skipped = _skipped(rules, page)
    fitting: list[list[int]] = [[] for _ in rules]  # per rule, the positions of the blocks that fit it
    serial = prepared.serial
    for position, block in enumerate(in_time(page)):
        text = block.text
        if len(text) > MAX_LINE_CHARS:
            continue  # no run line is that long: spares the look-up and the token count
        fits = _FITS.get((serial, text))
        if fits is None:
            fits = remember(_FITS, FITS_MEMO_LIMIT, (serial, text), _fits(prepared, text))
        for rule_position in fits:
            fitting[rule_position].append(position)
    for rule, positions in zip(rules, fitting, strict=True):
        if rule.id not in skipped:
            for run in _runs(positions, rule.options["min_run"]):
                after = page.blocks[run[-1] + 1 : run[-1] + HEAD_GAP + 2]
                taken = _taken(rule, [page.blocks[p] for p in run], after)
                yield from (Mark(b.index, rule, PRIORITY, "run") for b in taken)


def _skipped(rules: Sequence[Rule], page: Page) -> set[str]:
    """The rules that leave this page alone: `in_pages: false` on a page (its blocks carry markup)."""
    not_in_pages = {rule.id for rule in rules if not rule.options["in_pages"]}
    if not_in_pages and from_markup(page):
        return not_in_pages
    return set()


def _runs(positions: Sequence[int], min_run: int) -> Iterator[Sequence[int]]:
    """The stretches of consecutive positions at least `min_run` long (most are shorter: no list for them)."""
    first = 0
    for i in range(1, len(positions) + 1):
        if i == len(positions) or positions[i] != positions[i - 1] + 1:
            if i - first >= min_run:
                yield positions[first:i]
            first = i


def _fits(prepared: Prepared, text: str) -> tuple[int, ...]:
    """The positions of the rules a line of at most MAX_LINE_CHARS characters may stand in a run of.

    A rule's line matches one of its patterns, has at most `max_tokens`
    tokens and, unless the rule takes `sentences`, ends no sentence.
    """
    found: list[int] = []
    sentence: bool | None = None
    folded = ""
    for i in prepared.index.candidates(text):
        owner = prepared.owners[i]
        if found and found[-1] == owner:
            continue  # another pattern of a rule the line fits already
        rule = prepared.rules[owner]
        options = rule.options
        if not options["sentences"]:
            if sentence is None:
                sentence = ends_sentence(text)  # the cheap test first: most lines of prose stop here
            if sentence:
                continue
        needles = prepared.needles[i]
        if needles:
            if i in prepared.uncased:  # no letter in them: the line as it is holds them or not
                if not any(needle in text for needle in needles):
                    continue
            else:
                folded = folded or fold_for_needles(text)
                if not any(needle in folded for needle in needles):
                    continue
        if search(rule, prepared.index.patterns[i], text) and token_count(text) <= options["max_tokens"]:
            found.append(owner)
    return tuple(found)


def _taken(rule: Rule, run: Sequence[Block], after: Sequence[Block]) -> Sequence[Block]:
    """What goes of a run (`after`: the blocks that follow it): all of it, if it is long enough.

    With `members`, it needs `min_members` lines that match them; when a
    paragraph follows (at most HEAD_GAP blocks after it), the lines after
    its last member stay: the article's headline under the menu has a menu
    entry's shape.
    """
    options = rule.options
    if len(run) < options["min_run"]:
        return ()
    members = options["members"]
    if not members:
        return run
    found = [any(search(rule, p, b.text) for p in members) for b in run]
    if sum(found) < options["min_members"]:
        return ()
    if not any(token_count(b.text) >= PARAGRAPH_TOKENS and ends_sentence(b.text) for b in after):
        return run
    last = max(i for i, member in enumerate(found) if member)
    return run[: last + 1]  # what stands between the menu's last entry and a paragraph is the article's head
