"""`cleaner import-ftr`: FiveFilters site configs become site templates that load and pass their examples.

The configs under tests/ftr/ were written for these tests in that format
(invented sites, example domains).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import clean, load_rule_book, restore
from cleaner.cli import main
from cleaner.examples import check_rules
from cleaner.ftr import Conversion, convert, parse, site_of
from cleaner.xpath_examples import picks_no_text, snippet

CONFIGS = Path(__file__).resolve().parent / "ftr"


def _convert(name: str) -> Conversion:
    return convert((CONFIGS / name).read_text(encoding="utf-8"), name)


def test_body_strip_and_tests_convert_and_the_rest_is_reported_by_line() -> None:
    conversion = _convert("news.example.com.txt")
    html = conversion.template["html"]
    assert html["body"]["select"] == ['//div[@class="story-body"]', '//article[@id="main-story"]']
    (strip,) = html["strip"]
    assert strip["select"] == ['//div[@class="share-tools"]', "//aside[contains(@class, 'related')]",
                               '//*[contains(@class, "newsletter-box") or contains(@id, "newsletter-box")]']
    assert len(strip["examples"]["remove"]) == 3
    assert conversion.template["tests"] == [{"url": "https://news.example.com/world/2024/05/01/budget",
                                             "contains": ["The council voted on Tuesday", "approve the new budget"]}]
    assert [(s.line, s.directive) for s in conversion.skipped] == [
        (2, "title"), (3, "author"), (4, "date"), (13, "prune"), (14, "tidy"), (15, "next_page_link")]
    assert str(conversion.skipped[4]) == ("news.example.com.txt:14: tidy: not converted: "
                                          "pages are parsed by lxml, with no HTML Tidy pass")


def test_what_cannot_convert_says_why() -> None:
    reasons = {(s.line, s.directive): s.reason for s in _convert("magazine.example.test.txt").skipped}
    assert reasons[(2, "test_contains")] == "test_contains before any test_url"
    assert reasons[(11, "replace_string")].startswith("the removal log points into the page as it came")
    assert reasons[(12, "frobnicate")] == "not a directive this importer knows"
    assert reasons[(13, "strip")].startswith("invalid XPath '//div[@class=\"unclosed\"'")
    assert reasons[(14, "strip")].startswith("no example could be built")
    assert reasons[(16, "(no directive)")] == "not a `directive: value` line: 'this line has no colon'"
    shop = {(s.line, s.directive): s.reason for s in _convert("shop.example.com.txt").skipped}
    assert shop[(2, "strip")].startswith("it picks elements with no text")
    assert shop[(5, "strip_image_src")].startswith("attributes and images carry no text")
    assert _convert("www.example.net.txt").template is None


def test_file_names_give_the_domains() -> None:
    assert site_of("news.example.com.txt") == ("news-example-com", ("news.example.com", "www.news.example.com"))
    assert site_of("www.example.net.txt") == ("www-example-net", ("example.net", "www.example.net"))
    assert site_of(".blog.example.org.txt") == ("blog-example-org-subdomains", ("*.blog.example.org",))


def test_lines_with_arguments_parse() -> None:
    directives, skipped = parse("replace_string(<a href=\"x:y\">): z\nhttp_header(user-agent): Bot/1\n# c\n", "f")
    assert [(d.name, d.argument, d.value, d.line) for d in directives] == [
        ("replace_string", '<a href="x:y">', "z", 1), ("http_header", "user-agent", "Bot/1", 2)]
    assert skipped == []


@pytest.mark.parametrize(("xpath", "expected"), [
    ('//div[@class="a"]', '<div class="a"><p>T</p></div>'),
    ("//div[contains(concat(' ', normalize-space(@class), ' '), ' b ')]//span", '<div class="b"><span>T</span></div>'),
    ("/html/body/section[@id='x' and @data-k]", '<section id="x" data-k="x"><p>T</p></section>'),
    ("//nav | //div[@id='y']", "<nav><p>T</p></nav>"),
    ("//div[position() > 2]", None),
    ("//img[@src]", None),
])
def test_examples_are_built_for_simple_xpaths(xpath: str, expected: str | None) -> None:
    assert snippet(xpath, "T") == expected


def test_textless_targets_are_recognised() -> None:
    assert picks_no_text("//script | //iframe[@src]") and not picks_no_text("//script | //div")


def test_the_command_writes_templates_that_load_check_and_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sites"
    assert main(["import-ftr", str(CONFIGS), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == [
        "blog-example-org-subdomains.yaml", "magazine-example-test.yaml", "news-example-com.yaml",
        "shop-example-com.yaml"]
    assert "magazine.example.test.txt:12: frobnicate: not converted: not a directive this importer knows" \
        in captured.err
    assert "www.example.net.txt: no template written" in captured.err
    assert "4 template(s) written" in captured.out
    book = load_rule_book([out], shipped=False)
    assert check_rules(book.all_rules()) == []
    page = ('<html><body><nav><a href="/">Home</a></nav><div class="story-body"><p>The council voted on Tuesday.</p>'
            '<div class="share-tools"><a>Share</a></div><div id="newsletter-box-top"><p>Sign up now</p></div>'
            "</div></body></html>")
    result = clean(page, url="https://www.news.example.com/a", rules=book)
    assert result.site == "news-example-com" and result.text == "The council voted on Tuesday.\n"
    assert {(c.text, c.rule) for c in result.cuts} == {
        ("Home", "news-example-com.body"), ("Share", "news-example-com.strip"),
        ("Sign up now", "news-example-com.strip")}
    assert restore(result.text, result.removals) == result.original


def test_a_missing_input_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import-ftr", str(tmp_path / "nope"), "-o", str(tmp_path / "out")]) == 2
    assert "no such file or directory" in capsys.readouterr().err
