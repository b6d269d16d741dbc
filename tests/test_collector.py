"""A corpus run's garbage-collector settings: set for the run, restored after it in the caller's process."""

from __future__ import annotations

import gc
from pathlib import Path

from cleaner.parallel import ordered_outcomes
from cleaner.readers import Item
from cleaner.work import CORPUS_GC_THRESHOLDS, Settings, corpus_collector


def test_the_corpus_collector_is_set_for_the_run_and_restored_after_it() -> None:
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    with corpus_collector():
        assert gc.get_threshold() == CORPUS_GC_THRESHOLDS
        assert gc.get_freeze_count() > 0  # the loaded rules and modules are set aside
    assert (gc.get_threshold(), gc.get_freeze_count()) == (before, frozen)


def test_a_run_in_this_process_restores_the_callers_collector() -> None:
    before = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []
    text = b"Title\nA line of text that ends here.\n"
    items = [Item("text", f"d{i}", text, Path(f"d{i}.txt")) for i in range(3)]
    for outcome in ordered_outcomes(items, Settings(), jobs=1):
        seen.append(gc.get_threshold())
        assert not outcome.error and outcome.output
    assert seen == [CORPUS_GC_THRESHOLDS] * 3
    assert gc.get_threshold() == before
