"""A document split into blocks: for plain text, one block per non-blank line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import Block

# Every character str.isspace() knows, plus the invisible ones scrapers leave (BOM, zero width).
_WS = "".join(chr(i) for i in range(0x3001) if chr(i).isspace()) + "\ufeff\u200b\u200c\u200d\u2060"


@dataclass(frozen=True, slots=True)
class Document:
    """The original string and its blocks, each with its span in the original.

    A page also keeps the URL it gives itself (`<link rel=canonical>`,
    `og:url`) and its parsed tree, so that a site's selectors can be
    applied once the site is known, and its title (`<title>`, else
    `og:title`), which is not part of its rendering.
    """

    text: str
    blocks: tuple[Block, ...]
    url: str | None = None
    tree: Any = field(default=None, compare=False, repr=False)
    title: str = ""


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
        opened = line.lstrip(_WS)  # `strip_span` on the line itself: no slicing of the whole text
        if opened:
            start = pos + len(line) - len(opened)
            body = opened.rstrip(_WS)
            blocks.append(Block(len(blocks), start, start + len(body), number, body))
        pos += len(line) + 1
    return Document(text, tuple(blocks))
