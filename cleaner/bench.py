"""`make bench`: how fast the cleaner is, and what a long run costs in memory.

Sections (each can be skipped):

1. engine: `clean()` in one process on the text track, after a warm-up,
   with the share of time spent detecting languages;
2. pipeline: `cleaner clean` runs (the real readers, workers and writers)
   over the text track (`scraped_container`) and the HTML track (`html`),
   one process and `--jobs 2`: documents/s and MB/s, start-up included;
3. trafilatura on the same HTML documents in this process (pages/s);
4. memory: peak resident memory (main process plus workers, summed) of a
   `--jobs 2` run over the dev set repeated to `--memory-gb` (under /tmp);
5. scaling: seconds per single document of 1 KB to 10 MB of text.

Every document is distinct within a pipeline run (no corpus repetition
there), so no cache helps more than it would on a new corpus.
Usage: python -m cleaner.bench DEV.jsonl.gz [--json OUT.json] [--skip memory,scaling]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import language
from . import text as text_module
from .detectors import pattern, run
from .engine import Options, clean
from .evaluate import read_jsonl
from .rulefiles import default_rule_book
from .work import corpus_collector

SECTIONS = ("engine", "pipeline", "trafilatura", "memory", "scaling")
SCALING_SIZES = (1_000, 10_000, 100_000, 1_000_000, 10_000_000)
SCALING_BASE = 1_000_000  # characters of dev-set text every scaling document is cut from or repeats
SCALING_TRIES = 3  # best of this many runs below 10 MB (other load on the machine adds noise)
MEMORY_POLL_SECONDS = 0.2


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cleaner.bench", description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="JSONL (.gz) with a text field per document (the dev set)")
    parser.add_argument("--field", default="scraped_container", help="the text track's field")
    parser.add_argument("--html-field", default="html", help="the HTML track's field")
    parser.add_argument("--seconds", type=float, default=10.0, help="engine section: run at least this long")
    parser.add_argument("--html-docs", type=int, default=600, help="HTML documents for the pipeline and trafilatura")
    parser.add_argument("--memory-gb", type=float, default=1.0, help="size of the long JSONL for the memory run")
    parser.add_argument("--skip", default="", help=f"comma-separated sections to skip ({', '.join(SECTIONS)})")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--tmp", type=Path, default=Path(tempfile.gettempdir()), help="where inputs are generated")
    args = parser.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    figures: dict[str, Any] = {}
    records = list(read_jsonl(args.corpus))
    work = Path(tempfile.mkdtemp(prefix="cleaner-bench-", dir=args.tmp))
    try:
        if "engine" not in skip:
            figures["engine"] = engine(records, args.field, args.seconds)
        html = [r for r in records if isinstance(r.get(args.html_field), str)][: args.html_docs]
        if "pipeline" not in skip:
            figures["pipeline"] = {
                "text": pipeline(records, args.field, work, "text"),
                "html": pipeline(html, args.html_field, work, "html"),
            }
        if "trafilatura" not in skip:
            figures["trafilatura"] = trafilatura_rate(html, args.html_field)
            if "pipeline" in figures:
                ratio = figures["pipeline"]["html"]["1"]["docs_per_s"] / figures["trafilatura"]["docs_per_s"]
                figures["html_vs_trafilatura"] = round(ratio, 2)
                print(f"  HTML, one process: {ratio:.2f}x trafilatura's pages/s")
        if "memory" not in skip:
            figures["memory"] = memory(args.corpus, args.field, args.memory_gb, work)
        if "scaling" not in skip:
            figures["scaling"] = scaling(records, args.field)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


def engine(records: list[dict[str, Any]], field: str, seconds: float) -> dict[str, Any]:
    """`clean()` in this process, repeated for `seconds`, each pass paying as a new corpus would.

    The garbage collector runs as in a `cleaner clean` process (`work.corpus_collector`).

    Every memo keyed by a text (language guesses, verdicts of patterns on
    lines, folded lines, token counts) is emptied before each pass over the
    dev set: otherwise the second pass would find every line judged already.
    Within a pass, lines that recur across pages (residue does) are judged
    once, as in any real corpus.
    """
    docs = [(d[field], d.get("url")) for d in records if isinstance(d.get(field), str)]
    started = time.perf_counter()
    default_rule_book()
    language._langdetect("warm up langdetect's profiles")
    print(f"engine: start-up (rules and language profiles): {time.perf_counter() - started:.2f} s")
    detect_time = 0.0
    original_detect = language.detect_sample

    def timed_detect(*a, **k):  # type: ignore[no-untyped-def]
        nonlocal detect_time
        t = time.perf_counter()
        try:
            return original_detect(*a, **k)
        finally:
            detect_time += time.perf_counter() - t

    language.detect_sample = timed_detect  # type: ignore[assignment]
    count = size = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        with corpus_collector():  # the garbage collector as `cleaner clean` sets it
            while True:
                forget_texts()
                for page, url in docs:
                    clean(page, url=url)
                    count += 1
                    size += len(page.encode("utf-8"))
                elapsed = time.perf_counter() - started
                if elapsed >= seconds:
                    break
    finally:
        language.detect_sample = original_detect  # type: ignore[assignment]
    cpu = time.process_time() - cpu_started
    print(f"  {field}: {count} documents ({len(docs)} distinct), {size / 1e6:.1f} MB in {elapsed:.1f} s")
    print(f"  {count / elapsed:,.0f} documents/s, {size / 1e6 / elapsed:.2f} MB/s, one process (wall clock)")
    print(f"  {count / cpu:,.0f} documents per CPU second; language detection {detect_time / elapsed:.1%} of the time")
    return {"docs_per_s": round(count / elapsed, 1), "mb_per_s": round(size / 1e6 / elapsed, 3),
            "docs_per_cpu_s": round(count / cpu, 1), "detect_share": round(detect_time / elapsed, 3)}


def forget_texts() -> None:
    """Empty the memos keyed by a text, so that the next pass pays for every line again."""
    language._langdetect.cache_clear()
    language.sample_script_counts.cache_clear()
    pattern._VERDICTS.clear()
    run._FITS.clear()
    text_module.fold.cache_clear()
    text_module.token_count.cache_clear()


def _track_file(records: list[dict[str, Any]], field: str, path: Path) -> tuple[int, int]:
    """A JSONL of the track: id, url and the field as `text`; returns (documents, bytes of text)."""
    count = size = 0
    with open(path, "w", encoding="utf-8") as out:
        for r in records:
            if isinstance(r.get(field), str):
                out.write(json.dumps({"id": r.get("id"), "url": r.get("url"), "text": r[field]}, ensure_ascii=False))
                out.write("\n")
                count += 1
                size += len(r[field].encode("utf-8"))
    return count, size


def pipeline(records: list[dict[str, Any]], field: str, work: Path, track: str) -> dict[str, Any]:
    """`cleaner clean TRACK.jsonl -o OUT --jobs J` as a user runs it, J = 1 and 2."""
    source = work / f"{track}.jsonl"
    count, size = _track_file(records, field, source)
    fmt = ["--input-format", "jsonl", "--lang-field", ""]
    figures: dict[str, Any] = {"documents": count, "mb": round(size / 1e6, 1)}
    print(f"pipeline, {track} track ({field}): {count} documents, {size / 1e6:.1f} MB, start-up included")
    one = work / f"{track}-one.jsonl"
    _track_file(records[:1], field, one)
    for jobs in (1, 2):
        startup, _ = _run_clean(one, work / f"out-{track}-{jobs}", jobs, fmt, track)
        elapsed, cpu = _run_clean(source, work / f"out-{track}-{jobs}", jobs, fmt, track)
        net = max(elapsed - startup, 1e-9)
        figures[str(jobs)] = {"seconds": round(elapsed, 2), "docs_per_s": round(count / elapsed, 1),
                              "mb_per_s": round(size / 1e6 / elapsed, 2), "cpu_seconds": round(cpu, 2),
                              "startup_seconds": round(startup, 2), "net_docs_per_s": round(count / net, 1),
                              "load_before": round(os.getloadavg()[0], 2)}
        print(f"  --jobs {jobs}: {count / elapsed:,.0f} documents/s, {size / 1e6 / elapsed:.2f} MB/s ({elapsed:.1f} s; "
              f"{cpu:.1f} CPU s in all processes); net of the {startup:.1f} s start-up: {count / net:,.0f} "
              f"documents/s, {size / 1e6 / net:.2f} MB/s (load average: {os.getloadavg()[0]:.1f})")
    speedup = figures["1"]["seconds"] / figures["2"]["seconds"]
    net_speedup = figures["2"]["net_docs_per_s"] / figures["1"]["net_docs_per_s"]
    figures["speedup_2_jobs"], figures["net_speedup_2_jobs"] = round(speedup, 2), round(net_speedup, 2)
    print(f"  --jobs 2 is {speedup:.2f}x one process, {net_speedup:.2f}x net of start-up "
          f"(on {os.cpu_count()} cores; other load on the machine lowers it)")
    return figures


def _run_clean(source: Path, out: Path, jobs: int, fmt: list[str], track: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all processes) of one `cleaner clean` run."""
    argv = [sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(out), "-q", "-j", str(jobs), *fmt]
    if track == "html":
        argv += ["--text-field", "", "--html-field", "text"]
    cpu_before = _children_cpu()
    started = time.perf_counter()
    subprocess.run(argv, check=False, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    shutil.rmtree(out, ignore_errors=True)
    return elapsed, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def trafilatura_rate(records: list[dict[str, Any]], field: str) -> dict[str, Any]:
    """trafilatura.extract() on the same pages, in this process (the `bench` extra).

    Its garbage collector is set as ours is in a corpus run (`work.corpus_collector`): it
    gains from it as much as we do.
    """
    try:
        import trafilatura
    except ImportError as err:
        print(f"trafilatura: not installed ({err}); pip install -e '.[bench]'")
        return {}
    pages = [(r[field], r.get("url")) for r in records]
    trafilatura.extract(pages[0][0])  # warm-up
    with corpus_collector():
        started = time.perf_counter()
        for page, url in pages:
            trafilatura.extract(page, url=url)
        elapsed = time.perf_counter() - started
    size = sum(len(p.encode("utf-8")) for p, _ in pages)
    print(f"trafilatura {trafilatura.__version__}, same {len(pages)} pages, one process: "
          f"{len(pages) / elapsed:,.1f} pages/s, {size / 1e6 / elapsed:.2f} MB/s")
    return {"docs_per_s": round(len(pages) / elapsed, 1), "mb_per_s": round(size / 1e6 / elapsed, 2),
            "version": trafilatura.__version__}


def memory(corpus: str, field: str, gigabytes: float, work: Path) -> dict[str, Any]:
    """Peak memory of a `--jobs 2` run over the dev set repeated to `gigabytes` of JSONL."""
    source = work / "long.jsonl"
    raw = gzip.decompress(Path(corpus).read_bytes()) if corpus.endswith(".gz") else Path(corpus).read_bytes()
    repeats = max(1, int(gigabytes * 1e9 / len(raw)) + 1)
    with open(source, "wb") as out:
        for _ in range(repeats):
            out.write(raw)
    del raw
    size = source.stat().st_size
    out_dir = work / "out-long"
    argv = [sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(out_dir), "-q", "-j", "2",
            "--text-field", field, "--html-field", "", "--lang-field", ""]
    print(f"memory: {size / 1e9:.2f} GB of JSONL (the dev set {repeats} times), --jobs 2, all fields kept ...")
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = peak_pss = 0
    while process.poll() is None:
        rss, pss = _tree_memory(process.pid)
        peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        time.sleep(MEMORY_POLL_SECONDS)
    elapsed = time.perf_counter() - started
    documents = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))["documents"]
    shutil.rmtree(out_dir, ignore_errors=True)
    source.unlink()
    print(f"  peak memory, main + workers: {peak_pss / 2**20:,.0f} MiB proportional set size (shared pages "
          f"counted once), {peak / 2**20:,.0f} MiB resident summed; "
          f"{documents} documents in {elapsed:.0f} s ({size / 1e6 / elapsed:.1f} MB/s of JSONL)")
    return {"input_gb": round(size / 1e9, 2), "documents": documents, "peak_pss_mib": round(peak_pss / 2**20),
            "peak_rss_sum_mib": round(peak / 2**20), "seconds": round(elapsed, 1)}


def _tree_memory(pid: int) -> tuple[int, int]:
    """Resident and proportional bytes of a process and all its descendants (Linux /proc).

    Forked workers share the rule book's pages with the main process: the
    resident sizes count them once per process, the proportional set size
    (Pss) shares them out, so its sum is what the run really takes.
    """
    rss = pss = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text().splitlines()
            rss += _kib(rollup, "Rss:")
            pss += _kib(rollup, "Pss:")
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return rss, pss


def _kib(lines: list[str], key: str) -> int:
    return next(int(line.split()[1]) * 1024 for line in lines if line.startswith(key))


def scaling(records: list[dict[str, Any]], field: str) -> dict[str, Any]:
    """Seconds for one document of each size, made of consecutive dev-set texts."""
    texts = [r[field] for r in records if isinstance(r.get(field), str)]
    print("scaling: one text document of each size (the same 1 MB of dev-set text, cut or repeated), one process")
    clean(texts[0])  # warm-up: rules and language profiles loaded
    parts, size = [], 0
    for text in texts:  # every size is made of the same mix of documents
        parts.append(text)
        size += len(text)
        if size >= SCALING_BASE:
            break
    base = "\n\n".join(parts)
    figures: dict[str, Any] = {}
    for target in SCALING_SIZES:
        document = (base * (target // len(base) + 1))[:target]
        elapsed = min(_timed_clean(document) for _ in range(SCALING_TRIES if target < 10**7 else 1))
        figures[str(target)] = {"seconds": round(elapsed, 4), "seconds_per_mb": round(elapsed / (target / 1e6), 3)}
        print(f"  {target / 1e3:>8,.0f} KB: {elapsed:8.3f} s ({elapsed / (target / 1e6):.2f} s per MB)")
    big, mid = figures[str(SCALING_SIZES[-1])], figures[str(SCALING_SIZES[-2])]
    ratio = big["seconds_per_mb"] / mid["seconds_per_mb"]
    figures["per_mb_ratio_10mb_vs_1mb"] = round(ratio, 2)
    print(f"  time per MB at 10 MB is {ratio:.2f}x that at 1 MB (1.0 = linear)")
    return figures


def _timed_clean(document: str) -> float:
    """Seconds to clean one document, every memo keyed by a text emptied first (each try starts cold)."""
    forget_texts()
    started = time.perf_counter()
    clean(document, options=Options(format="text"))
    return time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
