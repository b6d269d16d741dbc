"""A corpus run: many documents in, clean texts, one removal log and a summary out.

Readers and writers live here; every document goes through the pure
`clean()`. A document that cannot be read or cleaned is counted with its
reason and the run goes on.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .engine import DEFAULT_OPTIONS, Options, clean
from .io import InputError, Source, read_text, safe_join, write_atomic
from .model import Result
from .rulebook import RuleBook

LOG_NAME = "removals.jsonl"
SUMMARY_NAME = "summary.json"


@dataclass(slots=True)
class Summary:
    """What a run did, added up over its documents."""

    documents: int = 0
    cleaned: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    removed_blocks: int = 0
    removed_chars: int = 0
    input_chars: int = 0
    per_category: Counter[str] = field(default_factory=Counter)
    per_rule: Counter[str] = field(default_factory=Counter)
    per_site: Counter[str] = field(default_factory=Counter)
    per_lang: Counter[str] = field(default_factory=Counter)
    guarded: Counter[str] = field(default_factory=Counter)
    timeouts: Counter[str] = field(default_factory=Counter)

    def add(self, result: Result, length: int) -> None:
        """Count one cleaned document."""
        self.cleaned += 1
        self.input_chars += length
        self.removed_blocks += result.stats.removed_blocks
        self.removed_chars += result.stats.removed_chars
        self.per_category.update(result.stats.per_category)
        self.per_rule.update(result.stats.per_rule)
        self.per_site[result.site or "(none)"] += 1
        self.per_lang[result.lang or "(unknown)"] += 1
        self.guarded.update(result.stats.guarded)
        self.timeouts.update(result.stats.timeouts)

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "cleaned": self.cleaned,
            "failed": len(self.failed),
            "errors": dict(sorted(self.failed.items())),
            "errors_by_reason": dict(Counter(_reason_kind(r) for r in self.failed.values())),
            "removed_blocks": self.removed_blocks,
            "removed_chars": self.removed_chars,
            "input_chars": self.input_chars,
            "per_category": dict(self.per_category.most_common()),
            "per_rule": dict(self.per_rule.most_common()),
            "per_site": dict(self.per_site.most_common()),
            "per_lang": dict(self.per_lang.most_common()),
            "guard_fired": dict(self.guarded.most_common()),
            "pattern_timeouts": dict(self.timeouts.most_common()),
        }

    def render(self, top: int = 10) -> str:
        """One screen for the terminal."""
        lines = [
            f"documents: {self.documents}  cleaned: {self.cleaned}  failed: {len(self.failed)}",
            f"removed: {self.removed_blocks} blocks, {self.removed_chars} of {self.input_chars} characters",
        ]
        if self.per_category:
            lines.append("by category: " + ", ".join(f"{k} {v}" for k, v in self.per_category.most_common()))
        if self.per_rule:
            lines.append("top rules:")
            lines.extend(f"  {v:>7}  {k}" for k, v in self.per_rule.most_common(top))
            if len(self.per_rule) > top:
                lines.append(f"  ... and {len(self.per_rule) - top} more rules (see {SUMMARY_NAME})")
        if self.guarded:
            lines.append("guard fired (a rule file would have removed most of a document): "
                         + ", ".join(f"{k} {v}" for k, v in self.guarded.most_common()))
        if self.timeouts:
            lines.append("patterns out of time: " + ", ".join(f"{k} {v}" for k, v in self.timeouts.most_common()))
        if self.failed:
            lines.append("documents with errors:")
            for doc, reason in list(sorted(self.failed.items()))[:top]:
                lines.append(f"  {doc}: {reason}")
            if len(self.failed) > top:
                lines.append(f"  ... and {len(self.failed) - top} more (see {SUMMARY_NAME})")
        return "\n".join(lines)


def _reason_kind(reason: str) -> str:
    return reason.split(" (")[0]


def log_records(doc_id: str, result: Result) -> Iterable[str]:
    """The removal log lines of one document, in the order of its text."""
    for removal in result.removals:
        yield json.dumps({"doc": doc_id, **removal.to_json()}, ensure_ascii=False)


def run(
    sources: Iterable[Source],
    out_dir: Path,
    *,
    rules: RuleBook | None = None,
    options: Options = DEFAULT_OPTIONS,
    lang: str | None = None,
    url: str | None = None,
) -> Summary:
    """Clean every source into `out_dir`, mirroring the tree; write the log and summary."""
    summary = Summary()
    log: list[str] = []
    for source in sources:
        summary.documents += 1
        try:
            text = read_text(source.path)
            result = clean(text, url=url, lang=lang, rules=rules, options=options)
            write_atomic(safe_join(out_dir, source.relative), result.text)
        except InputError as err:
            summary.failed[source.doc_id] = str(err)
            continue
        except RecursionError:
            summary.failed[source.doc_id] = "document too deeply nested"
            continue
        summary.add(result, len(text))
        log.extend(log_records(source.doc_id, result))
    write_atomic(out_dir / LOG_NAME, "".join(f"{line}\n" for line in log))
    write_atomic(out_dir / SUMMARY_NAME, json.dumps(summary.to_json(), ensure_ascii=False, indent=2) + "\n")
    return summary
