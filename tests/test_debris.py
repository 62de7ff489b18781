"""Temp folders: a build killed with SIGKILL leaves folders only in the snapshot root's own .tmp/,
the next run sweeps them, and `dq doctor` reports and cleans leftovers of dead runs."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import FIX


def _big_csv(path: Path, copies: int = 400) -> Path:
    # the 299 real frog rows, repeated: enough for a build that lasts a few seconds
    lines = (FIX / "frog_head.csv").read_text(encoding="utf-8-sig").splitlines()
    path.write_text("\n".join([lines[0]] + lines[1:] * copies) + "\n", encoding="utf-8")
    return path


def test_kill_minus_9_mid_build_leaves_no_debris_after_the_next_run(tmp_path):
    root = tmp_path / "snaps"
    src = _big_csv(tmp_path / "big.csv")
    env = dict(os.environ, DQ_WORK_DIR=str(tmp_path / "vwork"))
    p = subprocess.Popen([sys.executable, "-m", "dq", "ingest", str(src), "--snapshot", "2026-01-01", "--root", str(root)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.time() + 300
    while time.time() < deadline and p.poll() is None:
        work = list((root / ".tmp").glob("work-*/*")) if (root / ".tmp").exists() else []
        if any(w.name.endswith(".staged.parquet") or w.name == "work.duckdb" for w in work):
            break
        time.sleep(0.05)
    assert p.poll() is None, "the build ended before it could be killed"
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    left = sorted(x.name.split("-")[0] for x in (root / ".tmp").iterdir())
    assert left == ["partial", "work"]                  # debris only where it is known to be
    assert [x.name for x in root.iterdir()] == [".tmp"]   # no snapshot, no stray folder
    r = subprocess.run([sys.executable, "-m", "dq", "doctor", "--root", str(root)], capture_output=True, text=True, env=env)
    mine = [ln for ln in r.stdout.splitlines() if ln.startswith("leftover:") and str(root) in ln]
    assert r.returncode == 0 and len(mine) == 2 and all(f"pid {p.pid} ended" in ln for ln in mine)
    # the next run sweeps the dead run's folders before it starts
    r = subprocess.run([sys.executable, "-m", "dq", "ingest", str(FIX / "frog_head.csv"), "--snapshot", "2026-01-02",
                        "--root", str(root)], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr[-1000:]
    assert sorted(x.name for x in root.iterdir()) == ["2026-01-02"]
    snap = root / "2026-01-02"
    assert oct(snap.stat().st_mode & 0o777) != oct(0o700) and snap.stat().st_mode & 0o005 == 0o005   # readable by others
    r = subprocess.run([sys.executable, "-m", "dq", "doctor", "--root", str(root)], capture_output=True, text=True, env=env)
    assert str(root) not in r.stdout


def test_doctor_cleans_dead_runs_and_spares_live_ones(tmp_path, monkeypatch):
    from dq import workdirs
    monkeypatch.setenv("DQ_WORK_DIR", str(tmp_path / "v"))
    area = workdirs.validation_area()
    area.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (area / f"validate-{dead.pid}-abc").mkdir()
    (area / f"validate-{dead.pid}-abc" / "spill.tmp").write_bytes(b"x" * 1000)
    live = area / f"validate-{os.getpid()}-xyz"
    live.mkdir()
    out = []
    assert workdirs.doctor([tmp_path / "snaps"], clean=False, out=out.append) >= 1
    assert any(f"validate-{dead.pid}-abc" in ln for ln in out) and not any("xyz" in ln for ln in out)
    workdirs.doctor([tmp_path / "snaps"], clean=True, out=out.append)
    assert sorted(p.name for p in area.iterdir()) == [live.name]
    # a new validation folder sweeps dead ones by itself
    (area / f"validate-{dead.pid}-def").mkdir()
    new = workdirs.new(area, "validate")
    assert sorted(p.name for p in area.iterdir()) == sorted([live.name, new.name])

