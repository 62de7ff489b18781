"""XLSX sheets, streamed row by row with openpyxl's read-only mode into Arrow batches."""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .base import SourceError, StagedSource

BATCH = 50_000


def _cell(v) -> str | None:
    if v is None:
        return None
    if hasattr(v, "isoformat"):
        s = v.isoformat()
        return s[:10] if s.endswith("T00:00:00") else s
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    s = str(v)
    return s if s.strip() else None


def stage_xlsx(path: Path, workdir: Path, sheet: str | None = None, progress=None) -> StagedSource:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
    import zipfile

    path = Path(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as e:
        raise SourceError(f"{path.name}: not a readable XLSX workbook ({e})") from e
    ws = wb[sheet] if sheet else wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = None
    for r in rows:
        if any(v is not None and str(v).strip() for v in r):
            header = [(_cell(v) or f"column_{i + 1}") for i, v in enumerate(r)]
            break
    if header is None:
        raise SourceError(f"{path.name}: sheet '{ws.title}' is empty")
    # de-duplicate header names so no column is lost
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        if h in seen:
            seen[h] += 1
            header[i] = f"{h}_{seen[h]}"
        else:
            seen[h] = 0
    staged = workdir / f"{path.stem}.xlsx.staged.parquet"
    schema = pa.schema([(h, pa.string()) for h in header] + [("source_row", pa.int64())])
    writer = pq.ParquetWriter(staged, schema)
    buf: list[list] = [[] for _ in header]
    nums: list[int] = []
    n = extra_cells = 0
    for r in rows:
        if not any(v is not None and str(v).strip() for v in r):
            continue  # blank spreadsheet rows are formatting, not data
        n += 1
        vals = [_cell(v) for v in r]
        if len(vals) > len(header):
            extra_cells += sum(v is not None for v in vals[len(header):])
        for i in range(len(header)):
            buf[i].append(vals[i] if i < len(vals) else None)
        nums.append(n)
        if len(nums) >= BATCH:
            writer.write_batch(pa.record_batch(buf + [nums], schema=schema))
            buf, nums = [[] for _ in header], []
            if progress:
                progress(f"{path.name}: {n:,} rows")
    if nums:
        writer.write_batch(pa.record_batch(buf + [nums], schema=schema))
    writer.close()
    wb.close()
    notes = [f"sheet '{ws.title}'"]
    if extra_cells:
        notes.append(f"{extra_cells} cells right of the header were ignored")
    return StagedSource(path=path, staged=staged, rejects=None, rows_staged=n, rows_rejected=0,
                        columns=header, format="xlsx", notes=notes)
