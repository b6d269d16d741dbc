"""Rule files: YAML in, a validated `RuleBook` out, errors located to the column.

Only PyYAML's safe loader is used; anchors and aliases are refused (they make
"billion laughs" files possible and no rule needs them). Every problem found
is collected, so `cleaner rules check` can print them all, each as
`FILE:LINE:COLUMN: message`.

A file is a site template when it has a `site` key, a language lexicon when
it has a `lang` key, and a file of generic rules otherwise. A site template's
`html:` part (`body`, `strip`) holds rules of the `body` and `strip` kinds,
validated like any rule (their selectors compiled at load time), and its
`tests:` the pages to check it on (metadata).
"""

from __future__ import annotations

import importlib.resources
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import regex
import yaml

from .detectors import DETECTORS
from .detectors.base import Option, OptionError
from .detectors.selectors import selection_of
from .model import PAGE_REMOVED, Category, Examples, Rule
from .rulebook import GENERIC, Lexicon, LexiconRules, PageTest, RuleBook, SiteTemplate

RULE_KEYS = {"id", "kind", "category", "description", "examples"}
EXAMPLE_KEYS = {"remove", "keep", "context", "after", "lang", "pages"}
FILE_KEYS = {
    "generic": {"description", "rules"},
    "lang": {"lang", "name", "description", "stopwords", "siblings", "rules"},
    "site": {"site", "description", "match", "keep", "disable", "rules", "html", "tests"},
}
MATCH_KEYS = {"domains", "fingerprints", "min_fingerprints"}
HTML_KEYS = {"body", "strip"}
HTML_KINDS = frozenset({"body", "strip"})  # kinds only a site's `html:` part writes: they need its selectors
TEST_KEYS = {"url", "contains"}
BODY_DEFAULTS = {
    "id": "body",
    "category": "navigation",
    "description": "blocks outside the article's node, as the template's body selectors find it",
}
IN_HTML_ONLY = 'kind "{kind}" is written in a site template\'s `html:` part, not in `rules:`'

ID_RE = regex.compile(r"^[a-z0-9][a-z0-9-]*$")
SITE_RE = regex.compile(r"^[a-z0-9][a-z0-9_-]*$")
LANG_RE = regex.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}  # collection tags a rule file may carry
NOT_A_MAPPING = "a rule file must be a mapping (with `rules:` and, for a site or a language, `site:` or `lang:`)"
MAX_FILE_BYTES = 2_000_000  # a rule file larger than this is a mistake, not a rule file

Path_ = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a rule file, at a line and column (1-based)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class RuleFileError(Exception):
    """Rule files that could not be loaded; `problems` lists every finding."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class _Positions:
    """Where each value (and each mapping key) of a YAML document stands."""

    def __init__(self) -> None:
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}

    def at(self, path: Path_, key: bool = False) -> tuple[int, int]:
        table = self.keys if key else self.values
        while path and path not in table:
            path = path[:-1]
        return table.get(path, self.values.get((), (1, 1)))


class _Reader:
    """Turns one file's YAML nodes into plain data, noting every position."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.positions = _Positions()
        self._constructor = yaml.SafeLoader("")
        self._seen: set[int] = set()

    def problem(self, path: Path_, message: str, key: bool = False) -> None:
        line, column = self.positions.at(path, key)
        self.problems.append(Problem(self.name, line, column, message))

    def data(self, node: yaml.Node, path: Path_ = ()) -> Any:
        mark = node.start_mark
        self.positions.values[path] = (mark.line + 1, mark.column + 1)
        if id(node) in self._seen:
            self.problem(path, "anchors and aliases are not allowed in rule files")
            return None
        self._seen.add(id(node))
        if isinstance(node, yaml.CollectionNode) and node.tag not in _PLAIN_TAGS:
            # The safe loader refuses such tags when it constructs; composing alone keeps them.
            self.problem(path, f"cannot read this value: unsupported tag {node.tag!r}")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.data(item, path + (i,)) for i, item in enumerate(node.value)]
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.YAMLError as err:
            self.problem(path, f"cannot read this value: {getattr(err, 'problem', err)}")
            return None

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.data(key_node, path + ("<key>",))
            if not isinstance(key, str):
                self.problem(path + ("<key>",), f"keys must be strings, not {key!r}")
                continue
            self.positions.keys[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in result:
                self.problem(path + (key,), f'duplicate key "{key}"', key=True)
            result[key] = self.data(value_node, path + (key,))
        return result


def _key_path(key: str) -> Path_:
    """'steps[0].pattern' -> ('steps', 0, 'pattern')."""
    path: list[Any] = []
    for part in key.split("."):
        name, *indexes = part.replace("]", "").split("[")
        path.append(name)
        path.extend(int(i) for i in indexes)
    return tuple(path)


def _all_strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


_TYPE_CHECKS = {
    "str": (lambda v: isinstance(v, str), "a string"),
    "strs": (lambda v: isinstance(v, str) or _all_strings(v), "a string or a list of strings"),
    "pattern": (lambda v: isinstance(v, str), "a regular expression (a string)"),
    "patterns": (lambda v: isinstance(v, str) or (_all_strings(v) and bool(v)), "a regular expression or a list"),
    "int": (lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number"),
    "float": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool), "a number"),
    "bool": (lambda v: isinstance(v, bool), "true or false"),
    "steps": (lambda v: isinstance(v, list) and bool(v), "a non-empty list of steps"),
    "selectors": (lambda v: isinstance(v, (str, dict)) or (isinstance(v, list) and bool(v)),
                  "a selector (CSS or XPath string, or {css|xpath: ...}) or a non-empty list of them"),
}


class _FileLoader:
    """Validates one file's data into rules, collecting problems."""

    def __init__(self, reader: _Reader, namespace: str, trusted: bool) -> None:
        self.reader = reader
        self.namespace = namespace
        self.trusted = trusted

    def problem(self, path: Path_, message: str, key: bool = False) -> None:
        self.reader.problem(path, message, key)

    def check_keys(self, data: Mapping[str, Any], allowed: set[str], path: Path_, what: str) -> None:
        for key in data:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                self.problem(path + (key,), f'{what}unknown key "{key}" (expected one of: {expected})', key=True)

    def strings(self, data: Mapping[str, Any], key: str, path: Path_) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        self.problem(path + (key,), f'"{key}" must be a string or a list of strings')
        return ()

    def patterns(
        self, data: Mapping[str, Any], key: str, path: Path_, flags: int = 0
    ) -> tuple[regex.Pattern[str], ...]:
        compiled = []
        for i, source in enumerate(self.strings(data, key, path)):
            try:
                compiled.append(regex.compile(source, regex.IGNORECASE | flags))
            except regex.error as err:
                self.problem(path + (key, i), f'invalid regular expression {source!r} in "{key}": {err}')
        return tuple(compiled)

    def rules(self, data: Mapping[str, Any], default_lang: str | None) -> tuple[Rule, ...]:
        items = data.get("rules")
        if items is None:
            return ()
        if not isinstance(items, list):
            self.problem(("rules",), '"rules" must be a list of rules')
            return ()
        rules = []
        for i, item in enumerate(items):
            rule = self.rule(item, ("rules", i), default_lang)
            if rule is not None:
                rules.append(rule)
        return tuple(rules)

    def rule(self, item: Any, path: Path_, default_lang: str | None, html: bool = False) -> Rule | None:
        if not isinstance(item, dict):
            self.problem(path, "a rule must be a mapping with id, kind, category, description and examples")
            return None
        local = item.get("id")
        if not isinstance(local, str) or not ID_RE.match(local):
            self.problem(path + ("id",), "a rule needs an `id` of lower-case letters, digits and dashes")
            return None
        label = f'rule "{local}": '
        kind = item.get("kind")
        module = DETECTORS.get(kind) if isinstance(kind, str) else None
        if module is None:
            self.problem(path + ("kind",), f'{label}unknown kind {kind!r} (expected one of: {", ".join(DETECTORS)})')
            return None
        if (kind in HTML_KINDS) != html:
            self.problem(path + ("kind",), label + IN_HTML_ONLY.format(kind=kind))
            return None
        self.check_keys(item, RULE_KEYS | set(module.OPTIONS) | {"case_sensitive"}, path, label)
        category = self.category(item, path, label)
        description = item.get("description")
        if not isinstance(description, str) or not description.strip():
            self.problem(path + ("description",), f"{label}a rule needs a one-line `description`")
        examples = self.examples(item.get("examples"), path + ("examples",), label, default_lang)
        options = self.options(item, module.OPTIONS, path, label)
        if options is None:
            return None
        try:  # compiled even when the category or examples are wrong, so that every problem shows at once
            options = module.compile(options)
        except OptionError as err:
            self.problem(path + _key_path(err.key), f"{label}{err.message}")
            return None
        if category is None or examples is None:
            return None
        line = self.reader.positions.at(path)[0]
        return Rule(
            f"{self.namespace}.{local}", kind, category, str(description), self.reader.name, line, options, examples,
            self.trusted,
        )

    def category(self, item: Mapping[str, Any], path: Path_, label: str) -> Category | None:
        value = item.get("category")
        # `whitespace` is reserved for layout edits, which `Result.cuts` leaves out.
        choices = [c for c in Category.names() if c != Category.WHITESPACE.value]
        if value in choices:
            return Category(value)
        self.problem(path + ("category",), f"{label}unknown category {value!r} (expected one of: {', '.join(choices)})")
        return None

    def options(
        self, item: Mapping[str, Any], spec: Mapping[str, Option], path: Path_, label: str
    ) -> dict[str, Any] | None:
        options: dict[str, Any] = {}
        ok = True
        for name, option in {**spec, "case_sensitive": Option("bool", default=False)}.items():
            if name not in item:
                if option.required:
                    self.problem(path, f'{label}missing required key "{name}"')
                    ok = False
                options[name] = option.default
                continue
            check, expected = _TYPE_CHECKS[option.type]
            if not check(item[name]):
                self.problem(path + (name,), f'{label}"{name}" must be {expected}')
                ok = False
            options[name] = item[name]
        return options if ok else None

    def examples(self, value: Any, path: Path_, label: str, default_lang: str | None) -> Examples | None:
        if not isinstance(value, dict):
            self.problem(path, f"{label}a rule needs `examples` with `remove` and `keep` lists")
            return None
        self.check_keys(value, EXAMPLE_KEYS, path, label)
        remove = self.strings(value, "remove", path)
        keep = self.strings(value, "keep", path)
        pages = self.strings(value, "pages", path)
        if not pages and (not remove or not keep):
            self.problem(path, f"{label}examples need at least one line to `remove` and one to `keep`, or `pages`")
            return None
        if pages and not all(page.strip("\n").count("\n") for page in pages):
            self.problem(path + ("pages",), f"{label}a page example has several lines (those to remove open "
                                            f"with {PAGE_REMOVED.strip()!r})")
            return None
        context = value.get("context", "")
        after = value.get("after", "")
        lang = value.get("lang", default_lang)
        if not isinstance(context, str) or not isinstance(after, str) or not (lang is None or isinstance(lang, str)):
            self.problem(path, f"{label}examples `context`, `after` and `lang` must be strings")
            return None
        return Examples(remove, keep, context, lang, after, pages)


# libyaml's safe loader when PyYAML was built with it (it usually is): the same nodes, with
# their line and column, parsed at C speed (the pure-Python one took 2 s of every start-up).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(text: str, name: str) -> tuple[Any, _Reader]:
    reader = _Reader(name)
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reader.problems.append(Problem(name, line, column, f"not valid YAML: {err.problem or err.context}"))
        return None, reader
    except yaml.YAMLError as err:
        reader.problems.append(Problem(name, 1, 1, f"not valid YAML: {err}"))
        return None, reader
    if node is None:
        reader.problems.append(Problem(name, 1, 1, "the file is empty"))
        return None, reader
    data = reader.data(node)
    if not isinstance(data, dict):
        reader.problem((), NOT_A_MAPPING)
        return None, reader
    return data, reader


@dataclass(frozen=True, slots=True)
class _Loaded:
    generic: tuple[Rule, ...] = ()
    lexicon: Lexicon | None = None
    site: SiteTemplate | None = None
    disable_paths: tuple[tuple[str, tuple[int, int]], ...] = ()


def load_text(text: str, name: str, trusted: bool = False, defer: bool = False) -> tuple[_Loaded, list[Problem]]:
    """Validate one rule file's text; `name` is how errors refer to it.

    `trusted` is for the shipped rule files: their patterns run without a
    time budget (the budget costs a few microseconds a match). `defer`
    (trusted files only) leaves a lexicon's rules to be read when first
    used (see `LexiconRules`): its ids are checked now, the rest was
    checked when the file shipped (`cleaner rules check`).
    """
    data, reader = _parse(text, name)
    if data is None:
        return _Loaded(), reader.problems
    if "site" in data:
        loaded = _site(data, reader, trusted)
    elif "lang" in data:
        loaded = _lexicon(data, reader, trusted, defer and trusted)
    else:
        loader = _FileLoader(reader, GENERIC, trusted)
        loader.check_keys(data, FILE_KEYS["generic"], (), "")
        loaded = _Loaded(generic=loader.rules(data, "en"))
    return loaded, reader.problems


def _lexicon(data: Mapping[str, Any], reader: _Reader, trusted: bool, defer: bool = False) -> _Loaded:
    lang = data["lang"]
    if not isinstance(lang, str) or not LANG_RE.match(lang):
        reader.problem(("lang",), f"`lang` must be an ISO 639-1 code such as fr or zh, not {lang!r}")
        return _Loaded()
    loader = _FileLoader(reader, lang, trusted)
    loader.check_keys(data, FILE_KEYS["lang"], (), "")
    stopwords = frozenset(unicodedata.normalize("NFC", w.lower()) for w in loader.strings(data, "stopwords", ()))
    name = data.get("name", lang)
    siblings = loader.strings(data, "siblings", ())
    ids = _rule_ids(data, reader, lang) if defer else None
    contents = LexiconRules(partial(_read_rules, loader, data, lang)
                            if ids is not None else loader.rules(data, lang), ids)
    return _Loaded(lexicon=Lexicon(lang, str(name), reader.name, stopwords, contents, siblings))


def _rule_ids(data: Mapping[str, Any], reader: _Reader, namespace: str) -> tuple[tuple[str, str, int], ...] | None:
    """The id, file and line of every rule of a file, read without compiling them (None when one has no id)."""
    items = data.get("rules") or []
    if not isinstance(items, list):
        return None
    ids = []
    for i, item in enumerate(items):
        local = item.get("id") if isinstance(item, dict) else None
        if not isinstance(local, str) or not ID_RE.match(local):
            return None  # read now, so that the problem is reported where it is
        ids.append((f"{namespace}.{local}", reader.name, reader.positions.at(("rules", i))[0]))
    return tuple(ids)


def _read_rules(loader: _FileLoader, data: Mapping[str, Any], lang: str) -> tuple[Rule, ...]:
    """A deferred lexicon's rules; its problems, if any, raised as a RuleFileError."""
    before = len(loader.reader.problems)
    rules = loader.rules(data, lang)
    if len(loader.reader.problems) > before:
        raise RuleFileError(loader.reader.problems[before:])
    return rules


def _site(data: Mapping[str, Any], reader: _Reader, trusted: bool) -> _Loaded:
    name = data["site"]
    if not isinstance(name, str) or not SITE_RE.match(name):
        reader.problem(("site",), f"`site` must be a name of lower-case letters, digits, - and _, not {name!r}")
        return _Loaded()
    loader = _FileLoader(reader, name, trusted)
    loader.check_keys(data, FILE_KEYS["site"], (), "")
    match = data.get("match") or {}
    if not isinstance(match, dict):
        reader.problem(("match",), "`match` must be a mapping with `domains` and/or `fingerprints`")
        match = {}
    loader.check_keys(match, MATCH_KEYS, ("match",), "match: ")
    domains = tuple(d.lower() for d in loader.strings(match, "domains", ("match",)))
    fingerprints = loader.patterns(match, "fingerprints", ("match",), regex.MULTILINE)
    if not domains and not fingerprints:
        reader.problem(("site",), "a site needs `match.domains` or `match.fingerprints` to be recognised")
    least = match.get("min_fingerprints", 1)
    if not isinstance(least, int) or isinstance(least, bool) or least < 1:
        reader.problem(("match", "min_fingerprints"), "`min_fingerprints` must be a whole number of at least 1")
        least = 1
    disable = loader.strings(data, "disable", ())
    disable_paths = tuple((rule_id, reader.positions.at(("disable", i))) for i, rule_id in enumerate(disable))
    description = data.get("description", "")
    rules = _html_rules(loader, data.get("html")) + loader.rules(data, None)
    template = SiteTemplate(
        name, reader.name, str(description), domains, fingerprints, least,
        loader.patterns(data, "keep", ()), frozenset(disable), rules,
        selection_of(rules), _page_tests(loader, data.get("tests")),
    )
    return _Loaded(site=template, disable_paths=disable_paths)


def _html_rules(loader: _FileLoader, html: Any) -> tuple[Rule, ...]:
    """The rules of a site's `html:` part: `body` (one rule) and `strip` (a list of rules)."""
    if html is None:
        return ()
    if not isinstance(html, dict):
        loader.problem(("html",), "`html` must be a mapping with `body` and/or `strip`")
        return ()
    loader.check_keys(html, HTML_KEYS, ("html",), "html: ")
    items: list[tuple[Any, Path_]] = []
    if "body" in html:
        body = html["body"]
        items.append(({**BODY_DEFAULTS, **body} if isinstance(body, dict) else body, ("html", "body")))
    strip = html.get("strip", [])
    if not isinstance(strip, list):
        loader.problem(("html", "strip"), "`html.strip` must be a list of rules (id, category, description, "
                                          "select, examples)")
        strip = []
    items.extend((entry, ("html", "strip", i)) for i, entry in enumerate(strip))
    rules = []
    for item, path in items:
        kind = path[1]
        if isinstance(item, dict) and item.get("kind", kind) != kind:
            loader.problem(path + ("kind",), f"`kind` is implied in html.{kind} (leave it out)")
        rule = loader.rule({**item, "kind": kind} if isinstance(item, dict) else item, path, None, html=True)
        if rule is not None:
            rules.append(rule)
    return tuple(rules)


def _page_tests(loader: _FileLoader, value: Any) -> tuple[PageTest, ...]:
    """`tests:`: pages of the site and text each must keep (kept as metadata: nothing is fetched)."""
    if value is None:
        return ()
    if not isinstance(value, list):
        loader.problem(("tests",), "`tests` must be a list of {url, contains}")
        return ()
    tests = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            loader.problem(("tests", i), "a test needs a `url` (a string) and optional `contains` strings")
            continue
        loader.check_keys(item, TEST_KEYS, ("tests", i), "tests: ")
        tests.append(PageTest(item["url"], loader.strings(item, "contains", ("tests", i))))
    return tuple(tests)


def rules_root() -> Path:
    """The rule files shipped with the package (its `rules/` directory)."""
    try:
        root = importlib.resources.files("cleaner.rules")
        if root.is_dir():
            return Path(str(root))
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "rules"


def _rule_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            files.append(path)
    return files


def _display_name(path: Path, root: Path) -> str:
    try:
        return "rules/" + path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def load_rule_book(extra: Iterable[str | Path] = (), shipped: bool = True, defer: bool = True) -> RuleBook:
    """Load the shipped rules (unless `shipped` is false) and `extra` files or dirs.

    Raises `RuleFileError` listing every problem in every file. With
    `defer`, a shipped lexicon's rules are compiled when a document in its
    language first needs them (see `LexiconRules`); `cleaner rules check`
    reads everything at once.
    """
    root = rules_root()
    paths = ([root] if shipped else []) + [Path(p) for p in extra]
    problems: list[Problem] = []
    loaded: list[_Loaded] = []
    names: list[str] = []
    for path in _rule_files(paths):
        name = _display_name(path, root)
        text, problem = _read(path, name)
        if problem:
            problems.append(problem)
            continue
        one, found = load_text(text, name, trusted=path.resolve().is_relative_to(root.resolve()), defer=defer)
        problems.extend(found)
        loaded.append(one)
        names.append(name)
    book = _assemble(loaded, problems)
    if problems:
        raise RuleFileError(problems)
    return RuleBook(book.generic, book.lexicons, book.sites, tuple(names))


def _read(path: Path, name: str) -> tuple[str, Problem | None]:
    try:
        data = path.read_bytes()
    except OSError as err:
        return "", Problem(name, 1, 1, f"cannot read the file: {err.strerror or err}")
    if len(data) > MAX_FILE_BYTES:
        return "", Problem(name, 1, 1, f"the file is larger than {MAX_FILE_BYTES} bytes")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as err:
        return "", Problem(name, 1, 1, f"the file is not UTF-8 (byte {err.start})")


def _assemble(loaded: list[_Loaded], problems: list[Problem]) -> RuleBook:
    generic = tuple(r for one in loaded for r in one.generic)
    lexicons: dict[str, Lexicon] = {}
    sites: list[SiteTemplate] = []
    for one in loaded:
        if one.lexicon is not None:
            previous = lexicons.get(one.lexicon.lang)
            lexicons[one.lexicon.lang] = one.lexicon if previous is None else _merge(previous, one.lexicon)
        if one.site is not None:
            if any(s.name == one.site.name for s in sites):
                problems.append(Problem(one.site.source, 1, 1, f'site "{one.site.name}" is defined twice'))
            sites.append(one.site)
    book = RuleBook(generic, lexicons, tuple(sites))
    _check_ids(book, loaded, problems)
    for lexicon in lexicons.values():
        for sibling in lexicon.siblings:
            if sibling not in lexicons:
                problems.append(Problem(lexicon.source, 1, 1, f'siblings: no lexicon for "{sibling}"'))
    return book


def _merge(first: Lexicon, second: Lexicon) -> Lexicon:
    """A user's lexicon for a shipped language adds to it, after it."""
    return Lexicon(first.lang, first.name, first.source, first.stopwords | second.stopwords,
                   first.contents + second.contents, first.siblings + second.siblings)


def _check_ids(book: RuleBook, loaded: list[_Loaded], problems: list[Problem]) -> None:
    seen: dict[str, tuple[str, int]] = {}
    lexicon_ids = [found for code in sorted(book.lexicons) for found in book.lexicons[code].contents.ids]
    every = [(r.id, r.source, r.line) for s in book.sites for r in s.rules] + lexicon_ids + \
        [(r.id, r.source, r.line) for r in book.generic]  # in the order of `RuleBook.all_rules`
    for rule_id, source, line in every:
        if rule_id in seen:
            first_source, first_line = seen[rule_id]
            message = f'duplicate rule id "{rule_id}" (first defined at {first_source}:{first_line})'
            problems.append(Problem(source, line, 1, message))
        seen.setdefault(rule_id, (source, line))
    for one in loaded:
        if one.site is None:
            continue
        for rule_id, (line, column) in one.disable_paths:
            if rule_id not in seen:
                problems.append(Problem(one.site.source, line, column, f'disable: unknown rule id "{rule_id}"'))


@lru_cache(maxsize=1)
def default_rule_book() -> RuleBook:
    """The shipped rules, loaded once per process on first use."""
    return load_rule_book()
