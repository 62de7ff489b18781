"""Open-data checks: one row per catalogue dataset (dq/opendata.py builds the table `e` they read).

A check whose input the catalogue does not carry (the 2018 city portals list no licence or
format) is not judged: its predicate is NULL there, never a false alarm.
"""
from __future__ import annotations

from . import Check, Family, Param

T = ("opendata",)
OVERDUE = Param("OVERDUE_FACTOR", 1.5, "×", "超過宣告更新週期的幾倍才算逾期", "how many declared update periods make an update overdue")
OVERDUE_FACTOR = OVERDUE.value
# 更新頻率 as catalogues write it: 每日/每1日/每10日, 每週/每周, 每月/每1月/每3月, 每季, 每半年/每6月, 每年/每1年/每5年
PERIOD_DAYS = {"日": 1, "天": 1, "週": 7, "周": 7, "月": 30.44, "季": 91.31, "半年": 182.62, "年": 365.25}
# not judged: irregular, never updated, and feeds faster than a day, whose catalogue timestamp is the
# metadata's, not the data's (a real-time API is not stale because its metadata is old)
NOT_JUDGED_FREQ = r"不定期|不更新|即時|分|時"


def period_sql(col: str) -> str:
    """The derivation OD_UPDATE_OVERDUE reads (e.period_days): the declared update period in days, NULL when
    not judged (irregular, never, faster than daily, unreadable)."""
    unit = "CASE " + " ".join(f"WHEN regexp_matches({col}, '{k}') THEN {v}" for k, v in
                              sorted(PERIOD_DAYS.items(), key=lambda kv: -len(kv[0]))) + " END"
    return f"""(CASE WHEN {col} IS NULL OR regexp_matches({col}, '{NOT_JUDGED_FREQ}') THEN NULL
                ELSE coalesce(try_cast(nullif(regexp_extract({col}, '每\\s*(\\d+)', 1), '') AS DOUBLE), 1) * ({unit}) END)"""


CHECKS = [
    Check("OD_LICENSE_NOT_OPEN", "open_data", "error", "授權方式非開放授權", "Licence not open",
          "授權方式不是政府資料開放授權條款或 CC BY／CC0 等開放授權，他人無法自由再利用。",
          "The licence is not the Open Government Data License or another open licence (CC BY, CC0): others cannot reuse freely.",
          "e.license_open = false", "'改用「政府資料開放授權條款－第1版」'", fix_en="'Use the Open Government Data License, version 1.0'", tables=T),
    Check("OD_FORMAT_NOT_OPEN", "open_data", "warning", "沒有開放且機器可讀的格式", "No open machine-readable format",
          "沒有任何一個資源是開放的機器可讀格式（CSV、JSON、XML、ODS、GeoJSON、KML、SHP、API 等），五星開放資料低於 3 星。",
          "No resource is in an open machine-readable format (CSV, JSON, XML, ODS, GeoJSON, KML, SHP, API…): below 3 open-data stars.",
          "e.stars < 3", "'另提供 CSV 或 JSON 版本（目前最佳格式：' || coalesce(e.best_format_zh, '無') || '）'", fix_en="'Also publish it as CSV or JSON (best format now: ' || coalesce(e.best_format_en, 'none') || ')'", tables=T),
    Check("OD_UPDATE_OVERDUE", "open_data", "warning", "逾期未更新", "Update overdue",
          f"距最近更新已超過宣告更新頻率的 {OVERDUE_FACTOR} 倍（每日、每週、每月、每季、每半年、每年、每 N 年；不定期、不更新、即時與每小時不判定）。",
          f"Older than {OVERDUE_FACTOR} × the declared update period (daily … every N years; irregular, never-updated, real-time and hourly are not judged).",
          "e.overdue", "'最近更新 ' || strftime(e.last_update, '%Y-%m-%d') || '，更新頻率「' || e.update_frequency || '」：請更新或修正頻率'", fix_en="'Last updated ' || strftime(e.last_update, '%Y-%m-%d') || ', declared frequency \"' || e.update_frequency || '\"' || "
          # the catalogue's own word, and what it means for a reader without Chinese
          "CASE WHEN round(e.period_days) = 1 THEN ' (daily)' ELSE coalesce(' (every ' || round(e.period_days)::BIGINT || ' days)', '') END || "
          "': update it or correct the frequency'",
          tables=T, params=(OVERDUE,)),
    Check("OD_METADATA_INCOMPLETE", "open_data", "warning", "詮釋資料不完整", "Metadata incomplete",
          "資料集名稱、描述、主要欄位說明、提供機關、更新頻率、授權方式、檔案格式、下載網址、編碼格式中有空白（只判定目錄有提供的欄位）。",
          "One of name, description, field notes, agency, frequency, licence, format, download URL or encoding is blank (only fields the catalogue carries are judged).",
          "len(e.meta_missing) > 0", "'補上：' || array_to_string(e.meta_missing, '、')", fix_en="'Add: ' || array_to_string(e.meta_missing_en, ', ')", tables=T),
    Check("OD_ENCODING_NOT_UTF8", "open_data", "warning", "編碼不是 UTF-8", "Encoding not UTF-8",
          "有資源宣告的編碼不是 UTF-8（如 Big5），跨平台使用容易亂碼。",
          "A resource declares an encoding other than UTF-8 (e.g. Big5), which garbles across platforms.",
          "e.utf8_resources < e.encoding_declared", "'改以 UTF-8 提供'", fix_en="'Publish it in UTF-8'", tables=T),
    Check("OD_DOWNLOAD_URL_MISSING", "open_data", "error", "缺少下載網址", "Download URL missing",
          "有資源沒有資料下載網址，使用者拿不到資料。", "A resource has no download URL: users cannot get the data.",
          "e.url_missing > 0", "'補上資料下載網址'", fix_en="'Add the download URL'", tables=T),
    Check("OD_NAME_COMPAT_CHARS", "open_data", "warning", "資料集名稱用了相容表意字", "Dataset title in compatibility characters",
          "名稱含 CJK 相容表意字（如「車」U+F902，多為 Big5 轉碼留下）：字形與標準字相同，卻是另一個字碼，在平臺上搜尋標準字找不到這個資料集。",
          "The title holds CJK compatibility ideographs (e.g. 車 U+F902, mostly left by Big5 conversions): they look like the standard "
          "characters but are other code points, so a search for the title on the portal misses the dataset.",
          "e.name_compat_chars IS NOT NULL", "'名稱改為標準字（' || e.name_compat_chars || '）：' || nfc_normalize(e.dataset_name)",
          fix_en="'Write the title in standard characters (' || replace(e.name_compat_chars, chr(12289), ', ') || '): ' || nfc_normalize(e.dataset_name)",
          tables=T),
    Check("OD_TINY_DATASET", "open_data", "info", "資料量 0 或 1 筆", "Dataset with 0 or 1 record",
          "資料量只有 0 或 1 筆：常是空檔或單一數值，請確認是否值得獨立成資料集。",
          "The volume is 0 or 1 record: often an empty file or a single value; consider merging it.",
          "e.volume_num <= 1", "'確認資料內容，或併入相關資料集'", fix_en="'Check its content, or merge it into a related dataset'", tables=T),
]

# The derivation of this family is dq/opendata.py's per-dataset table (one row per catalogue
# dataset: licence, formats, stars, overdue …), built from the catalogue, not from occurrence records.
FAMILY = Family("open_data", tuple(CHECKS))
