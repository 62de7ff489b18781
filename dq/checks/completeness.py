"""MISSING_<field>: one check per Mandatory field of the 生態檢核 tables, generated from
dq.standard.FIELDS. A field shared by several tables (datasetID) is one check applying to each."""
from __future__ import annotations

from .. import standard
from . import Check, Family, blank


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
        alt = "" if len(cols) == 1 else f"（亦接受 {', '.join(cols[1:])}）"
        alt_en = "" if len(cols) == 1 else f" (also satisfied by {', '.join(cols[1:])})"
        zh = zh_of[term]
        out[term] = Check(
            id=f"MISSING_{term}", dimension="completeness", severity="error",
            title_zh=f"缺少必要欄位：{zh}（{term}）", title_en=f"Mandatory field missing: {term}",
            explain_zh=f"生態檢核資料共享標準將「{zh}」（{term}）列為必要（M）欄位，此筆紀錄為空白{alt}。",
            explain_en=f"The 生態檢核 data-sharing standard marks {term} ({zh}) Mandatory; this record leaves it empty{alt_en}.",
            sql=sql, fix=f"'請填寫 {term}（{zh}）'", tables=tuple(tables))
    return list(out.values())


CHECKS = _build()

# No derivation: the M-field predicates read the canonical columns themselves.
FAMILY = Family("completeness", tuple(CHECKS))
