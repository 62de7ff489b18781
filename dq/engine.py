"""Runs the check catalogue over a table of canonical records in DuckDB.

`enrich()` derives, once per distinct value, everything the checks read: the WGS84 point
(with the unambiguous amendments: swapped, negated, TWD97/TWD67 metres), county/town/grid/land
from one spatial join per distinct point, the taxon match per distinct name, the parsed date
per distinct text, and duplicate-group sizes. `run_checks()` evaluates every check's predicate
in one pass and writes the flags; `aggregates()` writes the small tables the pages read.
"""
from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import numpy as np
import pandas as pd

from . import duck, geo, profiles, standard, taxonomy
from .checks import Check, catalogue, filled

TW_LON = (114.0, 124.7)   # bounding box of the TBIA grid: Taiwan's land and waters
TW_LAT = (10.0, 26.6)
METRE_X = (100_000.0, 400_000.0)
METRE_Y = (2_400_000.0, 2_950_000.0)

OLD_COUNTIES = {"臺北縣": "新北市", "桃園縣": "桃園市", "臺中縣": "臺中市", "臺南縣": "臺南市", "高雄縣": "高雄市"}


LOC_TXT = "concat_ws(' ', {o}dwc_county, {o}stateProvince, {o}verbatimLocality, {o}locality)"
# Keys of the per-distinct-value tables. 64-bit hashes let the record-level joins run on one
# integer instead of several nullable texts; with n distinct values a collision has probability
# about n²/2^65 (< 1e-7 for a million distinct points), which we accept.
KEYS = {
    "pk": "hash({x}, {y}, {srs})",
    "dk": "hash({o}eventDate, {o}\"year\", {o}\"month\", {o}\"day\")",
    "nk": "hash({o}scientificName)",
    "vk": "hash({o}scientificName, {o}vernacularName)",
    "lk": "hash(" + LOC_TXT + ")",
}
X_TXT = "coalesce(nullif(trim({o}decimalLongitude), ''), {o}verbatimLongitude)"
Y_TXT = "coalesce(nullif(trim({o}decimalLatitude), ''), {o}verbatimLatitude)"
SRS_TXT = "coalesce(nullif(trim({o}verbatimSRS), ''), nullif(trim({o}geodeticDatum), ''), {o}srs_from_header)"


def _key(name: str, alias: str = "") -> str:
    o = alias + "." if alias else ""
    return KEYS[name].format(o=o, x=X_TXT.format(o=o), y=Y_TXT.format(o=o), srs=SRS_TXT.format(o=o))


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
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _pts_in AS SELECT x_txt, y_txt, srs_txt,
        {geo.srs_sql_case('srs_txt')} AS srs_code FROM (
          SELECT DISTINCT {X_TXT.format(o='')} AS x_txt, {Y_TXT.format(o='')} AS y_txt, {SRS_TXT.format(o='')} AS srs_txt FROM occ)""")
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
      WITH d AS (SELECT DISTINCT eventDate AS date_txt, "year" AS year_txt, "month" AS month_txt, "day" AS day_txt FROM occ),
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
    _coordinates(con, params)
    con.execute("""CREATE OR REPLACE TEMP TABLE _pt AS SELECT hash(c.x_txt, c.y_txt, c.srs_txt) AS pk,
          c.* EXCLUDE (x_txt, y_txt, srs_txt, h3, c_srs_unknown), c.c_srs_unknown AND NOT (c.c_projected OR c.c_swapped) AS c_srs_unknown,
          c.h3, g.* EXCLUDE (lat, lon, on_land), coalesce(g.on_land, false) AS on_land
        FROM _cls c LEFT JOIN _geo g ON g.lat = c.lat AND g.lon = c.lon""")
    progress(f"  coordinates classified and located ({time.time() - t0:.1f}s)")
    _dates(con)
    con.execute("CREATE OR REPLACE TEMP TABLE _dk AS SELECT DISTINCT hash(date_txt, year_txt, month_txt, day_txt) AS dk, date_status, event_date_parsed FROM _dates")
    con.execute("CREATE OR REPLACE TEMP TABLE _names AS SELECT DISTINCT scientificName AS name_raw FROM occ")
    taxonomy.match_names(con, "_names", "_tax")
    con.execute("CREATE OR REPLACE TEMP TABLE _nk AS SELECT hash(name_raw) AS nk, * FROM _tax")
    # vernacular: expected Chinese names per species binomial
    con.execute("""CREATE OR REPLACE TEMP TABLE _vern AS WITH pairs AS (
        SELECT hash(o.scientificName, o.vernacularName) AS vk, o.vernacularName AS vern_raw, t.binomial_key,
          (SELECT string_agg(DISTINCT vernacular, '、') FROM ref_vernacular v
             WHERE v.binomial = array_to_string(string_split(t.binomial_key, ' ')[1:2], ' ')) AS vern_expected,
          (SELECT bool_or(v.vernacular_norm = replace(regexp_replace(regexp_replace(o.vernacularName, '\\(.*?\\)|（.*?）', '', 'g'), '\\s', '', 'g'), '臺', '台'))
             FROM ref_vernacular v WHERE v.binomial = array_to_string(string_split(t.binomial_key, ' ')[1:2], ' ')) AS vern_ok,
          (SELECT string_agg(DISTINCT v.binomial, '、') FROM ref_vernacular v
             WHERE v.vernacular_norm = replace(regexp_replace(o.vernacularName, '\\s', '', 'g'), '臺', '台')) AS vern_names
        FROM (SELECT DISTINCT scientificName, vernacularName FROM occ) o LEFT JOIN _tax t ON t.name_raw IS NOT DISTINCT FROM o.scientificName)
      SELECT vk, vern_expected,
        (vern_expected IS NOT NULL AND NOT coalesce(vern_ok, false) AND vern_raw IS NOT NULL AND trim(vern_raw) <> '') AS vern_mismatch,
        CASE WHEN vern_names IS NOT NULL THEN '同俗名的名錄學名：' || vern_names END AS vern_suggestion FROM pairs""")
    progress(f"  names matched ({time.time() - t0:.1f}s)")
    # named county in the locality text
    counties = [r[0] for r in con.execute("SELECT county FROM ref_counties").fetchall()]
    alts = sorted(set(counties) | set(OLD_COUNTIES), key=len, reverse=True)
    rx = "(" + "|".join(alts) + ")"
    old_case = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in OLD_COUNTIES.items())
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _loc AS SELECT hash(loc_txt) AS lk,
        nullif(regexp_extract(replace(loc_txt, '台', '臺'), '{rx}', 1), '') AS c0 FROM
        (SELECT DISTINCT {LOC_TXT.format(o='')} AS loc_txt FROM occ)""")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _lk AS SELECT lk, CASE c0 {old_case} ELSE c0 END AS named_county FROM _loc WHERE c0 IS NOT NULL")
    # One narrow row per record: the keys into the per-distinct tables and the few values computed
    # from the record alone. Computed once here, because a view would recompute an expression at
    # every place a check mentions it.
    qty = "nullif(trim(coalesce(nullif(trim(o.organismQuantity), ''), o.individualCount)), '')"
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _ek AS SELECT record_id, {_key('pk', 'o')} AS pk, {_key('dk', 'o')} AS dk,
        {_key('nk', 'o')} AS nk, {_key('vk', 'o')} AS vk, {_key('lk', 'o')} AS lk,
        coalesce(try_cast(o.coordinateUncertaintyInMeters AS DOUBLE),
                 try_cast(regexp_replace(o.coordinateUncertaintyInMeters, '[^0-9.]', '', 'g') AS DOUBLE)) AS unc_m,
        {qty} AS qty_txt, try_cast({qty} AS DOUBLE) AS qty_num,
        regexp_matches(coalesce(o.habitat, ''), '{MARINE_HABITAT_RX}', 'i') AS marine_habitat,
        CASE WHEN NOT (o.occurrenceID IS NULL OR trim(o.occurrenceID) = '') THEN hash(o.dataset_id, o.occurrenceID) END AS okey,
        CASE WHEN o.scientificName IS NOT NULL THEN hash(o.dataset_id, o.scientificName, o.recordedBy, {qty},
             o.occurrenceRemarks, o.eventID) END AS rk0
        FROM occ o""")
    # distance to the named county, only for the few (point, locality) pairs that disagree
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _ncd AS
        WITH pl AS (SELECT DISTINCT pk, lk FROM _ek),
        cand AS (SELECT pl.pk, pl.lk, p.lat, p.lon, l.named_county FROM pl JOIN _lk l USING (lk) JOIN _pt p USING (pk)
                 WHERE p.county IS NOT NULL AND l.named_county <> p.county)
        SELECT cand.pk, cand.lk, ST_Distance(ST_Point(cand.lon, cand.lat), c.geom) * {geo.M_PER_DEG} AS d_named_county_m
        FROM cand JOIN (SELECT county, ST_Union_Agg(geom) AS geom FROM ref_towns GROUP BY county) c ON c.county = cand.named_county""")
    marine_fams = ", ".join(f"'{f}'" for f in MARINE_FAMILIES)
    # duplicate groups (DUP_RECORD uses the derived date and point): only keys seen more than once
    # are kept, so the joins in `e` stay small
    rkey = "hash(k.rk0, d.event_date_parsed, round(c.lat, 5), round(c.lon, 5))"
    con.execute("CREATE OR REPLACE TEMP TABLE _okc AS SELECT okey AS k, count(*) AS n FROM _ek WHERE okey IS NOT NULL GROUP BY 1 HAVING count(*) > 1")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _rkc AS SELECT {rkey} AS k, count(*) AS n
        FROM _ek k JOIN _pt c ON c.pk = k.pk JOIN _dk d ON d.dk = k.dk
        WHERE k.rk0 IS NOT NULL AND d.event_date_parsed IS NOT NULL AND c.lat IS NOT NULL GROUP BY 1 HAVING count(*) > 1""")
    # `e` is a view: the record plus the derived columns looked up in the small per-distinct tables.
    # Nothing record-wide is copied; each scan of `e` costs a join on record_id and lookups in small tables.
    con.execute(f"""CREATE OR REPLACE TEMP VIEW e AS
      SELECT o.*, DATE '{snapshot_date}' AS snapshot_date,
        c.x_num, c.y_num, c.srs_code, c.lat, c.lon, c.coord_source, c.c_fix, c.c_missing, c.c_not_numeric, c.c_zero,
        c.c_out_of_range, c.c_equal, c.c_swapped, c.c_negated, c.c_projected, c.c_srs_mismatch, c.c_has_point,
        c.c_low_precision, c.c_srs_unknown, c.h3 AS h3_r{params.h3_resolution},
        c.county, c.town, c.grid_id, c.land_type, c.on_land, c.dist_land_m,
        c.d_town_centroid_m, c.d_county_centroid_m, c.inst_name, c.d_inst_m,
        l.named_county, n.d_named_county_m, k.unc_m, k.qty_txt, k.qty_num,
        d.date_status, d.event_date_parsed,
        t.name_clean, t.has_qualifier, t.has_authorship, t.above_species, t.taxon_id, t.accepted_name, t.name_status,
        t.group_zh, t.group_en, t.checklist_family, t.is_endemic, t.redlist, t.match_type, t.fuzzy_suggestion,
        CASE WHEN t.match_type = 'none' THEN v.vern_suggestion END AS vern_suggestion,
        coalesce(v.vern_mismatch, false) AS vern_mismatch, v.vern_expected,
        (k.marine_habitat OR coalesce(o.family, t.checklist_family, '') IN ({marine_fams})) AS marine,
        CASE WHEN k.okey IS NULL THEN 0 ELSE coalesce(oc.n, 1) END AS dup_occ_n,
        CASE WHEN k.rk0 IS NULL OR d.event_date_parsed IS NULL OR c.lat IS NULL THEN 0 ELSE coalesce(rc.n, 1) END AS dup_rec_n
      FROM occ o JOIN _ek k ON k.record_id = o.record_id
      LEFT JOIN _pt c ON c.pk = k.pk
      LEFT JOIN _dk d ON d.dk = k.dk
      LEFT JOIN _nk t ON t.nk = k.nk
      LEFT JOIN _vern v ON v.vk = k.vk
      LEFT JOIN _lk l ON l.lk = k.lk
      LEFT JOIN _ncd n ON n.pk = k.pk AND n.lk = k.lk
      LEFT JOIN _okc oc ON oc.k = k.okey
      LEFT JOIN _rkc rc ON rc.k = {rkey}""")
    progress(f"  records enriched ({time.time() - t0:.1f}s)")


DIMENSIONS = ["completeness", "coordinates", "taxonomy", "time", "vocabulary", "duplicates"]


def _bit(i: int) -> tuple[int, int]:
    return i // 64, i % 64


def _mask_lit(bits: list[int], word: int) -> str:
    v = sum(1 << b for w, b in map(_bit, bits) if w == word)
    return f"{v}::UBIGINT"


def _fired(i: int) -> str:
    w, b = _bit(i)
    return f"((_m{w} >> {b}) & 1::UBIGINT) = 1"


CONST_RX = re.compile(r"^'[^']*'$")


def _suggestion(i: int, c: Check) -> str:
    if not c.fix:
        return "NULL::VARCHAR"
    if CONST_RX.match(c.fix):
        return f"{c.fix}::VARCHAR"
    # the computed suggestions of a record travel in one text, each as <US>i<RS>text (see run_checks)
    return f"regexp_extract(_s, '\x1f{i}\x1e([^\x1f]*)', 1)"


# record_id = source index × 10^10 + source row (dq/snapshot.py canonical_select)
SOURCE_OF = "(e.record_id // 10000000000)"


def _applies(checks: list[Check], kinds: list[str], scope: dict[int, set[str]] | None) -> list[tuple[Check, str | None]]:
    """The checks that apply to some record, each with the SQL test restricting it to the records it
    applies to (None when it applies to all). With `scope` (source index → the check ids its
    profile judges at record level) that is a test on the source; without, on the table kind."""
    out = []
    for c in checks:
        if scope is not None:
            srcs = sorted(i for i, ids in scope.items() if c.id in ids)
            if srcs:
                out.append((c, None if len(srcs) == len(scope) else f"{SOURCE_OF} IN ({', '.join(map(str, srcs))})"))
            continue
        ok = [k for k in kinds if k in c.tables]
        if ok:
            out.append((c, None if len(ok) == len(kinds) else f"e.table_kind IN ({', '.join(repr(k) for k in ok)})"))
    return out


def run_checks(con, checks: list[Check] | None = None, scope: dict[int, set[str]] | None = None) -> list[Check]:
    """Evaluate every predicate in one scan of `e`.

    Each record gets a bit mask of the checks it fails (64 checks per UBIGINT word) plus the
    computed suggestions of the fired checks. From those: `flags` (record_id, check_id,
    suggestion), one row per failure, and `rq`, the per-record summary. Counting and grouping
    bits is far cheaper than grouping millions of flag rows (most records fail several
    completeness checks). Returns the checks that applied.
    """
    checks = checks or catalogue()
    kinds = [r[0] for r in con.execute("SELECT DISTINCT table_kind FROM occ").fetchall()]
    applies = _applies(checks, kinds, scope)
    run = [c for c, _ in applies]
    words = max(1, (len(run) + 63) // 64)
    terms: list[list[str]] = [[] for _ in range(words)]
    for i, (c, where) in enumerate(applies):
        w, b = _bit(i)
        # the source or table test only where the snapshot holds records this check does not apply to
        pred = f"({c.sql})" if where is None else f"{where} AND ({c.sql})"
        # CASE takes NULL as false, so no coalesce; bits are distinct, so + is |. Measured the fastest form.
        terms[w].append(f"CASE WHEN {pred} THEN {1 << b}::UBIGINT ELSE 0::UBIGINT END")
    masks = ", ".join(f"({' + '.join(t) if t else '0::UBIGINT'}) AS _m{w}" for w, t in enumerate(terms))
    # A fix that is a plain text needs no per-record work; the others are evaluated only on the
    # records whose bit is set.
    computed = [(i, c) for i, c in enumerate(run) if c.fix and not CONST_RX.match(c.fix)]
    # One text per record rather than a column per check: a million mostly-NULL strings per
    # column would cost 16 bytes each; NULL-skipping concat_ws keeps only what fired.
    parts = ", ".join(f"CASE WHEN {_fired(i)} THEN '\x1f{i}\x1e' || replace(replace(({c.fix})::VARCHAR, '\x1f', ' '), '\x1e', ' ') END"
                      for i, c in computed)
    sugg = f", nullif(concat_ws('', {parts}), '') AS _s" if computed else ", NULL::VARCHAR AS _s"
    cols = ", ".join(f"_m{w}" for w in range(words))
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _m AS SELECT record_id, {cols}{sugg}
        FROM (SELECT e.*, {masks} FROM e) e""")
    per_check = " UNION ALL ".join(f"SELECT record_id, '{c.id}' AS check_id, {_suggestion(i, c)} AS suggestion FROM _m WHERE {_fired(i)}"
                                   for i, c in enumerate(run)) or \
        "SELECT NULL::BIGINT AS record_id, NULL::VARCHAR AS check_id, NULL::VARCHAR AS suggestion WHERE false"
    # a view: one row per failure is a rendering of the masks, materialised once, when written out
    con.execute(f"CREATE OR REPLACE TEMP VIEW flags AS {per_check}")
    _record_quality(con, run, words)
    return run


def file_level_counts(con, file_level: dict[int, list[str]], checks: list[Check] | None = None) -> dict[int, dict[str, int]]:
    """Per source index, how many of its records each file-level check would flag (one scan of `e`).

    A column absent from a whole file is one finding for the file, but only if the check would
    fire at all: a missing unit is no finding in a file that has no quantities either."""
    cat = {c.id: c for c in (checks or catalogue())}
    pairs = [(i, cid) for i, ids in file_level.items() for cid in ids]
    if not pairs:
        return {}
    cols = ", ".join(f"count(*) FILTER (WHERE {SOURCE_OF} = {i} AND ({cat[cid].sql})) AS n{k}" for k, (i, cid) in enumerate(pairs))
    row = con.execute(f"SELECT {cols} FROM e WHERE {SOURCE_OF} IN ({', '.join(str(i) for i in file_level)})").fetchone()
    out: dict[int, dict[str, int]] = {i: {} for i in file_level}
    for (i, cid), n in zip(pairs, row):
        if n:
            out[i][cid] = int(n)
    return out


def _record_quality(con, run: list[Check], words: int) -> None:
    """Per record: error/warning counts and lists, suggestions, and per dimension whether it has an error."""
    def count(sel):
        bits = [i for i, c in enumerate(run) if sel(c)]
        return " + ".join(f"bit_count(_m{w} & {_mask_lit(bits, w)})" for w in range(words))

    def any_of(sel):
        bits = [i for i, c in enumerate(run) if sel(c)]
        return "(" + " OR ".join(f"(_m{w} & {_mask_lit(bits, w)}) <> 0" for w in range(words)) + ")"

    def ids(sel):
        order = sorted((c.id, i) for i, c in enumerate(run) if sel(c))
        if not order:
            return "NULL::VARCHAR"
        return "nullif(concat_ws(';', " + ", ".join(f"CASE WHEN {_fired(i)} THEN '{cid}' END" for cid, i in order) + "), '')"

    err = lambda c: c.severity == "error"   # noqa: E731
    fixes = [f"CASE WHEN {_fired(i)} THEN {_suggestion(i, c)} END" for i, c in enumerate(run) if c.fix]
    sugg = f"nullif(concat_ws('；', {', '.join(fixes)}), '')" if fixes else "NULL::VARCHAR"
    dims = ", ".join(f"{any_of(lambda c, d=d: c.severity == 'error' and c.dimension == d)} AS err_{d}" for d in DIMENSIONS)
    # a view: the lists and texts are built only where they are written out, the counts are bit operations
    con.execute(f"""CREATE OR REPLACE TEMP VIEW rq AS SELECT record_id,
          {count(err)} AS n_errors, {count(lambda c: not err(c))} AS n_warnings,
          {ids(err)} AS errors, {ids(lambda c: not err(c))} AS warnings,
          {sugg} AS suggestions, {dims}
        FROM _m""")


# The fitness-for-use profile "distribution model, 1 km", declared in dq/profiles.py.
USABLE_1KM = profiles.by_id()[profiles.FIT_1KM].fit_sql


WRITE_SLICE = 1_000_000
# Small row groups: the Parquet writer buffers a whole row group of ~140 columns per thread, which
# at the default 122,880 rows was most of the build's peak memory.
OCC_PARQUET = "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 32768)"


def write_outputs(con, outdir: Path) -> None:
    """occurrence.parquet (record + derived columns + per-record results), flags.parquet, rejected.parquet.

    The record file is written once from the view; everything after it (aggregates, pages) reads
    that file, so the lookups behind `e` run once more, not once per aggregate.
    """
    dims = ", ".join(f"coalesce(q.err_{d}, false) AS err_{d}" for d in DIMENSIONS)
    con.execute(f"COPY flags TO {duck.q(outdir / 'flags.parquet')} (FORMAT parquet, COMPRESSION zstd)")
    con.execute("DROP VIEW flags")
    con.execute(f"CREATE TEMP VIEW flags AS SELECT * FROM read_parquet({duck.q(outdir / 'flags.parquet')})")
    # In slices of at most WRITE_SLICE source rows: the joins behind `e` and `rq` then fit in
    # memory instead of spilling (a 10M-row file written in one go ran at ~1 MB/s). The slices are
    # record_id ranges (record_id = source index × 10^10 + source row), merged into one file.
    # Source rows count from 1: (record_id - 1) puts rows 1..WRITE_SLICE of a source in one slice
    slices = [r[0] for r in con.execute(f"SELECT DISTINCT (record_id - 1) // {WRITE_SLICE} FROM occ ORDER BY 1").fetchall()]
    select = f"""SELECT e.*, coalesce(q.n_errors, 0) AS n_errors, coalesce(q.n_warnings, 0) AS n_warnings,
                   q.errors, q.warnings, q.suggestions, {dims}
                 FROM (SELECT * FROM e WHERE record_id >= $lo AND record_id < $hi) e
                 LEFT JOIN (SELECT * FROM rq WHERE record_id >= $lo AND record_id < $hi) q USING (record_id)"""
    target = outdir / "occurrence.parquet"
    # (one COPY over a UNION ALL of the slices was tried: DuckDB then holds every slice's join at once and runs out of memory)
    if len(slices) <= 1:
        con.execute(f"COPY ({select.replace('$lo', '0').replace('$hi', str(2 ** 62))}) TO {duck.q(target)} {OCC_PARQUET}")
    else:
        parts = outdir.parent / (outdir.name + ".parts")
        parts.mkdir(exist_ok=True)
        for k in slices:
            lo, hi = k * WRITE_SLICE + 1, (k + 1) * WRITE_SLICE + 1
            con.execute(f"COPY ({select.replace('$lo', str(lo)).replace('$hi', str(hi))}) TO {duck.q(parts / f'{k:012d}.parquet')} {OCC_PARQUET}")
        con.execute(f"COPY (SELECT * FROM read_parquet({duck.q(parts / '*.parquet')})) TO {duck.q(target)} {OCC_PARQUET}")
        shutil.rmtree(parts, ignore_errors=True)
    con.execute(f"COPY (SELECT * FROM rej ORDER BY source_file, source_row) TO {duck.q(outdir / 'rejected.parquet')} (FORMAT parquet)")
    con.execute(f"CREATE OR REPLACE TEMP VIEW e AS SELECT * FROM read_parquet({duck.q(outdir / 'occurrence.parquet')})")


def aggregates(con, outdir: Path, sources: list[dict] | None = None) -> dict[str, int]:
    """Write the small tables the pages read (after write_outputs). Returns their row counts.

    `sources` (the manifest's) give each source file's profile and the checks it was judged by."""
    dims = DIMENSIONS
    ok_cols = ", ".join(f"count(*) FILTER (WHERE NOT e.err_{d}) AS ok_{d}" for d in dims)
    # "content" = every dimension but completeness: a file can lack whole columns the standard
    # asks for (then no record is error-free) and still have points, names and dates worth mapping
    content = " OR ".join(f"e.err_{d}" for d in dims if d != "completeness")
    ok_content = f"count(*) FILTER (WHERE NOT ({content})) AS ok_content"
    ok_cols += ", " + ok_content
    queries = {
        "agg_dataset": f"""SELECT e.agency, e.dataset_id, any_value(e.dataset_name) AS dataset_name, count(*) AS records,
              string_agg(DISTINCT e.profile, ',' ORDER BY e.profile) AS profile,
              count(*) FILTER (WHERE e.n_errors = 0) AS records_no_error, sum({profiles.completeness_sql('e')}) AS completeness_sum,
              count(*) FILTER (WHERE {profiles.GOLD_SQL}) AS tier_gold,
              count(*) FILTER (WHERE {profiles.SILVER_SQL} AND NOT {profiles.GOLD_SQL}) AS tier_silver,
              count(*) FILTER (WHERE NOT {profiles.SILVER_SQL}) AS tier_bronze,
              count(*) FILTER (WHERE {USABLE_1KM}) AS usable_1km,
              count(DISTINCT e.accepted_name) AS species, {ok_cols}
            FROM e GROUP BY ALL ORDER BY ALL""",
        "agg_dataset_check": """SELECT e.agency, e.dataset_id, f.check_id, count(*) AS n
            FROM flags f JOIN e USING (record_id) GROUP BY ALL ORDER BY ALL""",
        "agg_town_check": """SELECT e.agency, e.dataset_id, e.county, e.town, f.check_id, count(*) AS n
            FROM flags f JOIN e USING (record_id) GROUP BY ALL ORDER BY ALL""",
        "agg_town": f"""SELECT e.agency, e.county, e.town, count(*) AS records, {ok_cols},
              count(*) FILTER (WHERE e.n_errors = 0) AS records_no_error,
              count(*) FILTER (WHERE {USABLE_1KM}) AS usable_1km, count(DISTINCT e.accepted_name) AS species
            FROM e GROUP BY ALL ORDER BY ALL""",
        "agg_h3_check": """SELECT e.agency, e.dataset_id, e.h3_r7 AS h3, f.check_id, count(*) AS n FROM flags f JOIN e USING (record_id)
            WHERE e.h3_r7 IS NOT NULL GROUP BY ALL ORDER BY ALL""",
        "agg_h3": f"""SELECT e.agency, e.h3_r7 AS h3, count(*) AS records, {ok_content},
              count(*) FILTER (WHERE e.n_errors = 0) AS records_no_error,
              count(*) FILTER (WHERE {USABLE_1KM}) AS usable_1km, count(DISTINCT e.accepted_name) AS species
            FROM e WHERE e.h3_r7 IS NOT NULL GROUP BY ALL ORDER BY ALL""",
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
    # the same areas over all agencies: distinct species cannot be summed across agencies
    for name in ("agg_town", "agg_h3", "agg_grid"):
        queries[name + "_all"] = queries[name].replace("SELECT e.agency, ", "SELECT ", 1)
    queries["agg_completeness"] = _completeness_sql()
    counts = {}
    for name, sql in queries.items():
        # COPY answers with the number of rows it wrote
        counts[name] = con.execute(f"COPY ({sql}) TO {duck.q(outdir / (name + '.parquet'))} (FORMAT parquet)").fetchone()[0]
    if sources is not None:
        counts["agg_profile"] = _profile_table(con, outdir, sources)
    return counts


def _profile_table(con, outdir: Path, sources: list[dict]) -> int:
    """agg_profile: per agency × dataset × source file, the profile, why, the checks judged per
    record and the file-level findings (columns absent from the whole file). Pages read it for
    the file-level findings and to tell whether two snapshots judged a dataset alike."""
    per = con.execute(f"""SELECT agency, dataset_id, {SOURCE_OF} AS source_index, count(*) AS records
                          FROM e GROUP BY ALL ORDER BY ALL""").df()
    info = pd.DataFrame([{"source_index": s["index"], "source_file": s["name"], "profile": s["profile"],
                          "profile_how": s["profile_reason"].get("how"), "profile_fields": list(s["profile_reason"].get("fields", [])),
                          "table_kind": s["table"], "checks_judged": sorted(s["checks_record_level"]),
                          "checks_file_level": sorted(s["checks_file_level"])} for s in sources])
    df = per.merge(info, on="source_index", how="left").drop(columns="source_index")
    con.register("_agg_profile_df", df)
    try:
        return con.execute(f"COPY (SELECT * FROM _agg_profile_df) TO {duck.q(outdir / 'agg_profile.parquet')} (FORMAT parquet)").fetchone()[0]
    finally:
        con.unregister("_agg_profile_df")


def _completeness_sql() -> str:
    """Per agency × dataset × profile × table × field: records and how many have the field filled.

    One scan of the canonical records; each profile's fields (every field of the 生態檢核 tables
    with its M/C/O level for eco-check, the required fields for the others).
    """
    rows, cols = [], []
    for pi, prof in enumerate(profiles.judging()):
        for kind in prof.tables:
            for term, zh, level, equiv in prof.heatmap_fields(kind):
                alias = f"f_{pi}_{kind}_{term}"
                # filled as the profile's checks judge it: the field or an accepted equivalent (individualCount …)
                any_filled = " OR ".join(filled(f'"{c}"') for c in equiv)
                cols.append(f"count(*) FILTER (WHERE profile = '{prof.id}' AND table_kind = '{kind}' AND ({any_filled})) AS {alias}")
                rows.append(f"('{prof.id}', '{kind}', '{term}', '{zh}', '{level}', '{alias}')")
    present = "SELECT agency, dataset_id, profile, table_kind, count(*) AS records, " + ", ".join(cols) + " FROM occ GROUP BY ALL"
    return f"""WITH c AS ({present}),
        u AS (UNPIVOT c ON COLUMNS('^f_') INTO NAME alias VALUE filled),
        f(profile, kind, field, field_zh, level, alias) AS (VALUES {', '.join(rows)})
      SELECT u.agency, u.dataset_id, u.profile, u.table_kind, f.field, f.field_zh, f.level, u.records, u.filled
      FROM u JOIN f ON f.alias = u.alias AND f.kind = u.table_kind AND f.profile = u.profile ORDER BY ALL"""
