"""Score the cleaner against gold text: token precision, recall and F1.

A token is a lower-cased run of word characters, except that every Han,
kana, Bopomofo, Thai, Lao, Khmer or Myanmar character is a token of its own
(`cleaner.text.tokens`). Scores compare token multisets per document and are
macro-averaged over documents, overall, per language and per source. An empty
output scores 0; a document is near-exact at F1 >= NEAR_EXACT.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .text import tokens

NEAR_EXACT = 0.95


@dataclass(frozen=True, slots=True)
class Score:
    """Token precision, recall and F1 of one output against its gold."""

    precision: float
    recall: float
    f1: float


def score(output: str, gold: str) -> Score:
    """Multiset token overlap of output and gold.

    >>> score("a b c", "a b d")
    Score(precision=0.6666666666666666, recall=0.6666666666666666, f1=0.6666666666666666)
    """
    out, ref = Counter(tokens(output)), Counter(tokens(gold))
    if not out or not ref:
        return Score(0.0, 0.0, 0.0) if ref or out else Score(1.0, 1.0, 1.0)
    common = sum((out & ref).values())
    precision = common / sum(out.values())
    recall = common / sum(ref.values())
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return Score(precision, recall, f1)


@dataclass(frozen=True, slots=True)
class Summary:
    """Macro averages over a group of documents."""

    documents: int
    precision: float
    recall: float
    f1: float
    near_exact: float

    def to_json(self) -> dict[str, float | int]:
        return {
            "documents": self.documents, "precision": round(self.precision, 4), "recall": round(self.recall, 4),
            "f1": round(self.f1, 4), "near_exact": round(self.near_exact, 4),
        }


def summarise(scores: Iterable[Score]) -> Summary:
    """Macro averages of document scores."""
    items = list(scores)
    n = len(items)
    if not n:
        return Summary(0, 0.0, 0.0, 0.0, 0.0)
    return Summary(
        n,
        sum(s.precision for s in items) / n,
        sum(s.recall for s in items) / n,
        sum(s.f1 for s in items) / n,
        sum(s.f1 >= NEAR_EXACT for s in items) / n,
    )


def read_jsonl(path: str | Path | TextIO) -> Iterator[dict[str, Any]]:
    """Documents of a JSONL file (gzip-compressed when its name ends in .gz)."""
    if not isinstance(path, (str, Path)):
        yield from (json.loads(line) for line in path if line.strip())
        return
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


@dataclass(frozen=True, slots=True)
class Report:
    """Per-system summaries, overall and by group (`lang:xx`, `source:yy`)."""

    systems: tuple[str, ...]
    groups: Mapping[str, Mapping[str, Summary]]  # group -> system -> summary

    def to_json(self) -> dict[str, Any]:
        return {g: {s: v.to_json() for s, v in by.items()} for g, by in self.groups.items()}


def evaluate(
    documents: Iterable[Mapping[str, Any]],
    systems: Mapping[str, Callable[[Mapping[str, Any]], str]],
    field: str,
    gold_field: str = "gold",
) -> Report:
    """Score every system on every document that has `field` and gold."""
    scores: dict[str, dict[str, list[Score]]] = defaultdict(lambda: defaultdict(list))
    for doc in documents:
        text, gold = doc.get(field), doc.get(gold_field)
        if not isinstance(text, str) or not isinstance(gold, str) or not gold.strip():
            continue
        groups = ("overall", f"lang:{doc.get('lang') or 'unknown'}", f"source:{doc.get('source') or 'unknown'}")
        for name, system in systems.items():
            result = score(system(doc), gold)
            for group in groups:
                scores[group][name].append(result)
    first = next(iter(systems))
    ordered = sorted(scores, key=lambda g: (g != "overall", not g.startswith("lang:"), -len(scores[g][first]), g))
    return Report(tuple(systems), {g: {s: summarise(scores[g][s]) for s in systems} for g in ordered})


def format_report(report: Report) -> str:
    """A table for the terminal: one row per group, F1 / P / R / near-exact per system."""
    head = f"{'group':<28}{'docs':>6}" + "".join(f"  {s[:22]:>24}" for s in report.systems)
    lines = [head, f"{'':<34}" + "".join(f"  {'F1    P     R     near':>24}" for _ in report.systems)]
    for group, by in report.groups.items():
        n = next(iter(by.values())).documents
        cells = "".join(
            f"  {v.f1:.3f} {v.precision:.3f} {v.recall:.3f} {v.near_exact:.2f}".rjust(26) for v in by.values()
        )
        lines.append(f"{group:<28}{n:>6}{cells}")
    return "\n".join(lines)
