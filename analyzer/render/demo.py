"""A small, invented 年报 with known faults, used to exercise and document the reviewer outputs.

``build_demo(folder)`` writes ``demo.docx`` (real python-docx file: multi-run paragraphs with formatting, a table 三
excerpt with a broken identity) and ``demo.txt`` (same text), reads both back with the project's readers, and returns
hand-made ``Audit`` objects whose findings point at known spans. The renderers' tests and the README screenshots use
it, so they do not depend on the rule engines. The text is invented; nothing comes from the corpus.

    python -m analyzer.render.demo OUT_DIR   # writes the demo inputs and all reviewer outputs into OUT_DIR
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..model import Audit, Check, Document, Finding, Report, Section, SectionResult, Span, Table, TableCell
from ..pipeline import SECTION_TITLES

# Untrusted report text: if any output interpreted it, the page's root element would get a data-pwned attribute.
HOSTILE = ('<script>document.documentElement.setAttribute("data-pwned","1")</script>'
           '<img src=x onerror="document.documentElement.setAttribute(\'data-pwned\',\'2\')"> & “引号” <b>不应加粗</b>')

# Each paragraph: list of (run text, bold). Headings are bold.
PARAGRAPHS_BEFORE_TABLE: list[list[tuple[str, bool]]] = [
    [("示例镇人民政府2023年政府信息公开工作年度报告", True)],
    [("本报告根据《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号要求编制，", False),
     ("统计期限自2023年1月1日起至2023年12月31日止。", False)],
    [("一、总体情况", True)],
    [("2023年，示例镇坚持主要领导负总表、分管领导具体抓，", False), ("全年主动公开政府信息126条。", True)],
    [("二、主动公开政府信息情况", True)],
    [("本年度制发行政规范性文件2件，现行有效8件。", False)],
    [("三、收到和处理政府信息公开申请情况", True)],
]
TABLE_ROWS = [
    ["", "自然人", "法人或其他组织", "总计"],
    ["一、本年新收政府信息公开申请数量", "5", "1", "6"],
    ["二、上年结转政府信息公开申请数量", "0", "0", "0"],
    ["三、本年度办理结果（七）总计", "5", "1", "7"],
    ["四、结转下年度继续办理", "0", "0", "0"],
]
PARAGRAPHS_AFTER_TABLE: list[list[tuple[str, bool]]] = [
    [("四、政府信息公开行政复议、行政诉讼情况", True)],
    [("本年度未发生政府信息公开行政复议、行政诉讼案件。", False)],
    [("五、存在的主要问题及改进情况", True)],
    [("一是公开内容不够全面，二是栏目更新不及时。下一步，我们将加强培训，", False), ("，提升公开质量。", False)],
    [("六、其他需要报告的事项", True)],
    [("本年度未收取信息处理费。", False)],
    [("示例镇人民政府", False)],
    [("2024年1月20日", False)],
]

SECTION_IDS = {"一": "overview", "二": "proactive", "三": "requests", "四": "review_litigation", "五": "problems",
               "六": "other"}


@dataclass
class Demo:
    docx_path: Path
    text_path: Path
    docx_audit: Audit
    text_audit: Audit


def _paragraphs(hostile: bool) -> tuple[list, list]:
    after = [list(p) for p in PARAGRAPHS_AFTER_TABLE]
    if hostile:  # untrusted text that must come out as text in every output
        after[3] = after[3] + [(HOSTILE, False)]
    return [list(p) for p in PARAGRAPHS_BEFORE_TABLE], after


def write_demo_docx(path: Path, hostile: bool = False) -> None:
    import docx

    before, after = _paragraphs(hostile)
    d = docx.Document()
    for runs in before:
        p = d.add_paragraph()
        for text, bold in runs:
            p.add_run(text).bold = bold
    table = d.add_table(rows=len(TABLE_ROWS), cols=len(TABLE_ROWS[0]))
    for r, row in enumerate(TABLE_ROWS):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for runs in after:
        p = d.add_paragraph()
        for text, bold in runs:
            p.add_run(text).bold = bold
    d.save(str(path))


def demo_text(hostile: bool = False) -> str:
    """The demo as plain text: one line per paragraph, table rows as tab-separated lines (as readers render them)."""
    before, after = _paragraphs(hostile)
    lines = ["".join(t for t, _ in runs) for runs in before]
    lines += ["\t".join(row) for row in TABLE_ROWS]
    lines += ["".join(t for t, _ in runs) for runs in after]
    return "\n".join(lines)


def demo_report(doc: Document) -> Report:
    """Sections from the headings '一、…' to '六、…', and table 三 from the grid block (or the text lines)."""
    text = doc.text
    heads = [(b.start, b.end, b.text[0], b.text) for b in doc.blocks
             if b.kind == "paragraph" and re.match(r"[一二三四五六]、", b.text)]
    closing_start = text.index("示例镇人民政府\n2024")
    sections = [Section("preamble", "", None, 0, heads[0][0] - 1, paragraphs=[])]
    for i, (s, e, num, title) in enumerate(heads):
        end = heads[i + 1][0] - 1 if i + 1 < len(heads) else closing_start - 1
        body = Span(e + 1, end)
        paras = []
        pos = body.start
        for line in text[body.start:body.end].split("\n"):
            if line.strip():
                paras.append(Span(pos, pos + len(line)))
            pos += len(line) + 1
        sections.append(Section(SECTION_IDS[num], title, num, s, end, heading=Span(s, e), body=body,
                                paragraphs=paras, order=i + 1))
    sections.append(Section("closing", "", None, closing_start, len(text), order=len(heads) + 1))

    # Table 三 cells from the text lines "label<TAB>n<TAB>n<TAB>n" (how every reader renders a table row), with the
    # grid cell's anchor when the reader produced a table grid.
    grid_cells = {c.start: c for b in doc.blocks if b.kind == "table" and b.rows for row in b.rows for c in row}
    cells: dict[str, dict[str, TableCell]] = {}
    row_keys = ["new", "carried_over", "total", "carry_forward"]
    col_keys = ["natural", "commercial", "total"]
    for rk, row in zip(row_keys, TABLE_ROWS[1:]):
        line_start = text.find(row[0] + "\t")
        if line_start < 0:
            continue
        cells[rk] = {}
        pos = line_start + len(row[0]) + 1
        for ck, value in zip(col_keys, row[1:]):
            gc = grid_cells.get(pos)
            cells[rk][ck] = TableCell(value, float(value), "number", pos, pos + len(value), gc.anchor if gc else None)
            pos += len(value) + 1
    table_start = text.find(TABLE_ROWS[1][0])
    table = Table("三", "2021", "grid", "ok", cells=cells,
                  row_labels={"new": "一、本年新收政府信息公开申请数量", "carried_over": "二、上年结转政府信息公开申请数量",
                              "total": "（七）总计", "carry_forward": "四、结转下年度继续办理"},
                  column_labels={"natural": "自然人", "commercial": "法人或其他组织", "total": "总计"},
                  start=table_start if table_start >= 0 else None)
    return Report(document=doc, title=text.split("\n", 1)[0], unit="示例镇人民政府", level="township", year=2023,
                  published="2024-01-20", format_version="2021", sections=sections, tables={"三": table})


def _span(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    i = text.index(needle, after)
    return i, i + len(needle)


def demo_audit(doc: Document) -> Audit:
    """An Audit with one finding of each kind of location: span in a run, span across runs, table cell, section."""
    report = demo_report(doc)
    text = doc.text
    s1, e1 = _span(text, "负总表")
    s2, e2 = _span(text, "，，")
    s3, e3 = _span(text, "下一步，我们将加强培训，，提升公开质量。")
    findings = [
        Finding("TYPO-201", "typo", "error", "疑似错别字：“负总表”应为“负总责”", section="overview", text="负总表",
                start=s1, end=e1, suggestion="负总责", paragraph=1),
        Finding("PUNC-301", "punctuation", "warning", "标点重复：连续两个逗号", section="problems", text="，，",
                start=s2, end=e2, suggestion="，", paragraph=1),
        Finding("BLR-501", "boilerplate", "info", "改进措施空泛，未写明具体做法、时限和责任", section="problems",
                text=text[s3:e3], start=s3, end=e3, paragraph=1, evidence={"probability": 0.91}),
        Finding("TBL-101", "table", "error",
                "表三“自然人”等列：本年新收＋上年结转应等于办理结果总计＋结转下年度（总计列 6＋0 ≠ 7＋0）",
                section="requests", table="三", row="（七）总计", column="总计",  # labels, as the table rules write them
                evidence={"expected": 6, "actual": 7}),
        Finding("CMP-601", "completeness", "warning", "总体情况未提及“平台建设”“监督保障”", section="overview",
                suggestion="补充政务公开平台建设和监督保障情况"),
        Finding("CON-201", "consistency", "info", "全文未写明发布日期以外的编制单位联系方式"),
    ]
    for f in findings:
        f.fingerprint = f.compute_fingerprint(text)
    checks = [
        Check("TBL-101", "fail", table="三", row="（七）总计", column="总计", expected=6, actual=7,
              message="一+二 = 三(七) + 四"),
        Check("TBL-101", "pass", table="三", row="total", column="natural", expected=5, actual=5),
        Check("TBL-101", "pass", table="三", row="total", column="commercial", expected=1, actual=1),
        Check("TBL-102", "uncertain", table="三", row="total", column="total",
              message="办理结果分项未列出，无法核对（七）总计"),
    ]
    sections = [SectionResult(s.id, s.title or SECTION_TITLES[s.id], True, score) for s, score in
                zip(report.sections, (None, 88.0, 95.0, 70.0, 100.0, 62.5, 100.0, None))]
    return Audit(file=doc.path, format_version="2021", unit=report.unit, level=report.level, year=report.year,
                 published=report.published, title=report.title, score=81.5, sections=sections, checks=checks,
                 findings=findings, source_format=doc.source_format, report=report,
                 score_breakdown={"tables": 70.0, "text": 86.0, "completeness": 80.0})


def build_demo(folder: Path, hostile: bool = False) -> Demo:
    """Write demo.docx and demo.txt and read them back with the project's readers (so anchors are the real ones)."""
    from ..read import read_document

    folder.mkdir(parents=True, exist_ok=True)
    docx_path = folder / "demo.docx"
    text_path = folder / "demo.txt"
    write_demo_docx(docx_path, hostile)
    text_path.write_text(demo_text(hostile), encoding="utf-8")
    return Demo(docx_path, text_path, demo_audit(read_document(docx_path)), demo_audit(read_document(text_path)))


def main(argv: list[str]) -> int:
    from .docx_review import write_review_copy
    from .html import render_index, render_report
    from .sarif import render_sarif

    out = Path(argv[0] if argv else "demo_out")
    demo = build_demo(out)
    write_review_copy(demo.docx_audit, demo.docx_path, out / "demo.review.docx")
    write_review_copy(demo.text_audit, demo.text_path, out / "demo_txt.review.docx")
    (out / "demo.html").write_text(render_report(demo.docx_audit), encoding="utf-8")
    (out / "demo.sarif").write_text(render_sarif([demo.docx_audit, demo.text_audit]), encoding="utf-8")
    rows = [{"path": str(demo.docx_path), "html": "demo.html", "unit": demo.docx_audit.unit, "year": 2023,
             "level": "township", "status": "ok", "score": demo.docx_audit.score, "errors": 2, "warnings": 2, "infos": 2,
             "copy_ratio": 0.41},
            {"path": str(out / "示例街道2023.docx"), "html": "demo.html", "unit": "示例街道办事处", "year": 2023,
             "level": "township", "status": "ok", "score": 92.0, "errors": 0, "warnings": 1, "infos": 3,
             "copy_ratio": 0.18},
            {"path": str(out / "示例局2023.doc"), "status": "failed", "score": None, "error_code": "legacy_doc",
             "error_message": "a legacy Word 97-2003 .doc file"}]
    (out / "index.html").write_text(render_index(rows), encoding="utf-8")
    print(f"wrote demo outputs to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
