"""Date checks. The engine parses eventDate once per distinct text (ISO dates, slashes,
YYYYMMDD, partial dates, intervals, ROC 民國 years) into event_date_parsed."""
from __future__ import annotations

from .. import standard
from . import Check

MIN_YEAR = 1800   # DATE_TOO_OLD below this year

CHECKS = [
    Check("DATE_MISSING", "time", "error", "缺少日期", "Date missing",
          "eventDate 與 year 都是空白。", "Both eventDate and year are empty.",
          "e.date_status = 'missing'", columns=("eventDate", "year")),
    Check("DATE_INVALID", "time", "error", "日期無法解讀", "Date cannot be read",
          "日期不是可辨識的格式（YYYY-MM-DD、YYYY/MM/DD、YYYYMMDD、區間 A/B…），或區間起日晚於迄日。",
          "The date is not a recognised form (YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, an A/B interval…), or the interval starts after it ends.",
          "e.date_status = 'invalid'", "'改為 YYYY-MM-DD'"),
    Check("DATE_FUTURE", "time", "error", "日期在未來", "Date in the future",
          "日期晚於快照日期。", "The date is after the snapshot date.",
          "e.event_date_parsed > e.snapshot_date"),
    Check("DATE_TOO_OLD", "time", "warning", "日期過早", "Implausibly old date",
          f"日期早於 {MIN_YEAR} 年。", f"The date is before {MIN_YEAR}.",
          f"year(e.event_date_parsed) < {MIN_YEAR}", params=("MIN_YEAR",)),
    Check("DATE_ROC_YEAR", "time", "error", "民國年寫成西元格式", "ROC year written as a Gregorian year",
          "年份像民國年（例如 0112-05-01 或 112/05/01），已換算為西元日期使用。",
          "The year looks like an ROC (民國) year (e.g. 0112-05-01 or 112/05/01); the converted date is used.",
          "e.date_status = 'roc'", "'改為 ' || strftime(e.event_date_parsed, '%Y-%m-%d')"),
]
