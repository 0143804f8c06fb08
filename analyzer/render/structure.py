"""`nianbao text`: the recovered structure, for reviewers and for debugging the readers and the section finder."""

from __future__ import annotations

from ..model import Report

_NAMES = {
    "preamble": "前言", "overview": "一、总体情况", "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况", "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况", "other": "六、其他需要报告的事项", "closing": "落款", "extra": "（格式外部分）",
}


def render_structure(report: Report) -> str:
    text = report.text
    out = [
        f"file:           {report.document.path}",
        f"source format:  {report.document.source_format}",
        f"title:          {report.title or '-'}",
        f"unit:           {report.unit or '-'}",
        f"level:          {report.level or '-'}",
        f"year:           {report.year or '-'}",
        f"published:      {report.published or '-'}",
        f"format version: {report.format_version or '-'}",
        f"excerpt:        {'yes' if report.is_excerpt else 'no'}",
        "",
    ]
    for sec in report.sections:
        label = _NAMES.get(sec.id, sec.id)
        out.append(f"=== [{sec.id}] {label}  (chars {sec.start}–{sec.end})")
        if sec.title:
            out.append(f"    heading as written: {sec.title}")
        for sub in sec.subsections:
            out.append(f"    sub-part{(' [' + sub.kind + ']') if sub.kind else ''}: {sub.title or '(no heading)'} (chars {sub.start}–{sub.end})")
        for i, p in enumerate(sec.paragraphs, 1):
            para = text[p.start:p.end].replace("\n", "⏎")
            out.append(f"  p{i} [{p.start}–{p.end}] {para}")
        out.append("")
    missing = [_NAMES[s] for s in ("overview", "proactive", "requests", "review_litigation", "problems", "other")
               if report.section(s) is None]
    if missing:
        out.append("missing sections: " + "；".join(missing))
        out.append("")
    for tid, table in sorted(report.tables.items()):
        out.append(f"=== 表{tid}  status={table.status} layout={table.layout or '-'} source={table.source}")
        cols = list(table.column_labels) or sorted({c for row in table.cells.values() for c in row})
        out.append("    " + " | ".join(["行"] + [table.column_labels.get(c, c) for c in cols]))
        for rkey, row in table.cells.items():
            cells = []
            for c in cols:
                cell = row.get(c)
                if cell is None:
                    cells.append("·")
                else:
                    v = cell.raw if cell.kind != "number" else (f"{cell.value:g}" if cell.value is not None else cell.raw)
                    cells.append(v + ("?" if cell.assumed else ""))
            out.append("    " + " | ".join([table.row_labels.get(rkey, rkey)] + cells))
        for note in table.notes:
            out.append(f"    note: {note}")
        out.append("")
    return "\n".join(out) + "\n"
