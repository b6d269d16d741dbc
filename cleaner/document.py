"""A document split into blocks: for plain text, one block per non-blank line."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Block

# Every character str.isspace() knows, plus the invisible ones scrapers leave (BOM, zero width).
_WS = "".join(chr(i) for i in range(0x3001) if chr(i).isspace()) + "\ufeff\u200b\u200c\u200d\u2060"


@dataclass(frozen=True, slots=True)
class Document:
    """The original string and its blocks, each with its span in the original."""

    text: str
    blocks: tuple[Block, ...]


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of `text[start:end]` without surrounding whitespace."""
    piece = text[start:end]
    body = piece.lstrip(_WS)
    if not body:
        return start, start
    start += len(piece) - len(body)
    return start, start + len(body.rstrip(_WS))


def from_text(text: str) -> Document:
    """Split plain text into line blocks; blank lines make no block.

    >>> [b.text for b in from_text("Title\\n\\n  Body.  \\n").blocks]
    ['Title', 'Body.']
    """
    blocks: list[Block] = []
    pos = 0
    for number, line in enumerate(text.split("\n"), start=1):
        start, end = strip_span(text, pos, pos + len(line))
        if start < end:
            blocks.append(Block(len(blocks), start, end, number, text[start:end]))
        pos += len(line) + 1
    return Document(text, tuple(blocks))
