"""Plain-data model files: loading a model can never run code.

A model ``NAME`` is two files in the models folder:
- ``NAME.npz``  numeric arrays only, read with ``numpy.load(allow_pickle=False)``;
- ``NAME.json`` vocabulary, class names and metadata.
``manifest.json`` records the SHA-256 of every model file; ``load_model`` checks it before parsing, so a truncated
or tampered file is refused with ``NianbaoError("model_invalid")`` instead of silently giving other answers.
Files are written atomically (temp file + rename).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .errors import NianbaoError
from .io import write_atomic
from .resources import model_path

MANIFEST = "manifest.json"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def _json_bytes(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def read_manifest(models_dir: Path) -> dict[str, Any]:
    p = models_dir / MANIFEST
    if not p.exists():
        return {"files": {}}
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NianbaoError("model_invalid", f"{p}: unreadable model manifest ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise NianbaoError("model_invalid", f"{p}: malformed model manifest")
    return data


def save_model(name: str, arrays: dict[str, np.ndarray], meta: dict[str, Any], models_dir: Path) -> None:
    """Write NAME.npz + NAME.json and record their hashes in the manifest."""
    models_dir = Path(models_dir)
    for key, arr in arrays.items():
        if np.asarray(arr).dtype == object:
            raise ValueError(f"array {key} of model {name} is not numeric")
    buf = io.BytesIO()
    # fixed zip timestamps are not controllable through np.savez; write members ourselves for byte-stable output
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for key in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(arrays[key]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, member.getvalue())
    write_atomic(models_dir / f"{name}.npz", buf.getvalue())
    write_atomic(models_dir / f"{name}.json", _json_bytes(meta))
    manifest = read_manifest(models_dir)
    for fn in (f"{name}.npz", f"{name}.json"):
        manifest["files"][fn] = sha256_file(models_dir / fn)
    write_atomic(models_dir / MANIFEST, _json_bytes(manifest))


def load_model(name: str, models_dir: Path | None = None) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Load NAME after checking both files against the manifest. Any problem → NianbaoError('model_invalid')."""
    models_dir = Path(models_dir) if models_dir is not None else model_path("")
    manifest = read_manifest(models_dir)
    files = {}
    for fn in (f"{name}.npz", f"{name}.json"):
        p = models_dir / fn
        expected = manifest["files"].get(fn)
        if expected is None:
            raise NianbaoError("model_invalid", f"{p}: not listed in {MANIFEST}; run `nianbao train`")
        if not p.exists():
            raise NianbaoError("model_invalid", f"{p}: model file missing; run `nianbao train`")
        if sha256_file(p) != expected:
            raise NianbaoError("model_invalid", f"{p}: SHA-256 does not match {MANIFEST} (truncated or modified)")
        files[fn] = p
    try:
        with np.load(files[f"{name}.npz"], allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        meta = json.loads(files[f"{name}.json"].read_text(encoding="utf-8"))
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise NianbaoError("model_invalid", f"{models_dir / name}: cannot parse model ({exc})") from None
    return arrays, meta
