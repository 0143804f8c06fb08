"""Errors a user can act on. Each has a stable string code (JSON ``error.code``, batch rows) and a one-line message.

Anything raised while reading or auditing a file that is not a ``NianbaoError`` is a bug; the CLI and batch still
turn it into ``internal_error`` so one file never takes down a batch.
"""

from __future__ import annotations

# code → what it means (documented in the README's bad-input table)
ERROR_CODES: dict[str, str] = {
    "not_found": "the file does not exist",
    "empty_file": "the file is empty",
    "too_large": "the file exceeds the configured size cap (max_input_mb)",
    "unknown_format": "the content is not a format nianbao reads (docx, text, html, pdf)",
    "format_mismatch": "the extension says one format and the content another, and the content is not readable",
    "legacy_doc": "a legacy Word 97-2003 .doc file",
    "legacy_wps": "a WPS Office .wps/.et file",
    "legacy_xls": "a legacy Excel .xls/.et file",
    "ofd": "an OFD (China's fixed-layout format) file",
    "encrypted": "a password-protected Office document",
    "corrupt_zip": "a corrupt or truncated .docx (zip) file",
    "zip_bomb": "a .docx whose compressed members expand beyond the configured caps",
    "xml_entities": "a document whose XML declares a DTD or entities (refused for safety)",
    "pdf_no_text": "a PDF with no text layer (scanned); it needs OCR first",
    "pdf_encrypted": "a password-protected PDF",
    "corrupt_pdf": "a PDF that cannot be parsed",
    "binary_content": "binary data where text was expected",
    "undecodable_text": "text whose encoding could not be determined reliably",
    "not_a_report": "the file reads but is not a 政府信息公开工作年度报告",
    "model_invalid": "a model file is missing, truncated or does not match its recorded hash",
    "config_invalid": "the configuration file is invalid",
    "baseline_invalid": "the --baseline file is missing or is not a nianbao baseline",
    "output_invalid": "an output path cannot be used (e.g. it would overwrite the input)",
    "timeout": "auditing the file took longer than the per-file timeout",
    "worker_died": "the worker process auditing the file died (memory or crash)",
    "internal_error": "an unexpected error in nianbao (a bug: please report it with the file)",
}


class NianbaoError(Exception):
    """An error with a stable code and a message fit for one line on stderr."""

    def __init__(self, code: str, message: str):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message


class ReadError(NianbaoError):
    """The input file could not be read."""
