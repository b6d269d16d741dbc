"""The hostile inputs: one per case, built here rather than committed.

`CASES` maps each case's file name to a function building its bytes, and
`EXPECT` says what the case must give: "error" (a clear per-document
error from the reader, InputError), "clean" (a cleaning whose log restores
its original) or "either" (binary formats whose sniffing is the reader's
business: an error or a clean result, never a crash). `KEEP` lists text a
case's cleaning must never lose (it must be in `result.original`).

`tests/test_hostile.py` writes every case to a temporary directory and runs
it; `python tests/hostile/generate.py DIR` writes them for a look by hand.
The 50 MB cases are built at test time (see `big_text` and `big_page`),
never committed.
"""

from __future__ import annotations

import sys
import zlib
from collections.abc import Callable
from pathlib import Path

DEEP = 100_000  # nesting of the deep pages
COMBINING = 1_000_000  # combining marks on one letter
LONG_LINE = 20_000_000  # characters of the line with no newline
HUGE_ATTRIBUTE = 20_000_000  # characters of one attribute value
BIG = 50_000_000  # characters of the big documents
SECRET = "SECRET-FROM-AN-EXTERNAL-ENTITY"  # written in a file an entity points at: must never show up

PARAGRAPH = (
    "Le Parlement irakien a réclamé dimanche au gouvernement l'expulsion des troupes américaines du pays, "
    "selon un communiqué publié après la séance extraordinaire. "
)


def _png() -> bytes:
    rows = b"".join(b"\x00" + bytes((x * y) % 256 for x in range(64)) for y in range(64))
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00@\x00\x00\x00@\x08\x00\x00\x00\x00" + zlib.compress(rows)


def _pdf() -> bytes:
    stream = zlib.compress(b"BT /F1 12 Tf 72 712 Td (Hello) Tj ET" * 50)
    return (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length " + str(len(stream)).encode()
            + b" /Filter /FlateDecode >>\nstream\n" + stream + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def _zip() -> bytes:
    body = zlib.compress(b"Body text. " * 200)[2:-4]
    return b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 16 + b"\x08\x00\x00\x00article.txt" + body + b"PK\x05\x06" + b"\x00" * 18


def _page(body: str) -> bytes:
    return f"<!DOCTYPE html><html><head><title>T</title></head><body>{body}</body></html>".encode()


def _deep(open_tag: str, close_tag: str) -> bytes:
    return _page(open_tag * DEEP + "<p>deep text</p>" + close_tag * DEEP + "<p>text after</p>")


def _laughs() -> str:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    return f"<!DOCTYPE html [{entities}]>"


def _external(secret_file: Path) -> bytes:
    doctype = (f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "{secret_file.as_uri()}">'
               '<!ENTITY web SYSTEM "http://127.0.0.1:9/never-fetched">]>')
    return (doctype + "<html><body><p>before &xxe; &web; after</p></body></html>").encode()


CASES: dict[str, Callable[[Path], bytes]] = {
    "empty.txt": lambda _: b"",
    "whitespace-only.txt": lambda _: b" \n\t\r\n  \xc2\xa0\n\n",
    "binary-image.png": lambda _: _png(),
    "binary-document.pdf": lambda _: _pdf(),
    "binary-archive.zip": lambda _: _zip(),
    "invalid-utf8.txt": lambda _: b"Caf\xe9 au lait\nBody text.\n",
    "mixed-encodings.txt": lambda _: "Café, naïve.\n".encode() + "Café, naïve.\n".encode("latin-1")
    + "Привет\n".encode("cp1251"),
    "utf16.txt": lambda _: "Body text in UTF-16.\n".encode("utf-16"),
    "nul-bytes.txt": lambda _: b"Title\x00\nBody\x00 text.\n",
    "nul-bytes.html": lambda _: _page("<p>a\x00b</p><p>after the NUL</p>"),
    "controls.txt": lambda _: b"Body \x1b[31mtext\x1b[0m.\x07\n\x0cNext page.\n",
    "deep-div.html": lambda _: _deep("<div>", "</div>"),
    "deep-inline.html": lambda _: _deep("<span><b>", "</b></span>"),
    "deep-table.html": lambda _: _deep("<table><tr><td>", "</td></tr></table>"),
    "deep-unclosed-list.html": lambda _: _page("<ul><li>" * DEEP + "<p>deep text</p><p>text after</p>"),
    "deep-stray-end-tags.html": lambda _: _page("<div></span>" * DEEP + "<p>deep text</p><p>text after</p>"),
    "deep-div-bare.html": lambda _: ("<div>" * DEEP + "deep text" + "</div>" * DEEP).encode(),
    "malformed.html": lambda _: _page(
        "<p>deep text <b>bold <i>both</b> italic?</i></p></div></span><td>cell</td><li>item<p>text after"
        "<div <p>broken tag</p> <a href=x>link</a></p></p>"),
    "truncated-in-tag.html": lambda _: b"<html><body><p>deep text</p><p>text after</p><div class=\"trun",
    "truncated-in-text.html": lambda _: b"<html><body><p>deep text</p><p>text after",
    "text-after-end.html": lambda _: _page("<p>deep text</p>") + b"<p>text after</p>",
    "xml-declaration.html": lambda _: b'<?xml version="1.0" encoding="utf-8"?>\n' + _page("<p>deep text</p>"),
    "bom.html": lambda _: b"\xef\xbb\xbf" + _page("<nav><a>Home</a></nav><p>deep text</p>"),
    "huge-attribute.html": lambda _: _page('<div data-x="' + "a" * HUGE_ATTRIBUTE + '"><p>deep text</p></div>'),
    "huge-class-list.html": lambda _: _page('<div class="' + "share " * 1_000_000 + '"><p>deep text</p></div>'),
    "many-attributes.html": lambda _: _page("<div " + " ".join(f"a{i}=x" for i in range(100_000)) + "><p>deep text</p></div>"),
    "billion-laughs.html": lambda _: (_laughs() + "<html><body><p>deep text &lol9;</p></body></html>").encode(),
    "billion-laughs.xml": lambda _: ('<?xml version="1.0"?>' + _laughs().replace("html", "lolz", 1)
                                      + "<lolz>&lol9;</lolz>").encode(),
    "external-entity.html": lambda directory: _external(directory / "secret.txt"),
    "long-line.txt": lambda _: ("a" * LONG_LINE).encode(),
    "combining-marks.txt": lambda _: ("Body text. e" + "\u0301" * COMBINING + "\n").encode(),
    "combining-marks.html": lambda _: _page("<p>deep text e" + "\u0301" * COMBINING + "</p>"),
    "lone-surrogate-escape.html": lambda _: _page("<p>deep text</p><p>text after</p>").replace(b"deep", b"deep\xed\xa0\x80"),
}

EXPECT = {
    "empty.txt": "error",
    "whitespace-only.txt": "either",  # ASCII whitespace is refused as empty; with a no-break space it cleans to ""
    "binary-image.png": "error",
    "binary-document.pdf": "either",
    "binary-archive.zip": "either",
    "invalid-utf8.txt": "error",
    "mixed-encodings.txt": "error",
    "utf16.txt": "clean",  # a byte-order mark names the encoding (cleaner/encoding.py)
    "nul-bytes.txt": "error",
    "nul-bytes.html": "error",
    "lone-surrogate-escape.html": "error",
}

KEEP = {
    name: ("deep text", "text after")
    for name in ("deep-div.html", "deep-inline.html", "deep-table.html", "deep-unclosed-list.html",
                 "deep-stray-end-tags.html", "malformed.html", "truncated-in-tag.html", "truncated-in-text.html",
                 "text-after-end.html")
} | {
    name: ("deep text",)
    for name in ("deep-div-bare.html", "xml-declaration.html", "bom.html", "huge-attribute.html",
                 "huge-class-list.html", "many-attributes.html", "billion-laughs.html", "combining-marks.html")
} | {"external-entity.html": ("before", "after"), "controls.txt": ("Next page.",)}


def write_all(directory: Path) -> list[Path]:
    """Write every case into `directory` (with the file an entity points at); returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "secret.txt").write_text(SECRET, encoding="utf-8")
    paths = []
    for name, build in CASES.items():
        path = directory / name
        path.write_bytes(build(directory))
        paths.append(path)
    return paths


def big_text() -> str:
    """A 50 MB plain text: paragraphs with a subscribe button after each."""
    unit = PARAGRAPH * 4 + "\nS'abonner\n"
    return unit * (BIG // len(unit))


def big_page() -> str:
    """A 50 MB page: paragraphs with a share row after each."""
    unit = f"<div class='share'><a href='/x'>Facebook</a></div><p>{PARAGRAPH * 4}</p>"
    return "<html><body>" + unit * (BIG // len(unit)) + "</body></html>"


if __name__ == "__main__":
    for written in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-inputs")):
        print(written)
