"""Speed of the whole writing-rule pass (TYPO/PUNC/FMT/CON-2xx) on one core, after warm-up.

    python benchmarks/text_speed.py [--file REPORT] [--chars 10000] [--repeat 20] [--run-on]

Builds a ~10,000-character report by repeating the prose of a real report (default: the seed report in
../shared/corpus, else a built-in paragraph), structures it once, then times ``writing_hits`` (all text rules;
the per-audit cache is cleared between runs). Prints warm-up time, median and worst run.

``--run-on`` is the pathological case: the six section headings with one unbroken run of Chinese characters (no
punctuation, no line break) of ``--chars`` characters under 一 — e.g. a PDF whose text layer lost every mark. The
pass must stay linear in the length (it was quadratic in the near-miss host lookup before).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from analyzer.config import Config  # noqa: E402
from analyzer.read import document_from_text  # noqa: E402
from analyzer.rules import CheckContext  # noqa: E402
from analyzer.structure import structure_document  # noqa: E402
from analyzer.text.rules import writing_hits  # noqa: E402
from analyzer.text.segment import _tokenize_cached  # noqa: E402

FALLBACK = ("为认真贯彻落实《中华人民共和国政府信息公开条例》，进一步推进政务公开工作，我镇坚持以公开为常态、不公开为例外，"
            "明确由分管领导负总责，做到定岗定责，依法做好依申请公开和主动公开工作，及时回应社会关切。\n")


def build_text(path: Path | None, chars: int) -> str:
    base = path.read_text(encoding="utf-8") if path and path.exists() else FALLBACK
    out = base
    while len(out) < chars:
        out += "\n" + base
    return out[:chars]


HEADINGS = ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def build_run_on(path: Path | None, chars: int) -> str:
    base = path.read_text(encoding="utf-8") if path and path.exists() else FALLBACK
    cjk = "".join(c for c in base if "\u4e00" <= c <= "\u9fff")
    run = (cjk * (chars // max(1, len(cjk)) + 1))[:chars]
    return "\n".join(["某镇2022年政府信息公开工作年度报告", "一、总体情况", run, *HEADINGS]) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", type=Path, default=REPO.parent / "shared" / "corpus" / "000_wangcun_town_2022_seed.txt")
    ap.add_argument("--chars", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--run-on", action="store_true", help="one unbroken run of characters, no punctuation")
    args = ap.parse_args(argv)
    text = build_run_on(args.file, args.chars) if args.run_on else build_text(args.file, args.chars)
    report = structure_document(document_from_text("speed.txt", text))
    config = Config()
    t0 = time.perf_counter()
    n = len(writing_hits(report, CheckContext(config=config)))
    warm = time.perf_counter() - t0
    times, cpu = [], []
    for _ in range(args.repeat):
        report.__dict__.pop("_prose_segments", None)
        report.__dict__.pop("_prose_segments_urls", None)
        _tokenize_cached.cache_clear()  # no credit for segmentations cached by the previous run
        t, c = time.perf_counter(), time.process_time()
        writing_hits(report, CheckContext(config=config))
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    print(f"text: {len(text)} chars, {n} writing hits; warm-up (lexicons, jieba) {warm:.2f}s")
    print(f"writing pass: median {statistics.median(times) * 1000:.1f} ms wall "
          f"({statistics.median(cpu) * 1000:.1f} ms CPU), worst {max(times) * 1000:.1f} ms over {args.repeat} runs "
          f"(budget 150 ms)")


if __name__ == "__main__":
    main()
