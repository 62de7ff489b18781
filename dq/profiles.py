"""Profiles: the yardstick a dataset is judged by, each declared once.

A profile names the checks a dataset is judged by and the fields its graded completeness counts
(share of them filled, averaged over records). A general Darwin Core dataset published to
GBIF/TBIA is not a 生態檢核 submission: judged by the 生態檢核 project fields every record fails
and scores cannot tell agencies apart. So each source file carries one profile, given with
`--profile` or inferred from the file's own columns, and only that profile's checks count.

Fitness-for-use profiles ("usable for a 1 km model") are declared the same way; instead of
judging a dataset they select the records fit for a use (`fit_sql`, a predicate over `e`).
The TDWG BDQ core tests (a separate issue) join as one more declaration: a `Profile` whose
`select` picks their checks.
"""
from __future__ import annotations

import dataclasses
from typing import Callable

from . import duck, standard
from .checks import Check, catalogue, filled
from .checks.time import has_month

JUDGE, FITNESS = "judge", "fitness"
ECO_CHECK, OCCURRENCE, CHECKLIST, EVENT, FIT_1KM = "eco-check", "occurrence", "checklist", "event", "fit-1km"

# Darwin Core terms among the 生態檢核 fields; every other field of the standard exists only in
# 生態檢核 files, so a file holding one of them is a 生態檢核 submission.
DWC_TERMS = {
    "datasetID", "datasetName", "verbatimLocality", "verbatimLongitude", "verbatimLatitude", "verbatimSRS",
    "scientificName", "vernacularName", "recordedBy", "rightsHolder", "eventDate", "samplingProtocol",
    "organismQuantity", "organismQuantityType", "taxonRank", "basisOfRecord", "habitat",
    "coordinateUncertaintyInMeters", "family",
}
# checkName (所屬分類, an optional field) is no such sign: a taxon group column (類群: 鳥類) is in
# most Taiwanese lists and exports; TBN's bird checklist was judged as a 生態檢核 submission by it
ECO_ONLY = [t for t in standard.all_terms() if t not in DWC_TERMS and t != "checkName"]

# A Darwin Core record fills a required field through an equivalent term too (year for a date,
# the verbatim coordinates for decimal ones, precision for uncertainty: TBIA's tiers accept either).
OCC_EQUIVALENTS: dict[str, tuple[str, ...]] = {
    "decimalLatitude": ("decimalLatitude", "verbatimLatitude"),
    "decimalLongitude": ("decimalLongitude", "verbatimLongitude"),
    "eventDate": ("eventDate", "year"),
    "coordinateUncertaintyInMeters": ("coordinateUncertaintyInMeters", "coordinatePrecision"),
}
# GBIF's required occurrence terms plus what TBIA's record tiers need (DESIGN.md Scores).
OCC_REQUIRED = ("occurrenceID", "basisOfRecord", "scientificName", "eventDate", "decimalLatitude", "decimalLongitude",
                "coordinateUncertaintyInMeters")
CONTENT = ("coordinates", "taxonomy", "time", "vocabulary", "duplicates")
# A species checklist (a TaiCOL export, a survey's list) names taxa: the name fields of the
# 生態檢核 species-list table without its project fields (工程編號, 本案關注物種 …).
CHECKLIST_REQUIRED = ("scientificName", "vernacularName", "family")
# A Darwin Core event table (an Event core's events: BBS Taiwan's event file) says where, when and
# how a survey was done; its species are in an occurrence file joined by eventID. Judged as an
# occurrence dataset, every event "lacked" a name, an occurrenceID and a basisOfRecord.
EVENT_REQUIRED = ("eventID", "eventDate", "decimalLatitude", "decimalLongitude", "coordinateUncertaintyInMeters",
                  "samplingProtocol")
# the terms only a record of a taxon has (table_from_terms reads the names too)
TAXON_TERMS = {"scientificName", "vernacularName", "taxonID", "taxonRank", "kingdom", "phylum", "class", "order",
               "family", "genus"}
# what else says a row is a record of an organism, not of a survey event (never an event profile then)
OBSERVED_TERMS = {"occurrenceID", "basisOfRecord", "organismQuantity", "individualCount", "occurrenceStatus",
                  "scientificNameID", "scientificNameAuthorship", "specificEpithet", "infraspecificEpithet", "genericName",
                  "acceptedNameUsageID", "taxonConceptID", "subfamily", "subgenus", "tribe", "sex", "establishmentMeans",
                  "degreeOfEstablishment", "typeStatus", "dateIdentified"}
# What a kind of table never records, for the TDWG BDQ tests (dq/checks/bdq.py not_applicable): a
# test reading only such terms asks the table something it is not about. An event table names no
# organism (its species are in the occurrence file); a species list has no place, date or observation.
ORGANISM_TERMS = frozenset(TAXON_TERMS | OBSERVED_TERMS | {
    "namePublishedInYear", "pathway", "higherClassification", "cultivarEpithet", "infragenericEpithet", "superfamily",
    "subtribe", "originalNameUsageID", "parentNameUsageID", "organismQuantityType", "lifeStage", "identifiedBy"})
WHERE_WHEN_TERMS = frozenset({
    "eventID", "eventDate", "year", "month", "day", "startDayOfYear", "endDayOfYear", "verbatimEventDate",
    "decimalLatitude", "decimalLongitude", "geodeticDatum", "coordinateUncertaintyInMeters", "coordinatePrecision",
    "verbatimCoordinates", "verbatimLatitude", "verbatimLongitude", "verbatimSRS", "footprintWKT", "dataGeneralizations",
    "countryCode", "country", "continent", "stateProvince", "dwc_county", "municipality", "locality", "verbatimLocality",
    "locationID", "higherGeography", "higherGeographyID", "island", "islandGroup", "waterBody",
    "minimumDepthInMeters", "maximumDepthInMeters", "minimumElevationInMeters", "maximumElevationInMeters"})
OBSERVATION_TERMS = frozenset({"occurrenceID", "basisOfRecord", "occurrenceStatus", "individualCount", "organismQuantity",
                               "organismQuantityType", "sex", "lifeStage", "typeStatus", "dateIdentified", "identifiedBy"})
FIELD_ZH = {"eventID": "事件編號", "samplingProtocol": "調查方法", "occurrenceID": "紀錄編號", "basisOfRecord": "紀錄類型", "scientificName": "學名", "eventDate": "調查日期",
            "decimalLatitude": "緯度", "decimalLongitude": "經度", "coordinateUncertaintyInMeters": "誤差範圍",
            "vernacularName": "中文名", "family": "科名"}


@dataclasses.dataclass(frozen=True)
class Profile:
    id: str
    kind: str                                   # JUDGE: a dataset is judged by it; FITNESS: a record filter
    name_zh: str
    name_en: str
    explain_zh: str
    explain_en: str
    tables: tuple[str, ...]                     # the 生態檢核 table kinds it can judge
    required: dict[str, tuple[str, ...]]        # table kind → fields its graded completeness counts
    select: Callable[[Check], bool]             # which checks of the catalogue belong to it
    equivalents: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    fit_sql: str | None = None                  # FITNESS: predicate over `e`, TRUE = the record is fit
    tiers: bool = True                          # TBIA's record tiers apply (they grade records of a taxon)
    not_about: frozenset[str] = frozenset()     # terms its tables never record: a BDQ test reading only these does not apply

    def checks(self) -> list[Check]:
        return [c for c in catalogue() if self.select(c)]

    def check_ids(self) -> set[str]:
        return {c.id for c in self.checks()}

    def fields(self, table: str) -> list[tuple[str, tuple[str, ...]]]:
        """(field, the columns any of which fills it) counted by graded completeness for one table kind."""
        return [(f, self.equivalents.get(f, (f,))) for f in self.required.get(table, ())]

    def name(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" else self.name_zh

    def heatmap_fields(self, table: str) -> list[tuple[str, str, str, tuple[str, ...]]]:
        """(field, 中文, level M/C/O, columns filling it) the completeness heatmap shows: a 生態檢核
        table's every field, or the profile's required fields."""
        if self.id == ECO_CHECK:
            return [(t, zh, lv, self.equivalents.get(t, (t,))) for t, zh, lv in standard.FIELDS.get(table, [])]
        return [(f, FIELD_ZH.get(f, f), "M", cols) for f, cols in self.fields(table)]


def _eco(c: Check) -> bool:
    return c.dimension != "open_data" and not c.id.startswith(("DWC_", "EVENT_"))


# content checks that read only a 生態檢核 field, or state a rule only that standard makes: no yardstick for a
# Darwin Core dataset. Its 學名 is "最簡學名, without author or year"; Darwin Core's scientificName is "the full
# scientific name, with authorship and date information if known", as every GBIF download writes it
# (BBS Taiwan rows in a GBIF download's layout: "authorship in name" on the 179 of 300 whose author is known)
ECO_CONTENT = {"VOCAB_SELF_PRODUCED", "TAXON_AUTHORSHIP_IN_NAME"}


# how the file was read (a ragged row: dq/checks/shape.py) is judged whatever the yardstick
# and so is how it was written (R's <U+XXXX> escapes, HTML's &amp;: dq/checks/vocabulary.py)
ROW_SHAPE = {"ROW_CELLS_MISSING", "ROW_CELLS_EXTRA", "ROW_REPEATED_HEADER", "ROW_TOTALS", "ROW_BELOW_TABLE",
             "TEXT_ESCAPED_UNICODE", "TEXT_HTML_ENTITY"}


def _occ(c: Check) -> bool:
    if c.id in ROW_SHAPE:
        return True
    if c.dimension == "completeness":
        return c.id.startswith("DWC_")
    return c.dimension in CONTENT and standard.OCCURRENCE in c.tables and c.id not in ECO_CONTENT


# an event names no taxon: "in the sea" is judged by the taxon or habitat of what was seen; and it is where a
# survey was done, never where a specimen is kept: "on an institution" asks for a basisOfRecord an event table
# has no column for (BBS Taiwan's event file: 246 point counts on campuses and in 228 Peace Park)
EVENT_SKIP = {"COORD_IN_SEA", "COORD_INSTITUTION"}


def _event(c: Check) -> bool:
    if c.id in ROW_SHAPE or c.id.startswith("EVENT_"):
        return True
    return c.dimension in ("coordinates", "time") and standard.OCCURRENCE in c.tables and c.id not in EVENT_SKIP


def _checklist(c: Check) -> bool:
    # the taxonomy checks, and a species listed twice (the only duplicate check a list has)
    return c.id in ROW_SHAPE or (c.dimension in ("taxonomy", "duplicates") and standard.SPECIES_LIST in c.tables
                                 and c.id not in ECO_CONTENT)


# "Usable for a 1 km model": a valid point in Taiwan's land and waters, uncertainty ≤ 1000 m,
# a species-rank name the checklist knows, a date that can be read; a presence, not an absence.
USABLE_1KM = ("e.lat IS NOT NULL AND e.grid_id IS NOT NULL AND coalesce(e.unc_m, 1e9) <= 1000 AND "
              "e.match_type IN ('exact', 'synonym', 'species_of_listed_subspecies', 'fuzzy') AND NOT e.above_species "
              "AND e.event_date_parsed IS NOT NULL AND e.date_status IN ('ok', 'roc', 'excel_serial') AND NOT e.is_absence")
FIT_1KM_CHECKS = {"COORD_MISSING", "COORD_NOT_NUMERIC", "COORD_ZERO", "COORD_OUT_OF_RANGE", "COORD_EQUAL",
                  "COORD_OUTSIDE_TAIWAN", "COORD_UNCERTAINTY_MISSING", "COORD_UNCERTAINTY_LARGE", "TAXON_NAME_MISSING",
                  "TAXON_VERNACULAR_UNKNOWN", "TAXON_UNMATCHED", "TAXON_OUTSIDE_CHECKLIST", "TAXON_NOT_A_NAME", "TAXON_RANK_ABOVE_SPECIES", "DATE_MISSING", "DATE_INVALID"}

PROFILES: list[Profile] = [
    Profile(ECO_CHECK, JUDGE, "生態檢核資料共享標準 v1.0", "Ecological-check data-sharing standard v1.0",
            "公共工程生態檢核的提交資料：三個資料表（工程基本資料、生物出現紀錄、生物名錄）的必要（M）欄位，加上坐標、分類、時間、詞彙與重複的內容檢核。",
            "A 生態檢核 (public-works ecological check) submission: the Mandatory (M) fields of its three tables "
            "(project, occurrence, species list) plus the content checks of coordinates, taxonomy, dates, vocabulary and duplicates.",
            (standard.OCCURRENCE, standard.PROJECT, standard.SPECIES_LIST),
            {t: tuple(term for term, _ in standard.mandatory(t)) for t in standard.FIELDS}, _eco,
            equivalents=standard.EQUIVALENTS),
    Profile(OCCURRENCE, JUDGE, "Darwin Core 出現紀錄（GBIF／TBIA）", "Darwin Core occurrence (GBIF/TBIA)",
            "發布到 GBIF／TBIA 的一般 Darwin Core 出現紀錄資料集：內容檢核、GBIF 必要欄位（occurrenceID、basisOfRecord）與 TBIA 紀錄分級需要的欄位；不含生態檢核的工程欄位。",
            "A general Darwin Core occurrence dataset as published to GBIF/TBIA: the content checks, GBIF's required terms "
            "(occurrenceID, basisOfRecord) and the fields TBIA's record tiers need; none of the 生態檢核 project fields.",
            (standard.OCCURRENCE,), {standard.OCCURRENCE: OCC_REQUIRED}, _occ, equivalents=OCC_EQUIVALENTS),
    Profile(CHECKLIST, JUDGE, "物種名錄（分類群清單）", "Species checklist (taxon list)",
            "只列物種、沒有地點與日期的名錄（如 TaiCOL 匯出檔、調查物種清單）：學名、中文名與科名是否齊全，學名比對臺灣物種名錄的分類檢核（含原生／外來狀態），以及同一物種是否重複列出；不判坐標、日期等出現紀錄的欄位，也不判生態檢核的工程欄位。",
            "A list of taxa without places or dates (a TaiCOL export, a survey's species list): whether scientific name, "
            "Chinese name and family are filled, the taxonomy checks against the Taiwan checklist (native or introduced status "
            "included) and whether a species is listed twice; no occurrence fields "
            "(points, dates) and no 生態檢核 project fields are judged.",
            (standard.SPECIES_LIST,), {standard.SPECIES_LIST: CHECKLIST_REQUIRED}, _checklist,
            not_about=WHERE_WHEN_TERMS | OBSERVATION_TERMS),
    Profile(EVENT, JUDGE, "Darwin Core 調查事件（Event）", "Darwin Core sampling events (Event)",
            "只有調查事件（地點、日期、方法）、沒有物種的事件表（如 BBS 的 event 檔；物種在另一個出現紀錄檔，以 eventID 相連）："
            "事件編號、日期、坐標、誤差範圍與調查方法是否齊全，以及坐標與日期的內容檢核；不判學名、紀錄類型與 occurrenceID。",
            "An event table: where, when and how a survey was done, no taxa (BBS Taiwan's event file; its species are in an "
            "occurrence file joined by eventID): whether eventID, date, point, uncertainty and protocol are filled, and the "
            "coordinate and date checks; no names, basisOfRecord or occurrenceID are asked of it.",
            (standard.OCCURRENCE,), {standard.OCCURRENCE: EVENT_REQUIRED}, _event, equivalents=OCC_EQUIVALENTS, tiers=False,
            not_about=ORGANISM_TERMS),
    Profile(FIT_1KM, FITNESS, "可用於 1 公里分布模型", "Usable for a 1 km distribution model",
            "適用性篩選：臺灣陸海域內的有效點位、誤差範圍 ≤ 1000 公尺、名錄可比對的種級學名、可解讀的日期。",
            "Fitness for use: a valid point in Taiwan's land and waters, uncertainty ≤ 1000 m, a species-rank name the "
            "checklist knows, a date that can be read.",
            (standard.OCCURRENCE,),
            {standard.OCCURRENCE: ("scientificName", "decimalLatitude", "decimalLongitude", "eventDate",
                                   "coordinateUncertaintyInMeters")},
            lambda c: c.id in FIT_1KM_CHECKS, equivalents=OCC_EQUIVALENTS, fit_sql=USABLE_1KM),
]


def by_id() -> dict[str, Profile]:
    return {p.id: p for p in PROFILES}


def judging() -> list[Profile]:
    """The profiles a dataset can be judged by (the choices of --profile)."""
    return [p for p in PROFILES if p.kind == JUDGE]


def infer(terms: set[str], table: str, defaults: set[str] = frozenset(),
          names_in=None) -> tuple[str, dict]:
    """The profile of a file from its OWN columns (mapped terms, never ingest defaults) and why.
    `defaults`: the terms `--default` gives every row; a file whose species is given that way (a
    single-species survey) is a file of that species' records, never an event table."""
    eco = [t for t in ECO_ONLY if t in terms]
    if table == standard.SPECIES_LIST and not eco:
        return CHECKLIST, {"how": "checklist", "fields": []}
    if table != standard.OCCURRENCE:
        return ECO_CHECK, {"how": "table", "table": table, "fields": eco}
    if eco:
        return ECO_CHECK, {"how": "inferred", "fields": eco}
    if not (TAXON_TERMS | OBSERVED_TERMS) & (terms | set(defaults)):
        if "eventID" in terms:
            return EVENT, {"how": "event", "fields": []}
        # where and when, and nothing about an organism: a table of survey events or visits without an
        # eventID column (NTU/OCA's reef survey sites: ID, Site, Depth, Date, latitude, longitude).
        # Judged as occurrences, each row "lacked" a name, an occurrenceID and a basisOfRecord, and a
        # reef site was a "terrestrial record in the sea"
        # `names_in()`: an unmapped column whose values look like taxon names (read only when asked)
        if {"eventDate", "year"} & terms and {"decimalLatitude", "verbatimLatitude"} & terms:
            col = names_in() if names_in else None
            if col is None:
                return EVENT, {"how": "event_no_id", "fields": []}
            return OCCURRENCE, {"how": "names_unmapped", "fields": [col]}
    return OCCURRENCE, {"how": "inferred", "fields": []}


def choose(option: str | None, terms: set[str], table: str, defaults: set[str] = frozenset(),
           names_in=None) -> tuple[str, dict]:
    """--profile when given (checked against the table kind), else inferred."""
    if not option:
        return infer(terms, table, defaults, names_in)
    p = by_id().get(option)
    if p is None or p.kind != JUDGE:
        raise ValueError(f"--profile {option}: not a profile (choose from {', '.join(q.id for q in judging())})")
    if table not in p.tables:
        raise ValueError(f"--profile {option} judges {'/'.join(p.tables)} records; this file is the 生態檢核 "
                         f"{standard.TABLE_NAMES[table][1].lower()} table ({standard.TABLE_NAMES[table][0]})")
    return option, {"how": "option"}


def reason_text(profile: str, reason: dict, lang: str = "zh") -> str:
    en = lang == "en"
    how = reason.get("how")
    if how == "option":
        # the validate page's picker or the command line's --profile: the page's report had said "given with --profile"
        return "chosen by the user: the page's picker or --profile" if en else "使用者指定：頁面選單或 --profile"
    if how == "checklist":
        return ("names only, no place, date or ecological-check (生態檢核) project column: judged as a species checklist" if en
                else "只有物種名稱，沒有地點、日期或生態檢核工程欄位：以物種名錄判定")
    if how == "event":
        return ("eventID with no taxon, occurrenceID or count column: judged as a Darwin Core event table" if en
                else "有 eventID 但沒有物種、occurrenceID 或數量欄位：以 Darwin Core 調查事件表判定")
    if how == "event_no_id":
        return ("dates and points but no taxon, occurrenceID, basisOfRecord or count column: judged as a table of "
                "sampling events (where and when surveys were done); if its rows are observations of organisms, map "
                "the column naming the species to scientificName" if en
                else "有日期與坐標，但沒有物種、occurrenceID、紀錄類型或數量欄位：以調查事件表（何時何地做了調查）判定；"
                     "若每列其實是生物的觀察紀錄，請把記載物種的欄位對應到 scientificName")
    if how == "names_unmapped":
        col = (reason.get("fields") or ["?"])[0]
        return (f"no species column is named as such, but the values of “{col}” look like taxon names: judged as a "
                f"Darwin Core occurrence dataset; map it with --map \"{col}=scientificName\" (or vernacularName)" if en
                else f"沒有可辨認的物種欄名，但「{col}」的值看來是物種名稱：以 Darwin Core 出現紀錄資料集判定；"
                     f"請以 --map \"{col}=scientificName\"（或 vernacularName）指定")
    if how == "table":
        t = reason.get("table", "")
        return (f"the file is the 生態檢核 {standard.TABLE_NAMES[t][1].lower()} table" if en
                else f"檔案是生態檢核的「{standard.TABLE_NAMES[t][0]}」資料表")
    if reason.get("fields"):
        f = ", ".join(reason["fields"])
        return f"the file has columns only the ecological-check (生態檢核) standard has: {f}" if en else f"檔案含生態檢核專屬欄位：{f}"
    return ("no column only the ecological-check (生態檢核) standard has: judged as a Darwin Core occurrence dataset" if en
            else "檔案沒有生態檢核專屬欄位，以 Darwin Core 出現紀錄資料集判定")


def scope(profile: str, table: str, present: set[str]) -> tuple[list[str], list[str]]:
    """(record-level check ids, file-level check ids) for one source file.

    A check whose columns are all absent from the file is one file-level finding: it would
    otherwise flag every row for what is a single fact about the file.
    """
    rec, file = [], []
    for c in by_id()[profile].checks():
        if table not in c.tables:
            continue
        if c.columns and not (set(c.columns) & present):
            file.append(c.id)
        else:
            rec.append(c.id)
    return rec, file


def _any_filled(a: str) -> Callable[[tuple[str, ...]], str]:
    return lambda cols: "(" + " OR ".join(filled(a + duck.ident(c)) for c in cols) + ")"


def completeness_sql(alias: str = "e", has: Callable[[tuple[str, ...]], str] | None = None) -> str:
    """SQL: the record's graded completeness, share of its profile's required fields filled (0–1).
    `has(columns)`: SQL true when one of the columns is filled (default: the filled test on each;
    the build passes a test on the record's filled-field mask, dq/engine.py FILLED)."""
    a = alias + "." if alias else ""
    has = has or _any_filled(a)
    whens = []
    for p in judging():
        for table in p.tables:
            fields = p.fields(table)
            if not fields:
                continue
            terms = " + ".join(f"CASE WHEN {has(tuple(cols))} THEN 1 ELSE 0 END" for _, cols in fields)
            whens.append(f"WHEN {a}profile = '{p.id}' AND {a}table_kind = '{table}' THEN ({terms}) / {len(fields)}.0")
    return "CASE " + " ".join(whens) + " END"


# the columns the tiers and the completeness figures test for being filled (dq/engine.py FILLED)
TIER_COLUMNS = ("scientificName", "month", "basisOfRecord", "coordinatePrecision")


def tier_sql(has: Callable[[tuple[str, ...]], str] | None = None, month_in_date: str | None = None) -> tuple[str, str]:
    """(silver, gold): SQL over `e`. TBIA's record tiers: gold = name + point + year + month +
    basisOfRecord + uncertainty or precision; silver = name + point + year; bronze = the rest.
    "Point" is a point the engine could place (after the unambiguous amendments), "year" a date it
    could read. `has` as in completeness_sql; `month_in_date`: SQL telling that eventDate gives a month
    (default: the test on the text, dq/checks/time.py has_month; the build reads it per distinct date)."""
    req = tier_requirements(has, month_in_date)
    silver = "(" + " AND ".join(req["silver"].values()) + ")"
    gold = f"({silver} AND " + " AND ".join(req["gold"].values()) + ")"
    return silver, gold


def tier_requirements(has: Callable[[tuple[str, ...]], str] | None = None,
                      month_in_date: str | None = None) -> dict[str, dict[str, str]]:
    """TBIA's tier requirements one by one, SQL over `e`: {"silver": {name: test}, "gold": {name: test}}
    (gold asks its own on top of silver's). tier_sql joins them; the validation report counts, per
    requirement, the records it keeps from the next tier (i18n keys tier_req_<name>)."""
    has = has or _any_filled("e.")
    return {"silver": {"name": has(("scientificName",)), "point": "e.lat IS NOT NULL", "year": "e.event_date_parsed IS NOT NULL"},
            "gold": {"month": f"({has(('month',))} OR {month_in_date or has_month('e.eventDate')})",
                     "basis": has(("basisOfRecord",)), "uncertainty": f"(e.unc_m IS NOT NULL OR {has(('coordinatePrecision',))})"}}


SILVER_SQL, GOLD_SQL = tier_sql()
TIER_SQL = f"CASE WHEN {GOLD_SQL} THEN 'gold' WHEN {SILVER_SQL} THEN 'silver' ELSE 'bronze' END"
TIERS = ("gold", "silver", "bronze")


# the profiles whose records TBIA's tiers grade (Profile.tiers)
TIERED = frozenset(p.id for p in PROFILES if p.kind == JUDGE and p.tiers)


def tiered(profile: str, table: str) -> bool:
    """TBIA's tiers grade a file's records: occurrence records judged by a profile with tiers (not an
    event table's rows, not a species list's)."""
    return table == standard.OCCURRENCE and profile in TIERED


def tiered_sql(alias: str = "e.") -> str:
    """tiered() as SQL over a record; elsewhere a record has no tier (NULL), so it counts in neither a
    tier nor the shares' denominator."""
    ids = ", ".join(f"'{p}'" for p in sorted(TIERED))
    return f"({alias}table_kind = '{standard.OCCURRENCE}' AND {alias}profile IN ({ids}))"
