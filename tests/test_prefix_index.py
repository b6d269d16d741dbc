"""The shortcuts detectors take must never change a verdict.

The prefix index rules patterns out by a block's opening, the script
detector sets aside characters it has seen: both are only sound if every
pattern that matches is still a candidate, and every foreign letter is
still seen.
"""

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.detectors.base import PrefixIndex, anchored_at_start, opening_test
from cleaner.detectors.script import _any_foreign
from cleaner.scripts import script_counts

PATTERNS = [
    r"^(related (articles|stories)|more news)\W*$",
    r"^(?=.{0,40}$)\(?(©|\(c\)|copyright)\s*\d{4}",
    r"^(?=.*\bcookies?\b)(?=.*(use|agree)).{0,300}$",
    r"^\[?\d{1,2}[:.]\d{2}\]?\s+\p{L}",
    r"^\p{L}{3,12}\.?\s+(19|20)\d{2}$",
    r"\bbookmark the permalink\b",
    r"^(фото|видео):\s",
    r"^(广告|相关新闻)$",
    r"^a|b",
]
COMPILED = [regex.compile(p, regex.IGNORECASE) for p in PATTERNS]
ALPHABET = "abcdeorsl ()©:[]0123456789.\nфотвидеоCOPYRIGHTRelatd广告相关新闻"


def test_opening_test_drops_leading_lookaheads_only():
    assert opening_test(COMPILED[1]).pattern == r"^\(?(©|\(c\)|copyright)\s*\d{4}"
    assert opening_test(COMPILED[2]).pattern == r"^.{0,300}$"
    assert opening_test(COMPILED[0]) is COMPILED[0]
    assert opening_test(regex.compile(r"^(?=a[)]b)c")).pattern == "^c"  # a bracket in a class is not a group's end


def test_anchoring():
    assert anchored_at_start(PATTERNS[0])
    assert anchored_at_start(r"^[|](a|b)")
    assert not anchored_at_start(PATTERNS[5])
    assert not anchored_at_start(PATTERNS[8])  # `b` matches anywhere


def test_prefix_index_rules_out_by_the_opening():
    index = PrefixIndex(COMPILED)
    assert 0 not in index.candidates("The minister said on Tuesday")
    assert 1 in index.candidates("© 2024 Agency")
    assert 1 not in index.candidates("Reports of the agency")  # the lookahead no longer hides the opening
    assert 5 in index.candidates("anything at all")  # not anchored: always a candidate


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=30), min_size=1, max_size=25))
def test_every_matching_pattern_is_a_candidate(texts):
    index = PrefixIndex(COMPILED)  # one index over the whole list: its memo fills as it goes
    for text in texts:
        candidates = set(index.candidates(text))
        matching = {i for i, p in enumerate(COMPILED) if p.search(text)}
        assert matching <= candidates, (text, matching - candidates)


NATIVE_SETS = [frozenset({"Latin"}), frozenset({"Cyrillic"}), frozenset({"Han", "Bopomofo"}), frozenset({"Greek"})]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="abcé жзк ωψ 中文 ア,.1", max_size=20), min_size=1, max_size=20))
def test_foreign_letters_are_seen_whatever_was_seen_before(texts):
    for native in NATIVE_SETS:
        for text in texts:
            expected = any(name not in native for name in script_counts(text))
            assert _any_foreign(text, native) == expected, (text, native)
