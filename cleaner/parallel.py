"""Documents cleaned in parallel, results in input order, memory bounded.

`ordered_outcomes()` batches the items, hands the batches to a pool of
worker processes (each loads the rules once, in `work.init_process`) and
yields the outcomes in input order. At most `jobs * IN_FLIGHT_PER_JOB`
batches are out at once and a batch closes at `BATCH_DOCS` documents or
`BATCH_BYTES` bytes, so memory stays flat however long the corpus: reading
waits for the slowest batch in front instead of running ahead.

With one job everything runs in the calling process, without a pool. Where
processes are forked (Linux), the rules are loaded once, before the fork,
and every worker shares them.

A worker that dies (killed, out of memory, a crash in a C library) takes
no document down with it but the one it was cleaning: the pool is started
again, the batch it had is cleaned again one document at a time, and the
document that kills a worker a second time is reported failed with
`WORKER_DIED` as its reason. The run goes on.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .readers import Item
from .rulebook import RuleBook
from .work import Outcome, Settings, Worker, corpus_collector, failed_outcome, init_process, process_batch

BATCH_DOCS = 16  # documents per task sent to a worker: amortises the hand-over, keeps the order fine-grained
BATCH_BYTES = 4 * 1024 * 1024  # a batch closes early past this many bytes of payload
IN_FLIGHT_PER_JOB = 4  # batches queued per worker: enough to keep it busy, few enough to bound memory
WORKER_DIED = "worker process died while cleaning this document (killed, out of memory or crashed)"


def ordered_outcomes(
    items: Iterable[Item], settings: Settings, jobs: int = 1, book: RuleBook | None = None
) -> Iterator[Outcome]:
    """The outcome of every item, in input order, computed by `jobs` processes.

    `book` is the settings' rule book when the caller has loaded it already.
    """
    if jobs <= 1:
        worker = Worker(settings, book)
        with corpus_collector():
            for item in items:
                yield worker.process(item)
        return
    with _Pool(jobs, settings, book) as pool:
        pending: deque[tuple[list[Item], Future[list[Outcome]]]] = deque()
        for batch in batches(items):
            pending.append((batch, pool.submit(batch)))
            while len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                yield from pool.collect(pending)
        while pending:
            yield from pool.collect(pending)


class _Pool:
    """A process pool that is started again when one of its workers dies."""

    def __init__(self, jobs: int, settings: Settings, book: RuleBook | None) -> None:
        forked = "fork" in multiprocessing.get_all_start_methods()
        # Forked workers inherit the rule book loaded here, copy-on-write; others load their own, once.
        self.book = (book or settings.rule_book()) if forked else None
        self.context = multiprocessing.get_context("fork" if forked else None)
        self.jobs, self.settings = jobs, settings
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.jobs, mp_context=self.context, initializer=init_process,
                                   initargs=(self.settings, self.book))

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.executor.shutdown(cancel_futures=True)

    def submit(self, batch: list[Item]) -> Future[list[Outcome]]:
        return self.executor.submit(process_batch, batch)

    def collect(self, pending: deque[tuple[list[Item], Future[list[Outcome]]]]) -> list[Outcome]:
        """The outcomes of the oldest pending batch; after a worker died, the others are resubmitted."""
        batch, future = pending.popleft()
        try:
            return future.result()
        except BrokenProcessPool:
            self._restart()
            outcomes = [self._one(item) for item in batch]
            for i, (waiting, earlier) in enumerate(pending):
                if not (earlier.done() and not earlier.cancelled() and earlier.exception() is None):
                    pending[i] = (waiting, self.submit(waiting))
            return outcomes

    def _one(self, item: Item) -> Outcome:
        """One document alone in a worker: its outcome, or a failure if it kills the worker."""
        try:
            return self.submit([item]).result()[0]
        except BrokenProcessPool:
            self._restart()
            return failed_outcome(self.settings, item, WORKER_DIED)

    def _restart(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._start()


def batches(items: Iterable[Item], size: int = BATCH_DOCS, max_bytes: int = BATCH_BYTES) -> Iterator[list[Item]]:
    """Consecutive items in lists of at most `size` items or about `max_bytes` bytes.

    >>> [len(b) for b in batches([Item("text", str(i), b"x", 0) for i in range(5)], size=2)]
    [2, 2, 1]
    """
    batch: list[Item] = []
    weight = 0
    for item in items:
        batch.append(item)
        weight += len(item.payload)
        if len(batch) >= size or weight >= max_bytes:
            yield batch
            batch, weight = [], 0
    if batch:
        yield batch
