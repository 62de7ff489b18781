"""Darwin Core Archives: a zip with meta.xml naming the core and extension files and their terms.

The core is staged with its term names as headers. When the core is an Event and an Occurrence
extension is present (as in BBS Taiwan), the occurrences are the records, each joined to its
event's fields by the core id, so every occurrence carries its event's date and place.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from .. import duck
from .base import SourceError, StagedSource
from .text import stage_text

NS = "{http://rs.tdwg.org/dwc/text/}"


def _unescape(s: str | None, default: str) -> str:
    if s is None:
        return default
    return s.replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r") or default


def _spec(el) -> dict:
    files = el.find(f"{NS}files")
    loc = files.find(f"{NS}location").text.strip()
    fields = {}
    for f in el.findall(f"{NS}field"):
        if f.get("index") is not None:
            fields[int(f.get("index"))] = f.get("term").rsplit("/", 1)[-1]
    idx = el.find(f"{NS}id") if el.find(f"{NS}id") is not None else el.find(f"{NS}coreid")
    return {"location": loc, "rowType": el.get("rowType", "").rsplit("/", 1)[-1],
            "delim": _unescape(el.get("fieldsTerminatedBy"), ","),
            "header": int(el.get("ignoreHeaderLines", "0") or 0) > 0,
            "encoding": el.get("encoding", "UTF-8"), "fields": fields,
            "id_index": int(idx.get("index")) if idx is not None else None}


def _names(spec: dict, n_cols: int, idname: str) -> list[str]:
    names = []
    for i in range(n_cols):
        if i in spec["fields"]:
            names.append(spec["fields"][i])
        elif i == spec["id_index"]:
            names.append(idname)
        else:
            names.append(f"column_{i + 1}")
    return names


def stage_dwca(path: Path, workdir: Path, progress=None) -> StagedSource:
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
        meta = ET.fromstring(zf.read("meta.xml"))
    except (zipfile.BadZipFile, KeyError, ET.ParseError) as e:
        raise SourceError(f"{path.name}: not a Darwin Core Archive (zip with a readable meta.xml): {e}") from e
    core = meta.find(f"{NS}core")
    if core is None:
        raise SourceError(f"{path.name}: meta.xml names no core file")
    core_spec = _spec(core)
    ext_specs = [_spec(e) for e in meta.findall(f"{NS}extension")]
    out = workdir / (path.stem + "_dwca")
    out.mkdir(exist_ok=True)

    def stage(spec, idname):
        member = spec["location"]
        try:
            zf.extract(member, out)
        except KeyError as e:
            raise SourceError(f"{path.name}: meta.xml names {member}, which the archive does not hold") from e
        f = out / member
        # count columns from the first line so unnamed columns keep a name too
        with open(f, "rb") as fh:
            first = fh.readline().decode("utf-8-sig", "replace").rstrip("\r\n")
        n_cols = len(first.split(spec["delim"]))
        names = _names(spec, n_cols, idname)
        key = names[spec["id_index"]] if spec["id_index"] is not None else None
        return key, stage_text(f, out, delimiter=spec["delim"], header=spec["header"], names=names,
                          encoding="utf-8" if spec["encoding"].lower().replace("-", "") == "utf8" else None,
                          fmt="dwca", progress=progress)

    core_key, core_st = stage(core_spec, "id")
    occ_ext = [s for s in ext_specs if s["rowType"] == "Occurrence"]
    if core_spec["rowType"] == "Event" and occ_ext:
        ext_key, ext_st = stage(occ_ext[0], "coreid")
        if not core_key or not ext_key:
            raise SourceError(f"{path.name}: meta.xml gives no id/coreid column to join the occurrences to their events")
        con = duck.connect(spatial=False)
        ecols = [c for c in core_st.columns if c not in ext_st.columns]
        sel_e = ", ".join(f'e."{c}"' for c in ecols)
        joined = out / "joined.staged.parquet"
        con.execute(f"""COPY (SELECT o.* EXCLUDE (source_row), {sel_e}{', ' if sel_e else ''}o.source_row
            FROM read_parquet({duck.q(ext_st.staged)}) o
            LEFT JOIN read_parquet({duck.q(core_st.staged)}) e ON e."{core_key}" = o."{ext_key}"
            ORDER BY o.source_row) TO {duck.q(joined)} (FORMAT parquet)""")
        orphans = con.execute(f"""SELECT count(*) FROM read_parquet({duck.q(ext_st.staged)}) o
            ANTI JOIN read_parquet({duck.q(core_st.staged)}) e ON e."{core_key}" = o."{ext_key}" """).fetchone()[0]
        con.close()
        notes = [f"event core ({core_st.rows_staged:,} events) joined to occurrence extension"]
        if orphans:
            notes.append(f"{orphans:,} occurrences name an event the core does not hold")
        return StagedSource(path=path, staged=joined, rejects=ext_st.rejects, rows_staged=ext_st.rows_staged,
                            rows_rejected=ext_st.rows_rejected, columns=ext_st.columns + ecols, format="dwca",
                            encoding=ext_st.encoding, delimiter=ext_st.delimiter, notes=notes)
    core_st.notes.append(f"core rowType {core_spec['rowType'] or '?'}; {len(ext_specs)} extension(s) not joined")
    return core_st
