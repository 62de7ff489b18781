"""Readers: any supported file → a StagedSource (see base.py). `stage()` picks the reader."""
from __future__ import annotations

from pathlib import Path

from . import archive
from .base import SourceError, StagedSource
from .dwca import stage_dwca
from .parquet import stage_parquet
from .text import stage_text
from .xlsx import stage_xlsx

__all__ = ["SourceError", "StagedSource", "stage", "detect_table", "table_from_terms"]


def stage(path, workdir: Path, progress=None, **opts) -> StagedSource:
    path = Path(path)
    name = path.name      # messages name the file as the user knows it, never a server path
    if not path.exists():
        raise SourceError(f"{name}: no such file", f"{name}：找不到這個檔案。")
    if path.is_dir():
        raise SourceError(f"{name}: is a folder, not a file", f"{name}：是資料夾，不是檔案。")
    if not path.is_file():
        raise SourceError(f"{name}: is not a regular file", f"{name}：不是一般檔案。")
    if path.stat().st_size == 0:
        raise SourceError(f"{name}: the file is empty", f"{name}：檔案是空的。")
    with open(path, "rb") as f:
        magic = f.read(4)
    suffix = path.suffix.lower()
    if magic == b"PAR1":
        st = stage_parquet(path, workdir, progress, keep_input=bool(opts.get("keep_parquet")))
    elif magic[:2] == b"PK":
        zf = archive.open_zip(path)          # refuses unsafe members and bombs before anything is read
        names = zf.namelist()
        files = [n for n in names if not n.endswith("/")]
        if "meta.xml" in names:
            st = stage_dwca(path, workdir, progress, number_on_read=bool(opts.get("number_on_read")))
        elif any(n.startswith("xl/") for n in names):
            st = stage_xlsx(path, workdir, sheet=opts.get("sheet"), progress=progress)
        elif len(files) == 1:
            # a GBIF 'simple' download: one tab-delimited file inside a zip, streamed out under our own name
            member = files[0]
            f = archive.extract(zf, member, workdir / f"{path.stem[:40]}_zip", name)
            st = stage_text(f, workdir, progress=progress, display_name=f"{name}:{member}",
                            number_on_read=bool(opts.get("number_on_read")))
            f.unlink(missing_ok=True)
            st.path = path
        else:
            raise SourceError(f"{name}: a zip that is neither a Darwin Core Archive (no meta.xml), XLSX, nor one data file",
                              f"{name}：這個 zip 不是 Darwin Core Archive（沒有 meta.xml）、XLSX，也不是只含一個資料檔。")
    elif suffix in (".xls",):
        raise SourceError(f"{name}: old binary .xls is not supported; save it as .xlsx or CSV",
                          f"{name}：不支援舊版 .xls，請另存為 .xlsx 或 CSV。")
    else:
        st = stage_text(path, workdir, delimiter=opts.get("delimiter"), header=opts.get("header"),
                        encoding=opts.get("encoding"), progress=progress, number_on_read=bool(opts.get("number_on_read")))
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


# Terms that only a record of an occurrence has: where, when, what was counted, by whom.
OCCURRENCE_ONLY = {"decimalLatitude", "decimalLongitude", "verbatimLatitude", "verbatimLongitude", "eventDate", "year",
                   "month", "day", "verbatimEventDate", "eventID", "occurrenceID", "basisOfRecord", "organismQuantity",
                   "individualCount", "recordedBy", "locality", "verbatimLocality", "municipality", "stateProvince",
                   "dwc_county", "occurrenceStatus", "habitat", "samplingProtocol"}


def table_from_terms(terms: set[str], detected: str) -> str:
    """The table kind once the columns are mapped (by header and values): a file of names with no
    place, date or count (a TaiCOL export, a survey's species list) is a species list, not
    occurrences every one of which lacks a point and a date."""
    from .. import standard
    from ..profiles import TAXON_TERMS
    if detected == standard.OCCURRENCE and TAXON_TERMS & terms and not OCCURRENCE_ONLY & terms:
        return standard.SPECIES_LIST
    return detected
