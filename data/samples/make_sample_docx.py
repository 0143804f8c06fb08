"""Rebuild ``wangcun_2022.docx`` (a real Word document) from ``wangcun_2022.txt`` (the seed report as extracted text).

    python data/samples/make_sample_docx.py            # writes data/samples/wangcun_2022.docx

The seed is a Word file flattened to text: each table cell on its own line after a tab, a blank line between rows,
horizontally merged cells written once, vertically merged continuation cells written as empty cells. This script
parses that back and lays the three tables out as in the national 2021 template (国办公开办函〔2021〕30号):

- table 二 (4 columns): a row with fewer cells than the table is wide ends in a cell spanning the rest
  (第二十条第（一）项 spans all four columns; 本年处理决定数量 spans three);
- table 三 (10 columns = 3 label columns + 7 data columns): the two-level header (申请人情况 over everything,
  法人或其他组织 over its five sub-columns, 自然人/总计 spanning two header rows, the 勾稽 note spanning 3×3), and
  row labels where an empty label cell continues the merged label above (三、本年度办理结果 down the first column,
  （三）不予公开 etc. down the second) and the last label of a row spans the remaining label columns;
- table 四 (15 columns): 行政复议 over 5 columns, 行政诉讼 over 10, 未经复议直接起诉 / 复议后起诉 over 5 each,
  the five 行政复议 result labels spanning two header rows.

Every fault of the seed text is kept verbatim (负总表, 定岗定表, the unclosed quote …). The ``[bookmark: _GoBack]``
text is a text-extraction artifact, so the .docx carries a real ``_GoBack`` bookmark at that place instead of the
literal text. Output is byte-for-byte deterministic: fixed core properties and fixed zip timestamps.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
GO_BACK = "[bookmark: _GoBack]"
TABLE_HEADINGS = ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况")
FIXED_TIME = dt.datetime(2023, 1, 15, 9, 0, 0)


# ---------------------------------------------------------------- parse the seed


def parse_seed(text: str) -> list[tuple[str, object]]:
    """[('p', text) | ('table', rows)] where rows = [[cell text]] as the seed lists them."""
    items: list[tuple[str, object]] = []
    rows: list[list[str]] = []
    row: list[str] = []
    in_table = False
    for line in text.split("\n"):
        if line.startswith("\t"):
            in_table = True
            row.append(line[1:])
        elif in_table and line.strip() and row:  # continuation of a multi-line cell
            row[-1] += "\n" + line
        elif in_table and not line.strip():
            if row:
                rows.append(row)
                row = []
            elif rows:  # two blank lines: the table has ended
                items.append(("table", rows))
                rows, in_table = [], False
        elif line.strip():
            items.append(("p", line))
    if rows or row:
        items.append(("table", rows + ([row] if row else [])))
    return items


# ---------------------------------------------------------------- layout specs: rows of (text, colspan, vmerge)


def layout_table2(rows: list[list[str]]) -> list[list[tuple[str, int, str | None]]]:
    width = 4
    out = []
    for row in rows:
        cells = [(t, 1, None) for t in row]
        text, _, _ = cells[-1]
        cells[-1] = (text, width - len(row) + 1, None)
        out.append(cells)
    return out


def layout_table3(rows: list[list[str]]) -> list[list[tuple[str, int, str | None]]]:
    h0, h1, h2 = rows[0], rows[1], rows[2]
    out = [
        [(h0[0], 3, "restart"), (h0[1], 7, None)],
        [("", 3, "continue"), (h1[1], 1, "restart"), (h1[2], 5, None), (h1[3], 1, "restart")],
        [("", 3, "continue"), ("", 1, "continue")] + [(t, 1, None) for t in h2[2:7]] + [("", 1, "continue")],
    ]
    for i, row in enumerate(rows[3:], 3):
        labels, numbers = row[:-7], row[-7:]
        nxt = rows[i + 1][: len(rows[i + 1]) - 7] if i + 1 < len(rows) else []
        cells: list[tuple[str, int, str | None]] = []
        for j, label in enumerate(labels):
            span = 3 - j if j == len(labels) - 1 else 1
            if label == "":
                cells.append(("", span, "continue"))
            else:
                # a label that the next row continues (its cell there is empty) starts a vertical merge
                starts = j < len(nxt) and nxt[j] == "" and j < len(labels) - 1
                cells.append((label, span, "restart" if starts else None))
        out.append(cells + [(n, 1, None) for n in numbers])
    return out


def layout_table4(rows: list[list[str]]) -> list[list[tuple[str, int, str | None]]]:
    r0, r1, r2, r3 = rows
    return [
        [(r0[0], 5, None), (r0[1], 10, None)],
        [(t, 1, "restart") for t in r1[:5]] + [(r1[5], 5, None), (r1[6], 5, None)],
        [("", 1, "continue")] * 5 + [(t, 1, None) for t in r2[5:]],
        [(t, 1, None) for t in r3],
    ]


# ---------------------------------------------------------------- write


def set_cell_text(cell, text: str) -> None:
    """Cell text; a newline in the seed is a line break inside the cell (商业↵企业)."""
    para = cell.paragraphs[0]
    for i, piece in enumerate(text.split("\n")):
        run = para.add_run(piece)
        if i < len(text.split("\n")) - 1:
            run.add_break()


def add_table(doc, spec: list[list[tuple[str, int, str | None]]]) -> None:
    width = sum(span for _, span, _ in spec[0])
    table = doc.add_table(rows=len(spec), cols=width)
    table.style = "Table Grid"
    # rectangular regions: (r0, c0) -> [r1, c1, text]
    regions: dict[tuple[int, int], list] = {}
    for r, row in enumerate(spec):
        c = 0
        for text, span, vmerge in row:
            if vmerge == "continue":
                origin = next(k for k, v in regions.items() if k[1] == c and v[0] == r - 1)
                regions[origin][0] = r
            else:
                regions[(r, c)] = [r, c + span - 1, text]
            c += span
        assert c == width, (r, c, width)
    for (r0, c0), (r1, c1, text) in regions.items():
        cell = table.cell(r0, c0)
        if (r1, c1) != (r0, c0):
            cell = cell.merge(table.cell(r1, c1))
        set_cell_text(cell, text)


def add_go_back_bookmark(paragraph) -> None:
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), "0")
    start.set(qn("w:name"), "_GoBack")
    end.set(qn("w:id"), "0")
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.insert(2 if paragraph._p.pPr is not None else 1, end)


def build(seed_text: str) -> bytes:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(12)
    style.font.name = "仿宋_GB2312"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    cp = doc.core_properties
    cp.title, cp.author, cp.last_modified_by = "王村镇人民政府2022年政府信息公开工作年度报告", "nianbao sample", "nianbao"
    cp.created = cp.modified = cp.last_printed = FIXED_TIME
    cp.revision = 1
    cp.comments = "Rebuilt by data/samples/make_sample_docx.py from wangcun_2022.txt"

    items = parse_seed(seed_text)
    layouts = iter((layout_table2, layout_table3, layout_table4))
    for n, (kind, value) in enumerate(items):
        if kind == "table":
            add_table(doc, next(layouts)(value))  # type: ignore[arg-type]
            continue
        text = str(value)
        go_back = text.startswith(GO_BACK)
        text = text[len(GO_BACK):] if go_back else text
        para = doc.add_paragraph()
        para.add_run(text)
        if n < 2:  # the two title lines
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            para.runs[0].bold = True
        elif re.match(r"^[一二三四五六]、", text):
            para.runs[0].bold = True
        if go_back:
            add_go_back_bookmark(para)
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_zip(buf.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """Same bytes on every run: fixed member timestamps and attributes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2023, 1, 15, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else HERE / "wangcun_2022.txt"
    dst = Path(argv[2]) if len(argv) > 2 else HERE / "wangcun_2022.docx"
    data = build(src.read_text(encoding="utf-8"))
    tmp = dst.with_suffix(dst.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(dst)
    print(f"wrote {dst} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
