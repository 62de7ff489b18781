"""Snapshots: counts reconcile on real files, ingest is atomic, snapshots are immutable."""
import json
import subprocess
import sys

import duckdb
import pytest

from dq import engine
from dq.demo import BBS_AGENCY, DEMO_DATE, DEMO_ROOT
from dq.snapshot import SourceSpec, ingest
from dq.sources import SourceError

from conftest import FIX

FILES = [FIX / "frog_head.csv", FIX / "frog_head_damaged.csv", FIX / "frog_head_big5.csv",
         FIX / "twnamelist_head.csv", FIX / "taicol_amphibia_20220605.csv"]


def test_read_equals_ingested_plus_rejected(tmp_path):
    snap = ingest([SourceSpec(f, agency="測試") for f in FILES], "2026-01-01", tmp_path, progress=lambda m: None)
    m = json.loads((snap / "manifest.json").read_text())
    assert m["rows_read"] == m["rows_ingested"] + m["rows_rejected"]
    for s in m["sources"]:
        assert s["rows_read"] == s["rows_ingested"] + s["rows_rejected"], s["name"]
        assert len(s["sha256"]) == 64
    n_occ = duckdb.sql(f"SELECT count(*) FROM '{snap}/occurrence.parquet'").fetchone()[0]
    n_rej = duckdb.sql(f"SELECT count(*) FROM '{snap}/rejected.parquet'").fetchone()[0]
    assert (n_occ, n_rej) == (m["rows_ingested"], m["rows_rejected"])
    assert n_rej >= 1   # the blank line closing the TaiCOL export (ragged rows are kept since #10)
    reasons = duckdb.sql(f"SELECT reason FROM '{snap}/rejected.parquet'").fetchall()
    assert all(r[0] for r in reasons)


def test_snapshots_are_immutable_dates_checked_and_an_interrupted_ingest_leaves_them_intact(tmp_path, monkeypatch):
    # (two tests once, each building the same snapshot first: one build serves both)
    first = ingest([SourceSpec(FIX / "frog_head.csv")], "2026-01-01", tmp_path, progress=lambda m: None)
    before = {p.name: p.read_bytes() for p in first.iterdir()}
    with pytest.raises(SourceError, match="immutable"):
        ingest([SourceSpec(FIX / "frog_head.csv")], "2026-01-01", tmp_path, progress=lambda m: None)
    with pytest.raises(SourceError, match="YYYY-MM-DD"):
        ingest([SourceSpec(FIX / "frog_head.csv")], "22/11/2026", tmp_path, progress=lambda m: None)

    def boom(*a, **k):
        raise KeyboardInterrupt("interrupted mid-ingest")
    monkeypatch.setattr(engine, "aggregates", boom)
    with pytest.raises(KeyboardInterrupt):
        ingest([SourceSpec(FIX / "frog_head.csv")], "2026-02-01", tmp_path, progress=lambda m: None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-01-01"]   # no half snapshot, no temp dir
    assert {p.name: p.read_bytes() for p in first.iterdir()} == before


def test_demo_snapshot_is_real_and_reconciles():
    snap = DEMO_ROOT / DEMO_DATE
    m = json.loads((snap / "manifest.json").read_text())
    assert m["rows_read"] == m["rows_ingested"] + m["rows_rejected"] == 385131 + 21387 + 18084 + 14496
    aggs = duckdb.sql(f"SELECT agency, sum(records) FROM '{snap}/agg_dataset.parquet' GROUP BY 1").fetchall()
    assert dict(aggs)[BBS_AGENCY] == 385131


def test_false_positives_on_real_bbs_rows():
    """Real, correct BBS rows raise no error-severity flag except ones justified by the data (the
    known real faults (events without coordinates or dates, the points at latitude
    20.998 or with a lost decimal point, records with no name or count)."""
    snap = DEMO_ROOT / DEMO_DATE
    justified = {"COORD_MISSING", "COORD_OUTSIDE_TAIWAN", "COORD_OUT_OF_RANGE", "TAXON_NAME_MISSING",
                 "DATE_MISSING", "VOCAB_QUANTITY"}
    errs = duckdb.sql(f"""SELECT f.check_id, count(*) FROM '{snap}/flags.parquet' f JOIN '{snap}/occurrence.parquet' o USING (record_id)
        WHERE o.agency = '{BBS_AGENCY}' GROUP BY 1""").fetchall()
    from dq.checks import by_id
    cat = by_id()
    error_ids = {c for c, _ in errs if cat[c].severity == "error"}
    assert error_ids <= justified, error_ids - justified
    # a Darwin Core dataset is judged as one: no 生態檢核 field is asked of it
    assert not any(c.startswith("MISSING_") for c, _ in errs)
    n_err = sum(n for c, n in errs if c in error_ids)
    assert n_err < 0.01 * 385131
    # the lost-decimal fault is reported with its likely fix
    fix = duckdb.sql(f"SELECT any_value(suggestion) FROM '{snap}/flags.parquet' WHERE check_id = 'COORD_OUT_OF_RANGE'").fetchone()[0]
    assert "24.471185" in fix


def test_validate_cli(tmp_path, damaged_cli):
    r, out = damaged_cli     # `python -m dq validate frog_head_damaged.csv --date 2026-11-22`, run once (tests/conftest.py)
    assert r.returncode == 0, r.stderr
    import pandas as pd
    ann = pd.read_csv(out / "annotated.csv", dtype=str, keep_default_na=False)
    assert len(ann) == 299 and ann["dq_row"].astype(int).tolist() == list(range(1, 300))
    # ragged rows are kept and flagged (#10 item 1), not rejected
    shape = dict(zip(ann["dq_row"], ann["dq_warnings"]))
    assert "ROW_CELLS_MISSING" in shape["10"] and "ROW_CELLS_EXTRA" in shape["20"]
    assert {"WGS84Lati", "記錄方式", "dq_errors", "dq_warnings", "dq_lat", "dq_lon", "dq_county", "dq_town",
            "dq_suggestions"} <= set(ann.columns)
    html = (out / "report.html").read_text()
    # a Darwin Core file: the column it lacks is one file-level finding, not an error per row
    assert "資料檢核報告" in html and "DWC_BASIS_OF_RECORD_MISSING" in html and "MISSING_habitat" not in html
    assert html.index("<h2>欄位對應") < html.index("<h2>檔案層級問題") < html.index("<h2>紀錄層級問題")
    s = json.loads((out / "summary.json").read_text())
    assert s["rows_read"] == 299 and s["rows_rejected"] == 0
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    r = subprocess.run([sys.executable, "-m", "dq", "validate", str(bad), "--out", str(tmp_path / "o2")],
                       capture_output=True, text=True)
    errs = [ln for ln in r.stderr.splitlines() if ln.startswith("error: ")]
    assert r.returncode != 0 and len(errs) == 1 and "bad.xlsx" in errs[0]


def test_completeness_aggregate_agrees_with_the_missing_checks(tmp_path):
    """The heatmap and the MISSING_<field> flags judge a field the same way (equivalents included),
    on a 生態檢核 file (CONSTRUCTED TEST ROWS: tests/fixtures/constructed_occurrence.csv)."""
    from dq.snapshot import SourceSpec, ingest
    snap = ingest([SourceSpec(FIX / "constructed_occurrence.csv", agency="測試")], "2026-01-01", tmp_path, progress=lambda m: None)
    comp = duckdb.sql(f"""SELECT field, sum(records - filled) AS missing FROM '{snap}/agg_completeness.parquet'
                          WHERE level = 'M' AND table_kind = 'occurrence' AND profile = 'eco-check' GROUP BY field""").fetchall()
    flags = dict(duckdb.sql(f"""SELECT substr(check_id, 9), count(*) FROM '{snap}/flags.parquet'
                                WHERE check_id LIKE 'MISSING_%' GROUP BY 1""").fetchall())
    assert comp and any(m for _, m in comp)
    for field, missing in comp:
        assert flags.get(field, 0) == missing, field


def test_graded_completeness_agrees_with_the_heatmap():
    """On the demo: each dataset's graded completeness is the mean over its profile's required
    fields of the share filled, the same numbers the heatmap shows."""
    from dq import profiles
    from dq.demo import DEMO_DATE, DEMO_ROOT
    snap = DEMO_ROOT / DEMO_DATE
    ds = duckdb.sql(f"SELECT agency, dataset_id, profile, completeness_sum / records FROM '{snap}/agg_dataset.parquet'").fetchall()
    assert ds
    for agency, dataset, prof, graded in ds:
        required = set(profiles.by_id()[prof].required["occurrence"])
        shares = duckdb.execute(f"""SELECT field, filled / records FROM '{snap}/agg_completeness.parquet'
                                    WHERE agency = ? AND dataset_id = ? AND profile = ?""", [agency, dataset, prof]).fetchall()
        mean = sum(v for f, v in shares if f in required) / len(required)
        assert abs(mean - graded) < 1e-9, (agency, dataset)


def test_species_per_area_over_all_agencies_are_distinct_counts():
    """Species in a cell or town over all agencies: distinct names, not a sum over agencies."""
    import duckdb
    from dq import store
    from dq.demo import DEMO_DATE, DEMO_ROOT
    snap = DEMO_ROOT / DEMO_DATE
    occ = store.records_sql(snap)     # derived columns (grid, county, names) are joined in from lookup files
    g = store.grid_coverage(snap)
    busiest = g.sort_values("records", ascending=False).iloc[0]
    assert busiest["species"] == duckdb.execute(f"SELECT count(DISTINCT accepted_name) FROM {occ} WHERE grid_id = ? AND NOT above_species",
                                                [busiest["grid_id"]]).fetchone()[0]
    t = store.town_quality(snap).sort_values("records", ascending=False).iloc[0]
    assert t["species"] == duckdb.execute(f"SELECT count(DISTINCT accepted_name) FROM {occ} WHERE county = ? AND town = ? AND NOT above_species",
                                          [t["county"], t["town"]]).fetchone()[0]
