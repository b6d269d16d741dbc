"""The HTML page of `cleaner report`, built from a `RunReport`.

One self-contained file: the CSS and the script are inline (from
`report_template.html`), the charts are SVG drawn here, and a Content
Security Policy allows nothing else (no network; only the page's own style
and script, by hash). Every piece of text from the run (documents, ids, rule
names) is escaped: documents are hostile input, and a `<script>` in one is
shown, never run.

Documents are shown in `<template>` elements, which the browser parses but
does not lay out, so opening the page stays fast; the script puts one at a
time in the viewer. Their HTML, all together, stays under `DOC_BUDGET_BYTES`
(documents past it are listed as not shown), and everything else is
bounded by the constants below, so the page stays under about 5 MB for a
run of any size.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from importlib import resources
from typing import Any

from . import __version__
from .model import Category, Removal
from .report import RuleInfo, RuleStat, RunReport, ShownDoc

DOC_BUDGET_BYTES = 3_000_000  # the shown documents' HTML, all together
FULL_TEXT_CHARS = 6_000  # a document up to this long is shown whole; a longer one around its removals
CONTEXT_LINES = 2  # lines shown before and after a removal in a long document
MAX_SHOWN_CHARS = 8_000  # of one document's text
MAX_TABLE_ROWS = 100  # removals listed under one document
MAX_CELL_CHARS = 100  # a removed text cut in the tables
MAX_ID_CHARS = 300  # a document id cut (ids are input: they can be anything)
MAX_RULE_ROWS = 1_500  # rules in the table of all rules that fired (most first)
MAX_NEVER_FIRED = 2_000  # rules listed as never fired
CHART_ROWS = 20  # bars per chart
EXTREME_ROWS = 10  # rules in "fired most" and "fired least"
LISTED_ERRORS = 20  # failed documents listed by name

CATEGORY_CLASS = {name: f"c{i}" for i, name in enumerate(Category.names())}
OTHER_CLASS = "cx"  # a category the log has but the model does not (an older or newer run)
NEUTRAL_CLASS = "cn"  # sites and languages
GOLDEN_ANGLE = 137.508  # hue step between categories: neighbours in the list get distant colours
CHART_WIDTH, LABEL_WIDTH, BAR_WIDTH, ROW_HEIGHT = 660, 220, 260, 18  # room for "1,234,567 · 12,345 docs"
_MARKER = re.compile(r"@@([A-Z]+)@@")


@dataclass(frozen=True, slots=True)
class Page:
    """The page, and how many documents it shows and left out for size."""

    html: str
    shown: int
    left_out: int


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a chart: a label, its value, a note after the value, a colour class."""

    label: str
    value: int
    note: str
    css: str


def render(report: RunReport) -> Page:
    """The whole page."""
    template = resources.files("cleaner").joinpath("report_template.html").read_text(encoding="utf-8")
    colours = _colour_css()
    docs, skipped = _doc_templates(report)
    index = {doc.stat.doc: i for i, (doc, _) in enumerate(docs)}
    values = {
        "CSP": _csp(template, colours),
        "TITLE": escape(f"cleaner report: {report.name}"),
        "COLOURS": colours,
        "BODY": _body(report, docs, index, skipped),
        "DATA": _data(report, docs, index),
    }
    html = _MARKER.sub(lambda m: values[m[1]], template)  # one pass: inserted text is never rescanned
    return Page(html, len(docs), skipped)


def _csp(template: str, colours: str) -> str:
    """Only this page's own style and script may run: nothing loads, nothing injected executes."""
    styles = [colours if s == "@@COLOURS@@" else s for s in re.findall(r"<style>(.*?)</style>", template, re.S)]
    scripts = re.findall(r"<script>(.*?)</script>", template, re.S)
    style_src = " ".join(_hash(s) for s in styles)
    script_src = " ".join(_hash(s) for s in scripts)
    return (f"default-src 'none'; style-src {style_src}; script-src {script_src}; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _colour_css() -> str:
    hues = [f".{css}{{--h:{round(i * GOLDEN_ANGLE) % 360}}}" for i, css in enumerate(CATEGORY_CLASS.values())]
    return "".join(hues) + f".{CATEGORY_CLASS[Category.WHITESPACE.value]},.{OTHER_CLASS}{{--h:0;filter:saturate(0)}}" \
        + f".{NEUTRAL_CLASS}{{--h:215}}"


def _cat(category: str) -> str:
    return CATEGORY_CLASS.get(category, OTHER_CLASS)


def _n(number: int) -> str:
    return f"{number:,}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _where(rule: str, source: str, book: Mapping[str, RuleInfo]) -> str:
    """A rule's file and line, from the rule book (the log names the file only)."""
    info = book.get(rule)
    return f"{info.source}:{info.line}" if info else source


# -- the body ------------------------------------------------------------------------------------------------


def _body(report: RunReport, docs: Sequence[tuple[ShownDoc, str]], index: Mapping[str, int], skipped: int) -> str:
    return "\n".join([
        f"<h1>Run report: {escape(report.name)}</h1>",
        '<nav><a href="#overview">Overview</a><a href="#charts">Charts</a><a href="#rules">Rules</a>'
        '<a href="#top">Most removed</a><a href="#documents">Documents</a><a href="#failures">Failures</a></nav>',
        _overview(report),
        _charts(report),
        _rules(report),
        _top(report, index),
        _documents(docs, skipped),
        _failures(report.summary),
        _footer(report, len(docs), skipped),
    ])


def _overview(report: RunReport) -> str:
    s = report.summary
    removed, total = int(s.get("removed_chars", 0)), int(s.get("input_chars", 0))
    share = f" ({removed / total:.1%} of {_n(total)})" if total else ""
    cards = [
        ("documents", _n(int(s.get("documents", report.log_docs)))), ("cleaned", _n(int(s.get("cleaned", 0)))),
        ("failed", _n(int(s.get("failed", 0)))), ("removed blocks", _n(int(s.get("removed_blocks", 0)))),
        ("removed characters", _n(removed) + share),
        ("rules fired", f"{_n(len(report.rules))} of {_n(len(report.book))}"),
        ("guard firings", _n(sum(int(v) for v in s.get("guard_fired", {}).values()))),
        ("log records", _n(report.log_records)),
    ]
    html = "".join(f'<div class="card"><b>{escape(v)}</b>{escape(k)}</div>' for k, v in cards)
    missing = "" if s else '<p class="note">No summary.json: the totals, sites and languages are missing.</p>'
    bad = f'<p class="note">{_n(report.bad_lines)} log lines were not JSON objects and were skipped.</p>' \
        if report.bad_lines else ""
    return f'<section id="overview"><div class="cards">{html}</div>{missing}{bad}{_legend()}</section>'


def _legend() -> str:
    chips = "".join(f'<span class="chip {css}">{escape(name)}</span>' for name, css in CATEGORY_CLASS.items())
    return f'<div class="legend"><span class="muted">categories:</span>{chips}</div>'


def _charts(report: RunReport) -> str:
    removed = report.summary.get("removed", {})
    charts = [
        ("Removed characters by category", [Bar(c, chars, f"{_n(lines)} lines", _cat(c))
                                            for c, lines, chars in report.categories]),
        ("Rules that removed most lines", [Bar(r.rule, r.lines, f"{_n(r.docs)} docs", _cat(r.category))
                                           for r in report.rules[:CHART_ROWS]]),
        ("Removed characters by site", _place_bars(removed.get("by_site", {}))),
        ("Removed characters by language", _place_bars(removed.get("by_lang", {}))),
    ]
    html = "".join(f"<div><h3>{escape(title)}</h3>{bar_chart(title, bars)}</div>" for title, bars in charts)
    return f'<section id="charts"><h2>Charts</h2><div class="charts">{html}</div></section>'


def _place_bars(counts: Mapping[str, Mapping[str, int]]) -> list[Bar]:
    ordered = sorted(counts.items(), key=lambda kv: (-int(kv[1].get("removed_chars", 0)), kv[0]))
    return [Bar(name, int(c.get("removed_chars", 0)), f"{_n(int(c.get('documents', 0)))} docs", NEUTRAL_CLASS)
            for name, c in ordered[:CHART_ROWS]]


def bar_chart(title: str, bars: Sequence[Bar]) -> str:
    """A horizontal bar chart in SVG, one row a bar, the label's full text on hover."""
    if not bars:
        return '<p class="muted">nothing to show</p>'
    top = max(max(b.value for b in bars), 1)
    rows = []
    for i, bar in enumerate(bars):
        y = i * ROW_HEIGHT
        width = max(round(BAR_WIDTH * bar.value / top), 1)
        label, value = escape(_cut(bar.label, 34)), escape(f"{_n(bar.value)} · {bar.note}")
        rows.append(f'<g class="{bar.css}"><title>{escape(bar.label)}: {value}</title>'
                    f'<text x="{LABEL_WIDTH - 6}" y="{y + 13}" text-anchor="end">{label}</text>'
                    f'<rect class="bar" x="{LABEL_WIDTH}" y="{y + 3}" width="{width}" height="12"/>'
                    f'<text class="value" x="{LABEL_WIDTH + width + 4}" y="{y + 13}">{value}</text></g>')
    height = len(bars) * ROW_HEIGHT + 4
    return (f'<svg class="chart" viewBox="0 0 {CHART_WIDTH} {height}" role="img" aria-label="{escape(title)}">'
            + "".join(rows) + "</svg>")


def _rules(report: RunReport) -> str:
    book = report.book
    least = sorted(report.rules, key=lambda r: (r.lines, r.rule))[:EXTREME_ROWS]
    extremes = (f'<div class="two"><div><h3>Fired most</h3>{_rule_table(report.rules[:EXTREME_ROWS], book)}</div>'
                f"<div><h3>Fired least</h3>{_rule_table(least, book)}</div></div>")
    rows = report.rules[:MAX_RULE_ROWS]
    more = f'<p class="muted">and {_n(len(report.rules) - len(rows))} rules more</p>' \
        if len(report.rules) > len(rows) else ""
    table = (f'<h3>Every rule that fired ({_n(len(report.rules))})</h3>'
             '<input id="rule-filter" class="filter" placeholder="filter rules (id, category, file)">'
             f'<div class="scroll">{_rule_table(rows, book, "rule-table")}</div>{more}')
    return (f'<section id="rules"><h2>Rules</h2><p class="muted">Click a rule for the documents where it fired.</p>'
            f"{extremes}{table}{_never_fired(report)}</section>")


def _rule_table(rules: Sequence[RuleStat], book: Mapping[str, RuleInfo], table_id: str = "") -> str:
    chars = '<th class="n" data-sort>characters</th>' if table_id else ""  # the small tables leave it out
    head = ('<thead><tr><th data-sort>rule</th><th data-sort>category</th><th data-sort>file:line</th>'
            f'<th class="n" data-sort>lines</th>{chars}<th class="n" data-sort>documents</th></tr></thead>')
    body = "".join(_rule_row(r, book, bool(table_id)) for r in rules)
    ident = f' id="{table_id}"' if table_id else ""
    return f"<table{ident}>{head}<tbody>{body}</tbody></table>"


def _rule_row(stat: RuleStat, book: Mapping[str, RuleInfo], chars: bool) -> str:
    info = book.get(stat.rule)
    tip = f' title="{escape(info.description)}"' if info else ""
    chars_cell = f'<td class="n">{_n(stat.chars)}</td>' if chars else ""
    return (f'<tr data-rule="{escape(stat.rule)}" data-docs="{stat.docs}"{tip}>'
            f'<td class="mono">{escape(stat.rule)}</td>'
            f'<td><span class="chip {_cat(stat.category)}">{escape(stat.category)}</span></td>'
            f'<td class="mono">{escape(_where(stat.rule, stat.source, book))}</td>'
            f'<td class="n">{_n(stat.lines)}</td>{chars_cell}<td class="n">{_n(stat.docs)}</td>'
            "</tr>")


def _never_fired(report: RunReport) -> str:
    if not report.never_fired:
        return ""
    listed = report.never_fired[:MAX_NEVER_FIRED]
    items = "".join(f'<li><span class="mono">{escape(r)}</span> '
                    f'<span class="muted">{escape(_where(r, "", report.book))}</span></li>' for r in listed)
    return (f"<details><summary>Never fired: {_n(len(report.never_fired))} of the rule book's "
            f"{_n(len(report.book))} rules</summary><ul>{items}</ul></details>")


def _top(report: RunReport, index: Mapping[str, int]) -> str:
    rows = "".join(
        f'<tr><td class="mono ellipsis">{_doc_ref(d.doc, index)}</td><td class="n">{_n(d.chars)}</td>'
        f'<td class="n">{_n(d.removals)}</td><td class="mono">{escape(", ".join(d.rules[:3]))}</td></tr>'
        for d in report.top)
    head = ('<thead><tr><th>document</th><th class="n">characters removed</th><th class="n">removals</th>'
            "<th>rules (most first)</th></tr></thead>")
    return (f'<section id="top"><h2>Documents where most was removed</h2>'
            f"<table>{head}<tbody>{rows}</tbody></table></section>")


def _doc_ref(doc: str, index: Mapping[str, int]) -> str:
    label = escape(_cut(doc, MAX_ID_CHARS))
    return f'<a href="#doc={index[doc]}">{label}</a>' if doc in index else label


def _documents(docs: Sequence[tuple[ShownDoc, str]], skipped: int) -> str:
    items = "".join(f'<li data-doc="{i}"><span class="mono">{escape(_cut(d.stat.doc, MAX_ID_CHARS))}</span> '
                    f'<span class="muted">{_n(d.stat.chars)} chars</span></li>' for i, (d, _) in enumerate(docs))
    templates = "".join(html for _, html in docs)
    note = f'<p class="muted">{_n(skipped)} more documents were left out to keep the page small.</p>' if skipped else ""
    return (f'<section id="documents"><h2>Documents ({_n(len(docs))} shown)</h2>'
            "<p class=\"muted\">Removed text is highlighted by category; hover for the rule, its file and line.</p>"
            f'{note}<div id="rule-panel"></div><div class="docs"><ul id="doc-list">{items}</ul>'
            f'<div id="viewer"></div></div>{templates}</section>')


def _failures(summary: Mapping[str, Any]) -> str:
    reasons = summary.get("errors_by_reason", {})
    if not reasons:
        return '<section id="failures"><h2>Failures</h2><p>No document failed.</p></section>'
    kinds = "".join(f'<tr><td>{escape(str(k))}</td><td class="n">{_n(int(v))}</td></tr>' for k, v in reasons.items())
    errors = list(summary.get("errors", {}).items())[:LISTED_ERRORS]
    named = "".join(f'<li><span class="mono">{escape(_cut(str(d), MAX_ID_CHARS))}</span>: '
                    f"{escape(_cut(str(r), MAX_CELL_CHARS))}</li>" for d, r in errors)
    return (f'<section id="failures"><h2>Failures ({_n(int(summary.get("failed", 0)))})</h2>'
            f"<table><tbody>{kinds}</tbody></table><h3>The first {len(errors)}</h3><ul>{named}</ul></section>")


def _footer(report: RunReport, shown: int, skipped: int) -> str:
    from .report import RULE_LISTED_DOCS, TOP_DOCS

    return (f'<footer class="muted"><h2>How this page was made</h2><p>cleaner {escape(__version__)} read '
            f"{_n(report.log_records)} log records of {_n(report.log_docs)} documents. It lists, per rule, up to "
            f"{RULE_LISTED_DOCS} documents chosen by a hash of their id, and the {TOP_DOCS} documents where most "
            f"was removed; it shows {_n(shown)} documents (the top ones, each rule's first examples, and a sample "
            f"by hash), each rebuilt from its clean text and the log and checked against the log"
            f"{f', and left {_n(skipped)} out for size' if skipped else ''}.</p></footer>")


# -- documents -----------------------------------------------------------------------------------------------


def _doc_templates(report: RunReport) -> tuple[list[tuple[ShownDoc, str]], int]:
    """Each shown document's `<template>`, in the report's order, while the budget lasts."""
    kept: list[tuple[ShownDoc, str]] = []
    used = skipped = 0
    for doc in report.shown:
        html = doc_template(len(kept), doc, report.book)
        size = len(html.encode("utf-8"))
        if used + size > DOC_BUDGET_BYTES:
            skipped += 1
            continue
        kept.append((doc, html))
        used += size
    return kept, skipped


def doc_template(number: int, doc: ShownDoc, book: Mapping[str, RuleInfo]) -> str:
    """One document: its id, numbers, text with highlighted removals, and its removals with file:line."""
    stat = doc.stat
    length = f" of {_n(len(doc.original))} ({stat.chars / max(len(doc.original), 1):.0%})" if doc.original else ""
    facts = (f"{_n(stat.removals)} removals, {_n(stat.chars)} characters removed{length}; "
             f"rules: {', '.join(stat.rules[:8])}{' …' if len(stat.rules) > 8 else ''}")
    why = f'<p class="note">Text not shown: {escape(doc.why)}.</p>' if doc.why else ""
    text = f'<pre class="doc">{text_view(doc.original, doc.removals, book)}</pre>' if doc.original is not None else ""
    return (f'<template id="doc-{number}"><h3 class="mono">{escape(_cut(stat.doc, MAX_ID_CHARS))}</h3>'
            f'<p class="muted">{escape(facts)}</p>{why}{text}{_removal_table(doc.removals, book)}</template>')


def text_view(original: str, removals: Sequence[Removal], book: Mapping[str, RuleInfo]) -> str:
    """The document's text, escaped, removals in `<mark>`; a long one only around its removals.

    >>> from cleaner.model import Category as C
    >>> text_view("Body <b>\\nShare\\n", [Removal(9, 14, 2, "Share", "en.share", C.SHARE, "en.yaml", "\\n")], {})
    'Body &lt;b&gt;\\n<mark class="c5" title="en.share · share · en.yaml">Share</mark>\\n'
    """
    cuts = [r for r in removals if not r.is_layout]
    starts = [0, *(m.end() for m in re.finditer("\n", original) if m.end() < len(original))]  # each line's start
    parts: list[str] = []
    budget, previous = MAX_SHOWN_CHARS, 0
    for first, last in _windows(original, cuts, starts):
        lo, hi = starts[first], starts[last + 1] if last + 1 < len(starts) else len(original)
        if first > previous:
            parts.append(_gap(previous, first - 1))
        if hi - lo > budget:
            parts.append(_highlight(original, cuts, lo, lo + budget, book))
            rest = _n(len(original) - lo - budget)
            parts.append(f'<span class="gap">⋯ the rest ({rest} characters) not shown ⋯</span>')
            return "".join(parts)
        parts.append(_highlight(original, cuts, lo, hi, book))
        budget, previous = budget - (hi - lo), last + 1
    if previous < len(starts) and starts[previous] < len(original):
        parts.append(_gap(previous, len(starts) - 1))
    return "".join(parts)


def _windows(original: str, cuts: Sequence[Removal], starts: Sequence[int]) -> list[tuple[int, int]]:
    """Runs of line indexes to show: all lines of a short document, else each removal's lines with context."""
    if len(original) <= FULL_TEXT_CHARS:
        return [(0, len(starts) - 1)]
    windows: list[tuple[int, int]] = []
    for cut in cuts:
        first = max(bisect_right(starts, cut.start) - 1 - CONTEXT_LINES, 0)
        last = min(bisect_right(starts, max(cut.end - 1, cut.start)) - 1 + CONTEXT_LINES, len(starts) - 1)
        if windows and first <= windows[-1][1] + 1:
            windows[-1] = (windows[-1][0], max(windows[-1][1], last))
        else:
            windows.append((first, last))
    return windows


def _gap(first: int, last: int) -> str:
    lines = f"line {first + 1}" if first == last else f"lines {first + 1}–{last + 1}"
    return f'<span class="gap">⋯ {lines} kept ⋯</span>'


def _highlight(original: str, cuts: Sequence[Removal], lo: int, hi: int, book: Mapping[str, RuleInfo]) -> str:
    parts, position = [], lo
    for cut in cuts:
        if cut.end <= lo or cut.start >= hi or cut.start < position:
            continue
        start, end = cut.start, min(cut.end, hi)
        title = f"{cut.rule} · {cut.category.value} · {_where(cut.rule, cut.source, book)}"
        parts.append(escape(original[position:start], quote=False))
        parts.append(f'<mark class="{_cat(cut.category.value)}" title="{escape(title)}">'
                     f"{escape(original[start:end], quote=False)}</mark>")
        position = end
    parts.append(escape(original[position:hi], quote=False))
    return "".join(parts)


def _removal_table(removals: Sequence[Removal], book: Mapping[str, RuleInfo]) -> str:
    cuts = [r for r in removals if not r.is_layout]
    rows = "".join(
        f'<tr><td class="n">{r.line}</td><td><span class="chip {_cat(r.category.value)}">'
        f'{escape(r.category.value)}</span></td><td class="mono">{escape(r.rule)}</td>'
        f'<td class="mono">{escape(_where(r.rule, r.source, book))}</td>'
        f"<td>{escape(_cut(r.text, MAX_CELL_CHARS), quote=False)}</td></tr>" for r in cuts[:MAX_TABLE_ROWS])
    more = f'<p class="muted">and {_n(len(cuts) - MAX_TABLE_ROWS)} more</p>' if len(cuts) > MAX_TABLE_ROWS else ""
    head = "<thead><tr><th>line</th><th>category</th><th>rule</th><th>file:line</th><th>removed text</th></tr></thead>"
    return f"<h4>Removals ({_n(len(cuts))})</h4><table>{head}<tbody>{rows}</tbody></table>{more}"


# -- the script's data ---------------------------------------------------------------------------------------


def _data(report: RunReport, docs: Sequence[tuple[ShownDoc, str]], index: Mapping[str, int]) -> str:
    """What the script needs: shown documents' ids and rules, each rule's listed documents and file:line."""
    listed = report.rules[:MAX_RULE_ROWS]
    data = {
        "docs": [{"id": _cut(d.stat.doc, MAX_ID_CHARS), "rules": list(d.stat.rules)} for d, _ in docs],
        "rules": {r.rule: [index.get(doc, _cut(doc, MAX_ID_CHARS)) for doc in r.sample] for r in listed},
        "info": {r.rule: _info(r, report.book) for r in listed},
    }
    # "<" escaped: no "</script>" or "<!--" can end the block early, whatever the ids say.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _info(stat: RuleStat, book: Mapping[str, RuleInfo]) -> str:
    info = book.get(stat.rule)
    where = _where(stat.rule, stat.source, book)
    return f"{where} · {info.description}" if info else where

