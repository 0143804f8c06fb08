"""Scores from findings/checks by category and severity, with weights from lexicons/score_weights.json."""

from __future__ import annotations

from analyzer.config import Config
from analyzer.model import Audit, Check, Finding, SectionResult
from analyzer.score import load_weights, score_audit


def make_audit(findings=(), checks=(), narrative=None):
    a = Audit(file="x.txt", sections=[SectionResult("overview", "一、总体情况", True),
                                      SectionResult("requests", "三、…", True),
                                      SectionResult("problems", "五、…", True),
                                      SectionResult("other", "六、…", False)])
    a.findings = list(findings)
    a.checks = list(checks) or [Check("TBL-101", "pass", table="三")]
    if narrative is not None:
        a.extras["narrative"] = narrative
    score_audit(a, Config())
    return a


def F(category, severity="warning", section=None):
    return Finding(rule="X-000", category=category, severity=severity, message="m", section=section)


NARRATIVE = {"sections": {"overview": {"specificity": 0.8}, "problems": {"specificity": 0.6}}, "aspect_share": 1.0}


def test_clean_report_scores_100():
    a = make_audit(narrative={"sections": {"overview": {"specificity": 1.0}, "problems": {"specificity": 1.0}},
                              "aspect_share": 1.0})
    assert a.score == 100.0
    assert [s.score for s in a.sections] == [100.0, 100.0, 100.0, None]  # absent section: no score


def test_each_kind_of_fault_lowers_the_score():
    base = make_audit(narrative=NARRATIVE).score
    assert make_audit([F("table", "error")], narrative=NARRATIVE).score < base
    assert make_audit(checks=[Check("TBL-101", "fail", table="三")], narrative=NARRATIVE).score < base
    assert make_audit([F("typo")], narrative=NARRATIVE).score < base
    assert make_audit([F("copy")], narrative=NARRATIVE).score < base
    assert make_audit([F("completeness")], narrative=NARRATIVE).score < base
    generic = dict(NARRATIVE, sections={"overview": {"specificity": 0.8}, "problems": {"specificity": 0.1}})
    assert make_audit(narrative=generic).score < base
    assert make_audit(narrative=dict(NARRATIVE, aspect_share=0.6)).score < base


def test_severity_orders_penalties_and_uncertain_checks_cost_nothing():
    e = make_audit([F("typo", "error")], narrative=NARRATIVE).score
    w = make_audit([F("typo", "warning")], narrative=NARRATIVE).score
    i = make_audit([F("typo", "info")], narrative=NARRATIVE).score
    assert e < w < i
    base = make_audit(narrative=NARRATIVE).score
    assert make_audit(checks=[Check("TBL-101", "uncertain", table="三")], narrative=NARRATIVE).score == base


def test_breakdown_explains_the_score():
    a = make_audit([F("typo"), F("table", "error")], narrative=NARRATIVE)
    b = a.score_breakdown
    assert abs(sum(b["weights"][c] * b[c] for c in b["weights"]) - a.score) < 0.1
    assert abs(sum(b["weights"].values()) - 1.0) < 1e-6
    assert len(b["explanation"]) == len(b["weights"])


def test_writing_loss_is_capped():
    many = make_audit([F("typo", "error") for _ in range(50)], narrative=NARRATIVE)
    assert many.score_breakdown["writing"] == 100 - load_weights()["component_cap"]["writing"]


def test_section_score_uses_findings_in_that_section():
    a = make_audit([F("typo", "error", section="problems")], narrative=NARRATIVE)
    sec = {s.id: s.score for s in a.sections}
    assert sec["problems"] < sec["requests"]
    b = make_audit(checks=[Check("TBL-101", "fail", table="三")], narrative=NARRATIVE)
    assert {s.id: s.score for s in b.sections}["requests"] < 100


def test_weights_are_configurable():
    cfg = Config(weights={"report.table": 0.0, "penalty.warning": 50})
    a = Audit(file="x.txt", findings=[F("typo")], checks=[Check("TBL-101", "fail", table="三")])
    a.extras["narrative"] = NARRATIVE
    score_audit(a, cfg)
    assert "table" not in a.score_breakdown["weights"]
    assert a.score_breakdown["writing"] == 50.0


def test_error_audit_has_no_score():
    from analyzer.model import AuditError

    a = Audit(file="x", error=AuditError("empty_file", "empty"))
    score_audit(a, Config())
    assert a.score is None
