"""Zip containers (.docx, .ofd, .xlsx …) opened defensively.

Everything is decided from the zip's central directory *before* any member is decompressed: the total declared
uncompressed size and each member's compression ratio are capped (zip bombs), and encrypted members are refused.
Members are then read through ``read_member``, which also stops as soon as a member inflates past its declared size
(a lying central directory). XML parts are refused when they carry a DTD or entity declarations.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..errors import ReadError

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_MAX_MEMBERS = 10_000
# The ratio cap only matters for members big enough to hurt; tiny XML parts legitimately compress 100:1.
_RATIO_MIN_BYTES = 1 << 20
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass
class SafeZip:
    path: Path
    zf: zipfile.ZipFile
    names: list[str]

    def read_member(self, name: str) -> bytes:
        return read_member(self, name)


def is_zip(data: bytes) -> bool:
    return data[:4] in ZIP_MAGICS


def open_zip(path: Path, data: bytes, config: Config) -> SafeZip:
    """Open ``data`` as a zip after checking the central directory against the caps in ``config``."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise ReadError("corrupt_zip", f"{path}: the zip container is corrupt or truncated ({exc}); "
                                       "re-save or re-download the file") from None
    if len(infos) > _MAX_MEMBERS:
        raise ReadError("zip_bomb", f"{path}: the zip holds {len(infos)} members (cap {_MAX_MEMBERS}); refused")
    max_total = config.threshold("max_unzipped_mb") * 1024 * 1024
    max_ratio = config.threshold("max_zip_ratio")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReadError("encrypted", f"{path}: the zip members are encrypted; remove the password and save again")
        total += info.file_size
        if info.file_size >= _RATIO_MIN_BYTES and info.file_size > max_ratio * max(info.compress_size, 1):
            raise ReadError(
                "zip_bomb",
                f"{path}: member {info.filename!r} expands {info.file_size / max(info.compress_size, 1):.0f}:1 "
                f"(cap {max_ratio:.0f}:1); refused as a possible zip bomb",
            )
    if total > max_total:
        raise ReadError(
            "zip_bomb",
            f"{path}: the zip expands to {total / 1048576:.0f} MB (cap max_unzipped_mb={max_total / 1048576:.0f}); "
            "refused as a possible zip bomb",
        )
    return SafeZip(path, zf, [i.filename for i in infos])


def read_member(sz: SafeZip, name: str) -> bytes:
    """Read one member, never inflating more than its declared size (+1 byte to detect a lie)."""
    try:
        info = sz.zf.getinfo(name)
        limit = info.file_size
        out = bytearray()
        with sz.zf.open(info) as fh:
            while True:
                chunk = fh.read(min(1 << 20, limit + 1 - len(out)))
                if not chunk:
                    break
                out.extend(chunk)
                if len(out) > limit:
                    raise ReadError("zip_bomb", f"{sz.path}: member {name!r} inflates past its declared size; refused")
        return bytes(out)
    except ReadError:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, KeyError, ValueError, NotImplementedError) as exc:
        raise ReadError("corrupt_zip", f"{sz.path}: member {name!r} is corrupt or truncated ({exc}); "
                                       "re-save or re-download the file") from None


def xml_has_dtd(raw: bytes) -> bool:
    """True when an XML part declares a DTD or entities (checked in its declared byte encoding)."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or raw[:4] in (b"<\0?\0", b"\0<\0?"):
        enc = "utf-16-be" if raw[:2] == b"\xfe\xff" or raw[:2] == b"\0<" else "utf-16-le"
        raw = raw.decode(enc, errors="replace").encode("utf-8")
    return bool(_DTD.search(raw))


def refuse_dtds(sz: SafeZip, members: list[str]) -> dict[str, bytes]:
    """Read the XML ``members`` and refuse the file if any declares a DTD/entities. Returns the bytes read."""
    parts: dict[str, bytes] = {}
    for name in members:
        raw = read_member(sz, name)
        if xml_has_dtd(raw):
            raise ReadError("xml_entities", f"{sz.path}: part {name!r} declares a DTD/entities, which nianbao refuses "
                                            "for safety; re-save the document in Word or WPS")
        parts[name] = raw
    return parts
