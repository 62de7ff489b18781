"""DuckDB connections with the spatial extension loaded from its PyPI package.

Nothing may be downloaded at run time, so the extension is loaded by file path from the
installed `duckdb-extension-spatial` wheel instead of `INSTALL spatial`.
"""
from __future__ import annotations

import glob
import os

import duckdb


def spatial_extension_path() -> str:
    import duckdb_extension_spatial

    base = os.path.dirname(duckdb_extension_spatial.__file__)
    hits = sorted(glob.glob(os.path.join(base, "extensions", "*", "spatial.duckdb_extension")))
    if not hits:
        raise RuntimeError("duckdb-extension-spatial is installed but holds no spatial.duckdb_extension")
    return hits[-1]


def connect(database: str = ":memory:", *, spatial: bool = True, memory_limit: str | None = None,
            threads: int | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(database)
    if spatial:
        path = spatial_extension_path().replace("'", "''")
        con.execute(f"LOAD '{path}'")
    if memory_limit:
        con.execute(f"SET memory_limit='{memory_limit}'")
    if threads:
        con.execute(f"SET threads={int(threads)}")
    con.execute("SET preserve_insertion_order=true")
    con.execute("SET enable_progress_bar=false")
    return con


def q(path: os.PathLike | str) -> str:
    """Quote a file path as a SQL string literal (paths come from our code, not from users)."""
    return "'" + str(path).replace("'", "''") + "'"


def ident(name: str) -> str:
    """An identifier quoted by DuckDB's rule (in double quotes, a quote doubled), after checking it."""
    if not isinstance(name, str) or not name or any(ord(ch) < 32 for ch in name):
        raise ValueError(f"not a usable column name: {name!r}")
    return '"' + name.replace('"', '""') + '"'
