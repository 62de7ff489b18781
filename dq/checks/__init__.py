"""The check catalogue: every check declared once, like GBIF's OccurrenceIssue enum.

One module per check family (dq/checks/<family>.py) holds, in this order, the family's
derivation (what it computes once per distinct value at snapshot time, and the columns it adds
to the record view `e`) and then the checks that read those columns. A check is a SQL predicate
over `e` and an optional SQL expression for the suggested fix. dq/engine.py only runs families:
it knows no check. Docs, the Rules page and the reports are generated from these declarations,
so they cannot disagree with what runs.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable

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
class Param:
    """A typed threshold of a check: its value is the one the check's SQL was built with."""
    name: str
    value: float | int
    unit: str            # 'm', 'year', 'score', 'factor' …
    zh: str
    en: str

    def __str__(self) -> str:
        v = f"{self.value:,.0f}" if isinstance(self.value, (int, float)) and float(self.value).is_integer() else f"{self.value}"
        return f"{self.name} = {v} {self.unit}".strip()


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
    params: tuple[Param, ...] = ()  # the thresholds it uses, typed (shown on the Rules page)

    def __post_init__(self):
        assert self.dimension in DIMENSIONS, self.id
        assert self.severity in SEVERITIES, self.id
        assert all(isinstance(p, Param) for p in self.params), self.id


@dataclasses.dataclass(frozen=True)
class Derivation:
    """What a family adds to the record view `e`, computed once per distinct value.

    The engine runs, for the families in order: every `derive(con, ctx)` (per-distinct tables,
    read from the canonical records `occ`); then the view `_ek` of `record_id` and every family's
    `record_cols` (keys into those tables and values computed from the record alone); then every
    `derive_keyed(con, ctx)` (tables that need `_ek`, each one streaming pass over it); then the
    view `e` = the record with its record_cols computed inline (a family names them `k.<name>`)
    + every family's `joins`, selecting `o.*` and every family's `columns`. No record-wide table is
    materialised: `e` is evaluated once, in the pass that writes occurrence.parquet.
    A family may read the tables and aliases of families listed before it.
    """
    record_cols: dict[str, str] = dataclasses.field(default_factory=dict)   # name → SQL over `o`
    derive: Callable[[Any, "DeriveContext"], None] | None = None
    derive_keyed: Callable[[Any, "DeriveContext"], None] | None = None
    joins: tuple[str, ...] = ()      # e.g. "LEFT JOIN _dk d ON d.dk = k.dk"
    columns: tuple[str, ...] = ()    # e.g. "d.date_status"


@dataclasses.dataclass
class DeriveContext:
    snapshot_date: str
    params: Any                      # dq.geo.GeoParams
    progress: Callable[[str], None] = lambda m: None
    t0: float = 0.0


@dataclasses.dataclass(frozen=True)
class Family:
    name: str
    checks: tuple[Check, ...]
    derivation: Derivation = Derivation()


def families() -> list[Family]:
    """Every family, in derivation order (a family may read what an earlier one derived)."""
    from . import completeness, coordinates, duplicates, opendata, shape, taxonomy, time, vocabulary
    return [m.FAMILY for m in (coordinates, time, taxonomy, vocabulary, duplicates, completeness, shape, opendata)]


CATALOGUE_ORDER = ["completeness", "row_shape", "coordinates", "taxonomy", "time", "vocabulary", "duplicates", "open_data"]


def catalogue() -> list[Check]:
    fams = {f.name: f for f in families()}
    checks: list[Check] = []
    for name in CATALOGUE_ORDER:
        checks.extend(fams[name].checks)
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
