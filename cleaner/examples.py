"""Run every rule's own examples: what it must remove and what it must keep.

Each example is a small document (several lines, or an HTML snippet for a
DOM rule). It is placed
after the example's `context` (body text, when the rule needs a document
around the line) and before its `after` text (body text that follows, for
rules that judge a line by what comes next), and the rule alone is run on
it: every line of a `remove` example must be marked and no line of the
context or the after text; no line of a `keep` example may be. A `pages`
example is a whole plain-text document: the lines opening with
`PAGE_REMOVED` must be marked, and only those.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial

from . import language
from .detectors import Page
from .detectors.selectors import Selection, selection_of
from .document import Document, from_text
from .engine import native_scripts
from .html import from_html, looks_like_html
from .model import PAGE_REMOVED, Block, Rule
from .rulebook import prepare
from .rulefiles import default_rule_book


@dataclass(frozen=True, slots=True)
class Failure:
    """An example the rule gets wrong, located at the rule."""

    rule: Rule
    example: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule.source}:{self.rule.line}:1: rule {self.rule.id}: {self.message}: {self.example!r}"


def _example_document(
    context: str, example: str, after: str = "", selection: Selection | None = None
) -> tuple[Document, int, int]:
    """The example between its context and the text after it, and where the example starts and ends.

    HTML examples (of DOM rules) are pages: the markup is joined and the
    example's blocks are those between the context's and the after text's.
    A site's `html:` rules read the page through their own selectors.
    """
    if looks_like_html(example) or example.lstrip().startswith("<"):
        document = from_html(f"<html><body>{context}{example}{after}</body></html>", selection)
        first = len(from_html(f"<html><body>{context}</body></html>").blocks) if context else 0
        last = len(from_html(f"<html><body>{context}{example}</body></html>").blocks) if after else len(document.blocks)
        return document, _start(document, first), _start(document, last)
    start = len(context) + 2 if context else 0
    text = "\n\n".join(part for part in (context, example, after) if part)
    return from_text(text), start, start + len(example)


def _start(document: Document, index: int) -> int:
    """Where the block of this index starts (the text's end past the last block)."""
    return document.blocks[index].start if index < len(document.blocks) else len(document.text)


def _example_lines(example: str) -> set[str]:
    if example.lstrip().startswith("<"):
        return {b.text for b in from_html(f"<html><body>{example}</body></html>").blocks}
    return {line.strip() for line in example.splitlines() if line.strip()}


def marked_lines(rule: Rule, example: str) -> tuple[set[str], set[str]]:
    """Run one rule on context + example + after: (example lines marked, context and after lines marked)."""
    examples = rule.examples
    document, start, end = _example_document(
        examples.context.strip(), example, examples.after.strip(), selection_of([rule])
    )
    blocks = document.blocks
    marked = _marked(rule, blocks, examples.lang)
    in_example = {b.text for b in blocks if b.index in marked and start <= b.start < end}
    in_context = {b.text for b in blocks if b.index in marked and not start <= b.start < end}
    return in_example, in_context


def page_marks(rule: Rule, page: str) -> tuple[set[str], set[str]]:
    """Run one rule on a page example: (lines it must remove, lines it marked)."""
    lines = [line for line in page.splitlines() if line.strip()]
    expected = {line[len(PAGE_REMOVED):].strip() for line in lines if line.startswith(PAGE_REMOVED)}
    document = from_text("\n".join(line.removeprefix(PAGE_REMOVED) for line in lines))
    return expected, {document.blocks[i].text for i in _marked(rule, document.blocks, rule.examples.lang)}


def _marked(rule: Rule, blocks: Sequence[Block], lang: str | None) -> set[int]:
    identify = partial(language.identify_text, lexicons=default_rule_book().lexicons)
    page = Page(blocks, lang, native_scripts(blocks, lang), sum(len(b.text) for b in blocks), identify=identify)
    module, prepared = prepare([rule]).prepared[0]
    return {m.block for m in module.detect(prepared, page)}


def check_rule(rule: Rule) -> Iterator[Failure]:
    """Every way a rule's examples fail (nothing when they all pass)."""
    for page in rule.examples.pages:
        expected, marked = page_marks(rule, page)
        if marked - expected:
            yield Failure(rule, page, f"removes {sorted(marked - expected)!r}, which it must keep")
        if expected - marked:
            yield Failure(rule, page, f"does not remove {sorted(expected - marked)!r}")
    for example in rule.examples.remove:
        lines = _example_lines(example)
        hit, context_hit = marked_lines(rule, example)
        if hit != lines:
            missed = sorted(lines - hit)
            yield Failure(rule, example, f"does not remove {missed!r}")
        if context_hit:
            yield Failure(rule, example, f"removes context lines {sorted(context_hit)!r}")
    for example in rule.examples.keep:
        hit, context_hit = marked_lines(rule, example)
        if hit:
            yield Failure(rule, example, f"removes {sorted(hit)!r}, which it must keep")
        if context_hit:
            yield Failure(rule, example, f"removes context lines {sorted(context_hit)!r}")


def check_rules(rules: Iterable[Rule]) -> list[Failure]:
    """All example failures of these rules."""
    return [failure for rule in rules for failure in check_rule(rule)]
