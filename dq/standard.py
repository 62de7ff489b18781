"""The 生態檢核資料共享標準 v1.0 (TBIA 2024) field tables: one row per field.

Completeness checks (MISSING_<field>) are generated from these tuples, so the standard is
written down once. Columns: term, 中文, flag (M/C/O).
"""
from __future__ import annotations

PROJECT = "project"          # 一、工程基本資料
OCCURRENCE = "occurrence"    # 二、生物出現紀錄
SPECIES_LIST = "species_list"  # 三、生物名錄

TABLE_NAMES = {
    PROJECT: ("工程基本資料", "Project basics"),
    OCCURRENCE: ("生物出現紀錄", "Occurrence records"),
    SPECIES_LIST: ("生物名錄", "Species list"),
}

FIELDS: dict[str, list[tuple[str, str, str]]] = {
    PROJECT: [
        ("datasetID", "工程編號", "M"), ("datasetName", "工程名稱", "M"), ("organizer", "主辦機關", "M"),
        ("contractor", "承攬廠商", "M"), ("contractorWork", "承攬廠商主責項目", "M"),
        ("verbatimLocality", "基地地點", "M"), ("impactArea", "工程影響範圍", "M"),
        ("verbatimLongitude", "X坐標", "M"), ("verbatimLatitude", "Y坐標", "M"),
        ("verbatimSRS", "大地基準", "M"), ("engineeringBudget", "工程預算", "M"),
        ("ecologyBudget", "生態檢核編列預算", "C"), ("engineeringPurpose", "工程目的", "M"),
        ("engineeringType", "工程類型", "M"), ("engineeringAbstract", "工程概要", "M"),
        ("engineeringExpection", "工程預期效益", "M"), ("ecoExpection", "生態檢核效益", "M"),
        ("engineeringStage", "工程階段", "M"), ("ecoConcernMap", "生態關注區域圖", "C"),
        ("startTime", "起始時間", "M"), ("endTime", "結束時間", "M"),
    ],
    OCCURRENCE: [
        ("datasetID", "工程編號", "M"), ("scientificName", "學名", "M"),
        ("scientificNameVersion", "學名來源及版本", "O"), ("vernacularName", "俗名", "M"),
        ("recordedBy", "資料紀錄人", "M"), ("rightsHolder", "資料紀錄團隊", "M"),
        ("eventDate", "資料產生日期", "M"), ("verbatimSRS", "坐標參考系統", "M"),
        ("verbatimLongitude", "X 坐標", "M"), ("verbatimLatitude", "Y 坐標", "M"),
        ("samplingProtocol", "調查方法", "M"), ("organismQuantity", "數量", "M"),
        ("organismQuantityType", "數量單位", "M"), ("checkName", "所屬分類", "O"),
        ("taxonRank", "鑑定層級", "O"), ("basisOfRecord", "紀錄類型", "M"),
        ("verbatimLocality", "地點", "M"), ("habitat", "採集環境棲地描述", "M"),
        ("coordinateUncertaintyInMeters", "誤差範圍", "M"), ("selfProduced", "第一手資料", "M"),
    ],
    SPECIES_LIST: [
        ("datasetID", "工程編號", "M"), ("family", "科名", "M"), ("vernacularName", "中文名", "M"),
        ("scientificName", "學名", "M"), ("concernedSpecie", "本案關注物種", "M"),
        ("reference", "紀錄來源", "M"), ("ecoFriendly", "生態友善措施", "O"),
        ("ecoFriendlyArea", "友善措施範圍", "M"),
    ],
}

# A Darwin Core record satisfies a Mandatory field through an equivalent term too: BBS gives
# decimalLatitude + geodeticDatum rather than verbatimLatitude + verbatimSRS, and that is
# the same information. The completeness SQL uses COALESCE over these.
EQUIVALENTS: dict[str, tuple[str, ...]] = {
    "verbatimLongitude": ("verbatimLongitude", "decimalLongitude"),
    "verbatimLatitude": ("verbatimLatitude", "decimalLatitude"),
    "verbatimSRS": ("verbatimSRS", "geodeticDatum", "srs_from_header"),
    "verbatimLocality": ("verbatimLocality", "locality"),
    "organismQuantity": ("organismQuantity", "individualCount"),
    "organismQuantityType": ("organismQuantityType", "individualCount"),
    "eventDate": ("eventDate", "year"),
}

BASIS_OF_RECORD = {
    "HumanObservation": "人為觀測", "MachineObservation": "機器觀測", "PreservedSpecimen": "保存標本",
    "MaterialSample": "材料樣本", "LivingSpecimen": "活體標本", "FossilSpecimen": "化石標本",
    "MaterialCitation": "文獻紀錄", "MaterialEntity": "材料實體", "Taxon": "分類群",
    "Occurrence": "出現紀錄", "Event": "調查活動",
    # GBIF's own generic value (OBSERVATION in its downloads: an observation not said to be by a person or a
    # machine); the standard's list is GBIF's recommended one, and GBIF publishes it
    "Observation": "觀測",
}


def bor_key_sql(col: str) -> str:
    """SQL: a basisOfRecord as compared with BASIS_OF_RECORD's terms lower-cased (and its labels): case and
    underscores aside, so that GBIF's interpreted form in every GBIF download (HUMAN_OBSERVATION,
    PRESERVED_SPECIMEN) is the term it stands for, not a value outside the vocabulary."""
    return f"lower(replace(trim({col}), '_', ''))"


def mandatory(table: str) -> list[tuple[str, str]]:
    return [(term, zh) for term, zh, flag in FIELDS[table] if flag == "M"]


def all_terms() -> list[str]:
    seen: list[str] = []
    for rows in FIELDS.values():
        for term, _, _ in rows:
            if term not in seen:
                seen.append(term)
    return seen
