"""How `cleaner report` scales: a big run made by repeating a real one, then the report built and opened.

    .venv/bin/python -m cleaner clean ../shared/corpus/dev.jsonl.gz -o /tmp/dev-run \\
        --text-field scraped_container --html-field ''
    .venv/bin/python tests/report_bench.py /tmp/dev-run /tmp/big-run --documents 100000

The big run repeats the real run's documents under new ids (`ID~N`): its
output JSONL keeps only the id and the clean text, its removal log is the
real log with the ids renamed, and its summary's counts are multiplied, so
every document can be rebuilt exactly as in the real run. Then it times
`cleaner report` (a separate process, as a user runs it) and opening the
page in headless Chromium (tests/report_browser.py). Nothing here is a test:
it writes hundreds of MB, so run it by hand.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from report_browser import open_page  # noqa: E402


def _scaled(value: Any, times: int) -> Any:
    """Every count of a summary multiplied (the listed failures kept as they are)."""
    if isinstance(value, bool) or not isinstance(value, (int, dict)):
        return value
    if isinstance(value, int):
        return value * times
    return {k: (v if k == "errors" else _scaled(v, times)) for k, v in value.items()}


def repeat_run(source: Path, target: Path, documents: int, id_field: str, text_field: str) -> int:
    """Write a run of about `documents` documents into `target`; returns how many copies it made."""
    outputs = [p for p in sorted(source.glob("*.jsonl")) if p.name != "removals.jsonl"]
    lines = [json.loads(line) for p in outputs for line in p.read_bytes().split(b"\n") if line.strip()]
    records = [{id_field: str(r.get(id_field)), text_field: r.get(text_field)} for r in lines]
    copies = max(-(-documents // max(len(records), 1)), 1)  # at least `documents`
    log = (source / "removals.jsonl").read_bytes().split(b"\n")
    target.mkdir(parents=True, exist_ok=True)
    with open(target / "records.jsonl", "w", encoding="utf-8") as out:
        for n in range(copies):
            out.writelines(json.dumps({**r, id_field: f"{r[id_field]}~{n}"}, ensure_ascii=False) + "\n"
                           for r in records)
    with open(target / "removals.jsonl", "w", encoding="utf-8") as out:
        for n in range(copies):
            for line in log:
                if line.strip():
                    record = json.loads(line)
                    record["doc"] = f"{record['doc']}~{n}"
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
    summary = json.loads((source / "summary.json").read_bytes())
    (target / "summary.json").write_text(json.dumps(_scaled(summary, copies), indent=1), encoding="utf-8")
    return copies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time cleaner report on a big run made from a real one")
    parser.add_argument("source", type=Path, help="a real run's output directory (with one output JSONL)")
    parser.add_argument("target", type=Path, help="where the big run is written")
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--opens", type=int, default=3, help="times the page is opened in Chromium")
    args = parser.parse_args(argv)
    if not (args.target / "removals.jsonl").exists():
        copies = repeat_run(args.source, args.target, args.documents, "id", "clean_text")
        print(f"made {args.target}: {copies} copies of {args.source}")
    log_mb = (args.target / "removals.jsonl").stat().st_size / 1e6
    records_mb = (args.target / "records.jsonl").stat().st_size / 1e6
    print(f"removals.jsonl {log_mb:.0f} MB, records.jsonl {records_mb:.0f} MB")
    page = args.target / "report.html"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cleaner", "report", str(args.target), "-o", str(page)], check=True)
    print(f"cleaner report: {time.perf_counter() - started:.1f} s, page {page.stat().st_size / 1e6:.2f} MB")
    with tempfile.TemporaryDirectory() as profile:
        for _ in range(args.opens):
            run = open_page(page, Path(profile))
            print(f"opened: ready {run.timing('ready')} ms, load {run.timing('load')} ms after navigation start, "
                  f"chromium process {run.seconds:.1f} s, console lines {len(run.console)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
