"""Locate data files shipped with nianbao (``lexicons/`` and ``models/``).

In a wheel they are mapped into the package as ``analyzer.lexicons`` and ``analyzer.models`` (see pyproject.toml);
in a source checkout they are the top-level folders.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

_REPO_ROOT = Path(__file__).resolve().parent.parent


def _data_dir(name: str) -> Path:
    try:
        p = Path(str(resources.files(f"analyzer.{name}")))
        if p.is_dir():
            return p
    except (ModuleNotFoundError, TypeError):
        pass
    return _REPO_ROOT / name


def labels_dir() -> Path:
    """The labelled training data (``data/labels`` in the repository, ``analyzer.labels`` in the wheel)."""
    try:
        p = Path(str(resources.files("analyzer.labels")))
        if p.is_dir():
            return p
    except (ModuleNotFoundError, TypeError):
        pass
    return _REPO_ROOT / "data" / "labels"


def lexicon_path(filename: str) -> Path:
    return _data_dir("lexicons") / filename


def model_path(filename: str) -> Path:
    return _data_dir("models") / filename


def schema_path(filename: str) -> Path:
    return Path(__file__).resolve().parent / "schemas" / filename


@lru_cache(maxsize=None)
def load_json_lexicon(filename: str) -> Any:
    with open(lexicon_path(filename), encoding="utf-8") as fh:
        return json.load(fh)


def read_lines(filename: str) -> list[str]:
    """Read a one-entry-per-line lexicon, skipping blank lines and ``#`` comments."""
    out = []
    with open(lexicon_path(filename), encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#"):
                out.append(line)
    return out
