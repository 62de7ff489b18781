"""The generic runner: every check family goes through it; it knows no check.

`enrich()` runs each family's derivation (dq/checks/<family>.py: per-distinct-value tables, one
narrow per-record key table `_ek`, and the record view `e` they join into); `run_checks()`
evaluates every check's predicate in one pass into per-record bit masks; `write_outputs()` and
`aggregates()` write the snapshot's record file and the small tables the pages read.
"""
from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from . import duck, geo, standard
from .checks import Check, DeriveContext, catalogue, families, filled


def enrich(con, snapshot_date: str, params: geo.GeoParams = geo.DEFAULT, progress=print) -> None:
    """`occ` (canonical records) → `e` (records plus every derived column the checks read)."""
    ctx = DeriveContext(snapshot_date=snapshot_date, params=params, progress=progress, t0=time.time())
    ders = [f.derivation for f in families()]
    for d in ders:
        if d.derive:
            d.derive(con, ctx)
    record_cols = {k: v for d in ders for k, v in d.record_cols.items()}
    cols = "".join(f", {sql} AS {duck.ident(name)}" for name, sql in record_cols.items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE _ek AS SELECT o.record_id{cols} FROM occ o")
    for d in ders:
        if d.derive_keyed:
            d.derive_keyed(con, ctx)
    columns = ",\n        ".join(c.format(h3=params.h3_resolution) for d in ders for c in d.columns)
    joins = "\n      ".join(j for d in ders for j in d.joins)
    # `e` is a view: the record plus the derived columns looked up in the small per-distinct tables.
    # Nothing record-wide is copied; each scan of `e` costs a join on record_id and lookups in small tables.
    con.execute(f"""CREATE OR REPLACE TEMP VIEW e AS
      SELECT o.*, DATE '{snapshot_date}' AS snapshot_date,
        {columns}
      FROM occ o JOIN _ek k ON k.record_id = o.record_id
      {joins}""")
    progress(f"  records enriched ({time.time() - ctx.t0:.1f}s)")


DIMENSIONS = ["completeness", "coordinates", "taxonomy", "time", "vocabulary", "duplicates"]


def _bit(i: int) -> tuple[int, int]:
    return i // 64, i % 64


def _mask_lit(bits: list[int], word: int) -> str:
    v = sum(1 << b for w, b in map(_bit, bits) if w == word)
    return f"{v}::UBIGINT"


def _fired(i: int) -> str:
    w, b = _bit(i)
    return f"((_m{w} >> {b}) & 1::UBIGINT) = 1"


CONST_RX = re.compile(r"^'[^']*'$")


def _suggestion(i: int, c: Check) -> str:
    if not c.fix:
        return "NULL::VARCHAR"
    if CONST_RX.match(c.fix):
        return f"{c.fix}::VARCHAR"
    # the computed suggestions of a record travel in one text, each as <US>i<RS>text (see run_checks)
    return f"regexp_extract(_s, '\x1f{i}\x1e([^\x1f]*)', 1)"


def run_checks(con, checks: list[Check] | None = None) -> list[Check]:
    """Evaluate every predicate in one scan of `e`.

    Each record gets a bit mask of the checks it fails (64 checks per UBIGINT word) plus the
    computed suggestions of the fired checks. From those: `flags` (record_id, check_id,
    suggestion), one row per failure, and `rq`, the per-record summary. Counting and grouping
    bits is far cheaper than grouping millions of flag rows (most records fail several
    completeness checks). Returns the checks that applied.
    """
    checks = checks or catalogue()
    kinds = [r[0] for r in con.execute("SELECT DISTINCT table_kind FROM occ").fetchall()]
    run = [c for c in checks if any(k in c.tables for k in kinds)]
    words = max(1, (len(run) + 63) // 64)
    terms: list[list[str]] = [[] for _ in range(words)]
    for i, c in enumerate(run):
        w, b = _bit(i)
        ok = [k for k in kinds if k in c.tables]
        # the table test only where the snapshot holds tables this check does not apply to
        pred = f"({c.sql})" if len(ok) == len(kinds) else f"e.table_kind IN ({', '.join(repr(k) for k in ok)}) AND ({c.sql})"
        # CASE takes NULL as false, so no coalesce; bits are distinct, so + is |. Measured the fastest form.
        terms[w].append(f"CASE WHEN {pred} THEN {1 << b}::UBIGINT ELSE 0::UBIGINT END")
    masks = ", ".join(f"({' + '.join(t) if t else '0::UBIGINT'}) AS _m{w}" for w, t in enumerate(terms))
    # A fix that is a plain text needs no per-record work; the others are evaluated only on the
    # records whose bit is set.
    computed = [(i, c) for i, c in enumerate(run) if c.fix and not CONST_RX.match(c.fix)]
    # One text per record rather than a column per check: a million mostly-NULL strings per
    # column would cost 16 bytes each; NULL-skipping concat_ws keeps only what fired.
    parts = ", ".join(f"CASE WHEN {_fired(i)} THEN '\x1f{i}\x1e' || replace(replace(({c.fix})::VARCHAR, '\x1f', ' '), '\x1e', ' ') END"
                      for i, c in computed)
    sugg = f", nullif(concat_ws('', {parts}), '') AS _s" if computed else ", NULL::VARCHAR AS _s"
    cols = ", ".join(f"_m{w}" for w in range(words))
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _m AS SELECT record_id, {cols}{sugg}
        FROM (SELECT e.*, {masks} FROM e) e""")
    per_check = " UNION ALL ".join(f"SELECT record_id, '{c.id}' AS check_id, {_suggestion(i, c)} AS suggestion FROM _m WHERE {_fired(i)}"
                                   for i, c in enumerate(run))
    # a view: one row per failure is a rendering of the masks, materialised once, when written out
    # no check applies when no record was read (a header-only file): an empty flags view, not a syntax error
    per_check = per_check or "SELECT NULL::BIGINT AS record_id, NULL::VARCHAR AS check_id, NULL::VARCHAR AS suggestion WHERE false"
    con.execute(f"CREATE OR REPLACE TEMP VIEW flags AS {per_check}")
    _record_quality(con, run, words)
    return run


def _record_quality(con, run: list[Check], words: int) -> None:
    """Per record: error/warning counts and lists, suggestions, and per dimension whether it has an error."""
    def count(sel):
        bits = [i for i, c in enumerate(run) if sel(c)]
        return " + ".join(f"bit_count(_m{w} & {_mask_lit(bits, w)})" for w in range(words))

    def any_of(sel):
        bits = [i for i, c in enumerate(run) if sel(c)]
        return "(" + " OR ".join(f"(_m{w} & {_mask_lit(bits, w)}) <> 0" for w in range(words)) + ")"

    def ids(sel):
        order = sorted((c.id, i) for i, c in enumerate(run) if sel(c))
        if not order:
            return "NULL::VARCHAR"
        return "nullif(concat_ws(';', " + ", ".join(f"CASE WHEN {_fired(i)} THEN '{cid}' END" for cid, i in order) + "), '')"

    err = lambda c: c.severity == "error"   # noqa: E731
    fixes = [f"CASE WHEN {_fired(i)} THEN {_suggestion(i, c)} END" for i, c in enumerate(run) if c.fix]
    sugg = f"nullif(concat_ws('；', {', '.join(fixes)}), '')" if fixes else "NULL::VARCHAR"
    dims = ", ".join(f"{any_of(lambda c, d=d: c.severity == 'error' and c.dimension == d)} AS err_{d}" for d in DIMENSIONS)
    # a view: the lists and texts are built only where they are written out, the counts are bit operations
    con.execute(f"""CREATE OR REPLACE TEMP VIEW rq AS SELECT record_id,
          {count(err)} AS n_errors, {count(lambda c: not err(c))} AS n_warnings,
          {ids(err)} AS errors, {ids(lambda c: not err(c))} AS warnings,
          {sugg} AS suggestions, {dims}
        FROM _m""")


# The fitness-for-use profile "distribution model, 1 km" (DESIGN.md, Scores).
USABLE_1KM = ("e.lat IS NOT NULL AND e.grid_id IS NOT NULL AND coalesce(e.unc_m, 1e9) <= 1000 AND "
              "e.match_type IN ('exact', 'synonym', 'species_of_listed_subspecies', 'fuzzy') AND NOT e.above_species "
              "AND e.event_date_parsed IS NOT NULL AND e.date_status IN ('ok', 'roc') AND NOT e.is_absence")
# an absence record (searched, not found: dq/checks/vocabulary.py) counts as a record, never as a species present
PRESENT_SPECIES = "count(DISTINCT e.accepted_name) FILTER (WHERE NOT e.is_absence) AS species"


WRITE_SLICE = 1_000_000
# Small row groups: the Parquet writer buffers a whole row group of ~140 columns per thread, which
# at the default 122,880 rows was most of the build's peak memory.
OCC_PARQUET = "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 32768)"


def write_outputs(con, outdir: Path) -> None:
    """occurrence.parquet (record + derived columns + per-record results), flags.parquet, rejected.parquet.

    The record file is written once from the view; everything after it (aggregates, pages) reads
    that file, so the lookups behind `e` run once more, not once per aggregate.
    """
    dims = ", ".join(f"coalesce(q.err_{d}, false) AS err_{d}" for d in DIMENSIONS)
    con.execute(f"COPY flags TO {duck.q(outdir / 'flags.parquet')} (FORMAT parquet, COMPRESSION zstd)")
    con.execute("DROP VIEW flags")
    con.execute(f"CREATE TEMP VIEW flags AS SELECT * FROM read_parquet({duck.q(outdir / 'flags.parquet')})")
    # In slices of at most WRITE_SLICE source rows: the joins behind `e` and `rq` then fit in
    # memory instead of spilling (a 10M-row file written in one go ran at ~1 MB/s). The slices are
    # record_id ranges (record_id = source index × 10^10 + source row), merged into one file.
    # Source rows count from 1: (record_id - 1) puts rows 1..WRITE_SLICE of a source in one slice
    slices = [r[0] for r in con.execute(f"SELECT DISTINCT (record_id - 1) // {WRITE_SLICE} FROM occ ORDER BY 1").fetchall()]
    select = f"""SELECT e.*, coalesce(q.n_errors, 0) AS n_errors, coalesce(q.n_warnings, 0) AS n_warnings,
                   q.errors, q.warnings, q.suggestions, {dims}
                 FROM (SELECT * FROM e WHERE record_id >= $lo AND record_id < $hi) e
                 LEFT JOIN (SELECT * FROM rq WHERE record_id >= $lo AND record_id < $hi) q USING (record_id)"""
    target = outdir / "occurrence.parquet"
    # (one COPY over a UNION ALL of the slices was tried: DuckDB then holds every slice's join at once and runs out of memory)
    if len(slices) <= 1:
        con.execute(f"COPY ({select.replace('$lo', '0').replace('$hi', str(2 ** 62))}) TO {duck.q(target)} {OCC_PARQUET}")
    else:
        parts = outdir.parent / (outdir.name + ".parts")
        parts.mkdir(exist_ok=True)
        for k in slices:
            lo, hi = k * WRITE_SLICE + 1, (k + 1) * WRITE_SLICE + 1
            con.execute(f"COPY ({select.replace('$lo', str(lo)).replace('$hi', str(hi))}) TO {duck.q(parts / f'{k:012d}.parquet')} {OCC_PARQUET}")
        con.execute(f"COPY (SELECT * FROM read_parquet({duck.q(parts / '*.parquet')})) TO {duck.q(target)} {OCC_PARQUET}")
        shutil.rmtree(parts, ignore_errors=True)
    con.execute(f"COPY (SELECT * FROM rej ORDER BY source_file, source_row) TO {duck.q(outdir / 'rejected.parquet')} (FORMAT parquet)")
    con.execute(f"CREATE OR REPLACE TEMP VIEW e AS SELECT * FROM read_parquet({duck.q(outdir / 'occurrence.parquet')})")


def aggregates(con, outdir: Path) -> dict[str, int]:
    """Write the small tables the pages read (after write_outputs). Returns their row counts."""
    dims = DIMENSIONS
    ok_cols = ", ".join(f"count(*) FILTER (WHERE NOT e.err_{d}) AS ok_{d}" for d in dims)
    # "content" = every dimension but completeness: a file can lack whole columns the standard
    # asks for (then no record is error-free) and still have points, names and dates worth mapping
    content = " OR ".join(f"e.err_{d}" for d in dims if d != "completeness")
    ok_content = f"count(*) FILTER (WHERE NOT ({content})) AS ok_content"
    ok_cols += ", " + ok_content
    queries = {
        "agg_dataset": f"""SELECT e.agency, e.dataset_id, any_value(e.dataset_name) AS dataset_name, count(*) AS records,
              count(*) FILTER (WHERE e.n_errors = 0) AS records_no_error,
              count(*) FILTER (WHERE {USABLE_1KM}) AS usable_1km, count(*) FILTER (WHERE e.is_absence) AS absences,
              {PRESENT_SPECIES}, {ok_cols}
            FROM e GROUP BY ALL ORDER BY ALL""",
        "agg_dataset_check": """SELECT e.agency, e.dataset_id, f.check_id, count(*) AS n
            FROM flags f JOIN e USING (record_id) GROUP BY ALL ORDER BY ALL""",
        "agg_town_check": """SELECT e.agency, e.dataset_id, e.county, e.town, f.check_id, count(*) AS n
            FROM flags f JOIN e USING (record_id) GROUP BY ALL ORDER BY ALL""",
        "agg_town": f"""SELECT e.agency, e.county, e.town, count(*) AS records, {ok_cols},
              count(*) FILTER (WHERE e.n_errors = 0) AS records_no_error,
              count(*) FILTER (WHERE {USABLE_1KM}) AS usable_1km, {PRESENT_SPECIES}, count(*) FILTER (WHERE e.is_absence) AS absences
            FROM e GROUP BY ALL ORDER BY ALL""",
        "agg_h3_check": """SELECT e.agency, e.dataset_id, e.h3_r7 AS h3, f.check_id, count(*) AS n FROM flags f JOIN e USING (record_id)
            WHERE e.h3_r7 IS NOT NULL GROUP BY ALL ORDER BY ALL""",
        "agg_h3": f"""SELECT e.agency, e.h3_r7 AS h3, count(*) AS records, {ok_content},
              count(*) FILTER (WHERE e.n_errors = 0) AS records_no_error,
              count(*) FILTER (WHERE {USABLE_1KM}) AS usable_1km, {PRESENT_SPECIES}, count(*) FILTER (WHERE e.is_absence) AS absences
            FROM e WHERE e.h3_r7 IS NOT NULL GROUP BY ALL ORDER BY ALL""",
        "agg_grid": f"""SELECT e.agency, e.grid_id, count(*) AS records, count(*) FILTER (WHERE {USABLE_1KM}) AS usable_1km,
              {PRESENT_SPECIES} FROM e WHERE e.grid_id IS NOT NULL AND NOT e.is_absence GROUP BY ALL ORDER BY ALL""",
        "agg_taxon_area": f"""SELECT e.agency, coalesce(e.group_zh, '未比對') AS group_zh, coalesce(e.group_en, 'Unmatched') AS group_en,
              e.county, count(*) AS records, count(*) FILTER (WHERE {USABLE_1KM}) AS usable_1km,
              {PRESENT_SPECIES}
            FROM e WHERE NOT e.is_absence GROUP BY ALL ORDER BY ALL""",
        "agg_species": f"""SELECT e.agency, e.accepted_name, any_value(e.group_zh) AS group_zh, any_value(e.taxon_id) AS taxon_id,
              bool_or(e.is_endemic) AS is_endemic, any_value(e.redlist) AS redlist, count(*) AS records,
              count(*) FILTER (WHERE {USABLE_1KM}) AS usable_1km
            FROM e WHERE e.accepted_name IS NOT NULL AND NOT e.is_absence GROUP BY ALL ORDER BY ALL""",
    }
    # the same areas over all agencies: distinct species cannot be summed across agencies
    for name in ("agg_town", "agg_h3", "agg_grid"):
        queries[name + "_all"] = queries[name].replace("SELECT e.agency, ", "SELECT ", 1)
    queries["agg_completeness"] = _completeness_sql()
    counts = {}
    for name, sql in queries.items():
        # COPY answers with the number of rows it wrote
        counts[name] = con.execute(f"COPY ({sql}) TO {duck.q(outdir / (name + '.parquet'))} (FORMAT parquet)").fetchone()[0]
    return counts


def _completeness_sql() -> str:
    """Per agency × dataset × table × standard field: records and how many have the field filled.

    One scan of the canonical records; every field of the 生態檢核 tables with its M/C/O level.
    """
    rows, cols = [], []
    for kind, fields in standard.FIELDS.items():
        for term, zh, level in fields:
            alias = f"f_{kind}_{term}"
            # filled as MISSING_<field> judges it: the field or an accepted equivalent (individualCount …)
            any_filled = " OR ".join(filled(f'"{c}"') for c in standard.EQUIVALENTS.get(term, (term,)))
            cols.append(f"count(*) FILTER (WHERE table_kind = '{kind}' AND ({any_filled})) AS {alias}")
            rows.append(f"('{kind}', '{term}', '{zh}', '{level}', '{alias}')")
    present = "SELECT agency, dataset_id, table_kind, count(*) AS records, " + ", ".join(cols) + " FROM occ GROUP BY ALL"
    return f"""WITH c AS ({present}),
        u AS (UNPIVOT c ON COLUMNS('^f_') INTO NAME alias VALUE filled),
        f(kind, field, field_zh, level, alias) AS (VALUES {', '.join(rows)})
      SELECT u.agency, u.dataset_id, u.table_kind, f.field, f.field_zh, f.level, u.records, u.filled
      FROM u JOIN f ON f.alias = u.alias AND f.kind = u.table_kind ORDER BY ALL"""
