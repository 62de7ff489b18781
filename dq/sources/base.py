"""What every reader hands to the snapshot: a staged Parquet of the source's own columns.

A reader never loads a big file into pandas. It stages the rows (all text, original headers,
plus `source_row`, the 1-based data row) into a Parquet file through DuckDB or Arrow batches,
and lists rows it could not parse, each with a reason, so read = staged + rejected.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path


class SourceError(Exception):
    """Input that cannot be read at all: the message is shown to the user as one line."""


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
    # columns that hold constant values for every row (e.g. a DwC-A event core joined in)
    constants: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def rows_read(self) -> int:
        return self.rows_staged + self.rows_rejected
