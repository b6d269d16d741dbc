"""A corpus cleaned on Apache Spark: `spark-submit scripts/spark_clean.py INPUT... OUTPUT`.

Also `cleaner spark INPUT... OUTPUT` (Spark in local mode unless `--master`
says otherwise). INPUTs are JSON Lines or WARC files (also `.gz`), globs or
directories, on any path Hadoop reads (local, `hdfs://`, `s3a://`...).
OUTPUT, a new directory on such a path, receives:

- `records/part-*`: one JSONL line per input document, every input field
  kept plus the clean text (`--output-field`), failed documents with
  `clean_text: null` and `clean_error`, in input order: the lines
  `cleaner clean` writes into `OUT/<input>.jsonl`;
- `removals/part-*`: the removal log, the lines of `cleaner clean`'s
  `removals.jsonl`;
- `summary.json`: the same summary as `cleaner clean` writes.

The executors run `cleaner.spark.clean_partition`, which hands the same
items to the same worker as `cleaner clean`, so the part files, put
together in order, are byte for byte what a single-process run writes.
Spark retries a failed task itself; a killed run is started again into a
new OUTPUT (nothing is resumed).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cleaner.cli import _add_rule_options, _settings
from cleaner.corpus import Summary
from cleaner.engine import Options
from cleaner.readers import kind_of
from cleaner.rulefiles import RuleFileError
from cleaner.spark import LOG, RECORD, SUMMARY, Start, clean_partition
from cleaner.work import Settings
from cleaner.writers import SUMMARY_NAME

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

OK, FAILED, USAGE = 0, 1, 2
RECORDS_DIR, REMOVALS_DIR = "records", "removals"
LINES_SCHEMA = "tag string, line string"  # what the executors yield: (RECORD, LOG or SUMMARY, the line)
RECORD_KINDS = ("jsonl", "warc")
GLOB_CHARACTERS = frozenset("*?[{")
# The last line of a Python traceback: the exception's type and message.
PYTHON_ERROR = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit|Timeout)(?::|$)")
MAX_REASON = 500  # characters of a failed job's reason that are printed

NO_PYSPARK = "cleaner spark: pyspark is not installed (pip install 'cleaner[spark]'); it needs Java 17 or later"
OUTPUT_EXISTS = "cleaner spark: {}: already exists (Spark does not overwrite: choose a new directory)"
NO_SUCH_INPUT = "cleaner spark: {}: no such file, directory or glob match"
NOT_RECORDS = "cleaner spark: {}: neither JSONL nor WARC by its name (.jsonl, .warc, also .gz): use --input-format"
NO_DOCUMENTS = "cleaner spark: no .jsonl or .warc files (also .gz) in the inputs"
JOB_FAILED = "cleaner spark: the Spark job failed: {}"


class UsageError(Exception):
    """A problem with the command line's inputs or output, told to the user as it is."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One input file: its id prefix (as given, or as Hadoop names it), the path read, its kind."""

    name: str
    path: str
    kind: str


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `cleaner spark` (and of the spark-submit script)."""
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="JSONL or WARC files (also .gz), globs, directories")
    parser.add_argument("output", metavar="OUTPUT", help="a new directory: records/, removals/, summary.json")
    parser.add_argument("--master", help="Spark master (default: spark-submit's, else local[*])")
    parser.add_argument("--input-format", choices=("auto", *RECORD_KINDS), default="auto",
                        help="how to read the inputs (default: by suffix)")
    parser.add_argument("--partitions", type=int, default=None, metavar="N",
                        help="at least N partitions per uncompressed JSONL file (default: Spark's)")
    parser.add_argument("--compress", action="store_true", help="write the part files gzipped")
    parser.add_argument("-q", "--quiet", action="store_true", help="print no summary")
    for name, default, text in (("text", "text", "field with the text to clean"),
                                ("html", "html", "field with a page, used when there is no text field"),
                                ("url", "url", "field with the URL"), ("id", "id", "field with the document id"),
                                ("lang", "lang", "field with the language; '' to detect it always"),
                                ("output", "clean_text", "output field for the clean text")):
        parser.add_argument(f"--{name}-field", default=default, help=f"JSONL: {text} (default: {default})")
    _add_rule_options(parser)


def run(args: argparse.Namespace) -> int:
    """Clean the inputs on Spark into OUTPUT; the exit code (0 ok, 1 documents failed, 2 usage)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        print(NO_PYSPARK, file=sys.stderr)
        return USAGE
    options = Options(site=args.site, use_sites=not args.no_sites, time_budget=args.time_budget or None)
    settings = _settings(args, options)
    problems = check_rules(settings)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return USAGE
    spark, created = session(args.master)
    try:
        summary = clean_corpus(spark, args.inputs, args.output, settings, args.input_format,
                               partitions=args.partitions, compress=args.compress)
    except UsageError as err:
        print(err, file=sys.stderr)
        return USAGE
    except Exception as err:  # a Java or executor error: its gist, not a wall of traceback
        print(JOB_FAILED.format(failure_reason(err)), file=sys.stderr)
        return FAILED
    finally:
        if created:
            spark.stop()
    if not args.quiet:
        print(summary.render(), file=sys.stderr)
        print(f"written to {args.output}/ ({RECORDS_DIR}/, {REMOVALS_DIR}/, {SUMMARY_NAME})", file=sys.stderr)
    return FAILED if summary.failed_count else OK


def failure_reason(error: BaseException) -> str:
    """The gist of a failed Spark job: the Python exception raised on an executor, else the first line.

    >>> failure_reason(RuntimeError("Job aborted.\\nTraceback (most recent call last):\\n  File x\\n"
    ...                             "ValueError: bad\\n\\tat org.apache.spark.Foo"))
    'ValueError: bad'
    """
    lines = [line for line in str(error).split("\n") if line.strip()]
    python = [line for line in lines if PYTHON_ERROR.match(line)]
    return (python[-1] if python else lines[0] if lines else type(error).__name__)[:MAX_REASON]


def check_rules(settings: Settings) -> list[str]:
    """The rule-file problems (and an unknown `--site`) found on the driver, before any Spark job."""
    try:
        book = settings.rule_book()
        if settings.options.site:
            book.site(settings.options.site)
    except RuleFileError as err:
        return [str(problem) for problem in err.problems]
    except KeyError as err:
        return [f"cleaner spark: {err.args[0]}"]
    return []


def session(master: str | None) -> tuple[SparkSession, bool]:
    """The active Spark session, or a new one (and whether it was created here, to stop it).

    Started outside spark-submit, Spark runs in local mode, its Python
    workers on this interpreter (where `cleaner` is installed).
    """
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    launched_here = "PYSPARK_GATEWAY_PORT" not in os.environ  # spark-submit starts the JVM and says where
    if launched_here and (master or "local").startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("cleaner")
    if master or launched_here:
        builder = builder.master(master or "local[*]")
    return builder.getOrCreate(), True


def clean_corpus(spark: SparkSession, inputs: Sequence[str], output: str, settings: Settings,
                 input_format: str = "auto", *, partitions: int | None = None, compress: bool = False) -> Summary:
    """Clean the inputs into `output` (records/, removals/, summary.json); the run's summary.

    The tagged lines become a persisted two-column DataFrame, so that the
    summary and both outputs are read from it without going through Python
    again; filtering keeps each partition's order, and a partition is a
    part file.
    """
    from pyspark import StorageLevel

    fs, target = _filesystem(spark, output)
    if fs.exists(target):
        raise UsageError(OUTPUT_EXISTS.format(output))
    files = list_inputs(spark, inputs, input_format)
    rdd, starts = partitions_of(spark, files, partitions)
    lines = spark.createDataFrame(rdd.mapPartitionsWithIndex(clean_partition(settings, starts)), LINES_SCHEMA)
    lines = lines.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        summary = Summary()
        for row in lines.where(lines.tag == SUMMARY).select("line").collect():
            summary.merge(json.loads(row.line))
        for tag, folder in ((RECORD, RECORDS_DIR), (LOG, REMOVALS_DIR)):
            chosen = lines.where(lines.tag == tag).select("line").write
            chosen.text(f"{output.rstrip('/')}/{folder}", compression="gzip" if compress else None)
    finally:
        lines.unpersist()
    text = json.dumps(summary.to_json(), ensure_ascii=False, indent=2) + "\n"
    write_text(spark, f"{output.rstrip('/')}/{SUMMARY_NAME}", text)
    return summary


def list_inputs(spark: SparkSession, inputs: Sequence[str], input_format: str = "auto") -> list[SourceFile]:
    """Every input file, in the order given; directories and globs expanded in sorted order.

    A file named as it is keeps that name in document ids (as with
    `cleaner clean`); a file found by a glob or in a directory is named by
    its full Hadoop path.
    """
    files: list[SourceFile] = []
    for given in inputs:
        fs, path = _filesystem(spark, given)
        statuses = fs.globStatus(path) or []
        if not statuses:
            raise UsageError(NO_SUCH_INPUT.format(given))
        named = len(statuses) == 1 and statuses[0].isFile() and not GLOB_CHARACTERS & set(given)
        if named:
            files.append(SourceFile(given, given, _kind(given, input_format, explicit=True)))
            continue
        for found in sorted(_walk(fs, statuses)):
            kind = _kind(found, input_format, explicit=False)
            if kind:
                files.append(SourceFile(found, found, kind))
    if not files:
        raise UsageError(NO_DOCUMENTS)
    return files


def _kind(name: str, forced: str, explicit: bool) -> str:
    kind = forced if forced != "auto" else kind_of(name)
    if kind not in RECORD_KINDS:
        if explicit:
            raise UsageError(NOT_RECORDS.format(name))
        return ""
    return kind


def _walk(fs: Any, statuses: Any) -> list[str]:
    """The paths of the files among `statuses` and below the directories among them."""
    found = []
    for status in statuses:
        if status.isFile():
            found.append(status.getPath().toString())
            continue
        below = fs.listFiles(status.getPath(), True)
        while below.hasNext():
            found.append(below.next().getPath().toString())
    return found


def partitions_of(spark: SparkSession, files: list[SourceFile], minimum: int | None) -> tuple[RDD[Any], list[Start]]:
    """One RDD over all the files, in order, and where each of its partitions starts.

    JSONL files are read as raw lines (bytes, so the worker decodes them as
    `cleaner clean` does); WARC files whole, one partition each. A first,
    cheap job counts the lines of each JSONL partition, to number them.
    """
    sc = spark.sparkContext
    parts = [sc.textFile(f.path, minimum, use_unicode=False) if f.kind == "jsonl" else sc.binaryFiles(f.path)
             for f in files]
    lines = [part for source, part in zip(files, parts, strict=True) if source.kind == "jsonl"]
    counts = iter(sc.union(lines).mapPartitions(_count).collect() if lines else [])
    starts = []
    for source, part in zip(files, parts, strict=True):
        line = 1
        for _ in range(part.getNumPartitions()):
            starts.append(Start(source.name, source.kind, line))
            line += next(counts) if source.kind == "jsonl" else 0
    return sc.union(parts), starts


def _count(rows: Any) -> list[int]:
    return [sum(1 for _ in rows)]


def write_text(spark: SparkSession, path: str, text: str) -> None:
    """Write a small UTF-8 file on any Hadoop path, from the driver."""
    fs, target = _filesystem(spark, path)
    stream = fs.create(target, True)
    try:
        stream.write(bytearray(text.encode("utf-8")))
    finally:
        stream.close()


def _filesystem(spark: SparkSession, path: str) -> tuple[Any, Any]:
    """The Hadoop file system that holds `path`, and the path as Hadoop's `Path` (through the JVM)."""
    sc = spark.sparkContext
    hadoop_path = sc._jvm.org.apache.hadoop.fs.Path(path)  # type: ignore[union-attr]
    return hadoop_path.getFileSystem(sc._jsc.hadoopConfiguration()), hadoop_path  # type: ignore[union-attr]


def main(argv: Sequence[str] | None = None) -> int:
    """The spark-submit entry point (`scripts/spark_clean.py`)."""
    parser = argparse.ArgumentParser(prog="spark_clean.py", description="Clean JSONL or WARC corpora on Spark.")
    add_arguments(parser)
    return run(parser.parse_args(argv))

