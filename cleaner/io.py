"""Reading inputs and writing outputs safely: the edges of the pure core.

Inputs are only read, never modified. Every output file is written to a
temporary file in the same directory and renamed into place, so a killed run
never leaves a half-written file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BINARY_SNIFF_BYTES = 8192  # how much of a file is looked at to call it binary
BINARY_CONTROL_SHARE = 0.1  # more control characters than this share: not text
MAX_INPUT_BYTES = 64 * 1024 * 1024  # a single text document larger than this is refused
TEXT_SUFFIXES = (".txt",)

NOT_FOUND = "no such file or directory"
EMPTY = "empty file"
BINARY = "binary file (not text)"
TOO_LARGE = f"file larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB"


class InputError(Exception):
    """A document that cannot be read as text; the message says why."""


@dataclass(frozen=True, slots=True)
class Source:
    """One input document: where it is read from and its id in the outputs.

    `relative` is its path below the input directory (or its file name), used
    to mirror the tree in the output directory.
    """

    path: Path
    doc_id: str
    relative: Path


def decode(data: bytes) -> str:
    """Bytes of a text file as a string, or InputError saying why not.

    >>> decode(b"caf\\xc3\\xa9")
    'café'
    """
    if not data.strip():
        raise InputError(EMPTY)
    head = data[:BINARY_SNIFF_BYTES]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in head or controls > BINARY_CONTROL_SHARE * len(head):
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


def iter_sources(inputs: list[str]) -> Iterator[Source]:
    """Every document named by the inputs: files as given, `.txt` files below directories."""
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES):
                relative = found.relative_to(path)
                yield Source(found, (Path(given) / relative).as_posix(), relative)
        else:
            yield Source(path, Path(given).as_posix(), Path(path.name))


def write_atomic(path: Path, text: str) -> None:
    """Write a file whole or not at all (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
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
