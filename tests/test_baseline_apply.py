"""Baselines: a resubmitted (reflowed) report shows only what is new."""

from __future__ import annotations

import json

import pytest

from analyzer.baseline import apply_baseline, write_baseline
from analyzer.errors import NianbaoError
from analyzer.model import Audit, Finding
from analyzer.read import document_from_text
from analyzer.render.demo import build_demo, demo_audit

ORIGINAL = ("一、总体情况\n2023年，本局坚持主要领导负总表、分管领导具体抓，全年主动公开政府信息126条。\n"
            "五、存在的主要问题及改进情况\n一是栏目更新不及时，，二是解读形式单一。")


def audit_for(text: str, needles: list[tuple[str, str]], unit: str | None = "某某市某某局") -> Audit:
    """An Audit of ``text`` with one finding per (rule, flagged text), fingerprints as the pipeline computes them."""
    findings = []
    for rule, needle in needles:
        start = text.index(needle)
        f = Finding(rule, "typo", "warning", f"{rule} on {needle}", text=needle, start=start, end=start + len(needle))
        f.fingerprint = f.compute_fingerprint(text)
        findings.append(f)
    return Audit(file="r.txt", unit=unit, findings=findings, source_format="text")


def reflow(text: str) -> str:
    """What a resubmission does: a new opening paragraph, lines re-broken, spaces around words."""
    body = text.replace("，全年", "，\n全年").replace("分管领导", "分管 领导")
    return "（2024年3月修订稿）本报告依据条例编制。\n" + body


def test_same_report_shows_nothing_new(tmp_path):
    audit = audit_for(ORIGINAL, [("TYPO-201", "负总表"), ("PUNC-301", "，，")])
    path = tmp_path / "baseline.json"
    write_baseline([audit], path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["tool"] == "nianbao" and len(data["findings"]) == 2
    [after] = apply_baseline([audit], path)
    assert after.findings == [] and after.extras["baseline"]["hidden"] == 2
    assert len(audit.findings) == 2  # the input Audit is not modified


def test_reflowed_resubmission_shows_only_new_findings(tmp_path):
    path = tmp_path / "baseline.json"
    write_baseline([audit_for(ORIGINAL, [("TYPO-201", "负总表"), ("PUNC-301", "，，")])], path)
    resubmitted = reflow(ORIGINAL)
    assert resubmitted.index("负总表") != ORIGINAL.index("负总表")  # offsets moved
    new = audit_for(resubmitted, [("TYPO-201", "负总表"), ("PUNC-301", "，，"), ("TYPO-202", "修订稿")])
    [after] = apply_baseline([new], path)
    assert [f.rule for f in after.findings] == ["TYPO-202"]


def test_same_text_in_a_new_place_is_new(tmp_path):
    path = tmp_path / "baseline.json"
    write_baseline([audit_for(ORIGINAL, [("PUNC-301", "，，")])], path)
    moved = ORIGINAL + "\n六、其他需要报告的事项\n本年度未收取信息处理费，，特此说明。"
    a = audit_for(moved, [("PUNC-301", "，，")])
    second = moved.rindex("，，")
    f = Finding("PUNC-301", "punctuation", "warning", "x", text="，，", start=second, end=second + 2)
    f.fingerprint = f.compute_fingerprint(moved)
    a.findings.append(f)
    [after] = apply_baseline([a], path)
    assert [x.start for x in after.findings] == [second]


def test_duplicates_are_counted(tmp_path):
    path = tmp_path / "baseline.json"
    a = audit_for(ORIGINAL, [("TYPO-201", "负总表")])
    write_baseline([a], path)
    twice = audit_for(ORIGINAL, [("TYPO-201", "负总表"), ("TYPO-201", "负总表")])
    [after] = apply_baseline([twice], path)
    assert len(after.findings) == 1


def test_unit_scoping(tmp_path):
    path = tmp_path / "baseline.json"
    write_baseline([audit_for(ORIGINAL, [("TYPO-201", "负总表")], unit="甲局")], path)
    [other] = apply_baseline([audit_for(ORIGINAL, [("TYPO-201", "负总表")], unit="乙局")], path)
    assert len(other.findings) == 1  # another unit's accepted finding does not hide this one
    [unknown] = apply_baseline([audit_for(ORIGINAL, [("TYPO-201", "负总表")], unit=None)], path)
    assert unknown.findings == []


def test_demo_documents_roundtrip(tmp_path):
    demo = build_demo(tmp_path)
    path = tmp_path / "b.json"
    write_baseline([demo.docx_audit, demo.text_audit], path)
    fresh = demo_audit(demo.docx_audit.report.document)
    assert apply_baseline([fresh], path)[0].findings == []


def test_real_text_reader_offsets(tmp_path):
    # Findings located on Documents produced by the project's text reader, before and after a CRLF resave
    doc1 = document_from_text("a.txt", ORIGINAL)
    doc2 = document_from_text("a.txt", reflow(ORIGINAL).replace("\n", "\r\n"))
    path = tmp_path / "b.json"
    write_baseline([audit_for(doc1.text, [("TYPO-201", "负总表")])], path)
    assert apply_baseline([audit_for(doc2.text, [("TYPO-201", "负总表")])], path)[0].findings == []


@pytest.mark.parametrize("content", ["", "not json", '{"tool": "other", "findings": []}',
                                     '{"tool": "nianbao", "baseline_version": 1, "findings": [{"x": 1}]}',
                                     '{"tool": "nianbao", "baseline_version": 99, "findings": []}'])
def test_invalid_baseline(tmp_path, content):
    path = tmp_path / "b.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(NianbaoError) as exc:
        apply_baseline([audit_for(ORIGINAL, [])], path)
    assert exc.value.code == "baseline_invalid" and str(path) in exc.value.message


def test_missing_baseline(tmp_path):
    with pytest.raises(NianbaoError) as exc:
        apply_baseline([], tmp_path / "nope.json")
    assert exc.value.code == "baseline_invalid"
