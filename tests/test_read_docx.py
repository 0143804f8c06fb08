"""Word reader on real .docx files written with python-docx in the test."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import parse_xml

from analyzer.read import read_document

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _assert_offsets(doc):
    for b in doc.blocks:
        assert doc.text[b.start:b.end] == b.text
        for row in b.rows or []:
            for cell in row:
                assert doc.text[cell.start:cell.end] == cell.text
    assert doc.text == "\n".join(b.text for b in doc.blocks)


def _save(d, tmp_path: Path, name="t.docx") -> Path:
    p = tmp_path / name
    d.save(p)
    return p


def _table3_header(d):
    """The top of table 三: a 3×3 note, 申请人情况 over 7 columns, 法人或其他组织 over 5, 自然人/总计 over 2 rows."""
    t = d.add_table(rows=4, cols=10)
    t.cell(0, 0).merge(t.cell(2, 2)).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    t.cell(0, 3).merge(t.cell(0, 9)).text = "申请人情况"
    t.cell(1, 3).merge(t.cell(2, 3)).text = "自然人"
    t.cell(1, 4).merge(t.cell(1, 8)).text = "法人或其他组织"
    t.cell(1, 9).merge(t.cell(2, 9)).text = "总计"
    for i, label in enumerate(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]):
        t.cell(2, 4 + i).text = label
    t.cell(3, 0).merge(t.cell(3, 2)).text = "一、本年新收政府信息公开申请数量"
    for c in range(3, 10):
        t.cell(3, c).text = str(c - 3)
    return t


def test_merged_header_cells_expand_into_a_grid(tmp_path):
    d = docx.Document()
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    _table3_header(d)
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    doc = read_document(_save(d, tmp_path))
    _assert_offsets(doc)
    assert [b.kind for b in doc.blocks] == ["paragraph", "table", "paragraph"]
    rows = doc.blocks[1].rows
    assert len(rows) == 4 and all(len(r) == 10 for r in rows)
    note = rows[0][0]
    assert all(rows[r][c] is note for r in range(3) for c in range(3))
    assert (note.row_span, note.col_span) == (3, 3)
    applicant = rows[0][3]
    assert applicant.text == "申请人情况" and applicant.col_span == 7 and rows[0][9] is applicant
    assert rows[1][3] is rows[2][3] and rows[1][3].row_span == 2
    assert rows[1][4].text == "法人或其他组织" and rows[1][8] is rows[1][4]
    assert [c.text for c in rows[2][4:9]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert [c.text for c in rows[3][3:]] == [str(i) for i in range(7)]
    # a merged cell's text appears once, at its first position; tabs keep every row 10 cells wide
    lines = doc.blocks[1].text.split("\n")
    assert all(line.count("\t") == 9 for line in lines)
    assert lines[0].split("\t")[3] == "申请人情况" and lines[0].split("\t")[4] == ""
    assert doc.text.count("申请人情况") == 1
    assert rows[0][3].anchor.table == 0 and (rows[0][3].anchor.row, rows[0][3].anchor.col) == (0, 3)


def test_nested_table_is_flattened_into_its_cell(tmp_path):
    d = docx.Document()
    outer = d.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "行政许可"
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "212"
    inner.cell(0, 1).text = "件"
    doc = read_document(_save(d, tmp_path))
    _assert_offsets(doc)
    assert len(doc.blocks) == 1
    row = doc.blocks[0].rows[0]
    assert row[0].text == "行政许可"
    assert "212" in row[1].text and "件" in row[1].text
    assert "\t" not in row[1].text and "\n" not in row[1].text


def test_one_column_layout_frame_is_unwrapped(tmp_path):
    d = docx.Document()
    frame = d.add_table(rows=1, cols=1)
    cell = frame.cell(0, 0)
    cell.paragraphs[0].text = "一、总体情况"
    cell.add_paragraph("本年度共主动公开信息212条。")
    inner = cell.add_table(rows=2, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "信息内容", "本年处理决定数量"
    inner.cell(1, 0).text, inner.cell(1, 1).text = "行政许可", "212"
    doc = read_document(_save(d, tmp_path))
    _assert_offsets(doc)
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph", "table"]
    assert doc.blocks[0].text == "一、总体情况"
    assert doc.blocks[2].rows[1][1].text == "212"


def test_paragraph_anchors_and_run_offsets(tmp_path):
    d = docx.Document()
    d.add_paragraph("")  # empty paragraphs are skipped but still counted
    p = d.add_paragraph()
    p.add_run("由分管办公室领导")
    p.add_run("负总表")
    p.add_run("。")
    doc = read_document(_save(d, tmp_path))
    b = doc.blocks[0]
    assert b.text == "由分管办公室领导负总表。"
    assert b.anchor.kind == "docx" and b.anchor.paragraph == 1
    assert b.anchor.run_offsets == (0, 8, 11)


def test_tracked_changes_content_controls_and_hyperlinks(tmp_path):
    d = docx.Document()
    p = d.add_paragraph()
    p._p.append(parse_xml(f'<w:ins {W} w:id="1" w:author="a"><w:r><w:t>插入的文字</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {W} w:id="2" w:author="a"><w:r><w:delText>删除的文字</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:hyperlink {W}><w:r><w:t>链接文字</w:t></w:r></w:hyperlink>'))
    sdt = parse_xml(f'<w:sdt {W}><w:sdtContent><w:p><w:r><w:t>内容控件里的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>')
    d.element.body.insert(len(d.element.body) - 1, sdt)
    d.sections[0].header.paragraphs[0].text = "页眉文字"
    d.sections[0].footer.paragraphs[0].text = "- 1 -"
    doc = read_document(_save(d, tmp_path))
    _assert_offsets(doc)
    assert doc.blocks[0].text == "插入的文字链接文字"
    assert doc.blocks[1].text == "内容控件里的段落" and doc.blocks[1].anchor.paragraph is None
    assert "删除的文字" not in doc.text and "页眉文字" not in doc.text and "- 1 -" not in doc.text
    assert doc.metadata["artifacts"]["tracked_insertions"] == 1


def test_go_back_bookmark_is_recorded_not_deleted(tmp_path):
    d = docx.Document()
    p = d.add_paragraph("五、存在的主要问题及改进情况")
    p._p.insert(0, parse_xml(f'<w:bookmarkStart {W} w:id="0" w:name="_GoBack"/>'))
    doc = read_document(_save(d, tmp_path))
    assert doc.text == "五、存在的主要问题及改进情况"
    assert doc.metadata["artifacts"] == {"go_back_bookmarks": 1}


def test_cell_line_breaks_become_spaces(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).paragraphs[0].add_run("商业").add_break()
    t.cell(0, 0).paragraphs[0].add_run("企业")
    t.cell(0, 1).text = "1"
    t.cell(0, 1).add_paragraph("2")
    doc = read_document(_save(d, tmp_path))
    assert doc.blocks[0].text == "商业 企业\t1 2"


def test_ragged_rows_are_padded(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).text = "a"
    # remove the last cell of the second row: a short row, as hand-edited tables have
    tr = t.rows[1]._tr
    tr.remove(tr.tc_lst[-1])
    doc = read_document(_save(d, tmp_path))
    _assert_offsets(doc)
    assert [len(r) for r in doc.blocks[0].rows] == [3, 3]


def test_docx_named_txt_is_read_as_docx(tmp_path):
    d = docx.Document()
    d.add_paragraph("一、总体情况")
    p = tmp_path / "report.txt"
    d.save(p)
    doc = read_document(p)
    assert doc.source_format == "docx" and doc.text == "一、总体情况"


def test_real_blank_template(shared_dir):
    doc = read_document(shared_dir / "corpus" / "original" / "template_2021_blank.docx")
    _assert_offsets(doc)
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert [(len(t.rows), len(t.rows[0])) for t in tables] == [(14, 4), (28, 10), (4, 15)]
    t3 = tables[1].rows
    assert t3[0][3].text == "申请人情况" and t3[0][3].col_span == 7
    assert t3[5][0].text == "三、本年度办理结果" and t3[5][0].row_span == 22
    assert t3[7][1].text == "（三）不予公开" and t3[7][1].row_span == 8
    numerals = ("一、", "二、", "三、", "四、", "五、", "六、")
    headings = [b.text for b in doc.blocks if b.kind == "paragraph" and b.text[:2] in numerals]
    assert len(headings) == 6


def test_sample_docx_matches_the_seed_tables(samples_dir):
    doc = read_document(samples_dir / "wangcun_2022.docx")
    _assert_offsets(doc)
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert [(len(t.rows), len(t.rows[0])) for t in tables] == [(14, 4), (28, 10), (4, 15)]
    assert "负总表" in doc.text and "定岗定表" in doc.text
    assert doc.metadata["artifacts"]["go_back_bookmarks"] == 1
    assert tables[0].rows[6][1].text == "212"
