"""Measure the reviewer outputs on the real corpus: does every comment land on exactly the flagged text, is every
SARIF log schema-valid, and how long do the renderers take?

For each corpus report (``../shared/corpus/*.txt``, plus the originals in ``corpus/original/``):

1. audit it as given (text → the review copy is a rebuilt .docx);
2. turn it into a *hard* .docx — every line a paragraph cut into 1–5 runs with random bold/italic, some runs moved
   inside ``w:hyperlink`` or ``w:ins`` (tracked insertion) wrappers — audit that, and write its review copy.

A placed comment is *exact* when the text between its range markers equals the finding's text (whitespace
ignored: a span across two paragraphs has a newline in ``Document.text`` but not inside ``w:t``), *widened* when it
contains it, and *wrong* otherwise; findings without a text span (table cells, whole sections) are counted apart.

    python benchmarks/review_outputs.py [--corpus ../shared/corpus] [--limit N]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import docx  # noqa: E402
import jsonschema  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

from analyzer.pipeline import audit_file  # noqa: E402
from analyzer.render.docx_review import build_review_copy  # noqa: E402
from analyzer.render.html import render_report  # noqa: E402
from analyzer.render.sarif import render_sarif  # noqa: E402
from analyzer.resources import schema_path  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def hard_docx(text: str, out: Path, seed: str) -> None:
    rng = random.Random(seed)
    d = docx.Document()
    for line in text.split("\n"):
        p = d.add_paragraph()
        if not line:
            continue
        cuts = sorted(rng.sample(range(1, len(line)), min(len(line) - 1, rng.randint(0, 4)))) if len(line) > 1 else []
        pieces = [line[a:b] for a, b in zip([0] + cuts, cuts + [len(line)])]
        for piece in pieces:
            run = p.add_run(piece)
            run.bold = rng.random() < 0.3
            run.italic = rng.random() < 0.1
            roll = rng.random()
            if roll < 0.08:  # a run inside a hyperlink
                wrapper = p._p.makeelement(qn("w:hyperlink"), {qn("w:anchor"): "x"})
            elif roll < 0.14:  # a tracked insertion
                wrapper = p._p.makeelement(qn("w:ins"), {qn("w:id"): str(rng.randint(1, 10**6)),
                                                        qn("w:author"): "x"})
            else:
                continue
            run._r.addprevious(wrapper)
            wrapper.append(run._r)
    d.save(str(out))


def anchored_texts(doc) -> dict[str, str]:
    open_ids: list[str] = []
    texts: dict[str, list[str]] = {}
    for el in doc.element.body.iter():
        if el.tag == W + "commentRangeStart":
            open_ids.append(el.get(W + "id"))
            texts[el.get(W + "id")] = []
        elif el.tag == W + "commentRangeEnd":
            open_ids.remove(el.get(W + "id"))
        elif el.tag == W + "t" and el.text:
            for cid in open_ids:
                texts[cid].append(el.text)
        elif el.tag == W + "tab":
            for cid in open_ids:
                texts[cid].append("\t")
    return {k: "".join(v) for k, v in texts.items()}


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def measure(path: Path, stats: Counter, times: dict[str, float], validator, problems: list[str]) -> None:
    audit = audit_file(path)
    if audit.error is not None:
        stats["audit_errors"] += 1
        return
    stats["files"] += 1
    t = time.perf_counter()
    review = build_review_copy(audit, path)
    buf = io.BytesIO()
    review.doc.save(buf)
    times["docx"] += time.perf_counter() - t
    reopened = docx.Document(io.BytesIO(buf.getvalue()))
    anchors = anchored_texts(reopened)
    ids = [str(c.comment_id) for c in reopened.comments]
    stats["comments"] += len(ids)
    for f, cid in zip(review.placed, ids):
        got = squash(anchors.get(cid, ""))
        if f.start is None or f.end is None or f.end <= f.start or f.table:
            stats["placed_no_span"] += 1
            continue
        want = squash(audit.report.text[f.start:f.end])
        if not want:  # a span of whitespace only: placed next to it
            stats["placed_no_span"] += 1
        elif got == want:
            stats["exact"] += 1
        elif want in got:
            stats["widened"] += 1
            problems.append(f"widened {path.name} {f.rule} want={want[:30]!r} got={got[:40]!r}")
        else:
            stats["wrong"] += 1
            problems.append(f"WRONG {path.name} {f.rule} want={want[:30]!r} got={got[:40]!r}")
    stats["unplaced"] += len(review.unplaced)
    stats["findings"] += len(audit.findings)

    t = time.perf_counter()
    page = render_report(audit)
    times["html"] += time.perf_counter() - t
    if "<script>" in audit.report.text and "<script>" in page.split("<script>", 1)[0]:
        problems.append(f"unescaped script in {path.name}")
    t = time.perf_counter()
    log = json.loads(render_sarif([audit]))
    times["sarif"] += time.perf_counter() - t
    errors = list(validator.iter_errors(log))
    if errors:
        stats["sarif_invalid"] += 1
        problems.append(f"SARIF invalid for {path.name}: {errors[0].message[:120]}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    validator = jsonschema.Draft4Validator(json.loads(schema_path("sarif-2.1.0.json").read_text(encoding="utf-8")))
    files = sorted(args.corpus.glob("*.txt"))
    if args.limit:
        files = files[:args.limit]
    originals = sorted((args.corpus / "original").glob("*")) if (args.corpus / "original").is_dir() else []
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, inputs in (("text as given", files), ("hard docx from text", files), ("originals", originals)):
            stats: Counter = Counter()
            times = {"docx": 0.0, "html": 0.0, "sarif": 0.0}
            problems: list[str] = []
            for f in inputs:
                path = f
                if label == "hard docx from text":
                    path = Path(tmp) / (f.stem + ".docx")
                    hard_docx(f.read_text(encoding="utf-8-sig").replace("\r\n", "\n"), path, f.name)
                measure(path, stats, times, validator, problems)
            results[label] = (stats, times, problems)
    for label, (stats, times, problems) in results.items():
        n = max(stats["files"], 1)
        spans = stats["exact"] + stats["widened"] + stats["wrong"]
        print(f"## {label}: {stats['files']} files audited ({stats['audit_errors']} unreadable), "
              f"{stats['findings']} findings")
        print(f"   comments on text spans: {spans}; exact {stats['exact']} "
              f"({stats['exact'] / max(spans, 1):.1%}), widened {stats['widened']}, wrong {stats['wrong']}")
        print(f"   placed without a text span (cells, sections): {stats['placed_no_span']}; "
              f"listed in the summary only: {stats['unplaced']}")
        print(f"   SARIF schema-invalid logs: {stats['sarif_invalid']}")
        print(f"   mean time per file: review copy {times['docx'] / n * 1000:.0f} ms, HTML {times['html'] / n * 1000:.0f}"
              f" ms, SARIF {times['sarif'] / n * 1000:.0f} ms")
        for line in problems[:10]:
            print("   ", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
