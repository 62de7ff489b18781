"""Spreadsheet formula neutralisation for every CSV/XLSX this tool hands out.

A cell that starts with = + - @ (or a tab / CR, which some spreadsheets skip before those)
is run as a formula when the file is opened in Excel or LibreOffice: `=HYPERLINK(…)` or
`=cmd|…` in a scientific name would act on the data manager's machine. Such text cells get a
leading apostrophe (OWASP's advice), which spreadsheets show as plain text. Plain numbers
(-12.5, +3, 1e-5) are left alone, so coordinates and counts stay numbers.
"""
from __future__ import annotations

import pandas as pd

TRIGGER = r"^[=+\-@\t\r]"
NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"


def sql(expr: str) -> str:
    """SQL: the text value of `expr`, neutralised."""
    return (f"CASE WHEN regexp_matches({expr}, '{TRIGGER}') AND NOT regexp_matches({expr}, '{NUMBER}') "
            f"THEN '''' || {expr} ELSE {expr} END")


def value(v):
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        import re
        if not re.match(NUMBER, v):
            return "'" + v
    return v


def frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of df with every text cell neutralised (vectorised per column)."""
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            txt = s.where(s.map(lambda v: isinstance(v, str)), None) if s.dtype == object else s
            hit = txt.str.match(TRIGGER, na=False) & ~txt.str.match(NUMBER, na=False)
            if hit.any():
                out[c] = s.where(~hit, "'" + txt.astype("string").fillna(""))
    # header cells are cells too
    out.columns = [value(c) if isinstance(c, str) else c for c in out.columns]
    return out
