"""Shared fixtures. Tests that need the real corpus use ``corpus_dir`` and skip cleanly when it is absent."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES = REPO_ROOT / "data" / "samples"


def _find_shared() -> Path | None:
    env = os.environ.get("NIANBAO_SHARED")
    candidates = [Path(env)] if env else []
    candidates += [REPO_ROOT.parent / "shared", Path.cwd().parent / "shared"]
    for c in candidates:
        if (c / "corpus").is_dir():
            return c
    return None


SHARED = _find_shared()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if SHARED is None:
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def bad_inputs():
    """``benchmarks/bad_inputs.py``, the builder of hostile files: tests use the same cases the benchmark reports."""
    name = "nianbao_bench_bad_inputs"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "benchmarks" / "bad_inputs.py")
        module = sys.modules[name] = importlib.util.module_from_spec(spec)  # dataclasses look the module up
        spec.loader.exec_module(module)
    return sys.modules[name]
