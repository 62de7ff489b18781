"""`python -m dq validate FILE --out DIR`: the whole catalogue on one submitted file.

Writes annotated.csv (every input row and column + dq_* columns; rejected rows included with
their reason), summary.json (counts per check) and report.html (zh-TW, for the data manager).
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from . import duck, formulas, report, workdirs
from .checks import bdq, by_id
from .snapshot import SourceSpec, build


def validate(path: Path, out: Path, snapshot_date: str | None = None, progress=lambda m: None,
             column_map: dict[str, str] | None = None) -> dict:
    path = Path(path)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    date = snapshot_date or dt.date.today().isoformat()
    # one named area, swept of killed runs' folders (workdirs.py); removed below however this ends
    work = workdirs.new(workdirs.validation_area(), "validate")
    snap = work / "snap"
    try:
        manifest = build([SourceSpec(path, column_map=column_map or {})], date, snap, work, progress=progress)
        src = manifest["sources"][0]
        progress("writing annotated.csv and the report …")
        con = duck.connect(spatial=False)
        duck.limit(con, work / "spill")
        staged = sorted(work.glob("*.staged.parquet")) + sorted(work.glob("*/*.staged.parquet"))
        staged = [p for p in staged if "joined" in p.name] or staged
        raw = staged[0]
        con.execute(f"CREATE VIEW r AS SELECT * FROM read_parquet({duck.q(raw)})")
        cols = [c for (c,) in con.execute("SELECT column_name FROM (DESCRIBE r)").fetchall() if c != "source_row"]
        ragged = "row_cells" in cols and con.execute("SELECT count(row_cells) FROM r").fetchone()[0] > 0
        if not ragged:
            cols = [c for c in cols if c not in ("row_cells", "overflow_cells")]   # no ragged row: no shape columns
        # every text cell (and header) of the file is neutralised: annotated.csv is opened in Excel
        sel = ", ".join(f"{formulas.sql('r.' + duck.ident(c) + '::VARCHAR')} AS {duck.ident(formulas.value(c))}" for c in cols)
        con.execute(f"""COPY (
            SELECT {sel}, r.source_row::BIGINT AS dq_row, o.errors AS dq_errors, o.warnings AS dq_warnings,
                   round(o.lat, 6) AS dq_lat, round(o.lon, 6) AS dq_lon, o.county AS dq_county, o.town AS dq_town,
                   o.accepted_name AS dq_accepted_name, o.match_type AS dq_match_type, o.name_source AS dq_name_source,
                   o.qty_kind AS dq_quantity_kind, {formulas.sql('o.suggestions')} AS dq_suggestions,
                   b.bdq_not_compliant AS dq_bdq_not_compliant, b.bdq_cannot_judge AS dq_bdq_cannot_judge,
                   {formulas.sql('b.bdq_amendments')} AS dq_bdq_amendments
            FROM r
            LEFT JOIN read_parquet({duck.q(snap / 'occurrence.parquet')}) o ON o.source_row = r.source_row
            LEFT JOIN ({bdq.record_summary_sql(snap / 'bdq.parquet')}) b ON b.record_id = o.record_id
            UNION ALL BY NAME
            SELECT source_row::BIGINT AS dq_row, 'ROW_REJECTED' AS dq_errors,
                   '無法解析，原始內容：' || left(raw, 2000) || '（' || reason || '）' AS dq_suggestions
            FROM read_parquet({duck.q(snap / 'rejected.parquet')}) WHERE raw IS NOT NULL
            ORDER BY dq_row) TO {duck.q(out / 'annotated.csv')} (HEADER, DELIMITER ',')""")
        counts = dict(con.execute(f"SELECT check_id, count(*) FROM read_parquet({duck.q(snap / 'flags.parquet')}) GROUP BY 1 ORDER BY 2 DESC").fetchall())
        cat = by_id()
        summary = {
            "file": path.name, "table": src["table"], "format": src["format"], "encoding": src["encoding"],
            "rows_read": manifest["rows_read"], "rows_checked": manifest["rows_ingested"],
            "rows_rejected": manifest["rows_rejected"],
            "rows_with_errors": con.execute(f"SELECT count(*) FROM read_parquet({duck.q(snap / 'occurrence.parquet')}) WHERE n_errors > 0").fetchone()[0],
            # absence records (count 0, occurrenceStatus absent): kept and counted, never presences
            "rows_absence": con.execute(f"SELECT count(*) FROM read_parquet({duck.q(snap / 'occurrence.parquet')}) WHERE is_absence").fetchone()[0],
            "checks": {k: {"count": v, "severity": cat[k].severity, "dimension": cat[k].dimension, "title_zh": cat[k].title_zh,
                           "title_en": cat[k].title_en} for k, v in counts.items()},
            # TDWG BDQ responses: per test, records per status (COMPLIANT / NOT_COMPLIANT / cannot judge …)
            "bdq": {t: dict(v) for t, v in _bdq_counts(con, snap).items()},
            "columns_mapped": src["columns_mapped"], "columns_extra": src["columns_extra"],
            "columns_plan": src.get("columns_plan", []),
            "notes": src.get("notes", []),     # how the file was read: guessed encoding, ragged rows, renamed headers
        }
        (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        html = report.validation_html(summary, snap)
        (out / "report.html").write_text(html, encoding="utf-8")
        con.close()
        return summary
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _bdq_counts(con, snap: Path) -> dict[str, list[tuple[str, int]]]:
    out: dict[str, list[tuple[str, int]]] = {}
    for test, status, n in con.execute(f"""SELECT test, status, sum(n)::BIGINT FROM read_parquet({duck.q(snap / 'agg_bdq.parquet')})
                                          GROUP BY ALL ORDER BY ALL""").fetchall():
        out.setdefault(test, []).append((status, n))
    return out
