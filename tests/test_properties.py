"""Properties of `clean()` on generated documents, checked with hypothesis.

A document is built from real residue (the `remove` examples of the shipped
rules), real body sentences in several languages and scripts, whitespace of
every kind, and arbitrary Unicode. Whatever it is:

- the log restores it exactly: `restore(r.text, r.removals) == text`;
- cleaning is deterministic and idempotent;
- the clean text is "" or blocks separated by one blank line, ending with
  one newline, no line with surrounding whitespace.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cleaner import Result, clean, default_rule_book, restore

RESIDUE = sorted({
    line.strip()
    for rule in default_rule_book().all_rules()
    for example in rule.examples.remove
    for line in example.split("\n")
    if line.strip()
})

BODY = [
    "Le Parlement irakien a réclamé dimanche au gouvernement l'expulsion des troupes américaines du pays.",
    "Une copie du message a été consultée par l’AFP, qui a dévoilé que les militaires avaient confirmé la décision.",
    "The committee published its report on Tuesday, after two years of hearings and more than forty witnesses.",
    "Officials said the new bridge would open to traffic next spring, weather permitting.",
    "Президент заявил журналистам, что переговоры продолжатся на следующей неделе в Женеве.",
    "«Мы уважаем ваше суверенное решение», — говорится в письме командования.",
    "国家统计局周一公布的数据显示，今年前三个季度经济同比增长百分之五。",
    "东京的游客人数在春节期间明显增加，酒店入住率创下新高。",
    "政府は月曜日、新しい経済対策を発表し、来年度の予算に盛り込む方針を示した。",
]

WHITESPACE = [" ", "  ", "\t", "\r\n", "\r", "\n", "\n\n", "\n\n\n", "\u00a0", " \u00a0\t", "\u2028", "\u3000", ""]

blocks = st.one_of(
    st.sampled_from(RESIDUE),
    st.sampled_from(BODY),
    st.text(max_size=40),
)
padding = st.lists(st.sampled_from(WHITESPACE), max_size=3).map("".join)
line_breaks = st.sampled_from(["\n", "\r\n", "\n\n", "\n \n", "\r\n\r\n", "\n\t\n\u00a0\n"])


@st.composite
def documents(draw: st.DrawFn) -> str:
    """Lines of residue, body and noise, each padded, joined by assorted line breaks."""
    lines = draw(st.lists(st.tuples(padding, blocks, padding).map("".join), max_size=14))
    parts = [draw(padding)]
    for line in lines:
        parts.append(line)
        parts.append(draw(line_breaks))
    parts.append(draw(padding))
    return "".join(parts)


def test_the_generators_use_real_residue() -> None:
    assert "S'abonner" in RESIDUE
    assert "Заголовок открываемого материала" in RESIDUE
    assert len(RESIDUE) > 50


@given(documents())
def test_the_log_restores_the_original_exactly(text: str) -> None:
    result = clean(text)
    assert restore(result.text, result.removals) == text


@given(st.text())
def test_the_log_restores_any_unicode_text(text: str) -> None:
    result = clean(text)
    assert restore(result.text, result.removals) == text


@given(documents())
def test_cleaning_is_deterministic(text: str) -> None:
    first, second = clean(text), clean(text)
    assert first.text == second.text
    assert first.removals == second.removals
    assert (first.lang, first.site) == (second.lang, second.site)


@given(documents())
def test_cleaning_is_idempotent(text: str) -> None:
    once = clean(text).text
    assert clean(once).text == once


def _assert_normal_form(result: Result) -> None:
    text = result.text
    if text == "":
        return
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\n\n\n" not in text
    for line in text.split("\n"):
        assert line == line.strip(), f"line with surrounding whitespace: {line!r}"


@given(documents())
def test_clean_text_is_in_normal_form(text: str) -> None:
    _assert_normal_form(clean(text))


@given(st.text())
def test_clean_text_of_any_unicode_is_in_normal_form(text: str) -> None:
    _assert_normal_form(clean(text))


@given(documents())
def test_removals_are_ordered_disjoint_and_exact(text: str) -> None:
    """Each record names exactly the original text it covers, in the order of the text."""
    position = 0
    for removal in clean(text).removals:
        assert removal.start >= position
        assert text[removal.start : removal.end] == removal.text
        assert text[removal.end : removal.stop] == removal.trailing
        position = removal.stop
