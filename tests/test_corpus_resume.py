"""A run killed with SIGKILL and started again finishes the job: every document exactly once.

The real thing: a real `python -m cleaner clean` process with two workers,
killed mid-run (twice), restarted with the same arguments; its outputs must
be byte for byte those of a run that was never interrupted.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.writers import JOURNAL, STATE_DIR, Journal

DOCS = 600  # JSONL records; with the tree, enough for a run of a few seconds
TREE_FILES = 80
COMMIT_EVERY = 20


def _corpus(repo_root: Path, tmp_path: Path) -> tuple[Path, Path]:
    seeds = sorted((repo_root / "seeds").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds if not p.name.endswith(".expected.txt")]
    jsonl = tmp_path / "corpus.jsonl"
    with open(jsonl, "w", encoding="utf-8") as out:
        for i in range(DOCS):
            text = f"{texts[i % len(texts)]}\nDocument {i} ends here with its own closing sentence.\n"
            out.write(json.dumps({"id": f"d{i}", "text": text, "n": i}, ensure_ascii=False) + "\n")
    tree = tmp_path / "tree"
    for i in range(TREE_FILES):
        path = tree / f"part{i % 7}" / f"doc{i}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(texts[i % len(texts)] + f"\nFile {i}.\n", encoding="utf-8")
    return tree, jsonl


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _committed_chunks(out: Path) -> int:
    try:
        return (out / STATE_DIR / JOURNAL).read_bytes().count(b"\n") - 1
    except FileNotFoundError:
        return 0


def _kill_after(argv: list[str], out: Path, chunks: int) -> int:
    """Start the run, SIGKILL it (and its workers) once `chunks` more chunks are committed."""
    before = _committed_chunks(out)
    process = subprocess.Popen(argv, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _committed_chunks(out) < before + chunks and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    return process.wait()


def test_a_killed_run_resumes_and_writes_every_document_exactly_once(repo_root: Path, tmp_path: Path) -> None:
    tree, jsonl = _corpus(repo_root, tmp_path)
    reference = tmp_path / "reference"
    assert main(["clean", str(tree), str(jsonl), "-o", str(reference), "-q", "-j", "1"]) == 0

    out = tmp_path / "out"
    argv = [sys.executable, "-m", "cleaner", "clean", str(tree), str(jsonl), "-o", str(out), "-q", "-j", "2",
            "--commit-every", str(COMMIT_EVERY)]
    assert _kill_after(argv, out, 3) == -signal.SIGKILL, "the run ended before it could be killed"
    first = _committed_chunks(out)
    assert _kill_after(argv, out, 4) == -signal.SIGKILL, "the resumed run ended before it could be killed"
    assert _committed_chunks(out) > first  # the second run resumed: it went on from the journal
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr

    got, want = _files(out), _files(reference)
    assert sorted(got) == sorted(want)  # no stray temporary file, no state left behind
    for name in want:
        assert got[name] == want[name], name
    records = [json.loads(line) for line in got["corpus.jsonl"].decode("utf-8").splitlines()]
    assert [r["id"] for r in records] == [f"d{i}" for i in range(DOCS)]
    log = [json.loads(line) for line in got["removals.jsonl"].decode("utf-8").splitlines()]
    keys = [(r["doc"], r["start"], r["end"]) for r in log]
    assert len(keys) == len(set(keys))
    assert json.loads(got["summary.json"])["documents"] == DOCS + TREE_FILES


def test_a_torn_journal_line_is_not_a_commit(tmp_path: Path) -> None:
    journal = Journal(tmp_path, {"run": 1})
    journal.commit([], {"documents": 5}, 5)
    with open(tmp_path / STATE_DIR / JOURNAL, "a", encoding="utf-8") as f:
        f.write('{"chunk": 1, "documents": 1')  # killed mid-append
    again = Journal(tmp_path, {"run": 1})
    assert (len(again.chunks), again.done_documents, again.summary_state) == (1, 5, {"documents": 5})
    other = Journal(tmp_path, {"run": 2})  # other arguments: a new run
    assert (len(other.chunks), other.done_documents) == (0, 0)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_finished_run_started_again_gives_the_same_outputs(tmp_path: Path, jobs: str) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": i, "text": f"Line {i} of text.\nShare\n"}) + "\n" for i in range(30)))
    out = tmp_path / "out"
    argv = ["clean", str(source), "-o", str(out), "-q", "-j", jobs, "--commit-every", "4"]
    assert main(argv) == 0
    first = _files(out)
    assert main(argv) == 0
    assert _files(out) == first
