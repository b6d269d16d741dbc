"""Bytes in, text out: which encoding a page is in, decided in a fixed order.

1. A byte-order mark (UTF-8, UTF-16, UTF-32) settles it, and so do bytes
   that are valid UTF-8 with some non-ASCII in them: multi-byte UTF-8
   does not happen by accident in another encoding, while pages in UTF-8
   that still declare `iso-8859-1` are common.
2. Else the declared charset: the HTTP `Content-Type` header (WARC records),
   then the page's `<meta charset>` or `<meta http-equiv=Content-Type>` in
   its first CHARSET_SNIFF_BYTES. Labels are read as browsers read them
   (the WHATWG encoding standard): `iso-8859-1` and `ascii` mean
   windows-1252, `gb2312` and `gbk` mean gb18030, `shift_jis` means cp932,
   `euc-kr` means cp949; a UTF-16 label without a byte-order mark means
   UTF-8 (a page whose `<meta>` can be read as ASCII is not UTF-16). A
   declared charset the bytes do not decode in (a `<meta>` that lies) is
   passed over.
3. Else strict UTF-8 (the page is ASCII, or declares nothing usable).
4. Else detection: charset-normalizer's best guess (called directly, so the
   result does not depend on which detectors happen to be installed), then
   windows-1252; the
   first that decodes the bytes strictly wins.

A page that declares a charset nobody knows (`x-unknown-42`) and is not
UTF-8 is refused with an `InputError` naming the label, rather than
guessed at; so are bytes no step decodes without replacement characters
when `strict` (HTML files). Pages from the web (`strict` false) get U+FFFD
for what no step decodes, as a browser shows them. Either way the corpus
run reports the document with its reason and goes on.
"""

from __future__ import annotations

import codecs

import regex
from charset_normalizer import from_bytes

from .io import BINARY, EMPTY, InputError, bom_encoding, looks_binary

FALLBACK_ENCODING = "windows-1252"  # what browsers assume of an undeclared page in the West
CHARSET_SNIFF_BYTES = 4096  # where a page's <meta charset> is looked for
# Labels browsers read as a wider encoding (WHATWG encoding standard), by Python codec name.
BROWSER_ALIASES = {
    "iso8859_1": "cp1252", "ascii": "cp1252", "iso8859_9": "cp1254", "iso8859_11": "cp874", "tis_620": "cp874",
    "gb2312": "gb18030", "gbk": "gb18030", "shift_jis": "cp932", "euc_kr": "cp949", "big5": "big5hkscs",
    "utf_16": "utf-8", "utf_16_le": "utf-8", "utf_16_be": "utf-8", "utf_32": "utf-8", "utf_32_le": "utf-8",
    "utf_32_be": "utf-8",
}
_META_CHARSET = regex.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", regex.I)
_HEADER_CHARSET = regex.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]{1,40})", regex.I)
UNKNOWN_CHARSET = "unknown charset ({label!r} declared in the {where}, and the bytes are not UTF-8)"
UNDECODABLE = "undecodable bytes (tried: {tried}; no encoding decodes them without loss)"


def declared_charset(data: bytes, content_type: str = "") -> tuple[str, str] | None:
    """(label, where) of the charset a page declares: its HTTP header first, then its `<meta>`."""
    header = _HEADER_CHARSET.search(content_type)
    if header:
        return header.group(1), "HTTP header"
    meta = _META_CHARSET.search(data[:CHARSET_SNIFF_BYTES])
    return (meta.group(1).decode("ascii"), "<meta>") if meta else None


def codec_for(label: str) -> str | None:
    """The Python codec a charset label means to a browser, or None when the label is unknown.

    >>> codec_for("ISO-8859-1"), codec_for("utf8"), codec_for("Shift_JIS"), codec_for("x-unknown-42")
    ('cp1252', 'utf-8', 'cp932', None)
    """
    try:
        name = codecs.lookup(label).name.replace("-", "_")
    except LookupError:
        return None
    return BROWSER_ALIASES.get(name, name.replace("_", "-"))


def _strictly(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_page(data: bytes, content_type: str = "", strict: bool = False) -> str:
    """A page's bytes as text (the order is in the module's docstring), or InputError saying why not."""
    if not data.strip():
        raise InputError(EMPTY)
    bom = bom_encoding(data)
    if bom and (text := _strictly(data, bom)) is not None:
        return text
    if looks_binary(data):
        raise InputError(BINARY)
    utf8 = _strictly(data, "utf-8")
    if utf8 is not None and not utf8.isascii():
        return utf8
    tried: list[str] = []
    declared = declared_charset(data, content_type)
    codec = codec_for(declared[0]) if declared else None
    if codec:
        tried.append(codec)
        if (text := _strictly(data, codec)) is not None:
            return text
    if utf8 is not None:
        return utf8
    if declared and codec is None:
        raise InputError(UNKNOWN_CHARSET.format(label=declared[0], where=declared[1]))
    return _detected(data, tried + ["utf-8"], strict)


def guesses(data: bytes) -> list[str]:
    """charset-normalizer's best guess for bytes that declare nothing usable (none: [])."""
    best = from_bytes(data).best()
    return [best.encoding] if best is not None else []


def _detected(data: bytes, tried: list[str], strict: bool) -> str:
    """The bytes in the encoding detection finds; with U+FFFD where none fits, unless `strict`."""
    for candidate in (*guesses(data), FALLBACK_ENCODING):
        if candidate in tried:
            continue
        if (text := _strictly(data, codec_for(candidate) or candidate)) is not None:
            return text
        tried.append(candidate)
    if strict:
        raise InputError(UNDECODABLE.format(tried=", ".join(dict.fromkeys(tried))))
    return data.decode("utf-8", errors="replace")
