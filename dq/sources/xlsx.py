"""XLSX sheets, streamed row by row with openpyxl's read-only mode into Arrow batches."""
from __future__ import annotations

import heapq
import itertools
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..i18n import t
from .base import LOOK, SourceError, StagedSource, clean_headers, header_at, title_note

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
    import openpyxl.xml
    from defusedxml import DefusedXmlException
    from openpyxl.utils.exceptions import InvalidFileException
    import zipfile
    from xml.etree.ElementTree import ParseError

    path = Path(path)
    name = path.name
    if not openpyxl.xml.DEFUSEDXML:
        # openpyxl parses the parts with defusedxml only when it is installed and not switched off
        raise RuntimeError("defusedxml is required for XLSX (see requirements.txt); OPENPYXL_DEFUSEDXML must not be False")
    bad = (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError,
           ParseError, DefusedXmlException, IndexError, AttributeError)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except bad as e:
        raise SourceError(f"{name}: not a readable XLSX workbook ({type(e).__name__}; damaged, or XML with entities, which are refused)",
                          f"{name}：無法讀取的 XLSX 活頁簿（檔案損壞，或含被拒絕的 XML 實體宣告），請重新存檔後再上傳。") from e
    try:
        return _stage(wb, path, name, workdir, sheet, progress)
    except bad as e:
        raise SourceError(f"{name}: a sheet cannot be read ({type(e).__name__}; damaged, or XML with entities, which are refused)",
                          f"{name}：工作表無法讀取（檔案損壞，或含被拒絕的 XML 實體宣告）。") from e
    finally:
        wb.close()


def _any(r) -> bool:
    return any(v is not None and str(v).strip() for v in r)


def _filled(ws) -> bool:
    """The sheet has a cell with something in it (read until the first one)."""
    return any(_any(r) for r in ws.iter_rows(values_only=True))


def _head(rows) -> tuple[list, list, int]:
    """The first filled rows (up to LOOK) of an iterator of a sheet's rows, their cells as text, and the index of
    the header row among them (header_at; 0 when there are none). The iterator goes on after them."""
    first = list(itertools.islice((r for r in rows if _any(r)), LOOK))
    cells = [[_cell(v) for v in r] for r in first]
    return first, cells, header_at(cells) if cells else 0


def _known_columns(ws) -> int:
    """How many cells of the sheet's header row (header_at over its first filled rows) name a column this
    tool knows (學名, 經度, eventDate …): 0 for an empty sheet or one of notes."""
    from .aliases import lookup
    first, cells, h = _head(ws.iter_rows(values_only=True))
    if not first:
        return 0
    # as the mapping reads a header (a unit in it, 數量(隻), included)
    return sum(1 for c in cells[h] if c is not None and str(c).strip() and lookup(str(c))[0])


def _pick(wb):
    """The sheet a workbook's records are on: the one whose header names the most known columns (a workbook
    of an agency's often opens with a 說明 sheet of notes: the survey's 18,084 rows on its second sheet were
    judged as one row of notes), of two alike the longer (a sheet describing the columns under the same
    header), then the first; without any, the first sheet with a filled cell (a cover sheet left empty is skipped)."""
    # (each score ends in the sheet's -position, so two never tie and the sheets themselves are never compared)
    (known, _, _), best = max(((_known_columns(w), w.max_row or 0, -i), w) for i, w in enumerate(wb.worksheets))
    if known:
        return best
    return next((w for w in wb.worksheets if _filled(w)), wb.worksheets[0])


def _stage(wb, path: Path, name: str, workdir: Path, sheet: str | None, progress) -> StagedSource:
    if sheet and sheet not in wb.sheetnames:
        have = "、".join(f"「{s[:40]}」" for s in wb.sheetnames[:20])
        raise SourceError(f"{name}: no sheet named '{sheet[:60]}'; its sheets: " + ", ".join(f"'{s[:40]}'" for s in wb.sheetnames[:20]),
                          f"{name}：沒有名為「{sheet[:60]}」的工作表；此檔的工作表：{have}。")
    ws = wb[sheet] if sheet else _pick(wb)
    rows = enumerate(ws.iter_rows(values_only=True), start=1)     # (the sheet's row number, its cells)
    first: list[tuple[int, tuple]] = []
    blank_seen: list[int] = []              # the blank rows' numbers: below the header they are rows
    for i, r in rows:
        if _any(r):
            first.append((i, r))
            if len(first) == LOOK:
                break
        else:
            blank_seen.append(i)
    if not first:
        raise SourceError(f"{name}: sheet '{ws.title}' is empty", f"{name}：工作表「{ws.title}」是空的。")
    cells = [[_cell(v) for v in r] for _, r in first]
    h = header_at(cells)
    titles, raw, header_row = cells[:h], cells[h], first[h][0]
    below = heapq.merge((x for x in first if x[0] > header_row), ((b, ()) for b in blank_seen if b > header_row), key=lambda x: x[0])
    rows = itertools.chain(below, rows)
    while raw and raw[-1] is None:
        raw.pop()
    header, notes = clean_headers(raw)
    width = len(header)
    staged = workdir / f"{path.stem[:40]}.xlsx.staged.parquet"
    schema = pa.schema([(h, pa.string()) for h in header] + [("overflow_cells", pa.string()), ("row_cells", pa.int32()),
                                                             ("source_row", pa.int64())])
    writer = pq.ParquetWriter(staged, schema)
    buf: list[list] = [[] for _ in header]
    over: list = []
    shape: list = []
    nums: list[int] = []
    n = n_long = 0

    def put(sheet_row: int, vals) -> bool:
        """Stage one sheet row (a blank one with no values); write a batch when one is full. Says whether the
        row has cells right of the header."""
        extra = list(vals[width:])
        while extra and extra[-1] is None:
            extra.pop()
        for i in range(width):
            buf[i].append(vals[i] if i < len(vals) else None)
        # cells right of the header are kept (a row-shape finding), never dropped
        over.append("\t".join(v or "" for v in extra) if extra else None)
        shape.append(width + len(extra) if extra else None)
        nums.append(sheet_row - header_row)      # data row k is the sheet's row (header's row + k), as in Excel
        if len(nums) >= BATCH:
            writer.write_batch(pa.record_batch(buf + [over, shape, nums], schema=schema))
            for x in (*buf, over, shape, nums):
                x.clear()
            if progress:
                progress(f"{name}: {n:,} rows")
        return bool(extra)

    # a blank row between records is a row the reader sees: staged empty, it goes to the ledger as an empty
    # row like a CSV's blank line (it had vanished: read 5,515 of a sheet's 5,519 rows, none rejected).
    # Blank rows after the last record are the sheet's formatted end, no rows, as a CSV's trailing lines.
    # A long run of blank rows is written batch by batch as it is put, never held whole.
    pending: list[int] = []
    for sheet_row, r in rows:
        if not _any(r):
            pending.append(sheet_row)
            continue
        for b in pending:
            n += 1
            put(b, ())
        pending = []
        n += 1
        n_long += put(sheet_row, [_cell(v) for v in r])
    if nums:
        writer.write_batch(pa.record_batch(buf + [over, shape, nums], schema=schema))
    writer.close()
    notes.insert(0, f"sheet '{ws.title}'")
    if titles:
        notes.insert(1, title_note(header_row, titles))
    # a workbook's other sheets are not read: said (report, page), so a list of synonyms on sheet 2 is not taken as checked
    others = [s for s in wb.sheetnames if s != ws.title]
    sibling = _sibling_ids(wb, ws, raw, workdir / f"{path.stem[:40]}.xlsx.ids.parquet") if others else None
    if sibling is not None:
        notes.append(f"the taxon IDs of sheet(s) {', '.join(f'“{x}”' for x in sibling[1])} ({sibling[2]:,}) are read "
                     "to resolve the accepted name IDs (acceptedNameUsageID) of this sheet's rows")
    if n_long:
        notes.append(f"{n_long:,} rows have cells right of the header: kept in the column \"{t('ann_overflow_cells', 'en')}\" (overflow_cells)")
    return StagedSource(path=path, staged=staged, rejects=None, rows_staged=n, rows_rejected=0,
                        columns=header, format="xlsx", notes=notes, has_shape=True,
                        sheets={"read": ws.title, "not_read": others}, sibling_ids=sibling[0] if sibling else None)


def _mapped(cells, term: str) -> list[int]:
    """The positions of a header row's cells that the alias table maps to Darwin Core `term`."""
    from .aliases import lookup
    return [i for i, c in enumerate(cells) if c is not None and str(c).strip() and lookup(str(c))[0] == term]


def _sibling_ids(wb, ws, header: list, target: Path):
    """When the sheet read names each row's accepted taxon by ID (a column mapped to acceptedNameUsageID:
    TaiCOL's synonyms sheet, acceptedNamecode), the taxon IDs (a column mapped to taxonID: namecode) of the
    workbook's other sheets, where the accepted names are (its 'accepted names' sheet), written to `target`
    (Parquet, column id). Returns (target, the sheets read for them, how many IDs), or None when the sheet
    names no accepted ID or no other sheet gives IDs. Only that one column of each other sheet is kept."""
    if not _mapped(header, "acceptedNameUsageID"):
        return None
    ids: list[str] = []
    used: list[str] = []
    for other in wb.worksheets:
        if other.title == ws.title:
            continue
        rows = other.iter_rows(values_only=True)
        first, cells, h = _head(rows)
        if not first:
            continue
        cols = _mapped(cells[h], "taxonID")
        if not cols:
            continue
        c = cols[0]
        used.append(other.title)
        for r in itertools.chain(first[h + 1:], rows):
            v = _cell(r[c]) if c < len(r) else None
            if v is not None:
                ids.append(v.strip())
    if not used:
        return None
    pq.write_table(pa.table({"id": pa.array(ids, pa.string())}), target)
    return target, used, len(ids)
