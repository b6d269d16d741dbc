"""`cleaner eval`: token and snippet scores, reference extractors and their cache, floors, weakest languages.

Small gold files are written in each test; the references are fakes, except
in the last test, which runs trafilatura and readability-lxml when installed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from cleaner import evalcli
from cleaner.cli import main
from cleaner.evaluate import SnippetScore, evaluate, floor_breaches, floors_of, snippet_score, weakest

ARTICLE = ("The city council approved the new budget on Tuesday after a long debate about schools.\n\n"
           "Spending on public transport will rise by ten percent next year, the mayor said.")
PAGE_NOISE = "Subscribe to our newsletter\n\nShare this article\n\nRelated: Ten parks to visit this summer"
GERMAN = ("Der Stadtrat hat am Dienstag den neuen Haushalt beschlossen.\n\n"
          "Die Ausgaben für den Nahverkehr steigen im nächsten Jahr um zehn Prozent.")


def documents() -> list[dict[str, object]]:
    """Two English documents with gold, one German snippet-only document."""
    return [
        {"id": "en/1", "lang": "en", "source": "news", "text": f"{ARTICLE}\n\n{PAGE_NOISE}", "gold": ARTICLE},
        {"id": "en/2", "lang": "en", "source": "news", "text": ARTICLE, "gold": ARTICLE},
        {"id": "de/1", "lang": "de", "source": "snippets", "text": f"{GERMAN}\n\nJetzt   abonnieren", "gold": None,
         "with": ["den neuen Haushalt beschlossen", "zehnProzent"], "without": ["Jetzt abonnieren"]},
    ]


def write_gold(path: Path, docs: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


@pytest.fixture
def fake_reference(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A reference `fake` (version 1.0): the gold for en/1, nothing for en/2, German text as is; logs its calls."""
    calls: list[str] = []

    def extract(page: str, url: str | None) -> str:
        calls.append(page[:20])
        if page.startswith(ARTICLE) and PAGE_NOISE in page:
            return ARTICLE
        return page if page.startswith("Der") else ""

    monkeypatch.setitem(evalcli.REFERENCES, "fake", lambda: evalcli.Reference("fake", "1.0", extract))
    return calls


def run_eval(tmp_path: Path, *extra: str) -> tuple[int, dict[str, object]]:
    gold = write_gold(tmp_path / "gold.jsonl", documents())
    out = tmp_path / "eval.json"
    code = main(["eval", str(gold), "--field", "text", "--json", str(out), "--cache-dir", str(tmp_path / "cache"),
                 *extra])
    return code, json.loads(out.read_text(encoding="utf-8"))


def test_snippets_match_after_collapsing_whitespace_or_without_spaces() -> None:
    output = "Der Stadtrat hat\nam Dienstag  den Haushalt"
    assert snippet_score(output, ["hat am Dienstag", "amDienstag den", "Haushalt beschlossen"], []) == \
        SnippetScore(recall=2 / 3, precision=None)
    assert snippet_score(output, [], ["Jetzt abonnieren", "Stadtrat  hat"]) == SnippetScore(None, 0.5)
    assert snippet_score(output, ["der stadtrat"], []).recall == 0.0  # snippets are matched case and all


def test_snippet_documents_are_scored_by_snippets_not_skipped() -> None:
    report = evaluate(documents(), {"as is": lambda d: str(d["text"])}, "text")
    assert report.groups["overall"]["as is"].documents == 2
    german = report.groups["lang:de"]["as is"]
    assert (german.documents, german.snippet_documents) == (0, 1)
    assert (german.snippet_recall, german.snippet_precision) == (1.0, 0.0)  # keeps the prompt: precision 0
    assert report.groups["source:news"]["as is"].snippet_documents == 0


def test_references_are_scored_side_by_side_with_the_cleaner(tmp_path: Path, fake_reference: list[str]) -> None:
    code, figures = run_eval(tmp_path, "--reference", "fake")
    assert code == 0
    assert figures["systems"] == ["no cleaning", "cleaner", "fake 1.0"]
    overall = figures["groups"]["overall"]
    assert overall["fake 1.0"]["f1"] == 0.5 and overall["fake 1.0"]["near_exact"] == 0.5  # one exact, one empty
    assert overall["no cleaning"]["recall"] == 1.0 and overall["no cleaning"]["precision"] < 1.0
    assert overall["cleaner"]["f1"] > overall["no cleaning"]["f1"]  # the newsletter and share lines go
    assert figures["groups"]["lang:de"]["fake 1.0"]["snippet_recall"] == 1.0


def test_reference_outputs_are_cached_by_document_and_input(tmp_path: Path, fake_reference: list[str]) -> None:
    first = run_eval(tmp_path, "--reference", "fake")[1]["references"][0]
    assert (first["hits"], first["misses"], len(fake_reference)) == (0, 3, 3)
    second = run_eval(tmp_path, "--reference", "fake")[1]["references"][0]
    assert (second["hits"], second["misses"], len(fake_reference)) == (3, 0, 3)  # not called again
    changed = documents()
    changed[1]["text"] = ARTICLE + "\n\nOne more line."
    write_gold(tmp_path / "gold.jsonl", changed)
    main(["eval", str(tmp_path / "gold.jsonl"), "--field", "text", "--reference", "fake",
          "--cache-dir", str(tmp_path / "cache"), "--json", str(tmp_path / "eval.json")])
    third = json.loads((tmp_path / "eval.json").read_text(encoding="utf-8"))["references"][0]
    assert (third["hits"], third["misses"]) == (2, 1)  # the changed input only


def test_a_failing_reference_scores_empty_and_is_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    def extract(page: str, url: str | None) -> str:
        raise ValueError("Document is empty")

    monkeypatch.setitem(evalcli.REFERENCES, "broken", lambda: evalcli.Reference("broken", "0", extract))
    code, figures = run_eval(tmp_path, "--reference", "broken")
    assert code == 0 and figures["references"][0]["errors"] == 3
    assert figures["groups"]["overall"]["broken 0"]["f1"] == 0.0
    assert "en/1: ValueError: Document is empty" in capsys.readouterr().out


def test_unknown_or_missing_reference_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    gold = write_gold(tmp_path / "gold.jsonl", documents())
    assert main(["eval", str(gold), "--field", "text", "--reference", "nope"]) == 2
    assert "unknown reference 'nope' (expected one of: trafilatura, readability" in capsys.readouterr().err

    def missing() -> evalcli.Reference:
        raise ImportError("No module named 'readability'")

    monkeypatch.setitem(evalcli.REFERENCES, "readability", missing)
    assert main(["eval", str(gold), "--field", "text", "--reference", "readability"]) == 2
    assert "pip install -e '.[bench]'" in capsys.readouterr().err


def test_written_floors_hold_and_a_raised_floor_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    floors = tmp_path / "floors.json"
    docs = documents() * 5  # enough documents per group for floors (MIN_GROUP_DOCS)
    gold = write_gold(tmp_path / "gold.jsonl", [{**d, "id": f"{d['id']}/{i}"} for i, d in enumerate(docs)])
    assert main(["eval", str(gold), "--field", "text", "--write-floors", str(floors), "--floor-margin", "0.01"]) == 0
    pinned = json.loads(floors.read_text(encoding="utf-8"))
    assert set(pinned) == {"overall", "lang:en", "source:news", "lang:de", "source:snippets"}
    assert set(pinned["lang:de"]) == {"snippet_recall", "snippet_precision"} and isinstance(pinned["lang:en"], float)
    assert main(["eval", str(gold), "--field", "text", "--floors", str(floors)]) == 0
    assert f"all 5 floors in {floors} hold" in capsys.readouterr().out
    assert pinned["lang:en"] == 0.99  # the cleaner cuts every noise line here: F1 1.0, minus the margin
    floors.write_text(json.dumps({"lang:en": 1.5, "lang:de": {"snippet_recall": 1.0, "f1": 0.5}}))
    assert main(["eval", str(gold), "--field", "text", "--floors", str(floors)]) == 1
    err = capsys.readouterr().err
    assert "lang:en: f1 " in err and "is below its floor 1.5" in err
    assert "lang:de: no documents (f1 floor 0.5)" in err and "snippet_recall" not in err


def test_floor_files_name_known_metrics_only() -> None:
    report = evaluate(documents(), {"cleaner": lambda d: str(d["text"])}, "text")
    assert floor_breaches(report, {"overall": {"F1": 0.5}}) == [
        "overall: unknown metric 'F1' (expected one of: f1, precision, recall, near_exact, snippet_recall, "
        "snippet_precision)"]
    assert floors_of(report, min_docs=1)["overall"] == {"f1": 0.899, "snippet_recall": 0.997,
                                                        "snippet_precision": 0.0}  # floored, never negative


def test_weakest_language_names_the_rival_the_side_and_the_documents() -> None:
    docs = [{**d, "id": f"{d['id']}/{i}"} for i in range(5) for d in documents()]
    systems: dict[str, Callable[[dict[str, object]], str]] = {
        "cleaner": lambda d: str(d["text"]),
        "rival": lambda d: ARTICLE if d["lang"] == "en" else "",
    }
    weak = weakest(evaluate(docs, systems, "text"), "cleaner", count=1)
    assert [w.group for w in weak] == ["lang:en"]  # behind; German (level on snippets) is not the narrowest
    assert weak[0].rival == "rival" and weak[0].gap < 0
    assert weak[0].reason.startswith("keeps boilerplate: precision 0.")
    assert weak[0].worst[0].startswith("en/1/") and len(weak[0].worst) == 3
    assert "lang:de" in [w.group for w in weakest(evaluate(docs, systems, "text"), "cleaner", count=2)]


def test_readability_html_becomes_one_block_per_paragraph() -> None:
    html = ("<html><body><div><h2>Budget</h2><p>The council <a href='#'>approved</a> it.</p>"
            "<ul><li>Schools</li><li>Transport</li></ul><script>var x;</script>Tail<br/>end</div></body></html>")
    assert evalcli.fragment_text(html) == "Budget\n\nThe council approved it.\n\nSchools\n\nTransport\n\nTail\n\nend"
    assert evalcli.fragment_text("") == ""


def test_the_real_references_run_on_three_pages(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura", reason="the bench extra (trafilatura) is not installed")
    pytest.importorskip("readability", reason="the bench extra (readability-lxml) is not installed")
    body = "".join(f"<p>{sentence} {n}.</p>" for n, sentence in enumerate([ARTICLE.replace("\n\n", " ")] * 4))
    page = (f"<html><head><title>Budget</title></head><body><nav><a href='/'>Home</a> <a href='/a'>About</a>"
            f"</nav><article>{body}</article><footer>Copyright 2024 Example News. All rights reserved.</footer>"
            "</body></html>")
    gold = "\n\n".join(f"{ARTICLE.replace(chr(10) * 2, ' ')} {n}." for n in range(4))
    docs = [{"id": f"p{n}", "lang": "en", "source": "web", "html": page, "gold": gold} for n in range(3)]
    path = write_gold(tmp_path / "pages.jsonl", docs)
    out = tmp_path / "eval.json"
    assert main(["eval", str(path), "--field", "html", "--format", "html", "--reference", "trafilatura",
                 "--reference", "readability", "--cache-dir", str(tmp_path / "cache"), "--json", str(out)]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    for label in figures["systems"][2:]:
        assert figures["groups"]["overall"][label]["f1"] > 0.9, label
    assert [r["misses"] for r in figures["references"]] == [3, 3]
