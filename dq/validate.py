"""`python -m dq validate FILE --out DIR [--profile P]`: one submitted file judged by its profile.

Writes annotated.csv (every input row and column + dq_* columns; rejected rows included with
their reason), summary.json and report.html. As GBIF's data validator does, the summary keeps
what is true of the whole file (a column it lacks: one file-level finding) apart from what is
true of single records; "rows with errors" counts record-level errors only.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from . import duck, formulas, profiles, report, standard, store, workdirs
from .checks import SEVERITY_RANK, bdq, by_id, load_messages
from .i18n import t
from .snapshot import SourceSpec, build, rows_progress, source_file
from .sources.aliases import CANONICAL
from .checks.coordinates import DMS_SQL
from .sources.base import staged_relation

# Mapped columns whose values say the header was misread: (terms, SQL share test over the filled values, zh, en)
NUMERIC_TERMS = ("decimalLatitude", "decimalLongitude", "coordinateUncertaintyInMeters", "individualCount", "year", "month", "day")
PLACE_RX = "^[臺台]?\\S{1,3}[縣市]\\s*\\S{1,4}[鄉鎮市區]"
CJK_RX = "[\\x{4e00}-\\x{9fff}]"
SUSPICIOUS_MIN_SHARE = 0.5


def _suspicious_tests(term: str, col: str) -> list[tuple[str, str, str]]:
    tests = []
    if term in NUMERIC_TERMS:
        # a coordinate in degrees, minutes and seconds is read as one (COORD_DMS): its column is the right one
        dms = f" AND NOT {DMS_SQL.format(v=col)}" if term in ("decimalLatitude", "decimalLongitude") else ""
        tests.append((f"try_cast(trim({col}) AS DOUBLE) IS NULL{dms}", "多數值不是數字", "most values are not numbers"))
    if term in ("vernacularName", "scientificName"):
        tests.append((f"regexp_matches({col}, '{PLACE_RX}')", "多數值像地名（縣市＋鄉鎮），不是物種名",
                      "most values look like place names (county + town), not taxon names"))
    if term == "scientificName":
        tests.append((f"regexp_matches({col}, '{CJK_RX}')", "多數值是中文，學名應為拉丁文", "most values are Chinese; a scientific name is Latin"))
    if term == "eventDate":
        tests.append(("date_status = 'invalid'", "多數值無法解讀為日期", "most values cannot be read as dates"))
    return tests


def suspicious_mappings(con, occ, mapped: dict[str, str]) -> list[dict]:
    """Mapped columns whose values mostly do not fit the term (e.g. places under CommonName);
    `occ(sql)`: the records as a relation with what `sql` names (store.records_sql), or a relation."""
    out = []
    for header, term in mapped.items():
        if term not in CANONICAL:   # identifiers enter SQL only from the canonical list
            continue
        col = duck.ident(term)
        for test, zh, en in _suspicious_tests(term, col):
            rel = occ(f"{col} {test}") if callable(occ) else occ
            n, bad = con.execute(f"""SELECT count(*), count(*) FILTER (WHERE {test}) FROM {rel}
                                     WHERE {col} IS NOT NULL AND trim({col}) <> ''""").fetchone()
            if n and bad / n > SUSPICIOUS_MIN_SHARE:
                ex = [r[0] for r in con.execute(f"""SELECT DISTINCT {col} FROM {rel}
                                                   WHERE {test} ORDER BY 1 LIMIT 3""").fetchall()]
                out.append({"column": header, "term": term, "share": round(bad / n, 4), "reason_zh": zh, "reason_en": en,
                            "examples": ex})
    return out


def validate(path: Path, out: Path, snapshot_date: str | None = None, progress=lambda m: None,
             column_map: dict[str, str] | None = None, profile: str | None = None, sheet: str | None = None) -> dict:
    path = Path(path)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    date = snapshot_date or dt.date.today().isoformat()
    # one named area, swept of killed runs' folders (workdirs.py); removed below however this ends
    work = workdirs.new(workdirs.validation_area(), "validate")
    snap = work / "snap"
    try:
        manifest = build([SourceSpec(path, column_map=column_map or {}, profile=profile, sheet=sheet)], date, snap, work, progress=progress)
        src = manifest["sources"][0]
        progress("writing annotated.csv and the report …")
        con = duck.connect(spatial=False)
        duck.limit(con, work / "spill")
        # the file's own rows as staged (all text, its headers): the snapshot keeps them (layout 5)
        # (a Parquet input of text columns is kept as it is: read through its stored casts)
        raw = snap / source_file(src["index"])
        con.execute(f"CREATE VIEW r AS SELECT * FROM {staged_relation(raw, src['canonical'].get('cast'), src['canonical']['columns'])}")
        cols = [c for (c,) in con.execute("SELECT column_name FROM (DESCRIBE r)").fetchall() if c != "source_row"]
        ragged = "row_cells" in cols and con.execute("SELECT count(row_cells) FROM r").fetchone()[0] > 0
        if not ragged:
            cols = [c for c in cols if c not in ("row_cells", "overflow_cells")]   # no ragged row: no shape columns
        # the records, whatever the layout, with the columns each query names (layout 5 joins the
        # verbatim texts back only for a query that reads them)
        occ = lambda sql: store.records_sql(snap, need=sql)   # noqa: E731
        prof = profiles.by_id()[src["profile"]]
        # the BDQ tests about what this kind of table never records (an event table's taxon, a species
        # list's place and date): not applied to it, named once in the report
        not_applicable = bdq.not_applicable(prof.not_about)
        bdq_counts = {t: dict(v) for t, v in _bdq_counts(con, snap).items() if t not in not_applicable}
        # the BDQ tests whose answer is the file's (no record could be judged; every record fails for a
        # column the file lacks): named once in the report, not on every row of the annotated file
        # (on the bench input ~1,200 characters a row of the same test names: half the file)
        nowhere, lacking = bdq.file_level(bdq_counts, src["columns_mapped"].values())
        with rows_progress(con, "writing", manifest["rows_read"], progress):
            _write_annotated(con, _neutralised(cols), occ(ANNOTATED_NEED), snap, out, nowhere + lacking + not_applicable)
        counts = dict(con.execute(f"SELECT check_id, count(*) FROM read_parquet({duck.q(snap / 'flags.parquet')}) GROUP BY 1 ORDER BY 2 DESC, 1").fetchall())
        # how many of each check's rows are notes below the table (ROW_BELOW_TABLE): the report's to-do says
        # to delete those, not to fill in what they lack (a real plant list: 15 "name missing", all of them notes)
        below = dict(con.execute(f"""SELECT check_id, count(*) FROM read_parquet({duck.q(snap / 'flags.parquet')})
            WHERE check_id <> 'ROW_BELOW_TABLE' AND record_id IN (SELECT record_id FROM read_parquet({duck.q(snap / 'flags.parquet')})
                                                                 WHERE check_id = 'ROW_BELOW_TABLE') GROUP BY 1""").fetchall()) \
            if "ROW_BELOW_TABLE" in counts else {}
        cat = by_id()
        figures = f"""SELECT count(*) FILTER (WHERE e.n_errors > 0),
              count(*) FILTER (WHERE e.n_warnings > 0), count(*) FILTER (WHERE e.n_notes > 0), avg({profiles.completeness_sql('e')}),
              count(*) FILTER (WHERE {profiles.GOLD_SQL}), count(*) FILTER (WHERE {profiles.SILVER_SQL} AND NOT {profiles.GOLD_SQL}),
              count(*) FILTER (WHERE NOT {profiles.SILVER_SQL})"""
        rows_err, rows_warn, rows_notes, compl, gold, silver, bronze = con.execute(f"{figures} FROM {occ(figures)} e").fetchone()
        # what keeps records from the next TBIA tier, requirement by requirement (a file can lack one
        # column and have every record bronze for it), and the names the file itself does not give
        # (none for a profile TBIA's tiers do not grade: an event table names no taxon)
        tiered = {"tiers": None, "tier_gaps": {}, "tier_names_not_in_file": 0}
        if profiles.tiered(prof.id, src.get("table", standard.OCCURRENCE)):
            req = profiles.tier_requirements()
            s_, g_ = profiles.SILVER_SQL, profiles.GOLD_SQL
            gaps = [(t, k, f"count(*) FILTER (WHERE NOT {s_} AND NOT ({q}))" if t == "silver" else
                     f"count(*) FILTER (WHERE {s_} AND NOT {g_} AND NOT ({q}))") for t in ("silver", "gold") for k, q in req[t].items()]
            gap_sql = f"""SELECT {', '.join(q for _, _, q in gaps)},
                  count(*) FILTER (WHERE NOT ({req['silver']['name']}) AND e.accepted_name IS NOT NULL)"""
            got = con.execute(f"{gap_sql} FROM {occ(gap_sql)} e").fetchone()
            tiered = {"tiers": {"gold": int(gold), "silver": int(silver), "bronze": int(bronze)},
                      "tier_gaps": {t: {k: int(n) for (t2, k, _), n in zip(gaps, got) if t2 == t and n} for t in ("silver", "gold")},
                      "tier_names_not_in_file": int(got[-1])}
        elsewhere = prof.id == profiles.OCCURRENCE and {"COORD_MISSING", "DATE_MISSING"} <= set(src["checks_file_level"])
        has_event = "eventID" in src["columns_mapped"].values()
        file_findings = {cid: {"severity": cat[cid].severity, "dimension": cat[cid].dimension, "columns": list(cat[cid].named_columns),
                               "title_zh": cat[cid].title_zh, "title_en": cat[cid].title_en, "rows": src["file_findings"][cid]}
                         for cid in sorted(src["checks_file_level"], key=lambda c: (cat[c].severity != "error", c))}
        file_errors = [c for c, f in file_findings.items() if f["severity"] == "error"]
        # a blank line (a file's trailing white space) is in the ledger, but no data was lost with it
        blank = con.execute(f"""SELECT count(*) FROM read_parquet({duck.q(snap / 'rejected.parquet')})
            WHERE reason LIKE 'blank line%' OR reason LIKE 'empty row%'""").fetchone()[0]
        summary = {
            "file": path.name, "table": src["table"], "format": src["format"], "encoding": src["encoding"],
            "profile": prof.id, "profile_name_zh": prof.name_zh, "profile_name_en": prof.name_en,
            "profile_how": src["profile_reason"]["how"],
            "profile_reason_zh": profiles.reason_text(prof.id, src["profile_reason"], "zh"),
            "profile_reason_en": profiles.reason_text(prof.id, src["profile_reason"], "en"),
            "rows_read": manifest["rows_read"], "rows_checked": manifest["rows_ingested"],
            "rows_rejected": manifest["rows_rejected"],
            # record-level errors only: a column the file lacks is one file-level finding, not N row errors
            "rows_with_errors": int(rows_err), "rows_with_warnings": int(rows_warn),
            "rows_with_notes": int(rows_notes),
            "completeness": None if compl is None else round(float(compl), 4),
            **tiered,
            "rows_rejected_blank": int(blank),
            # a file without a single data row (a header alone, or blank rows only) has nothing to submit
            "verdict": "fix_first" if rows_err or file_errors or manifest["rows_rejected"] - blank else
                       "empty" if manifest["rows_ingested"] == 0 else "ready",
            "file_findings": file_findings,
            # an occurrence file whose places and dates are elsewhere: with eventID, in an event file (BBS
            # Taiwan's occurrence table, validated alone: the two belong together in a DwC-A); else in a
            # site table, joined by the column that names the sites (NTU/OCA's reef fish: Site)
            "event_file_hint": elsewhere and has_event,
            "site_file_hint": next((h for h, t in src["columns_mapped"].items() if t in ("locationID", "verbatimLocality", "locality")), None)
                              if elsewhere and not has_event else None,
            "checks": {k: {"count": v, "severity": cat[k].severity, "dimension": cat[k].dimension, "title_zh": cat[k].title_zh,
                           "title_en": cat[k].title_en, **({"below_table": int(below[k])} if below.get(k) else {})}
                       # errors first, then warnings and notes, each by count: the page's order (the report listed
                       # 1,651 "name missing" errors sixth, under four warnings and a note: a walk)
                       for k, v in sorted(counts.items(), key=lambda kv: (SEVERITY_RANK[cat[kv[0]].severity], -kv[1], kv[0]))},
            # TDWG BDQ responses: per test, records per status (COMPLIANT / NOT_COMPLIANT / cannot judge …)
            "bdq": bdq_counts,
            "bdq_judged_nowhere": nowhere, "bdq_failed_for_missing_columns": lacking, "bdq_not_applicable": not_applicable,
            "columns_mapped": src["columns_mapped"], "columns_extra": src["columns_extra"],
            "columns_suspicious": suspicious_mappings(con, occ, src["columns_mapped"]),
            "checks_judged": src["checks_record_level"],
            # absence records (count 0, occurrenceStatus absent): kept and counted, never presences
            "rows_absence": con.execute(f"SELECT count(*) FROM {occ('is_absence')} WHERE is_absence").fetchone()[0],
            # an event table's parent events (named as parentEventID by others): their points and dates are the children's
            "rows_parent_events": con.execute(f"SELECT count(*) FROM {occ('is_parent_event')} WHERE is_parent_event").fetchone()[0]
                                  if prof.id == profiles.EVENT else 0,
            "columns_plan": src.get("columns_plan", []),
            "notes": src.get("notes", []),     # how the file was read: guessed encoding, ragged rows, renamed headers
            "sheets": src.get("sheets"),       # a workbook's sheet read and those not read
        }
        (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        con.close()
        for lang in ("zh", "en"):
            html = report.validation_html(summary, snap, lang=lang)
            (out / ("report.html" if lang == "zh" else "report_en.html")).write_text(html, encoding="utf-8")
        return summary
    finally:
        shutil.rmtree(work, ignore_errors=True)



# what the annotated file reads of each record (the verbatim cells come from the staged rows themselves)
ANNOTATED_NEED = ("record_id source_row errors warnings notes lat lon county town accepted_name match_type name_source qty_kind")


def _neutralised(cols: list[str]) -> tuple[str, str]:
    """(relation, select list): the staged view `r` with every text cell and header neutralised, as
    annotated.csv is opened in Excel. The cells go through one list_transform per row, so the
    formula test is written (and its regular expressions compiled) once: written per column, a
    file of 1,500 columns spent 15 s planning 3,000 regular expressions before reading a row."""
    if not cols:
        return "r", ""
    cells = ", ".join(f"r.{duck.ident(c)}::VARCHAR" for c in cols)
    rel = f"(SELECT r.source_row, list_transform([{cells}], x -> {formulas.sql('x')}) AS cells FROM r) r"
    return rel, "".join(f"r.cells[{i}] AS {duck.ident(formulas.value(c))}, " for i, c in enumerate(cols, start=1))


def _write_annotated(con, neutralised: tuple[str, str], occ: str, snap: Path, out: Path, file_level=()) -> None:
    """annotated.csv: every input row (the staged view `r`) with its results, rejected rows with their reason."""
    rel, sel = neutralised
    # a flag without a suggestion of its own gets its check's general to-do, as the report and the fix
    # lists give it: the column had been empty on rows the report showed a fix for (every low-precision point)
    load_messages(con, lang="zh", name="_meta_zh")
    load_messages(con, lang="en", name="_meta_en")
    blank_zh, blank_en = duck.q(t("ann_blank_row", "zh")), duck.q(t("ann_blank_row", "en"))
    query = f"""
        SELECT {sel}r.source_row::BIGINT AS dq_row, o.errors AS dq_errors, o.warnings AS dq_warnings, o.notes AS dq_notes,
               round(o.lat, 6) AS dq_lat, round(o.lon, 6) AS dq_lon, o.county AS dq_county, o.town AS dq_town,
               o.accepted_name AS dq_accepted_name, o.match_type AS dq_match_type, o.name_source AS dq_name_source,
               o.qty_kind AS dq_quantity_kind,
               -- a row of blank cells is in the ledger, not checked: said on its row, which had read as a clean one
               {formulas.sql(f"CASE WHEN o.source_row IS NULL THEN {blank_zh} ELSE s.suggestions END")} AS dq_suggestions,
               {formulas.sql(f"CASE WHEN o.source_row IS NULL THEN {blank_en} ELSE s.suggestions_en END")} AS dq_suggestions_en,
               b.bdq_not_compliant AS dq_bdq_not_compliant, b.bdq_cannot_judge AS dq_bdq_cannot_judge,
               {formulas.sql('b.bdq_amendments')} AS dq_bdq_amendments
        FROM {rel}
        LEFT JOIN {occ} o ON o.source_row = r.source_row
        -- no closing full stop before the separator ("…約 1 公里）。；改為…", "≈ 1 km).; Write…"); an abbreviation's
        -- stop stays ("Rana sp.; …"), and the last fix keeps its own
        LEFT JOIN (SELECT record_id, replace(string_agg(coalesce(nullif(trim(suggestion), ''), mz.todo), '；' ORDER BY check_id), '。；', '；') AS suggestions,
                          regexp_replace(string_agg(coalesce(nullif(trim({store.suggestion_col(snap, 'en', alias='fl')}), ''), me.todo), '; ' ORDER BY check_id),
                                         '([a-z]{{3,}}|\\bit|\\))\\.; ', '\\1; ', 'g') AS suggestions_en
                   FROM read_parquet({duck.q(snap / 'flags.parquet')}) fl LEFT JOIN _meta_zh mz USING (check_id)
                   LEFT JOIN _meta_en me USING (check_id) GROUP BY record_id) s ON s.record_id = o.record_id
        LEFT JOIN ({bdq.record_summary_sql(snap / 'bdq.parquet', file_level)}) b ON b.record_id = o.record_id
        UNION ALL BY NAME
        SELECT source_row::BIGINT AS dq_row, 'ROW_REJECTED' AS dq_errors,
               '無法解析，原始內容：' || left(raw, 2000) || '（' || reason || '）' AS dq_suggestions,
               'Could not be read. Raw content: ' || left(raw, 2000) || ' (' || reason || ')' AS dq_suggestions_en
        FROM read_parquet({duck.q(snap / 'rejected.parquet')}) WHERE raw IS NOT NULL"""
    # Excel opens a CSV as UTF-8 only when it starts with a byte-order mark (zh-TW Windows reads Big5
    # otherwise and garbles every Chinese cell): the first header is written with one, as the fix lists are
    first = con.execute(f"SELECT * FROM ({query}) LIMIT 0").description[0][0]
    target = out / "annotated.csv"
    if any(ch in first for ch in ',"\r\n'):
        # a heading the writer quotes would carry the mark inside its quote: the file is copied behind one
        part = out / "annotated.csv.part"
        con.execute(f"COPY ({query} ORDER BY dq_row) TO {duck.q(part)} (HEADER, DELIMITER ',')")
        with open(part, "rb") as src, open(target, "wb") as dst:
            dst.write(b"\xef\xbb\xbf")
            shutil.copyfileobj(src, dst, 1 << 20)
        part.unlink()
        return
    order = duck.ident(chr(0xFEFF) + first if first == "dq_row" else "dq_row")
    con.execute(f"""COPY (SELECT * RENAME ({duck.ident(first)} AS {duck.ident(chr(0xFEFF) + first)}) FROM ({query}) ORDER BY {order})
                    TO {duck.q(target)} (HEADER, DELIMITER ',')""")


def _bdq_counts(con, snap: Path) -> dict[str, list[tuple[str, int]]]:
    out: dict[str, list[tuple[str, int]]] = {}
    for test, status, n in con.execute(f"""SELECT test, status, sum(n)::BIGINT FROM read_parquet({duck.q(snap / 'agg_bdq.parquet')})
                                          GROUP BY ALL ORDER BY ALL""").fetchall():
        out.setdefault(test, []).append((status, n))
    return out


# one "key":"value" pair of a JSON object whose values are strings (BDQ's proposed values)
PAIR_RX = '"([^"]+)":"((?:[^"\\\\]|\\\\.)*)"'

# annotated.csv's own columns (in its order) and their headings in a reader's copy (readable_annotated)
ANNOTATED_OURS = ("dq_row", "dq_errors", "dq_warnings", "dq_notes", "dq_lat", "dq_lon", "dq_county", "dq_town", "dq_accepted_name",
                  "dq_match_type", "dq_name_source", "dq_quantity_kind", "dq_suggestions", "dq_suggestions_en",
                  "dq_bdq_not_compliant", "dq_bdq_cannot_judge", "dq_bdq_amendments")


def readable_annotated(src: Path, dst: Path, lang: str) -> None:
    """A copy of annotated.csv for a reader (the validate page's download): our columns headed in the
    language (dq_errors → 錯誤 / Errors), check ids and TDWG BDQ test labels as their titles, match types,
    name sources and count kinds in words, counties and towns in the language, and only that language's
    suggestions. The file's own columns stay as they are, in the same order, every row; annotated.csv
    itself keeps its ids for scripts and the CLI."""
    import csv
    import os
    from .checks import catalogue
    from .i18n import LABELS, t
    # the headings read as Python's csv reads them: DuckDB's sniffer refused a first heading written
    # quoted ("site, plot") behind the byte-order mark, and without options took a data row for them
    with open(src, encoding="utf-8-sig", newline="") as f:
        cols = next(csv.reader(f))
    if tuple(cols[-len(ANNOTATED_OURS):]) != ANNOTATED_OURS:
        raise ValueError("not an annotated.csv of this version")
    own = cols[:-len(ANNOTATED_OURS)]
    as_read = {f"c{i}": "VARCHAR" for i in range(len(cols))}
    col = dict(zip(cols, as_read))      # a heading → the name it is read under (never pasted into SQL)
    rel = (f"read_csv({duck.q(src)}, auto_detect=false, header=false, skip=1, delim=',', quote='\"', escape='\"', "
           f"columns={{{', '.join(f'{duck.q(k)}: {duck.q(v)}' for k, v in as_read.items())}}})")
    from .checks import bdq as bdq_tests
    checks = catalogue()
    ids = [c.id for c in checks] + [x.label for x in bdq_tests.TESTS] + ["ROW_REJECTED"]
    titles = ([c.title_en if lang == "en" else c.title_zh for c in checks]
              + [x.title_en if lang == "en" else x.title_zh for x in bdq_tests.TESTS] + [t("ann_row_rejected", lang)])
    sep = "; " if lang == "en" else "；"

    def labels(prefix: str) -> tuple[list[str], list[str]]:
        """The values the labels `prefix`<value> name (match_exact …) and their words in `lang`."""
        keys = [k for k in LABELS if k.startswith(prefix)]
        return [k[len(prefix):] for k in keys], [t(k, lang) for k in keys]
    match, source, kinds = labels("match_"), labels("ns_"), labels("qk_")
    con = duck.connect(spatial=False)
    # the page's server process: a large file spills beside it instead of growing the server
    duck.limit(con, dst.parent / "spill")
    try:
        counties, towns = store.place_names()
        params = [ids, titles, *match, *source, *kinds, list(counties), list(counties.values()),
                  [f"{c}|{t_}" for c, t_ in towns], list(towns.values())]
        r = lambda name: f"r.{col[name]}"     # noqa: E731
        word = lambda name, m: f"coalesce(map_extract_value(m.{m}, {r(name)}), {r(name)})"     # noqa: E731
        def titled(name: str, quoted: bool = False) -> str:
            """A list of check ids or BDQ labels as their titles; `quoted`: each title in quotes, a test's name and not
            a finding (a test that could not judge, "Both coordinates are zero", read as if the point were zero)."""
            q0, q1 = ("“", "”") if en else ("「", "」")
            title = f"coalesce(map_extract_value(m.ck, x), x)"
            title = f"'{q0}' || {title} || '{q1}'" if quoted else title
            return f"array_to_string(list_transform(string_split({r(name)}, ';'), x -> {title}), '{sep}')"
        en = lang == "en"
        # a file with short or long rows carries the readers' shape columns (written before ours): ours too
        shape = [(c, r(c)) for c in own[-2:]] if own[-2:] == ["overflow_cells", "row_cells"] else []
        own = own[:len(own) - len(shape)]
        ours = shape + [
            ("dq_row", r("dq_row")), ("dq_errors", titled("dq_errors")), ("dq_warnings", titled("dq_warnings")),
            ("dq_notes", titled("dq_notes")),
            ("dq_lat", r("dq_lat")), ("dq_lon", r("dq_lon")),
            ("dq_county", word("dq_county", "co") if en else r("dq_county")),
            ("dq_town", f"coalesce(map_extract_value(m.tw, {r('dq_county')} || '|' || {r('dq_town')}), {r('dq_town')})" if en else r("dq_town")),
            ("dq_accepted_name", r("dq_accepted_name")), ("dq_match_type", word("dq_match_type", "mt")),
            ("dq_name_source", word("dq_name_source", "ns")), ("dq_quantity_kind", word("dq_quantity_kind", "qk")),
            ("dq_suggestions", r("dq_suggestions_en") if en else r("dq_suggestions")),
            ("dq_bdq_not_compliant", titled("dq_bdq_not_compliant")), ("dq_bdq_cannot_judge", titled("dq_bdq_cannot_judge", quoted=True)),
            # TDWG's JSON objects of proposed values, one per amendment ({"dwc:geodeticDatum":"EPSG:4326"}
            # {"dwc:year":"2020",…}), as "term → value" pairs, each value decoded as the JSON string it is
            # (a backslash, a quote or a line break in it came out escaped); no pair to show ("{}", every
            # proposed value NULL) leaves the text as it was, "{}" as blank
            ("dq_bdq_amendments", f"""CASE WHEN contains(a.am, '{{') AND len(a.pairs) > 0
                THEN array_to_string(list_transform(a.pairs, p -> p[1] || ' → ' ||
                     coalesce(try(json_extract_string('"' || p[2] || '"', '$')), p[2])), '{sep}')
                ELSE nullif(trim(a.am), '{{}}') END""")]
        # a heading of ours the file already has (in any case: DuckDB would have renamed ours "Errors_1") is
        # marked until it is one of its own
        taken = {c.lower() for c in own}
        heads = []
        for c, _ in ours:
            h = t("ann_" + c.removeprefix("dq_"), lang)
            while h.lower() in taken:
                h += " (dq)"
            taken.add(h.lower())
            heads.append(h)
        sel = [f"{r(c)} AS {duck.ident(c)}" for c in own] + [f"{sql} AS {duck.ident(h)}" for (_, sql), h in zip(ours, heads)]
        part = dst.with_name(dst.name + ".part")
        # in the file's own order: annotated.csv is written ordered by row, but DuckDB's parallel CSV reader
        # hands a file of several chunks over in any order (a walk's reef-fish copy began at row 10,359)
        con.execute(f"""COPY (WITH m AS (SELECT map(?::VARCHAR[], ?::VARCHAR[]) AS ck, map(?::VARCHAR[], ?::VARCHAR[]) AS mt,
                                                map(?::VARCHAR[], ?::VARCHAR[]) AS ns, map(?::VARCHAR[], ?::VARCHAR[]) AS qk,
                                                map(?::VARCHAR[], ?::VARCHAR[]) AS co, map(?::VARCHAR[], ?::VARCHAR[]) AS tw)
                              SELECT {', '.join(sel)} FROM {rel} r, m,
                                     LATERAL (SELECT {r('dq_bdq_amendments')} AS am, list_zip(regexp_extract_all({r('dq_bdq_amendments')}, '{PAIR_RX}', 1),
                                              regexp_extract_all({r('dq_bdq_amendments')}, '{PAIR_RX}', 2)) AS pairs) a
                              ORDER BY try_cast({r('dq_row')} AS BIGINT))
                        TO {duck.q(part)} (HEADER, DELIMITER ',')""", params)
    finally:
        con.close()
    # Excel reads a CSV as UTF-8 only behind a byte-order mark (as annotated.csv is written); the copy
    # is put in place whole, never left half-written where the page would offer it
    tmp = dst.with_name(dst.name + ".tmp")
    with open(part, "rb") as f_in, open(tmp, "wb") as f_out:
        f_out.write(b"\xef\xbb\xbf")
        shutil.copyfileobj(f_in, f_out, 1 << 20)
    part.unlink()
    os.replace(tmp, dst)
