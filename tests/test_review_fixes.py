"""Regression tests for problems found in a review of the whole tool (each reproduces the reported input)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from analyzer.cli import app
from analyzer.config import Config
from analyzer.pipeline import audit_file

runner = CliRunner()

HEAD = "青阳县人民政府2023年政府信息公开工作年度报告\n本报告根据《中华人民共和国政府信息公开条例》编制，统计期限为2023年1月1日至2023年12月31日。\n"
TAIL = "青阳县人民政府\n2024年1月20日\n"


def _report(body_overview: str, problems: str = "信息发布不够及时。下一步，我县将建立信息发布台账，每月通报。",
            other: str = "本年度未收取信息处理费。", extra_requests: str = "") -> str:
    return (HEAD + "一、总体情况\n" + body_overview + "\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
            + extra_requests + "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n" + problems
            + "\n六、其他需要报告的事项\n" + other + "\n" + TAIL)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _rules(audit) -> list[str]:
    return [f.rule for f in audit.findings]


def test_quoted_service_app_names_and_standard_terms_are_not_typos(tmp_path):
    f = _write(tmp_path, "r.txt", _report("依托“浙里办”“闽政通”“渝快办”“皖事通”平台推送政策，推行首违不罚清单制度，原有面签业务实现“零跑腿”。"))
    assert not [x for x in audit_file(f).findings if x.category == "typo"]


def test_the_same_sentence_with_a_real_typo_is_still_flagged(tmp_path):
    f = _write(tmp_path, "r.txt", _report("依托“浙里办”平台推送政策，由分管领导负总表。"))
    typos = [x for x in audit_file(f).findings if x.category == "typo"]
    assert [x.text for x in typos] == ["负总表"]


def test_allowed_term_silences_a_typo_inside_it(tmp_path):
    from analyzer.model import Finding
    from analyzer.pipeline import build_report
    from analyzer.suppress import is_suppressed

    report = build_report(_write(tmp_path, "r.txt", _report("依托浙里办平台推送政策，全年推送政策信息120条。")), Config())
    at = report.text.index("浙里办")
    inside = Finding(rule="TYPO-204", category="typo", severity="warning", message="m", text="浙里", start=at, end=at + 2)
    elsewhere = Finding(rule="TYPO-204", category="typo", severity="warning", message="m", text="推送",
                        start=report.text.index("推送"), end=report.text.index("推送") + 2)
    cfg = Config(allowed_terms={"浙里办"})
    assert is_suppressed(inside, report, cfg) and not is_suppressed(elsewhere, report, cfg)
    assert not is_suppressed(inside, report, Config())


def test_information_fee_statement_is_required_even_though_table_three_mentions_fees(tmp_path):
    row = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\n"
    missing = audit_file(_write(tmp_path, "a.txt", _report("我县主动公开信息120条。", other="无。", extra_requests=row)))
    present = audit_file(_write(tmp_path, "b.txt", _report("我县主动公开信息120条。", extra_requests=row)))
    assert "CMP-604" in _rules(missing) and "CMP-604" not in _rules(present)


def test_an_empty_problems_section_does_not_score_higher_than_a_written_one(tmp_path):
    empty = audit_file(_write(tmp_path, "a.txt", _report("我县主动公开信息120条。", problems="")))
    written = audit_file(_write(tmp_path, "b.txt", _report(
        "我县主动公开信息120条。", problems="一是政策解读形式单一，2023年仅发布图解3篇。下一步，我县将每季度制作图解和短视频解读各1期。")))
    sec = {a: {s.id: s.score for s in x.sections} for a, x in (("empty", empty), ("written", written))}
    assert empty.score < written.score
    assert sec["empty"]["problems"] < sec["written"]["problems"]


def test_missing_tables_cost_the_table_component(tmp_path):
    audit = audit_file(_write(tmp_path, "r.txt", _report("我县主动公开信息120条。")))
    table = audit.score_breakdown["components"]["table"]
    assert table["absent_tables"] == ["二", "三", "四"] and table["score"] == 0
    assert audit.score < 70


def test_narrative_consistency_failures_are_not_charged_as_table_failures(tmp_path):
    text = _report("2023年主动公开政府信息156条，其中政策文件12条、人事信息47条、财政信息33条、其他信息45条。")
    audit = audit_file(_write(tmp_path, "r.txt", text))
    assert "CON-104" in _rules(audit)
    fails = [c for c in audit.checks if c.status == "fail"]
    assert fails and all(c.table is None for c in fails)
    assert audit.score_breakdown["components"]["table"]["failed_checks"] == 0


def test_a_list_of_examples_is_not_a_breakdown(tmp_path):
    text = _report("全年主动公开政府信息8563条，其中政策文件312条、财政预决算信息1045条、重大建设项目信息236条。")
    assert "CON-104" not in _rules(audit_file(_write(tmp_path, "r.txt", text)))


def test_config_rejects_non_finite_numbers(tmp_path):
    f = _write(tmp_path, "r.txt", _report("我县主动公开信息120条。"))
    for body in ('[thresholds]\nmax_input_mb = inf\n', '[thresholds]\nmax_sentence_chars = nan\n',
                 '[weights]\n"report.table" = inf\n'):
        cfg = _write(tmp_path, "nianbao.toml", body)
        res = runner.invoke(app, ["audit", str(f), "--config", str(cfg), "--format", "json"])
        assert res.exit_code == 2 and "finite" in res.output, body


def test_zero_section_weights_do_not_crash(tmp_path):
    f = _write(tmp_path, "r.txt", _report("我县主动公开信息120条。"))
    cfg = _write(tmp_path, "nianbao.toml", '[weights]\n"section.findings" = 0\n"section.specificity" = 0\n'
                                            '"section.completeness" = 0\n')
    res = runner.invoke(app, ["audit", str(f), "--config", str(cfg), "--format", "json"])
    assert res.exit_code in (0, 1), res.output
    assert json.loads(res.stdout)["error"] is None


def test_outputs_never_overwrite_inputs_or_each_other(tmp_path):
    f = _write(tmp_path, "r.txt", _report("我县主动公开信息120条。"))
    before = f.read_bytes()
    assert runner.invoke(app, ["text", str(f), "-o", str(f)]).exit_code == 2
    assert runner.invoke(app, ["audit", str(f), "--write-baseline", str(f)]).exit_code == 2
    out = tmp_path / "x.docx"
    assert runner.invoke(app, ["audit", str(f), "-o", str(out), "--annotate", str(out)]).exit_code == 2
    assert f.read_bytes() == before and not out.exists()


def test_unreadable_previous_file_does_not_fail_the_report(tmp_path):
    f = _write(tmp_path, "r.txt", _report("我县主动公开信息120条。"))
    audit = audit_file(f, Config(), previous=tmp_path / "missing.txt")
    assert audit.error is None and audit.score is not None
    assert audit.extras["previous_error"]["code"] == "not_found"


def test_long_digit_runs_do_not_blow_up(tmp_path):
    import time

    f = _write(tmp_path, "r.txt", _report("我县主动公开信息120条。" + "7" * 20000 + "条，其中政策文件3条。"))
    t0 = time.process_time()
    audit = audit_file(f)
    assert audit.error is None
    assert time.process_time() - t0 < 20  # quadratic backtracking took minutes; the bound only guards a regression


def test_part_style_and_artifact_prefixed_headings(tmp_path):
    from analyzer.model import MANDATED_SECTIONS
    from analyzer.pipeline import build_report

    parts = "\n".join(f"第{n}部分 {t}\n正文。" for n, t in zip("一二三四五六", [
        "总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况",
        "存在的主要问题及改进情况", "其他需要报告的事项"]))
    r = build_report(_write(tmp_path, "p.txt", HEAD + parts + "\n" + TAIL), Config())
    assert [s.id for s in r.sections if s.id in MANDATED_SECTIONS] == list(MANDATED_SECTIONS)
    text = _report("我县主动公开信息120条。").replace("五、存在的主要问题及改进情况", "[bookmark: _GoBack]五 存在的主要问题及改进情况")
    r = build_report(_write(tmp_path, "q.txt", text), Config())
    assert r.section("problems") is not None


def test_batch_does_not_audit_its_own_html_pages(tmp_path):
    from analyzer.batch import run_batch

    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder, "r.txt", _report("我县主动公开信息120条。"))
    out = folder / "r.jsonl"
    html = folder / "html"
    for _ in range(2):
        run_batch([str(folder)], output=out, jobs=1, previous_dir=None, resume=False, config=Config(), timeout=60,
                  html_dir=html, progress=False)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert [Path(r["path"]).name for r in rows] == ["r.txt"]


def test_a_cited_notice_of_another_office_is_not_another_units_name(tmp_path):
    from analyzer.copy import copy_features, cross_report
    from analyzer.pipeline import build_report

    audit_bureau = _report("我局主动公开信息120条。").replace("青阳县人民政府", "青阳县审计局")
    cited = audit_bureau.replace("本报告根据", "本报告根据《青阳县财政局关于做好2023年预决算公开工作的通知》和")
    signed = audit_bureau.replace("青阳县审计局\n2024年", "青阳县财政局\n2024年")  # a copy that kept the sign-off
    finance = _report("我局主动公开信息80条。").replace("青阳县人民政府", "青阳县财政局")

    def names(text: str) -> list[str]:
        files = {"a.txt": text, "f.txt": finance}
        feats = [dict(copy_features(build_report(_write(tmp_path, n, t), Config())), path=str(tmp_path / n))
                 for n, t in files.items()]
        return [h["name"] for h in cross_report(feats).other_units.get(str(tmp_path / "a.txt"), [])]

    assert names(cited) == []
    assert names(signed) == ["青阳县财政局"]


def test_a_later_year_is_not_last_years_report(tmp_path):
    this = _write(tmp_path, "r2023.txt", _report("我县主动公开信息120条。"))
    later = _write(tmp_path, "r2024.txt", _report("我县主动公开信息120条。").replace("2023年", "2024年"))
    audit = audit_file(this, Config(), previous=later)
    copy = [c for c in audit.checks if c.rule == "CPY-701"]
    assert [c.status for c in copy] == ["not_assessable"]
    assert "CPY-701" not in _rules(audit)


def test_html_index_links_encode_hash_and_percent():
    from analyzer.render.html import _href

    assert _href("报告 #1?50%.html") == "%E6%8A%A5%E5%91%8A%20%231%3F50%25.html"
    assert "javascript:" not in _href("javascript:alert(1)")


def test_control_characters_in_report_text_do_not_reach_the_terminal(tmp_path):
    f = _write(tmp_path, "r.txt", _report("我县主动公开信息120条，坚持以\"公开为常态\x1b]0;owned\x07，全面推进。"))
    res = runner.invoke(app, ["audit", str(f), "--no-color"])
    assert "\x1b" not in res.stdout and "\x07" not in res.stdout


def test_text_table_cells_with_thousands_separators_and_jian(tmp_path):
    from analyzer.read import document_from_text
    from analyzer.tables import extract_tables

    text = ("三、收到和处理政府信息公开申请情况\n"
            "| 一、本年新收政府信息公开申请数量 | 1,010 | 2 | 0 | 0 | 0 | 0 | 1,012 |\n"
            "| 二、上年结转政府信息公开申请数量 | 10件 | 0件 | 0件 | 0件 | 0件 | 0件 | 10件 |\n")
    cells = extract_tables(document_from_text("t.txt", text), [])["三"].cells
    assert cells["new"]["natural"].value == 1010 and cells["new"]["total"].value == 1012
    assert [c.value for c in cells["carried_over"].values()] == [10, 0, 0, 0, 0, 0, 10]
