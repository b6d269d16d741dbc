"""`folded_initial` tells the first character of a folded line, or declines: never wrongly."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cleaner.text import EDGE_DECORATION, fold, folded_initial

# Openings that fold in surprising ways: decoration and quotes, marks, ligatures, compatibility
# forms, Hangul jamo, Indic vowel parts, half-width kana with voicing marks, dotted capital I.
TRICKY = (
    EDGE_DECORATION + "„“”‘’«»‹›–—‐\u00a0\u3000"
    "e\u0301A\u030a\u0344ŉßİﬁÅΆΐσςЁй"
    "\u1100\u1161\u11a8가"
    "\u09c7\u09be\u0bc6\u0bbe"
    "\uff76\uff9e\uff21１"
    "漢字かが\u3099"
)
openings = st.text(alphabet=st.sampled_from(TRICKY), max_size=6)


@settings(max_examples=2000)
@given(openings, st.text(max_size=20))
@example("  » Lire aussi : la suite", "")
@example("\uff76\uff9e", "")  # half-width ka and its voicing mark compose into one letter
@example("\u1100\u1161", "")  # two jamo compose into one syllable
@example("e", "\u0301x")  # a letter and the accent that follows it
def test_folded_initial_is_folds_first_character(opening: str, rest: str) -> None:
    text = opening + rest
    initial = folded_initial(text)
    assert initial is None or initial == fold(text)[:1]


def test_folded_initial_reads_through_decoration_and_case() -> None:
    assert folded_initial("  » Lire aussi : la suite") == "l"
    assert folded_initial("„ΔΙΑΒΑΣΤΕ ΕΠΙΣΗΣ") == "δ"
    assert folded_initial("— Читайте также") == "ч"
    assert folded_initial("ß") == "s"


def test_folded_initial_declines_where_letters_compose() -> None:
    assert folded_initial("\uff76\uff9e") is None  # half-width kana: not read alone
    assert folded_initial("e\u0301") is None  # a mark follows the letter
    assert folded_initial("»  ") is None  # nothing but decoration
