"""Plain text: encoding detection, line endings, and the header of web-scraped files.

Decoding order (first that succeeds wins): a BOM (UTF-8/16/32) → strict UTF-8 → strict GB18030 when the result
looks like Chinese text → charset-normalizer's best guess when it also looks like text. Anything else is
``undecodable_text``; bytes full of control characters are ``binary_content``.

The only change made to the text is CRLF/CR → LF. One paragraph Block per non-empty line; text-form tables are left
to the tables module.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

from ..errors import ReadError
from ..model import Anchor, Block, Document
from .dates import iso_date

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts with the UTF-16 LE BOM
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never occur in text (everything below 0x20 except \t \n \v \f \r and ESC).
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f\ufffd]")

# Lines a web scrape puts before the report: "标题: …", then a "==== 正文 ====" separator.
_HEADER_FIELDS = {"标题": "title", "发布时间": "published", "发布机构": "publisher", "原文链接": "url",
                  "来源": "publisher", "发文机关": "publisher", "成文日期": "written"}
_HEADER_LINE = re.compile(r"^\s*(" + "|".join(_HEADER_FIELDS) + r")\s*[:：]\s*(.*?)\s*$")
_BODY_SEPARATOR = re.compile(r"^\s*[=＝\-]{3,}\s*正文\s*[=＝\-]{3,}\s*$")
_HEADER_MAX_LINES = 20


def looks_binary(data: bytes) -> bool:
    """Control bytes in more than 1% of a sample (UTF-16 text is recognised separately, before this test)."""
    sample = data[:65536]
    if not sample:
        return False
    bad = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    return bad > max(2, len(sample) // 100)


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NUL bytes sit regularly on one side (mostly-ASCII UTF-16 without a BOM)."""
    sample = data[:4096]
    if len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.8 * len(sample) // 2 and even < 0.1 * len(sample) // 2:
        return "utf-16-le"
    if even > 0.8 * len(sample) // 2 and odd < 0.1 * len(sample) // 2:
        return "utf-16-be"
    return None


def plausible_text(text: str) -> bool:
    """Decoded text that a person wrote: few control characters; non-ASCII mostly CJK and CJK punctuation."""
    if not text:
        return False
    if len(_CONTROL_CHARS.findall(text)) > max(2, len(text) // 200):
        return False
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not non_ascii:
        return True
    cjk = sum(
        1 for ch in non_ascii
        if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
        or "\u2010" <= ch <= "\u206f" or ch in "\u00a0\u00b7\u00d7"
    )
    return cjk / len(non_ascii) >= 0.85


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """(text, encoding name) or ReadError(binary_content | undecodable_text)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
                return text.lstrip("\ufeff"), enc
            except UnicodeDecodeError:
                raise ReadError("undecodable_text", f"{path}: starts with a {enc} byte-order mark but is not valid "
                                                    f"{enc}; re-save it as UTF-8") from None
    enc16 = utf16_without_bom(data)
    if enc16:
        try:
            text = data.decode(enc16)
            if plausible_text(text):
                return text, enc16
        except UnicodeDecodeError:
            pass
    if looks_binary(data) and len(data) % 2 == 0:
        # Chinese UTF-16 without a BOM has control bytes everywhere but decodes to plausible CJK text.
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if plausible_text(text) and sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") > len(text) // 3:
                return text, enc
    if looks_binary(data):
        raise ReadError("binary_content", f"{path}: contains binary data, not text; give nianbao the original "
                                          ".docx, .pdf, .html or a UTF-8 .txt")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if plausible_text(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1 << 20]).best()
    if best is not None:
        try:
            text = data.decode(best.encoding)
            if plausible_text(text):
                return text, best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    raise ReadError("undecodable_text", f"{path}: the text encoding could not be determined reliably; "
                                        "re-save it as UTF-8")


def normalise_newlines(text: str) -> tuple[str, str]:
    """CRLF and lone CR → LF. Returns (text, what the file used: 'lf' | 'crlf' | 'cr' | 'mixed' | 'none')."""
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [k for k, n in (("crlf", crlf), ("cr", cr), ("lf", lf)) if n]
    style = kinds[0] if len(kinds) == 1 else ("none" if not kinds else "mixed")
    if crlf or cr:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, style


def scrape_header(text: str) -> dict[str, Any]:
    """Metadata from a web-scrape header (only when a '==== 正文 ====' line closes it); {} otherwise."""
    meta: dict[str, Any] = {}
    offset = 0
    for i, line in enumerate(text.split("\n")):
        if i >= _HEADER_MAX_LINES:
            return {}
        if _BODY_SEPARATOR.match(line):
            if not meta:
                return {}
            meta["body_start"] = offset + len(line) + 1
            return meta
        m = _HEADER_LINE.match(line)
        if m:
            key, value = _HEADER_FIELDS[m.group(1)], m.group(2)
            if key in ("published", "written"):
                meta[key + "_raw"] = value
                value = iso_date(value) or None
            if value and key not in meta:
                meta[key] = value
        elif line.strip():
            return {}  # some other text before the separator: not a scrape header
        offset += len(line) + 1
    return {}


def document_from_text(path: str, text: str, source_format: str = "text", metadata: dict | None = None) -> Document:
    """Build a Document whose blocks are the non-empty lines of ``text`` (line endings normalised to \\n)."""
    text, _ = normalise_newlines(text)
    blocks = []
    offset = 0
    for i, line in enumerate(text.split("\n")):
        if line.strip():
            blocks.append(Block("paragraph", line, offset, offset + len(line), Anchor("text", paragraph=i)))
        offset += len(line) + 1
    return Document(path=path, source_format=source_format, text=text, blocks=blocks, metadata=dict(metadata or {}))


def read_text(path: Path, data: bytes) -> Document:
    raw, encoding = decode_text(path, data)
    text, newline = normalise_newlines(raw)
    meta: dict[str, Any] = {"encoding": encoding, "bom": encoding in ("utf-8-sig", "utf-16", "utf-32"),
                            "newline": newline}
    meta.update(scrape_header(text))
    return document_from_text(str(path), text, "text", meta)
