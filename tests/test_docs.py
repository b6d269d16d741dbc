"""docs/rules.md is generated from the rule files and detector docstrings: it must not drift."""

from __future__ import annotations

from pathlib import Path

from cleaner import default_rule_book
from cleaner.docgen import render

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def test_rules_reference_is_up_to_date() -> None:
    assert DOCS.read_text(encoding="utf-8") == render(default_rule_book()), "run `make docs` and commit docs/rules.md"


def test_rules_reference_names_every_rule_and_kind() -> None:
    text = DOCS.read_text(encoding="utf-8")
    book = default_rule_book()
    missing = [r.id for r in book.all_rules() if f"`{r.id}`" not in text]
    assert not missing
    assert "### `tail`" in text and "### `phrases`" in text
