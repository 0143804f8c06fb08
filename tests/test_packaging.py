"""The wheel must carry every module and data file: CI installs non-editable and runs tests outside the tree."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import analyzer
from analyzer.resources import lexicon_path, schema_path

REPO = Path(__file__).resolve().parent.parent


def _pyproject():
    with open(REPO / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["tool"]["setuptools"]


def test_every_subpackage_is_listed():
    listed = set(_pyproject()["packages"])
    found = {
        "analyzer" + "".join("." + p for p in d.relative_to(REPO / "analyzer").parts)
        for d in (REPO / "analyzer").rglob("*") if d.is_dir() and (d / "__init__.py").exists()
    } | {"analyzer"}
    assert found - listed == set(), f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_every_data_file_matches_package_data():
    patterns = _pyproject()["package-data"]
    for folder, package in (("lexicons", "analyzer.lexicons"), ("models", "analyzer.models"),
                            ("data/labels", "analyzer.labels")):
        for f in (REPO / folder).iterdir():
            if f.is_file() and f.suffix != ".py":
                assert any(fnmatch.fnmatch(f.name, p) for p in patterns[package]), f"{f} would not ship"


def test_installed_package_finds_its_data():
    assert lexicon_path("sections.json").is_file()
    assert schema_path("audit.schema.json").is_file()
    assert Path(analyzer.__file__).is_file()
