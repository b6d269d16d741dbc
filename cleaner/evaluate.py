"""Score extractions against gold: token precision, recall, F1 and snippets.

A token is a lower-cased run of word characters, except that every Han,
kana, Bopomofo, Thai, Lao, Khmer or Myanmar character is a token of its own
(`cleaner.text.tokens`). Scores compare token multisets per document and are
macro-averaged over documents, overall, per language and per source. An empty
output scores 0; a document is near-exact at F1 >= NEAR_EXACT.

Documents without gold text but with `with`/`without` snippets (the dev set's
`trafilatura_eval` source) are scored by snippets instead: snippet recall is
the share of `with` snippets found in the output, snippet precision the share
of `without` snippets absent from it, both after collapsing whitespace; a
snippet also counts as found when it matches with all spaces removed on both
sides. Those two are macro-averaged over the documents that have such
snippets. Several systems (the cleaner, doing nothing, reference extractors)
are scored on the same documents, side by side.
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .text import tokens

NEAR_EXACT = 0.95
MIN_GROUP_DOCS = 5  # fewer documents than this make a group's figure noise: no floor, not "weakest"
FLOOR_MARGIN = 0.003  # written floors sit this far under the measured score (run-to-run slack)
FLOOR_DECIMALS = 3
FLOOR_TOLERANCE = 0.0005  # rounding in the floors file
WORST_DOCUMENTS = 3  # documents named per weak language
F1 = "f1"
SNIPPET_METRICS = ("snippet_recall", "snippet_precision")
FLOOR_METRICS = (F1, "precision", "recall", "near_exact", *SNIPPET_METRICS)


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
    return overlap(Counter(tokens(output)), Counter(tokens(gold)))


def overlap(out: Counter[str], ref: Counter[str]) -> Score:
    """Precision, recall and F1 of an output's token counts against the gold's."""
    if not out or not ref:
        return Score(0.0, 0.0, 0.0) if ref or out else Score(1.0, 1.0, 1.0)
    common = sum((out & ref).values())
    precision = common / sum(out.values())
    recall = common / sum(ref.values())
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return Score(precision, recall, f1)


@dataclass(frozen=True, slots=True)
class SnippetScore:
    """Share of `with` snippets found and of `without` snippets absent (None: the list was empty)."""

    recall: float | None
    precision: float | None


def _found(snippet: str, squashed: str, spaceless: str) -> bool:
    wanted = " ".join(snippet.split())
    return wanted in squashed or "".join(wanted.split()) in spaceless


def snippet_score(output: str, present: Iterable[str], absent: Iterable[str]) -> SnippetScore:
    """Snippet recall and precision of one output.

    >>> snippet_score("The  long\\nstory", ["long story", "Thelong"], ["Subscribe now"])
    SnippetScore(recall=1.0, precision=1.0)
    """
    squashed = " ".join(output.split())
    spaceless = "".join(squashed.split())
    wanted = [s for s in present if s.strip()]
    unwanted = [s for s in absent if s.strip()]
    recall = sum(_found(s, squashed, spaceless) for s in wanted) / len(wanted) if wanted else None
    precision = sum(not _found(s, squashed, spaceless) for s in unwanted) / len(unwanted) if unwanted else None
    return SnippetScore(recall, precision)


Judgement = Score | SnippetScore


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


@dataclass(frozen=True, slots=True)
class Summary:
    """Macro averages over a group of documents: token scores, then snippet scores."""

    documents: int
    precision: float
    recall: float
    f1: float
    near_exact: float
    snippet_documents: int = 0
    snippet_recall: float = 0.0
    snippet_precision: float = 0.0

    @property
    def snippet_f1(self) -> float:
        """Harmonic mean of snippet recall and precision (ranks snippet-only groups)."""
        both = self.snippet_recall + self.snippet_precision
        return 2 * self.snippet_recall * self.snippet_precision / both if both else 0.0

    def metric_documents(self, metric: str) -> int:
        """How many documents a metric's figure averages over."""
        return self.snippet_documents if metric in SNIPPET_METRICS else self.documents

    def to_json(self) -> dict[str, float | int]:
        figures: dict[str, float | int] = {
            "documents": self.documents, "precision": round(self.precision, 4), "recall": round(self.recall, 4),
            "f1": round(self.f1, 4), "near_exact": round(self.near_exact, 4),
        }
        if self.snippet_documents:
            figures.update(snippet_documents=self.snippet_documents, snippet_recall=round(self.snippet_recall, 4),
                           snippet_precision=round(self.snippet_precision, 4))
        return figures


def summarise(judgements: Iterable[Judgement]) -> Summary:
    """Macro averages of document scores (token scores and snippet scores apart)."""
    items = list(judgements)
    scores = [s for s in items if isinstance(s, Score)]
    snippets = [s for s in items if isinstance(s, SnippetScore)]
    n = len(scores)
    return Summary(
        n,
        _mean([s.precision for s in scores]),
        _mean([s.recall for s in scores]),
        _mean([s.f1 for s in scores]),
        _mean([float(s.f1 >= NEAR_EXACT) for s in scores]),
        len(snippets),
        _mean([s.recall for s in snippets if s.recall is not None]),
        _mean([s.precision for s in snippets if s.precision is not None]),
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
class Row:
    """One scored document: its id, groups and every system's judgement."""

    doc_id: str
    groups: tuple[str, ...]
    judgements: Mapping[str, Judgement]


@dataclass(frozen=True, slots=True)
class Report:
    """Per-system summaries, overall and by group (`lang:xx`, `source:yy`), and the scored documents."""

    systems: tuple[str, ...]
    groups: Mapping[str, Mapping[str, Summary]]  # group -> system -> summary
    rows: tuple[Row, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {g: {s: v.to_json() for s, v in by.items()} for g, by in self.groups.items()}


def grader(doc: Mapping[str, Any], gold_field: str = "gold") -> Callable[[str], Judgement] | None:
    """How a document's outputs are judged: against its gold's tokens (counted once), else its snippets.

    None when the document has neither gold text nor snippets.
    """
    gold = doc.get(gold_field)
    if isinstance(gold, str) and gold.strip():
        ref = Counter(tokens(gold))
        return lambda output: overlap(Counter(tokens(output)), ref)
    present, absent = doc.get("with") or [], doc.get("without") or []
    if present or absent:
        return lambda output: snippet_score(output, present, absent)
    return None


def evaluate(
    documents: Iterable[Mapping[str, Any]],
    systems: Mapping[str, Callable[[Mapping[str, Any]], str]],
    field: str,
    gold_field: str = "gold",
) -> Report:
    """Score every system on every document that has `field` and gold text or snippets."""
    rows = []
    for doc in documents:
        grade = grader(doc, gold_field) if isinstance(doc.get(field), str) else None
        if grade is None:
            continue
        groups = ("overall", f"lang:{doc.get('lang') or 'unknown'}", f"source:{doc.get('source') or 'unknown'}")
        judged = {name: grade(system(doc)) for name, system in systems.items()}
        rows.append(Row(str(doc.get("id", len(rows))), groups, judged))
    return report_of(tuple(systems), rows)


def report_of(systems: tuple[str, ...], rows: list[Row]) -> Report:
    """Group the rows' judgements and summarise each group per system."""
    by_group: dict[str, dict[str, list[Judgement]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        for group in row.groups:
            for name, judgement in row.judgements.items():
                by_group[group][name].append(judgement)
    first = systems[0] if systems else ""
    ordered = sorted(by_group, key=lambda g: (g != "overall", not g.startswith("lang:"),
                                              -len(by_group[g][first]), g))
    groups = {g: {s: summarise(by_group[g][s]) for s in systems} for g in ordered}
    return Report(systems, groups, tuple(rows))


def _cell(v: Summary) -> str:
    return f"  {v.f1:.3f} {v.precision:.3f} {v.recall:.3f} {v.near_exact:.2f}".rjust(26)


def format_report(report: Report) -> str:
    """Tables for the terminal: F1 / P / R / near-exact per system, then snippet R / P where there are snippets."""
    head = f"{'group':<28}{'docs':>6}" + "".join(f"  {s[:24]:>24}" for s in report.systems)
    lines = [head, f"{'':<34}" + "".join(f"  {'F1    P     R     near':>24}" for _ in report.systems)]
    for group, by in report.groups.items():
        n = next(iter(by.values())).documents
        if n:
            lines.append(f"{group:<28}{n:>6}" + "".join(_cell(v) for v in by.values()))
    snippet_groups = {g: by for g, by in report.groups.items() if next(iter(by.values())).snippet_documents}
    if snippet_groups:
        lines += ["", "snippets (documents without gold): share of `with` found (R), of `without` absent (P)",
                  f"{'group':<28}{'docs':>6}" + "".join(f"  {s[:14]:>14}" for s in report.systems),
                  f"{'':<34}" + "".join(f"  {'R     P':>14}" for _ in report.systems)]
        for group, by in snippet_groups.items():
            cells = "".join(f"  {v.snippet_recall:.3f} {v.snippet_precision:.3f}".rjust(16) for v in by.values())
            lines.append(f"{group:<28}{next(iter(by.values())).snippet_documents:>6}{cells}")
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Weakness:
    """A language where a system is closest to (or behind) its best rival, and on which side it loses."""

    group: str
    metric: str  # "f1", or "snippet_f1" for a language scored by snippets only
    ours: float
    rival: str  # the best other system on that metric: doing nothing or a reference
    rival_value: float
    reason: str
    worst: tuple[str, ...]  # the documents that lose most to the rival, with both figures

    @property
    def gap(self) -> float:
        return self.ours - self.rival_value

    def to_json(self) -> dict[str, Any]:
        return {"group": self.group, "metric": self.metric, "ours": round(self.ours, 4), "rival": self.rival,
                "rival_value": round(self.rival_value, 4), "gap": round(self.gap, 4), "reason": self.reason,
                "worst_documents": list(self.worst)}

    def render(self) -> str:
        lines = [f"{self.group}: {self.metric} {self.ours:.3f} vs {self.rival_value:.3f} for {self.rival} "
                 f"({self.gap:+.3f}); {self.reason}"]
        lines += [f"    {doc}" for doc in self.worst]
        return "\n".join(lines)


def _metric_of(summary: Summary, min_docs: int) -> str | None:
    if summary.documents >= min_docs:
        return F1
    return "snippet_f1" if summary.snippet_documents >= min_docs else None


def _reason(metric: str, ours: Summary, rival: Summary, name: str) -> str:
    if metric == F1:
        sides = (("keeps boilerplate", "precision", ours.precision, rival.precision),
                 ("cuts article text", "recall", ours.recall, rival.recall))
    else:
        sides = (("keeps `without` snippets", "snippet precision", ours.snippet_precision, rival.snippet_precision),
                 ("misses `with` snippets", "snippet recall", ours.snippet_recall, rival.snippet_recall))
    verdict, label, mine, theirs = min(sides, key=lambda side: side[2] - side[3])
    if mine >= theirs:
        return f"ahead of {name} on both sides; closest on {label} ({mine:.3f} vs {theirs:.3f})"
    return f"{verdict}: {label} {mine:.3f} vs {theirs:.3f} for {name}"


def _document_figure(judgement: Judgement | None) -> float | None:
    if isinstance(judgement, Score):
        return judgement.f1
    if isinstance(judgement, SnippetScore):
        parts = [v for v in (judgement.recall, judgement.precision) if v is not None]
        return _mean(parts) if parts else None
    return None


def _worst(report: Report, group: str, ours: str, rival: str, count: int) -> tuple[str, ...]:
    losses = []
    for row in report.rows:
        if group in row.groups:
            mine, theirs = _document_figure(row.judgements.get(ours)), _document_figure(row.judgements.get(rival))
            if mine is not None and theirs is not None and mine < theirs:
                losses.append((mine - theirs, row.doc_id, mine, theirs))
    return tuple(f"{doc} ({mine:.2f} vs {theirs:.2f})" for _, doc, mine, theirs in sorted(losses)[:count])


def weakest(report: Report, ours: str = "cleaner", count: int = 3, min_docs: int = MIN_GROUP_DOCS) -> list[Weakness]:
    """Languages (with at least min_docs documents) ranked by margin over the best other system, narrowest first.

    The `count` narrowest are kept, and every language where another system is ahead.
    """
    found = []
    for group, by in report.groups.items():
        metric = _metric_of(by[ours], min_docs) if group.startswith("lang:") and ours in by else None
        others = [s for s in by if s != ours]
        if metric is None or not others:
            continue
        rival = max(others, key=lambda s: getattr(by[s], metric))
        found.append(Weakness(group, metric, getattr(by[ours], metric), rival, getattr(by[rival], metric),
                              _reason(metric, by[ours], by[rival], rival),
                              _worst(report, group, ours, rival, WORST_DOCUMENTS)))
    found.sort(key=lambda w: w.gap)
    return [w for rank, w in enumerate(found) if rank < count or w.gap < 0]


Floors = dict[str, float | dict[str, float]]


def _below(value: float, margin: float) -> float:
    scale = 10**FLOOR_DECIMALS
    return max(0.0, math.floor((value - margin) * scale + 1e-9) / scale)


def floors_of(report: Report, system: str = "cleaner", margin: float = FLOOR_MARGIN,
              min_docs: int = MIN_GROUP_DOCS) -> Floors:
    """Floors a margin under a system's scores: F1 (a number), or per metric where snippets are scored too."""
    floors: Floors = {}
    for group, by in report.groups.items():
        summary = by[system]
        metrics = [m for m in (F1, *SNIPPET_METRICS) if summary.metric_documents(m) >= min_docs]
        values = {m: _below(getattr(summary, m), margin) for m in metrics}
        if values:
            floors[group] = values[F1] if list(values) == [F1] else values
    return floors


def floor_breaches(report: Report, floors: Mapping[str, Any], system: str = "cleaner") -> list[str]:
    """One line per floor the system's scores fall below (a number is an F1 floor; a mapping, per metric)."""
    breaches = []
    for group, floor in floors.items():
        by = report.groups.get(group)
        for metric, value in (floor.items() if isinstance(floor, Mapping) else [(F1, floor)]):
            if metric not in FLOOR_METRICS:
                breaches.append(f"{group}: unknown metric {metric!r} (expected one of: {', '.join(FLOOR_METRICS)})")
            elif by is None or not by[system].metric_documents(metric):
                breaches.append(f"{group}: no documents ({metric} floor {value})")
            elif getattr(by[system], metric) + FLOOR_TOLERANCE < value:
                breaches.append(f"{group}: {metric} {getattr(by[system], metric):.4f} is below its floor {value}")
    return breaches
