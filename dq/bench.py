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


# Constructed labels: the rows are real BBS Taiwan rows, the agencies and datasets they are spread
# over are not, and say so in their names.
AGENCIES = 6
DATASETS = 42


def make_input(n: int, out: Path, work: Path) -> Path:
    """N real BBS rows (resampled with replacement) spread over AGENCIES × DATASETS, faults injected.

    Faults (each on a fixed share of rows, by row number): swapped, zeroed and negated
    coordinates, TWD97 metres in the degree fields (an approximate TM2 projection of the real
    point), ROC dates, text counts, misspelt names, blank dates, a wrong basisOfRecord and a
    repeated occurrenceID. Datasets are contiguous runs of rows, as files from one survey are.
    """
    base = bbs_joined(work / "bbs.parquet")
    con = duck.connect(spatial=False)
    nb = con.execute(f"SELECT count(*) FROM read_parquet({duck.q(base)})").fetchone()[0]
    con.execute(f"""COPY (
      WITH b AS (SELECT *, row_number() OVER () - 1 AS k FROM read_parquet({duck.q(base)})),
      r AS (SELECT range AS i, (hash(range) % {nb})::BIGINT AS k, (range * {DATASETS} // {max(int(n), 1)}) AS ds
            FROM range({int(n)})),
      s AS (SELECT r.i, r.ds, b.* EXCLUDE (k) FROM r JOIN b USING (k))
      SELECT 'constructed bench agency ' || (ds % {AGENCIES} + 1) AS publisher,
        'bench-ds-' || lpad(ds::VARCHAR, 2, '0') AS datasetID,
        'constructed bench dataset ' || ds || ' (real BBS Taiwan rows, resampled)' AS datasetName,
        CASE WHEN i % 1021 IN (1, 2) THEN 'bench-repeated-' || (i // 1021) ELSE occurrenceID || '#' || i END AS occurrenceID,
        CASE WHEN i % 1031 = 0 THEN 'Observation' ELSE basisOfRecord END AS basisOfRecord, recordedBy,
        CASE WHEN i % 997 = 0 THEN '10~19' ELSE individualCount::VARCHAR END AS individualCount,
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


PAGES = ["overview", "scorecard", "completeness", "coordinates", "coverage", "compare", "opendata", "validate", "rules"]


def pages(agency: str | None = None) -> None:
    """Seconds per page on the demo snapshot: first load, then again (cached, as a user sees it)."""
    from streamlit.testing.v1 import AppTest
    from .paths import ROOT
    for name in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        if agency:
            at.query_params["agency"] = agency
        t0 = time.time()
        at.run()
        at.switch_page(f"pages/{name}.py").run()
        first = time.time() - t0
        t1 = time.time()
        at.run()
        again = time.time() - t1
        status = "ok" if not at.exception else f"EXCEPTION {at.exception[0].message[:80]}"
        print(f"{name:14} first {first:5.2f} s | after {again:5.2f} s | {status}", flush=True)
