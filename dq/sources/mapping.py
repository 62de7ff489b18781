"""Which source column becomes which Darwin Core term: by its header, then checked against its values.

`plan_columns()` is the one place this is decided. Its result feeds the reader (the canonical
SELECT in dq/snapshot.py) and the report's mapping table, so what the report shows is what was
read. A header alone can mislead: the 斑腿樹蛙 file's `CommonName` holds places ("新北市 五股區"),
a camera-trap `species` column may hold Chinese names. So before a column is taken as a name, a
date or a coordinate, a sample of its values must look like one; otherwise the mapping is refused
(the column is kept as an extra column, nothing is lost) or moved to the term its values fit.
A user's `--map SRC=TERM` is taken as given. The values are profiled in one DuckDB query over
a fixed sample of the staged rows.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from .. import duck
from ..geo import COUNTIES_ZH, OLD_COUNTIES
from .aliases import DWC_TERMS, lookup, map_headers, norm_header
from .base import sampled_rows

SAMPLE_ROWS = 20_000   # rows profiled per file (about; picked by a hash of the row number: the same file maps the same way)
MIN_SHARE = 0.5        # a column is taken as a term when at least this share of its filled values fit

_PLACES = "|".join(sorted(set(COUNTIES_ZH) | set(OLD_COUNTIES)))
# SQL predicates over a trimmed, non-empty value `v`
LOOKS = {
    # a county (台/臺 either way) or a Chinese name ending like a town, district or village
    "place": f"regexp_matches(replace(v, '台', '臺'), '{_PLACES}') OR regexp_matches(v, '\\p{{Han}}{{1,4}}(區|鄉|鎮|村|里)(\\s|$)')",
    # a diaeresis is a letter of a Latin name (ICN Art. 60.6): TaiCOL writes Isoëtes, and a list of its
    # names was "not Latin names", the column refused
    "latin": "regexp_matches(v, '^[A-Z][a-zäëïöü]+(\\s+[a-zäëïöü×\\-]+)*(\\s|$)')",
    "han": "regexp_matches(v, '\\p{Han}')",
    # a Latin binomial or genus + epithet ("Pycnonotus sinensis", "Rana sp."): a name, not a word
    "binomial": "regexp_matches(v, '^[A-Z][a-zäëïöü]+\\s+[a-zäëïöü×]{2,}\\.?(\\s|$)')",
    # an epithet alone ("albogularis", "sp."): TaiCOL's export splits the name into genus, species, infraspecies
    "epithet": "regexp_matches(v, '^[a-z][a-z\\-]*\\.?$')",
    # words in Latin letters: an English common name ("Light-vented Bulbul", "Swinhoe's White-eye")
    "words": "regexp_matches(v, '^[A-Za-z][A-Za-z''’\\-]*(\\s+[A-Za-z][A-Za-z''’\\-]*)*$')",
    "date": "regexp_matches(v, '^((中華)?民國\\s*)?\\d{1,4}\\s*[-/.年]\\s*\\d{1,2}') OR regexp_matches(v, '^\\d{6,8}([T\\s]|$)') "
            "OR regexp_matches(v, '^\\d{4}$') "
            # an Excel date serial (43466 = 2019-01-01): a workbook's date column formatted as a number
            "OR regexp_matches(v, '^\\d{5}(\\.\\d+)?$')",
    # a name's author ("(Swinhoe, 1870)", "L.", "(L.) T.Anderson", "Hayata & Kaneh."): a capital, then a
    # year, an abbreviation, a bracket, '&' or 'ex'; a header "author" may name a person ("John Smith")
    "authorship": "regexp_matches(v, '^\\(?\\p{Lu}') AND regexp_matches(v, '\\d{4}|\\.|\\(|&| ex ')",
    "digit": "regexp_matches(v, '\\d')",
    # a length with its unit ("5m", "10-15 m", "約 300 公尺"): a verbatim depth or elevation; a bare number
    # is GBIF's interpreted metres (its downloads' depth and elevation columns), which no verbatim term holds
    "measure": "regexp_matches(lower(v), '\\d\\s*(m|km|ft|feet|meters?|metres?|公尺|公里|米|呎|英尺)')",
    "integer": "regexp_matches(v, '^\\d{1,4}$')",
    # a value of the DCMI type vocabulary (dc:type): a column merely headed "type" is often something else
    # (BBS Taiwan's species list: key_in_error, species split)
    "dcmitype": "lower(v) IN ('stillimage', 'movingimage', 'sound', 'physicalobject', 'event', 'text', 'dataset', "
                "'collection', 'image', 'interactiveresource', 'service', 'software')",
}
# what the values of each term must look like
NEEDS = {
    "vernacularName": ("not place", "han or words"),
    "scientificName": ("latin",),
    "eventDate": ("date",),
    "decimalLatitude": ("digit",), "decimalLongitude": ("digit",),
    "verbatimLatitude": ("digit",), "verbatimLongitude": ("digit",),
    "year": ("integer",), "month": ("integer",), "day": ("integer",),
    "type": ("dcmitype",),
    "scientificNameAuthorship": ("authorship",),
    "verbatimDepth": ("measure",), "verbatimElevation": ("measure",),
}
WHY_ZH = {"place": "值多為地名", "latin": "值不是拉丁學名", "date": "值不像日期", "digit": "值不含數字",
          "integer": "值不是整數", "authorship": "值不像命名者", "measure": "值是沒有單位的數字", "han or words": "值不像名稱", "dcmitype": "值不是 Dublin Core 的類型詞彙"}
WHY_EN = {"place": "the values are mostly place names", "latin": "the values are not Latin names",
          "date": "the values do not look like dates", "digit": "the values hold no digits",
          "integer": "the values are not whole numbers", "authorship": "the values do not look like a name's author",
          "measure": "the values are numbers without a unit", "han or words": "the values do not look like names",
          "dcmitype": "the values are not Dublin Core types"}


# how a column was mapped when its values, not only its header, decided (or refused) it: the report
# highlights these rows and the Validate page opens its mapping table for them
BY_VALUES = ("refused", "values", "found")


@dataclasses.dataclass
class ColumnPlan:
    mapping: dict[str, str]                 # source header -> canonical term (what the reader uses)
    constants: dict[str, str]               # term -> value implied by a header (a unit: 數量(隻) -> 隻)
    rows: list[dict]                        # the mapping table: one row per source column


def _relation(staged: Path | str) -> str:
    """SQL: the rows to look at: a relation given as SQL (a kept Parquet input read through its casts), or a staged file."""
    return staged if isinstance(staged, str) else f"read_parquet({duck.q(staged)})"


def _sample(con, rel: str, rows: int) -> str:
    """SQL: about `rows` rows of `rel`, every step-th by a hash of its row number (the same rows each
    time): a test of one integer column, so only the picked rows' texts are read (a reservoir sample
    reads every row's: at 1M rows 0.27 against 0.06 s). A file of up to `rows` rows is read whole. A
    kept Parquet input is tested as its rows are read (base.Relation.sampled): DuckDB does not push
    the test below the columns' casts, which a 10M-row file's sample then made for every row (2.1 s)."""
    n = con.execute(f"SELECT count(*) FROM {rel}").fetchone()[0]
    step = -(-int(n) // max(int(rows), 1))
    if step <= 1:
        return rel
    return rel.sampled(step) if hasattr(rel, "sampled") else f"(SELECT * FROM {rel} WHERE {sampled_rows('source_row', step)})"


def _profile(staged: Path | str, headers: list[str], looks: dict[str, str] | None = None, rows: int = SAMPLE_ROWS,
             examples_of: str | None = None) -> dict[str, dict]:
    """Share of filled values fitting each pattern of `looks` (default LOOKS), per header, over a
    sample of `rows` rows (a column with no filled value is left out: it says nothing), with three
    example values (`examples_of`: only values fitting that pattern). One UNPIVOT, not a query per
    column: a 1,500-column file took a minute to plan that way."""
    if not headers:
        return {}
    looks = LOOKS if looks is None else looks
    con = duck.connect(spatial=False)
    try:
        # only the profiled columns are read: a 10M-row file costs a scan of a few columns
        cols = ", ".join(f"{duck.ident(h)}::VARCHAR AS {duck.ident(h)}" for h in headers)
        shares = ", ".join(f"avg(CASE WHEN {sql} THEN 1.0 ELSE 0.0 END) AS {k}" for k, sql in looks.items())
        pick = f" FILTER (WHERE {looks[examples_of]})" if examples_of else ""
        rel = _relation(staged)
        cur = con.execute(f"""WITH s AS (SELECT {cols} FROM {_sample(con, rel, rows)}),
            u AS (SELECT col, trim(v) AS v FROM (UNPIVOT s ON COLUMNS(*) INTO NAME col VALUE v) WHERE trim(v) <> '')
            SELECT col, count(*) AS filled, {shares}, (list(DISTINCT v ORDER BY v){pick})[1:3] AS examples FROM u GROUP BY col""")
        names = [d[0] for d in cur.description]
        return {r[0]: dict(zip(names, r)) for r in cur.fetchall()}
    finally:
        con.close()


def _fits(prof: dict, need: str) -> bool:
    if not prof or not prof["filled"]:
        return True            # an empty column says nothing against its header
    if need == "not place":
        return prof["place"] < MIN_SHARE
    if need == "han or words":
        return max(prof["han"], prof["words"]) >= MIN_SHARE
    return prof[need] >= MIN_SHARE


def _failed(prof: dict, term: str) -> str | None:
    for need in NEEDS.get(term, ()):
        if not _fits(prof, need):
            return "place" if need == "not place" else need
    return None


def names_column(staged: Path | str | None, headers: list[str]) -> str | None:
    """The first of `headers` (columns no term took) whose values look like taxon names: mostly Latin
    binomials, or mostly Chinese text that is not place names. A file whose species column has a
    header no alias knows ("動物名稱", "Taxon") is still a file of observations, not of survey events."""
    prof = _profile(staged, list(headers)) if staged and headers else {}
    for h in headers:
        p = prof.get(h)
        if p and p["filled"] and (p["binomial"] >= MIN_SHARE or (p["han"] >= MIN_SHARE and p["place"] < MIN_SHARE)):
            return h
    return None


def binomial_column(staged: Path | str | None, headers: list[str], vern: str | None = None) -> tuple[str, list[str]] | None:
    """The first of `headers` (columns no term took) whose filled sample is mostly Latin binomials
    ("Abroscopus albogularis fulvifacies"), with a few of them: a file's scientific names under a
    header no alias may claim ("name" is as often a place or a person). With the file's vernacular
    column `vern`, the names must be the same taxa as those: a butterfly survey's host plants are
    binomials of listed genera too."""
    if not staged or not headers:
        return None
    from ..paths import REFERENCE
    # and their genus is one the checklists hold: English words ("Broadleaf forest", "Partly cloudy") are
    # two capitalised words too
    genera = f"(SELECT DISTINCT genus FROM read_parquet({duck.q(REFERENCE / 'checklist.parquet')}))"
    looks = {"binomial": LOOKS["binomial"], "genus": f"split_part(v, ' ', 1) IN {genera}"}
    prof = _profile(staged, headers, looks, rows=2000, examples_of="binomial")
    for h in headers:
        if h in prof and prof[h]["binomial"] >= MIN_SHARE and prof[h]["genus"] >= MIN_SHARE \
                and (vern is None or _names_agree(staged, h, vern)):
            return h, [str(x) for x in prof[h]["examples"]]
    return None


def _names_agree(staged: Path | str, names: str, vern: str, rows: int = 2000) -> bool:
    """Whether the binomials of column `names` are the taxa the Chinese names of column `vern` stand for:
    false when, of at least 5 sampled rows whose binomial has Chinese names in the checklist, fewer than a
    fifth give one of them."""
    from ..paths import REFERENCE
    from ..taxonomy import notho_sql, vern_parts_sql
    rel = _relation(staged)
    ref = f"read_parquet({duck.q(REFERENCE / 'vernacular.parquet')})"
    binom = "array_to_string(string_split(" + notho_sql("b") + ", ' ')[1:2], ' ')"
    con = duck.connect(spatial=False)
    try:
        known, agree = con.execute(f"""WITH s AS (SELECT trim({duck.ident(names)}::VARCHAR) AS b, {duck.ident(vern)}::VARCHAR AS v
                FROM {_sample(con, rel, rows)}),
            f AS (SELECT {binom} AS bin, {vern_parts_sql("v")} AS parts FROM s WHERE b <> '' AND trim(v) <> ''),
            r AS (SELECT binomial, vernacular_norm FROM {ref})
            SELECT count(*) FILTER (WHERE bin IN (SELECT binomial FROM r) AND len(parts) > 0),
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM r WHERE r.binomial = f.bin AND list_contains(f.parts, r.vernacular_norm)))
            FROM f""").fetchone()
    finally:
        con.close()
    return not (known >= 5 and agree < 0.2 * known)


def establishment_column(staged: Path | str | None, headers: list[str]) -> tuple[str, list[str]] | None:
    """The first of `headers` (columns no term took) whose values say a taxon is native, endemic or
    introduced (dq.taxonomy.ESTABLISHMENT: 原生, 特有, 外來種, introduced …) for at least MIN_SHARE of
    its filled sample, with a few of them; a list's "status" column is its establishmentMeans. A
    small sample and this one pattern: a status column has a handful of values."""
    from ..taxonomy import establishment_sql
    if not staged or not headers:
        return None
    # the examples are values it read (a 來源 column's 野生 is none)
    prof = _profile(staged, headers, {"status": f"{establishment_sql('v')} IS NOT NULL"}, rows=2000, examples_of="status")
    return next(((h, [str(x) for x in prof[h]["examples"]]) for h in headers
                 if h in prof and prof[h]["status"] >= MIN_SHARE), None)


# A Darwin Core Archive's core file names its records' identifier "id" (meta.xml <id>): the core's
# occurrenceID, eventID or taxonID. A table exported from one (NTU/OCA's reef survey sites: ID =
# "Taiwan#North#82.5#5m#20200622_Joyce") keeps the header; without this it "lacked" its eventID.
OWN_ID = {"event": "eventID", "checklist": "taxonID"}     # any other profile: occurrenceID


def record_id_column(plan: ColumnPlan, headers: list[str], profile: str, staged: Path | str | None,
                     fmt: str | None = None) -> str | None:
    """The header "id" (any case), unmapped, becomes the identifier of the table's rows when no other
    column is and its values can be one: filled and different on every row, and not row numbers (a
    row number names a row of this file, not a record). An extension file's "id" is its core's
    (BBS Taiwan's occurrences: the eventID, on every detection of a visit), so it repeats and is not
    taken; in a Darwin Core Archive the core's id is carried into the joined rows and is never taken.
    The mapping table says so. Returns the term it took, or None."""
    term = OWN_ID.get(profile, "occurrenceID")
    if term in plan.mapping.values() or fmt == "dwca" or staged is None:
        return None
    h = next((h for h in headers if h not in plan.mapping and norm_header(h) == "id"), None)
    if h is None:
        return None
    rel = _relation(staged)
    con = duck.connect(spatial=False)
    try:
        # the whole column, not a sample: one repeat anywhere makes it no identifier
        n, filled, distinct, numbers = con.execute(f"""SELECT count(*), count(v), count(DISTINCT v),
            count(*) FILTER (WHERE regexp_matches(v, '^\\d+$'))
            FROM (SELECT nullif(trim({duck.ident(h)}::VARCHAR), '') AS v FROM {rel})""").fetchone()
    finally:
        con.close()
    if not n or filled < n or distinct < n or numbers == n:
        return None
    plan.mapping[h] = term
    for r in plan.rows:
        if r["header"] == h:
            r.update(term=term, how="found",
                     note_zh=f"欄名 id（Darwin Core Archive 的紀錄識別碼），每列各不相同、不是列號：本表的 {term}",
                     note_en=f"headed id (a Darwin Core Archive's record identifier), different on every row and no row number: this table's {term}")
    return term


def plan_columns(staged: Path | str | None, headers: list[str], overrides: dict[str, str] | None = None) -> ColumnPlan:
    """Map headers to terms (aliases, units), check each name/date/coordinate mapping against the
    values, move a refused column to the term its values fit when that term is free, and say why.
    `staged`: the staged file, or SQL reading the staged rows (StagedSource.relation)."""
    overrides = overrides or {}
    by_header = map_headers(headers, overrides)
    to_check = [h for h, t in by_header.items() if t in NEEDS and h not in overrides]
    prof = _profile(staged, to_check) if staged else {}
    mapping: dict[str, str] = {}
    notes: dict[str, tuple[str, str, str]] = {}     # header -> (how, note zh, note en)
    refused: list[tuple[str, str, str]] = []        # (header, term, why)
    for h, term in by_header.items():
        if h in overrides:
            mapping[h] = term
            notes[h] = ("override", "使用者指定（--map）", "set by the user (--map)")
            continue
        why = _failed(prof.get(h), term)
        if why:
            refused.append((h, term, why))
        else:
            mapping[h] = term
    taken = set(mapping.values())
    for h, term, why in refused:
        p = prof.get(h) or {}
        examples = [str(x) for x in (p.get("examples") or [])]
        ex, ex_en = "、".join(examples), ", ".join(examples)     # each language's list separator
        # where do the values belong? the first free term they fit
        alt = None
        if why == "place":
            alt = "verbatimLocality"
        elif term == "scientificName" and p.get("han", 0) >= MIN_SHARE:
            alt = "vernacularName"
        elif term == "vernacularName" and p.get("latin", 0) >= MIN_SHARE:
            alt = "scientificName"
        elif term == "scientificName" and p.get("epithet", 0) >= MIN_SHARE:
            alt = "specificEpithet"
        if alt and alt not in taken and not _failed(p, alt):
            mapping[h] = alt
            taken.add(alt)
            notes[h] = ("values", f"欄名像 {term}，但{WHY_ZH[why]}（例：{ex}），改對應到 {alt}",
                        f"the header suggests {term}, but {WHY_EN[why]} (e.g. {ex_en}); mapped to {alt} instead")
        else:
            notes[h] = ("refused", f"欄名像 {term}，但{WHY_ZH[why]}（例：{ex}），未採用；欄位原樣保留",
                        f"the header suggests {term}, but {WHY_EN[why]} (e.g. {ex_en}); not used, the column is kept as is")
    # a term no header claims, taken by the values of a column no term took: Latin binomials (TaiCOL's
    # export calls them "name", the plant red list too; without them both were "scientific name missing"),
    # a list's "status" of 原生/特有/外來種
    vern = next((h for h, t in mapping.items() if t == "vernacularName"), None)
    by_values = [("scientificName", lambda free: binomial_column(staged, free, vern), "值為拉丁學名", "the values are Latin names"),
                 ("establishmentMeans", lambda free: establishment_column(staged, free),
                  "值為原生／特有／外來等狀態", "the values say native, endemic or introduced")]
    for term, find, why_zh, why_en in by_values:
        found = find([h for h in headers if h not in mapping and h not in notes]) if staged and term not in taken else None
        if found:
            h, ex = found
            mapping[h] = term
            taken.add(term)
            notes[h] = ("found", f"{why_zh}（例：{'、'.join(ex)}），對應到 {term}", f"{why_en} (e.g. {', '.join(ex)}); mapped to {term}")
    constants: dict[str, str] = {}
    rows = []
    for h in headers:
        term, how, unit = lookup(h)
        if h in mapping:
            t = mapping[h]
            how_h, zh, en = notes.get(h, (how, "", ""))
            if unit and how_h == "unit":
                if t == "organismQuantity" and "organismQuantityType" not in taken:
                    constants["organismQuantityType"] = unit
                    zh, en = f"欄名中的單位「{unit}」填入 organismQuantityType", f"the unit '{unit}' in the header fills organismQuantityType"
                else:
                    zh, en = f"單位：{unit}", f"unit: {unit}"
            rows.append({"header": h, "term": t, "how": how_h, "note_zh": zh, "note_en": en})
        else:
            how_h, zh, en = notes.get(h, ("extra", "", ""))
            if how_h == "extra":
                if unit:
                    zh, en = f"不是標準欄位，原樣保留（單位：{unit}）", f"not a standard term, kept as is (unit: {unit})"
                elif h in DWC_TERMS:
                    zh, en = "Darwin Core 標準欄位，原樣保留（本工具不檢核此欄）", "a Darwin Core term this tool does not check, kept as is"
                else:
                    zh, en = "不是標準欄位，原樣保留", "not a standard term, kept as is"
            rows.append({"header": h, "term": None, "how": how_h, "note_zh": zh, "note_en": en})
    return ColumnPlan(mapping=mapping, constants=constants, rows=rows)
