"""A worker process that dies takes only its own document down: the run goes on.

The crash is real: the document makes its worker process kill itself with
SIGKILL (forked workers inherit the patched `clean`), as the kernel's
out-of-memory killer or a crash in a C library would.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
from pathlib import Path

import pytest

import cleaner.work
from cleaner.cli import main
from cleaner.parallel import WORKER_DIED

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs forked workers to inherit the fault"
)
BODY = "Le Parlement irakien a réclamé dimanche l'expulsion des troupes américaines du pays.\n"
FATAL = "this document kills its worker"


@pytest.fixture
def fatal_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    real = cleaner.work.clean

    def clean(text: str, **kwargs: object) -> object:
        if FATAL in text:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(text, **kwargs)

    monkeypatch.setattr(cleaner.work, "clean", clean)


def _corpus(path: Path, fatal_at: int, count: int = 60) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            text = f"{BODY}S'abonner\n{FATAL}\n" if i == fatal_at else f"{BODY}S'abonner\nDocument {i}.\n"
            out.write(json.dumps({"id": f"d{i}", "text": text, "keep": i}) + "\n")


@pytest.mark.usefixtures("fatal_clean")
def test_a_dead_worker_fails_one_document_and_the_run_goes_on(tmp_path: Path) -> None:
    _corpus(tmp_path / "in.jsonl", fatal_at=21)
    out = tmp_path / "out"
    code = main(["clean", str(tmp_path / "in.jsonl"), "-o", str(out), "-q", "--jobs", "2"])
    records = [json.loads(line) for line in (out / "in.jsonl").read_text(encoding="utf-8").splitlines()]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert code == 1
    assert [r["id"] for r in records] == [f"d{i}" for i in range(60)]  # every document, in order
    assert records[21]["clean_text"] is None and records[21]["clean_error"] == WORKER_DIED
    assert records[21]["keep"] == 21  # the input's fields are kept for the failed document too
    assert all(r["clean_text"] == f"{BODY.strip()}\n\nDocument {i}.\n" for i, r in enumerate(records) if i != 21)
    assert summary["errors"] == {"d21": WORKER_DIED}


@pytest.mark.usefixtures("fatal_clean")
def test_a_dead_worker_in_a_directory_run_fails_its_file_only(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(24):
        (inputs / f"{i:02}.txt").write_text(f"{BODY}{FATAL if i == 7 else f'Texte {i}.'}\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["clean", str(inputs), "-o", str(out), "-q", "--jobs", "2"])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert code == 1
    assert [(Path(k).name, v) for k, v in summary["errors"].items()] == [("07.txt", WORKER_DIED)]
    assert not (out / "07.txt").exists()
    assert (out / "23.txt").read_text(encoding="utf-8") == f"{BODY.strip()}\n\nTexte 23.\n"
