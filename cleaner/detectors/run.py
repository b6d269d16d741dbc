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
from typing import Any

from ..model import Block, Mark, Rule
from ..text import ends_sentence, token_count
from .base import Option, OptionError, Page, PrefixIndex, in_time, patterns_of, search

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


def prepare(rules: Sequence[Rule]) -> Sequence[tuple[Rule, PrefixIndex]]:
    """Each rule with an index that rules most blocks out by their opening."""
    return tuple((rule, PrefixIndex(rule.options["pattern"])) for rule in rules)


def detect(prepared: Sequence[tuple[Rule, PrefixIndex]], page: Page) -> Iterator[Mark]:
    """Mark the runs of each rule, in one pass over the blocks."""
    for rule, index in prepared:
        options = rule.options
        if not options["in_pages"] and any(b.context for b in page.blocks):
            continue  # a page: its blocks carry their markup (plain text has none)
        run: list[Block] = []
        for position, block in enumerate(in_time(page)):
            text = block.text
            # Most blocks are ruled out by their length or their opening: checked here, inline.
            candidates = index.candidates(text) if len(text) <= MAX_LINE_CHARS else ()
            if candidates and _fits(rule, index, candidates, text):
                run.append(block)
                continue
            if run:
                if len(run) >= options["min_run"]:  # most runs are short: no call for them
                    after = page.blocks[position : position + HEAD_GAP + 1]
                    yield from (Mark(b.index, rule, PRIORITY, "run") for b in _taken(rule, run, after))
                run = []
        yield from (Mark(b.index, rule, PRIORITY, "run") for b in _taken(rule, run, ()))


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


def _fits(rule: Rule, index: PrefixIndex, candidates: tuple[int, ...], text: str) -> bool:
    """Whether a block that may open like a run line (its `candidates` patterns) is one."""
    options = rule.options
    if not options["sentences"] and ends_sentence(text):
        return False  # the cheap test first: most lines of prose stop here
    for i in candidates:
        if search(rule, index.patterns[i], text):
            break
    else:
        return False
    return token_count(text) <= options["max_tokens"]
