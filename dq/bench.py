"""`python -m dq bench`: figures, not a timed test.

For each size it resamples the real BBS Taiwan rows (occurrence ⋈ event) to N rows, injects
known faults into a fixed share (swapped, zeroed and TWD97-metre coordinates, ROC dates, text
counts, misspelt names), builds a snapshot in a child process, and prints: ingest rows/s, the
check-catalogue seconds, a bare DuckDB scan of the same columns (the floor), their ratio, and
the child's peak RSS.
"""
from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import duck
from .demo import bbs_joined

COLS = ["decimalLatitude", "decimalLongitude", "geodeticDatum", "eventDate", "scientificName", "vernacularName",
        "individualCount", "recordedBy", "occurrenceID", "locality", "coordinateUncertaintyInMeters"]


def make_input(n: int, out: Path, work: Path) -> Path:
    base = bbs_joined(work / "bbs.parquet")
    con = duck.connect(spatial=False)
    nb = con.execute(f"SELECT count(*) FROM read_parquet({duck.q(base)})").fetchone()[0]
    con.execute(f"""COPY (
      WITH b AS (SELECT *, row_number() OVER () - 1 AS k FROM read_parquet({duck.q(base)})),
      r AS (SELECT range AS i, (hash(range) % {nb})::BIGINT AS k FROM range({int(n)})),
      s AS (SELECT r.i, b.* EXCLUDE (k) FROM r JOIN b USING (k))
      SELECT occurrenceID || '#' || i AS occurrenceID, basisOfRecord, recordedBy,
        CASE WHEN i % 997 = 0 THEN '10~19' ELSE individualCount::VARCHAR END AS individualCount,
        eventID, CASE WHEN i % 1013 = 0 THEN scientificName || 's' ELSE scientificName END AS scientificName,
        family, vernacularName, samplingProtocol, locality, geodeticDatum, coordinateUncertaintyInMeters,
        CASE WHEN i % 1009 = 0 THEN '0' || (year(eventDate) - 1911)::VARCHAR || strftime(eventDate, '-%m-%d')
             ELSE eventDate::VARCHAR END AS eventDate,
        CASE WHEN i % 1000 = 0 THEN decimalLongitude WHEN i % 1001 = 0 THEN 0 ELSE decimalLatitude END AS decimalLatitude,
        CASE WHEN i % 1000 = 0 THEN decimalLatitude WHEN i % 1003 = 0 THEN -decimalLongitude ELSE decimalLongitude END AS decimalLongitude
      FROM s) TO {duck.q(out)} (FORMAT parquet)""")
    con.close()
    return out


def _child(src: str, root: str) -> None:
    from .snapshot import SourceSpec, build
    t0 = time.time()
    m = build([SourceSpec(Path(src), agency="bench", dataset="bench")], "2026-11-22", Path(root) / "snap",
              Path(root), progress=lambda msg: None)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rows": m["rows_read"], "total_s": time.time() - t0, "ingest_s": m["timings_s"]["ingest"],
                      "checks_s": m["timings_s"]["checks"], "write_s": m["timings_s"]["write"], "rss_checks_mb": m["peak_rss_mb_after_checks"], "peak_rss_mb": peak_kb / 1024}))


def run(sizes: list[int]) -> None:
    for n in sizes:
        work = Path(tempfile.mkdtemp(prefix="dq-bench-"))
        try:
            src = make_input(n, work / f"bench_{n}.parquet", work)
            con = duck.connect(spatial=False)
            t0 = time.time()
            con.execute(f"SELECT {', '.join(f'count({c})' for c in COLS)} FROM read_parquet({duck.q(src)})").fetchall()
            scan = time.time() - t0
            con.close()
            out = subprocess.run([sys.executable, "-c", f"from dq.bench import _child; _child({str(src)!r}, {str(work)!r})"],
                                 capture_output=True, text=True)
            if out.returncode:
                print(out.stderr[-2000:])
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{n:>12,} rows | ingest {r['rows'] / max(r['ingest_s'], 1e-9):>12,.0f} rows/s | "
                  f"checks {r['checks_s']:7.1f} s | bare scan {scan:6.2f} s | ratio {r['checks_s'] / max(scan, 1e-9):7.1f}x | "
                  f"write {r['write_s']:6.1f} s | peak RSS after checks {r['rss_checks_mb']:6.0f} MB, overall {r['peak_rss_mb']:6.0f} MB | "
                  f"total {r['total_s']:.1f} s", flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)


PAGES = ["overview", "scorecard", "completeness", "coordinates", "coverage", "compare", "opendata", "validate", "rules", "record"]


def _page_child(name: str, agency: str | None, lang: str) -> None:
    """One page in a fresh process: 'cold' = its first render with empty caches (as on a just-started
    server, imports done), 'warm' = the mean of three reruns (a user's next click on the page)."""
    from streamlit.testing.v1 import AppTest
    from .demo import DEMO_DATE
    from .paths import ROOT
    from . import store
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["lang"] = lang
    if agency:
        at.query_params["agency"] = agency
    if name == "record":   # the first record of the newest snapshot that has a finding
        at.query_params["record"] = str(store._query(f"SELECT min(record_id) AS r FROM read_parquet({store._pq(store.by_name(DEMO_DATE), 'flags')})")["r"][0])
    if name != "overview":
        at.switch_page(f"pages/{name}.py")
    t0 = time.time()
    at.run()
    cold = time.time() - t0
    warm = []
    for _ in range(3):
        t1 = time.time()
        at.run()
        warm.append(time.time() - t1)
    err = at.exception[0].message[:80] if at.exception else None
    print(json.dumps({"cold": cold, "warm": sum(warm) / len(warm), "error": err}))


def _serve(port: int):
    """`streamlit run app.py` on a port, returned once it answers."""
    import urllib.request
    from .paths import ROOT
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
                             "--server.address", "127.0.0.1"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).read() == b"ok":
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("streamlit did not start")


def pages_browser(agency: str | None = None, lang: str = "zh") -> list[dict]:
    """Seconds until a page is drawn in headless Chromium (its run over, its maps' canvases there), as a
    user sees it: 'cold' = the first visit on a just-started server, 'warm' = coming back to it through the
    sidebar (mean of two; the record page, not in the sidebar, is reloaded by its link instead)."""
    import shutil
    import socket
    import urllib.parse
    from playwright.sync_api import sync_playwright
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    q = urllib.parse.urlencode({"lang": lang, **({"agency": agency} if agency else {}), "record": "10000000001"})
    from .i18n import t
    # drawn = this page's title is up, the run is over and every map has its canvas
    done = ("h => { const e = document.querySelector('h1'); return e && e.innerText.trim() === h && "
            "!document.querySelector('[data-testid=\"stStatusWidget\"]') && "
            "[...document.querySelectorAll('[data-testid=\"stDeckGlJsonChart\"]')].every(m => m.querySelector('canvas')); }")
    title = {"overview": "app_title", "record": "record_page"}
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--headless=new", "--no-sandbox", "--disable-gpu"])
        for name in PAGES:
            with socket.socket() as s_:
                s_.bind(("127.0.0.1", 0))
                port = s_.getsockname()[1]
            proc = _serve(port)
            try:
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                t0 = time.time()
                page.goto(f"http://127.0.0.1:{port}/{'' if name == 'overview' else name}?{q}")
                h1 = t(title.get(name, name), lang)
                page.wait_for_function(done, arg=h1, timeout=120_000, polling=50)
                cold = time.time() - t0
                warm = []
                for _ in range(2):   # leave for another page and come back through the sidebar, as a user does
                    page.click('[data-testid="stSidebarNav"] a[href$="/rules"]' if name != "rules" else
                               '[data-testid="stSidebarNav"] a[href$="/validate"]')
                    page.wait_for_function(done, arg=t("validate" if name == "rules" else "rules", lang), timeout=120_000, polling=50)
                    t1 = time.time()
                    if name == "record":   # not in the sidebar: reached by a link
                        page.goto(f"http://127.0.0.1:{port}/record?{q}")
                    else:
                        page.click(f'[data-testid="stSidebarNav"] a[href$="/{"" if name == "overview" else name}"]')
                    page.wait_for_function(done, arg=h1, timeout=120_000, polling=50)
                    warm.append(time.time() - t1)
                page.close()
            finally:
                proc.terminate()
                proc.wait(timeout=20)
            r = {"page": name, "cold": cold, "warm": sum(warm) / len(warm)}
            out.append(r)
            print(f"{name:14} browser cold {r['cold']:5.2f} s | warm {r['warm']:5.2f} s", flush=True)
        browser.close()
    return out


def pages(agency: str | None = None, lang: str = "zh") -> list[dict]:
    """Seconds per page on the demo snapshots, each page in its own process: cold (first render,
    empty caches) and warm (again, cached, as a user sees it on the next click); then the same in
    headless Chromium when Debian's chromium is installed (the script's time plus drawing)."""
    import shutil
    out = []
    for name in PAGES:
        r = subprocess.run([sys.executable, "-c", f"from dq.bench import _page_child; _page_child({name!r}, {agency!r}, {lang!r})"],
                           capture_output=True, text=True)
        lines = [x for x in r.stdout.strip().splitlines() if x.startswith("{")]
        if r.returncode or not lines:
            print(f"{name:14} FAILED {r.stderr[-300:]}", flush=True)
            continue
        res = json.loads(lines[-1]) | {"page": name}
        out.append(res)
        status = "ok" if not res["error"] else f"EXCEPTION {res['error']}"
        print(f"{name:14} script cold {res['cold']:5.2f} s | warm {res['warm']:5.2f} s | {status}", flush=True)
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        out += pages_browser(agency, lang)
    return out
