"""The YAML of a learned site template: every entry with its evidence as a comment.

Written by hand rather than by a YAML dumper, for the comments and for a
stable, readable layout; every scalar is double-quoted with JSON's escapes
(which YAML reads), so any line of any page is written safely. The text is
then loaded back by the rule loader (`cleaner.learn_template`).
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

import regex

from .learn_text import SUBTEMPLATE_MIN_LINES, subtemplate_floor

if TYPE_CHECKING:
    from .learn_template import Entry, Learned, LearnedRule

MAX_EXAMPLES = 3  # lines to remove shown per rule
REGEX_MAX_LENGTH = 300  # the regex detector's default; longer learned lines get their own
_UNSAFE_YAML = regex.compile(r"[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029]")


def quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes, which YAML reads, readable letters kept).

    >>> quote('Read "more"\\u2028')
    '"Read \\\\"more\\\\"\\\\u2028"'
    """
    body = json.dumps(text, ensure_ascii=False)
    return _UNSAFE_YAML.sub(lambda m: "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}"
                                              for c in m.group()), body)


def _block_clause(learned: Learned) -> list[str]:
    """The header's line on sub-templates (lines recurring as a block on fewer pages), if the sample allows them."""
    floor = subtemplate_floor(learned.pages)
    if floor >= learned.min_pages:
        return []
    return [f"# So does each of {SUBTEMPLATE_MIN_LINES}+ lines all on the same {floor} or more pages (a sub-template)."]


def render(learned: Learned, domains: Sequence[str], prints: Sequence[str]) -> str:
    """The template as YAML, every learned entry with its evidence in a comment."""
    lines = [
        f"# Learned by `cleaner learn` from {learned.pages} pages: a line or name recurs when it is on",
        f"# {learned.min_pages} or more of them.",
        *_block_clause(learned),
        "# Review every rule before use; `cleaner learn --check` shows what it removes",
        "# on other pages of the site.",
        f"site: {learned.name}",
        f"description: {quote(f'learned from {learned.pages} sample pages')}",
        "match:",
    ]
    if domains:
        lines.append(f"  domains: [{', '.join(quote(d) for d in domains)}]")
    else:
        lines.append(f"  fingerprints: [{', '.join(quote(p) for p in prints)}]")
        lines.append(f"  min_fingerprints: {min(2, len(prints))}")
    if learned.keep:
        lines.append("keep:")
        lines.extend(f"  - {quote(k.pattern)}  # {k.why}" for k in learned.keep)
    strip = [r for r in learned.rules if r.kind == "strip"]
    if strip:
        lines += ["html:", "  strip:"]
        for rule in strip:
            lines.extend("  " + line for line in _render_rule(rule, learned.pages))
    others = [r for r in learned.rules if r.kind != "strip"]
    lines.append("rules:" if others else "rules: []")
    for rule in others:
        lines.extend(_render_rule(rule, learned.pages))
    return "\n".join(lines) + "\n"


def _render_rule(rule: LearnedRule, total: int) -> list[str]:
    key = {"phrases": "phrases", "regex": "pattern", "zone": "start", "strip": "select"}[rule.kind]
    kind = [] if rule.kind == "strip" else [f"    kind: {rule.kind}"]  # implied in html: strip:
    lines = [f"  - id: {rule.id}", *kind, f"    category: {rule.category.value}",
             f"    description: {quote(rule.description)}", f"    {key}:"]
    for entry in rule.entries:
        lines.append(f"      - {quote(entry.value)}  # on {entry.pages} of {total} pages, {entry.position}")
    if rule.kind == "regex":
        longest = max(len(x) for e in rule.entries for x in e.examples)
        if longest > REGEX_MAX_LENGTH:
            lines.append(f"    max_length: {longest}")
    remove = [_example(rule, e) for e in rule.entries[:MAX_EXAMPLES]]
    keep = f"<p>{html.escape(rule.keep_example)}</p>" if rule.kind == "strip" else rule.keep_example
    lines.append("    examples:")
    if rule.kind == "zone":  # the marker must stand after body text
        lines.append(f"      context: {quote(rule.keep_example)}")
    lines += [f"      remove: [{', '.join(quote(x) for x in remove)}]", f"      keep: [{quote(keep)}]"]
    return lines


def _example(rule: LearnedRule, entry: Entry) -> str:
    if rule.kind == "strip":
        attribute = "class" if entry.value.startswith(".") else "id"
        return f'<div {attribute}="{entry.value[1:]}"><p>{html.escape(entry.examples[0])}</p></div>'
    return entry.examples[0]
