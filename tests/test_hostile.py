"""Hostile input: nothing crashes, nothing is lost, memory and time stay bounded.

Every case of tests/hostile/generate.py is written to a temporary directory,
read as the CLI reads a file (`cleaner.io.read_text`), and cleaned: it gives
a clear per-document error or a cleaning whose log restores its original.
The 50 MB documents are built at test time and cleaned in child processes,
which report their peak memory. Rule files that are hostile are in
tests/test_rulefiles.py; here, a catastrophic pattern is run end to end.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import clean, load_rule_book, restore
from cleaner.engine import TIME_BUDGET_SECONDS, Options
from cleaner.html import from_html, looks_like_html
from cleaner.io import InputError, read_text

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("hostile_generate", HERE / "hostile" / "generate.py")
assert _spec is not None and _spec.loader is not None
hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile)

CASE_SECONDS = 20.0  # one hostile case, read and cleaned (the slowest take about 2 s)
BIG_BUDGET_SECONDS = 0.5  # the 50 MB documents are cleaned with this budget (reading one takes longer: it runs out)
BIG_SECONDS = 60.0  # a 50 MB document, read into blocks and cleaned within its budget
MAX_RSS_MB = 1500  # peak memory of a process cleaning a 50 MB document (about 500 MB today)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("hostile")
    hostile.write_all(directory)
    return directory


def test_every_case_has_an_expectation_or_text_to_keep() -> None:
    for name in hostile.CASES:
        expected = hostile.EXPECT.get(name, "clean")
        assert expected in ("error", "clean", "either"), name
        assert expected != "error" or name not in hostile.KEEP, name


@pytest.mark.parametrize("name", list(hostile.CASES))
def test_a_hostile_file_gives_a_clean_result_or_a_clear_error(inputs: Path, name: str) -> None:
    path = inputs / name
    before = path.read_bytes()
    expected = hostile.EXPECT.get(name, "clean")
    started = time.monotonic()
    try:
        text = read_text(path)
    except InputError as error:
        assert expected in ("error", "either"), f"{name}: refused ({error})"
        assert str(error), "an error must say why"
        return
    assert expected in ("clean", "either"), f"{name}: read as text, but should have been refused"
    result = clean(text, options=Options(format="html" if name.endswith(".html") else "text"))
    assert time.monotonic() - started < CASE_SECONDS
    assert result.stats.over_budget == ""
    assert restore(result.text, result.removals) == result.original
    if not name.endswith(".html"):
        assert result.original == text
    for kept in hostile.KEEP.get(name, ()):
        assert kept in result.original, f"{name}: {kept!r} was lost"
    assert hostile.SECRET not in result.original
    assert path.read_bytes() == before, "inputs are never modified"


def test_the_deep_page_of_the_issue_keeps_its_text() -> None:
    """libxml2 stops at depth 2,048 and dropped everything; the page is now read flattened."""
    document = from_html("<div>" * 100_000 + "x" + "</div>" * 100_000)
    assert [b.text for b in document.blocks] == ["x"]


def test_a_page_nested_under_the_limit_keeps_its_structure() -> None:
    document = from_html("<html><body>" + '<div class="box">' * 1000 + "<p>x</p>" + "</div>" * 1000)
    (block,) = document.blocks
    assert block.text == "x" and "class:box" in block.context and block.path.endswith("p")


def test_a_deep_page_keeps_its_structure_down_to_the_flattening_depth() -> None:
    document = from_html("<html><body><nav><a>Menu</a></nav>" + "<div>" * 5000 + "<p>x</p><p>y</p>")
    assert [b.text for b in document.blocks] == ["Menu", "x y"]
    assert "tag:nav" in document.blocks[0].context


def test_scripts_stay_out_of_a_flattened_page() -> None:
    page = "<html><body>" + '<div><script>var a = "<div>";</script>' * 5000 + "x"
    assert [b.text for b in from_html(page).blocks] == ["x"]


def test_lone_surrogates_in_a_page_do_not_lose_the_rest_of_it() -> None:
    document = from_html("<html><body><p>one " + chr(0xD800) + " two</p><p>three</p>")
    assert [b.text for b in document.blocks] == ["one \ufffd two", "three"]


def test_a_page_with_a_bom_is_recognised_as_a_page() -> None:
    assert looks_like_html("\ufeff<!DOCTYPE html><html><body><p>x</p></body></html>")
    assert clean("\ufeff<html><body><p>Body text.</p></body></html>").original == "Body text.\n"


def test_entities_are_never_expanded_from_a_dtd_or_fetched(inputs: Path) -> None:
    result = clean(read_text(inputs / "external-entity.html"), options=Options(format="html"))
    assert hostile.SECRET not in result.original
    laughs = clean(read_text(inputs / "billion-laughs.html"), options=Options(format="html"))
    assert "lollollol" not in laughs.original and len(laughs.original) < 1000
    xml = clean(read_text(inputs / "billion-laughs.xml"))  # not a page: cleaned as the text it is
    assert restore(xml.text, xml.removals) == xml.original and len(xml.original) < 2000


def test_null_characters_in_a_str_are_text_like_any_other() -> None:
    """A JSONL field can carry NUL characters: the text path keeps them, the page path replaces them."""
    text = "Title\x00\nBody\x00 text.\n"
    result = clean(text)
    assert restore(result.text, result.removals) == text
    page = clean("<html><body><p>a\x00b</p><p>after</p></body></html>")
    assert page.original == "a\ufffdb\n\nafter\n"


_BIG_SCRIPT = """
import json, resource, sys, time
from cleaner import clean, restore
from cleaner.engine import Options
sys.path.insert(0, sys.argv[1])
import generate
clean("warm up")
document = generate.big_page() if sys.argv[2] == "page" else generate.big_text()
started = time.monotonic()
result = clean(document, options=Options(time_budget=float(sys.argv[3])))
print(json.dumps({
    "chars": len(document), "seconds": time.monotonic() - started, "over_budget": result.stats.over_budget,
    "restored": restore(result.text, result.removals) == result.original, "blocks": result.stats.blocks,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
}))
"""


def test_50_mb_documents_are_cleaned_in_bounded_time_and_memory() -> None:
    """Both at once, each in its own process (so its peak memory is its own)."""
    runs = {
        kind: subprocess.Popen(
            [sys.executable, "-c", _BIG_SCRIPT, str(HERE / "hostile"), kind, str(BIG_BUDGET_SECONDS)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for kind in ("text", "page")
    }
    for kind, process in runs.items():
        out, err = process.communicate(timeout=BIG_SECONDS * 3)
        assert process.returncode == 0, err
        report = json.loads(out)
        assert report["chars"] >= hostile.BIG * 0.99, kind
        assert report["restored"], kind
        assert report["seconds"] < BIG_SECONDS, (kind, report)
        assert report["rss_mb"] < MAX_RSS_MB, (kind, report)
        assert report["over_budget"].startswith(f"time budget of {BIG_BUDGET_SECONDS:g} s ran out"), (kind, report)


CATASTROPHIC = """\
rules:
  - id: nested-plus
    kind: regex
    category: widget
    description: a user's pattern that backtracks for ever on a long line of a's
    pattern: '(a+)+$'
    max_length: 100000
    examples: {remove: ["aaaa"], keep: ["Body text."]}
  - id: buy-now
    kind: regex
    category: ads
    description: a user's pattern that is fine
    pattern: '^Buy now$'
    examples: {remove: ["Buy now"], keep: ["Body text."]}
"""


def test_a_catastrophic_pattern_is_reported_and_the_other_rules_still_run(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(CATASTROPHIC, encoding="utf-8")
    book = load_rule_book([path])
    text = ("Le Parlement irakien a réclamé dimanche l'expulsion des troupes américaines du pays.\n"
            + "a" * 5000 + "!\nBuy now\nS'abonner\n")
    started = time.monotonic()
    result = clean(text, lang="fr", rules=book)
    assert time.monotonic() - started < 10
    assert result.stats.timeouts == (f"generic.nested-plus ({path}:2)",)
    assert {cut.rule for cut in result.cuts} >= {"generic.buy-now", "fr.subscribe"}
    assert restore(result.text, result.removals) == text
    timed_out = next(r for r in book.all_rules() if r.id == "generic.nested-plus")
    assert (timed_out.source, timed_out.line) == (str(path), 2)  # what stats, summary and message name


def test_a_document_over_its_time_budget_comes_back_whole_and_says_so() -> None:
    text = "Title\n\nS'abonner\nBody text of the article.\n" * 50
    result = clean(text, options=Options(time_budget=1e-9))
    assert result.stats.over_budget == (
        "time budget of 1e-09 s ran out in pass 1; kept the removals of 0 finished pass(es)")
    assert result.cuts == () and result.stats.passes == 0
    assert restore(result.text, result.removals) == text


def test_a_document_within_its_budget_is_unaffected_by_it() -> None:
    text = "Title\n\nS'abonner\nBody text of the article.\n"
    assert clean(text, options=Options(time_budget=None)) == clean(text)
    assert clean(text).stats.over_budget == ""
    assert Options().time_budget == TIME_BUDGET_SECONDS


@pytest.mark.parametrize("budget", [0, -1.0, float("nan")])
def test_a_time_budget_must_be_positive(budget: float) -> None:
    with pytest.raises(ValueError, match="time_budget must be a positive number"):
        Options(time_budget=budget)
