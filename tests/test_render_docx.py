"""Review copy: open the written .docx with python-docx and check every comment's anchored text."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from analyzer.errors import NianbaoError
from analyzer.model import Finding
from analyzer.render.demo import HOSTILE, build_demo
from analyzer.render.docx_review import write_review_copy

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def anchored_texts(path: Path) -> dict[str, str]:
    """comment id → the document text between its commentRangeStart and commentRangeEnd (document order)."""
    body = docx.Document(str(path)).element.body
    open_ids: list[str] = []
    texts: dict[str, list[str]] = {}
    for el in body.iter():
        if el.tag == W + "commentRangeStart":
            open_ids.append(el.get(W + "id"))
            texts.setdefault(el.get(W + "id"), [])
        elif el.tag == W + "commentRangeEnd":
            open_ids.remove(el.get(W + "id"))
        elif el.tag == W + "t" and el.text:
            for cid in open_ids:
                texts[cid].append(el.text)
        elif el.tag == W + "p" and open_ids:
            pass
    return {k: "".join(v) for k, v in texts.items()}


def comments_by_rule(path: Path) -> dict[str, tuple[str, str]]:
    """rule id (from the comment text) → (comment text, anchored text). The summary comment is keyed 'summary'."""
    d = docx.Document(str(path))
    anchors = anchored_texts(path)
    out = {}
    for c in d.comments:
        text = c.text
        key = "summary" if text.startswith("nianbao 审核摘要") else text.split("】", 1)[0].split()[-1]
        out[key] = (text, anchors[str(c.comment_id)])
    return out


@pytest.fixture()
def demo(tmp_path):
    return build_demo(tmp_path)


def run_formatting(path: Path) -> list[tuple[str, bool | None]]:
    return [(r.text, r.bold) for p in docx.Document(str(path)).paragraphs for r in p.runs]


def test_docx_comments_cover_exact_spans(demo, tmp_path):
    out = tmp_path / "review.docx"
    before = hashlib.sha256(demo.docx_path.read_bytes()).hexdigest()
    write_review_copy(demo.docx_audit, demo.docx_path, out, author="张三", initials="ZS")
    assert hashlib.sha256(demo.docx_path.read_bytes()).hexdigest() == before  # input untouched

    d = docx.Document(str(out))
    comments = list(d.comments)
    # 5 placeable findings + 1 summary; CON-201 has no location and goes into the summary
    assert len(comments) == 6
    assert {c.author for c in comments} == {"张三"} and {c.initials for c in comments} == {"ZS"}
    by_rule = comments_by_rule(out)
    assert by_rule["TYPO-201"][1] == "负总表"  # the span, not the whole paragraph
    assert "负总责" in by_rule["TYPO-201"][0]
    assert by_rule["PUNC-301"][1] == "，，"  # a span that crosses two runs
    assert by_rule["BLR-501"][1] == "下一步，我们将加强培训，，提升公开质量。"  # overlaps PUNC-301
    assert by_rule["TBL-101"][1] == "7"  # the 总计 cell of row （七）总计
    assert "应为 6，实为 7" in by_rule["TBL-101"][0]
    assert by_rule["CMP-601"][1] == "一、总体情况"  # section-level finding → the heading
    summary_text, summary_anchor = by_rule["summary"]
    assert summary_anchor == "示例镇人民政府2023年政府信息公开工作年度报告"
    assert "81.5" in summary_text and "错误 2 条" in summary_text and "CON-201" in summary_text


def test_split_runs_keep_formatting_and_text(demo, tmp_path):
    out = tmp_path / "review.docx"
    write_review_copy(demo.docx_audit, demo.docx_path, out)
    src = docx.Document(str(demo.docx_path))
    dst = docx.Document(str(out))
    # the visible text of every paragraph and table cell is unchanged
    assert [p.text for p in src.paragraphs] == [p.text for p in dst.paragraphs]
    assert [c.text for r in src.tables[0].rows for c in r.cells] == [c.text for r in dst.tables[0].rows for c in r.cells]
    # the bold run after the typo is still bold, the split pieces of the plain run are still plain
    runs = {t: b for t, b in run_formatting(out)}
    assert runs["负总表"] in (None, False)
    assert runs["全年主动公开政府信息126条。"] is True
    assert runs["示例镇人民政府2023年政府信息公开工作年度报告"] is True
    texts = [t for t, _ in run_formatting(out)]
    assert "2023年，示例镇坚持主要领导" in texts and "、分管领导具体抓，" in texts


def test_text_input_gets_rebuilt_docx_with_same_comments(demo, tmp_path):
    out = tmp_path / "review_txt.docx"
    write_review_copy(demo.text_audit, demo.text_path, out)
    d = docx.Document(str(out))
    assert len(d.tables) == 1 and d.tables[0].cell(3, 3).text == "7"
    by_rule = comments_by_rule(out)
    assert by_rule["TYPO-201"][1] == "负总表"
    assert by_rule["PUNC-301"][1] == "，，"
    assert by_rule["TBL-101"][1] == "7"
    assert "demo.txt" in by_rule["summary"][1]  # the summary sits on the provenance note


def test_hostile_text_is_kept_as_text(tmp_path):
    demo = build_demo(tmp_path, hostile=True)
    out = tmp_path / "review.docx"
    write_review_copy(demo.docx_audit, demo.docx_path, out)
    d = docx.Document(str(out))
    assert any(HOSTILE in p.text for p in d.paragraphs)
    # control characters in a message must not corrupt the file
    demo.text_audit.findings.append(Finding("TYPO-202", "typo", "warning", "bad\x01char\x0b", start=0, end=2))
    out2 = tmp_path / "review2.docx"
    write_review_copy(demo.text_audit, demo.text_path, out2)
    assert any("badchar" in c.text for c in docx.Document(str(out2)).comments)


def test_unmatched_paragraph_falls_back_without_losing_findings(demo, tmp_path):
    # The reader's paragraph text differs from the file (e.g. a field result): the comment still lands on the
    # flagged text, found inside the paragraph.
    doc = demo.docx_audit.report.document
    block = next(b for b in doc.blocks if "负总表" in b.text)
    block.text = block.text + " "  # reader added a trailing space; anchors now disagree with the source text
    out = tmp_path / "review.docx"
    write_review_copy(demo.docx_audit, demo.docx_path, out)
    assert comments_by_rule(out)["TYPO-201"][1] == "负总表"


def test_refuses_to_overwrite_input(demo):
    with pytest.raises(NianbaoError) as exc:
        write_review_copy(demo.docx_audit, demo.docx_path, demo.docx_path)
    assert exc.value.code == "output_invalid"


@pytest.mark.slow
def test_review_copy_renders_in_libreoffice(demo, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path / "review.docx"
    write_review_copy(demo.docx_audit, demo.docx_path, out)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "review.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "负总表" in text
