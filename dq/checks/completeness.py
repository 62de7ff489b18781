"""MISSING_<field>: one check per Mandatory field of the 生態檢核 tables, generated from
dq.standard.FIELDS. A field shared by several tables (datasetID) is one check applying to each.

DWC_*: the terms GBIF requires of every occurrence record that no content check already covers
(scientificName, eventDate and the point have theirs): the `occurrence` profile's completeness."""
from __future__ import annotations

from .. import standard
from . import Check, Derivation, DeriveContext, Family, blank


def _blank(col: str) -> str:
    return blank(f'e."{col}"')


def _build() -> list[Check]:
    out: dict[str, Check] = {}
    tables_of: dict[str, list[str]] = {}
    zh_of: dict[str, str] = {}
    for table, rows in standard.FIELDS.items():
        for term, zh, flag in rows:
            if flag == "M":
                tables_of.setdefault(term, []).append(table)
                zh_of.setdefault(term, zh)
    for term, tables in tables_of.items():
        cols = standard.EQUIVALENTS.get(term, (term,))
        sql = " AND ".join(_blank(c) for c in cols)
        # what else satisfies it; srs_from_header is the tool's own (a system the column headers name): said in words
        said = {"srs_from_header": ("欄名標明的坐標系統（如 TWD97_X）", "a system the column headers name (e.g. TWD97_X)")}
        also = [said.get(c, (c, c)) for c in cols[1:]]
        alt = f"（亦接受 {'、'.join(zh for zh, _ in also)}）" if also else ""
        alt_en = f" (also satisfied by {', '.join(en for _, en in also)})" if also else ""
        zh = zh_of[term]
        out[term] = Check(
            id=f"MISSING_{term}", dimension="completeness", severity="error",
            title_zh=f"缺少必要欄位：{zh}（{term}）", title_en=f"Mandatory field missing: {term}",
            explain_zh=f"生態檢核資料共享標準將「{zh}」（{term}）列為必要（M）欄位，此筆紀錄為空白{alt}。",
            explain_en=f"The ecological-check data-sharing standard marks {term} ({zh}) Mandatory; this record leaves it empty{alt_en}.",
            sql=sql, fix=f"'請填寫 {term}（{zh}）'", fix_en=f"'Fill in {term}'", tables=tuple(tables), columns=cols)
    return list(out.values())


DWC = [
    Check("DWC_OCCURRENCE_ID_MISSING", "completeness", "error", "缺少紀錄編號（occurrenceID）", "Record ID (occurrenceID) missing",
          "GBIF 要求每筆出現紀錄有在資料集中唯一且不變的 occurrenceID，更新資料時才能對應到同一筆。",
          "GBIF requires every occurrence a stable occurrenceID, unique in its dataset, so updates can find the same record.",
          _blank("occurrenceID"), "'請給每筆紀錄唯一且固定的編號，例如 資料集代碼-流水號'", fix_en="'Give every record a unique, stable id, e.g. dataset code-serial number'", columns=("occurrenceID",)),
    Check("DWC_BASIS_OF_RECORD_MISSING", "completeness", "error", "缺少紀錄類型（basisOfRecord）", "Basis of record (basisOfRecord) missing",
          "GBIF 要求每筆出現紀錄註明紀錄類型（HumanObservation、PreservedSpecimen…）。",
          "GBIF requires every occurrence to say what kind of record it is (HumanObservation, PreservedSpecimen…).",
          _blank("basisOfRecord"), "'野外觀察請填 HumanObservation，標本請填 PreservedSpecimen'", fix_en="'Field observations: HumanObservation; specimens: PreservedSpecimen'", columns=("basisOfRecord",)),
]

# the key an event table's occurrences are joined by (the `event` profile's own completeness check)
EVENT = [
    Check("EVENT_ID_MISSING", "completeness", "error", "缺少事件編號（eventID）", "Event ID (eventID) missing",
          "調查事件表的每一列要有 eventID（每個事件一個）：出現紀錄檔靠它連到事件的日期、地點與方法。",
          "Every row of an event table needs its eventID (one per event): the occurrence file finds the event's date, place and method by it.",
          _blank("eventID"), "'請給每個調查事件唯一且固定的編號，例如 樣區代碼_年份_次數'",
          fix_en="'Give every sampling event a unique, stable id, e.g. site code_year_visit'", columns=("eventID",)),
]

CHECKS = _build() + DWC + EVENT


# An event table's hierarchy: a row whose eventID another row of its dataset names as parentEventID
# is a parent event (BBS Taiwan: a year, a site), whose points and dates are its child events'
# (the visits): 2,204 of its 2,543 events without a point are such parents. COORD_MISSING and
# DATE_MISSING do not ask them for one. Only event tables (the `event` profile) are read for it.
def derive_parents(con, ctx: DeriveContext) -> None:
    # parents within one agency's dataset (two agencies may both call a dataset "BBS"), ids compared
    # trimmed; `profile` is a constant of each source, so only event tables give any
    con.execute("""CREATE OR REPLACE TEMP TABLE _pev AS SELECT DISTINCT hash(agency, dataset_id, trim(parentEventID)) AS k FROM occ
        WHERE profile = 'event' AND parentEventID IS NOT NULL AND trim(parentEventID) <> ''""")


DERIVATION = Derivation(
    record_cols={"pek": "CASE WHEN o.profile = 'event' AND o.eventID IS NOT NULL THEN hash(o.agency, o.dataset_id, trim(o.eventID)) END"},
    derive=derive_parents,
    joins=("LEFT JOIN _pev pev ON pev.k = k.pek",),
    columns=("pev.k IS NOT NULL AS is_parent_event",),
)
# the predicate the point and date checks add (NULL where a record view lacks the lookup: no parent)
NOT_PARENT = "NOT coalesce(e.is_parent_event, false)"

# The M-field predicates read the canonical columns themselves; the derivation is the event hierarchy.
FAMILY = Family("completeness", tuple(CHECKS), DERIVATION)
