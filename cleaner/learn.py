"""`cleaner learn`: propose a site template from a sample of the site's pages.

    cleaner learn pages/ --site mysite -o rules/sites/mysite.yaml
    cleaner learn crawl.jsonl.gz -o learned/            # one template per site with enough pages
    cleaner learn --check rules/sites/mysite.yaml other-pages/

The pages are read like `cleaner clean` reads them (files, directories,
JSONL, WARC, stdin). With `--site` they are all one site; otherwise JSONL
records are grouped by their `--group-field` (default `site`), else their
`domain` field, else their URL's host, and WARC records by their URL's
host; a template is written for each group of `--min-pages` pages or more.
What is learned, and the guard that keeps it from ever removing a line
found on one page only, is in `cleaner.learn_template`.

`--check TEMPLATE` cleans the pages with and without the template (pages
whose URL names another site than its domains are left out) and reports,
per learned rule, on how many pages it fired, what it removed and
examples of it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from .cli import add_input_options
from .io import InputError, decode
from .learn_template import Learned, LearnError, LearnSettings, bare_host, learn, with_template
from .learn_text import DEFAULT_MIN_SHARE, SamplePage, read_sample
from .readers import Fields, Item, iter_items, plan

OK, FAILED, USAGE = 0, 1, 2
DEFAULT_MIN_PAGES = 5  # a site with fewer pages in the input gets no template
MAX_CHECK_EXAMPLES = 3
SITES_DIR = Path("rules") / "sites"
DEFAULT_SETTINGS = LearnSettings()
_NOT_NAME = regex.compile(r"[^a-z0-9_-]+")
NO_GROUP = ("cleaner learn: {count} page(s), such as {doc}, have no site to group them by (no {field} or "
            "domain field, no URL); give --site NAME to learn one template from all the pages")
EXISTS = "cleaner learn: {path} exists; give --force to overwrite it"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `cleaner learn`."""
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="pages of the site: files, directories, JSONL, WARC (also .gz), - for stdin")
    parser.add_argument("--site", help="the site's name: learn one template from all the pages")
    parser.add_argument("-o", "--output", type=Path,
                        help="with --site: the template file (default rules/sites/NAME.yaml; - for stdout); "
                             "otherwise a directory for one template per site (default rules/sites)")
    parser.add_argument("--check", type=Path, metavar="TEMPLATE",
                        help="do not learn: report what TEMPLATE removes from the pages")
    parser.add_argument("--min-pages", type=int, default=DEFAULT_MIN_PAGES,
                        help=f"pages a site needs to get a template (default {DEFAULT_MIN_PAGES})")
    parser.add_argument("--min-share", type=float, default=DEFAULT_MIN_SHARE,
                        help=f"share of the pages a line must be on to be learned (default {DEFAULT_MIN_SHARE})")
    parser.add_argument("--keep-bylines", action="store_true", help="protect recurring bylines instead of removing")
    parser.add_argument("--no-names", action="store_true", help="learn no class or id selectors from HTML pages")
    parser.add_argument("--dates", action="store_true", help="learn recurring datelines too (many golds keep them)")
    parser.add_argument("--force", action="store_true", help="overwrite existing template files")
    parser.add_argument("--json", action="store_true", help="--check: print the report as JSON")
    parser.add_argument("--lang", help="the pages' language (ISO 639-1); detected when not given")
    add_input_options(parser)
    parser.add_argument("--group-field", default="site", help="JSONL: field naming the site (default: site)")


@dataclass(frozen=True, slots=True)
class InputPage:
    """One page as read: its text, how to read it, and the site it belongs to ("" if unknown)."""

    doc_id: str
    text: str
    url: str | None
    lang: str | None
    format: str
    group: str


@dataclass
class Reading:
    """The pages read, and the documents that could not be read, with why."""

    pages: list[InputPage] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def run(args: argparse.Namespace) -> int:
    """Learn templates, or check one; returns the exit code."""
    if not 0 < args.min_share <= 1 or args.min_pages < 2:
        print("cleaner learn: --min-share must be in (0, 1] and --min-pages at least 2", file=sys.stderr)
        return USAGE
    missing = [i for i in args.inputs if i != "-" and not Path(i).exists()]
    if missing:
        for name in missing:
            print(f"cleaner learn: {name}: no such file or directory", file=sys.stderr)
        return USAGE
    reading = read_pages(args)
    for error in reading.errors:
        print(f"cleaner learn: {error}", file=sys.stderr)
    if not reading.pages:
        print("cleaner learn: no pages found in the inputs", file=sys.stderr)
        return USAGE
    if args.check:
        return check(args, reading)
    return learn_all(args, reading)


def read_pages(args: argparse.Namespace) -> Reading:
    """Every page of the inputs, each with its site's group key."""
    fields = Fields(args.text_field, args.html_field, args.url_field, args.id_field, args.lang_field)
    reading = Reading()
    for item in iter_items(plan(args.inputs, args.input_format), fields):
        try:
            if item.error:
                raise InputError(item.error)
            reading.pages.append(_page(item, args, fields))
        except InputError as err:
            reading.errors.append(f"{item.doc_id}: {err}")
    return reading


def _page(item: Item, args: argparse.Namespace, fields: Fields) -> InputPage:
    from .work import decode_page

    if item.kind == "warc":
        url = item.meta.get("url")
        text = decode_page(item.payload, item.meta.get("content_type", ""))
        return InputPage(item.doc_id, text, url, args.lang, "html", bare_host(url))
    if item.kind != "jsonl":
        text = decode_page(item.payload, "", strict=True) if item.kind == "html" else decode(item.payload)
        return InputPage(item.doc_id, text, None, args.lang, "html" if item.kind == "html" else "auto", "")
    return _record_page(item, args, fields)


def _record_page(item: Item, args: argparse.Namespace, fields: Fields) -> InputPage:
    try:
        record = json.loads(item.payload)
    except ValueError as err:
        raise InputError(f"not valid JSON ({str(err)[:200]})") from None
    if not isinstance(record, dict):
        raise InputError("not a JSON object")
    text, format = _field(record, fields.text), "auto"
    if text is None:
        text, format = _field(record, fields.html), "html"
    if text is None:
        raise InputError(f"no text field (looked for: {fields.text}, {fields.html})")
    url = _field(record, fields.url)
    doc_id = str(record.get(fields.id) or item.doc_id)
    group = _field(record, args.group_field) or _field(record, "domain") or bare_host(url)
    return InputPage(doc_id, text, url, _field(record, fields.lang) or args.lang, format, group)


def _field(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name) if name else None
    return value if isinstance(value, str) and value else None


def site_name(group: str) -> str:
    """A template name for a site key: lower case, letters, digits, - and _.

    >>> site_name("www.We-Dwoje.pl"), site_name("blogs.nfl.com")
    ('we-dwoje-pl', 'blogs-nfl-com')
    """
    return _NOT_NAME.sub("-", bare_host(group) or group.lower()).strip("-_") or "site"


def groups(args: argparse.Namespace, reading: Reading) -> Iterator[tuple[str, list[InputPage]]]:
    """(site name, its pages): all pages under --site, else grouped by site, large enough groups only."""
    if args.site:
        yield args.site, reading.pages
        return
    by: dict[str, list[InputPage]] = {}
    ungrouped = [page.doc_id for page in reading.pages if not page.group]
    if ungrouped:
        print(NO_GROUP.format(count=len(ungrouped), doc=ungrouped[0], field=args.group_field), file=sys.stderr)
    for page in reading.pages:
        if page.group:
            by.setdefault(site_name(page.group), []).append(page)
    small = [name for name, pages in by.items() if len(pages) < args.min_pages]
    if small:
        print(f"cleaner learn: {len(small)} site(s) with fewer than {args.min_pages} pages get no template",
              file=sys.stderr)
    for name in sorted(by):
        if len(by[name]) >= args.min_pages:
            yield name, by[name]


def learn_all(args: argparse.Namespace, reading: Reading) -> int:
    """Learn and write one template per site; 1 when one could not be learned or written."""
    if args.site and _NOT_NAME.search(args.site):
        print(f"cleaner learn: --site must be lower-case letters, digits, - and _, not {args.site!r}",
              file=sys.stderr)
        return USAGE
    settings = LearnSettings(args.min_share, args.keep_bylines, not args.no_names, args.dates)
    status, written = OK, 0
    for name, pages in groups(args, reading):
        try:
            learned = learn_pages(pages, name, settings)
        except LearnError as err:
            print(f"cleaner learn: {name}: {err}", file=sys.stderr)
            status = FAILED
            continue
        target = _target(args, name)
        if target is not None and target.exists() and not args.force:
            print(EXISTS.format(path=target), file=sys.stderr)
            status = FAILED
            continue
        _write(target, learned.yaml)
        written += 1
        print(describe(learned, target), file=sys.stderr)
    if not written and status == OK:
        print(f"cleaner learn: no site has {args.min_pages} pages or more (--min-pages)", file=sys.stderr)
        return FAILED
    return status


def _target(args: argparse.Namespace, name: str) -> Path | None:
    """Where a template goes; None for stdout."""
    if args.site:
        if args.output is not None and str(args.output) == "-":
            return None
        return args.output or SITES_DIR / f"{name}.yaml"
    return (args.output or SITES_DIR) / f"{name}.yaml"


def _write(target: Path | None, text: str) -> None:
    if target is None:
        sys.stdout.write(text)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)


def describe(learned: Learned, target: Path | None) -> str:
    """One line on what was learned and where it went."""
    return (f"{learned.name}: {learned.pages} pages, {len(learned.rules)} rules ({learned.entries} entries), "
            f"{len(learned.keep)} keep; {learned.found} recurring lines and names, {learned.already_removed} "
            f"already removed by the shipped rules, {len(learned.dropped)} dropped by the guard"
            f" -> {target if target is not None else 'stdout'}")


def check(args: argparse.Namespace, reading: Reading) -> int:
    """Clean the pages with and without the template; report what each of its rules removes."""
    from .engine import Options, clean
    from .rulefiles import RuleFileError, default_rule_book

    try:
        book, site = with_template(default_rule_book(), args.check.read_text(encoding="utf-8"), str(args.check))
    except (OSError, UnicodeDecodeError) as err:
        print(f"cleaner learn: {args.check}: {err}", file=sys.stderr)
        return USAGE
    except RuleFileError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return USAGE
    report = CheckReport(site.name, site.source)
    for page in reading.pages:
        if page.url and site.domains and not site.matches_host(bare_host(page.url)):
            report.other_sites += 1  # a page of another site: the template would not apply to it
            continue
        without = clean(page.text, page.url, page.lang, options=Options(use_sites=False, format=page.format))
        result = clean(page.text, page.url, page.lang, rules=book, options=Options(site=site.name, format=page.format))
        report.add(page.doc_id, without, result)
    print(json.dumps(report.to_json(), ensure_ascii=False, indent=2) if args.json else report.render())
    return OK


@dataclass
class RuleTally:
    """What one rule of the template removed across the checked pages."""

    category: str
    pages: int = 0
    lines: int = 0
    chars: int = 0
    examples: Counter[str] = field(default_factory=Counter)


@dataclass
class CheckReport:
    """The template's effect on the checked pages, rule by rule (built page by page)."""

    site: str
    source: str
    pages: int = 0
    other_sites: int = 0
    chars: int = 0
    removed_without: int = 0
    removed_with: int = 0
    guarded: list[str] = field(default_factory=list)
    rules: dict[str, RuleTally] = field(default_factory=dict)

    def add(self, doc_id: str, without: Any, result: Any) -> None:
        self.pages += 1
        self.chars += len(result.original)
        self.removed_without += sum(len(c.text) for c in without.cuts)
        self.removed_with += sum(len(c.text) for c in result.cuts)
        if self.source in result.stats.guarded:
            self.guarded.append(doc_id)
        fired: set[str] = set()
        for cut in result.cuts:
            if cut.source != self.source:
                continue
            tally = self.rules.setdefault(cut.rule, RuleTally(cut.category.value))
            tally.lines += 1
            tally.chars += len(cut.text)
            tally.examples[cut.text] += 1
            fired.add(cut.rule)
        for rule in fired:
            self.rules[rule].pages += 1

    def to_json(self) -> dict[str, Any]:
        rules = {rid: {"category": t.category, "pages": t.pages, "lines": t.lines, "chars": t.chars,
                       "examples": [x for x, _ in t.examples.most_common(MAX_CHECK_EXAMPLES)]}
                 for rid, t in sorted(self.rules.items())}
        return {"site": self.site, "pages": self.pages, "other_sites": self.other_sites, "chars": self.chars,
                "removed_chars_without": self.removed_without, "removed_chars_with": self.removed_with,
                "guarded_pages": self.guarded, "rules": rules}

    def render(self) -> str:
        share = lambda n: f"{100 * n / max(self.chars, 1):.1f}%"  # noqa: E731
        lines = [f"{self.site}: {self.pages} pages, {self.chars} characters; removed without the template "
                 f"{self.removed_without} ({share(self.removed_without)}), with it {self.removed_with} "
                 f"({share(self.removed_with)})"]
        if self.other_sites:
            lines.append(f"{self.other_sites} page(s) of other sites (by URL) left out")
        if self.guarded:
            lines.append(f"the guard dropped the template on {len(self.guarded)} page(s): {', '.join(self.guarded)}")
        lines.append(f"{'rule':<40} {'category':<12} {'pages':>5} {'lines':>6} {'chars':>7}  examples")
        for rid, t in sorted(self.rules.items()):
            examples = " | ".join(_short(x) for x, _ in t.examples.most_common(MAX_CHECK_EXAMPLES))
            lines.append(f"{rid:<40} {t.category:<12} {t.pages:>5} {t.lines:>6} {t.chars:>7}  {examples}")
        if not self.rules:
            lines.append("(no rule of the template removed anything)")
        return "\n".join(lines)


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def learn_pages(pages: Sequence[InputPage], name: str, settings: LearnSettings = DEFAULT_SETTINGS) -> Learned:
    """Learn a template from pages as read (a convenience for the library and the evaluation)."""
    samples: list[SamplePage] = [read_sample(p.doc_id, p.text, p.url, p.lang, format=p.format) for p in pages]
    return learn(samples, name, settings)
