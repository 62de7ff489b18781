"""Parquet inputs: GBIF's Parquet snapshot (lower-case names, array columns) or any flat Parquet.

Arrays (GBIF's issue, mediatype, recordedby…) become ';'-joined text, so every column is
text like in the other readers; lower-case names are matched by the case-blind alias table.
"""
from __future__ import annotations

from pathlib import Path

from .. import duck
from .base import SourceError, StagedSource


def stage_parquet(path: Path, workdir: Path, progress=None) -> StagedSource:
    path = Path(path)
    con = duck.connect(spatial=False)
    try:
        desc = con.execute(f"DESCRIBE SELECT * FROM read_parquet({duck.q(path)})").fetchall()
    except Exception as e:
        raise SourceError(f"{path.name}: not a readable Parquet file ({str(e).splitlines()[0]})") from e
    sel = []
    for name, typ, *_ in desc:
        if name == "source_row":
            continue
        col = '"' + name.replace('"', '""') + '"'
        if typ.endswith("[]"):
            sel.append(f"array_to_string({col}, ';') AS {col}")
        elif typ.startswith(("STRUCT", "MAP")):
            sel.append(f"to_json({col})::VARCHAR AS {col}")
        else:
            sel.append(f"{col}::VARCHAR AS {col}")
    staged = workdir / f"{path.stem}.pq.staged.parquet"
    con.execute(f"""COPY (SELECT {', '.join(sel)}, (file_row_number + 1)::BIGINT AS source_row
        FROM read_parquet({duck.q(path)}, file_row_number=true)) TO {duck.q(staged)} (FORMAT parquet)""")
    n = con.execute(f"SELECT count(*) FROM read_parquet({duck.q(staged)})").fetchone()[0]
    con.close()
    lower = sum(1 for d in desc if d[0] == d[0].lower())
    fmt = "gbif-parquet" if any(d[0] == "gbifid" for d in desc) or lower == len(desc) else "parquet"
    return StagedSource(path=path, staged=staged, rejects=None, rows_staged=n, rows_rejected=0,
                        columns=[d[0] for d in desc if d[0] != "source_row"], format=fmt)
