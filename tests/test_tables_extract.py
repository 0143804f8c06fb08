"""Extraction of tables 二/三/四 from every input form the corpus shows (by path; nothing copied)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.model import Anchor, Block, Document, GridCell
from analyzer.read import document_from_text, read_document
from analyzer.tables import detect_format_version, extract_tables
from analyzer.tables.cells import Token, split_row
from analyzer.tables.template import keyword_regex, leaf_rows_三, template


def _tables(path: Path):
    return extract_tables(read_document(path), [])


def _row(table, key):
    return [table.value(key, c) for c in table.columns[key]]


def _one(corpus_dir: Path, prefix: str) -> Path:
    hits = sorted(corpus_dir.glob(prefix + "*.txt"))
    assert hits, prefix
    return hits[0]


# ---------------------------------------------------------------- splitting run-together digits


def _tok(raw: str, start: int = 0) -> Token:
    return Token(raw, start, start + len(raw), "number")


def test_split_fixed_by_digit_count():
    cands = split_row([_tok("1000001")], 7)
    assert len(cands) == 1 and [c.value for c in cands[0]] == [1, 0, 0, 0, 0, 0, 1]


def test_split_enumerates_every_reading_without_leading_zeros():
    cands = split_row([_tok("713000074")], 7)
    readings = {tuple(int(c.value) for c in cand) for cand in cands}
    assert {(713, 0, 0, 0, 0, 7, 4), (71, 3, 0, 0, 0, 0, 74), (7, 130, 0, 0, 0, 7, 4)} <= readings
    for cand in cands:
        assert "".join(c.raw for c in cand) == "713000074"
        assert all(c.raw == "0" or not c.raw.startswith("0") for c in cand)
    # only one reading satisfies 总计 = sum of the six applicant columns
    assert [r for r in readings if sum(r[:6]) == r[6]] == [(71, 3, 0, 0, 0, 0, 74)]


def test_split_respects_spaces_and_impossible_rows():
    # '10 0 0 0 00' (086): "00" must be two zeros, so "10" is 1|0 — a single reading
    cands = split_row([_tok("10"), _tok("0"), _tok("0"), _tok("0"), _tok("00")], 7)
    assert [[c.value for c in cand] for cand in cands] == [[1, 0, 0, 0, 0, 0, 0]]
    assert split_row([_tok("000000")], 7) == []  # six digits cannot be seven cells
    signed = split_row([_tok("2648"), _tok("-18538")], 3)
    assert any([c.raw for c in cand] == ["2648", "-18", "538"] for cand in signed)


def test_keyword_tolerates_spaces_bars_and_item_numbers():
    assert keyword_regex("本年度办理结果").search("三 、本 年 度办 理 结果")
    assert keyword_regex("不予公开").search("| （三）不 | 予公开 |")
    m = keyword_regex("其他法律", number=2).search("1.属于国家秘密00000002.其他法律行政法规禁止公开")
    assert m and m.group().startswith("2.")


def test_leaf_rows_by_layout():
    assert "other" in leaf_rows_三("2019") and "other.1" not in leaf_rows_三("2019")
    assert "other.3" in leaf_rows_三("2021") and "other" not in leaf_rows_三("2021")
    assert len(leaf_rows_三("2021")) == 2 + 8 + 3 + 5 + 3


def test_template_rows_have_keys_labels_and_keywords():
    for tid in ("二", "三"):
        keys = [r["key"] for r in template()[f"table_{tid}"]["rows"]]
        assert len(keys) == len(set(keys))
        assert all(r["label"] and r["match"] for r in template()[f"table_{tid}"]["rows"])


# ---------------------------------------------------------------- text forms from the corpus


def test_seed_one_cell_per_line(corpus_dir):
    t = _tables(_one(corpus_dir, "000_"))
    assert {k: v.status for k, v in t.items()} == {"二": "ok", "三": "ok", "四": "ok"}
    assert t["三"].source == "lines" and t["三"].layout == "2021"
    assert _row(t["二"], "licensing") == [212]
    assert all(_row(t["三"], k) == [0] * 7 for k in t["三"].cells)
    assert len(t["三"].cells) == 2 + len(leaf_rows_三("2021")) + 2


def test_pdf_layout_text_with_wrapped_labels_and_page_numbers(corpus_dir):
    t = _tables(_one(corpus_dir, "001_"))
    assert t["三"].status == "ok"
    assert _row(t["三"], "new") == [21, 0, 0, 0, 0, 0, 21]
    assert _row(t["三"], "partial") == [4, 0, 0, 0, 0, 0, 4]  # label wrapped over two lines
    assert _row(t["三"], "unable.1") == [10, 0, 0, 0, 0, 0, 10]
    assert _row(t["三"], "other") == [0] * 7  # （六） printed as one row
    assert _row(t["四"], "review") == [10, 1, 0, 0, 0]
    assert _row(t["二"], "fees") == [7730.28]


def test_run_together_digits_and_glued_item_numbers(corpus_dir):
    t = _tables(_one(corpus_dir, "006_"))["三"]
    assert _row(t, "withheld.1") == [0] * 7  # "1.属于国家秘密00000002.其他法律…": the "2." is the next label
    assert _row(t, "new") == [71, 3, 0, 0, 0, 0, 74]  # 713000074, chosen by the row total
    cells = t.cells["new"]
    assert cells["natural"].assumed and cells["total"].assumed
    assert any(not c.assumed for c in cells.values())  # cells every reading agrees on are certain
    assert (71, 3, 0, 0, 0, 0, 74) in t.row_candidates["new"]
    assert t.status == "uncertain"


def test_mixed_spacing_and_short_row(corpus_dir):
    t = _tables(_one(corpus_dir, "086_"))["三"]
    assert _row(t, "unable.1") == [1, 0, 0, 0, 0, 0, 0]  # '10 0 0 0 00'
    t53 = _tables(_one(corpus_dir, "053_"))["三"]
    assert t53.cells["carry_forward"]["natural"].kind == "missing"  # six cells for seven columns
    assert any("too few digits" in n for n in t53.notes)


def test_pipe_rows_and_three_small_review_tables(corpus_dir):
    t = _tables(_one(corpus_dir, "009_"))
    assert _row(t["三"], "new") == [705, 3, 0, 0, 5, 0, 713]
    assert _row(t["四"], "review") == [27, 10, 9, 15, 61]
    assert _row(t["四"], "suit_after_review") == [8, 0, 1, 1, 10]


def test_absent_tables(corpus_dir):
    assert {v.status for v in _tables(_one(corpus_dir, "034_")).values()} == {"absent"}  # headings only
    t = _tables(_one(corpus_dir, "015_"))  # excerpt cut inside table 三
    assert t["二"].status == "ok" and t["三"].status == "absent" and t["四"].status == "absent"


def test_blank_cells_are_recorded_not_zero(corpus_dir):
    t = _tables(_one(corpus_dir, "017_"))["二"]
    assert t.status == "ok" and "every cell is blank" in t.notes
    assert all(c.kind == "blank" and c.value is None for r in t.cells.values() for c in r.values())


def test_cell_offsets_point_into_document_text(corpus_dir):
    doc = read_document(_one(corpus_dir, "083_"))
    t = extract_tables(doc, [])
    for table in t.values():
        for row in table.cells.values():
            for cell in row.values():
                if cell.kind == "number" and cell.start is not None:
                    assert doc.text[cell.start:cell.end] == cell.raw


def test_format_version(corpus_dir):
    for prefix, expected in (("004_", "2019"), ("023_", "2019"), ("097_", "2019"), ("006_", "2021"),
                             ("000_", "2021"), ("034_", None)):
        doc = read_document(_one(corpus_dir, prefix))
        assert detect_format_version(extract_tables(doc, []), doc.text) == expected, prefix


# ---------------------------------------------------------------- real grids: HTML, PDF, docx


@pytest.mark.parametrize("stem", ["005_pingtan_2020", "006_pingtan_2022", "048_pingtan_haitan_area_2019",
                                  "053_pingtan_jinjing_area_2022", "062_pingtan_social_affairs_bureau_2023"])
def test_run_together_splits_agree_with_the_saved_html(corpus_dir, stem):
    """The same report with real <table> cells: every value we read from the flattened text is right."""
    html = corpus_dir / "original" / f"{stem}.html"
    if not html.exists():
        pytest.skip("saved page absent")
    grid = extract_tables(read_document(html), [])
    flat = extract_tables(read_document(corpus_dir / f"{stem}.txt"), [])
    compared = 0
    for tid in ("二", "三", "四"):
        assert grid[tid].source == "grid" and grid[tid].status == "ok"
        for key, row in grid[tid].cells.items():
            for col, gcell in row.items():
                fcell = flat[tid].cells.get(key, {}).get(col)
                if fcell is None or fcell.kind == "missing" or fcell.value is None:
                    continue  # not read or left undecided: allowed, never wrong
                assert fcell.value == gcell.value, (tid, key, col, fcell.raw, gcell.raw)
                compared += 1
    assert compared > 150


def test_html_grid_blank_cell(corpus_dir):
    html = corpus_dir / "original" / "053_pingtan_jinjing_area_2022.html"
    if not html.exists():
        pytest.skip("saved page absent")
    t = extract_tables(read_document(html), [])["三"]
    assert t.cells["carry_forward"]["commercial"].kind == "blank"


def test_pdf_grid_continued_on_next_page(corpus_dir):
    pdf = corpus_dir / "original" / "001_hongze_district_2023.pdf"
    if not pdf.exists():
        pytest.skip("pdf absent")
    t = extract_tables(read_document(pdf), [])
    assert t["三"].source == "grid" and t["三"].status == "ok"
    assert _row(t["三"], "carry_forward") == [0] * 7
    assert _row(t["四"], "review") == [10, 1, 0, 0, 0]


def test_blank_template_docx(corpus_dir):
    docx = corpus_dir / "original" / "template_2021_blank.docx"
    if not docx.exists():
        pytest.skip("template absent")
    t = extract_tables(read_document(docx), [])
    assert t["三"].source == "grid" and t["三"].layout == "2021"
    assert all(c.kind == "blank" for r in t["三"].cells.values() for c in r.values())


def test_grid_built_by_hand_with_merged_label_cells():
    """Merged cells repeat the same GridCell: the rightmost distinct label cell names the row."""
    labels = ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"]
    text = ""
    rows = []
    merged = GridCell(labels[0], 0, len(labels[0]), Anchor("docx", table=0, row=0, col=0))
    header = GridCell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 0, 1, Anchor("docx"))
    rows.append([header] * 3 + [GridCell(x, 0, 1, Anchor("docx")) for x in
                                ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")])
    pos = 0
    row = [merged, GridCell(labels[1], 0, 1, Anchor("docx")), GridCell(labels[2], 0, 1, Anchor("docx"))]
    for v in ("2", "", "0", "0", "0", "0", "2"):
        row.append(GridCell(v, pos, pos + len(v), Anchor("docx")))
        pos += len(v) + 1
    rows.append(row)
    text = "x" * (pos + 10)
    doc = Document("g.docx", "docx", text, [Block("table", text, 0, len(text), Anchor("docx"), rows=rows)])
    t = extract_tables(doc, [])["三"]
    assert t.source == "grid"
    assert t.value("withheld.1", "natural") == 2
    assert t.cells["withheld.1"]["commercial"].kind == "blank"


def test_text_with_no_tables():
    doc = document_from_text("x.txt", "一、总体情况\n我单位认真做好公开工作。\n")
    t = extract_tables(doc, [])
    assert {v.status for v in t.values()} == {"absent"}
    assert detect_format_version(t, doc.text) is None
