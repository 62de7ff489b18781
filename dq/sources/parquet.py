"""Parquet inputs: GBIF's Parquet snapshot (lower-case names, array columns) or any flat Parquet.

Arrays (GBIF's issue, mediatype, recordedby…) become ';'-joined text, so every column is
text like in the other readers; lower-case names are matched by the case-blind alias table.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from .. import duck
from .base import SourceError, StagedSource, clean_headers, sampled_rows


def stage_parquet(path: Path, workdir: Path, progress=None, keep_input: bool = False) -> StagedSource:
    """A Parquet input staged as text columns plus source_row. With `keep_input`, a file whose columns
    are all text is kept itself (a byte copy in `workdir`) and `StagedSource.cast` says how to read
    it as that staged form (relation()): rewriting a 10M-row file's 21 text columns cost the build
    ~12 of its ~77 CPU s."""
    path = Path(path)
    con = duck.connect(spatial=False)
    duck.limit(con, workdir / "spill")
    try:
        desc = con.execute(f"DESCRIBE SELECT * FROM read_parquet({duck.q(path)})").fetchall()
    except Exception as e:     # DuckDB's own error types; its text may carry paths, so only the class
        con.close()
        raise SourceError(f"{path.name}: not a readable Parquet file ({type(e).__name__})",
                          f"{path.name}：不是可讀取的 Parquet 檔。") from e
    _refuse_bomb(con, path, len(desc))
    names, notes = clean_headers([d[0] for d in desc])
    # the file's names reach SQL only through duck.ident; positions keep them apart from ours
    cast = []
    for pos, ((orig, typ, *_), new) in enumerate(zip(desc, names), start=1):
        kind = "list" if typ.endswith("[]") else "json" if typ.startswith(("STRUCT", "MAP")) else \
            "text" if typ == "VARCHAR" else "double" if typ == "DOUBLE" else "float" if typ == "FLOAT" else \
            "zoned" if "TIME ZONE" in typ else "cast"
        # a name duck.ident refuses (control characters) is taken by its position instead
        cast.append([orig if _safe(orig) else None, pos, kind])
    fmt = "gbif-parquet" if any(d[0] == "gbifid" for d in desc) or sum(1 for d in desc if d[0] == d[0].lower()) == len(desc) \
        else "parquet"
    # A column that needs a cast (numbers, dates, lists, structs) would be cast again in every pass
    # that reads it: at 10M rows ~0.75 CPU s per DOUBLE column per pass, against ~0.55 CPU s per
    # column to stage the whole file once. A file of text columns only is kept as it is, and so is
    # one whose other columns are DOUBLEs, integers, dates …: the passes that read a coordinate or an
    # uncertainty per record read the number itself (relation() gives it beside its text, NUM_RAW), its
    # text made once per distinct value (staging the 10M bench's three DOUBLE columns rewrote all 21
    # columns: 16.7 of the build's ~82 CPU s), and an integer's or a date's text is cheap (~0.35 CPU s
    # per column per pass at 10M: a GBIF download's year, month, day and taxon keys cost less than
    # rewriting its ~50 columns). FLOATs, lists and structs (float_text, JSON) are staged once, and so is
    # a time with its zone: its text follows the reading process's time zone (a review: 2020-12-31 20:00
    # UTC read back under TZ=Asia/Taipei as 2021-01-01 04:00+08), so it is written once, when built.
    # Each pass over a kept file reads it a row group per thread: BBS Taiwan's files, written as one row
    # group of ~400k rows, ran every pass on one core (its record pass 0.52 -> 1.16 s wall); such a file is
    # staged (in DuckDB's row groups) unless it is small enough for one
    keep_input = keep_input and all(kind in ("text", "double", "cast") for _, _, kind in cast) and not _numbers_itself(cast) \
        and _parallel(con, path)
    try:
        if keep_input:
            staged = workdir / f"{path.stem[:40]}.pq.kept.parquet"
            shutil.copyfile(path, staged)     # never the user's file itself: the build moves what it stages
            n = con.execute(f"SELECT count(*) FROM read_parquet({duck.q(staged)})").fetchone()[0]
        else:
            staged = workdir / f"{path.stem[:40]}.pq.staged.parquet"
            con.execute(f"COPY (SELECT * FROM {relation(path, cast, names)}) TO {duck.q(staged)} (FORMAT parquet)")
            n = con.execute(f"SELECT count(*) FROM read_parquet({duck.q(staged)})").fetchone()[0]
    except Exception as e:
        raise SourceError(f"{path.name}: the Parquet file cannot be read through ({type(e).__name__})",
                          f"{path.name}：Parquet 檔內容無法完整讀取（可能損壞）。") from e
    finally:
        con.close()
    st = StagedSource(path=path, staged=staged, rejects=None, rows_staged=n, rows_rejected=0,
                      columns=names, format=fmt, notes=notes, has_shape=not keep_input)
    if keep_input:
        st.cast = cast
    return st


# Real Parquet files hold about one cell per byte (BBS Taiwan's event and occurrence files 1.2 and 0.8,
# the bench input 0.9); a file of repeated values can hold a hundred or more (50M rows in 369 KB),
# each of which the build stages as text. Refused like a zip bomb (sources/archive.py MAX_RATIO).
MAX_CELLS_PER_BYTE = 64


def _refuse_bomb(con, path: Path, n_cols: int) -> None:
    rows = con.execute(f"SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata({duck.q(path)})").fetchone()[0]
    cells, size = int(rows) * max(n_cols, 1), max(path.stat().st_size, 1)
    if cells > 1 << 24 and cells > MAX_CELLS_PER_BYTE * size:
        raise SourceError(f"{path.name}: {rows:,} rows in {size / 2**20:,.1f} MB, {cells / size:,.0f} cells per byte "
                          f"(limit {MAX_CELLS_PER_BYTE}); refused as a possible decompression bomb",
                          f"{path.name}：{size / 2**20:,.1f} MB 的檔案有 {rows:,} 列，每位元組 {cells / size:,.0f} 格"
                          f"（上限 {MAX_CELLS_PER_BYTE}），疑為解壓炸彈，拒絕處理。")
    cap = os.environ.get("DQ_MAX_PARQUET_CELLS")
    if cap and cap.isdigit() and cells > int(cap):
        raise SourceError(f"{path.name}: {rows:,} rows × {n_cols} columns is more than an upload may hold "
                          f"({int(cap):,} cells); validate it with python -m dq validate FILE --out DIR",
                          f"{path.name}：{rows:,} 列 × {n_cols} 欄，超過上傳檔案的上限（{int(cap):,} 格）；"
                          f"請改用命令列 python -m dq validate 檔案 --out 資料夾。")


# a kept input's DOUBLE column as the number itself, beside its text (relation(raw=True)): by its position
NUM_RAW = "_dq_num_{pos}"


def float_text(src: str) -> str:
    """SQL: a DOUBLE (or FLOAT) `src` as a person writes the number: a count of 2.0 is "2", a precision of
    1e-05 is "0.00001" (DuckDB's own text reached the fix lists); a small one is DuckDB's exact shortest
    text (a FLOAT's too) with its exponent written out."""
    short = f"{src}::VARCHAR"
    m = f"regexp_extract({short}, '^-?([0-9])(?:\\.([0-9]+))?e-([0-9]+)$', ['i', 'f', 'e'])"
    return (f"CASE WHEN {src} = trunc({src}) AND abs({src}) < 1e15 THEN {src}::BIGINT::VARCHAR "
            f"WHEN abs({src}) BETWEEN 1e-12 AND 1e-4 AND regexp_matches({short}, '^-?[0-9](\\.[0-9]+)?e-[0-9]+$') THEN "
            f"(CASE WHEN {src} < 0 THEN '-' ELSE '' END) || '0.' || repeat('0', {m}.e::INT - 1) || {m}.i || {m}.f "
            f"ELSE {short} END")


def raw_columns(cast: list | None, names: list[str]) -> dict[str, str]:
    """The kept input's columns given as numbers too (relation(raw=True)): cleaned name → the number's column."""
    if not isinstance(cast, list):
        return {}
    # DuckDB's names are case-blind: a column of the file named _DQ_NUM_2 takes the name (a review)
    taken = {n.lower() for n in names}
    return {new: NUM_RAW.format(pos=int(pos)) for (orig, pos, kind), new in zip(cast, names)
            if kind == "double" and NUM_RAW.format(pos=int(pos)).lower() not in taken}


def relation(path: Path, cast: list, names: list[str], raw: bool = False, step: int | None = None) -> str:
    """SQL: a Parquet input (at `path`) as its staged form: every column as text under its cleaned
    name (`names`), arrays ';'-joined, structs as JSON, and source_row. `cast` (per column: its name
    in the file or None, its position, its kind) is plain data a manifest can keep. `raw`: each
    DOUBLE column also as the number (raw_columns), which a pass reading it per record reads instead
    of its text (no text of it is made where the pass does not read it)."""
    sel = []
    nums = raw_columns(cast, names) if raw else {}
    for (orig, pos, kind), new in zip(cast, names):
        src, col = (duck.ident(orig) if orig is not None else f"#{int(pos)}"), duck.ident(new)
        if kind == "list":
            sel.append(f"array_to_string({src}, ';') AS {col}")
        elif kind == "json":
            sel.append(f"to_json({src})::VARCHAR AS {col}")
        elif kind == "text":
            sel.append(f"{src} AS {col}")
        elif kind in ("float", "double"):
            sel.append(f"{float_text(src)} AS {col}")
            if new in nums:
                sel.append(f"{src} AS {duck.ident(nums[new])}")
        else:
            sel.append(f"{src}::VARCHAR AS {col}")
    if _numbers_itself(cast):
        # DuckDB refuses its file_row_number next to a column of that name: rows are numbered as
        # they stream from the one file instead (such a file is always staged, numbered once)
        rel = (f"(SELECT {', '.join(sel)}{',' if sel else ''} NULL::VARCHAR AS overflow_cells, NULL::INTEGER AS row_cells, "
               f"(row_number() OVER ())::BIGINT AS source_row FROM read_parquet({duck.q(path)}))")
        return f"(SELECT * FROM {rel} WHERE {sampled_rows('source_row', step)})" if step else rel
    # `step`: only the rows whose hash(source_row) % step is 0 (a sample: mapping._sample)
    rows = f" WHERE {sampled_rows('(file_row_number + 1)::BIGINT', step)}" if step else ""
    return (f"(SELECT {', '.join(sel)}{',' if sel else ''} NULL::VARCHAR AS overflow_cells, NULL::INTEGER AS row_cells, "
            f"(file_row_number + 1)::BIGINT AS source_row FROM read_parquet({duck.q(path)}, file_row_number=true){rows})")


# DuckDB's own row group size: a file of at most this many rows is read by one thread whatever its layout
ONE_GROUP = 122_880


def _parallel(con, path: Path) -> bool:
    """The file's row groups let every thread read a share of it (or it is small enough not to matter)."""
    rows, groups = con.execute(f"SELECT coalesce(sum(num_rows), 0), coalesce(sum(num_row_groups), 0) "
                               f"FROM parquet_file_metadata({duck.q(path)})").fetchone()
    threads = int(con.execute("SELECT current_setting('threads')").fetchone()[0])
    return rows <= ONE_GROUP or groups >= 2 * threads


def _numbers_itself(cast: list) -> bool:
    """The file has a column named like DuckDB's file_row_number."""
    return any(orig is not None and orig.lower() == "file_row_number" for orig, _, _ in cast)


def _safe(name: str) -> bool:
    try:
        duck.ident(name)
        return True
    except ValueError:
        return False
