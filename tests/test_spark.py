"""Spark local mode gives exactly what the single-process run gives (`cleaner.spark`, `cleaner spark`).

One Spark session (local[2]) for the module: its start-up costs 10 to 20 s.
Skipped, with the reason, where pyspark or Java is missing, except under CI
(`CI` set), where the Spark entry point must be tested: there it fails.
The corpus: the repository's own test texts (every multilingual sample, the
Sputnik seed, a page, bad lines), a small WARC, and, when the shared dev set
sits beside the repository, its first DEV_DOCUMENTS texts.
"""

from __future__ import annotations

import gzip
import io
import itertools
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cleaner import clean
from cleaner.cli import main
from cleaner.spark import clean_column
from cleaner.work import NO_TEXT, Settings

REPO = Path(__file__).resolve().parent.parent
DEV_SET = REPO.parent / "shared" / "corpus" / "dev.jsonl.gz"
DEV_DOCUMENTS = 200
SEED = REPO / "tests" / "golden" / "seed-sputnik-fr" / "000_2e4d54bf42a527fd.txt"
PAGE = ("<!DOCTYPE html><html><head><title>Bridge</title></head><body><nav><a href='/'>Home</a> "
        "<a href='/world'>World</a></nav><article><p>Officials said the new bridge would open to traffic next "
        "spring, weather permitting.</p><p>The committee published its report on Tuesday, after two years of "
        "hearings on its cost.</p></article><div class='share'>Share on Facebook</div></body></html>")


def _spark_missing() -> str:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (the `spark` or `test` extra)"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "no Java runtime (Spark needs Java 17 or later)"
    return ""


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A local[2] Spark session, its Python workers on this interpreter, scratch space under tmp."""
    missing = _spark_missing()
    if missing and os.environ.get("CI"):
        pytest.fail(f"{missing}: under CI the Spark entry point must be tested")
    if missing:
        pytest.skip(missing)
    from pyspark.sql import SparkSession

    previous = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (SparkSession.builder.master("local[2]").appName("cleaner-tests")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2").config("spark.default.parallelism", "2")
               .config("spark.local.dir", str(tmp_path_factory.mktemp("spark-local")))
               .config("spark.driver.memory", "1g").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    if previous is None:
        os.environ.pop("PYSPARK_PYTHON", None)
    else:
        os.environ["PYSPARK_PYTHON"] = previous


def _samples() -> list[tuple[str, str]]:
    """(name, text) of the repository's multilingual samples and the Sputnik seed."""
    found = sorted(p for p in (REPO / "tests" / "multilingual").glob("*.txt") if not p.name.endswith(".expected.txt"))
    return [(p.stem, p.read_text(encoding="utf-8")) for p in found] + [("seed", SEED.read_text(encoding="utf-8"))]


def _small_corpus(path: Path) -> Path:
    """A JSONL with ids and without, URLs, languages, a page, and lines that must fail."""
    lines = []
    for number, (name, text) in enumerate(_samples()):
        record: dict[str, Any] = {"text": text, "n": number}
        if number % 3:
            record["id"] = f"sample/{name}"
        if name == "seed":
            record["url"] = "https://fr.sputniknews.africa/20230101/a.html"
        if number % 4 == 1:
            record["lang"] = name
        lines.append(json.dumps(record, ensure_ascii=number % 2 == 0))
    lines[5:5] = ["", '{"id": "cut", "text": ', "[1, 2]", json.dumps({"id": "page", "html": PAGE}),
                  json.dumps({"id": "nothing", "title": "no text"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _dev_corpus(path: Path) -> Path | None:
    """The first DEV_DOCUMENTS texts of the shared dev set, gzipped; None without it."""
    if not DEV_SET.is_file():
        return None
    with gzip.open(DEV_SET, "rt", encoding="utf-8") as lines:
        records = (json.loads(line) for line in lines)
        chosen = itertools.islice((r for r in records if r.get("scraped_container")), DEV_DOCUMENTS)
        kept = [{"id": r["id"], "url": r.get("url"), "lang": r.get("lang"), "text": r["scraped_container"]}
                for r in chosen]
    path.write_bytes(gzip.compress("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept).encode()))
    return path


def _warc(path: Path) -> Path:
    """Three HTML responses (one in Latin-1), a JSON response and a metadata record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    bodies = [(PAGE, "text/html; charset=utf-8"), ('{"a": 1}', "application/json"),
              (PAGE.replace("bridge", "pont é"), "text/html; charset=iso-8859-1"),
              (PAGE.replace("Tuesday", "Friday"), "text/html")]
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for number, (body, content_type) in enumerate(bodies):
            data = body.encode("latin-1" if "8859" in content_type else "utf-8")
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://news.example/{number}", "response",
                                                          payload=io.BytesIO(data), http_headers=headers))
        writer.write_record(writer.create_warc_record("https://news.example/0", "metadata",
                                                      payload=io.BytesIO(b"x=1"), warc_content_type="text/plain"))
    return path


def _parts(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.glob("part-*")))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("corpus")
    dev = _dev_corpus(folder / "dev.jsonl.gz")
    return [_small_corpus(folder / "small.jsonl"), *([dev] if dev else []), _warc(folder / "pages.warc.gz")]


def test_spark_run_equals_single_process_run_byte_for_byte(spark: Any, corpus: list[Path], tmp_path: Path) -> None:
    single, distributed = tmp_path / "single", tmp_path / "spark"
    inputs = [str(p) for p in corpus]
    assert main(["clean", *inputs, "-o", str(single), "-q", "-j", "1"]) == 1  # the bad lines fail, in both
    assert main(["spark", *inputs, str(distributed), "-q", "--partitions", "3"]) == 1
    outputs = [single / (p.name.split(".")[0] + ".jsonl") for p in corpus]
    records = b"".join(p.read_bytes() for p in outputs)
    assert _parts(distributed / "records") == records
    assert _parts(distributed / "removals") == (single / "removals.jsonl").read_bytes()
    assert (distributed / "summary.json").read_bytes() == (single / "summary.json").read_bytes()
    # and it is real work: every document, failures by reason, HTML pages from the WARC, many removals
    summary = json.loads((single / "summary.json").read_text(encoding="utf-8"))
    expected = len(_samples()) + 4 + 3 + (DEV_DOCUMENTS if len(corpus) == 3 else 0)
    assert summary["documents"] == expected and summary["removed_blocks"] > 100
    assert summary["errors_by_reason"] == {"not valid JSON": 1, "not a JSON object": 1, "no text field": 1}
    assert len(records.decode("utf-8").split("\n")) == expected + 1


def test_partitions_number_lines_as_the_file_does(spark: Any, tmp_path: Path) -> None:
    lines = [f'{{"text": "line {n} is cut short' for n in range(1, 40)]  # every line fails, named FILE:LINE
    lines[4] = ""
    source = tmp_path / "plain.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["spark", str(source), str(tmp_path / "out"), "-q", "--partitions", "4"]) == 1
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert sorted(summary["errors"]) == sorted(f"{source}:{n}" for n in range(1, 40) if n != 5)
    assert len(list((tmp_path / "out" / "records").glob("part-*"))) >= 4


def test_clean_column_adds_text_removals_and_error(spark: Any) -> None:
    samples = _samples()
    rows = [(name, text, "https://fr.sputniknews.africa/a" if name == "seed" else None) for name, text in samples]
    rows.append(("empty", None, None))
    df = spark.createDataFrame(rows, "name string, body string, url string").repartition(2)
    cleaned = {row["name"]: row for row in clean_column(df, "body", url_col="url").collect()}
    assert set(cleaned) == {name for name, _ in samples} | {"empty"}
    for name, text, url in rows[:-1]:
        result = clean(text, url=url)
        row = cleaned[name]
        assert row["clean_text"] == result.text and row["clean_error"] is None
        logged = [{k: v for k, v in r.asDict().items() if v is not None} for r in row["removals"]]
        assert logged == [r.to_json() for r in result.removals]
    assert cleaned["seed"]["removals"] and cleaned["seed"]["clean_text"] != rows[-2][1]
    assert (cleaned["empty"]["clean_text"], cleaned["empty"]["clean_error"]) == (None, NO_TEXT)


def test_clean_column_takes_settings_and_a_language_column(spark: Any) -> None:
    text = dict(_samples())["fr"]
    df = spark.createDataFrame([("fr", text)], "lang string, body string")
    settings = Settings(rule_paths=(), shipped=True, lang=None)
    row = clean_column(df, "body", "out", "cuts", lang_col="lang", error_col="why", settings=settings).first()
    assert row["out"] == clean(text, lang="fr").text and row["why"] is None
    assert [c["rule"] for c in row["cuts"]] == [r.rule for r in clean(text, lang="fr").removals]


def test_usage_errors_are_told_without_a_traceback(spark: Any, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    existing = tmp_path / "exists"
    existing.mkdir()
    source = _small_corpus(tmp_path / "small.jsonl")
    assert main(["spark", str(source), str(existing), "-q"]) == 2
    assert main(["spark", str(tmp_path / "absent.jsonl"), str(tmp_path / "o1"), "-q"]) == 2
    (tmp_path / "notes.txt").write_text("text\n", encoding="utf-8")
    assert main(["spark", str(tmp_path / "notes.txt"), str(tmp_path / "o2"), "-q"]) == 2
    assert main(["spark", str(source), str(tmp_path / "o3"), "-q", "--site", "no-such-site"]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "absent.jsonl: no such file" in err and "neither JSONL nor WARC" in err
    assert "no-such-site" in err and "Traceback" not in err
