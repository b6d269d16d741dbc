"""Site templates' `html:` part: body and strip selectors, their predicates, errors and examples.

Stripped text never vanishes: it stays in the page's rendering and is logged
with the template's rule, so `restore` gives the rendering back exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cleaner import RuleFileError, clean, load_rule_book, restore
from cleaner.examples import check_rule
from cleaner.rulebook import RuleBook

WriteFile = Callable[[str, "str | bytes"], Path]

TEMPLATE = """\
site: daily
match: {domains: [daily.example.org]}
html:
  body:
    select: ['div.missing-first', '//div[@id="story"]']
    examples:
      context: '<div id="story"><p>The council voted on Tuesday to approve the budget.</p></div>'
      remove: ['<div class="top"><a href="/">Home</a></div>']
      keep: ['<div id="story"><p>Teachers welcomed the extra money.</p></div>']
  strip:
    - id: related
      category: related
      description: the related box, when its heading says so
      select: [{css: 'div.box', text: '^Related'}, {xpath: '//ul[@class="more"]', contains: 'See also'}]
      examples:
        remove: ['<div class="box"><h3>Related stories</h3><a href="/x">Markets fall</a></div>']
        keep: ['<div class="box"><p>Fact box: the budget is two billion.</p></div>']
tests:
  - url: https://daily.example.org/a/1
    contains: [The council voted]
"""

BODY_ONE = "The council voted on Tuesday to approve the new budget after a long debate over school funding."
BODY_TWO = "Opposition members said the plan would raise local taxes for families across the whole region."
STANDFIRST = "The vote came late."
SIDEBAR = ("Readers also liked this long sidebar story about the weather, the trains and the harbour, "
           "which goes on for a good while so that it outweighs the article on its own. ") * 3
PAGE = f"""<!DOCTYPE html><html><head><link rel="canonical" href="https://daily.example.org/a/1"></head><body>
<div class="top"><a href="/">Home</a> <a href="/world">World</a></div>
<h1>Budget passes</h1>
<div id="story"><p class="standfirst">{STANDFIRST}</p><div class="inner"><p>{BODY_ONE}</p>
<div class="box"><h3>Related stories</h3><a href="/x">Markets fall again</a></div>
<div class="box"><p>Fact box: the budget is two billion.</p></div>
<ul class="more"><li>See also: the mayor's interview</li></ul>
<p>{BODY_TWO}</p></div></div>
<div class="aside-story"><p>{SIDEBAR}</p></div>
</body></html>"""


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> RuleBook:
    path = tmp_path_factory.mktemp("sites") / "daily.yaml"
    path.write_text(TEMPLATE, encoding="utf-8")
    return load_rule_book([path])


def test_the_template_loads_with_its_rules_selection_and_tests(book: RuleBook) -> None:
    site = book.site("daily")
    assert [(r.id, r.kind, r.category.value) for r in site.rules] == [
        ("daily.body", "body", "navigation"), ("daily.related", "strip", "related")]
    assert site.selection is not None and len(site.selection.entries) == 4
    assert [(t.url, t.contains) for t in site.tests] == [("https://daily.example.org/a/1", ("The council voted",))]
    assert [f for rule in site.rules for f in check_rule(rule)] == []


def test_strip_and_body_are_logged_and_restore_is_exact(book: RuleBook) -> None:
    result = clean(PAGE, rules=book)  # no URL: the canonical link names the site
    assert result.site == "daily"
    kept = ["Budget passes", STANDFIRST, BODY_ONE, "Fact box: the budget is two billion.", BODY_TWO]
    assert result.text == "\n\n".join(kept) + "\n"
    cuts = {(c.text, c.rule, c.category.value) for c in result.cuts}
    assert ("Related stories", "daily.related", "related") in cuts
    assert ("Markets fall again", "daily.related", "related") in cuts
    assert ("See also: the mayor's interview", "daily.related", "related") in cuts
    # The sidebar is outside the body the template names; the standfirst, inside it, stays.
    assert (SIDEBAR.strip(), "daily.body", "navigation") in cuts
    note = next(c.note for c in result.cuts if c.text == "Related stories")
    assert note.endswith("div#story > div.inner > div.box > h3")
    assert restore(result.text, result.removals) == result.original


def test_without_the_template_main_content_judges_otherwise(book: RuleBook) -> None:
    result = clean(PAGE, rules=book, url="https://elsewhere.example.com/")
    # Main-content detection alone takes the longer sidebar for the article: the template knows better.
    assert result.site is None and SIDEBAR.strip() in result.text
    assert (BODY_ONE, "generic.outside-main") in {(c.text, c.rule) for c in result.cuts}


def test_og_url_names_the_site_when_there_is_no_canonical_link(book: RuleBook) -> None:
    page = PAGE.replace('<link rel="canonical" href="https://daily.example.org/a/1">',
                        '<meta property="og:url" content="https://daily.example.org/a/1">')
    assert clean(page, rules=book).site == "daily"
    relative = PAGE.replace("https://daily.example.org/a/1", "/a/1")
    assert clean(relative, rules=book).site is None


def test_no_body_selector_matching_falls_back_to_main_content(book: RuleBook) -> None:
    page = PAGE.replace('<div id="story">', '<div id="article">')
    result = clean(page, rules=book)
    assert result.site == "daily"
    rules = {c.rule for c in result.cuts}
    assert "daily.body" not in rules and "generic.outside-main" in rules


def test_the_first_body_selector_that_picks_text_wins(tmp_path: Path) -> None:
    first = TEMPLATE.replace("div.missing-first", "div.aside-story")
    path = tmp_path / "daily.yaml"
    path.write_text(first.replace("context: '<div id=\"story\">", "context: '<div class=\"aside-story\">")
                    .replace("keep: ['<div id=\"story\">", "keep: ['<div class=\"aside-story\">"), encoding="utf-8")
    result = clean(PAGE, rules=load_rule_book([path], shipped=False))
    assert result.text == f"Budget passes\n\n{SIDEBAR.strip()}\n"


def test_a_node_failing_its_predicate_is_kept(book: RuleBook) -> None:
    result = clean(PAGE.replace("See also", "Also"), rules=book)
    assert "Also: the mayor's interview" in result.text


@pytest.mark.parametrize(("select", "column", "message"), [
    ("'div['", 15, "invalid CSS selector 'div['"),
    ("'//div[@class=\"x\"'", 15, "invalid XPath"),
    ("'//div[nosuchfunction()]'", 15, "invalid XPath"),
    ("'//article[nosuch()]'", 15, "unknown function nosuch()"),
    ("['p', {css: 'p', xpath: '//p'}]", 21, "exactly one of `css` or `xpath`"),
    ("{css: 'p', text: '(unclosed'}", 32, "invalid regular expression"),
    ("{css: 'p', colour: red}", 34, 'unknown key "colour"'),
    ("12", 15, '"select" must be a selector'),
])
def test_a_bad_selector_is_a_located_error(write_file: WriteFile, select: str, column: int, message: str) -> None:
    text = TEMPLATE.replace("select: [{css: 'div.box', text: '^Related'}, "
                            "{xpath: '//ul[@class=\"more\"]', contains: 'See also'}]", f"select: {select}")
    path = write_file("bad.yaml", text)
    with pytest.raises(RuleFileError) as caught:
        load_rule_book([path], shipped=False)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (14, column) and message in problem.message, str(problem)


def test_html_kinds_are_refused_in_rules_and_html_keys_are_checked(write_file: WriteFile) -> None:
    text = TEMPLATE.replace("  strip:\n", "  stripe: []\n  strip:\n") + (
        "rules:\n  - id: box\n    kind: strip\n    category: widget\n    description: d\n    select: p\n"
        "    examples: {remove: ['<p>x</p>'], keep: ['<div>y</div>']}\n")
    with pytest.raises(RuleFileError) as caught:
        load_rule_book([write_file("bad.yaml", text)], shipped=False)
    messages = [(p.line, p.message) for p in caught.value.problems]
    assert (10, 'html: unknown key "stripe" (expected one of: body, strip)') in messages
    assert any(line == 24 and "written in a site template's `html:` part" in m for line, m in messages), messages


def test_an_example_the_selectors_miss_is_reported(write_file: WriteFile) -> None:
    text = TEMPLATE.replace("""remove: ['<div class="box">""", """remove: ['<div class="bx">""")
    book = load_rule_book([write_file("daily.yaml", text)], shipped=False)
    failures = [str(f) for rule in book.site("daily").rules for f in check_rule(rule)]
    assert len(failures) == 1 and "rule daily.related: does not remove ['Markets fall', 'Related stories']" \
        in failures[0]


def test_a_catastrophic_predicate_times_out_and_is_reported(write_file: WriteFile) -> None:
    text = TEMPLATE.replace("text: '^Related'", "text: '^(a|aa)+$'")
    book = load_rule_book([write_file("daily.yaml", text)], shipped=False)
    page = PAGE.replace("<h3>Related stories</h3>", "<h3>" + "a" * 60 + "!</h3>")
    result = clean(page, rules=book)
    assert any(t.startswith("daily.related") for t in result.stats.timeouts)
    assert restore(result.text, result.removals) == result.original
