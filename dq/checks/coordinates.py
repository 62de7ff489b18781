"""Coordinate checks.

Derivation: each distinct (x, y, SRS) text is classified once (`classify_points`, vectorised
numpy) into the c_* columns — missing, not numeric, zero, equal, out of range, swapped, negated,
TWD97/TWD67 metres in degree fields, SRS mismatch — with the amended WGS84 point where the fix is
unambiguous; then one spatial join per distinct derived point gives county, town, TBIA grid cell,
land, the distances to centroids, land and institutions. The locality text is read once per
distinct text for the county it names. The predicates below read those columns.
"""
from __future__ import annotations

import re

import time

import numpy as np
import pandas as pd

from .. import standard
from ..geo import DEFAULT as G
from . import NUM_TERMS, Check, Derivation, DeriveContext, Family, Param, blank, num_part, num_text
from .completeness import NOT_PARENT


def _p(name: str, zh: str, en: str) -> Param:
    return Param(name, getattr(G, name), "m", zh, en)


COAST = _p("coast_tolerance_m", "離陸地此距離內算海岸，不算在海上", "a point this close to land is coastal, not in the sea")
CENTROID = _p("centroid_radius_m", "距縣市／鄉鎮中心點此距離內才可能視為中心點（CoordinateCleaner cc_cen 預設）",
              "at most this distance from a county/town centroid counts as the centroid (CoordinateCleaner cc_cen default)")
CENTROID_CHANCE = Param("centroid_chance", G.centroid_chance, "",
                        "且只算隨機落在該縣市／鄉鎮的點有這麼小機率會這麼近的距離（半徑隨面積縮放）",
                        "and only as close as a point placed at random in the county/town falls this rarely (the radius scales with its area)")
INSTITUTION = _p("institution_radius_m", "距研究機構此距離內視為機構點位（cc_inst 預設）",
                 "within this distance of an institution counts as its location (cc_inst default)")
UNC_LARGE = _p("uncertainty_large_m", "誤差範圍大於此值視為過大", "uncertainty above this is large")
COUNTY_TOL = _p("county_tolerance_m", "點位距所寫縣市超過此距離（或誤差範圍）才算不符",
                "a point farther than this (or its uncertainty) from the named county is a mismatch")
LOCATION_FAR = _p("location_far_m", "點位距同一地點編號（locationID）紀錄的中位點超過此距離才算過遠",
                  "a point farther than this from the median point of its locationID's records is far")
LOCATION_SPREAD = Param("location_far_spread", G.location_far_spread, "",
                        "且超過該編號的紀錄與中位點距離（中位數）的此倍數：編號本身涵蓋大範圍時門檻隨之放寬",
                        "and this many times the median distance of the locationID's records from that point: a locationID "
                        "covering a wide area gets a wider margin")
LOCATION_MIN = Param("location_min_records", G.location_min_records, "",
                     "該編號至少有這麼多筆有坐標的紀錄才判斷", "a locationID is judged once it has this many records with a point")
LOCATION_POINT = _p("location_point_m", "同一地點編號的紀錄與中位點的距離（中位數）在此之內，視為同一點位，可建議給缺坐標的紀錄",
                    "a locationID whose records lie this close to their median point (as a median) is one point, offered to a record without one")
LOCATION_MAJORITY = Param("location_majority", round(G.location_majority, 3), "",
                          "且該編號至少這個比例的紀錄在中位點附近（上述距離內）：兩處各半的編號（換了地點或重用編號）不判斷",
                          "and at least this share of the locationID's records lie near its median point (within that distance): "
                          "a locationID split between two places (moved or reused) is not judged")
TOWN_TOL = _p("town_tolerance_m", "點位距所寫鄉鎮市區超過此距離（或誤差範圍）才算不符",
              "a point farther than this (or its uncertainty) from the named town is a mismatch")

M_PER_DEG = 111_320.0
TW_LON = (114.0, 124.7)   # bounding box of the TBIA grid: Taiwan's land and waters
TW_LAT = (10.0, 26.6)
METRE_X = (100_000.0, 400_000.0)
METRE_Y = (2_400_000.0, 2_950_000.0)
# metres under a declared TWD97/TWD67 system: Taiwan, Penghu, Kinmen and Matsu in either zone, wide
# (Dongsha and Taiping Island lie outside it). Kinmen written in the 121° zone has a negative easting
# (烈嶼 -31,422 m): under METRE_X's island range its 13 frog records were "outside the valid range" and
# lost their point and county
DECLARED_X = (-350_000.0, 650_000.0)
DECLARED_Y = (1_100_000.0, 2_950_000.0)

# what a county or town mismatch shows as its offending values: the point and every place column it read
PLACE_SHOWS = ("decimalLatitude", "decimalLongitude", "verbatimLatitude", "verbatimLongitude", "coordinateUncertaintyInMeters",
               "dwc_county", "stateProvince", "municipality", "verbatimLocality", "locality")
# the place text: every column that names where (the amphibian survey gives its town in 鄉鎮 = municipality alone)
LOC_TXT = "concat_ws(' ', {o}dwc_county, {o}stateProvince, {o}municipality, {o}verbatimLocality, {o}locality)"
X_TXT = "coalesce(nullif(trim({o}decimalLongitude), ''), {o}verbatimLongitude)"
Y_TXT = "coalesce(nullif(trim({o}decimalLatitude), ''), {o}verbatimLatitude)"
SRS_TXT = "coalesce(nullif(trim({o}verbatimSRS), ''), nullif(trim({o}geodeticDatum), ''), {o}srs_from_header)"
# verbatimCoordinates, part of the point's key as written and split into its two coordinates once per
# distinct point where no coordinate column gives one (classify_points, split_coordinates): a file of
# that column alone was "coordinates missing" on every row while its BDQ amendment read the point
VC_TXT = "nullif(trim({o}verbatimCoordinates), '')"
# The point's key: a hash of the columns its texts are made of, as the record holds them (the two
# coordinates by their number parts, NUM_TERMS): per record no text of a number is made nor trimmed;
# the texts above are computed once per distinct key (_xyl), where two keys may share one point
PT_RAW = tuple(c for t in ("decimalLongitude", "verbatimLongitude", "decimalLatitude", "verbatimLatitude")
               for c in ((num_part(t, "n"), num_part(t, "t")) if t in NUM_TERMS else (t,))) + \
    ("verbatimSRS", "geodeticDatum", "srs_from_header", "verbatimCoordinates")
PT_KEY = "hash(" + ", ".join("{o}" + c for c in PT_RAW) + ")"


def _packed_dms(v: float) -> list[float]:
    """The degrees a number can be when its separators were lost: degrees, minutes and seconds run
    together (DDDMMSS.ss: 244711.85 = 24°47'11.85") and degrees with decimal minutes (DDDMM.mmm:
    2447.1975 = 24°47.1975'), each where its minutes and seconds are below 60."""
    a, out = abs(float(v)), []
    if a >= 10000:
        d, rest = divmod(a, 10000)
        m, sec = divmod(rest, 100)
        if m < 60 and sec < 60:
            out.append(float(np.copysign(d + m / 60 + sec / 3600, v)))
    if a >= 1000:
        d, m = divmod(a, 100)
        if m < 60:
            out.append(float(np.copysign(d + m / 60, v)))
    return out


def _in_tw(lat, lon):
    return (lat >= TW_LAT[0]) & (lat <= TW_LAT[1]) & (lon >= TW_LON[0]) & (lon <= TW_LON[1])


# One coordinate in degrees, minutes and seconds as GPS units, Google Maps and field forms write it:
# 23°54'41.1"N, N23°54′41.1″, 24 25 24.1 N, 北緯23度54分41.1秒, 23°54.685' (decimal minutes), 121.59°E,
# 25.1056N. A number is a part only whole (no digit or point after it), each part after the first follows a
# mark or a space, and only the last part has decimals (dms_degrees): "25.1056 121.433", two numbers, and
# "24.5 30" are no coordinate of this kind.
_N = r"\d{1,3}(?:\.\d+)?(?![\d.])"
DMS_RX = (r"^\s*(?P<h1>北緯|南緯|東經|西經|[NSEWnsew])?\s*(?P<d>" + _N + r")\s*(?P<dm>°|º|˚|度)?"
          r"(?:\s*(?P<m>" + _N + r")\s*(?:'|′|’|分)?)?(?:\s*(?P<s>" + _N + r")\s*(?:\"|″|”|''|′′|秒)?)?"
          r"\s*(?P<h2>[NSEWnsew]|北|南|東|西)?\s*$")
_HEMI = "[NSEWnsew北南東西]"
# whether a text is such a coordinate, in SQL (RE2, coarser: the mapping's "not numbers" note spares it)
DMS_SQL = ("(regexp_matches({v}, '^\\s*(北緯|南緯|東經|西經|[NSEWnsew])?\\s*\\d{{1,3}}(\\.\\d+)?\\s*(°|º|˚|度|\\s+\\d{{1,2}}(\\.\\d+)?\\s*(\\D|$))') "
           "OR regexp_matches({v}, '^\\s*\\d{{1,3}}(\\.\\d+)?\\s*" + _HEMI + "\\s*$'))")


def dms_degrees(txt: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Decimal degrees of the texts written in degrees, minutes and seconds (DMS_RX), NaN for the rest
    and for minutes or seconds of 60 or more; south and west (S, W, 南緯, 西經) are negative. And whether
    each is coarser than a second's tenth of a minute: whole minutes or degrees alone (25°06′: ~1.8 km)."""
    p = txt.fillna("").astype(str).str.extract(DMS_RX)
    d = pd.to_numeric(p["d"], errors="coerce")
    m = pd.to_numeric(p["m"], errors="coerce").fillna(0)
    s_ = pd.to_numeric(p["s"], errors="coerce").fillna(0)
    hemi = p["h1"].fillna("") + p["h2"].fillna("")
    dec = lambda c: p[c].fillna("").str.contains(".", regex=False)    # noqa: E731
    # a degree sign, minutes or a hemisphere: a plain number is a number (to_numeric reads it)
    marked = p["dm"].notna() | p["m"].notna() | (hemi != "")
    whole = ~(dec("d") & (p["m"].notna() | p["s"].notna())) & ~(dec("m") & p["s"].notna())
    v = (d + m / 60 + s_ / 3600).where(marked & whole & (m < 60) & (s_ < 60))
    neg = hemi.str.contains("[SWsw南西]", regex=True)
    # the precision of the last part given: whole minutes (~1.8 km), or degrees of two decimals or fewer
    ddec = p["d"].fillna("").str.extract(r"\.(\d+)$")[0].str.len().fillna(0)
    coarse = p["s"].isna() & ((p["m"].notna() & ~dec("m")) | (p["m"].isna() & (ddec <= 2)))
    return np.where(neg, -v, v).astype(float), (coarse & v.notna()).to_numpy()


# verbatimCoordinates' two parts: by their hemispheres (北緯…東經…, 25°06'20.2"N 121°26'E, E121° N25°: either
# order), else a separator (, ; / ，；、) or a space between two numbers, the latitude first as Darwin Core's
# examples write them unless the sizes say otherwise (121.4, 25.1; TM2 metres: the easting is the smaller)
_MARK = re.compile(r"北緯|南緯|東經|西經|(?<![A-Za-z])[NSEWnsew](?![A-Za-z])")


def _split_one(t: str) -> tuple[str | None, str | None]:
    t = re.sub(r"\b(degrees?|deg)\b", "°", t, flags=re.I)
    marks = list(_MARK.finditer(t))
    if len(marks) == 2:
        a, b = marks
        is_lat = lambda m: m.group().upper()[:1] in "NS北南"      # noqa: E731  (北緯/南緯 by their first character)
        lat_first = is_lat(a)
        if lat_first == is_lat(b):
            return None, None
        cut = b.start() if not t[:a.start()].strip() else a.end()     # prefixed (N25 E121) or suffixed (25N 121E)
        one, two = t[:cut].strip(" ,;/，；、"), t[cut:].strip(" ,;/，；、")
        return (one, two) if lat_first else (two, one)
    parts = [x for x in re.split(r"\s*[,;/，；、]\s*", t.strip()) if x]
    if len(parts) != 2:
        parts = t.split()
    if len(parts) != 2:
        return None, None
    try:
        a, b = abs(float(parts[0])), abs(float(parts[1]))
    except ValueError:
        return parts[0], parts[1]
    if a > 1000 and b > 1000:
        return (parts[1], parts[0]) if a < b else (parts[0], parts[1])
    return (parts[1], parts[0]) if a > 90 >= b else (parts[0], parts[1])


def split_coordinates(vc: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(latitude text, longitude text) of each verbatimCoordinates text (None where it cannot be split);
    per distinct text."""
    u = pd.Series(vc.dropna().unique())
    got = dict(zip(u, (_split_one(str(t)) for t in u)))
    pairs = vc.map(lambda t: got.get(t, (None, None)) if isinstance(t, str) else (None, None))
    return pairs.str[0], pairs.str[1]


def _dms_where(txt: pd.Series, where: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """dms_degrees of the texts at `where` (NaN and False elsewhere)."""
    v, coarse = np.full(len(txt), np.nan), np.zeros(len(txt), bool)
    if where.any():
        v[where], coarse[where] = dms_degrees(txt[where])
    return v, coarse


# verbatimSRS texts (spaces dropped, upper case) that name TM2 metres but not their zone
ZONELESS = {"TWD97", "TWD97TM2", "TWD97/TM2", "TWD67", "TWD67TM2"}
ISLAND_COUNTIES = ("金門縣", "連江縣", "澎湖縣")


def _zone_by_land(con, cls: pd.DataFrame) -> pd.DataFrame:
    """The 119° zone for a zoneless TM2 point (classify_points' alt_lat/alt_lon) whose 121° reading is on no
    land and whose 119° reading is on Kinmen, Matsu or Penghu. Where the 121° reading is on land too (Penghu
    read in the 121° zone lands in Hualien or Taitung), the coordinates alone cannot tell: the 119° reading
    is kept beside the point (alt_county, alt_county_en, alt_lat, alt_lon), for a locality naming that county
    to settle it (COORD_COUNTY_MISMATCH's fix); elsewhere those are empty."""
    alt = cls["alt_lat"].notna().to_numpy()
    cls = cls.copy()
    cls["alt_county"], cls["alt_county_en"] = None, None
    if alt.any():
        cand = pd.DataFrame({"i": np.flatnonzero(alt), "lat": cls["lat"].to_numpy()[alt], "lon": cls["lon"].to_numpy()[alt],
                             "alat": cls["alt_lat"].to_numpy()[alt], "alon": cls["alt_lon"].to_numpy()[alt]})
        con.register("_zone_df", cand)
        try:
            isl = con.execute("""SELECT a.i, any_value(t.county) AS county, any_value(c.county_eng) AS county_en,
                    NOT EXISTS (SELECT 1 FROM ref_towns u WHERE ST_Intersects(u.geom, ST_Point(a.lon, a.lat))) AS off_land
                FROM _zone_df a JOIN ref_towns t ON list_contains(?, t.county) AND ST_Intersects(t.geom, ST_Point(a.alon, a.alat))
                LEFT JOIN ref_counties c ON c.county = t.county GROUP BY a.i, a.lon, a.lat ORDER BY a.i""",
                              [list(ISLAND_COUNTIES)]).df()
        finally:
            con.unregister("_zone_df")
        take = isl[isl["off_land"]]
        if len(take):
            idx = cls.index[take["i"].to_numpy()]
            cls.loc[idx, "lat"], cls.loc[idx, "lon"] = cls.loc[idx, "alt_lat"], cls.loc[idx, "alt_lon"]
            cls.loc[idx, "coord_source"] = cls.loc[idx, "coord_source"].str.replace("/121 converted", "/119 converted (zone by where it lands)", regex=False)
        both = isl[~isl["off_land"]]
        if len(both):
            idx = cls.index[both["i"].to_numpy()]
            cls.loc[idx, "alt_county"], cls.loc[idx, "alt_county_en"] = both["county"].to_numpy(), both["county_en"].to_numpy()
    keep = cls["alt_county"].notna().to_numpy()
    cls.loc[~keep, ["alt_lat", "alt_lon"]] = np.nan
    return cls


def _metres(x, y):
    return (x >= METRE_X[0]) & (x <= METRE_X[1]) & (y >= METRE_Y[0]) & (y <= METRE_Y[1])


def classify_points(df: pd.DataFrame) -> pd.DataFrame:
    """Vectorised classification of distinct (x_txt, y_txt, srs_txt, vc) rows, with srs_code (_pts_in).

    Adds c_* flags, the derived lat/lon (amended where unambiguous), coord_source and c_fix.
    """
    from .. import geo
    n = len(df)
    xt, yt = df["x_txt"], df["y_txt"]
    # neither coordinate column given: the two parts of verbatimCoordinates
    if df["vc"].notna().any():
        none = (xt.fillna("").str.strip() == "") & (yt.fillna("").str.strip() == "") & df["vc"].notna()
        if none.any():
            lat_t, lon_t = split_coordinates(df["vc"].where(none))
            xt, yt = xt.where(~none, lon_t), yt.where(~none, lat_t)
    x = pd.to_numeric(xt.str.strip(), errors="coerce").to_numpy(float)
    y = pd.to_numeric(yt.str.strip(), errors="coerce").to_numpy(float)
    # degrees, minutes and seconds (23°54'41.1"N) are read as the degrees they are: every such point was
    # "not numeric", unmapped, and its county, sea and institution checks were lost with it
    # (parsed only where the text is no number: a point per distinct text, ~2M at 10M records)
    (dms_x, coarse_x), (dms_y, coarse_y) = _dms_where(xt, np.isnan(x)), _dms_where(yt, np.isnan(y))
    dms = (np.isnan(x) & ~np.isnan(dms_x)) | (np.isnan(y) & ~np.isnan(dms_y))
    x, y = np.where(np.isnan(x), dms_x, x), np.where(np.isnan(y), dms_y, y)
    srs = df["srs_code"].fillna("").to_numpy(str)
    x_blank = xt.isna().to_numpy() | (xt.fillna("").str.strip() == "").to_numpy()
    y_blank = yt.isna().to_numpy() | (yt.fillna("").str.strip() == "").to_numpy()
    missing = x_blank | y_blank
    not_num = ~missing & (np.isnan(x) | np.isnan(y))
    num = ~missing & ~not_num
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    source = np.full(n, None, dtype=object)
    fix = np.full(n, None, dtype=object)
    fix_en = np.full(n, None, dtype=object)
    flags = {k: np.zeros(n, bool) for k in ("zero", "out_of_range", "equal", "swapped", "negated",
                                           "projected", "srs_mismatch")}
    flags["dms"] = dms & ~missing & ~np.isnan(x) & ~np.isnan(y)
    projected_srs = np.char.startswith(srs.astype(str), "TWD")
    metres = num & _metres(x, y)
    deg_in = num & _in_tw(y, x)
    # "TWD97" alone names the datum, as Darwin Core's geodeticDatum asks (the datum of decimalLatitude and
    # decimalLongitude, which are degrees): with degrees it is TWD97's geographic system (EPSG:3824, within a
    # metre of WGS84), not its TM2 metres; BDQ's amendment reads it so. Those points were "SRS does not fit
    # the values: set it to WGS84". (TWD67 is another datum, ~800 m off WGS84: still said, as before.)
    label = df["srs_txt"].fillna("").str.replace(r"\s", "", regex=True).str.upper().to_numpy(str)   # the label as written
    datum97 = (label == "TWD97") & ~metres & deg_in
    projected_srs &= ~datum97

    # declared TWD97/TWD67 metres
    declared = (x >= DECLARED_X[0]) & (x <= DECLARED_X[1]) & (y >= DECLARED_Y[0]) & (y <= DECLARED_Y[1])
    metres = np.where(projected_srs, declared, metres)
    for code in geo.EPSG:
        m = num & (srs == code) & metres
        if m.any():
            lo, la = geo.to_wgs84(code, x[m], y[m])
            lon[m], lat[m] = lo, la
            source[m] = f"{geo.SRS_LABEL[code]} converted"
    # A label without its zone ("TWD97") is read in the 121° zone; Kinmen, Matsu and Penghu are mapped in the
    # 119° zone, and a survey's file may hold both under one label. The 119° reading is offered here and taken
    # where it lands on those islands and the 121° one on no land (_zone_by_land, after the points are known):
    # 13 Kinmen frog records under "TWD97" were in the Taiwan Strait
    alt_lat, alt_lon = np.full(n, np.nan), np.full(n, np.nan)
    zoneless = np.isin(label, list(ZONELESS))
    for code, other in (("TWD97_121", "TWD97_119"), ("TWD67_121", "TWD67_119")):
        m = num & (srs == code) & metres & zoneless
        if m.any():
            alt_lon[m], alt_lat[m] = geo.to_wgs84(other, x[m], y[m])
    # declared metres but values are degrees
    mm = num & projected_srs & ~metres & deg_in
    flags["srs_mismatch"] |= mm
    lat[mm], lon[mm] = y[mm], x[mm]
    source[mm] = "WGS84 (declared SRS ignored)"
    fix[mm] = "數值為經緯度，請將坐標參考系統改為 WGS84"
    fix_en[mm] = "The values are degrees: set the coordinate system to WGS84"
    # degree fields (WGS84, unknown or missing SRS)
    deg = num & ~(projected_srs & (metres | deg_in))
    ok = deg & deg_in & (x != 0) & (y != 0)
    lat[ok], lon[ok] = y[ok], x[ok]
    source[ok] = np.where(datum97[ok], "TWD97 (degrees)", "WGS84")
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
        fix_en[pm] = [f"Converted from {z}: latitude {a:.6f}, longitude {o:.6f}; enter {z} as the coordinate system"
                      for z, a, o in zip(zone, lat[pm], lon[pm])]
    cand &= ~pm
    sw = cand & _in_tw(x, y)
    lat[sw], lon[sw] = x[sw], y[sw]
    flags["swapped"] = sw
    source[sw] = "WGS84 (lat/lon swapped)"
    fix[sw] = [f"經緯度對調：緯度 {a}、經度 {o}" for a, o in zip(lat[sw], lon[sw])]
    fix_en[sw] = [f"Swap them: latitude {a}, longitude {o}" for a, o in zip(lat[sw], lon[sw])]
    cand &= ~sw
    for sy, sx in ((1, -1), (-1, 1), (-1, -1)):
        ng = cand & _in_tw(sy * y, sx * x)
        lat[ng], lon[ng] = sy * y[ng], sx * x[ng]
        flags["negated"] |= ng
        source[ng] = "WGS84 (sign corrected)"
        fix[ng] = [f"去掉負號：緯度 {a}、經度 {o}" for a, o in zip(lat[ng], lon[ng])]
        fix_en[ng] = [f"Drop the minus sign: latitude {a}, longitude {o}" for a, o in zip(lat[ng], lon[ng])]
        cand &= ~ng
    oor = cand & ((np.abs(y) > 90) | (np.abs(x) > 180))
    flags["out_of_range"] = oor
    # digits without their separators (BBS: 244711.85, 1214046.97 at 大礁溪): degrees, minutes and seconds run
    # together (24°47'11.85" = 24.786625, 121.679714: 礁溪鄉, as the place says) or a lost decimal point
    # (24.471185, 121.404697: 大同鄉, in the mountains). Both readings are offered where both land in Taiwan,
    # the packed one first; never amended.
    for i in np.flatnonzero(oor):
        zh, en = [], []
        # one of the two may be right as it is (24.7862 beside 1214046.97)
        lats = ([float(y[i])] if abs(y[i]) <= 90 else []) + _packed_dms(y[i])
        lons = ([float(x[i])] if abs(x[i]) <= 180 else []) + _packed_dms(x[i])
        packed = next(((a, o) for a in lats for o in lons if _in_tw(a, o)), None)
        if packed:
            zh.append(f"度分秒未分隔？緯度 {packed[0]:.6f}、經度 {packed[1]:.6f}")
            en.append(f"Degrees, minutes and seconds run together? Latitude {packed[0]:.6f}, longitude {packed[1]:.6f}")
        shifted = next(((y[i] / 10 ** k, x[i] / 10 ** j) for k in range(1, 8) for j in range(1, 8)
                        if TW_LAT[0] <= y[i] / 10 ** k <= TW_LAT[1] and 119 <= x[i] / 10 ** j <= 122.5
                        and 21.8 <= y[i] / 10 ** k <= 26.5), None)
        if shifted:
            zh.append(f"小數點位置錯誤？緯度 {shifted[0]:.6f}、經度 {shifted[1]:.6f}")
            en.append(f"Decimal point misplaced? Latitude {shifted[0]:.6f}, longitude {shifted[1]:.6f}")
        if zh:
            fix[i], fix_en[i] = "；或".join(zh), "; or ".join(en)
    # degrees that are valid but far away: keep them, the spatial join says outside Taiwan
    far = cand & ~oor
    lat[far], lon[far] = y[far], x[far]
    source[far] = "WGS84"
    # the decimal degrees to write, a fix of its own (c_fix is a swap's or a sign's: given twice on a row with both)
    dm = flags["dms"] & ~np.isnan(lat)
    dms_fix, dms_fix_en = np.full(n, None, dtype=object), np.full(n, None, dtype=object)
    dms_fix[dm] = [f"改為十進位度：緯度 {a:.6f}、經度 {o:.6f}" for a, o in zip(lat[dm], lon[dm])]
    dms_fix_en[dm] = [f"Write decimal degrees: latitude {a:.6f}, longitude {o:.6f}" for a, o in zip(lat[dm], lon[dm])]
    out = df.copy()
    out["x_num"], out["y_num"] = x, y
    out["lat"], out["lon"] = lat, lon
    out["coord_source"] = source
    out["c_fix"] = fix
    out["c_fix_en"] = fix_en
    out["alt_lat"], out["alt_lon"] = alt_lat, alt_lon
    out["c_dms_fix"], out["c_dms_fix_en"] = dms_fix, dms_fix_en
    out["c_missing"] = missing
    out["c_not_numeric"] = not_num
    for k, v in flags.items():
        out[f"c_{k}"] = v
    out["c_has_point"] = ~np.isnan(lat)
    # precision in the coordinate's own unit, from the verbatim text
    dec_x = xt.fillna("").str.extract(r"\.(\d+)\s*$")[0].str.len().fillna(0).to_numpy()
    dec_y = yt.fillna("").str.extract(r"\.(\d+)\s*$")[0].str.len().fillna(0).to_numpy()
    is_m = out["coord_source"].fillna("").str.contains("converted").to_numpy()
    # one short beside one of 5 decimals or more is its trailing zeros dropped (BBS Taiwan's sites: 塔塔加鞍部
    # 23.474798 / 120.9); beside 3-4 decimals it is not told apart from a rounded site (the frog survey's
    # 25.0367 / 121.41) and stays flagged
    # (a DMS text's precision is its seconds, not its decimals: given to the second it is ~30 m, to the
    # minute ~1.8 km)
    low_deg = (num & ~is_m & ~flags["dms"] & out["c_has_point"].to_numpy() & (np.minimum(dec_x, dec_y) <= 2)
               & (np.maximum(dec_x, dec_y) < 5)) | (flags["dms"] & out["c_has_point"].to_numpy() & (coarse_x | coarse_y))
    with np.errstate(invalid="ignore"):     # an infinite value has no remainder: not low precision, not a warning
        low_m = num & is_m & (np.mod(x, 1000) == 0) & (np.mod(y, 1000) == 0)
    out["c_low_precision"] = low_deg | low_m
    return out


def _coordinates(con, params) -> None:
    from .. import geo
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _pts_in AS SELECT x_txt, y_txt, srs_txt, vc,
        {geo.srs_sql_case('srs_txt')} AS srs_code FROM (SELECT DISTINCT x_txt, y_txt, srs_txt, vc FROM _xyl)""")
    pts = con.execute("SELECT * FROM _pts_in").df()
    cls = _zone_by_land(con, classify_points(pts))
    cls["c_srs_unknown"] = (~cls["c_missing"]) & (cls["srs_code"].isna() | (cls["srs_code"] == "UNKNOWN")).to_numpy()
    cls["h3"] = geo.h3_cells(cls["lat"].to_numpy(), cls["lon"].to_numpy(), params.h3_resolution)
    con.register("_cls_df", cls)
    # the fixes are text even when no point has one (an all-None column reached DuckDB as INTEGER, and a
    # fix text taking coalesce(c_fix, '…') failed to bind on a file with a point abroad)
    con.execute("""CREATE OR REPLACE TEMP TABLE _cls AS SELECT * REPLACE (c_fix::VARCHAR AS c_fix, c_fix_en::VARCHAR AS c_fix_en,
        c_dms_fix::VARCHAR AS c_dms_fix, c_dms_fix_en::VARCHAR AS c_dms_fix_en, vc::VARCHAR AS vc, srs_code::VARCHAR AS srs_code,
        alt_county::VARCHAR AS alt_county, alt_county_en::VARCHAR AS alt_county_en, alt_lat::DOUBLE AS alt_lat,
        alt_lon::DOUBLE AS alt_lon) FROM _cls_df""")
    con.unregister("_cls_df")
    # One spatial join per distinct derived point.
    con.execute("""CREATE OR REPLACE TEMP TABLE _dp AS SELECT DISTINCT lat, lon, ST_Point(lon, lat) AS pt
                   FROM _cls WHERE c_has_point""")
    con.execute("""CREATE OR REPLACE TEMP TABLE _dp_town AS SELECT d.lat, d.lon, t.county, t.town, t.town_eng AS town_en,
                   t.c_lat AS t_lat, t.c_lon AS t_lon, t.area_km2 AS t_area_km2 FROM _dp d JOIN ref_towns t ON ST_Intersects(t.geom, d.pt)""")
    # the centroid radius of an area: cc_cen's buffer, but no more than the radius of a disc holding
    # `centroid_chance` of the area (a 1 km disc is 28 % of 臺北市大安區: every point there was "near")
    radius = lambda km2: (f"least({float(params.centroid_radius_m)}, "     # noqa: E731
                          f"sqrt({float(params.centroid_chance)} * {km2} * 1e6 / pi()))")
    con.execute("""CREATE OR REPLACE TEMP TABLE _dp_grid AS SELECT d.lat, d.lon, any_value(g.grid_id) AS grid_id,
                   any_value(g.land_type) AS land_type
                   FROM _dp d JOIN ref_grid g ON ST_Intersects(g.geom, d.pt) GROUP BY d.lat, d.lon""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _geo AS
        SELECT d.lat, d.lon, t.county, t.town, g.grid_id, g.land_type, t.county IS NOT NULL AS on_land,
          CASE WHEN t.county IS NOT NULL THEN 0 ELSE ST_Distance(d.pt, (SELECT geom FROM ref_land)) * {M_PER_DEG} END AS dist_land_m,
          CASE WHEN t.county IS NOT NULL THEN
            {M_PER_DEG} * sqrt(power(d.lat - t.t_lat, 2) + power((d.lon - t.t_lon) * cos(radians(d.lat)), 2)) END AS d_town_centroid_m,
          CASE WHEN t.county IS NOT NULL THEN
            {M_PER_DEG} * sqrt(power(d.lat - c.c_lat, 2) + power((d.lon - c.c_lon) * cos(radians(d.lat)), 2)) END AS d_county_centroid_m,
          {radius('t.t_area_km2')} AS r_town_centroid_m, {radius('c.area_km2')} AS r_county_centroid_m,
          i.name_zh AS inst_name, i.d AS d_inst_m,
          -- the English fix texts name the county and the institution in English (a suggestion read
          -- "the point is in 新竹市" beside the table's "Hsinchu City")
          c.county_eng AS county_en, t.town_en, i.name_en AS inst_name_en,
          -- how far a point outside the grid is from land, as a reader is told it: on the sphere (the planar
          -- dist_land_m, a threshold near Taiwan, put Honolulu 30,727 km away), to the nearest land point
          CASE WHEN g.grid_id IS NULL THEN ST_Distance_Sphere(ST_FlipCoordinates(d.pt),
               ST_FlipCoordinates(ST_ClosestPoint((SELECT geom FROM ref_land), d.pt))) / 1000 END AS far_km
        FROM _dp d
        LEFT JOIN (SELECT DISTINCT ON (lat, lon) * FROM _dp_town) t USING (lat, lon)
        LEFT JOIN ref_counties c ON c.county = t.county
        LEFT JOIN _dp_grid g USING (lat, lon)
        LEFT JOIN (SELECT DISTINCT ON (d.lat, d.lon) d.lat, d.lon, i.name_zh, i.name_en,
                     {M_PER_DEG} * sqrt(power(d.lat - i.lat, 2) + power((d.lon - i.lon) * cos(radians(d.lat)), 2)) AS d
                   FROM _dp d, ref_institutions i ORDER BY d.lat, d.lon, d) i USING (lat, lon)""")


MARINE_FAMILIES = ["Laridae", "Sternidae", "Sulidae", "Procellariidae", "Hydrobatidae", "Fregatidae", "Phaethontidae",
                   "Diomedeidae", "Stercorariidae", "Alcidae", "Phalacrocoracidae", "Delphinidae", "Balaenopteridae",
                   "Physeteridae", "Ziphiidae", "Phocoenidae", "Cheloniidae", "Dermochelyidae", "Hydrophiidae",
                   "Scolopacidae", "Charadriidae", "Ardeidae", "Pomacentridae", "Labridae", "Serranidae",
                   "Chaetodontidae", "Acanthuridae", "Scaridae", "Lutjanidae"]
MARINE_FAMILIES_SQL = ", ".join(f"'{f}'" for f in MARINE_FAMILIES)
MARINE_HABITAT_RX = "海|潮間帶|潮間|河口|沙洲|礁|marine|sea|ocean|intertidal|coast|reef|estuar"



def derive(con, ctx: DeriveContext) -> None:
    from .. import geo
    geo.load_reference(con)
    # One scan of the records for the family: the distinct (point text, place text) pairs. The
    # distinct points, the distinct place texts and the pairs whose county is compared are all
    # read from it (three scans of the records before: at 10M records ~2 CPU s less).
    # The raw columns are made distinct first and the texts computed from those: trim() and
    # concat_ws() once per distinct combination, not per record (at 10M records 1.7 → ~0.9 CPU s).
    # the point's key (PT_KEY, as the records compute it) is kept with the texts made from its columns
    raw = sorted(set(PT_RAW) | {c for t in (SRS_TXT, VC_TXT, LOC_TXT) for c in re.findall(r"\{o\}(\w+)", t)})
    cols = ", ".join(f"{ctx.fold.get(c, 'o.' + c)} AS {c}" for c in raw)
    texts = ", ".join(f"{num_text(t, '')} AS {t}" for t in ("decimalLongitude", "decimalLatitude"))
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _xyl AS SELECT {PT_KEY.format(o='')} AS pk, {X_TXT.format(o='')} AS x_txt,
        {Y_TXT.format(o='')} AS y_txt, {SRS_TXT.format(o='')} AS srs_txt, {VC_TXT.format(o='')} AS vc, {LOC_TXT.format(o='')} AS loc_txt
        FROM (SELECT *, {texts} FROM (SELECT DISTINCT {cols} FROM occ o))""")
    _coordinates(con, ctx.params)
    # lat5/lon5: the point as the repeat key rounds it (duplicates.RKEY), once per distinct point
    con.execute("""CREATE OR REPLACE TEMP TABLE _pt AS SELECT x.pk,
          c.* EXCLUDE (x_txt, y_txt, srs_txt, vc, h3, c_srs_unknown), c.c_srs_unknown AND NOT (c.c_projected OR c.c_swapped) AS c_srs_unknown,
          c.h3, g.* EXCLUDE (lat, lon, on_land), coalesce(g.on_land, false) AS on_land,
          round(c.lat, 5) AS lat5, round(c.lon, 5) AS lon5
        FROM (SELECT DISTINCT pk, hash(x_txt, y_txt, srs_txt, vc) AS tk FROM _xyl) x
        JOIN _cls c ON hash(c.x_txt, c.y_txt, c.srs_txt, c.vc) = x.tk LEFT JOIN _geo g ON g.lat = c.lat AND g.lon = c.lon""")
    ctx.progress(f"  coordinates classified and located ({time.time() - ctx.t0:.1f}s)")
    # the county (or counties: a bare "Chiayi") the place text names, in Chinese or English (dq/geo.py)
    # the distinct texts first, in a table of their own: in one statement the optimizer pushes the
    # test on named_list below the DISTINCT (even a MATERIALIZED one) into the scan, and the county
    # patterns ran on every record instead of once per distinct place text
    con.execute("CREATE OR REPLACE TEMP TABLE _lkd AS SELECT DISTINCT loc_txt FROM _xyl")
    # With it, the town (鄉鎮市區) a place text names within the one county it names: its name as written
    # today, or before 2010 (板橋市 for 板橋區: the name without its last character, then 鄉/鎮/市/區; names of
    # two characters, 東區, only as written). A text naming two towns of the county names none.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _lk AS
        WITH b AS (SELECT * FROM (SELECT hash(loc_txt) AS lk, loc_txt, {geo.named_county_sql('loc_txt')} AS named_list FROM _lkd)
                   WHERE named_list IS NOT NULL),
        u AS (SELECT lk, unnest(named_list) AS county, generate_subscripts(named_list, 1) AS i FROM b),
        m AS (SELECT b.lk, r.town, any_value(r.town_eng) AS town_en
              FROM (SELECT lk, replace(loc_txt, '台', '臺') AS txt, named_list[1] AS county FROM b WHERE len(named_list) = 1) b
              JOIN ref_towns r ON r.county = b.county
              WHERE contains(b.txt, r.town) OR (length(r.town) >= 3 AND (contains(b.txt, left(r.town, -1) || '鄉')
                    OR contains(b.txt, left(r.town, -1) || '鎮') OR contains(b.txt, left(r.town, -1) || '市')
                    OR contains(b.txt, left(r.town, -1) || '區')))
              GROUP BY b.lk, r.town),
        one AS (SELECT lk, any_value(town) AS named_town, any_value(town_en) AS named_town_en FROM m GROUP BY lk HAVING count(*) = 1)
        SELECT b.lk, b.named_list, array_to_string(b.named_list, '／') AS named_county,
               string_agg(coalesce(c.county_eng, u.county), ' / ' ORDER BY u.i) AS named_county_en,
               any_value(one.named_town) AS named_town, any_value(one.named_town_en) AS named_town_en
        FROM b JOIN u USING (lk) LEFT JOIN ref_counties c ON c.county = u.county LEFT JOIN one USING (lk)
        GROUP BY b.lk, b.named_list""")
    con.execute("DROP TABLE _lkd")
    # distance to the named county, only for the few (point, locality) pairs that disagree, and to the
    # named town for the pairs in the named county but another town; the keys are the ones the records
    # compute (record_cols pk and lk below)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _ncd AS
        WITH pl AS (SELECT DISTINCT pk, hash(loc_txt) AS lk FROM _xyl),
        cand AS (SELECT pl.pk, pl.lk, p.lat, p.lon, p.county, p.town, l.named_list, l.named_town
                 FROM pl JOIN _lk l USING (lk) JOIN _pt p USING (pk)
                 WHERE p.county IS NOT NULL AND (NOT list_contains(l.named_list, p.county)
                                                OR (l.named_town IS NOT NULL AND p.town IS DISTINCT FROM l.named_town))),
        cty AS (SELECT * FROM cand WHERE NOT list_contains(named_list, county)),
        cd AS (SELECT cty.pk, cty.lk, min(ST_Distance(ST_Point(cty.lon, cty.lat), c.geom)) * {M_PER_DEG} AS d_named_county_m
               FROM cty JOIN (SELECT county, ST_Union_Agg(geom) AS geom FROM ref_towns
                              WHERE county IN (SELECT unnest(named_list) FROM cty) GROUP BY county) c   -- only the counties named
                 ON list_contains(cty.named_list, c.county) GROUP BY cty.pk, cty.lk),
        td AS (SELECT cand.pk, cand.lk, ST_Distance(ST_Point(cand.lon, cand.lat), r.geom) * {M_PER_DEG} AS d_named_town_m
               FROM cand JOIN ref_towns r ON r.county = cand.county AND r.town = cand.named_town
               WHERE list_contains(cand.named_list, cand.county))
        SELECT coalesce(cd.pk, td.pk) AS pk, coalesce(cd.lk, td.lk) AS lk, cd.d_named_county_m, td.d_named_town_m
        FROM cd FULL OUTER JOIN td ON td.pk = cd.pk AND td.lk = cd.lk""")
    con.execute("DROP TABLE _xyl")


def _sphere_m(lat1: str, lon1: str, lat2: str, lon2: str) -> str:
    """SQL: metres between two points on the sphere (DuckDB spatial's, as far_km is measured; its points are lat, lon)."""
    return f"ST_Distance_Sphere(ST_Point({lat1}, {lon1}), ST_Point({lat2}, {lon2}))"


def derive_keyed(con, ctx: DeriveContext) -> None:
    # whether the family of each (name, vernacular name, family) pair is a marine or coastal one (`marine`)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _vern AS SELECT * EXCLUDE (pair_family),
        coalesce(pair_family, '') IN ({MARINE_FAMILIES_SQL}) AS marine_family FROM _vern""")
    # COORD_LOCATION_FAR: per locationID of a dataset, the median point of its records (latitude and
    # longitude each, weighted by records: the first value the running count of records reaches half
    # the location's at) and how widely they spread about it (the median distance, _lom); kept are the
    # (location, point) pairs far from it (_loc). BBS Taiwan's event file: a point with its longitude's
    # first decimal slipped (A27-28_01 at 121.23258 one year, 120.23258 every other), one in Tainan on a
    # site in Gongliao. Read from the distinct (location, point) pairs with their record counts: one pass
    # over the records that have a locationID (none where no source has the column: the key is NULL).
    # A record without a point is told its location's median point where the location's records are at one
    # (COORD_MISSING's fix).
    P = ctx.params
    w = "sum(n) OVER (PARTITION BY lok ORDER BY {v})"
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _lop AS
        SELECT k.lok, k.pk, any_value(c.lat) AS lat, any_value(c.lon) AS lon, count(*) AS n
        FROM _ek k JOIN _pt c ON c.pk = k.pk WHERE k.lok IS NOT NULL AND c.lat IS NOT NULL GROUP BY k.lok, k.pk""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _lom AS
        WITH t AS (SELECT lok, sum(n) AS n_all FROM _lop GROUP BY lok HAVING sum(n) >= {int(P.location_min_records)}),
        m AS (SELECT lok, any_value(n_all) AS n_all, min(lat) FILTER (WHERE 2 * cum_lat >= n_all) AS mlat,
                     min(lon) FILTER (WHERE 2 * cum_lon >= n_all) AS mlon
              FROM (SELECT r.*, t.n_all, {w.format(v='lat')} AS cum_lat, {w.format(v='lon')} AS cum_lon FROM _lop r JOIN t USING (lok))
              GROUP BY lok),
        d AS (SELECT r.lok, r.n, m.n_all, {_sphere_m('r.lat', 'r.lon', 'm.mlat', 'm.mlon')} AS dm FROM _lop r JOIN m USING (lok))
        SELECT m.lok, m.mlat AS loc_lat, m.mlon AS loc_lon, m.n_all::BIGINT AS loc_n, s.spread AS loc_spread_m, s.core AS loc_core
        FROM m JOIN (SELECT lok, min(dm) FILTER (WHERE 2 * cum >= n_all) AS spread,
                            sum(n) FILTER (WHERE dm <= {float(P.location_far_m)}) / any_value(n_all) AS core
                     FROM (SELECT d.*, {w.format(v='dm')} AS cum FROM d) GROUP BY lok) s USING (lok)""")
    # the lookup keeps what the records read (loc_far_m); the location's spread and share decide which pairs
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _loc AS
        SELECT lok, pk, loc_far_m FROM (SELECT r.lok, r.pk, {_sphere_m('r.lat', 'r.lon', 'm.loc_lat', 'm.loc_lon')} AS loc_far_m,
                                               m.loc_spread_m, m.loc_core FROM _lop r JOIN _lom m USING (lok))
        WHERE loc_far_m > greatest({float(P.location_far_m)}, {float(P.location_far_spread)} * loc_spread_m)
          AND loc_core >= {float(P.location_majority)} - 1e-9""")   # two of three records are two thirds, as a float too
    con.execute("DROP TABLE _lop")


def _derivation() -> Derivation:
    o = "o."
    return Derivation(
        record_cols={
            # 64-bit hashes let the record-level joins run on one integer instead of several nullable
            # texts; with n distinct values a collision has probability about n²/2^65 (< 1e-7 for a
            # million distinct points), which we accept.
            "pk": PT_KEY.format(o=o),
            "lk": f"hash({LOC_TXT.format(o=o)})",
            # the number as given, else read from the text
            "unc_m": "coalesce(o._n_coordinateUncertaintyInMeters, try_cast(o._t_coordinateUncertaintyInMeters AS DOUBLE), "
                     "try_cast(regexp_replace(o._t_coordinateUncertaintyInMeters, '[^0-9.]', '', 'g') AS DOUBLE))",
            "marine_habitat": f"regexp_matches(coalesce(o.habitat, ''), '{MARINE_HABITAT_RX}', 'i')",
            # the record's locationID within its dataset (COORD_LOCATION_FAR)
            "lok": f"CASE WHEN NOT {blank('o.locationID')} THEN hash(o.agency, o.dataset_id, trim(o.locationID)) END",
        },
        derive=derive,
        derive_keyed=derive_keyed,
        joins=("LEFT JOIN _pt c ON c.pk = k.pk", "LEFT JOIN _lom lm ON lm.lok = k.lok",
               "LEFT JOIN _loc lc ON lc.lok = k.lok AND lc.pk = k.pk"),
        # the place names a locality gives (named_list: a list) and their distances, after the other lookups
        late_joins=("LEFT JOIN _lk l ON l.lk = k.lk", "LEFT JOIN _ncd n ON n.pk = k.pk AND n.lk = k.lk"),
        # {h3} is filled with the resolution by the engine
        columns=("c.x_num", "c.y_num", "c.srs_code", "c.lat", "c.lon", "c.coord_source", "c.c_fix", "c.c_fix_en", "c.c_missing",
                 "c.c_not_numeric", "c.c_zero", "c.c_out_of_range", "c.c_equal", "c.c_swapped", "c.c_negated", "c.c_dms",
                 "c.c_dms_fix", "c.c_dms_fix_en",
                 "c.c_projected", "c.c_srs_mismatch", "c.c_has_point", "c.c_low_precision", "c.c_srs_unknown",
                 "c.h3 AS h3_r{h3}", "c.county", "c.town", "c.grid_id", "c.land_type", "c.on_land", "c.dist_land_m",
                 "c.d_town_centroid_m", "c.d_county_centroid_m", "c.r_town_centroid_m", "c.r_county_centroid_m",
                 "c.inst_name", "c.d_inst_m", "c.county_en", "c.town_en", "c.inst_name_en", "c.far_km",
                 "c.alt_county", "c.alt_county_en", "c.alt_lat", "c.alt_lon",
                 "l.named_county", "l.named_county_en", "l.named_list", "n.d_named_county_m",
                 "l.named_town", "l.named_town_en", "n.d_named_town_m", "k.unc_m",
                 "lc.loc_far_m", "lm.loc_lat", "lm.loc_lon", "lm.loc_n", "lm.loc_spread_m",
                 # marine reads the family of the record's (name, vernacular name, family) from the taxonomy
                 # family's per-pair lookup (alias v), judged once per pair in derive_keyed: as an IN list per
                 # record it cost the 10M bench's record pass ~1 CPU s (29 comparisons per record). Every
                 # record's pair is in _vern (its distinct pairs); the record's own family is the fallback.
                 f"(k.marine_habitat OR coalesce(v.marine_family, coalesce(o.family, t.checklist_family, '') IN ({MARINE_FAMILIES_SQL}))) AS marine"),
    )


DERIVATION = _derivation()

T = (standard.OCCURRENCE, standard.PROJECT)
# basisOfRecord values that say the organism was observed where it was (standard.BASIS_OF_RECORD's terms
# in lower case, and their labels), compared with standard.bor_key_sql (GBIF's HUMAN_OBSERVATION is one)
OBSERVED = ", ".join(f"'{v}'" for k, zh in standard.BASIS_OF_RECORD.items() if k.endswith("Observation")
                     for v in (k.lower(), zh))


def _centroid(area: str, zh: str, title_zh: str, title_en: str) -> Check:
    """COORD_<AREA>_CENTROID (area: county or town, the derived column naming it): within the
    area's centroid radius (r_<area>_centroid_m: cc_cen's buffer, smaller in a small area)."""
    d, r = f"e.d_{area}_centroid_m", f"e.r_{area}_centroid_m"
    one_in = f"{1 / G.centroid_chance:,.0f}"
    return Check(
        f"COORD_{area.upper()}_CENTROID", "coordinates", "warning", title_zh, title_en,
        f"點位離所在{zh}幾何中心很近：在 {G.centroid_radius_m:.0f} 公尺內，且近到隨機落在該{zh}的點只有 {one_in} 分之一"
        f"會這麼近（小{zh}的範圍因此較小），可能是只知道{zh}時給的點（CoordinateCleaner cc_cen）。",
        f"Closer to its {area}'s centroid than {G.centroid_radius_m:.0f} m and than a random point in the {area} falls one "
        f"time in {one_in} (a disc holding {G.centroid_chance} of its area, smaller in a small {area}): likely a point "
        f"given when only the {area} was known (CoordinateCleaner cc_cen).",
        f"{d} <= {r}",
        # the distance and the radius, then what to do (a fix text replaces the todo in fix lists)
        f"'距' || e.{area} || '中心點 ' || round({d})::INT || ' 公尺（本{zh} ' || round({r})::INT || ' 公尺內算中心點），"
        f"請確認是否為實際觀察地點；若只知道{zh}，請把誤差範圍填成涵蓋該{zh}的距離'",
        fix_en=f"round({d})::INT || ' m from its {area}''s centroid (within ' || round({r})::INT || ' m counts there): "
               f"check this is where it was seen; if only the {area} is known, give an uncertainty covering it'",
        tables=T, params=(CENTROID, CENTROID_CHANCE),
        todo_zh=f"請確認這是實際觀察地點還是{zh}代表點；若只知道{zh}，請把誤差範圍填成涵蓋該{zh}的距離。",
        todo_en=f"Check whether this is where it was seen or a stand-in for the {area}; if only the {area} is known, "
                "give an uncertainty covering it.")


CHECKS = [
    Check("COORD_MISSING", "coordinates", "error", "缺少坐標", "Coordinates missing",
          f"經度或緯度（X/Y 坐標）至少一個是空白，無法定位。同一地點編號（locationID）的紀錄都在一點（中位點 {G.location_point_m:.0f} 公尺內）時，建議填入該點。",
          f"Longitude or latitude (X/Y) is empty, so the record cannot be mapped. Where the records of its locationID lie at one point "
          f"(within {G.location_point_m:.0f} m of their median point), that point is offered.",
          # a record at a locationID whose other records have a point (BBS Taiwan's events: 204 of 339) is told it
          f"e.c_missing AND {NOT_PARENT}",
          f"CASE WHEN e.loc_lat IS NOT NULL AND e.loc_spread_m <= {G.location_point_m} THEN '地點編號 ' || trim(e.locationID) || ' 的 ' || e.loc_n || ' 筆紀錄在 ' || "
          "printf('%.5f', e.loc_lat) || ', ' || printf('%.5f', e.loc_lon) || '（中位點）：若是同一點位請填入，否則補上 X/Y 坐標與坐標參考系統' "
          "ELSE '補上 X/Y 坐標與坐標參考系統' END",
          fix_en=f"CASE WHEN e.loc_lat IS NOT NULL AND e.loc_spread_m <= {G.location_point_m} THEN 'The ' || e.loc_n || ' records at locationID ' || trim(e.locationID) || ' are at ' || "
                 "printf('%.5f', e.loc_lat) || ', ' || printf('%.5f', e.loc_lon) || ' (their median point): if this is the same point, enter it; "
                 "if not, add the X/Y coordinates and their coordinate system' ELSE 'Add the X/Y coordinates and their coordinate system' END", tables=T,
          params=(LOCATION_POINT,),
          columns=("decimalLatitude", "decimalLongitude", "verbatimLatitude", "verbatimLongitude", "verbatimCoordinates")),
    Check("COORD_NOT_NUMERIC", "coordinates", "error", "坐標不是數字", "Coordinates not numeric",
          "坐標欄位有文字但無法解讀成數字或度分秒（例如全形字、打錯的字母或註記）。",
          "A coordinate holds text that reads as neither a number nor degrees, minutes and seconds (full-width digits, a typed letter, notes).",
          "e.c_not_numeric", "'改為十進位數字，例如 121.5432'", fix_en="'Write decimal numbers, e.g. 121.5432'", tables=T),
    Check("COORD_DMS", "coordinates", "error", "坐標寫成度分秒", "Coordinates in degrees, minutes and seconds",
          "經緯度寫成度分秒（例如 23°54'41.1\"N、北緯23度54分41.1秒）：Darwin Core 的 decimalLatitude／decimalLongitude 要十進位度；已換算，地圖採用換算後的點。",
          "The coordinates are written in degrees, minutes and seconds (e.g. 23°54'41.1\"N): Darwin Core's decimalLatitude and "
          "decimalLongitude take decimal degrees; converted, maps use the converted point.",
          "e.c_dms", "e.c_dms_fix", fix_en="e.c_dms_fix_en", tables=T),
    Check("COORD_ZERO", "coordinates", "error", "坐標為 0", "Zero coordinates",
          "經度或緯度為 0，通常是缺值被填成 0。", "Latitude or longitude is 0, usually a blank written as 0.",
          "e.c_zero", tables=T, todo_zh="若不知道點位請留空白，不要填 0；知道的話請依野帳補上正確坐標。",
          todo_en="Leave an unknown point blank rather than 0; if it is known, enter it from the field notes."),
    Check("COORD_OUT_OF_RANGE", "coordinates", "error", "坐標超出範圍", "Coordinates out of range",
          "緯度超出 ±90 或經度超出 ±180，且不像 TWD97/TWD67 公尺值。",
          "Latitude beyond ±90 or longitude beyond ±180, and not TWD97/TWD67 metres either.",
          "e.c_out_of_range", "e.c_fix", fix_en="e.c_fix_en", tables=T),
    Check("COORD_EQUAL", "coordinates", "error", "經緯度相同", "Latitude equals longitude",
          "經度與緯度數值相同，多半是複製貼上錯誤。", "Latitude and longitude are the same number: a copy-paste slip.",
          "e.c_equal", tables=T, todo_zh="請對照原始紀錄，分別填入正確的經度與緯度。",
          todo_en="Enter the longitude and latitude separately from the original record."),
    Check("COORD_SWAPPED", "coordinates", "error", "經緯度對調", "Latitude and longitude swapped",
          "經緯度互換後落在臺灣，原值則不在；地圖已採用對調後的點。",
          "Swapping latitude and longitude puts the point in Taiwan, the original does not; maps use the swapped point.",
          "e.c_swapped", "e.c_fix", fix_en="e.c_fix_en", tables=T),
    Check("COORD_NEGATED", "coordinates", "error", "坐標正負號錯誤", "Coordinate sign negated",
          "去掉負號後落在臺灣；地圖已採用修正後的點。",
          "Without its minus sign the point falls in Taiwan; maps use the corrected point.",
          "e.c_negated", "e.c_fix", fix_en="e.c_fix_en", tables=T),
    Check("COORD_PROJECTED_AS_DEGREES", "coordinates", "error", "經緯度欄位填了 TWD97/TWD67 公尺值",
          "Projected metres in degree fields",
          "經緯度欄位的數值像 TWD97/TWD67 二度分帶公尺坐標（X 100,000–400,000、Y 2,400,000–2,950,000）；已用 pyproj 換算，地圖採用換算後的點。",
          "Degree fields hold TWD97/TWD67 TM2 metres (X 100,000–400,000, Y 2,400,000–2,950,000); converted with pyproj, maps use the converted point.",
          "e.c_projected", "e.c_fix", fix_en="e.c_fix_en", tables=T),
    Check("COORD_SRS_UNKNOWN", "coordinates", "warning", "坐標參考系統缺漏或無法辨識", "SRS missing or unknown",
          "verbatimSRS 空白或不是可辨識的系統（WGS84、EPSG:4326、TWD97/121、TWD97/119、TWD67…）。",
          "verbatimSRS is empty or not a recognised system (WGS84, EPSG:4326, TWD97/121, TWD97/119, TWD67…).",
          "e.c_srs_unknown", "'填寫 WGS84 或 TWD97/121（EPSG 代碼亦可）'", fix_en="'Enter WGS84 or TWD97/121 (an EPSG code will do)'", tables=T,
          # a file with no SRS column at all (nor one implied by its headers) is one file-level finding
          columns=("verbatimSRS", "geodeticDatum", "srs_from_header")),
    Check("COORD_SRS_MISMATCH", "coordinates", "warning", "坐標參考系統與數值不符", "SRS does not fit the values",
          "宣告為 TWD97/TWD67 公尺坐標，數值卻是經緯度（或相反）；已依數值判讀。",
          "Declared TWD97/TWD67 metres but the values are degrees (or the reverse); read by the values.",
          "e.c_srs_mismatch", "e.c_fix", fix_en="e.c_fix_en", tables=T),
    Check("COORD_OUTSIDE_TAIWAN", "coordinates", "error", "坐標在臺灣陸域與海域之外", "Outside Taiwan's land and waters",
          "點位不在臺灣、澎湖、金門、馬祖、綠島、蘭嶼、東沙、太平島的陸域或周邊海域（TBIA 5 公里網格範圍）。",
          "The point is outside the land and waters of Taiwan, Penghu, Kinmen, Matsu, Green Island, Orchid Island, Pratas and Taiping (the TBIA 5 km grid).",
          "e.c_has_point AND e.grid_id IS NULL",
          # the corrected point when one is known; else how far out it is (a fix list row without a
          # suggestion left the reader to work out what is wrong with it)
          "coalesce(e.c_fix, '距臺灣陸地約 ' || format('{:,}', round(e.far_km)::BIGINT) || ' 公里：請確認坐標是否抄錯（小數位、正負號、度分秒）')",
          fix_en="coalesce(e.c_fix_en, 'About ' || format('{:,}', round(e.far_km)::BIGINT) || ' km from Taiwan''s land: check the point for a slip (decimals, sign, degrees-minutes)')",
          tables=T),
    Check("COORD_IN_SEA", "coordinates", "warning", "陸域物種的點位在海上", "Terrestrial record in the sea",
          f"點位在臺灣海域、距陸地超過 {G.coast_tolerance_m:.0f} 公尺，但物種或棲地不是海洋／海岸性（海鳥、海魚、鯨豚、棲地含海域/潮間帶者除外）。",
          f"The point is in Taiwan's waters more than {G.coast_tolerance_m:.0f} m from land, and neither the taxon nor the habitat is marine or coastal.",
          "e.c_has_point AND e.grid_id IS NOT NULL AND NOT e.on_land AND e.dist_land_m > "
          f"{G.coast_tolerance_m} AND NOT e.marine", tables=T, params=(COAST,),
          todo_zh="請確認坐標是否抄錯（小數位、正負號）；若確為海上觀察（如船上），請在棲地欄註明。",
          todo_en="Check the point for a slip (decimals, sign); if it really was seen at sea (from a boat), say so in habitat."),
    _centroid("county", "縣市", "點位在縣市中心點", "On a county centroid"),
    _centroid("town", "鄉鎮", "點位在鄉鎮市區中心點", "On a town centroid"),
    Check("COORD_INSTITUTION", "coordinates", "warning", "點位在研究機構或博物館", "On a known institution",
          f"點位距博物館、標本館或研究機構 {G.institution_radius_m:.0f} 公尺內，可能是標本存放地而非採集地（CoordinateCleaner cc_inst）。"
          "紀錄類型為觀測（HumanObservation、MachineObservation，或 GBIF 的 Observation）時不檢查：植物園、動物園與校園是真實的觀察地點。",
          f"Within {G.institution_radius_m:.0f} m of a museum, herbarium or research institute: maybe where the specimen is kept, not where it was found (CoordinateCleaner's cc_inst). "
          "Not judged for observations (HumanObservation, MachineObservation, or GBIF's Observation): botanical gardens, zoos and campuses are real places to see wildlife.",
          # BBS Taiwan's counts at 植物園 and 成大校園, the frog survey's calls heard at the zoo: seen there
          f"e.d_inst_m <= {G.institution_radius_m} AND coalesce({standard.bor_key_sql('e.basisOfRecord')} NOT IN ({OBSERVED}), true)", # a file without basisOfRecord (the frog survey's calls heard at the zoo, BBS Taiwan's point counts on a
          # campus) is flagged for want of it: the fix says both ways out, not only "where was it collected"
          "'距 ' || e.inst_name || ' ' || round(e.d_inst_m)::INT || ' 公尺：若是在此觀察到的，請將 basisOfRecord 填為 HumanObservation；若點位是機構所在地（如標本館），請改為採集地點'",
          fix_en="round(e.d_inst_m)::INT || ' m from ' || coalesce(e.inst_name_en, e.inst_name) || ': if it was seen or heard there, give basisOfRecord HumanObservation; if the point is the institution''s (where a specimen is kept), give where it was found'",
          tables=T, params=(INSTITUTION,)),
    Check("COORD_LOW_PRECISION", "coordinates", "warning", "坐標精度過低", "Low coordinate precision",
          "經緯度有一個小數不超過 2 位（約 1 公里），或公尺坐標取整到公里。另一個有 5 位以上小數時不算（是末尾的 0 被省略，如 23.474798 / 120.9）。",
          "A longitude or latitude with at most 2 decimals (about 1 km), or metres rounded to whole kilometres. Not when the other has "
          "5 decimals or more (its trailing zeros were dropped: 23.474798 / 120.9).",
          "e.c_low_precision", tables=T, todo_zh="若原始紀錄有更精確的坐標請補上；否則請填寫相符的誤差範圍（2 位小數約 1 公里）。",
          todo_en="Give the more precise point if the original has one; otherwise an uncertainty to match (2 decimals ≈ 1 km)."),
    Check("COORD_UNCERTAINTY_MISSING", "coordinates", "warning", "缺少坐標誤差範圍", "Coordinate uncertainty missing",
          "有坐標但沒有誤差範圍（coordinateUncertaintyInMeters），無法判斷能否用於 1 公里尺度分析。",
          "Coordinates without coordinateUncertaintyInMeters: nobody can tell if the point is fit for 1 km analyses.",
          "e.c_has_point AND e.unc_m IS NULL", "'填寫誤差範圍（公尺），GPS 點位一般為 30'", fix_en="'Enter the uncertainty in metres (30 is usual for a GPS point)'", tables=(standard.OCCURRENCE,),
          columns=("coordinateUncertaintyInMeters",)),
    Check("COORD_UNCERTAINTY_LARGE", "coordinates", "warning", "坐標誤差範圍過大", "Coordinate uncertainty large",
          f"誤差範圍大於 {G.uncertainty_large_m:,.0f} 公尺。", f"Uncertainty above {G.uncertainty_large_m:,.0f} m.",
          f"e.unc_m > {G.uncertainty_large_m}", tables=(standard.OCCURRENCE,), params=(UNC_LARGE,),
          todo_zh="請確認誤差範圍的單位是公尺；若原始紀錄有更精確的點位請補上。",
          todo_en="Check that the uncertainty is in metres; give the more precise point if the original has one."),
    Check("COORD_COUNTY_MISMATCH", "coordinates", "warning", "點位與地點描述的縣市不符", "Point not in the county named",
          f"地點文字寫的縣市與點位所在縣市不同，且點位距該縣市超過 {G.county_tolerance_m:.0f} 公尺（或誤差範圍）。臺/台、舊縣名（臺北縣→新北市等）與英文縣市名（Yilan County、Ilan、New Taipei、TW-TPE…）已統一比較。",
          f"The locality names a county the point is not in, by more than {G.county_tolerance_m:.0f} m (or the uncertainty). 臺/台, pre-2010 county names and English names (Yilan County, Ilan, New Taipei, TW-TPE…) are compared as one.",
          "e.named_list IS NOT NULL AND e.county IS NOT NULL AND NOT list_contains(e.named_list, e.county) AND "
          f"e.d_named_county_m > greatest({G.county_tolerance_m}, coalesce(e.unc_m, 0))",
          # a zoneless TM2 point read in the 121° zone, whose 119° reading is in the island county the locality names
          "CASE WHEN list_contains(e.named_list, e.alt_county) THEN '坐標參考系統未寫分帶，依 121 分帶換算在 ' || e.county || "
          "'；以 119 分帶（澎湖、金門、馬祖所用）換算則在 ' || e.alt_county || '（緯度 ' || printf('%.6f', e.alt_lat) || '、經度 ' || "
          "printf('%.6f', e.alt_lon) || '），與地點相符：請將坐標參考系統改為 ' || replace(e.srs_code, '_121', '/119') "
          "ELSE '地點寫 ' || e.named_county || '，點位在 ' || e.county || '：請確認坐標或地點' END",
          fix_en="CASE WHEN list_contains(e.named_list, e.alt_county) THEN 'The coordinate system gives no zone: read in the 121° zone "
                 "the point is in ' || coalesce(e.county_en, e.county) || '; read in the 119° zone (used for Penghu, Kinmen and Matsu) "
                 "it is in ' || coalesce(e.alt_county_en, e.alt_county) || ' (' || printf('%.6f', e.alt_lat) || ', ' || "
                 "printf('%.6f', e.alt_lon) || '), as the locality says: set the coordinate system to ' || replace(e.srs_code, '_121', '/119') "
                 "ELSE 'The locality says ' || e.named_county_en || ', the point is in ' || coalesce(e.county_en, e.county) || ': check the point or the locality' END", tables=T,
          params=(COUNTY_TOL,), shows=PLACE_SHOWS),
    # the town is compared only where the county agrees (else the county check says it): 1,000 m from the
    # town named, as for the county
    Check("COORD_TOWN_MISMATCH", "coordinates", "warning", "點位與地點描述的鄉鎮市區不符", "Point not in the town named",
          f"地點文字寫的鄉鎮市區（在所寫的縣市內）與點位所在鄉鎮市區不同，且點位距該鄉鎮市區超過 {G.town_tolerance_m:.0f} 公尺（或誤差範圍）。"
          "臺/台與 2010 年改制前的名稱（臺北縣板橋市→新北市板橋區）已統一比較；地點文字寫了兩個鄉鎮市區時不比較。",
          f"The locality names a town (鄉鎮市區) of the county the point is in, but the point is in another town, more than "
          f"{G.town_tolerance_m:.0f} m (or the uncertainty) from the one named. 臺/台 and the names before 2010 (板橋市 for 板橋區) "
          "are compared as one; a locality naming two towns is not compared.",
          "e.named_town IS NOT NULL AND e.town IS NOT NULL AND e.town <> e.named_town AND list_contains(e.named_list, e.county) AND "
          f"e.d_named_town_m > greatest({G.town_tolerance_m}, coalesce(e.unc_m, 0))",
          "'地點寫 ' || e.named_county || e.named_town || '，點位在 ' || e.county || e.town || '：請確認坐標或地點'",
          fix_en="'The locality says ' || coalesce(e.named_town_en, 'another town') || ', the point is in ' || coalesce(e.town_en, 'another town') || "
                 "' (' || coalesce(e.county_en, 'the same county') || '): check the point or the locality'", tables=T,
          params=(TOWN_TOL,), shows=PLACE_SHOWS),
    # a point count's or plot's locationID names one place, surveyed again and again: a point far from where
    # its other records are is a slipped digit or the wrong ID (BBS Taiwan's event file: 2,484 such events at
    # 356 of its 4,160 points, 1,060 of them over 50 km off; most in a county that matched, so no county or
    # town check saw them)
    Check("COORD_LOCATION_FAR", "coordinates", "warning", "點位遠離同一地點編號的其他紀錄", "Far from its locationID's other records",
          f"同一資料集中，同一地點編號（locationID）的紀錄應在同一處；這筆的點位距該編號紀錄的中位點超過 {G.location_far_m / 1000:.0f} 公里，"
          f"也遠超過該編號紀錄平常的散布範圍（{G.location_far_spread:.0f} 倍），常是經緯度打錯一位數或填錯地點編號。"
          f"該編號至少有 {G.location_min_records} 筆有坐標的紀錄、且其中至少三分之二在中位點 {G.location_far_m / 1000:.0f} 公里內才判斷"
          "（兩處各半的編號可能換了地點或重用編號，不判斷）；上層事件與誤差範圍達此距離的點位（刻意模糊化）不判斷。",
          f"Records of one dataset that share a locationID should lie at one place; this point is more than {G.location_far_m:.0f} m "
          f"from the median point of that locationID's records, and {G.location_far_spread:.0f} times farther than they usually spread: "
          f"often a mistyped digit of a coordinate or the wrong locationID. Judged where the locationID has at least "
          f"{G.location_min_records} records with a point and at least {G.location_majority:.3f} of them (two thirds) lie within "
          f"{G.location_far_m:.0f} m of that point (a locationID split between two places, moved or reused, is not judged); not for "
          "a parent event, nor a point whose uncertainty is that distance or more (generalised on purpose).",
          # not a parent event (its point is its children's), nor a point generalised on purpose (an uncertainty of
          # the distance or more: a sensitive species' point)
          f"e.loc_far_m IS NOT NULL AND {NOT_PARENT} AND coalesce(e.unc_m, 0) < {G.location_far_m}",
          "'地點編號 ' || trim(e.locationID) || ' 的 ' || e.loc_n || ' 筆有坐標紀錄，中位點在 ' || printf('%.5f', e.loc_lat) || ', ' || "
          "printf('%.5f', e.loc_lon) || '，這筆相距 ' || printf('%.1f', e.loc_far_m / 1000) || ' 公里：請確認經緯度或地點編號'",
          fix_en="'The ' || e.loc_n || ' records with a point at locationID ' || trim(e.locationID) || ' centre on ' || "
                 "printf('%.5f', e.loc_lat) || ', ' || printf('%.5f', e.loc_lon) || '; this one is ' || printf('%.1f', e.loc_far_m / 1000) || "
                 "' km away: check the coordinates or the locationID'",
          params=(LOCATION_FAR, LOCATION_SPREAD, LOCATION_MIN, LOCATION_MAJORITY),
          shows=("locationID", "decimalLatitude", "decimalLongitude", "verbatimLatitude", "verbatimLongitude", "locality")),
]

FAMILY = Family("coordinates", tuple(CHECKS), DERIVATION)

# The coordinates page: no point can be drawn for these by definition; the record-wide warnings concern
# nearly every record of a survey (not opened by default)
NO_POINT = ("COORD_MISSING", "COORD_NOT_NUMERIC")
RECORD_WIDE = ("COORD_UNCERTAINTY_MISSING", "COORD_LOW_PRECISION", "COORD_SRS_UNKNOWN")
# the order the map gives colours in (maps.category_colours): the checks drawn as points first
MAP_ORDER = [c.id for c in CHECKS if c.id not in NO_POINT + RECORD_WIDE] + list(RECORD_WIDE)
