"""Writers: outputs committed chunk by chunk, so a killed run resumes exactly.

While a run goes, `OUT/.cleaner-run/` holds its state:

- `journal.jsonl`: a header line naming the run (its inputs and settings),
  then one short line per committed chunk: the number of input documents
  done so far. A line is appended (and fsynced) only after every file of
  its chunk is in place; a torn last line is ignored.
- `parts/`: each chunk's removal log and, for record inputs, its output
  JSONL lines, each written atomically (temporary file, then rename), and
  the run's summary so far as of the last chunk (older ones are removed),
  so that neither memory nor the journal grows with the number of chunks.

Clean texts of files go straight to their mirrored place (atomically too).
A restart with the same arguments reads the journal, skips the documents
already committed and rewrites nothing twice: a chunk that was being
written when the run died is simply written again, over the same names.
At the end the parts are concatenated, in order, into `removals.jsonl` and
one `<input>.jsonl` per record input (temporary file, then rename), the
summary is written, and the state directory goes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .io import safe_join, write_atomic
from .readers import Input
from .work import Outcome

STATE_DIR = ".cleaner-run"
JOURNAL = "journal.jsonl"
LOG_NAME = "removals.jsonl"
SUMMARY_NAME = "summary.json"
RESERVED = frozenset({LOG_NAME, SUMMARY_NAME, STATE_DIR})
COPY_BUFFER = 1024 * 1024
_TEMPORARY = re.compile(r"\..+\.(?:[a-z0-9_]{8}\.)?tmp")  # write_atomic's and _concatenate's temporaries


class Journal:
    """The state of a run in `out_dir`: what is committed, and the parts written so far."""

    def __init__(self, out_dir: Path, run_key: dict[str, Any]) -> None:
        self.out_dir = out_dir
        self.state = out_dir / STATE_DIR
        self.parts = self.state / "parts"
        self.done_documents = 0
        self.chunks: list[dict[str, Any]] = []  # the committed chunks' journal entries
        self.summary_state: dict[str, Any] | None = None  # the summary as of the last committed chunk
        entries = self._read(run_key)
        if entries is None:
            self._start(run_key)
        else:
            self.chunks = entries
            self.done_documents = entries[-1]["documents"] if entries else 0
            if entries:
                self.summary_state = json.loads(self._summary_path(entries[-1]["chunk"]).read_bytes())
            _remove_temporaries(out_dir)

    @property
    def resumed(self) -> bool:
        return bool(self.chunks)

    def _read(self, run_key: dict[str, Any]) -> list[dict[str, Any]] | None:
        """The committed entries of the same run, or None to start afresh."""
        try:
            lines = (self.state / JOURNAL).read_bytes().split(b"\n")
        except FileNotFoundError:
            return None
        try:
            header = json.loads(lines[0])
        except ValueError:
            return None
        if header.get("run") != run_key:
            return None
        entries = []
        for line in lines[1:]:
            try:
                entries.append(json.loads(line))
            except ValueError:
                break  # a torn last line: that chunk was not committed
        return entries

    def _start(self, run_key: dict[str, Any]) -> None:
        if self.state.exists():
            shutil.rmtree(self.state)
        self.parts.mkdir(parents=True)
        write_atomic(self.state / JOURNAL, json.dumps({"run": run_key}, ensure_ascii=False) + "\n")

    def _summary_path(self, chunk: int) -> Path:
        return self.parts / f"{chunk:07d}.summary.json"

    def commit(self, outcomes: list[Outcome], summary_state: dict[str, Any], documents: int) -> None:
        """Write one chunk's outputs and the summary so far, then record the chunk in the journal."""
        number = len(self.chunks)
        streams: dict[int, list[str]] = {}
        for outcome in outcomes:
            if isinstance(outcome.target, Path):
                if outcome.output:
                    write_atomic(safe_join(self.out_dir, outcome.target), outcome.output)
            elif outcome.output:
                streams.setdefault(outcome.target, []).append(outcome.output)
        for stream, lines in streams.items():
            write_atomic(self.parts / f"{number:07d}.{stream}.jsonl", "".join(lines), sync=True)
        write_atomic(self.parts / f"{number:07d}.log.jsonl", "".join(o.log for o in outcomes), sync=True)
        write_atomic(self._summary_path(number), json.dumps(summary_state, ensure_ascii=False), sync=True)
        entry = {"chunk": number, "documents": documents, "streams": sorted(streams)}
        with open(self.state / JOURNAL, "a", encoding="utf-8") as journal:
            journal.write(json.dumps(entry, ensure_ascii=False) + "\n")
            journal.flush()
            os.fsync(journal.fileno())
        self.chunks.append(entry)
        self.done_documents = documents
        self.summary_state = summary_state
        if number:
            self._summary_path(number - 1).unlink(missing_ok=True)

    def finish(self, outputs: dict[int, Path], summary_text: str) -> None:
        """Concatenate the parts into the final files, write the summary, drop the state."""
        logs = [self.parts / f"{c['chunk']:07d}.log.jsonl" for c in self.chunks]
        _concatenate(logs, self.out_dir / LOG_NAME)
        for stream, path in outputs.items():
            parts = [self.parts / f"{c['chunk']:07d}.{stream}.jsonl" for c in self.chunks if stream in c["streams"]]
            _concatenate(parts, path)
        write_atomic(self.out_dir / SUMMARY_NAME, summary_text)
        trash = self.out_dir / f"{STATE_DIR}.done"
        if trash.exists():
            shutil.rmtree(trash)
        os.replace(self.state, trash)
        shutil.rmtree(trash)


def _remove_temporaries(out_dir: Path) -> None:
    """Temporary files a killed run left half-written (`write_atomic`'s `.NAME.RANDOM.tmp`)."""
    for path in out_dir.rglob(".*.tmp"):
        if path.is_file() and _TEMPORARY.fullmatch(path.name):
            path.unlink(missing_ok=True)


def _concatenate(parts: Iterable[Path], target: Path) -> None:
    """The parts, in order, into `target`, atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        with open(temporary, "wb") as out:
            for part in parts:
                with open(part, "rb") as piece:
                    shutil.copyfileobj(piece, out, COPY_BUFFER)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def record_outputs(inputs: list[Input], out_dir: Path) -> dict[int, Path]:
    """The output JSONL of each record input: its name without suffixes, made unique.

    >>> [p.name for p in record_outputs([Input("a/x.jsonl.gz", "jsonl", 0), Input("b/x.warc", "warc", 1),
    ...     Input("-", "jsonl", 2), Input("removals.jsonl", "jsonl", 3)], Path("out")).values()]
    ['x.jsonl', 'x-2.jsonl', 'stdin.jsonl', 'removals-2.jsonl']
    """
    taken = set(RESERVED)
    outputs = {}
    for source in inputs:
        if source.kind not in ("jsonl", "warc"):
            continue
        stem = "stdin" if source.given == "-" else _stem(Path(source.given).name)
        name, n = f"{stem}.jsonl", 1
        while name in taken:
            n += 1
            name = f"{stem}-{n}.jsonl"
        taken.add(name)
        outputs[source.number] = out_dir / name
    return outputs


def _stem(name: str) -> str:
    for suffix in (".gz", ".jsonl", ".warc"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name.lstrip(".") or "input"
