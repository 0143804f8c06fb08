"""HTML report (``--format html``) and batch index: one self-contained file each, readable offline.

The page has no external assets: CSS and a few lines of JavaScript are inline, and the JavaScript only filters and
toggles (everything is visible without it). Every piece of report text goes through ``html.escape`` — a report that
contains ``<script>`` shows it as text. Layout, top to bottom:

1. score, section scores and metadata;
2. the tables (二/三/四) as tables, failing cells marked red (uncertain ones amber), the check explained on hover;
3. each section's text with flagged spans highlighted inline; hovering shows the message, clicking jumps to the
   finding in the list;
4. the findings list, filterable by category and severity (the filter state is kept in the URL hash, e.g.
   ``#severity=error&category=table``, so a filtered view can be linked).
"""

from __future__ import annotations

from collections import Counter
from html import escape
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from ..model import SEVERITY_ORDER, Audit, Check, Finding, Table
from ..pipeline import SECTION_TITLES
from .locations import (CATEGORY_LABELS, LEVEL_LABELS, SECTION_LABELS, SEVERITY_LABELS, cell_keys, column_order,
                        logical_location, rule_for, table_labels)

CHECK_LABELS = {"pass": "通过", "fail": "不通过", "uncertain": "无法判断", "not_assessable": "不适用"}

CSS = """
:root{--err:#c62828;--warn:#ef6c00;--info:#1565c0;--ok:#2e7d32;--muted:#666;--line:#ddd}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;
 color:#222;background:#fafafa;line-height:1.6}
main{max-width:1100px;margin:0 auto;padding:1rem 1.5rem 4rem}
h1{font-size:1.4rem;margin:.5rem 0}h2{font-size:1.15rem;border-bottom:2px solid var(--line);padding-bottom:.2rem;
 margin-top:2rem}h3{font-size:1rem;margin:1.2rem 0 .4rem}
.meta{color:var(--muted);font-size:.9rem}.meta span{margin-right:1.2rem}
.score{display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap}
.big{font-size:2.6rem;font-weight:700}.counts span{margin-right:1rem;font-weight:600}
.error,.fail{color:var(--err)}.warning,.uncertain{color:var(--warn)}.info{color:var(--info)}.pass{color:var(--ok)}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem;background:#fff}
th,td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
thead th,.index td{white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.fail{background:#ffebee;outline:2px solid var(--err);outline-offset:-2px;cursor:help}
td.uncertain{background:#fff8e1;outline:2px dashed var(--warn);outline-offset:-2px;cursor:help}
.sectext{white-space:pre-wrap;background:#fff;border:1px solid var(--line);padding:.6rem .8rem;tab-size:4}
mark{background:#fff3cd;border-bottom:2px solid var(--warn);cursor:pointer;padding:0 1px}
mark.sev-error{background:#ffebee;border-bottom-color:var(--err)}
mark.sev-info{background:#e3f2fd;border-bottom-color:var(--info)}
ol#findings{padding-left:1.4rem}ol#findings li{margin:.4rem 0;padding:.3rem .5rem;background:#fff;
 border-left:4px solid var(--line)}
li.sev-error{border-left-color:var(--err)!important}li.sev-warning{border-left-color:var(--warn)!important}
li.sev-info{border-left-color:var(--info)!important}li.flash{outline:2px solid #333}
.rule{font-family:monospace;font-weight:600}.loc{color:var(--muted);font-size:.85rem}
.quote{background:#f5f5f5;padding:0 .3rem}.sugg{color:var(--ok)}
.filters{display:none;gap:1.5rem;flex-wrap:wrap;background:#fff;border:1px solid var(--line);padding:.5rem .8rem}
.js .filters{display:flex}.filters label{margin-right:.6rem;white-space:nowrap}
.empty{color:var(--muted)}.errorbox{background:#ffebee;border:1px solid var(--err);padding:1rem}
a{color:#0d47a1}
"""

REPORT_JS = """
(function(){
 document.documentElement.classList.replace('no-js','js');
 var boxes=[].slice.call(document.querySelectorAll('.filters input'));
 function apply(){
  var on={};boxes.forEach(function(b){(on[b.name]=on[b.name]||{})[b.value]=b.checked;});
  document.querySelectorAll('#findings li').forEach(function(li){
   li.hidden=!(on.severity[li.dataset.severity]&&on.category[li.dataset.category]);});
  var parts=[];['severity','category'].forEach(function(n){
   var vals=boxes.filter(function(b){return b.name===n&&b.checked;}).map(function(b){return b.value;});
   if(vals.length<boxes.filter(function(b){return b.name===n;}).length)parts.push(n+'='+vals.join(','));});
  history.replaceState(null,'',parts.length?'#'+parts.join('&'):location.pathname+location.search);
 }
 var h=location.hash.slice(1);if(h){h.split('&').forEach(function(kv){var p=kv.split('=');
  if(p.length!==2)return;var vals=decodeURIComponent(p[1]).split(',');
  boxes.forEach(function(b){if(b.name===p[0])b.checked=vals.indexOf(b.value)>=0;});});}
 boxes.forEach(function(b){b.addEventListener('change',apply);});apply();
 document.querySelectorAll('mark[data-f]').forEach(function(m){m.addEventListener('click',function(){
  var li=document.getElementById('f'+m.dataset.f.split(' ')[0]);if(!li)return;li.hidden=false;
  li.scrollIntoView({block:'center'});li.classList.add('flash');setTimeout(function(){li.classList.remove('flash');},1500);});});
})();
"""

INDEX_JS = """
(function(){
 document.documentElement.classList.replace('no-js','js');
 var q=document.getElementById('q');if(!q)return;
 q.addEventListener('input',function(){var v=q.value.trim();
  document.querySelectorAll('tbody tr').forEach(function(tr){tr.hidden=v&&tr.textContent.indexOf(v)<0;});});
})();
"""


def render_report(audit: Audit) -> str:
    title = audit.title or audit.unit or audit.file
    parts = [_header(audit)]
    if audit.error is not None:
        parts.append(f'<div class="errorbox"><strong>无法审核：</strong>{_e(audit.error.message)}'
                     f'（代码 <code>{_e(audit.error.code)}</code>）</div>')
    else:
        parts.append(_tables(audit))
        parts.append(_sections(audit))
        parts.append(_findings(audit))
    return _page(f"nianbao 审核报告 — {title}", "\n".join(parts), REPORT_JS)


def render_index(rows: list[dict[str, Any]]) -> str:
    """Batch index, one row per input file, ranked by score (highest first; unaudited files last).

    Row keys (as built by ``render.tables_out.build_rows``; all optional except ``path`` or ``file``): path/file,
    html/href (the report page, relative to the index), rank, unit, year, level, status, score, errors, warnings,
    infos, copy_ratio, cross_ratio, error_code, error_message. A failed file gets no link (it has no page)."""
    ranked = sorted(rows, key=lambda r: (r.get("score") is None, -(r.get("score") or 0.0), _row_file(r)))
    scored = sum(1 for r in rows if r.get("score") is not None)
    failed = sum(1 for r in rows if _row_error(r))
    body = ['<h1>政府信息公开工作年度报告 审核汇总</h1>',
            f'<p class="meta">共 {len(rows)} 份文件；已评分 {scored} 份；无法审核 {failed} 份。按得分从高到低排序。</p>',
            '<p class="filters"><label>筛选：<input id="q" type="search" placeholder="单位或文件名"></label></p>',
            '<table class="index"><thead><tr><th>排名</th><th>单位</th><th>年度</th><th>层级</th><th>得分</th>'
            '<th>错误</th><th>警告</th><th>提示</th><th>与上年重复率</th><th>与他单位最高重复率</th><th>状态</th>'
            '<th>文件</th></tr></thead><tbody>']
    next_rank = 0
    for r in ranked:
        if r.get("score") is not None:
            next_rank += 1
        rank = r.get("rank") if "rank" in r else (next_rank if r.get("score") is not None else None)
        full = _row_file(r)
        name = _e(PurePath(full).name or full)
        target = r.get("href") or r.get("html")
        error = _row_error(r)
        link = (f'<a href="{_href(target)}" title="{_e(full)}">{name}</a>' if target and not error
                else f'<span title="{_e(full)}">{name}</span>')
        if error:
            code = r.get("error_code") or r.get("error")
            status = f'<span class="error" title="{_e(error)}">无法审核（{_e(code)}）</span>'
        else:
            status = {"partial": "节选", "not_a_report": "不是年报"}.get(r.get("status") or "", "已审核")
        body.append(
            f'<tr><td class="num">{_e(_num(rank))}</td><td>{_e(r.get("unit") or "")}</td>'
            f'<td class="num">{_e(r.get("year") or "")}</td>'
            f'<td>{_e(LEVEL_LABELS.get(r.get("level") or "", r.get("level") or ""))}</td>'
            f'<td class="num">{_e(_num(r.get("score")))}</td>'
            f'<td class="num error">{_e(_blank(r.get("errors")))}</td>'
            f'<td class="num warning">{_e(_blank(r.get("warnings")))}</td>'
            f'<td class="num info">{_e(_blank(r.get("infos")))}</td>'
            f'<td class="num">{_e(_pct(r.get("copy_ratio")))}</td><td class="num">{_e(_pct(r.get("cross_ratio")))}</td>'
            f'<td>{status}</td><td>{link}</td></tr>')
    body.append("</tbody></table>")
    return _page("nianbao 审核汇总", "\n".join(body), INDEX_JS)


def _row_file(r: dict[str, Any]) -> str:
    return str(r.get("file") or r.get("path") or "")


def _row_error(r: dict[str, Any]) -> str:
    if r.get("error"):
        return str(r["error"])
    if r.get("error_code"):
        return str(r["error_code"]) + (f"（{r['error_message']}）" if r.get("error_message") else "")
    return ""


# ---------------------------------------------------------------- page parts


def _page(title: str, body: str, js: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="zh-CN" class="no-js"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            # no network at all: the page must work offline and must not leak which reports are being read
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            "script-src 'unsafe-inline'; img-src data:\">"
            f"<title>{_e(title)}</title><style>{CSS}</style></head>\n<body><main>\n{body}\n</main>"
            f"<script>{js}</script></body></html>\n")


def _header(audit: Audit) -> str:
    meta = [("单位", audit.unit), ("年度", audit.year), ("层级", LEVEL_LABELS.get(audit.level or "", audit.level)), ("格式", audit.format_version),
            ("发布日期", audit.published), ("文件", audit.file)]
    counts = Counter(f.severity for f in audit.findings)
    checks = Counter(c.status for c in audit.checks)
    out = [f"<h1>{_e(audit.title or audit.unit or audit.file)}</h1>",
           '<p class="meta">' + "".join(f"<span>{k}：{_e(v)}</span>" for k, v in meta if v not in (None, "")) + "</p>"]
    if audit.is_excerpt:
        out.append('<p class="meta warning">这份文件只是年报的节选，部分检查未执行。</p>')
    if audit.error is None:
        out.append('<div class="score"><div><div class="meta">总分</div>'
                   f'<div class="big">{_e(_num(audit.score)) if audit.score is not None else "—"}</div></div>'
                   '<div class="counts">' + "".join(
                       f'<span class="{s}">{SEVERITY_LABELS[s]} {counts.get(s, 0)}</span>' for s in SEVERITY_LABELS)
                   + "<br>" + "".join(f'<span class="{s}">表格核验{CHECK_LABELS[s]} {checks.get(s, 0)}</span>'
                                      for s in ("pass", "fail", "uncertain"))
                   + "</div></div>")
        rows = [(s.title or SECTION_TITLES.get(s.id, s.id), s.present, s.score) for s in audit.sections]
        if rows:
            out.append("<h3>分项得分</h3><table><thead><tr><th>部分</th><th>是否具备</th><th>得分</th></tr></thead><tbody>"
                       + "".join(f"<tr><td>{_e(t)}</td><td>{'是' if p else '<span class=error>缺失</span>'}</td>"
                                 f'<td class="num">{_e(_num(sc))}</td></tr>' for t, p, sc in rows)
                       + "</tbody></table>")
        if audit.score_breakdown:
            out.append('<p class="meta">' + "".join(f"<span>{_e(k)}：{_e(_num(v))}</span>"
                                                  for k, v in audit.score_breakdown.items()
                                                  if isinstance(v, (int, float, str))) + "</p>")
    return "\n".join(out)


def _tables(audit: Audit) -> str:
    report = audit.report
    if report is None or not report.tables:
        return ""
    out = ["<h2>表格核验</h2>"]
    for tid in ("二", "三", "四"):
        table = report.tables.get(tid)
        if table is not None:
            out.append(_table(table, audit))
    other = [c for c in audit.checks if c.table is None or c.table not in report.tables]
    if other:
        out.append(_check_list(other))
    return "\n".join(out)


def _table(table: Table, audit: Audit) -> str:
    marks: dict[tuple[str, str], list[str]] = {}
    state: dict[tuple[str, str], str] = {}
    for c in audit.checks:
        if c.table == table.id and c.status in ("fail", "uncertain") and c.row and c.column:
            key = cell_keys(table, c.row, c.column)
            marks.setdefault(key, []).append(f"{c.rule} {CHECK_LABELS[c.status]}：{c.message}"
                                             + (f"（应为 {_num(c.expected)}，实为 {_num(c.actual)}）"
                                                if c.status == "fail" else ""))
            if c.status == "fail" or key not in state:
                state[key] = c.status
    for f in audit.findings:
        if f.table == table.id and f.row and f.column:
            key = cell_keys(table, f.row, f.column)
            marks.setdefault(key, []).append(f"{f.rule}：{f.message}")
            state[key] = "fail" if f.severity == "error" or state.get(key) == "fail" else state.get(key, "uncertain")
    present = {c for row in table.cells.values() for c in row}
    cols = [c for c in column_order(table.id) if c in present]
    cols += sorted(present - set(cols))
    rows = list(table.row_labels) + [r for r in table.cells if r not in table.row_labels]
    status = {"uncertain": "（读取不确定，相关核验记为“无法判断”）", "absent": "（未找到该表）"}.get(table.status, "")
    out = [f"<h3>表{_e(table.id)}{status}</h3>"]
    if table.status == "absent":
        return out[0]
    out.append("<table><thead><tr><th></th>" + "".join(f"<th>{_e(table_labels(table.id, None, c, audit.report)[1])}</th>"
                                                      for c in cols)
               + "</tr></thead><tbody>")
    for r in rows:
        cells = []
        for c in cols:
            cell = table.cells.get(r, {}).get(c)
            raw = "" if cell is None else cell.raw
            cls = ["num"] + ([state[(r, c)]] if (r, c) in state else [])
            tip = f' title="{_e(chr(10).join(marks[(r, c)]))}"' if (r, c) in marks else ""
            cells.append(f'<td class="{" ".join(cls)}"{tip}>{_e(raw)}</td>')
        out.append(f"<tr><th>{_e(table.row_labels.get(r) or table_labels(table.id, r, None)[0])}</th>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    checks = [c for c in audit.checks if c.table == table.id]
    if checks:
        out.append(_check_list(checks))
    return "\n".join(out)


def _check_list(checks: list[Check]) -> str:
    counts = Counter(c.status for c in checks)
    summary = "，".join(f"{CHECK_LABELS[s]} {n}" for s, n in counts.items())
    items = "".join(
        f'<li class="{_e(c.status)}"><span class="rule">{_e(c.rule)}</span> {CHECK_LABELS.get(c.status, c.status)}'
        f'{_e(" " + "/".join(x for x in table_labels(c.table, c.row, c.column) if x)) if (c.row or c.column) else ""}'
        f'{_e("：" + c.message) if c.message else ""}'
        f'{_e(f"（应为 {_num(c.expected)}，实为 {_num(c.actual)}）") if c.status == "fail" else ""}</li>'
        for c in sorted(checks, key=lambda c: {"fail": 0, "uncertain": 1, "pass": 2}.get(c.status, 3)))
    return f"<details><summary>核验明细：{_e(summary)}</summary><ul>{items}</ul></details>"


def _sections(audit: Audit) -> str:
    report = audit.report
    if report is None:
        return ""
    out = ["<h2>正文</h2>"]
    indexed = list(enumerate(audit.findings))
    for sec in report.sections:
        label = SECTION_LABELS.get(sec.id, sec.id)
        inside = [(i, f) for i, f in indexed if f.start is not None and f.end is not None
                  and sec.start <= f.start < sec.end]
        out.append(f'<h3 id="sec-{_e(sec.id)}">§{_e(label)}</h3>')
        out.append(f'<div class="sectext">{_highlight(report.text, sec.start, sec.end, inside)}</div>')
    return "\n".join(out)


def _highlight(text: str, start: int, end: int, findings: list[tuple[int, Finding]]) -> str:
    """Escape text[start:end], wrapping flagged spans in <mark>; overlapping findings split into segments."""
    cuts = {start, end}
    for _, f in findings:
        cuts.add(max(start, f.start))
        cuts.add(min(end, max(f.end, f.start + 1)))
    points = sorted(cuts)
    out = []
    for a, b in zip(points, points[1:]):
        covering = [(i, f) for i, f in findings if f.start <= a and max(f.end, f.start + 1) >= b]
        seg = _e(text[a:b])
        if not covering:
            out.append(seg)
            continue
        worst = max((f for _, f in covering), key=lambda f: SEVERITY_ORDER.get(f.severity, 0))
        tip = "\n".join(f"{f.rule} {f.message}" + (f"（建议：{f.suggestion}）" if f.suggestion else "")
                        for _, f in covering)
        ids = " ".join(str(i) for i, _ in covering)
        out.append(f'<mark class="sev-{_e(worst.severity)}" data-f="{ids}" tabindex="0" title="{_e(tip)}">{seg}</mark>')
    return "".join(out)


def _findings(audit: Audit) -> str:
    present_sev = [s for s in SEVERITY_LABELS if any(f.severity == s for f in audit.findings)]
    present_cat = [c for c in CATEGORY_LABELS if any(f.category == c for f in audit.findings)]
    present_cat += sorted({f.category for f in audit.findings} - set(CATEGORY_LABELS))
    out = [f"<h2>问题清单（{len(audit.findings)} 条）</h2>"]
    if not audit.findings:
        out.append('<p class="empty">未发现问题。</p>')
        return "\n".join(out)
    out.append('<div class="filters" role="group"><div>严重程度：'
               + "".join(_box("severity", s, SEVERITY_LABELS[s]) for s in present_sev) + "</div><div>类别："
               + "".join(_box("category", c, CATEGORY_LABELS.get(c, c)) for c in present_cat) + "</div></div>")
    out.append('<ol id="findings">')
    for i, f in enumerate(audit.findings):
        rule = rule_for(f.rule, f.category, f.severity)
        loc = logical_location(f, audit.report)
        out.append(
            f'<li id="f{i}" class="sev-{_e(f.severity)}" data-severity="{_e(f.severity)}" data-category="{_e(f.category)}">'
            f'<span class="{_e(f.severity)}">{SEVERITY_LABELS.get(f.severity, _e(f.severity))}</span> '
            f'<span class="rule" title="{_e(rule.title)}">{_e(f.rule)}</span> {_e(f.message)}'
            + (f' <span class="quote">“{_e(_short(f.text))}”</span>' if f.text else "")
            + (f' <span class="sugg">→ {_e(f.suggestion)}</span>' if f.suggestion else "")
            + (f' <span class="loc">{_e(loc)}</span>' if loc else "")
            + (f'<details><summary>规则说明</summary>{_e(rule.rationale)}</details>' if rule.rationale else "")
            + "</li>")
    out.append("</ol>")
    return "\n".join(out)


def _box(name: str, value: str, label: str) -> str:
    return f'<label><input type="checkbox" name="{name}" value="{_e(value)}" checked> {_e(label)}</label>'


# ---------------------------------------------------------------- small helpers


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _num(x: Any) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return str(int(x)) if x.is_integer() else f"{x:.1f}"
    return str(x)


def _blank(x: Any) -> str:
    return "" if x is None else str(x)


def _pct(x: Any) -> str:
    return "" if not isinstance(x, (int, float)) else f"{x:.0%}"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _href(href: str) -> str:
    # percent-encode everything but path characters: a "javascript:" or "data:" href becomes a harmless relative path
    # "#" and "%" are encoded too: in a file name they are characters, not a fragment or an escape
    return _e(quote(str(href), safe="/._-~"))
