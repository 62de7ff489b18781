"""Darwin Core Archives: a zip with meta.xml naming the core and extension files and their terms.

The core is staged with its term names as headers. When the core is an Event and an Occurrence
extension is present (as in BBS Taiwan), the occurrences are the records, each joined to its
event's fields by the core id, so every occurrence carries its event's date and place.

meta.xml is parsed with defusedxml (no entities, no external references) and every file it
names is checked by archive.member_name before it is read, so a `../` or absolute location can
never make a host file the core. Term names reach SQL only through duck.ident.
"""
from __future__ import annotations

from pathlib import Path

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException
from xml.etree.ElementTree import ParseError

from .. import duck
from . import archive
from .base import SourceError, StagedSource
from .text import stage_text

NS = "{http://rs.tdwg.org/dwc/text/}"
MAX_INDEX = 2000


def _unescape(s: str | None, default: str) -> str:
    if s is None:
        return default
    return s.replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r") or default


def _bad(arc: str, en: str, zh: str) -> SourceError:
    return SourceError(f"{arc}: meta.xml {en}", f"{arc}：meta.xml {zh}")


def _index(v: str | None, arc: str, what: str) -> int:
    try:
        i = int((v or "").strip())
    except ValueError:
        raise _bad(arc, f"gives {what} index '{(v or '')[:20]}', which is not a number",
                   f"的 {what} 欄位序號「{(v or '')[:20]}」不是數字。") from None
    if not 0 <= i <= MAX_INDEX:
        raise _bad(arc, f"gives {what} index {i}, outside 0–{MAX_INDEX}", f"的 {what} 欄位序號 {i} 超出範圍。")
    return i


def _spec(el, arc: str) -> dict:
    files = el.find(f"{NS}files")
    loc = files.find(f"{NS}location") if files is not None else None
    if loc is None or not (loc.text or "").strip():
        raise _bad(arc, "has a core or extension without <files><location>", "的核心或延伸檔缺少 <files><location>。")
    fields = {}
    for f in el.findall(f"{NS}field"):
        if f.get("index") is None:
            continue      # a constant (default=) field: no column in the file
        term = (f.get("term") or "").strip()
        if not term:
            raise _bad(arc, f"has a field (index {f.get('index')}) without a term", f"有欄位（序號 {f.get('index')}）沒有 term。")
        fields[_index(f.get("index"), arc, "field")] = term.rsplit("/", 1)[-1]
    idx = el.find(f"{NS}id") if el.find(f"{NS}id") is not None else el.find(f"{NS}coreid")
    delim = _unescape(el.get("fieldsTerminatedBy"), ",")
    if len(delim) != 1:
        raise _bad(arc, f"gives fieldsTerminatedBy '{delim[:10]}'; one character is expected",
                   f"的 fieldsTerminatedBy「{delim[:10]}」應為單一字元。")
    try:
        header = int(el.get("ignoreHeaderLines", "0") or 0) > 0
    except ValueError:
        raise _bad(arc, "gives a non-numeric ignoreHeaderLines", "的 ignoreHeaderLines 不是數字。") from None
    return {"location": loc.text.strip(), "rowType": el.get("rowType", "").rsplit("/", 1)[-1],
            "delim": delim, "header": header, "encoding": el.get("encoding", "UTF-8"), "fields": fields,
            "id_index": _index(idx.get("index"), arc, "id") if idx is not None else None}


def _names(spec: dict, n_cols: int, idname: str) -> list[str]:
    names = []
    for i in range(max(n_cols, max(spec["fields"], default=-1) + 1)):
        if i in spec["fields"]:
            names.append(spec["fields"][i])
        elif i == spec["id_index"]:
            names.append(idname)
        else:
            names.append(f"column_{i + 1}")
    return names


def stage_dwca(path: Path, workdir: Path, progress=None, number_on_read: bool = False) -> StagedSource:
    """A Darwin Core Archive: its core staged, an event core joined to its occurrence extension.
    `number_on_read` (stage_text): for a core read alone (the join reads the staged files as they are)."""
    path = Path(path)
    arc = path.name
    zf = archive.open_zip(path)
    try:
        meta = DET.fromstring(archive.read_small(zf, archive.member_name(zf, "meta.xml", arc), arc))
    except (ParseError, DefusedXmlException, ValueError) as e:
        raise _bad(arc, f"cannot be read ({type(e).__name__}: malformed, or uses entities/DTDs, which are refused)",
                   "無法解析（格式錯誤，或含實體／DTD 宣告而被拒絕）。") from e
    core = meta.find(f"{NS}core")
    if core is None:
        raise _bad(arc, "names no core file", "沒有指定核心檔（<core>）。")
    core_spec = _spec(core, arc)
    ext_specs = [_spec(e, arc) for e in meta.findall(f"{NS}extension")]
    out = workdir / f"{path.stem[:40]}_dwca"
    out.mkdir(exist_ok=True)

    event_join = core_spec["rowType"] == "Event" and any(s["rowType"] == "Occurrence" for s in ext_specs)

    def stage(spec, idname, numbered=False):
        member = archive.member_name(zf, spec["location"], arc)
        f = archive.extract(zf, member, out, arc)
        # count columns from the first line so unnamed columns keep a name too
        with open(f, "rb") as fh:
            first = fh.readline(1 << 20).decode("utf-8-sig", "replace").rstrip("\r\n")
        names = _names(spec, len(first.split(spec["delim"])), idname)
        key = names[spec["id_index"]] if spec["id_index"] is not None and spec["id_index"] < len(names) else None
        st = stage_text(f, out, delimiter=spec["delim"], header=spec["header"], names=names,
                        encoding="utf-8" if spec["encoding"].lower().replace("-", "") == "utf8" else None,
                        fmt="dwca", progress=progress, display_name=f"{arc}:{member}", number_on_read=numbered)
        f.unlink(missing_ok=True)
        if key is not None:
            key = st.columns[names.index(key)]     # as cleaned (e.g. a term named source_row)
        st.path = path                             # records and counts belong to the archive
        return key, st

    core_key, core_st = stage(core_spec, "id", numbered=number_on_read and not event_join)
    occ_ext = [s for s in ext_specs if s["rowType"] == "Occurrence"]
    if core_spec["rowType"] == "Event" and occ_ext:
        ext_key, ext_st = stage(occ_ext[0], "coreid")
        if not core_key or not ext_key:
            raise _bad(arc, "gives no id/coreid column to join the occurrences to their events",
                       "沒有 id／coreid 欄位，無法把出現紀錄連到其調查事件。")
        con = duck.connect(spatial=False)
        duck.limit(con, workdir / "spill")
        ecols = [c for c in core_st.columns if c not in ext_st.columns]
        sel_e = ", ".join(f"e.{duck.ident(c)}" for c in ecols)
        joined = out / "joined.staged.parquet"
        shape = "o.overflow_cells, o.row_cells"
        con.execute(f"""COPY (SELECT o.* EXCLUDE (source_row, overflow_cells, row_cells), {sel_e}{', ' if sel_e else ''}{shape}, o.source_row
            FROM read_parquet({duck.q(ext_st.staged)}) o
            LEFT JOIN read_parquet({duck.q(core_st.staged)}) e ON e.{duck.ident(core_key)} = o.{duck.ident(ext_key)}
            ORDER BY o.source_row) TO {duck.q(joined)} (FORMAT parquet)""")
        orphans = con.execute(f"""SELECT count(*) FROM read_parquet({duck.q(ext_st.staged)}) o
            ANTI JOIN read_parquet({duck.q(core_st.staged)}) e ON e.{duck.ident(core_key)} = o.{duck.ident(ext_key)}""").fetchone()[0]
        con.close()
        notes = [f"event core ({core_st.rows_staged:,} events) joined to occurrence extension"] + ext_st.notes
        if core_st.rows_rejected:
            notes.append(f"{core_st.rows_rejected:,} event rows could not be read (their occurrences lack the event's fields)")
        if orphans:
            notes.append(f"{orphans:,} occurrences name an event the core does not hold")
        return StagedSource(path=path, staged=joined, rejects=ext_st.rejects, rows_staged=ext_st.rows_staged,
                            rows_rejected=ext_st.rows_rejected, columns=ext_st.columns + ecols, format="dwca",
                            encoding=ext_st.encoding, delimiter=ext_st.delimiter, notes=notes, has_shape=True)
    core_st.notes.append(f"core rowType {core_spec['rowType'] or '?'}; {len(ext_specs)} extension(s) not joined")
    return core_st
