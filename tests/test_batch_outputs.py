"""Batch inputs and outputs: folder/glob/list expansion, non-report files, CSV with BOM, XLSX views, JSONL,
untrusted text kept out of spreadsheet formulas, atomic writes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from analyzer.batch import expand_inputs, run_batch
from analyzer.errors import NianbaoError
from analyzer.read import read_document
from analyzer.recognize import not_a_report_reason
from analyzer.structure import structure_document
from analyzer.config import Config
from analyzer.pipeline import build_report

REPORT = """{unit}{year}年政府信息公开工作年度报告
根据《中华人民共和国政府信息公开条例》要求编制本报告。
一、总体情况
{body}
二、主动公开政府信息情况
三、收到和处理政府信息公开申请情况
四、政府信息公开行政复议、行政诉讼情况
五、存在的主要问题及改进情况
部分科室信息报送不及时，下一步将加强考核。
六、其他需要报告的事项
本年度未收取信息处理费。
{unit}
{next}年1月15日
"""


def _report(folder: Path, name: str, unit: str, year: int, body: str) -> Path:
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(REPORT.format(unit=unit, year=year, next=year + 1, body=body), encoding="utf-8")
    return p


def test_expand_folders_globs_and_list_files(tmp_path: Path) -> None:
    a = _report(tmp_path / "d", "a.txt", "青山区审计局", 2023, "本年度工作平稳。")
    b = _report(tmp_path / "d" / "sub", "b.txt", "青山区统计局", 2023, "本年度工作平稳。")
    (tmp_path / "d" / ".hidden").mkdir()
    (tmp_path / "d" / ".hidden" / "x.txt").write_text("x", encoding="utf-8")
    c = _report(tmp_path / "e", "c.txt", "青山区民政局", 2023, "本年度工作平稳。")
    listing = tmp_path / "files.lst"
    listing.write_text(f"# reports to audit\n{c}\ne/c.txt\n", encoding="utf-8")
    assert expand_inputs([str(tmp_path / "d")]) == sorted([str(a), str(b)])  # recursive, hidden skipped
    assert expand_inputs([str(tmp_path / "d" / "*.txt")]) == [str(a)]
    assert expand_inputs([str(tmp_path / "**" / "*.txt")]) == sorted([str(a), str(b), str(c)])
    assert expand_inputs([str(listing)]) == sorted({str(c), str(tmp_path / "e/c.txt")})
    # a plain .txt whose lines are paths is a list too; a report is not
    plain_list = tmp_path / "paths.txt"
    plain_list.write_text(f"{a}\n{b}\n", encoding="utf-8")
    assert expand_inputs([str(plain_list)]) == sorted([str(a), str(b)])
    assert expand_inputs([str(a)]) == [str(a)]
    # a path that does not exist is kept so that it gets a not_found row
    assert expand_inputs([str(tmp_path / "missing.txt")]) == [str(tmp_path / "missing.txt")]
    # outputs never audit themselves
    assert expand_inputs([str(tmp_path / "d")], exclude=[a]) == [str(b)]


def _structured(path: Path):
    return structure_document(read_document(path))


def test_not_a_report_is_conservative(tmp_path: Path) -> None:
    report = build_report(_report(tmp_path, "r.txt", "青山区审计局", 2023, "本年度工作平稳推进。"), Config())
    assert not_a_report_reason(report) is None
    notes = tmp_path / "notes.md"
    notes.write_text("# 会议纪要\n\n讨论了明年的预算安排和人员分工。\n", encoding="utf-8")
    assert not_a_report_reason(_structured(notes))
    with pytest.raises(NianbaoError) as err:  # audit and batch refuse it the same way
        build_report(notes, Config())
    assert err.value.code == "not_a_report"
    table = tmp_path / "data.tsv"
    table.write_text("".join(f"{i}\t一、总体情况\t{2020 + i}\n" for i in range(8)), encoding="utf-8")
    assert "table of data" in not_a_report_reason(_structured(table))


@pytest.mark.corpus
def test_corpus_non_reports_and_excerpts(corpus_dir: Path) -> None:
    assert not_a_report_reason(_structured(corpus_dir / "README.md"))
    assert not_a_report_reason(_structured(corpus_dir / "SOURCES.tsv"))
    assert "template" in not_a_report_reason(_structured(corpus_dir / "original" / "template_2021_blank.docx"))
    for path in sorted(corpus_dir.glob("*.txt")):  # every real report, excerpts included, stays a report
        assert not_a_report_reason(_structured(path)) is None, path.name


def _batch(tmp_path: Path, out_name: str) -> Path:
    folder = tmp_path / "in"
    _report(folder, "a.txt", "青山区审计局", 2023, "本年度工作平稳推进，门户网站专栏改版上线。")
    # untrusted text that a spreadsheet would run as a formula if written raw
    _report(folder, "evil.txt", "=HYPERLINK(\"http://x\",\"点我\")审计局", 2023, "=1+1 @SUM(A1) 正文内容。")
    (folder / "empty.txt").write_bytes(b"")
    out = tmp_path / out_name
    run_batch([str(folder)], output=out, jobs=1, previous_dir=None, resume=False, config=Config(), timeout=60,
              progress=False)
    return out


def test_csv_has_bom_one_row_per_file_and_no_formulas(tmp_path: Path) -> None:
    out = _batch(tmp_path, "r.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel and WPS then show Chinese
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == 3
    assert {Path(r["文件"]).name for r in rows} == {"a.txt", "evil.txt", "empty.txt"}
    for r in rows:
        for v in r.values():
            assert not v.startswith(("=", "+", "@")), v
    failed = [r for r in rows if r["状态"] == "failed"]
    assert len(failed) == 1 and failed[0]["错误代码"] == "empty_file"
    assert not list(tmp_path.glob(".r.csv.*"))  # no temp file left behind


def test_xlsx_has_views_and_conditional_formatting(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = _batch(tmp_path, "r.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["排名", "问题清单", "表格校验", "复制比对"]
    ws = wb["排名"]
    headers = [c.value for c in ws[1]]
    assert headers[:6] == ["排名", "单位", "年度", "层级", "状态", "总分"] and headers[-1] == "文件"
    assert ws.max_row == 4
    assert len(ws.conditional_formatting) > 0
    for row in wb.worksheets:
        for cells in row.iter_rows():
            for c in cells:
                assert c.data_type != "f", (row.title, c.coordinate, c.value)  # no formula from report text
    units = [ws.cell(row=i, column=2).value for i in range(2, 5)]
    assert any(u and u.startswith("=HYPERLINK") for u in units) or any(
        "=1+1" in str(c.value) for c in wb["问题清单"]["H"])


def test_jsonl_rows_carry_the_full_audit(tmp_path: Path) -> None:
    out = _batch(tmp_path, "r.jsonl")
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 3
    for r in rows:
        assert {"path", "status", "score", "audit", "cross_pairs", "copy_ratio"} <= set(r)
        assert r["audit"]["file"] == r["path"]
    # sorted by score, best first, unscored (failed) last
    scores = [r["score"] for r in rows]
    scored = [s for s in scores if s is not None]
    assert scored == sorted(scored, reverse=True) and scores[-1] is None


def test_html_dir_pages_and_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("analyzer.render.html")
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "in"
    _report(folder, "a.txt", "青山区<script>审计局", 2023, "本年度工作平稳推进，门户网站专栏改版上线。")
    (folder / "empty.txt").write_bytes(b"")
    html_dir = tmp_path / "html"
    run_batch([str(folder)], output=None, jobs=1, previous_dir=None, resume=False, config=Config(), timeout=60,
              progress=False, html_dir=html_dir)
    index = (html_dir / "index.html").read_text(encoding="utf-8")
    pages = sorted(p.name for p in html_dir.glob("*.html") if p.name != "index.html")
    assert len(pages) == 1 and pages[0].startswith("a-")  # the unreadable file has a row but no page
    assert pages[0] in index and "empty.txt" in index
    assert "<script>审计局" not in index  # report text is escaped
    assert (html_dir / "nianbao-batch.journal.jsonl").exists()  # resumable without -o too
