"""Open-data quality: catalogue snapshots, per-dataset metrics, per-agency league table.

Each metric is defined once here (METRICS, with its zh-TW/English definition and RAG thresholds,
shown in the UI) and computed in DuckDB. The per-dataset table is also the `e` the open_data
checks of the one catalogue (dq/checks/opendata.py) run over, so agencies get a fix list.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

import pandas as pd

from . import __version__, duck, formulas
from .checks import catalogue, compat_chars_sql, load_messages
from .paths import REFERENCE
from .snapshot import _ident, _lit, ingest, sha256
from .store import suggestion_col
from .sources.base import SourceError
from .sources.catalog import COLUMNS, stage_catalog

from .paths import OD_DEMO_ROOT, OD_ROOT  # noqa: F401  (one place for snapshot roots)
from .checks.opendata import OVERDUE_FACTOR, PERIOD_DAYS, period_sql as _period_sql  # declared with its check
NATIONAL_2026 = REFERENCE / "datagovtw_2026_national_distribution.csv"
NATIONAL_2026_LABEL = ("全國（data.gov.tw 2026 匯出，52,960 個資料集）", "National (data.gov.tw 2026 export, 52,960 datasets)")
NATIONAL_2026_SOURCE = ("全國基準：政府資料開放平臺 2026 年目錄匯出之彙總（52,960 個資料集，依品質標章、更新頻率計數；"
                        "ncchen99/Taipei-Open-Data 之 gov_export_stats.md，2026-05-02）",
                        "National benchmark: summary of data.gov.tw's 2026 catalogue export (52,960 datasets, counts per badge and "
                        "update frequency; ncchen99/Taipei-Open-Data, gov_export_stats.md, 2026-05-02)")
# a catalogue series: snapshots of one kind of catalogue, the only ones compared with each other
SERIES = {"portal-list-2018": "city-portals", "city-portal-2018": "city-portals",
          "data.gov.tw-metadata-json": "datagovtw-metadata", "data.gov.tw-list": "datagovtw-list",
          "data.gov.tw-export": "datagovtw-export", "data.gov.tw-export-json": "datagovtw-export", "catalogue": "catalogue"}
SERIES_LABEL = {"city-portals": ("縣市開放資料平臺目錄", "City/county open-data portal catalogues"),
                "datagovtw-metadata": ("data.gov.tw 資料集詮釋資料", "data.gov.tw dataset metadata"),
                "datagovtw-list": ("data.gov.tw 全國資料集清單", "data.gov.tw national dataset list"),
                "datagovtw-export": ("data.gov.tw 目錄匯出", "data.gov.tw catalogue export"),
                "catalogue": ("其他目錄", "Other catalogue")}
# update-frequency buckets, by declared period in days (the national benchmark uses the same ones)
FREQ_BUCKETS = [("irregular", "不定期", "Irregular"), ("never", "不更新", "Never updated"), ("realtime", "即時／每小時", "Real-time / hourly"),
                ("daily", "每日", "Daily"), ("weekly", "每週（≤ 10 日）", "Weekly (≤ 10 days)"), ("monthly", "每月", "Monthly"),
                ("quarterly", "每季", "Quarterly"), ("halfyear", "每半年", "Half-yearly"), ("yearly", "每年", "Yearly"),
                ("multiyear", "數年一次", "Every few years"), ("unknown", "未填或無法判讀", "Blank or unreadable")]
BADGES = [("platinum", "白金", "Platinum"), ("gold", "金", "Gold"), ("silver", "銀", "Silver"), ("bronze", "銅", "Bronze"),
          ("none", "無", "None")]
OPEN_LICENCE_RX = r"政府資料開放授權|開放授權|CC[ -]?BY|CC0|公眾領域|Open Government Data|OGDL|ODC-BY|PDDL"
RDF = ["RDF", "JSON-LD", "JSONLD", "TTL", "TURTLE", "N3", "NT", "NQ"]
# WEBSERVICES (data.gov.tw's 2018 name for an API), RSS and CAP (alerts) are XML/JSON served by machine
OPEN_MR = ["CSV", "TSV", "JSON", "XML", "ODS", "GEOJSON", "KML", "KMZ", "SHP", "API", "WMS", "WFS", "WMTS", "GPX", "GML",
           "WEBSERVICES", "WEBSERVICE", "RSS", "CAP"]
PROPRIETARY_MR = ["XLS", "XLSX", "DOC", "DOCX", "MDB", "ACCDB", "DBF", "PPT", "PPTX"]
# field → zh label; dataset-level fields count when any resource has them, resource-level when all do
META_FIELDS = {"dataset_name": "資料集名稱", "description": "資料集描述", "main_fields": "主要欄位說明",
               # the unit within the agency (a city portal's 資料來源(部會單位)): a fix "Add: agency" read as absurd beside the
               # agency the page names (高雄市政府, from the portal's 第一層級)
               "agency_raw": "提供機關（單位）", "update_frequency": "更新頻率", "license": "授權方式",
               "file_format": "檔案格式", "download_url": "資料下載網址", "encoding": "編碼格式"}
RESOURCE_FIELDS = {"file_format", "download_url", "encoding"}
# the same fields named in English (OD_METADATA_INCOMPLETE's English fix read "Add: 提供機關")
META_FIELDS_EN = {"dataset_name": "title", "description": "description", "main_fields": "field notes", "agency_raw": "providing unit",
                  "update_frequency": "update frequency", "license": "licence", "file_format": "file format",
                  "download_url": "download URL", "encoding": "encoding"}
# (a catalogue snapshot written before the unit was named so holds 提供機關)
META_EN_SQL = ("CASE x " + " ".join(f"WHEN '{META_FIELDS[k]}' THEN '{v}'" for k, v in META_FIELDS_EN.items())
               + " WHEN '提供機關' THEN 'providing unit' ELSE x END")
TRUTHY = "('y', 'yes', 'true', '1', 'v', '是', '有', '✓')"
# formats whose files are documents, pictures or archives: a text encoding says nothing of them (the 2018 IoT
# list declares 其他 for its PDFs) and their volume is a count of files, not of records
# (archives are not among them: 113 of the 2018 IoT list's 114 壓縮檔 declare UTF-8, they wrap data files)
DOCUMENT_FORMATS = r"^\s*(pdf|docx?|odt|pptx?|odp|jpe?g|png|gif|tiff?|bmp|svg|mp3|mp4|avi|mov|wmv)\s*$"


def is_document_format(fmt) -> bool:
    """A resource's format is a document (its catalogue volume counts files, not records)."""
    return isinstance(fmt, str) and re.match(DOCUMENT_FORMATS, fmt, re.I) is not None


def _encodings_sql(test: str) -> str:
    """SQL: how many of a row's ';'-joined encodings pass `test` (over {x}), leaving out those of document
    formats when the row pairs each format with its encoding (as many of each)."""
    enc = "string_split(encoding, ';')"
    fmt = f"CASE WHEN len(string_split(coalesce(file_format, ''), ';')) = len({enc}) THEN string_split(file_format, ';') ELSE list_transform({enc}, x -> NULL) END"
    return (f"len(list_filter(list_zip({fmt}, {enc}), p -> NOT coalesce(regexp_matches(struct_extract(p, 1), '{DOCUMENT_FORMATS}', 'i'), false) "
            f"AND {test.format(x='struct_extract(p, 2)')}))")


@dataclasses.dataclass(frozen=True)
class Metric:
    key: str
    zh: str
    en: str
    define_zh: str
    define_en: str
    higher_is_better: bool = True
    green: float | None = None     # RAG thresholds on the value (shares in [0, 1])
    amber: float | None = None
    share: bool = False


METRICS = [
    Metric("datasets", "資料集數", "Datasets", "不重複的資料集識別碼（沒有識別碼時以機關＋名稱）。",
           "Distinct dataset identifiers (agency + title where there is none)."),
    Metric("resources", "資源數", "Resources", "目錄列數：一個資料集的每個檔案一列。", "Catalogue rows: one per file of a dataset."),
    Metric("share_3star", "3 星以上比例", "Share ≥ 3 stars",
           "五星開放資料：授權非開放 0 星；開放授權任何格式 1 星；機器可讀但專屬格式（XLS、XLSX、DOC）2 星；開放機器可讀（CSV、JSON、XML、ODS、GeoJSON、KML、SHP、API）3 星；RDF 家族（RDF、JSON-LD、TTL）4 星。資料集取其最佳資源。",
           "5-star open data: 0 if the licence is not open; 1 any format with an open licence; 2 machine-readable proprietary (XLS, XLSX, DOC); 3 open machine-readable (CSV, JSON, XML, ODS, GeoJSON, KML, SHP, API); 4 RDF family. A dataset takes its best resource.",
           green=0.9, amber=0.7, share=True),
    Metric("open_format_share", "開放格式比例", "Open-format share",
           "至少有一個開放且機器可讀格式（CSV、JSON、XML、ODS、GeoJSON、KML、SHP、API 等）的資料集比例；不需授權欄位即可判定。",
           "Share of datasets with at least one open machine-readable format (CSV, JSON, XML, ODS, GeoJSON, KML, SHP, API…); needs no licence field.",
           green=0.9, amber=0.7, share=True),
    Metric("platinum_share", "白金比例", "Platinum share", "白金標章資料集占有標章欄位資料集的比例；全國基準見下。",
           "Platinum datasets over datasets with a badge field; the national benchmark is shown beside it.", green=0.6, amber=0.4, share=True),
    Metric("platinum", "白金標章", "Platinum badges", "品質檢測為白金的資料集數。", "Datasets whose 品質檢測 is 白金 (platinum)."),
    Metric("gold", "金標章", "Gold badges", "品質檢測為金的資料集數。", "Datasets whose 品質檢測 is 金 (gold)."),
    Metric("silver", "銀標章", "Silver badges", "品質檢測為銀的資料集數。", "Datasets whose 品質檢測 is 銀 (silver)."),
    Metric("bronze", "銅標章", "Bronze badges", "品質檢測為銅的資料集數。", "Datasets whose 品質檢測 is 銅 (bronze)."),
    Metric("no_badge", "無標章", "No badge", "品質檢測空白或無標章的資料集數。", "Datasets with no badge.", higher_is_better=False),
    Metric("badge_share", "金／白金比例", "Share gold or platinum", "白金＋金標章資料集占全部資料集的比例。",
           "Platinum + gold datasets over all datasets.", green=0.8, amber=0.5, share=True),
    Metric("overdue", "逾期未更新", "Overdue", "距最近更新超過宣告頻率 1.5 倍的資料集數（不定期、不更新不判定；即時、每小時不判定：目錄時間是詮釋資料的，不是資料的）。",
           "Datasets older than 1.5 × their declared update period (irregular / never-updated not judged; real-time and hourly not judged: the catalogue's timestamp is the metadata's, not the data's).", higher_is_better=False),
    Metric("overdue_share", "逾期比例（占可判定者）", "Overdue share (of those judged)",
           "逾期資料集占可判定更新頻率之資料集的比例（不定期、不更新、即時、每小時的資料集不在分母內）。",
           "Overdue datasets over the datasets whose update period can be judged (irregular, never-updated, real-time and hourly ones are not counted).",
           higher_is_better=False, green=0.05, amber=0.15, share=True),
    Metric("metadata_complete_share", "詮釋資料完整比例", "Metadata complete",
           "九個欄位（名稱、描述、主要欄位說明、提供機關、更新頻率、授權方式、檔案格式、下載網址、編碼格式）都有填的資料集比例；目錄未提供的欄位不判定。",
           "Share of datasets with all nine fields filled (name, description, field notes, agency, frequency, licence, format, URL, encoding); fields the catalogue lacks are not judged.",
           green=0.95, amber=0.8, share=True),
    Metric("utf8_share", "UTF-8 比例", "UTF-8 share", "宣告編碼為 UTF-8 的資源比例。", "Resources declared UTF-8.", green=0.95, amber=0.8, share=True),
    Metric("tiny", "0／1 筆資料集", "0–1 record datasets", "資料量為 0 或 1 筆的資料集數（「約 N 筆」的概估不計）。",
           "Datasets whose volume is 0 or 1 (an estimate such as 約1筆, \"about 1\", is not counted).",
           higher_is_better=False),
    Metric("views", "瀏覽次數", "Views", "目錄記載的瀏覽次數合計。", "Views as the catalogue records them."),
    Metric("downloads", "下載次數", "Downloads", "目錄記載的下載次數合計。", "Downloads as the catalogue records them."),
    Metric("high_value", "高應用價值資料集", "High-value datasets", "目錄旗標或會議清單標為高應用價值的資料集數。",
           "Datasets flagged high-value by the catalogue or the meeting's list."),
    Metric("bilingual", "雙語資料集", "Bilingual datasets", "目錄旗標或會議清單標為雙語的資料集數。",
           "Datasets flagged bilingual by the catalogue or the meeting's list."),
]
METRIC = {m.key: m for m in METRICS}
CSV_COLUMNS = ["agency", "parent", "level", "datasets", "resources", "share_3star", "open_format_share", "platinum_share", "platinum", "gold", "silver", "bronze",
               "no_badge", "overdue", "overdue_share", "metadata_complete_share", "utf8_share", "badge_share", "tiny",
               "views", "downloads", "high_value", "bilingual", "judged_update", "judged_stars", "judged_badge", "meta_fields_judged"]


def rag(metric: str, value) -> str | None:
    """'green' / 'amber' / 'red' against the metric's thresholds (None when it has none or no value)."""
    m = METRIC[metric]
    if m.green is None or value is None or pd.isna(value):
        return None
    if m.higher_is_better:
        return "green" if value >= m.green else "amber" if value >= m.amber else "red"
    return "green" if value <= m.green else "amber" if value <= m.amber else "red"


@dataclasses.dataclass
class CatalogSpec:
    path: Path
    agency: str | None = None     # for rows whose catalogue names no agency (the 2018 portal lists)
    portal: str | None = None
    note: str | None = None       # where the catalogue comes from, as a reader of a report should see it
    note_en: str | None = None    # the same in English


def _canonical_select(st, mapping: dict[str, str], spec: CatalogSpec, fmt: str, index: int) -> str:
    by_col = {v: k for k, v in mapping.items()}
    cols = []
    for c in COLUMNS:
        cols.append(f"nullif(trim({_ident(by_col[c])}), '') AS {c}" if c in by_col else f"NULL::VARCHAR AS {c}")
    present = [c for c in COLUMNS if c in by_col]
    agency_default = _lit(spec.agency) if spec.agency else "NULL::VARCHAR"
    # a folder of JSON files names each row's own file; any other source is one file
    src_file = "source_file" if "source_file" in _staged_columns(st.staged) else _lit(st.path.name)
    return f"""SELECT {index} AS source_index, {src_file} AS source_file, source_row, {_lit(fmt)} AS catalog_format,
        {_lit(spec.portal or '')} AS portal, {', '.join(cols)}, {agency_default} AS agency_default,
        {present!r}::VARCHAR[] AS present
      FROM read_parquet({duck.q(st.staged)})"""


def _staged_columns(path: Path) -> list[str]:
    con = duck.connect(spatial=False)
    try:
        return [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet({duck.q(path)})").fetchall()]
    finally:
        con.close()


# how the name of an office, a bureau or a school ends (a unit named in two to four characters
# without one of these under a city is a person's name)
UNIT_SUFFIX = "(局|處|會|所|署|部|院|館|府|室|科|股|組|隊|站|場|中心|校|團|課|廳|司|港|廠|園|台|臺|社|庫|宮|班|學|系|市|縣|鄉|鎮|區|村|里|段|業|稅|行)"
# and starts with one of Taiwan's common surnames (a short unit without a suffix, 台電 or 中油, does not)
SURNAMES = "".join(dict.fromkeys("陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾游彭詹施胡沈余盧梁趙顏柯翁魏孫戴范"
                                 "方宋鄧杜傅侯曹薛丁卓阮馬董温唐藍石蔣古紀姚連馮歐程湯黎田康姜汪白鄒尤巫鐘涂龔嚴韓袁金童陸夏柳凃邵左賀"))


def _agency_sql() -> str:
    """Canonical agency, parent and level for each resource row of `res` (register first, then rules)."""
    reg = duck.q(REFERENCE / "agency_register.csv")
    return f"""
      WITH reg AS (SELECT replace(regexp_replace(variant, '\\s', '', 'g'), '台', '臺') AS variant, canonical, parent, level
                   FROM read_csv({reg}, header=true, all_varchar=true)),
      r AS (SELECT *, replace(regexp_replace(coalesce(agency_raw, agency_default, ''), '\\s', '', 'g'), '台', '臺') AS a0,
                      replace(regexp_replace(coalesce(parent_level, nullif(portal, ''), agency_default, ''), '\\s', '', 'g'), '台', '臺') AS p0 FROM res),
      r2 AS (SELECT r.*, ra.canonical AS a_reg, ra.parent AS a_parent, ra.level AS a_level,
                    coalesce(rp.canonical, nullif(r.p0, '')) AS p1
             FROM r LEFT JOIN reg ra ON ra.variant = r.a0 LEFT JOIN reg rp ON rp.variant = r.p0)
      SELECT r2.* EXCLUDE (a0, p0, a_reg, a_parent, a_level, p1),
        coalesce(a_reg,
          CASE WHEN a0 = '' THEN p1
               -- a person in the unit column (高雄市's 2018 portal: 蘇信宏, 左育丞 … on 18 datasets) is a
               -- contact, not a bureau: the dataset is the city's, never an agency "高雄市政府蘇信宏"
               WHEN regexp_matches(p1, '(市|縣)政府$') AND regexp_matches(a0, '^[{SURNAMES}]\\p{{Han}}{{1,3}}$')
                    AND NOT regexp_matches(a0, '{UNIT_SUFFIX}$') THEN p1
               -- a bureau named without its city ('地方稅務局' under 桃園市政府) is that city's bureau
               WHEN regexp_matches(p1, '(市|縣)政府$') AND NOT starts_with(a0, regexp_replace(p1, '政府$', ''))
                    AND NOT regexp_matches(a0, '^(..[市縣])') THEN p1 || a0
               ELSE a0 END) AS agency,
        coalesce(a_parent, p1, a_reg, nullif(a0, '')) AS parent,
        coalesce(a_level, CASE WHEN regexp_matches(coalesce(p1, a0), '(市|縣)政府$|^..[市縣]') THEN 'local' ELSE 'central' END) AS level
      FROM r2"""


def _stars_sql(col: str) -> str:
    def inlist(xs):
        return "[" + ", ".join(f"'{x}'" for x in xs) + "]"
    toks = f"list_transform(string_split(regexp_replace(upper(coalesce({col}, '')), '[、；;/|]', ',', 'g'), ','), x -> trim(x))"
    return f"""list_max(list_transform({toks}, x -> CASE WHEN list_contains({inlist(RDF)}, x) THEN 4
                   WHEN list_contains({inlist(OPEN_MR)}, x) THEN 3 WHEN list_contains({inlist(PROPRIETARY_MR)}, x) THEN 2
                   WHEN x <> '' THEN 1 ELSE 0 END))"""


def _freq_bucket_sql(col: str) -> str:
    p = _period_sql(col)
    return f"""(CASE WHEN {col} IS NULL THEN 'unknown' WHEN contains({col}, '不定期') THEN 'irregular'
                 WHEN contains({col}, '不更新') THEN 'never' WHEN regexp_matches({col}, '即時|分|時') THEN 'realtime'
                 WHEN {p} IS NULL THEN 'unknown' WHEN {p} <= 1 THEN 'daily' WHEN {p} <= 10 THEN 'weekly'
                 WHEN {p} <= 31 THEN 'monthly' WHEN {p} <= 92 THEN 'quarterly' WHEN {p} <= 183 THEN 'halfyear'
                 WHEN {p} <= 366 THEN 'yearly' ELSE 'multiyear' END)"""


def _count_sql(col: str, label: str) -> str:
    """A count as catalogues write it: 7515, "7,472", or (fields shifted by a crawler) the whole
    "瀏覽次數: 7515 下載次數: 1353" line, read by its label; anything else (a URL) is NULL."""
    return f"""coalesce(try_cast(replace(trim({col}), ',', '') AS BIGINT),
                        try_cast(replace(nullif(regexp_extract({col}, '{label}(?:次數|人次)\\s*[:：]\\s*([\\d,]+)', 1), ''), ',', '') AS BIGINT))"""


def _date_sql(col: str) -> str:
    """Dates as catalogues write them: 2024-01-05, 2024/01/05 10:00, ROC 113/01/05."""
    c = f"regexp_extract(trim({col}), '^(\\d{{2,4}})[-/.](\\d{{1,2}})[-/.](\\d{{1,2}})', ['y', 'm', 'd'])"
    return f"""(SELECT CASE WHEN p.y = '' THEN NULL ELSE try_cast(make_date(
                  CASE WHEN p.y::INT < 1000 THEN p.y::INT + 1911 ELSE p.y::INT END, p.m::INT, p.d::INT) AS DATE) END
               FROM (SELECT {c} AS p))"""


def _flag_sql(catalogue: str, listed: str, have_list: bool) -> str:
    """High-value / bilingual: the catalogue's flag, or the meeting's own list once it has one for this snapshot;
    NULL (not judged) when neither exists, never a silent 0."""
    if have_list:
        return f"(coalesce({catalogue}, false) OR coalesce({listed}, false))"
    return catalogue


def _load_lists(con, lists: pd.DataFrame | None) -> None:
    """The meeting's high-value/bilingual list as temp table `_lists` (empty when there is none)."""
    con.execute("CREATE OR REPLACE TEMP TABLE _lists (dataset_key VARCHAR, high_value BOOLEAN, bilingual BOOLEAN)")
    if lists is not None and len(lists):
        con.executemany("INSERT INTO _lists VALUES (?, ?, ?)",
                        [(str(k), bool(h), bool(b)) for k, h, b in lists[["dataset_key", "high_value", "bilingual"]].itertuples(index=False)])


def dataset_table(con, snapshot_date: str, lists: pd.DataFrame | None = None) -> None:
    """`res` (resources, canonical columns) → `resa` (with agency) → `ds`, one row per dataset: the `e` of open_data checks."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE resa AS {_agency_sql()}")
    lic = f"regexp_matches(license, '{OPEN_LICENCE_RX}', 'i')"
    freq = _period_sql("d.update_frequency")
    missing = ", ".join(
        f"CASE WHEN list_contains(arg_min(present, (source_file, source_row)), '{f}') AND NOT {'bool_and' if f in RESOURCE_FIELDS else 'bool_or'}({f} IS NOT NULL) "
        f"THEN '{zh}' END" for f, zh in META_FIELDS.items())
    judged = " + ".join(f"list_contains(arg_min(present, (source_file, source_row)), '{f}')::INT" for f in META_FIELDS)
    _load_lists(con, lists)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE ds AS
      WITH r AS (SELECT *,
          -- without an id, a dataset is its agency + title (+ listing date: a national list names two datasets alike)
          coalesce(dataset_id, agency || '|' || coalesce(dataset_name, '') || coalesce('|' || listed_date, '')) AS dataset_key,
          CASE WHEN NOT list_contains(present, 'license') OR NOT list_contains(present, 'file_format') THEN NULL
               WHEN license IS NULL OR NOT {lic} THEN 0 ELSE {_stars_sql('file_format')} END AS r_stars,
          CASE WHEN list_contains(present, 'file_format') THEN {_stars_sql('file_format')} >= 3 END AS r_open_format,
          -- a row may `;`-join several files' formats (and URLs, encodings): it counts as that many resources;
          -- the formats are counted, not the URLs, which may hold a ';' of their own
          greatest(1, len(string_split(coalesce(file_format, ''), ';'))) AS r_files,
          {_date_sql('resource_updated')} AS r_updated, {_date_sql('metadata_updated')} AS m_updated,
          -- 約1筆 ("about one record") is what 471 resources of 2018-12-31 say (臺東縣's 431 statistics tables
          -- datasets, by statistical area, all "0–1 record"): an estimate is no count, and not judged
          CASE WHEN NOT contains(coalesce(volume, ''), '約') THEN try_cast(regexp_extract(replace(volume, ',', ''), '(\\d+)', 1) AS BIGINT) END AS r_volume
        FROM resa),
      -- a dataset two catalogues list (a county portal lists the city's datasets too) takes its names and
      -- portal from the first file and row that lists it, as source_file does (any_value() picked either)
      d AS (SELECT dataset_key, arg_min(agency, (source_file, source_row)) AS agency, arg_min(parent, (source_file, source_row)) AS parent,
          arg_min(level, (source_file, source_row)) AS level, arg_min(dataset_id, (source_file, source_row)) AS dataset_id,
          arg_min(dataset_name, (source_file, source_row)) AS dataset_name, arg_min(portal, (source_file, source_row)) AS portal,
          min(source_file) AS source_file, min(source_row) AS source_row, sum(r_files)::BIGINT AS n_resources,
          bool_or(r_open_format) AS open_format,
          CASE WHEN list_contains(arg_min(present, (source_file, source_row)), 'license') THEN coalesce(bool_or({lic}), false) END AS license_open,
          max(r_stars) AS stars, arg_max(file_format, r_stars) AS best_format,
          CASE WHEN NOT list_contains(arg_min(present, (source_file, source_row)), 'quality_badge') THEN NULL
               WHEN bool_or(contains(quality_badge, '白金')) THEN 'platinum'
               WHEN bool_or(contains(quality_badge, '金')) THEN 'gold' WHEN bool_or(contains(quality_badge, '銀')) THEN 'silver'
               WHEN bool_or(contains(quality_badge, '銅')) THEN 'bronze' ELSE 'none' END AS badge,
          arg_min(quality_badge, (source_file, source_row)) AS badge_raw, arg_min(license, (source_file, source_row)) AS license, string_agg(DISTINCT file_format, ';' ORDER BY file_format) AS formats,
          arg_min(listed_date, (source_file, source_row)) AS listed_date, arg_min(agency_raw, (source_file, source_row)) AS agency_raw,
          arg_min(update_frequency, (source_file, source_row)) AS update_frequency, max(greatest(r_updated, m_updated)) AS last_update,
          list_filter([{missing}], x -> x IS NOT NULL) AS meta_missing,
          list_transform(list_filter([{missing}], x -> x IS NOT NULL), x -> {META_EN_SQL}) AS meta_missing_en, {judged} AS meta_judged,
          -- a row may list several files' encodings ("UTF-8;BIG5"): count each one
          CASE WHEN list_contains(arg_min(present, (source_file, source_row)), 'encoding') THEN coalesce(sum({_encodings_sql("trim({x}) <> ''")}), 0) END AS encoding_declared,
          CASE WHEN list_contains(arg_min(present, (source_file, source_row)), 'encoding') THEN coalesce(sum({_encodings_sql("regexp_matches({x}, 'utf-?8', 'i')")}), 0) END AS utf8_resources,
          CASE WHEN list_contains(arg_min(present, (source_file, source_row)), 'download_url') THEN count(*) FILTER (WHERE download_url IS NULL) END AS url_missing,
          -- a volume counts records only where some format is not a document (a PDF form's volume is its 1 file)
          CASE WHEN bool_or(file_format IS NULL OR len(list_filter(string_split(file_format, ';'),
                                 x -> NOT regexp_matches(x, '{DOCUMENT_FORMATS}', 'i'))) > 0) THEN max(r_volume) END AS volume_num, max({_count_sql('views', '瀏覽')}) AS views, max({_count_sql('downloads', '下載')}) AS downloads,
          -- NULL (not judged) where the catalogue has no such flag column
          CASE WHEN list_contains(arg_min(present, (source_file, source_row)), 'high_value') THEN coalesce(bool_or(lower(trim(high_value)) IN {TRUTHY}), false) END AS hv_flag,
          CASE WHEN list_contains(arg_min(present, (source_file, source_row)), 'bilingual') THEN coalesce(bool_or(lower(trim(bilingual)) IN {TRUTHY}), false) END AS bi_flag
        FROM r GROUP BY dataset_key)
      SELECT d.* EXCLUDE (hv_flag, bi_flag), DATE '{snapshot_date}' AS snapshot_date, {freq} AS period_days,
        {compat_chars_sql('d.dataset_name')} AS name_compat_chars,
        {_freq_bucket_sql('d.update_frequency')} AS freq_bucket,
        CASE WHEN {freq} IS NULL OR d.last_update IS NULL THEN NULL
             ELSE (DATE '{snapshot_date}' - d.last_update) > {OVERDUE_FACTOR} * {freq} END AS overdue,
        {_flag_sql('d.hv_flag', 'l.high_value', lists is not None)} AS high_value,
        {_flag_sql('d.bi_flag', 'l.bilingual', lists is not None)} AS bilingual
      FROM d LEFT JOIN _lists l USING (dataset_key)""")


def run_checks(con) -> None:
    """The open_data checks of the catalogue over `ds` → `od_flags` (dataset_key, check_id, suggestion, suggestion_en)."""
    from .i18n import FORMAT_WORDS, FORMAT_WORDS_ZH
    # the fixes' words for what the catalogue writes in Chinese (data.gov.tw 2018: 壓縮檔, 其他) or as WEBSERVICES
    def in_words(words: dict[str, str]) -> str:
        return "CASE best_format " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in words.items()) + " ELSE best_format END"
    fmt_en = in_words({k: v[0].lower() + v[1:] for k, v in FORMAT_WORDS.items()})    # inside a sentence: "archive"
    fmt_zh = in_words(FORMAT_WORDS_ZH)
    parts = [f"SELECT dataset_key, '{c.id}' AS check_id, ({c.fix_for('zh') or 'NULL'})::VARCHAR AS suggestion, "
             f"({c.fix_for('en') or 'NULL'})::VARCHAR AS suggestion_en FROM (SELECT *, {fmt_en} AS best_format_en, {fmt_zh} AS best_format_zh FROM ds) e "
             f"WHERE coalesce(({c.sql}), false)"
             for c in catalogue() if "opendata" in c.tables]
    con.execute("CREATE OR REPLACE TEMP TABLE od_flags AS " + " UNION ALL ".join(parts))


def agency_metrics_sql(group: str = "agency") -> str:
    """One row per agency (or per parent): every metric of METRICS, from `ds`."""
    g = group if group in ("agency", "parent") else "agency"
    # an agency's parent and level as its first dataset (by file and row) gives them: the 2018 嘉義縣
    # portal lists 184 嘉義市政府 datasets under 嘉義縣政府, and any_value() put the city under the
    # county on some builds and not on others
    return f"""SELECT {g} AS agency, arg_min(parent, (source_file, source_row, dataset_key)) AS parent,
        arg_min(level, (source_file, source_row, dataset_key)) AS level,
        count(*) AS datasets, sum(n_resources)::BIGINT AS resources,
        count(stars) AS judged_stars, count(*) FILTER (WHERE stars >= 3) / nullif(count(stars), 0) AS share_3star,
        count(badge) AS judged_badge,
        CASE WHEN count(badge) > 0 THEN count(*) FILTER (WHERE badge = 'platinum') END AS platinum,
        CASE WHEN count(badge) > 0 THEN count(*) FILTER (WHERE badge = 'gold') END AS gold,
        CASE WHEN count(badge) > 0 THEN count(*) FILTER (WHERE badge = 'silver') END AS silver,
        CASE WHEN count(badge) > 0 THEN count(*) FILTER (WHERE badge = 'bronze') END AS bronze,
        CASE WHEN count(badge) > 0 THEN count(*) FILTER (WHERE badge = 'none') END AS no_badge,
        count(*) FILTER (WHERE badge IN ('platinum', 'gold')) / nullif(count(badge), 0) AS badge_share,
        count(*) FILTER (WHERE badge = 'platinum') / nullif(count(badge), 0) AS platinum_share,
        count(*) FILTER (WHERE open_format) / nullif(count(open_format), 0) AS open_format_share,
        count(overdue) AS judged_update,
        CASE WHEN count(overdue) > 0 THEN count(*) FILTER (WHERE overdue) END AS overdue,
        count(*) FILTER (WHERE overdue) / nullif(count(overdue), 0) AS overdue_share,
        CASE WHEN max(meta_judged) > 0 THEN count(*) FILTER (WHERE len(meta_missing) = 0) / count(*) END AS metadata_complete_share,
        sum(utf8_resources) / nullif(sum(encoding_declared), 0) AS utf8_share,
        CASE WHEN count(volume_num) > 0 THEN count(*) FILTER (WHERE volume_num <= 1) END AS tiny, max(meta_judged) AS meta_fields_judged, sum(views)::BIGINT AS views, sum(downloads)::BIGINT AS downloads,
        CASE WHEN count(high_value) > 0 THEN count(*) FILTER (WHERE high_value) END AS high_value,
        CASE WHEN count(bilingual) > 0 THEN count(*) FILTER (WHERE bilingual) END AS bilingual
      FROM ds GROUP BY {g} ORDER BY datasets DESC, agency"""


def _sha256(p: Path) -> str:
    """A file's sha256; for a folder of metadata files, the sha256 of its files' relative paths and hashes."""
    if not p.is_dir():
        return sha256(p)
    import hashlib
    h = hashlib.sha256()
    for f in sorted(x for x in p.rglob("*.json") if x.is_file()):
        h.update(f"{f.relative_to(p)}\t{sha256(f)}\n".encode())
    return h.hexdigest()


def _reject_copies(con) -> None:
    """A dataset id read again from another file (data.gov.tw's metadata folders hold 10 datasets twice, under two
    themes) is the same dataset: the later copy goes to the rejected ledger with the file it repeats, so nothing
    is counted twice and read = ingested + rejected still holds."""
    con.execute("""CREATE OR REPLACE TEMP TABLE _first AS SELECT dataset_id, arg_min(source_file, (source_index, source_file)) AS first_file,
                          min(source_index) AS first_index
                   FROM res WHERE dataset_id IS NOT NULL GROUP BY dataset_id HAVING count(DISTINCT (source_index, source_file)) > 1""")
    dup = "FROM res JOIN _first f USING (dataset_id) WHERE (res.source_index, res.source_file) <> (f.first_index, f.first_file)"
    con.execute(f"""INSERT INTO rej SELECT res.source_index, res.source_file, res.source_row,
                      'dataset ' || res.dataset_id || ': ' || coalesce(res.dataset_name, ''),
                      'dataset id already read from ' || f.first_file || ' (the same dataset listed twice)' {dup}""")
    con.execute(f"DELETE FROM res WHERE rowid IN (SELECT res.rowid {dup})")


def build(specs: list[CatalogSpec], snapshot_date: str, outdir: Path, workdir: Path, params=None, progress=print) -> dict:
    """Catalogue files → resources/datasets/flags/agency metrics Parquet + manifest (in `outdir`)."""
    t0 = time.time()
    con = duck.connect(spatial=False)
    selects, rejects, sources = [], [], []
    for i, spec in enumerate(specs, start=1):
        p = Path(spec.path)
        progress(f"reading {p.name} …")
        st, mapping, fmt = stage_catalog(p, workdir, progress=progress)
        selects.append(_canonical_select(st, mapping, spec, fmt, i))
        if st.rejects:
            rf = "source_file" if "source_file" in _staged_columns(st.rejects) else _lit(p.name)
            rejects.append(f"SELECT {i} AS source_index, {rf} AS source_file, source_row, raw, reason FROM read_parquet({duck.q(st.rejects)})")
        sources.append({"file": str(p), "name": p.name, "sha256": _sha256(p), "format": fmt, "encoding": st.encoding,
                        "columns_mapped": mapping, "columns_extra": [h for h in st.columns if h not in mapping],
                        "agency_default": spec.agency, "rows_read": st.rows_read, "note": spec.note, "note_en": spec.note_en})
    con.execute("CREATE TEMP TABLE res AS " + " UNION ALL BY NAME ".join(selects))
    con.execute("CREATE TEMP TABLE rej AS " + (" UNION ALL ".join(rejects) if rejects else
                "SELECT NULL::INT AS source_index, NULL::VARCHAR AS source_file, NULL::BIGINT AS source_row, NULL::VARCHAR AS raw, NULL::VARCHAR AS reason WHERE false"))
    _reject_copies(con)
    for i, s in enumerate(sources, start=1):
        s["rows_ingested"] = con.execute("SELECT count(*) FROM res WHERE source_index = ?", [i]).fetchone()[0]
        s["rows_rejected"] = con.execute("SELECT count(*) FROM rej WHERE source_index = ?", [i]).fetchone()[0]
    rows_read = sum(s["rows_read"] for s in sources)
    rows_in = con.execute("SELECT count(*) FROM res").fetchone()[0]
    rows_rej = con.execute("SELECT count(*) FROM rej").fetchone()[0]
    if rows_read != rows_in + rows_rej:
        raise RuntimeError(f"counts do not reconcile: read {rows_read} != ingested {rows_in} + rejected {rows_rej}")
    lists = read_lists(outdir.parent, snapshot_date) if outdir.parent.exists() else None
    dataset_table(con, snapshot_date, lists)
    run_checks(con)
    outdir.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY (SELECT * EXCLUDE (present) FROM resa ORDER BY agency, source_file, source_row) TO {duck.q(outdir / 'resources.parquet')} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 19)")
    con.execute(f"COPY (SELECT * FROM ds ORDER BY agency, dataset_key) TO {duck.q(outdir / 'datasets.parquet')} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 19)")
    con.execute(f"COPY od_flags TO {duck.q(outdir / 'od_flags.parquet')} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 19)")
    con.execute(f"COPY (SELECT * EXCLUDE (source_index) FROM rej) TO {duck.q(outdir / 'rejected.parquet')} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 19)")
    con.execute(f"COPY ({agency_metrics_sql()}) TO {duck.q(outdir / 'agency_metrics.parquet')} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 19)")
    n_ds = con.execute("SELECT count(*) FROM ds").fetchone()[0]
    con.close()
    import duckdb
    manifest = {"snapshot": snapshot_date, "kind": "opendata",
                "series": "+".join(sorted({SERIES.get(x["format"], "catalogue") for x in sources})),
                "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "rows_read": int(rows_read), "rows_ingested": int(rows_in), "rows_rejected": int(rows_rej), "datasets": int(n_ds),
                "sources": sources, "params": {"OVERDUE_FACTOR": OVERDUE_FACTOR, "PERIOD_DAYS": PERIOD_DAYS},
                "versions": {"dq": __version__, "duckdb": duckdb.__version__}, "timings_s": {"total": round(time.time() - t0, 2)}}
    (outdir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def ingest_catalogs(specs: list[CatalogSpec], snapshot_date: str, root: Path = OD_ROOT, progress=print) -> Path:
    return ingest(specs, snapshot_date, root, progress=progress, builder=build)


def write_agency_csv(snap: Path, out: Path, group: str = "agency") -> Path:
    """DIR/agency_metrics.csv: one row per canonical agency (UTF-8 with BOM for Excel)."""
    out.mkdir(parents=True, exist_ok=True)
    df = agency_metrics(snap, group)
    path = out / "agency_metrics.csv"
    formulas.frame(df[CSV_COLUMNS]).to_csv(path, index=False, encoding="utf-8-sig")   # agency names come from catalogues
    return path


# ---- reading snapshots ----------------------------------------------------------------------

def snapshots() -> list[Path]:
    from .paths import list_snapshots
    return list_snapshots(OD_DEMO_ROOT, OD_ROOT)


MIN_LEAGUE_DATASETS = 100


def default_snapshot() -> Path | None:
    """The catalogue the page opens on: of those with at least MIN_LEAGUE_DATASETS datasets (a 24-row sample is
    no league table), the one that judges the most metrics; the newest among equals."""
    snaps = snapshots()
    if not snaps:
        return None
    def score(s: Path):
        m = manifest(s)
        am = pd.read_parquet(s / "agency_metrics.parquet")
        judged = sum(am[k.key].notna().any() for k in METRICS if k.key in am)
        return (m.get("datasets", 0) >= MIN_LEAGUE_DATASETS, judged, s.name)
    return max(snaps, key=score)


def manifest(snap: Path) -> dict:
    return json.loads((Path(snap) / "manifest.json").read_text(encoding="utf-8"))


def series(snap: Path) -> str:
    """The snapshot's catalogue series (older manifests: from their sources' formats)."""
    m = manifest(snap)
    return m.get("series") or "+".join(sorted({SERIES.get(x.get("format"), "catalogue") for x in m["sources"]}))


def series_label(key: str, lang: str = "zh") -> str:
    labels = [SERIES_LABEL.get(k, (k, k))[lang == "en"] for k in key.split("+")]
    return " + ".join(labels)


def same_series(snap: Path) -> list[Path]:
    """The snapshots of this one's series, oldest first: the only ones a trend or a comparison may use."""
    key = series(snap)
    return [s for s in snapshots() if series(s) == key]


def trend(snap: Path, agency: str, metric: str, group: str = "agency") -> tuple[pd.DataFrame, bool]:
    """The agency's `metric` in every snapshot of this one's series (never across catalogues): snapshot, value.
    For metadata completeness only the snapshots judging as many fields as the newest are kept; the flag says
    whether any were left out for that reason."""
    rows = []
    for s in same_series(snap):
        m = agency_metrics(s, group)
        r = m[m["agency"] == agency]
        if len(r):
            rows.append({"snapshot": s.name, "value": r[metric].iloc[0], "basis": r["meta_fields_judged"].iloc[0]})
    tr = pd.DataFrame(rows, columns=["snapshot", "value", "basis"])
    dropped = False
    if metric == "metadata_complete_share" and len(tr) and tr["basis"].nunique() > 1:
        dropped = True
        tr = tr[tr["basis"] == tr["basis"].iloc[-1]]
    return tr[tr["value"].notna()].drop(columns="basis").reset_index(drop=True), dropped


def sources_note(snap: Path, lang: str = "zh") -> list[str]:
    """Where the snapshot's catalogue comes from, as a reader should see it: the spec's note (written in Chinese,
    as the catalogues are), else its series; in English, the series by its English name."""
    def en(s: dict) -> str:
        if s.get("note_en"):
            return s["note_en"]
        label = series_label(SERIES.get(s.get("format"), "catalogue"), "en")
        # the note's repository and licence (its ASCII part) say where the copy came from
        got = re.findall(r"([\w\-]+/[\w.\-]+)[，,]\s*(MIT|CC[\w\- .]+)", s.get("note") or "")
        return f"{label} ({'; '.join(f'{r}, {lic}' for r, lic in got)})" if got else label
    return list(dict.fromkeys(((s.get("note") or series_label(SERIES.get(s.get("format"), "catalogue"))) if lang == "zh" else en(s))
                              for s in manifest(snap)["sources"]))


def data_dates(snap: Path) -> dict:
    """The dates the catalogue's own rows carry (oldest and newest update), beside the snapshot's date."""
    con = duck.connect(spatial=False)
    try:
        lo, hi = con.execute(f"SELECT min(last_update), max(last_update) FROM read_parquet({duck.q(Path(snap) / 'datasets.parquet')})").fetchone()
    finally:
        con.close()
    return {"snapshot": Path(snap).name, "oldest_update": lo, "newest_update": hi}


def national_benchmark() -> pd.DataFrame:
    """data.gov.tw's whole 2026 catalogue as shares per badge and per update-frequency bucket (the same buckets
    the snapshots use): kind, key, datasets, share."""
    con = duck.connect(spatial=False)
    try:
        nat = con.execute(f"""WITH t AS (SELECT "table" AS t, value, datasets::BIGINT AS n
                                          FROM read_csv({duck.q(NATIONAL_2026)}, header=true, all_varchar=true))
            SELECT 'badge' AS kind, CASE WHEN contains(value, '白金') THEN 'platinum' WHEN contains(value, '金') THEN 'gold'
                        WHEN contains(value, '銀') THEN 'silver' WHEN contains(value, '銅') THEN 'bronze' ELSE 'none' END AS key,
                   sum(n) AS datasets FROM t WHERE t = '品質標章' GROUP BY ALL
            UNION ALL
            SELECT 'freq', {_freq_bucket_sql('value')}, sum(n) FROM t WHERE t = '更新頻率' GROUP BY ALL""").df()
    finally:
        con.close()
    # shares of the whole catalogue (the badge counts add up to it; the summary lists only the commoner
    # frequencies: the rest is a row of its own, not left out so that the column seems to miss 1.7 %)
    total = nat.loc[nat["kind"] == "badge", "datasets"].sum()
    rest = total - nat.loc[nat["kind"] == "freq", "datasets"].sum()
    if rest > 0:
        nat = pd.concat([nat, pd.DataFrame([{"kind": "freq", "key": "unlisted", "datasets": rest}])], ignore_index=True)
    return nat.assign(share=nat["datasets"] / total)


def benchmark(snap: Path, agency: str, group: str = "agency") -> pd.DataFrame:
    """The agency's badge and update-frequency shares beside the 2026 national ones (kind, key, zh, en, datasets,
    share, national_share). An agency share is NULL where this catalogue has no badge or frequency field."""
    key = "parent" if group == "parent" else "agency"
    con = duck.connect(spatial=False)
    try:
        con.execute(f"CREATE TEMP TABLE d AS SELECT * FROM read_parquet({duck.q(Path(snap) / 'datasets.parquet')}) WHERE {key} = ?", [agency])
        has_freq = con.execute(f"SELECT count(update_frequency) > 0 FROM read_parquet({duck.q(Path(snap) / 'datasets.parquet')})").fetchone()[0]
        own = con.execute("""SELECT 'badge' AS kind, badge AS key, count(*) AS datasets FROM d WHERE badge IS NOT NULL GROUP BY ALL
                             UNION ALL SELECT 'freq', freq_bucket, count(*) FROM d GROUP BY ALL""").df()
    finally:
        con.close()
    nat = national_benchmark()
    rows = [("badge", k, zh, en) for k, zh, en in BADGES] + [("freq", k, zh, en) for k, zh, en in FREQ_BUCKETS] + \
        [("freq", "unlisted", "其他（全國統計未分列）", "Others (not itemised nationally)")]
    out = pd.DataFrame(rows, columns=["kind", "key", "zh", "en"])
    out = out.merge(own, how="left", on=["kind", "key"]).merge(nat.rename(columns={"datasets": "national_datasets", "share": "national_share"}),
                                                              how="left", on=["kind", "key"])
    judged = {"badge": bool(own[own.kind == "badge"]["datasets"].sum()), "freq": bool(has_freq)}
    tot = own.groupby("kind")["datasets"].sum()
    out["datasets"] = [(0 if pd.isna(n) else int(n)) if judged[k] else None for k, n in zip(out["kind"], out["datasets"])]
    out["share"] = [n / tot[k] if judged[k] and tot.get(k) else None for k, n in zip(out["kind"], out["datasets"])]
    # a badge the national counts lack has none (they add up to the catalogue); a frequency they do not
    # itemise is somewhere in their unitemised rest: not known, not 0.0 %
    out.loc[out["kind"] == "badge", "national_share"] = out.loc[out["kind"] == "badge", "national_share"].fillna(0.0)
    # the national summary's unitemised rest has no counterpart among an agency's own buckets
    out.loc[out["key"] == "unlisted", ["datasets", "share"]] = None
    return out[(out["national_share"].fillna(0) > 0) | (out["datasets"].fillna(0) > 0)].reset_index(drop=True)


def register() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "agency_register.csv", dtype=str).fillna("")


def renames(agency: str, raw_names: list[str]) -> pd.DataFrame:
    """How the catalogue's own names became today's `agency`: the register rows of those names that changed."""
    reg = register()
    return reg[(reg["canonical"] == agency) & reg["variant"].isin(raw_names) & (reg["variant"] != agency) & (reg["since"] != "")]


def units(agency: str) -> list[str]:
    """Today's units under `agency` in the register (環境部 → 環境管理署, 化學物質管理署 …)."""
    reg = register()
    return sorted(set(reg.loc[(reg["parent"] == agency) & (reg["canonical"] != agency), "canonical"]))


def _with_lists(con, snap: Path, name: str, where: str = "") -> None:
    """Temp table `name`: the snapshot's datasets (optionally filtered) with the meeting's own lists applied."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _ds0 AS SELECT * FROM read_parquet({duck.q(Path(snap) / 'datasets.parquet')}) {where}")
    lists = read_lists(Path(snap).parent, Path(snap).name)
    judged = lists is not None
    _load_lists(con, lists)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE {name} AS SELECT _ds0.* EXCLUDE (high_value, bilingual),
          {_flag_sql('_ds0.high_value', 'l.high_value', judged)} AS high_value, {_flag_sql('_ds0.bilingual', 'l.bilingual', judged)} AS bilingual
        FROM _ds0 LEFT JOIN _lists l USING (dataset_key)""")


def agency_metrics(snap: Path, group: str = "agency") -> pd.DataFrame:
    """Recomputed from datasets.parquet so the meeting's own lists (high-value, bilingual) apply."""
    con = duck.connect(spatial=False)
    try:
        _with_lists(con, snap, "ds")
        return con.execute(agency_metrics_sql(group)).df()
    finally:
        con.close()


# metrics that count (they change with the catalogue's size, so a change is reported, never judged better or worse)
VOLUME_METRICS = {"datasets", "resources", "views", "downloads", "platinum", "gold", "silver", "bronze", "no_badge", "overdue",
                  "tiny", "high_value", "bilingual"}
# which judged-count column says whether a metric could be judged at all
JUDGED_BY = {"share_3star": "judged_stars", "badge_share": "judged_badge", "platinum_share": "judged_badge",
             "overdue_share": "judged_update", "metadata_complete_share": "meta_fields_judged"}


def compare(old: Path, new: Path, group: str = "agency") -> dict[str, pd.DataFrame]:
    """Like with like: both snapshots' metrics per agency computed on the datasets present in both (matched by id,
    or by title where the catalogue has none), plus how many datasets were kept, added and removed.
    Returns {"old", "new"} (metrics on the kept datasets), "all_old", "all_new" and "counts"."""
    if series(old) != series(new):
        raise SourceError(f"{Path(old).name} and {Path(new).name} are different catalogues "
                          f"({series_label(series(old))} / {series_label(series(new))}): they are never compared as one series")
    g = "parent" if group == "parent" else "agency"
    con = duck.connect(spatial=False)
    try:
        for name, snap in (("a", old), ("b", new)):
            _with_lists(con, snap, f"{name}_all")
            con.execute(f"CREATE OR REPLACE TEMP TABLE {name}_k AS SELECT {g} AS grp, coalesce(dataset_id, dataset_name) AS k, * FROM {name}_all")
        con.execute("CREATE TEMP TABLE kept AS SELECT grp, k FROM a_k INTERSECT SELECT grp, k FROM b_k")
        out = {}
        for name, key in (("a", "old"), ("b", "new")):
            con.execute(f"CREATE OR REPLACE TEMP TABLE ds AS SELECT * EXCLUDE (grp, k) FROM {name}_k SEMI JOIN kept USING (grp, k)")
            out[key] = con.execute(agency_metrics_sql(group)).df()
            con.execute(f"CREATE OR REPLACE TEMP TABLE ds AS SELECT * FROM {name}_all")
            out["all_" + key] = con.execute(agency_metrics_sql(group)).df()
        out["counts"] = con.execute("""SELECT grp AS agency,
                (SELECT count(*) FROM a_k WHERE a_k.grp = g.grp) AS datasets_old, (SELECT count(*) FROM b_k WHERE b_k.grp = g.grp) AS datasets_new,
                (SELECT count(*) FROM kept WHERE kept.grp = g.grp) AS kept
              FROM (SELECT grp FROM a_k UNION SELECT grp FROM b_k) g""").df().assign(
            added=lambda d: d["datasets_new"] - d["kept"], removed=lambda d: d["datasets_old"] - d["kept"])
        return out
    finally:
        con.close()


def verdict(metric: str, old_row: pd.Series | None, new_row: pd.Series | None) -> str:
    """'better' / 'worse' / 'same' / 'changed' (a count) / 'not_comparable' (judged on different fields) / 'none'."""
    if old_row is None or new_row is None:
        return "none"
    a, b = old_row.get(metric), new_row.get(metric)
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return "not_comparable" if not (pd.isna(a) and pd.isna(b)) else "none"
    jb = JUDGED_BY.get(metric)
    if metric == "metadata_complete_share" and old_row.get(jb) != new_row.get(jb):
        return "not_comparable"   # nine fields against three is not a change in quality
    if a == b:
        return "same"
    if metric in VOLUME_METRICS:
        return "changed"
    better = (b > a) if METRIC[metric].higher_is_better else (b < a)
    return "better" if better else "worse"


def peers(metrics: pd.DataFrame, agency: str, rank_by: str = "datasets", n: int = 2) -> pd.DataFrame:
    """Like-for-like peers: the agency, then the `n` agencies of its group (central or local) closest to it in size,
    best first by `rank_by`. `size_ratio` says how far apart they are (1 = same number of datasets)."""
    import numpy as np
    row = metrics[metrics["agency"] == agency]
    if row.empty:
        return row
    size = float(row["datasets"].iloc[0])
    group = metrics[(metrics["level"] == row["level"].iloc[0]) & (metrics["agency"] != agency)].copy()
    group["size_ratio"] = group["datasets"].astype(float) / size
    group = group.assign(_d=np.abs(np.log(group["size_ratio"]))).sort_values(["_d", "agency"]).head(n).drop(columns="_d")
    group = group.sort_values(rank_by, ascending=not METRIC[rank_by].higher_is_better if rank_by in METRIC else False)
    return pd.concat([row.assign(size_ratio=1.0), group])


def formats(snap: Path, agency: str, group: str = "agency") -> pd.DataFrame:
    """Files per format and encoding for one agency (a row that `;`-joins several files counts each)."""
    key = "parent" if group == "parent" else "agency"
    con = duck.connect(spatial=False)
    try:
        # an API is one format however the catalogue words it (the 2018 list: WEBSERVICES for 88 files, API
        # for 13; 交通部中央氣象署's report listed 網路服務（API） 15 and API 11 as two formats: a walk)
        return con.execute(f"""WITH r AS (SELECT dataset_key, CASE WHEN upper(trim(fmt0)) IN ('WEBSERVICES', 'WEBSERVICE')
                  THEN 'API' ELSE upper(trim(fmt0)) END AS fmt FROM (
                  SELECT coalesce(dataset_id, dataset_name) AS dataset_key,
                         unnest(string_split(coalesce(file_format, '（未填）'), ';')) AS fmt0 FROM read_parquet({duck.q(Path(snap) / 'resources.parquet')})
                  WHERE {key} = ?) f)
            SELECT fmt AS format, count(*) AS files, count(DISTINCT dataset_key) AS datasets FROM r GROUP BY fmt
            ORDER BY files DESC, format""", [agency]).df()
    finally:
        con.close()


def datasets(snap: Path, agency: str | None = None) -> pd.DataFrame:
    sql = f"SELECT * FROM read_parquet({duck.q(Path(snap) / 'datasets.parquet')})"
    con = duck.connect(spatial=False)
    try:
        return con.execute(sql + (" WHERE agency = ? OR parent = ?" if agency else "") + " ORDER BY agency, dataset_name",
                           [agency, agency] if agency else []).df()
    finally:
        con.close()


DATAGOVTW_PAGE = "https://data.gov.tw/dataset/{id}"


def portal_url(snap: Path, dataset_id) -> str | None:
    """The dataset's own page on data.gov.tw, where the catalogue is data.gov.tw's and the id is its number."""
    if dataset_id is None or pd.isna(dataset_id) or not str(dataset_id).isdigit() or not series(snap).startswith("datagovtw"):
        return None
    return DATAGOVTW_PAGE.format(id=int(dataset_id))


def dataset_detail(snap: Path, dataset_key: str, lang: str = "zh") -> dict | None:
    """One dataset of a snapshot: its row, its files (resources) and its findings with suggested fixes."""
    con = duck.connect(spatial=False)
    try:
        d = con.execute(f"SELECT * FROM read_parquet({duck.q(Path(snap) / 'datasets.parquet')}) WHERE dataset_key = ?", [dataset_key]).df()
        if d.empty:
            return None
        row = d.iloc[0]
        res = con.execute(f"""SELECT file_format, encoding, download_url, resource_updated, volume, source_file, source_row
            FROM read_parquet({duck.q(Path(snap) / 'resources.parquet')})
            WHERE (? IS NOT NULL AND dataset_id = ?) OR (? IS NULL AND agency = ? AND dataset_name IS NOT DISTINCT FROM ?)
            ORDER BY source_file, source_row""", [row["dataset_id"], row["dataset_id"], row["dataset_id"], row["agency"], row["dataset_name"]]).df()
        load_messages(con, "opendata")
        flags = con.execute(f"""SELECT f.check_id, m.severity, m.message_zh, {suggestion_col(snap, lang, name='od_flags')} AS suggestion
            FROM read_parquet({duck.q(Path(snap) / 'od_flags.parquet')}) f JOIN _meta m USING (check_id)
            WHERE f.dataset_key = ? ORDER BY f.check_id""", [dataset_key]).df()
    finally:
        con.close()
    return {"row": row, "resources": res, "flags": flags, "url": portal_url(snap, row["dataset_id"])}


def dataset_history(dataset_id, dataset_name: str | None, agency: str | None) -> pd.DataFrame:
    """The same dataset in every catalogue snapshot (by id; by agency and title where a catalogue has no id): what each
    catalogue said, one row per snapshot, each labelled with its catalogue (not one series)."""
    out = []
    con = duck.connect(spatial=False)
    try:
        for s in snapshots():
            hit = con.execute(f"""SELECT dataset_key, badge, license, formats, update_frequency, last_update, listed_date, views, downloads
                FROM read_parquet({duck.q(s / 'datasets.parquet')})
                WHERE dataset_id = ? OR (dataset_id IS NULL AND agency = ? AND dataset_name = ?) LIMIT 1""",
                [dataset_id, agency, dataset_name]).df()
            if len(hit):
                out.append(hit.assign(snapshot=s.name, series=series(s)))
    finally:
        con.close()
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame()


def same_dataset(snap: Path, dataset_key: str, seen_in: str | None = None) -> str | None:
    """The key in catalogue snapshot `snap` of the dataset whose key is `dataset_key` in another one: the one it
    was seen in (`seen_in`, a snapshot name), else the first other catalogue holding that key; matched as
    dataset_history matches (by id; by agency and title where a catalogue has no id). None: not in `snap`."""
    snaps = {s.name: s for s in snapshots()}
    order = ([seen_in] if seen_in in snaps and seen_in != Path(snap).name else []) + \
        [n for n in snaps if n not in (seen_in, Path(snap).name)]
    con = duck.connect(spatial=False)
    try:
        for name in order:
            r = con.execute(f"SELECT dataset_id, dataset_name, agency FROM read_parquet({duck.q(snaps[name] / 'datasets.parquet')}) "
                            "WHERE dataset_key = ? LIMIT 1", [dataset_key]).fetchone()
            if r:
                h = dataset_history(r[0], r[1], r[2])
                hit = h[h["snapshot"] == Path(snap).name] if len(h) else h
                return str(hit["dataset_key"].iloc[0]) if len(hit) else None
    finally:
        con.close()
    return None


def fix_list(snap: Path, agency: str | None = None, lang: str = "zh", group: str | None = None) -> pd.DataFrame:
    """Per flagged dataset: check, zh-TW message, suggested fix in `lang` (the open-data fix list to send back).
    `group` 'agency' or 'parent': `agency` is read as the page's grouping reads it (the page's list for 高雄市政府
    by agency had 32 datasets of its hospitals that the meeting report, counting by agency, left out); None: either."""
    con = duck.connect(spatial=False)
    try:
        load_messages(con, "opendata")
        where = ("WHERE d.agency = ?" if group == "agency" else "WHERE d.parent = ?" if group == "parent"
                 else "WHERE d.agency = ? OR d.parent = ?") if agency else ""
        return con.execute(f"""SELECT d.agency, d.dataset_key, d.dataset_id, d.dataset_name, d.source_file, d.source_row,
              f.check_id, m.severity, m.message_zh, {suggestion_col(snap, lang, name='od_flags')} AS suggestion
            FROM read_parquet({duck.q(Path(snap) / 'od_flags.parquet')}) f
            JOIN read_parquet({duck.q(Path(snap) / 'datasets.parquet')}) d USING (dataset_key) JOIN _meta m USING (check_id)
            {where} ORDER BY d.agency, d.dataset_name, f.check_id""", ([agency] * where.count("?")) if agency else []).df()
    finally:
        con.close()


# ---- the meeting's own lists (high-value, bilingual), kept beside the immutable snapshot ----------

def lists_path(root: Path, snapshot_date: str) -> Path:
    return Path(root) / f"{snapshot_date}.lists.csv"


def read_lists(root: Path, snapshot_date: str) -> pd.DataFrame | None:
    p = lists_path(root, snapshot_date)
    if not p.exists():
        return None
    return pd.read_csv(p, dtype={"dataset_key": str}).fillna(False)


def save_lists(root: Path, snapshot_date: str, df: pd.DataFrame) -> Path:
    p = lists_path(root, snapshot_date)
    keep = df[(df["high_value"]) | (df["bilingual"])][["dataset_key", "high_value", "bilingual"]]
    keep.to_csv(p, index=False, encoding="utf-8")
    return p


def main_opendata(files: list[str], snapshot: str, out: str, agency: str | None = None, root: Path | None = None) -> int:
    specs = [CatalogSpec(Path(f), agency=agency) for f in files]
    try:
        snap = ingest_catalogs(specs, snapshot, Path(root) if root else OD_ROOT, progress=lambda m: print(m, file=sys.stderr))
    except SourceError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    path = write_agency_csv(snap, Path(out))
    m = json.loads((snap / "manifest.json").read_text(encoding="utf-8"))
    print(f"{m['rows_read']:,} rows read, {m['rows_rejected']:,} rejected, {m['datasets']:,} datasets → {path}")
    return 0
