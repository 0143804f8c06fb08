"""Hand-labelling helper: list candidate sentences of a corpus folder, then turn "id label" lines into JSONL.

    python data/labels/label_tool.py dump  CORPUS_DIR UNIT[,UNIT…] candidates.json   # prints "id text" lines
    python data/labels/label_tool.py apply candidates.json labels.txt boilerplate OUT.jsonl
    python data/labels/label_tool.py apply candidates.json aspects.txt aspects OUT.jsonl

Label lines: "id B|S|H" for boilerplate (H = heading/fragment, skipped) or "id P,R,M,L,V|-" for aspects.
Only file name, offsets, label and a short hash of the sentence are stored — never the corpus text.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from analyzer.narrative.corpus import load_corpus  # noqa: E402
from analyzer.narrative.sentences import split_sentences  # noqa: E402

ASPECT_CODES = {"P": "proactive", "R": "requests", "M": "management", "L": "platforms", "V": "supervision"}


def text_hash(text: str) -> str:
    return hashlib.sha1("".join(text.split()).encode("utf-8")).hexdigest()[:12]


def dump(corpus_dir: str, units: str, out: str) -> None:
    wanted = set(units.split(","))
    rows = []
    for d in load_corpus(Path(corpus_dir)):
        if d.unit not in wanted:
            continue
        for sid, (s, e) in d.regions.items():
            for x in split_sentences(d.text[s:e]):
                rows.append({"file": d.name, "unit": d.unit, "section": sid, "start": s + x.start, "end": s + x.end,
                             "sha1": text_hash(x.text)})
                print(len(rows) - 1, "".join(x.text.split())[:120])
    Path(out).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


def apply(candidates: str, labels: str, kind: str, out: str, split: str = "test") -> None:
    rows = json.loads(Path(candidates).read_text(encoding="utf-8"))
    lines = []
    for line in Path(labels).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        i, lab = line.split()
        r = dict(rows[int(i)], split=split, source="hand")
        if kind == "boilerplate":
            if lab == "H":
                continue
            r["label"] = {"B": "boilerplate", "S": "specific"}[lab]
        else:
            r["aspects"] = [] if lab == "-" else [ASPECT_CODES[c] for c in lab.split(",")]
        lines.append(json.dumps(r, ensure_ascii=False, sort_keys=True))
    Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    {"dump": dump, "apply": apply}[cmd](*args)
