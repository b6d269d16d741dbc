"""Readers: every input kind turned into a stream of `Item`s, one per document.

Kinds, chosen by the file name (or `--input-format`):

- text and HTML files (`.txt`, `.html`, `.htm`, each optionally `.gz`),
  given as files or found below directories; the output mirrors the tree;
- JSON Lines (`.jsonl`, `.jsonl.gz`): one document per line, its fields
  chosen by `Fields`; the output is JSONL with every input field kept;
- WARC (`.warc`, `.warc.gz`): the HTML of each `response` record, read with
  warcio; the output is JSONL with the record's URL, id and date;
- stdin (`-`), as any one of the above.

A reader does only I/O: an `Item` carries the document's raw bytes, and the
worker decodes, parses and cleans them (in parallel). Reading is streaming,
and every decompressed size is capped, so a gzip bomb costs one document an
error (`TooLarge`), never the memory of the run.

>>> kind_of("a/b.jsonl.gz"), kind_of("page.HTML"), kind_of("crawl.warc.gz")
('jsonl', 'html', 'warc')
"""

from __future__ import annotations

import gzip
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024  # a document (file, JSONL line or WARC record) larger than this is refused
READ_CHUNK = 1024 * 1024  # bytes read at a time when skipping the rest of an oversized line

KINDS = ("text", "html", "jsonl", "warc")
FILE_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".warc": "warc"}
TREE_KINDS = ("text", "html")  # kinds found below a directory

TOO_LARGE = f"document larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB"
TOO_LARGE_UNPACKED = f"decompressed size over {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB (a gzip bomb?)"


@dataclass(frozen=True, slots=True)
class Fields:
    """Which JSONL fields hold what, and the field the clean text goes into.

    `text` is tried first, then `html` (cleaned as a page); a record with
    neither as a string fails with a reason.
    """

    text: str = "text"
    html: str = "html"
    url: str = "url"
    id: str = "id"
    lang: str = "lang"
    output: str = "clean_text"


DEFAULT_FIELDS = Fields()


@dataclass(frozen=True, slots=True)
class Item:
    """One document as read, before decoding: the unit of work sent to a worker.

    `kind` says how `payload` is decoded (text, html, jsonl line, warc
    record's HTML); `target` is where its output goes: a relative path for
    files, an output stream's number for records; `error` is set when the
    document could not even be read (it is then only counted).
    """

    kind: str
    doc_id: str
    payload: bytes
    target: Path | int
    meta: dict[str, Any] = field(default_factory=dict)
    error: str = ""


@dataclass(frozen=True, slots=True)
class Input:
    """One input as given on the command line, with its kind and output name."""

    given: str
    kind: str  # text, html, jsonl, warc, or "tree" for a directory
    number: int  # its output stream, for record inputs


def kind_of(name: str) -> str:
    """The input kind of a file name (by its suffix, `.gz` looked through); "" if unknown."""
    path = Path(name.lower())
    if path.suffix == ".gz":
        path = path.with_suffix("")
    return FILE_SUFFIXES.get(path.suffix, "")


def plan(inputs: list[str], forced: str = "auto") -> list[Input]:
    """Each input with its kind: a directory is a tree, `-` and files by suffix or `forced`."""
    planned = []
    for number, given in enumerate(inputs):
        if given != "-" and Path(given).is_dir():
            planned.append(Input(given, "tree", number))
        else:
            kind = forced if forced != "auto" else (kind_of(given) or "text")
            planned.append(Input(given, kind, number))
    return planned


def iter_items(inputs: list[Input], fields: Fields = DEFAULT_FIELDS) -> Iterator[Item]:
    """Every document of the inputs, in order, read lazily."""
    for source in inputs:
        if source.kind == "tree":
            yield from _tree(source.given)
        elif source.kind in ("jsonl", "warc"):
            reader = _jsonl if source.kind == "jsonl" else _warc
            with _open(source.given, decompress=source.kind == "jsonl") as stream:
                yield from reader(stream, source, fields)
        elif source.given == "-":
            yield _stdin_document(source.kind)
        else:
            yield _file(Path(source.given), source.given, Path(Path(source.given).name), source.kind)


def output_name(relative: Path) -> Path:
    """Where a file's clean text goes: `.gz` dropped, `.txt` added to other suffixes.

    >>> output_name(Path("a/page.html.gz")).as_posix(), output_name(Path("b.txt")).as_posix()
    ('a/page.html.txt', 'b.txt')
    """
    if relative.suffix.lower() == ".gz":
        relative = relative.with_suffix("")
    return relative if relative.suffix.lower() == ".txt" else relative.with_name(relative.name + ".txt")


def _stdin_document(kind: str) -> Item:
    """All of stdin as one document (id `-`), written to `stdin.txt`."""
    try:
        with _open("-") as stream:
            return Item(kind, "-", read_bounded(stream), Path("stdin.txt"))
    except TooLarge as err:
        return Item(kind, "-", b"", Path("stdin.txt"), error=str(err))


def _tree(given: str) -> Iterator[Item]:
    root = Path(given)
    found = sorted(p for p in root.rglob("*") if kind_of(p.name) in TREE_KINDS and p.is_file())
    for path in found:
        relative = path.relative_to(root)
        yield _file(path, (Path(given) / relative).as_posix(), relative, kind_of(path.name))


def _file(path: Path, doc_id: str, relative: Path, kind: str) -> Item:
    target = output_name(relative)
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            return Item(kind, doc_id, b"", target, error=TOO_LARGE)
        with _open(str(path)) as stream:
            return Item(kind, doc_id, read_bounded(stream), target)
    except FileNotFoundError:
        return Item(kind, doc_id, b"", target, error="no such file or directory")
    except IsADirectoryError:
        return Item(kind, doc_id, b"", target, error="is a directory")
    except TooLarge as err:
        return Item(kind, doc_id, b"", target, error=str(err))
    except (OSError, EOFError, gzip.BadGzipFile) as err:
        return Item(kind, doc_id, b"", target, error=f"cannot read: {getattr(err, 'strerror', None) or err}")


class TooLarge(Exception):
    """A document whose (decompressed) size is over the cap."""


def read_bounded(stream: IO[bytes], limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The whole stream, or TooLarge once more than `limit` bytes come out of it."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(TOO_LARGE_UNPACKED if isinstance(stream, gzip.GzipFile) else TOO_LARGE)
    return data


def _open(given: str, decompress: bool = True) -> IO[bytes]:
    """A binary stream of the input; `.gz` files (and gzip on stdin) decompressed as they are read.

    WARC files are not decompressed here: warcio reads them member by member.
    """
    if given != "-":
        if decompress and given.lower().endswith(".gz"):
            return gzip.open(given, "rb")  # type: ignore[return-value]
        return open(given, "rb")
    raw = io.BufferedReader(_Unclosable(sys.stdin.buffer))
    if decompress and raw.peek(2)[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw


class _Unclosable(io.RawIOBase):
    """A readable wrapper of stdin that can be buffered and peeked at."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _jsonl(stream: IO[bytes], source: Input, fields: Fields) -> Iterator[Item]:
    """One item per non-blank line; an oversized line fails alone and is skipped in pieces."""
    name = "stdin" if source.given == "-" else source.given
    number = 0
    while True:
        line = stream.readline(MAX_DOCUMENT_BYTES + 1)
        if not line:
            return
        number += 1
        doc_id = f"{name}:{number}"
        if len(line) > MAX_DOCUMENT_BYTES and not line.endswith(b"\n"):
            _skip_line(stream)
            yield Item("jsonl", doc_id, b"", source.number, error=TOO_LARGE_UNPACKED if _gz(stream) else TOO_LARGE)
        elif line.strip():
            yield Item("jsonl", doc_id, line, source.number)


def _skip_line(stream: IO[bytes]) -> None:
    while True:
        piece = stream.readline(READ_CHUNK)
        if not piece or piece.endswith(b"\n"):
            return


def _gz(stream: IO[bytes]) -> bool:
    return isinstance(stream, gzip.GzipFile)


def _warc(stream: IO[bytes], source: Input, fields: Fields) -> Iterator[Item]:
    """One item per HTML `response` record, read with warcio (it handles per-record gzip)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    name = "stdin" if source.given == "-" else source.given
    number = 0
    try:
        for record in ArchiveIterator(stream):
            if record.format != "warc":
                raise ArchiveLoadFailed(f"a {record.format.upper()} record, not a WARC one")
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type = record.http_headers.get_header("Content-Type") or ""
            if "html" not in content_type.lower():
                continue
            number += 1
            meta = {
                "id": record.rec_headers.get_header("WARC-Record-ID") or f"{name}:{number}",
                "url": record.rec_headers.get_header("WARC-Target-URI"),
                "warc_date": record.rec_headers.get_header("WARC-Date"),
                "content_type": content_type,
            }
            try:
                payload, error = read_bounded(record.content_stream()), ""
            except TooLarge:
                payload, error = b"", TOO_LARGE_UNPACKED
            except Exception as err:  # a broken record (bad chunking, bad gzip) fails alone
                payload, error = b"", f"unreadable record: {type(err).__name__}: {err}"
            yield Item("warc", meta["id"], payload, source.number, meta, error)
    except ArchiveLoadFailed as err:
        yield Item("warc", f"{name}:{number + 1}", b"", source.number, error=f"not a WARC file: {err}")
