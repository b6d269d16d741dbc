"""Reading inputs and writing outputs safely: the edges of the pure core.

Inputs are only read, never modified. Every output file is written to a
temporary file in the same directory and renamed into place, so a killed run
never leaves a half-written file behind.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import tempfile
from pathlib import Path

BINARY_SNIFF_BYTES = 8192  # how much of a file is looked at to call it binary
BINARY_CONTROL_SHARE = 0.1  # more control characters than this share: not text
MAX_INPUT_BYTES = 64 * 1024 * 1024  # a single text document larger than this is refused
BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)

NOT_FOUND = "no such file or directory"
EMPTY = "empty file"
BINARY = "binary file (not text)"
TOO_LARGE = f"file larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB"


class InputError(Exception):
    """A document that cannot be read as text; the message says why."""


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark names, or None (a UTF-8 mark stays in the text, as U+FEFF)."""
    return next((name for mark, name in BOMS if data.startswith(mark)), None)


def looks_binary(data: bytes) -> bool:
    """Whether bytes (without a byte-order mark) are binary: NUL bytes or many control characters."""
    head = data[:BINARY_SNIFF_BYTES]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return b"\x00" in head or controls > BINARY_CONTROL_SHARE * len(head)


def decode(data: bytes) -> str:
    """Bytes of a text file as a string, or InputError saying why not.

    A text file is UTF-8, or UTF-16 or UTF-32 with a byte-order mark: plain
    text declares nothing, and guessing its encoding would be a guess.

    >>> decode(b"caf\\xc3\\xa9"), decode("café".encode("utf-16"))
    ('café', 'café')
    """
    if not data.strip():
        raise InputError(EMPTY)
    bom = bom_encoding(data)
    if bom is not None and bom != "utf-8":
        try:
            return data.decode(bom)
        except UnicodeDecodeError as err:
            raise InputError(f"not valid {bom.upper()} after its byte-order mark (offset {err.start})") from None
    if looks_binary(data):
        raise InputError(BINARY)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"not valid UTF-8 (byte {data[err.start]:#04x} at offset {err.start})") from None


def read_text(path: Path) -> str:
    """A text file's content, or InputError saying why it cannot be had."""
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(TOO_LARGE)
        return decode(path.read_bytes())
    except FileNotFoundError:
        raise InputError(NOT_FOUND) from None
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}") from None


def write_atomic(path: Path, text: str, sync: bool = False) -> None:
    """Write a file whole or not at all (temporary file, then rename).

    `sync` also flushes it to disk before the rename (for files a journal
    will vouch for).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            if sync:
                out.flush()
                os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def safe_join(root: Path, relative: Path) -> Path:
    """`root / relative`, refusing any path that would escape `root`."""
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise InputError(f"output path {relative} would leave the output directory")
    return target


MAX_NAME_CHARS = 120  # a file name part built from an id or URL is cut here (file systems allow 255 bytes)
_UNSAFE = re.compile(r"[^\w.-]+")


def safe_filename(name: str) -> str:
    """A file name made from an id or URL: one path component, never `.`/`..` or hidden.

    Anything but letters, digits, `.`, `-` and `_` becomes `_`; a long name
    is cut; a name that had to change gets a short hash of the original, so
    different ids never meet in one file.

    >>> safe_filename("a-1.b"), safe_filename("../../etc/passwd"), safe_filename("https://ex.com/a?b=1")
    ('a-1.b', 'etc_passwd-936d7c04cd', 'https_ex.com_a_b_1-8128223e70')
    """
    cleaned = _UNSAFE.sub("_", name).strip("._")[:MAX_NAME_CHARS] or "doc"
    if cleaned != name:
        digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        cleaned = f"{cleaned[:MAX_NAME_CHARS]}-{digest}"
    return cleaned
