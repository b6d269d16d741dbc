"""HTML in: a page segmented into blocks that keep their DOM context.

The page is parsed once with lxml and walked once, without recursion;
elements of the same kind (same attributes, same enclosing elements) share
what they give their blocks, built once. Block-level elements (paragraphs,
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

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeAlias

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
# Not `head`: its metadata (title, script, style, meta, link) is skipped or void anyway, and when
# libxml2 meets an unknown element in the head it keeps the whole page there, where a browser
# would have started the body.
SKIP_TAGS = frozenset(
    "script style noscript template title svg math iframe object embed canvas select option "
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
_TITLE_START = regex.compile(r"<title(?=[\s/>])[^>]*>", regex.IGNORECASE)
_TITLE_END = regex.compile(r"</title\s*>", regex.IGNORECASE)
_HIDDEN_STYLE = regex.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", regex.IGNORECASE)
_SPACES = regex.compile(r"\s+")
_ODD_SPACE = regex.compile("[\x1c-\x1f]")  # spaces to str.split(), not to the pattern above
CONTEXT_ATTRIBUTES = frozenset("class id role hidden aria-hidden style".split())  # what a block's context reads
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
# A document that opens with text is still a page when known tags (this many) make up this share of its
# opening: the dev set's scrapers glued a page's source after its title (tag-laden tutorials have far less).
MIN_MARKUP_TAGS = 20
MARKUP_SHARE = 0.5
_TAG = regex.compile(r"</?[A-Za-z][^<>]{0,300}>")
SNIFF_CHARS = 4096  # how much of a document its format is judged on
FRAMES_CACHED = 8_192  # frames kept for the next pages (about 1 kB each); a page makes a few hundred
ELEMENT_KINDS_CACHED = 16_384  # element kinds (tag and context attributes) whose tokens are kept across pages


_Signature: TypeAlias = str | tuple[str, str, str, str, bool, str, str]  # see _signature


@dataclass(slots=True, eq=False)
class _Frame:
    """What an open element gives the blocks inside it (never changed once made).

    Elements with the same attributes under the same frame share one frame
    (`_Walk.child`), so a page's context sets and paths are built once per
    distinct element kind, not once per element: a frame keeps the frames of
    the element kinds opened in it (`children`, by signature), so finding an
    element's frame is one look-up in its parent's. Frames compare by
    identity, and are not frozen: a frozen dataclass takes five times longer
    to make, and a page makes thousands.
    """

    tag: str
    context: frozenset[str]
    trail: tuple[str, ...]  # labels (tag#id.class) of the last PATH_LEVELS open elements, this one last
    path: str
    hidden: bool
    in_link: bool
    skip: bool
    block: bool  # a block-level element: its start and end cut blocks
    children: dict[_Signature, _Frame] = field(default_factory=dict)  # the frames of the kinds opened in it


@dataclass(slots=True)
class _Kept:
    """The frames of the pages read last (the tree below `root`), and how many were made since it was emptied.

    A frame is a value made from its parent frame and its element's kind
    alone, so pages of one site (or CMS) share theirs, and a frame is built
    once for all of them.
    """

    root: _Frame
    made: int = 0


_KEPT = _Kept(_Frame("#root", frozenset(), ("",), "", False, False, False, False))


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
    if _MARKUP_START.match(head):
        return len({m.lower() for m in _KNOWN_TAG.findall(head)}) >= MIN_KNOWN_TAGS
    return _mostly_markup(head)


def _mostly_markup(head: str) -> bool:
    """Whether tags make up most of a document's opening: a page after a line of text (a scraper's
    title glued before the page's source), not a text that shows a few tags.

    >>> _mostly_markup("Title" + '<div class="x"><a href="/">Home</a></div>' * 30)
    True
    >>> _mostly_markup("Use <b>bold</b> and <i>italics</i> sparingly: <p> opens a paragraph.")
    False
    """
    if head.count("<") < MIN_MARKUP_TAGS:
        return False
    tags = _TAG.findall(head)
    return len(_KNOWN_TAG.findall(head)) >= MIN_MARKUP_TAGS and sum(map(len, tags)) >= MARKUP_SHARE * len(head)


def _signature(element: etree._Element, tag: str) -> _Signature:
    """What of an element its frame depends on: its tag, and the attributes a context reads, if any."""
    names = element.keys()
    if not names or CONTEXT_ATTRIBUTES.isdisjoint(names):
        return tag
    get = element.get
    hidden = "hidden" in names
    return tag, get("class", ""), get("id", ""), get("role", ""), hidden, get("aria-hidden", ""), get("style", "")


@lru_cache(maxsize=ELEMENT_KINDS_CACHED)  # pages of one site (or CMS) repeat their element kinds
def _element_tokens(signature: _Signature) -> tuple[frozenset[str], str, bool]:
    """An element's own context tokens, its path label, and whether it hides its content."""
    if isinstance(signature, str):
        return frozenset((f"tag:{signature}",)), signature, False
    tag, class_names, ident, role, hidden, aria_hidden, style = signature
    classes = class_names.lower().split()
    ident, role = ident.strip().lower(), role.strip().lower()
    tokens = {f"tag:{tag}", *(f"class:{c}" for c in classes[:20])}
    tokens.update(token for token in (ident and f"id:{ident}", role and f"role:{role}") if token)
    label = tag + (f"#{ident}" if ident else "") + "".join(f".{c}" for c in classes[:3])
    hidden = hidden or aria_hidden.lower() == "true" or bool(_HIDDEN_STYLE.search(style))
    return frozenset(tokens), label, hidden


def _collapse(text: str, exact: bool) -> str:
    r"""The text with each whitespace run made one space, and stripped.

    str.split() splits at four characters the pattern does not (U+001C to
    U+001F): a text that has one is collapsed `exact`ly, with the pattern.

    >>> _collapse("  Hello \n\t world ", False)
    'Hello world'
    >>> _collapse("a \x1f b", True)
    'a \x1f b'
    """
    return _SPACES.sub(" ", text).strip() if exact else " ".join(text.split())


class _Builder:
    """Gathers inline text and cuts it into blocks at block boundaries."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.blocks: list[Block] = []
        self.texts: list[str] = []
        self.linked: list[str] = []  # the texts inside links
        self.offset = 0

    def flush(self, frame: _Frame, numbers: list[int]) -> None:
        """The gathered text as a block of the innermost open element (`frame`, numbers of the open ones).

        The walk gathers no spaces before a block's first text, so what is
        gathered always makes a block.
        """
        if not self.texts:
            return
        raw = "".join(self.texts)
        exact = _ODD_SPACE.search(raw) is not None
        text = _collapse(raw, exact)
        linked = sum(len(_collapse(t, exact)) for t in self.linked) if self.linked else 0
        if self.blocks:
            self.parts.append("\n\n")
            self.offset += 2
        index = len(self.blocks)
        self.blocks.append(Block(index, self.offset, self.offset + len(text), 2 * index + 1, text,
                                 path=frame.path, context=frame.context, link_density=min(1.0, linked / len(text)),
                                 hidden=frame.hidden, ancestors=tuple(numbers[-MAX_ANCESTORS:])))
        self.parts.append(text)
        self.offset += len(text)
        self.texts.clear()
        self.linked.clear()


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
    return _segment(root, selection, own_url(root), own_title(root))


def with_selection(document: Document, selection: Selection | None) -> Document:
    """A page segmented again with a site's selectors (the document itself when there are none)."""
    if selection is None or document.tree is None:
        return document
    return _segment(document.tree, selection, document.url, document.title)


def own_title(root: etree._Element) -> str:
    """The page's title, whitespace collapsed: its first `<title>`, else `<meta property=og:title>`.

    >>> own_title(etree.fromstring("<html><head><title> Storm hits   coast - Courier </title></head></html>"))
    'Storm hits coast - Courier'
    """
    element = next(root.iter("title"), None)
    title = " ".join("".join(element.itertext()).split()) if element is not None else ""
    if title:
        return title
    for meta in root.iter("meta"):
        if meta.get("property", meta.get("name", "")).strip().lower() == "og:title":
            return " ".join(meta.get("content", "").split())
    return ""


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


def _segment(root: etree._Element, selection: Selection | None, url: str | None, title: str = "") -> Document:
    """Walk a parsed page into blocks."""
    walk = _Walk(selection.pick(root) if selection is not None else {})
    walk.run(root)
    _KEPT.made += walk.made
    if _KEPT.made > FRAMES_CACHED:  # after the page, not during it: a big page needs all of its own
        _KEPT.root.children.clear()
        _KEPT.made = 0
    builder = walk.builder
    builder.flush(walk.frames[-1], walk.numbers)
    text = "".join(builder.parts) + ("\n" if builder.blocks else "")
    return Document(text, tuple(builder.blocks), url, root, title)


class _Walk:
    """The open elements during the walk, and their frames (shared by the elements of one kind and parent)."""

    def __init__(self, picked: dict[etree._Element, frozenset[str]]) -> None:
        self.picked = picked
        self.builder = _Builder()
        self.frames: list[_Frame] = [_KEPT.root]
        self.numbers: list[int] = []  # the open elements' numbers in document order
        self.made = 0  # frames made for elements of a kind not met before under their parent

    def run(self, root: etree._Element) -> None:
        """Walk the page once, in document order, gathering its text into blocks.

        The hot loop of reading a page: opening and closing an element are
        written out here, with the builder's lists at hand, so that an
        element of a kind met before costs a few list operations, one call
        (`_signature`) and one look-up in its parent frame's children.
        """
        frames, numbers, builder, frame_of, picked = self.frames, self.numbers, self.builder, self.frame_of, self.picked
        texts, linked, flush = builder.texts, builder.linked, builder.flush
        walker = etree.iterwalk(root, events=("start", "end"))
        count = 0
        for event, element in walker:
            if event == "start":
                parent = frames[-1]
                tag = element.tag
                tag = tag.lower() if isinstance(tag, str) else ""
                signature = tag if not tag or tag in SKIP_TAGS else _signature(element, tag)
                frame = parent.children.get(signature)
                if frame is None or (picked and element in picked):
                    frame = frame_of(element, parent, tag, signature)
                if frame.block and texts:
                    flush(parent, numbers)
                count += 1
                numbers.append(count)
                frames.append(frame)
                if frame.skip:
                    walker.skip_subtree()
                elif (text := element.text) and (texts or not text.isspace()):
                    texts.append(text)
                    if frame.in_link:
                        linked.append(text)
            else:
                frame = frames.pop()
                if frame.block and texts and not frame.skip:
                    flush(frame, numbers)
                numbers.pop()
                if (tail := element.tail) and not (parent := frames[-1]).skip and (texts or not tail.isspace()):
                    texts.append(tail)
                    if parent.in_link:
                        linked.append(tail)

    def frame_of(self, element: etree._Element, parent: _Frame, tag: str, signature: _Signature) -> _Frame:
        """The frame of an element opened under `parent`: shared with its kind, unless a selector picked it."""
        frame = parent.children.get(signature)
        if frame is None:
            frame = parent.children[signature] = self.child(parent, tag, signature, frozenset())
            self.made += 1
        if self.picked and element in self.picked:  # a site's selectors picked it: always recorded, however deep
            frame = self.child(parent, tag, signature, self.picked[element])
        return frame

    def child(self, parent: _Frame, tag: str, signature: _Signature, picked: frozenset[str]) -> _Frame:
        """The frame of an element under `parent` (`picked`: the tokens of the selectors that picked it)."""
        skip = parent.skip or tag in SKIP_TAGS or not tag
        tokens, label, hidden = _element_tokens(signature) if not skip else (frozenset(), tag, False)
        context = parent.context
        if len(context) < MAX_CONTEXT_TOKENS and not tokens <= context:
            context = context | tokens
        context = context | picked if picked else context
        trail = parent.trail[1 - PATH_LEVELS :] + (label,)
        return _Frame(tag, context, trail, " > ".join(trail), parent.hidden or hidden, parent.in_link or tag == "a",
                      skip, tag in BLOCK_TAGS)


def _parse(markup: str) -> etree._Element | None:
    """The page's tree; flattened when libxml2 hits a resource limit (and would drop the rest)."""
    markup = _prepare(markup)
    for nesting in (None, MAX_NESTING, 0):
        # etree's parser, not lxml.html's: its elements need no Python call each to pick their class
        parser = etree.HTMLParser(remove_comments=True, remove_pis=True, recover=True, huge_tree=True)
        try:
            source = markup if nesting is None else _flatten(markup, nesting)
            root = etree.fromstring(source, parser)
        except (etree.ParserError, ValueError):
            return None
        if root is None:  # no element at all: the page is empty, or comments only
            return None
        if not any(error.type_name == _RESOURCE_LIMIT for error in parser.error_log):
            break
    return root


def _prepare(markup: str) -> str:
    """The markup as libxml2 can read it whole.

    >>> _prepare('<?xml version="1.0" encoding="utf-8"?><p>a' + chr(0xD800) + '</p></body>after</html>')
    '<p>a�</p> after '
    """
    if not markup.isascii() and _SURROGATE.search(markup):
        markup = _SURROGATE.sub("\ufffd", markup)  # lxml cannot encode them, and would lose the page
    if "<?xml" in markup:  # a quick look first: the pattern is tried at every position
        markup = _XML_DECLARATION.sub("", markup, count=1)  # lxml refuses a str that declares its encoding
    markup = _DOCUMENT_END.sub(" ", markup)  # browsers show what follows </body> and </html>
    return _bare_crowded_tags(_close_title(markup))


def _close_title(markup: str) -> str:
    """The markup with a `<title>` that is never closed ended at the first tag after it.

    A title's text runs to `</title>`; without one (a page cut and spliced by
    its crawler), the whole page would be the title and the body empty.

    >>> _close_title("<title>Spliced<script>x()</script><p>Body</p>")
    '<title>Spliced</title><script>x()</script><p>Body</p>'
    >>> _close_title("<title>Fine</title><p>Body</p>")
    '<title>Fine</title><p>Body</p>'
    """
    start = _TITLE_START.search(markup)
    if start is None or _TITLE_END.search(markup, start.end()):
        return markup
    end = markup.find("<", start.end())
    return markup if end < 0 else f"{markup[:end]}</title>{markup[end:]}"


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
    looked into; a page without a long gap between two `>` (`_long_gap`)
    has none, and is left as it is.

    >>> _bare_crowded_tags("<p>a</p><div " + "x " * 9000 + ">b</div>")
    '<p>a</p><div>b</div>'
    """
    if not _long_gap(markup):
        return markup
    pieces = markup.split(">")
    crowded = [i for i, piece in enumerate(pieces[:-1]) if len(piece) >= LONG_TAG_CHARS]
    changed = False
    for i in crowded:
        start = _TAG_OPEN.search(pieces[i])
        if start and not start.group(1) and len(pieces[i].split(None, MAX_TAG_TOKENS + 1)) > MAX_TAG_TOKENS:
            pieces[i] = pieces[i][: start.end()]
            changed = True
    return ">".join(pieces) if changed else markup


def _long_gap(markup: str) -> bool:
    """Whether the markup may have LONG_TAG_CHARS characters in a row without a `>`.

    Such a stretch holds one of the consecutive windows of half that
    length whole, so a page with a `>` in each window has none (a few
    searches in C instead of a split of the whole page).

    >>> _long_gap("<p>" + "a" * LONG_TAG_CHARS + "</p>"), _long_gap("<p>a</p>" * LONG_TAG_CHARS)
    (True, False)
    """
    half = LONG_TAG_CHARS // 2
    return any(markup.find(">", start, start + half) < 0 for start in range(0, len(markup) - half + 1, half))


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
