"""Runs the check catalogue over a table of canonical records in DuckDB.

`enrich()` derives, once per distinct value, everything the checks read: the WGS84 point
(with the unambiguous amendments: swapped, negated, TWD97/TWD67 metres), county/town/grid/land
from one spatial join per distinct point, the taxon match per distinct name, the parsed date
per distinct text, and duplicate-group sizes. `run_checks()` evaluates every check's predicate
in one pass and writes the flags; `aggregates()` writes the small tables the pages read.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from . import duck, geo, standard, taxonomy
from .checks import Check, catalogue

TW_LON = (114.0, 124.7)   # bounding box of the TBIA grid: Taiwan's land and waters
TW_LAT = (10.0, 26.6)
METRE_X = (100_000.0, 400_000.0)
METRE_Y = (2_400_000.0, 2_950_000.0)

OLD_COUNTIES = {"臺北縣": "新北市", "桃園縣": "桃園市", "臺中縣": "臺中市", "臺南縣": "臺南市", "高雄縣": "高雄市"}


def _in_tw(lat, lon):
    return (lat >= TW_LAT[0]) & (lat <= TW_LAT[1]) & (lon >= TW_LON[0]) & (lon <= TW_LON[1])


def _metres(x, y):
    return (x >= METRE_X[0]) & (x <= METRE_X[1]) & (y >= METRE_Y[0]) & (y <= METRE_Y[1])


def classify_points(df: pd.DataFrame) -> pd.DataFrame:
    """Vectorised classification of distinct (x_txt, y_txt, srs_code) rows.

    Adds c_* flags, the derived lat/lon (amended where unambiguous), coord_source and c_fix.
    """
    n = len(df)
    x = pd.to_numeric(df["x_txt"].str.strip(), errors="coerce").to_numpy(float)
    y = pd.to_numeric(df["y_txt"].str.strip(), errors="coerce").to_numpy(float)
    srs = df["srs_code"].fillna("").to_numpy(str)
    x_blank = df["x_txt"].isna().to_numpy() | (df["x_txt"].fillna("").str.strip() == "").to_numpy()
    y_blank = df["y_txt"].isna().to_numpy() | (df["y_txt"].fillna("").str.strip() == "").to_numpy()
    missing = x_blank | y_blank
    not_num = ~missing & (np.isnan(x) | np.isnan(y))
    num = ~missing & ~not_num
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    source = np.full(n, None, dtype=object)
    fix = np.full(n, None, dtype=object)
    flags = {k: np.zeros(n, bool) for k in ("zero", "out_of_range", "equal", "swapped", "negated",
                                           "projected", "srs_mismatch")}
    projected_srs = np.char.startswith(srs.astype(str), "TWD")
    metres = num & _metres(x, y)
    deg_in = num & _in_tw(y, x)

    # declared TWD97/TWD67 metres
    for code in geo.EPSG:
        m = num & (srs == code) & metres
        if m.any():
            lo, la = geo.to_wgs84(code, x[m], y[m])
            lon[m], lat[m] = lo, la
            source[m] = f"{geo.SRS_LABEL[code]} converted"
    # declared metres but values are degrees
    mm = num & projected_srs & ~metres & deg_in
    flags["srs_mismatch"] |= mm
    lat[mm], lon[mm] = y[mm], x[mm]
    source[mm] = "WGS84 (declared SRS ignored)"
    fix[mm] = "數值為經緯度，請將坐標參考系統改為 WGS84"
    # degree fields (WGS84, unknown or missing SRS)
    deg = num & ~(projected_srs & (metres | deg_in))
    ok = deg & deg_in & (x != 0) & (y != 0)
    lat[ok], lon[ok] = y[ok], x[ok]
    source[ok] = "WGS84"
    rest = deg & ~ok
    flags["zero"] = rest & ((x == 0) | (y == 0))
    flags["equal"] = rest & ~flags["zero"] & (x == y)
    cand = rest & ~flags["zero"] & ~flags["equal"]
    # metres in degree fields: try TWD97/121, then /119 when 121 lands outside the island box
    pm = cand & metres
    if pm.any():
        lo, la = geo.to_wgs84("TWD97_121", x[pm], y[pm])
        lo2, la2 = geo.to_wgs84("TWD97_119", x[pm], y[pm])
        use119 = ~((lo >= 119.9) & (lo <= 122.1) & (la >= 21.8) & (la <= 25.4)) & (lo2 < 120.5)
        lon[pm] = np.where(use119, lo2, lo)
        lat[pm] = np.where(use119, la2, la)
        flags["projected"] = pm
        zone = np.where(use119, "TWD97/119", "TWD97/121")
        source[pm] = np.char.add(zone.astype(str), " converted (from degree fields)")
        fix[pm] = [f"換算自 {z}：緯度 {a:.6f}、經度 {o:.6f}；坐標參考系統請填 {z}" for z, a, o in zip(zone, lat[pm], lon[pm])]
    cand &= ~pm
    sw = cand & _in_tw(x, y)
    lat[sw], lon[sw] = x[sw], y[sw]
    flags["swapped"] = sw
    source[sw] = "WGS84 (lat/lon swapped)"
    fix[sw] = [f"經緯度對調：緯度 {a}、經度 {o}" for a, o in zip(lat[sw], lon[sw])]
    cand &= ~sw
    for sy, sx in ((1, -1), (-1, 1), (-1, -1)):
        ng = cand & _in_tw(sy * y, sx * x)
        lat[ng], lon[ng] = sy * y[ng], sx * x[ng]
        flags["negated"] |= ng
        source[ng] = "WGS84 (sign corrected)"
        fix[ng] = [f"去掉負號：緯度 {a}、經度 {o}" for a, o in zip(lat[ng], lon[ng])]
        cand &= ~ng
    oor = cand & ((np.abs(y) > 90) | (np.abs(x) > 180))
    flags["out_of_range"] = oor
    # a lost decimal point (BBS: 244711.85, 1214046.97): suggest, never amend
    for i in np.flatnonzero(oor):
        for k in range(1, 8):
            for j in range(1, 8):
                if TW_LAT[0] <= y[i] / 10 ** k <= TW_LAT[1] and 119 <= x[i] / 10 ** j <= 122.5 and 21.8 <= y[i] / 10 ** k <= 26.5:
                    fix[i] = f"小數點位置可能錯誤：緯度 {y[i] / 10 ** k:.6f}、經度 {x[i] / 10 ** j:.6f}？"
                    break
            if fix[i]:
                break
    # degrees that are valid but far away: keep them, the spatial join says outside Taiwan
    far = cand & ~oor
    lat[far], lon[far] = y[far], x[far]
    source[far] = "WGS84"
    out = df.copy()
    out["x_num"], out["y_num"] = x, y
    out["lat"], out["lon"] = lat, lon
    out["coord_source"] = source
    out["c_fix"] = fix
    out["c_missing"] = missing
    out["c_not_numeric"] = not_num
    for k, v in flags.items():
        out[f"c_{k}"] = v
    out["c_has_point"] = ~np.isnan(lat)
    # precision in the coordinate's own unit, from the verbatim text
    dec_x = df["x_txt"].fillna("").str.extract(r"\.(\d+)\s*$")[0].str.len().fillna(0).to_numpy()
    dec_y = df["y_txt"].fillna("").str.extract(r"\.(\d+)\s*$")[0].str.len().fillna(0).to_numpy()
    is_m = out["coord_source"].fillna("").str.contains("converted").to_numpy()
    low_deg = num & ~is_m & out["c_has_point"].to_numpy() & (np.minimum(dec_x, dec_y) <= 2)
    low_m = num & is_m & (np.mod(x, 1000) == 0) & (np.mod(y, 1000) == 0)
    out["c_low_precision"] = low_deg | low_m
    return out


def _coordinates(con, params: geo.GeoParams) -> None:
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _pts_in AS SELECT DISTINCT x_txt, y_txt, srs_txt,
        {geo.srs_sql_case('srs_txt')} AS srs_code FROM _occ_keys""")
    pts = con.execute("SELECT * FROM _pts_in").df()
    cls = classify_points(pts)
    cls["c_srs_unknown"] = (~cls["c_missing"]) & (cls["srs_code"].isna() | (cls["srs_code"] == "UNKNOWN")).to_numpy()
    cls["h3"] = geo.h3_cells(cls["lat"].to_numpy(), cls["lon"].to_numpy(), params.h3_resolution)
    con.register("_cls_df", cls)
    con.execute("CREATE OR REPLACE TEMP TABLE _cls AS SELECT * FROM _cls_df")
    con.unregister("_cls_df")
    # One spatial join per distinct derived point.
    con.execute("""CREATE OR REPLACE TEMP TABLE _dp AS SELECT DISTINCT lat, lon, ST_Point(lon, lat) AS pt
                   FROM _cls WHERE c_has_point""")
    con.execute("""CREATE OR REPLACE TEMP TABLE _dp_town AS SELECT d.lat, d.lon, t.county, t.town, t.c_lat AS t_lat, t.c_lon AS t_lon
                   FROM _dp d JOIN ref_towns t ON ST_Intersects(t.geom, d.pt)""")
    con.execute("""CREATE OR REPLACE TEMP TABLE _dp_grid AS SELECT d.lat, d.lon, any_value(g.grid_id) AS grid_id,
                   any_value(g.land_type) AS land_type
                   FROM _dp d JOIN ref_grid g ON ST_Intersects(g.geom, d.pt) GROUP BY d.lat, d.lon""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _geo AS
        SELECT d.lat, d.lon, t.county, t.town, g.grid_id, g.land_type, t.county IS NOT NULL AS on_land,
          CASE WHEN t.county IS NOT NULL THEN 0 ELSE ST_Distance(d.pt, (SELECT geom FROM ref_land)) * {geo.M_PER_DEG} END AS dist_land_m,
          CASE WHEN t.county IS NOT NULL THEN
            {geo.M_PER_DEG} * sqrt(power(d.lat - t.t_lat, 2) + power((d.lon - t.t_lon) * cos(radians(d.lat)), 2)) END AS d_town_centroid_m,
          CASE WHEN t.county IS NOT NULL THEN
            {geo.M_PER_DEG} * sqrt(power(d.lat - c.c_lat, 2) + power((d.lon - c.c_lon) * cos(radians(d.lat)), 2)) END AS d_county_centroid_m,
          i.name_zh AS inst_name, i.d AS d_inst_m
        FROM _dp d
        LEFT JOIN (SELECT DISTINCT ON (lat, lon) * FROM _dp_town) t USING (lat, lon)
        LEFT JOIN ref_counties c ON c.county = t.county
        LEFT JOIN _dp_grid g USING (lat, lon)
        LEFT JOIN (SELECT DISTINCT ON (d.lat, d.lon) d.lat, d.lon, i.name_zh,
                     {geo.M_PER_DEG} * sqrt(power(d.lat - i.lat, 2) + power((d.lon - i.lon) * cos(radians(d.lat)), 2)) AS d
                   FROM _dp d, ref_institutions i ORDER BY d.lat, d.lon, d) i USING (lat, lon)""")


def _dates(con) -> None:
    fmts = "['%Y-%m-%d', '%Y/%m/%d', '%Y%m%d', '%Y.%m.%d']"
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _dates AS
      WITH d AS (SELECT DISTINCT date_txt, year_txt, month_txt, day_txt FROM _occ_keys),
      p AS (SELECT *, regexp_replace(trim(date_txt), '[T ]\\d{{1,2}}:\\d{{2}}.*$', '') AS d0 FROM d),
      q AS (SELECT *, string_split(d0, '/') AS parts,
             regexp_extract(d0, '^(\\d{{2,4}})[/.\\-](\\d{{1,2}})[/.\\-](\\d{{1,2}})$', ['y', 'm', 'dd']) AS ymd FROM p)
      SELECT date_txt, year_txt, month_txt, day_txt,
        CASE WHEN (date_txt IS NULL OR trim(date_txt) = '') AND try_cast(year_txt AS INT) IS NULL THEN 'missing'
             WHEN (date_txt IS NULL OR trim(date_txt) = '') THEN
                  CASE WHEN try_cast(make_date(try_cast(year_txt AS INT), coalesce(try_cast(month_txt AS INT), 1),
                                               coalesce(try_cast(day_txt AS INT), 1)) AS DATE) IS NULL THEN 'invalid' ELSE 'ok' END
             WHEN ymd.y <> '' AND try_cast(ymd.y AS INT) BETWEEN 1 AND 200 THEN 'roc'
             WHEN len(parts) = 2 AND try_strptime(parts[1], {fmts}) IS NOT NULL AND try_strptime(parts[2], {fmts}) IS NOT NULL
                  THEN CASE WHEN try_strptime(parts[1], {fmts}) > try_strptime(parts[2], {fmts}) THEN 'invalid' ELSE 'ok' END
             WHEN try_strptime(d0, {fmts}) IS NOT NULL THEN 'ok'
             WHEN try_strptime(d0, ['%Y-%m', '%Y/%m', '%Y']) IS NOT NULL THEN 'ok'
             ELSE 'invalid' END AS date_status,
        CASE WHEN ymd.y <> '' AND try_cast(ymd.y AS INT) BETWEEN 1 AND 200 THEN
               try_cast(make_date(try_cast(ymd.y AS INT) + 1911, try_cast(ymd.m AS INT), try_cast(ymd.dd AS INT)) AS DATE)
             WHEN (date_txt IS NULL OR trim(date_txt) = '') THEN
               try_cast(make_date(try_cast(year_txt AS INT), coalesce(try_cast(month_txt AS INT), 1), coalesce(try_cast(day_txt AS INT), 1)) AS DATE)
             WHEN len(parts) = 2 THEN try_strptime(parts[1], {fmts})::DATE
             ELSE coalesce(try_strptime(d0, {fmts}), try_strptime(d0, ['%Y-%m', '%Y/%m', '%Y']))::DATE END AS event_date_parsed
      FROM q""")


MARINE_FAMILIES = ["Laridae", "Sternidae", "Sulidae", "Procellariidae", "Hydrobatidae", "Fregatidae", "Phaethontidae",
                   "Diomedeidae", "Stercorariidae", "Alcidae", "Phalacrocoracidae", "Delphinidae", "Balaenopteridae",
                   "Physeteridae", "Ziphiidae", "Phocoenidae", "Cheloniidae", "Dermochelyidae", "Hydrophiidae",
                   "Scolopacidae", "Charadriidae", "Ardeidae", "Pomacentridae", "Labridae", "Serranidae",
                   "Chaetodontidae", "Acanthuridae", "Scaridae", "Lutjanidae"]
MARINE_HABITAT_RX = "海|潮間帶|潮間|河口|沙洲|礁|marine|sea|ocean|intertidal|coast|reef|estuar"


def enrich(con, snapshot_date: str, params: geo.GeoParams = geo.DEFAULT, progress=print) -> None:
    """`occ` (canonical records) → `e` (records plus every derived column the checks read)."""
    t0 = time.time()
    geo.load_reference(con)
    con.execute("""CREATE OR REPLACE TEMP TABLE _occ_keys AS SELECT record_id,
        coalesce(nullif(trim(decimalLongitude), ''), verbatimLongitude) AS x_txt,
        coalesce(nullif(trim(decimalLatitude), ''), verbatimLatitude) AS y_txt,
        coalesce(nullif(trim(verbatimSRS), ''), nullif(trim(geodeticDatum), ''), srs_from_header) AS srs_txt,
        eventDate AS date_txt, "year" AS year_txt, "month" AS month_txt, "day" AS day_txt
        FROM occ""")
    _coordinates(con, params)
    progress(f"  coordinates classified and located ({time.time() - t0:.1f}s)")
    _dates(con)
    con.execute("CREATE OR REPLACE TEMP TABLE _names AS SELECT DISTINCT scientificName AS name_raw FROM occ")
    taxonomy.match_names(con, "_names", "_tax")
    # vernacular: expected Chinese names per species binomial
    con.execute("""CREATE OR REPLACE TEMP TABLE _vern AS
        SELECT DISTINCT o.scientificName AS name_raw, o.vernacularName AS vern_raw, t.binomial_key,
          (SELECT string_agg(DISTINCT vernacular, '、') FROM ref_vernacular v
             WHERE v.binomial = array_to_string(string_split(t.binomial_key, ' ')[1:2], ' ')) AS vern_expected,
          (SELECT bool_or(v.vernacular_norm = replace(regexp_replace(regexp_replace(o.vernacularName, '\\(.*?\\)|（.*?）', '', 'g'), '\\s', '', 'g'), '臺', '台'))
             FROM ref_vernacular v WHERE v.binomial = array_to_string(string_split(t.binomial_key, ' ')[1:2], ' ')) AS vern_ok,
          (SELECT string_agg(DISTINCT v.binomial, '、') FROM ref_vernacular v
             WHERE v.vernacular_norm = replace(regexp_replace(o.vernacularName, '\\s', '', 'g'), '臺', '台')) AS vern_names
        FROM (SELECT DISTINCT scientificName, vernacularName FROM occ) o LEFT JOIN _tax t ON t.name_raw = o.scientificName""")
    progress(f"  names matched ({time.time() - t0:.1f}s)")
    # named county in the locality text
    counties = [r[0] for r in con.execute("SELECT county FROM ref_counties").fetchall()]
    alts = sorted(set(counties) | set(OLD_COUNTIES), key=len, reverse=True)
    rx = "(" + "|".join(alts) + ")"
    old_case = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in OLD_COUNTIES.items())
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _loc AS SELECT loc_txt,
        nullif(regexp_extract(replace(loc_txt, '台', '臺'), '{rx}', 1), '') AS c0 FROM
        (SELECT DISTINCT concat_ws(' ', dwc_county, stateProvince, verbatimLocality, locality) AS loc_txt FROM occ)""")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _loc2 AS SELECT loc_txt, CASE c0 {old_case} ELSE c0 END AS named_county FROM _loc")
    marine_fams = ", ".join(f"'{f}'" for f in MARINE_FAMILIES)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE e AS
      SELECT o.*, DATE '{snapshot_date}' AS snapshot_date,
        c.x_num, c.y_num, c.srs_code, c.lat, c.lon, c.coord_source, c.c_fix, c.c_missing, c.c_not_numeric, c.c_zero,
        c.c_out_of_range, c.c_equal, c.c_swapped, c.c_negated, c.c_projected, c.c_srs_mismatch, c.c_has_point,
        c.c_low_precision, c.c_srs_unknown AND NOT (c.c_projected OR c.c_swapped) AS c_srs_unknown, c.h3 AS h3_r{params.h3_resolution},
        g.county, g.town, g.grid_id, g.land_type, coalesce(g.on_land, false) AS on_land, g.dist_land_m,
        g.d_town_centroid_m, g.d_county_centroid_m, g.inst_name, g.d_inst_m,
        l.named_county,
        try_cast(regexp_replace(o.coordinateUncertaintyInMeters, '[^0-9.]', '', 'g') AS DOUBLE) AS unc_m,
        nullif(trim(coalesce(nullif(trim(o.organismQuantity), ''), o.individualCount)), '') AS qty_txt,
        try_cast(trim(coalesce(nullif(trim(o.organismQuantity), ''), o.individualCount)) AS DOUBLE) AS qty_num,
        d.date_status, d.event_date_parsed,
        t.name_clean, t.has_qualifier, t.has_authorship, t.above_species, t.taxon_id, t.accepted_name, t.name_status,
        t.group_zh, t.group_en, t.checklist_family, t.is_endemic, t.redlist, t.match_type, t.fuzzy_suggestion,
        CASE WHEN t.match_type = 'none' AND v.vern_names IS NOT NULL THEN '同俗名的名錄學名：' || v.vern_names END AS vern_suggestion,
        (v.vern_expected IS NOT NULL AND NOT coalesce(v.vern_ok, false) AND o.vernacularName IS NOT NULL
           AND trim(o.vernacularName) <> '') AS vern_mismatch, v.vern_expected,
        (coalesce(o.family, t.checklist_family, '') IN ({marine_fams})
          OR regexp_matches(coalesce(o.habitat, ''), '{MARINE_HABITAT_RX}', 'i')) AS marine
      FROM occ o
      JOIN _occ_keys k USING (record_id)
      LEFT JOIN _cls c ON c.x_txt IS NOT DISTINCT FROM k.x_txt AND c.y_txt IS NOT DISTINCT FROM k.y_txt
                      AND c.srs_txt IS NOT DISTINCT FROM k.srs_txt
      LEFT JOIN _geo g ON g.lat = c.lat AND g.lon = c.lon
      LEFT JOIN _dates d ON d.date_txt IS NOT DISTINCT FROM k.date_txt AND d.year_txt IS NOT DISTINCT FROM k.year_txt
                        AND d.month_txt IS NOT DISTINCT FROM k.month_txt AND d.day_txt IS NOT DISTINCT FROM k.day_txt
      LEFT JOIN _tax t ON t.name_raw IS NOT DISTINCT FROM o.scientificName
      LEFT JOIN _vern v ON v.name_raw IS NOT DISTINCT FROM o.scientificName AND v.vern_raw IS NOT DISTINCT FROM o.vernacularName
      LEFT JOIN _loc2 l ON l.loc_txt = concat_ws(' ', o.dwc_county, o.stateProvince, o.verbatimLocality, o.locality)""")
    # distance to the named county only for the few candidate mismatches
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _ncd AS
        SELECT DISTINCT e.lat, e.lon, e.named_county,
               ST_Distance(ST_Point(e.lon, e.lat), c.geom) * {geo.M_PER_DEG} AS d
        FROM e JOIN (SELECT county, ST_Union_Agg(geom) AS geom FROM ref_towns GROUP BY county) c ON c.county = e.named_county
        WHERE e.county IS NOT NULL AND e.named_county IS NOT NULL AND e.named_county <> e.county""")
    con.execute("""CREATE OR REPLACE TEMP TABLE e AS SELECT e.*, n.d AS d_named_county_m,
          count(*) OVER (PARTITION BY e.dataset_id, e.occurrenceID) *
            (CASE WHEN e.occurrenceID IS NULL OR trim(e.occurrenceID) = '' THEN 0 ELSE 1 END) AS dup_occ_n,
          CASE WHEN e.scientificName IS NULL OR e.event_date_parsed IS NULL OR e.lat IS NULL THEN 0 ELSE
          count(*) OVER (PARTITION BY e.dataset_id, e.scientificName, e.event_date_parsed, round(e.lat, 5), round(e.lon, 5),
                         e.recordedBy, e.qty_txt, e.occurrenceRemarks, e.eventID) END AS dup_rec_n
        FROM e LEFT JOIN _ncd n ON n.lat = e.lat AND n.lon = e.lon AND n.named_county = e.named_county""")
    # derived date takes the ROC-converted value (amendment); verbatim eventDate is untouched
    progress(f"  records enriched ({time.time() - t0:.1f}s)")


def applicable(checks: list[Check], table_kind: str) -> list[Check]:
    return [c for c in checks if table_kind in c.tables]


def run_checks(con, checks: list[Check] | None = None) -> None:
    """Evaluate every predicate in one scan of `e`: flags(record_id, check_id, suggestion)."""
    checks = checks or catalogue()
    kinds = [r[0] for r in con.execute("SELECT DISTINCT table_kind FROM e").fetchall()]
    parts = []
    for c in checks:
        kinds_ok = [k for k in kinds if k in c.tables]
        if not kinds_ok:
            continue
        kind_sql = "e.table_kind IN (" + ", ".join(f"'{k}'" for k in kinds_ok) + ")"
        fix = c.fix or "NULL"
        parts.append(f"CASE WHEN {kind_sql} AND coalesce(({c.sql}), false) THEN {{'c': '{c.id}', 's': ({fix})::VARCHAR}} END")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE flags AS
        SELECT record_id, f.c AS check_id, f.s AS suggestion FROM (
          SELECT record_id, unnest(list_filter([{', '.join(parts)}], x -> x IS NOT NULL)) AS f FROM e)""")


def record_quality(con, checks: list[Check] | None = None) -> None:
    """Per record: error/warning counts and, per dimension, whether it has an error."""
    checks = checks or catalogue()
    con.execute("CREATE OR REPLACE TEMP TABLE _chk (check_id VARCHAR, dimension VARCHAR, severity VARCHAR)")
    con.executemany("INSERT INTO _chk VALUES (?, ?, ?)", [(c.id, c.dimension, c.severity) for c in checks])
    dims = ["completeness", "coordinates", "taxonomy", "time", "vocabulary", "duplicates"]
    dim_cols = ", ".join(f"bool_or(k.severity = 'error' AND k.dimension = '{d}') AS err_{d}" for d in dims)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE rq AS
        SELECT f.record_id, count(*) FILTER (WHERE k.severity = 'error') AS n_errors,
               count(*) FILTER (WHERE k.severity = 'warning') AS n_warnings,
               string_agg(f.check_id, ';' ORDER BY f.check_id) FILTER (WHERE k.severity = 'error') AS errors,
               string_agg(f.check_id, ';' ORDER BY f.check_id) FILTER (WHERE k.severity <> 'error') AS warnings,
               string_agg(f.suggestion, '；') FILTER (WHERE f.suggestion IS NOT NULL) AS suggestions,
               {dim_cols}
        FROM flags f JOIN _chk k USING (check_id) GROUP BY f.record_id""")


# The fitness-for-use profile "distribution model, 1 km" (DESIGN.md, Scores).
USABLE_1KM = ("e.lat IS NOT NULL AND e.grid_id IS NOT NULL AND coalesce(e.unc_m, 1e9) <= 1000 AND "
              "e.match_type IN ('exact', 'synonym', 'species_of_listed_subspecies', 'fuzzy') AND NOT e.above_species "
              "AND e.event_date_parsed IS NOT NULL AND e.date_status IN ('ok', 'roc')")


def aggregates(con, outdir: Path) -> dict[str, int]:
    """Write the small tables the pages read. Returns their row counts."""
    dims = ["completeness", "coordinates", "taxonomy", "time", "vocabulary", "duplicates"]
    ok_cols = ", ".join(f"count(*) FILTER (WHERE NOT coalesce(q.err_{d}, false)) AS ok_{d}" for d in dims)
    queries = {
        "agg_dataset": f"""SELECT e.agency, e.dataset_id, any_value(e.dataset_name) AS dataset_name, count(*) AS records,
              count(*) FILTER (WHERE coalesce(q.n_errors, 0) = 0) AS records_no_error,
              count(*) FILTER (WHERE {USABLE_1KM}) AS usable_1km,
              count(DISTINCT e.accepted_name) AS species, {ok_cols}
            FROM e LEFT JOIN rq q USING (record_id) GROUP BY ALL ORDER BY ALL""",
        "agg_dataset_check": """SELECT e.agency, e.dataset_id, f.check_id, count(*) AS n
            FROM flags f JOIN e USING (record_id) GROUP BY ALL ORDER BY ALL""",
        "agg_town_check": """SELECT e.county, e.town, f.check_id, count(*) AS n
            FROM flags f JOIN e USING (record_id) GROUP BY ALL ORDER BY ALL""",
        "agg_town": f"""SELECT e.agency, e.county, e.town, count(*) AS records,
              count(*) FILTER (WHERE coalesce(q.n_errors, 0) = 0) AS records_no_error,
              count(*) FILTER (WHERE {USABLE_1KM}) AS usable_1km, count(DISTINCT e.accepted_name) AS species
            FROM e LEFT JOIN rq q USING (record_id) GROUP BY ALL ORDER BY ALL""",
        "agg_h3_check": """SELECT e.h3_r7 AS h3, f.check_id, count(*) AS n FROM flags f JOIN e USING (record_id)
            WHERE e.h3_r7 IS NOT NULL GROUP BY ALL ORDER BY ALL""",
        "agg_h3": f"""SELECT e.agency, e.h3_r7 AS h3, count(*) AS records,
              count(*) FILTER (WHERE coalesce(q.n_errors, 0) = 0) AS records_no_error,
              count(*) FILTER (WHERE {USABLE_1KM}) AS usable_1km, count(DISTINCT e.accepted_name) AS species
            FROM e LEFT JOIN rq q USING (record_id) WHERE e.h3_r7 IS NOT NULL GROUP BY ALL ORDER BY ALL""",
        "agg_grid": f"""SELECT e.agency, e.grid_id, count(*) AS records, count(*) FILTER (WHERE {USABLE_1KM}) AS usable_1km,
              count(DISTINCT e.accepted_name) AS species FROM e WHERE e.grid_id IS NOT NULL GROUP BY ALL ORDER BY ALL""",
        "agg_taxon_area": f"""SELECT e.agency, coalesce(e.group_zh, '未比對') AS group_zh, coalesce(e.group_en, 'Unmatched') AS group_en,
              e.county, count(*) AS records, count(*) FILTER (WHERE {USABLE_1KM}) AS usable_1km,
              count(DISTINCT e.accepted_name) AS species
            FROM e GROUP BY ALL ORDER BY ALL""",
        "agg_species": f"""SELECT e.agency, e.accepted_name, any_value(e.group_zh) AS group_zh, any_value(e.taxon_id) AS taxon_id,
              bool_or(e.is_endemic) AS is_endemic, any_value(e.redlist) AS redlist, count(*) AS records,
              count(*) FILTER (WHERE {USABLE_1KM}) AS usable_1km
            FROM e WHERE e.accepted_name IS NOT NULL GROUP BY ALL ORDER BY ALL""",
    }
    counts = {}
    for name, sql in queries.items():
        con.execute(f"COPY ({sql}) TO {duck.q(outdir / (name + '.parquet'))} (FORMAT parquet)")
        counts[name] = con.execute(f"SELECT count(*) FROM read_parquet({duck.q(outdir / (name + '.parquet'))})").fetchone()[0]
    return counts
