"""HTML in: a page segmented into blocks that keep their DOM context.

The page is parsed once with lxml and walked once, without recursion (so a
page nested 100,000 deep is no problem). Block-level elements (paragraphs,
headings, list items, cells, captions...) and `<br>` separate blocks; inline
text is gathered with its spacing collapsed. Each block keeps:

- `path`: a CSS-like path of its element (the last few levels);
- `context`: the tags, class and id tokens and ARIA roles of its element and
  every ancestor (`tag:nav`, `class:share-buttons`, `id:comments`,
  `role:navigation`), which DOM rules match;
- `link_density`: the share of its characters inside links;
- `hidden`: whether an ancestor is hidden (`hidden`, `aria-hidden="true"`,
  `display:none`, `visibility:hidden`).

The page's plain-text rendering is the blocks separated by blank lines; the
engine cleans it like any text, and offsets in the log point into it.
"""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html
import regex
from lxml import etree

from .document import Document
from .model import Block

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li main menu nav ol p pre section summary "
    "table tbody td tfoot th thead tr ul br".split()
)
SKIP_TAGS = frozenset(
    "script style noscript template head title svg math iframe object embed canvas select option "
    "textarea input button map audio video source track picture".split()
)
MAX_ANCESTORS = 48  # enclosing elements a block remembers (the nearest ones)
PATH_LEVELS = 4  # how many ancestors a block's path shows
MAX_CONTEXT_TOKENS = 400  # tokens kept per element's context (deep pages repeat themselves)
_HIDDEN_STYLE = regex.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", regex.IGNORECASE)
_SPACES = regex.compile(r"\s+")
_HTML_START = regex.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|p|article)\b",
                            regex.IGNORECASE | regex.DOTALL)


@dataclass(frozen=True, slots=True)
class _Frame:
    """One open element during the walk."""

    tag: str
    label: str  # tag#id.class, for paths
    context: frozenset[str]
    hidden: bool
    in_link: bool
    skip: bool
    number: int  # the element's number in document order


def looks_like_html(text: str) -> bool:
    """Whether a document is HTML rather than plain text (judged by its opening).

    >>> looks_like_html("<!DOCTYPE html><html><body><p>Hi</p></body></html>")
    True
    >>> looks_like_html("Le <b>gras</b> en texte brut")
    False
    """
    return bool(_HTML_START.match(text[:4096]))


def _element_tokens(element: etree._Element, tag: str) -> tuple[set[str], str, bool]:
    attrs = element.attrib
    tokens = {f"tag:{tag}"}
    classes = attrs.get("class", "").lower().split()
    tokens.update(f"class:{c}" for c in classes[:20])
    ident = attrs.get("id", "").strip().lower()
    if ident:
        tokens.add(f"id:{ident}")
    role = attrs.get("role", "").strip().lower()
    if role:
        tokens.add(f"role:{role}")
    label = tag + (f"#{ident}" if ident else "") + "".join(f".{c}" for c in classes[:3])
    hidden = (
        "hidden" in attrs
        or attrs.get("aria-hidden", "").lower() == "true"
        or bool(_HIDDEN_STYLE.search(attrs.get("style", "")))
    )
    return tokens, label, hidden


class _Builder:
    """Gathers inline text and cuts it into blocks at block boundaries."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.blocks: list[Block] = []
        self.pieces: list[tuple[str, bool]] = []
        self.offset = 0

    def add(self, text: str | None, frame: _Frame) -> None:
        if text and not frame.skip:
            self.pieces.append((text, frame.in_link))

    def flush(self, stack: list[_Frame]) -> None:
        if not self.pieces:
            return
        raw = "".join(text for text, _ in self.pieces)
        text = _SPACES.sub(" ", raw).strip()
        if text:
            linked = sum(len(_SPACES.sub(" ", t).strip()) for t, in_link in self.pieces if in_link)
            frame = stack[-1]
            path = " > ".join(f.label for f in stack[-PATH_LEVELS:])
            if self.blocks:
                self.parts.append("\n\n")
                self.offset += 2
            index = len(self.blocks)
            ancestors = tuple(f.number for f in stack[-MAX_ANCESTORS:] if f.number >= 0)
            block = Block(index, self.offset, self.offset + len(text), 2 * index + 1, text,
                          path=path, context=frame.context, link_density=min(1.0, linked / len(text)),
                          hidden=frame.hidden, ancestors=ancestors)
            self.blocks.append(block)
            self.parts.append(text)
            self.offset += len(text)
        self.pieces = []


def from_html(markup: str) -> Document:
    """Parse a page and segment it into blocks with their DOM context.

    >>> doc = from_html('<html><body><nav class="menu"><a href="/">Home</a></nav><p>Body text.</p></body></html>')
    >>> [(b.text, b.link_density, "tag:nav" in b.context) for b in doc.blocks]
    [('Home', 1.0, True), ('Body text.', 0.0, False)]
    >>> doc.text
    'Home\\n\\nBody text.\\n'
    """
    root = _parse(markup)
    builder = _Builder()
    if root is None:
        return Document("", ())
    base = _Frame("#root", "", frozenset(), False, False, False, -1)
    stack: list[_Frame] = [base]
    numbered = 0
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if event == "start":
            parent = stack[-1]
            skip = parent.skip or tag in SKIP_TAGS or not tag
            if skip:
                walker.skip_subtree()
            if tag in BLOCK_TAGS:
                builder.flush(stack)
            tokens, label, hidden = _element_tokens(element, tag) if not skip else (set(), tag, False)
            context = parent.context | tokens if len(parent.context) < MAX_CONTEXT_TOKENS else parent.context
            numbered += 1
            frame = _Frame(tag, label, context, parent.hidden or hidden, parent.in_link or tag == "a", skip, numbered)
            stack.append(frame)
            builder.add(element.text, frame)
        else:
            frame = stack[-1]
            if tag in BLOCK_TAGS and not frame.skip:
                builder.flush(stack)
            stack.pop()
            builder.add(element.tail, stack[-1])
    builder.flush(stack)
    text = "".join(builder.parts) + ("\n" if builder.blocks else "")
    return Document(text, tuple(builder.blocks))


def _parse(markup: str) -> etree._Element | None:
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, recover=True, huge_tree=True)
    try:
        return lxml.html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):
        return None
