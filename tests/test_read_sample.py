"""The bundled sample: the seed as .txt, as GBK .txt and as the generated .docx give the same section structure."""

from __future__ import annotations

import re
import subprocess
import sys

from analyzer.read import read_document


def _structure():
    from analyzer.structure import structure_document

    return structure_document


def _sections(report):
    return [(s.id, re.sub(r"\s+", "", s.title)) for s in report.sections]


def test_txt_gbk_and_docx_give_the_same_sections(samples_dir, tmp_path):
    structure_document = _structure()
    txt = samples_dir / "wangcun_2022.txt"
    gbk = tmp_path / "wangcun_2022_gbk.txt"
    gbk.write_bytes(txt.read_text(encoding="utf-8").encode("gbk"))
    reports = {name: structure_document(read_document(p))
               for name, p in (("txt", txt), ("gbk", gbk), ("docx", samples_dir / "wangcun_2022.docx"))}
    assert read_document(gbk).metadata["encoding"] == "gb18030"
    expected = _sections(reports["txt"])
    assert [sid for sid, _ in expected if sid in ("overview", "proactive", "requests", "review_litigation",
                                                  "problems", "other")] == [
        "overview", "proactive", "requests", "review_litigation", "problems", "other"]
    assert _sections(reports["gbk"]) == expected
    assert _sections(reports["docx"]) == expected
    for r in reports.values():
        assert r.year == 2022


def test_sample_txt_is_the_seed(samples_dir, corpus_dir):
    seed = corpus_dir / "000_wangcun_town_2022_seed.txt"
    assert (samples_dir / "wangcun_2022.txt").read_bytes() == seed.read_bytes()


def test_generator_is_deterministic(samples_dir, tmp_path):
    out = tmp_path / "again.docx"
    subprocess.run([sys.executable, str(samples_dir / "make_sample_docx.py"), str(samples_dir / "wangcun_2022.txt"),
                    str(out)], check=True, capture_output=True)
    assert out.read_bytes() == (samples_dir / "wangcun_2022.docx").read_bytes()


def test_sample_docx_keeps_the_seed_text(samples_dir):
    txt = read_document(samples_dir / "wangcun_2022.txt")
    dx = read_document(samples_dir / "wangcun_2022.docx")
    squash = lambda s: re.sub(r"\s+", "", s.replace("[bookmark: _GoBack]", ""))  # noqa: E731
    # every paragraph line of the seed is in the docx text verbatim (faults included)
    for b in txt.blocks:
        if not b.text.startswith("\t") and b.text.strip():
            assert squash(b.text) in squash(dx.text), b.text
