"""The TDWG BDQ (TG2) core tests as one check family: derive, then the tests.

Each test is declared once with its BDQ label and GUID and one SQL expression over the verbatim
Darwin Core columns that gives BDQ's own answer:
  validations  COMPLIANT / NOT_COMPLIANT / INTERNAL_PREREQUISITES_NOT_MET (cannot judge)
  amendments   AMENDED / FILLED_IN / NOT_AMENDED / INTERNAL_PREREQUISITES_NOT_MET, with the
               proposed values (one SQL expression per Darwin Core term)
  issues       POTENTIAL_ISSUE / NOT_ISSUE;  measures  RUN_HAS_RESULT with a value
Each information element is judged on its own, as the specification says: a day is read as a
day, not through a full date, and a latitude without a longitude is still judged as a latitude.
Tests that need an external service (GBIF backbone, Getty TGN, WoRMS, boundary polygons) are
not here; `EXTERNAL` names them.

Placeholders in the SQL: `@term` is a verbatim column (a canonical Darwin Core column name),
`@@name` a bdqval parameter (its default, or a per-row value in `dq conformance bdq`).
`derive(con)` creates the macros and vocabularies (dq/checks/bdq_sql.py) the SQL calls.
The whole family is the `bdq-core` profile; `CHECKS` are its rows in the check catalogue.
"""
from __future__ import annotations

import dataclasses
import math
import re

from .. import standard
from . import Check, Derivation, Family, Param
from .bdq_sql import BDQ_REF, install

PROFILE = "bdq-core"
C, NC, IP, EP = "'COMPLIANT'", "'NOT_COMPLIANT'", "'INTERNAL_PREREQUISITES_NOT_MET'", "'EXTERNAL_PREREQUISITES_NOT_MET'"
AM, NA, FI = "'AMENDED'", "'NOT_AMENDED'", "'FILLED_IN'"
PI, NI = "'POTENTIAL_ISSUE'", "'NOT_ISSUE'"
RUN = "'RUN_HAS_RESULT'"

# BDQ information elements → canonical column (dq/sources/aliases.py CANONICAL)
TERM_COLUMN = {"dwc:county": "dwc_county", "dc:type": "type", "dcterms:license": "license"}


def column_of(term: str) -> str:
    return TERM_COLUMN.get(term, term.split(":", 1)[1])


@dataclasses.dataclass(frozen=True)
class Test:
    label: str
    guid: str
    kind: str                 # VALIDATION, AMENDMENT, ISSUE, MEASURE
    dimension: str            # the catalogue's dimension its findings count in
    title_zh: str
    title_en: str
    sql: str                  # the response status / result (see module doc)
    proposed: tuple[tuple[str, str], ...] = ()   # AMENDMENT: (dwc term, SQL of the proposed value); MEASURE: (("value", SQL),)
    params: tuple[tuple[str, str], ...] = ()     # (bdqval parameter, default as SQL)
    authority: bool = False   # takes bdqval:sourceAuthority: any other authority than ours cannot be reached here
    note_zh: str = ""         # where the Taiwan checks judge this differently, and why
    note_en: str = ""

    @property
    def id(self) -> str:
        return self.label


# Values worth computing once per distinct text rather than once per record: name → (the
# column they read, the SQL stages over its distinct values `x`; the last stage is `v`). A test
# reads the result as the column `@_name` (joined in by derive()).
LOOKUPS: dict[str, tuple[str, list[tuple[str, str]]]] = {}


def lookup(name: str, column: str, stages: list[tuple[str, str]]) -> str:
    LOOKUPS[name] = (column, stages)
    return f"@_{name}"


def _v(label, guid, dim, zh, en, sql, **kw):
    return Test(label, guid, "VALIDATION", dim, zh, en, sql, **kw)


def _a(label, guid, dim, zh, en, sql, proposed, **kw):
    return Test(label, guid, "AMENDMENT", dim, zh, en, sql, tuple(proposed), **kw)


def notempty(label, guid, term, dim="completeness", zh=None, shown=None):
    """`shown`: the term as both languages name it where its bare name is ambiguous (dc:type)."""
    return _v(label, guid, dim, zh or f"{shown or term} 未填", f"{shown or term} is empty",
              f"CASE WHEN bdq_ne(@{term}) THEN {C} ELSE {NC} END")


def in_vocab(label, guid, term, voc, dim="vocabulary", **kw):
    return _v(label, guid, dim, f"{term} 不在標準詞彙", f"{term} not in the standard vocabulary",
              f"CASE WHEN bdq_empty(@{term}) THEN {IP} WHEN {lookup(f'iv_{term}', term, [('v', f'bdq_in_vocab({chr(39)}{voc}{chr(39)}, x)')])} THEN {C} ELSE {NC} END",
              authority=True, **kw)


def standardized(label, guid, term, voc, dim="vocabulary", pre=None):
    x = pre.format(x="x") if pre else "x"
    m = lookup(f"vm_{term}", term, [("v", f"bdq_vmatch('{voc}', {x})")])
    return _a(label, guid, dim, f"{term} 可標準化", f"{term} can be standardised",
              f"""CASE WHEN bdq_empty(@{term}) THEN {IP} WHEN {lookup(f'isv_{term}', term, [('v', f'x IN (SELECT value FROM bdq_vocab WHERE vocabulary = {chr(39)}{voc}{chr(39)})')])} THEN {NA}
                  WHEN {m} IS NOT NULL AND {m} <> @{term} THEN {AM} ELSE {NA} END""",
              [(f"dwc:{term}" if term not in ("type", "license") else {"type": "dc:type", "license": "dcterms:license"}[term], m)],
              authority=True)


def in_range(label, guid, term, lo, hi, lo_param, hi_param, nonneg=False, dim="coordinates"):
    n = f"bdq_num(@{term})"
    bad = f"bdq_empty(@{term}) OR {n} IS NULL" + (f" OR {n} < 0" if nonneg else "")
    return _v(label, guid, dim, f"{term} 超出合理範圍", f"{term} out of range",
              f"CASE WHEN {bad} THEN {IP} WHEN {n} BETWEEN @@{lo_param} AND @@{hi_param} THEN {C} ELSE {NC} END",
              params=((lo_param, lo), (hi_param, hi)))


def less_than(label, guid, lo, hi, nonneg):
    a, b = f"bdq_num(@{lo})", f"bdq_num(@{hi})"
    bad = f"{a} IS NULL OR {b} IS NULL" + (f" OR {a} < 0 OR {b} < 0" if nonneg else "")
    return _v(label, guid, "coordinates", f"{lo} 大於 {hi}", f"{lo} greater than {hi}",
              f"CASE WHEN {bad} THEN {IP} WHEN {a} <= {b} THEN {C} ELSE {NC} END")


def any_filled(label, guid, terms, dim, zh, en):
    return _v(label, guid, dim, zh, en,
              "CASE WHEN " + " OR ".join(f"bdq_ne(@{t})" for t in terms) + f" THEN {C} ELSE {NC} END")


EV = "@eventDate"
EV_OK = f"bdq_ev_ok({EV})"
DAY_PREC = r"regexp_matches(split_part(@eventDate, '/', 1), '^\d{4}-\d{2}-\d{2}|^\d{8}$|^\d{4}-\d{3}$')"
ROMAN = "['I','II','III','IV','V','VI','VII','VIII','IX','X','XI','XII']"
MONTHS = "['jan','feb','mar','apr','may','jun','jul','aug','sep','oct','nov','dec']"
LICENSE_RX = (r"^(http(s){0,1}://creativecommons.org/licenses/(by|by-sa|by-nc|by-nc-sa|by-nd|by-nc-nd)/4.0/((deed|legalcode)"
              r"(.(id|eu|da|de|en|es|fr|fy|hr|it|lv|lt|mi|ni|no|pl|pt|ro|si|fi|sv|tr|cs|el|ru|uk|ar|jp|zh-hans|zh-hant|ko)){0,1}){0,1}"
              r"|(http(s){0,1}://creativecommons.org/publicdomain/zero/1.0/((deed|legalcode)"
              r"(.(id|eu|da|de|en|es|fr|fy|hr|it|lv|lt|ni|no|pl|pt|ro|si|fi|sv|tr|cs|el|ru|uk|ar|jp|zh-hans|zh-hant|ko)){0,1}){0,1}))$")


def _date_std(term):
    """SQL: the unambiguous ISO 8601 date a non-standard date text stands for (or NULL)."""
    x = f"trim(@{term})"
    ymd = rf"regexp_extract({x}, '^(\d{{4}})[/.\-](\d{{1,2}})[/.\-](\d{{1,2}})$', ['y', 'a', 'b'])"
    dmy = rf"regexp_extract({x}, '^(\d{{1,2}})[/.\-](\d{{1,2}})[/.\-](\d{{4}})$', ['a', 'b', 'y'])"
    return f"""CASE
        WHEN struct_extract({ymd}, 'y') <> '' AND try_cast(struct_extract({ymd}, 'a') AS INT) <= 12 THEN strftime(try_strptime(struct_extract({ymd}, 'y') || '-' || struct_extract({ymd}, 'a') || '-' || struct_extract({ymd}, 'b'), '%Y-%m-%d'), '%Y-%m-%d')
        WHEN struct_extract({ymd}, 'y') <> '' AND try_cast(struct_extract({ymd}, 'b') AS INT) <= 12 THEN strftime(try_strptime(struct_extract({ymd}, 'y') || '-' || struct_extract({ymd}, 'b') || '-' || struct_extract({ymd}, 'a'), '%Y-%m-%d'), '%Y-%m-%d')
        WHEN struct_extract({dmy}, 'y') <> '' AND try_cast(struct_extract({dmy}, 'a') AS INT) > 12 THEN strftime(try_strptime(struct_extract({dmy}, 'y') || '-' || struct_extract({dmy}, 'b') || '-' || struct_extract({dmy}, 'a'), '%Y-%m-%d'), '%Y-%m-%d')
        WHEN struct_extract({dmy}, 'y') <> '' AND try_cast(struct_extract({dmy}, 'b') AS INT) > 12 THEN strftime(try_strptime(struct_extract({dmy}, 'y') || '-' || struct_extract({dmy}, 'a') || '-' || struct_extract({dmy}, 'b'), '%Y-%m-%d'), '%Y-%m-%d')
        END"""


def _date_standardized(label, guid, term, dim):
    fix = _date_std(term)
    return _a(label, guid, dim, f"{term} 可改為 ISO 8601", f"{term} can be written as ISO 8601",
              f"CASE WHEN bdq_empty(@{term}) THEN {IP} WHEN bdq_ev_ok(@{term}) THEN {NA} WHEN ({fix}) IS NOT NULL THEN {AM} ELSE {NA} END",
              [(f"dwc:{term}", fix)])


def _doy_inrange(label, guid, term, which):
    v = f"bdq_int(@{term})"
    yr = f"year(bdq_ev_s({EV}))" if which == "start" else f"year(bdq_ev_last({EV}))"
    return _v(label, guid, "time", f"{term} 超出範圍", f"{term} out of range",
              f"""CASE WHEN bdq_empty(@{term}) OR ({v} = 366 AND (bdq_empty({EV}) OR NOT {EV_OK})) THEN {IP}
                  WHEN {v} BETWEEN 1 AND 365 OR ({v} = 366 AND bdq_leap({yr})) THEN {C} ELSE {NC} END""")


# -- the verbatim-date reader of AMENDMENT_EVENTDATE_FROM_VERBATIM: month names and Roman
# numerals to numbers, then the unambiguous day-month-year orders
def _verbatim_date():
    """Stages over the distinct verbatimEventDate texts `x` (see LOOKUPS)."""
    t = "t"
    # words for months (English, a few other languages as in specimen labels) and roman numerals
    names = [("january|janvier|januar|enero|jan", 1), ("february|février|februar|febrero|feb", 2), ("march|mars|märz|marzo|mar", 3),
             ("april|avril|abril|apr", 4), ("may|mai|mayo", 5), ("june|juin|juni|junio|jun", 6), ("july|juillet|juli|julio|jul", 7),
             ("august|août|agosto|aug", 8), ("september|septembre|septiembre|sept|sep", 9), ("october|octobre|oktober|octubre|oct|okt", 10),
             ("november|novembre|noviembre|nov", 11), ("december|décembre|dezember|diciembre|dec|dez", 12)]
    s = t
    s = rf"regexp_replace({s}, '(\d)(st|nd|rd|th)\b', '\1', 'g')"
    s = rf"regexp_replace({s}, '^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\.?,?\s*', '')"
    for rx, n in names:
        s = rf"regexp_replace({s}, '\b({rx})\b\.?', ' {n} ', 'g')"
    for rn, n in (("xii", 12), ("xi", 11), ("ix", 9), ("x", 10), ("viii", 8), ("vii", 7), ("vi", 6), ("iv", 4), ("v", 5), ("iii", 3), ("ii", 2), ("i", 1)):
        s = rf"regexp_replace({s}, '(^|[.\-/\s])({rn})([.\-/\s]|$)', '\1 {n} \3', 'g')"
    n = rf"trim(regexp_replace(regexp_replace({s}, '[年月]', '-', 'g'), '[日]', '', 'g'))"
    parts, words = "parts", "words"
    d1 = f"try_strptime({parts}[1] || '-' || {parts}[2] || '-' || {parts}[3], '%Y-%m-%d')"
    d3 = f"try_strptime({parts}[3] || '-' || {parts}[2] || '-' || {parts}[1], '%Y-%m-%d')"
    d3b = f"try_strptime({parts}[3] || '-' || {parts}[1] || '-' || {parts}[2], '%Y-%m-%d')"
    two_names = (rf"regexp_matches({t}, '^\d{{1,2}}\.([ivx]+)-\d{{1,2}}\.([ivx]+)\.\d{{4}}$')")
    v = f"""CASE
      WHEN regexp_full_match({t}, '\\d{{4}}s') THEN left({t}, 4) || '-01-01/' || (try_cast(left({t}, 4) AS INT) + 9)::VARCHAR || '-12-31'
      WHEN {two_names} THEN
        strftime(try_strptime({parts}[5] || '-' || {parts}[2] || '-' || {parts}[1], '%Y-%m-%d'), '%Y-%m-%d') || '/' ||
        strftime(try_strptime({parts}[5] || '-' || {parts}[4] || '-' || {parts}[3], '%Y-%m-%d'), '%Y-%m-%d')
      WHEN {words} <> '' AND {words} <> 'xx' THEN NULL
      WHEN len({parts}) = 2 AND length({parts}[2]) = 4 AND try_cast({parts}[1] AS INT) BETWEEN 1 AND 12
           AND NOT regexp_matches({t}, '^\\d{{1,2}}[/.\\-]\\d{{4}}$|^\\d{{4}}$') THEN {parts}[2] || '-' || lpad({parts}[1], 2, '0')
      WHEN len({parts}) = 2 AND length({parts}[2]) = 4 AND {words} = 'xx' AND try_cast({parts}[1] AS INT) BETWEEN 1 AND 12
           THEN {parts}[2] || '-' || lpad({parts}[1], 2, '0')
      WHEN len({parts}) <> 3 THEN NULL
      WHEN length({parts}[1]) = 4 AND {d1} IS NOT NULL THEN strftime({d1}, '%Y-%m-%d')
      WHEN length({parts}[3]) = 4 AND regexp_matches({t}, '^\\d+/\\d+/\\d{{4}}$') AND try_cast({parts}[1] AS INT) <= 12 AND try_cast({parts}[2] AS INT) <= 12 THEN NULL
      WHEN length({parts}[3]) = 4 AND {d3} IS NOT NULL THEN strftime({d3}, '%Y-%m-%d')
      WHEN length({parts}[3]) = 4 AND {d3b} IS NOT NULL THEN strftime({d3b}, '%Y-%m-%d')
      END"""
    return [("t", "lower(trim(x))"), ("n", n), ("parts", r"regexp_extract_all(n, '\d+')"),
            ("words", r"regexp_replace(n, '[\d\s.,/\-]', '', 'g')"), ("v", v)]


_EV_FROM_VERBATIM = lookup("vdate", "verbatimEventDate", _verbatim_date())

# day of year → ISO date inside a given year (NULL when the day does not exist)
def _doy_date(y, d):
    return (f"CASE WHEN {d} BETWEEN 1 AND 365 + CASE WHEN bdq_leap({y}) THEN 1 ELSE 0 END THEN "
            f"strftime(try_strptime(lpad({y}::VARCHAR, 4, '0') || '-01-01', '%Y-%m-%d') + to_days({d} - 1), '%Y-%m-%d') END")


_Y, _M, _D = "bdq_int(@year)", "bdq_int(@month)", "bdq_int(@day)"
_YMD = (f"CASE WHEN {_Y} BETWEEN 1 AND 9999 THEN CASE "
        f"WHEN {_M} BETWEEN 1 AND 12 AND bdq_empty(@day) THEN lpad({_Y}::VARCHAR, 4, '0') || '-' || lpad({_M}::VARCHAR, 2, '0') "
        f"WHEN {_M} BETWEEN 1 AND 12 THEN strftime(try_strptime(lpad({_Y}::VARCHAR, 4, '0') || '-' || {_M} || '-' || {_D}, '%Y-%m-%d'), '%Y-%m-%d') "
        f"WHEN bdq_empty(@month) OR {_M} IS NULL THEN lpad({_Y}::VARCHAR, 4, '0') END END")
_SD, _ED = "bdq_int(@startDayOfYear)", "bdq_int(@endDayOfYear)"
_YDOY = f"CASE WHEN {_SD} < {_ED} THEN ({_doy_date(_Y, _SD)}) || '/' || ({_doy_date(_Y, _ED)}) END"

# verbatim depth/elevation: "10 m", "10-20 ft", "5 fathoms"; units are required
_UNITS = "MAP {'m': 1.0, 'meters': 1.0, 'metres': 1.0, 'meter': 1.0, 'metre': 1.0, 'ft': 0.3048, 'feet': 0.3048, 'foot': 0.3048, " \
         "'fathom': 1.8288, 'fathoms': 1.8288, 'fm': 1.8288, 'ftm': 1.8288, 'ftms': 1.8288, 'yd': 0.9144, 'yds': 0.9144, 'yards': 0.9144, 'yard': 0.9144, 'km': 1000.0}"


def _verbatim_range(term, which):
    """SQL: metres from a verbatim depth or elevation with its unit: "10 m", "10-15 ftm", "1500 to 1800 ft",
    "Mindepth 10m, maxdepth=100m" (a minimum alone stands for both). No unit, no value."""
    num = r"(-?\d+(?:\.\d+)?)"
    rx = rf"^\s*{num}\s*(?:([a-zA-Z]*)\.?\s*(?:-|to|–)\s*{num}\s*)?([a-zA-Z]+)\.?\s*$"
    p = f"regexp_extract(@{term}, '{rx}', ['a', 'u1', 'b', 'u'])"
    kw = (rf"regexp_extract(@{term}, '(?i)^\s*min\w*(?:\s+[a-zA-Z]+)?\s*[=:]?\s*{num}\s*([a-zA-Z]+)\.?"
          rf"(?:\s*[,;]\s*max\w*(?:\s+[a-zA-Z]+)?\s*[=:]?\s*{num}\s*([a-zA-Z]+)\.?)?\s*$', ['a', 'ua', 'b', 'u'])")
    u = f"lower(coalesce(nullif(struct_extract({p}, 'u'), ''), nullif(struct_extract({kw}, 'ua'), '')))"
    u1 = f"lower(coalesce(nullif(struct_extract({p}, 'u1'), ''), nullif(struct_extract({kw}, 'u'), ''), {u}))"
    unit = f"CASE WHEN {u1} = {u} THEN ({_UNITS})[{u}] END"
    a0 = f"coalesce(nullif(struct_extract({p}, 'a'), ''), nullif(struct_extract({kw}, 'a'), ''))"
    b0 = f"coalesce(nullif(struct_extract({p}, 'b'), ''), nullif(struct_extract({kw}, 'b'), ''), {a0})"
    a = f"try_cast({a0} AS DOUBLE) * {unit}"
    b = f"try_cast({b0} AS DOUBLE) * {unit}"
    v = a if which == "min" else b
    sql = f"CASE WHEN ({a}) IS NOT NULL AND ({a}) <= ({b}) THEN rtrim(rtrim(printf('%.4f', {v}), '0'), '.') END"
    return lookup(f"vr_{term}_{which}", term, [("v", sql.replace(f"@{term}", "x"))])


def _dms(x, pos, neg, limit):
    """SQL: decimal degrees from a verbatim latitude/longitude (decimal, or degrees minutes seconds with a hemisphere)."""
    t = f"trim({x})"
    p = rf"""regexp_extract({t}, '^([+-]?\d+(?:\.\d+)?)\s*[°º˚d:\s]\s*(?:(\d+(?:\.\d+)?)\s*[''′m:\s]?\s*)?(?:(\d+(?:\.\d+)?)\s*(?:"|''''|″|s)?\s*)?([{pos}{neg}])?$', ['d', 'm', 's', 'h'])"""
    val = f"(abs(try_cast(struct_extract({p}, 'd') AS DOUBLE)) + coalesce(try_cast(nullif(struct_extract({p}, 'm'), '') AS DOUBLE), 0) / 60 + coalesce(try_cast(nullif(struct_extract({p}, 's'), '') AS DOUBLE), 0) / 3600)"
    sign = f"CASE WHEN upper(struct_extract({p}, 'h')) = '{neg}' OR starts_with(struct_extract({p}, 'd'), '-') THEN -1 ELSE 1 END"
    return f"""CASE WHEN bdq_num({x}) BETWEEN -{limit} AND {limit} THEN bdq_num({x})
        WHEN struct_extract({p}, 'd') <> '' AND coalesce(try_cast(nullif(struct_extract({p}, 'm'), '') AS DOUBLE), 0) < 60 AND coalesce(try_cast(nullif(struct_extract({p}, 's'), '') AS DOUBLE), 0) < 60
             AND {val} <= {limit} THEN round({sign} * {val}, 7) END"""


# The verbatim coordinates are parsed once per distinct text (lookups): written inline, the parse
# expands to thousands of expression nodes, and DuckDB spent ~1.5 s setting them up in every
# statement that answered this group, whatever its number of rows (most of a small file's build).
_VLAT = lookup("v_lat", "verbatimLatitude", [("v", _dms("x", "N", "S", 90))])
_VLON = lookup("v_lon", "verbatimLongitude", [("v", _dms("x", "E", "W", 180))])
# verbatimCoordinates: words to symbols ("23 degrees 42.72 minutes south" → 23°42.72'S), then a
# latitude part ending in N/S and a longitude part ending in E/W; or two bare decimals in either order
_VC = "@verbatimCoordinates"
for _w, _to in (("degrees?|deg", "°"), ("minutes?|mins?", "''"), ("seconds?|secs?", '"'), ("north", "N"), ("south", "S"),
                ("east", "E"), ("west", "W")):
    _VC = rf"regexp_replace({_VC}, '(?i)\s*\b({_w})\b', '{_to}', 'g')"
_VC_PARTS = rf"regexp_extract({_VC}, '^\s*(.*?[NS])[,;\s]+(.*[EW])\s*$', ['lat', 'lon'])"
_VC_NUMS = r"regexp_extract(@verbatimCoordinates, '^\s*([+-]?\d+(?:\.\d+)?)\s*[,;\s]\s*([+-]?\d+(?:\.\d+)?)\s*$', ['a', 'b'])"
_VC_A = f"try_cast(nullif(struct_extract({_VC_NUMS}, 'a'), '') AS DOUBLE)"
_VC_B = f"try_cast(nullif(struct_extract({_VC_NUMS}, 'b'), '') AS DOUBLE)"
_VC_LAT_SQL = (f"coalesce({_dms(f'struct_extract({_VC_PARTS}, ' + repr('lat') + ')', 'N', 'S', 90)}, "
           f"CASE WHEN abs({_VC_A}) > 90 AND abs({_VC_B}) <= 90 THEN {_VC_B} WHEN abs({_VC_A}) <= 90 AND abs({_VC_B}) <= 180 THEN {_VC_A} END)")
_VC_LON_SQL = (f"coalesce({_dms(f'struct_extract({_VC_PARTS}, ' + repr('lon') + ')', 'E', 'W', 180)}, "
           f"CASE WHEN abs({_VC_A}) > 90 AND abs({_VC_A}) <= 180 AND abs({_VC_B}) <= 90 THEN {_VC_A} "
           f"WHEN abs({_VC_A}) <= 90 AND abs({_VC_B}) <= 180 THEN {_VC_B} END)")
_VC_LAT = lookup("vc_lat", "verbatimCoordinates", [("v", _VC_LAT_SQL.replace("@verbatimCoordinates", "x"))])
_VC_LON = lookup("vc_lon", "verbatimCoordinates", [("v", _VC_LON_SQL.replace("@verbatimCoordinates", "x"))])
_FROM_VERBATIM_LAT = f"coalesce(CASE WHEN bdq_ne(@verbatimLatitude) AND bdq_ne(@verbatimLongitude) THEN {_VLAT} END, {_VC_LAT})"
_FROM_VERBATIM_LON = f"coalesce(CASE WHEN bdq_ne(@verbatimLatitude) AND bdq_ne(@verbatimLongitude) THEN {_VLON} END, {_VC_LON})"
_VSRS = "CASE WHEN bdq_ne(@verbatimSRS) THEN trim(@verbatimSRS) END"

_EPSG_CODE = r"CASE WHEN regexp_full_match(@geodeticDatum, 'EPSG:\d+') THEN (SELECT any_value(code) FROM bdq_epsg WHERE code = split_part(@geodeticDatum, ':', 2)) END"
_EPSG_NAME_X = ("(SELECT CASE WHEN count(DISTINCT code) = 1 THEN 'EPSG:' || min(code) END FROM (SELECT code, rank, min(rank) OVER () AS r0 "
              "FROM bdq_epsg WHERE norm = bdq_norm(@geodeticDatum) AND bdq_norm(@geodeticDatum) <> '') WHERE rank = r0)")
_EPSG_CODE = lookup("epsg_code", "geodeticDatum", [("v", _EPSG_CODE.replace("@geodeticDatum", "x"))])
_EPSG_NAME = lookup("epsg_name", "geodeticDatum", [("v", _EPSG_NAME_X.replace("@geodeticDatum", "x"))])
_CC_NAME = ("(SELECT CASE WHEN count(*) = 1 THEN min(alpha2) END FROM bdq_iso3166 WHERE "
            "CASE WHEN EXISTS (SELECT 1 FROM bdq_iso3166 WHERE norm = bdq_norm(@countryCode)) THEN norm = bdq_norm(@countryCode) "
            "ELSE length(bdq_norm(@countryCode)) >= 3 AND starts_with(norm, bdq_norm(@countryCode)) END)")
_CC_STD = lookup("cc_std", "countryCode", [("v", f"CASE WHEN upper(trim(x)) IN (SELECT alpha2 FROM bdq_iso3166) THEN upper(trim(x)) ELSE {_CC_NAME} END"
                                               .replace("@countryCode", "x"))])
lookup("cc_ok", "countryCode", [("v", "x IN (SELECT alpha2 FROM bdq_iso3166)")])
_VM_LICENSE = lookup("vm_license", "license", [("v", "bdq_vmatch('license', x)")])

_IS_LAST = "bdq_ev_last(@eventDate)"
_SINGLE_Y = f"year(bdq_ev_s(@eventDate)) = year({_IS_LAST})"
_SINGLE_M = f"{_SINGLE_Y} AND month(bdq_ev_s(@eventDate)) = month({_IS_LAST})"
_SINGLE_D = f"CAST(bdq_ev_s(@eventDate) AS DATE) = CAST({_IS_LAST} AS DATE)"

TESTS: list[Test] = [
    # ---- completeness: is the element there at all (NOT_COMPLIANT when empty)
    notempty("VALIDATION_BASISOFRECORD_NOTEMPTY", "ac2b7648-d5f9-48ca-9b07-8ad5879a2536", "basisOfRecord"),
    notempty("VALIDATION_COUNTRYCODE_NOTEMPTY", "853b79a2-b314-44a2-ae46-34a1e7ed85e4", "countryCode"),
    notempty("VALIDATION_DCTYPE_NOTEMPTY", "374b091a-fc90-4791-91e5-c1557c649169", "type", shown="dc:type"),
    notempty("VALIDATION_DECIMALLATITUDE_NOTEMPTY", "7d2485d5-1ba7-4f25-90cb-f4480ff1a275", "decimalLatitude"),
    notempty("VALIDATION_DECIMALLONGITUDE_NOTEMPTY", "9beb9442-d942-4f42-8b6a-fcea01ee086a", "decimalLongitude"),
    notempty("VALIDATION_EVENTDATE_NOTEMPTY", "f51e15a6-a67d-4729-9c28-3766299d2985", "eventDate"),
    notempty("VALIDATION_GEODETICDATUM_NOTEMPTY", "239ec40e-a729-4a8e-ba69-e0bf03ac1c44", "geodeticDatum"),
    notempty("VALIDATION_KINGDOM_NOTEMPTY", "36ed36c9-b1a7-40b2-b5e2-0d012e772098", "kingdom"),
    notempty("VALIDATION_LICENSE_NOTEMPTY", "15f78619-811a-4c6f-997a-a4c7888ad849", "license", shown="dcterms:license"),
    notempty("VALIDATION_NAMEPUBLISHEDINYEAR_NOTEMPTY", "ff59f77d-71e9-4eb1-aac9-8bd05c50ff70", "namePublishedInYear"),
    notempty("VALIDATION_OCCURRENCEID_NOTEMPTY", "c486546c-e6e5-48a7-b286-eba7f5ca56c4", "occurrenceID"),
    notempty("VALIDATION_OCCURRENCESTATUS_NOTEMPTY", "eb4a17f6-6bea-4cdd-93dd-d5a7e9d1eccf", "occurrenceStatus"),
    notempty("VALIDATION_SCIENTIFICNAMEAUTHORSHIP_NOTEMPTY", "49f1d386-5bed-43ae-bd43-deabf7df64fc", "scientificNameAuthorship"),
    notempty("VALIDATION_SCIENTIFICNAMEID_NOTEMPTY", "401bf207-9a55-4dff-88a5-abcd58ad97fa", "scientificNameID"),
    notempty("VALIDATION_SCIENTIFICNAME_NOTEMPTY", "7c4b9498-a8d9-4ebb-85f1-9f200c788595", "scientificName"),
    notempty("VALIDATION_TAXONRANK_NOTEMPTY", "14da5b87-8304-4b2b-911d-117e3c29e890", "taxonRank"),
    notempty("VALIDATION_YEAR_NOTEMPTY", "c09ecbf9-34e3-4f3e-b74a-8796af15e59f", "year"),
    _v("VALIDATION_COUNTRY_NOTEMPTY", "6ce2b2b4-6afe-4d13-82a0-390d31ade01c", "completeness", "country 未填", "country is empty",
       f"CASE WHEN bdq_ne(@country) OR @countryCode = 'XZ' THEN {C} ELSE {NC} END"),
    any_filled("VALIDATION_EVENTTEMPORAL_NOTEMPTY", "41267642-60ff-4116-90eb-499fee2cd83f",
               ["eventDate", "year", "month", "day", "startDayOfYear", "endDayOfYear", "verbatimEventDate"], "completeness",
               "沒有任何時間資訊", "No temporal information at all"),
    any_filled("VALIDATION_LOCATION_NOTEMPTY", "58486cb6-1114-4a8a-ba1e-bd89cfe887e9",
               ["higherGeographyID", "higherGeography", "continent", "country", "countryCode", "stateProvince", "dwc_county",
                "municipality", "waterBody", "island", "islandGroup", "locality", "locationID", "verbatimLocality",
                "decimalLatitude", "decimalLongitude", "verbatimCoordinates", "verbatimLatitude", "verbatimLongitude", "footprintWKT"],
               "completeness", "沒有任何地點資訊", "No location information at all"),
    any_filled("VALIDATION_TAXON_NOTEMPTY", "06851339-843f-4a43-8422-4e61b9a00e75",
               ["taxonID", "scientificNameID", "acceptedNameUsageID", "parentNameUsageID", "originalNameUsageID", "taxonConceptID",
                "scientificName", "higherClassification", "kingdom", "phylum", "class", "order", "superfamily", "family", "subfamily",
                "tribe", "subtribe", "genus", "genericName", "subgenus", "infragenericEpithet", "specificEpithet",
                "infraspecificEpithet", "vernacularName", "cultivarEpithet"],
               "completeness", "沒有任何分類群資訊", "No taxon information at all"),
    # ---- controlled vocabularies (exact: case, spaces and padding count)
    in_vocab("VALIDATION_BASISOFRECORD_STANDARD", "42408a00-bf71-4892-a399-4325e2bc1fb8", "basisOfRecord", "basisOfRecord"),
    in_vocab("VALIDATION_DCTYPE_STANDARD", "cdaabb0d-a863-49d0-bc0f-738d771acba5", "type", "dcType"),
    in_vocab("VALIDATION_DEGREEOFESTABLISHMENT_STANDARD", "060e7734-607d-4737-8b2c-bfa17788bf1a", "degreeOfEstablishment", "degreeOfEstablishment"),
    # the one edit that makes a Taiwanese file pass, where a test fails on nearly every row of it (TaiBON's name list:
    # 原生 on 4,421 rows; TBN's bird list: 種; BBS Taiwan's events: wgs84 on 99.5 %)
    in_vocab("VALIDATION_ESTABLISHMENTMEANS_STANDARD", "4eb48fdf-7299-4d63-9d08-246902e2857f", "establishmentMeans", "establishmentMeans",
             note_zh="BDQ 的詞彙是 Darwin Core 的英文值（native、nativeReintroduced、introduced、introducedAssistedColonisation、vagrant、uncertain）："
                     "原生、特有請寫 native，歸化、外來、栽培請寫 introduced；臺灣的檢核讀得懂中文值。",
             note_en="BDQ's vocabulary is Darwin Core's English values (native, nativeReintroduced, introduced, introducedAssistedColonisation, "
                     "vagrant, uncertain): write native for 原生 or 特有 (endemic), introduced for 歸化, 外來 or 栽培; the Taiwan checks read the Chinese values."),
    in_vocab("VALIDATION_OCCURRENCESTATUS_STANDARD", "7af25f1e-a4e2-4ff4-b161-d1f25a5c3e47", "occurrenceStatus", "occurrenceStatus"),
    in_vocab("VALIDATION_PATHWAY_STANDARD", "5424e933-bee7-4125-839e-d8743ea69f93", "pathway", "pathway"),
    in_vocab("VALIDATION_SEX_STANDARD", "88d8598b-3318-483d-9475-a5acf9887404", "sex", "sex"),
    in_vocab("VALIDATION_TAXONRANK_STANDARD", "7bdb13a4-8a51-4ee5-be7f-20693fdb183e", "taxonRank", "taxonRank", dim="taxonomy",
             note_zh="BDQ 比對英文的階層名（species、subspecies、variety、form、genus…）：種請寫 species，種下階層請寫實際的階層（subspecies、variety 或 form）。",
             note_en="BDQ compares English rank names (species, subspecies, variety, form, genus…): write species for 種, and the actual rank "
                     "(subspecies, variety or form) for 種下階層 (below species)."),
    in_vocab("VALIDATION_TYPESTATUS_STANDARD", "4833a522-12eb-4fe0-b4cf-7f7a337a6048", "typeStatus", "typeStatus"),
    _v("VALIDATION_COUNTRYCODE_STANDARD", "0493bcfb-652e-4d17-815b-b0cce0742fbe", "vocabulary", "countryCode 不是 ISO 3166-1 二碼",
       "countryCode not an ISO 3166-1 alpha-2 code",
       f"CASE WHEN bdq_empty(@countryCode) THEN {IP} WHEN @_cc_ok THEN {C} ELSE {NC} END"),
    _v("VALIDATION_LICENSE_STANDARD", "3136236e-04b6-49ea-8b34-a65f25e3aba1", "vocabulary", "授權不是 CC 4.0 或 CC0 的 IRI",
       "license is not a CC 4.0 or CC0 IRI",
       f"CASE WHEN bdq_empty(@license) THEN {IP} WHEN regexp_matches(@license, '{LICENSE_RX}') THEN {C} ELSE {NC} END", authority=True),
    _v("VALIDATION_GEODETICDATUM_STANDARD", "7e0c0418-fe16-4a39-98bd-80e19d95b9d1", "coordinates", "geodeticDatum 不是 EPSG 代碼",
       "geodeticDatum is not an EPSG code",
       f"CASE WHEN bdq_empty(@geodeticDatum) THEN {IP} WHEN @geodeticDatum = 'not recorded' OR ({_EPSG_CODE}) IS NOT NULL THEN {C} ELSE {NC} END",
       note_zh="BDQ 只接受 EPSG 代碼：WGS84（wgs84）請寫 EPSG:4326，TWD97 經緯度寫 EPSG:3824，TWD97 TM2 121 分帶寫 EPSG:3826；臺灣的檢核認得這些名稱。",
       note_en="BDQ takes EPSG codes only: write EPSG:4326 for WGS84 (wgs84), EPSG:3824 for TWD97 latitude/longitude, EPSG:3826 for TWD97 "
               "TM2 zone 121; the Taiwan checks read those names."),
    # ---- coordinates and ranges, each element on its own
    _v("VALIDATION_COORDINATES_NOTZERO", "1bf0e210-6792-4128-b8cc-ab6828aa4871", "coordinates", "經緯度皆為 0", "Both coordinates are zero",
       f"""CASE WHEN bdq_num(@decimalLatitude) IS NULL OR bdq_num(@decimalLongitude) IS NULL THEN {IP}
           WHEN bdq_num(@decimalLatitude) <> 0 OR bdq_num(@decimalLongitude) <> 0 THEN {C} ELSE {NC} END"""),
    _v("VALIDATION_DECIMALLATITUDE_INRANGE", "b6ecda2a-ce36-437a-b515-3ae94948fe83", "coordinates", "緯度超出 ±90", "decimalLatitude beyond ±90",
       f"CASE WHEN bdq_num(@decimalLatitude) IS NULL THEN {IP} WHEN bdq_num(@decimalLatitude) BETWEEN -90 AND 90 THEN {C} ELSE {NC} END"),
    _v("VALIDATION_DECIMALLONGITUDE_INRANGE", "0949110d-c06b-450e-9649-7c1374d940d1", "coordinates", "經度超出 ±180", "decimalLongitude beyond ±180",
       f"CASE WHEN bdq_num(@decimalLongitude) IS NULL THEN {IP} WHEN bdq_num(@decimalLongitude) BETWEEN -180 AND 180 THEN {C} ELSE {NC} END"),
    _v("VALIDATION_COORDINATEUNCERTAINTY_INRANGE", "c6adf2ea-3051-4498-97f4-4b2f8a105f57", "coordinates", "坐標誤差不在 1–20,037,509 公尺",
       "coordinateUncertaintyInMeters not within 1–20,037,509 m",
       f"""CASE WHEN bdq_empty(@coordinateUncertaintyInMeters) OR bdq_num(@coordinateUncertaintyInMeters) IS NULL THEN {IP}
           WHEN bdq_num(@coordinateUncertaintyInMeters) BETWEEN 1 AND 20037509 THEN {C} ELSE {NC} END"""),
    in_range("VALIDATION_MAXDEPTH_INRANGE", "3f1db29a-bfa5-40db-9fd1-fde020d81939", "maximumDepthInMeters", "0", "11000",
             "minimumValidDepthInMeters", "maximumValidDepthInMeters", nonneg=True),
    in_range("VALIDATION_MINDEPTH_INRANGE", "04b2c8f3-c71b-4e95-8e43-f70374c5fb92", "minimumDepthInMeters", "0", "11000",
             "minimumValidDepthInMeters", "maximumValidDepthInMeters", nonneg=True),
    in_range("VALIDATION_MAXELEVATION_INRANGE", "c971fe3f-84c1-4636-9f44-b1ec31fd63c7", "maximumElevationInMeters", "-430", "8850",
             "minimumValidElevationInMeters", "maximumValidElevationInMeters"),
    in_range("VALIDATION_MINELEVATION_INRANGE", "0bb8297d-8f8a-42d2-80c1-558f29efe798", "minimumElevationInMeters", "-430", "8850",
             "minimumValidElevationInMeters", "maximumValidElevationInMeters"),
    less_than("VALIDATION_MINDEPTH_LESSTHAN_MAXDEPTH", "8f1e6e58-544b-4365-a569-fb781341644e", "minimumDepthInMeters", "maximumDepthInMeters", True),
    less_than("VALIDATION_MINELEVATION_LESSTHAN_MAXELEVATION", "d708526b-6561-438e-aa1a-82cd80b06396", "minimumElevationInMeters",
              "maximumElevationInMeters", False),
    # ---- time: every date element read on its own, failure-tolerant
    _v("VALIDATION_EVENTDATE_STANDARD", "4f2bf8fd-fc5c-493f-a44c-e7b16153c803", "time", "eventDate 不是有效的 ISO 8601 日期",
       "eventDate is not a valid ISO 8601 date",
       f"CASE WHEN bdq_empty({EV}) THEN {IP} WHEN {EV_OK} THEN {C} ELSE {NC} END",
       note_zh="臺灣檢查「日期無法解讀」另接受 YYYY/MM/DD、YYYYMMDD 與民國年（換算後使用）；BDQ 只接受 ISO 8601，民國年 0112-05-01 在此是西元 112 年。",
       note_en="The Taiwan check “Date cannot be read” also reads YYYY/MM/DD, YYYYMMDD and ROC (民國) years (converted); BDQ accepts ISO 8601 only, so 0112-05-01 is the year 112 here."),
    _v("VALIDATION_EVENTDATE_INRANGE", "3cff4dc4-72e9-4abe-9bf3-8a30f1618432", "time", "eventDate 超出有效期間", "eventDate out of range",
       f"""CASE WHEN bdq_empty({EV}) OR NOT {EV_OK} THEN {IP}
           WHEN bdq_ev_s({EV}) >= CAST(@@earliestValidDate AS TIMESTAMP) AND bdq_ev_last({EV}) < CAST(@@latestValidDate AS TIMESTAMP) THEN {C} ELSE {NC} END""",
       params=(("earliestValidDate", "DATE '1582-11-15'"), ("latestValidDate", "date_trunc('year', current_date) + INTERVAL 1 YEAR")),
       note_zh="臺灣檢查「日期過早」以 1800 年為界、「日期在未來」以快照日為界；BDQ 預設為 1582-11-15 至今年年底。",
       note_en="The Taiwan checks use 1800 (“Implausibly old date”) and the snapshot day (“Date in the future”); BDQ's defaults are 1582-11-15 to the end of this year."),
    _v("VALIDATION_YEAR_INRANGE", "ad0c8855-de69-4843-a80c-a5387d20fbc8", "time", "year 超出有效期間", "year out of range",
       f"""CASE WHEN bdq_int(@year) IS NULL THEN {IP}
           WHEN bdq_int(@year) BETWEEN year(CAST(@@earliestValidDate AS DATE)) AND year(current_date) THEN {C} ELSE {NC} END""",
       params=(("earliestValidDate", "DATE '1582-11-15'"),)),
    _v("VALIDATION_MONTH_STANDARD", "01c6dafa-0886-4b7e-9881-2c3018c98bdc", "time", "month 不是 1–12", "month not an integer 1–12",
       f"CASE WHEN bdq_empty(@month) THEN {IP} WHEN bdq_int(@month) BETWEEN 1 AND 12 THEN {C} ELSE {NC} END"),
    _v("VALIDATION_DAY_STANDARD", "47ff73ba-0028-4f79-9ce1-ee7008d66498", "time", "day 不是 1–31", "day not an integer 1–31",
       f"CASE WHEN bdq_empty(@day) THEN {IP} WHEN bdq_int(@day) BETWEEN 1 AND 31 THEN {C} ELSE {NC} END"),
    _v("VALIDATION_DAY_INRANGE", "8d787cb5-73e2-4c39-9cd1-67c7361dc02e", "time", "該月沒有這一天", "day does not exist in that month",
       f"""CASE WHEN bdq_empty(@day) OR {_D} IS NULL OR ({_D} BETWEEN 29 AND 31 AND coalesce({_M} NOT BETWEEN 1 AND 12, true))
                OR ({_M} = 2 AND {_D} = 29 AND {_Y} IS NULL) THEN {IP}
           WHEN {_D} BETWEEN 1 AND 28 OR ({_D} BETWEEN 29 AND 30 AND {_M} IN (4, 6, 9, 11))
                OR ({_D} BETWEEN 29 AND 31 AND {_M} IN (1, 3, 5, 7, 8, 10, 12)) OR ({_D} = 29 AND {_M} = 2 AND bdq_leap({_Y})) THEN {C}
           ELSE {NC} END""",
       note_zh="臺灣的日期檢查只在 eventDate 空白時由 year/month/day 組日期；BDQ 單獨判斷 day（1952-02-30 在此不相容，其他欄照常判斷）。",
       note_en="The Taiwan date checks read year/month/day only as one date when eventDate is empty; BDQ judges day on its own (1952-02-30 is NOT_COMPLIANT here, every other element is still judged)."),
    _doy_inrange("VALIDATION_STARTDAYOFYEAR_INRANGE", "85803c7e-2a5a-42e1-b8d3-299a44cafc46", "startDayOfYear", "start"),
    _doy_inrange("VALIDATION_ENDDAYOFYEAR_INRANGE", "9a39d88c-7eee-46df-b32a-c109f9f81fb8", "endDayOfYear", "end"),
    _v("VALIDATION_EVENT_CONSISTENT", "5618f083-d55a-4ac2-92b5-b9fb227b832f", "time", "eventDate 與年月日欄不一致（或不是 ISO 8601 日期）",
       "eventDate disagrees with year, month, day or day of year (or is not an ISO 8601 date)",
       f"""CASE WHEN bdq_empty({EV}) OR (bdq_empty(@year) AND bdq_empty(@month) AND bdq_empty(@day) AND bdq_empty(@startDayOfYear)
                AND bdq_empty(@endDayOfYear)) THEN {IP}
           WHEN {EV_OK}
            AND (bdq_empty(@year) OR ({_SINGLE_Y} AND {_Y} = year(bdq_ev_s({EV}))))
            AND (bdq_empty(@month) OR ({_SINGLE_M} AND {_M} = month(bdq_ev_s({EV}))))
            AND (bdq_empty(@day) OR ({_SINGLE_D} AND {_D} = day(bdq_ev_s({EV}))))
            AND (bdq_empty(@startDayOfYear) OR ({DAY_PREC} AND {_SD} = dayofyear(bdq_ev_s({EV}))))
            AND (bdq_empty(@endDayOfYear) OR ({DAY_PREC} AND {_ED} = dayofyear({_IS_LAST}))) THEN {C}
           ELSE {NC} END""",
       # the TaiBON frog file's 2015/7/26 failed here on every row though its year column agrees: say why
       note_zh="依 TDWG 定義，eventDate 須是 ISO 8601 日期才談得上一致：寫成 2015/7/26 的日期，年月日欄即使相符也不相容；BDQ 建議修正欄會給 ISO 寫法（2015-07-26）。",
       note_en="By the TDWG definition only an ISO 8601 eventDate can be consistent: a date written 2015/7/26 fails here even when year, month and day agree; the BDQ amendments give its ISO form (2015-07-26)."),
    _v("VALIDATION_DATEIDENTIFIED_STANDARD", "66269bdd-9271-4e76-b25c-7ab81eebe1d8", "time", "dateIdentified 不是有效的 ISO 8601 日期",
       "dateIdentified is not a valid ISO 8601 date",
       f"CASE WHEN bdq_empty(@dateIdentified) THEN {IP} WHEN bdq_ev_ok(@dateIdentified) THEN {C} ELSE {NC} END"),
    _v("VALIDATION_DATEIDENTIFIED_INRANGE", "dc8aae4b-134f-4d75-8a71-c4186239178e", "time", "鑑定日期不合理（過早、在未來或早於採集）",
       "dateIdentified out of range or before the event",
       f"""CASE WHEN bdq_empty(@dateIdentified) OR NOT bdq_ev_ok(@dateIdentified) OR (@@includeEventDate AND bdq_ne({EV}) AND NOT {EV_OK}) THEN {IP}
           WHEN bdq_ev_s(@dateIdentified) >= CAST(@@earliestValidDate AS TIMESTAMP) AND bdq_ev_last(@dateIdentified) < CAST(@@latestValidDate AS TIMESTAMP)
                AND (bdq_empty({EV}) OR NOT @@includeEventDate OR bdq_ev_last(@dateIdentified) >= bdq_ev_s({EV})) THEN {C} ELSE {NC} END""",
       params=(("earliestValidDate", "DATE '1753-01-01'"), ("latestValidDate", "current_date + INTERVAL 1 DAY"), ("includeEventDate", "true"))),
    # ---- taxon
    _v("VALIDATION_POLYNOMIAL_CONSISTENT", "17f03f1f-f74d-40c0-8071-2927cfc9487b", "taxonomy", "學名與屬名、種小名、種下名不一致",
       "scientificName disagrees with genericName, specificEpithet or infraspecificEpithet",
       f"""CASE WHEN bdq_empty(@scientificName) OR (bdq_empty(@genericName) AND bdq_empty(@specificEpithet) AND bdq_empty(@infraspecificEpithet)) THEN {IP}
           WHEN (bdq_empty(@genericName) OR string_split(trim(@scientificName), ' ')[1] = trim(@genericName))
            AND (bdq_empty(@specificEpithet) OR string_split(trim(@scientificName), ' ')[2] = trim(@specificEpithet))
            AND (bdq_empty(@infraspecificEpithet) OR list_contains(string_split(trim(@scientificName), ' ')[3:], trim(@infraspecificEpithet)))
           THEN {C} ELSE {NC} END"""),
    _v("VALIDATION_SCIENTIFICNAMEID_COMPLETE", "6eeac3ed-f691-457f-a42e-eaa9c8a71ce8", "taxonomy", "scientificNameID 不是完整的識別碼",
       "scientificNameID is not a complete identifier",
       rf"""CASE WHEN bdq_empty(@scientificNameID) THEN {IP}
           WHEN regexp_full_match(trim(@scientificNameID), '(?i)urn:lsid:[a-z0-9.\-]+:[a-z0-9.\-_]+:[^:\s]+(:[^:\s]+)?')
             OR regexp_full_match(trim(@scientificNameID), '(?i)urn:[a-z0-9][a-z0-9\-]{{0,31}}:\S+')
             OR regexp_full_match(trim(@scientificNameID), '(?i)https?://[a-z0-9.\-]+(:\d+)?/\S*[^/\s]\S*')
             OR regexp_full_match(trim(@scientificNameID), '[a-zA-Z][a-zA-Z0-9]*:[0-9A-Za-z\-._]+') AND NOT starts_with(trim(@scientificNameID), 'dwc:')
           THEN {C} ELSE {NC} END"""),
    # ---- amendments
    standardized("AMENDMENT_BASISOFRECORD_STANDARDIZED", "07c28ace-561a-476e-a9b9-3d5ad6e35933", "basisOfRecord", "basisOfRecord"),
    standardized("AMENDMENT_DCTYPE_STANDARDIZED", "bd385eeb-44a2-464b-a503-7abe407ef904", "type", "dcType", pre="regexp_replace({x}, '^.*/', '')"),
    standardized("AMENDMENT_DEGREEOFESTABLISHMENT_STANDARDIZED", "74ef1034-e289-4596-b5b0-cde73796697d", "degreeOfEstablishment", "degreeOfEstablishment"),
    standardized("AMENDMENT_ESTABLISHMENTMEANS_STANDARDIZED", "15d15927-7a22-43f8-88d6-298f5eb45c4c", "establishmentMeans", "establishmentMeans"),
    standardized("AMENDMENT_OCCURRENCESTATUS_STANDARDIZED", "f8f3a093-042c-47a3-971a-a482aaaf3b75", "occurrenceStatus", "occurrenceStatus"),
    standardized("AMENDMENT_PATHWAY_STANDARDIZED", "f9205977-f145-44f5-8cb9-e3e2e35ce908", "pathway", "pathway"),
    standardized("AMENDMENT_SEX_STANDARDIZED", "33c45ae1-e2db-462a-a59e-7169bb01c5d6", "sex", "sex"),
    standardized("AMENDMENT_TAXONRANK_STANDARDIZED", "e39098df-ef46-464c-9aef-bcdeee2a88cb", "taxonRank", "taxonRank", dim="taxonomy"),
    standardized("AMENDMENT_TYPESTATUS_STANDARDIZED", "b3471c65-b53e-453b-8282-abfa27bf1805", "typeStatus", "typeStatus"),
    _a("AMENDMENT_LICENSE_STANDARDIZED", "dcbe5bd2-42a0-4aab-bb4d-8f148c6490f8", "vocabulary", "授權可標準化為 CC IRI", "license can be standardised",
       f"""CASE WHEN bdq_ne(@license) AND NOT regexp_matches(@license, '{LICENSE_RX}') AND {_VM_LICENSE} IS NOT NULL THEN {AM}
           ELSE {NA} END""", [("dcterms:license", _VM_LICENSE)], authority=True),
    _a("AMENDMENT_COUNTRYCODE_STANDARDIZED", "fec5ffe6-3958-4312-82d9-ebcca0efb350", "vocabulary", "countryCode 可標準化", "countryCode can be standardised",
       f"""CASE WHEN bdq_empty(@countryCode) THEN {IP} WHEN @_cc_ok THEN {NA}
           WHEN ({_CC_STD}) IS NOT NULL THEN {AM} ELSE {NA} END""", [("dwc:countryCode", _CC_STD)]),
    _a("AMENDMENT_GEODETICDATUM_STANDARDIZED", "0345b325-836d-4235-96d0-3b5caf150fc0", "coordinates", "geodeticDatum 可改為 EPSG 代碼",
       "geodeticDatum can be written as an EPSG code",
       f"""CASE WHEN bdq_empty(@geodeticDatum) THEN {IP} WHEN ({_EPSG_CODE}) IS NOT NULL OR @geodeticDatum = 'not recorded' THEN {NA}
           WHEN ({_EPSG_NAME}) IS NOT NULL THEN {AM} ELSE {NA} END""", [("dwc:geodeticDatum", _EPSG_NAME)]),
    _a("AMENDMENT_GEODETICDATUM_ASSUMEDDEFAULT", "7498ca76-c4d4-42e2-8103-acacccbdffa7", "coordinates", "geodeticDatum 空白，假定 EPSG:4326",
       "geodeticDatum empty: EPSG:4326 assumed",
       f"CASE WHEN bdq_empty(@geodeticDatum) THEN {FI} ELSE {NA} END", [("dwc:geodeticDatum", "@@defaultGeodeticDatum")],
       params=(("defaultGeodeticDatum", "'EPSG:4326'"),),
       note_zh="臺灣檢查「坐標參考系統缺漏或無法辨識」把空白的坐標系統當成問題；BDQ 此修正假定 EPSG:4326。",
       note_en="The Taiwan check “SRS missing or unknown” reports an empty SRS; this BDQ amendment assumes EPSG:4326."),
    _a("AMENDMENT_OCCURRENCESTATUS_ASSUMEDDEFAULT", "96667a0a-ae59-446a-bbb0-b7f2b0ca6cf5", "vocabulary", "occurrenceStatus 空白，假定 present",
       "occurrenceStatus empty: present assumed",
       f"CASE WHEN bdq_empty(@occurrenceStatus) AND bdq_empty(@individualCount) AND bdq_empty(@organismQuantity) THEN {FI} ELSE {NA} END",
       [("dwc:occurrenceStatus", "@@defaultOccurrenceStatus")], params=(("defaultOccurrenceStatus", "'present'"),)),
    _a("AMENDMENT_DAY_STANDARDIZED", "b129fa4d-b25b-43f7-9645-5ed4d44b357b", "time", "day 可標準化", "day can be standardised",
       rf"""CASE WHEN bdq_empty(@day) THEN {IP} WHEN trim(@day) = CAST({_D} AS VARCHAR) AND {_D} BETWEEN 1 AND 31 THEN {NA}
           WHEN try_cast(regexp_extract(trim(@day), '^0*(\d{{1,2}})\s*(st|nd|rd|th)?$', 1) AS INT) BETWEEN 1 AND 31 THEN {AM} ELSE {NA} END""",
       [("dwc:day", r"CAST(try_cast(regexp_extract(trim(@day), '^0*(\d{1,2})\s*(st|nd|rd|th)?$', 1) AS INT) AS VARCHAR)")]),
    _a("AMENDMENT_MONTH_STANDARDIZED", "2e371d57-1eb3-4fe3-8a61-dff43ced50cf", "time", "month 可標準化", "month can be standardised",
       f"""CASE WHEN bdq_empty(@month) THEN {IP} WHEN trim(@month) = CAST({_M} AS VARCHAR) AND {_M} BETWEEN 1 AND 12 THEN {NA}
           WHEN coalesce(try_cast(regexp_extract(trim(@month), '^0*(\\d{{1,2}})$', 1) AS INT), list_position({ROMAN}, upper(trim(@month))),
                list_position({MONTHS}, left(lower(trim(@month)), 3)) * CASE WHEN length(trim(@month)) >= 3 THEN 1 END) BETWEEN 1 AND 12 THEN {AM}
           ELSE {NA} END""",
       [("dwc:month", f"""CAST(coalesce(try_cast(regexp_extract(trim(@month), '^0*(\\d{{1,2}})$', 1) AS INT), list_position({ROMAN}, upper(trim(@month))),
                list_position({MONTHS}, left(lower(trim(@month)), 3)) * CASE WHEN length(trim(@month)) >= 3 THEN 1 END) AS VARCHAR)""")]),
    _date_standardized("AMENDMENT_EVENTDATE_STANDARDIZED", "718dfc3c-cb52-4fca-b8e2-0e722f375da7", "eventDate", "time"),
    _date_standardized("AMENDMENT_DATEIDENTIFIED_STANDARDIZED", "39bb2280-1215-447b-9221-fd13bc990641", "dateIdentified", "time"),
    _a("AMENDMENT_EVENTDATE_FROM_VERBATIM", "6d0a0c10-5e4a-4759-b448-88932f399812", "time", "可由 verbatimEventDate 填入 eventDate",
       "eventDate can be filled in from verbatimEventDate",
       # a verbatim value without a digit (TDWG's "X") is no date at all: the prerequisites are not met; one with
       # digits that reads as no single date ("0377", "03/04/2020") is not amended (the validation data, rows 682 and 689)
       f"CASE WHEN bdq_ne({EV}) OR bdq_empty(@verbatimEventDate) OR NOT regexp_matches(@verbatimEventDate, '\\d') THEN {IP} "
       f"WHEN ({_EV_FROM_VERBATIM}) IS NOT NULL THEN {FI} ELSE {NA} END",
       [("dwc:eventDate", _EV_FROM_VERBATIM)]),
    _a("AMENDMENT_EVENTDATE_FROM_YEARMONTHDAY", "3892f432-ddd0-4a0a-b713-f2e2ecbd879d", "time", "可由 year/month/day 填入 eventDate",
       "eventDate can be filled in from year, month and day",
       f"CASE WHEN bdq_ne({EV}) OR {_Y} IS NULL THEN {IP} WHEN ({_YMD}) IS NOT NULL THEN {FI} ELSE {NA} END",
       [("dwc:eventDate", _YMD)],
       note_zh="臺灣的日期檢查同樣由年月日組日期，但組不成（如 1952-02-30）時記為「日期無法解讀」。",
       note_en="The Taiwan date checks build the date the same way, and report “Date cannot be read” when it does not exist (e.g. 1952-02-30)."),
    _a("AMENDMENT_EVENTDATE_FROM_YEARSTARTDAYOFYEARENDDAYOFYEAR", "eb0a44fa-241c-4d64-98df-ad4aa837307b", "time",
       "可由 year 與起訖年日填入 eventDate", "eventDate can be filled in from year and days of year",
       f"""CASE WHEN bdq_ne({EV}) OR {_Y} IS NULL OR bdq_empty(@startDayOfYear) OR bdq_empty(@endDayOfYear) THEN {IP}
           WHEN ({_YDOY}) IS NOT NULL THEN {FI} ELSE {NA} END""", [("dwc:eventDate", _YDOY)]),
    _a("AMENDMENT_EVENT_FROM_EVENTDATE", "710fe118-17e1-440f-b428-88ba3f547d6d", "time", "可由 eventDate 填入年月日", "year, month, day can be filled in from eventDate",
       f"""CASE WHEN bdq_empty({EV}) OR NOT {EV_OK} THEN {IP}
           WHEN (bdq_empty(@year) AND {_SINGLE_Y}) OR (bdq_empty(@month) AND {_SINGLE_M}) OR (bdq_empty(@day) AND {_SINGLE_D})
             OR ((bdq_empty(@startDayOfYear) OR bdq_empty(@endDayOfYear)) AND {DAY_PREC}) THEN {FI} ELSE {NA} END""",
       [("dwc:year", f"CASE WHEN bdq_empty(@year) AND {_SINGLE_Y} THEN year(bdq_ev_s({EV}))::VARCHAR END"),
        ("dwc:month", f"CASE WHEN bdq_empty(@month) AND {_SINGLE_M} THEN month(bdq_ev_s({EV}))::VARCHAR END"),
        ("dwc:day", f"CASE WHEN bdq_empty(@day) AND {_SINGLE_D} THEN day(bdq_ev_s({EV}))::VARCHAR END"),
        ("dwc:startDayOfYear", f"CASE WHEN bdq_empty(@startDayOfYear) AND {DAY_PREC} THEN dayofyear(bdq_ev_s({EV}))::VARCHAR END"),
        ("dwc:endDayOfYear", f"CASE WHEN bdq_empty(@endDayOfYear) AND {DAY_PREC} THEN dayofyear({_IS_LAST})::VARCHAR END")]),
    _a("AMENDMENT_MINDEPTHMAXDEPTH_FROM_VERBATIM", "c5658b83-4471-4f57-9d94-bf7d0a96900c", "coordinates", "可由 verbatimDepth 填入深度",
       "depths can be filled in from verbatimDepth",
       f"""CASE WHEN bdq_ne(@minimumDepthInMeters) OR bdq_ne(@maximumDepthInMeters) OR bdq_empty(@verbatimDepth) THEN {IP}
           WHEN ({_verbatim_range('verbatimDepth', 'min')}) IS NOT NULL THEN {FI} ELSE {NA} END""",
       [("dwc:minimumDepthInMeters", _verbatim_range("verbatimDepth", "min")), ("dwc:maximumDepthInMeters", _verbatim_range("verbatimDepth", "max"))]),
    _a("AMENDMENT_MINELEVATIONMAXELEVATION_FROM_VERBATIM", "2d638c8b-4c62-44a0-a14d-fa147bf9823d", "coordinates", "可由 verbatimElevation 填入海拔",
       "elevations can be filled in from verbatimElevation",
       f"""CASE WHEN bdq_ne(@minimumElevationInMeters) OR bdq_ne(@maximumElevationInMeters) OR bdq_empty(@verbatimElevation) THEN {IP}
           WHEN ({_verbatim_range('verbatimElevation', 'min')}) IS NOT NULL THEN {FI} ELSE {NA} END""",
       [("dwc:minimumElevationInMeters", _verbatim_range("verbatimElevation", "min")),
        ("dwc:maximumElevationInMeters", _verbatim_range("verbatimElevation", "max"))]),
    _a("AMENDMENT_COORDINATES_FROM_VERBATIM", "3c2590c7-af8a-4eb4-af57-5f73ba9d1f8e", "coordinates", "可由原始坐標填入十進位經緯度",
       "decimal coordinates can be filled in from the verbatim ones",
       f"""CASE WHEN bdq_ne(@decimalLatitude) OR bdq_ne(@decimalLongitude)
                OR (bdq_empty(@verbatimCoordinates) AND (bdq_empty(@verbatimLatitude) OR bdq_empty(@verbatimLongitude))) THEN {IP}
           WHEN ({_FROM_VERBATIM_LAT}) IS NOT NULL AND ({_FROM_VERBATIM_LON}) IS NOT NULL THEN {FI} ELSE {NA} END""",
       [("dwc:decimalLatitude", f"CAST(({_FROM_VERBATIM_LAT}) AS VARCHAR)"), ("dwc:decimalLongitude", f"CAST(({_FROM_VERBATIM_LON}) AS VARCHAR)"),
        ("dwc:geodeticDatum", _VSRS)],
       note_zh="臺灣檢查另會把 TWD97/TWD67 公尺坐標換算為 WGS84；BDQ 此修正不做坐標系統轉換。",
       note_en="The Taiwan checks also convert TWD97/TWD67 metres to WGS84; this BDQ amendment never transforms between systems."),
    # ---- issues and measures
    Test("ISSUE_ESTABLISHMENTMEANS_NOTEMPTY", "acc8dff2-d8d1-483a-946d-65a02a452700", "ISSUE", "vocabulary", "填有 establishmentMeans（可能非原生）",
         "establishmentMeans given (maybe not native)", f"CASE WHEN bdq_ne(@establishmentMeans) THEN {PI} ELSE {NI} END"),
    Test("ISSUE_DATAGENERALIZATIONS_NOTEMPTY", "13d5a10e-188e-40fd-a22c-dbaa87b91df2", "ISSUE", "coordinates", "資料經過模糊化處理",
         "dataGeneralizations given (data were generalised)", f"CASE WHEN bdq_ne(@dataGeneralizations) THEN {PI} ELSE {NI} END"),
    Test("MEASURE_EVENTDATE_DURATIONINSECONDS", "56b6c695-adf1-418e-95d2-da04cad7be53", "MEASURE", "time", "eventDate 涵蓋的秒數",
         "eventDate duration in seconds", f"CASE WHEN bdq_empty({EV}) OR NOT {EV_OK} THEN {IP} ELSE {RUN} END",
         (("value", f"CAST(epoch(bdq_ev_e({EV})) - epoch(bdq_ev_s({EV})) AS BIGINT)::VARCHAR"),)),
]

# more places where a Taiwan check judges the same element differently on purpose
_NOTES = {
    "VALIDATION_BASISOFRECORD_STANDARD": (
        "臺灣檢查 VOCAB_BASIS_OF_RECORD 不分大小寫、接受中文標籤（人為觀測…）與 GBIF 下載檔的寫法（HUMAN_OBSERVATION）；BDQ 只接受 Darwin Core 類別名稱原樣。",
        "The Taiwan check VOCAB_BASIS_OF_RECORD ignores case and accepts the Chinese labels (人為觀測 …) and a GBIF download's form (HUMAN_OBSERVATION); BDQ accepts the Darwin Core class names exactly."),
    "VALIDATION_COORDINATES_NOTZERO": (
        "臺灣檢查 COORD_ZERO 在經度或緯度任一為 0 時即提出；BDQ 只在兩者皆為 0 時不相容。",
        "The Taiwan check COORD_ZERO fires when either coordinate is 0; BDQ is NOT_COMPLIANT only when both are."),
    "VALIDATION_YEAR_INRANGE": (
        "臺灣檢查把 0112 這類年份讀作民國年並換算；BDQ 把它當西元 112 年（不在有效期間）。",
        "The Taiwan checks read a year like 0112 as an ROC year and convert it; BDQ takes it as the year 112 (out of range)."),
}
TESTS = [dataclasses.replace(t, note_zh=_NOTES[t.label][0], note_en=_NOTES[t.label][1]) if t.label in _NOTES else t for t in TESTS]
BY_LABEL = {t.label: t for t in TESTS}


def file_level(counts: dict[str, dict[str, int]], columns) -> tuple[list[str], list[str]]:
    """Of a file's BDQ answers (`counts`: test → status → records), the tests whose answer is the
    file's rather than any record's: (judged on no record: every record INTERNAL_PREREQUISITES_NOT_MET,
    failed on every record while the file has none of the columns the test reads). `columns`: the
    canonical columns the file has."""
    have = set(columns)
    judged = [t for t in TESTS if t.kind in ("VALIDATION", "ISSUE") and counts.get(t.label)]
    nowhere = [t.label for t in judged if set(counts[t.label]) == {"INTERNAL_PREREQUISITES_NOT_MET"}]
    lacking = [t.label for t in judged if set(counts[t.label]) <= {"NOT_COMPLIANT", "POTENTIAL_ISSUE"} and not have & set(terms(t))]
    return sorted(nowhere), sorted(lacking)

def not_applicable(not_about) -> list[str]:
    """The tests that read only terms a kind of table never records (Profile.not_about: an event
    table's organism terms, a species list's places and dates): they ask the file something it is
    not about, so they are left out of its results, not failed — and their amendments are not
    proposed (a species list is not told to fill geodeticDatum with EPSG:4326, nor an event row
    occurrenceStatus with "present")."""
    out = set(not_about)
    return sorted(t.label for t in TESTS if out and set(terms(t)) <= out)

# needs a service or data this tool does not ship (GBIF backbone, Getty TGN, WoRMS, boundary polygons)
EXTERNAL = ["VALIDATION_CLASSIFICATION_CONSISTENT", "VALIDATION_CLASS_FOUND", "VALIDATION_COORDINATESCOUNTRYCODE_CONSISTENT",
            "VALIDATION_COORDINATESSTATEPROVINCE_CONSISTENT", "VALIDATION_COORDINATESTERRESTRIALMARINE_CONSISTENT",
            "VALIDATION_COUNTRYSTATEPROVINCE_UNAMBIGUOUS", "VALIDATION_COUNTRY_FOUND", "VALIDATION_COUNTRYCOUNTRYCODE_CONSISTENT",
            "VALIDATION_FAMILY_FOUND", "VALIDATION_GENUS_FOUND", "VALIDATION_KINGDOM_FOUND", "VALIDATION_ORDER_FOUND",
            "VALIDATION_PHYLUM_FOUND", "VALIDATION_SCIENTIFICNAME_FOUND", "VALIDATION_STATEPROVINCE_FOUND", "VALIDATION_TAXON_UNAMBIGUOUS",
            "AMENDMENT_COORDINATES_TRANSPOSED", "AMENDMENT_COUNTRYCODE_FROM_COORDINATES", "AMENDMENT_SCIENTIFICNAMEID_FROM_TAXON",
            "AMENDMENT_SCIENTIFICNAME_FROM_SCIENTIFICNAMEID", "ISSUE_COORDINATES_CENTEROFCOUNTRY", "ISSUE_ANNOTATION_NOTEMPTY"]

_TERM_RX = re.compile(r"(?<!@)@([A-Za-z_]\w*)")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_PARAM_RX = re.compile(r"@@(\w+)")


def terms(t: Test) -> list[str]:
    """The verbatim columns a test reads."""
    text = t.sql + " ".join(s for _, s in t.proposed)
    found = set(_TERM_RX.findall(_PARAM_RX.sub("", text)))
    looked = {LOOKUPS[c[1:]][0] for c in found if c[1:] in LOOKUPS}
    dates = {col for col, pre in DATE_PREFIX.items() if any(c.startswith(pre + "_") for c in found)}
    return sorted({c for c in found if not c.startswith("_")} | looked | dates)


def render(sql: str, t: Test, alias: str = "", params: dict[str, str] | None = None,
           const: dict[str, str] | None = None) -> str:
    """Fill in the placeholders: columns (optionally table-qualified) and parameters (SQL text,
    default: the declared defaults; `params` maps a name to another SQL expression). `const`: the
    columns (and derived columns) known to be one constant in every record, as that constant's SQL
    (constants())."""
    declared = dict(t.params)
    if t.authority:
        declared["sourceAuthority"] = "NULL::VARCHAR"
    values = {**declared, **(params or {})}

    def par(m):
        name = m.group(1)
        if name not in values:
            raise KeyError(f"{t.label} uses @@{name}, which it does not declare")
        return f"({values[name]})"
    out = _PARAM_RX.sub(par, sql)
    out = _DATE_USE.sub(lambda m: f"@{DATE_PREFIX[m.group(2)]}_{m.group(1)}", out)
    o = f"{alias}." if alias else ""
    const = const or {}
    return _TERM_RX.sub(lambda m: f"({const[m.group(1)]})" if m.group(1) in const else f'{o}"{m.group(1)}"', out)


def status_sql(t: Test, alias: str = "", params: dict[str, str] | None = None,
               const: dict[str, str] | None = None) -> str:
    """SQL: the test's response status for one record (a result for validations and issues)."""
    body = render(t.sql, t, alias, params, const)
    if t.authority:
        # any authority other than the shipped vocabulary cannot be reached from here
        sa = render("@@sourceAuthority", t, alias, params, const)
        body = f"CASE WHEN {sa} IS NOT NULL AND NOT bdq_empty({sa}) THEN {EP} ELSE ({body}) END"
    return body


def result_sql(t: Test, alias: str = "", params: dict[str, str] | None = None, status: str | None = None,
               const: dict[str, str] | None = None) -> str:
    """SQL: the proposed values of an amendment as one JSON text ({"dwc:term": "value", …}), the
    value of a measure; NULL when the status has no result. `status`: a column already holding
    the test's status (else its SQL is repeated here)."""
    st_ = status or f"({status_sql(t, alias, params, const)})"
    if t.kind == "MEASURE":
        return f"CASE WHEN {st_} = {RUN} THEN ({render(t.proposed[0][1], t, alias, params, const)}) END"
    if t.kind != "AMENDMENT":
        return "NULL::VARCHAR"
    entries = ", ".join(f"struct_pack(k := '{k}', v := CAST(({render(v, t, alias, params, const)}) AS VARCHAR))" for k, v in t.proposed)
    js = f"CAST(to_json(map_from_entries(list_filter([{entries}], x -> x.v IS NOT NULL))) AS VARCHAR)"
    return f"CASE WHEN {st_} IN ({AM}, {FI}) THEN {js} END"


# Dates are parsed once per distinct text, not once per record and test: the tests read the
# derived span of eventDate (_ev_*) and of dateIdentified (_di_*).
_DATE_USE = re.compile(r"bdq_ev_(s|e|last|ok)\(@(eventDate|dateIdentified)\)")
DATE_PREFIX = {"eventDate": "_ev", "dateIdentified": "_di"}


# the type of each lookup's value (`v`), by lookup name: what constants() reads for a column no
# source has, whose (empty) lookup table is then not made again in this process
_V_TYPES: dict[str, str] = {}


def _derive_tables(con, table: str, values=None, skip=()) -> None:
    """The per-distinct tables: parsed dates (_bdq_dt) and one table per lookup (_bdq_l<i>).

    `values(column)`: SQL of the distinct non-NULL values of a column, as `x` (default: read from
    `table`; write_outputs gives them from its combination counts instead of a scan per column).
    `skip`: columns NULL in every record; their lookups are not made once their type is known
    (_V_TYPES; constants() stands in for them: 41 small statements were ~0.15 s of a build)."""
    from .. import duck
    install(con)
    if values is None:
        def values(column):
            return f"SELECT DISTINCT {duck.ident(column)} AS x FROM {table} WHERE {duck.ident(column)} IS NOT NULL"
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _bdq_dt AS
        WITH t AS ({values("eventDate")} UNION {values("dateIdentified")}),
        -- bdq_ev_s and bdq_ev_e step by step: the parts once, each part's start once (the macros
        -- nested expand bdq_dt_start ten times, ~0.25 s to set up per build whatever the rows)
        ab AS (SELECT x, CASE WHEN NOT contains(x, '/') THEN x WHEN regexp_full_match(x, '[^/]+/[^/]+') THEN split_part(x, '/', 1) END AS a,
                         CASE WHEN NOT contains(x, '/') THEN x WHEN regexp_full_match(x, '[^/]+/[^/]+')
                              THEN bdq_iv_b(split_part(x, '/', 1), split_part(x, '/', 2)) END AS b FROM t),
        st AS (SELECT x, b, bdq_dt_start(a) AS s, bdq_dt_start(b) AS bs FROM ab),
        p AS (SELECT x AS txt, s, CASE WHEN regexp_full_match(b, '\\d{{4}}') THEN bs + INTERVAL 1 YEAR
                                       WHEN regexp_full_match(b, '\\d{{4}}-\\d{{2}}') THEN bs + INTERVAL 1 MONTH
                                       WHEN contains(b, 'T') THEN bs ELSE bs + INTERVAL 1 DAY END AS e FROM st)
        SELECT txt, s, e, coalesce(s <= e, false) AS ok,
               CASE WHEN e > s THEN e - INTERVAL 1 MICROSECOND ELSE e END AS last FROM p""")
    made = {}
    for i, (name, (column, stages)) in enumerate(LOOKUPS.items()):
        if column in skip and name in _V_TYPES:
            continue
        q = values(column)
        for col, sql in stages:
            q = f"SELECT *, {sql} AS {col} FROM ({q})"
        con.execute(f"CREATE OR REPLACE TEMP TABLE _bdq_l{i} AS SELECT x, v FROM ({q})")
        made[f"_bdq_l{i}"] = name
    if any(n not in _V_TYPES for n in made.values()):
        for tbl, typ in con.execute("""SELECT table_name, data_type FROM duckdb_columns()
                                       WHERE database_name = 'temp' AND column_name = 'v' AND table_name IN (SELECT unnest(?))""",
                                    [list(made)]).fetchall():
            _V_TYPES[made[tbl]] = typ


def _joins(rec: str) -> tuple[list[str], list[str]]:
    """The joins from the records (alias `rec`) to the per-distinct tables, and the derived columns."""
    from .. import duck
    joins = [f'LEFT JOIN _bdq_dt bev ON bev.txt = {rec}."eventDate"', f'LEFT JOIN _bdq_dt bdi ON bdi.txt = {rec}."dateIdentified"']
    cols = [f"{a}.{k} AS {pre}_{k}" for a, pre in (("bev", "_ev"), ("bdi", "_di")) for k in ("s", "e", "last")]
    cols += ["coalesce(bev.ok, false) AS _ev_ok", "coalesce(bdi.ok, false) AS _di_ok"]
    for i, (name, (column, _)) in enumerate(LOOKUPS.items()):
        joins.append(f"LEFT JOIN _bdq_l{i} bl{i} ON bl{i}.x = {rec}.{duck.ident(column)}")
        cols.append(f"bl{i}.v AS {duck.ident('_' + name)}")
    return joins, cols


def derive(con, table: str) -> str:
    """The derive step of the family on the records in `table` (canonical columns): the macros
    and vocabularies the tests call, and what they read per distinct value (dates, vocabulary
    matches …). Returns the relation the tests run over: the records plus the derived columns."""
    _derive_tables(con, table)
    joins, cols = _joins("t")
    con.execute(f"CREATE OR REPLACE TEMP VIEW {table}_bdq AS SELECT t.*, {', '.join(cols)} FROM {table} t {' '.join(joins)}")
    return f"{table}_bdq"


def _check(t: Test) -> Check:
    fires = {"VALIDATION": f"= {NC}", "ISSUE": f"= {PI}", "AMENDMENT": f"IN ({AM}, {FI})"}[t.kind]
    what = {"VALIDATION": ("BDQ 驗證", "BDQ validation"), "ISSUE": ("BDQ 提示", "BDQ issue"), "AMENDMENT": ("BDQ 修正建議", "BDQ amendment")}[t.kind]
    # an amendment's fix is the amended terms themselves (dwc:term=value): the same in both languages
    fix = result_sql(t, "e") if t.kind == "AMENDMENT" else None
    return Check(t.label, t.dimension, "warning" if t.kind == "VALIDATION" else "info", t.title_zh, t.title_en,
                 f"{what[0]} {t.label}（{t.guid}）。" + t.note_zh, f"{what[1]} {t.label} ({t.guid}). " + t.note_en,
                 f"({status_sql(t, 'e')}) {fires}", fix, fix_en=fix,
                 tables=(standard.OCCURRENCE,), params=tuple(Param(p, float(v), "m", p, p) for p, v in t.params if _NUMBER.fullmatch(v)))


# The family's rows in the check catalogue (measures are values, not findings): what the
# `bdq-core` profile runs in the engine's mask pass. Every snapshot also gets every test's full
# response in bdq.parquet (write_outputs), whatever profile it is judged by.
CHECKS = [_check(t) for t in TESTS if t.kind != "MEASURE"]
CHECK_IDS = [c.id for c in CHECKS]
_J, _C = _joins("o")
# Not in dq.checks.families() by default: the engine runs it when a snapshot is judged by the
# bdq-core profile (the profile names CHECK_IDS); bdq.parquet is written for every snapshot.
FAMILY = Family("bdq", tuple(CHECKS), Derivation(derive=lambda con, ctx: _derive_tables(con, "occ"),
                                                 joins=tuple(_J), columns=tuple(_C)))


def groups() -> list[tuple[list[str], list[Test]]]:
    """The tests grouped by the columns they read: two tests that share a column are in one group
    (a test's answer depends only on its columns). write_outputs merges the groups of one column
    each whose values are few (vocabularies, counts): one lookup per record beats twenty."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x
    for t in TESTS:
        cols = terms(t)
        for c in cols[1:]:
            parent[root(c)] = root(cols[0])
        root(cols[0])
    by_root: dict[str, list[Test]] = {}
    for t in TESTS:
        by_root.setdefault(root(terms(t)[0]), []).append(t)
    return [(sorted({c for t in tests for c in terms(t)}), tests) for tests in by_root.values()]


# a group whose distinct values are more than this share of the records (occurrenceID) is answered
# per record: a per-distinct table as long as the records would only add a join
INLINE_SHARE = 0.5
# ... in a file of more records than this (a small file's groups are small whatever their share)
INLINE_MIN_RECORDS = 10_000
# groups whose combinations multiply to at most this share one grouping set when they are counted
BUNDLE_MAX = 4096
# the records the distinct combinations are estimated from (the first ones: the same every run)
ESTIMATE_ROWS = 200_000


def _uses_lookups(tests: list[Test]) -> bool:
    text = " ".join(t.sql + " ".join(s for _, s in t.proposed) for t in tests)
    return bool(re.search(r"@_\w|bdq_ev_(s|e|last|ok)\(@(eventDate|dateIdentified)\)", text))


def _group_joins(cols: list[str], rec: str, skip=()) -> tuple[list[str], list[str]]:
    """The lookup joins (and their columns) whose column is one of `cols` and not in `skip`."""
    joins, sel = _joins(rec)
    out_j, out_c = [], []
    # the two date joins, then one join per lookup (see _joins)
    for k, col in enumerate(("eventDate", "dateIdentified")):
        if col in cols and col not in skip:
            out_j.append(joins[k])
            out_c += [c for c in sel if c.endswith(tuple(f"AS {DATE_PREFIX[col]}_{x}" for x in ("s", "e", "last", "ok")))]
    for i, (name, (column, _)) in enumerate(LOOKUPS.items()):
        if column in cols and column not in skip:
            out_j.append(joins[2 + i])
            out_c.append(sel[8 + i])
    return out_j, out_c


def constants(con, columns) -> dict[str, str]:
    """What the tests read of `columns` (NULL in every record) as SQL constants, for render(): each
    column NULL, what is parsed or looked up of it NULL of its type (a date's `ok` false, as _joins
    has it). A test over constants is folded to its answer when DuckDB plans the statement; over
    a column of NULLs every node of it was set up in every thread (a vector of 2,048 values each):
    one statement took 1.6 of the 3 s a header-only file's validation took. Reads the types of the per-distinct
    tables (_derive_tables first, which records the lookups' in _V_TYPES)."""
    columns = set(columns)
    out = {c: "NULL::VARCHAR" for c in columns}
    types = dict(con.execute("""SELECT column_name, data_type FROM duckdb_columns()
                                WHERE database_name = 'temp' AND table_name = '_bdq_dt'""").fetchall())
    for col, pre in DATE_PREFIX.items():
        if col in columns:
            out.update({f"{pre}_{k}": f"NULL::{types[k]}" for k in ("s", "e", "last")})
            out[f"{pre}_ok"] = "false"
    for name, (column, _) in LOOKUPS.items():
        if column in columns:
            out["_" + name] = f"NULL::{_V_TYPES[name]}"
    return out


def write_outputs(con, outdir, table: str = "occ", constant=()) -> dict[str, int]:
    """Every test's response for every record, and agg_bdq.parquet: per agency × dataset × test ×
    status the records. `records_sql(folder)` reads the responses back as one row per record
    (record_id, then each test's status and, for amendments and measures, its result).

    A test's answer depends only on the columns it reads, so each group of tests (groups()) is
    answered once per distinct combination of its columns: bdq_g<i>.parquet, one row per
    combination (gid) with the answers of the group's tests (groups counted in one grouping set
    share a table). bdq.parquet holds per record only record_id and the gid of each table (g<i>);
    a group whose values are nearly all distinct (occurrenceID) is answered per record and joins
    a table by its answer (an amendment's would stay in bdq.parquet). A combination's gid is the hash of its
    columns (64 bits, as the engine's keys: a collision is below 1e-7 for a million distinct
    values), so bdq.parquet is written without a join (snapshots before #14's fifth round
    numbered the combinations 1, 2 …; records_sql reads both). The counts are grouped by
    agency, dataset and combination in one scan, and only the groups are split into tests.

    `constant`: columns NULL in every record (no source has them). They are left out of the
    keys (a constant adds nothing to a combination; hashing it costs a pass per record), and a
    group of only such columns is one combination, counted without a scan."""
    from .. import duck
    from . import NUM_TERMS, num_part, num_text
    install(con)
    gs = groups()
    const = set(constant)
    # a term the records give in number parts (checks.NUM_TERMS) is counted and keyed by its parts, its
    # text made once per combination: the text of a kept input's DOUBLE per record was most of the cost
    # of the counts' scan (~0.9 CPU s per column per 10M records)
    have = {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}
    nums = {t for t in NUM_TERMS if num_part(t, "n") in have and num_part(t, "t") in have}

    def refs(c, a):
        """The record's columns standing for column `c` (its number parts, or itself), as `a`.<column>."""
        return [f"{a}.{num_part(c, p)}" for p in "nt"] if c in nums else [f"{a}.{duck.ident(c)}"]

    def key(cols, a="r"):
        live = [x for c in cols if c not in const for x in refs(c, a)]
        return f"hash({', '.join(live)})" if live else "0::UBIGINT"
    # the distinct combinations are estimated where they decide something: whether a group is
    # answered per record (no lookups) or merged (one column), and the bundling of small groups
    # below (a group of one non-constant column). A group of several columns that reads lookups is
    # answered per combination whatever its count: not estimated (unknown: as many as the records).
    # The estimate reads the first ESTIMATE_ROWS records only: it decides how the answers are
    # computed, never what they are, and a scan of every record for it cost as much as a sixth of
    # the family (2.2 of 14 CPU s at 10M records).
    def estimated(i):
        cols, tests = gs[i]
        return len(cols) == 1 or not _uses_lookups(tests) or len([c for c in cols if c not in const]) == 1
    live = [i for i, (c, _) in enumerate(gs) if key(c) != "0::UBIGINT" and estimated(i)]
    n = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    row = con.execute(f"""SELECT count(*){''.join(f', approx_count_distinct({key(gs[i][0])})' for i in live)}
        FROM (SELECT * FROM {table} LIMIT {ESTIMATE_ROWS}) r""").fetchone()
    n_est, nd = row[0], dict(zip(live, row[1:]))
    nd.update({i: n for i, (c, _) in enumerate(gs) if key(c) != "0::UBIGINT" and not estimated(i)})
    many = [i in live and nd[i] > INLINE_SHARE * n_est and n > INLINE_MIN_RECORDS for i in range(len(gs))]
    # the groups of one column with few values are merged: one lookup per record instead of twenty
    merged = [g for g, m in zip(gs, many) if len(g[0]) == 1 and not m]
    kept = [(g, m) for g, m in zip(gs, many) if not (len(g[0]) == 1 and not m)]
    # the estimated combinations of each kept group (of a merged one: at most the product)
    kept_nd = [nd.get(i, 1) for i, (g, m) in enumerate(zip(gs, many)) if not (len(g[0]) == 1 and not m)]
    if merged:
        kept.append(((sorted(c for g in merged for c in g[0]), [t for g in merged for t in g[1]]), False))
        kept_nd.append(math.prod(nd.get(i, 1) for i, (g, m) in enumerate(zip(gs, many)) if len(g[0]) == 1 and not m))
    raw = {c: "NULL::VARCHAR" for c in const}     # the answers per record read no lookups (constants() needs them)
    inline: list[str] = []     # SQL of the per-record answers, in the record pass
    inline_tests: list[Test] = []
    per = []                   # the groups answered per combination
    for i, ((cols, tests), m) in enumerate(kept):
        if m and not _uses_lookups(tests):
            for t in tests:
                inline.append(f"({status_sql(t, 'r', const=raw)}) AS {duck.ident(t.label)}")
                if t.kind in ("AMENDMENT", "MEASURE"):
                    inline.append(f"({result_sql(t, 'r', const=raw)}) AS {duck.ident(t.label + ':result')}")
            inline_tests += tests
        else:
            per.append(i)
    # One scan of the records: per agency × dataset, each group's distinct combinations (of its
    # columns that are not constant) with their records, and the answers of the tests answered per
    # record, in grouping sets. The per-combination tables below are read from it, not from the
    # records again. Groups with few combinations share one grouping set (one hash lookup per
    # record instead of one each) while the product of their combinations stays small.
    members = []      # (group index, or -1 for the per-record answers; columns SQL; select SQL; combinations)
    for i in per:
        cs = [x.split(".", 1)[1] for c in kept[i][0][0] if c not in const for x in refs(c, "r")]
        if cs:
            members.append((i, cs, [f"r.{c}" for c in cs], kept_nd[i]))
        else:           # only constant columns: one combination
            members.append((i, [f"_c{i}"], [f"0 AS _c{i}"], 1))
    if inline_tests:
        ilabels = [duck.ident(t.label) for t in inline_tests]
        members.append((-1, ilabels, [f"({status_sql(t, 'r', const=raw)}) AS {duck.ident(t.label)}" for t in inline_tests],
                        3 ** len(inline_tests)))
    bundles: list[list] = []
    for mem in sorted(members, key=lambda x: x[3]):
        if bundles and math.prod(x[3] for x in bundles[-1]) * mem[3] <= BUNDLE_MAX:
            bundles[-1].append(mem)
        else:
            bundles.append([mem])
    set_of = {mem[0]: b for b, bundle in enumerate(bundles) for mem in bundle}
    if bundles:
        sets = [f"(agency, dataset_id, {', '.join(c for mem in bundle for c in mem[1])})" for bundle in bundles]
        which = " ".join(f"WHEN grouping({bundle[0][1][0]}) = 0 THEN {b}" for b, bundle in enumerate(bundles))
        outs = [c for mem in members for c in mem[1]]
        sel = [x for mem in members for x in mem[2]]
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _bdq_c AS SELECT CASE {which} END AS _set,
                agency, dataset_id, {', '.join(outs)}, count(*) AS n
            FROM (SELECT r.agency, r.dataset_id, {', '.join(sel)} FROM {table} r)
            GROUP BY GROUPING SETS ({', '.join(sets)})""")
    # The dates and lookups are read per distinct value from the counts just made: every column a
    # per-combination group reads is in its grouping set there (a constant one is NULL throughout).
    set_of_col = {c: set_of[i] for i in per for c in kept[i][0][0] if c not in const}

    def values(column):
        c = duck.ident(column)
        if column in set_of_col:
            return f"SELECT DISTINCT {c} AS x FROM _bdq_c WHERE _set = {set_of_col[column]} AND {c} IS NOT NULL"
        if column in const:
            return "SELECT NULL::VARCHAR AS x WHERE false"
        return f"SELECT DISTINCT {c} AS x FROM {table} WHERE {c} IS NOT NULL"    # read by no group answered per combination
    _derive_tables(con, table, values, skip=const)
    fixed = constants(con, const)
    # The groups counted in one grouping set are answered together too: one table per bundle
    # (bdq_g<b>.parquet: a row per distinct combination of the bundle's columns, at most about
    # BUNDLE_MAX) and one key per record and bundle in bdq.parquet, where the writer's cost is per
    # value (at 1M records 8 key columns and a status text cost 0.35 CPU s, 4 keys 0.25). The tests
    # answered per record join a bundle by their status (a validation or issue has no other result);
    # an amendment or measure answered per record keeps its columns in bdq.parquet.
    coded = bool(inline_tests) and all(t.kind in ("VALIDATION", "ISSUE") for t in inline_tests)
    gids, agg = [], []
    for b, bundle in enumerate(bundles):
        groups_b = [mem[0] for mem in bundle if mem[0] >= 0]
        with_inline = coded and any(mem[0] == -1 for mem in bundle)
        if not groups_b and not with_inline:
            continue
        cols = [c for i in groups_b for c in kept[i][0][0]]
        tests = [t for i in groups_b for t in kept[i][0][1]]
        labels = [duck.ident(t.label) for t in tests]
        own = ilabels if with_inline else []

        def bkey(a, cols=cols, own=own):
            # the per-record answers are columns of the counts (t, c); on the record (r), their SQL
            mine = [f"({status_sql(t, 'r', const=raw)})" for t in inline_tests] if a == "r" and own else [f"{a}.{x}" for x in own]
            live = [x for c in cols if c not in const for x in refs(c, a)] + mine
            return f"hash({', '.join(live)})" if live else "0::UBIGINT"
        gj, gc = _group_joins(cols, "t", skip=const)
        st = "".join(f", ({status_sql(t, 't', const=fixed)}) AS {duck.ident(t.label)}" for t in tests)
        res = [f"({result_sql(t, 't', status=duck.ident(t.label), const=fixed)}) AS {duck.ident(t.label + ':result')}"
               for t in tests if t.kind in ("AMENDMENT", "MEASURE")]
        def dcol(c):
            # a combination's columns as counted: a constant as its NULL, a number term by its two parts
            if c in const:
                return f"NULL::VARCHAR AS {duck.ident(c)}"
            return ", ".join(x.split(".", 1)[1] for x in refs(c, "t"))
        dcols = ", ".join([dcol(c) for c in cols] + own)
        texts = "".join(f", {num_text(c, '')} AS {duck.ident(c)}" for c in cols if c in nums and c not in const)
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _bdq_g{b} AS SELECT k, {', '.join(labels + own + res)} FROM (
            SELECT t.*{st} FROM (SELECT t.*{''.join(', ' + c for c in gc)}, {bkey('t')} AS k
                                   FROM (SELECT *{texts} FROM (SELECT DISTINCT {dcols} FROM _bdq_c WHERE _set = {b})) t {' '.join(gj)}) t) t""")
        # a combination's id is the key itself: a record's id is the hash of its columns, computed
        # where bdq.parquet is written, with no join per record and bundle to number it
        con.execute(f"COPY (SELECT k AS gid, * EXCLUDE (k) FROM _bdq_g{b} ORDER BY gid) TO {duck.q(outdir / f'bdq_g{b}.parquet')} (FORMAT parquet)")
        gids.append(f"{bkey('r')} AS g{b}")
        # per agency × dataset the records of each combination of answers (few) before the unpivot
        agg.append((tests + (inline_tests if with_inline else []), f"""SELECT c.agency, c.dataset_id, {', '.join('g.' + x for x in labels + own)}, sum(c.n) AS n
            FROM (SELECT agency, dataset_id, {bkey('c')} AS k, n FROM _bdq_c c WHERE _set = {b}) c JOIN _bdq_g{b} g USING (k)
            GROUP BY ALL"""))
    if inline_tests and not coded:
        agg.append((inline_tests, f"SELECT agency, dataset_id, {', '.join(ilabels)}, sum(n) AS n FROM _bdq_c WHERE _set = {set_of[-1]} GROUP BY ALL"))
    con.execute(f"""COPY (SELECT r.record_id, {', '.join(gids + ([] if coded else inline))} FROM {table} r)
                    TO {duck.q(outdir / 'bdq.parquet')} ({duck.PARQUET_FAST})""")
    parts = [f"""SELECT agency, dataset_id, test, status, n FROM (UNPIVOT ({sql}) ON {', '.join(duck.ident(t.label) for t in tests)}
                 INTO NAME test VALUE status)""" for tests, sql in agg]
    n = con.execute(f"""COPY (SELECT agency, dataset_id, test, status, sum(n)::BIGINT AS n FROM ({' UNION ALL '.join(parts)})
        GROUP BY ALL ORDER BY ALL) TO {duck.q(outdir / 'agg_bdq.parquet')} (FORMAT parquet)""").fetchone()[0]
    return {"agg_bdq": n}


def _combinations(folder, rec: str) -> tuple[list[str], str]:
    """The per-combination files of a snapshot's BDQ answers: their aliases (g0, g1 …: the column of
    bdq.parquet naming a record's combination, and the file's alias) and the LEFT JOINs that bring
    each file's answers to the relation `rec` holding those columns. ([], "") before those files existed."""
    from pathlib import Path
    from .. import duck
    files = sorted(Path(folder).glob("bdq_g*.parquet"), key=lambda p: int(p.stem[5:]))
    gs = [p.stem[4:] for p in files]
    return gs, " ".join(f"LEFT JOIN read_parquet({duck.q(p)}) {g} ON {g}.gid = {rec}.{g}" for g, p in zip(gs, files))


def records_sql(folder) -> str:
    """SQL: one row per record with every test's answer (record_id, then per test its status and,
    for amendments and measures, `<test>:result`), joined back from the per-combination files.
    A snapshot written before those files existed holds the same columns in bdq.parquet itself."""
    from pathlib import Path
    from .. import duck
    folder = Path(folder)
    gs, joins = _combinations(folder, "b")
    cols = ["record_id"]
    for t in TESTS:
        cols.append(duck.ident(t.label))
        if t.kind in ("AMENDMENT", "MEASURE"):
            cols.append(duck.ident(t.label + ":result"))
    if not gs:
        return f"SELECT {', '.join(cols)} FROM read_parquet({duck.q(folder / 'bdq.parquet')})"
    inner = f"SELECT b.* EXCLUDE ({', '.join(gs)}), {', '.join(f'{g}.* EXCLUDE (gid)' for g in gs)} FROM read_parquet({duck.q(folder / 'bdq.parquet')}) b {joins}"
    return f"SELECT {', '.join(cols)} FROM ({inner})"


def record_summary_sql(path, file_level=()) -> str:
    """SQL over bdq.parquet (and its per-combination files): per record the tests NOT_COMPLIANT /
    POTENTIAL_ISSUE, those it cannot judge, and the amendments proposed (test: values), for annotated files.
    `file_level`: tests whose answer is the file's, not the record's (no record could be judged, or
    every record fails for a column the file lacks): left out of each record's lists, as the
    report names them once for the whole file."""
    from pathlib import Path
    from .. import duck
    def listed(tests, value):
        if not tests:
            return "NULL::VARCHAR"
        return "nullif(concat_ws(';', " + ", ".join(f"CASE WHEN {duck.ident(t.label)} = '{value}' THEN '{t.label}' END" for t in tests) + "), '')"
    skip = set(file_level)
    v = [t for t in TESTS if t.kind == "VALIDATION" and t.label not in skip]
    i = [t for t in TESTS if t.kind == "ISSUE" and t.label not in skip]
    a = [t for t in TESTS if t.kind == "AMENDMENT" and t.label not in skip]
    am = "nullif(concat_ws(' ', " + ", ".join(
        f"CASE WHEN {duck.ident(t.label)} IN ('AMENDED', 'FILLED_IN') THEN {duck.ident(t.label + ':result')} END" for t in a) + "), '')"
    summary = (f"concat_ws(';', {listed(v, 'NOT_COMPLIANT')}, {listed(i, 'POTENTIAL_ISSUE')}) AS bdq_not_compliant, "
               f"{listed(v, 'INTERNAL_PREREQUISITES_NOT_MET')} AS bdq_cannot_judge, "
               f"{am} AS bdq_amendments")
    folder = Path(path).parent
    gs, joins = _combinations(folder, "d")
    if not gs:
        return f"SELECT record_id, {summary} FROM ({records_sql(folder)})"
    # the summary is a function of the record's combination ids: written once per distinct set of
    # them (at 1M bench records ~16k), not per record (84 tests' texts per record cost validate 16 s)
    b = f"read_parquet({duck.q(folder / 'bdq.parquet')})"
    answers = f"SELECT d.*, {', '.join(f'{g}.* EXCLUDE (gid)' for g in gs)} FROM (SELECT DISTINCT {', '.join(gs)} FROM {b}) d {joins}"
    on = " AND ".join(f"s.{g} IS NOT DISTINCT FROM r.{g}" for g in gs)
    return f"""SELECT r.record_id, s.bdq_not_compliant, s.bdq_cannot_judge, s.bdq_amendments FROM {b} r
        LEFT JOIN (SELECT {', '.join(gs)}, {summary} FROM ({answers})) s ON {on}"""


def build_reference() -> None:
    """data/reference/bdq/epsg_geodetic.csv from pyproj's EPSG database: the codes BDQ accepts in
    geodeticDatum (geographic 2D CRSs, geodetic datums, ellipsoids) with their names."""
    import csv

    from pyproj.database import get_codes, query_crs_info
    from pyproj.enums import PJType
    import pyproj

    rows = [(i.code, i.name, "geographic 2D CRS", 1) for i in query_crs_info(auth_name="EPSG", pj_types=[PJType.GEOGRAPHIC_2D_CRS])]
    rows += [(c, pyproj.crs.Datum.from_epsg(c).name, "geodetic datum", 2) for c in sorted(get_codes("EPSG", PJType.GEODETIC_REFERENCE_FRAME))]
    rows += [(c, pyproj.crs.Ellipsoid.from_epsg(c).name, "ellipsoid", 3) for c in sorted(get_codes("EPSG", PJType.ELLIPSOID))]
    # common spellings of the usual datums (GBIF's GeodeticDatum vocabulary lists these as synonyms)
    rows += [("4326", n, "synonym", 0) for n in ("WGS84", "WGS 1984", "World Geodetic System 1984")]
    rows += [("3824", "TWD97", "synonym", 0), ("3821", "TWD67", "synonym", 0)]
    BDQ_REF.mkdir(parents=True, exist_ok=True)
    with open(BDQ_REF / "epsg_geodetic.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "kind", "rank"])
        w.writerows(sorted(set(rows), key=lambda r: (int(r[0]), r[3], r[1])))
