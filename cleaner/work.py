"""The work done for one document, in whichever process runs it.

A `Worker` holds what every document needs (the rule book, loaded once per
process, and the run's settings) and turns an `Item` (raw bytes from a
reader) into an `Outcome`: the output to write (the clean text of a file, or
the output JSONL line of a record), the document's removal-log lines, and
its numbers for the summary. Decoding, JSON parsing and serialising happen
here too, so that with `--jobs N` the main process only reads and writes.

Any exception raised while cleaning one document (a bug, a time-out, a page
too deep) becomes that document's error, named by the exception's type and
message; the run goes on.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .encoding import decode_page
from .engine import DEFAULT_OPTIONS, Options, clean
from .io import InputError, decode
from .model import Result
from .readers import DEFAULT_FIELDS, Fields, Item
from .rulebook import RuleBook
from .rulefiles import default_rule_book, load_rule_book

# A corpus process's garbage collector: the rule book, the lexicons and a page's parsed tree make
# long-lived objects that every full collection walked again (11% of the CPU time of cleaning
# pages); frozen after loading, and with fewer young collections, they cost next to nothing.
# Objects are freed by reference counting as ever; only cycles wait a little longer.
CORPUS_GC_THRESHOLDS = (50_000, 20, 100)
ERROR_FIELD = "clean_error"  # added to an output record whose document could not be cleaned
NO_TEXT = "no text field"
NOT_AN_OBJECT = "not a JSON object"
# One encoder for every record: `json.dumps` with any non-default option builds a new one per call.
_JSON = json.JSONEncoder(ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Settings:
    """What every worker needs to know about the run (picklable).

    `rule_paths`/`shipped`: the rule book to load (once per process);
    `lang`/`url`: defaults for documents that do not carry their own.
    """

    rule_paths: tuple[str, ...] = ()
    shipped: bool = True
    options: Options = DEFAULT_OPTIONS
    lang: str | None = None
    url: str | None = None
    fields: Fields = DEFAULT_FIELDS

    def rule_book(self) -> RuleBook:
        if self.rule_paths or not self.shipped:
            return load_rule_book(self.rule_paths, shipped=self.shipped)
        return default_rule_book()


@dataclass(frozen=True, slots=True)
class DocStats:
    """One cleaned document's numbers, as the summary adds them up.

    `rules` maps a rule id to (category, removed lines, removed characters).
    """

    input_chars: int
    blocks: int
    removed_lines: int
    removed_chars: int
    site: str | None
    lang: str | None
    rules: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    guarded: tuple[str, ...] = ()
    timeouts: tuple[str, ...] = ()
    over_budget: str = ""  # the cleaning stopped early (written, but reported as failed)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one document: output, log lines and numbers, or an error.

    `output` is "" when there is nothing to write (a file that failed).
    """

    doc_id: str
    target: Path | int
    output: str
    log: str
    stats: DocStats | None
    error: str = ""


def log_records(doc_id: str, result: Result) -> Iterable[str]:
    """The removal log lines of one document, in the order of its text."""
    for removal in result.removals:
        yield _JSON.encode({"doc": doc_id, **removal.to_json()})


def doc_stats(result: Result, length: int) -> DocStats:
    """The summary's numbers for one result."""
    rules: dict[str, tuple[str, int, int]] = {}
    for cut in result.cuts:
        category, lines, chars = rules.get(cut.rule, (cut.category.value, 0, 0))
        rules[cut.rule] = (category, lines + 1, chars + len(cut.text))
    stats = result.stats
    return DocStats(length, stats.blocks, stats.removed_blocks, stats.removed_chars, result.site, result.lang,
                    rules, tuple(stats.guarded), tuple(stats.timeouts), stats.over_budget)


def describe(error: BaseException) -> str:
    """An exception as a document's error reason: its type and message."""
    if isinstance(error, InputError):
        return str(error)
    if isinstance(error, RecursionError):
        return "document too deeply nested"
    message = str(error).strip().split("\n")[0][:300]
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


class Worker:
    """Cleans items; one per process, holding the rule book loaded once."""

    def __init__(self, settings: Settings, book: RuleBook | None = None) -> None:
        self.settings = settings
        self.book = book if book is not None else settings.rule_book()

    def process_all(self, items: Sequence[Item]) -> list[Outcome]:
        return [self.process(item) for item in items]

    def process(self, item: Item) -> Outcome:
        """The outcome of one item; never raises for a bad document."""
        record: dict[str, Any] | None = None
        doc_id = item.doc_id
        try:
            if item.error:
                raise InputError(item.error)
            if item.kind == "jsonl":
                record = _json_object(item.payload)
                doc_id = _record_id(record, self.settings.fields, item.doc_id)
                text, url, lang, format = self._record_text(record)
            elif item.kind == "warc":
                record = dict(item.meta)
                text, url, lang, format = decode_page(item.payload, item.meta.get("content_type", "")), \
                    item.meta.get("url"), self.settings.lang, "html"
            else:
                text = decode_page(item.payload, "", strict=True) if item.kind == "html" else decode(item.payload)
                url, lang = self.settings.url, self.settings.lang
                format = "html" if item.kind == "html" else self.settings.options.format
            options = self.settings.options
            if format != options.format:
                options = replace(options, format=format)
            result = clean(text, url=url, lang=lang, rules=self.book, options=options)
        except Exception as err:
            return self._failed(item, doc_id, record, describe(err))
        log = "".join(f"{line}\n" for line in log_records(doc_id, result))
        stats = doc_stats(result, len(text))
        if record is None:
            return Outcome(doc_id, item.target, result.text, log, stats)
        record[self.settings.fields.output] = result.text
        return Outcome(doc_id, item.target, _dumps(record), log, stats)

    def _record_text(self, record: dict[str, Any]) -> tuple[str, str | None, str | None, str]:
        fields = self.settings.fields
        url = _string(record, fields.url) or self.settings.url
        lang = _string(record, fields.lang) or self.settings.lang
        text = _string(record, fields.text)
        if text is not None:
            return text, url, lang, self.settings.options.format
        page = _string(record, fields.html)
        if page is not None:
            return page, url, lang, "html"
        looked = ", ".join(f for f in (fields.text, fields.html) if f)
        raise InputError(f"{NO_TEXT} (looked for: {looked})")

    def _failed(self, item: Item, doc_id: str, record: dict[str, Any] | None, reason: str) -> Outcome:
        return failed_outcome(self.settings, item, reason, doc_id, record)


def failed_outcome(
    settings: Settings, item: Item, reason: str, doc_id: str | None = None, record: dict[str, Any] | None = None
) -> Outcome:
    """The outcome of an item that could not be cleaned, with its reason."""
    doc_id = doc_id or item.doc_id
    if isinstance(item.target, Path) or item.kind == "missing":
        return Outcome(doc_id, item.target, "", "", None, reason)
    # A record stream keeps one output line per input document, failed or not.
    if record is None and item.kind == "jsonl":
        try:
            record = _json_object(item.payload)
            doc_id = _record_id(record, settings.fields, doc_id)
        except InputError:
            record = None
    kept = dict(record) if record is not None else {settings.fields.id or "id": doc_id}
    kept[settings.fields.output] = None
    kept[ERROR_FIELD] = reason
    return Outcome(doc_id, item.target, _dumps(kept), "", None, reason)


def _dumps(record: dict[str, Any]) -> str:
    return _JSON.encode(record) + "\n"


def _json_object(line: bytes) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except (UnicodeDecodeError, ValueError) as err:
        raise InputError(f"not valid JSON ({str(err)[:200]})") from None
    if not isinstance(record, dict):
        raise InputError(NOT_AN_OBJECT)
    return record


def _record_id(record: dict[str, Any], fields: Fields, fallback: str) -> str:
    value = record.get(fields.id) if fields.id else None
    return str(value) if isinstance(value, (str, int)) and str(value) else fallback


def _string(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name) if name else None
    return value if isinstance(value, str) else None


_WORKER: Worker | None = None


def init_process(settings: Settings, book: RuleBook | None = None) -> None:
    """Pool initializer: the rules loaded once in this worker process (or inherited, when forked).

    The worker process is the run's own: its collector keeps the corpus settings for its life.
    """
    global _WORKER
    _WORKER = Worker(settings, book)
    tune_collector()


def tune_collector() -> None:
    """Freeze what is alive now (the loaded rules) and collect young objects less often (CORPUS_GC_THRESHOLDS)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*CORPUS_GC_THRESHOLDS)


@contextmanager
def corpus_collector() -> Iterator[None]:
    """The corpus settings of the garbage collector for a run in this process, restored afterwards.

    Objects are unfrozen afterwards only when none were frozen before (`gc.unfreeze` thaws them all).
    """
    thresholds = gc.get_threshold()
    frozen_before = gc.get_freeze_count()
    tune_collector()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()
        gc.set_threshold(*thresholds)


def process_batch(items: Sequence[Item]) -> list[Outcome]:
    """Clean a batch of items in a worker process (after `init_process`)."""
    assert _WORKER is not None, "init_process() was not called in this worker"
    return _WORKER.process_all(items)
