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
    # DQ_THREADS: the test run's workers (two on two cores) each keep to one thread (tests/conftest.py)
    threads = threads or (int(os.environ["DQ_THREADS"]) if os.environ.get("DQ_THREADS", "").isdigit() else None)
    if threads:
        con.execute(f"SET threads={int(threads)}")
    con.execute("SET preserve_insertion_order=true")
    con.execute("SET enable_progress_bar=false")
    return con


# How a build writes its per-record files (records, flags, lookups, BDQ answers): zstd at level 1,
# not the default 3 (at 1M records the record file's writer 0.80-0.85 -> 0.59-0.61 CPU s for a file
# 0.8 % larger; snappy: 0.53 s, 32 % larger), in Parquet's version 2 pages (the record file's integers
# delta-encoded: at 10M records its writer 5.3 -> 4.7 CPU s, 93 -> 81 MB; DuckDB and pyarrow read both)
PARQUET_FAST = "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, PARQUET_VERSION V2"


def q(path: os.PathLike | str) -> str:
    """Quote a file path as a SQL string literal (paths come from our code, not from users)."""
    return "'" + str(path).replace("'", "''") + "'"


MAX_IDENT = 512


def ident(name: str) -> str:
    """The one way a column name reaches SQL text: checked, then quoted by DuckDB's rule.

    Names from files are cleaned by sources.base.clean_headers first; this refuses anything
    that slipped past (a programming error, not a user's), then doubles every `"`.
    """
    if not isinstance(name, str) or not name or len(name) > MAX_IDENT or any(ord(ch) < 32 for ch in name):
        raise ValueError(f"unsafe column name {name[:40]!r}" if isinstance(name, str) else "column name is not text")
    return '"' + name.replace('"', '""') + '"'


# The memory a DuckDB connection may hold before it spills to its temp folder. Builds and
# validations stay near this budget for any input size (README: "Memory").
DEFAULT_MEMORY_LIMIT = "1200MB"


def memory_limit() -> str:
    v = os.environ.get("DQ_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT).strip()
    import re
    if not re.fullmatch(r"\d+(\.\d+)?\s*(B|KB|MB|GB|KiB|MiB|GiB)", v, re.I):
        from .sources.base import SourceError     # a setting the user gave: one sentence, exit 2
        raise SourceError(f"DQ_MEMORY_LIMIT must look like 1200MB or 2GB, not '{v[:20]}'",
                          f"DQ_MEMORY_LIMIT 應寫成 1200MB 或 2GB 這類格式，而不是「{v[:20]}」。")
    return v


def limit(con: duckdb.DuckDBPyConnection, spill_dir: os.PathLike | str | None = None) -> None:
    """Cap a connection at the memory budget, spilling to `spill_dir` beyond it."""
    con.execute("SET memory_limit=?", [memory_limit()])
    if spill_dir is not None:
        con.execute("SET temp_directory=?", [str(spill_dir)])
