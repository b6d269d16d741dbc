"""Multi-line sequences: a card made of consecutive lines.

What it removes
    Runs of consecutive blocks that match the rule's `steps` in order, such
    as a related-article card (an image alt text, then a headline). A step
    marked `optional` is taken when it matches and skipped otherwise; the run
    must match every required step.

Options
    steps: a list of mappings, each with `pattern` (a regex or a list),
    `optional` (default false) and `max_length` (default 300).
    case_sensitive: match case exactly (default false).

Example
    steps: [{pattern: ' - Sputnik \\p{L}+$'}, {pattern: '^[^.!?]{10,200}$'}]
    removes `Jens Stoltenberg - Sputnik Afrique` with the headline after it.

Keeps
    The same lines apart, or in another order: a lone headline stays.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..model import Block, Mark, Rule
from .base import Option, OptionError, Page, as_strings, compile_pattern, in_time, search

KIND = "sequence"
PRIORITY = 3
CONTEXTUAL = True  # judges a block by its neighbours
OPTIONS = {
    "steps": Option("steps", required=True, doc="the lines of the card, in order"),
    "case_sensitive": Option("bool", default=False, doc="match case exactly"),
}
STEP_KEYS = {"pattern", "optional", "max_length"}


def compile(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Check and compile each step."""
    steps = []
    case = bool(options.get("case_sensitive"))
    for i, step in enumerate(options["steps"]):
        where = f"steps[{i}]"
        if not isinstance(step, Mapping):
            raise OptionError(where, "a step is a mapping with `pattern` (and `optional`, `max_length`)")
        unknown = set(step) - STEP_KEYS
        if unknown:
            expected = ", ".join(sorted(STEP_KEYS))
            raise OptionError(f"{where}.{sorted(unknown)[0]}", f"unknown step key (expected one of: {expected})")
        if "pattern" not in step:
            raise OptionError(where, "a step needs a `pattern`")
        patterns = tuple(compile_pattern(f"{where}.pattern", p, case) for p in as_strings(step["pattern"]))
        optional = step.get("optional", False)
        limit = step.get("max_length", 300)
        if not isinstance(optional, bool):
            raise OptionError(f"{where}.optional", "expected true or false")
        if not isinstance(limit, int) or isinstance(limit, bool):
            raise OptionError(f"{where}.max_length", "expected a whole number")
        steps.append((patterns, optional, limit))
    if not any(not optional for _, optional, _ in steps):
        raise OptionError("steps", "a sequence needs at least one required step")
    return {**options, "steps": tuple(steps)}


def prepare(rules: Sequence[Rule]) -> Sequence[Rule]:
    """Sequences are matched one rule at a time."""
    return tuple(rules)


def _step_matches(rule: Rule, step: tuple[Any, bool, int], block: Block) -> bool:
    patterns, _, limit = step
    return len(block.text) <= limit and any(search(rule, p, block.text) for p in patterns)


def _match_at(rule: Rule, blocks: Sequence[Block], i: int) -> list[Block]:
    taken: list[Block] = []
    j = i
    for step in rule.options["steps"]:
        if j < len(blocks) and _step_matches(rule, step, blocks[j]):
            taken.append(blocks[j])
            j += 1
        elif not step[1]:
            return []
    return taken


def detect(prepared: Sequence[Rule], page: Page) -> Iterator[Mark]:
    """Mark every run of blocks that matches a rule's steps.

    A run reaches the first required step at most as many blocks after its
    start as there are optional steps before that step, so only the starts
    that close before a block matching it are tried (in order, a run's
    blocks taken once): one search per block instead of one per step.
    """
    blocks = page.blocks
    for rule in prepared:
        steps = rule.options["steps"]
        lead = next(n for n, (_, optional, _) in enumerate(steps) if not optional)
        anchors = [j for j, block in enumerate(in_time(page)) if _step_matches(rule, steps[lead], block)]
        starts = sorted({i for j in anchors for i in range(max(j - lead, 0), j + 1)})
        free = 0  # the first block not taken by a run already found
        for i in starts:
            if i < free:
                continue
            taken = _match_at(rule, blocks, i)
            for block in taken:
                yield Mark(block.index, rule, PRIORITY)
            free = i + len(taken)
