"""Format sniffing by content, the OLE2 directory parser and date parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.errors import ReadError
from analyzer.read import ole
from analyzer.read.dates import iso_date
from analyzer.read.sniff import sniff, zip_kind


def test_ole_directory_is_parsed_not_guessed():
    data = ole.build_compound_file({"WordDocument": b"\xec\xa5", "1Table": b"", "SummaryInformation": b""})
    assert ole._parse_directory(data) == {"Root Entry", "WordDocument", "1Table", "SummaryInformation"}
    assert ole.stream_names(data) >= {"WordDocument", "1Table"}


def test_ole_damaged_directory_falls_back_to_a_scan():
    data = bytearray(ole.build_compound_file({"Workbook": b""}))
    data[0x1E] = 7  # impossible sector size
    assert ole.stream_names(bytes(data)) == {"Workbook"}


@pytest.mark.parametrize("head, kind", [
    (b"%PDF-1.7\n", "pdf"),
    (b"PK\x03\x04rest", "zip"),
    (ole.OLE_MAGIC + b"\0" * 8, "ole"),
    (b"<!-- saved from url=(0049)https://x.gov.cn -->\n<!DOCTYPE html><html>", "html"),
    (b"\xef\xbb\xbf<html><body><p>x</p></body></html>", "html"),
    ("<html><body>".encode("utf-16"), "html"),
    ("一、总体情况\n<p>不是网页</p>".encode(), "text"),
    (b"<<\xe6\x9d\xa1\xe4\xbe\x8b>> text", "text"),
])
def test_sniff_by_content(head, kind):
    assert sniff(Path("whatever.docx"), head) == kind


def test_rtf_is_refused():
    with pytest.raises(ReadError) as err:
        sniff(Path("a.doc"), b"{\\rtf1\\ansi hello}")
    assert err.value.code == "unknown_format" and "RTF" in err.value.message


@pytest.mark.parametrize("names, kind", [
    (["[Content_Types].xml", "word/document.xml"], "docx"),
    (["OFD.xml", "Doc_0/Document.xml"], "ofd"),
    (["xl/workbook.xml"], "xlsx"),
    (["readme.txt"], "other"),
])
def test_zip_kind(names, kind):
    assert zip_kind(names) == kind


@pytest.mark.parametrize("text, iso", [
    ("2021-03-05 08:58", "2021-03-05"),
    ("2024年1月26日", "2024-01-26"),
    ("发布日期：2023/2/20", "2023-02-20"),
    ("20230104", "2023-01-04"),
    ("2023-02-30", None),
    ("no date", None),
])
def test_iso_date(text, iso):
    assert iso_date(text) == iso
