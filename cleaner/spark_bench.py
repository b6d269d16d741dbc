"""`make bench-spark`: Spark local mode next to `cleaner clean` on the same JSONL, and the outputs compared.

The text track (`scraped_container` of the dev set) is repeated to
`--docs` documents (each repeat with its own id) in one uncompressed JSONL,
so that Spark can split it. Then, each timed from start to finish:

1. `cleaner clean --jobs 1` and `--jobs 2` (subprocesses, as a user runs them);
2. `cleaner spark` with `--master local[2]` (a subprocess too: the JVM's
   start-up included), and Spark's start-up alone (an empty job), to give
   the figure net of it.

Last, the Spark run's part files, put together in order, are compared byte
for byte with the single-process run's `<input>.jsonl`, `removals.jsonl`
and `summary.json`. Figures go to `--json` (`out/bench-spark.json`).
Usage: python -m cleaner.spark_bench DEV.jsonl.gz [--docs 10000] [--master local[2]]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .evaluate import read_jsonl
from .spark_submit import RECORDS_DIR, REMOVALS_DIR
from .writers import LOG_NAME, SUMMARY_NAME

DOCS = 10_000
PARTITIONS = 8  # several tasks per core: one slow document does not hold up a whole half of the input
FIELDS = ["--lang-field", ""]  # as `make bench`: the language is always detected
EMPTY_JOB = "from pyspark.sql import SparkSession as S; s = S.builder.master({!r}).getOrCreate(); " \
            "s.sparkContext.parallelize([1], 1).count(); s.stop()"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cleaner.spark_bench", description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="JSONL (.gz) with a text field per document (the dev set)")
    parser.add_argument("--field", default="scraped_container", help="the text track's field")
    parser.add_argument("--docs", type=int, default=DOCS, help=f"documents in the run (default {DOCS})")
    parser.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    parser.add_argument("--partitions", type=int, default=PARTITIONS, help=f"Spark partitions (default {PARTITIONS})")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--tmp", type=Path, default=Path(tempfile.gettempdir()), help="where inputs are generated")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="cleaner-spark-bench-", dir=args.tmp))
    try:
        figures = bench(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0 if figures["identical"] else 1


def bench(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Every run timed, and the comparison of their outputs."""
    source = work / "text.jsonl"
    count, size = repeated_track(list(read_jsonl(args.corpus)), args.field, args.docs, source)
    print(f"{count} documents, {size / 1e6:.1f} MB (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    figures: dict[str, Any] = {"documents": count, "mb": round(size / 1e6, 1), "master": args.master}
    for jobs in (1, 2):
        argv = ["clean", str(source), "-o", str(work / f"single-{jobs}"), "-q", "-j", str(jobs), *FIELDS]
        figures[f"jobs_{jobs}"] = timed(f"cleaner clean --jobs {jobs}", argv, count)
    startup = _run([sys.executable, "-c", EMPTY_JOB.format(args.master)])
    argv = ["spark", str(source), str(work / "spark"), "-q", "--master", args.master,
            "--partitions", str(args.partitions), *FIELDS]
    figures["spark"] = timed(f"cleaner spark --master {args.master}", argv, count, startup)
    figures["identical"] = identical(work / "single-1", work / "spark", source.name)
    figures["load_after"] = round(os.getloadavg()[0], 2)
    print(f"outputs identical (records, removal log, summary): {figures['identical']}")
    return figures


def repeated_track(records: list[dict[str, Any]], field: str, docs: int, path: Path) -> tuple[int, int]:
    """The field's texts as `text`, repeated to `docs` documents with distinct ids; (documents, bytes)."""
    texts = [r for r in records if isinstance(r.get(field), str)]
    if not texts:
        raise SystemExit(f"no documents with a {field!r} field")
    size = 0
    with open(path, "w", encoding="utf-8") as out:
        for n in range(docs):
            record = texts[n % len(texts)]
            line = json.dumps({"id": f"{record.get('id')}#{n // len(texts)}", "url": record.get("url"),
                               "text": record[field]}, ensure_ascii=False)
            out.write(line + "\n")
            size += len(record[field].encode("utf-8"))
    return docs, size


def timed(label: str, argv: list[str], count: int, startup: float = 0.0) -> dict[str, Any]:
    """One `python -m cleaner ...` run: seconds and documents/s, and net of `startup` when given."""
    load = os.getloadavg()[0]
    seconds = _run([sys.executable, "-m", "cleaner", *argv])
    figures = {"seconds": round(seconds, 2), "docs_per_s": round(count / seconds, 1), "load_before": round(load, 2)}
    line = f"{label}: {count / seconds:,.0f} documents/s ({seconds:.1f} s, load average before {load:.1f})"
    if startup:
        net = max(seconds - startup, 1e-9)
        figures.update(startup_seconds=round(startup, 2), net_docs_per_s=round(count / net, 1))
        line += f"; net of Spark's {startup:.1f} s start-up: {count / net:,.0f} documents/s"
    print(line, flush=True)
    return figures


def _run(argv: list[str]) -> float:
    env = {**os.environ, "PYSPARK_PYTHON": os.environ.get("PYSPARK_PYTHON", sys.executable)}
    started = time.perf_counter()
    subprocess.run(argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def identical(single: Path, spark: Path, name: str) -> bool:
    """Whether the Spark run's outputs are, byte for byte, the single-process run's."""
    pairs = [(single / name, spark / RECORDS_DIR), (single / LOG_NAME, spark / REMOVALS_DIR),
             (single / SUMMARY_NAME, spark / SUMMARY_NAME)]
    if not all(a.exists() and b.exists() for a, b in pairs):
        return False
    return all(a.read_bytes() == (b.read_bytes() if b.is_file() else _parts(b)) for a, b in pairs)


def _parts(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.glob("part-*")))


if __name__ == "__main__":
    sys.exit(main())
