"""Optional: convert legacy .doc/.wps to .docx with LibreOffice, then read the .docx.

Off by default (a conversion starts a whole office suite on untrusted input); on when the environment variable
``NIANBAO_SOFFICE=1`` is set and ``soffice`` or ``libreoffice`` is on PATH. The original file is never touched: its
bytes are copied into a private temp directory, converted there with a throw-away LibreOffice profile, and the temp
directory is removed. Any failure (not installed, timeout, no output) falls back to the ``legacy_doc`` error.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..config import Config
from ..model import Document

ENV_SWITCH = "NIANBAO_SOFFICE"


def soffice() -> str | None:
    if os.environ.get(ENV_SWITCH, "").strip().lower() not in ("1", "true", "yes", "on"):
        return None
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_and_read(path: Path, data: bytes, suffix: str, config: Config) -> Document | None:
    exe = soffice()
    if exe is None:
        return None
    from .docx import read_docx
    from .safezip import is_zip, open_zip

    with tempfile.TemporaryDirectory(prefix="nianbao-convert-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        out_dir = Path(tmp) / "out"
        cmd = [exe, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", str(out_dir), str(src)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=config.threshold("timeout_seconds"), check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        out = out_dir / "input.docx"
        if not out.is_file() or out.stat().st_size > config.threshold("max_input_mb") * 1048576:
            return None
        converted = out.read_bytes()
    if not is_zip(converted):
        return None
    doc = read_docx(path, converted, open_zip(path, converted, config), config)
    doc.metadata["converted_from"] = suffix.lstrip(".")
    doc.metadata["converted_with"] = Path(exe).name
    return doc
