"""Decide what a file is from its bytes (never from its extension) and refuse what nianbao cannot read.

The extension is only used to make a refusal message more precise (a Word-binary compound file named ``.wps`` is a
WPS document) or to say that the name and the content disagree.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ReadError
from . import ole
from .mht import is_mht
from .safezip import is_zip

_CONVERT = "open it in Word or WPS and 另存为 .docx, or run `libreoffice --headless --convert-to docx FILE`"
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
                         re.IGNORECASE | re.DOTALL)
_HTML_TAGS = re.compile(rb"<(?:html|body|div|p|table|br|span|head|meta)\b[^>]*>", re.IGNORECASE)
_WORD_XML = re.compile(rb"<(?:w:wordDocument|pkg:package)\b|progid=\"Word\.Document")
_BINARY_NAMES = {".docx", ".doc", ".pdf", ".wps", ".xls", ".xlsx", ".et", ".ofd", ".docm", ".dotx"}


def _head_text_bytes(data: bytes) -> bytes:
    """The first KB as ASCII-compatible bytes (UTF-16 with a BOM is transcoded so HTML sniffing still works)."""
    head = data[:4096]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    return head.lstrip(b"\xef\xbb\xbf")


def sniff(path: Path, data: bytes) -> str:
    """'zip' | 'ole' | 'pdf' | 'mht' | 'html' | 'text'; raises ReadError for formats nianbao refuses."""
    if data.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    if is_zip(data):
        return "zip"
    if ole.is_ole(data):
        return "ole"
    head = _head_text_bytes(data)
    if head.startswith(b"{\\rtf"):
        raise ReadError("unknown_format", f"{path}: is an RTF document; {_CONVERT}")
    if is_mht(head):
        return "mht"
    if head.lstrip().startswith(b"<?xml") and _WORD_XML.search(head):
        raise ReadError("unknown_format", f"{path}: is a Word XML document (Word 2003 XML / flat XML); {_CONVERT}")
    if _HTML_START.match(head) or (head.lstrip().startswith(b"<") and len(_HTML_TAGS.findall(head)) >= 2):
        return "html"
    return "text"


def ole_error(path: Path, data: bytes) -> ReadError:
    """The precise refusal for an OLE2 compound file, from the stream names in its directory."""
    names = {n.lower() for n in ole.stream_names(data)}
    ext = path.suffix.lower()
    if "encryptioninfo" in names or "encryptedpackage" in names:
        return ReadError("encrypted", f"{path}: is a password-protected Office document; open it, remove the "
                                      "password (文件 → 信息 → 保护文档 / 文档加密) and save as .docx")
    if "worddocument" in names:
        if ext == ".wps":
            return ReadError("legacy_wps", f"{path}: is a WPS .wps document; {_CONVERT}")
        named = f"named {ext}" if ext else "without an extension"
        return ReadError("legacy_doc", f"{path}: is a legacy Word 97-2003 .doc file (even if {named}); {_CONVERT}")
    if "workbook" in names or "book" in names:
        if ext == ".et":
            return ReadError("legacy_wps", f"{path}: is a WPS .et spreadsheet; nianbao reads reports, not "
                                           "spreadsheets: export the report as .docx or .pdf")
        return ReadError("legacy_xls", f"{path}: is a legacy Excel .xls workbook; nianbao reads reports, not "
                                       "spreadsheets: export the report as .docx or .pdf")
    if ext in (".wps", ".et"):
        return ReadError("legacy_wps", f"{path}: is a WPS Office file; {_CONVERT}")
    return ReadError("unknown_format", f"{path}: is an OLE2 compound file nianbao cannot read "
                                       f"(streams: {', '.join(sorted(names))[:120] or 'none'}); {_CONVERT}")


def zip_kind(names: list[str]) -> str:
    """'docx' | 'ofd' | 'xlsx' | 'pptx' | 'other' from the member names of a zip container."""
    lowered = {n.lower() for n in names}
    if "word/document.xml" in lowered or any(n.startswith("word/") and n.endswith(".xml") for n in lowered):
        return "docx"
    if "ofd.xml" in lowered:
        return "ofd"
    if any(n.startswith("xl/") for n in lowered):
        return "xlsx"
    if any(n.startswith("ppt/") for n in lowered):
        return "pptx"
    return "other"


def binary_error(path: Path) -> ReadError:
    """Unreadable binary content; a mismatch when the name promised a binary document format."""
    ext = path.suffix.lower()
    if ext in _BINARY_NAMES:
        return ReadError("format_mismatch", f"{path}: is named {ext} but its content is not a {ext[1:]} file "
                                            "(nor any format nianbao reads); check that the file is complete")
    return ReadError("binary_content", f"{path}: contains binary data, not text; give nianbao the original .docx, "
                                       ".pdf, .html or a UTF-8 .txt")
