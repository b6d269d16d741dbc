"""Needles read from a pattern: a text the pattern matches always holds one of them."""

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.detectors.literals import fold_for_needles, needles
from cleaner.rulefiles import default_rule_book

TRICKY = [
    r"(?i)^[^|]{0,200}\|\s*main\s*\|",
    r"(?i)\b(getty images|afp|reuters)\b",
    r"(?i)^(?=.*\bcookies?\b)(?=.*(use|agree)).{0,300}$",
    r"(?i)σχετικά άρθρα",
    r"(?i)Kilo|STRASSE|istanbul",
    r"(?i)(?:ab)+c",
    r"(?i)x(?:yz)?w",
    r"(?i)(?-i:AFP)|(?-i:AP)\b",
]
ALPHABET = "abcdefgikmnorstuwxyzAFPKLS|İıſKσςΣάέ ."


def test_needles_of_common_shapes():
    assert needles(regex.compile(TRICKY[0])) == ("main",)
    assert needles(regex.compile(TRICKY[1])) == ("afp", "getty images", "reuters")
    assert needles(regex.compile(TRICKY[2])) == ("cookie",)
    assert needles(regex.compile(r"(?i)(?:ab)+c")) == ("ab",)
    assert needles(regex.compile(r"x(?:yz)?w")) in (("x",), ("w",))


def test_syntax_beyond_re_gives_no_needles():
    assert needles(regex.compile(r"(?:colour){e<=1}")) == ()  # fuzzy: `colr` matches
    assert needles(regex.compile(r"[[:alpha:]]+x", regex.V0)) == ()
    assert needles(regex.compile(r"^\p{Lu}+ news$")) == ()
    assert needles(regex.compile(r"(?V1)[[a-z]--[q]]+")) == ()


def test_folding_matches_case_insensitive_matching():
    assert fold_for_needles("İSTANBUL") == "istanbul"
    assert fold_for_needles("ΣΧΕΤΙΚΆ ΆΡΘΡΑ") == fold_for_needles("σχετικά άρθρα")
    assert fold_for_needles("STRAẞE") == fold_for_needles("strasse")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40), st.sampled_from(TRICKY))
def test_a_matching_text_holds_a_needle(text, source):
    pattern = regex.compile(source)
    found = needles(pattern)
    if found and pattern.search(text):
        assert any(n in fold_for_needles(text) for n in found), (source, text, found)


def test_every_shipped_pattern_keeps_its_examples():
    """Each regex rule's `remove` example holds one of its patterns' needles when that pattern matches it."""
    checked = 0
    for rule in default_rule_book().all_rules():
        if rule.kind != "regex":
            continue
        for example in rule.examples.remove:
            for line in example.splitlines():
                for pattern in rule.options["pattern"]:
                    found = needles(pattern)
                    if found and pattern.search(line):
                        assert any(n in fold_for_needles(line) for n in found), (rule.id, line, found)
                        checked += 1
    assert checked > 100
