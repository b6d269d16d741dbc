"""Properties of `clean()` on generated documents, checked with hypothesis.

A document is built from real residue (the `remove` examples of the shipped
rules), real body sentences in several languages and scripts, whitespace of
every kind, and arbitrary Unicode. Whatever it is:

- the log restores it exactly: `restore(r.text, r.removals) == text`;
- cleaning is deterministic and idempotent;
- the clean text is "" or blocks separated by one blank line, ending with
  one newline, no line with surrounding whitespace.

The text properties run on the text path (`format="text"`: some residue is
markup, which `auto` would read as a page). Pages are generated too, nested
up to past libxml2's depth limit, and their log restores their rendering,
which keeps every word of their visible text; rule files made of random
YAML or random edits of a valid file give located problems, never an
exception.
"""

from __future__ import annotations

import html as html_escape

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Result, default_rule_book, restore
from cleaner import clean as clean_any
from cleaner.engine import Options
from cleaner.html import from_html
from cleaner.rulefiles import load_text

TEXT = Options(format="text")
PAGE = Options(format="html")


def clean(text: str) -> Result:
    """The text path, whatever the text opens with."""
    return clean_any(text, options=TEXT)

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


# Pages: the HTML path.

WORD = st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=12)
TAGS = ["div", "p", "span", "b", "a", "li", "ul", "section", "td", "h2", "nav", "footer", "article", "br"]
CLASSES = ["share", "related", "comments", "menu", "story", "ad-slot", "caption", "x"]


@st.composite
def pages(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A page of nested elements around words, and the words that must be in its rendering."""
    words: list[str] = []
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 8))):
        depth = draw(st.sampled_from([0, 1, 3, 40, 2100]))
        tags = draw(st.lists(st.sampled_from(TAGS), min_size=1, max_size=3))
        attrs = draw(st.sampled_from(['', f' class="{draw(st.sampled_from(CLASSES))}"', ' hidden', ' title="a>b"']))
        text = " ".join(draw(st.lists(st.one_of(WORD, st.sampled_from(BODY)), min_size=1, max_size=4)))
        hidden = "hidden" in attrs
        if not hidden:
            words.extend(w for w in text.split() if w.isalnum())
        opening = "".join(f"<{tags[i % len(tags)]}{attrs}>" for i in range(max(depth, 1)))
        closing = "".join(f"</{tags[i % len(tags)]}>" for i in reversed(range(max(depth, 1))))
        # Without its closing tags, the inline text runs on into the next part.
        parts.append(opening + html_escape.escape(text) + " " + (closing if draw(st.booleans()) else ""))
    page = "<html><body>" + "".join(parts) + draw(st.sampled_from(["</body></html>", "", "</html>after", "<div cl"]))
    if page.endswith("after"):
        words.append("after")
    return page, words


@settings(max_examples=40)  # deep pages take a second each
@given(pages())
def test_a_page_s_log_restores_its_rendering_which_keeps_its_words(case: tuple[str, list[str]]) -> None:
    page, words = case
    result = clean_any(page, options=PAGE)
    assert result.original == from_html(page).text
    assert restore(result.text, result.removals) == result.original
    rendered = set(result.original.split())
    assert [w for w in words if w not in rendered] == []


@given(st.text())
def test_any_unicode_as_a_page_restores_its_rendering(text: str) -> None:
    result = clean_any(text, options=PAGE)
    assert restore(result.text, result.removals) == result.original


@settings(max_examples=20)
@given(pages())
def test_cleaning_a_page_is_deterministic(case: tuple[str, list[str]]) -> None:
    first, second = clean_any(case[0], options=PAGE), clean_any(case[0], options=PAGE)
    assert (first.text, first.removals, first.original) == (second.text, second.removals, second.original)


# Rule files: the loader.

VALID_RULE_FILE = """\
rules:
  - id: credit
    kind: regex
    category: photo-credit
    description: a short line opened by a copyright sign
    pattern: '^©'
    examples: {remove: ["© AFP"], keep: ["Body text."]}
"""

RULE_FILE_KEYS = ["id", "kind", "category", "description", "examples", "pattern", "rules", "site", "lang",
                  "match", "remove", "keep", "x"]
yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
              st.sampled_from(["regex", "phrases", "zone", "photo-credit", "^(a+)+$", "[", "credit"])),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(RULE_FILE_KEYS), children, max_size=5),
    ),
    max_leaves=20,
)


def _assert_located(text: str) -> None:
    _loaded, problems = load_text(text, "rules.yaml")
    for problem in problems:
        assert problem.file == "rules.yaml" and problem.line >= 1 and problem.column >= 1 and problem.message


@given(yaml_values)
def test_any_yaml_data_gives_located_problems_never_an_exception(data: object) -> None:
    _assert_located(yaml.safe_dump(data, allow_unicode=True))


@given(st.text())
def test_any_text_as_a_rule_file_gives_located_problems(text: str) -> None:
    _assert_located(text)


@given(st.integers(0, len(VALID_RULE_FILE)), st.integers(0, 12), st.text(max_size=6))
def test_a_damaged_rule_file_gives_located_problems(at: int, cut: int, insert: str) -> None:
    _assert_located(VALID_RULE_FILE[:at] + insert + VALID_RULE_FILE[at + cut :])
