"""`cleaner report OUT -o report.html`: one self-contained HTML page about a corpus run.

It reads a `cleaner clean` output directory: `summary.json` (totals, sites,
languages, failures), `removals.jsonl` (streamed once, whatever its size)
and, for the few documents it shows, their clean texts, from which each
original is rebuilt with `restore()` (the log's lossless promise) and
checked against the log before it is shown.

What the page holds stays bounded whatever the size of the run:

- counters per rule and category (one entry per rule that fired);
- per rule, `RULE_LISTED_DOCS` documents where it fired, chosen by a hash of
  the document id (deterministic, and unbiased by the input order);
- the `TOP_DOCS` documents where most characters were removed;
- the documents shown with their removals highlighted: the top ones, the
  first examples of each rule (`RULE_SHOWN_DOCS`) and `SAMPLE_DOCS` chosen by
  hash, rendered within a byte budget (see `cleaner.report_page`).

While streaming, only the log records of documents that are still
candidates to be shown are held in memory.
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Category, Removal

LOG_NAME = "removals.jsonl"  # as cleaner.writers names them (not imported: writers pulls in the engine)
SUMMARY_NAME = "summary.json"
REPORT_NAME = "report.html"
SAMPLE_DOCS = 150  # documents shown, chosen by a hash of their id
TOP_DOCS = 25  # documents with the most removed characters, listed
TOP_SHOWN_FIRST = 5  # of those, shown before anything else (the others after the sample: they are big)
RULE_LISTED_DOCS = 12  # documents listed per rule, chosen by hash
RULE_SHOWN_DOCS = 2  # of those, the ones whose text is shown (budget permitting)
LAYOUT = Category.WHITESPACE.value  # layout edits: restored, never counted as removed content
OK, FAILED, USAGE = 0, 1, 2
_DECODER = json.JSONDecoder()

NOT_A_RUN = "{path}: not a cleaner output directory (no {log}; make one with `cleaner clean INPUT -o OUT`)"
NO_CLEAN_TEXT = "its clean text was not found in the output directory"
MISFIT = "its clean text does not fit the log ({reason})"


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What the rule book says about a rule: where it is written and what it is for."""

    source: str
    line: int
    description: str


@dataclass(frozen=True, slots=True)
class RuleStat:
    """One rule over the run: removed lines and characters, documents, a sample of them."""

    rule: str
    category: str
    source: str
    lines: int
    chars: int
    docs: int
    sample: tuple[str, ...]  # document ids, by hash


@dataclass(frozen=True, slots=True)
class DocStat:
    """One document's content removals: how many, how many characters, which rules (most first)."""

    doc: str
    removals: int
    chars: int
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ShownDoc:
    """A document to show: its log, and its original when it could be rebuilt (else `why` not)."""

    stat: DocStat
    removals: tuple[Removal, ...]
    original: str | None
    why: str = ""


@dataclass(frozen=True, slots=True)
class RunReport:
    """Everything the page shows, aggregated and sampled."""

    name: str
    summary: Mapping[str, Any]
    log_records: int
    log_docs: int
    bad_lines: int
    categories: tuple[tuple[str, int, int], ...]  # (category, lines, chars), most characters first
    rules: tuple[RuleStat, ...]  # most lines first
    book: Mapping[str, RuleInfo]
    never_fired: tuple[str, ...]
    top: tuple[DocStat, ...]
    shown: tuple[ShownDoc, ...]  # in the order they are worth showing


def doc_hash(doc: str) -> int:
    """A stable 64-bit hash of a document id: the sampling order.

    >>> doc_hash("a") == doc_hash("a") != doc_hash("b")
    True
    """
    return int.from_bytes(hashlib.blake2b(doc.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


class _Smallest:
    """The `size` documents with the smallest keys seen so far; `offer` says who got in and who went."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.heap: list[tuple[Any, str]] = []  # keys negated: heap[0] is the largest kept key

    def offer(self, key: Any, doc: str) -> tuple[bool, str | None]:
        entry = (_negate(key), doc)
        if len(self.heap) < self.size:
            heapq.heappush(self.heap, entry)
            return True, None
        if self.size and entry > self.heap[0]:
            return True, heapq.heapreplace(self.heap, entry)[1]
        return False, None

    def ordered(self) -> list[str]:
        """The kept documents, smallest key first."""
        return [doc for _, doc in sorted(self.heap, reverse=True)]


def _negate(key: Any) -> Any:
    return tuple(-k for k in key) if isinstance(key, tuple) else -key


@dataclass
class _Rule:
    category: str
    source: str
    lines: int = 0
    chars: int = 0
    docs: int = 0
    listed: _Smallest = field(default_factory=lambda: _Smallest(RULE_LISTED_DOCS))
    shown: _Smallest = field(default_factory=lambda: _Smallest(RULE_SHOWN_DOCS))


class LogScan:
    """The removal log added up document by document, with bounded samples of documents."""

    def __init__(self, sample: int = SAMPLE_DOCS, top: int = TOP_DOCS) -> None:
        self.records = 0
        self.docs = 0
        self.bad_lines = 0
        self.rules: dict[str, _Rule] = {}
        self.categories: dict[str, list[int]] = {}
        self.sample = _Smallest(sample)
        self.top = _Smallest(top)  # key (-chars, hash): most removed first, ties by hash
        self.stats: dict[str, DocStat] = {}  # documents in any sample
        self.held: dict[str, list[dict[str, Any]]] = {}  # their log records
        self.refs: Counter[str] = Counter()

    def add(self, doc: str, records: list[dict[str, Any]]) -> None:
        """Count one document's log records (consecutive in the log)."""
        self.records += len(records)
        self.docs += 1
        content = [r for r in records if r.get("category") != LAYOUT]
        per_rule: Counter[str] = Counter()
        for record in content:
            self._count(record)
            per_rule[str(record.get("rule"))] += len(str(record.get("text", "")))
        stat = DocStat(doc, len(content), sum(per_rule.values()), tuple(r for r, _ in per_rule.most_common()))
        key = doc_hash(doc)
        self._offer(self.sample, key, stat, records)
        self._offer(self.top, (-stat.chars, key), stat, records)
        for rule in per_rule:
            entry = self.rules[rule]
            entry.docs += 1
            entry.listed.offer(key, doc)
            self._offer(entry.shown, key, stat, records)

    def _count(self, record: dict[str, Any]) -> None:
        rule, category, chars = str(record.get("rule")), str(record.get("category")), len(str(record.get("text", "")))
        entry = self.rules.get(rule)
        if entry is None:
            entry = self.rules[rule] = _Rule(category, str(record.get("source", "")))
        entry.lines += 1
        entry.chars += chars
        totals = self.categories.setdefault(category, [0, 0])
        totals[0] += 1
        totals[1] += chars

    def _offer(self, sample: _Smallest, key: Any, stat: DocStat, records: list[dict[str, Any]]) -> None:
        admitted, evicted = sample.offer(key, stat.doc)
        if admitted:
            self.refs[stat.doc] += 1
            self.held.setdefault(stat.doc, records)
            self.stats.setdefault(stat.doc, stat)
        if evicted is not None:
            self.refs[evicted] -= 1
            if self.refs[evicted] <= 0:
                del self.refs[evicted], self.held[evicted], self.stats[evicted]

    def shown_order(self) -> list[str]:
        """The documents worth showing, best first: a few top ones, each rule's first example, the sample,
        the other top ones, the rules' other examples."""
        by_rule = [entry.shown.ordered() for entry in self._rules_by_lines()]
        top = self.top.ordered()
        order = [*top[:TOP_SHOWN_FIRST], *(docs[0] for docs in by_rule if docs), *self.sample.ordered(),
                 *top[TOP_SHOWN_FIRST:], *(doc for docs in by_rule for doc in docs[1:])]
        return list(dict.fromkeys(order))

    def _rules_by_lines(self) -> list[_Rule]:
        return [self.rules[r] for r in sorted(self.rules, key=lambda r: (-self.rules[r].lines, r))]

    def rule_stats(self) -> tuple[RuleStat, ...]:
        """Every rule that fired, most removed lines first."""
        ordered = sorted(self.rules.items(), key=lambda item: (-item[1].lines, item[0]))
        return tuple(RuleStat(rule, e.category, e.source, e.lines, e.chars, e.docs, tuple(e.listed.ordered()))
                     for rule, e in ordered)


def read_log(path: Path, scan: LogScan) -> None:
    """Stream the removal log into `scan`, one document (run of records with one `doc`) at a time."""
    doc: str | None = None
    records: list[dict[str, Any]] = []
    for record in _records(path, scan):
        name = str(record.get("doc", ""))
        if name != doc and doc is not None:
            scan.add(doc, records)
            records = []
        doc = name
        records.append(record)
    if doc is not None:
        scan.add(doc, records)


def _records(path: Path, scan: LogScan) -> Iterator[dict[str, Any]]:
    # Binary lines: JSON leaves U+2028 unescaped, which text-mode line splitting would cut at.
    decode = _DECODER.decode  # on str: json.loads would sniff each line's encoding first
    with open(path, "rb") as log:
        for line in log:
            if not line.strip():
                continue
            try:
                record = decode(line.decode("utf-8"))
            except ValueError:  # UnicodeDecodeError included
                record = None
            if isinstance(record, dict):
                yield record
            else:
                scan.bad_lines += 1


def clean_text_paths(out_dir: Path, doc: str) -> Iterator[Path]:
    """Where a file document's clean text can be, most specific first (the id's path, shorter and shorter).

    A run mirrors a directory below OUT, so `in/a/b.html` is `OUT/a/b.html.txt` when `in/` was given,
    `OUT/in/a/b.html.txt` when its parent was. Nothing outside OUT.

    >>> [p.as_posix() for p in clean_text_paths(Path("out"), "in/a/b.html")]
    ['out/in/a/b.html.txt', 'out/a/b.html.txt', 'out/b.html.txt']
    >>> [p.as_posix() for p in clean_text_paths(Path("out"), "../../etc/passwd")]
    ['out/etc/passwd.txt', 'out/passwd.txt']
    """
    from .readers import output_name

    parts = [p for p in Path(doc).parts if p not in ("", ".", "..", "/")]
    for first in range(len(parts)):
        yield out_dir / output_name(Path(*parts[first:]))


def find_clean_texts(out_dir: Path, docs: Sequence[str], id_field: str, text_field: str) -> dict[str, str]:
    """The clean texts of `docs`: mirrored files first, then the output JSONL files' records."""
    found: dict[str, str] = {}
    for doc in docs:
        for path in clean_text_paths(out_dir, doc) if "\0" not in doc else ():  # no NUL in a path
            if path.is_file():
                found[doc] = path.read_bytes().decode("utf-8", "replace")
                break
    missing = set(docs) - set(found)
    for path in sorted(out_dir.glob("*.jsonl")) if missing else ():
        if path.name != LOG_NAME:
            found.update(_records_texts(path, missing, id_field, text_field))
    return found


def _records_texts(path: Path, wanted: set[str], id_field: str, text_field: str) -> dict[str, str]:
    """Clean texts from one output JSONL: by the id field, else by `FILE:LINE` (the input line number)."""
    stem = path.name[: -len(".jsonl")]
    by_line = {int(line): doc for doc in wanted for file, _, line in [doc.rpartition(":")]
               if line.isdigit() and _stem(file) == stem}
    key = json.dumps(id_field, ensure_ascii=False) + ": "
    found: dict[str, str] = {}
    with open(path, "rb") as records:
        for number, raw in enumerate(records, start=1):
            line = raw.decode("utf-8", "surrogateescape")
            if number not in by_line and not wanted.intersection(_key_values(line, key)):
                continue  # most lines: not parsed at all
            try:
                record = json.loads(raw)
            except ValueError:  # not one of our output lines: nothing to find there
                continue
            value = record.get(id_field) if isinstance(record, dict) else None
            doc = str(value) if isinstance(value, (str, int)) and str(value) in wanted else by_line.get(number)
            if doc is not None and isinstance(record, dict) and isinstance(record.get(text_field), str):
                found[doc] = record[text_field]
    return found


def _key_values(line: str, key: str) -> Iterator[str]:
    """The values after every `"key": ` of a JSON line, without parsing the line.

    Inside a JSON string a quote is escaped, so `"key": ` only ever opens a key (at any depth).

    >>> list(_key_values(r'{"text": "say \\"id\\": 1", "id": "a/1", "n": {"id": 7}}', '"id": '))
    ['a/1', '7']
    """
    start = line.find(key)
    while start >= 0:
        try:
            value, _ = _DECODER.raw_decode(line, start + len(key))
        except ValueError:
            value = None
        if isinstance(value, (str, int)):
            yield str(value)
        start = line.find(key, start + len(key))


def _stem(name: str) -> str:
    name = Path(name).name
    for suffix in (".gz", ".jsonl", ".warc"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name.lstrip(".") or "input"


def rebuild(stat: DocStat, records: list[dict[str, Any]], clean_text: str | None) -> ShownDoc:
    """The document's original from its clean text and log, checked against every record's text."""
    from .restore import RestoreError, restore

    try:
        removals = tuple(sorted((Removal.from_json(r) for r in records), key=lambda r: r.start))
    except (KeyError, ValueError, TypeError) as err:
        return ShownDoc(stat, (), None, f"its log records are malformed ({err})")
    if clean_text is None:
        return ShownDoc(stat, removals, None, NO_CLEAN_TEXT)
    try:
        original = restore(clean_text, removals)
    except RestoreError as err:
        return ShownDoc(stat, removals, None, MISFIT.format(reason=err))
    wrong = next((r for r in removals if original[r.start : r.end] != r.text), None)
    if wrong is not None:
        return ShownDoc(stat, removals, None, MISFIT.format(reason=f"line {wrong.line} differs"))
    return ShownDoc(stat, removals, original)


def rule_book_info(paths: Sequence[str], shipped: bool) -> dict[str, RuleInfo]:
    """Every rule of the run's rule book, by id, with its file, line and description."""
    from .rulefiles import default_rule_book, load_rule_book

    book = load_rule_book(paths, shipped=shipped) if paths or not shipped else default_rule_book()
    return {rule.id: RuleInfo(rule.source, rule.line, rule.description) for rule in book.all_rules()}


def build(out_dir: Path, book: Mapping[str, RuleInfo], *, sample: int = SAMPLE_DOCS,
          id_field: str = "id", text_field: str = "clean_text") -> RunReport:
    """Read a run's output directory into a report (the log streamed once)."""
    scan = LogScan(sample=sample)
    read_log(out_dir / LOG_NAME, scan)
    summary_path = out_dir / SUMMARY_NAME
    summary = json.loads(summary_path.read_bytes()) if summary_path.is_file() else {}
    order = scan.shown_order()
    texts = find_clean_texts(out_dir, order, id_field, text_field)
    shown = tuple(rebuild(scan.stats[doc], scan.held[doc], texts.get(doc)) for doc in order)
    top = tuple(scan.stats[doc] for doc in scan.top.ordered())
    categories = tuple(sorted(((c, n[0], n[1]) for c, n in scan.categories.items()), key=lambda c: (-c[2], c[0])))
    never = tuple(sorted(set(book) - set(scan.rules)))
    return RunReport(out_dir.resolve().name, summary, scan.records, scan.docs, scan.bad_lines, categories,
                     scan.rule_stats(), book, never, top, shown)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `cleaner report`."""
    parser.add_argument("run", type=Path, help="the output directory of a `cleaner clean` run")
    parser.add_argument("-o", "--output", type=Path, help=f"the HTML page to write (default: RUN/{REPORT_NAME})")
    parser.add_argument("--sample", type=int, default=SAMPLE_DOCS, metavar="N",
                        help=f"documents shown by a hash of their id, besides the top ones (default {SAMPLE_DOCS})")
    parser.add_argument("--id-field", default="id", help="JSONL outputs: the document id field (default: id)")
    parser.add_argument("--output-field", default="clean_text",
                        help="JSONL outputs: the clean text field, as given to `cleaner clean` (default: clean_text)")
    parser.add_argument("--rules", action="append", default=[], metavar="PATH",
                        help="the run's extra rule files (for the rules' lines and the rules that never fired)")
    parser.add_argument("--no-shipped-rules", action="store_true", help="the run used only its --rules files")


def run(args: argparse.Namespace) -> int:
    """Write the page; 2 when RUN is not a run's output directory or a rule file is broken."""
    from .report_page import render
    from .rulefiles import RuleFileError

    if not (args.run / LOG_NAME).is_file():
        print(f"cleaner report: {NOT_A_RUN.format(path=args.run, log=LOG_NAME)}", file=sys.stderr)
        return USAGE
    if args.sample < 0:
        print("cleaner report: --sample must be 0 or more", file=sys.stderr)
        return USAGE
    try:
        book = rule_book_info(args.rules, not args.no_shipped_rules)
    except RuleFileError as err:
        _print_lines(err.problems)
        return USAGE
    report = build(args.run, book, sample=args.sample, id_field=args.id_field, text_field=args.output_field)
    target = args.output or args.run / REPORT_NAME
    page = render(report)
    try:
        target.write_text(page.html, encoding="utf-8")
    except OSError as err:
        print(f"cleaner report: {target}: {err.strerror or err}", file=sys.stderr)
        return FAILED
    left_out = f", {page.left_out} left out for size" if page.left_out else ""
    print(f"cleaner report: {target} ({target.stat().st_size / 1e6:.1f} MB; {report.log_docs} documents in the "
          f"log, {page.shown} shown{left_out})", file=sys.stderr)
    return OK


def _print_lines(lines: Iterable[object]) -> None:
    for line in lines:
        print(line, file=sys.stderr)
