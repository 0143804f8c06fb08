"""A small, invented 年报 with known faults, used to exercise and document the reviewer outputs.

``build_demo(folder)`` writes ``demo.docx`` (real python-docx file: multi-run paragraphs with formatting, a table 三
excerpt with a broken identity) and ``demo.txt`` (same text), and returns hand-made ``Audit`` objects for both
whose findings point at known spans. The renderers' tests and the README screenshots use it, so they do not depend
on the rule engines. The text is invented; nothing comes from the corpus.

    python -m analyzer.render.demo OUT_DIR   # writes the demo inputs and all reviewer outputs into OUT_DIR
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..model import (Anchor, Audit, Block, Check, Document, Finding, GridCell, Report, Section, SectionResult, Span,
                     Table, TableCell)

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


def demo_document(path: Path, source_format: str, hostile: bool = False) -> Document:
    """The Document a reader produces for the demo (docx anchors per the reader contract; text: one block a line)."""
    before, after = _paragraphs(hostile)
    blocks: list[Block] = []
    parts: list[str] = []
    offset = 0
    para_index = 0
    line_no = 0

    def add_paragraph(runs: list[tuple[str, bool]]) -> None:
        nonlocal offset, para_index, line_no
        text = "".join(t for t, _ in runs)
        run_offsets, pos = [], 0
        for t, _ in runs:
            run_offsets.append(pos)
            pos += len(t)
        if source_format == "docx":
            anchor = Anchor("docx", paragraph=para_index, run_offsets=tuple(run_offsets))
        else:
            anchor = Anchor("text", paragraph=line_no)
        blocks.append(Block("paragraph", text, offset, offset + len(text), anchor))
        parts.append(text)
        offset += len(text) + 1
        para_index += 1
        line_no += 1

    for runs in before:
        add_paragraph(runs)
    rows: list[list[GridCell]] = []
    table_start = offset
    lines = []
    for r, row in enumerate(TABLE_ROWS):
        grid_row = []
        col_off = offset
        for c, value in enumerate(row):
            anchor = (Anchor("docx", table=0, row=r, col=c) if source_format == "docx"
                      else Anchor("text", paragraph=line_no, col=c))
            grid_row.append(GridCell(value, col_off, col_off + len(value), anchor))
            col_off += len(value) + 1
        rows.append(grid_row)
        line = "\t".join(row)
        lines.append(line)
        offset += len(line) + 1
        line_no += 1
    table_text = "\n".join(lines)
    blocks.append(Block("table", table_text, table_start, table_start + len(table_text),
                        Anchor(source_format if source_format == "docx" else "text", table=0), rows=rows))
    parts.append(table_text)
    for runs in after:
        add_paragraph(runs)
    return Document(path=str(path), source_format=source_format, text="\n".join(parts), blocks=blocks,
                    metadata={"encoding": "utf-8"} if source_format == "text" else {})


def demo_report(doc: Document) -> Report:
    """Sections from the headings '一、…' to '六、…', and table 三 from the grid block (or the text lines)."""
    text = doc.text
    heads = [(m.start(), m.end(), m.group(1), m.group(0)) for m in re.finditer(r"(?m)^([一二三四五六])、[^\n]*", text)]
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

    table_block = next((b for b in doc.blocks if b.kind == "table"), None)
    cells: dict[str, dict[str, TableCell]] = {}
    row_keys = ["new", "carried_in", "results_total", "carried_out"]
    col_keys = ["natural", "legal", "total"]
    if table_block is not None and table_block.rows:
        for rk, grid_row in zip(row_keys, table_block.rows[1:]):
            cells[rk] = {}
            for ck, cell in zip(col_keys, grid_row[1:]):
                cells[rk][ck] = TableCell(cell.text, float(cell.text), "number", cell.start, cell.end, cell.anchor)
    table = Table("三", "2021", "grid", "ok", cells=cells,
                  row_labels={"new": "一、本年新收政府信息公开申请数量", "carried_in": "二、上年结转政府信息公开申请数量",
                              "results_total": "（七）总计", "carried_out": "四、结转下年度继续办理"},
                  column_labels={"natural": "自然人", "legal": "法人或其他组织", "total": "总计"},
                  start=table_block.start if table_block else None, end=table_block.end if table_block else None)
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
                section="requests", table="三", row="results_total", column="total",
                evidence={"expected": 6, "actual": 7}),
        Finding("CMP-601", "completeness", "warning", "总体情况未提及“平台建设”“监督保障”", section="overview",
                suggestion="补充政务公开平台建设和监督保障情况"),
        Finding("CON-201", "consistency", "info", "全文未写明发布日期以外的编制单位联系方式"),
    ]
    for f in findings:
        f.fingerprint = f.compute_fingerprint(text)
    checks = [
        Check("TBL-101", "fail", table="三", row="results_total", column="total", expected=6, actual=7,
              message="一+二 = 三(七) + 四"),
        Check("TBL-101", "pass", table="三", row="results_total", column="natural", expected=5, actual=5),
        Check("TBL-101", "pass", table="三", row="results_total", column="legal", expected=1, actual=1),
        Check("TBL-102", "uncertain", table="三", row="results_total", column="total",
              message="办理结果分项未列出，无法核对（七）总计"),
    ]
    sections = [SectionResult(s.id, s.title or s.id, True, score) for s, score in
                zip(report.sections, (None, 88.0, 95.0, 70.0, 100.0, 62.5, 100.0, None))]
    return Audit(file=doc.path, format_version="2021", unit=report.unit, level=report.level, year=report.year,
                 published=report.published, title=report.title, score=81.5, sections=sections, checks=checks,
                 findings=findings, source_format=doc.source_format, report=report,
                 score_breakdown={"tables": 70.0, "text": 86.0, "completeness": 80.0})


def build_demo(folder: Path, hostile: bool = False) -> Demo:
    folder.mkdir(parents=True, exist_ok=True)
    docx_path = folder / "demo.docx"
    text_path = folder / "demo.txt"
    write_demo_docx(docx_path, hostile)
    text_doc = demo_document(text_path, "text", hostile)
    text_path.write_text(text_doc.text, encoding="utf-8")
    return Demo(docx_path, text_path, demo_audit(demo_document(docx_path, "docx", hostile)), demo_audit(text_doc))


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
    rows = [{"file": "demo.docx", "unit": demo.docx_audit.unit, "year": 2023, "score": demo.docx_audit.score,
             "errors": 2, "warnings": 2, "infos": 2, "href": "demo.html"}]
    (out / "index.html").write_text(render_index(rows), encoding="utf-8")
    print(f"wrote demo outputs to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
