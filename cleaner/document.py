"""A document split into blocks: for plain text, one block per non-blank line."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .model import Block

_WS = " \t\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u200b"


@dataclass(frozen=True, slots=True)
class Document:
    """The original string and its blocks, each with its span in the original."""

    text: str
    blocks: tuple[Block, ...]


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of `text[start:end]` without surrounding whitespace."""
    while start < end and (text[start] in _WS or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _WS or text[end - 1].isspace()):
        end -= 1
    return start, end


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
