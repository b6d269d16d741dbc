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

import bisect
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Mark, Rule
from ..text import token_count
from .base import Option, OptionError, Page, PrefixIndex, in_time, patterns_of, search

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


@dataclass(frozen=True, slots=True)
class Zones:
    """The zone rules, with indexes that rule most blocks out as a marker or an end by their opening.

    One index holds every rule's `start` patterns (`owners` names the rule
    of each), so a block that opens no zone costs one look-up whatever the
    number of rules.
    """

    rules: tuple[Rule, ...]
    starts: PrefixIndex
    owners: tuple[int, ...]  # per start pattern: its rule's position in `rules`
    ends: tuple[PrefixIndex, ...]


def prepare(rules: Sequence[Rule]) -> Zones:
    """Index the markers of every rule and the ends of each."""
    owners = tuple(z for z, rule in enumerate(rules) for _ in rule.options["start"])
    starts = PrefixIndex([p for rule in rules for p in rule.options["start"]])
    return Zones(tuple(rules), starts, owners, tuple(PrefixIndex(r.options["end"]) for r in rules))


def detect(prepared: Zones, page: Page) -> Iterator[Mark]:
    """Mark each zone from its marker on (a marker is looked for past `min_position` only)."""
    blocks = page.blocks
    offsets = list(itertools.accumulate((len(b.text) for b in blocks), initial=0))
    firsts = [bisect.bisect_left(offsets, r.options["min_position"] * page.chars, hi=len(blocks))
              for r in prepared.rules]
    inside = [False] * len(prepared.rules)
    begin = min(firsts, default=len(blocks))
    for position, block in enumerate(in_time(page, blocks[begin:]), begin):
        starting = _starting(prepared, firsts, position, block.text)
        if not starting and True not in inside:
            continue
        for z, rule in enumerate(prepared.rules):
            if inside[z]:
                inside[z] = not _ends(rule, prepared.ends[z], block.text)
            else:
                inside[z] = z in starting
            if inside[z]:
                yield Mark(block.index, rule, PRIORITY, "zone")


def _starting(prepared: Zones, firsts: Sequence[int], position: int, text: str) -> set[int]:
    """The rules (positions) whose marker `text` is, among those that may start at `position`."""
    found: set[int] = set()
    for i in prepared.starts.candidates(text):
        z = prepared.owners[i]
        if z not in found and firsts[z] <= position and search(prepared.rules[z], prepared.starts.patterns[i], text):
            found.add(z)
    return found


def _ends(rule: Rule, index: PrefixIndex, text: str) -> bool:
    """Whether a block inside a zone is the first one after it."""
    longest = rule.options["end_tokens"]
    if longest and token_count(text) >= longest:
        return True
    for i in index.candidates(text):  # noqa: SIM110 (a plain loop: cheaper than any() here)
        if search(rule, index.patterns[i], text):
            return True
    return False
