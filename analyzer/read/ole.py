"""OLE2 compound files (legacy .doc/.wps/.xls/.et, and password-protected .docx/.xlsx).

nianbao does not read these formats; it only lists the stream names in the compound file's directory so the error
message can say exactly what the file is and how to convert it. ``build_compound_file`` writes a small but valid
compound file; tests and ``benchmarks/bad_inputs.py`` use it to make realistic legacy files without Office.
"""

from __future__ import annotations

import struct

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE
_MAX_DIR_SECTORS = 4096  # bounds every chain walk: a corrupt or cyclic FAT cannot loop forever

# Stream names that identify the application (compared case-insensitively).
_KNOWN_STREAMS = ("WordDocument", "Workbook", "Book", "EncryptionInfo", "EncryptedPackage", "PowerPoint Document")


def is_ole(data: bytes) -> bool:
    return data[:8] == OLE_MAGIC


def stream_names(data: bytes) -> set[str]:
    """Names in the compound file's directory; falls back to a byte scan when the structure is damaged."""
    try:
        names = _parse_directory(data)
    except (struct.error, IndexError, ValueError):
        names = set()
    if not names:
        names = {n for n in _KNOWN_STREAMS if n.encode("utf-16-le") in data}
    return names


def _parse_directory(data: bytes) -> set[str]:
    sector_shift = struct.unpack_from("<H", data, 0x1E)[0]
    if sector_shift not in (9, 12):
        raise ValueError("bad sector size")
    size = 1 << sector_shift
    n_fat = struct.unpack_from("<I", data, 0x2C)[0]
    first_dir = struct.unpack_from("<I", data, 0x30)[0]
    difat = [s for s in struct.unpack_from("<109I", data, 0x4C) if s not in (_FREE, _END_OF_CHAIN)]

    def sector(n: int) -> bytes:
        off = (n + 1) * size
        if off + size > len(data):
            raise ValueError("sector past end of file")
        return data[off:off + size]

    fat: list[int] = []
    for s in difat[: min(n_fat, 109)]:  # enough FAT for files up to ~7 MB with 512-byte sectors
        fat.extend(struct.unpack(f"<{size // 4}I", sector(s)))

    names: set[str] = set()
    s, seen = first_dir, 0
    while s not in (_FREE, _END_OF_CHAIN) and seen < _MAX_DIR_SECTORS:
        raw = sector(s)
        for off in range(0, size, 128):
            name_len = struct.unpack_from("<H", raw, off + 64)[0]
            entry_type = raw[off + 66]
            if entry_type in (1, 2, 5) and 2 <= name_len <= 64:
                names.add(raw[off:off + name_len - 2].decode("utf-16-le", errors="replace"))
        seen += 1
        s = fat[s] if s < len(fat) else _END_OF_CHAIN
    return names


def build_compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal valid compound file (version 3, 512-byte sectors) holding ``streams`` in the root storage.

    Streams are padded to 4096 bytes so they live in regular sectors (no mini stream needed).
    """
    size = 512
    names = list(streams)
    if len(names) > 3:
        raise ValueError("at most 3 streams (one directory sector)")
    payloads = [streams[n].ljust(4096, b"\0") for n in names]
    # Layout: sector 0 = FAT, sector 1 = directory, then each stream's sectors.
    fat = [0xFFFFFFFD, _END_OF_CHAIN]  # FAT sector marker, directory chain of one sector
    starts = []
    for p in payloads:
        n = len(p) // size
        first = len(fat)
        starts.append(first)
        fat.extend(range(first + 1, first + n))
        fat.append(_END_OF_CHAIN)
    if len(fat) > size // 4:
        raise ValueError("streams too large for a one-sector FAT")
    fat.extend([_FREE] * (size // 4 - len(fat)))

    def entry(name: str, etype: int, child: int, right: int, start: int, length: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), etype, 1)  # name length, type, colour black
            + struct.pack("<III", _FREE, right, child)  # left sibling, right sibling, child
            + b"\0" * 16 + b"\0" * 4 + b"\0" * 16  # CLSID, state bits, times
            + struct.pack("<IQ", start, length)
        )

    entries = [entry("Root Entry", 5, 1 if names else _FREE, _FREE, _END_OF_CHAIN, 0)]
    for i, (name, p) in enumerate(zip(names, payloads)):
        right = i + 2 if i + 1 < len(names) else _FREE
        entries.append(entry(name, 2, _FREE, right, starts[i], len(p)))
    while len(entries) < 4:
        entries.append(b"\0" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", _FREE, _FREE, _FREE)
                       + b"\0" * 36 + struct.pack("<IQ", 0, 0))
    header = (
        OLE_MAGIC + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)  # minor, major version, byte order, sector, mini sector
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END_OF_CHAIN, 0, _END_OF_CHAIN, 0)
        + struct.pack("<109I", 0, *([_FREE] * 108))
    )
    assert len(header) == 512
    return header + struct.pack(f"<{size // 4}I", *fat) + b"".join(entries) + b"".join(payloads)
