"""Nothing lost on real pages: the log restores the original of every sampled dev-set document.

Both tracks of the shared dev set (../shared/corpus/dev.jsonl.gz): the text
track (`scraped_container`, whose original is the input itself) and the raw
pages (`html`, whose original is the page's plain-text rendering). Cleaning
all 2,177 documents of both takes about three minutes, so every
SAMPLE_EVERY-th record is taken (every source and language is in the
sample); skipped when the dev set is absent.
"""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest

from cleaner import clean, restore
from cleaner.engine import Options
from cleaner.html import from_html

DEV_SET = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dev.jsonl.gz"
SAMPLE_EVERY = 5  # one record in five: about 30 s for both tracks


@pytest.fixture(scope="module")
def records() -> list[dict[str, object]]:
    if not DEV_SET.is_file():
        pytest.skip(f"no shared dev set at {DEV_SET} (it sits beside the repository, in shared/corpus/)")
    with gzip.open(DEV_SET, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in itertools.islice(lines, 0, None, SAMPLE_EVERY)]


def test_the_sample_covers_every_language_of_the_dev_set(records: list[dict[str, object]]) -> None:
    assert len(records) > 400
    assert len({r["lang"] for r in records}) >= 10


@pytest.mark.parametrize(("field", "format"), [("scraped_container", "text"), ("html", "html")])
def test_restore_is_lossless_on_the_dev_set(records: list[dict[str, object]], field: str, format: str) -> None:
    lost, over_budget, checked = [], [], 0
    for record in records:
        text = record.get(field)
        if not isinstance(text, str) or not text:
            continue
        checked += 1
        result = clean(text, options=Options(format=format))
        expected = text if format == "text" else from_html(text).text
        if result.original != expected or restore(result.text, result.removals) != expected:
            lost.append(record["id"])
        if result.stats.over_budget:
            over_budget.append(record["id"])
    assert checked > 300
    assert lost == []
    assert over_budget == []
