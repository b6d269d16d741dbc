"""Corpus runs over every input kind: directories of text and HTML (also .gz), JSONL, WARC, stdin.

Through `main(argv)`, in one process unless a test says `--jobs`.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from cleaner import clean
from cleaner import work as work_module
from cleaner.cli import main
from cleaner.engine import Options
from cleaner.io import safe_filename, safe_join
from cleaner.readers import MAX_DOCUMENT_BYTES, TOO_LARGE_UNPACKED

WriteFile = Callable[[str, "str | bytes"], Path]

ENGLISH = (
    "Officials said the new bridge would open to traffic next spring, weather permitting.\n"
    "Share\n"
    "Facebook Twitter WhatsApp\n"
    "The committee published its report on Tuesday, after two years of hearings.\n"
)
PAGE = (
    "<!DOCTYPE html><html><head><title>t</title></head><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
    "<article><p>Officials said the new bridge would open to traffic next spring, weather permitting.</p>"
    "<p>The committee published its report on Tuesday, after two years of hearings on its cost.</p></article>"
    "<div class='share'>Share on Facebook</div></body></html>"
)


def _jsonl(out: Path, name: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in (out / name).read_text(encoding="utf-8").split("\n") if line]


def _records(n: int) -> list[dict[str, object]]:
    return [{"id": f"doc-{i}", "url": f"https://example.com/{i}", "text": ENGLISH.replace("bridge", f"bridge {i}"),
             "extra": [i]} for i in range(n)]


def _write_jsonl(path: Path, records: list[dict[str, object]], gz: bool = False) -> Path:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_jsonl_in_jsonl_out_keeps_every_field_and_adds_the_clean_text(tmp_path: Path, gz: bool) -> None:
    source = _write_jsonl(tmp_path / ("in.jsonl.gz" if gz else "in.jsonl"), _records(5), gz)
    out = tmp_path / "out"
    assert main(["clean", str(source), "-o", str(out), "-q", "-j", "1"]) == 0
    records = _jsonl(out, "in.jsonl")
    assert [r["id"] for r in records] == [f"doc-{i}" for i in range(5)]
    for record, given in zip(records, _records(5), strict=True):
        assert record == {**given, "clean_text": clean(str(given["text"]), url=str(given["url"])).text}
    log = _jsonl(out, "removals.jsonl")
    assert {r["doc"] for r in log} == {f"doc-{i}" for i in range(5)}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["documents"], summary["cleaned"], summary["failed"]) == (5, 5, 0)
    assert summary["removed"]["by_category"]["widget"]["chars"] > 0
    assert not (out / ".cleaner-run").exists()


def test_jsonl_fields_are_chosen_by_options(tmp_path: Path) -> None:
    records = [{"key": "a", "body": ENGLISH, "page": None}, {"key": "b", "page": PAGE}, {"key": "c"}, [1, 2]]
    source = _write_jsonl(tmp_path / "in.jsonl", records)  # type: ignore[arg-type]
    (source.open("ab")).write(b"{broken\n")
    out = tmp_path / "out"
    argv = ["clean", str(source), "-o", str(out), "-q", "--text-field", "body", "--html-field", "page",
            "--id-field", "key", "--output-field", "cleaned"]
    assert main(argv) == 1
    got = _jsonl(out, "in.jsonl")
    assert len(got) == 5  # one output line per input line, failed ones included
    assert got[0]["cleaned"] == clean(ENGLISH).text
    assert got[1]["cleaned"] == clean(PAGE, options=Options(format="html")).text
    assert "Home" not in str(got[1]["cleaned"]) and "Officials said" in str(got[1]["cleaned"])
    assert got[2] == {"key": "c", "cleaned": None, "clean_error": "no text field (looked for: body, page)"}
    assert got[3]["clean_error"] == "not a JSON object" and got[4]["clean_error"].startswith("not valid JSON")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["errors_by_reason"] == {"no text field": 1, "not a JSON object": 1, "not valid JSON": 1}
    assert set(summary["errors"]) == {"c", f"{source}:4", f"{source}:5"}


def test_a_directory_of_text_and_html_also_gzipped_is_mirrored(write_file: WriteFile, tmp_path: Path) -> None:
    write_file("in/a.txt", ENGLISH)
    write_file("in/sub/b.txt.gz", gzip.compress(ENGLISH.encode("utf-8")))
    write_file("in/sub/page.html", PAGE)
    write_file("in/sub/page2.htm.gz", gzip.compress(PAGE.encode("utf-8")))
    write_file("in/skip.md", "not a document")
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "in"), "-o", str(out), "-q"]) == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["a.txt", "removals.jsonl", "sub/b.txt", "sub/page.html.txt", "sub/page2.htm.txt",
                       "summary.json"]
    assert (out / "sub/b.txt").read_text(encoding="utf-8") == clean(ENGLISH).text
    assert (out / "sub/page.html.txt").read_text(encoding="utf-8") == clean(PAGE, options=Options(format="html")).text


def test_a_gzip_bomb_fails_alone(write_file: WriteFile, tmp_path: Path) -> None:
    """Over MAX_DOCUMENT_BYTES once decompressed: that document's error, read no further than the cap."""
    huge = MAX_DOCUMENT_BYTES + 1024
    write_file("in/bomb.txt.gz", gzip.compress(b"A" * huge, compresslevel=1))
    write_file("in/good.txt", ENGLISH)
    line_bomb = gzip.compress(b'{"id": "big", "text": "' + b"A" * huge + b'"}\n'
                              + json.dumps({"id": "small", "text": ENGLISH}).encode() + b"\n", compresslevel=1)
    jsonl = write_file("records.jsonl.gz", line_bomb)
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "in"), str(jsonl), "-o", str(out), "-q"]) == 1
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["errors"] == {f"{(tmp_path / 'in').as_posix()}/bomb.txt.gz": TOO_LARGE_UNPACKED,
                                 f"{jsonl}:1": TOO_LARGE_UNPACKED}
    assert [r.get("id") for r in _jsonl(out, "records.jsonl")] == [f"{jsonl}:1", "small"]
    assert (out / "good.txt").exists() and not (out / "bomb.txt").exists()


def _warc(path: Path) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=path.suffix == ".gz")
        for i, (body, ctype) in enumerate([(PAGE, "text/html; charset=utf-8"), ("{}", "application/json"),
                                           (PAGE.replace("bridge", "pont é"), "text/html; charset=iso-8859-1")]):
            data = body.encode("utf-8" if "utf-8" in ctype or "json" in ctype else "latin-1")
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(f"https://news.example/{i}", "response", payload=io.BytesIO(data),
                                               http_headers=headers)
            writer.write_record(record)
        writer.write_record(writer.create_warc_record("https://news.example/0", "metadata", payload=io.BytesIO(b"x=1"),
                                                      warc_content_type="text/plain"))
    return path


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_response_records_with_html_are_cleaned(tmp_path: Path, name: str) -> None:
    source = _warc(tmp_path / name)
    out = tmp_path / "out"
    assert main(["clean", str(source), "-o", str(out), "-q"]) == 0
    records = _jsonl(out, "crawl.jsonl")
    assert [r["url"] for r in records] == ["https://news.example/0", "https://news.example/2"]
    assert records[0]["clean_text"] == clean(PAGE, options=Options(format="html")).text
    assert "pont é" in str(records[1]["clean_text"])
    assert all(str(r["id"]).startswith("<urn:uuid:") for r in records)
    assert {r["doc"] for r in _jsonl(out, "removals.jsonl")} <= {r["id"] for r in records}


def test_not_a_warc_is_an_error_not_a_crash(write_file: WriteFile, tmp_path: Path) -> None:
    source = write_file("bad.warc", b"this is not a warc file\n" * 10)
    out = tmp_path / "out"
    assert main(["clean", str(source), "-o", str(out), "-q"]) == 1
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["errors_by_reason"] == {"not a WARC file": 1}


def test_stdin_jsonl_streams_to_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    data = "".join(json.dumps(r) + "\n" for r in _records(3)).encode()
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(gzip.compress(data))))
    log = tmp_path / "log.jsonl"
    assert main(["clean", "-", "--input-format", "jsonl", "--log", str(log), "-j", "1"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in lines] == ["doc-0", "doc-1", "doc-2"] and all("clean_text" in r for r in lines)
    assert {json.loads(line)["doc"] for line in log.read_text(encoding="utf-8").splitlines()} == {"doc-0", "doc-1",
                                                                                                   "doc-2"}


def test_any_exception_inside_clean_is_that_documents_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class DocumentTimeout(Exception):
        pass

    def flaky(text: str, *args: object, **kwargs: object) -> object:
        if "bridge 2" in text:
            raise DocumentTimeout("took longer than 5 s")
        if "bridge 3" in text:
            raise MemoryError
        return clean(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(work_module, "clean", flaky)
    source = _write_jsonl(tmp_path / "in.jsonl", _records(5))
    out = tmp_path / "out"
    assert main(["clean", str(source), "-o", str(out), "-q", "-j", "1"]) == 1
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["errors"] == {"doc-2": "DocumentTimeout: took longer than 5 s", "doc-3": "MemoryError"}
    assert summary["errors_by_reason"] == {"DocumentTimeout": 1, "MemoryError": 1}
    assert summary["cleaned"] == 3
    assert [r["clean_error"] is not None for r in _jsonl(out, "in.jsonl") if "clean_error" in r] == [True, True]


def test_two_jobs_give_the_same_outputs_as_one(tmp_path: Path, write_file: WriteFile) -> None:
    source = _write_jsonl(tmp_path / "in.jsonl", _records(60))
    for name in ("a.txt", "b/c.txt"):
        write_file(f"tree/{name}", ENGLISH)
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        assert main(["clean", str(source), str(tmp_path / "tree"), "-o", str(out), "-q", "-j", jobs,
                     "--commit-every", "7"]) == 0
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 5


def test_output_names_never_leave_the_output_directory(tmp_path: Path) -> None:
    for hostile in ("../../etc/passwd", "/abs/path", "..", ".hidden", "a/../../b", "C:\\x\\..\\y", "x" * 400):
        name = safe_filename(hostile)
        assert "/" not in name and "\\" not in name and name not in (".", "..") and not name.startswith(".")
        assert safe_join(tmp_path, Path(name)).parent == tmp_path.resolve()
    assert safe_filename("a/b") != safe_filename("a_b")
    with pytest.raises(Exception, match="would leave the output directory"):
        safe_join(tmp_path, Path("../escape.txt"))


def test_stdin_with_an_output_directory_is_one_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(ENGLISH.encode("utf-8"))))
    out = tmp_path / "out"
    assert main(["clean", "-", "-o", str(out), "-q", "-j", "1"]) == 0
    assert (out / "stdin.txt").read_text(encoding="utf-8") == clean(ENGLISH).text
    assert {r["doc"] for r in _jsonl(out, "removals.jsonl")} == {"-"}


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _write_jsonl(tmp_path / "in.jsonl", _records(3))
    assert main(["clean", str(source), "-o", str(tmp_path / "out"), "-j", "1"]) == 0
    err = capsys.readouterr().err
    assert "documents: 3  cleaned: 3  failed: 0" in err and "docs/s" not in err and "\r" not in err
