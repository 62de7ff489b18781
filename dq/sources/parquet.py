"""Parquet inputs: GBIF's Parquet snapshot (lower-case names, array columns) or any flat Parquet.

Arrays (GBIF's issue, mediatype, recordedby…) become ';'-joined text, so every column is
text like in the other readers; lower-case names are matched by the case-blind alias table.
"""
from __future__ import annotations

from pathlib import Path

from .. import duck
from .base import SourceError, StagedSource, clean_headers


def stage_parquet(path: Path, workdir: Path, progress=None) -> StagedSource:
    path = Path(path)
    con = duck.connect(spatial=False)
    duck.limit(con, workdir / "spill")
    try:
        desc = con.execute(f"DESCRIBE SELECT * FROM read_parquet({duck.q(path)})").fetchall()
    except Exception as e:     # DuckDB's own error types; its text may carry paths, so only the class
        con.close()
        raise SourceError(f"{path.name}: not a readable Parquet file ({type(e).__name__})",
                          f"{path.name}：不是可讀取的 Parquet 檔。") from e
    names, notes = clean_headers([d[0] for d in desc])
    # the file's names reach SQL only through duck.ident; positions keep them apart from ours
    sel = []
    for (orig, typ, *_), new in zip(desc, names):
        src, col = duck.ident(orig) if _safe(orig) else None, duck.ident(new)
        if src is None:
            # a name duck.ident refuses (control characters): take the column by position instead
            src = f"#{len(sel) + 1}"
        if typ.endswith("[]"):
            sel.append(f"array_to_string({src}, ';') AS {col}")
        elif typ.startswith(("STRUCT", "MAP")):
            sel.append(f"to_json({src})::VARCHAR AS {col}")
        else:
            sel.append(f"{src}::VARCHAR AS {col}")
    staged = workdir / f"{path.stem[:40]}.pq.staged.parquet"
    try:
        con.execute(f"""COPY (SELECT {', '.join(sel)}, NULL::VARCHAR AS overflow_cells, NULL::INTEGER AS row_cells,
            (file_row_number + 1)::BIGINT AS source_row
            FROM read_parquet({duck.q(path)}, file_row_number=true)) TO {duck.q(staged)} (FORMAT parquet)""")
        n = con.execute(f"SELECT count(*) FROM read_parquet({duck.q(staged)})").fetchone()[0]
    except Exception as e:
        raise SourceError(f"{path.name}: the Parquet file cannot be read through ({type(e).__name__})",
                          f"{path.name}：Parquet 檔內容無法完整讀取（可能損壞）。") from e
    finally:
        con.close()
    lower = sum(1 for d in desc if d[0] == d[0].lower())
    fmt = "gbif-parquet" if any(d[0] == "gbifid" for d in desc) or lower == len(desc) else "parquet"
    return StagedSource(path=path, staged=staged, rejects=None, rows_staged=n, rows_rejected=0,
                        columns=names, format=fmt, notes=notes, has_shape=True)


def _safe(name: str) -> bool:
    try:
        duck.ident(name)
        return True
    except ValueError:
        return False
