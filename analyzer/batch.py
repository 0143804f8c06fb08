"""`nianbao batch`: audit many reports in parallel, resumably, and look for copying between them.

Stages (each report is audited exactly as ``nianbao audit FILE [--previous PREV]`` would audit it):

1. **expand**  folders (recursive), globs and list files → a sorted list of files.
2. **scan**    read + structure every file in worker processes → unit, year, identity (for pairing).
3. **pair**    the same report in two formats is one document; each report gets the same unit's most recent
               earlier report (from the batch or ``--previous-dir``) as its ``previous``.
4. **audit**   ``audit_file(path, config, previous)`` in worker processes, plus the passages copy detection needs.
5. **cross**   cross-report copying over all audited reports (``analyzer.copy.cross_report``), in this process.
6. **output**  rows sorted by score → CSV / XLSX / JSONL (atomic), a summary on the terminal.

Workers run in a pebble ``ProcessPool``: a task past the per-file timeout is cancelled and its worker killed and
replaced (``timeout``); a worker that dies (``worker_died``) is replaced too, and the batch goes on. Every finished
scan and audit is appended to a JSONL journal (``<output>.journal.jsonl``) as soon as it arrives, so ``--resume``
after Ctrl-C or kill redoes nothing that finished. Results do not depend on ``--jobs``: inputs are sorted, rows are
sorted, and MinHash is seeded.
"""

from __future__ import annotations

import glob
import hashlib
import json
import logging
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, TimeoutError as FutureTimeout, wait
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable, Iterable

from .config import Config
from .errors import NianbaoError
from .model import SEVERITY_ORDER, Audit, AuditError

log = logging.getLogger(__name__)

JOURNAL_VERSION = 1
LIST_SUFFIXES = {".lst", ".list", ".paths"}


# ---------------------------------------------------------------- inputs


def _is_list_file(path: Path) -> bool:
    """A file listing paths: a .lst/.list/.paths file, or a small text file whose every line names an existing file."""
    if path.suffix.lower() in LIST_SUFFIXES:
        return True
    try:
        if path.stat().st_size > 1_000_000:
            return False
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    except (OSError, UnicodeDecodeError):
        return False
    lines = [ln for ln in lines if not ln.startswith("#")]
    return bool(lines) and all(_resolve_listed(path, ln).is_file() for ln in lines)


def _resolve_listed(list_file: Path, line: str) -> Path:
    p = Path(line)
    return p if p.is_absolute() else list_file.parent / p


def _walk(folder: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # skip .git, .cache …
        for name in files:
            if not name.startswith("."):
                yield Path(root) / name


def expand_inputs(paths: Iterable[str | Path], exclude: Iterable[Path] = ()) -> list[str]:
    """Folders (recursive), globs, list files and plain files → sorted unique file paths (as strings).

    A path that does not exist and matches no glob is kept, so it gets a ``not_found`` row.
    """
    out: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.update(str(f) for f in _walk(p))
        elif p.is_file():
            if _is_list_file(p):
                for ln in p.read_text(encoding="utf-8").splitlines():
                    if ln.strip() and not ln.strip().startswith("#"):
                        out.add(str(_resolve_listed(p, ln.strip())))
            else:
                out.add(str(p))
        else:
            matches = glob.glob(str(raw), recursive=True)
            if not matches:
                out.add(str(p))
            for m in matches:
                mp = Path(m)
                if mp.is_dir():
                    out.update(str(f) for f in _walk(mp))
                else:
                    out.add(m)
    # an excluded path is a file (the output, the journal) or a folder (--html-dir): outputs never audit themselves
    excluded = [Path(e).resolve() for e in exclude]
    return sorted(f for f in out
                  if not any(Path(f).resolve() == e or e in Path(f).resolve().parents for e in excluded))


def _stamp(path: str) -> list[int] | None:
    """Size and modification time: a journal entry is reused only if the file has not changed since."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


# ---------------------------------------------------------------- worker side (module-level: picklable)


# A tiny report audited once when a worker starts, so that lazily loaded lexicons and NLP models are loaded
# before the first real file (whose per-file timeout must not pay for them).
# A small but complete report: the warm-up must run every stage (a text that is "not a report" would stop after
# structure and leave the NLP models to load inside the first file's timeout).
_WARMUP_TEXT = (
    "示例县人民政府2023年政府信息公开工作年度报告\n"
    "本报告根据《中华人民共和国政府信息公开条例》编制，统计期限为2023年1月1日至2023年12月31日。\n"
    "一、总体情况\n2023年，我县通过政府门户网站主动公开政府信息1200条，收到政府信息公开申请3件，均按期答复。\n"
    "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n"
    "五、存在的主要问题及改进情况\n信息发布不够及时。下一步，我县将建立信息发布台账，每月通报更新情况。\n"
    "六、其他需要报告的事项\n本年度未收取信息处理费。\n示例县人民政府\n2024年1月20日\n"
)


def _init_worker() -> None:
    """Load rule modules, lexicons and NLP models once per worker process."""
    import tempfile

    from .pipeline import audit_file
    from .rules import load_all_rules

    logging.disable(logging.WARNING)
    try:
        load_all_rules()
        with tempfile.TemporaryDirectory(prefix="nianbao-warmup-") as tmp:
            warm = Path(tmp) / "warmup.txt"
            warm.write_text(_WARMUP_TEXT, encoding="utf-8")
            audit_file(warm, Config())
    except Exception:  # a broken rule module shows up as internal_error on every file, not as a dead pool
        log.debug("worker warm-up failed", exc_info=True)


def _peak_rss_mb() -> float:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux
    except Exception:  # pragma: no cover  (not on Linux)
        return 0.0


def scan_task(path: str, config: Config) -> dict[str, Any]:
    """Read and structure one file: what pairing needs."""
    from .copy import identity_key
    from .pipeline import build_report

    t0, c0 = time.perf_counter(), time.process_time()
    rec: dict[str, Any] = {"kind": "scan", "path": path}
    try:
        report = build_report(path, config)  # raises not_a_report for READMEs, spreadsheets, blank templates
        rec.update(ok=True, unit=report.unit, year=report.year, level=report.level, is_excerpt=report.is_excerpt,
                   identity=identity_key(report.text))
    except NianbaoError as err:
        rec.update(ok=False, code=err.code)
    except Exception as exc:  # a bug: the audit stage will record it as internal_error
        rec.update(ok=False, code="internal_error", message=f"{type(exc).__name__}: {exc}")
    rec["seconds"] = round(time.perf_counter() - t0, 4)
    rec["cpu"] = round(time.process_time() - c0, 4)
    return rec


def audit_task(path: str, previous: str | None, config: Config, html_dir: str | None) -> dict[str, Any]:
    """Audit one file exactly as ``nianbao audit`` does; add the copy-detection features of its report."""
    from .copy import copy_features
    from .pipeline import audit_file

    t0, c0 = time.perf_counter(), time.process_time()
    audit = audit_file(path, config, previous)
    seconds = time.perf_counter() - t0
    rec: dict[str, Any] = {"kind": "audit", "path": path, "previous": previous, "audit": audit.to_dict()}
    try:
        rec["copy"] = copy_features(audit.report) if audit.report is not None else None
    except Exception as exc:  # copy features are extra: never lose the audit for them
        log.debug("copy features failed for %s", path, exc_info=True)
        rec["copy"] = None
        rec["copy_error"] = f"{type(exc).__name__}: {exc}"
    if html_dir and audit.report is not None:
        rec["html"] = _write_html(audit, Path(html_dir))
    rec["seconds"] = round(seconds, 4)
    rec["cpu"] = round(time.process_time() - c0, 4)
    rec["rss_mb"] = round(_peak_rss_mb(), 1)
    return rec


def html_name(path: str) -> str:
    return f"{Path(path).stem}-{hashlib.sha1(path.encode('utf-8')).hexdigest()[:8]}.html"


def _write_html(audit: Audit, html_dir: Path) -> str:
    from .io import write_atomic
    from .render.html import render_report

    name = html_name(audit.file)
    write_atomic(html_dir / name, render_report(audit))
    return name


# ---------------------------------------------------------------- journal


class Journal:
    """Append-only JSONL: one header line, then one line per finished scan or audit (flushed at once)."""

    def __init__(self, path: Path, config_key: str, resume: bool):
        self.path = path
        self.scans: dict[str, dict[str, Any]] = {}
        self.audits: dict[str, dict[str, Any]] = {}
        self.reset_reason: str | None = None
        if resume and path.exists():
            self._load(config_key)
        else:
            if path.exists():
                self.reset_reason = "no --resume: starting afresh"
            self._start(config_key)
        self._fh = open(path, "a", encoding="utf-8")

    def _start(self, config_key: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "w", encoding="utf-8") as fh:
            fh.write(json.dumps({"kind": "header", "version": JOURNAL_VERSION, "config": config_key}) + "\n")

    def _load(self, config_key: str) -> None:
        with open(self.path, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        header = None
        for line in lines:
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:  # the last line of a killed run may be cut short
                continue
            if header is None:
                header = rec
                if rec.get("kind") != "header" or rec.get("config") != config_key or rec.get("version") != JOURNAL_VERSION:
                    self.reset_reason = "the journal was written with another configuration: starting afresh"
                    self._start(config_key)
                    return
                continue
            if rec.get("kind") == "scan":
                self.scans[rec["path"]] = rec
            elif rec.get("kind") == "audit":
                self.audits[rec["path"]] = rec
        if header is None:
            self._start(config_key)
        elif lines and lines[-1].strip():
            # a cut-off last line: terminate it so the next record starts on its own line
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write("\n")

    def append(self, rec: dict[str, Any]) -> None:
        self._fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        self._fh.flush()
        (self.scans if rec["kind"] == "scan" else self.audits)[rec["path"]] = rec

    def close(self) -> None:
        self._fh.close()


def config_key(config: Config) -> str:
    """Journal entries are reused only under the same configuration and the same nianbao version."""
    data = asdict(config)
    data.pop("source", None)
    data["_version"] = _nianbao_version()
    blob = json.dumps(data, sort_keys=True, default=lambda o: sorted(o) if isinstance(o, set) else str(o))
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()[:16]


def _nianbao_version() -> str:
    try:
        from importlib.metadata import version

        return version("nianbao")
    except Exception:
        return "dev"


def journal_path_for(output: Path | None, html_dir: Path | None = None) -> Path:
    """Beside the output (``r.xlsx`` → ``r.xlsx.journal.jsonl``), else in the HTML folder, else the current folder."""
    if output is not None:
        return output.with_name(output.name + ".journal.jsonl")
    if html_dir is not None:
        return Path(html_dir) / "nianbao-batch.journal.jsonl"
    return Path("nianbao-batch.journal.jsonl")


# ---------------------------------------------------------------- progress


class _Progress:
    """A rich progress bar on a terminal; plain periodic lines on stderr otherwise; nothing when disabled."""

    def __init__(self, enabled: bool, console: Any = None):
        self.enabled = enabled
        self.console = console
        self._rich = None
        self._task = None
        self._plain_last = 0.0
        self._t0 = 0.0
        self._total = 0
        self._done = 0
        self._label = ""

    def start(self, label: str, total: int) -> None:
        self._label, self._total, self._done, self._t0 = label, total, 0, time.monotonic()
        if not self.enabled or total == 0:
            return
        stream_is_tty = sys.stderr.isatty() if self.console is None else self.console.is_terminal
        if stream_is_tty:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                       TimeRemainingColumn)

            console = self.console or Console(stderr=True)
            self._rich = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"),
                                  TimeRemainingColumn(), console=console, transient=False)
            self._rich.start()
            self._task = self._rich.add_task(label, total=total, rate="")
        else:
            self._plain_last = time.monotonic()
            self._line()

    def advance(self) -> None:
        self._done += 1
        if not self.enabled:
            return
        if self._rich is not None:
            elapsed = max(time.monotonic() - self._t0, 1e-6)
            self._rich.update(self._task, advance=1, rate=f"{self._done / elapsed:.1f}/s")
        elif self._total and (time.monotonic() - self._plain_last >= 5 or self._done == self._total):
            self._plain_last = time.monotonic()
            self._line()

    def _line(self) -> None:
        elapsed = max(time.monotonic() - self._t0, 1e-6)
        rate = self._done / elapsed
        eta = (self._total - self._done) / rate if rate > 0 else float("nan")
        msg = f"[nianbao batch] {self._label} {self._done}/{self._total} ({rate:.1f} files/s"
        msg += f", ETA {eta:.0f}s)" if eta == eta else ")"
        print(msg, file=sys.stderr, flush=True)

    def stop(self) -> None:
        if self._rich is not None:
            self._rich.stop()
            self._rich = None


# ---------------------------------------------------------------- pool


def _open_pool(jobs: int, reproducible: bool = False) -> Any:
    """A pebble pool. ``reproducible``: workers are fresh interpreters with a fixed string-hash seed, so that any
    check whose output depends on set iteration order still gives the same result in every batch run (forked
    workers would inherit this process's random seed)."""
    import multiprocessing

    from pebble import ProcessPool

    if not reproducible:
        return ProcessPool(max_workers=max(1, jobs), initializer=_init_worker)
    return ProcessPool(max_workers=max(1, jobs), initializer=_init_worker,
                       context=multiprocessing.get_context("spawn"))


class _FixedHashSeed:
    """Set PYTHONHASHSEED for the worker interpreters started (and restarted) during a batch."""

    def __enter__(self) -> "_FixedHashSeed":
        self.saved = os.environ.get("PYTHONHASHSEED")
        os.environ["PYTHONHASHSEED"] = "0"
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.saved is None:
            os.environ.pop("PYTHONHASHSEED", None)
        else:
            os.environ["PYTHONHASHSEED"] = self.saved


def _run_pool(tasks: list[tuple[str, Callable[..., dict[str, Any]], tuple]], jobs: int, timeout: float,
              on_done: Callable[[str, dict[str, Any] | None, str | None, str], None], pool: Any = None) -> None:
    """Run ``tasks`` (key, fn, args) on a pebble pool; call ``on_done(key, result, error_code, message)`` for each.

    Results arrive in completion order; callers store them by key, so order never reaches the output. A task past
    ``timeout`` is cancelled (pebble kills its worker and starts a new one); a worker that dies is replaced too.
    """
    if not tasks:
        return
    if pool is None:
        with _open_pool(jobs) as own:
            try:
                _run_pool(tasks, jobs, timeout, on_done, own)
            except BaseException:
                own.stop()
                raise
        return
    from pebble import ProcessExpired

    pending = {}
    for key, fn, args in tasks:
        fut = pool.schedule(fn, args=args, timeout=timeout if timeout and timeout > 0 else None)
        pending[fut] = key
    while pending:
        done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for fut in sorted(done, key=lambda f: pending[f]):
            key = pending.pop(fut)
            try:
                result = fut.result()
            except FutureTimeout:
                on_done(key, None, "timeout", f"{key}: auditing took longer than {timeout:g} s; the worker was stopped")
            except ProcessExpired as exc:
                on_done(key, None, "worker_died", f"{key}: the worker process died (exit code {exc.exitcode})")
            except Exception as exc:  # an exception escaping the task itself (should not happen)
                on_done(key, None, "internal_error", f"{key}: internal error ({type(exc).__name__}: {exc})")
            else:
                on_done(key, result, None, "")


# ---------------------------------------------------------------- pairing


def pair_previous(scans: dict[str, dict[str, Any]], targets: list[str], pool_paths: list[str]) -> dict[str, str | None]:
    """For each target, the same unit's most recent earlier report among ``pool_paths`` (or None).

    The same report in two formats (identical text) never pairs with itself, and among several files for the same
    earlier year the first path in sorted order is used.
    """
    from .copy import unit_key

    by_unit: dict[str, list[tuple[int, str]]] = {}
    for p in sorted(pool_paths):
        s = scans.get(p)
        if not s or not s.get("ok") or s.get("year") is None or s.get("is_excerpt"):
            continue
        key = unit_key(s.get("unit"))
        if key:
            by_unit.setdefault(key, []).append((int(s["year"]), p))
    out: dict[str, str | None] = {}
    for t in targets:
        s = scans.get(t)
        out[t] = None
        if not s or not s.get("ok") or s.get("year") is None:
            continue
        key = unit_key(s.get("unit"))
        cands = [(y, p) for y, p in by_unit.get(key or "", []) if y < int(s["year"])
                 and scans[p].get("identity") != s.get("identity")]
        if cands:
            best_year = max(y for y, _ in cands)
            out[t] = min(p for y, p in cands if y == best_year)
    return out


# ---------------------------------------------------------------- main entry


def run_batch(paths: list[str], *, output: Path | None, jobs: int, previous_dir: Path | None, resume: bool,
              config: Config, timeout: float, html_dir: Path | None = None, progress: bool = True,
              console: Any = None, stats: dict[str, Any] | None = None) -> int:
    """Run a batch; return the exit code (0 clean, 1 findings at ``config.fail_level`` or files that failed,
    2 could not run, 130 interrupted — the journal keeps the work done so far).

    ``stats``, when given, receives the wall time of each stage (for ``benchmarks/batch_throughput.py``).
    """
    stats = stats if stats is not None else {}
    t_start = time.perf_counter()
    from rich.console import Console

    from .copy import cross_report
    from .render.tables_out import build_rows, print_summary, write_outputs

    console = console or Console(stderr=True)
    output = Path(output) if output is not None else None
    if output is not None and output.suffix.lower() not in (".csv", ".xlsx", ".jsonl"):
        console.print(f"nianbao batch: unsupported output {output} (use .xlsx, .csv or .jsonl)")
        return 2
    journal_file = journal_path_for(output, html_dir)
    exclude = [journal_file] + ([output] if output else []) + ([html_dir] if html_dir else [])
    files = expand_inputs(paths, exclude)
    if not files:
        console.print("nianbao batch: no input files")
        return 2
    prev_files = expand_inputs([previous_dir], exclude) if previous_dir else []
    prev_only = [p for p in prev_files if p not in set(files)]

    journal = Journal(journal_file, config_key(config), resume)
    if journal.reset_reason and resume:
        console.print(f"nianbao batch: {journal.reset_reason}")
    stamps = {p: _stamp(p) for p in files + prev_only}
    bar = _Progress(progress, console if progress else None)
    html_str = str(html_dir) if html_dir else None
    if html_dir:
        html_dir.mkdir(parents=True, exist_ok=True)
    pool = None
    previous_sigterm = _raise_on_sigterm()
    seed = _FixedHashSeed().__enter__()
    try:
        # 2. scan
        scan_todo = [p for p in files + prev_only
                     if not (p in journal.scans and journal.scans[p].get("stamp") == stamps[p])]
        bar.start("scan ", len(scan_todo))
        t_stage = time.perf_counter()

        def scan_done(key: str, rec: dict | None, code: str | None, message: str) -> None:
            rec = rec or {"kind": "scan", "path": key, "ok": False, "code": code, "message": message}
            rec["stamp"] = stamps[key]
            journal.append(rec)
            bar.advance()

        audit_pending = any(
            not (p in journal.audits and journal.audits[p].get("stamp") == stamps[p]) for p in files)
        if scan_todo or audit_pending:
            pool = _open_pool(jobs, reproducible=True)  # one pool for both stages: models loaded once per worker
        _run_pool([(p, scan_task, (p, config)) for p in scan_todo], jobs, timeout, scan_done, pool)
        bar.stop()

        stats["scan_s"] = time.perf_counter() - t_stage

        # 3. pair
        previous = pair_previous(journal.scans, files, files + prev_only)

        # 4. audit
        def audit_is_current(p: str) -> bool:
            rec = journal.audits.get(p)
            return bool(rec) and rec.get("stamp") == stamps[p] and rec.get("previous") == previous[p] \
                and (previous[p] is None or rec.get("prev_stamp") == stamps.get(previous[p]))

        audit_todo = [p for p in files if not audit_is_current(p)]
        bar.start("audit", len(audit_todo))
        t_stage = time.perf_counter()

        def audit_done(key: str, rec: dict | None, code: str | None, message: str) -> None:
            if rec is None:
                err = Audit(file=key, error=AuditError(code=code or "internal_error", message=message))
                rec = {"kind": "audit", "path": key, "previous": previous[key], "audit": err.to_dict(), "copy": None}
            rec["stamp"] = stamps[key]
            rec["prev_stamp"] = stamps.get(previous[key]) if previous[key] else None
            journal.append(rec)
            bar.advance()

        if audit_todo and pool is None:
            pool = _open_pool(jobs, reproducible=True)
        _run_pool([(p, audit_task, (p, previous[p], config, html_str)) for p in audit_todo], jobs, timeout,
                  audit_done, pool)
        bar.stop()
        stats["audit_s"] = time.perf_counter() - t_stage
        if pool is not None:
            pool.close()
            pool.join()
    except KeyboardInterrupt:
        bar.stop()
        if pool is not None:
            pool.stop()
            pool.join()
        journal.close()
        console.print(f"nianbao batch: interrupted; finished work is kept in {journal_file} "
                      f"(run again with --resume to continue)")
        return 130
    except BaseException:
        if pool is not None:
            pool.stop()
            pool.join()
        journal.close()
        raise
    finally:
        _restore_sigterm(previous_sigterm)
        seed.__exit__()
    journal.close()

    # 5. cross-report copying (computed over the distinct, complete reports of this batch)
    records = [journal.audits[p] for p in files]
    docs = [dict(r["copy"], path=r["path"]) for r in records if r.get("copy")]
    t_stage = time.perf_counter()
    cross = cross_report(docs)
    stats["cross_s"] = time.perf_counter() - t_stage

    # 6. outputs
    t_stage = time.perf_counter()
    rows = build_rows(records, journal.scans, cross, config)
    if output is not None:
        write_outputs(output, rows, records, cross, config)
    stats["output_s"] = time.perf_counter() - t_stage
    stats["total_s"] = time.perf_counter() - t_start
    stats["files"] = len(files)
    if html_dir:
        _write_html_index(html_dir, rows, {r["path"]: r.get("html") for r in records})
    print_summary(rows, records, cross, config, console, output)

    fail_level = SEVERITY_ORDER.get(config.fail_level, 2)
    bad = any(r["status"] == "failed" for r in rows) or any(
        SEVERITY_ORDER.get(f["severity"], 0) >= fail_level for r in records for f in r["audit"].get("findings", []))
    return 1 if bad else 0


def _raise_on_sigterm() -> Any:
    """`kill PID` stops a batch like Ctrl-C: workers stopped, journal kept (only possible in the main thread)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, handler)


def _restore_sigterm(previous: Any) -> None:
    import signal

    if previous is not None:
        signal.signal(signal.SIGTERM, previous)


def _write_html_index(html_dir: Path, rows: list[dict[str, Any]], pages: dict[str, str | None]) -> None:
    from .io import write_atomic
    from .render.html import render_index

    write_atomic(html_dir / "index.html", render_index([dict(r, html=pages.get(r["path"])) for r in rows]))
