"""Selectors of a site template's `html:` part: CSS or XPath, compiled once.

A selector is written as a string, XPath when it starts with `/`, `./`,
`.//` or `(` (as FiveFilters site configs write them) and CSS otherwise, or
as a mapping that says which: `{css: "div.box"}`, `{xpath: "//aside"}`.
A mapping may add a text predicate on the node: `text` (a regular
expression that must match somewhere in the node's text, case-insensitive
unless the rule says `case_sensitive: true`) or `contains` (a plain string
the node's text must contain).

Selecting never changes the page. The elements a page's selectors pick are
given context tokens, `select:<rule id>:<selector index>:<node number>`,
which every block below them inherits (as it inherits `class:` tokens);
the `body` and `strip` detectors read them, so a stripped node's text stays
in the page's rendering and is logged like any other removal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import regex
from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector

from ..model import Block, Rule
from .base import OptionError, compile_pattern

TOKEN_PREFIX = "select:"
XPATH_OPENINGS = ("/", "./", ".//", "(")
SELECTOR_KEYS = {"css", "xpath", "text", "contains"}
# Every selector is tried once at load time on this page, so that an XPath calling an unknown
# function fails in the rule file, not in the middle of a corpus run.
_PROBE = etree.fromstring(
    '<html><head><title>t</title></head><body><div class="a" id="b"><p class="c">x</p>'
    '<img src="i.png"/><a href="/">y</a></div></body></html>'
)
# XPath 1.0's functions and node tests: lxml would only find another name unknown when a predicate
# calling it is first evaluated, on some page, in the middle of a run.
XPATH_FUNCTIONS = frozenset(
    "last position count id local-name namespace-uri name string concat starts-with contains substring-before "
    "substring-after substring string-length normalize-space translate boolean not true false lang number sum "
    "floor ceiling round text node comment processing-instruction".split()
)
_CALL = regex.compile(r"""'[^']*'|"[^"]*"|([A-Za-z_][\w.-]*)\s*\(""")
NOT_A_SELECTOR = "a selector is a string (XPath when it starts with / ./ or (, else CSS) or a mapping {css|xpath: ...}"


class SelectorFailed(RuntimeError):
    """A selector that compiled could not be evaluated on one page."""


@dataclass(frozen=True, slots=True)
class Selector:
    """One compiled selector and its optional text predicate."""

    source: str
    language: str  # "css" or "xpath"
    xpath: etree.XPath
    text: regex.Pattern[str] | None = None

    def __str__(self) -> str:
        return f"{self.language}:{self.source}"


def _language(value: str | Mapping[str, Any], key: str) -> tuple[str, str]:
    """(language, source) of one written selector."""
    if isinstance(value, str):
        return ("xpath" if value.strip().startswith(XPATH_OPENINGS) else "css"), value.strip()
    if not isinstance(value, Mapping):
        raise OptionError(key, NOT_A_SELECTOR)
    unknown = sorted(set(value) - SELECTOR_KEYS)
    if unknown:
        raise OptionError(f"{key}.{unknown[0]}", f'unknown key "{unknown[0]}" (expected one of: '
                                                 f'{", ".join(sorted(SELECTOR_KEYS))})')
    languages = [name for name in ("css", "xpath") if name in value]
    if len(languages) != 1 or not isinstance(value[languages[0]], str):
        raise OptionError(key, "a selector mapping needs exactly one of `css` or `xpath`, a string")
    return languages[0], value[languages[0]].strip()


def _compiled(language: str, source: str, key: str) -> etree.XPath:
    if not source:
        raise OptionError(key, "empty selector")
    unknown = [name for name in _CALL.findall(source) if name and name not in XPATH_FUNCTIONS]
    if language == "xpath" and unknown:
        raise OptionError(key, f"invalid XPath {source!r}: unknown function {unknown[0]}() (XPath 1.0 has: "
                               "contains, starts-with, normalize-space, concat, not, position...)")
    try:
        compiled = CSSSelector(source, translator="html") if language == "css" else etree.XPath(source)
        compiled(_PROBE)
    except SelectorError as err:
        raise OptionError(key, f"invalid CSS selector {source!r}: {err}") from None
    except etree.XPathError as err:
        raise OptionError(key, f"invalid XPath {source!r}: {err}") from None
    return compiled


def _predicate(value: Any, key: str, case_sensitive: bool) -> regex.Pattern[str] | None:
    if not isinstance(value, Mapping):
        return None
    if "text" in value and "contains" in value:
        raise OptionError(key, "a selector takes `text` or `contains`, not both")
    if "text" in value:
        if not isinstance(value["text"], str):
            raise OptionError(f"{key}.text", "`text` must be a regular expression (a string)")
        return compile_pattern(f"{key}.text", value["text"], case_sensitive)
    if "contains" in value:
        if not isinstance(value["contains"], str) or not value["contains"]:
            raise OptionError(f"{key}.contains", "`contains` must be a non-empty string")
        return compile_pattern(f"{key}.contains", regex.escape(value["contains"]), case_sensitive)
    return None


def compile_selectors(value: Any, key: str, case_sensitive: bool = False) -> tuple[Selector, ...]:
    """Compile a `select` option (one selector or a list), or raise OptionError naming the key."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise OptionError(key, "give at least one selector")
    selectors = []
    for i, item in enumerate(items):
        where = f"{key}[{i}]" if isinstance(value, list) else key
        language, source = _language(item, where)
        xpath = _compiled(language, source, f"{where}.{language}" if isinstance(item, Mapping) else where)
        selectors.append(Selector(source, language, xpath, _predicate(item, where, case_sensitive)))
    return tuple(selectors)


@dataclass(frozen=True, slots=True)
class Selection:
    """The selectors of some rules, applied together to a page's tree."""

    entries: tuple[tuple[str, int, Selector], ...]  # (rule id, selector index, selector)

    def pick(self, root: etree._Element) -> dict[etree._Element, frozenset[str]]:
        """The context tokens of every element some selector picks."""
        found: dict[etree._Element, set[str]] = {}
        number = 0
        for rule_id, index, selector in self.entries:
            for node in _evaluate(selector, root, rule_id):
                number += 1
                found.setdefault(node, set()).add(f"{TOKEN_PREFIX}{rule_id}:{index}:{number}")
        return {node: frozenset(tokens) for node, tokens in found.items()}


def _evaluate(selector: Selector, root: etree._Element, rule_id: str) -> list[etree._Element]:
    try:
        result = selector.xpath(root)
    except etree.XPathError as err:
        raise SelectorFailed(f"rule {rule_id}: selector {selector} failed on this page: {err}") from None
    if not isinstance(result, list):
        return []  # an XPath giving a number, string or boolean selects no element
    return [node for node in result if isinstance(node, etree._Element) and isinstance(node.tag, str)]


def selection_of(rules: Iterable[Rule]) -> Selection | None:
    """The selection of the rules that have selectors (`body`, `strip`); None when none has."""
    entries = tuple(
        (rule.id, i, selector)
        for rule in rules
        for i, selector in enumerate(rule.options.get("select") or ())
        if isinstance(selector, Selector)
    )
    return Selection(entries) if entries else None


def picked_nodes(blocks: Sequence[Block], rule_id: str) -> dict[tuple[int, int], list[Block]]:
    """The blocks below each node a rule's selectors picked: (selector index, node number) -> blocks."""
    prefix = f"{TOKEN_PREFIX}{rule_id}:"
    keys_of: dict[frozenset[str], list[tuple[int, int]]] = {}
    nodes: dict[tuple[int, int], list[Block]] = {}
    for block in blocks:
        keys = keys_of.get(block.context)
        if keys is None:
            keys = keys_of[block.context] = [_node_key(t, len(prefix)) for t in block.context if t.startswith(prefix)]
        for key in keys:
            nodes.setdefault(key, []).append(block)
    return nodes


def _node_key(token: str, skip: int) -> tuple[int, int]:
    index, number = token[skip:].split(":")
    return int(index), int(number)


def node_text(blocks: Sequence[Block]) -> str:
    """A node's text as its predicate sees it: its blocks, one per line."""
    return "\n".join(block.text for block in blocks)
