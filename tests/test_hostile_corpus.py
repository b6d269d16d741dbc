"""Nothing lost on real pages: the log restores the original of every dev-set document.

Both tracks of the shared dev set (../shared/corpus/dev.jsonl.gz): the text
track (`scraped_container`, whose original is the input itself) and the raw
pages (`html`, whose original is the page's plain-text rendering). Every
document is cleaned once and restored (about a minute for both tracks); the
rendering is re-derived independently on every SAMPLE_EVERY-th page only,
since that parses each page a second time. Skipped when the dev set is absent.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from cleaner import clean, restore
from cleaner.engine import Options
from cleaner.html import from_html

DEV_SET = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dev.jsonl.gz"
SAMPLE_EVERY = 5  # pages whose rendering is re-derived independently


@pytest.fixture(scope="module")
def records() -> list[dict[str, object]]:
    if not DEV_SET.is_file():
        pytest.skip(f"no shared dev set at {DEV_SET} (it sits beside the repository, in shared/corpus/)")
    with gzip.open(DEV_SET, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_the_dev_set_is_whole(records: list[dict[str, object]]) -> None:
    assert len(records) > 2000
    assert len({r["lang"] for r in records}) >= 10


@pytest.mark.parametrize(("field", "format"), [("scraped_container", "text"), ("html", "html")])
def test_restore_is_lossless_on_the_dev_set(records: list[dict[str, object]], field: str, format: str) -> None:
    lost, over_budget, checked = [], [], 0
    for number, record in enumerate(records):
        text = record.get(field)
        if not isinstance(text, str) or not text:
            continue
        checked += 1
        result = clean(text, options=Options(format=format))
        if format == "text":
            expected = text
        else:
            expected = from_html(text).text if number % SAMPLE_EVERY == 0 else result.original
        if result.original != expected or restore(result.text, result.removals) != expected:
            lost.append(record["id"])
        if result.stats.over_budget:
            over_budget.append(record["id"])
    assert checked > 1500
    assert lost == []
    assert over_budget == []
