"""All loaded rules, and the rule set that applies to one document.

A `RuleBook` holds every rule file's content, immutable. `rule_set(book,
lang, site)` picks what applies to a document (its site's template first, then
its language's lexicon, then the generic rules, less what the site disables)
and prepares one matcher per detector kind. Rule sets are cached per book,
language and site.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import regex

from .detectors import DETECTORS, body, main
from .detectors.base import search
from .detectors.selectors import Selection
from .model import Block, Rule

GENERIC = "generic"


class LexiconRules:
    """A lexicon's rules, or how to read them the first time its language comes.

    Compiling the patterns of every shipped lexicon took most of a
    start-up (about a second), while a corpus is written in a few
    languages: a shipped lexicon's rules are read when a document in its
    language first asks for them. Its rule ids (`ids`: id, file, line) are
    known at once, so a rule book still checks them all when it loads.
    """

    __slots__ = ("_read", "_rules", "ids")

    def __init__(self, rules: tuple[Rule, ...] | Callable[[], tuple[Rule, ...]],
                 ids: tuple[tuple[str, str, int], ...] | None = None) -> None:
        if callable(rules):
            if ids is None:
                raise ValueError("rules read later need their ids now")
            self._read: Callable[[], tuple[Rule, ...]] | None = rules
            self._rules: tuple[Rule, ...] | None = None
            self.ids = ids
        else:
            self._read, self._rules = None, rules
            self.ids = tuple((r.id, r.source, r.line) for r in rules) if ids is None else ids

    def rules(self) -> tuple[Rule, ...]:
        """The rules, read now if they were not yet."""
        if self._rules is None:
            assert self._read is not None
            self._rules, self._read = self._read(), None
        return self._rules

    @property
    def read(self) -> bool:
        """Whether the rules have been read."""
        return self._rules is not None

    def __add__(self, other: LexiconRules) -> LexiconRules:
        """These rules, then the other's (a user's lexicon for a shipped language adds to it)."""
        return LexiconRules(lambda: self.rules() + other.rules(), self.ids + other.ids)


@dataclass(frozen=True, slots=True, eq=False)
class Lexicon:
    """One language's rules and the stop words used to recognise it."""

    lang: str
    name: str
    source: str
    stopwords: frozenset[str]
    contents: LexiconRules  # its rules (see `rules`), read on first use for a shipped file
    siblings: tuple[str, ...] = ()  # languages so close that their lexicons apply too (ms: id)

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The lexicon's rules, in file order."""
        return self.contents.rules()


@dataclass(frozen=True, slots=True)
class PageTest:
    """A page of a site and text its clean version must contain (metadata: nothing is fetched)."""

    url: str
    contains: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class SiteTemplate:
    """One site (or CMS family): how to recognise it and what it adds.

    `keep` patterns protect blocks from every rule; `disable` turns off rules
    by id for this site only. `selection` holds the selectors of its `html:`
    part (its `body` and `strip` rules), applied when a page of the site is
    segmented; `tests` are pages to check it on by hand (or with a crawler).
    """

    name: str
    source: str
    description: str
    domains: tuple[str, ...]
    fingerprints: tuple[regex.Pattern[str], ...]
    min_fingerprints: int
    keep: tuple[regex.Pattern[str], ...]
    disable: frozenset[str]
    rules: tuple[Rule, ...]
    selection: Selection | None = None
    tests: tuple[PageTest, ...] = ()

    def matches_host(self, host: str) -> bool:
        """Whether a host name matches one of the domain globs."""
        host = host.lower().rstrip(".")
        return any(host == d or fnmatch.fnmatchcase(host, d) for d in self.domains)

    def fingerprint_hits(self, lines: str) -> int:
        """How many fingerprints occur in `lines` (short blocks, one per line).

        Fingerprints are compiled with MULTILINE, so `^` and `$` anchor at
        each block.
        """
        return sum(1 for pattern in self.fingerprints if pattern.search(lines))

    def keeps(self, text: str) -> bool:
        """Whether a block is protected by this site's `keep` patterns."""
        return any(p.search(text) for p in self.keep)


FINGERPRINT_MAX_LENGTH = 400  # fingerprints are UI lines; body paragraphs are not searched


@dataclass(frozen=True, eq=False)
class RuleBook:
    """Every rule file loaded: generic rules, lexicons by language, sites."""

    generic: tuple[Rule, ...]
    lexicons: Mapping[str, Lexicon]
    sites: tuple[SiteTemplate, ...]
    files: tuple[str, ...] = field(default=())

    def all_rules(self) -> tuple[Rule, ...]:
        """Every rule, sites first, then lexicons by language, then generic."""
        lexicon_rules = tuple(r for code in sorted(self.lexicons) for r in self.lexicons[code].rules)
        return tuple(r for s in self.sites for r in s.rules) + lexicon_rules + self.generic

    def site(self, name: str) -> SiteTemplate:
        """The template named `name`, or a KeyError listing the known ones."""
        for template in self.sites:
            if template.name == name:
                return template
        raise KeyError(f"unknown site {name!r} (known: {', '.join(s.name for s in self.sites) or 'none'})")


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rules that apply to one document, prepared per detector kind."""

    rules: tuple[Rule, ...]
    prepared: tuple[tuple[Any, Any], ...]  # (detector module, prepared matcher)
    site: SiteTemplate | None


def select_rules(book: RuleBook, lang: str | None, site: SiteTemplate | None) -> tuple[Rule, ...]:
    """Site rules, then the language's, its siblings', then generic ones, less disabled ids.

    Close languages (Malay and Indonesian, Norwegian and Danish) are easily
    taken for one another on short texts; their UI wording is UI wording in
    either, so a language's siblings' lexicons apply after its own.
    """
    lexicon = book.lexicons.get(lang) if lang else None
    siblings = [book.lexicons[s] for s in (lexicon.siblings if lexicon else ()) if s in book.lexicons]
    language_rules = (lexicon.rules if lexicon else ()) + tuple(r for s in siblings for r in s.rules)
    rules = (site.rules if site else ()) + language_rules + book.generic
    disabled = site.disable if site else frozenset()
    return tuple(r for r in rules if r.id not in disabled)


@lru_cache(maxsize=512)
def rule_set(book: RuleBook, lang: str | None, site: SiteTemplate | None) -> RuleSet:
    """The prepared rule set for a language and a site (cached)."""
    return prepare(select_rules(book, lang, site), site)


def prepare(rules: Sequence[Rule], site: SiteTemplate | None = None) -> RuleSet:
    """Group rules by kind, in order, and prepare each kind's matcher.

    A site's body selectors stand in for main-content detection: the `main`
    rules run only through the body rule, when none of its selectors picks
    anything on a page.
    """
    rules = _bodies_fall_back(rules)
    stood_in = {main.KIND} if any(r.kind == body.KIND for r in rules) else set()
    prepared = []
    for kind, module in DETECTORS.items():
        of_kind = [r for r in rules if r.kind == kind]
        if of_kind and kind not in stood_in:
            prepared.append((module, module.prepare(of_kind)))
    return RuleSet(tuple(rules), tuple(prepared), site)


def _bodies_fall_back(rules: Sequence[Rule]) -> tuple[Rule, ...]:
    """The rules, each body rule given the `main` rules to fall back to."""
    mains = tuple(r for r in rules if r.kind == main.KIND)
    return tuple(
        replace(r, options={**r.options, body.FALLBACK: mains}) if r.kind == body.KIND else r for r in rules
    )


def identify_site(book: RuleBook, host: str | None, blocks: Sequence[Block]) -> SiteTemplate | None:
    """The site of a document: by its host name, else by fingerprints in its text."""
    if host:
        for template in book.sites:
            if template.matches_host(host):
                return template
    candidates = [t for t in book.sites if t.fingerprints]
    if not candidates:
        return None
    lines = "\n".join(b.text for b in blocks if len(b.text) < FINGERPRINT_MAX_LENGTH)
    for template in candidates:
        if template.fingerprint_hits(lines) >= template.min_fingerprints:
            return template
    return None


__all__ = [
    "Lexicon", "LexiconRules", "PageTest", "RuleBook", "RuleSet", "SiteTemplate", "identify_site", "rule_set", "search",
]
