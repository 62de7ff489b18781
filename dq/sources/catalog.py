"""Open-data catalogue readers, one row per resource (a data.gov.tw dataset with a CSV and a JSON
file is two rows; a row that `;`-joins several files' formats is split by the metrics). Shapes:
data.gov.tw's export (CSV, or JSON: an array of objects), its national dataset list (2018, numbers
with quoted thousands), its per-dataset metadata JSON (one file per dataset, a folder of them, with
a RESOURCE array), the 2018 city/county portal catalogues and the headerless 2018 portal lists.
Columns and JSON keys are mapped through the one alias table below, never by position."""
from __future__ import annotations

import re
from pathlib import Path

from .. import duck
from .base import SourceError, StagedSource
from .text import stage_text

# canonical column → header variants seen in the catalogues
ALIASES: dict[str, list[str]] = {
    "dataset_id": ["資料集識別碼", "識別碼", "identifier", "NODE"],
    "dataset_name": ["資料集名稱", "title", "名稱", "TITLE"],
    "provider_attr": ["資料提供屬性", "提供屬性", "DATA_TYPE"],
    "service_category": ["服務分類", "SERVICE_TYPE"],
    "quality_badge": ["品質檢測", "品質標章"],
    "file_format": ["檔案格式", "format", "RES_FILETYPE"],
    "download_url": ["資料下載網址", "下載網址", "RES_URL"],
    "encoding": ["編碼格式", "RES_ENCODE"],
    "resource_updated": ["資料資源更新時間", "資源更新時間", "檔案更新時間", "最後更新時間", "更新時間", "RES_DATE_UPDATE_META"],
    "description": ["資料集描述", "描述", "description", "DESC"],
    "main_fields": ["主要欄位說明", "主要欄位", "SCHEMA"],
    "agency_raw": ["提供機關", "資料來源(部會單位)", "資料來源（部會單位）", "機關", "提供機關名稱", "AGENCY"],
    "update_frequency": ["更新頻率", "UPDATE_FREQ"],
    "license": ["授權方式", "授權", "LICENCE", "LICENSE"],
    "related_url": ["相關網址"],
    "fee": ["計費方式", "CHARGE"],
    "contact_name": ["提供機關聯絡人姓名", "聯絡人姓名", "聯絡人", "AGENCY_CONTACT"],
    "contact_phone": ["提供機關聯絡人電話", "聯絡人電話"],
    "listed_date": ["上架日期", "上架日", "DATE_PUBLISH"],
    "metadata_updated": ["詮釋資料更新時間", "DATE_UPDATE_META"],
    "note": ["備註", "NOTES"],
    "volume": ["資料量", "REC_COUNT"],
    "downloads": ["下載次數", "DOWNLOAD"],
    "views": ["瀏覽次數", "瀏覽人次", "VIEWS"],
    "rating": ["資料集評分"],
    "parent_level": ["第一層級"],
    "serial": ["編號"],
    "path": ["路徑"],
    "high_value": ["高應用價值", "高價值資料集"],
    "bilingual": ["雙語", "雙語資料集", "英文版"],
}
# the key under which data.gov.tw's per-dataset metadata lists the dataset's files
RESOURCE_KEYS = ["RESOURCE", "resources", "distribution"]
# canonical columns that describe one file, not the dataset
RESOURCE_LEVEL = ("file_format", "download_url", "encoding", "volume", "resource_updated")
COLUMNS = list(ALIASES)
_LOOKUP = {re.sub(r"\s", "", v).lower(): k for k, vs in ALIASES.items() for v in vs}
PORTAL_LIST_NAMES = ["資料集名稱", "資料集描述", "路徑"]


def map_headers(headers: list[str]) -> dict[str, str]:
    """source header → canonical column (first one wins when two headers mean the same)."""
    out, used = {}, set()
    for h in headers:
        k = _LOOKUP.get(re.sub(r"\s", "", h.lstrip("\ufeff")).lower())
        if k and k not in used:
            out[h] = k
            used.add(k)
    return out


def _first_line(path: Path) -> str:
    with open(path, "rb") as f:
        raw = f.readline(65536)
    for enc in ("utf-8-sig", "cp950"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return ""


def stage_catalog(path: Path, workdir: Path, progress=None) -> tuple[StagedSource, dict[str, str], str]:
    """Stage one catalogue file (or folder of metadata JSON). Returns the staged rows, the header mapping and the format name."""
    path = Path(path)
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    if path.is_dir() or path.suffix.lower() == ".json":
        st, mapping, fmt = stage_json_catalog(path, workdir)
        if "dataset_name" not in mapping.values():
            raise SourceError(f"{path.name}: not an open-data catalogue (no 資料集名稱/名稱/TITLE key; keys: {', '.join(st.columns[:8])})")
        return st, mapping, fmt
    first = _first_line(path)
    if "/dataset/" in first and not map_headers(re.split(r"[,\t]", first)):
        st = stage_text(path, workdir, header=False, names=PORTAL_LIST_NAMES, progress=progress)
        fmt = "portal-list-2018"
    else:
        st = stage_text(path, workdir, progress=progress)
        fmt = None
    mapping = map_headers(st.columns)
    if "dataset_name" not in mapping.values():
        raise SourceError(f"{path.name}: not an open-data catalogue (no 資料集名稱 column; headers: {', '.join(st.columns[:8])})")
    if fmt is None:
        vals = set(mapping.values())
        fmt = ("data.gov.tw-export" if "dataset_id" in vals and "file_format" in vals
               else "city-portal-2018" if "parent_level" in vals
               else "data.gov.tw-list" if {"agency_raw", "listed_date"} <= vals and "file_format" not in vals else "catalogue")
    st.table = "opendata"
    return st, mapping, fmt


_SAFE_KEY = re.compile(r'^[^"\\\x00-\x1f]{1,200}$')   # a key we can name in a JSON path and as a column


def _value_sql(v: str) -> str:
    """One extracted JSON value as text: arrays (SCHEMA, KEYWORDS) joined with 、."""
    return (f"CASE WHEN json_type({v}) = 'ARRAY' THEN nullif(array_to_string(from_json({v}, '[\"VARCHAR\"]'), '、'), '') "
            f"ELSE nullif(trim(json_extract_string({v}, '$')), '') END")


def stage_json_catalog(path: Path, workdir: Path) -> tuple[StagedSource, dict[str, str], str]:
    """data.gov.tw JSON: a folder (or file) of per-dataset metadata objects whose RESOURCE array lists the
    files, or the export's array of dataset objects. One staged row per resource (a dataset without any
    file is one row); `source_file` names the JSON file (relative to the folder), `source_row` the
    resource within it (or the object within the array). A file that is not valid JSON is rejected whole."""
    from ..snapshot import _ident
    path = Path(path)
    pattern = str(path / "**" / "*.json") if path.is_dir() else str(path)
    con = duck.connect(spatial=False)
    try:
        try:
            con.execute(f"CREATE TEMP TABLE f AS SELECT filename, content, json_valid(content) AS ok FROM read_text({duck.q(pattern)})")
        except Exception as e:   # duckdb's own error types; the message is what matters
            raise SourceError(f"{path.name}: cannot read ({str(e).splitlines()[0]})") from e
        n_files = con.execute("SELECT count(*) FROM f").fetchone()[0]
        if n_files == 0:
            raise SourceError(f"{path.name}: no .json files in this folder")
        base = str(path) + "/" if path.is_dir() else str(path.parent) + "/"
        con.execute("UPDATE f SET filename = replace(filename, ?, '')", [base])
        # every top-level object: the array's elements, or the file's one object
        con.execute("""CREATE TEMP TABLE o AS
            SELECT filename, 1 AS pos, content::JSON AS obj FROM f WHERE CASE WHEN ok THEN json_type(content) = 'OBJECT' ELSE false END
            UNION ALL
            SELECT filename, pos, obj FROM (SELECT filename, unnest(json_extract(content, '$[*]')) AS obj,
                                                   generate_subscripts(json_extract(content, '$[*]'), 1) AS pos
                                            FROM f WHERE CASE WHEN ok THEN json_type(content) = 'ARRAY' ELSE false END)""")
        keys = [r[0] for r in con.execute("SELECT DISTINCT unnest(json_keys(obj)) AS k FROM o ORDER BY k").fetchall()]
        res_key = next((k for k in RESOURCE_KEYS if k in keys), None)
        if res_key:
            con.execute("""CREATE TEMP TABLE r AS SELECT o.*, coalesce(len(rs), 0) AS n_res, rs FROM
                           (SELECT *, json_extract(obj, ?) AS rs FROM o) o""", [f"$.{res_key}[*]"])
            con.execute("""CREATE TEMP TABLE rr AS
                SELECT filename, pos, obj, NULL::JSON AS res, 1 AS source_row FROM r WHERE n_res = 0
                UNION ALL SELECT filename, pos, obj, unnest(rs) AS res, generate_subscripts(rs, 1) AS source_row FROM r WHERE n_res > 0""")
            rkeys = [r[0] for r in con.execute("SELECT DISTINCT unnest(json_keys(res)) FROM rr WHERE res IS NOT NULL ORDER BY 1").fetchall()]
            fmt = "data.gov.tw-metadata-json"
        else:
            con.execute("CREATE TEMP TABLE rr AS SELECT filename, pos, obj, NULL::JSON AS res, pos AS source_row FROM o")
            rkeys = []
            fmt = "data.gov.tw-export-json"
        dkeys = [k for k in keys if k != res_key]
        bad = [k for k in dkeys + rkeys if not _SAFE_KEY.match(k)]
        dkeys = [k for k in dkeys if k not in bad]
        # columns: the dataset's keys, then the resource's (prefixed when the dataset has the same key, e.g. SCHEMA)
        rcols = {k: (k if k not in dkeys else f"{res_key}.{k}") for k in rkeys if k not in bad}
        dmap = map_headers(dkeys)
        rmap = {rcols[k]: v for k, v in map_headers(list(rcols)).items()}
        # a file's own format/URL/encoding/count/date wins; otherwise the dataset's key (its SCHEMA over the file's)
        rmap = {c: v for c, v in rmap.items() if v in RESOURCE_LEVEL or v not in dmap.values()}
        mapping = {h: v for h, v in dmap.items() if v not in rmap.values()} | rmap
        # each object is parsed once: one json_extract with the list of paths (bound parameters), not
        # three per key (the 2018 folder: 12 s -> under 1 s)
        cols, params, names = [], [], []
        for obj, ks in (("obj", {k: k for k in dkeys}), ("res", rcols)):
            for i, (k, col) in enumerate(ks.items(), start=1):
                cols.append(f"{_value_sql(f'_{obj}[{i}]')} AS {_ident(col)}")
                names.append(col)
            params.append([f'$."{k}"' for k in ks] or ["$"])
        if "source_file" in names:
            raise SourceError(f"{path.name}: a key is named source_file, which this reader uses itself")
        staged = workdir / f"{path.stem or path.name}.{abs(hash(str(path))) % 10**8}.json.staged.parquet"
        con.execute(f"""COPY (SELECT {', '.join(cols) + ',' if cols else ''} filename AS source_file, source_row::BIGINT AS source_row
                            FROM (SELECT *, json_extract(obj, ?::VARCHAR[]) AS _obj, json_extract(res, ?::VARCHAR[]) AS _res FROM rr)
                            ORDER BY filename, pos, source_row) TO {duck.q(staged)} (FORMAT parquet)""", params)
        n_good = con.execute(f"SELECT count(*) FROM read_parquet({duck.q(staged)})").fetchone()[0]
        n_rej = con.execute("SELECT count(*) FROM f WHERE CASE WHEN ok THEN json_type(content) NOT IN ('OBJECT', 'ARRAY') ELSE true END").fetchone()[0]
        rejects = None
        if n_rej:
            rejects = staged.with_suffix(".rejects.parquet")
            con.execute(f"""COPY (SELECT filename AS source_file, 1::BIGINT AS source_row, left(content, 2000) AS raw,
                                  CASE WHEN ok THEN 'JSON holds neither an object nor an array' ELSE 'not valid JSON' END AS reason
                                FROM f WHERE CASE WHEN ok THEN json_type(content) NOT IN ('OBJECT', 'ARRAY') ELSE true END) TO {duck.q(rejects)} (FORMAT parquet)""")
    finally:
        con.close()
    st = StagedSource(path=path, staged=staged, rejects=rejects, rows_staged=n_good, rows_rejected=n_rej, columns=names,
                      format=fmt, table="opendata", encoding="utf-8", header=True,
                      notes=[f"{n_files} JSON files"] + ([f"keys not read (unsafe names): {bad}"] if bad else []))
    return st, mapping, fmt
