"""The data model: categories, blocks, rules, marks, removals and results.

Everything here is immutable: frozen dataclasses, an Enum, and `Block`, a
named tuple (one is built for every line of every document, and a tuple is
six times cheaper to build than a frozen dataclass). The engine builds new
objects, it never mutates them. Offsets are always character offsets into the
original input string.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Category(enum.Enum):
    """The closed set of reasons a piece of text can be removed for."""

    PHOTO_CREDIT = "photo-credit"
    CAPTION = "caption"
    SUBSCRIBE = "subscribe"
    NEWSLETTER = "newsletter"
    COMMENTS = "comments"
    SHARE = "share"
    RELATED = "related"
    READ_MORE = "read-more"
    NAVIGATION = "navigation"
    WIDGET = "widget"
    ADS = "ads"
    COOKIE = "cookie"
    LEGAL = "legal"
    PAYWALL = "paywall"
    LIVE_FEED = "live-feed"
    METADATA = "metadata"
    MIXED_SCRIPT = "mixed-script"
    FOREIGN_LANGUAGE = "foreign-language"
    WHITESPACE = "whitespace"

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Every category as written in rule files, for error messages."""
        return tuple(c.value for c in cls)


class Block(NamedTuple):
    """One unit of text the rules judge: one non-blank line of plain text, or
    one block-level element's text in a page.

    `start`/`end` delimit the block's text (without surrounding whitespace) in
    the original (for a page, its plain-text rendering); `line` is its 1-based
    line number there. The DOM fields are empty for plain text: `path` (a
    CSS-like path), `context` (tag, class, id and role tokens of the element
    and its ancestors: `tag:nav`, `class:share`), `link_density` (share of
    characters inside links), `hidden`, and `ancestors` (numbers of the
    enclosing elements in document order, outermost first).
    """

    index: int
    start: int
    end: int
    line: int
    text: str
    path: str = ""
    context: frozenset[str] = frozenset()
    link_density: float = 0.0
    hidden: bool = False
    ancestors: tuple[int, ...] = ()  # ids of the enclosing elements, outermost first (HTML only)


PAGE_REMOVED = "[x] "  # opens a line of a page example that the rule must remove


@dataclass(frozen=True, slots=True)
class Examples:
    """Lines a rule must remove and lines it must keep, with optional context.

    `context` is body text placed before each example, for rules that judge a
    line against its document (scripts, zones); `after` is body text placed
    after it, for rules that judge a line by what follows (heads); `lang` is
    the language the example documents are in. `pages` are whole documents
    for rules that judge a page (its core): each line that must go opens
    with PAGE_REMOVED, every other line must stay.
    """

    remove: tuple[str, ...]
    keep: tuple[str, ...]
    context: str = ""
    lang: str | None = None
    after: str = ""
    pages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule from a rule file, validated and ready for its detector."""

    id: str
    kind: str
    category: Category
    description: str
    source: str
    line: int
    options: Mapping[str, Any]
    examples: Examples
    trusted: bool = False  # shipped with the package and tested; user rules run under a time budget


@dataclass(frozen=True, slots=True)
class Mark:
    """A detector's claim that a block should go, and which rule says so.

    `priority` lets the engine pick one mark per block: a specific rule (a
    phrase, a card) beats a broad one (a tail zone), whatever their order.
    """

    block: int
    rule: Rule
    priority: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class Removal:
    """One edit of the original text, in original offsets.

    `text` is exactly `original[start:end]`. A content removal also takes
    the whitespace that followed it (`trailing`, usually a line break), so
    the span that went is `start` to `end + len(trailing)`, and it leaves
    nothing in its place. A layout edit (category `whitespace`, rule
    `layout.spacing`) replaces the whitespace between two kept blocks by the
    standard separator (`replacement`). Both are logged, so `restore()` can
    rebuild the original exactly.
    """

    start: int
    end: int
    line: int
    text: str
    rule: str
    category: Category
    source: str
    trailing: str = ""
    replacement: str = ""
    note: str = ""

    @property
    def stop(self) -> int:
        """Where the whole edited span ends in the original (after `trailing`)."""
        return self.end + len(self.trailing)

    @property
    def is_layout(self) -> bool:
        """True for whitespace normalisation, false for removed content."""
        return self.category is Category.WHITESPACE

    def to_json(self) -> dict[str, Any]:
        """The log record, as written to `removals.jsonl`."""
        record: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "text": self.text,
            "rule": self.rule,
            "category": self.category.value,
            "source": self.source,
        }
        if self.trailing:
            record["trailing"] = self.trailing
        if self.replacement:
            record["replacement"] = self.replacement
        if self.note:
            record["note"] = self.note
        return record

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> Removal:
        """Read back a log record written by `to_json`."""
        return cls(
            start=int(record["start"]),
            end=int(record["end"]),
            line=int(record["line"]),
            text=str(record["text"]),
            rule=str(record["rule"]),
            category=Category(record["category"]),
            source=str(record["source"]),
            trailing=str(record.get("trailing", "")),
            replacement=str(record.get("replacement", "")),
            note=str(record.get("note", "")),
        )


@dataclass(frozen=True, slots=True)
class Stats:
    """What one cleaning did, in numbers the run summary adds up."""

    blocks: int = 0
    removed_blocks: int = 0
    removed_chars: int = 0
    per_rule: Mapping[str, int] = field(default_factory=dict)
    per_category: Mapping[str, int] = field(default_factory=dict)
    guarded: tuple[str, ...] = ()
    kept_by_site: int = 0
    passes: int = 0
    lang_method: str = ""
    timeouts: tuple[str, ...] = ()  # rules whose pattern ran out of time: "id (file:line)"
    over_budget: str = ""  # why the cleaning stopped early (its time budget ran out); "" when it finished


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of `clean()`: the clean text and the log that explains it.

    `original` is the text the log's offsets point into: the input itself
    for plain text, the page's plain-text rendering for HTML. So
    `restore(r.text, r.removals) == r.original` always.
    """

    text: str
    removals: tuple[Removal, ...]
    lang: str | None
    site: str | None
    stats: Stats
    original: str = ""

    @property
    def cuts(self) -> tuple[Removal, ...]:
        """The content removals only, without layout (whitespace) edits."""
        return tuple(r for r in self.removals if not r.is_layout)
