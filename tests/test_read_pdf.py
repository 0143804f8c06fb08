"""PDF reader on the real corpus PDF and on generated PDFs."""

from __future__ import annotations

import re

import pytest

from analyzer.errors import ReadError
from analyzer.read import read_document

@pytest.fixture(scope="module")
def hongze(shared_dir):
    return read_document(shared_dir / "corpus" / "original" / "001_hongze_district_2023.pdf")


@pytest.mark.corpus
def test_real_pdf_text_pages_and_page_numbers(hongze, shared_dir):
    doc = hongze
    assert doc.source_format == "pdf" and doc.metadata["page_count"] == 5
    assert [p["text"] for p in doc.metadata["page_number_lines"]] == [f"- {i} -" for i in range(1, 6)]
    assert not re.search(r"^\s*-\s*\d+\s*-\s*$", doc.text, re.M)
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert any(b.text.strip() == heading for b in doc.blocks if b.kind == "paragraph"), heading
    # the real typo stays as printed
    assert "受理渠。" in doc.text
    # compare with pdftotext -layout: same characters once whitespace is ignored
    ref = re.sub(r"\s+", "", (shared_dir / "corpus" / "001_hongze_district_2023.txt").read_text(encoding="utf-8"))
    ours = re.sub(r"\s+", "", doc.text)
    assert abs(len(ours) - len(ref)) / len(ref) < 0.05
    pages = [b.anchor.page for b in doc.blocks]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] == 5


@pytest.mark.corpus
def test_real_pdf_ruled_tables_become_grids(hongze):
    doc = hongze
    tables = [b for b in doc.blocks if b.kind == "table"]
    t3 = next(t for t in tables if any(c.text == "申请人情况" for c in t.rows[0]))
    assert len(t3.rows[0]) == 10
    applicant = next(c for c in t3.rows[0] if c.text == "申请人情况")
    assert applicant.col_span == 7
    new = next(r for r in t3.rows if r[0].text.startswith("一、本年新收"))
    assert [c.text for c in new[3:]] == ["21", "0", "0", "0", "0", "0", "21"]
    result = next(r for r in t3.rows if r[0].text.startswith("三"))
    assert result[0].text == "三、本年度办理结果"  # vertical text joined without layout line breaks
    assert result[0].row_span > 5
    t4 = next(t for t in tables if t.rows[0][0].text == "行政复议")
    assert [c.text for c in t4.rows[-1]][:2] == ["10", "1"]
    for b in doc.blocks:
        assert doc.text[b.start:b.end] == b.text
        for row in b.rows or []:
            for c in row:
                assert doc.text[c.start:c.end] == c.text
                assert c.anchor.page is not None


def test_scanned_pdf_needs_ocr(tmp_path, bad_inputs):
    p = tmp_path / "scan.pdf"
    p.write_bytes(bad_inputs.scanned_pdf())
    with pytest.raises(ReadError) as err:
        read_document(p)
    assert err.value.code == "pdf_no_text" and "OCR" in err.value.message


def test_password_pdf(tmp_path, bad_inputs):
    p = tmp_path / "locked.pdf"
    p.write_bytes(bad_inputs.encrypted_pdf())
    with pytest.raises(ReadError) as err:
        read_document(p)
    assert err.value.code == "pdf_encrypted"


def test_pdf_with_text_made_by_pdfium(tmp_path, bad_inputs):
    """A PDF with a real text layer (Helvetica, ASCII) written by hand: one block per line, page-number line dropped."""
    lines = [b"BT /F1 14 Tf 72 760 Td (Annual report 2023) Tj ET", b"BT /F1 12 Tf 72 730 Td (Section one text.) Tj ET",
             b"BT /F1 10 Tf 290 40 Td (- 1 -) Tj ET"]
    p = tmp_path / "t.pdf"
    p.write_bytes(bad_inputs.one_page_pdf(b"\n".join(lines), helvetica=True))
    doc = read_document(p)
    assert [b.text for b in doc.blocks] == ["Annual report 2023", "Section one text."]
    assert doc.metadata["page_number_lines"] == [{"page": 1, "text": "- 1 -"}]
