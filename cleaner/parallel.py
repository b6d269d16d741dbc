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
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from .readers import Item
from .rulebook import RuleBook
from .work import Outcome, Settings, Worker, init_process, process_batch

BATCH_DOCS = 16  # documents per task sent to a worker: amortises the hand-over, keeps the order fine-grained
BATCH_BYTES = 4 * 1024 * 1024  # a batch closes early past this many bytes of payload
IN_FLIGHT_PER_JOB = 4  # batches queued per worker: enough to keep it busy, few enough to bound memory


def ordered_outcomes(
    items: Iterable[Item], settings: Settings, jobs: int = 1, book: RuleBook | None = None
) -> Iterator[Outcome]:
    """The outcome of every item, in input order, computed by `jobs` processes.

    `book` is the settings' rule book when the caller has loaded it already.
    """
    if jobs <= 1:
        worker = Worker(settings, book)
        for item in items:
            yield worker.process(item)
        return
    forked = "fork" in multiprocessing.get_all_start_methods()
    # Forked workers inherit the rule book loaded here, copy-on-write; others load their own, once.
    book = (book or settings.rule_book()) if forked else None
    context = multiprocessing.get_context("fork" if forked else None)
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=init_process, initargs=(settings, book)) as pool:
        pending: deque[Future[list[Outcome]]] = deque()
        for batch in batches(items):
            pending.append(pool.submit(process_batch, batch))
            while len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


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
