"""Foreign-language lines: long lines in another language written in the same script.

What it removes
    A block of at least `min_chars` characters whose stop words clearly name
    a language other than the document's (an English cookie banner in a
    German page), when langdetect (seeded) agrees. Shorter lines are left
    to the lexicons: detection is unreliable on a few words.

Options
    min_chars: shortest block judged (default 80). max_share: when the
    foreign lines make up more than this share of the document's text
    (default 0.2), the document is bilingual and nothing is removed.

Example
    In a German article, `We use cookies to give you the best experience on
    our website. By continuing to browse you agree to our use of cookies.`
    goes.

Keeps
    Lines in the document's language, short quotations, lines in another
    script (the `script` kind judges those), bilingual documents, and lines
    whose language neither the stop words nor langdetect are sure of.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .. import language
from ..model import Block, Mark, Rule
from ..scripts import script_counts
from .base import Option, OptionError, Page, in_time

KIND = "foreign_language"
PRIORITY = 2
CONTEXTUAL = False  # judges each block alone (against the document's language)
OPTIONS = {
    "min_chars": Option("int", default=80, doc="shortest block judged, in characters"),
    "max_share": Option("float", default=0.2, doc="most of the document's text the foreign lines may be"),
}


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Check the length."""
    if int(options["min_chars"]) < 20:
        raise OptionError("min_chars", "expected at least 20: detection is unreliable on fewer characters")
    return options


def prepare(rules: Sequence[Rule]) -> Sequence[Rule]:
    """Foreign-language rules are applied one at a time."""
    return tuple(rules)


def _same_script(text: str, page: Page) -> bool:
    counts = script_counts(text)
    return bool(counts) and max(counts, key=lambda name: counts[name]) in page.native_scripts


def detect(prepared: Sequence[Rule], page: Page) -> Iterator[Mark]:
    """Mark long blocks in another language than the page's, unless they are a large part of it."""
    if page.identify is None or not page.lang:
        return
    for rule in prepared:
        found: list[tuple[Block, str]] = []
        for block in in_time(page):
            if len(block.text) < rule.options["min_chars"] or not _same_script(block.text, page):
                continue
            lang = page.identify(block.text)
            if lang and lang != page.lang and language.confirm(block.text, lang):
                found.append((block, lang))
        # A document that is largely in two languages is bilingual: nothing is foreign to it.
        if sum(len(b.text) for b, _ in found) <= rule.options["max_share"] * page.chars:
            yield from (Mark(b.index, rule, PRIORITY, f"in {lang}, not {page.lang}") for b, lang in found)
