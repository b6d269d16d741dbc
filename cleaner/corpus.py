"""A corpus run: many documents in, clean outputs, one removal log and a summary out.

The steps, I/O at both ends:

    readers.iter_items  ->  parallel.ordered_outcomes (work.Worker: decode, clean, serialise)
        ->  chunks of outcomes committed by writers.Journal  ->  removals.jsonl, summary.json

A document that cannot be read or cleaned (whatever the exception) is
counted with its reason and the run goes on. Outputs are committed in
chunks with a journal, so a run killed at any point and started again with
the same arguments finishes the job, every document written exactly once.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from .parallel import ordered_outcomes
from .readers import Fields, Input, iter_items
from .rulebook import RuleBook
from .work import Outcome, Settings, log_records
from .writers import LOG_NAME, SUMMARY_NAME, Journal, record_outputs

COMMIT_EVERY = 1000  # documents per committed chunk: a killed run redoes at most this many
COMMIT_BYTES = 8 * 1024 * 1024  # a chunk is committed early once its outputs reach this many characters
MAX_LISTED_ERRORS = 10_000  # failed documents named in the summary (all are counted by reason)

__all__ = ["LOG_NAME", "SUMMARY_NAME", "Summary", "log_records", "run"]

_COUNTERS = ("per_category", "per_category_chars", "per_rule", "per_rule_chars", "per_site", "per_site_chars",
             "per_lang", "per_lang_chars", "guarded", "timeouts", "errors_by_reason")


@dataclass(slots=True)
class Summary:
    """What a run did, added up over its documents (and over chunks, when resumed).

    Lines and characters removed are counted per category, rule, site and
    language; `*_chars` counters hold characters, the others lines (blocks),
    except `per_site`/`per_lang`, which count documents.
    """

    documents: int = 0
    cleaned: int = 0
    failed_count: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    removed_blocks: int = 0
    removed_chars: int = 0
    input_chars: int = 0
    per_category: Counter[str] = field(default_factory=Counter)
    per_category_chars: Counter[str] = field(default_factory=Counter)
    per_rule: Counter[str] = field(default_factory=Counter)
    per_rule_chars: Counter[str] = field(default_factory=Counter)
    per_site: Counter[str] = field(default_factory=Counter)
    per_site_chars: Counter[str] = field(default_factory=Counter)
    per_lang: Counter[str] = field(default_factory=Counter)
    per_lang_chars: Counter[str] = field(default_factory=Counter)
    guarded: Counter[str] = field(default_factory=Counter)
    timeouts: Counter[str] = field(default_factory=Counter)
    errors_by_reason: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: Outcome) -> None:
        """Count one document's outcome."""
        self.documents += 1
        stats = outcome.stats
        if outcome.error or stats is None:
            self.fail(outcome.doc_id, outcome.error or "no result")
            return
        if stats.over_budget:  # written with what finished, but not fully cleaned: say so
            self.fail(outcome.doc_id, f"over its time budget: {stats.over_budget}")
        else:
            self.cleaned += 1
        self.input_chars += stats.input_chars
        self.removed_blocks += stats.removed_lines
        self.removed_chars += stats.removed_chars
        for rule, (category, lines, chars) in stats.rules.items():
            self.per_category[category] += lines
            self.per_category_chars[category] += chars
            self.per_rule[rule] += lines
            self.per_rule_chars[rule] += chars
        site, lang = stats.site or "(none)", stats.lang or "(unknown)"
        self.per_site[site] += 1
        self.per_site_chars[site] += stats.removed_chars
        self.per_lang[lang] += 1
        self.per_lang_chars[lang] += stats.removed_chars
        self.guarded.update(stats.guarded)
        self.timeouts.update(stats.timeouts)

    def fail(self, doc_id: str, reason: str) -> None:
        """Count a document that could not be read or cleaned."""
        self.failed_count += 1
        self.errors_by_reason[reason_kind(reason)] += 1
        if len(self.failed) < MAX_LISTED_ERRORS:
            self.failed[doc_id] = reason

    def to_state(self) -> dict[str, Any]:
        """Every counter, as the journal keeps the summary so far."""
        state: dict[str, Any] = {name: dict(getattr(self, name)) for name in _COUNTERS}
        state.update(documents=self.documents, cleaned=self.cleaned, failed_count=self.failed_count,
                     failed=self.failed, removed_blocks=self.removed_blocks, removed_chars=self.removed_chars,
                     input_chars=self.input_chars)
        return state

    def merge(self, state: dict[str, Any]) -> None:
        """Add a partial summary written by `to_state`."""
        for name in ("documents", "cleaned", "failed_count", "removed_blocks", "removed_chars", "input_chars"):
            setattr(self, name, getattr(self, name) + state[name])
        for name in _COUNTERS:
            getattr(self, name).update(state[name])
        for doc, reason in state["failed"].items():
            if len(self.failed) < MAX_LISTED_ERRORS:
                self.failed[doc] = reason

    def to_json(self) -> dict[str, Any]:
        def by(lines: Counter[str], chars: Counter[str]) -> dict[str, dict[str, int]]:
            return {k: {"lines": n, "chars": chars[k]} for k, n in lines.most_common()}

        def docs(counts: Counter[str], chars: Counter[str]) -> dict[str, dict[str, int]]:
            return {k: {"documents": n, "removed_chars": chars[k]} for k, n in counts.most_common()}

        return {
            "documents": self.documents,
            "cleaned": self.cleaned,
            "failed": self.failed_count,
            "errors": dict(sorted(self.failed.items())),
            "errors_by_reason": dict(self.errors_by_reason.most_common()),
            "removed_blocks": self.removed_blocks,
            "removed_chars": self.removed_chars,
            "input_chars": self.input_chars,
            "per_category": dict(self.per_category.most_common()),
            "per_rule": dict(self.per_rule.most_common()),
            "per_site": dict(self.per_site.most_common()),
            "per_lang": dict(self.per_lang.most_common()),
            "removed": {
                "by_category": by(self.per_category, self.per_category_chars),
                "by_rule": by(self.per_rule, self.per_rule_chars),
                "by_site": docs(self.per_site, self.per_site_chars),
                "by_lang": docs(self.per_lang, self.per_lang_chars),
            },
            "guard_fired": dict(self.guarded.most_common()),
            "pattern_timeouts": dict(self.timeouts.most_common()),
        }

    def render(self, top: int = 10) -> str:
        """One screen for the terminal."""
        lines = [
            f"documents: {self.documents}  cleaned: {self.cleaned}  failed: {self.failed_count}",
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
        if self.failed_count:
            lines.append("documents with errors: " + ", ".join(f"{k} {v}" for k, v in self.errors_by_reason.items()))
            for doc, reason in list(sorted(self.failed.items()))[:top]:
                lines.append(f"  {doc}: {reason}")
            if self.failed_count > top:
                lines.append(f"  ... and {self.failed_count - top} more (see {SUMMARY_NAME})")
        return "\n".join(lines)


def reason_kind(reason: str) -> str:
    """The reason without its particulars, to count errors by kind.

    >>> reason_kind("not valid UTF-8 (byte 0xe9 at offset 5)"), reason_kind("DocumentTimeout: over 5 s")
    ('not valid UTF-8', 'DocumentTimeout')
    """
    return reason.split(" (")[0].split(": ")[0]


def run(
    inputs: list[Input],
    out_dir: Path,
    settings: Settings | None = None,
    *,
    jobs: int = 1,
    commit_every: int = COMMIT_EVERY,
    progress: bool = False,
    book: RuleBook | None = None,
) -> Summary:
    """Clean every input into `out_dir`; resume the same run if one was killed there.

    Files are mirrored as clean texts, record inputs (JSONL, WARC) become
    one JSONL each; `removals.jsonl` and `summary.json` go beside them.
    `book` is the settings' rule book, when the caller has loaded it.
    """
    settings = settings or Settings()
    journal = Journal(out_dir, run_key(inputs, settings))
    items = islice(iter_items(inputs, settings.fields), journal.done_documents, None)
    documents = journal.done_documents
    summary = Summary()
    if journal.summary_state:
        summary.merge(journal.summary_state)
    chunk: list[Outcome] = []
    size = 0
    for outcome in _with_progress(ordered_outcomes(items, settings, jobs, book), progress, documents):
        documents += 1
        summary.add(outcome)
        chunk.append(outcome)
        size += len(outcome.output) + len(outcome.log)
        if len(chunk) >= commit_every or size >= COMMIT_BYTES:
            journal.commit(chunk, summary.to_state(), documents)
            chunk, size = [], 0
    if chunk or not journal.chunks:
        journal.commit(chunk, summary.to_state(), documents)
    text = json.dumps(summary.to_json(), ensure_ascii=False, indent=2) + "\n"
    journal.finish(record_outputs(inputs, out_dir), text)
    return summary


def run_key(inputs: list[Input], settings: Settings) -> dict[str, Any]:
    """What makes a run the same run: its inputs (with size and time) and its settings."""
    def describe(source: Input) -> list[Any]:
        path = Path(source.given)
        if source.given == "-" or not path.exists():
            return [source.given, source.kind]
        stat = path.stat()
        return [str(path.resolve()), source.kind, stat.st_size, stat.st_mtime_ns]

    options = settings.options
    return json.loads(json.dumps({
        "inputs": [describe(s) for s in inputs],
        "rules": [str(Path(p).resolve()) for p in settings.rule_paths], "shipped": settings.shipped,
        "options": [options.site, options.use_sites, options.max_rule_file_share, options.max_passes, options.format],
        "lang": settings.lang, "url": settings.url, "fields": list(_fields(settings.fields)),
    }))


def _fields(fields: Fields) -> Iterator[str]:
    yield from (fields.text, fields.html, fields.url, fields.id, fields.lang, fields.output)


def _with_progress(outcomes: Iterator[Outcome], enabled: bool, done: int) -> Iterator[Outcome]:
    """The outcomes, with a progress bar on stderr when it is a terminal and enabled."""
    if not enabled or not sys.stderr.isatty():
        yield from outcomes
        return
    from tqdm import tqdm

    with tqdm(outcomes, initial=done, unit=" doc", file=sys.stderr, mininterval=0.5, smoothing=0.1) as bar:
        yield from bar
