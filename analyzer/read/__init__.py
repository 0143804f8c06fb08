"""Readers: turn a file into a ``Document``. The format is sniffed from the content, not the extension.

``read_document(path, config)`` is the only entry point other stages use. It either returns a ``Document`` or
raises ``ReadError`` with a stable code (see ``analyzer/errors.py``); the file is opened read-only, once.

Modules: ``sniff`` (what is this file?), ``safezip`` (zip-bomb / DTD guards), ``ole`` (legacy Office files),
``text``, ``docx``, ``html`` (+ ``mht`` web archives), ``pdf`` (one reader per format), ``assemble`` (the text
layout shared by all readers), ``convert`` (optional LibreOffice conversion of .doc/.wps).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..config import Config
from ..errors import ReadError
from ..model import Document
from .sniff import binary_error, sniff, zip_kind
from .text import document_from_text

__all__ = ["read_document", "document_from_text"]


def _size(n: float) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n / 1024:.1f} KB"


def _read_bytes(path: Path, config: Config) -> bytes:
    """The file's bytes, after checking (by ``stat``, before reading) that it exists, is a file and is not too big."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ReadError("not_found", f"{path}: file not found") from None
    except OSError as exc:
        raise ReadError("not_found", f"{path}: cannot be opened ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise ReadError("not_found", f"{path}: is not a regular file")
    cap = config.threshold("max_input_mb") * 1024 * 1024
    if st.st_size > cap:
        raise ReadError("too_large", f"{path}: is {_size(st.st_size)}, over the {_size(cap)} cap (max_input_mb); "
                                     "split the file or raise max_input_mb in nianbao.toml")
    if st.st_size == 0:
        raise ReadError("empty_file", f"{path}: the file is empty")
    try:
        with open(path, "rb") as fh:
            data = fh.read(int(cap) + 1)
    except OSError as exc:
        raise ReadError("not_found", f"{path}: cannot be read ({exc.strerror})") from None
    if len(data) > cap:  # grew between stat and read
        raise ReadError("too_large", f"{path}: is over the {_size(cap)} cap (max_input_mb)")
    return data


def read_document(path: str | Path, config: Config | None = None) -> Document:
    """Read ``path`` into a Document, or raise ``ReadError`` with a stable code."""
    config = config or Config()
    path = Path(path)
    data = _read_bytes(path, config)
    if not data.strip(b" \t\r\n\x00\x0b\x0c") or data in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        raise ReadError("empty_file", f"{path}: the file is empty (only whitespace)")
    kind = sniff(path, data)
    if kind == "pdf":
        from .pdf import read_pdf

        doc = read_pdf(path, data, config)
    elif kind == "zip":
        doc = _read_zip(path, data, config)
    elif kind == "ole":
        doc = _read_ole(path, data, config)
    elif kind == "html":
        from .html import read_html

        doc = read_html(path, data)
    elif kind == "mht":
        from .html import read_html
        from .mht import html_part

        doc = read_html(path, html_part(path, data))
        doc.metadata["container"] = "mht"
    else:
        from .text import read_text

        try:
            doc = read_text(path, data)
        except ReadError as err:
            if err.code == "binary_content":
                raise binary_error(path) from None  # names the mismatch when the extension promised a document
            raise
    if not doc.text.strip():
        raise ReadError("empty_file", f"{path}: no text could be read from this {doc.source_format} file")
    doc.metadata.setdefault("size_bytes", len(data))
    return doc


def _read_ole(path: Path, data: bytes, config: Config) -> Document:
    """Legacy Office files are refused with advice, unless LibreOffice conversion is switched on (see convert.py)."""
    from .convert import convert_and_read
    from .sniff import ole_error

    err = ole_error(path, data)
    if err.code in ("legacy_doc", "legacy_wps"):
        doc = convert_and_read(path, data, ".wps" if err.code == "legacy_wps" else ".doc", config)
        if doc is not None:
            return doc
    raise err


def _read_zip(path: Path, data: bytes, config: Config) -> Document:
    from .safezip import open_zip

    sz = open_zip(path, data, config)
    kind = zip_kind(sz.names)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(path, data, sz, config)
    if kind == "ofd":
        raise ReadError("ofd", f"{path}: is an OFD document; export it as PDF (e.g. in 数科OFD阅读器 or 福昕OFD: "
                               "文件 → 另存为 PDF) or ask the publisher for the .docx")
    if kind in ("xlsx", "pptx"):
        raise ReadError("unknown_format", f"{path}: is an Office {kind} file, not a report document; "
                                          "export the report as .docx or .pdf")
    raise ReadError("unknown_format", f"{path}: is a zip archive that holds no Word document; "
                                      "unpack it and audit the report inside")
