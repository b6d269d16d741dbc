"""Contract tests for rule-file errors: each names the problem and where it is.

Every problem is a `Problem(file, line, column, message)` printed as
`FILE:LINE:COLUMN: message`, and a file with several problems reports them all.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cleaner import Category, RuleFileError, clean, load_rule_book
from cleaner.detectors import DETECTORS
from cleaner.rulefiles import Problem, load_text

WriteFile = Callable[[str, "str | bytes"], Path]
Problems = Callable[["str | bytes"], "list[Problem]"]

VALID_RULE = """\
rules:
  - id: credit
    kind: regex
    category: photo-credit
    description: a short line opened by a copyright sign
    pattern: '^©'
    examples: {remove: ["© AFP"], keep: ["Body text."]}
"""


@pytest.fixture
def problems(write_file: WriteFile) -> Callable[[str | bytes], list[Problem]]:
    """The problems found in one rule file with this content (which must have some)."""

    def load(content: str | bytes) -> list[Problem]:
        path = write_file("rules.yaml", content)
        with pytest.raises(RuleFileError) as caught:
            load_rule_book([path], shipped=False)
        assert all(p.file == str(path) for p in caught.value.problems)
        return list(caught.value.problems)

    return load


def _where(found: list[Problem]) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.message) for p in found]


def test_a_valid_file_loads(write_file: WriteFile) -> None:
    book = load_rule_book([write_file("ok.yaml", VALID_RULE)], shipped=False)
    (rule,) = book.all_rules()
    assert (rule.id, rule.kind, rule.category, rule.line) == ("generic.credit", "regex", Category.PHOTO_CREDIT, 2)


def test_a_problem_prints_like_a_compiler_message() -> None:
    assert str(Problem("rules/sites/x.yaml", 14, 7, "bad")) == "rules/sites/x.yaml:14:7: bad"
    error = RuleFileError([Problem("a.yaml", 1, 2, "one"), Problem("b.yaml", 3, 4, "two")])
    assert str(error) == "a.yaml:1:2: one\nb.yaml:3:4: two"


def test_unknown_key_names_the_key_and_the_expected_keys(problems: Problems) -> None:
    found = problems(VALID_RULE.replace("    pattern:", "    cut_form: 3\n    pattern:"))
    assert _where(found) == [(6, 5, 'rule "credit": unknown key "cut_form" (expected one of: case_sensitive, '
                                    'category, description, examples, id, kind, max_length, pattern, requires)')]


def test_unknown_top_level_key(problems: Problems) -> None:
    found = problems("descripton: typo\n" + VALID_RULE)
    assert _where(found) == [(1, 1, 'unknown key "descripton" (expected one of: description, rules)')]


def test_unknown_example_key(problems: Problems) -> None:
    found = problems(VALID_RULE.replace("keep:", "kept:"))
    assert (found[0].line, found[0].message) == (
        7, 'rule "credit": unknown key "kept" (expected one of: after, context, keep, lang, pages, remove)')


def test_wrong_type_is_located_at_the_value(problems: Problems) -> None:
    found = problems(VALID_RULE.replace("    pattern:", "    max_length: long\n    pattern:"))
    assert _where(found) == [(6, 17, 'rule "credit": "max_length" must be a whole number')]


def test_a_boolean_is_not_a_number(problems: Problems) -> None:
    found = problems(VALID_RULE.replace("    pattern:", "    max_length: yes\n    pattern:"))
    assert _where(found) == [(6, 17, 'rule "credit": "max_length" must be a whole number')]


def test_duplicate_rule_id_points_at_both(problems: Problems) -> None:
    second = VALID_RULE.removeprefix("rules:\n")
    found = problems(VALID_RULE + second)
    path = found[0].file
    assert _where(found) == [(8, 1, f'duplicate rule id "generic.credit" (first defined at {path}:2)')]


def test_duplicate_rule_id_across_files(write_file: WriteFile) -> None:
    first = write_file("a.yaml", VALID_RULE)
    second = write_file("b.yaml", VALID_RULE)
    with pytest.raises(RuleFileError) as caught:
        load_rule_book([first, second], shipped=False)
    assert [str(p) for p in caught.value.problems] == [
        f'{second}:2:1: duplicate rule id "generic.credit" (first defined at {first}:2)'
    ]


def test_duplicate_yaml_key_is_located_at_the_second_key(problems: Problems) -> None:
    found = problems(VALID_RULE.replace("    description:", "    kind: phrases\n    description:"))
    assert (found[0].line, found[0].column, found[0].message) == (5, 5, 'duplicate key "kind"')


def test_unknown_category_lists_the_categories(problems: Problems) -> None:
    found = problems(VALID_RULE.replace("photo-credit", "photo-credits"))
    (problem,) = found
    assert (problem.line, problem.column) == (4, 15)
    assert problem.message.startswith(
        "rule \"credit\": unknown category 'photo-credits' (expected one of: photo-credit, ")
    for category in Category:
        assert (category.value in problem.message) is (category is not Category.WHITESPACE)


def test_the_layout_category_is_reserved(problems: Problems) -> None:
    """`whitespace` marks layout edits, which `Result.cuts` leaves out: no rule may use it."""
    (problem,) = problems(VALID_RULE.replace("photo-credit", "whitespace"))
    assert (problem.line, problem.column) == (4, 15)
    assert problem.message.startswith("rule \"credit\": unknown category 'whitespace'")


def test_unknown_kind_lists_the_kinds(problems: Problems) -> None:
    (problem,) = problems(VALID_RULE.replace("kind: regex", "kind: regexp"))
    assert (problem.line, problem.column) == (3, 11)
    kinds = ", ".join(DETECTORS)
    assert "tail" in kinds and "regex" in kinds
    assert problem.message == f"rule \"credit\": unknown kind 'regexp' (expected one of: {kinds})"


def test_invalid_regexes_are_each_located(problems: Problems) -> None:
    found = problems("""\
rules:
  - id: credit
    kind: regex
    category: photo-credit
    description: a credit
    pattern: ['^©', '^(Photo']
    examples: {remove: ["© AFP"], keep: ["Body text."]}
  - id: tail
    kind: zone
    category: widget
    description: a tail
    start: '[unclosed'
    examples: {remove: ["Fil"], keep: ["Body text."]}
  - id: card
    kind: sequence
    category: related
    description: a card
    steps:
      - pattern: '^a$'
      - pattern: '^(b$'
    examples: {remove: ["a\\nb"], keep: ["Body text."]}
""")
    assert _where(found) == [
        (6, 21, "rule \"credit\": invalid regular expression '^(Photo': missing ) at position 7"),
        (12, 12, "rule \"tail\": invalid regular expression '[unclosed': unterminated character set at position 9"),
        (20, 18, "rule \"card\": invalid regular expression '^(b$': missing ) at position 4"),
    ]


def test_invalid_fingerprint_of_a_site(problems: Problems) -> None:
    found = problems("site: demo\nmatch:\n  fingerprints: ['^(Menu']\n")
    assert (found[0].line, found[0].column) == (3, 18)
    assert found[0].message.startswith("invalid regular expression '^(Menu' in \"fingerprints\"")


@pytest.mark.parametrize(("examples", "column"), [
    ("", 5),
    ("    examples: {remove: [], keep: [Body.]}\n", 15),
    ("    examples: {remove: [© AFP]}\n", 15),
])
def test_a_rule_needs_examples_to_remove_and_to_keep(problems: Problems, examples: str, column: int) -> None:
    text = VALID_RULE.replace('    examples: {remove: ["© AFP"], keep: ["Body text."]}\n', examples)
    (problem,) = problems(text)
    assert problem.line == (2 if not examples else 7)
    assert problem.column == column
    assert "examples" in problem.message and problem.message.startswith('rule "credit": ')


def test_unknown_id_in_a_site_disable_is_located(problems: Problems) -> None:
    found = problems("""\
site: demo
match:
  domains: [demo.example]
disable:
  - generic.credit
  - generic.no-such-rule
""")
    assert _where(found) == [
        (5, 5, 'disable: unknown rule id "generic.credit"'),
        (6, 5, 'disable: unknown rule id "generic.no-such-rule"'),
    ]


def test_disable_may_name_any_known_rule(write_file: WriteFile) -> None:
    site = write_file("site.yaml", "site: demo\nmatch: {domains: [demo.example]}\ndisable: [generic.credit]\n")
    book = load_rule_book([write_file("generic.yaml", VALID_RULE), site], shipped=False)
    assert book.site("demo").disable == frozenset({"generic.credit"})


@pytest.mark.parametrize(("text", "line", "column"), [
    ("rules:\n  - id: credit\n    kind: regex\n   category: photo-credit\n", 4, 4),
    ('rules:\n  - id: credit\n    pattern: "unterminated\n', 4, 1),
    ("rules: [\n  {id: a},\n", 3, 1),
    ("rules:\n\t- id: tab\n", 2, 1),
])
def test_malformed_yaml_is_located(problems: Problems, text: str, line: int, column: int) -> None:
    (problem,) = problems(text)
    assert (problem.line, problem.column) == (line, column)
    assert problem.message.startswith("not valid YAML: ")


@pytest.mark.parametrize(("value", "tag"), [
    ("!!python/object:builtins.str '^©'", "python/object:builtins.str"),
    ("!!python/object/apply:os.system ['echo hacked']", "python/object/apply:os.system"),
    ("!!python/object:os.system {a: 1}", "python/object:os.system"),
    ("!!python/name:os.system ''", "python/name:os.system"),
])
def test_python_tags_are_refused_and_located(problems: Problems, value: str, tag: str) -> None:
    found = problems(VALID_RULE.replace("pattern: '^©'", f"pattern: {value}"))
    assert (found[0].line, found[0].column) == (6, 14)
    assert found[0].message.startswith("cannot read this value: ")
    assert tag in found[0].message


def test_a_python_tag_on_a_rule_refuses_the_rule(problems: Problems) -> None:
    found = problems(VALID_RULE.replace("  - id: credit", "  - !!python/object:os.system\n    id: credit"))
    assert (found[0].line, found[0].column) == (2, 5)
    assert "unsupported tag 'tag:yaml.org,2002:python/object:os.system'" in found[0].message


def test_anchors_and_aliases_are_refused(problems: Problems) -> None:
    """The composer resolves an alias to its anchored node: the report points at the anchor."""
    found = problems(VALID_RULE.replace("pattern: '^©'", "pattern: &p '^©'").replace('["Body text."]', "[*p]"))
    assert (found[0].line, found[0].column) == (6, 14)
    assert found[0].message == "anchors and aliases are not allowed in rule files"


def test_a_billion_laughs_file_is_refused_quickly(problems: Problems) -> None:
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    found = problems("\n".join(levels) + "\n")
    assert any(p.message == "anchors and aliases are not allowed in rule files" for p in found)


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n"])
def test_an_empty_file_is_reported(problems: Problems, content: str) -> None:
    assert _where(problems(content)) == [(1, 1, "the file is empty")]


def test_a_file_that_is_not_a_mapping(problems: Problems) -> None:
    (problem,) = problems("- id: credit\n")
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message.startswith("a rule file must be a mapping")


def test_a_non_utf8_file_is_reported(problems: Problems) -> None:
    found = problems("rules:\n  - id: café\n".encode("latin-1"))
    assert _where(found) == [(1, 1, "the file is not UTF-8 (byte 18)")]


def test_a_utf8_bom_is_accepted(write_file: WriteFile) -> None:
    book = load_rule_book([write_file("bom.yaml", "\ufeff" + VALID_RULE)], shipped=False)
    assert [r.id for r in book.all_rules()] == ["generic.credit"]


def test_every_problem_of_a_file_is_reported(problems: Problems) -> None:
    """Including a broken regex in a rule whose category is also wrong."""
    found = problems("""\
rules:
  - id: credit
    kind: regex
    category: photo-credits
    description: a credit
    pattern: '^(©'
    examples: {remove: ["© AFP"], keep: ["Body text."]}
  - id: chat
    kind: phrases
    category: widget
    description: the chat button
    phrases: [Chat]
    colour: red
  - id: counter
    kind: regexp
    category: widget
""")
    assert [(p.line, p.column) for p in found] == [(4, 15), (6, 14), (13, 5), (8, 5), (15, 11)]
    messages = "\n".join(p.message for p in found)
    for expected in ("unknown category 'photo-credits'", "invalid regular expression '^(©'",
                     'unknown key "colour"', "examples", "unknown kind 'regexp'"):
        assert expected in messages


def test_problems_of_several_files_are_all_reported(write_file: WriteFile) -> None:
    bad_kind = write_file("a.yaml", VALID_RULE.replace("kind: regex", "kind: regexp"))
    empty = write_file("b.yaml", "")
    with pytest.raises(RuleFileError) as caught:
        load_rule_book([bad_kind, empty], shipped=False)
    assert [(p.file, p.line) for p in caught.value.problems] == [(str(bad_kind), 3), (str(empty), 1)]


def test_a_directory_of_rule_files_is_read_recursively(write_file: WriteFile, tmp_path: Path) -> None:
    write_file("extra/generic/a.yaml", VALID_RULE)
    write_file("extra/sites/demo.yml", "site: demo\nmatch: {domains: [demo.example]}\n")
    write_file("extra/notes.txt", "not a rule file")
    book = load_rule_book([tmp_path / "extra"], shipped=False)
    assert [r.id for r in book.all_rules()] == ["generic.credit"]
    assert [s.name for s in book.sites] == ["demo"]


# A shipped lexicon's rules are compiled when a document in its language first needs them (start-up);
# their ids are checked when the book loads, and `cleaner rules check` reads everything at once.

FRENCH_PAGE = "Lire aussi : Le Sénat vote la loi\n\nLe Sénat a voté la loi mardi soir, après un long débat.\n"


def test_a_shipped_lexicon_is_read_when_its_language_first_comes() -> None:
    book = load_rule_book()
    assert not any(lexicon.contents.read for lexicon in book.lexicons.values())
    result = clean(FRENCH_PAGE, lang="fr", rules=book)
    assert [c.text for c in result.cuts] == ["Lire aussi : Le Sénat vote la loi"]
    assert result.cuts[0].rule.startswith("fr.")
    read = {code for code, lexicon in book.lexicons.items() if lexicon.contents.read}
    assert read == {"fr", *book.lexicons["fr"].siblings}


def test_reading_everything_at_once_gives_the_same_rules() -> None:
    deferred, eager = load_rule_book(), load_rule_book(defer=False)
    assert all(lexicon.contents.read for lexicon in eager.lexicons.values())
    assert [(r.id, r.line, r.kind) for r in deferred.all_rules()] == [(r.id, r.line, r.kind) for r in eager.all_rules()]
    assert clean(FRENCH_PAGE, rules=deferred).text == clean(FRENCH_PAGE, rules=eager).text


def test_a_user_rule_reusing_the_id_of_a_deferred_shipped_rule_is_refused(write_file: WriteFile) -> None:
    rule_id, source, line = load_rule_book().lexicons["fr"].contents.ids[0]
    path = write_file("fr.yaml", "lang: fr\n" + VALID_RULE.replace("id: credit", f"id: {rule_id.split('.', 1)[1]}"))
    with pytest.raises(RuleFileError) as caught:
        load_rule_book([path])
    assert [str(p) for p in caught.value.problems] == [
        f'{path}:3:1: duplicate rule id "{rule_id}" (first defined at {source}:{line})'
    ]


def test_a_deferred_lexicon_reports_its_problems_where_they_are_when_read() -> None:
    text = "lang: fr\n" + VALID_RULE.replace("'^©'", "'^(©'")
    loaded, found = load_text(text, "fr.yaml", trusted=True, defer=True)
    assert found == [] and loaded.lexicon is not None
    with pytest.raises(RuleFileError) as caught:
        loaded.lexicon.rules  # noqa: B018  # reading them is the test
    assert [(p.file, p.line) for p in caught.value.problems] == [("fr.yaml", 7)]
    _, at_once = load_text(text, "fr.yaml", trusted=True)
    assert [(p.file, p.line) for p in at_once] == [("fr.yaml", 7)]
