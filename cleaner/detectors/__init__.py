"""Detector kinds: each module marks blocks for one kind of rule.

A detector module has `KIND` (the `kind:` of a rule), `PRIORITY` (which mark
wins when two rules claim one block: higher wins), `CONTEXTUAL` (whether it
looks at a block's neighbours in the blocks still kept; if not, its marks
are reused between the engine's passes: detectors that judge each block
alone, and the page's core, judged on the page as it came), `OPTIONS` (its rule keys,
as data), `compile(options)` (checks and prepares one rule's options),
`prepare(rules)` (builds one matcher for all rules of its kind in a rule set)
and `detect(prepared, page)` (yields marks). The registry below is the only
list of kinds: grep finds everything.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    body,
    core,
    dom,
    foreign,
    head,
    main,
    pattern,
    phrases,
    run,
    script,
    sequence,
    strip,
    tail,
    title,
    token_row,
    zone,
)
from .base import DocumentTimeout, Option, OptionError, Page, RuleTimeout

DETECTORS: dict[str, ModuleType] = {
    module.KIND: module
    for module in (
        phrases, pattern, sequence, zone, tail, head, title, core, run, script, token_row, foreign, dom, main, body,
        strip,
    )
}

__all__ = ["DETECTORS", "DocumentTimeout", "Option", "OptionError", "Page", "RuleTimeout"]
