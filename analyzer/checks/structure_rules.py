"""STR-1xx: the six sections the national format mandates — missing, out of order, duplicated, extra, misnumbered,
reworded — and tables missing from their sections."""

from __future__ import annotations

from ..model import MANDATED_SECTIONS, Finding, Report
from ..rules import CheckContext, Rule, register
from ..structure import _lexicon

_CN = "一二三四五六七八九十"


def _canonical(section_id: str) -> str:
    spec = _lexicon()["sections"][section_id]
    return f"{_CN[spec['numeral'] - 1]}、{spec['title']}"


def _excerpt_cut(report: Report) -> int:
    """For a partial report (excerpt), sections after the last one found were cut off, not omitted."""
    found = [MANDATED_SECTIONS.index(s.id) for s in report.sections if s.id in MANDATED_SECTIONS]
    return max(found, default=-1)


@register(Rule(
    id="STR-101", title="Mandated section missing", category="structure", severity="error",
    rationale="国办公开办函〔2021〕30号 fixes six sections (一 总体情况 … 六 其他需要报告的事项); a report that leaves one "
              "out is incomplete (不能遗漏). Partial files (excerpts) are only checked up to where they stop.",
    example_fail="一、总体情况 … 二、主动公开政府信息情况 … 三、… 四、… 六、其他需要报告的事项 (no 五、存在的主要问题及改进情况)",
    example_pass="一、总体情况 二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况 四、政府信息公开行政复议、行政诉讼情况 "
                 "五、存在的主要问题及改进情况 六、其他需要报告的事项",
))
def missing_sections(report: Report, ctx: CheckContext):
    cut = _excerpt_cut(report) if report.is_excerpt else len(MANDATED_SECTIONS)
    for i, sid in enumerate(MANDATED_SECTIONS):
        if i > cut or report.section(sid) is not None:
            continue
        yield Finding(rule="STR-101", category="structure", severity="error",
                      message=f"缺少“{_canonical(sid)}”部分", section=sid, suggestion=_canonical(sid),
                      evidence={"missing": sid})


@register(Rule(
    id="STR-102", title="Section out of order", category="structure", severity="warning",
    rationale="Reviewers and comparison tools expect the six parts in the format's order; a part placed elsewhere "
              "is usually a copy-paste accident.",
    example_fail="… 六、其他需要报告的事项 … 五、存在的主要问题及改进情况 (五 after 六)",
    example_pass="… 五、存在的主要问题及改进情况 … 六、其他需要报告的事项",
))
def misplaced_sections(report: Report, ctx: CheckContext):
    for sid in report.structure_issues.get("misplaced", []):
        sec = report.section(sid)
        yield Finding(rule="STR-102", category="structure", severity="warning",
                      message=f"“{_canonical(sid)}”不在格式规定的位置", section=sid,
                      start=sec.heading.start if sec and sec.heading else None,
                      end=sec.heading.end if sec and sec.heading else None)


@register(Rule(
    id="STR-103", title="Section heading repeated", category="structure", severity="warning",
    rationale="A heading that occurs twice usually means text pasted from another report or a previous draft.",
    example_fail="五、存在的主要问题及改进情况 … 五、存在的主要问题及改进情况",
    example_pass="each of the six headings once",
))
def duplicate_sections(report: Report, ctx: CheckContext):
    for sid, offset in report.structure_issues.get("duplicates", []):
        line_end = report.text.find("\n", offset)
        end = min(line_end if line_end > 0 else len(report.text), offset + 30)
        yield Finding(rule="STR-103", category="structure", severity="warning",
                      message=f"“{_canonical(sid)}”出现了不止一次", start=offset, end=end)


@register(Rule(
    id="STR-104", title="Section outside the national format", category="structure", severity="warning",
    rationale="The format has exactly six parts; an extra numbered part (e.g. 二、政务公开工作主要任务落实情况) shifts the "
              "numbering of the mandated ones and mixes a work summary into the statutory report.",
    example_fail="一、总体情况 二、政务公开工作主要任务落实情况 三、主动公开政府信息情况 …",
    example_pass="一、总体情况 二、主动公开政府信息情况 …",
))
def extra_sections(report: Report, ctx: CheckContext):
    for sec in report.sections:
        if sec.id == "extra" and sec.heading:
            yield Finding(rule="STR-104", category="structure", severity="warning",
                          message=f"“{sec.title}”不是年报格式规定的部分", start=sec.heading.start, end=sec.heading.end,
                          section="extra")


@register(Rule(
    id="STR-105", title="Section numbered differently from the format", category="structure", severity="warning",
    rationale="Each part has a fixed number (一 … 六). A wrong or missing numeral (三、主动公开…, 一总体情况) breaks "
              "cross-references such as 'see 表三' and shows the structure was not checked.",
    example_fail="三、主动公开政府信息情况",
    example_pass="二、主动公开政府信息情况",
))
def misnumbered_sections(report: Report, ctx: CheckContext):
    wrong = []
    for sec in report.sections:
        if sec.id not in MANDATED_SECTIONS or sec.heading is None:
            continue
        expected = _CN[MANDATED_SECTIONS.index(sec.id)]
        number = (sec.number or "").strip()
        digits = number.strip("、，,．.（）() ")
        if not number:
            continue  # an unnumbered heading: numbering style is the writer's choice when all are unnumbered
        if digits != expected or not number.endswith("、"):
            wrong.append((sec, expected))
    if not wrong:
        return
    # one shift (an extra part pushed every later number by one) is one fault, reported once
    first, expected = wrong[0]
    rest = "；".join(f"“{s.title[:16]}”" for s, _ in wrong[1:])
    yield Finding(rule="STR-105", category="structure", severity="warning",
                  message=f"“{first.title}”应编号为“{expected}、”" + (f"；其后 {rest} 的编号也不符合格式" if rest else ""),
                  section=first.id, start=first.heading.start, end=first.heading.end, suggestion=f"{expected}、",
                  evidence={"misnumbered": [s.id for s, _ in wrong]})


@register(Rule(
    id="STR-106", title="Section heading worded differently from the format", category="structure", severity="info",
    rationale="The headings are fixed text in the format; a reworded or mistyped heading (行政法复议, 改进措施 for 改进情况) "
              "is a sign the template was not followed and makes reports harder to compare.",
    example_fail="四、政府信息公开行政法复议、行政诉讼情况",
    example_pass="四、政府信息公开行政复议、行政诉讼情况",
))
def reworded_headings(report: Report, ctx: CheckContext):
    import re

    accepted = _lexicon().get("accepted_heading_variants", {})
    for sec in report.sections:
        if sec.id not in MANDATED_SECTIONS or sec.heading is None:
            continue
        canonical = _lexicon()["sections"][sec.id]["title"]
        written = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[）)]?[、，,．.]?", "", re.sub(r"[\s#]+", "", sec.title))
        written = written.rstrip("。：:")
        ok = {canonical} | set(accepted.get(sec.id, []))
        if written in ok or not written:
            continue
        if len(written) > len(canonical) + 12:
            continue  # heading glued to running text: we cannot tell where the heading ends
        yield Finding(rule="STR-106", category="structure", severity="info",
                      message=f"标题与格式不一致：格式为“{canonical}”", section=sec.id,
                      start=sec.heading.start, end=sec.heading.end, suggestion=canonical)


@register(Rule(
    id="STR-107", title="Table missing from its section", category="structure", severity="error",
    rationale="Sections 二, 三 and 四 consist of the format's statistical tables. A section with its heading but no "
              "table (often a table pasted as an image) cannot be checked and does not meet the format.",
    example_fail="三、收到和处理政府信息公开申请情况 (heading followed directly by 四、…)",
    example_pass="三、收到和处理政府信息公开申请情况 followed by the 申请人情况 table",
))
def missing_tables(report: Report, ctx: CheckContext):
    for sid, tid in (("proactive", "二"), ("requests", "三"), ("review_litigation", "四")):
        sec = report.section(sid)
        table = report.tables.get(tid)
        if sec is None or report.is_excerpt:
            continue
        if table is None or table.status == "absent":
            yield Finding(rule="STR-107", category="structure", severity="error",
                          message=f"“{_canonical(sid)}”部分没有表{tid}（或表格无法识别为文字，如图片）", section=sid,
                          table=tid, start=sec.heading.start if sec.heading else sec.start,
                          end=sec.heading.end if sec.heading else sec.start)
