"""The Validate page's work, run outside the web server: `python -m dq validate` in a child process.

A hostile or huge upload must not take the dashboard down with it, so the page never parses a
file itself. The child gets DuckDB's memory budget (DQ_MEMORY_LIMIT, spilling beyond it) and an
address-space cap (DQ_VALIDATE_AS_MB) so a runaway is stopped by the kernel; its progress lines
become the phase the page shows; its result stays on disk (the page offers the annotated file
from there, never from session state). Everything lives in one job folder inside the validation
area (workdirs.py), removed when the user starts another job, and swept after MAX_AGE_H.
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import workdirs
from .paths import ROOT

UPLOAD_MAX_CELLS = 100_000_000     # a 100 MB CSV has at most ~50M cells ("a," per cell)
AS_MB = int(os.environ.get("DQ_VALIDATE_AS_MB", "8192"))   # address space, not RSS: DuckDB reserves far more than it uses
MAX_AGE_H = 6
# progress lines of `dq validate` → the phase shown on the page (i18n keys)
PHASES = [(re.compile(r"^reading|rewriting|rows$"), "phase_reading"),
          (re.compile(r"staged|checking|classified|matched|enriched|checks"), "phase_checking"),
          (re.compile(r"^writing|aggregat|written"), "phase_writing")]


@dataclasses.dataclass
class Job:
    folder: Path
    name: str           # the uploaded file's own name (no folders)
    pid: int

    @property
    def out(self) -> Path:
        return self.folder / "out"

    @property
    def input(self) -> Path:
        """The upload as the job got it (start): a re-run with another profile reads it again."""
        return self.folder / "in" / self.name

    @property
    def annotated(self) -> Path:
        return self.out / "annotated.csv"

    @property
    def report(self) -> Path:
        return self.out / "report.html"

    @property
    def report_en(self) -> Path:
        return self.out / "report_en.html"


def safe_name(name: str) -> str:
    """The upload's name reduced to a plain file name (no folders, no control characters)."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in "\x00").strip(" .") or "upload"
    return base[-120:]


def _cap(pid: int) -> None:
    # set from outside (prlimit) rather than in a preexec_fn, which is unsafe in a threaded server;
    # the child is still starting Python when this lands
    cap = AS_MB * 1024 * 1024
    try:
        resource.prlimit(pid, resource.RLIMIT_AS, (cap, cap))
    except (OSError, AttributeError):     # not Linux: DuckDB's own memory limit still holds
        pass


def _sweep_old(area: Path) -> None:
    """Jobs of this server are alive by pid; drop those nobody has looked at for MAX_AGE_H."""
    if not area.is_dir():
        return
    now = time.time()
    for p in area.iterdir():
        if p.name.startswith("job-") and now - p.stat().st_mtime > MAX_AGE_H * 3600:
            shutil.rmtree(p, ignore_errors=True)


def start(data, name: str, date: str | None = None, column_map: dict[str, str] | None = None,
          profile: str | None = None, sheet: str | None = None) -> Job:
    """Write the upload (bytes, a file object or an earlier job's input file, copied in chunks) to a
    new job folder and start."""
    area = workdirs.validation_area()
    _sweep_old(area)
    folder = workdirs.new(area, "job")
    fname = safe_name(name)
    src = folder / "in" / fname
    src.parent.mkdir()
    with open(src, "wb") as f:
        if isinstance(data, (bytes, bytearray)):
            f.write(data)
        elif isinstance(data, Path):
            with open(data, "rb") as g:
                shutil.copyfileobj(g, f, 1 << 20)
        else:
            shutil.copyfileobj(data, f, 1 << 20)
    cmd = [sys.executable, "-m", "dq", "validate", str(src), "--out", str(folder / "out")]
    if date:
        cmd += ["--date", date]
    for src_col, term in (column_map or {}).items():     # an argument list: no shell, nothing to escape
        cmd += ["--map", f"{src_col}={term}"]
    if profile:
        cmd += ["--profile", profile]
    if sheet:
        cmd += [f"--sheet={sheet}"]     # one argument: a sheet named "-x" is no option
    # an upload is at most MAX_MB; a Parquet file of that size can hold far more cells than any CSV of it
    # (repeated values compress to nothing): capped at what a 100 MB CSV could hold at most
    env = dict(os.environ, DQ_WORK_DIR=str(area), PYTHONUNBUFFERED="1", DQ_ERROR_FILE=str(folder / "error.json"),
               DQ_MAX_PARQUET_CELLS=os.environ.get("DQ_MAX_PARQUET_CELLS", str(UPLOAD_MAX_CELLS)))
    env.pop("DQ_DEBUG", None)
    with open(folder / "log.txt", "wb") as log:
        p = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             env=env, start_new_session=True)
    _cap(p.pid)
    (folder / "pid").write_text(str(p.pid))
    job = Job(folder, fname, p.pid)
    _PROCS[p.pid] = p
    return job


_PROCS: dict[int, subprocess.Popen] = {}


def _log(job: Job) -> list[str]:
    try:
        return (job.folder / "log.txt").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def status(job: Job) -> tuple[str, str | None]:
    """('running', phase key) | ('done', None) | ('failed', None)."""
    p = _PROCS.get(job.pid)
    code = p.poll() if p else (0 if (job.out / "summary.json").exists() else -1)
    if code is None:
        phase = "phase_reading"
        for ln in _log(job):
            for rx, key in PHASES:
                if rx.search(ln.strip()):
                    phase = key
        return "running", phase
    _PROCS.pop(job.pid, None)
    return ("done", None) if code == 0 and (job.out / "summary.json").exists() else ("failed", None)


# `<phase>: <done> / <total> rows` (dq/snapshot.py rows_progress): the rows a long pass has done
ROWS_RX = re.compile(r"^(\w+): ([\d,]+) / ([\d,]+) rows$")


def rows(job: Job) -> tuple[int, int] | None:
    """(rows done, rows in all) of the pass running now, from the last progress line; None
    when the last line is not a count (a phase without one is starting)."""
    lines = [ln.strip() for ln in _log(job) if ln.strip()]
    m = ROWS_RX.match(lines[-1]) if lines else None
    if not m:
        return None
    return int(m.group(2).replace(",", "")), int(m.group(3).replace(",", ""))


def wait(job: Job, on_phase=lambda key: None, poll: float = 0.3, on_rows=None) -> str:
    """Until the job ends: `on_phase(key)` when the phase changes, `on_rows(key, done, total)`
    when a pass reports how many rows it has done."""
    last, last_rows = None, None
    while True:
        state, phase = status(job)
        if state != "running":
            return state
        if phase != last:
            on_phase(phase)
            last = phase
        r = rows(job)
        if on_rows and r and (phase, r) != last_rows:
            on_rows(phase, *r)
            last_rows = (phase, r)
        time.sleep(poll)


def error(job: Job) -> tuple[str, str]:
    """(zh-TW, English) sentence for a failed job: what the CLI wrote to DQ_ERROR_FILE
    (user-caused: exit 2), else a fixed sentence. Never the child's raw output."""
    try:
        e = json.loads((job.folder / "error.json").read_text(encoding="utf-8"))
        return e["zh"], e["en"]
    except (OSError, ValueError, KeyError):
        pass
    return ("檢核程序意外結束（可能超出記憶體或時間上限），請將檔案分批後再試，或改用命令列 python -m dq validate。",
            "The check stopped unexpectedly (probably the memory or time limit); split the file, or use "
            "python -m dq validate on the command line.")


def summary(job: Job) -> dict:
    return json.loads((job.out / "summary.json").read_text(encoding="utf-8"))


ZIP_OVER_MB = 50


def annotated_download(job: Job, lang: str = "zh") -> tuple[str, str]:
    """(file on disk, kind) to offer: the annotated file as a reader reads it in `lang` (headings and
    check titles in words: validate.readable_annotated), or above ZIP_OVER_MB a zip of it (written
    once, streamed, ~10x smaller), since a download is held in the server's memory while offered."""
    from .validate import readable_annotated
    readable = job.out / f"annotated_{'en' if lang == 'en' else 'zh'}.csv"
    if not readable.exists():
        try:
            readable_annotated(job.annotated, readable, lang)
        except Exception:   # noqa: BLE001 — the file as written is still the answer: offered rather than nothing
            readable = job.annotated
    if readable.stat().st_size <= ZIP_OVER_MB * 2**20:
        return str(readable), "csv"
    z = readable.with_suffix(".zip")
    if not z.exists():
        import zipfile
        tmp = z.with_suffix(".part")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            zf.write(readable, f"{Path(job.name).stem}_{'annotated' if lang == 'en' else '檢核結果'}.csv")
        tmp.rename(z)
    return str(z), "zip"


def cancel(job: Job) -> None:
    p = _PROCS.pop(job.pid, None)
    if p and p.poll() is None:
        p.kill()
        p.wait()


def remove(job: Job) -> None:
    cancel(job)
    shutil.rmtree(job.folder, ignore_errors=True)
