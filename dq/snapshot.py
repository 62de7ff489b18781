"""Dated, immutable snapshots: sources → canonical records → checks → Parquet, atomically.

`ingest()` builds everything in a temporary folder beside the target and renames it into place
only when complete, so an interrupted ingest leaves no half snapshot and never touches the
existing ones. Layout of `<root>/<YYYY-MM-DD>/`:
  occurrence.parquet  canonical verbatim columns + record_id, agency, dataset_id, source_file,
                      source_row + derived (lat, lon, coord_source, county, town, h3_r7, taxon
                      match, event_date_parsed) + per-record error/warning summary
                      (layout 2: the canonical columns no source has are left out; layout 3:
                      besides, the derived columns are replaced by the record's keys into
                      lookup_<table>.parquet, one row per distinct point, place, name, date,
                      quantity …; read the records with store.records_sql, which joins them back)
                      (layout 4: besides, the check masks replace the per-record summary, and
                      what a source sets once is kept once: lookup_rsum, lookup_src)
                      (layout 5: besides, no verbatim text: the canonical columns, `extra` and the
                      row shape are read from source_<i>.parquet, joined on the source row)
  source_<i>.parquet  layout 5: source i's rows as staged (every cell as text under the file's own
                      cleaned headers, source_row), kept once; the manifest's per-source
                      "canonical" mapping says how they become canonical columns (canonical_sql).
                      A Parquet input of text columns is this file byte for byte, read through the
                      mapping's "cast" (sources/parquet.relation: cleaned names, source_row); a
                      delimited file's is its reading pass's file, title and header lines first,
                      its rows numbered as read (cast {"skip": n}, sources/base.staged_relation)
  lookup_*.parquet    layout 3: the derived columns, once per distinct key
  flags.parquet       record_id, check_id, suggestion (zh-TW), suggestion_en
  rejected.parquet    source_file, source_row, raw, reason
  bdq.parquet, bdq_g<i>.parquet  TDWG BDQ answers: per record its combination ids, per combination
                      the answers (read with checks.bdq.records_sql)
  agg_*.parquet       aggregates for the pages
  manifest.json       sources (sha256, format, counts), rows_read/ingested/rejected, versions, time,
                      layout and the record columns (all, omitted)
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import resource
import platform
import re
import shutil
import sys
import threading
import time
from pathlib import Path

import duckdb

from . import __version__, duck, engine, geo, profiles, standard, workdirs
from .checks import NUM_TERMS, blank, catalogue, cells_sql, num_part
from .paths import DATE_RX, SNAPSHOTS, list_snapshots  # noqa: F401  (list_snapshots re-exported)
from .sources import SourceError, StagedSource, stage, table_from_terms
from .sources.aliases import CANONICAL, norm_header, srs_implied_by_headers
from .sources.base import staged_relation
from .sources.parquet import raw_columns
from .sources.mapping import names_column, plan_columns, record_id_column

MEMORY_LIMIT = duck.DEFAULT_MEMORY_LIMIT
LAYOUT = 5     # manifest "layout": how occurrence.parquet is laid out (see build's manifest)


@dataclasses.dataclass
class SourceSpec:
    path: Path
    agency: str | None = None
    dataset: str | None = None
    dataset_name: str | None = None
    column_map: dict[str, str] = dataclasses.field(default_factory=dict)   # --map SRC=TERM
    defaults: dict[str, str] = dataclasses.field(default_factory=dict)     # --default TERM=VALUE
    table: str | None = None    # force a 生態檢核 table kind
    profile: str | None = None  # --profile: the yardstick (dq/profiles.py); inferred from the columns when None
    sheet: str | None = None    # --sheet: a workbook's sheet to read (default: the first)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


_ident = duck.ident    # the one quoting helper (checked names, `"` doubled)


def _lit(v: str) -> str:
    return "'" + str(v).replace("'", "''") + "'"


def source_mapping(st: StagedSource, spec: SourceSpec) -> tuple[dict, dict]:
    """How a staged source becomes canonical records, as plain data (no SQL): which header is which
    term, the --default values, the values a header implies, the --agency/--dataset options, the
    table kind, profile and SRS. The manifest keeps it per source ("canonical"), so a reader of a
    layout-5 snapshot builds the same canonical view (canonical_sql) from the same data.
    Returns the mapping and what else the build and the manifest want to know."""
    for term in spec.column_map.values():
        if term not in CANONICAL:
            raise SourceError(f"--map names '{term}', which is not a known term (see README: canonical columns)",
                              f"--map 指定的「{term}」不是已知的欄位名稱（見 README 的標準欄位）。")
    plan = plan_columns(st.relation, st.columns, spec.column_map)
    mapping = plan.mapping
    srs_hdr = srs_implied_by_headers(mapping)
    dsname = spec.dataset_name or spec.dataset or st.path.stem
    if not spec.table and spec.profile in (None, profiles.CHECKLIST):
        # names alone are a species list; a user's --profile checklist judges any file as one
        st.table = standard.SPECIES_LIST if spec.profile else table_from_terms(set(mapping.values()), st.table)
    table = spec.table or st.table
    # the profile comes from the file's own columns (with --map), never from --default values
    try:
        profile, reason = profiles.choose(spec.profile, set(mapping.values()), table, set(spec.defaults),
                                          names_in=lambda: names_column(st.relation, [h for h in st.columns if h not in mapping]))
    except ValueError as e:
        raise SourceError(f"{st.path.name}: {e}") from e
    if not spec.column_map or "id" not in {norm_header(h) for h in spec.column_map}:
        record_id_column(plan, st.columns, profile, st.relation, st.format)
    # what a check can see: the file's columns, --default values, and what the tool fills in itself
    present = set(mapping.values()) | set(spec.defaults) | {"datasetName"} | ({"datasetID"} if spec.dataset else set()) \
        | ({"srs_from_header"} if srs_hdr else set())
    judged, file_level = profiles.scope(profile, table, present)
    c = {"columns": list(st.columns), "mapped": dict(mapping), "defaults": dict(spec.defaults),
         "constants": dict(plan.constants), "agency": spec.agency, "dataset": spec.dataset, "dataset_name": dsname,
         "file_name": st.path.name, "file_stem": st.path.stem, "table": table, "profile": profile,
         "srs_from_header": srs_hdr or None, "has_shape": bool(st.has_shape), "cast": st.cast}
    extra = [h for h in st.columns if h not in mapping]
    info = {"columns_mapped": mapping, "columns_extra": extra, "columns_plan": plan.rows, "srs_from_header": srs_hdr,
            "empty_where": empty_sql(c), "profile": profile, "profile_reason": reason, "checks_record_level": judged,
            "checks_file_level": file_level, "absent": absent_terms(c), "canonical": c,
            # the values set once for the whole file (engine.PER_SOURCE), in that order
            "per_source": [dsname, st.path.name, table, profile, srs_hdr or None]}
    return c, info


def _term_sources(c: dict) -> dict[str, str]:
    """term → the SQL of its value (over the staged columns), for every canonical term."""
    by_term = {t: h for h, t in c["mapped"].items()}
    out = {}
    for term in CANONICAL:
        src = _ident(by_term[term]) if term in by_term else "NULL::VARCHAR"
        if term in c["defaults"]:
            src = f"coalesce(nullif(trim({src}), ''), {_lit(c['defaults'][term])})"
        elif term in c["constants"]:     # implied by a header, e.g. the unit of 數量(隻)
            src = f"coalesce(nullif(trim({src}), ''), {_lit(c['constants'][term])})"
        elif term == "datasetID" and c["dataset"]:
            src = f"coalesce(nullif(trim({src}), ''), {_lit(c['dataset'])})"
        elif term == "datasetName":
            src = f"coalesce(nullif(trim({src}), ''), {_lit(c['dataset_name'])})"
        out[term] = src
    return out


def absent_terms(c: dict) -> list[str]:
    """The canonical terms a source has no value for in any row."""
    return [t for t, src in _term_sources(c).items() if src == "NULL::VARCHAR"]


def empty_sql(c: dict) -> str:
    """SQL over the staged columns: the row is blank in every cell (such rows go to the ledger). A reader that
    keeps cells right of the header (`has_shape`) counts them too: a row with data only there is no blank row.
    A kept input's DOUBLE column is tested as the number (no text of it made for the test)."""
    nums = raw_columns(c.get("cast"), c["columns"])
    texts = [_ident(h) for h in c["columns"] if h not in nums] + (["overflow_cells"] if c.get("has_shape") else [])
    if not nums:
        return cells_sql(texts, "all_blank")
    return " AND ".join(([f"({cells_sql(texts, 'all_blank')})"] if texts else []) + [f"{_ident(n)} IS NULL" for n in nums.values()])


def numbers_given(c: dict) -> set[str]:
    """The NUM_TERMS a source gives as numbers: each read as it is from a kept input's DOUBLE column."""
    nums = raw_columns(c.get("cast"), c["columns"])
    by_term = {t: h for h, t in c["mapped"].items()}
    sources = _term_sources(c)
    return {t for t in NUM_TERMS if by_term.get(t) in nums and sources[t] == _ident(by_term[t])}


def canonical_sql(c: dict, path: Path, index: int) -> str:
    """SQL selecting a staged source (at `path`) as canonical records, from its stored mapping `c`
    (source_mapping); the file's own columns no term took go to `extra` (JSON). Headers reach the
    SQL only through duck.ident, values only as quoted literals.

    Blank rows are not filtered here: empty_sql(c) says which rows are blank, and build() adds
    NOT (…) only to a source that has any, so the usual scan reads only the columns it needs."""
    mapping = c["mapped"]
    by_term = {t: h for h, t in mapping.items()}
    agency_expr = _lit(c["agency"]) if c["agency"] else (
        "coalesce(" + ", ".join([f"nullif(trim({_ident(by_term[t])}), '')" for t in ("organizer", "publisher", "rightsHolder") if t in by_term] + ["'（未標示機關）'"]) + ")")
    dataset_expr = _lit(c["dataset"]) if c["dataset"] else (
        f"coalesce(nullif(trim({_ident(by_term['datasetID'])}), ''), {_lit(c['file_stem'])})" if "datasetID" in by_term else _lit(c["file_stem"]))
    sources = _term_sources(c)
    cols = ", ".join(f"{src} AS {_ident(term)}" for term, src in sources.items())
    # each term a pass may read as a number, in two parts (checks.NUM_TERMS): a kept input's DOUBLE
    # column the term is read from as it is, as the number; any other source of it as its text
    nums, given = raw_columns(c.get("cast"), c["columns"]), numbers_given(c)
    for term in NUM_TERMS:
        if term in given:
            cols += f", {_ident(nums[by_term[term]])} AS {_ident(num_part(term, 'n'))}, NULL::VARCHAR AS {_ident(num_part(term, 't'))}"
        else:
            cols += f", NULL::DOUBLE AS {_ident(num_part(term, 'n'))}, {sources[term]} AS {_ident(num_part(term, 't'))}"
    extra = [h for h in c["columns"] if h not in mapping]
    extra_sql = ("to_json(struct_pack(" + ", ".join(f"{_ident(h)} := {_ident(h)}" for h in extra) + "))::VARCHAR") if extra else "NULL::VARCHAR"
    # row shape (#10): how many cells a ragged row had, and the cells beyond the header
    shape = "row_cells::INTEGER AS row_cells, overflow_cells::VARCHAR AS overflow_cells" if c["has_shape"] else \
        "NULL::INTEGER AS row_cells, NULL::VARCHAR AS overflow_cells"
    srs = c["srs_from_header"]
    return f"""SELECT ({int(index)}::BIGINT * 10000000000 + source_row) AS record_id, {agency_expr} AS agency,
        {row_kind_sql(c["columns"], c["mapped"], c.get("below_from"))} AS row_kind,
        {dataset_expr} AS dataset_id, {_lit(c['dataset_name'])} AS dataset_name, {_lit(c['file_name'])} AS source_file, source_row,
        {_lit(c['table'])} AS table_kind, {_lit(c['profile'])} AS profile, {_lit(srs) if srs else 'NULL::VARCHAR'} AS srs_from_header,
        {cols}, {extra_sql} AS extra, {shape}
      FROM {staged_relation(path, c.get('cast'), c['columns'], raw=True)}"""


# what a totals row says in its first cells (a hand-kept sheet's 合計 line under the records)
TOTAL_WORDS = ("合計", "總計", "小計", "共計", "總和", "total", "totals", "grand total")


def row_kind_sql(columns: list[str], mapped: dict[str, str] | None = None, below_from: int | None = None) -> str:
    """SQL over the staged columns: 'header' for a row repeating the header (its first two columns'
    cells are their own headings: two exports pasted into one file), 'total' for a totals row (合計,
    Total … as one of its first three cells), 'below' for a row from `below_from` on (notes below the table:
    below_table_start), else NULL. The row is kept and judged like any other; ROW_REPEATED_HEADER,
    ROW_TOTALS and ROW_BELOW_TABLE say what it is. Headings reach the SQL only as quoted literals."""
    cols = columns     # the file's own cleaned headers (clean_headers renames any of ours: source_row, row_cells …)
    if not cols:
        return "NULL::VARCHAR"
    header = " AND ".join(f"trim({_ident(h)}) = {_lit(h)}" for h in cols[:2]) if len(cols) >= 2 else "false"
    words = ", ".join(_lit(w) for w in TOTAL_WORDS)
    # the first cell of an ordinary row is longer than any of the words, or not one of them: lower() and
    # trim() run only on the short ones
    total = " OR ".join(f"(length({_ident(h)}) <= 14 AND lower(trim({_ident(h)})) IN ({words}))" for h in cols[:3])
    # and it names no taxon (or the word is its name cell): a recorder called "Total" is a record
    names = [h for h, t in (mapped or {}).items() if t in ("scientificName", "vernacularName") and h in cols]
    no_taxon = " AND ".join(f"({blank(_ident(h))} OR lower(trim({_ident(h)})) IN ({words}))" for h in names) or "true"
    below = f" WHEN source_row >= {int(below_from)} THEN 'below'" if below_from is not None else ""
    return f"(CASE WHEN {header} THEN 'header' WHEN ({total}) AND {no_taxon} THEN 'total'{below} END)"


# A block of notes below a table: at most this many rows, each filling at most BELOW_MAX_CELLS cells
BELOW_MAX_ROWS, BELOW_MAX_CELLS = 50, 2
# how far from the end the rows are looked at (doubled while only blank and sparse rows are seen), at most
BELOW_WINDOW, BELOW_WINDOW_MAX = 256, 1 << 16


def below_table_start(con, relation: str, columns: list[str], empty_where: str, rows: int,
                      blank_lines: str | None = None) -> int | None:
    """The first row of notes left below the table after a blank row: 註：…, 資料來源：…, scratch work (a
    real TaiCOL plant list ends, after four blank rows, with 15 rows of name codes typed as an SQL list).
    Such rows are no records; they are kept and named (ROW_BELOW_TABLE). From the file's end, over blank
    rows (a row of empty cells, or a blank line a reader left out: `blank_lines`, SQL giving their
    source_row) and blocks of rows filling at most BELOW_MAX_CELLS cells, up to the table: taken when the
    blocks hold at most BELOW_MAX_ROWS rows and a third of the file's `rows` (non-blank), and the last
    thousand non-blank rows above the blank fill more than twice as many cells (their median). Several
    note blocks, blank rows after the notes, or a long gap above them are one such block. Only the file's
    last rows are read (source_row ranges: its row groups are in row order). None when there is none."""
    top = con.execute(f"SELECT max(source_row) FROM {relation}").fetchone()[0]
    if top is None:
        return None
    fill = cells_sql([_ident(h) for h in columns], "filled")
    window = BELOW_WINDOW
    while True:
        lo = max(0, int(top) - window)
        cells = dict(con.execute(f"SELECT source_row, CASE WHEN {empty_where} THEN 0 ELSE {fill} END FROM {relation} "
                                 f"WHERE source_row > ?", [lo]).fetchall())
        if blank_lines:
            cells.update((r, 0) for (r,) in con.execute(f"SELECT source_row FROM ({blank_lines}) WHERE source_row > ?", [lo]).fetchall())
        order = sorted(cells, reverse=True)
        # from the end: blank rows and sparse rows until the first row that fills more (the table's)
        seen, starts, stop = 0, [], None
        for i, r in enumerate(order):
            n = cells[r]
            if n == 0:
                if seen and (i == 0 or cells[order[i - 1]] > 0):
                    starts.append(order[i - 1])      # the first row of the block below this blank
                continue
            if n > BELOW_MAX_CELLS:
                stop = r
                break
            seen += 1
            if seen > BELOW_MAX_ROWS:
                return None
        if stop is not None or lo == 0 or window >= BELOW_WINDOW_MAX:
            break
        window *= 2
    if stop is None or not starts or seen * 3 > rows:
        return None
    first = starts[-1]      # the topmost block: everything below it is notes too
    most = max(cells[r] for r in order if r >= first)
    above = [n for (n,) in con.execute(f"SELECT {fill} FROM {relation} WHERE source_row <= ? AND source_row > ? "
                                       f"AND NOT ({empty_where}) ORDER BY source_row DESC LIMIT 1000",
                                       [int(stop), int(stop) - 4000]).fetchall()]
    if len(above) < 3 or most * 2 >= sorted(above)[len(above) // 2]:
        return None
    return int(first)


def source_file(index: int) -> str:
    """The name a layout-5 snapshot keeps source `index`'s verbatim rows under (its staged file, moved in)."""
    return f"source_{int(index)}.parquet"


def cpu_seconds() -> float:
    """CPU time of this process, all threads: on a shared machine, the figure other jobs do not inflate."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


ROWS_LINE = re.compile(r"^(\w+): ([\d,]+) / ([\d,]+) rows$")   # what rows_progress writes (dq/validate_job.py reads it)


@contextlib.contextmanager
def rows_progress(con, phase: str, total: int, progress, every: float = 1.0, configure: bool = True):
    """While long statements run on `con`, report `<phase>: <done> / <total> rows` every `every`
    seconds when it moved by 1 %: DuckDB's own progress of the running statement (the share of
    its input scanned) times the rows it reads. A statement is one pass: no row counter to read.
    `configure` False: `con` runs statements in another thread and was set to track progress when made."""
    if configure:
        con.execute("SET enable_progress_bar=true")
        con.execute("SET enable_progress_bar_print=false")
    stop = threading.Event()
    last = [-1]

    def watch():
        while not stop.wait(every):
            try:
                pct = con.query_progress()
            except Exception:       # the statement ended between two looks
                return
            done = int(total * min(max(pct, 0.0), 100.0) / 100)
            # monotonic (a phase's later statements restart at 0), and a line per 1 % at most
            if pct >= 0 and done > last[0] and (last[0] < 0 or done - last[0] >= total / 100):
                last[0] = done
                progress(f"{phase}: {done:,} / {total:,} rows")
    th = threading.Thread(target=watch, daemon=True)
    th.start()
    try:
        yield
    finally:
        stop.set()
        th.join()
        if configure:
            con.execute("SET enable_progress_bar=false")
    progress(f"{phase}: {total:,} / {total:,} rows")


class _BesideRun:
    """The BDQ answers (checks/bdq.write_outputs) on a second connection to the build's database, in a
    thread of their own, over the canonical records (`occ_sql`, recreated there: temporary views are a
    connection's own). `result()` waits for them; `close()` stops them when the build failed."""

    def __init__(self, con, occ_sql: str, outdir: Path, constant):
        self._main = con
        self.con = con.cursor()
        self.wall = 0.0
        self._out, self._err = None, None
        self._done, self._seen = threading.Event(), threading.Event()
        # the build's other settings (memory, insertion order, optimizers) are the database's, set once;
        # the progress tracking is a connection's own
        self.con.execute("SET enable_progress_bar=true")
        self.con.execute("SET enable_progress_bar_print=false")
        self.con.execute("CREATE TEMP VIEW occ AS " + occ_sql)
        self._th = threading.Thread(target=self._run, args=(outdir, tuple(constant)), daemon=True)
        self._th.start()

    def _run(self, outdir: Path, constant) -> None:
        from .checks import bdq
        t = time.time()
        try:
            # the canonical columns no source has are NULL in every record: no key needs them
            self._out = bdq.write_outputs(self.con, outdir, constant=constant)
        except BaseException as e:     # handed to the build's thread by result() or failed()
            self._err = e
        self.wall = time.time() - t
        self._done.set()
        # the snapshot is not written without these answers: the build's own passes are stopped now, not
        # once they are done (minutes later on a big file). An interrupt reaching the build's connection
        # between two statements is dropped when the next one starts (a review: a 12 s statement ran whole
        # after one sent during a Python step), so it is repeated until the build has seen the failure
        while self._err is not None:
            self._main.interrupt()
            if self._seen.wait(0.05):
                break

    def failed(self) -> None:
        """Raises the BDQ answers' error if they have failed."""
        if self._err is not None:
            self._seen.set()
            raise self._err

    def result(self) -> dict:
        self._done.wait()
        self.failed()
        self._th.join()
        return self._out

    def close(self) -> None:
        self._seen.set()
        # an interrupt stops the statement running, if one is: between two of BDQ's many small
        # statements it is lost, so it is repeated until the thread has stopped
        while self._th.is_alive():
            self.con.interrupt()
            self._th.join(0.05)
        self.con.close()


def build(specs: list[SourceSpec], snapshot_date: str, outdir: Path, workdir: Path,
          params: geo.GeoParams = geo.DEFAULT, progress=_progress, keep_staged: bool = False,
          record_layout: int = LAYOUT) -> dict:
    """Build a snapshot's files in `outdir` (not atomic by itself; `ingest` wraps it)."""
    t0 = time.time()
    con = duck.connect(str(workdir / "work.duckdb"))
    # DuckDB's buffer limit for a build (spills to workdir/spill beyond it); DQ_MEMORY_LIMIT overrides
    duck.limit(con, workdir / "spill")
    # nothing downstream relies on row order, and keeping it pins buffers DuckDB could spill
    con.execute("SET preserve_insertion_order=false")
    # the checks' short IN lists stay comparisons: rewritten as joins (DuckDB's default for lists
    # of constants) each costs a hash probe per record, ~30 of them in the record pass
    con.execute("SET disabled_optimizers='in_clause'")
    sources = []
    selects = []
    rej_selects = []
    per_source: list[list] = []
    absent: set[str] | None = None    # canonical columns empty in every source: not written (LAYOUT)
    num_given: list[set[str]] = []    # per source, the NUM_TERMS it gives as numbers
    phases: dict[str, float] = {}
    c0 = cpu_seconds()
    cpu: dict[str, float] = {}
    outdir.mkdir(parents=True, exist_ok=True)
    verbatim: list[tuple[int, str]] = []     # layout 5: (source index, its canonical SELECT over the snapshot's copy)
    sibling_ids: list[tuple[int, Path]] = []  # (source index, the taxon IDs its workbook's other sheets give)
    for i, spec in enumerate(specs, start=1):
        p = Path(spec.path)
        progress(f"reading {p.name} …")
        # layout 5 reads a source only through its mapping's cast (staged_relation): a kept Parquet
        # input, a delimited file's rows numbered as read
        st = stage(p, workdir, progress=progress, keep_parquet=record_layout >= 5, number_on_read=record_layout >= 5,
                   sheet=spec.sheet)
        c, info = source_mapping(st, spec)
        if record_layout >= 5:
            # the verbatim rows are kept once: the staged file itself moves into the snapshot (the work
            # folder and the snapshot's temp folder are on one filesystem: a rename, no copy), and
            # every later pass reads it there; the record file holds no text of the source
            kept = outdir / source_file(i)
            _move(st.staged, kept)
            st.staged = kept
        # blank rows go to the ledger; counted once here so that the canonical view filters only
        # the sources that have any (the filter reads every column of every row it is applied to)
        # the relation the blank-row test reads: with a kept input's DOUBLE columns as numbers (empty_sql)
        rel = staged_relation(st.staged, st.cast, st.columns, raw=True)
        n_blank = con.execute(f"SELECT count(*) FROM {rel} WHERE {info['empty_where']}").fetchone()[0]
        # notes or scratch left below the table, after a blank row or line (kept in the mapping: a reader of
        # the snapshot names the same rows)
        blank_lines = (f"SELECT source_row FROM read_parquet({duck.q(st.rejects)}) WHERE starts_with(reason, 'blank line')"
                       if st.rejects else None)
        if n_blank or blank_lines:
            c["below_from"] = below_table_start(con, rel, c["columns"], info["empty_where"], st.rows_staged - n_blank,
                                                blank_lines)
        sql = canonical_sql(c, st.staged, i)
        if st.sibling_ids is not None:
            sibling_ids.append((i, st.sibling_ids))
        if record_layout >= 5:
            verbatim.append((i, sql))
        per_source.append([i] + info["per_source"])
        selects.append(f"{sql} WHERE NOT ({info['empty_where']})" if n_blank else sql)
        absent = set(info["absent"]) if absent is None else absent & set(info["absent"])
        num_given.append(numbers_given(c))
        if st.rejects:
            rej_selects.append(f"SELECT {_lit(p.name)} AS source_file, source_row, raw, reason FROM read_parquet({duck.q(st.rejects)})")
        if n_blank:
            rej_selects.append(f"""SELECT {_lit(p.name)} AS source_file, source_row, NULL::VARCHAR AS raw, 'empty row: every cell blank' AS reason
                                    FROM {rel} WHERE {info['empty_where']}""")
        sources.append({"file": str(p), "name": p.name, "sha256": sha256(p), "format": st.format, "table": spec.table or st.table,
                        "encoding": st.encoding, "delimiter": st.delimiter, "header": st.header,
                        "agency": spec.agency, "dataset": spec.dataset, "defaults": spec.defaults,
                        "column_map": spec.column_map, "columns_mapped": info["columns_mapped"],
                        "columns_extra": info["columns_extra"], "columns_plan": info["columns_plan"],
                        "srs_from_header": info["srs_from_header"],
                        "notes": st.notes, "sheets": st.sheets, "rows_read": st.rows_read,
                        "rows_ingested": st.rows_staged - n_blank, "rows_rejected": st.rows_rejected + n_blank,
                        "index": i, "profile": info["profile"],
                        **({"canonical": c | {"file": source_file(i)}} if record_layout >= 5 else {}),
                        "profile_reason": info["profile_reason"], "checks_record_level": info["checks_record_level"],
                        "checks_file_level": info["checks_file_level"]})
        progress(f"  {st.rows_staged:,} rows staged, {st.rows_rejected:,} rejected ({time.time() - t0:.1f}s)")
    # a number part no source gives is NULL in every record, as is a text part where every source gives the number
    if absent is not None:
        for term in NUM_TERMS:
            if not any(term in g for g in num_given):
                absent.add(num_part(term, "n"))
            if all(term in g for g in num_given):
                absent.add(num_part(term, "t"))
    # what each source sets once for all its records, kept once (engine.PER_SOURCE)
    con.execute("CREATE TEMP TABLE _src (source_index BIGINT, " + ", ".join(f"{_ident(c)} VARCHAR" for c in engine.PER_SOURCE) + ")")
    con.executemany(f"INSERT INTO _src VALUES ({', '.join('?' * (len(engine.PER_SOURCE) + 1))})", per_source)
    # `occ` is a view over the staged files: every later pass streams from them, reading only its columns
    con.execute("CREATE TEMP VIEW occ AS " + " UNION ALL BY NAME ".join(selects))
    con.execute("CREATE TEMP TABLE rej (source_file VARCHAR, source_row BIGINT, raw VARCHAR, reason VARCHAR)")
    if rej_selects:
        con.execute("INSERT INTO rej " + " UNION ALL ".join(rej_selects))
    # the IDs a workbook's other sheets give, where its synonyms' accepted IDs are resolved (checks/taxonomy.py)
    con.execute("CREATE TEMP TABLE _sib_ids (source_index BIGINT, id VARCHAR)")
    for i, f in sibling_ids:
        con.execute(f"INSERT INTO _sib_ids SELECT {int(i)}, id FROM read_parquet({duck.q(f)})")
    t_ingest = time.time() - t0
    phases["read"] = round(t_ingest, 2)
    cpu["read"] = round(cpu_seconds() - c0, 2)
    # The TDWG BDQ tests' own responses (three outcomes, amendments) for every record (#12) read the
    # canonical records only: they are answered on a second connection beside the other passes, whose
    # many small statements (and the Python steps between them) leave a core idle much of the time.
    bdq_run = _BesideRun(con, " UNION ALL BY NAME ".join(selects), outdir, absent or ())
    try:
        progress(f"checking {sum(s['rows_ingested'] for s in sources):,} records …")
        t1 = time.time()
        checks = catalogue()
        # the canonical columns no source has are NULL in every record: no term of the filled-field mask
        engine.enrich(con, snapshot_date, params, progress=progress, absent=absent or ())
        phases["derive"] = round(time.time() - t1, 2)
        bdq_run.failed()
        cpu["derive"] = round(cpu_seconds() - c0 - sum(cpu.values()), 2)
        # each source is judged only by its profile's checks, and a check about a column the file
        # lacks entirely is a file-level finding, not a flag per row
        run = engine.run_checks(con, checks, scope={s["index"]: set(s["checks_record_level"]) for s in sources}, params=params,
                                absent=absent or ())
        t_checks = time.time() - t1
        rss_checks_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # peak so far (Linux: kB)
        # the record pass: read, derived columns, every check and the per-record summary, written once
        n_in = sum(s['rows_ingested'] for s in sources)
        with rows_progress(con, "checking", n_in, progress):
            columns: dict = {}
            rows_ingested = engine.write_outputs(con, outdir, run, timings=phases, cpu=cpu, cpu_clock=cpu_seconds,
                                                 omit=[c for c in CANONICAL if c in (absent or set())], layout=columns,
                                                 record_layout=record_layout, snapshot_date=snapshot_date, params=params,
                                                 verbatim=verbatim)
        progress(f"  {rows_ingested:,} records written ({time.time() - t0:.1f}s)")
        bdq_run.failed()
        t2 = time.time()
        # read back from the written record file (`e` is now a view over it), not another pass over the sources
        found = engine.file_level_counts(con, {s["index"]: s["checks_file_level"] for s in sources}, checks, view=columns.get("view"))
        for s in sources:
            s["file_findings"] = found.get(s["index"], {})   # check id → rows it would have flagged
            s["checks_file_level"] = sorted(s["file_findings"])
        agg_counts = engine.aggregates(con, outdir, sources, view=columns.get("view"), params=params)
        phases["aggregates"] = round(time.time() - t2, 2)
        cpu["aggregates"] = round(cpu_seconds() - c0 - sum(cpu.values()), 2)
        # what of the BDQ answers is left once the other passes are done, with its rows' progress
        with rows_progress(bdq_run.con, "checking_bdq", n_in, progress, configure=False):
            agg_counts.update(bdq_run.result())
    except BaseException as e:
        # the BDQ answers stopped before the connection they were made from is closed
        bdq_run.close()
        con.close()
        if isinstance(e, duckdb.InterruptException):
            bdq_run.failed()      # the interrupt was the BDQ answers' own: their error is the build's
        raise
    bdq_run.close()
    phases["bdq"] = round(bdq_run.wall, 2)    # its own time, beside the phases above (their CPU seconds include its)
    t_write = time.time() - t1 - t_checks
    rows_rejected = con.execute("SELECT count(*) FROM rej").fetchone()[0]
    rows_read = sum(s["rows_read"] for s in sources)
    n_flags = con.execute("SELECT count(*) FROM flags").fetchone()[0]
    con.close()
    if rows_ingested != sum(s["rows_ingested"] for s in sources) or rows_rejected != sum(s["rows_rejected"] for s in sources):
        raise RuntimeError(f"counts do not reconcile: {rows_ingested} records written, {rows_rejected} in the ledger, "
                           f"sources say {sum(s['rows_ingested'] for s in sources)} and {sum(s['rows_rejected'] for s in sources)}")
    if rows_read != rows_ingested + rows_rejected:
        raise RuntimeError(f"counts do not reconcile: read {rows_read} != ingested {rows_ingested} + rejected {rows_rejected}")
    import pyarrow
    manifest = {
        "snapshot": snapshot_date, "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "rows_read": int(rows_read), "rows_ingested": int(rows_ingested), "rows_rejected": int(rows_rejected),
        "flags": int(n_flags), "sources": sources, "aggregates": agg_counts,
        "checks": [c.id for c in checks], "params": dataclasses.asdict(params),
        # what each check asks: store.comparable tells a changed check from a change in the data
        "rules": rules_fingerprint(checks),
        "versions": {"dq": __version__, "duckdb": duckdb.__version__, "pyarrow": pyarrow.__version__,
                     "python": platform.python_version()},
        "timings_s": {"ingest": round(t_ingest, 2), "checks": round(t_checks, 2), "write": round(t_write, 2),
                      "total": round(time.time() - t0, 2), "phases": phases,
                      "phases_cpu": cpu, "total_cpu": round(cpu_seconds() - c0, 2)},
        "peak_rss_mb_after_checks": round(rss_checks_mb),
        # the record file's layout (dq/store.py records_sql reads every layout): 2 = the columns in
        # `record_columns_omitted` (no source has them) are not in occurrence.parquet, read as NULL;
        # 3 = besides, the derived columns are in the lookup_<table>.parquet files, joined on the record's keys
        "layout": record_layout, "record_columns": columns["all"], "record_columns_omitted": columns["omitted"],
    }
    if columns.get("plan"):
        manifest["record_plan"] = columns["plan"]
    (outdir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def rules_fingerprint(checks) -> dict[str, str]:
    """Per check id, a short hash of its predicate SQL (its texts and fixes may change freely)."""
    return {c.id: hashlib.sha256(c.sql.encode("utf-8")).hexdigest()[:16] for c in checks}


def _move(src: Path, dst: Path) -> None:
    """Move a staged file into the snapshot: a rename on one filesystem; a copy where the work
    folder is elsewhere (a caller's own workdir)."""
    try:
        os.rename(src, dst)
    except OSError:
        shutil.move(str(src), str(dst))


def ingest(specs: list, snapshot_date: str, root: Path = SNAPSHOTS,
           params: geo.GeoParams = geo.DEFAULT, progress=_progress, builder=None) -> Path:
    """Build a snapshot in a temp dir beside its final place, then rename: whole or nothing.

    `builder(specs, date, outdir, workdir, params, progress)` writes the files (default: the
    occurrence snapshot; dq.opendata passes its own for catalogue snapshots)."""
    if not DATE_RX.match(snapshot_date):
        raise SourceError(f"--snapshot must be a date YYYY-MM-DD, not '{snapshot_date}'",
                          f"--snapshot 必須是 YYYY-MM-DD 格式的日期，而不是「{snapshot_date}」。")
    try:
        dt.date.fromisoformat(snapshot_date)
    except ValueError as e:
        raise SourceError(f"--snapshot {snapshot_date}: {e}") from e
    if not specs:
        raise SourceError("no source files given")
    root = Path(root)
    final = root / snapshot_date
    if final.exists():
        raise SourceError(f"snapshot {snapshot_date} exists already; snapshots are immutable: pick another date or remove it",
                          f"快照 {snapshot_date} 已存在；快照不可修改，請改用其他日期或先移除它。")
    root.mkdir(parents=True, exist_ok=True)
    # both temp folders inside the root's own .tmp/: same filesystem (atomic rename) and swept
    # by the next run when this one is killed (workdirs.py)
    area = workdirs.build_area(root)
    tmp = workdirs.new(area, "partial")
    work = workdirs.new(area, "work")
    try:
        (builder or build)(specs, snapshot_date, tmp, work, params, progress)
        _readable(tmp)
        os.rename(tmp, final)   # atomic on one filesystem: the snapshot appears whole or not at all
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
        try:
            area.rmdir()      # only when no other build is using it
        except OSError:
            pass
    progress(f"snapshot written: {final}")
    return final


def _readable(folder: Path) -> None:
    """mkdtemp makes 0700 folders; a snapshot is read by the dashboard, maybe as another user."""
    mask = os.umask(0)
    os.umask(mask)
    folder.chmod(0o777 & ~mask | 0o555)
    for p in folder.rglob("*"):
        p.chmod((0o777 & ~mask | 0o555) if p.is_dir() else (0o666 & ~mask | 0o444))
