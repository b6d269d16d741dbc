"""What every detector shares: the page it reads, option specs, errors."""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from ..model import Block, Rule

# A user's pattern gets this long on one block before it is given up on.
PATTERN_TIMEOUT_SECONDS = 0.25
CLOCK_EVERY = 8  # blocks a detector reads between two looks at the document's clock
# Regular expressions are matched case-insensitively unless a rule says otherwise.
DEFAULT_FLAGS = regex.IGNORECASE | regex.UNICODE


@dataclass(frozen=True, slots=True)
class Page:
    """The blocks still kept, in order, and what is known of their document.

    `native_scripts` are the scripts the document is written in (its main
    script, the scripts kindred to it, and any other script holding a large
    share of its letters). `deadline` is when the document's time budget
    runs out, on the `time.monotonic()` clock (never, by default):
    detectors read blocks through `in_time()`, which enforces it.
    `identify` names the language of a piece of text when the lexicons'
    stop words clearly say so (None otherwise, or when not given). `title`
    is a page's own title (`<title>`), "" for plain text.
    """

    blocks: tuple[Block, ...]
    lang: str | None
    native_scripts: frozenset[str]
    chars: int
    deadline: float = math.inf
    identify: Callable[[str], str | None] | None = None  # a block's language, when its stop words say so clearly
    title: str = ""


@dataclass(frozen=True, slots=True)
class Option:
    """One key a rule of some kind may have.

    `type` is one of: str, strs (a string or a list of strings), int, float,
    bool, pattern, patterns (regexes), steps (a list of mappings).
    """

    type: str
    required: bool = False
    default: Any = None
    doc: str = ""


class OptionError(ValueError):
    """A rule option is wrong; `key` names it (a dotted path below the rule)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


class RuleTimeout(RuntimeError):
    """A rule's pattern ran past its time budget on one block."""

    def __init__(self, rule: Rule) -> None:
        super().__init__(f"rule {rule.id} ({rule.source}:{rule.line}) ran out of time")
        self.rule = rule


class DocumentTimeout(RuntimeError):
    """The document's time budget ran out while a detector was reading it."""

    def __init__(self, kind: str = "") -> None:
        super().__init__(f"the time budget ran out{f' in the {kind} detector' if kind else ''}")
        self.kind = kind


def in_time(page: Page, blocks: Sequence[Block] | None = None) -> Iterator[Block]:
    """The page's blocks (or `blocks`), raising DocumentTimeout past the page's deadline.

    The clock is read before every CLOCK_EVERY blocks: often enough that a
    detector stops soon after the deadline (a user's slow pattern gives up
    on a block after PATTERN_TIMEOUT_SECONDS), rarely enough that reading
    it costs nothing next to the blocks.
    """
    items = page.blocks if blocks is None else blocks
    if page.deadline == math.inf:
        yield from items
        return
    clock, deadline = time.monotonic, page.deadline
    for start in range(0, len(items), CLOCK_EVERY):
        if clock() > deadline:
            raise DocumentTimeout()
        yield from items[start:start + CLOCK_EVERY]


def from_markup(page: Page) -> bool:
    """Whether the page's blocks come from HTML: they carry their markup context, plain text's none."""
    return any(b.context for b in page.blocks)


def check_time(page: Page) -> None:
    """Raise DocumentTimeout if the page's deadline has passed."""
    if page.deadline != math.inf and time.monotonic() > page.deadline:
        raise DocumentTimeout()


def compile_pattern(key: str, source: str, case_sensitive: bool = False) -> regex.Pattern[str]:
    """Compile one user pattern, or raise an OptionError naming the key."""
    try:
        return regex.compile(source, 0 if case_sensitive else DEFAULT_FLAGS)
    except regex.error as err:
        raise OptionError(key, f"invalid regular expression {source!r}: {err}") from None


def search(rule: Rule, pattern: regex.Pattern[str], text: str) -> bool:
    """Whether `pattern` matches `text`; a user's rule within its time budget."""
    if rule.trusted:
        return pattern.search(text) is not None
    try:
        return pattern.search(text, timeout=PATTERN_TIMEOUT_SECONDS) is not None
    except TimeoutError:
        raise RuleTimeout(rule) from None


def remember(memo: dict[Any, Any], limit: int, key: Any, verdict: Any) -> Any:
    """Store a verdict in a memo of at most `limit` entries (emptied when full, so it follows the corpus)."""
    if len(memo) >= limit:
        memo.clear()
    memo[key] = verdict
    return verdict


def as_strings(value: Any) -> tuple[str, ...]:
    """A `strs` option as a tuple, whether written as one string or a list."""
    return (value,) if isinstance(value, str) else tuple(value)


def patterns_of(options: Mapping[str, Any], key: str) -> tuple[regex.Pattern[str], ...]:
    """Compile a `patterns` option (one string or a list) into patterns."""
    case = bool(options.get("case_sensitive", False))
    return tuple(
        compile_pattern(f"{key}[{i}]" if not isinstance(options[key], str) else key, p, case)
        for i, p in enumerate(as_strings(options[key]))
    )


# A prepared matcher's key in a memo of verdicts; never reused, unlike an id() after garbage collection.
SERIALS = itertools.count()
PREFIX_CHARS = 2  # how much of a block's start the prefix index judges by (more: a bigger, colder memo)
PREFIX_MEMO_LIMIT = 100_000  # distinct block openings remembered per index
_INLINE_FLAGS = regex.compile(r"^(\(\?[a-zA-Z]+\))*")


def anchored_at_start(source: str) -> bool:
    """True when a pattern can only match at the start of the text.

    That is: it opens with `^` (after inline flags) and has no `|` outside
    brackets and groups, which would let another branch match anywhere.
    """
    rest = source[_INLINE_FLAGS.match(source).end():]  # type: ignore[union-attr]
    if not rest.startswith("^"):
        return False
    return all(char != "|" or depth > 0 for _, char, depth in _structure(rest))


def _structure(source: str) -> Iterator[tuple[int, str, int]]:
    """Position, character and group depth after it, of each character outside escapes and [classes]."""
    depth, in_class, escaped = 0, False, False
    for position, char in enumerate(source):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            depth += (char == "(") - (char == ")")
            yield position, char, depth


def opening_test(pattern: regex.Pattern[str]) -> regex.Pattern[str]:
    """The pattern without the lookaheads it opens with (`^(?=.{0,160}$)...`).

    Dropping a condition only widens what matches, so a text whose opening
    is not even a partial match for what remains cannot match the pattern;
    and what remains, unlike a lookahead over the whole line, says
    something about the opening.
    """
    source = pattern.pattern
    flags = _INLINE_FLAGS.match(source).group(0)  # type: ignore[union-attr]
    rest = source[len(flags):]
    if not rest.startswith("^(?="):
        return pattern
    rest = rest[1:]
    while rest.startswith("(?="):
        closing = next((position for position, _, depth in _structure(rest) if depth == 0), None)
        if closing is None:
            return pattern
        rest = rest[closing + 1:]
    try:
        return regex.compile(f"{flags}^{rest}", pattern.flags)
    except regex.error:
        return pattern


class PrefixIndex:
    """Which of many patterns could match a block, judged by its first characters.

    A pattern anchored at the start cannot match a text whose opening is not
    even a partial match for it (`regex`'s `partial=True`), so most patterns
    are ruled out by one memoised look-up of the block's opening. Patterns
    not anchored at the start are always candidates. An opening's
    candidates are found among those of its own first characters (what
    cannot match `a` cannot match `ab`), so a new opening tries few
    patterns.
    """

    def __init__(self, patterns: Sequence[regex.Pattern[str]]) -> None:
        self.patterns = tuple(patterns)
        self._anchored = tuple(anchored_at_start(p.pattern) for p in self.patterns)
        self._openings = tuple(opening_test(p) for p in self.patterns)
        self._memo: dict[str, tuple[int, ...]] = {}

    def candidates(self, text: str) -> tuple[int, ...]:
        """Indexes of the patterns that may match `text`, in order."""
        found = self._memo.get(text[:PREFIX_CHARS])
        return found if found is not None else self._find(text[:PREFIX_CHARS])

    def _find(self, key: str) -> tuple[int, ...]:
        pool = self._memo.get(key[:-1]) if len(key) > 1 else range(len(self.patterns))
        if pool is None:
            pool = self._find(key[:-1])
        found = tuple(
            i for i in pool
            if not self._anchored[i] or self._openings[i].match(key, partial=True) is not None
        )
        if len(self._memo) < PREFIX_MEMO_LIMIT:
            self._memo[key] = found
        return found
