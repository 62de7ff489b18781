"""Temporary folders that cannot outlive their run unnoticed.

Every temp folder this tool makes is named `<kind>-<pid>-<random>` and lives in one of two
known areas: a snapshot root's own `.tmp/` (builds: the partial snapshot and its work files,
on the same filesystem so the final rename is atomic) or the one validation area
(`$DQ_WORK_DIR`, default `$TMPDIR/dq-work/`: validations and uploads). A run removes its
folder when it ends, however it ends; a run that was killed (`kill -9`, OOM killer, power)
cannot, so the next run sweeps folders whose pid is no longer alive, and `python -m dq doctor`
reports (and with `--clean` removes) them, plus leftovers of older versions that had no pid.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

NAME_RX = re.compile(r"^(?P<kind>[a-z]+)-(?P<pid>\d+)-[A-Za-z0-9_]+(\.[a-z]+)?$")   # .parts: the engine's slices beside a partial
# older versions' leftovers: no pid in the name, so only `doctor --clean` removes them
# …and only once untouched this long, since without a pid a live run cannot be told apart
LEGACY_AGE_S = 2 * 3600
LEGACY_RX = re.compile(r"^(\.\d{4}-\d{2}-\d{2}\.partial-.*|dq-(work|validate|upload|bench)-.*)$")


def validation_area() -> Path:
    return Path(os.environ.get("DQ_WORK_DIR") or Path(tempfile.gettempdir()) / "dq-work")


def build_area(root: Path) -> Path:
    return Path(root) / ".tmp"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:     # someone else's live process
        return True
    return True


def new(area: Path, kind: str) -> Path:
    """A fresh folder `<kind>-<pid>-<random>` in `area`, after sweeping dead runs' folders there."""
    area = Path(area)
    area.mkdir(parents=True, exist_ok=True)
    sweep(area)
    return Path(tempfile.mkdtemp(prefix=f"{kind}-{os.getpid()}-", dir=area))


def _size(p: Path) -> int:
    total = 0
    for dirpath, _, files in os.walk(p):
        for f in files:
            try:
                total += os.lstat(os.path.join(dirpath, f)).st_size
            except OSError:
                pass
    return total


def leftovers(area: Path, legacy: bool = False) -> list[dict]:
    """Folders in `area` whose run is dead; with legacy=True (an area shared with other
    programs, like /tmp) only older versions' pid-less leftovers, matched by their names."""
    area = Path(area)
    out = []
    if not area.is_dir():
        return out
    for p in sorted(area.iterdir()):
        m = None if legacy else NAME_RX.match(p.name)
        if m and not _alive(int(m["pid"])):
            out.append({"path": p, "why": f"pid {m['pid']} ended", "bytes": _size(p)})
        elif legacy and LEGACY_RX.match(p.name) and p.is_dir() and time.time() - p.stat().st_mtime > LEGACY_AGE_S:
            out.append({"path": p, "why": "left by an older version (no pid)", "bytes": _size(p)})
    return out


def sweep(area: Path, legacy: bool = False) -> list[dict]:
    found = leftovers(area, legacy)
    for d in found:
        shutil.rmtree(d["path"], ignore_errors=True) if d["path"].is_dir() else d["path"].unlink(missing_ok=True)
    return found


def areas(snapshot_roots: list[Path]) -> list[tuple[Path, bool]]:
    """(folder, look for legacy leftovers) for every place this tool puts temp folders."""
    out = [(validation_area(), False), (Path(tempfile.gettempdir()), True)]
    for r in snapshot_roots:
        out += [(build_area(r), False), (Path(r), True)]
    return out


def doctor(snapshot_roots: list[Path], clean: bool = False, out=print) -> int:
    """Report (and with clean=True remove) leftovers; returns how many were found."""
    n = 0
    for area, legacy in areas(snapshot_roots):
        for d in (sweep(area, legacy) if clean else leftovers(area, legacy)):
            n += 1
            out(f"{'removed' if clean else 'leftover'}: {d['path']}  ({d['bytes'] / 2**20:,.1f} MB; {d['why']})")
    if not n:
        out("no leftovers: every temp folder belongs to a running process")
    elif not clean:
        out(f"{n} leftover folder(s); `python -m dq doctor --clean` removes them")
    return n
