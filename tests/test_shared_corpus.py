"""Lossless restore and idempotence on real scraped articles from the shared dev set.

The dev set lives beside the repository (../shared/corpus/dev.jsonl.gz); where
it is absent this module is skipped, and everything else still runs.
"""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest

from cleaner import Result, clean, restore

DEV_SET = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dev.jsonl.gz"
DOCUMENTS = 300  # the first documents of the dev set: enough variety, a few seconds


@pytest.fixture(scope="module")
def cleaned() -> list[tuple[str, str, Result]]:
    """(id, scraped_container, its cleaning) of the first DOCUMENTS documents that have one."""
    if not DEV_SET.is_file():
        pytest.skip(f"no shared dev set at {DEV_SET} (it sits beside the repository, in shared/corpus/)")
    with gzip.open(DEV_SET, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in itertools.islice(lines, DOCUMENTS)]
    texts = [(r["id"], r["scraped_container"]) for r in records if r.get("scraped_container")]
    assert len(texts) > DOCUMENTS // 2
    return [(doc_id, text, clean(text)) for doc_id, text in texts]


def test_restore_is_lossless_on_real_documents(cleaned: list[tuple[str, str, Result]]) -> None:
    lost = [doc_id for doc_id, text, result in cleaned if restore(result.text, result.removals) != text]
    assert lost == []


def test_cleaning_is_idempotent_on_real_documents(cleaned: list[tuple[str, str, Result]]) -> None:
    changed = {}
    for doc_id, _text, result in cleaned:
        again = clean(result.text)
        if again.text != result.text:
            changed[doc_id] = [cut.text for cut in again.cuts]
    assert changed == {}
