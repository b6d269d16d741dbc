"""`cleaner import-ftr`: FiveFilters site configs in, site templates out.

The FiveFilters (Full-Text RSS) site-config format is line-based: one
`directive: value` per line, `#` opening a comment line, and a few
directives taking an argument in parentheses (`replace_string(find): new`,
`http_header(user-agent): ...`). A file is named after the host it serves:
`example.com.txt` (that host, and `www.` before it) or `.example.com.txt`
(every subdomain of it).

What converts (one template per file, `<out>/<site>.yaml`):

- `body` -> `html.body.select`, XPath, in the order written (the first
  that picks text wins, as in the format);
- `strip` -> the `strip` rule's selectors (XPath);
- `strip_id_or_class: x` -> `//*[contains(@class,'x') or contains(@id,'x')]`
  in the same rule (the format matches the token as a substring too);
- `test_url` and the `test_contains` lines after it -> `tests:` (kept as
  metadata: nothing is fetched, so they cannot be run here).

Every other directive is reported, `file:line: directive: not converted:
why`, and so is a selector that does not compile or for which no example
can be built. Examples are generated from the selectors (see
`cleaner.xpath_examples`) and checked: each written template loads through
the rule loader and passes its examples, or the command says so.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex
import yaml

from .detectors.base import OptionError
from .detectors.selectors import Selection, compile_selectors
from .html import from_html
from .io import InputError, read_text, write_atomic
from .xpath_examples import picks_no_text, snippet

OK, FAILED, USAGE = 0, 1, 2
_LINE = regex.compile(r"^([A-Za-z_][\w-]*)(?:\((.*?)\))?\s*:\s?(.*)$")
CONFIG_SUFFIX = ".txt"
STRIP_CATEGORY = "widget"  # the format says nothing of what a stripped element is: page furniture
REMOVED_TEXT = "Text of an element the site config strips."
BODY_TEXT = "Text of the article body the site config names."
OUTSIDE_TEXT = "Text of the page outside the article body."
KEEP_TEXT = "An ordinary paragraph of the article, which no strip selector picks."
NO_FETCH = "cleaning reads the page it is given and fetches nothing"
METADATA = "metadata: cleaning keeps the article's text and extracts no fields"
NO_TEXT = "attributes and images carry no text in the plain-text rendering, so there is nothing to remove"
NOT_CONVERTED = {
    "title": METADATA, "author": METADATA, "date": METADATA,
    "prune": "main-content and DOM rules always judge the page; there is no separate pruning pass",
    "tidy": "pages are parsed by lxml, with no HTML Tidy pass",
    "autodetect_on_failure": "when no body selector picks text, main-content detection applies (always)",
    "single_page_link": NO_FETCH, "next_page_link": NO_FETCH, "http_header": NO_FETCH,
    "login_uri": NO_FETCH, "login_username_field": NO_FETCH, "login_password_field": NO_FETCH,
    "requires_login": NO_FETCH, "not_logged_in_xpath": NO_FETCH, "login_extra_fields": NO_FETCH,
    "if_page_contains": "it conditions the link directives, which are not converted either",
    "replace_string": "the removal log points into the page as it came: markup is never rewritten",
    "find_string": "the removal log points into the page as it came: markup is never rewritten",
    "strip_attr": NO_TEXT, "strip_image_src": NO_TEXT, "src_lazy_load_attr": NO_TEXT,
    "insert_detected_image": NO_TEXT,
    "parser": "pages are always parsed with lxml's HTML parser",
    "native_ad_clue": "it flags a whole page as an advertisement; cleaning cuts parts of pages",
    "dissolve": "dissolving an element keeps its text: only structure changes, which the text does not show",
    "move_into": "moving elements changes structure, not text", "wrap_in": "wrapping changes structure, not text",
    "skip_json_ld": "structured data (JSON-LD) is not read", "skip_id_or_class": "not supported by this importer",
}
UNREADABLE = "(no directive)"
TEXTLESS = "it picks elements with no text in the plain-text rendering (scripts, styles, images...)"
NO_EXAMPLE = "no example could be built for this XPath (write the rule by hand, with examples)"
CONVERTED = {"body", "strip", "strip_id_or_class", "test_url", "test_contains"}


@dataclass(frozen=True, slots=True)
class Directive:
    """One `name(argument): value` line of a site config."""

    name: str
    argument: str
    value: str
    line: int


@dataclass(frozen=True, slots=True)
class Skipped:
    """A line that did not become part of the template, and why."""

    file: str
    line: int
    directive: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.directive}: not converted: {self.reason}"


@dataclass(frozen=True, slots=True)
class Conversion:
    """One config file's template (None when nothing in it converts) and its skipped lines."""

    source: str
    site: str
    template: dict[str, Any] | None
    skipped: tuple[Skipped, ...] = field(default=())


def parse(text: str, name: str) -> tuple[list[Directive], list[Skipped]]:
    """The directives of a config file, and the lines that are none."""
    directives, skipped = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        found = _LINE.match(line)
        if found is None:
            skipped.append(Skipped(name, number, UNREADABLE, f"not a `directive: value` line: {line[:60]!r}"))
            continue
        directive = Directive(found.group(1).lower(), found.group(2) or "", found.group(3).strip(), number)
        if directive.name in CONVERTED and not directive.value:
            skipped.append(Skipped(name, number, directive.name, "empty value"))
            continue
        directives.append(directive)
    return directives, skipped


def site_of(file_name: str) -> tuple[str, tuple[str, ...]]:
    """The site name and domain globs a config file's name gives.

    >>> site_of("example.com.txt"), site_of(".example.co.uk.txt")
    (('example-com', ('example.com', 'www.example.com')), ('example-co-uk-subdomains', ('*.example.co.uk',)))
    """
    host = file_name.removesuffix(CONFIG_SUFFIX).lower()
    name = regex.sub(r"[^a-z0-9]+", "-", host.strip(".")).strip("-") or "site"
    if host.startswith("."):
        return f"{name}-subdomains", (f"*{host}",)
    bare = host.removeprefix("www.")
    return name, (bare, f"www.{bare}")


def _picks(xpath: str, markup: str, text: str) -> bool:
    """Whether the XPath picks the element holding `text` in `markup` (read as cleaning reads pages)."""
    selection = Selection((("probe", 0, compile_selectors({"xpath": xpath}, "select")[0]),))
    document = from_html(f"<html><body>{markup}</body></html>", selection)
    return any(b.text == text and any(t.startswith("select:probe:") for t in b.context) for b in document.blocks)


def _checked(directive: Directive, xpath: str, text: str, file: str) -> tuple[str | None, Skipped | None]:
    """(example markup, None) for a selector that compiles and picks its generated example, else (None, why)."""
    try:
        compile_selectors({"xpath": xpath}, "select")
    except OptionError as err:
        return None, Skipped(file, directive.line, directive.name, err.message)
    if picks_no_text(xpath):
        return None, Skipped(file, directive.line, directive.name, TEXTLESS)
    markup = snippet(xpath, text)
    if markup is None or not _picks(xpath, markup, text):
        return None, Skipped(file, directive.line, directive.name, NO_EXAMPLE)
    return markup, None


def _strip_xpath(directive: Directive) -> str:
    if directive.name == "strip_id_or_class":
        token = directive.value.replace('"', "")
        return f'//*[contains(@class, "{token}") or contains(@id, "{token}")]'
    return directive.value


def _strip_rule(directives: Iterable[Directive], file: str, skipped: list[Skipped]) -> dict[str, Any] | None:
    selectors, removes = [], []
    for directive in directives:
        xpath = _strip_xpath(directive)
        markup, problem = _checked(directive, xpath, REMOVED_TEXT, file)
        if problem is not None:
            skipped.append(problem)
            continue
        selectors.append(xpath)
        removes.append(markup)
    if not selectors:
        return None
    return {
        "id": "strip", "category": STRIP_CATEGORY,
        "description": f"elements the site config strips ({file}: strip, strip_id_or_class)",
        "select": selectors,
        "examples": {"remove": removes, "keep": [f'<div class="article-text"><p>{KEEP_TEXT}</p></div>']},
    }


def _body_rule(directives: Sequence[Directive], file: str, skipped: list[Skipped]) -> dict[str, Any] | None:
    selectors, first = [], None
    for directive in directives:
        markup, problem = _checked(directive, directive.value, BODY_TEXT, file)
        if problem is not None:
            skipped.append(problem)
            continue
        selectors.append(directive.value)
        first = first or markup
    if first is None:
        return None
    return {
        "description": f"blocks outside the article body the site config names ({file}: body)",
        "select": selectors,
        "examples": {"context": first, "remove": [f'<div class="page-outside"><p>{OUTSIDE_TEXT}</p></div>'],
                     "keep": [first]},
    }


def _tests(directives: Iterable[Directive], file: str, skipped: list[Skipped]) -> list[dict[str, Any]]:
    tests: list[dict[str, Any]] = []
    for directive in directives:
        if directive.name == "test_url":
            tests.append({"url": directive.value, "contains": []})
        elif tests:
            tests[-1]["contains"].append(directive.value)
        else:
            skipped.append(Skipped(file, directive.line, directive.name, "test_contains before any test_url"))
    return [t if t["contains"] else {"url": t["url"]} for t in tests]


def _named(directives: Iterable[Directive], *names: str) -> list[Directive]:
    return [d for d in directives if d.name in names]


def convert(text: str, file_name: str) -> Conversion:
    """One config file's text as a template (a mapping ready for YAML), with every line it skipped."""
    site, domains = site_of(file_name)
    directives, skipped = parse(text, file_name)
    skipped.extend(
        Skipped(file_name, d.line, d.name, NOT_CONVERTED.get(d.name, "not a directive this importer knows"))
        for d in directives if d.name not in CONVERTED
    )
    body = _body_rule(_named(directives, "body"), file_name, skipped)
    strip = _strip_rule(_named(directives, "strip", "strip_id_or_class"), file_name, skipped)
    tests = _tests(_named(directives, "test_url", "test_contains"), file_name, skipped)
    skipped.sort(key=lambda s: s.line)
    if body is None and strip is None:
        return Conversion(file_name, site, None, tuple(skipped))
    html: dict[str, Any] = {}
    if body is not None:
        html["body"] = body
    if strip is not None:
        html["strip"] = [strip]
    template: dict[str, Any] = {
        "site": site, "description": f"{domains[0]}, imported from a FiveFilters site config ({file_name})",
        "match": {"domains": list(domains)}, "html": html,
    }
    if tests:
        template["tests"] = tests
    return Conversion(file_name, site, template, tuple(skipped))


HEADER = (
    "# Imported by `cleaner import-ftr` from the FiveFilters site config {source}.\n"
    "# The examples were generated from the selectors: they check that each selector picks what it names.\n"
)


def render(conversion: Conversion) -> str:
    """The template as a YAML rule file."""
    body = yaml.safe_dump(conversion.template, sort_keys=False, allow_unicode=True, width=120)
    return HEADER.format(source=conversion.source) + body


def config_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The `.txt` config files among paths (directories: the files directly in them, sorted)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.suffix == CONFIG_SUFFIX and p.is_file())
        else:
            yield path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `cleaner import-ftr`."""
    parser.add_argument("inputs", nargs="+", type=Path, metavar="DIR",
                        help="FiveFilters site-config files (example.com.txt) or directories of them")
    parser.add_argument("-o", "--output", type=Path, required=True,
                        help="directory the templates are written to, one <site>.yaml each (e.g. rules/sites/)")


def run(args: argparse.Namespace) -> int:
    """Convert every config file, write the templates, check them; report what did not convert."""
    missing = [str(p) for p in args.inputs if not p.exists()]
    if missing:
        print(f"cleaner import-ftr: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return USAGE
    written: dict[str, Path] = {}
    failed, skipped = 0, Counter[str]()
    for path in config_files(args.inputs):
        try:
            conversion = convert(read_text(path), path.name)
        except InputError as err:
            print(f"{path}: cannot read: {err}", file=sys.stderr)
            failed += 1
            continue
        for item in conversion.skipped:
            print(item, file=sys.stderr)
            skipped[item.directive] += 1
        if conversion.template is None:
            print(f"{path}: no template written: nothing in it converts", file=sys.stderr)
            continue
        target = args.output / f"{conversion.site}.yaml"
        try:
            write_atomic(target, render(conversion))
        except OSError as err:
            print(f"{target}: cannot write: {err.strerror or err}", file=sys.stderr)
            failed += 1
            continue
        written[conversion.site] = target
    failed += _check(written)
    print(f"{len(written)} template(s) written to {args.output}; {sum(skipped.values())} directive(s) not converted"
          + (f" ({', '.join(f'{k} {v}' for k, v in skipped.most_common())})" if skipped else ""))
    return FAILED if failed else OK


def _check(written: Mapping[str, Path]) -> int:
    """Load the written templates with the shipped rules and run their examples: the number of problems."""
    from .examples import check_rules
    from .rulefiles import RuleFileError, load_rule_book, rules_root

    if not written:
        return 0
    shipped = rules_root().resolve()
    extra = [p for p in written.values() if not p.resolve().is_relative_to(shipped)]  # shipped ones load anyway
    try:
        book = load_rule_book(extra)
    except RuleFileError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return len(err.problems)
    failures = check_rules(r for site in book.sites if site.name in written for r in site.rules)
    for failure in failures:
        print(failure, file=sys.stderr)
    return len(failures)
