"""Build the clean text from the kept blocks, logging every whitespace edit.

The clean text is the kept blocks, each without surrounding whitespace,
separated by one blank line and ending with one newline. A removed block
takes the whitespace after it with it; the whitespace left between two kept
blocks is replaced by the separator when it differs, and that edit is logged
too, so the original can always be restored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .model import Block, Category, Mark, Removal

SEPARATOR = "\n\n"
ENDING = "\n"
LAYOUT_RULE = "layout.spacing"
LAYOUT_SOURCE = "cleaner/layout.py"


def _spacing(original: str, start: int, end: int, replacement: str, line: int) -> list[Removal]:
    """A layout edit for original[start:end], or none when it is already right."""
    if end - start == len(replacement) and original.startswith(replacement, start):  # compared in place
        return []
    text = original[start:end]
    return [Removal(start, end, line, text, LAYOUT_RULE, Category.WHITESPACE, LAYOUT_SOURCE, replacement=replacement)]


def assemble(original: str, blocks: Sequence[Block], marks: Mapping[int, Mark]) -> tuple[str, tuple[Removal, ...]]:
    r"""The clean text, and the removals (content and layout) in original order.

    >>> from cleaner.document import from_text
    >>> assemble("  One \r\nTwo", from_text("  One \r\nTwo").blocks, {})[0]
    'One\n\nTwo\n'
    """
    leading_end = blocks[0].start if blocks else len(original)
    removals = _spacing(original, 0, leading_end, "", 1)
    kept = [b.index for b in blocks if b.index not in marks]
    last_kept = kept[-1] if kept else -1
    parts: list[str] = []
    for i, block in enumerate(blocks):
        tail_end = blocks[i + 1].start if i + 1 < len(blocks) else len(original)
        mark = marks.get(block.index)
        if mark is not None:
            rule = mark.rule
            removals.append(Removal(
                block.start, block.end, block.line, block.text, rule.id, rule.category, rule.source,
                trailing=original[block.end : tail_end], note=mark.note,
            ))
            continue
        separator = SEPARATOR if block.index < last_kept else ENDING
        parts.append(block.text)
        parts.append(separator)
        removals.extend(_spacing(original, block.end, tail_end, separator, block.line))
    return "".join(parts), tuple(removals)
