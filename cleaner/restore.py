"""Rebuild the original text from the clean text and its removal log.

The log is the proof that nothing was lost: every character of the original
is either in the clean text, in the same order, or in a log record.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Removal


class RestoreError(ValueError):
    """The clean text and the log do not fit together."""


def restore(clean_text: str, removals: Iterable[Removal]) -> str:
    """The original text: `restore(r.text, r.removals) == original`.

    >>> from cleaner import clean
    >>> text = "Title\\n\\nS'abonner\\nBody.\\n"
    >>> restore(clean(text, lang="fr").text, clean(text, lang="fr").removals) == text
    True
    """
    parts: list[str] = []
    original_pos = 0
    clean_pos = 0
    for record in sorted(removals, key=lambda r: r.start):
        if record.start < original_pos:
            raise RestoreError(f"log records overlap at offset {record.start}")
        take = record.start - original_pos
        parts.append(clean_text[clean_pos : clean_pos + take])
        clean_pos += take
        if clean_text[clean_pos : clean_pos + len(record.replacement)] != record.replacement:
            raise RestoreError(f"the clean text does not fit the log at offset {record.start} (line {record.line})")
        parts.append(record.text + record.trailing)
        clean_pos += len(record.replacement)
        original_pos = record.stop
    if clean_pos > len(clean_text):
        raise RestoreError("the clean text is shorter than the log says")
    parts.append(clean_text[clean_pos:])
    return "".join(parts)
