"""`cleaner report`: counts that match the log, documents rebuilt exactly, hostile text inert, a bounded page.

A small real run (text files and JSONL, one document full of markup and a
hostile id) is cleaned once per module; the page is then checked as text and,
when Chromium is installed, in headless Chromium: it renders its charts and
highlights, its script works from a `#rule=` link, nothing written in a
document runs, and the console stays silent. Without Chromium the browser
test is skipped, except under CI (`CI` set), where it fails.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import struct
import sys
import zlib
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.model import Category, Removal
from cleaner.report import (
    LOG_NAME,
    NO_CLEAN_TEXT,
    RULE_SHOWN_DOCS,
    TOP_DOCS,
    LogScan,
    RunReport,
    build,
    read_log,
    rule_book_info,
)
from cleaner.report_page import MAX_SHOWN_CHARS, render, text_view

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("report_browser", HERE / "report_browser.py")
assert _spec is not None and _spec.loader is not None
browser = importlib.util.module_from_spec(_spec)
sys.modules["report_browser"] = browser
_spec.loader.exec_module(browser)

PWNED = "document.documentElement.dataset.pwned=1"
HOSTILE_ID = f"</script><script>{PWNED}</script><!--"
BODY = [f"Paragraph {n}: officials said the new bridge would open to traffic next spring, weather permitting, "
        "and the committee published its report." for n in range(12)]
WIDGETS = ["Share this article", "Subscribe to our newsletter", "Login or register to post comments"]
HOSTILE_TEXT = "\n".join([
    BODY[0], f"<script>{PWNED}</script>", f'<img src="x" onerror="{PWNED}"> @@BODY@@ </template></pre>',
    *(line for n in range(1, 12) for line in ([BODY[n], *WIDGETS] if n % 3 == 0 else [BODY[n]])),
]) + "\n"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> Path:
    """A real `cleaner clean` run over text files (a tree) and a JSONL file, ids given and not."""
    base = tmp_path_factory.mktemp("report")
    texts = base / "in"
    for lang in ("en", "fr", "de", "ru"):
        source = repo_root / "tests" / "multilingual" / f"{lang}.txt"
        (texts / lang).mkdir(parents=True)
        (texts / lang / "page.txt").write_bytes(source.read_bytes())
    records = [{"id": HOSTILE_ID, "text": HOSTILE_TEXT},
               {"text": (repo_root / "tests" / "multilingual" / "es.txt").read_text(encoding="utf-8")}]
    jsonl = base / "records.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = base / "out"
    assert main(["clean", str(texts), str(jsonl), "-o", str(out), "-q", "-j", "1"]) == 0
    return out


@pytest.fixture(scope="module")
def report(run_dir: Path) -> RunReport:
    return build(run_dir, rule_book_info([], shipped=True))


@pytest.fixture(scope="module")
def page(run_dir: Path, report: RunReport) -> Path:
    path = run_dir / "report.html"
    path.write_text(render(report).html, encoding="utf-8")
    return path


def _log(run_dir: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (run_dir / LOG_NAME).read_bytes().split(b"\n") if line.strip()]


def test_counts_match_the_log(run_dir: Path, report: RunReport) -> None:
    content = [r for r in _log(run_dir) if r["category"] != "whitespace"]
    assert sum(r.lines for r in report.rules) == len(content) == sum(c[1] for c in report.categories)
    assert sum(r.chars for r in report.rules) == sum(len(str(r["text"])) for r in content)
    assert [r.lines for r in report.rules] == sorted((r.lines for r in report.rules), reverse=True)
    form = next(r for r in report.rules if r.rule == "en.comment-form")
    assert form.docs == len({r["doc"] for r in content if r["rule"] == "en.comment-form"}) == 2
    assert report.log_docs == 6 and report.summary["documents"] == 6
    assert len(report.top) == 6 and HOSTILE_ID in {d.doc for d in report.top}
    assert [d.chars for d in report.top] == sorted((d.chars for d in report.top), reverse=True)
    assert "en.share" not in report.never_fired and len(report.never_fired) == len(report.book) - len(report.rules)


def test_shown_documents_are_the_originals(run_dir: Path, report: RunReport) -> None:
    inputs = run_dir.parent / "in"
    originals = {d.stat.doc: d.original for d in report.shown}
    assert len(originals) == 6 and all(originals.values())  # files by path, records by id and by FILE:LINE
    assert originals[(inputs / "fr" / "page.txt").as_posix()] == (inputs / "fr" / "page.txt").read_text("utf-8")
    assert originals[HOSTILE_ID] == HOSTILE_TEXT
    by_line = next(doc for doc in originals if doc.endswith("records.jsonl:2"))
    second = (run_dir.parent / "records.jsonl").read_text("utf-8").split("\n")[1]
    assert originals[by_line] == json.loads(second)["text"]


def test_the_page_escapes_hostile_text(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    assert html.count("<script") == 2  # the data block and the page's own script
    assert f"<script>{PWNED}" not in html and '<img src="x"' not in html
    assert f"&lt;script&gt;{PWNED}&lt;/script&gt;" in html  # shown as text
    assert "@@BODY@@" in html and html.count("</template>") == html.count("<template")  # inserted once, not expanded
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp and "default-src 'none'" in csp[1] and "unsafe-inline" not in csp[1]


def test_a_clean_text_that_does_not_fit_is_not_shown(run_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "out"
    copy.mkdir()
    (copy / LOG_NAME).write_bytes((run_dir / LOG_NAME).read_bytes())
    (copy / "en").mkdir()
    (copy / "en" / "page.txt").write_text("Not the clean text at all.\n", encoding="utf-8")
    shown = {d.stat.doc: d for d in build(copy, {}).shown}
    en = next(d for doc, d in shown.items() if doc.endswith("en/page.txt"))
    assert en.original is None and "does not fit the log" in en.why
    fr = next(d for doc, d in shown.items() if doc.endswith("fr/page.txt"))
    assert fr.original is None and fr.why == NO_CLEAN_TEXT and fr.removals  # its removals are still listed


def test_memory_and_page_stay_bounded_on_a_big_log(tmp_path: Path) -> None:
    records = []
    for n in range(20_000):
        for line, rule in enumerate((f"r{n % 50}.share", "generic.counter", "en.subscribe"), start=1):
            records.append({"doc": f"d{n}", "start": line * 10, "end": line * 10 + 5, "line": line,
                            "text": "x" * (1 + n % 7), "rule": rule, "category": "share", "source": "f.yaml"})
    log = tmp_path / LOG_NAME
    log.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    scan = LogScan(sample=40)
    read_log(log, scan)
    assert scan.docs == 20_000 and scan.records == 60_000
    assert len(scan.held) <= 40 + TOP_DOCS + len(scan.rules) * RULE_SHOWN_DOCS
    # Sampled by hash, not by position: the same documents whatever the order of the log.
    backwards = tmp_path / "backwards" / LOG_NAME
    backwards.parent.mkdir()
    backwards.write_text("".join(json.dumps(r) + "\n" for r in reversed(records)), encoding="utf-8")
    again = LogScan(sample=40)
    read_log(backwards, again)
    assert set(again.sample.ordered()) == set(scan.sample.ordered())
    page = render(build(tmp_path, {}, sample=40))
    assert len(page.html.encode("utf-8")) < 1_000_000 and NO_CLEAN_TEXT in page.html
    assert page.left_out == 0 and page.shown == len(scan.shown_order())


def test_a_long_document_is_shown_around_its_removals() -> None:
    body = "".join(f"Paragraph {n} of the article, long enough to be body text.\n" for n in range(400))
    start = body.index("Paragraph 200 ")
    original = body[:start] + "Share\n" + body[start:]
    cut = Removal(start, start + 5, 201, "Share", "en.share", Category.SHARE, "rules/lang/en.yaml", "\n")
    view = text_view(original, [cut], {})
    assert "⋯ lines 1–198 kept ⋯" in view and "⋯ lines 204–401 kept ⋯" in view
    assert 'title="en.share · share · rules/lang/en.yaml">Share</mark>' in view
    assert "Paragraph 199 " in view and "Paragraph 150 " not in view and len(view) < MAX_SHOWN_CHARS


def test_cli_writes_the_page_and_refuses_other_directories(run_dir: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path)]) == 2
    assert "not a cleaner output directory" in capsys.readouterr().err
    target = tmp_path / "r.html"
    assert main(["report", str(run_dir), "-o", str(target), "--sample", "3"]) == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "shown)" in capsys.readouterr().err


# -- in the browser ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> str:
    found = browser.chromium()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed, and CI needs the browser test (.ci/run installs it)")
        pytest.skip("chromium is not installed (apt-get install chromium); CI runs this test")
    return found


def test_the_page_in_chromium(chromium: str, page: Path, report: RunReport, tmp_path: Path) -> None:
    hostile = [d.stat.doc for d in report.shown].index(HOSTILE_ID)
    loaded = browser.open_page(page, tmp_path / "profile", f"doc={hostile}")
    assert loaded.console == ()  # no error, no warning, no log line: and no CSP violation
    assert loaded.timing("ready") is not None and loaded.timing("load") is not None
    dom = loaded.dom
    assert "data-pwned" not in dom  # nothing written in a document or an id ran
    assert len(re.findall(r'<svg class="chart"', dom)) == 4 and dom.count('class="bar"') >= 10
    viewer = dom[dom.index('<div id="viewer">'):dom.index("<template")]
    assert viewer.count("<mark ") == 11 and f"&lt;script&gt;{PWNED}" in viewer  # the hostile record, highlighted
    assert 'title="en.share · share · rules/lang/en.yaml:' in viewer


def test_a_rule_link_lists_its_documents(chromium: str, page: Path, tmp_path: Path) -> None:
    loaded = browser.open_page(page, tmp_path / "profile", "rule=en.comment-form")
    assert loaded.console == ()
    panel = loaded.dom[loaded.dom.index('<div id="rule-panel">'):loaded.dom.index('<div class="docs">')]
    assert "Documents where en.comment-form fired" in panel and "rules/lang/en.yaml:" in panel
    assert panel.count('<a href="#doc=') == 2  # the English page and the hostile record
    viewer = loaded.dom[loaded.dom.index('<div id="viewer">'):loaded.dom.index("<template")]
    assert 'class="selected"' in loaded.dom and viewer.count(' focus"') == viewer.count("en.comment-form · ") > 0


def test_a_screenshot_shows_the_page(chromium: str, page: Path, tmp_path: Path) -> None:
    png = tmp_path / "report.png"
    browser.screenshot(page, png, tmp_path / "profile", "1280,1600")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 1600)
    pixels = zlib.decompress(b"".join(_chunks(data, b"IDAT")))
    assert sum(byte < 200 for byte in pixels) > len(pixels) // 100  # text and bars, not a blank page


def _chunks(png: bytes, kind: bytes) -> list[bytes]:
    found, position = [], 8
    while position < len(png):
        length, name = struct.unpack(">I4s", png[position : position + 8])
        if name == kind:
            found.append(png[position + 8 : position + 8 + length])
        position += 12 + length
    return found
