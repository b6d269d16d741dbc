"""A small HTML snippet that a simple XPath picks: the examples of imported templates.

Imported selectors come without examples, but every rule must ship some.
This builds, for the XPath shapes site configs use, the elements the
expression names, nested step by step, with a line of text in the last:

    //div[@class="sidebar"]//ul[contains(@class, 'links')]
    -> <div class="sidebar"><ul class="links"><p>TEXT</p></ul></div>

Supported: `/` and `//` steps with a tag or `*`, predicates `@a="v"`,
`@a`, `contains(@a, "v")`, `starts-with(@a, "v")`, the class-token idiom
`contains(concat(' ', normalize-space(@class), ' '), ' v ')`, `[1]`, joined
by `and` (of an `or`, the first alternative), and unions (`a | b`: the first
branch that can be built). Leading `html` and `body` steps are left to the
page around the example. Anything else gives None. The caller then checks
that the selector really picks the snippet's text: the example tests the
selector, which is its point.
"""

from __future__ import annotations

from html import escape

import regex

_STEP = regex.compile(r"""(//?)([A-Za-z][\w-]*|\*)((?:\[(?:[^\[\]'"]|'[^']*'|"[^"]*")*\])*)""")
_PREDICATE = regex.compile(r"""\[((?:[^\[\]'"]|'[^']*'|"[^"]*")*)\]""")
_EQUALS = regex.compile(r"""^@([\w-]+)\s*=\s*(['"])(.*?)\2$""")
_CALL = regex.compile(r"""^(contains|starts-with)\(\s*@([\w-]+)\s*,\s*(['"])(.*?)\3\s*\)$""")
_TOKEN = regex.compile(
    r"""^contains\(\s*concat\(\s*(['"])\s\1\s*,\s*normalize-space\(\s*@([\w-]+)\s*\)\s*,\s*(['"])\s\3\s*\)\s*,"""
    r"""\s*(['"])\s*(.*?)\s*\4\s*\)$"""
)
_EXISTS = regex.compile(r"^@([\w-]+)$")
_TOP_LEVEL_BAR = regex.compile(r"""\|(?=(?:[^'"]|'[^']*'|"[^"]*")*$)""")
# Elements whose content is no text in the plain-text rendering (see cleaner.html.SKIP_TAGS).
TEXTLESS_TAGS = frozenset(
    "script style noscript template head title svg math iframe object embed canvas select option textarea input "
    "button map audio video source track picture img br hr meta link area base col wbr param".split()
)
INLINE_TAGS = frozenset("p span a b i em strong small h1 h2 h3 h4 h5 h6 li dt dd td th figcaption caption".split())
PAGE_STEPS = ("html", "body")


def snippet(xpath: str, text: str) -> str | None:
    """Markup the XPath picks, holding `text`; None for shapes this cannot build."""
    for branch in _TOP_LEVEL_BAR.split(xpath):
        built = _branch(branch.strip(), text)
        if built is not None:
            return built
    return None


def picks_no_text(xpath: str) -> bool:
    """Whether every branch of the XPath ends in an element with no text (`//script`, `//img[...]`)."""
    ends = [_steps(branch.strip()) for branch in _TOP_LEVEL_BAR.split(xpath)]
    return all(steps and steps[-1][0] in TEXTLESS_TAGS for steps in ends)


def _branch(xpath: str, text: str) -> str | None:
    steps = _steps(xpath)
    if not steps:
        return None
    while steps and steps[0][0] in PAGE_STEPS:
        steps = steps[1:]
    if not steps or steps[-1][0] in TEXTLESS_TAGS:
        return None
    elements = [_element(tag, predicates) for tag, predicates in steps]
    if any(e is None for e in elements):
        return None
    inner = escape(text) if steps[-1][0] in INLINE_TAGS else f"<p>{escape(text)}</p>"
    for (tag, _), attributes in zip(reversed(steps), reversed(elements), strict=True):
        inner = f"<{tag}{attributes}>{inner}</{tag}>"
    return inner


def _steps(xpath: str) -> list[tuple[str, str]] | None:
    """(tag, predicates) of each step; None unless the steps make up the whole expression."""
    steps, position = [], 0
    while position < len(xpath):
        found = _STEP.match(xpath, position)
        if found is None:
            return None
        tag = "div" if found.group(2) == "*" else found.group(2).lower()
        steps.append((tag, found.group(3)))
        position = found.end()
    return steps


def _element(tag: str, predicates: str) -> str | None:
    """The attributes (as markup) that satisfy a step's predicates; None when one cannot be read."""
    attributes: dict[str, list[str]] = {}
    for predicate in _PREDICATE.findall(predicates):
        first = regex.split(r"\s+or\s+", predicate.strip())[0]
        for condition in regex.split(r"\s+and\s+", first):
            if not _satisfy(condition.strip(), attributes):
                return None
    return "".join(f' {name}="{escape(" ".join(values))}"' for name, values in attributes.items())


def _satisfy(condition: str, attributes: dict[str, list[str]]) -> bool:
    if condition == "1":
        return True
    for pattern, name_group, value_group in ((_EQUALS, 1, 3), (_CALL, 2, 4), (_TOKEN, 2, 5)):
        found = pattern.match(condition)
        if found:
            attributes.setdefault(found.group(name_group).lower(), []).append(found.group(value_group))
            return True
    exists = _EXISTS.match(condition)
    if exists:
        attributes.setdefault(exists.group(1).lower(), []).append("x")
        return True
    return False
