"""The yardstick for `python -m dq bench`: 13 of our checks written the way a careful analyst
would in pandas + shapely 2, on the same input file, run in its own process.

It is not part of the product (nothing imports it but the bench) and judges less than the
catalogue does: coordinates missing / not numeric / zero / out of range / swapped / outside
Taiwan's TBIA grid (shapely STRtree over the distinct points) and the town each point falls in,
low precision, date missing / unreadable / in the future / ROC year, name not in the checklist,
quantity not a number > 0, repeated occurrenceID. It writes what our build writes for them: one
flag row per record and check, and the counts per dataset × check.
Needs shapely (pinned in requirements.txt only for this comparison).
"""
from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

COLS = ["publisher", "datasetID", "occurrenceID", "decimalLatitude", "decimalLongitude", "eventDate",
        "scientificName", "individualCount"]
TW_LAT, TW_LON = (10.0, 26.6), (114.0, 124.7)


def _in_tw(lat, lon):
    return (lat >= TW_LAT[0]) & (lat <= TW_LAT[1]) & (lon >= TW_LON[0]) & (lon <= TW_LON[1])


def run(src: Path, out: Path, snapshot_date: str = "2026-11-22") -> dict:
    import shapely
    from .bench import peak_rss_mb
    from .paths import REFERENCE

    t0 = time.time()
    if Path(src).suffix.lower() in (".tsv", ".txt", ".csv"):    # a GBIF download's occurrence file: every cell text
        df = pd.read_csv(src, sep="\t" if Path(src).suffix.lower() != ".csv" else ",", usecols=COLS, dtype=str,
                         keep_default_na=False, na_values=[""])
    else:
        df = pd.read_parquet(src, columns=COLS)
    n = len(df)
    checks: dict[str, np.ndarray] = {}
    lat_t, lon_t = df["decimalLatitude"].astype("string"), df["decimalLongitude"].astype("string")
    missing = (lat_t.isna() | lon_t.isna() | (lat_t.str.strip() == "") | (lon_t.str.strip() == "")).to_numpy(bool)
    lat = pd.to_numeric(lat_t, errors="coerce").to_numpy(float)
    lon = pd.to_numeric(lon_t, errors="coerce").to_numpy(float)
    checks["COORD_MISSING"] = missing
    checks["COORD_NOT_NUMERIC"] = ~missing & (np.isnan(lat) | np.isnan(lon))
    num = ~missing & ~checks["COORD_NOT_NUMERIC"]
    checks["COORD_ZERO"] = num & ((lat == 0) | (lon == 0))
    checks["COORD_OUT_OF_RANGE"] = num & ((np.abs(lat) > 90) | (np.abs(lon) > 180))
    checks["COORD_SWAPPED"] = num & ~_in_tw(lat, lon) & _in_tw(lon, lat)
    # the point used: swapped back where that lands in Taiwan
    plat, plon = np.where(checks["COORD_SWAPPED"], lon, lat), np.where(checks["COORD_SWAPPED"], lat, lon)
    ok = num & ~np.isnan(plat) & ~checks["COORD_ZERO"] & ~checks["COORD_OUT_OF_RANGE"]
    # spatial joins once per distinct point (shapely 2, vectorised STRtree queries)
    pts = pd.DataFrame({"lat": plat[ok], "lon": plon[ok]}).drop_duplicates(ignore_index=True)
    geoms = shapely.points(pts["lon"].to_numpy(), pts["lat"].to_numpy())
    grid = pd.read_parquet(REFERENCE / "grid.parquet", columns=["grid_id", "wkb"])
    towns = pd.read_parquet(REFERENCE / "towns.parquet", columns=["county", "town", "wkb"])
    in_grid = np.zeros(len(pts), bool)
    gi, _ = shapely.STRtree(shapely.from_wkb(grid["wkb"].to_numpy())).query(geoms, predicate="intersects")
    in_grid[gi] = True
    pi, ti = shapely.STRtree(shapely.from_wkb(towns["wkb"].to_numpy())).query(geoms, predicate="intersects")
    town = np.full(len(pts), None, dtype=object)
    town[pi] = (towns["county"].to_numpy()[ti] + towns["town"].to_numpy()[ti])
    pts["in_grid"], pts["town"] = in_grid, town
    rec = pd.DataFrame({"lat": plat, "lon": plon}).merge(pts, on=["lat", "lon"], how="left")
    checks["COORD_OUTSIDE_TAIWAN"] = ok & ~rec["in_grid"].fillna(False).to_numpy(bool)
    dec = pd.concat([lat_t.str.extract(r"\.(\d+)\s*$")[0].str.len(), lon_t.str.extract(r"\.(\d+)\s*$")[0].str.len()],
                    axis=1).fillna(0).min(axis=1).to_numpy()
    checks["COORD_LOW_PRECISION"] = ok & (dec <= 2)
    d_txt = df["eventDate"].astype("string").str.strip()
    checks["DATE_MISSING"] = (d_txt.isna() | (d_txt == "")).to_numpy(bool)
    roc = d_txt.str.match(r"^0?\d{2,3}[-/.]\d{1,2}[-/.]\d{1,2}$").fillna(False).to_numpy(bool)
    checks["DATE_ROC_YEAR"] = roc
    parsed = pd.to_datetime(d_txt, format="%Y-%m-%d", errors="coerce")
    checks["DATE_INVALID"] = ~checks["DATE_MISSING"] & ~roc & parsed.isna().to_numpy(bool)
    checks["DATE_FUTURE"] = (parsed > pd.Timestamp(snapshot_date)).fillna(False).to_numpy(bool)
    names = set(pd.read_parquet(REFERENCE / "checklist.parquet", columns=["name"])["name"].dropna())
    sci = df["scientificName"].astype("string").str.strip()
    checks["TAXON_UNMATCHED"] = (sci.notna() & ~sci.isin(names)).to_numpy(bool)
    qty_t = df["individualCount"].astype("string").str.strip()
    qty = pd.to_numeric(qty_t, errors="coerce")
    checks["VOCAB_QUANTITY"] = (qty_t.notna() & (qty.isna() | (qty <= 0))).to_numpy(bool)
    occ_id = df["occurrenceID"].astype("string")
    checks["DUP_OCCURRENCE_ID"] = (occ_id.notna() & df.duplicated(["datasetID", "occurrenceID"], keep=False)).to_numpy(bool)
    # outputs: one flag row per record and check, and counts per dataset × check
    rid = np.arange(1, n + 1)
    flags = pd.concat([pd.DataFrame({"record_id": rid[m], "check_id": cid}) for cid, m in checks.items() if m.any()],
                      ignore_index=True)
    flags.to_parquet(out / "pandas_flags.parquet")
    counts = pd.concat([pd.DataFrame({"agency": df["publisher"][m], "dataset_id": df["datasetID"][m], "check_id": cid})
                        for cid, m in checks.items() if m.any()], ignore_index=True)
    counts.groupby(["agency", "dataset_id", "check_id"]).size().rename("n").reset_index().to_parquet(out / "pandas_counts.parquet")
    r = resource.getrusage(resource.RUSAGE_SELF)
    return {"rows": n, "checks": len(checks), "flags": len(flags), "total_s": time.time() - t0,
            "cpu_s": r.ru_utime + r.ru_stime, "peak_rss_mb": peak_rss_mb()}


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]), Path(sys.argv[2]))))
