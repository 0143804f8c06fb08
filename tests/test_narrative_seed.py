"""The issue's "must show" on the seed report (王村镇 2022), which is in the held-out test split of both models."""

from __future__ import annotations

import pytest

from analyzer.config import Config
from analyzer.pipeline import audit_file
from analyzer.render.text import render_text

pytestmark = pytest.mark.corpus

SEED = "000_wangcun_town_2022_seed.txt"


@pytest.fixture(scope="module")
def seed(corpus_dir):
    return audit_file(corpus_dir / SEED, Config())


def test_problem_and_improvement_sentences_are_generic(seed):
    from analyzer.narrative.analyze import analyze_report

    an = analyze_report(seed.report)
    sents = [s for s in an.sections["problems"].sentences if s.boilerplate is not None]
    assert len(sents) >= 6
    assert all(s.boilerplate >= 0.5 for s in sents), [(round(s.boilerplate, 2), s.text[:20]) for s in sents]
    assert [f for f in seed.findings if f.rule == "BLR-502" and f.section == "problems"]
    flagged = {f.start for f in seed.findings if f.rule == "BLR-501" and f.section == "problems"}
    assert len(flagged) >= 4  # at the default 0.80 threshold


def test_overview_missing_requests_and_management(seed):
    missing = sorted(f.evidence["aspect"] for f in seed.findings if f.rule == "CMP-601")
    assert missing == ["management", "requests"]
    msgs = " ".join(f.message for f in seed.findings if f.rule == "CMP-601")
    assert "依申请公开" in msgs and "政府信息管理" in msgs


def test_score_is_explained_by_its_parts(seed):
    b = seed.score_breakdown
    assert 0 < seed.score < 100
    weights = b["weights"]
    recomputed = sum(weights[c] * b[c] for c in weights)
    assert abs(recomputed - seed.score) < 0.2
    assert b["specificity"] < 60 and b["completeness"] < 100
    out = render_text([seed])
    for name in ("具体程度", "内容完整", "表格勾稽"):
        assert name in out
    sec = {s.id: s.score for s in seed.sections}
    assert sec["problems"] < sec["proactive"]  # the generic section scores below a clean table section
