"""Batch outputs a reviewer can open: CSV (UTF-8 with BOM, for Excel/WPS), XLSX (a sheet per view), JSONL.

Rows are plain dicts built once by ``build_rows``; each writer only lays them out. Every file is written to a
temporary file and renamed (``analyzer.io.write_atomic``). Report text is untrusted: cells that a spreadsheet would
take for a formula (``= + - @``) are written as text, and characters XML cannot hold are dropped.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

from ..config import Config
from ..io import write_atomic

CATEGORIES = ("table", "consistency", "structure", "completeness", "typo", "punctuation", "format", "boilerplate", "copy")
SECTION_IDS = ("overview", "proactive", "requests", "review_litigation", "problems", "other")
TABLE_IDS = ("二", "三", "四")
STATUS_ORDER = {"fail": 3, "uncertain": 2, "not_assessable": 1, "pass": 0}

# (key, reviewer-facing header). The key is the JSONL field name.
COLUMNS: list[tuple[str, str]] = [
    ("rank", "排名"),
    ("unit", "单位"),
    ("year", "年度"),
    ("level", "层级"),
    ("status", "状态"),
    ("score", "总分"),
    *[(f"score_{s}", f"得分_{s}") for s in SECTION_IDS],
    ("errors", "错误数"),
    ("warnings", "警告数"),
    ("infos", "提示数"),
    *[(f"{c}_{sev}", f"{c}_{label}") for c in CATEGORIES for sev, label in (("errors", "错误"), ("warnings", "警告"))],
    *[(f"table_{t}", f"表{t}校验") for t in TABLE_IDS],
    ("format_version", "格式版本"),
    ("previous", "上年度报告"),
    ("previous_year", "上年度"),
    ("year_gap", "间隔年数"),
    ("copy_ratio", "与上年度重复率（CPY-701）"),
    ("cross_ratio", "与他单位最高重复率"),
    ("cross_partners", "相似的其他单位报告（CPY-702）"),
    ("copy_cluster", "雷同报告组（CPY-702）"),
    ("other_unit_names", "开头或落款中的其他单位名称（CPY-703）"),
    ("duplicate_of", "同一报告的其他格式"),
    ("error_code", "错误代码"),
    ("error_message", "错误说明"),
    ("path", "文件"),
]


# ---------------------------------------------------------------- rows


def _status(audit: dict[str, Any]) -> str:
    err = audit.get("error")
    if err:
        return "not_a_report" if err.get("code") == "not_a_report" else "failed"
    return "partial" if audit.get("is_excerpt") else "ok"


def build_rows(records: list[dict[str, Any]], scans: dict[str, dict[str, Any]], cross: Any,
               config: Config) -> list[dict[str, Any]]:
    """One row per input file: complete reports ranked by score (best first), then partial reports (excerpts, whose
    score covers only what exists and must not outrank a complete report), then unscored rows; ties by path."""
    cross_by_path: dict[str, list[tuple[float, str]]] = {}
    for p in cross.pairs:
        cross_by_path.setdefault(p.a, []).append((p.ratio_a, p.unit_b or p.b))
        cross_by_path.setdefault(p.b, []).append((p.ratio_b, p.unit_a or p.a))
    rows = []
    for rec in records:
        a = rec["audit"]
        row: dict[str, Any] = {k: None for k, _ in COLUMNS}
        row.update(unit=a.get("unit"), year=a.get("year"), level=a.get("level"), status=_status(a),
                   score=a.get("score"), format_version=a.get("format_version"), path=rec["path"])
        if a.get("error"):
            row["error_code"] = a["error"]["code"]
            row["error_message"] = a["error"]["message"]
            scan = scans.get(rec["path"]) or {}
            row["unit"] = row["unit"] or scan.get("unit")
            row["year"] = row["year"] or scan.get("year")
        for s in a.get("sections", []):
            if s["id"] in SECTION_IDS:
                row[f"score_{s['id']}"] = s.get("score")
        sev = Counter(f["severity"] for f in a.get("findings", []))
        row.update(errors=sev["error"], warnings=sev["warning"], infos=sev["info"])
        by_cat = Counter((f["category"], f["severity"]) for f in a.get("findings", []))
        for c in CATEGORIES:
            row[f"{c}_errors"] = by_cat[(c, "error")]
            row[f"{c}_warnings"] = by_cat[(c, "warning")]
        for t in TABLE_IDS:
            statuses = [c["status"] for c in a.get("checks", []) if c.get("table") == t]
            row[f"table_{t}"] = max(statuses, key=lambda s: STATUS_ORDER.get(s, 0)) if statuses else None
        copy = (a.get("extras") or {}).get("copy") or {}
        row.update(previous=rec.get("previous"), previous_year=copy.get("previous_year"),
                   year_gap=copy.get("year_gap"), copy_ratio=copy.get("ratio"))
        partners = sorted(cross_by_path.get(rec["path"], []), key=lambda t: (-t[0], t[1]))
        if partners:
            row["cross_ratio"] = partners[0][0]
            row["cross_partners"] = "；".join(f"{name}（{ratio:.0%}）" for ratio, name in partners[:5])
        row["copy_cluster"] = cross.clusters.get(rec["path"])
        row["duplicate_of"] = cross.duplicate_of.get(rec["path"])
        others = cross.other_units.get(rec["path"])
        if others:
            row["other_unit_names"] = "；".join(
                f"{o['name']}（{'开头' if o['where'] == 'opening' else '落款'}）" for o in others)
        rows.append(row)
    group = {"ok": 0, "partial": 1}
    rows.sort(key=lambda r: (r["score"] is None, group.get(r["status"], 2), -(r["score"] or 0.0), r["path"]))
    ranked = [r for r in rows if r["score"] is not None and r["status"] == "ok"]
    for i, r in enumerate(ranked, 1):
        r["rank"] = i
    return rows


def finding_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for rec in sorted(records, key=lambda r: r["path"]):
        a = rec["audit"]
        for f in a.get("findings", []):
            out.append({"path": rec["path"], "unit": a.get("unit"), "rule": f["rule"], "severity": f["severity"],
                        "category": f["category"], "section": f.get("section"), "message": f["message"],
                        "text": f.get("text"), "suggestion": f.get("suggestion"), "start": f.get("start"),
                        "end": f.get("end"), "table": f.get("table"), "row": f.get("row"), "column": f.get("column")})
    return out


def check_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for rec in sorted(records, key=lambda r: r["path"]):
        a = rec["audit"]
        for c in a.get("checks", []):
            if c.get("table") is None:
                continue
            out.append({"path": rec["path"], "unit": a.get("unit"), "rule": c["rule"], "table": c.get("table"),
                        "row": c.get("row"), "column": c.get("column"), "status": c["status"],
                        "expected": c.get("expected"), "actual": c.get("actual"), "message": c.get("message")})
    return out


def copy_pair_rows(records: list[dict[str, Any]], cross: Any) -> list[dict[str, Any]]:
    """Year-over-year pairs (from each audit's CPY-701 extras) and cross-report pairs, in one list."""
    out = []
    year_of = {rec["path"]: rec["audit"].get("year") for rec in records}
    unit_of = {rec["path"]: rec["audit"].get("unit") for rec in records}
    for rec in sorted(records, key=lambda r: r["path"]):
        copy = (rec["audit"].get("extras") or {}).get("copy")
        if not copy:
            continue
        passages = copy.get("passages") or []
        out.append({"kind": "year_over_year (CPY-701)", "a": rec["path"], "unit_a": rec["audit"].get("unit"),
                    "b": copy.get("previous_file"), "unit_b": rec["audit"].get("unit"),
                    "year_a": rec["audit"].get("year"), "year_b": copy.get("previous_year"),
                    "ratio_a": copy.get("ratio"), "ratio_b": None, "status": copy.get("status"),
                    "shared_passages": len(passages),
                    "example": passages[0]["text"] if passages else None})
    for p in cross.pairs:
        out.append({"kind": f"cross_{p.kind} (CPY-702)", "a": p.a, "unit_a": p.unit_a, "b": p.b, "unit_b": p.unit_b,
                    "year_a": year_of.get(p.a), "year_b": year_of.get(p.b), "ratio_a": p.ratio_a, "ratio_b": p.ratio_b,
                    "status": "cluster" if p.kind == "report" else None, "shared_passages": p.shared_passages,
                    "example": p.examples[0]["text"] if p.examples else None})
    for path, canon in sorted(cross.duplicate_of.items()):
        out.append({"kind": "same_document", "a": path, "unit_a": unit_of.get(path), "b": canon,
                    "unit_b": unit_of.get(canon), "year_a": year_of.get(path), "year_b": year_of.get(canon),
                    "ratio_a": None, "ratio_b": None, "status": None, "shared_passages": None, "example": None})
    return out


# ---------------------------------------------------------------- writers


def _safe_text(value: Any) -> Any:
    """Untrusted text in a spreadsheet: never a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def rows_to_csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([h for _, h in COLUMNS])
    for r in rows:
        w.writerow(["" if r[k] is None else _safe_text(r[k]) for k, _ in COLUMNS])
    return buf.getvalue()


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    write_atomic(path, rows_to_csv(rows), encoding="utf-8-sig")  # BOM: Excel and WPS then read UTF-8


def write_jsonl(path: Path, rows: list[dict[str, Any]], records: list[dict[str, Any]], cross: Any) -> None:
    by_path = {r["path"]: r for r in records}
    pairs_by_path: dict[str, list[dict[str, Any]]] = {}
    for p in cross.pairs:
        d = {"a": p.a, "b": p.b, "kind": p.kind, "ratio_a": p.ratio_a, "ratio_b": p.ratio_b,
             "shared_passages": p.shared_passages, "examples": p.examples}
        pairs_by_path.setdefault(p.a, []).append(d)
        pairs_by_path.setdefault(p.b, []).append(d)
    lines = []
    for r in rows:
        rec = dict(r)
        rec["cross_pairs"] = pairs_by_path.get(r["path"], [])
        rec["other_units"] = cross.other_units.get(r["path"], [])
        rec["audit"] = by_path[r["path"]]["audit"]
        lines.append(json.dumps(rec, ensure_ascii=False, sort_keys=True))
    write_atomic(path, "\n".join(lines) + ("\n" if lines else ""))


def write_xlsx(path: Path, rows: list[dict[str, Any]], records: list[dict[str, Any]], cross: Any,
               config: Config) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    red = PatternFill(start_color="FFC7CE", end_color="FFC7CE", fill_type="solid")
    amber = PatternFill(start_color="FFEB9C", end_color="FFEB9C", fill_type="solid")
    wb = Workbook()

    def sheet(title: str, headers: list[str], data: list[list[Any]]) -> Any:
        ws = wb.create_sheet(title)
        ws.append(headers)
        for c in ws[1]:
            c.font = Font(bold=True)
        for values in data:
            ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if c.data_type == "f":  # report text that looks like a formula stays text
                    c.data_type = "s"
        ws.freeze_panes = "A2"
        if data:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(data) + 1}"
        for i, h in enumerate(headers, 1):
            ws.column_dimensions[get_column_letter(i)].width = max(8, min(40, len(str(h)) * 2 + 2))
        return ws

    keys = [k for k, _ in COLUMNS]
    ws = sheet("排名", [h for _, h in COLUMNS], [[r[k] for k in keys] for r in rows])
    n = len(rows) + 1
    col = {k: get_column_letter(i) for i, k in enumerate(keys, 1)}
    if rows:
        ws.conditional_formatting.add(f"{col['score']}2:{col['score']}{n}", ColorScaleRule(
            start_type="min", start_color="F8696B", mid_type="percentile", mid_value=50, mid_color="FFEB84",
            end_type="max", end_color="63BE7B"))
        threshold = config.threshold("copy_ratio")
        for k in ("copy_ratio", "cross_ratio"):
            ws.conditional_formatting.add(f"{col[k]}2:{col[k]}{n}",
                                          CellIsRule(operator="greaterThanOrEqual", formula=[str(threshold)], fill=red))
        for k in ("errors", *[f"{c}_errors" for c in CATEGORIES]):
            ws.conditional_formatting.add(f"{col[k]}2:{col[k]}{n}",
                                          CellIsRule(operator="greaterThan", formula=["0"], fill=red))
        for t in TABLE_IDS:
            ws.conditional_formatting.add(f"{col['table_' + t]}2:{col['table_' + t]}{n}",
                                          CellIsRule(operator="equal", formula=['"fail"'], fill=red))
            ws.conditional_formatting.add(f"{col['table_' + t]}2:{col['table_' + t]}{n}",
                                          CellIsRule(operator="equal", formula=['"uncertain"'], fill=amber))
        ws.conditional_formatting.add(f"{col['status']}2:{col['status']}{n}",
                                      CellIsRule(operator="equal", formula=['"failed"'], fill=red))
        for k in ("copy_ratio", "cross_ratio"):
            for c in ws[col[k]][1:]:
                c.number_format = "0%"

    f_rows = finding_rows(records)
    f_keys = ["path", "unit", "rule", "severity", "category", "section", "message", "text", "suggestion", "start",
              "end", "table", "row", "column"]
    fs = sheet("问题清单", ["文件", "单位", "规则", "严重程度", "类别", "章节", "说明", "原文", "建议", "起始", "结束",
                        "表", "行", "列"], [[r[k] for k in f_keys] for r in f_rows])
    if f_rows:
        fs.conditional_formatting.add(f"D2:D{len(f_rows) + 1}",
                                      CellIsRule(operator="equal", formula=['"error"'], fill=red))

    c_rows = check_rows(records)
    c_keys = ["path", "unit", "rule", "table", "row", "column", "status", "expected", "actual", "message"]
    cs = sheet("表格校验", ["文件", "单位", "规则", "表", "行", "列", "结果", "应为", "实际", "说明"],
               [[r[k] for k in c_keys] for r in c_rows])
    if c_rows:
        cs.conditional_formatting.add(f"G2:G{len(c_rows) + 1}",
                                      CellIsRule(operator="equal", formula=['"fail"'], fill=red))

    p_rows = copy_pair_rows(records, cross)
    p_keys = ["kind", "a", "unit_a", "year_a", "b", "unit_b", "year_b", "ratio_a", "ratio_b", "status",
              "shared_passages", "example"]
    ps = sheet("复制比对", ["类型", "报告A", "单位A", "年度A", "报告B", "单位B", "年度B", "A的重复率", "B的重复率",
                        "结果", "相同段落数", "示例（A中的相同文字）"], [[r[k] for k in p_keys] for r in p_rows])
    if p_rows:
        ps.conditional_formatting.add(f"H2:I{len(p_rows) + 1}", CellIsRule(
            operator="greaterThanOrEqual", formula=[str(config.threshold("copy_ratio"))], fill=red))
        for c in list(ps["H"][1:]) + list(ps["I"][1:]):
            c.number_format = "0%"

    del wb["Sheet"]
    wb.properties.creator = "nianbao"
    buf = io.BytesIO()
    wb.save(buf)
    write_atomic(path, _reproducible_zip(buf.getvalue()))


_FIXED_TIME = "2000-01-01T00:00:00Z"


def _reproducible_zip(data: bytes) -> bytes:
    """The same rows give the same .xlsx bytes: fixed zip entry times and document dates (openpyxl stamps 'now')."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                                 rb"\g<1>" + _FIXED_TIME.encode() + rb"\g<2>", payload)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, payload)
    return out.getvalue()


def write_outputs(output: Path, rows: list[dict[str, Any]], records: list[dict[str, Any]], cross: Any,
                  config: Config) -> None:
    suffix = output.suffix.lower()
    if suffix == ".csv":
        write_csv(output, rows)
    elif suffix == ".jsonl":
        write_jsonl(output, rows, records, cross)
    else:
        write_xlsx(output, rows, records, cross, config)


# ---------------------------------------------------------------- terminal summary


def print_summary(rows: list[dict[str, Any]], records: list[dict[str, Any]], cross: Any, config: Config,
                  console: Any, output: Path | None) -> None:
    statuses = Counter(r["status"] for r in rows)
    console.print(f"[bold]nianbao batch[/bold]: {len(rows)} files — "
                  + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())), highlight=False)
    scores = [r["score"] for r in rows if r["score"] is not None]
    if scores:
        buckets = Counter(min(int(s // 10) * 10, 90) for s in scores)
        console.print("scores: " + "  ".join(f"{b}-{b + 9 if b < 90 else 100}: {buckets[b]}"
                                             for b in sorted(buckets)), highlight=False)
    rule_reports: Counter[str] = Counter()
    for rec in records:
        for rule in {f["rule"] for f in rec["audit"].get("findings", [])}:
            rule_reports[rule] += 1
    if rule_reports:
        console.print("most frequent rules (reports): " + ", ".join(f"{r} {n}" for r, n in rule_reports.most_common(8)),
                      highlight=False)
    threshold = config.threshold("copy_ratio")
    yoy = [r for r in rows if r["copy_ratio"] is not None]
    high = [r for r in yoy if r["copy_ratio"] >= threshold]
    console.print(f"copying: {len(yoy)} year-over-year pairs ({len(high)} at ≥ {threshold:.0%}), "
                  f"{len(cross.pairs)} cross-report pairs, {len(set(cross.clusters.values()))} clusters, "
                  f"{len(cross.duplicate_of)} same-document duplicates, "
                  f"{sum(1 for r in rows if r['other_unit_names'])} reports naming another unit", highlight=False)
    failed = [r for r in rows if r["status"] == "failed"]
    for r in failed[:10]:
        console.print(f"  failed: {r['path']}: {r['error_code']}", highlight=False, markup=False)
    if output is not None:
        console.print(f"written: {output}", highlight=False, markup=False)
