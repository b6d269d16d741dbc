"""`make bench`: how fast the cleaner is, in documents and megabytes per second.

Runs `clean()` in one process over the text track of a gold JSONL (the dev
set by default), after a warm-up that loads the rules and langdetect's
profiles, and reports throughput and the share of time spent detecting
languages. Usage: python -m cleaner.bench DEV.jsonl.gz [--field F] [--seconds S]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from . import language
from .engine import clean
from .evaluate import read_jsonl
from .rulefiles import default_rule_book


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cleaner.bench", description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="JSONL (.gz) with a text field per document")
    parser.add_argument("--field", default="scraped_container")
    parser.add_argument("--seconds", type=float, default=10.0, help="run at least this long (repeating the corpus)")
    args = parser.parse_args(argv)

    docs = [(d[args.field], d.get("url")) for d in read_jsonl(args.corpus) if isinstance(d.get(args.field), str)]
    started = time.perf_counter()
    default_rule_book()
    language._langdetect("warm up langdetect's profiles")
    print(f"start-up (rules and language profiles): {time.perf_counter() - started:.2f} s")

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
    count = chars = 0
    started = time.perf_counter()
    cpu_started = time.process_time()
    try:
        while True:
            language._langdetect.cache_clear()  # every pass pays for detection, as a new corpus would
            for text, url in docs:
                clean(text, url=url)
                count += 1
                chars += len(text.encode("utf-8"))
            elapsed = time.perf_counter() - started
            if elapsed >= args.seconds:
                break
    finally:
        language.detect_sample = original_detect  # type: ignore[assignment]
    print(f"{args.field}: {count} documents ({len(docs)} distinct), {chars / 1e6:.1f} MB in {elapsed:.1f} s")
    cpu = time.process_time() - cpu_started
    print(f"  {count / elapsed:,.0f} documents/s, {chars / 1e6 / elapsed:.2f} MB/s, one process (wall clock)")
    print(f"  {count / cpu:,.0f} documents per CPU second (what one core gives when nothing else runs)")
    print(f"  language detection: {detect_time / elapsed:.1%} of the time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
