"""Readers: any supported file → a StagedSource (see base.py). `stage()` picks the reader."""
from __future__ import annotations

import zipfile
from pathlib import Path

from .base import SourceError, StagedSource
from .dwca import stage_dwca
from .parquet import stage_parquet
from .text import stage_text
from .xlsx import stage_xlsx

__all__ = ["SourceError", "StagedSource", "stage", "detect_table"]


def stage(path, workdir: Path, progress=None, **opts) -> StagedSource:
    path = Path(path)
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    if path.is_dir():
        raise SourceError(f"{path}: is a folder, not a file")
    if path.stat().st_size == 0:
        raise SourceError(f"{path.name}: the file is empty")
    with open(path, "rb") as f:
        magic = f.read(4)
    suffix = path.suffix.lower()
    if magic == b"PAR1":
        st = stage_parquet(path, workdir, progress)
    elif magic[:2] == b"PK":
        names = zipfile.ZipFile(path).namelist() if zipfile.is_zipfile(path) else []
        if "meta.xml" in names:
            st = stage_dwca(path, workdir, progress)
        elif any(n.startswith("xl/") for n in names):
            st = stage_xlsx(path, workdir, sheet=opts.get("sheet"), progress=progress)
        elif len([n for n in names if not n.endswith("/")]) == 1:
            # a GBIF 'simple' download: one tab-delimited file inside a zip
            member = names[0]
            out = workdir / (path.stem + "_zip")
            out.mkdir(exist_ok=True)
            zipfile.ZipFile(path).extract(member, out)
            st = stage_text(out / member, workdir, progress=progress)
            st.path = path
        else:
            raise SourceError(f"{path.name}: a zip that is neither a Darwin Core Archive (no meta.xml) nor XLSX")
    elif suffix in (".xls",):
        raise SourceError(f"{path.name}: old binary .xls is not supported; save it as .xlsx or CSV")
    else:
        st = stage_text(path, workdir, delimiter=opts.get("delimiter"), header=opts.get("header"),
                        encoding=opts.get("encoding"), progress=progress)
    st.table = detect_table(st.columns)
    return st


def detect_table(columns: list[str]) -> str:
    """Which 生態檢核 table a file is, from its mapped headers."""
    from .. import standard
    from .aliases import map_headers

    terms = set(map_headers(columns).values())
    if {"engineeringBudget", "engineeringType", "engineeringStage", "contractor"} & terms:
        return standard.PROJECT
    if {"concernedSpecie", "ecoFriendlyArea", "reference"} & terms and not (
            {"decimalLatitude", "verbatimLatitude", "eventDate"} & terms):
        return standard.SPECIES_LIST
    return standard.OCCURRENCE
