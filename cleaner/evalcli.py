"""`cleaner eval`: score the cleaner on gold JSONL next to doing nothing and reference extractors.

Every document with gold text (or `with`/`without` snippets) is scored for
each system side by side (see `cleaner.evaluate`): doing nothing (the input
field as it is, or `--baseline-field`'s text), the cleaner, and each
`--reference` extractor run on the same field's raw page: `trafilatura`
(`trafilatura.extract(page, url=...)`, default settings) and `readability`
(readability-lxml's `Document(page).summary()`, its HTML turned into one text
block per paragraph). References are slow, so their outputs are cached in
`--cache-dir` (one JSONL file per extractor and version, keyed by document id
and a hash of the page and URL): a second run only re-runs the cleaner.

Floors are values per group (`overall`, `lang:xx`, `source:yy`) in a JSON
file: a number is an F1 floor, an object gives floors per metric (`f1`,
`snippet_recall`, ...). A score below its floor fails the run (exit 1).
`--write-floors FILE` pins floors a margin under this run's scores.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import itertools
import json
import logging
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .engine import FORMATS, Options, clean
from .evaluate import FLOOR_MARGIN, Report, evaluate, floor_breaches, floors_of, format_report, read_jsonl, weakest
from .rulebook import RuleBook

OK, FAILED, USAGE = 0, 1, 2
OURS = "cleaner"
NOTHING = "no cleaning"
DEFAULT_CACHE = Path("out") / "eval-cache"
# Bump when the way a reference's output is turned into text changes: older cache entries then go unused.
ADAPTER_REVISION = "1"
INSTALL_HINT = "install the bench extra: pip install -e '.[bench]' (make eval does)"
WEAKEST_DEFAULT = 3
ERRORS_SHOWN = 3
# Elements that start and end a paragraph when readability's HTML becomes text.
BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd pre blockquote table tr td th caption figure figcaption "
    "section article header footer aside main nav address details summary br hr body html".split()
)
HIDDEN_TAGS = frozenset("script style noscript template head title".split())


class GoldFileError(Exception):
    """The gold file could not be read or parsed."""


@dataclass(frozen=True, slots=True)
class Reference:
    """A reference extractor: (page, url) to text."""

    name: str
    version: str
    extract: Callable[[str, str | None], str]

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"


def fragment_text(fragment: str) -> str:
    """The text of an HTML fragment, one block per paragraph, blocks separated by a blank line.

    >>> fragment_text("<div><h1>Title</h1><p>One <b>two</b></p>three<br>four</div>")
    'Title\\n\\nOne two\\n\\nthree\\n\\nfour'
    """
    from lxml import etree, html

    try:
        root = html.fromstring(fragment)
    except (etree.ParserError, ValueError):
        return ""
    blocks: list[str] = []
    current: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in BLOCK_TAGS:
            blocks.append(" ".join("".join(current).split()))
            current.clear()
        if event == "start" and tag and tag not in HIDDEN_TAGS and element.text:
            current.append(element.text)
        if event == "end" and element.tail and element is not root:
            current.append(element.tail)
    blocks.append(" ".join("".join(current).split()))
    return "\n\n".join(block for block in blocks if block)


def load_trafilatura() -> Reference:
    """trafilatura with its default settings."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

    def extract(page: str, url: str | None) -> str:
        return trafilatura.extract(page, url=url) or ""

    return Reference("trafilatura", trafilatura.__version__, extract)


def load_readability() -> Reference:
    """readability-lxml: the summary's HTML as paragraphs of text."""
    from importlib.metadata import version

    from readability import Document

    logging.getLogger("readability").setLevel(logging.CRITICAL)  # it logs a traceback per unparseable page

    def extract(page: str, url: str | None) -> str:
        return fragment_text(Document(page).summary())

    return Reference("readability", version("readability-lxml"), extract)


REFERENCES: dict[str, Callable[[], Reference]] = {"trafilatura": load_trafilatura, "readability": load_readability}


@dataclass(slots=True)
class ReferenceCache:
    """A reference's outputs on disk, one JSON line per (document id, input hash); counts hits and misses."""

    reference: Reference
    directory: Path | None
    entries: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def path(self) -> Path | None:
        if self.directory is None:
            return None
        version = re.sub(r"[^\w.+-]", "_", self.reference.version)
        return self.directory / f"{self.reference.name}-{version}-r{ADAPTER_REVISION}.jsonl"

    def load(self) -> ReferenceCache:
        """Read the cache file; a torn last line (an interrupted run) is skipped."""
        if self.path is not None and self.path.is_file():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                    self.entries[(entry["id"], entry["input"])] = entry
                except (ValueError, KeyError, TypeError):
                    continue
        return self

    def output(self, doc_id: str, page: str, url: str | None) -> str:
        """The reference's text for a page: from the cache, else extracted now (and cached)."""
        key = (doc_id, hashlib.sha256(f"{url or ''}\n{page}".encode("utf-8", "surrogatepass")).hexdigest())
        entry = self.entries.get(key)
        if entry is None:
            entry = self._extract(doc_id, key[1], page, url)
        else:
            self.hits += 1
        if entry.get("error"):
            self.errors.append(f"{doc_id}: {entry['error']}")
        return str(entry.get("text", ""))

    def _extract(self, doc_id: str, digest: str, page: str, url: str | None) -> dict[str, Any]:
        self.misses += 1
        started = time.perf_counter()
        try:
            entry: dict[str, Any] = {"id": doc_id, "input": digest, "text": self.reference.extract(page, url)}
        except Exception as err:  # any failure of a reference on a page: scored as an empty output, counted
            entry = {"id": doc_id, "input": digest, "text": "", "error": f"{type(err).__name__}: {err}"[:300]}
        self.seconds += time.perf_counter() - started
        self.entries[(doc_id, digest)] = entry
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return entry

    def render(self) -> str:
        rate = f", {self.misses / self.seconds:.1f} pages/s" if self.misses and self.seconds else ""
        where = f" in {self.path}" if self.path else " (no cache)"
        return (f"{self.reference.label}: {self.hits} cached, {self.misses} extracted now ({self.seconds:.1f} s"
                f"{rate}), {len(self.errors)} failed{where}")

    def to_json(self) -> dict[str, Any]:
        return {"name": self.reference.name, "version": self.reference.version, "hits": self.hits,
                "misses": self.misses, "errors": len(self.errors), "seconds": round(self.seconds, 2),
                "cache": str(self.path) if self.path else None}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The eval command's own options (the rule options are added by the CLI)."""
    parser.add_argument("gold", type=Path, help="JSONL (.gz) with the input text and the gold text per document")
    parser.add_argument("--field", default="scraped_container", help="field with the text (or page) to clean")
    parser.add_argument("--gold-field", default="gold", help="field with the gold text")
    parser.add_argument("--format", choices=FORMATS, default="auto",
                        help="read the field as text or as an HTML page (default: HTML when it opens like a page)")
    parser.add_argument("--baseline-field", metavar="F",
                        help="the no-cleaning baseline outputs this field as it is (default: --field; '' for none)")
    parser.add_argument("--reference", action="append", default=[], metavar="NAME",
                        help=f"also score a reference extractor on the field: {', '.join(REFERENCES)} (repeatable)")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE,
                        help=f"where reference outputs are cached (default {DEFAULT_CACHE})")
    parser.add_argument("--no-cache", action="store_true", help="run the references on every page, cache nothing")
    parser.add_argument("--use-lang", action="store_true", help="pass each document's `lang` field to the cleaner")
    parser.add_argument("--json", type=Path, help="also write the scores as JSON here")
    parser.add_argument("--floors", type=Path, help="JSON of floors per group; exit 1 when a score falls below")
    parser.add_argument("--write-floors", type=Path, metavar="FILE",
                        help="write floors to FILE: this run's scores minus --floor-margin (re-pinning)")
    parser.add_argument("--floor-margin", type=float, default=FLOOR_MARGIN,
                        help=f"how far under the scores --write-floors pins (default {FLOOR_MARGIN})")
    parser.add_argument("--weakest", type=int, default=WEAKEST_DEFAULT, metavar="N",
                        help=f"list the N languages with the narrowest margin (default {WEAKEST_DEFAULT})")
    parser.add_argument("--limit", type=int, help="score only the first N documents")


def _documents(path: Path, limit: int | None) -> Iterator[dict[str, Any]]:
    try:
        yield from itertools.islice(read_jsonl(path), limit)
    except (OSError, EOFError, ValueError) as err:
        raise GoldFileError(f"{path}: {err}") from err


def _references(names: list[str], cache_dir: Path | None) -> list[ReferenceCache]:
    """Load each reference (ImportError and unknown names become a usage error with its reason)."""
    caches = []
    for name in dict.fromkeys(names):
        if name not in REFERENCES:
            raise GoldFileError(f"unknown reference {name!r} (expected one of: {', '.join(REFERENCES)})")
        try:
            reference = REFERENCES[name]()
        except ImportError as err:
            raise GoldFileError(f"reference {name!r} is not installed ({err}); {INSTALL_HINT}") from err
        caches.append(ReferenceCache(reference, cache_dir).load())
    return caches


def _timed(system: Callable[[Mapping[str, Any]], str], seconds: dict[str, float], name: str
           ) -> Callable[[Mapping[str, Any]], str]:
    def run(doc: Mapping[str, Any]) -> str:
        started = time.perf_counter()
        try:
            return system(doc)
        finally:
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started

    return run


def _systems(args: argparse.Namespace, book: RuleBook | None, options: Options,
             caches: list[ReferenceCache]) -> dict[str, Callable[[Mapping[str, Any]], str]]:
    """Baseline, cleaner, references: the systems scored side by side, in table order."""
    if args.format != "auto":
        options = dataclasses.replace(options, format=args.format)
    baseline = args.field if args.baseline_field is None else args.baseline_field

    def ours(doc: Mapping[str, Any]) -> str:
        lang = doc.get("lang") if args.use_lang else None
        return clean(doc[args.field], url=doc.get("url"), lang=lang, rules=book, options=options).text

    systems: dict[str, Callable[[Mapping[str, Any]], str]] = {}
    if baseline:
        name = NOTHING if baseline == args.field else f"as is: {baseline}"
        systems[name] = lambda doc: doc.get(baseline) or ""
    systems[OURS] = ours
    for cache in caches:
        systems[cache.reference.label] = (
            lambda doc, c=cache: c.output(str(doc.get("id")), doc[args.field], doc.get("url")))
    return systems


def run_eval(args: argparse.Namespace, book: RuleBook | None, options: Options) -> int:
    """Score the cleaner next to the baseline and the references; print tables and the weakest languages."""
    if not args.gold.is_file():
        print(f"cleaner eval: {args.gold}: no such file", file=sys.stderr)
        return FAILED
    seconds: dict[str, float] = {}
    try:
        caches = _references(args.reference, None if args.no_cache else args.cache_dir)
    except GoldFileError as err:
        print(f"cleaner eval: {err}", file=sys.stderr)
        return USAGE
    systems = {name: _timed(system, seconds, name)
               for name, system in _systems(args, book, options, caches).items()}
    started = time.perf_counter()
    try:
        report = evaluate(_documents(args.gold, args.limit), systems, args.field, args.gold_field)
    except GoldFileError as err:
        print(f"cleaner eval: {err}", file=sys.stderr)
        return FAILED
    elapsed = time.perf_counter() - started
    weak = weakest(report, OURS, args.weakest)
    _print(args, report, caches, weak, seconds, elapsed)
    if args.json:
        args.json.write_text(json.dumps(_json(args, report, caches, weak, seconds), indent=2,
                                        ensure_ascii=False) + "\n", encoding="utf-8")
    if args.write_floors:
        _write_floors(report, args.write_floors, args.floor_margin)
    return check_floors(report, args.floors) if args.floors else OK


def _print(args: argparse.Namespace, report: Report, caches: list[ReferenceCache], weak: list[Any],
           seconds: Mapping[str, float], elapsed: float) -> None:
    timing = ", ".join(f"{name} {value:.1f} s" for name, value in seconds.items())
    print(f"{args.gold} field={args.field} gold={args.gold_field}  ({elapsed:.1f} s: {timing})")
    for cache in caches:
        print(cache.render())
        for error in cache.errors[:ERRORS_SHOWN]:
            print(f"    failed: {error}")
    print(format_report(report))
    if weak:
        print(f"\nweakest languages (narrowest margin of {OURS} over the best other system):")
        print("\n".join(w.render() for w in weak))


def _json(args: argparse.Namespace, report: Report, caches: list[ReferenceCache], weak: list[Any],
          seconds: Mapping[str, float]) -> dict[str, Any]:
    return {"gold": str(args.gold), "field": args.field, "gold_field": args.gold_field,
            "systems": list(report.systems), "groups": report.to_json(),
            "weakest": [w.to_json() for w in weak], "references": [c.to_json() for c in caches],
            "seconds": {name: round(value, 2) for name, value in seconds.items()}}


def _write_floors(report: Report, path: Path, margin: float) -> None:
    floors = floors_of(report, OURS, margin)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(floors, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(floors)} floors to {path} ({OURS}'s scores minus {margin})")


def check_floors(report: Report, path: Path) -> int:
    """Exit code 1 when a group's cleaner score is below its floor; prints each breach."""
    try:
        floors = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        print(f"cleaner eval: floors {path}: {err}", file=sys.stderr)
        return FAILED
    if not isinstance(floors, dict):
        print(f"cleaner eval: floors {path}: expected an object of group: floor", file=sys.stderr)
        return FAILED
    breaches = floor_breaches(report, floors, OURS)
    for breach in breaches:
        print(f"below floor: {breach}", file=sys.stderr)
    if not breaches:
        print(f"all {len(floors)} floors in {path} hold")
    return FAILED if breaches else OK
