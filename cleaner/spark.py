"""Apache Spark: clean a DataFrame column, or a corpus partition by partition.

Two entry points, both running the project's own code on the executors, so
that a Spark run gives exactly what a single-process run gives:

- `clean_column(df, "text")`: a DataFrame with the clean text, the removals
  (an array of structs, the fields of the removal log) and the error of
  each row added as columns. A plain Python UDF: no pandas or pyarrow.
- `clean_partition(settings, starts)`: the function `cleaner spark` (and
  `spark-submit cleaner/spark_submit.py`) maps over the partitions of JSONL
  lines or WARC files. It builds the same `Item`s the readers build and
  hands them to the same `work.Worker`, so every output line and removal
  log line is the one `cleaner clean` writes, by construction.

The rule book is loaded once per executor process (Spark reuses its Python
workers between tasks), never once per row. pyspark is imported inside the
functions that need it, so importing this module costs nothing without it.

>>> removal_row({"start": 0, "end": 5, "line": 1, "text": "Share", "rule": "en.share", "category": "share",
...              "source": "rules/lang/en.yaml", "trailing": "\\n"})[-3:]
('\\n', None, None)
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .corpus import Summary
from .engine import clean
from .readers import DEFAULT_FIELDS, MAX_DOCUMENT_BYTES, TOO_LARGE, TOO_LARGE_UNPACKED, Input, Item, _warc
from .rulebook import RuleBook
from .work import NO_TEXT, Settings, Worker, describe

if TYPE_CHECKING:
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructType

# The removal log's fields, in its order, with their Spark SQL types. Optional
# fields are null when empty, so that `to_json()` of a struct omits them as the log does.
REMOVAL_FIELDS = (("start", "long"), ("end", "long"), ("line", "int"), ("text", "string"), ("rule", "string"),
                  ("category", "string"), ("source", "string"), ("trailing", "string"), ("replacement", "string"),
                  ("note", "string"))
OPTIONAL_FIELDS = frozenset({"trailing", "replacement", "note"})
ERROR_COLUMN = "clean_error"  # as `cleaner clean` names a failed record's reason
OVER_BUDGET = "over its time budget: {}"  # the summary's wording for a document cut short

# Tags of the lines `clean_partition` yields: an output record, a removal-log line, a partition's summary.
RECORD, LOG, SUMMARY = "record", "log", "summary"

_BOOKS: dict[Settings, RuleBook] = {}  # per executor process: loaded on first use, reused by every task


def rule_book(settings: Settings) -> RuleBook:
    """The settings' rule book, loaded once in this process."""
    if settings not in _BOOKS:
        _BOOKS[settings] = settings.rule_book()
    return _BOOKS[settings]


# --- DataFrame column -------------------------------------------------------------------------------


def result_schema() -> StructType:
    """The struct the cleaning UDF returns: text, removals (the log's fields), error."""
    from pyspark.sql.types import ArrayType, IntegerType, LongType, StringType, StructField, StructType

    types = {"long": LongType(), "int": IntegerType(), "string": StringType()}
    removal = StructType([StructField(name, types[kind]) for name, kind in REMOVAL_FIELDS])
    return StructType([StructField("text", StringType()), StructField("removals", ArrayType(removal)),
                       StructField("error", StringType())])


def removal_row(record: dict[str, Any]) -> tuple[Any, ...]:
    """One removal-log record (`Removal.to_json()`) as the removal struct's values."""
    return tuple((record.get(name) or None) if name in OPTIONAL_FIELDS else record[name] for name, _ in REMOVAL_FIELDS)


def clean_value(settings: Settings, text: Any, url: Any = None, lang: Any = None) -> tuple[Any, ...]:
    """One cell cleaned: (text, removals, error); never raises for a bad document.

    A cell that is not a string, or fails to clean, has a null text and its
    reason in `error`; one cut short by its time budget keeps what was done
    and says so in `error`, as the corpus summary does.
    """
    if not isinstance(text, str):
        return None, None, NO_TEXT
    try:
        result = clean(text, url=url or settings.url, lang=lang or settings.lang,
                       rules=rule_book(settings), options=settings.options)
    except Exception as err:
        return None, None, describe(err)
    removals = [removal_row(r.to_json()) for r in result.removals]
    error = OVER_BUDGET.format(result.stats.over_budget) if result.stats.over_budget else None
    return result.text, removals, error


def clean_column(
    df: DataFrame,
    input_col: str,
    output_col: str = "clean_text",
    removals_col: str = "removals",
    *,
    url_col: str | None = None,
    lang_col: str | None = None,
    error_col: str = ERROR_COLUMN,
    settings: Settings | None = None,
) -> DataFrame:
    """`df` with `input_col` cleaned: the clean text, the removals and the error as new columns.

    `url_col`/`lang_col` name columns with each row's URL and language
    (a null falls back to `settings.url`/`settings.lang`); `settings` chooses
    the rules and options (`work.Settings`; its `fields` are not used here).
    The removals are an array of structs with the fields of the removal
    log (`REMOVAL_FIELDS`); a row that could not be cleaned has null text
    and removals and its reason in `error_col`, which is null otherwise.
    """
    from pyspark.sql import functions as F

    chosen = settings or Settings()
    cleaner = F.udf(lambda text, url, lang: clean_value(chosen, text, url, lang), result_schema(), useArrow=False)
    optional = [F.col(name) if name else F.lit(None).cast("string") for name in (url_col, lang_col)]
    packed = "__cleaner_result"
    return (df.withColumn(packed, cleaner(F.col(input_col), *optional))
              .withColumn(output_col, F.col(f"{packed}.text"))
              .withColumn(removals_col, F.col(f"{packed}.removals"))
              .withColumn(error_col, F.col(f"{packed}.error"))
              .drop(packed))


# --- corpus partitions ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Start:
    """Where one partition's documents come from: the input's name, kind, and first line number.

    `name` is what document ids are made of (`NAME:LINE` for a JSONL record
    without an id, as `cleaner clean` makes them); `first_line` is the
    1-based number of the partition's first line in its file (JSONL only).
    """

    name: str
    kind: str
    first_line: int = 1


def jsonl_items(start: Start, lines: Iterable[bytes]) -> Iterator[Item]:
    """The items of a partition of JSONL lines, numbered as `readers` numbers them (blank lines count).

    Spark's line reader drops the line break, which `readers` keeps: it is
    put back, so that even a JSON error's position in its message is the same.
    """
    for number, line in enumerate(lines, start=start.first_line):
        doc_id = f"{start.name}:{number}"
        if len(line) > MAX_DOCUMENT_BYTES:
            error = TOO_LARGE_UNPACKED if start.name.lower().endswith(".gz") else TOO_LARGE
            yield Item("jsonl", doc_id, b"", 0, error=error)
        elif line.strip():
            yield Item("jsonl", doc_id, line + b"\n", 0)


def warc_items(start: Start, files: Iterable[tuple[str, bytes]]) -> Iterator[Item]:
    """The items of a partition of whole WARC files, read as `readers` reads a WARC input."""
    for _path, data in files:
        yield from _warc(io.BytesIO(data), Input(start.name, "warc", 0), DEFAULT_FIELDS)


PartitionFunction = Callable[[int, Iterator[Any]], Iterator[tuple[str, str]]]


def clean_partition(settings: Settings, starts: list[Start]) -> PartitionFunction:
    """The function to map over the partitions: tagged output lines, then the partition's summary.

    Yields (RECORD, output JSONL line), (LOG, removal-log line) per document,
    in input order, and last (SUMMARY, the partition's `Summary.to_state()`
    as JSON), which the driver merges in partition order.
    """

    def run(index: int, rows: Iterator[Any]) -> Iterator[tuple[str, str]]:
        start = starts[index]
        items = jsonl_items(start, rows) if start.kind == "jsonl" else warc_items(start, rows)
        worker = Worker(settings, rule_book(settings))
        summary = Summary()
        for item in items:
            outcome = worker.process(item)
            summary.add(outcome)
            if outcome.output:
                yield RECORD, outcome.output.removesuffix("\n")
            for line in outcome.log.split("\n")[:-1]:  # not splitlines(): JSON leaves U+2028 unescaped
                yield LOG, line
        yield SUMMARY, json.dumps(summary.to_state(), ensure_ascii=False)

    return run
