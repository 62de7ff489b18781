"""`python -m dq bench`: figures, not a timed test.

For each size it resamples the real BBS Taiwan rows (occurrence ⋈ event), whole events at a time,
to N rows spread over 6 agencies and 42 datasets (constructed labels, named so), injects known faults into a fixed
share, and prints in one run: a bare DuckDB scan of the columns the checks read (the floor), the
pandas + shapely yardstick (dq/bench_pandas.py), and the whole build (read, derive, write) with
each phase in wall and CPU seconds, peak RSS, rows/s and the ratio to the bare scan. Every line
carries the load average: the machine is shared, and the CPU seconds are the figure other jobs
inflate least. Inputs and outputs live in a temporary folder (TMPDIR), never in the repository.
"""
from __future__ import annotations

import json
import os
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


# Constructed labels: the rows are real BBS Taiwan rows, the agencies and datasets they are spread
# over are not, and say so in their names.
AGENCIES = 6
DATASETS = 42


def make_input(n: int, out: Path, work: Path, shuffled: bool = False) -> Path:
    """N real BBS rows spread over AGENCIES × DATASETS, faults injected.

    The rows come as a survey's file holds them: whole BBS events (a count at one point on one
    day, ~11 rows), drawn with replacement, each event's rows together and in the BBS file's order.
    Every real file here is ordered so (BBS: 10.7 rows per event; the amphibian survey: a point's
    rows in runs of ~50, its dates ~15; the invasive-frog file: points ~3.6, dates ~7.9); rows
    drawn one by one put every row next to a stranger, which no file does. Datasets are
    contiguous runs of rows, as files from one survey are. The row order is part of the input:
    the file is written in it (an event at a dataset's edge is split between the two). `shuffled`: rows
    drawn one by one instead (the worst case: neighbours rarely share a point or a date; the bench's
    input before 12-06 at 10M rows, the same rows in the same order).

    Faults (each on a fixed share of rows, by row number): swapped, zeroed and negated
    coordinates, TWD97 metres in the degree fields (an approximate TM2 projection of the real
    point), ROC dates, ranges and negative counts, misspelt names, blank dates, a wrong basisOfRecord
    and a repeated occurrenceID.
    """
    base = bbs_joined(work / "bbs.parquet")
    con = duck.connect(spatial=False)
    # the wide rows are sorted into the input's order once, spilling beyond a build's own budget
    # (unbounded, the sort held 7.4 GB at 10M rows; the joins' output comes in no fixed order)
    duck.limit(con, work / "spill")
    unit = "pos" if shuffled else "eventID"     # what is drawn: a row, or a whole event
    con.execute(f"""CREATE TEMP TABLE b AS SELECT *, row_number() OVER () AS pos FROM read_parquet({duck.q(base)})""")
    nb, ne = con.execute(f"SELECT count(*), count(DISTINCT {unit}) FROM b").fetchone()
    # a margin of draws, not a bound (a draw may be a one-row event): for the BBS rows' 10.7 per event
    # every N up to 100M has 700 rows or more to spare; the count is checked below
    slots = int(1.25 * n * ne / nb) + 64
    # which base row each output row is, numbered in draw order: two integers a row (numbering the
    # wide rows themselves took 11.5 GB at 10M); the wide rows are joined to them once, then sorted
    con.execute(f"""CREATE TEMP TABLE k AS
      WITH u AS (SELECT {unit} AS unit, row_number() OVER (ORDER BY {unit}) - 1 AS e FROM (SELECT DISTINCT {unit} FROM b)),
      draw AS (SELECT range AS j, (hash(range) % {ne})::BIGINT AS e FROM range({slots})),
      r AS (SELECT row_number() OVER (ORDER BY d.j, b.pos) - 1 AS i, b.pos
            FROM draw d JOIN u USING (e) JOIN (SELECT pos, {unit} FROM b) b ON b.{unit} = u.unit)
      SELECT i, pos FROM r WHERE i < {int(n)}""")
    con.execute(f"""COPY (
      WITH r AS (SELECT k.i, b.* EXCLUDE (pos) FROM k JOIN b USING (pos)),
      s AS (SELECT *, (i * {DATASETS} // {max(int(n), 1)}) AS ds FROM r)
      SELECT 'constructed bench agency ' || (ds % {AGENCIES} + 1) AS publisher,
        'bench-ds-' || lpad(ds::VARCHAR, 2, '0') AS datasetID,
        'constructed bench dataset ' || ds || ' (real BBS Taiwan rows, resampled)' AS datasetName,
        CASE WHEN i % 1021 IN (1, 2) THEN 'bench-repeated-' || (i // 1021) ELSE occurrenceID || '#' || i END AS occurrenceID,
        CASE WHEN i % 1031 = 0 THEN 'Sighting' ELSE basisOfRecord END AS basisOfRecord, recordedBy,
        CASE WHEN i % 997 = 0 THEN '10~19' WHEN i % 1061 = 0 THEN '-1' ELSE individualCount::VARCHAR END AS individualCount,
        eventID, CASE WHEN i % 1013 = 0 THEN scientificName || 's' ELSE scientificName END AS scientificName,
        family, vernacularName, samplingProtocol, locality, geodeticDatum, coordinateUncertaintyInMeters,
        CASE WHEN i % 1009 = 0 THEN '0' || (year(eventDate) - 1911)::VARCHAR || strftime(eventDate, '-%m-%d')
             WHEN i % 1039 = 0 THEN NULL ELSE eventDate::VARCHAR END AS eventDate,
        CASE WHEN i % 1000 = 0 THEN decimalLongitude WHEN i % 1001 = 0 THEN 0
             WHEN i % 1049 = 0 THEN round(2433000 + (decimalLatitude - 22) * 110800, 2)
             ELSE decimalLatitude END AS decimalLatitude,
        CASE WHEN i % 1000 = 0 THEN decimalLatitude WHEN i % 1003 = 0 THEN -decimalLongitude
             WHEN i % 1049 = 0 THEN round(250000 + (decimalLongitude - 121) * 102900, 2)
             ELSE decimalLongitude END AS decimalLongitude
      FROM s ORDER BY i) TO {duck.q(out)} (FORMAT parquet)""")
    got = con.execute(f"SELECT count(*) FROM read_parquet({duck.q(out)})").fetchone()[0]
    con.close()
    if got != n:
        raise RuntimeError(f"bench input: {got:,} rows made, {n:,} asked (too few draws)")
    return out


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(src: str, root: str) -> None:
    from .snapshot import SourceSpec, build
    t0 = time.time()
    # agency and dataset come from the file's own publisher and datasetID columns, as in a real snapshot
    m = build([SourceSpec(Path(src))], "2026-11-22", Path(root) / "snap", Path(root), progress=lambda msg: None)
    r = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"rows": m["rows_read"], "total_s": time.time() - t0, "cpu_s": r.ru_utime + r.ru_stime,
                      "timings": m["timings_s"], "flags": m["flags"], "peak_rss_mb": peak_rss_mb()}))


def _in_child(code: str) -> dict | str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode:
        return out.stderr.strip()[-1500:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


PANDAS_MAX_ROWS = 20_000_000   # beyond this the pandas script does not fit in the machine's memory


def to_tsv(src: Path, out: Path) -> Path:
    """The Parquet input as a tab-delimited file with a header, as a GBIF download's occurrence file
    comes (numbers written by DuckDB as text, blanks as empty cells)."""
    con = duck.connect(spatial=False)
    con.execute(f"COPY (SELECT * FROM read_parquet({duck.q(src)})) TO {duck.q(out)} (FORMAT csv, HEADER true, DELIMITER '\t')")
    con.close()
    return out


def run(sizes: list[int], repeat: int = 1, pandas: bool = True, given: Path | None = None, tsv: bool = False,
        shuffled: bool = False) -> None:
    """For each size: the input (not timed), then, timed in one run: the bare scan, the pandas +
    shapely script and the whole build, each in its own process so peak RSS is its own.
    `given`: an input kept from an earlier run (a 100M one takes ~4 minutes and ~19 GB of spill to make).
    `tsv`: every reader reads the input as tab-delimited text (written from the Parquet, not timed).
    `shuffled`: the input's rows drawn one by one, not event by event (make_input)."""
    if given is not None:
        con = duck.connect(spatial=False)
        sizes = [con.execute(f"SELECT count(*) FROM read_parquet({duck.q(given)})").fetchone()[0]]
        con.close()
    for n in sizes:
        work = Path(tempfile.mkdtemp(prefix="dq-bench-"))
        try:
            t = time.time()
            if given is not None:
                src = Path(given)
                print(f"{n:,} rows: input {src} ({src.stat().st_size / 1e6:,.0f} MB) | {_load()}", flush=True)
            else:
                src = make_input(n, work / f"bench_{n}.parquet", work, shuffled)
                print(f"{n:,} rows: input built in {time.time() - t:.0f} s ({src.stat().st_size / 1e6:,.0f} MB, "
                      f"{AGENCIES} agencies, {DATASETS} datasets, {'rows drawn one by one' if shuffled else 'whole events drawn'})"
                      f" | {_load()}", flush=True)
            if tsv:
                t = time.time()
                src = to_tsv(src, work / f"bench_{n}.tsv")
                print(f"  as tab-delimited text: {src.stat().st_size / 1e6:,.0f} MB, written in {time.time() - t:.0f} s (not timed)", flush=True)
            scan_of = (f"read_csv({duck.q(src)}, delim='\t', header=true, all_varchar=true)" if tsv
                       else f"read_parquet({duck.q(src)})")
            for k in range(repeat):
                con = duck.connect(spatial=False)
                t0 = time.time()
                con.execute(f"SELECT {', '.join(f'count({c})' for c in COLS)} FROM {scan_of}").fetchall()
                scan = time.time() - t0
                con.close()
                print(f"  run {k + 1}: bare scan of the {len(COLS)} columns the checks read: {scan:.2f} s | {_load()}", flush=True)
                if pandas and n <= PANDAS_MAX_ROWS:
                    p = _in_child(f"import json; from pathlib import Path; from dq.bench_pandas import run; "
                                  f"print(json.dumps(run(Path({str(src)!r}), Path({str(work)!r}))))")
                    if isinstance(p, str):
                        print("  pandas + shapely script failed:", p)
                        p = None
                    else:
                        print(f"  pandas + shapely ({p['checks']} checks): {p['total_s']:.1f} s (CPU {p['cpu_s']:.1f} s), "
                              f"peak RSS {p['peak_rss_mb']:,.0f} MB | {_load()}", flush=True)
                else:
                    p = None
                    if pandas:
                        print(f"  pandas + shapely: not run above {PANDAS_MAX_ROWS:,} rows (the frame alone would not fit)")
                shutil.rmtree(work / "snap", ignore_errors=True)
                r = _in_child(f"from dq.bench import _child; _child({str(src)!r}, {str(work)!r})")
                if isinstance(r, str):
                    print("  build failed:", r)
                    continue
                ph, cpu = r["timings"]["phases"], r["timings"]["phases_cpu"]
                # a phase without CPU seconds of its own ran beside the others (the BDQ answers): its wall time only
                print("  build phases (wall s / CPU s): " + " | ".join(f"{k} {ph[k]:.1f}/{cpu[k]:.1f}" if k in cpu else
                                                                    f"{k} {ph[k]:.1f} beside the others" for k in ph))
                print(f"  build total {r['total_s']:.1f} s (CPU {r['cpu_s']:.1f} s) | peak RSS {r['peak_rss_mb']:,.0f} MB | "
                      f"{r['rows'] / r['total_s']:,.0f} rows/s | {r['total_s'] / max(scan, 1e-9):,.0f}x the bare scan"
                      + (f" | {p['total_s'] / r['total_s']:.2f}x the pandas script's speed" if p else "")
                      + f" | {_load()}", flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)


PAGES = ["overview", "scorecard", "completeness", "coordinates", "coverage", "compare", "opendata", "od_dataset", "validate", "rules",
         "record"]
HIDDEN = ("record",)   # pages not in the sidebar: reached by a link


def _od_dataset_key() -> tuple[str, str]:
    """(catalogue snapshot, dataset key) of the open-data page's default agency's first dataset."""
    from . import opendata
    s = opendata.default_snapshot()
    m = opendata.agency_metrics(s, "agency")
    return s.name, str(opendata.datasets(s, m["agency"].iloc[0])["dataset_key"].iloc[0])


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
        snap = store.snapshots()[-1] if os.environ.get("DQ_SNAPSHOT_ROOTS") else store.by_name(DEMO_DATE)
        at.query_params["record"] = str(store._query(f"SELECT min(record_id) AS r FROM read_parquet({store._pq(snap, 'flags')})")["r"][0])
    if name == "od_dataset":
        at.query_params["od"], at.query_params["ds"] = _od_dataset_key()
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
    """The dashboard as scripts/start.sh serves it (`python -m dq serve`) on a port, returned once it answers."""
    import urllib.request
    from .paths import ROOT
    proc = subprocess.Popen([sys.executable, "-m", "dq", "serve", "--server.headless", "true", "--server.port", str(port),
                             "--server.address", "127.0.0.1"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).read() == b"ok":
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("streamlit did not start")


# The WebGL context every map canvas gets, kept on the canvas (a page init script: `page.add_init_script(GL_HOOK)`),
# so DRAWN can read back what the map has drawn. A canvas element is there as soon as deck.gl mounts, long
# before anything is on it: without a GPU, the shaders of each layer type are compiled on every visit
# (0.3–1.2 s each in software WebGL), and a visit counted as drawn when its canvas appeared was
# timed up to a second short.
GL_HOOK = ("(() => { const g = HTMLCanvasElement.prototype.getContext; HTMLCanvasElement.prototype.getContext = function (k, a) {"
           " const c = g.call(this, k, a); if (c && (k === 'webgl2' || k === 'webgl')) this.__dq_gl = c; return c; }; })()")
# drawn = the page's title is up, Streamlit's run is over (stApp's script state, not the status
# widget: that one shows only after a delay, so a slow run looked finished), every chart has its SVG and
# every map its canvas with something drawn on it (read back from its WebGL context when GL_HOOK
# recorded it: deck.gl asks for preserveDrawingBuffer, so the last frame stays readable; without the
# hook, or on a map being taken down (its context lost), a canvas counts), and no element still a
# skeleton: Streamlit loads the map and chart components lazily and shows a skeleton until they are
# there, so without this test a page whose charts were still loading counted as drawn (a cold visit
# on a loaded machine: "drawn" at 3.0 s, the map and heatmap there at 8.4 s)
DRAWN = ("h => { const app = document.querySelector('[data-testid=\"stApp\"]'); const e = document.querySelector('h1');"
         " return app && app.getAttribute('data-test-script-state') === 'notRunning' && e && e.innerText.trim() === h &&"
         " !document.querySelector('[data-testid=\"stSkeleton\"]') &&"
         " [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')].every(m => m.querySelector('.main-svg')) &&"
         " [...document.querySelectorAll('[data-testid=\"stDeckGlJsonChart\"]')].every(m => { const c = m.querySelector('canvas');"
         "  if (!c) return false; const gl = c.__dq_gl; if (!gl || gl.isContextLost()) return true;"
         "  const w = gl.drawingBufferWidth, ht = gl.drawingBufferHeight, px = new Uint8Array(w * ht * 4);"
         "  gl.readPixels(0, 0, w, ht, gl.RGBA, gl.UNSIGNED_BYTE, px);"
         "  for (let i = 3; i < px.length; i += 4) if (px[i]) return true; return false; }); }")

WARM_VISITS = 5


def _drawn(page, h1: str) -> None:
    """Wait for DRAWN; on a timeout, say what the page showed (title, run state, maps, charts)."""
    try:
        page.wait_for_function(DRAWN, arg=h1, timeout=120_000, polling=50)
    except Exception:
        print(f"  not drawn (waiting for {h1!r}): {page.evaluate(DEBUG_STATE)}", flush=True)
        raise


DEBUG_STATE = """() => [document.querySelector('h1') && document.querySelector('h1').innerText, document.querySelector('[data-testid="stApp"]').getAttribute('data-test-script-state'),
  'skeletons: ' + document.querySelectorAll('[data-testid="stSkeleton"]').length,
  [...document.querySelectorAll('[data-testid="stDeckGlJsonChart"]')].map(m => { const c = m.querySelector('canvas'); const gl = c && c.__dq_gl; return [!!c, !!gl, gl && gl.isContextLost(), c && c.width, c && c.height]; }),
  [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(m => !!m.querySelector('.main-svg'))]"""


def pages_browser(agency: str | None = None, langs: tuple[str, ...] = ("zh", "en"), only: list[str] | None = None) -> list[dict]:
    """Seconds until a page is drawn in headless Chromium (DRAWN), as a user sees it: 'cold' = the first
    visit on a just-started server, 'warm' = coming back to it through the sidebar, WARM_VISITS times in
    each language (the median and the slowest; a page not in the sidebar is reached again by the
    browser's back button, as from its link). "scorecard+agency" is the scorecard of the first agency of
    the league table: its default fix list is the drill-down a user reaches first."""
    import shutil
    import socket
    import urllib.parse
    from playwright.sync_api import sync_playwright
    from . import store
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    od, ds = _od_dataset_key()
    newest = store.snapshots()[-1]
    first_agency = str(store.agency_league(newest)["agency"].iloc[0])
    rid = store._query(f"SELECT min(record_id) AS r FROM read_parquet({store._pq(newest, 'flags')})")["r"][0]
    from .i18n import t
    title = {"overview": "app_title", "record": "record_page", "scorecard+agency": "scorecard"}
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--headless=new", "--no-sandbox", "--disable-gpu",
                                                                    "--disable-background-networking"])
        for name in only or PAGES + ["scorecard+agency"]:
            path = name.split("+")[0]
            by_link = name in HIDDEN or "+" in name   # reached again through history, not the sidebar
            with socket.socket() as s_:
                s_.bind(("127.0.0.1", 0))
                port = s_.getsockname()[1]
            proc = _serve(port)
            try:
                cold, warm = None, {}
                for lang in langs:
                    q = urllib.parse.urlencode({"lang": lang, **({"agency": agency or first_agency} if agency or "+" in name else {}),
                                                "record": str(rid), "od": od, "ds": ds})
                    page = browser.new_page(viewport={"width": 1440, "height": 900})
                    page.add_init_script(GL_HOOK)
                    h1 = t(title.get(name, name), lang)
                    t0 = time.time()
                    page.goto(f"http://127.0.0.1:{port}/{'' if path == 'overview' else path}?{q}")
                    _drawn(page, h1)
                    # a sidebar click right after a deep link's first run now and then reached the other page in
                    # zh-TW (the session still settling): let it settle before leaving, as a reader would
                    time.sleep(1)
                    if cold is None:   # the server's first visitor; the other language's first visit is not timed
                        cold = time.time() - t0
                    warm[lang] = []
                    for _ in range(WARM_VISITS):   # leave for another page and come back, as a user does
                        other = "rules" if path != "rules" else "validate"
                        page.click(f'[data-testid="stSidebarNav"] a[href$="/{other}"]')
                        _drawn(page, t(other, lang))
                        t1 = time.time()
                        if by_link:
                            page.go_back()
                        else:
                            page.click(f'[data-testid="stSidebarNav"] a[href$="/{"" if path == "overview" else path}"]')
                        _drawn(page, h1)
                        warm[lang].append(time.time() - t1)
                    page.close()
            finally:
                proc.terminate()
                proc.wait(timeout=20)
            every = [x for v in warm.values() for x in v]
            r = {"page": name, "cold": cold, "warm": sorted(every)[len(every) // 2], "warm_max": max(every),
                 "over_1s": sum(x >= 1 for x in every), "visits": len(every), "by_lang": warm}
            out.append(r)
            per = " | ".join(f"{lang} median {sorted(v)[len(v) // 2]:.2f} slowest {max(v):.2f}" for lang, v in warm.items())
            print(f"{name:16} browser cold {r['cold']:5.2f} s | warm: {per} | slowest of {len(every)}: {r['warm_max']:.2f} s"
                  f"{' (' + str(r['over_1s']) + ' at 1 s or more)' if r['over_1s'] else ''} | {_load()}", flush=True)
        browser.close()
    return out


def _drill_child(snap: str) -> None:
    """The drill-downs' store calls on one snapshot in a fresh process, each the first time (what a
    page's first visitor waits for; a page caches the result by snapshot id afterwards)."""
    from . import store
    s = Path(snap)
    league = store.agency_league(s)
    ag = str(league["agency"].iloc[0])
    chg = store.check_change(s, ag, "zh")
    errs = [c for c in chg[chg["severity"] == "error"]["check_id"] if not c.startswith("MISSING_")]
    fl = store._query(f"SELECT min(record_id) AS r FROM read_parquet({store._pq(s, 'flags')})")
    rid = int(fl["r"][0])
    coord = [c for c in store.check_counts(s, "coordinates")["check_id"]
             if c not in ("COORD_MISSING", "COORD_NOT_NUMERIC", "COORD_UNCERTAINTY_MISSING", "COORD_LOW_PRECISION", "COORD_SRS_UNKNOWN")]
    worst = chg.sort_values("n", ascending=False)["check_id"].iloc[0]
    calls = [("record page: record", lambda: store.record(s, rid, "zh")),
             ("scorecard: examples", lambda: store.examples(s, worst, ag, 5, "zh")),
             ("scorecard: fix list (default)", lambda: store.fix_list(s, ag, errs, None, "zh")),
             ("coordinates: flagged points", lambda: store.flagged_points(s, coord, None, None, 5001, "zh")),
             ("coordinates: unmapped flags", lambda: store.unmapped_flags(s, coord, None, None, 500, "zh")),
             ("completeness: missing rows", lambda: store.missing_rows(s, "eventDate", None, None, 200)),
             ("overview: kpis", lambda: store.kpis(s, None))]
    out = []
    for label, fn in calls:
        t0 = time.time()
        res = fn()
        n = len(res[1] if label.startswith("record") else res[0] if isinstance(res, tuple) else res)
        out.append({"call": label, "s": time.time() - t0, "rows": n})
    print(json.dumps(out))


def drill_downs(snapshot: Path) -> list[dict]:
    """Seconds per drill-down store call on the snapshot, cold (a fresh process), printed."""
    r = _in_child(f"from dq.bench import _drill_child; _drill_child({str(snapshot)!r})")
    if isinstance(r, str):
        print("drill-downs failed:", r)
        return []
    for x in r:
        print(f"{x['call']:32} {x['s']:5.2f} s ({x['rows']:,} rows) | {_load()}", flush=True)
    return r


def pages(agency: str | None = None, lang: str = "zh", snapshot: Path | None = None) -> list[dict]:
    """Seconds per page on the demo snapshots, each page in its own process: cold (first render,
    empty caches) and warm (again, cached, as a user sees it on the next click); then the same in
    headless Chromium when Debian's chromium is installed (the script's time plus drawing).
    `snapshot`: a snapshot folder built elsewhere (a 10M-record one): the pages see it as the
    newest, with the demo snapshots before it (the compare page compares the two)."""
    import shutil
    if snapshot is not None:
        snapshot = Path(snapshot).resolve()
        if not (snapshot / "manifest.json").exists():
            raise SystemExit(f"{snapshot}: not a snapshot folder (no manifest.json)")
        from .paths import DATE_RX, DEMO_ROOT
        if not DATE_RX.match(snapshot.name):   # the dashboard lists dated folders only: it would show the demo instead
            raise SystemExit(f"{snapshot}: a snapshot folder is named by its date (YYYY-MM-DD), as `dq ingest --snapshot` names it")
        os.environ["DQ_SNAPSHOT_ROOTS"] = os.pathsep.join([str(DEMO_ROOT), str(snapshot.parent)])
        from . import store
        # the pages open the newest snapshot and find it by its name: another of the same date would stand in for it
        others = [s for s in store.snapshots() if s.resolve() != snapshot and s.name >= snapshot.name]
        if others:
            raise SystemExit(f"{snapshot}: the pages open the newest snapshot, and {others[-1]} is as new or newer "
                             f"(build the big one with a later --snapshot date)")
        m = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
        print(f"pages on {snapshot} ({m['rows_ingested']:,} records) | {_load()}", flush=True)
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
    from . import store
    out += drill_downs(store.snapshots()[-1])
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        out += pages_browser(agency)
    return out
