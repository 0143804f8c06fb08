"""Web archives (.mht/.mhtml, 'Save page as single file'): the first text/html part is read as HTML."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

from ..errors import ReadError

_MHT_HEAD = re.compile(rb"^(?:[\w-]+:[^\n]*\r?\n)*?(?:MIME-Version|Content-Type):", re.IGNORECASE)


def is_mht(data: bytes) -> bool:
    head = data[:4096]
    return bool(_MHT_HEAD.match(head)) and b"multipart/related" in head.lower()


def html_part(path: Path, data: bytes) -> bytes:
    """The HTML part re-encoded as UTF-8 (with its declared charset applied), or ReadError(unknown_format)."""
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset:
                try:
                    return payload.decode("gb18030" if charset.lower() in ("gb2312", "gbk") else charset) \
                        .encode("utf-8")
                except (LookupError, UnicodeDecodeError):
                    pass
            return payload
    raise ReadError("unknown_format", f"{path}: is a web archive (.mht) without an HTML page inside; "
                                      "open it in a browser and save the page as .html")
