"""The check catalogue: every check declared once, like GBIF's OccurrenceIssue enum.

A check is a SQL predicate over the enriched record table `e` (canonical columns plus the
derived columns the engine adds: lat, lon, county, town, match_type, event_date_parsed, …)
and an optional SQL expression for the suggested fix. Docs, the Rules page and the reports
are generated from this list, so they cannot disagree with what runs.
"""
from __future__ import annotations

import dataclasses

from .. import standard

DIMENSIONS = ["completeness", "coordinates", "taxonomy", "time", "vocabulary", "duplicates", "open_data"]
DIMENSION_ZH = {"completeness": "完整度", "coordinates": "坐標", "taxonomy": "分類", "time": "時間",
                "vocabulary": "詞彙", "duplicates": "重複", "open_data": "開放資料"}
SEVERITIES = ["error", "warning", "info"]
ALL_TABLES = (standard.OCCURRENCE, standard.PROJECT, standard.SPECIES_LIST)
_WS_START = "(0, 9, 10, 11, 12, 13, 32, 160, 12288)"


def blank(col: str) -> str:
    """SQL: the cell is NULL, empty or only whitespace (incl. the full-width space 　).

    The cheap first-character test keeps the regex off the millions of ordinary values.
    """
    return f"({col} IS NULL OR (ascii({col}) IN {_WS_START} AND regexp_full_match({col}, '[\\s\\x{{3000}}\\x{{a0}}]*')))"


def filled(col: str) -> str:
    return f"(NOT {blank(col)})"


@dataclasses.dataclass(frozen=True)
class Check:
    id: str
    dimension: str
    severity: str
    title_zh: str
    title_en: str
    explain_zh: str
    explain_en: str
    sql: str                       # predicate over `e`; TRUE = the record has this problem
    fix: str | None = None         # SQL text expression: the suggested fix, shown to the user
    tables: tuple[str, ...] = (standard.OCCURRENCE,)
    params: tuple[str, ...] = ()   # names of the thresholds it uses (documented in the UI)

    def __post_init__(self):
        assert self.dimension in DIMENSIONS, self.id
        assert self.severity in SEVERITIES, self.id


def catalogue() -> list[Check]:
    from . import completeness, coordinates, duplicates, opendata, shape, taxonomy, time, vocabulary
    checks: list[Check] = []
    for mod in (completeness, shape, coordinates, taxonomy, time, vocabulary, duplicates, opendata):
        checks.extend(mod.CHECKS)
    ids = [c.id for c in checks]
    dup = {i for i in ids if ids.count(i) > 1}
    assert not dup, f"check ids declared twice: {dup}"
    return checks


def by_id() -> dict[str, Check]:
    return {c.id: c for c in catalogue()}


def messages(table: str | None = None) -> list[tuple[str, str, str]]:
    """(check id, severity, zh-TW message) for fix lists, optionally only the checks of one table kind."""
    return [(c.id, c.severity, c.title_zh + "：" + c.explain_zh) for c in catalogue() if table is None or table in c.tables]


def load_messages(con, table: str | None = None) -> None:
    """The same as a temp table `_meta` (check_id, severity, message_zh) to join fix lists against."""
    con.execute("CREATE OR REPLACE TEMP TABLE _meta (check_id VARCHAR, severity VARCHAR, message_zh VARCHAR)")
    con.executemany("INSERT INTO _meta VALUES (?, ?, ?)", messages(table))
