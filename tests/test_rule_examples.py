"""Every shipped rule removes its own `remove` examples and keeps its `keep` examples.

One generic test, one case per rule, the rule id as the test id: a failing
rule reads `test_rule_examples[fr.subscribe]`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cleaner import default_rule_book, load_rule_book
from cleaner.examples import check_rule
from cleaner.model import Rule
from cleaner.rulefiles import RuleFileError

SHIPPED_RULES = default_rule_book().all_rules()


def test_the_rule_book_is_not_empty() -> None:
    kinds = {rule.kind for rule in SHIPPED_RULES}
    assert len(SHIPPED_RULES) > 20
    assert {"phrases", "regex", "sequence", "zone", "script", "token_row"} <= kinds


@pytest.mark.parametrize("rule", SHIPPED_RULES, ids=[rule.id for rule in SHIPPED_RULES])
def test_rule_examples(rule: Rule) -> None:
    failures = [str(failure) for failure in check_rule(rule)]
    assert failures == []


def test_a_rule_that_breaks_its_examples_is_reported(write_file: Callable[[str, str], Path]) -> None:
    """The check itself is not vacuous: a wrong example is named, with the rule's location."""
    path = write_file("bad.yaml", """\
rules:
  - id: chat
    kind: phrases
    category: widget
    description: the chat button
    phrases: [Chat]
    examples:
      remove: ["Chat", "Live chat"]
      keep: ["chat"]
""")
    (rule,) = load_rule_book([path], shipped=False).all_rules()
    failures = [str(f) for f in check_rule(rule)]
    assert failures == [
        f"{path}:2:1: rule generic.chat: does not remove ['Live chat']: 'Live chat'",
        f"{path}:2:1: rule generic.chat: removes ['chat'], which it must keep: 'chat'",
    ]


def test_a_context_line_removed_by_the_rule_is_a_failure(write_file: Callable[[str, str], Path]) -> None:
    path = write_file("ctx.yaml", """\
rules:
  - id: short-line
    kind: regex
    category: widget
    description: any short line
    pattern: '^.{1,40}$'
    examples:
      context: "Short body line."
      remove: ["loader"]
      keep: ["A sentence much longer than forty characters, which stays."]
""")
    (rule,) = load_rule_book([path], shipped=False).all_rules()
    messages = [f.message for f in check_rule(rule)]
    # reported once for the `remove` example and once for the `keep` one
    assert messages == ["removes context lines ['Short body line.']"] * 2


def test_a_page_example_names_the_lines_a_rule_gets_wrong(write_file: Callable[[str, str], Path]) -> None:
    """A `pages` example: the lines opening with `[x] ` must go, and only those."""
    path = write_file("page.yaml", """\
rules:
  - id: short-line
    kind: regex
    category: widget
    description: any short line
    pattern: '^.{1,12}$'
    examples:
      pages:
        - |
          [x] Home
          [x] A line too long for the pattern
          A sentence much longer than forty characters, which stays.
          Contact
""")
    (rule,) = load_rule_book([path], shipped=False).all_rules()
    assert [f.message for f in check_rule(rule)] == [
        "removes ['Contact'], which it must keep",
        "does not remove ['A line too long for the pattern']",
    ]


def test_a_page_example_of_one_line_is_a_located_problem(write_file: Callable[[str, str], Path]) -> None:
    path = write_file("page1.yaml", """\
rules:
  - id: short-line
    kind: regex
    category: widget
    description: any short line
    pattern: '^.{1,12}$'
    examples:
      pages: ["[x] Home"]
""")
    with pytest.raises(RuleFileError) as caught:
        load_rule_book([path], shipped=False)
    assert "a page example has several lines" in str(caught.value)
