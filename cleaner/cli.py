"""The command line: `cleaner clean | explain | restore | rules | eval`.

Exit codes: 0 all went well; 1 some documents failed (or scores fell below
their floors, or a restore did not fit); 2 usage error or rule-file error.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .corpus import run
from .engine import TIME_BUDGET_SECONDS, Options, clean
from .evalcli import add_arguments as add_eval_arguments
from .examples import check_rules
from .io import InputError, decode, read_text
from .model import Removal, Result
from .parallel import ordered_outcomes
from .readers import KINDS, Fields, Input, iter_items, plan
from .restore import RestoreError, restore
from .rulebook import RuleBook
from .rulefiles import RuleFileError, default_rule_book, load_rule_book
from .work import Settings, log_records

OK, FAILED, USAGE = 0, 1, 2

NO_OUTPUT = "cleaner clean: give -o OUT for files and directories (only `-`, stdin, goes to stdout)"
NO_INPUT_DOCS = ("cleaner clean: no documents found in the inputs "
                 "(directories are searched for *.txt, *.html, *.htm and the same with .gz)")
JOBS_DEFAULT = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)

# Commands that live in a module of their own: name -> (module, help). Each module has
# `add_arguments(parser)` and `run(args) -> int` (an exit code), and imports its heavy
# dependencies inside `run`, so building the parser stays cheap.
COMMAND_MODULES: dict[str, tuple[str, str]] = {
    "learn": ("cleaner.learn", "propose a site template from a sample of its pages (--check: try one on others)"),
    "import-ftr": ("cleaner.ftr", "convert FiveFilters site configs into site templates (html: body and strip)"),
    "spark": ("cleaner.spark_submit", "clean JSONL or WARC corpora on Apache Spark (local mode or --master)"),
    "report": ("cleaner.report", "write one self-contained HTML page about a run's output directory"),
}

COLOURS = {"reset": "\033[0m", "removed": "\033[31m", "rule": "\033[2m", "layout": "\033[2m"}


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """How inputs are read: their format and the JSONL fields (shared by the commands that read corpora)."""
    parser.add_argument("--input-format", choices=("auto", *KINDS), default="auto",
                        help="how to read files and stdin (default: by suffix; stdin is one text document)")
    parser.add_argument("--text-field", default="text", help="JSONL: field with the text to clean (default: text)")
    parser.add_argument("--html-field", default="html",
                        help="JSONL: field with a page, used when there is no text field")
    parser.add_argument("--url-field", default="url", help="JSONL: field with the URL (default: url)")
    parser.add_argument("--id-field", default="id", help="JSONL: field with the document id (default: id)")
    parser.add_argument("--lang-field", default="lang", help="JSONL: field with the language; '' to detect it always")


def _add_rule_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", action="append", default=[], metavar="PATH",
                        help="extra rule file or directory (repeatable); site templates, lexicons, generic rules")
    parser.add_argument("--no-shipped-rules", action="store_true", help="use only the --rules files")
    parser.add_argument("--lang", help="the documents' language (ISO 639-1); detected when not given")
    parser.add_argument("--url", help="the document's URL (picks the site template)")
    parser.add_argument("--site", help="use this site template whatever the URL")
    parser.add_argument("--no-sites", action="store_true", help="generic and language rules only")
    parser.add_argument("--time-budget", type=float, default=TIME_BUDGET_SECONDS, metavar="SECONDS",
                        help=f"seconds one document may take; 0 for no limit (default {TIME_BUDGET_SECONDS:g})")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="cleaner", description="Clean scraped articles; log every cut.")
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("clean", help="clean files, directories, JSONL, WARC or stdin")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files (.txt .html .jsonl .warc, also .gz), directories (*.txt, *.html below), - for stdin")
    p.add_argument("-o", "--output", type=Path, help="output directory (mirrors the input tree)")
    p.add_argument("--log", type=Path, help="with stdin: write the removal log (JSONL) here")
    p.add_argument("-q", "--quiet", action="store_true", help="print no summary and no progress bar")
    p.add_argument("-j", "--jobs", type=_positive, default=JOBS_DEFAULT,
                   help=f"worker processes (default: the number of cores, here {JOBS_DEFAULT})")
    add_input_options(p)
    p.add_argument("--output-field", default="clean_text", help="JSONL output: field for the clean text")
    p.add_argument("--commit-every", type=_positive, default=1000, metavar="N",
                   help="documents per committed chunk (a killed run redoes at most these)")
    _add_rule_options(p)

    p = commands.add_parser("explain", help="show a document with each removed line and its rule")
    p.add_argument("file", help="a text file, or - for stdin")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    _add_rule_options(p)

    p = commands.add_parser("restore", help="rebuild an original from its clean text and removal log")
    p.add_argument("clean_file", type=Path, help="the clean text")
    p.add_argument("log", type=Path, help="the removal log (removals.jsonl)")
    p.add_argument("--doc", help="the document id in the log (needed when the log has several)")
    p.add_argument("-o", "--output", type=Path, help="write here instead of stdout")

    p = commands.add_parser("rules", help="check or list rule files")
    rules = p.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    for name, text in (("check", "validate every rule file and run every rule's examples"),
                       ("list", "list every rule with its file and line")):
        sub = rules.add_parser(name, help=text)
        sub.add_argument("--rules", action="append", default=[], metavar="PATH", help="extra rule file or directory")
        sub.add_argument("--no-shipped-rules", action="store_true", help="use only the --rules files")

    p = commands.add_parser("eval", help="score the cleaner (and reference extractors) against gold JSONL")
    add_eval_arguments(p)
    _add_rule_options(p)

    for name, (module, text) in COMMAND_MODULES.items():
        importlib.import_module(module).add_arguments(commands.add_parser(name, help=text))
    return parser


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    if args.command in COMMAND_MODULES:
        return importlib.import_module(COMMAND_MODULES[args.command][0]).run(args)
    if args.command == "rules":
        return _rules(args)
    if args.command == "restore":
        return _restore(args)
    try:
        book = _book(args)
        options = Options(site=args.site, use_sites=not args.no_sites, time_budget=args.time_budget or None)
        if args.command == "clean":
            return _clean(args, book, options)
        if args.command == "explain":
            return _explain(args, book, options)
        if args.command == "eval":
            from .evalcli import run_eval

            return run_eval(args, book, options)
    except RuleFileError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return USAGE
    except KeyError as err:  # an unknown --site
        print(f"cleaner: {err.args[0]}", file=sys.stderr)
        return USAGE
    raise AssertionError(args.command)


def _book(args: argparse.Namespace) -> RuleBook | None:
    if getattr(args, "rules", None) or getattr(args, "no_shipped_rules", False):
        return load_rule_book(args.rules, shipped=not args.no_shipped_rules)
    return None  # the shipped rules, loaded once by the engine


def _settings(args: argparse.Namespace, options: Options) -> Settings:
    fields = Fields(args.text_field, args.html_field, args.url_field, args.id_field, args.lang_field,
                    args.output_field)
    if args.input_format == "html":
        options = dataclasses.replace(options, format="html")
    return Settings(tuple(args.rules), not args.no_shipped_rules, options, args.lang, args.url, fields)


def _clean(args: argparse.Namespace, book: RuleBook | None, options: Options) -> int:
    if options.site:  # an unknown --site is a usage error before any work (KeyError, caught by main)
        (book or default_rule_book()).site(options.site)
    if args.inputs == ["-"] and args.output is None:
        if args.input_format in ("jsonl", "warc"):
            return _clean_stream(args, _settings(args, options), book)
        return _clean_stdin(args, book, options)
    if "-" in args.inputs and len(args.inputs) > 1:
        print("cleaner clean: `-` (stdin) cannot be mixed with files", file=sys.stderr)
        return USAGE
    if args.output is None:
        print(NO_OUTPUT, file=sys.stderr)
        return USAGE
    missing = [i for i in args.inputs if i != "-" and not Path(i).exists()]
    for name in missing:
        print(f"cleaner clean: {name}: no such file or directory", file=sys.stderr)
    inputs = plan(args.inputs, args.input_format)
    if not missing and not any(i.kind != "tree" or next(iter_items([i]), None) for i in inputs):
        print(NO_INPUT_DOCS, file=sys.stderr)
        return USAGE
    summary = run(inputs, args.output, _settings(args, options), jobs=args.jobs,
                  commit_every=args.commit_every, progress=not args.quiet, book=book)
    if not args.quiet:
        print(summary.render(), file=sys.stderr)
        print(f"written to {args.output}/ (clean texts, removals.jsonl, summary.json)", file=sys.stderr)
    return FAILED if summary.failed_count else OK


def _clean_stream(args: argparse.Namespace, settings: Settings, book: RuleBook | None) -> int:
    """JSONL or WARC on stdin to JSONL on stdout, the log to --log (no resuming: nothing is kept)."""
    failed = 0
    items = iter_items([Input("-", args.input_format, 0)], settings.fields)
    log = open(args.log, "w", encoding="utf-8") if args.log else None  # noqa: SIM115
    try:
        for outcome in ordered_outcomes(items, settings, args.jobs, book):
            sys.stdout.write(outcome.output)
            if log:
                log.write(outcome.log)
            if outcome.error:
                failed += 1
                print(f"cleaner clean: {outcome.doc_id}: {outcome.error}", file=sys.stderr)
    finally:
        if log:
            log.close()
    return FAILED if failed else OK


def _clean_stdin(args: argparse.Namespace, book: RuleBook | None, options: Options) -> int:
    try:
        text = decode(sys.stdin.buffer.read())
    except InputError as err:
        print(f"cleaner clean: stdin: {err}", file=sys.stderr)
        return FAILED
    result = clean(text, url=args.url, lang=args.lang, rules=book, options=options)
    sys.stdout.write(result.text)
    if args.log:
        args.log.write_text("".join(f"{line}\n" for line in log_records("-", result)), encoding="utf-8")
    return OK


def _explain(args: argparse.Namespace, book: RuleBook | None, options: Options) -> int:
    try:
        text = decode(sys.stdin.buffer.read()) if args.file == "-" else read_text(Path(args.file))
    except InputError as err:
        print(f"cleaner explain: {args.file}: {err}", file=sys.stderr)
        return FAILED
    result = clean(text, url=args.url, lang=args.lang, rules=book, options=options)
    colour = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    sys.stdout.write(explain(text, result, colour))
    return OK


def explain(text: str, result: Result, colour: bool = False) -> str:
    """The document line by line: `-` before removed lines, with rule and category."""
    paint = (lambda key, s: f"{COLOURS[key]}{s}{COLOURS['reset']}") if colour else (lambda key, s: s)
    cuts = {r.line: r for r in result.cuts}
    width = len(str(text.count("\n") + 1))
    lines = []
    for number, line in enumerate(text.split("\n"), start=1):
        cut = cuts.get(number)
        if cut is None:
            lines.append(f"{number:>{width}}   {line.rstrip()}")
        else:
            where = f"[{cut.rule} · {cut.category.value}{' · ' + cut.note if cut.note else ''}]"
            lines.append(f"{number:>{width}} - {paint('removed', line.strip())}  {paint('rule', where)}")
    stats = result.stats
    lines.append("")
    lines.append(f"lang: {result.lang or 'unknown'} ({stats.lang_method})  site: {result.site or 'none'}  "
                 f"removed: {stats.removed_blocks} of {stats.blocks} blocks")
    if stats.guarded:
        lines.append(f"guard fired for: {', '.join(stats.guarded)}")
    return "\n".join(lines) + "\n"


def _restore(args: argparse.Namespace) -> int:
    try:
        # Bytes, then decode: text mode would turn a lone \r of the clean text into \n, and
        # splitlines() would cut a record at a U+2028 or U+0085 that JSON leaves unescaped.
        clean_text = args.clean_file.read_bytes().decode("utf-8")
        records = [json.loads(line) for line in args.log.read_bytes().decode("utf-8").split("\n") if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        print(f"cleaner restore: {err}", file=sys.stderr)
        return FAILED
    docs = sorted({r.get("doc") for r in records})
    doc = args.doc if args.doc is not None else (docs[0] if len(docs) == 1 else _guess_doc(args.clean_file, docs))
    if doc is None and records:
        print(f"cleaner restore: the log has {len(docs)} documents; choose one with --doc", file=sys.stderr)
        return USAGE
    try:
        original = restore(clean_text, [Removal.from_json(r) for r in records if r.get("doc") == doc])
    except (RestoreError, KeyError, ValueError) as err:
        print(f"cleaner restore: {err}", file=sys.stderr)
        return FAILED
    if args.output:
        args.output.write_text(original, encoding="utf-8", newline="")
    else:
        _write_raw(sys.stdout, original)
    return OK


def _guess_doc(clean_file: Path, docs: list[str]) -> str | None:
    """The one document id of the log that ends like the clean file's path."""
    matches = [d for d in docs if d and Path(clean_file).as_posix().endswith(Path(d).name)]
    return matches[0] if len(matches) == 1 else None


def _write_raw(stream: TextIO, text: str) -> None:
    stream.buffer.write(text.encode("utf-8")) if hasattr(stream, "buffer") else stream.write(text)


def _rules(args: argparse.Namespace) -> int:
    try:
        book = load_rule_book(args.rules, shipped=not args.no_shipped_rules, defer=False)  # every problem now
    except RuleFileError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"{len(err.problems)} problem(s) in rule files", file=sys.stderr)
        return USAGE
    rules = book.all_rules()
    if args.rules_command == "list":
        for rule in rules:
            print(f"{rule.id:<36} {rule.category.value:<16} {rule.source}:{rule.line}  {rule.description}")
        return OK
    failures = check_rules(rules)
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"{len(book.files)} files, {len(rules)} rules, {len(book.sites)} sites, "
          f"{len(book.lexicons)} languages: {len(failures)} example failure(s)")
    return USAGE if failures else OK
