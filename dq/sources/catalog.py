"""Open-data catalogue readers: data.gov.tw's export, the 2018 city/county portal catalogues and
the headerless 2018 portal lists. One row per resource (a data.gov.tw dataset with a CSV and a
JSON file is two rows). Columns are mapped by header name, never by position."""
from __future__ import annotations

import re
from pathlib import Path

from .base import SourceError, StagedSource
from .text import stage_text

# canonical column → header variants seen in the catalogues
ALIASES: dict[str, list[str]] = {
    "dataset_id": ["資料集識別碼", "識別碼", "identifier"],
    "dataset_name": ["資料集名稱", "title", "名稱"],
    "provider_attr": ["資料提供屬性"],
    "service_category": ["服務分類"],
    "quality_badge": ["品質檢測", "品質標章"],
    "file_format": ["檔案格式", "format"],
    "download_url": ["資料下載網址", "下載網址"],
    "encoding": ["編碼格式"],
    "resource_updated": ["資料資源更新時間", "資源更新時間", "檔案更新時間", "最後更新時間", "更新時間"],
    "description": ["資料集描述", "描述", "description"],
    "main_fields": ["主要欄位說明", "主要欄位"],
    "agency_raw": ["提供機關", "資料來源(部會單位)", "資料來源（部會單位）", "機關"],
    "update_frequency": ["更新頻率"],
    "license": ["授權方式", "授權"],
    "related_url": ["相關網址"],
    "fee": ["計費方式"],
    "contact_name": ["提供機關聯絡人姓名", "聯絡人姓名", "聯絡人"],
    "contact_phone": ["提供機關聯絡人電話", "聯絡人電話"],
    "listed_date": ["上架日期"],
    "metadata_updated": ["詮釋資料更新時間"],
    "note": ["備註"],
    "volume": ["資料量"],
    "downloads": ["下載次數"],
    "views": ["瀏覽次數"],
    "parent_level": ["第一層級"],
    "serial": ["編號"],
    "path": ["路徑"],
    "high_value": ["高應用價值", "高價值資料集"],
    "bilingual": ["雙語", "雙語資料集", "英文版"],
}
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
    """Stage one catalogue file. Returns the staged rows, the header mapping and the format name."""
    path = Path(path)
    if not path.exists():
        raise SourceError(f"{path}: no such file")
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
               else "city-portal-2018" if "parent_level" in vals else "catalogue")
    st.table = "opendata"
    return st, mapping, fmt
