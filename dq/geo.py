"""Reference geography and the spatial work done once per distinct point.

Reference tables (built from ../shared/data by `python -m dq build-reference`, shipped in
data/reference/): towns and counties (MOI boundaries), Taiwan's land (nation polygon), the
TBIA 5 km grid with land/coastal/sea cells (its extent is Taiwan's land and waters: Taiwan,
Penghu, Kinmen, Matsu, Green Island, Orchid Island, Pratas, Taiping), and institutions.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from . import duck
from .paths import REFERENCE, SHARED_DATA


@dataclasses.dataclass(frozen=True)
class GeoParams:
    """Every spatial threshold, named and documented (shown on the Rules page)."""
    centroid_radius_m: float = 1000.0      # CoordinateCleaner cc_cen default buffer: the largest radius
    # ... and at most the radius a point placed at random in the area falls within this rarely: a
    # fixed 1 km around a town's centroid covers 3 % of a median town and 28 % of 臺北市大安區, so
    # on BBS Taiwan's 11,213 real sites it flagged 618, the number chance predicts (593)
    centroid_chance: float = 0.001
    institution_radius_m: float = 100.0    # CoordinateCleaner cc_inst default buffer
    coast_tolerance_m: float = 1000.0      # a point this close to land is coastal, not 'in the sea'
    county_tolerance_m: float = 1000.0     # mismatch only when farther than this (or the uncertainty)
    town_tolerance_m: float = 1000.0       # the same for the town (鄉鎮市區) a place text names
    uncertainty_large_m: float = 10000.0   # COORD_UNCERTAINTY_LARGE above this
    # COORD_LOCATION_FAR: a point this far from the median point of its locationID's records; BBS Taiwan's
    # 4,160 point locations spread 0 m (median) to 15 m (99th percentile) about it, a slipped digit 10-100 km
    location_far_m: float = 5000.0
    location_far_spread: float = 5.0       # ... and this many times the location's own spread (a wide area)
    location_min_records: int = 3          # a location judged once it has this many records with a point
    location_majority: float = 2 / 3       # ... and this share of its records within location_far_m of its median point
    location_point_m: float = 100.0        # a location whose records lie this close to its median point is one point
    h3_resolution: int = 7                 # ~5 km² hexagons for density maps


DEFAULT = GeoParams()
M_PER_DEG = 111_320.0

# verbatimSRS text → a code we convert from. Keys are normalised (upper case, no spaces).
SRS_CODES = {
    "WGS84": "WGS84", "WGS1984": "WGS84", "EPSG:4326": "WGS84", "4326": "WGS84", "TWD97經緯度": "WGS84",
    "EPSG:3824": "WGS84", "3824": "WGS84", "TWD97GEOGRAPHIC": "WGS84", "WGS84經緯度": "WGS84",
    "TWD97": "TWD97_121", "TWD97/121": "TWD97_121", "TWD97TM2": "TWD97_121", "TWD97/TM2": "TWD97_121",
    "EPSG:3826": "TWD97_121", "3826": "TWD97_121", "TWD97TM2/121": "TWD97_121", "TWD97_121": "TWD97_121",
    "TWD97/119": "TWD97_119", "EPSG:3825": "TWD97_119", "3825": "TWD97_119", "TWD97_119": "TWD97_119",
    "TWD97TM2/119": "TWD97_119",
    "TWD67": "TWD67_121", "TWD67/121": "TWD67_121", "EPSG:3828": "TWD67_121", "3828": "TWD67_121",
    "TWD67TM2": "TWD67_121", "TWD67_121": "TWD67_121",
    "TWD67/119": "TWD67_119", "EPSG:3827": "TWD67_119", "3827": "TWD67_119", "TWD67_119": "TWD67_119",
}
EPSG = {"TWD97_121": 3826, "TWD97_119": 3825, "TWD67_121": 3828, "TWD67_119": 3827}
SRS_LABEL = {"WGS84": "WGS84", "TWD97_121": "TWD97/121", "TWD97_119": "TWD97/119",
             "TWD67_121": "TWD67/121", "TWD67_119": "TWD67/119"}


def srs_sql_case(expr: str) -> str:
    """SQL CASE normalising a verbatimSRS expression to one of SRS_CODES' values (or 'UNKNOWN')."""
    norm = f"upper(regexp_replace(coalesce({expr}, ''), '[\\s]', '', 'g'))"
    whens = " ".join(f"WHEN {norm} = '{k.upper()}' THEN '{v}'" for k, v in SRS_CODES.items())
    return f"CASE WHEN {expr} IS NULL OR trim({expr}) = '' THEN NULL {whens} ELSE 'UNKNOWN' END"


_transformers: dict[str, Transformer] = {}


def to_wgs84(code: str, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Projected metres (TWD97/TWD67 TM2) → WGS84 lon, lat, vectorised with pyproj."""
    from pyproj import Transformer   # imported here: reading the catalogue needs no spatial library
    if code not in _transformers:
        _transformers[code] = Transformer.from_crs(EPSG[code], 4326, always_xy=True)
    lon, lat = _transformers[code].transform(np.asarray(x, float), np.asarray(y, float))
    return lon, lat


def h3_cells(lat: np.ndarray, lon: np.ndarray, res: int) -> list[str | None]:
    import h3
    # h3's Python API is per point; we only ever call it on distinct points.
    return [h3.latlng_to_cell(a, o, res) if a == a and o == o else None for a, o in zip(lat, lon)]


def load_reference(con, ref: Path = REFERENCE) -> None:
    """Create the reference tables in a connection (spatial must be loaded)."""
    for name in ("towns", "counties", "land", "grid"):
        con.execute(f"""CREATE OR REPLACE TEMP TABLE ref_{name} AS SELECT * EXCLUDE (wkb), ST_GeomFromWKB(wkb) AS geom
                        FROM read_parquet({duck.q(ref / (name + '.parquet'))})""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE ref_institutions AS
                    SELECT * FROM read_csv({duck.q(ref / 'institutions.csv')}, header=true)""")


# a boundary's area: TWD97 TM2 (121°E) is within 0.2 % in area even for Kinmen and Matsu
AREA_KM2 = "ST_Area(ST_Transform(geom, 'EPSG:4326', 'EPSG:3826', always_xy := true)) / 1e6"


def build_reference(shared: Path = SHARED_DATA, ref: Path = REFERENCE) -> None:
    """Copy the boundaries into compact Parquet with WKB geometry, precomputed centroids and areas
    (km², in TWD97 TM2 metres: the centroid checks' radius scales with the area)."""
    ref.mkdir(parents=True, exist_ok=True)
    con = duck.connect()
    b = shared / "boundaries"
    con.execute(f"""COPY (SELECT replace(COUNTYNAME, '台', '臺') AS county, COUNTYENG AS county_eng,
        replace(TOWNNAME, '台', '臺') AS town, TOWNENG AS town_eng, TOWNCODE AS town_code,
        ST_AsWKB(geom) AS wkb, ST_Y(ST_Centroid(geom)) AS c_lat, ST_X(ST_Centroid(geom)) AS c_lon, {AREA_KM2} AS area_km2
        FROM ST_Read({duck.q(b / 'towns.geojson')}) ORDER BY town_code) TO {duck.q(ref / 'towns.parquet')} (FORMAT parquet)""")
    con.execute(f"""COPY (SELECT replace(COUNTYNAME, '台', '臺') AS county, COUNTYENG AS county_eng, COUNTYCODE AS county_code,
        ST_AsWKB(geom) AS wkb, ST_Y(ST_Centroid(geom)) AS c_lat, ST_X(ST_Centroid(geom)) AS c_lon, {AREA_KM2} AS area_km2
        FROM ST_Read({duck.q(b / 'counties.geojson')}) ORDER BY county_code) TO {duck.q(ref / 'counties.parquet')} (FORMAT parquet)""")
    con.execute(f"""COPY (SELECT ST_AsWKB(ST_Union_Agg(geom)) AS wkb FROM ST_Read({duck.q(b / 'nation.geojson')}))
        TO {duck.q(ref / 'land.parquet')} (FORMAT parquet)""")
    # The grid file's own COUNTYNAME/TOWNNAME say 臺東縣成功鎮 for every land and coastal cell (even
    # cells in the South China Sea), so a cell is labelled by the town covering most of it instead;
    # a cell touching no town (open sea) has no label.
    con.execute(f"""COPY (
        WITH g AS (SELECT id, landType, center_x, center_y, geom FROM ST_Read({duck.q(b / 'grid5km_landtype.geojson')})),
        t AS (SELECT county, town, ST_GeomFromWKB(wkb) AS geom FROM read_parquet({duck.q(ref / 'towns.parquet')})),
        best AS (SELECT g.id, arg_max({{'county': t.county, 'town': t.town}}, ST_Area(ST_Intersection(g.geom, t.geom))) AS ct
                 FROM g JOIN t ON ST_Intersects(g.geom, t.geom) GROUP BY g.id)
        SELECT g.id AS grid_id, g.landType AS land_type, best.ct.county AS county, best.ct.town AS town, g.center_x AS c_lon, g.center_y AS c_lat,
               ST_AsWKB(g.geom) AS wkb
        FROM g LEFT JOIN best USING (id) ORDER BY g.id) TO {duck.q(ref / 'grid.parquet')} (FORMAT parquet)""")
    # Map outlines, simplified so a page sends a few hundred kB, not the survey-grade boundaries.
    con.execute(f"""COPY (SELECT county, county_eng, ST_AsGeoJSON(ST_SimplifyPreserveTopology(ST_GeomFromWKB(wkb), 0.003)) AS geojson
        FROM read_parquet({duck.q(ref / 'counties.parquet')})) TO {duck.q(ref / 'map_counties.parquet')} (FORMAT parquet)""")
    con.execute(f"""COPY (SELECT county, town, town_eng, ST_AsGeoJSON(ST_SimplifyPreserveTopology(ST_GeomFromWKB(wkb), 0.001)) AS geojson
        FROM read_parquet({duck.q(ref / 'towns.parquet')})) TO {duck.q(ref / 'map_towns.parquet')} (FORMAT parquet)""")
    # Whole-TBIA record counts per 5 km cell (22.5M records, 2024): the yardstick for the gap maps.
    # Its geometry column is an unquoted R list with commas, so the fields are taken by pattern.
    con.execute(f"""COPY (SELECT m[1] AS grid_id, m[2]::BIGINT AS tbia_records, m[3] AS land_type, m[4] AS priority FROM (
          SELECT regexp_extract(line, '^"([^"]+)",(\\d+),[^,]*,[^,]*,"([^"]*)",.*,"([^"]*)"$', ['a', 'b', 'c', 'd']) AS s
          FROM read_csv({duck.q(shared / 'gaps' / 'df_gapCount_with0.csv')}, header=true, sep='\x01', quote='', columns={{'line': 'VARCHAR'}})),
          LATERAL (SELECT [s.a, s.b, s.c, s.d] AS m) WHERE s.a <> '')
        TO {duck.q(ref / 'tbia_grid.parquet')} (FORMAT parquet)""")
    # TaiCOL species with no record anywhere in TBIA (2024): a true gap, not data held by someone else
    con.execute(f"""COPY (SELECT DISTINCT trim(recorded) AS species, taxaSubGroup AS tbia_group, family
        FROM read_csv({duck.q(shared / 'gaps' / 'df_tree_unrecorded_list.csv')}, header=true, all_varchar=true)
        WHERE taxonRank = 'species' AND recorded IS NOT NULL AND recorded <> 'NA' ORDER BY 1)
        TO {duck.q(ref / 'tbia_unrecorded.parquet')} (FORMAT parquet)""")
    con.close()


# County names as written in files: 22 counties/cities (臺 spelling, as the reference tables hold them),
# the pre-2010 counties that became cities, and English spellings (Wade–Giles, postal, pinyin,
# ISO 3166-2:TW codes as eBird writes STATE CODE). A bare "Chiayi" or "Hsinchu" names both the
# county and the city: the point may be in either.
COUNTIES_ZH = ("基隆市", "臺北市", "新北市", "桃園市", "新竹市", "新竹縣", "苗栗縣", "臺中市", "彰化縣", "南投縣",
               "雲林縣", "嘉義市", "嘉義縣", "臺南市", "高雄市", "屏東縣", "宜蘭縣", "花蓮縣", "臺東縣", "澎湖縣",
               "金門縣", "連江縣")
OLD_COUNTIES = {"臺北縣": "新北市", "桃園縣": "桃園市", "臺中縣": "臺中市", "臺南縣": "臺南市", "高雄縣": "高雄市"}
_EN_BASE = {
    "keelung": ("基隆市",), "jilong": ("基隆市",), "taipei": ("臺北市",), "taibei": ("臺北市",),
    "new taipei": ("新北市",), "xinbei": ("新北市",), "taoyuan": ("桃園市",), "hsinchu": ("新竹縣", "新竹市"),
    "xinzhu": ("新竹縣", "新竹市"), "miaoli": ("苗栗縣",), "taichung": ("臺中市",), "taizhong": ("臺中市",),
    "changhua": ("彰化縣",), "zhanghua": ("彰化縣",), "nantou": ("南投縣",), "yunlin": ("雲林縣",),
    "chiayi": ("嘉義縣", "嘉義市"), "jiayi": ("嘉義縣", "嘉義市"), "tainan": ("臺南市",), "kaohsiung": ("高雄市",),
    "gaoxiong": ("高雄市",), "pingtung": ("屏東縣",), "pingdong": ("屏東縣",), "yilan": ("宜蘭縣",), "ilan": ("宜蘭縣",),
    "hualien": ("花蓮縣",), "hualian": ("花蓮縣",), "taitung": ("臺東縣",), "taidong": ("臺東縣",),
    "penghu": ("澎湖縣",), "pescadores": ("澎湖縣",), "kinmen": ("金門縣",), "jinmen": ("金門縣",), "quemoy": ("金門縣",),
    "lienchiang": ("連江縣",), "lianjiang": ("連江縣",), "matsu": ("連江縣",),
}
_ISO = {"cha": "彰化縣", "cyi": "嘉義市", "cyq": "嘉義縣", "hsq": "新竹縣", "hsz": "新竹市", "hua": "花蓮縣", "ila": "宜蘭縣",
        "kee": "基隆市", "khh": "高雄市", "kin": "金門縣", "lie": "連江縣", "mia": "苗栗縣", "nan": "南投縣", "nwt": "新北市",
        "pen": "澎湖縣", "pif": "屏東縣", "tao": "桃園市", "tnn": "臺南市", "tpe": "臺北市", "ttt": "臺東縣", "txg": "臺中市",
        "yun": "雲林縣"}


def county_names_en() -> dict[str, tuple[str, ...]]:
    """Lower-case English spelling (hyphens and apostrophes removed) → the counties it can name."""
    out: dict[str, tuple[str, ...]] = {}
    for base, cs in _EN_BASE.items():
        out[base] = cs
        for suffix, ch in ((" city", "市"), (" county", "縣")):
            exact = tuple(c for c in cs if c.endswith(ch))
            old = OLD_COUNTIES.get(cs[0][:2] + "縣") if ch == "縣" else None
            if exact:
                out[base + suffix] = exact
            elif old:                      # Taipei County (before 2010) is New Taipei City today
                out[base + suffix] = (old,)
            else:                          # "Taoyuan County", "Yilan City": the one place the name can mean
                out[base + suffix] = cs
    for code, c in _ISO.items():
        out["tw" + code] = (c,)
    return out


def named_county_sql(loc: str) -> str:
    """SQL: the list of counties a place text names (Chinese with 台/臺 and old county names first,
    else English), or NULL. `loc` is a SQL expression; the patterns are built from the constants above."""
    zh = sorted(set(COUNTIES_ZH) | set(OLD_COUNTIES), key=len, reverse=True)
    zh_rx = "(" + "|".join(zh) + ")"
    old_case = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in OLD_COUNTIES.items())
    en = county_names_en()
    en_rx = r"\b(" + "|".join(sorted(en, key=len, reverse=True)) + r")\b"
    # a map looked up once, not `CASE en_hit WHEN …`: DuckDB repeats the operand in every WHEN, and each
    # copy compiled the 1,400-character pattern again (0.5 s a build, whatever its size)
    en_map = "MAP {" + ", ".join(f"'{k}': [{', '.join(repr(c) for c in v)}]" for k, v in en.items()) + "}"
    zh_hit = f"nullif(regexp_extract(replace({loc}, '台', '臺'), '{zh_rx}', 1), '')"
    en_txt = f"regexp_replace(regexp_replace(lower({loc}), '[\\-''’.]', '', 'g'), '\\s+', ' ', 'g')"
    en_hit = f"nullif(regexp_extract({en_txt}, '{en_rx}', 1), '')"
    return (f"CASE WHEN {zh_hit} IS NOT NULL THEN [CASE {zh_hit} {old_case} ELSE {zh_hit} END] "
            f"ELSE {en_map}[{en_hit}] END")
