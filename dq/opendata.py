"""Open-data quality: catalogue snapshots, per-dataset metrics, per-agency league table.

Each metric is defined once here (METRICS, with its zh-TW/English definition and RAG thresholds,
shown in the UI) and computed in DuckDB. The per-dataset table is also the `e` the open_data
checks of the one catalogue (dq/checks/opendata.py) run over, so agencies get a fix list.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
import time
from pathlib import Path

import pandas as pd

from . import __version__, duck
from .checks import catalogue, load_messages
from .paths import DATA, REFERENCE, SNAPSHOTS
from .snapshot import _lit, ingest, sha256
from .sources.base import SourceError
from .sources.catalog import COLUMNS, stage_catalog

from .paths import OD_DEMO_ROOT, OD_ROOT  # noqa: E402,F401  (one place for snapshot roots)
from .checks.opendata import OVERDUE_FACTOR  # noqa: E402  (declared with its check)
PERIOD_DAYS = {"每日": 1, "每週": 7, "每月": 30.44, "每季": 91.31, "每半年": 182.62, "每年": 365.25}
NOT_JUDGED_FREQ = ("不定期", "不更新")
OPEN_LICENCE_RX = r"政府資料開放授權|開放授權|CC[ -]?BY|CC0|公眾領域|Open Government Data|OGDL|ODC-BY|PDDL"
RDF = ["RDF", "JSON-LD", "JSONLD", "TTL", "TURTLE", "N3", "NT", "NQ"]
OPEN_MR = ["CSV", "TSV", "JSON", "XML", "ODS", "GEOJSON", "KML", "KMZ", "SHP", "API", "WMS", "WFS", "WMTS", "GPX", "GML"]
PROPRIETARY_MR = ["XLS", "XLSX", "DOC", "DOCX", "MDB", "ACCDB", "DBF", "PPT", "PPTX"]
# field → zh label; dataset-level fields count when any resource has them, resource-level when all do
META_FIELDS = {"dataset_name": "資料集名稱", "description": "資料集描述", "main_fields": "主要欄位說明",
               "agency_raw": "提供機關", "update_frequency": "更新頻率", "license": "授權方式",
               "file_format": "檔案格式", "download_url": "資料下載網址", "encoding": "編碼格式"}
RESOURCE_FIELDS = {"file_format", "download_url", "encoding"}
TRUTHY = "('y', 'yes', 'true', '1', 'v', '是', '有', '✓')"


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
    Metric("platinum", "白金標章", "Platinum badges", "品質檢測為白金的資料集數。", "Datasets whose 品質檢測 is 白金 (platinum)."),
    Metric("gold", "金標章", "Gold badges", "品質檢測為金的資料集數。", "Datasets whose 品質檢測 is 金 (gold)."),
    Metric("silver", "銀標章", "Silver badges", "品質檢測為銀的資料集數。", "Datasets whose 品質檢測 is 銀 (silver)."),
    Metric("bronze", "銅標章", "Bronze badges", "品質檢測為銅的資料集數。", "Datasets whose 品質檢測 is 銅 (bronze)."),
    Metric("no_badge", "無標章", "No badge", "品質檢測空白或無標章的資料集數。", "Datasets with no badge.", higher_is_better=False),
    Metric("badge_share", "金／白金比例", "Share gold or platinum", "白金＋金標章資料集占全部資料集的比例。",
           "Platinum + gold datasets over all datasets.", green=0.8, amber=0.5, share=True),
    Metric("overdue", "逾期未更新", "Overdue", "距最近更新超過宣告頻率 1.5 倍的資料集數（不定期、不更新不判定）。",
           "Datasets older than 1.5 × their declared update period (irregular / never-updated not judged).", higher_is_better=False),
    Metric("overdue_share", "逾期比例", "Overdue share", "逾期資料集占可判定資料集的比例。", "Overdue over judged datasets.",
           higher_is_better=False, green=0.05, amber=0.15, share=True),
    Metric("metadata_complete_share", "詮釋資料完整比例", "Metadata complete",
           "九個欄位（名稱、描述、主要欄位說明、提供機關、更新頻率、授權方式、檔案格式、下載網址、編碼格式）都有填的資料集比例；目錄未提供的欄位不判定。",
           "Share of datasets with all nine fields filled (name, description, field notes, agency, frequency, licence, format, URL, encoding); fields the catalogue lacks are not judged.",
           green=0.95, amber=0.8, share=True),
    Metric("utf8_share", "UTF-8 比例", "UTF-8 share", "宣告編碼為 UTF-8 的資源比例。", "Resources declared UTF-8.", green=0.95, amber=0.8, share=True),
    Metric("tiny", "0／1 筆資料集", "0–1 record datasets", "資料量為 0 或 1 筆的資料集數。", "Datasets whose volume is 0 or 1.",
           higher_is_better=False),
    Metric("views", "瀏覽次數", "Views", "目錄記載的瀏覽次數合計。", "Views as the catalogue records them."),
    Metric("downloads", "下載次數", "Downloads", "目錄記載的下載次數合計。", "Downloads as the catalogue records them."),
    Metric("high_value", "高應用價值資料集", "High-value datasets", "目錄旗標或會議清單標為高應用價值的資料集數。",
           "Datasets flagged high-value by the catalogue or the meeting's list."),
    Metric("bilingual", "雙語資料集", "Bilingual datasets", "目錄旗標或會議清單標為雙語的資料集數。",
           "Datasets flagged bilingual by the catalogue or the meeting's list."),
]
METRIC = {m.key: m for m in METRICS}
CSV_COLUMNS = ["agency", "parent", "level", "datasets", "resources", "share_3star", "platinum", "gold", "silver", "bronze",
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


def _canonical_select(st, mapping: dict[str, str], spec: CatalogSpec, fmt: str, index: int) -> str:
    by_col = {v: k for k, v in mapping.items()}
    cols = []
    for c in COLUMNS:
        cols.append(f'nullif(trim("{by_col[c]}"), \'\') AS {c}' if c in by_col else f"NULL::VARCHAR AS {c}")
    present = [c for c in COLUMNS if c in by_col]
    agency_default = _lit(spec.agency) if spec.agency else "NULL::VARCHAR"
    return f"""SELECT {index} AS source_index, {_lit(st.path.name)} AS source_file, source_row, {_lit(fmt)} AS catalog_format,
        {_lit(spec.portal or '')} AS portal, {', '.join(cols)}, {agency_default} AS agency_default,
        {present!r}::VARCHAR[] AS present
      FROM read_parquet({duck.q(st.staged)})"""


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


def _date_sql(col: str) -> str:
    """Dates as catalogues write them: 2024-01-05, 2024/01/05 10:00, ROC 113/01/05."""
    c = f"regexp_extract(trim({col}), '^(\\d{{2,4}})[-/.](\\d{{1,2}})[-/.](\\d{{1,2}})', ['y', 'm', 'd'])"
    return f"""(SELECT CASE WHEN p.y = '' THEN NULL ELSE try_cast(make_date(
                  CASE WHEN p.y::INT < 1000 THEN p.y::INT + 1911 ELSE p.y::INT END, p.m::INT, p.d::INT) AS DATE) END
               FROM (SELECT {c} AS p))"""


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
    freq = "CASE " + " ".join(f"WHEN contains(update_frequency, '{k}') THEN {v}" for k, v in PERIOD_DAYS.items()) + " END"
    missing = ", ".join(
        f"CASE WHEN list_contains(any_value(present), '{f}') AND NOT {'bool_and' if f in RESOURCE_FIELDS else 'bool_or'}({f} IS NOT NULL) "
        f"THEN '{zh}' END" for f, zh in META_FIELDS.items())
    judged = " + ".join(f"list_contains(any_value(present), '{f}')::INT" for f in META_FIELDS)
    _load_lists(con, lists)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE ds AS
      WITH r AS (SELECT *, coalesce(dataset_id, agency || '|' || coalesce(dataset_name, '')) AS dataset_key,
          CASE WHEN NOT list_contains(present, 'license') OR NOT list_contains(present, 'file_format') THEN NULL
               WHEN license IS NULL OR NOT {lic} THEN 0 ELSE {_stars_sql('file_format')} END AS r_stars,
          {_date_sql('resource_updated')} AS r_updated, {_date_sql('metadata_updated')} AS m_updated,
          try_cast(regexp_extract(replace(volume, ',', ''), '(\\d+)', 1) AS BIGINT) AS r_volume
        FROM resa),
      d AS (SELECT dataset_key, any_value(agency) AS agency, any_value(parent) AS parent, any_value(level) AS level,
          any_value(dataset_id) AS dataset_id, any_value(dataset_name) AS dataset_name, any_value(portal) AS portal,
          min(source_file) AS source_file, min(source_row) AS source_row, count(*) AS n_resources,
          CASE WHEN list_contains(any_value(present), 'license') THEN coalesce(bool_or({lic}), false) END AS license_open,
          max(r_stars) AS stars, arg_max(file_format, r_stars) AS best_format,
          CASE WHEN NOT list_contains(any_value(present), 'quality_badge') THEN NULL
               WHEN bool_or(contains(quality_badge, '白金')) THEN 'platinum'
               WHEN bool_or(contains(quality_badge, '金')) THEN 'gold' WHEN bool_or(contains(quality_badge, '銀')) THEN 'silver'
               WHEN bool_or(contains(quality_badge, '銅')) THEN 'bronze' ELSE 'none' END AS badge,
          any_value(update_frequency) AS update_frequency, max(greatest(r_updated, m_updated)) AS last_update,
          list_filter([{missing}], x -> x IS NOT NULL) AS meta_missing, {judged} AS meta_judged,
          -- a row may list several files' encodings ("UTF-8;BIG5"): count each one
          CASE WHEN list_contains(any_value(present), 'encoding') THEN coalesce(sum(len(list_filter(string_split(encoding, ';'), x -> trim(x) <> ''))), 0) END AS encoding_declared,
          CASE WHEN list_contains(any_value(present), 'encoding') THEN coalesce(sum(len(list_filter(string_split(encoding, ';'), x -> regexp_matches(x, 'utf-?8', 'i')))), 0) END AS utf8_resources,
          CASE WHEN list_contains(any_value(present), 'download_url') THEN count(*) FILTER (WHERE download_url IS NULL) END AS url_missing,
          max(r_volume) AS volume_num, max(try_cast(replace(views, ',', '') AS BIGINT)) AS views,
          max(try_cast(replace(downloads, ',', '') AS BIGINT)) AS downloads,
          bool_or(lower(trim(high_value)) IN {TRUTHY}) AS hv_flag, bool_or(lower(trim(bilingual)) IN {TRUTHY}) AS bi_flag
        FROM r GROUP BY dataset_key)
      SELECT d.* EXCLUDE (hv_flag, bi_flag), DATE '{snapshot_date}' AS snapshot_date, {freq.replace('update_frequency', 'd.update_frequency')} AS period_days,
        CASE WHEN d.update_frequency IS NULL OR {freq.replace('update_frequency', 'd.update_frequency')} IS NULL OR d.last_update IS NULL THEN NULL
             ELSE (DATE '{snapshot_date}' - d.last_update) > {OVERDUE_FACTOR} * {freq.replace('update_frequency', 'd.update_frequency')} END AS overdue,
        coalesce(d.hv_flag, false) OR coalesce(l.high_value, false) AS high_value,
        coalesce(d.bi_flag, false) OR coalesce(l.bilingual, false) AS bilingual
      FROM d LEFT JOIN _lists l USING (dataset_key)""")


def run_checks(con) -> None:
    """The open_data checks of the catalogue over `ds` → `od_flags` (dataset_key, check_id, suggestion)."""
    parts = [f"SELECT dataset_key, '{c.id}' AS check_id, ({c.fix or 'NULL'})::VARCHAR AS suggestion FROM ds e WHERE coalesce(({c.sql}), false)"
             for c in catalogue() if "opendata" in c.tables]
    con.execute("CREATE OR REPLACE TEMP TABLE od_flags AS " + " UNION ALL ".join(parts))


def agency_metrics_sql(group: str = "agency") -> str:
    """One row per agency (or per parent): every metric of METRICS, from `ds`."""
    g = group if group in ("agency", "parent") else "agency"
    return f"""SELECT {g} AS agency, any_value(parent) AS parent, any_value(level) AS level,
        count(*) AS datasets, sum(n_resources)::BIGINT AS resources,
        count(stars) AS judged_stars, count(*) FILTER (WHERE stars >= 3) / nullif(count(stars), 0) AS share_3star,
        count(badge) AS judged_badge,
        CASE WHEN count(badge) > 0 THEN count(*) FILTER (WHERE badge = 'platinum') END AS platinum,
        CASE WHEN count(badge) > 0 THEN count(*) FILTER (WHERE badge = 'gold') END AS gold,
        CASE WHEN count(badge) > 0 THEN count(*) FILTER (WHERE badge = 'silver') END AS silver,
        CASE WHEN count(badge) > 0 THEN count(*) FILTER (WHERE badge = 'bronze') END AS bronze,
        CASE WHEN count(badge) > 0 THEN count(*) FILTER (WHERE badge = 'none') END AS no_badge,
        count(*) FILTER (WHERE badge IN ('platinum', 'gold')) / nullif(count(badge), 0) AS badge_share,
        count(overdue) AS judged_update,
        CASE WHEN count(overdue) > 0 THEN count(*) FILTER (WHERE overdue) END AS overdue,
        count(*) FILTER (WHERE overdue) / nullif(count(overdue), 0) AS overdue_share,
        CASE WHEN max(meta_judged) > 0 THEN count(*) FILTER (WHERE len(meta_missing) = 0) / count(*) END AS metadata_complete_share,
        sum(utf8_resources) / nullif(sum(encoding_declared), 0) AS utf8_share,
        CASE WHEN count(volume_num) > 0 THEN count(*) FILTER (WHERE volume_num <= 1) END AS tiny, max(meta_judged) AS meta_fields_judged, sum(views)::BIGINT AS views, sum(downloads)::BIGINT AS downloads,
        count(*) FILTER (WHERE high_value) AS high_value, count(*) FILTER (WHERE bilingual) AS bilingual
      FROM ds GROUP BY {g} ORDER BY datasets DESC, agency"""


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
            rejects.append(f"SELECT {_lit(p.name)} AS source_file, source_row, raw, reason FROM read_parquet({duck.q(st.rejects)})")
        sources.append({"file": str(p), "name": p.name, "sha256": sha256(p), "format": fmt, "encoding": st.encoding,
                        "columns_mapped": mapping, "columns_extra": [h for h in st.columns if h not in mapping],
                        "agency_default": spec.agency, "rows_read": st.rows_read})
    con.execute("CREATE TEMP TABLE res AS " + " UNION ALL BY NAME ".join(selects))
    con.execute("CREATE TEMP TABLE rej AS " + (" UNION ALL ".join(rejects) if rejects else
                "SELECT NULL::VARCHAR AS source_file, NULL::BIGINT AS source_row, NULL::VARCHAR AS raw, NULL::VARCHAR AS reason WHERE false"))
    for s in sources:
        s["rows_ingested"] = con.execute("SELECT count(*) FROM res WHERE source_file = ?", [s["name"]]).fetchone()[0]
        s["rows_rejected"] = con.execute("SELECT count(*) FROM rej WHERE source_file = ?", [s["name"]]).fetchone()[0]
    rows_read = sum(s["rows_read"] for s in sources)
    rows_in = con.execute("SELECT count(*) FROM res").fetchone()[0]
    rows_rej = con.execute("SELECT count(*) FROM rej").fetchone()[0]
    if rows_read != rows_in + rows_rej:
        raise RuntimeError(f"counts do not reconcile: read {rows_read} != ingested {rows_in} + rejected {rows_rej}")
    lists = read_lists(outdir.parent, snapshot_date) if outdir.parent.exists() else None
    dataset_table(con, snapshot_date, lists)
    run_checks(con)
    outdir.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY (SELECT * EXCLUDE (present) FROM resa) TO {duck.q(outdir / 'resources.parquet')} (FORMAT parquet)")
    con.execute(f"COPY ds TO {duck.q(outdir / 'datasets.parquet')} (FORMAT parquet)")
    con.execute(f"COPY od_flags TO {duck.q(outdir / 'od_flags.parquet')} (FORMAT parquet)")
    con.execute(f"COPY rej TO {duck.q(outdir / 'rejected.parquet')} (FORMAT parquet)")
    con.execute(f"COPY ({agency_metrics_sql()}) TO {duck.q(outdir / 'agency_metrics.parquet')} (FORMAT parquet)")
    n_ds = con.execute("SELECT count(*) FROM ds").fetchone()[0]
    con.close()
    import duckdb
    manifest = {"snapshot": snapshot_date, "kind": "opendata",
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
    df[CSV_COLUMNS].to_csv(path, index=False, encoding="utf-8-sig")
    return path


# ---- reading snapshots ----------------------------------------------------------------------

def snapshots() -> list[Path]:
    from .paths import list_snapshots
    return list_snapshots(OD_DEMO_ROOT, OD_ROOT)


def agency_metrics(snap: Path, group: str = "agency") -> pd.DataFrame:
    """Recomputed from datasets.parquet so the meeting's own lists (high-value, bilingual) apply."""
    con = duck.connect(spatial=False)
    try:
        con.execute(f"CREATE TEMP TABLE ds0 AS SELECT * FROM read_parquet({duck.q(Path(snap) / 'datasets.parquet')})")
        _load_lists(con, read_lists(Path(snap).parent, Path(snap).name))
        con.execute("""CREATE TEMP TABLE ds AS SELECT ds0.* EXCLUDE (high_value, bilingual),
              ds0.high_value OR coalesce(l.high_value, false) AS high_value, ds0.bilingual OR coalesce(l.bilingual, false) AS bilingual
            FROM ds0 LEFT JOIN _lists l USING (dataset_key)""")
        return con.execute(agency_metrics_sql(group)).df()
    finally:
        con.close()


def peers(metrics: pd.DataFrame, agency: str, rank_by: str = "datasets") -> pd.DataFrame:
    """The agency, then the first and second of its group (same level: central or local) by `rank_by`."""
    row = metrics[metrics["agency"] == agency]
    if row.empty:
        return row
    group = metrics[(metrics["level"] == row["level"].iloc[0]) & (metrics["agency"] != agency)]
    return pd.concat([row, group.sort_values(rank_by, ascending=False).head(2)])


def datasets(snap: Path, agency: str | None = None) -> pd.DataFrame:
    sql = f"SELECT * FROM read_parquet({duck.q(Path(snap) / 'datasets.parquet')})"
    con = duck.connect(spatial=False)
    try:
        return con.execute(sql + (" WHERE agency = ? OR parent = ?" if agency else "") + " ORDER BY agency, dataset_name",
                           [agency, agency] if agency else []).df()
    finally:
        con.close()


def fix_list(snap: Path, agency: str | None = None) -> pd.DataFrame:
    """Per flagged dataset: check, zh-TW message, suggested fix (the open-data fix list to send back)."""
    con = duck.connect(spatial=False)
    try:
        load_messages(con, "opendata")
        where = "WHERE d.agency = ? OR d.parent = ?" if agency else ""
        return con.execute(f"""SELECT d.agency, d.dataset_key, d.dataset_id, d.dataset_name, d.source_file, d.source_row,
              f.check_id, m.severity, m.message_zh, f.suggestion
            FROM read_parquet({duck.q(Path(snap) / 'od_flags.parquet')}) f
            JOIN read_parquet({duck.q(Path(snap) / 'datasets.parquet')}) d USING (dataset_key) JOIN _meta m USING (check_id)
            {where} ORDER BY d.agency, d.dataset_name, f.check_id""", [agency, agency] if agency else []).df()
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
