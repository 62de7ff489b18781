"""What every reader hands to the snapshot: a staged Parquet of the source's own columns.

A reader never loads a big file into pandas. It stages the rows (all text, original headers,
plus `source_row`, the 1-based data row) into a Parquet file through DuckDB or Arrow batches,
and lists rows it could not parse, each with a reason, so read = staged + rejected.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path


class SourceError(Exception):
    """A failure the user caused (a file, an option): one sentence in English and one in zh-TW.

    `str(e)` is the English sentence; `e.zh` the zh-TW one. Neither names a server path: only
    the file's own name, the row or the archive member. The CLI exits 2 on it and the pages
    show `e.zh` / `str(e)`, never a traceback.
    """

    def __init__(self, en: str, zh: str | None = None):
        super().__init__(en)
        self.en = en
        self.zh = zh or f"輸入有誤：{en}"

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


# Columns the tool adds to staged and annotated files; a file's own column of that name is
# renamed (kept, never dropped or overwritten).
RESERVED = {"source_row", "record_id", "overflow_cells", "row_cells"}
RESERVED_PREFIX = "dq_"
MAX_HEADER = 200


# A table's first filled rows are looked at to find its header: a title above it ("97-105年度兩棲類調查",
# a date line; in a workbook often a merged cell) fills one or two cells where the header fills many.
LOOK = 10


def header_at(rows: list[list]) -> int:
    """The index, among a table's first filled rows (their cells), of its header row: the first that
    names a column this tool knows (學名, 經度 …), else the first that fills at least half as many cells
    as the fullest, rows of at most two cells before it being titles. A one- or two-column table keeps
    its first row."""
    filled = [sum(c is not None and bool(str(c).strip()) for c in r) for r in rows]
    top = max(filled)
    for i, (r, c) in enumerate(zip(rows, filled)):
        if c and (c * 2 >= top or c > 2 or known_header(r)):
            return i
    return 0


def known_header(cells) -> bool:
    """A cell of the row is a header the alias table knows (a two-column sheet's 學名 | 中文名)."""
    from .aliases import _LOOKUP, norm_header
    return any(norm_header(str(c)) in _LOOKUP for c in cells if c is not None and str(c).strip())


def title_note(row: int, titles: list[list]) -> str:
    """The reading note for the title rows (their cells) above a header on `row`: each title on one
    line whatever its cells held (a merged cell's Alt+Enter line break)."""
    lines = [x for x in (" ".join(" ".join(str(c).split()) for c in r if c is not None and str(c).strip()) for r in titles) if x]
    if not lines:     # only empty cells above the header (",,,,": a blank top row)
        return f"header on row {row}; the blank row(s) above it are skipped"
    return f"header on row {row}; the row(s) above it read as a title, not data: " + " / ".join(x[:80] for x in lines)


def clean_headers(raw: list) -> tuple[list[str], list[str]]:
    """File header cells → column names safe to quote (see duck.ident), unique and not ours.

    Returns the names and notes saying what was renamed. Runs on the header row only.
    """
    names: list[str] = []
    notes: list[str] = []
    blank: list[int] = []
    for i, h in enumerate(raw):
        orig = "" if h is None else str(h)
        s = "".join(ch if ord(ch) >= 32 else " " for ch in orig.replace("\ufeff", "")).strip()
        if len(s) > MAX_HEADER:
            s = s[:MAX_HEADER]
            notes.append(f"header {i + 1} is longer than {MAX_HEADER} characters: cut")
        if not s:
            # a heading of ours stands in for it: said, or the mapping table showed "column_27" unexplained (a walk)
            s = f"column_{i + 1}"
            blank.append(i + 1)
        if s in RESERVED or s.lower().startswith(RESERVED_PREFIX):
            notes.append(f"header '{s}' is a name this tool uses itself: kept as 'file_{s}'")
            s = f"file_{s}"
        names.append(s)
    # one note for them all: an export's dozens of trailing empty columns gave a note each (a review)
    if len(blank) == 1:
        notes.append(f"column {blank[0]} has no header: shown as 'column_{blank[0]}'")
    elif blank:
        notes.append(f"{len(blank)} columns have no header (columns {blank[0]}–{blank[-1]}): shown as 'column_<n>'")
    # SQL names are case-blind: 'a' and 'A' are the same column to DuckDB
    seen: dict[str, int] = {}
    taken = {n.lower() for n in names}
    for i, s in enumerate(names):
        key = s.lower()
        if key in seen:
            k = seen[key] + 1
            while f"{s}_{k}".lower() in taken:
                k += 1
            seen[key] = k
            names[i] = f"{s}_{k}"
            taken.add(names[i].lower())
            notes.append(f"header '{s}' repeats: column {i + 1} kept as '{names[i]}'")
        else:
            seen[key] = 1
    return names, notes


@dataclasses.dataclass
class StagedSource:
    path: Path                      # the original file
    staged: Path                    # Parquet: original columns as VARCHAR + source_row
    rejects: Path | None            # Parquet: source_row, raw, reason (or None when none)
    rows_staged: int
    rows_rejected: int
    columns: list[str]              # original headers, in order
    format: str                     # csv, xlsx, dwca, gbif-parquet, parquet
    table: str = "occurrence"       # which 生態檢核 table the rows belong to
    encoding: str | None = None
    delimiter: str | None = None
    header: bool = True
    notes: list[str] = dataclasses.field(default_factory=list)
    has_shape: bool = False         # staged file carries row_cells and overflow_cells (ragged rows, #10)
    # columns that hold constant values for every row (e.g. a DwC-A event core joined in)
    constants: dict[str, str] = dataclasses.field(default_factory=dict)
    # how the staged file reads as staged rows: None, as it is; a list, a Parquet input kept as it is
    # (sources/parquet.py); {"skip": n}, a delimited file's rows numbered when read (sources/text.py)
    cast: list | dict | None = None
    # a workbook: the sheet read and the sheets not read (sources/xlsx.py)
    sheets: dict | None = None
    # a workbook sheet whose rows name their accepted taxon by ID (TaiCOL's synonyms sheet: acceptedNamecode):
    # Parquet of the IDs (taxonID) the workbook's other sheets give, column `id` (TAXON_ACCEPTED_ID_UNKNOWN)
    sibling_ids: Path | None = None

    @property
    def relation(self) -> str:
        """SQL: the staged rows (columns as text, source_row), whichever way they are kept."""
        return staged_relation(self.staged, self.cast, self.columns)

    @property
    def rows_read(self) -> int:
        return self.rows_staged + self.rows_rejected


def sampled_rows(row: str, step: int) -> str:
    """SQL: the rows of a sample every `step`-th by a hash of the row number `row` (mapping._sample; a kept
    Parquet input tests it as its rows are read: parquet.relation)."""
    return f"hash({row}) % {int(step)} = 0"


class Relation(str):
    """A kept Parquet input's relation SQL (a str), which can also give a sample of its rows tested as they are read."""

    def __new__(cls, sql: str, path: Path, cast: list, columns: list[str], raw: bool):
        r = super().__new__(cls, sql)
        r._args = (path, cast, columns, raw)
        return r

    def sampled(self, step: int) -> str:
        """SQL: the rows whose hash(source_row) % step is 0 (mapping._sample), tested before the casts."""
        from .parquet import relation
        path, cast, columns, raw = self._args
        return relation(path, cast, columns, raw=raw, step=int(step))


def staged_relation(path: Path, cast: list | dict | None, columns: list[str], raw: bool = False) -> str:
    """SQL: a staged file, or a kept Parquet input read through its `cast` as one (parquet.relation),
    or a delimited file's rows as read ({"skip": n}: its first n rows are its title and header lines,
    a row's number is its place after them)."""
    from .. import duck
    if cast is None:
        return f"read_parquet({duck.q(path)})"
    if isinstance(cast, dict):
        skip = int(cast["skip"])
        return (f"(SELECT * EXCLUDE (file_row_number), (file_row_number + {1 - skip})::BIGINT AS source_row "
                f"FROM read_parquet({duck.q(path)}, file_row_number=true) WHERE file_row_number >= {skip})")
    from .parquet import relation
    # `raw`: with each DOUBLE column also as the number (the canonical view's number parts, the blank-row
    # test); never where the file's own columns are shown (an annotated file, a record's cells)
    return Relation(relation(path, cast, columns, raw=raw), path, cast, columns, raw)
