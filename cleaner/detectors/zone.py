"""Cut-from-here zones: everything from a marker line on is page chrome.

What it removes
    The block that matches `start` and every block after it, up to (not
    including) a block that matches `end` or holds at least `end_tokens`
    tokens (a body paragraph, whatever its last character), or to the end
    of the document.
    The marker must stand in the latter part of the text (`min_position`),
    so that a label near the top never takes the article with it. Zone
    marks are weak: where a more specific rule also claims a block inside
    the zone, the engine names that rule instead.

Options
    start: regex(es) of the marker line. end: regex(es) of the first line
    after the zone (optional). end_tokens: a block this long ends the zone
    too (default 0: no such limit; tokens count each CJK character as one).
    min_position: share of the document's text that must come before the
    marker (default 0.5).

Example
    start: '^Fil d’actu$' removes `Fil d’actu` and the feed lines after it.

Keeps
    Everything before the marker, and a marker in the first half of the text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..model import Mark, Rule
from ..text import token_count
from .base import Option, OptionError, Page, in_time, patterns_of, search

KIND = "zone"
PRIORITY = 1
CONTEXTUAL = True  # judges a block by its neighbours
OPTIONS = {
    "start": Option("patterns", required=True, doc="regex(es) of the marker line"),
    "end": Option("patterns", doc="regex(es) of the first line after the zone"),
    "end_tokens": Option("int", default=0, doc="a block of at least this many tokens ends the zone (0: none)"),
    "min_position": Option("float", default=0.5, doc="share of text that must come before the marker"),
    "case_sensitive": Option("bool", default=False, doc="match case exactly"),
}


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Compile the marker patterns and check the position."""
    position = float(options["min_position"])
    if not 0.0 <= position <= 1.0:
        raise OptionError("min_position", "expected a share between 0 and 1")
    if int(options["end_tokens"]) < 0:
        raise OptionError("end_tokens", "expected a whole number of at least 0")
    end = patterns_of(options, "end") if options.get("end") else ()
    return {**options, "start": patterns_of(options, "start"), "end": end, "min_position": position}


def prepare(rules: Sequence[Rule]) -> Sequence[Rule]:
    """Zones are matched one rule at a time."""
    return tuple(rules)


def detect(prepared: Sequence[Rule], page: Page) -> Iterator[Mark]:
    """Mark each zone from its marker on."""
    for rule in prepared:
        before = 0
        inside = False
        for block in in_time(page):
            if inside and _ends(rule, block.text):
                inside = False
            elif not inside and before >= rule.options["min_position"] * page.chars:
                inside = any(search(rule, p, block.text) for p in rule.options["start"])
            if inside:
                yield Mark(block.index, rule, PRIORITY, "zone")
            before += len(block.text)


def _ends(rule: Rule, text: str) -> bool:
    """Whether a block inside a zone is the first one after it."""
    longest = rule.options["end_tokens"]
    if longest and token_count(text) >= longest:
        return True
    return any(search(rule, p, text) for p in rule.options["end"])
