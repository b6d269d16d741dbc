"""The foreign_language kind: long lines in another language of the same script.

Not shipped among the generic rules (see tests/foreign-language-rule.yaml for
why); a user enables it with a rule file, as here.
"""

from __future__ import annotations

from pathlib import Path

from cleaner import clean, load_rule_book, restore
from cleaner.examples import check_rule

RULE_FILE = Path(__file__).resolve().parent / "foreign-language-rule.yaml"
GERMAN = [
    "Die Bundesregierung hat am Dienstag einen neuen Haushaltsentwurf vorgelegt, der höhere Ausgaben vorsieht.",
    "Die Opposition kritisierte, dass die Pläne die Schulden der Länder in den kommenden Jahren weiter erhöhen würden.",
    "Nach Angaben des Finanzministeriums sollen die Mittel vor allem in den Bau neuer Schulen fließen.",
    "Der Bundestag wird sich voraussichtlich im Herbst mit dem Entwurf befassen, nachdem die Ausschüsse beraten haben.",
    "Mehrere Länder haben bereits angekündigt, eigene Vorschläge für die Verteilung der Gelder vorzulegen.",
    "Die Gewerkschaften begrüßten die Pläne grundsätzlich, forderten aber mehr Geld für die Sanierung alter Gebäude.",
]
BANNER = ("We use cookies to give you the best experience on our website. "
          "By continuing to browse the site you agree to our use of cookies.")


def test_the_rule_file_loads_and_its_examples_pass() -> None:
    book = load_rule_book([RULE_FILE])
    rule = next(r for r in book.generic if r.kind == "foreign_language")
    assert list(check_rule(rule)) == []


def test_an_english_banner_in_a_german_page_goes() -> None:
    book = load_rule_book([RULE_FILE])
    text = "\n\n".join([*GERMAN, BANNER]) + "\n"
    result = clean(text, rules=book)
    assert result.lang == "de"
    assert [(c.text, c.category.value, c.note) for c in result.cuts] == [(BANNER, "foreign-language", "in en, not de")]
    assert restore(result.text, result.removals) == text


def test_a_bilingual_document_keeps_both_languages() -> None:
    book = load_rule_book([RULE_FILE])
    english = [
        "The federal government presented a new draft budget on Tuesday that provides for much higher spending.",
        "The opposition criticised that the plans would further increase the debts of the states in coming years.",
    ]
    text = "\n\n".join([*GERMAN, *english]) + "\n"
    assert clean(text, rules=book).text == text


def test_without_the_rule_nothing_is_judged_by_language() -> None:
    text = "\n\n".join([*GERMAN, BANNER]) + "\n"
    assert BANNER in clean(text).text
