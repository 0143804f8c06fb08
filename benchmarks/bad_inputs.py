"""Build every bad-input case in a temp dir, read each one, and print a markdown table.

    python benchmarks/bad_inputs.py            # table on stdout (pasted into docs/reading.md)
    python benchmarks/bad_inputs.py --cli      # also run `nianbao audit --format json` on each case

Columns: case, expected code, code got, message, CLI exit code (with --cli), time, peak RSS. Every case runs in its
own subprocess so that process's ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` is the peak memory of reading that file
(the zip bomb row is the one that matters: it must be refused from the central directory, in little memory).

``tests/test_hostile_inputs.py`` imports ``build_cases`` from here, so the benchmark and the tests use the same files.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from analyzer.read.ole import build_compound_file  # noqa: E402

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def minimal_docx(document_xml: str) -> bytes:
    """A hand-written .docx package around ``document_xml`` (used where python-docx cannot write the case)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


def entity_docx() -> bytes:
    """document.xml declares an entity that would read /etc/passwd if it were resolved."""
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY t "一、总体情况">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&t;&xxe;</w:t></w:r></w:p></w:body></w:document>'
    )
    return minimal_docx(xml)


def sample_docx_bytes() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("王村镇2022年政府信息公开工作年度报告")
    d.add_paragraph("一、总体情况")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def write_zip_bomb(path: Path, gigabytes: float = 1.0) -> None:
    """One member of ``gigabytes`` GB of zeros (~1 MB compressed), written in 1 MB chunks: little memory."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(int(gigabytes * 1024)):
                fh.write(chunk)


def one_page_pdf(content: bytes, helvetica: bool = False) -> bytes:
    """A valid one-page A4 PDF drawing ``content`` (a content stream); with ``helvetica`` the page has font /F1, so
    ``BT /F1 12 Tf … (text) Tj ET`` makes a real text layer."""
    resources = b"<< /Font << /F1 5 0 R >> >>" if helvetica else b"<< >>"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources " + resources + b" >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    if helvetica:
        objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return _pdf(objs)


def scanned_pdf() -> bytes:
    """A valid one-page PDF that only draws a filled rectangle: no text layer, as a scan would be."""
    return one_page_pdf(b"0.5 g 72 72 400 600 re f")


def encrypted_pdf() -> bytes:
    """A PDF whose standard security handler needs a user password nianbao does not have."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
        b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 "
        b"/O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>",
    ]
    file_id = b"<00112233445566778899aabbccddeeff>"
    return _pdf(objs, trailer_extra=b" /Encrypt 4 0 R /ID [" + file_id + file_id + b"]")


def _pdf(objs: list[bytes], trailer_extra: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, trailer_extra, xref)
    return bytes(out)


@dataclass
class Case:
    name: str
    path: Path
    expected: str  # error code, or "ok"
    config: dict | None = None  # threshold overrides


def build_cases(root: Path, bomb_gb: float = 1.0) -> list[Case]:
    """Write every bad-input file under ``root``; return the cases with the code each must produce."""
    root.mkdir(parents=True, exist_ok=True)
    docx_bytes = sample_docx_bytes()
    cases: list[Case] = []

    def add(name: str, filename: str, data: bytes, expected: str, config: dict | None = None) -> None:
        p = root / filename
        p.write_bytes(data)
        cases.append(Case(name, p, expected, config))

    add("empty file", "empty.txt", b"", "empty_file")
    add("whitespace only", "blank.txt", b" \r\n\t \n", "empty_file")
    add("oversized (cap lowered to 1 KB)", "big.txt", "年报".encode() * 2000, "too_large", {"max_input_mb": 0.001})
    add("binary junk named .txt", "junk.txt", bytes(range(256)) * 64, "binary_content")
    add("binary junk named .docx", "junk.docx", bytes(range(256)) * 64, "format_mismatch")
    add("undecodable text (cp1252)", "latin.txt", "Café naïve résumé – “quoted” ".encode("cp1252") * 40,
        "undecodable_text")
    add("truncated docx", "truncated.docx", docx_bytes[: len(docx_bytes) // 2], "corrupt_zip")
    add("corrupt zip (bytes flipped in the directory)", "flipped.docx",
        docx_bytes[:-60] + bytes(b ^ 0xFF for b in docx_bytes[-60:]), "corrupt_zip")
    bomb = root / "bomb.docx"
    write_zip_bomb(bomb, bomb_gb)
    cases.append(Case(f"zip bomb ({bomb_gb:g} GB of zeros in one member)", bomb, "zip_bomb"))
    add("docx with DTD/ENTITY (XXE)", "entity.docx", entity_docx(), "xml_entities")
    add(".docx that is really a .doc (OLE2 WordDocument)", "really_doc.docx",
        build_compound_file({"WordDocument": b"\xec\xa5" + b"\0" * 100, "1Table": b"\0" * 64}), "legacy_doc")
    add("WPS document (.wps, OLE2)", "report.wps", build_compound_file({"WordDocument": b"\0" * 64}), "legacy_wps")
    add("legacy Excel (.xls, OLE2 Workbook)", "table.xls", build_compound_file({"Workbook": b"\0" * 64}), "legacy_xls")
    add("password-protected .docx (OLE2 EncryptedPackage)", "locked.docx",
        build_compound_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\0" * 64}), "encrypted")
    ofd = io.BytesIO()
    with zipfile.ZipFile(ofd, "w") as z:
        z.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")
        z.writestr("Doc_0/Document.xml", "<ofd:Document xmlns:ofd='http://www.ofdspec.org/2016'/>")
    add("OFD document", "report.ofd", ofd.getvalue(), "ofd")
    add("zip without a Word document", "archive.zip", _plain_zip(), "unknown_format")
    add("RTF document", "report.rtf", rb"{\rtf1\ansi 2022 report}", "unknown_format")
    add("scanned PDF (no text layer)", "scan.pdf", scanned_pdf(), "pdf_no_text")
    add("encrypted PDF (user password)", "locked.pdf", encrypted_pdf(), "pdf_encrypted")
    add("truncated PDF", "cut.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "corrupt_pdf")
    add("HTML with <script> only", "script.html",
        b"<html><body><script>document.write('x')</script><style>p{}</style></body></html>", "empty_file")
    add(".txt that is really a .docx", "really_docx.txt", docx_bytes, "ok")
    cases.append(Case("missing file", root / "does_not_exist.docx", "not_found"))
    return cases


def _plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    return buf.getvalue()


_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from analyzer.config import Config
from analyzer.errors import NianbaoError
from analyzer.read import read_document
cfg = Config()
cfg.thresholds.update(json.loads(sys.argv[3]))
t = time.perf_counter()
try:
    read_document(sys.argv[2], cfg)
    code, msg = "ok", ""
except NianbaoError as e:
    code, msg = e.code, e.message
elapsed = time.perf_counter() - t
print(json.dumps({"code": code, "message": msg, "seconds": elapsed,
                  "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def measure(case: Case) -> dict:
    """Read one case in a fresh interpreter; returns code, message, seconds (read only) and peak RSS (KB)."""
    out = subprocess.run([sys.executable, "-c", _CHILD, str(REPO), str(case.path), json.dumps(case.config or {})],
                         capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        return {"code": "CRASH", "message": out.stderr.strip().splitlines()[-1:], "seconds": 0, "rss_kb": 0}
    return json.loads(out.stdout)


def cli_exit(case: Case) -> str:
    """Exit code of `nianbao audit --format json` (the case's thresholds passed in a nianbao.toml), plus the JSON
    error code it printed."""
    exe = shutil.which("nianbao")
    cmd = [exe] if exe else [sys.executable, "-m", "analyzer.cli"]
    extra: list[str] = []
    if case.config:
        cfg = case.path.parent / f"{case.path.stem}.nianbao.toml"
        cfg.write_text("[thresholds]\n" + "".join(f"{k} = {v}\n" for k, v in case.config.items()), encoding="utf-8")
        extra = ["--config", str(cfg)]
    try:
        out = subprocess.run(cmd + ["audit", "--format", "json", *extra, str(case.path)], capture_output=True,
                             text=True, timeout=120, cwd=REPO)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"n/a ({type(exc).__name__})"
    try:
        data = json.loads(out.stdout)
        audits = data if isinstance(data, list) else data.get("files", [data]) if isinstance(data, dict) else []
        err = (audits[0].get("error") or {}).get("code") if audits else None
    except (ValueError, AttributeError, IndexError, TypeError):
        err = None
    return f"{out.returncode}" + (f" (`{err}`)" if err else "")


def main(argv: list[str]) -> int:
    with_cli = "--cli" in argv
    baseline = subprocess.run([sys.executable, "-c", "import resource,sys; sys.path.insert(0, sys.argv[1]); "
                               "import analyzer.read, docx, pdfplumber, lxml.html; "
                               "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)", str(REPO)],
                              capture_output=True, text=True)
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-bad-"))
    try:
        cases = build_cases(tmp)
        header = "| case | expected | got | message | " + ("CLI exit | " if with_cli else "") + "read time | peak RSS |"
        print(header)
        print("|" + "|".join(["---"] * (header.count("|") - 1)) + "|")
        failures = 0
        for case in cases:
            r = measure(case)
            ok = r["code"] == case.expected
            failures += not ok
            msg = str(r["message"]).replace(str(tmp) + os.sep, "").replace("|", "\\|")
            if len(msg) > 110:
                msg = msg[:107] + "…"
            row = (f"| {case.name} | `{case.expected}` | `{r['code']}`{'' if ok else ' ✗'} | {msg} | "
                   + (f"{cli_exit(case)} | " if with_cli else "")
                   + f"{r['seconds'] * 1000:.1f} ms | {r['rss_kb'] / 1024:.0f} MB |")
            print(row)
        print(f"\nbaseline peak RSS of an interpreter that imported the readers: "
              f"{int(baseline.stdout.strip() or 0) / 1024:.0f} MB; "
              f"{len(cases) - failures}/{len(cases)} cases as expected")
        return 1 if failures else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
