"""`cleaner eval`: score the cleaner on gold JSONL, next to doing nothing, with floors.

Floors are F1 values per group (`overall`, `lang:xx`, `source:yy`) in a JSON
file; a score below its floor fails the run (exit 1). Floors are only ever
raised by hand, in a commit that says why.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from .engine import Options, clean
from .evaluate import Report, evaluate, format_report, read_jsonl
from .rulebook import RuleBook

FLOOR_TOLERANCE = 0.0005  # rounding in the floors file


def run_eval(args: argparse.Namespace, book: RuleBook | None, options: Options) -> int:
    """Score the cleaner and the no-cleaning baseline; check floors when given."""
    try:
        documents = list(read_jsonl(args.gold))
    except (OSError, ValueError) as err:
        print(f"cleaner eval: {args.gold}: {err}", file=sys.stderr)
        return 1
    if args.limit:
        documents = documents[: args.limit]

    def ours(doc: dict[str, Any]) -> str:
        lang = doc.get("lang") if args.use_lang else None
        return clean(doc[args.field], url=doc.get("url"), lang=lang, rules=book, options=options).text

    started = time.perf_counter()
    report = evaluate(documents, {"no cleaning": lambda d: d[args.field], "cleaner": ours}, args.field, args.gold_field)
    elapsed = time.perf_counter() - started
    print(f"{args.gold} field={args.field} gold={args.gold_field}  ({elapsed:.1f} s)")
    print(format_report(report))
    if args.json:
        args.json.write_text(json.dumps(report.to_json(), indent=2) + "\n", encoding="utf-8")
    return check_floors(report, args.floors) if args.floors else 0


def check_floors(report: Report, path: Any) -> int:
    """Exit code 1 when a group's cleaner F1 is below its floor; prints each breach."""
    floors = json.loads(path.read_text(encoding="utf-8"))
    breaches = []
    for group, floor in floors.items():
        by = report.groups.get(group)
        if by is None:
            breaches.append(f"{group}: no documents (floor {floor})")
        elif by["cleaner"].f1 + FLOOR_TOLERANCE < floor:
            breaches.append(f"{group}: F1 {by['cleaner'].f1:.4f} is below its floor {floor}")
    for breach in breaches:
        print(f"below floor: {breach}", file=sys.stderr)
    if not breaches:
        print(f"all {len(floors)} floors in {path} hold")
    return 1 if breaches else 0
