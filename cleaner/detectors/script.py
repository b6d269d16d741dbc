"""Mixed-script lines: short UI lines in a script foreign to the document.

What it removes
    A block whose letters are nearly all (`min_share`) in scripts that are
    not native to the document, such as the Russian header
    `Заголовок открываемого материала` that a CMS leaks into its French
    edition. Native scripts are the document's main script, the scripts
    written with it (Han with kana in Japanese), the scripts of its language
    (Serbian: Cyrillic and Latin) and any script holding a large share of
    its letters.

Options
    min_share: share of the block's letters that must be foreign (default
    0.8). max_tokens: longest block judged, in tokens (default 16).
    keep_sentences: keep a block of more than `sentence_tokens` tokens that
    ends like a sentence or a quotation (default true). sentence_tokens:
    default 3.

Example
    In a French document, `Заголовок открываемого материала` goes.

Keeps
    A quotation in another script inside a body paragraph (its letters are
    mostly native), a quoted sentence on its own line, and names.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..model import Mark, Rule
from ..scripts import script_counts, script_of
from ..text import ends_sentence, token_count
from .base import Option, OptionError, Page, in_time

KIND = "script"
PRIORITY = 2
CONTEXTUAL = False  # judges each block alone
OPTIONS = {
    "min_share": Option("float", default=0.8, doc="share of letters that must be foreign"),
    "max_tokens": Option("int", default=16, doc="longest block judged, in tokens"),
    "keep_sentences": Option("bool", default=True, doc="keep sentence-like blocks"),
    "sentence_tokens": Option("int", default=3, doc="tokens above which a sentence is kept"),
}
MIN_LETTERS = 2  # a lone letter or digit says nothing about its script
_ASCII = frozenset(map(chr, range(128)))
NOT_FOREIGN_MEMO_LIMIT = 64  # sets of native scripts whose non-foreign characters are remembered
_NOT_FOREIGN: dict[frozenset[str], set[str]] = {}  # native scripts -> characters seen not foreign to them


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Check the share."""
    if not 0.0 < float(options["min_share"]) <= 1.0:
        raise OptionError("min_share", "expected a share above 0 and at most 1")
    return options


def prepare(rules: Sequence[Rule]) -> Sequence[Rule]:
    """Script rules are applied one at a time."""
    return tuple(rules)


def foreign_share(text: str, native: frozenset[str]) -> tuple[float, int]:
    """Share of the text's letters outside `native` scripts, and the letter count."""
    counts = script_counts(text)
    letters = sum(counts.values())
    if letters == 0:
        return 0.0, 0
    foreign = sum(n for name, n in counts.items() if name not in native)
    return foreign / letters, letters


def _any_foreign(text: str, native: frozenset[str]) -> bool:
    """Whether `text` has a letter outside the `native` scripts (judged on its distinct characters).

    Characters already known not to be foreign to `native` are set aside
    at C speed; only the rest are looked up, and remembered.
    """
    known = _NOT_FOREIGN.get(native)
    if known is None:
        if len(_NOT_FOREIGN) >= NOT_FOREIGN_MEMO_LIMIT:
            _NOT_FOREIGN.clear()
        known = _NOT_FOREIGN[native] = set(_ASCII) if "Latin" in native else set()
    unknown = set(text) - known
    if not unknown:
        return False
    for char in unknown:
        name = script_of(char)
        if name is not None and name not in native:
            return True
        known.add(char)
    return False


def _is_sentence(rule: Rule, text: str, tokens: int) -> bool:
    return bool(rule.options["keep_sentences"]) and tokens > rule.options["sentence_tokens"] and ends_sentence(text)


def detect(prepared: Sequence[Rule], page: Page) -> Iterator[Mark]:
    """Mark short blocks written in a script foreign to the page."""
    if not page.native_scripts:
        return
    for rule in prepared:
        for block in in_time(page):
            if block.text.isascii() and "Latin" in page.native_scripts:
                continue
            # The scripts first: nearly every block is written in the page's own, which the
            # distinct characters show at a fraction of the cost of counting letters or tokens.
            if not _any_foreign(block.text, page.native_scripts):
                continue
            share, letters = foreign_share(block.text, page.native_scripts)
            if letters < MIN_LETTERS or share < rule.options["min_share"]:
                continue
            tokens = token_count(block.text)
            if tokens <= rule.options["max_tokens"] and not _is_sentence(rule, block.text, tokens):
                yield Mark(block.index, rule, PRIORITY, f"{share:.0%} of letters in a foreign script")
