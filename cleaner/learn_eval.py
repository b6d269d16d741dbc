"""Does a learned template help? Learn from half of each site's pages, clean the other half.

    python -m cleaner.learn_eval ../shared/corpus/dev.jsonl.gz --field scraped_container

For every site (the `site` field) with at least `--min-docs` documents that
have the field and gold text: the documents are sorted by id, a template is
learned from the even-numbered ones and the odd-numbered ones are cleaned
twice, with the shipped rules only and with the learned template forced
(`Options(site=...)`). Per site: token F1 both ways (macro over the held-out
documents), on how many held-out documents the template removed anything,
the worst change of one document's recall and how many documents lose more
than MAX_RECALL_DROP of it. The target: the template raises F1 on every site
and lowers no document's recall by more than MAX_RECALL_DROP. Exit code 1
when a site misses it.

Each site is also classed as improved, unchanged (no template, a template
that removed nothing from the held-out documents, or the same F1) or worse,
and the target is counted a second time over the sites where a template
fired: a site with nothing to learn cannot raise its F1. A site whose
held-out pages the shipped rules alone already clean perfectly (F1 of at
least PERFECT_F1) is counted apart: there is nothing left to raise.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .engine import Options, clean
from .evaluate import read_jsonl, score, summarise
from .learn import InputPage, learn_pages, site_name
from .learn_template import LearnError, LearnSettings, with_template
from .learn_text import DEFAULT_MIN_SHARE
from .rulefiles import default_rule_book

MIN_DOCS = 10  # sites with fewer documents are not evaluated (half of them would teach too little)
MAX_RECALL_DROP = 0.01  # the target: no held-out document loses more recall than this
PERFECT_F1 = 0.9995  # the shipped rules alone already reach this: there is nothing left to raise
PERFECT = "perfect already"
UNCHANGED = (PERFECT, "no rules learned", "nothing fired", "same F1")  # outcomes that leave a site's F1 as it was


@dataclass(frozen=True, slots=True)
class SiteScore:
    """One site's held-out figures, with and without its learned template."""

    site: str
    learned_from: int
    tested: int
    rules: int
    entries: int
    f1_shipped: float
    f1_learned: float
    worst_recall_change: float
    note: str = ""
    fired: int = 0  # held-out documents the template removed anything from
    recall_violations: int = 0  # held-out documents that lose more than MAX_RECALL_DROP of recall

    @property
    def meets_target(self) -> bool:
        return self.f1_learned > self.f1_shipped and self.worst_recall_change >= -MAX_RECALL_DROP

    @property
    def outcome(self) -> str:
        """improved, worse, or why it is unchanged: perfect already, no template, nothing fired, same F1."""
        if self.f1_shipped >= PERFECT_F1 and self.f1_learned == self.f1_shipped:
            return PERFECT
        if not self.rules:
            return "no rules learned"
        if not self.fired:
            return "nothing fired"
        if self.f1_learned > self.f1_shipped:
            return "improved"
        return "worse" if self.f1_learned < self.f1_shipped else "same F1"


def by_site(documents: Sequence[Mapping[str, Any]], field: str, min_docs: int) -> dict[str, list[Mapping[str, Any]]]:
    """Documents with the field and gold, per site, sorted by id; sites with at least min_docs."""
    sites: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for doc in documents:
        if isinstance(doc.get(field), str) and isinstance(doc.get("gold"), str) and doc["gold"].strip():
            sites[str(doc.get("site"))].append(doc)
    return {s: sorted(d, key=lambda x: str(x["id"])) for s, d in sorted(sites.items()) if len(d) >= min_docs}


def evaluate_site(site: str, docs: Sequence[Mapping[str, Any]], field: str, settings: LearnSettings) -> SiteScore:
    """Learn from the even-numbered documents, score the odd-numbered ones both ways."""
    train, test = docs[0::2], docs[1::2]
    name = site_name(site)
    pages = [InputPage(str(d["id"]), d[field], d.get("url"), None, "auto", site) for d in train]
    shipped = [clean(d[field], d.get("url")).text for d in test]
    try:
        learned = learn_pages(pages, name, settings)
    except LearnError as err:
        scores = [score(text, d["gold"]) for text, d in zip(shipped, test, strict=True)]
        f1 = summarise(scores).f1
        return SiteScore(site, len(train), len(test), 0, 0, f1, f1, 0.0, str(err))
    book, template = with_template(default_rule_book(), learned.yaml, f"{name}.yaml")
    options = Options(site=template.name)
    with_it = [clean(d[field], d.get("url"), rules=book, options=options) for d in test]
    fired = sum(any(c.source == template.source for c in r.cuts) for r in with_it)
    before = [score(text, d["gold"]) for text, d in zip(shipped, test, strict=True)]
    after = [score(r.text, d["gold"]) for r, d in zip(with_it, test, strict=True)]
    changes = [a.recall - b.recall for a, b in zip(after, before, strict=True)]
    return SiteScore(site, len(train), len(test), len(learned.rules), learned.entries,
                     summarise(before).f1, summarise(after).f1, min(changes), fired=fired,
                     recall_violations=sum(c < -MAX_RECALL_DROP for c in changes))


def format_table(field: str, scores: Sequence[SiteScore]) -> str:
    """One line per site, then the totals."""
    lines = [f"field={field}: learn from even-numbered pages, clean odd-numbered ones",
             f"{'site':<30}{'learn':>6}{'test':>5}{'rules':>6}{'entries':>8}{'fired':>6}{'F1 shipped':>12}"
             f"{'F1 learned':>12}{'delta':>8}{'worst recall':>14}  target   outcome"]
    for s in scores:
        mark = "ok" if s.meets_target else "MISSED"
        lines.append(f"{s.site[:29]:<30}{s.learned_from:>6}{s.tested:>5}{s.rules:>6}{s.entries:>8}{s.fired:>6}"
                     f"{s.f1_shipped:>12.4f}{s.f1_learned:>12.4f}{s.f1_learned - s.f1_shipped:>+8.4f}"
                     f"{s.worst_recall_change:>+14.4f}  {mark:<8} {s.outcome}"
                     f"{'  (' + s.note[:60] + ')' if s.note else ''}")
    return "\n".join(lines + summary_lines(scores))


def summary_lines(scores: Sequence[SiteScore]) -> list[str]:
    """The strict target count, the sites by outcome, the target where a template fired, the recall check."""
    met = sum(s.meets_target for s in scores)
    weighted = lambda key: sum(getattr(s, key) * s.tested for s in scores) / max(sum(s.tested for s in scores), 1)  # noqa: E731
    outcomes = Counter(s.outcome for s in scores)
    unchanged = [f"{outcomes[o]} {o}" for o in UNCHANGED if outcomes[o]]
    fired = [s for s in scores if s.fired]
    violations = [s for s in scores if s.recall_violations]
    return [
        f"{met} of {len(scores)} sites meet the target; held-out documents' macro F1 "
        f"{weighted('f1_shipped'):.4f} -> {weighted('f1_learned'):.4f}",
        f"sites: {outcomes['improved']} improved, {sum(outcomes[o] for o in UNCHANGED)} unchanged"
        f"{' (' + ', '.join(unchanged) + ')' if unchanged else ''}, {outcomes['worse']} worse",
        f"target met on {sum(s.meets_target for s in fired)} of {len(fired)} sites where a template fired; "
        f"{outcomes[PERFECT]} site(s) at F1 {PERFECT_F1:g}+ with the shipped rules alone (nothing to raise)",
        f"per-page recall check: {sum(s.recall_violations for s in scores)} of {sum(s.tested for s in scores)} "
        f"held-out documents lose more than {100 * MAX_RECALL_DROP:g} point(s) of recall"
        + (f" ({', '.join(f'{s.site}: {s.recall_violations}' for s in violations)})" if violations else ""),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation; 1 when a site misses the target."""
    parser = argparse.ArgumentParser(prog="python -m cleaner.learn_eval", description=__doc__.split("\n")[0])
    parser.add_argument("gold", type=Path, help="JSONL (.gz) with site, gold and the field to clean")
    parser.add_argument("--field", action="append", help="field(s) to clean (default: scraped_container)")
    parser.add_argument("--min-docs", type=int, default=MIN_DOCS, help=f"documents a site needs (default {MIN_DOCS})")
    parser.add_argument("--min-share", type=float, default=DEFAULT_MIN_SHARE)
    parser.add_argument("--json", type=Path, help="write every site's figures here")
    args = parser.parse_args(argv)
    documents = list(read_jsonl(args.gold))
    settings = LearnSettings(min_share=args.min_share)
    missed, report = 0, {}
    for field in args.field or ["scraped_container"]:
        started = time.perf_counter()
        scores = [evaluate_site(s, d, field, settings) for s, d in by_site(documents, field, args.min_docs).items()]
        print(format_table(field, scores) + f"\n({time.perf_counter() - started:.1f} s)\n")
        missed += sum(not s.meets_target for s in scores)
        report[field] = [asdict(s) for s in scores]
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
