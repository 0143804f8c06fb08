"""Saved government web pages (.html) → Document, without the page chrome.

Nothing is executed or fetched: lxml's HTML parser with network access off, comments and processing instructions
removed, and ``<script>``, ``<style>``, forms and embedded objects dropped before any text is taken.

Finding the report: the deepest element that contains every numbered section heading found on the page
(``一、总体情况`` … ``六、其他需要报告的事项``, pattern in ``lexicons/reader_html.json``; headings inside links are
ignored). When fewer than two headings are found, a content-density walk takes over: from ``<body>``, descend into
the child holding at least 70% of the non-link text while there is one. Navigation, breadcrumbs (当前位置), share
buttons and footers sit outside that element, so they are left out without naming any site's CSS classes.

Layout: block elements (``p``, ``div``, ``h1``–``h6``, ``li`` …) and ``<br>`` end a paragraph; whitespace runs are
collapsed as a browser would (full-width spaces ``\\u3000`` are kept); ``<table>`` becomes a grid Block with
``rowspan``/``colspan`` expanded. Nested and layout tables follow the docx reader's rules.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from ..errors import ReadError
from ..model import Anchor, Document
from ..resources import load_json_lexicon
from .assemble import CellSpec, DocumentBuilder
from .dates import iso_date
from .text import decode_text

_DROP = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "button",
         "select", "input", "textarea", "head", "map", "audio", "video"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "header",
          "footer", "blockquote", "pre", "dl", "dt", "dd", "center", "form", "address", "figure", "figcaption",
          "main", "hr", "nav", "aside", "caption", "tr", "table", "tbody", "thead", "tfoot", "body", "html"}
_WS = re.compile(r"[ \t\r\n\f]+")
_EDGE = " \t\r\n\f\xa0"
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_MAX_SPAN = 200
_MAX_GRID = 200_000


def _lexicon() -> dict[str, Any]:
    return load_json_lexicon("reader_html.json")


def decode_html(path: Path, data: bytes) -> tuple[str, str]:
    """Valid UTF-8 wins (declarations lie more often than bytes), then the declared charset, then detection."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    m = _CHARSET.search(data[:4096])
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = m.group(1).decode("ascii", "ignore").lower()
        if declared in ("gb2312", "gbk"):
            declared = "gb18030"  # a superset; pages declared gb2312 routinely use GBK characters
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    return decode_text(path, data)


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _meta(root: etree._Element, names: list[str]) -> str | None:
    found: dict[str, str] = {}
    for m in root.iter("meta"):
        key = (m.get("name") or m.get("property") or m.get("itemprop") or "").strip().lower()
        content = (m.get("content") or "").strip()
        if key and content and key not in found:
            found[key] = content
    for name in names:
        if found.get(name.lower()):
            return found[name.lower()]
    return None


def _page_metadata(root: etree._Element) -> dict[str, Any]:
    lex = _lexicon()
    meta: dict[str, Any] = {}
    title = _meta(root, lex["title_meta"])
    if not title:
        t = root.find(".//title")
        title = _WS.sub(" ", t.text_content()).strip() if t is not None else None
    if title:
        meta["title"] = title
    published = _meta(root, lex["published_meta"])
    if published and iso_date(published):
        meta["published_raw"] = published
        meta["published"] = iso_date(published)
    publisher = _meta(root, lex["publisher_meta"])
    if publisher:
        meta["publisher"] = publisher
    url = _meta(root, lex["url_meta"])
    if not url:
        link = root.find(".//link[@rel='canonical']")
        url = link.get("href") if link is not None else None
    if url:
        meta["url"] = url
    return meta


def _text_metadata(page_text: str, meta: dict[str, Any]) -> None:
    """Fill published/publisher from labelled lines on the page (``发布时间：2023-01-04``) when meta lacks them."""
    lex = _lexicon()
    if "published" not in meta:
        for label in lex["published_text_labels"]:
            m = re.search(re.escape(label) + r"\s*[:：]\s*([0-9０-９][^\n]{0,30})", page_text)
            if m and iso_date(m.group(1)):
                meta["published_raw"], meta["published"] = m.group(1).strip(), iso_date(m.group(1))
                break
    if "publisher" not in meta:
        for label in lex["publisher_text_labels"]:
            m = re.search(re.escape(label) + r"\s*[:：][ \t\xa0\u3000]*([\u4e00-\u9fff（）()]{2,40})(?![:：\u4e00-\u9fff])",
                          page_text)
            if m:
                meta["publisher"] = m.group(1)
                break


def _clean_tree(root: etree._Element) -> None:
    for el in list(root.iter()):
        if el.getparent() is None:
            continue
        if not isinstance(el.tag, str):  # a comment or PI the parser kept (drop_tree keeps the tail text)
            el.drop_tree()
        elif _tag(el) in _DROP or _HIDDEN.search(el.get("style") or "") or el.get("hidden") is not None:
            el.drop_tree()


def _non_link_len(el: etree._Element, cache: dict[etree._Element, int]) -> int:
    key = el  # keyed by the element itself: the cache keeps the proxy alive (an id() could be reused)
    if key not in cache:
        if _tag(el) == "a":
            n = 0
        else:
            n = len((el.text or "").strip())
            for child in el:
                n += _non_link_len(child, cache) + len((child.tail or "").strip())
        cache[key] = n
    return cache[key]


def _leaf_blocks(body: etree._Element) -> list[etree._Element]:
    """Block elements (and table cells) with no block element inside: the units a heading is written in."""
    blockish = _BLOCK | {"td", "th"}
    blocks = [el for el in body.iter() if _tag(el) in blockish]
    has_block_inside: set[etree._Element] = set()
    for el in blocks:  # mark ancestors once: linear in the size of the page
        for anc in el.iterancestors():
            if anc in has_block_inside:
                break
            has_block_inside.add(anc)
    return [el for el in blocks if el not in has_block_inside]


def find_report_root(body: etree._Element, leaves: list[etree._Element]) -> etree._Element:
    """``leaves``: ``_leaf_blocks(body)``, computed once by the caller (the title search walks them too)."""
    pattern = re.compile(_lexicon()["section_heading_pattern"])
    hits: dict[str, etree._Element] = {}
    for el in leaves:
        if any(_tag(a) == "a" for a in el.iterancestors()):
            continue
        # text_content() joins a heading split over inline tags (<span>一、</span><b>总体情况</b>)
        text = "".join(t for t in el.itertext() if t)
        for m in pattern.finditer(" " + _WS.sub(" ", text)):
            hits.setdefault(m.group(0).strip()[:1], el)
    if len(hits) >= 2:
        chains = [[el, *el.iterancestors()][::-1] for el in hits.values()]
        common = body
        for level in zip(*chains):
            if all(x is level[0] for x in level):
                common = level[0]
            else:
                break
        return common
    cache: dict[etree._Element, int] = {}
    node = body
    while True:
        total = _non_link_len(node, cache)
        children = [c for c in node if isinstance(c.tag, str)]
        if not children or total == 0:
            return node
        best = max(children, key=lambda c: _non_link_len(c, cache))
        if _non_link_len(best, cache) >= 0.7 * total and _tag(best) not in ("p", "span", "a", "tr", "td"):
            node = best
        else:
            return node


_REPORT_TITLE = re.compile(r"(?:19|20)\d\d\s*年.{0,30}(?:政府信息公开|政务公开).{0,12}(?:年度报告|年报)")


def title_before(leaves: list[etree._Element], container: etree._Element) -> str | None:
    """The report's title when the page prints it above the article container (an <h1> in the page header),
    unless the container already opens with it: the last short block before the container that reads as a
    report title (year + 政府信息公开 + 年度报告)."""
    head = _WS.sub(" ", container.text_content()[:300])
    if _REPORT_TITLE.search(head):
        return None
    inside = set(container.iter())
    found = None
    for el in leaves:
        if el in inside:
            break
        if any(_tag(a) == "a" for a in el.iterancestors()) or _tag(el) in ("td", "th"):
            continue  # a link in a list of other reports, or a table cell of the page frame
        text = _WS.sub(" ", el.text_content()).strip()
        if len(text) <= 80 and _REPORT_TITLE.search(text):
            found = text
    return found


class _HtmlRenderer:
    def __init__(self, builder: DocumentBuilder, flatten_tables: bool = False):
        self.builder = builder
        self.flatten_tables = flatten_tables  # inside a cell: tables become text
        self.buffer: list[str] = []
        self.paragraphs = 0
        self.tables = 0

    def flush(self) -> None:
        text = _WS.sub(" ", "".join(self.buffer)).strip(_EDGE)
        self.buffer = []
        if text:
            self.builder.add_paragraph(text, Anchor("html", paragraph=self.paragraphs))
            self.paragraphs += 1

    def render(self, el: etree._Element) -> None:
        tag = _tag(el)
        if tag == "table":
            self.flush()
            self.table(el)
        elif tag == "br":
            self.flush()
        elif tag in _BLOCK:
            self.flush()
            self.inline_children(el)
            self.flush()
        else:
            self.inline_children(el)
        # the tail belongs to the parent's flow
        if el.tail:
            self.buffer.append(el.tail)

    def inline_children(self, el: etree._Element) -> None:
        if el.text:
            self.buffer.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                self.render(child)
            elif child.tail:
                self.buffer.append(child.tail)

    # ---------------------------------------------------------------- tables

    @staticmethod
    def rows(table: etree._Element) -> list[etree._Element]:
        out = []
        for child in table:
            t = _tag(child)
            if t == "tr":
                out.append(child)
            elif t in ("thead", "tbody", "tfoot"):
                out.extend(c for c in child if _tag(c) == "tr")
        return out

    def grid(self, table: etree._Element) -> tuple[list[list[object]], dict[object, etree._Element]]:
        trs = self.rows(table)
        occupied: dict[tuple[int, int], object] = {}
        cells: dict[object, etree._Element] = {}
        budget = _MAX_GRID  # spans beyond this many grid positions are ignored (hostile rowspan/colspan)
        for r, tr in enumerate(trs):
            c = 0
            for td in tr:
                if _tag(td) not in ("td", "th"):
                    continue
                while (r, c) in occupied:
                    c += 1
                rs = min(max(_int(td.get("rowspan"), 1), 1), len(trs) - r, _MAX_SPAN)
                cs = min(max(_int(td.get("colspan"), 1), 1), _MAX_SPAN)
                if rs * cs > budget:
                    rs = cs = 1
                budget -= rs * cs
                key = object()
                cells[key] = td
                for dr in range(rs):
                    for dc in range(cs):
                        occupied[(r + dr, c + dc)] = key
                c += cs
        if not occupied:
            return [], cells
        width = max(c for _, c in occupied) + 1
        grid = [[occupied.get((r, c)) or object() for c in range(width)] for r in range(len(trs))]
        return grid, cells

    def cell_text(self, td: etree._Element) -> str:
        sub = DocumentBuilder("", "html")
        renderer = _HtmlRenderer(sub, flatten_tables=True)
        renderer.inline_children(td)
        renderer.flush()
        return " ".join(b.text if b.kind == "paragraph" else b.text.replace("\n", " ").replace("\t", " ")
                        for b in sub.build().blocks)

    def table(self, table: etree._Element) -> None:
        grid, cells = self.grid(table)
        if not grid:
            return
        width = len(grid[0])
        if self.flatten_tables:
            self.buffer.append(" ".join(self.cell_text(td) for td in cells.values()))
            self.flush()
            return
        if width == 1 and (len(grid) == 1 or any(td.find(".//table") is not None for td in cells.values())):
            for td in cells.values():  # a layout frame: its content is ordinary text
                self.inline_children(td)
                self.flush()
            return
        index = self.tables
        self.tables += 1
        specs = [
            [CellSpec(key, self.cell_text(cells[key]) if key in cells else "",
                      Anchor("html", table=index, row=r, col=c)) for c, key in enumerate(row)]
            for r, row in enumerate(grid)
        ]
        self.builder.add_table(specs, Anchor("html", table=index))


def _int(value: str | None, default: int) -> int:
    try:
        return int(str(value).strip()) if value is not None else default
    except ValueError:
        return default


def read_html(path: Path, data: bytes) -> Document:
    text, encoding = decode_html(path, data)
    text = _XML_DECL.sub("", text)  # lxml refuses str input that declares an encoding
    try:
        parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ReadError("unknown_format", f"{path}: looks like HTML but cannot be parsed ({exc})") from None
    meta = _page_metadata(root)
    meta["encoding"] = encoding
    _clean_tree(root)
    body = root.find(".//body")
    if body is None:
        body = root
    _text_metadata(body.text_content(), meta)
    leaves = _leaf_blocks(body)
    container = find_report_root(body, leaves)
    meta["html_container"] = f"<{_tag(container)} class={container.get('class')!r} id={container.get('id')!r}>"
    builder = DocumentBuilder(str(path), "html")
    renderer = _HtmlRenderer(builder)
    title = title_before(leaves, container)
    if title is not None:
        meta["title_outside_container"] = True
        renderer.buffer.append(title)
        renderer.flush()
    renderer.inline_children(container)
    renderer.flush()
    return builder.build(meta)
