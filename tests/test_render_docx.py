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
    # the text reader gives the table as tab-separated lines; they are kept as lines (no grid is invented)
    assert any(p.text == "三、本年度办理结果（七）总计\t5\t1\t7" for p in d.paragraphs)
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


# ---------------------------------------------------------------- harder Word structures, read by the real reader

from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

from analyzer.model import Audit, Report  # noqa: E402
from analyzer.read import read_document  # noqa: E402


def audit_of(path: Path, spans: list[tuple[str, str]], cells: list[tuple[str, int]] | None = None) -> Audit:
    """Read ``path`` with the project's reader and flag each (rule, text) at its first occurrence."""
    doc = read_document(path)
    findings = []
    for rule, needle in spans:
        start = doc.text.index(needle)
        findings.append(Finding(rule, "typo", "warning", f"flag {needle}", text=needle, start=start,
                                end=start + len(needle)))
    report = Report(document=doc, title=None, unit=None, level=None, year=None, published=None,
                    format_version=None, sections=[])
    return Audit(file=str(path), findings=findings, source_format=doc.source_format, report=report)


def wrap(run, tag: str, **attrs):
    el = OxmlElement(tag, attrs={qn(k): v for k, v in attrs.items()})
    run._r.addprevious(el)
    el.append(run._r)
    return el


def test_spans_inside_hyperlinks_insertions_and_content_controls(tmp_path):
    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("坚持主要")
    wrap(p.add_run("领导负总"), "w:hyperlink", **{"w:anchor": "x"})
    wrap(p.add_run("表、分管领导具体抓"), "w:ins", **{"w:id": "1", "w:author": "a"})
    p.add_run("。")
    # a paragraph inside a block-level content control (the reader gives it no paragraph index)
    sdt = OxmlElement("w:sdt")
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    q = d.add_paragraph()
    q.add_run("本年度未收取信息处理费，，特此说明。")
    q._p.addprevious(sdt)
    content.append(q._p)
    d.add_paragraph("全年主动公开政府信息126条。")
    src = tmp_path / "hard.docx"
    d.save(str(src))

    audit = audit_of(src, [("TYPO-201", "负总表"), ("TYPO-202", "分管领导"), ("PUNC-301", "，，"),
                           ("TYPO-203", "126条")])
    out = tmp_path / "review.docx"
    write_review_copy(audit, src, out)
    anchors = comments_by_rule(out)
    # "负总" is inside the hyperlink (its run cannot be split there), so the comment starts at the run "领导负总"
    assert anchors["TYPO-201"][1] in ("负总表", "领导负总表")
    assert anchors["TYPO-202"][1] == "分管领导"  # split inside the tracked insertion
    assert anchors["PUNC-301"][1] == "，，"  # found in the content control
    assert anchors["TYPO-203"][1] == "126条"
    # the reader still reads the review copy to the same text (comments add no text)
    assert read_document(out).text == audit.report.text


def test_comment_on_merged_table_cells(tmp_path):
    d = docx.Document()
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    t = d.add_table(rows=3, cols=4)
    t.cell(0, 1).merge(t.cell(0, 2))  # gridSpan header
    t.cell(1, 0).merge(t.cell(2, 0))  # vMerge label
    values = {(0, 0): "", (0, 1): "申请人情况", (0, 3): "总计", (1, 0): "本年新收", (1, 1): "5", (1, 2): "1",
              (1, 3): "6", (2, 1): "2", (2, 2): "0", (2, 3): "3"}
    for (r, c), v in values.items():
        t.cell(r, c).text = v
    src = tmp_path / "merged.docx"
    d.save(str(src))
    doc = read_document(src)
    block = next(b for b in doc.blocks if b.kind == "table")
    bad = block.rows[2][3]  # "3" where 2 + 0 = 2
    assert bad.text == "3"
    f = Finding("TBL-104", "table", "error", "总计列应等于各列之和", start=bad.start, end=bad.end, text="3")
    header = block.rows[0][2]  # a position covered by the merged header
    g = Finding("TBL-105", "table", "warning", "表头合并", start=header.start, end=header.end, text=header.text)
    report = Report(document=doc, title=None, unit=None, level=None, year=None, published=None,
                    format_version=None, sections=[])
    audit = Audit(file=str(src), findings=[f, g], source_format="docx", report=report)
    out = tmp_path / "review.docx"
    write_review_copy(audit, src, out)
    anchors = comments_by_rule(out)
    assert anchors["TBL-104"][1] == "3"
    assert anchors["TBL-105"][1] == "申请人情况"


def test_unsplittable_run_widens_to_the_run(tmp_path):
    d = docx.Document()
    p = d.add_paragraph()
    run = p.add_run("依申请公开")
    run._r.append(OxmlElement("w:sym", attrs={qn("w:font"): "Symbol", qn("w:char"): "F0B7"}))  # not plain text
    run2 = p.add_run("工作稳步推进")
    run2.bold = True
    src = tmp_path / "sym.docx"
    d.save(str(src))
    audit = audit_of(src, [("TYPO-201", "申请"), ("TYPO-202", "稳步")])
    out = tmp_path / "review.docx"
    write_review_copy(audit, src, out)
    anchors = comments_by_rule(out)
    assert anchors["TYPO-201"][1] == "依申请公开"  # the whole run, never a broken symbol
    assert anchors["TYPO-202"][1] == "稳步"
    runs = [(r.text, r.bold) for r in docx.Document(str(out)).paragraphs[0].runs]
    assert ("稳步", True) in runs and ("工作", True) in runs and ("推进", True) in runs


def _end_to_end(src, tmp_path):
    """Audit ``src`` for real, write its review copy: every finding placed, every span comment exact."""
    from analyzer.pipeline import audit_file
    from analyzer.render.docx_review import build_review_copy

    audit = audit_file(src)
    assert audit.error is None and audit.findings, src.name
    review = build_review_copy(audit, src)
    out = tmp_path / (src.name + ".review.docx")
    review.doc.save(str(out))
    assert review.unplaced == []
    anchors = anchored_texts(out)
    ids = [str(c.comment_id) for c in docx.Document(str(out)).comments]
    assert len(ids) == len(audit.findings) + 1
    for f, cid in zip(review.placed, ids):
        if f.start is not None and f.end is not None and f.end > f.start and not f.table:
            want = "".join(audit.report.text[f.start:f.end].split())
            if want:
                assert "".join(anchors[cid].split()) == want, (src.name, f.rule)


def test_end_to_end_on_the_bundled_sample(samples_dir, tmp_path):
    """The real pipeline on the bundled .docx sample: every finding placed, every span comment exact."""
    _end_to_end(samples_dir / "wangcun_2022.docx", tmp_path)


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("name", ["006_pingtan_2022.html", "001_hongze_district_2023.pdf"])
def test_end_to_end_on_real_files(shared_dir, tmp_path, name):
    """The real pipeline on a saved government page and a real PDF (rebuilt .docx with the same comments)."""
    _end_to_end(shared_dir / "corpus" / "original" / name, tmp_path)
