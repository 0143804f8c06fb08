"""Plain-text reader: encodings, line endings, scrape headers, offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.errors import ReadError
from analyzer.read import document_from_text, read_document

REPORT = "王村镇人民政府\n2022年政府信息公开工作年度报告\n一、总体情况\n坚持以“公开为常态、不公开为例外”，现报告如下：\n二、主动公开政府信息情况\n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize(
    "encoding, data_fn, expected_enc",
    [
        ("utf-8", lambda s: s.encode("utf-8"), "utf-8"),
        ("utf-8-bom", lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"), "utf-8-sig"),
        ("gbk", lambda s: s.encode("gbk"), "gb18030"),
        ("gb18030", lambda s: (s + "㐀䶵").encode("gb18030"), "gb18030"),  # CJK Ext-A: 4-byte GB18030 sequences
        ("utf-16-le-bom", lambda s: s.encode("utf-16"), "utf-16"),
        ("utf-16-be-bom", lambda s: b"\xfe\xff" + s.encode("utf-16-be"), "utf-16"),
    ],
)
def test_encodings_decode_to_the_same_text(tmp_path, encoding, data_fn, expected_enc):
    doc = read_document(_write(tmp_path, f"{encoding}.txt", data_fn(REPORT)))
    assert doc.text.startswith(REPORT)
    assert doc.metadata["encoding"] == expected_enc
    assert doc.source_format == "text"


def test_crlf_becomes_lf_and_offsets_hold(tmp_path):
    doc = read_document(_write(tmp_path, "crlf.txt", REPORT.replace("\n", "\r\n").encode("gbk")))
    assert "\r" not in doc.text
    assert doc.text == REPORT
    assert doc.metadata["newline"] == "crlf"
    assert [b.text for b in doc.blocks] == [ln for ln in REPORT.split("\n") if ln]
    for b in doc.blocks:
        assert doc.text[b.start:b.end] == b.text
    assert doc.blocks[2].anchor.paragraph == 2


def test_blank_lines_are_kept_in_text_but_not_as_blocks():
    doc = document_from_text("x.txt", "一、总体情况\n\n   \n正文")
    assert doc.text == "一、总体情况\n\n   \n正文"
    assert [b.text for b in doc.blocks] == ["一、总体情况", "正文"]
    assert doc.blocks[1].anchor.paragraph == 3


def test_scrape_header_goes_to_metadata_and_text_is_intact(tmp_path):
    text = ("标题: 平潭综合实验区2022年度政府信息公开工作年度报告\n发布时间: 2023-02-20 15:07\n发布机构: 平潭综合实验区管委会\n"
            "原文链接: https://example.gov.cn/t20230220_1.htm\n==================== 正文 ====================\n" + REPORT)
    doc = read_document(_write(tmp_path, "scraped.txt", text.encode()))
    assert doc.text == text
    m = doc.metadata
    assert m["title"] == "平潭综合实验区2022年度政府信息公开工作年度报告"
    assert m["published"] == "2023-02-20"
    assert m["publisher"] == "平潭综合实验区管委会"
    assert m["url"].endswith("t20230220_1.htm")
    assert doc.text[m["body_start"]:].startswith("王村镇人民政府")


def test_no_header_without_separator():
    doc = read_document_text("标题: 某某\n一、总体情况\n")
    assert "title" not in doc.metadata


def read_document_text(text: str):
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "t.txt"
        p.write_text(text, encoding="utf-8")
        return read_document(p)


def test_markdown_pipe_rows_and_word_artifacts_are_kept(tmp_path):
    text = "| 信息内容 | 本年制发件数 |\n|---|---|\n| 规章 | 0 |\n[bookmark: _GoBack]五、存在的主要问题及改进情况\n"
    doc = read_document(_write(tmp_path, "md.txt", text.encode()))
    assert doc.text == text
    assert all(b.kind == "paragraph" for b in doc.blocks)


def test_binary_junk_named_txt(tmp_path):
    with pytest.raises(ReadError) as err:
        read_document(_write(tmp_path, "junk.txt", bytes(range(256)) * 8))
    assert err.value.code == "binary_content"


def test_undecodable_text(tmp_path):
    with pytest.raises(ReadError) as err:
        read_document(_write(tmp_path, "latin.txt", "Café naïve résumé “q” ".encode("cp1252") * 30))
    assert err.value.code == "undecodable_text"


def test_gbk_without_chinese_plausibility_is_not_forced(tmp_path):
    # Random high bytes that happen to be valid GB18030 must not be accepted as Chinese text.
    data = bytes([0x81, 0x30, 0x81, 0x30, 0xA1, 0xA1] * 50) + bytes([0xFE, 0x39, 0xFE, 0x39] * 50)
    with pytest.raises(ReadError) as err:
        read_document(_write(tmp_path, "odd.txt", data))
    assert err.value.code in ("undecodable_text", "binary_content")


def test_seed_corpus_file_reads_unchanged(corpus_dir):
    path = corpus_dir / "000_wangcun_town_2022_seed.txt"
    doc = read_document(path)
    assert doc.text == path.read_text(encoding="utf-8")
    assert "[bookmark: _GoBack]" in doc.text  # an artifact is recorded for other rules, never deleted


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_chinese_utf16_without_bom(tmp_path, enc):
    doc = read_document(_write(tmp_path, f"{enc}.txt", REPORT.encode(enc)))
    assert doc.text == REPORT and doc.metadata["encoding"] == enc
