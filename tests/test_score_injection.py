"""Scores move the right way on a real report: each injected fault lowers the score by at least the documented
minimum (measured values are in docs/narrative.md; `python benchmarks/score_injection.py` prints them)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

# documented minimum drop per fault (points on 0-100); measured drops are larger (docs/narrative.md)
MIN_DROP = {"table": 8.0, "typos": 1.5, "copied": 0.8, "aspect": 2.0, "slogans": 0.8}
EXPECTED_RULES = {"table": "TBL-", "typos": "TYPO-", "aspect": "CMP-601"}


def _bench():
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "score_injection.py"
    spec = importlib.util.spec_from_file_location("score_injection", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def results(corpus_dir):
    return _bench().measure(corpus_dir)


@pytest.mark.parametrize("fault", sorted(MIN_DROP))
def test_fault_lowers_score(results, fault):
    r = results[fault]
    assert r["drop"] >= MIN_DROP[fault], r
    if fault in EXPECTED_RULES:
        assert any(x.startswith(EXPECTED_RULES[fault]) for x in r["new_rules"]), r


def test_components_that_move_are_the_right_ones(results):
    assert results["table"]["component_drops"].get("table", 0) > 0
    assert results["typos"]["component_drops"].get("writing", 0) > 0
    assert results["copied"]["component_drops"].get("copy", 0) > 0
    assert results["aspect"]["component_drops"].get("completeness", 0) > 0
    assert results["slogans"]["component_drops"].get("specificity", 0) > 0
