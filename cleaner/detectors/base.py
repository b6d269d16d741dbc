"""What every detector shares: the page it reads, option specs, errors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import regex

from ..model import Block, Rule

# A user's pattern gets this long on one block before it is given up on.
PATTERN_TIMEOUT_SECONDS = 0.25
# Regular expressions are matched case-insensitively unless a rule says otherwise.
DEFAULT_FLAGS = regex.IGNORECASE | regex.UNICODE


@dataclass(frozen=True, slots=True)
class Page:
    """The blocks still kept, in order, and what is known of their document.

    `native_scripts` are the scripts the document is written in (its main
    script, the scripts kindred to it, and any other script holding a large
    share of its letters).
    """

    blocks: tuple[Block, ...]
    lang: str | None
    native_scripts: frozenset[str]
    chars: int


@dataclass(frozen=True, slots=True)
class Option:
    """One key a rule of some kind may have.

    `type` is one of: str, strs (a string or a list of strings), int, float,
    bool, pattern, patterns (regexes), steps (a list of mappings).
    """

    type: str
    required: bool = False
    default: Any = None
    doc: str = ""


class OptionError(ValueError):
    """A rule option is wrong; `key` names it (a dotted path below the rule)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


class RuleTimeout(RuntimeError):
    """A rule's pattern ran past its time budget on one block."""

    def __init__(self, rule: Rule) -> None:
        super().__init__(f"rule {rule.id} ({rule.source}:{rule.line}) ran out of time")
        self.rule = rule


def compile_pattern(key: str, source: str, case_sensitive: bool = False) -> regex.Pattern[str]:
    """Compile one user pattern, or raise an OptionError naming the key."""
    try:
        return regex.compile(source, 0 if case_sensitive else DEFAULT_FLAGS)
    except regex.error as err:
        raise OptionError(key, f"invalid regular expression {source!r}: {err}") from None


def search(rule: Rule, pattern: regex.Pattern[str], text: str) -> bool:
    """Whether `pattern` matches `text`, within the time budget of one rule."""
    try:
        return pattern.search(text, timeout=PATTERN_TIMEOUT_SECONDS) is not None
    except TimeoutError:
        raise RuleTimeout(rule) from None


def as_strings(value: Any) -> tuple[str, ...]:
    """A `strs` option as a tuple, whether written as one string or a list."""
    return (value,) if isinstance(value, str) else tuple(value)


def patterns_of(options: Mapping[str, Any], key: str) -> tuple[regex.Pattern[str], ...]:
    """Compile a `patterns` option (one string or a list) into patterns."""
    case = bool(options.get("case_sensitive", False))
    return tuple(
        compile_pattern(f"{key}[{i}]" if not isinstance(options[key], str) else key, p, case)
        for i, p in enumerate(as_strings(options[key]))
    )
