"""Read a folder of reports for training: text, narrative regions, issuing unit.

Training must work on any folder of plain-text reports a user points it at, without the full structure stage, so
this module finds the narrative sections (一 总体情况, 五 问题及改进, 六 其他事项) with heading regexes of its own.
It is deliberately simple; at audit time the real ``Report.sections`` are used instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Section headings as numbered in the national format (一…六), tolerant of collapsed whitespace.
_HEADINGS = {
    "overview": re.compile(r"[一1][、.．]\s*总体情况"),
    "proactive": re.compile(r"[二2][、.．]\s*主动公开政府信息"),
    "problems": re.compile(r"[五5][、.．]\s*(?:政府信息公开工作)?存在的主要问题"),
    "other": re.compile(r"[六6][、.．]\s*其他需要报告"),
}
_UNIT_PREFIX = re.compile(r"^(\d+)_(?:excerpt_)?")


@dataclass
class CorpusDoc:
    name: str  # file name
    text: str
    unit: str  # issuing-unit key (reports of the same unit share it)
    regions: dict[str, tuple[int, int]]  # section id → (start, end) in text


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def unit_key(file_name: str) -> str:
    """Issuing unit from a corpus file name: '058_pingtan_finance_bureau_2019.txt' → 'pingtan_finance_bureau'.

    Files not following the NNN_name_YEAR pattern are their own unit."""
    stem = Path(file_name).stem
    stem = _UNIT_PREFIX.sub("", stem)
    parts = [p for p in stem.split("_") if not re.fullmatch(r"(19|20)\d{2}", p)]
    # drop trailing qualifiers that are not part of the unit name
    while parts and parts[-1] in {"seed", "ocr", "pdf", "from", "compare"}:
        parts.pop()
    return "_".join(parts) or stem


def find_regions(text: str) -> dict[str, tuple[int, int]]:
    starts = {}
    for sid, rx in _HEADINGS.items():
        m = rx.search(text)
        if m:
            starts[sid] = m.start()
    order = sorted(starts.items(), key=lambda kv: kv[1])
    regions = {}
    for i, (sid, s) in enumerate(order):
        e = order[i + 1][1] if i + 1 < len(order) else len(text)
        if sid == "other":
            e = min(e, s + 1500)  # the sign-off and page footer follow; keep the region short
        regions[sid] = (s, e)
    regions.pop("proactive", None)
    return regions


def load_corpus(corpus_dir: Path) -> list[CorpusDoc]:
    docs = []
    for p in sorted(Path(corpus_dir).glob("*.txt")):
        if p.name.upper().startswith(("README", "SOURCES")):
            continue
        text = read_text(p)
        docs.append(CorpusDoc(p.name, text, unit_key(p.name), find_regions(text)))
    return docs
