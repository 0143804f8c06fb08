"""HTML report and batch index: parsed with lxml, checked for escaping, self-containment and marked cells;
then loaded in a real headless Chromium (skipped when no browser is installed)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import lxml.html
import pytest

from analyzer.model import Audit, AuditError
from analyzer.render.demo import HOSTILE, build_demo
from analyzer.render.html import render_index, render_report


@pytest.fixture()
def hostile(tmp_path):
    return build_demo(tmp_path, hostile=True)


def parse(page: str):
    return lxml.html.document_fromstring(page)


def test_report_text_is_escaped(hostile):
    page = render_report(hostile.docx_audit)
    root = parse(page)
    scripts = root.xpath("//script")
    assert len(scripts) == 1 and "data-pwned" not in scripts[0].text  # only our own filter script
    assert not root.xpath("//img") and not root.xpath("//b")
    assert not [el for el in root.iter() if any(a.startswith("on") for a in el.attrib)]
    # the hostile text is there, as text
    assert HOSTILE in root.text_content()


def test_self_contained(hostile):
    root = parse(render_report(hostile.docx_audit))
    assert not root.xpath("//link | //iframe | //object | //embed")
    for el in root.iter():
        for attr in ("src", "href"):
            v = el.get(attr)
            assert v is None or not v.startswith(("http:", "https:", "//")), (el.tag, v)
    csp = root.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp and "default-src 'none'" in csp[0]


def test_failing_cell_marked_and_findings_highlighted(tmp_path):
    demo = build_demo(tmp_path)
    root = parse(render_report(demo.docx_audit))
    failing = root.xpath("//td[contains(concat(' ', @class, ' '), ' fail ')]")
    assert [td.text_content() for td in failing] == ["7"]
    assert "应为 6，实为 7" in failing[0].get("title")
    uncertain = root.xpath("//td[contains(concat(' ', @class, ' '), ' uncertain ')]")
    assert uncertain == []  # the uncertain check is on the same cell as the failure: failure wins

    marks = root.xpath("//mark")
    by_text = {m.text_content(): m for m in marks}
    assert "sev-error" in by_text["负总表"].get("class")
    assert "TYPO-201" in by_text["负总表"].get("title")
    # the doubled comma is covered by two overlapping findings: one segment, both explained, worst severity wins
    comma = by_text["，，"]
    assert "PUNC-301" in comma.get("title") and "BLR-501" in comma.get("title")
    assert "sev-warning" in comma.get("class")
    ids = {li.get("id") for li in root.xpath("//ol[@id='findings']/li")}
    for m in marks:
        assert {f"f{i}" for i in m.get("data-f").split()} <= ids
    # concatenating section texts gives back the document text (nothing lost or duplicated by highlighting)
    text = "".join(d.text_content() for d in root.xpath("//div[@class='sectext']"))
    doc_text = demo.docx_audit.report.text
    assert text.replace("\n", "") == "".join(doc_text[s.start:s.end] for s in demo.docx_audit.report.sections).replace("\n", "")


def test_filters_list_present_categories_and_severities(tmp_path):
    demo = build_demo(tmp_path)
    root = parse(render_report(demo.docx_audit))
    sev = root.xpath("//input[@name='severity']/@value")
    cat = root.xpath("//input[@name='category']/@value")
    assert sorted(sev) == ["error", "info", "warning"]
    assert set(cat) == {f.category for f in demo.docx_audit.findings}
    items = root.xpath("//ol[@id='findings']/li")
    assert len(items) == len(demo.docx_audit.findings)
    assert {li.get("data-severity") for li in items} == {"error", "warning", "info"}


def test_error_audit_renders_error():
    a = Audit(file="x.doc", error=AuditError("legacy_doc", "x.doc: a legacy Word 97-2003 .doc file <b>"))
    root = parse(render_report(a))
    assert "legacy_doc" in root.text_content() and "<b>" in root.text_content()


def test_index_ranks_and_escapes():
    rows = [
        {"file": "b.docx", "unit": "乙镇", "score": 70.0, "errors": 3, "href": "b.html"},
        {"file": "a<script>.docx", "unit": "甲镇", "score": 90.5, "errors": 0, "href": "javascript:alert(1)"},
        {"file": "c.doc", "error": "legacy_doc", "href": "c.html"},
    ]
    root = parse(render_index(rows))
    trs = root.xpath("//tbody/tr")
    assert [tr.xpath("td")[1].text_content() for tr in trs] == ["甲镇", "乙镇", ""]
    assert [tr.xpath("td")[0].text_content() for tr in trs] == ["1", "2", "—"]
    hrefs = root.xpath("//a/@href")
    assert "b.html" in hrefs and not any(h.startswith("javascript:") for h in hrefs)
    assert "c.html" not in hrefs  # a file that could not be audited has no page to link to
    assert "a<script>.docx" in root.text_content() and len(root.xpath("//script")) == 1


def test_index_accepts_batch_rows():
    # the row shape `nianbao batch` builds (render.tables_out.build_rows + the page name)
    rows = [
        {"rank": 1, "path": "in/甲.docx", "html": "甲-1234.html", "unit": "甲镇人民政府", "year": 2023,
         "level": "township", "status": "ok", "score": 88.0, "errors": 0, "warnings": 2, "infos": 1,
         "copy_ratio": 0.62, "cross_ratio": None, "error_code": None, "error_message": None},
        {"rank": None, "path": "in/乙.doc", "html": "乙-5678.html", "unit": None, "year": None, "level": None,
         "status": "failed", "score": None, "errors": 0, "warnings": 0, "infos": 0, "copy_ratio": None,
         "cross_ratio": None, "error_code": "legacy_doc", "error_message": "in/乙.doc: a legacy Word 97-2003 .doc file"},
    ]
    root = parse(render_index(rows))
    trs = root.xpath("//tbody/tr")
    first = [td.text_content() for td in trs[0].xpath("td")]
    assert first[:5] == ["1", "甲镇人民政府", "2023", "乡镇（街道）", "88"] and "62%" in first
    assert root.xpath("//a/@href") == ["%E7%94%B2-1234.html"]
    assert "legacy_doc" in trs[1].text_content()


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _dump_dom(url: str) -> str:
    profile = tempfile.mkdtemp()
    try:
        res = subprocess.run(
            [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--virtual-time-budget=2000", "--dump-dom", url],
            capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


@pytest.mark.slow
def test_in_headless_chromium(hostile, tmp_path):
    if _chromium() is None:
        pytest.skip("no chromium binary installed")
    page = tmp_path / "report.html"
    page.write_text(render_report(hostile.docx_audit), encoding="utf-8")
    root = parse(_dump_dom(page.as_uri()))
    html_el = root.xpath("/html")[0] if root.tag != "html" else root
    assert "js" in html_el.get("class").split()  # our script ran …
    assert html_el.get("data-pwned") is None  # … the report's did not
    assert HOSTILE in root.text_content()
    assert all(li.get("hidden") is None for li in root.xpath("//ol[@id='findings']/li"))

    # a filtered view from the URL hash: only errors of category table/typo stay visible
    root = parse(_dump_dom(page.as_uri() + "#severity=error"))
    shown = [li.get("data-severity") for li in root.xpath("//ol[@id='findings']/li") if li.get("hidden") is None]
    hidden = [li for li in root.xpath("//ol[@id='findings']/li") if li.get("hidden") is not None]
    assert shown and set(shown) == {"error"} and hidden
