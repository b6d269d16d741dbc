"""HTML in: a page segmented into blocks that keep their DOM context.

The page is parsed once with lxml and walked once, without recursion.
Block-level elements (paragraphs,
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

Hostile pages lose no text. libxml2 gives up on a page nested deeper than
2,048 elements and drops everything after that point, so such a page is
parsed again with its tags past MAX_NESTING left out (their text stays), and
if that is not enough, with no nesting at all. Text after `</body>` or
`</html>` is kept, as browsers show it (libxml2 would drop it). Lone
surrogates become U+FFFD, and an XML declaration is ignored. Entities are
never expanded from a DTD and nothing is ever fetched: lxml's HTML parser
reads no external entity or DTD.
"""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html
import regex
from lxml import etree

from .detectors.selectors import Selection
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
MAX_NESTING = 512  # elements kept nested in a page libxml2 could not read whole (it gives up at 2,048)
VOID_TAGS = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())
RAW_TEXT_TAGS = frozenset("script style textarea title xmp noembed noframes iframe".split())
MAX_TAG_TOKENS = 5_000  # attributes on one tag: libxml2 compares each with the others (100,000 take minutes)
LONG_TAG_CHARS = 2 * MAX_TAG_TOKENS  # a tag shorter than this cannot have that many
_RESOURCE_LIMIT = "ERR_RESOURCE_LIMIT"  # libxml2's error when a page is nested too deep: it stops there
_TAG_OPEN = regex.compile(r"<(/?)([A-Za-z][^\s/>]*)")
_TAG_END_OR_QUOTE = regex.compile(r"[>\"']")
_SURROGATE = regex.compile(r"[\ud800-\udfff]")
_XML_DECLARATION = regex.compile(r"(?<=\A\ufeff?\s*)<\?xml\b[^>]*>")
_DOCUMENT_END = regex.compile(r"</(?:body|html)\s*>", regex.IGNORECASE)
_HIDDEN_STYLE = regex.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", regex.IGNORECASE)
_SPACES = regex.compile(r"\s+")
_ABSOLUTE_URL = regex.compile(r"^https?://[^\s/]+", regex.IGNORECASE)
_HTML_START = regex.compile(r"\A\ufeff?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|p|article)\b",
                            regex.IGNORECASE | regex.DOTALL)
# A page whose opening is no html/head/body tag (a fragment, a dataset's wrapper element, stray
# markup before <html>) is still a page when it opens with a tag and names several HTML elements.
_LEADING_SPACE = regex.compile(r"[\s\ufeff]*")
_MARKUP_START = regex.compile(r"\A(?:\u00ef\u00bb\u00bf)?\s*<[A-Za-z!?]")  # a tag, maybe after a mis-decoded BOM
_KNOWN_TAG = regex.compile(r"<(html|head|body|title|meta|link|script|style|div|p|span|a|img|br|table|tr|td|font|"
                           r"center|form|ul|li|h[1-6])\b", regex.IGNORECASE)
MIN_KNOWN_TAGS = 3  # distinct HTML element names in the opening that make markup a page
SNIFF_CHARS = 4096  # how much of a document its format is judged on


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
    >>> looks_like_html('<text id="x"><table><tr><td><a href="/">Home</a></td></tr></table>')
    True
    """
    start = _LEADING_SPACE.match(text).end()  # type: ignore[union-attr]  # it matches the empty string
    head = text[start : start + SNIFF_CHARS]
    if _HTML_START.match(head):
        return True
    return bool(_MARKUP_START.match(head)) and len({m.lower() for m in _KNOWN_TAG.findall(head)}) >= MIN_KNOWN_TAGS


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


def from_html(markup: str, selection: Selection | None = None) -> Document:
    """Parse a page and segment it into blocks with their DOM context.

    `selection` (a site template's selectors) adds the tokens of the
    elements it picks to their blocks' context. The document keeps the
    page's own URL (`<link rel=canonical>`, else `og:url`) and its tree.

    >>> doc = from_html('<html><body><nav class="menu"><a href="/">Home</a></nav><p>Body text.</p></body></html>')
    >>> [(b.text, b.link_density, "tag:nav" in b.context) for b in doc.blocks]
    [('Home', 1.0, True), ('Body text.', 0.0, False)]
    >>> doc.text
    'Home\\n\\nBody text.\\n'
    """
    root = _parse(markup)
    if root is None:
        return Document("", ())
    return _segment(root, selection, own_url(root))


def with_selection(document: Document, selection: Selection | None) -> Document:
    """A page segmented again with a site's selectors (the document itself when there are none)."""
    if selection is None or document.tree is None:
        return document
    return _segment(document.tree, selection, document.url)


def own_url(root: etree._Element) -> str | None:
    """The absolute URL a page gives itself: `<link rel=canonical>`, else `<meta property=og:url>`."""
    found: dict[str, str] = {}
    for element in root.iter("link", "meta"):
        if "canonical" in element.get("rel", "").lower().split():
            found.setdefault("canonical", element.get("href", "").strip())
        elif element.get("property", element.get("name", "")).strip().lower() == "og:url":
            found.setdefault("og", element.get("content", "").strip())
    for url in (found.get("canonical", ""), found.get("og", "")):
        if _ABSOLUTE_URL.match(url):
            return url
    return None


def _segment(root: etree._Element, selection: Selection | None, url: str | None) -> Document:
    """Walk a parsed page into blocks."""
    picked = selection.pick(root) if selection is not None else {}
    builder = _Builder()
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
            if element in picked:  # a site's selectors picked it: always recorded, however deep
                context = context | picked[element]
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
    return Document(text, tuple(builder.blocks), url, root)


def _parse(markup: str) -> etree._Element | None:
    """The page's tree; flattened when libxml2 hits a resource limit (and would drop the rest)."""
    markup = _prepare(markup)
    for nesting in (None, MAX_NESTING, 0):
        parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, recover=True, huge_tree=True)
        try:
            source = markup if nesting is None else _flatten(markup, nesting)
            root = lxml.html.document_fromstring(source, parser=parser)
        except (etree.ParserError, ValueError):  # no element at all: the page is empty, or comments only
            return None
        if not any(error.type_name == _RESOURCE_LIMIT for error in parser.error_log):
            break
    return root


def _prepare(markup: str) -> str:
    """The markup as libxml2 can read it whole.

    >>> _prepare('<?xml version="1.0" encoding="utf-8"?><p>a' + chr(0xD800) + '</p></body>after</html>')
    '<p>a�</p> after '
    """
    if _SURROGATE.search(markup):
        markup = _SURROGATE.sub("\ufffd", markup)  # lxml cannot encode them, and would lose the page
    markup = _XML_DECLARATION.sub("", markup, count=1)  # lxml refuses a str that declares its encoding
    markup = _DOCUMENT_END.sub(" ", markup)  # browsers show what follows </body> and </html>
    return _bare_crowded_tags(markup)


def _tag_end(markup: str, position: int) -> int:
    """Where the tag read from `position` ends (its `>`, quoted values stepped over), or -1."""
    while (found := _TAG_END_OR_QUOTE.search(markup, position)) is not None:
        if found.group() == ">":
            return found.start()
        position = markup.find(found.group(), found.end()) + 1
        if position == 0:
            return -1
    return -1


def _bare_crowded_tags(markup: str) -> str:
    """The markup with every tag of more than MAX_TAG_TOKENS attributes reduced to its name.

    Attribute values are no text, so nothing is lost but that element's
    class and id. A tag ends at the first `>` after its start, so the
    pieces between two `>` are measured first (in C) and only long ones
    looked into.

    >>> _bare_crowded_tags("<p>a</p><div " + "x " * 9000 + ">b</div>")
    '<p>a</p><div>b</div>'
    """
    pieces = markup.split(">")
    crowded = [i for i, piece in enumerate(pieces[:-1]) if len(piece) >= LONG_TAG_CHARS]
    changed = False
    for i in crowded:
        start = _TAG_OPEN.search(pieces[i])
        if start and not start.group(1) and len(pieces[i].split(None, MAX_TAG_TOKENS + 1)) > MAX_TAG_TOKENS:
            pieces[i] = pieces[i][: start.end()]
            changed = True
    return ">".join(pieces) if changed else markup


def _flatten(markup: str, nesting: int) -> str:
    """The markup with every tag nested deeper than `nesting` replaced by a space.

    Depth is counted simply (every start tag but void and self-closed ones
    opens an element, every end tag closes one), and raw-text elements
    (script, style...) are stepped over whole. Only text outside tags is
    kept as it is, so no text is lost, only structure.

    >>> _flatten("<div><div title='a>b'><b>x</b></div></div><br><p>y</p>", 1)
    '<div>  x  </div><br><p>y</p>'
    """
    parts: list[str] = []
    depth = kept_from = position = 0
    while (found := _TAG_OPEN.search(markup, position)) is not None:
        end = _tag_end(markup, found.end())
        if end < 0:
            break  # the tag never closes: libxml2 reads the rest as its attributes
        closing, name = bool(found.group(1)), found.group(2).lower()
        position = end + 1
        if closing:
            drop = depth > nesting
            depth = max(depth - 1, 0)
        elif name in VOID_TAGS or markup[end - 1] == "/":
            drop = False
        elif name in RAW_TEXT_TAGS:
            closer = regex.compile(rf"</{regex.escape(name)}\b[^>]*>", regex.IGNORECASE).search(markup, position)
            position = closer.end() if closer else len(markup)  # its end tag with it
            drop = False
        else:
            depth += 1
            drop = depth > nesting
        if drop:
            parts.append(markup[kept_from : found.start()])
            parts.append(" ")
            kept_from = end + 1
    parts.append(markup[kept_from:])
    return "".join(parts)
