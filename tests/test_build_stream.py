"""The streaming build (issue #14): what it writes agrees with itself and with the aggregates'
plain definitions, blank rows still reach the ledger, and the bench input is what it says.
No timings here: speed figures come from `python -m dq bench`."""
import duckdb
import pytest

from dq.snapshot import SourceSpec, build

from conftest import FIX


@pytest.fixture(scope="module")
def snap(tmp_path_factory):
    work = tmp_path_factory.mktemp("stream")
    # CONSTRUCTED TEST ROWS: two records and two rows whose every cell is blank
    blank = work / "constructed_blank_rows.csv"
    blank.write_text("occurrenceID,scientificName,eventDate,decimalLatitude,decimalLongitude\n"
                     "c-1,Polypedates megacephalus,2024-05-01,23.9,120.5\n,,,,\n , ,　,,\n"
                     "c-2,Polypedates megacephalus,2024-05-02,24.1,120.7\n", encoding="utf-8")
    specs = [SourceSpec(blank, agency="測試"), SourceSpec(FIX / "constructed_occurrence.csv"), SourceSpec(FIX / "frog_head_damaged.csv", agency="測試"),
             SourceSpec(FIX / "taicol_amphibia_20220605.csv", agency="測試")]
    m = build(specs, "2026-11-22", work / "snap", work, progress=lambda msg: None)
    return work / "snap", m


def q(sql):
    return duckdb.sql(sql).fetchall()


def test_flags_are_the_fired_ids_of_each_record(snap):
    from dq import store
    d, m = snap
    occ, flags = store.records_sql(d), f"'{d}/flags.parquet'"
    assert q(f"SELECT count(*) FROM {flags}")[0][0] == q(f"SELECT sum(n_errors + n_warnings + n_notes) FROM {occ}")[0][0] == m["flags"] > 0
    # per record, the set of flagged checks is exactly the ids listed in errors, warnings and notes
    diff = q(f"""WITH a AS (SELECT record_id, unnest(string_split(concat_ws(';', errors, warnings, notes), ';')) AS c FROM {occ}
                            WHERE errors IS NOT NULL OR warnings IS NOT NULL OR notes IS NOT NULL),
                      b AS (SELECT record_id, check_id AS c FROM {flags})
                 SELECT count(*) FROM ((SELECT * FROM a EXCEPT ALL SELECT * FROM b) UNION ALL (SELECT * FROM b EXCEPT ALL SELECT * FROM a))""")
    assert diff[0][0] == 0
    # a fired check with a plain-text fix always carries it; no suggestion is an empty text
    assert q(f"SELECT count(*) FROM {flags} WHERE check_id = 'COORD_MISSING' AND suggestion IS NULL")[0][0] == 0
    assert q(f"SELECT count(*) FROM {flags} WHERE suggestion = ''")[0][0] == 0


@pytest.mark.parametrize("name, keys, where", [
    ("agg_dataset_check", "o.agency, o.dataset_id", ""),
    ("agg_town_check", "o.agency, o.dataset_id, o.county, o.town", ""),
    ("agg_h3_check", "o.agency, o.dataset_id, o.h3_r7", "WHERE o.h3_r7 IS NOT NULL"),
])
def test_per_check_aggregates_equal_flags_joined_with_records(snap, name, keys, where):
    """The aggregates are computed from grouped id lists; their definition is flags ⋈ records."""
    from dq import store
    d, _ = snap
    plain = f"""SELECT {keys}, f.check_id, count(*) AS n FROM '{d}/flags.parquet' f
                JOIN {store.records_sql(d)} o USING (record_id) {where} GROUP BY ALL"""
    written = f"SELECT * FROM '{d}/{name}.parquet'"
    assert q(f"SELECT count(*) FROM ({plain})")[0][0] > 0
    assert q(f"SELECT count(*) FROM (({plain} EXCEPT ALL {written}) UNION ALL ({written} EXCEPT ALL {plain}))")[0][0] == 0


def test_blank_rows_reach_the_ledger_and_counts_reconcile(snap):
    from dq import store
    d, m = snap
    rej = q(f"SELECT source_file, reason FROM '{d}/rejected.parquet'")
    assert sum(r[0] == "constructed_blank_rows.csv" and r[1].startswith("empty row") for r in rej) == 2
    for s in m["sources"]:
        assert s["rows_read"] == s["rows_ingested"] + s["rows_rejected"], s["name"]
        assert q(f"SELECT count(*) FROM {store.records_sql(d)} WHERE source_file = ?".replace("?", repr(s["name"])))[0][0] == s["rows_ingested"]
    assert set(m["timings_s"]["phases"]) >= {"read", "derive", "write_occurrence", "write_flags", "aggregates"}


def test_bench_input_is_spread_over_agencies_and_datasets(tmp_path):
    from dq.bench import AGENCIES, DATASETS, make_input
    src = make_input(5000, tmp_path / "in.parquet", tmp_path)
    agencies, datasets, constructed = q(f"""SELECT count(DISTINCT publisher), count(DISTINCT datasetID),
        bool_and(publisher LIKE 'constructed%' AND datasetName LIKE 'constructed%') FROM '{src}'""")[0]
    assert (agencies, datasets, constructed) == (AGENCIES, DATASETS, True) and AGENCIES >= 6 and DATASETS >= 40
    # the rows come as a survey's file holds them: whole events, each event's rows together (BBS: ~11 a
    # count); --shuffled draws rows one by one, so neighbours rarely share an event
    runs = f"""SELECT count(*) / count(*) FILTER (WHERE eventID IS DISTINCT FROM prev) FROM
        (SELECT eventID, lag(eventID) OVER () AS prev FROM read_parquet('{{}}'))"""
    assert q(runs.format(src))[0][0] > 5
    shuffled = make_input(2000, tmp_path / "shuffled.parquet", tmp_path, shuffled=True)
    assert q(runs.format(shuffled))[0][0] < 1.2 and q(f"SELECT count(*) FROM '{shuffled}'")[0][0] == 2000
    m = build([SourceSpec(src)], "2026-11-22", tmp_path / "snap", tmp_path, progress=lambda msg: None)
    flagged = dict(q(f"SELECT check_id, count(*) FROM '{tmp_path}/snap/flags.parquet' GROUP BY 1"))
    for cid in ("COORD_SWAPPED", "COORD_ZERO", "COORD_NEGATED", "COORD_PROJECTED_AS_DEGREES", "DATE_ROC_YEAR",
                "DATE_MISSING", "VOCAB_QUANTITY", "VOCAB_QUANTITY_APPROXIMATE", "VOCAB_BASIS_OF_RECORD", "DUP_OCCURRENCE_ID"):
        assert flagged.get(cid, 0) > 0, cid
    assert q(f"SELECT count(DISTINCT agency) FROM '{tmp_path}/snap/agg_dataset.parquet'")[0][0] == AGENCIES
    assert m["rows_ingested"] == 5000
    # `dq bench --tsv`: the same rows as a GBIF download's tab-delimited file; the yardstick judges them alike
    from dq import bench_pandas
    from dq.bench import to_tsv
    tsv = to_tsv(src, tmp_path / "in.tsv")
    assert q(f"SELECT count(*) FROM read_csv('{tsv}', delim='\t', header=true, all_varchar=true)")[0][0] == 5000
    for d in ("p1", "p2"):
        (tmp_path / d).mkdir()
    a, b = bench_pandas.run(src, tmp_path / "p1"), bench_pandas.run(tsv, tmp_path / "p2")
    assert a["rows"] == b["rows"] == 5000 and a["flags"] == b["flags"] > 0


def test_pages_bench_refuses_a_snapshot_the_dashboard_would_not_show(tmp_path, monkeypatch):
    # a big snapshot in a folder not named by its date was left out of the dashboard's list, and the
    # pages were timed on the demo snapshot under the big one's heading
    import shutil
    import pytest
    from dq import bench
    from dq.paths import DEMO_ROOT
    demo = sorted(DEMO_ROOT.iterdir())[-1]
    monkeypatch.setenv("DQ_SNAPSHOT_ROOTS", "")     # bench.pages sets it: undone after the test, never leaked into others
    monkeypatch.setattr(bench, "_page_child", lambda *a: pytest.fail("the pages ran"))
    monkeypatch.setattr(bench.subprocess, "run", lambda *a, **k: pytest.fail("the pages ran"))
    for name in ("snap", demo.name, "2000-01-01"):     # not a date; the demo's own date; older than the demo
        d = tmp_path / name / name
        d.mkdir(parents=True)
        shutil.copy(demo / "manifest.json", d / "manifest.json")
        with pytest.raises(SystemExit, match="named by its date|as new or newer"):
            bench.pages(snapshot=d)


# ---- the same outputs as their per-record definitions, on real files and a 30k-row bench input ----
from dq.paths import SHARED_DATA  # noqa: E402

REAL = [SHARED_DATA / "occurrence" / "invasive_frog_polypedates_megacephalus.csv",
        SHARED_DATA / "occurrence" / "amphibian_survey_2008_2016.csv"]


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    if not all(p.exists() for p in REAL):
        pytest.skip("needs ../shared/data")
    from dq.bench import make_input
    work = tmp_path_factory.mktemp("real")
    # the bench input: real BBS rows resampled over constructed agencies and datasets, faults injected;
    # 30,000 rows so that the occurrenceID group is answered per record (more than 10,000 rows)
    bench = make_input(30_000, work / "constructed_bench_30k.parquet", work)
    specs = [SourceSpec(p) for p in REAL] + [SourceSpec(bench)]
    m = build(specs, "2026-11-22", work / "snap", work, progress=lambda msg: None)
    return work / "snap", m


def _same(con, a: str, b: str) -> int:
    """Rows in one query and not the other (as multisets); 0 when they are equal."""
    return con.execute(f"SELECT count(*) FROM (({a} EXCEPT ALL {b}) UNION ALL ({b} EXCEPT ALL {a}))").fetchone()[0]


def test_bdq_answers_equal_each_records_own_evaluation(real):
    """bdq.parquet + its per-combination files give every record the answer its own columns give."""
    from dq import duck
    from dq.checks import bdq
    d, m = real
    con = duck.connect(spatial=False)
    from dq import store
    con.execute(f"CREATE VIEW occ AS SELECT * FROM {store.records_sql(d)}")
    rel = bdq.derive(con, "occ")
    cols = ["r.record_id"]
    for t in bdq.TESTS:
        cols.append(f'({bdq.status_sql(t, "r")}) AS "{t.label}"')
        if t.kind in ("AMENDMENT", "MEASURE"):
            cols.append(f'({bdq.result_sql(t, "r")}) AS "{t.label}:result"')
    # each record's own evaluation, computed once (the comparison and the aggregate below both read it)
    con.execute(f"CREATE TEMP TABLE plain_answers AS SELECT {', '.join(cols)} FROM {rel} r")
    plain = "SELECT * FROM plain_answers"
    written = bdq.records_sql(d)
    assert con.execute(f"SELECT count(*) FROM ({written})").fetchone()[0] == m["rows_ingested"] > 30_000
    assert len(list(d.glob("bdq_g*.parquet"))) >= 3
    assert _same(con, plain, written) == 0
    labels = ", ".join(f'"{t.label}"' for t in bdq.TESTS)
    agg = f"""SELECT o.agency, o.dataset_id, u.test, u.status, count(*) AS n
        FROM (UNPIVOT ({plain}) ON {labels} INTO NAME test VALUE status) u JOIN occ o USING (record_id) GROUP BY ALL"""
    assert _same(con, agg, f"SELECT * FROM '{d}/agg_bdq.parquet'") == 0


def test_bdq_answers_do_not_depend_on_how_they_are_grouped(real, tmp_path, monkeypatch):
    """The estimate of distinct combinations (from the first records only, #14) and the bundling
    decide how the answers are computed, never what they are: with a 50-record estimate, no
    bundling and no constant columns the same answers per record and the same agg_bdq."""
    from dq import duck, store
    from dq.checks import bdq
    d, m = real
    con = duck.connect(spatial=False)
    con.execute(f"CREATE VIEW occ AS SELECT * FROM {store.records_sql(d)}")
    monkeypatch.setattr(bdq, "ESTIMATE_ROWS", 50)
    monkeypatch.setattr(bdq, "BUNDLE_MAX", 1)
    bdq.write_outputs(con, tmp_path)
    assert len(list(tmp_path.glob("bdq_g*.parquet"))) > len(list(d.glob("bdq_g*.parquet")))
    assert _same(con, bdq.records_sql(d), bdq.records_sql(tmp_path)) == 0
    assert _same(con, f"SELECT * FROM '{d}/agg_bdq.parquet'", f"SELECT * FROM '{tmp_path}/agg_bdq.parquet'") == 0


def test_validate_reports_phase_and_rows_done(tmp_path, frog_validated):
    """`dq validate` says, while a pass runs, how many of its rows are done; the page reads the last such line."""
    from dq import validate_job
    s, _, lines = frog_validated    # REAL[0] through validate once for the session, its progress lines kept (tests/conftest.py)
    counts = [(m.group(1), int(m.group(2).replace(",", "")), int(m.group(3).replace(",", "")))
              for m in map(validate_job.ROWS_RX.match, lines) if m]
    total = s["rows_checked"]
    assert ("checking", total, total) in counts and ("checking_bdq", total, total) in counts
    assert ("writing", s["rows_read"], s["rows_read"]) in counts
    for phase in ("checking", "checking_bdq", "writing"):
        done = [d for p, d, _ in counts if p == phase]
        assert done == sorted(done) and all(0 <= d <= (total if phase == "checking" else s["rows_read"]) for d in done)
    job = validate_job.Job(tmp_path, "x.csv", -1)
    (tmp_path / "log.txt").write_text("reading x.csv …\nchecking: 1,200 / 21,387 rows\n", encoding="utf-8")
    assert validate_job.rows(job) == (1200, 21387)
    (tmp_path / "log.txt").write_text("checking: 1,200 / 21,387 rows\nwriting annotated.csv and the report …\n", encoding="utf-8")
    assert validate_job.rows(job) is None


def test_columns_no_source_has_are_not_written_and_read_back_as_null(real):
    """Layout 2 and 3: a canonical column that no source of the snapshot has costs the writer as much
    as a filled one, so it is left out of occurrence.parquet; store.records_sql gives it back as NULL,
    in place. Layout 3: the derived columns are not in the record file either, only the keys."""
    from dq import engine, store
    from dq.snapshot import LAYOUT
    d, m = real
    assert m["layout"] == LAYOUT == 5
    omitted = m["record_columns_omitted"]
    assert "footprintWKT" in omitted and "scientificName" not in omitted and "county" not in omitted
    written = [r[0] for r in q(f"DESCRIBE SELECT * FROM '{d}/occurrence.parquet'")]
    p = engine.plan()
    assert not set(omitted) & set(written)
    assert {"county", "accepted_name", "event_date_parsed", "lat", "c_swapped"}.isdisjoint(written)
    assert {"pk", "nk", "dk", "qk", "_m0"} <= set(written) and {"errors", "warnings", "n_errors", "err_coordinates"}.isdisjoint(written)
    # layout 4: the check masks in place of the summary, which lookup_rsum gives back per distinct mask;
    # the filled-field mask the completeness aggregates read; layout 5: no verbatim text
    assert set(engine.VERBATIM).isdisjoint(written) and {"record_id", "source_row", "agency", "dataset_id"} <= set(written)
    assert set(written) | set(engine.VERBATIM) | set(p.derived) | {"snapshot_date"} | set(engine.SUMMARY) | set(engine.PER_SOURCE) == \
        set(m["record_columns"]) | set(engine.read_plan(p).record_cols) | {"_m0", "_f0"} | set(engine.RECORD_FACTS) | set(engine.VERBATIM)
    # the duplicate counts are record facts: their keys (one random 64-bit value a record each) and lookups are not written,
    # and the counts read back from the facts
    assert {"okey", "rk0"}.isdisjoint(written) and not list(d.glob("lookup_okc*")) + list(d.glob("lookup_rkc*"))
    dup = q(f"SELECT count(*) FILTER (WHERE dup_rec_n > 1), count(*) FILTER (WHERE dup_occ_n > 1) "
            f"FROM {store.records_sql(d, 'dup_rec_n dup_occ_n')}")[0]
    flagged = dict(q(f"SELECT check_id, count(*) FROM '{d}/flags.parquet' WHERE check_id LIKE 'DUP_%' GROUP BY 1"))
    assert dup[0] > 0 and dup == (flagged.get("DUP_RECORD", 0), flagged.get("DUP_OCCURRENCE_ID", 0))
    for s in m["sources"]:      # each source's verbatim rows, once, in the snapshot
        assert (d / f"source_{s['index']}.parquet").exists() and s["canonical"]["file"] == f"source_{s['index']}.parquet"
    for t, _, _ in engine.read_plan(p).joins + [("_rsum", None, None), ("_src", None, None)]:
        assert (d / engine.lookup_file(t)).exists(), t
    read = duckdb.sql(f"SELECT * FROM {store.records_sql(d)} LIMIT 1")
    assert read.columns == m["record_columns"]
    assert q(f"SELECT count(*) FROM {store.records_sql(d)} WHERE {' OR '.join(f'{chr(34)}{c}{chr(34)} IS NOT NULL' for c in omitted)}")[0][0] == 0
    # a snapshot of layout 1 (every column in the file, no layout in its manifest) is read as it is
    import json
    old = d.parent / "layout1"
    old.mkdir(exist_ok=True)
    (old / "manifest.json").write_text(json.dumps({k: v for k, v in m.items() if not k.startswith(("layout", "record_columns"))}))
    duckdb.sql(f"COPY (SELECT * FROM {store.records_sql(d)}) TO '{old}/occurrence.parquet' (FORMAT parquet)")
    assert duckdb.sql(f"SELECT * FROM {store.records_sql(old)} LIMIT 1").columns == m["record_columns"]


@pytest.fixture(scope="module")
def real_layout2(real, tmp_path_factory):
    """The same sources built with record layout 2 (every derived column in the record file)."""
    return _build_layout(real, tmp_path_factory, 2)


@pytest.fixture(scope="module")
def real_layout4(real, tmp_path_factory):
    """The same sources built with record layout 4 (the verbatim texts in the record file)."""
    return _build_layout(real, tmp_path_factory, 4)


def _build_layout(real, tmp_path_factory, layout: int):
    d, m = real
    work = tmp_path_factory.mktemp(f"real{layout}")
    specs = [SourceSpec(s["file"]) for s in m["sources"]]
    m2 = build(specs, "2026-11-22", work / "snap", work, progress=lambda msg: None, record_layout=layout)
    return work / "snap", m2


def _assert_read_alike(old, new):
    """Two builds of the same sources in two record layouts give the same records (through
    records_sql), flags, every aggregate, the BDQ answers, scores and KPIs."""
    from dq import duck, store
    (d2, m2), (d3, m3) = old, new
    assert m3["record_columns"] == m2["record_columns"]
    assert m3["rows_ingested"] == m2["rows_ingested"] > 30_000 and m3["flags"] == m2["flags"] > 0
    con = duck.connect(spatial=False)
    cols = ", ".join(duck.ident(c) for c in m2["record_columns"])
    r2, r3 = f"SELECT {cols} FROM {store.records_sql(d2)}", f"SELECT {cols} FROM {store.records_sql(d3)}"
    assert con.execute(f"SELECT count(*) FROM ({r3}) WHERE county IS NOT NULL AND accepted_name IS NOT NULL").fetchone()[0] > 1000
    assert _same(con, r2, r3) == 0
    names = sorted(p.name for p in d2.glob("*.parquet") if p.name.startswith(("agg_", "flags", "rejected", "bdq")))
    assert "agg_completeness.parquet" in names and "flags.parquet" in names
    assert sorted(p.name for p in d3.glob("*.parquet") if not p.name.startswith(("lookup_", "occurrence", "source_"))) == names
    for name in names:
        if not name.startswith("bdq"):     # bdq.parquet and bdq_g<i>: combination ids are numbered as they come
            # a sum of fractions (completeness_sum) differs in its last bits with the threads' order
            cols = ", ".join(f"round({duck.ident(c)}, 9)" if t == "DOUBLE" else duck.ident(c)
                             for c, t, *_ in con.execute(f"DESCRIBE SELECT * FROM '{d2}/{name}'").fetchall())
            assert _same(con, f"SELECT {cols} FROM '{d2}/{name}'", f"SELECT {cols} FROM '{d3}/{name}'") == 0, name
    from dq.checks import bdq
    assert _same(con, bdq.records_sql(d2), bdq.records_sql(d3)) == 0
    for ag in store.agencies(d2):
        assert store.scores(d2, ag) == store.scores(d3, ag)
    assert store.kpis(d2) == store.kpis(d3)


def test_layout_4_reads_as_layout_2(real_layout4, real_layout2):
    """Layout 4 (derived columns in lookup files, the summary per distinct check mask) gives the records, flags, per-check aggregates,
    every aggregate and the scores that layout 2 (everything per record) gives, on the frog CSV, the
    amphibian survey and the 30k bench input."""
    assert real_layout2[1]["layout"] == 2 and real_layout4[1]["layout"] == 4
    _assert_read_alike(real_layout2, real_layout4)


def test_layout_5_reads_as_layout_4(real_layout4, real):
    """Layout 5 (the verbatim texts kept once, in the source files the snapshot keeps, joined back on
    the source row) reads as layout 4 (the texts in the record file) on the same sources."""
    assert real_layout4[1]["layout"] == 4 and real[1]["layout"] == 5
    _assert_read_alike(real_layout4, real)


def test_blank_is_empty_or_only_whitespace():
    """blank()'s cheap first-character test lets through every value that can be blank: the result
    is the full whitespace test's (RE2's \\s, the no-break and the full-width space)."""
    import re
    from dq.checks import blank
    # CONSTRUCTED TEST VALUES: first characters on both sides of each range the test compares with
    vals = [None, "", " ", "\t", "\n\r", "\x0b", "\x01", "\x01 ", "!", " !", " a", "a", "\u00a0", "\u00a0x", "\u00a1", "\u009f",
            "\u3000", "\u3000\u3000", "\u3000a", "\u2fff", "\u3001", "中文", "  \u00a0\u3000\t", "\u00a0 \u3000"]
    con = duckdb.connect()
    got = [r[0] for r in con.execute(f"SELECT {blank('v')} FROM unnest(?::VARCHAR[]) WITH ORDINALITY AS t(v, i) ORDER BY i",
                                     [vals]).fetchall()]
    want = [v is None or re.fullmatch(r"[\t\n\f\r \u3000\u00a0]*", v) is not None for v in vals]
    assert got == want


def test_layout_3_snapshot_reads_with_the_plan_it_was_written_with(real, monkeypatch):
    """A snapshot is immutable: when a later version of the code derives another column (or drops
    one), a layout-3 snapshot still reads as it was written, from the plan its manifest keeps."""
    from dq import engine, store
    d, m = real
    assert m["record_plan"]["joins"] and m["record_plan"]["columns"]
    before = duckdb.sql(f"SELECT count(*), count(county), count(accepted_name) FROM {store.records_sql(d)}").fetchall()
    real_plan = engine.plan

    def later_code(params=engine.geo.DEFAULT):
        p = real_plan(params)
        return engine.RecordPlan(p.record_cols, p.columns + [("c_new_column", "c.c_new_column")], p.joins)
    monkeypatch.setattr(engine, "plan", later_code)
    after = duckdb.sql(f"SELECT count(*), count(county), count(accepted_name) FROM {store.records_sql(d)}").fetchall()
    assert after == before and before[0][1] > 0


def test_dataset_figures_equal_their_definitions_over_the_records(real):
    """agg_dataset and agg_town are computed from what the record pass wrote (check masks, filled-field
    mask, record facts); their definitions are the profiles' SQL over the records as readers see them."""
    from dq import duck, engine, profiles, store
    d, _ = real
    con = duck.connect(spatial=False)
    recs = store.records_sql(d)
    want = con.execute(f"""SELECT e.agency, e.dataset_id, count(*), count(*) FILTER (WHERE e.n_errors = 0),
          round(sum({profiles.completeness_sql('e')}), 6),
          count(*) FILTER (WHERE {profiles.GOLD_SQL}), count(*) FILTER (WHERE {profiles.SILVER_SQL} AND NOT {profiles.GOLD_SQL}),
          count(*) FILTER (WHERE NOT {profiles.SILVER_SQL}), count(*) FILTER (WHERE {engine.USABLE_1KM}),
          count(*) FILTER (WHERE e.is_absence), count(DISTINCT e.accepted_name) FILTER (WHERE {engine.SPECIES_LEVEL}),
          count(*) FILTER (WHERE NOT e.err_coordinates)
        FROM {recs} e GROUP BY ALL ORDER BY ALL""").fetchall()
    got = con.execute(f"""SELECT agency, dataset_id, records, records_no_error, round(completeness_sum, 6), tier_gold, tier_silver,
          tier_bronze, usable_1km, absences, species, ok_coordinates FROM '{d}/agg_dataset.parquet' ORDER BY ALL""").fetchall()
    assert got == want
    assert sum(r[5] for r in got) > 0 and sum(r[8] for r in got) > 0 and sum(r[10] for r in got) > 0
    town = con.execute(f"""SELECT e.agency, e.county, e.town, count(*), count(*) FILTER (WHERE {engine.USABLE_1KM}),
          count(DISTINCT e.accepted_name) FILTER (WHERE {engine.SPECIES_LEVEL})
        FROM {recs} e GROUP BY ALL ORDER BY ALL""").fetchall()
    assert con.execute(f"SELECT agency, county, town, records, usable_1km, species FROM '{d}/agg_town.parquet' ORDER BY ALL").fetchall() == town


def test_area_figures_equal_their_definitions_over_the_records(real):
    """agg_town/h3/grid (per agency and over all) and the per-check area counts come from the records
    grouped once by area, masks and facts (engine.aggregates' _ag): they must equal the plain
    definitions over the records and the flags as readers see them."""
    from dq import duck, engine, store
    d, _ = real
    con = duck.connect(spatial=False)
    recs = store.records_sql(d)
    sp = f"count(DISTINCT e.accepted_name) FILTER (WHERE {engine.SPECIES_LEVEL})"
    fit = f"count(*) FILTER (WHERE {engine.USABLE_1KM})"
    for name, keys, where, cols in [
            ("agg_town", "e.agency, e.county, e.town", "true", "records, records_no_error, ok_coordinates, usable_1km, species, absences"),
            ("agg_town_all", "e.county, e.town", "true", "records, records_no_error, ok_coordinates, usable_1km, species, absences"),
            ("agg_h3", "e.agency, e.h3_r7", "e.h3_r7 IS NOT NULL", "records, records_no_error, ok_content, usable_1km, species, absences"),
            ("agg_h3_all", "e.h3_r7", "e.h3_r7 IS NOT NULL", "records, records_no_error, ok_content, usable_1km, species, absences"),
            ("agg_grid", "e.agency, e.grid_id", "e.grid_id IS NOT NULL AND NOT e.is_absence", "records, usable_1km, species"),
            ("agg_grid_all", "e.grid_id", "e.grid_id IS NOT NULL AND NOT e.is_absence", "records, usable_1km, species")]:
        defs = {"records": "count(*)", "records_no_error": "count(*) FILTER (WHERE e.n_errors = 0)",
                "ok_coordinates": "count(*) FILTER (WHERE NOT e.err_coordinates)",
                "ok_content": "count(*) FILTER (WHERE NOT (e.err_coordinates OR e.err_taxonomy OR e.err_time OR e.err_vocabulary OR e.err_duplicates))",
                "usable_1km": fit, "species": sp, "absences": "count(*) FILTER (WHERE e.is_absence)"}
        want = con.execute(f"SELECT {keys}, {', '.join(defs[c.strip()] for c in cols.split(','))} FROM {recs} e WHERE {where} GROUP BY ALL ORDER BY ALL").fetchall()
        fkeys = keys.replace("e.h3_r7", "h3").replace("e.", "")
        got = con.execute(f"SELECT {fkeys}, {cols} FROM '{d}/{name}.parquet' ORDER BY ALL").fetchall()
        assert got == want, name
        assert want and sum(r[-1] for r in want) > 0, name
    flagged = con.execute(f"""SELECT e.agency, e.dataset_id, e.county, e.town, f.check_id, count(*)
        FROM {recs} e JOIN '{d}/flags.parquet' f USING (record_id) GROUP BY ALL ORDER BY ALL""").fetchall()
    assert con.execute(f"SELECT * FROM '{d}/agg_town_check.parquet' ORDER BY ALL").fetchall() == flagged and flagged


def test_taxon_profile_and_completeness_figures_equal_their_definitions_over_the_records(real):
    """agg_taxon_area, agg_species, agg_profile and agg_completeness are read from the records grouped
    once (engine.aggregates' _agx grouping sets, no scan of their own): each must equal its plain
    definition over the records as readers see them."""
    from dq import duck, engine, profiles, store
    from dq.checks import filled
    d, m = real
    con = duck.connect(spatial=False)
    recs = store.records_sql(d)
    sp = f"count(DISTINCT e.accepted_name) FILTER (WHERE {engine.SPECIES_LEVEL})"
    fit = f"count(*) FILTER (WHERE {engine.USABLE_1KM})"
    want = con.execute(f"""SELECT e.agency, coalesce(e.group_zh, '未比對'), coalesce(e.group_en, 'Unmatched'), e.county, count(*), {fit}, {sp}
        FROM {recs} e WHERE NOT e.is_absence GROUP BY ALL ORDER BY ALL""").fetchall()
    got = con.execute(f"SELECT agency, group_zh, group_en, county, records, usable_1km, species FROM '{d}/agg_taxon_area.parquet' ORDER BY ALL").fetchall()
    assert got == want and len(want) > 20 and sum(r[-1] for r in want) > 100
    want = con.execute(f"""SELECT e.agency, e.accepted_name, count(*), {fit}, bool_or(e.is_endemic), count(DISTINCT e.group_zh)
        FROM {recs} e WHERE e.accepted_name IS NOT NULL AND {engine.SPECIES_LEVEL} GROUP BY ALL ORDER BY ALL""").fetchall()
    assert all(r[-1] == 1 for r in want)     # one group per accepted name: any_value below is that one
    want = [r[:-1] for r in want]
    got = con.execute(f"SELECT agency, accepted_name, records, usable_1km, is_endemic FROM '{d}/agg_species.parquet' ORDER BY ALL").fetchall()
    assert got == want and len(want) > 100
    want = con.execute(f"""SELECT e.agency, e.dataset_id, e.source_file, count(*) FROM {recs} e GROUP BY ALL ORDER BY ALL""").fetchall()
    assert con.execute(f"SELECT agency, dataset_id, source_file, records FROM '{d}/agg_profile.parquet' ORDER BY ALL").fetchall() == want
    assert len({r[2] for r in want}) == len(m["sources"])
    # completeness: per dataset and field, the records and how many have it filled as the profile judges it
    rows = []
    for prof in profiles.judging():
        for kind in prof.tables:
            for term, _zh, _level, equiv in prof.heatmap_fields(kind):
                any_filled = " OR ".join(filled("e." + duck.ident(c)) for c in equiv)
                rows.append(f"""SELECT e.agency, e.dataset_id, '{term}' AS field, count(*) AS records, count(*) FILTER (WHERE {any_filled}) AS filled
                    FROM {recs} e WHERE e.profile = '{prof.id}' AND e.table_kind = '{kind}' GROUP BY ALL""")
    want = con.execute(" UNION ALL ".join(rows) + " ORDER BY ALL").fetchall()
    got = con.execute(f"SELECT agency, dataset_id, field, records, filled FROM '{d}/agg_completeness.parquet' ORDER BY ALL").fetchall()
    assert got == want and any(0 < r[4] < r[3] for r in want)


def test_layout_5_snapshot_is_self_contained_and_reads_its_texts_per_source(snap, tmp_path):
    """The verbatim texts are in the snapshot's own source_<i>.parquet (the staged files moved in),
    never read from the input: a snapshot moved elsewhere reads the same records, blank rows stay
    out of the records, and a drill-down by record id gets the row its source file holds."""
    import shutil
    from dq import store
    d, m = snap
    assert m["layout"] == 5 and len(m["sources"]) == 4
    moved = tmp_path / "elsewhere" / d.name
    shutil.copytree(d, moved)
    cols = ", ".join(f'"{c}"' for c in m["record_columns"])
    here, there = f"SELECT {cols} FROM {store.records_sql(d)}", f"SELECT {cols} FROM {store.records_sql(moved)}"
    assert q(f"SELECT count(*) FROM ({here})")[0][0] == m["rows_ingested"]
    assert q(f"SELECT count(*) FROM (({here} EXCEPT ALL {there}) UNION ALL ({there} EXCEPT ALL {here}))")[0][0] == 0
    # each record's occurrenceID is its own source row's (a join on the wrong source would mix them)
    from dq.sources.base import staged_relation
    for s in m["sources"]:
        # read as every reader of the snapshot reads it: through its mapping's cast (a CSV's rows numbered as read)
        src = staged_relation(moved / f"source_{s['index']}.parquet", s["canonical"].get("cast"), s["canonical"]["columns"])
        staged = q(f"SELECT count(*) FROM {src}")[0][0]
        blank = q(f"SELECT count(*) FROM '{moved}/rejected.parquet' WHERE source_file = '{s['name']}' AND reason LIKE 'empty row%'")[0][0]
        assert staged == s["rows_ingested"] + blank and (blank == 2 or s["name"] != "constructed_blank_rows.csv")
        occ_col = next((h for h, t in s["canonical"]["mapped"].items() if t == "occurrenceID"), None)
        if occ_col:
            bad = q(f"""SELECT count(*) FROM {store.records_sql(moved)} o JOIN {src} c
                        ON o.record_id = {s['index']} * 10000000000 + c.source_row
                        WHERE o.occurrenceID IS DISTINCT FROM c."{occ_col}" """)[0][0]
            assert bad == 0, s["name"]
    rid = q(f"SELECT max(record_id) FROM {store.records_sql(moved, 'record_id')}")[0][0]
    rec, _ = store.record(moved, rid)
    assert rec["record_id"] == rid and rec["source_row"] == rid % 10_000_000_000


def _kept_and_staged(src, tmp_path, monkeypatch):
    """A Parquet input built as the build keeps it (its snapshot's source file the input's bytes) and
    built staged (snapshot.stage made to rewrite it, from then on in the test): both manifests and folders,
    and the stage function itself."""
    from dq import snapshot
    for w in ("w1", "w2"):
        (tmp_path / w).mkdir()
    kept = build([SourceSpec(src, agency="測試")], "2026-11-22", tmp_path / "kept", tmp_path / "w1", progress=lambda msg: None)
    assert (tmp_path / "kept" / "source_1.parquet").read_bytes() == src.read_bytes()
    real_stage = snapshot.stage
    monkeypatch.setattr(snapshot, "stage", lambda p, w, progress=None, **o: real_stage(p, w, progress=progress))
    staged = build([SourceSpec(src, agency="測試")], "2026-11-22", tmp_path / "staged", tmp_path / "w2", progress=lambda msg: None)
    assert staged["sources"][0]["canonical"]["cast"] is None
    return kept, staged, tmp_path / "kept", tmp_path / "staged", real_stage


def test_a_parquet_input_of_text_columns_is_kept_as_it_is(tmp_path, monkeypatch):
    """A Parquet input whose columns are all text is not rewritten (#14): the snapshot keeps the file's
    own bytes as source_1.parquet and reads it through the stored casts, with the same records,
    flags and ledger as a build that stages it; a file with a list, a struct, a FLOAT or a zoned time, or
    one row group too big to share between the cores, is still staged."""
    from dq import store
    # the real frog fixture as a Parquet of text columns, plus a CONSTRUCTED row whose every cell is blank
    src = tmp_path / "frog_text.parquet"
    duckdb.sql(f"""COPY (SELECT * FROM read_csv('{FIX / 'frog_head.csv'}', all_varchar=true)
                   UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL) TO '{src}' (FORMAT parquet)""")
    (tmp_path / "w3").mkdir()
    kept, staged, d1, d2, real_stage = _kept_and_staged(src, tmp_path, monkeypatch)
    assert kept["sources"][0]["canonical"]["cast"] is not None
    assert kept["rows_ingested"] == staged["rows_ingested"] == 299 and kept["rows_rejected"] == staged["rows_rejected"] == 1
    assert kept["record_columns"] == staged["record_columns"] and kept["flags"] == staged["flags"] > 0
    cols = ", ".join(f'"{c}"' for c in kept["record_columns"])
    for a, b in [(f"SELECT {cols} FROM {store.records_sql(d1)}", f"SELECT {cols} FROM {store.records_sql(d2)}"),
                 (f"SELECT * FROM '{d1}/flags.parquet'", f"SELECT * FROM '{d2}/flags.parquet'"),
                 (f"SELECT * FROM '{d1}/rejected.parquet'", f"SELECT * FROM '{d2}/rejected.parquet'")]:
        assert _same(duckdb.connect(), a, b) == 0
    # a drill-down by id reads the kept file's row (source row 42: the 42nd data row)
    rid = 10000000000 + 42
    rec, _ = store.record(d1, rid)
    want = duckdb.sql(f"SELECT WGS84Lati, Date FROM '{src}' LIMIT 1 OFFSET 41").fetchone()
    assert (rec["decimalLatitude"], rec["eventDate"]) == want
    # a list (or a struct, a FLOAT) would be made text again in every pass: such a file is staged once;
    # a column of integers is kept (its text is cheap)
    for kind, col, kept_too in (("list", "[year]", False), ("integer", "try_cast(year AS INTEGER)", True)):
        f = tmp_path / f"{kind}.parquet"
        duckdb.sql(f"COPY (SELECT * REPLACE ({col} AS year) FROM read_csv('{FIX / 'frog_head.csv'}', all_varchar=true)) "
                   f"TO '{f}' (FORMAT parquet)")
        st = real_stage(f, tmp_path / "w3", keep_parquet=True)
        assert (st.cast is not None) == kept_too, kind
    # a time with its zone reads as text in the reading process's zone: staged once, when built (a review)
    f = tmp_path / "zoned.parquet"
    duckdb.sql(f"COPY (SELECT * REPLACE (TIMESTAMPTZ '2020-12-31 20:00:00+00' AS Date) FROM read_csv('{FIX / 'frog_head.csv'}', "
               f"all_varchar=true)) TO '{f}' (FORMAT parquet)")
    assert real_stage(f, tmp_path / "w3", keep_parquet=True).cast is None
    # every pass reads a kept file a row group per thread: a file of 130k rows (the frog rows repeated,
    # CONSTRUCTED) written as one row group is staged, the same rows in eight row groups are kept
    for groups, kept_too in ((1, False), (8, True)):
        f = tmp_path / f"groups{groups}.parquet"
        duckdb.sql(f"COPY (SELECT r.* FROM read_csv('{FIX / 'frog_head.csv'}', all_varchar=true) r, range(434)) "
                   f"TO '{f}' (FORMAT parquet, ROW_GROUP_SIZE {130_200 // groups + 1})")
        st = real_stage(f, tmp_path / "w3", keep_parquet=True)
        assert (st.cast is not None) == kept_too, groups


def test_a_parquet_input_with_double_columns_is_kept_and_read_as_numbers_with_the_same_results(tmp_path, monkeypatch):
    """A Parquet input whose other columns are DOUBLEs is kept too (#14: staging the 10M bench's three
    DOUBLE columns rewrote all its columns, 16.7 of ~82 CPU s): the passes read its coordinates and
    uncertainty as the numbers (checks.NUM_TERMS), their texts made once per distinct value. The
    records, flags, BDQ answers and ledger equal those of the same file staged as text."""
    from dq import store
    from dq.checks import bdq
    # the real frog fixture with its coordinates as DOUBLEs, and CONSTRUCTED rows whose numbers are the
    # edge cases of the number's text (integral, tiny, negative, NaN, infinite, metres, missing) with an
    # uncertainty column, also CONSTRUCTED
    src = tmp_path / "frog_numbers.parquet"
    duckdb.sql(f"""COPY (
        SELECT try_cast(WGS84Lati AS DOUBLE) AS WGS84Lati, try_cast(WGS84Long AS DOUBLE) AS WGS84Long, * EXCLUDE (WGS84Lati, WGS84Long),
               CASE WHEN row_number() OVER () % 3 = 0 THEN 30.0 END AS coordinateUncertaintyInMeters
        FROM read_csv('{FIX / 'frog_head.csv'}', all_varchar=true)
        UNION ALL BY NAME SELECT * FROM (VALUES (25.0, 121.0, 1e-05), (-25.1056, 121.433, 2.0), ('nan'::DOUBLE, 121.5, 'inf'::DOUBLE),
                                               (2770000.5, 302000.25, 0.5), (NULL, 121.433, NULL), (25.00001, 121.00000001, 1e-13),
                                               (NULL, NULL, NULL))
            t(WGS84Lati, WGS84Long, coordinateUncertaintyInMeters)) TO '{src}' (FORMAT parquet)""")
    kept, staged, d1, d2, _ = _kept_and_staged(src, tmp_path, monkeypatch)
    assert {k for _, _, k in kept["sources"][0]["canonical"]["cast"]} == {"text", "double"}
    assert kept["rows_ingested"] == staged["rows_ingested"] == 305 and kept["rows_rejected"] == staged["rows_rejected"] == 1
    assert kept["record_columns"] == staged["record_columns"] and kept["flags"] == staged["flags"] > 0
    # the keys into the point lookup differ (made from the numbers); everything read through them is the same
    cols = ", ".join(f'"{c}"' for c in kept["record_columns"] if c != "pk")
    con = duckdb.connect()
    for a, b in [(f"SELECT {cols} FROM {store.records_sql(d1)}", f"SELECT {cols} FROM {store.records_sql(d2)}"),
                 (f"SELECT * FROM '{d1}/flags.parquet'", f"SELECT * FROM '{d2}/flags.parquet'"),
                 (f"SELECT * FROM '{d1}/rejected.parquet'", f"SELECT * FROM '{d2}/rejected.parquet'"),
                 (bdq.records_sql(d1), bdq.records_sql(d2)),
                 (f"SELECT * FROM '{d1}/agg_bdq.parquet'", f"SELECT * FROM '{d2}/agg_bdq.parquet'")]:
        assert _same(con, a, b) == 0
    texts = con.execute(f"SELECT decimalLatitude, decimalLongitude, coordinateUncertaintyInMeters FROM {store.records_sql(d1)} "
                        "WHERE source_row > 299 ORDER BY source_row").fetchall()
    assert texts == [("25", "121", "0.00001"), ("-25.1056", "121.433", "2"), ("nan", "121.5", "inf"),
                     ("2770000.5", "302000.25", "0.5"), (None, "121.433", None), ("25.00001", "121.00000001", "1e-13")]
    # what a person is given back: the annotated file and the report show the file's own columns only
    from dq.validate import validate
    validate(src, tmp_path / "v_staged", "2026-11-22")
    monkeypatch.undo()
    validate(src, tmp_path / "v_kept", "2026-11-22")
    for f in ("annotated.csv", "summary.json"):
        assert (tmp_path / "v_kept" / f).read_bytes() == (tmp_path / "v_staged" / f).read_bytes(), f
    # a column of the file named like a number's column (in another case: DuckDB's names are case-blind) keeps its
    # name and its text; that DOUBLE is read as text (a review: the build failed on 'unicode(DOUBLE)'). CONSTRUCTED rows
    odd = tmp_path / "odd_name.parquet"
    duckdb.sql(f"COPY (SELECT 25.1::DOUBLE AS decimalLatitude, 121.5::DOUBLE AS decimalLongitude, 'x' AS _DQ_NUM_2, "
               f"'Rana latouchii' AS scientificName FROM range(3)) TO '{odd}' (FORMAT parquet)")
    (tmp_path / "w4").mkdir()
    m = build([SourceSpec(odd, agency="測試")], "2026-11-22", tmp_path / "odd", tmp_path / "w4", progress=lambda msg: None)
    assert m["rows_ingested"] == 3 and m["sources"][0]["canonical"]["cast"] is not None
    assert con.execute(f"SELECT DISTINCT decimalLatitude, decimalLongitude, lat, lon, extra FROM {store.records_sql(tmp_path / 'odd')}").fetchall() == \
        [("25.1", "121.5", 25.1, 121.5, '{"_DQ_NUM_2":"x"}')]


def test_a_delimited_file_is_numbered_as_read_with_the_same_records_flags_and_ledger(tmp_path, monkeypatch, multithreaded):
    """A CSV's reading pass is its staged file (#14: numbering the rows in that pass ran it on one
    thread): its title and header lines stay in it and its rows are numbered when read. The build
    gives the same records, flags and ledger as one whose reading pass numbers them, and a
    drill-down reads the row on its line. Files that need a second pass (the damaged file's short and
    wide rows) or name a column file_row_number are staged as before."""
    from dq import snapshot, store
    text = (FIX / "frog_head.csv").read_text(encoding="utf-8-sig")
    ncol = text.splitlines()[0].count(",") + 1
    titled = tmp_path / "frog_titled.csv"     # real rows under a CONSTRUCTED title line
    titled.write_text("斑腿樹蛙調查資料（測試用標題）" + "," * (ncol - 1) + "\n" + text, encoding="utf-8")
    named = tmp_path / "constructed_file_row_number.csv"    # CONSTRUCTED TEST ROWS
    named.write_text("file_row_number,scientificName,eventDate,decimalLatitude,decimalLongitude\n"
                     "7,Polypedates megacephalus,2024-05-01,23.9,120.5\n8,Buergeria robusta,2024-05-02,24.1,120.7\n", encoding="utf-8")
    # CONSTRUCTED (a review's finding): a line DuckDB rejects (a quote then more text) above a title and the
    # header; the numbered second pass kept the header as a record
    rejected_title = tmp_path / "constructed_rejected_title.csv"
    rejected_title.write_text('"Frog" survey,,\nAgency X,,\nscientificName,individualCount,locality\n'
                              'Polypedates megacephalus,1,x\nBuergeria robusta,2,y\n', encoding="utf-8")
    srcs = [titled, FIX / "frog_head_damaged.csv", FIX / "frog_head_big5.csv", named, rejected_title]
    for w in ("w1", "w2"):
        (tmp_path / w).mkdir()
    specs = [SourceSpec(p, agency="測試") for p in srcs]
    fast = build(specs, "2026-11-22", tmp_path / "fast", tmp_path / "w1", progress=lambda msg: None)
    real_stage = snapshot.stage
    monkeypatch.setattr(snapshot, "stage", lambda p, w, progress=None, **o: real_stage(p, w, progress=progress, sheet=o.get("sheet")))
    old = build(specs, "2026-11-22", tmp_path / "old", tmp_path / "w2", progress=lambda msg: None)
    casts = [s["canonical"]["cast"] for s in fast["sources"]]
    assert casts == [{"skip": 2}, None, {"skip": 1}, None, None], casts
    assert all(s["canonical"]["cast"] is None for s in old["sources"])
    assert fast["rows_read"] == old["rows_read"] and fast["rows_ingested"] == old["rows_ingested"] > 800
    assert fast["rows_rejected"] == old["rows_rejected"] and fast["flags"] == old["flags"] > 0
    d1, d2 = tmp_path / "fast", tmp_path / "old"
    cols = ", ".join(f'"{c}"' for c in fast["record_columns"])
    for a, b in [(f"SELECT {cols} FROM {store.records_sql(d1)}", f"SELECT {cols} FROM {store.records_sql(d2)}"),
                 (f"SELECT * FROM '{d1}/flags.parquet'", f"SELECT * FROM '{d2}/flags.parquet'"),
                 (f"SELECT * FROM '{d1}/rejected.parquet'", f"SELECT * FROM '{d2}/rejected.parquet'")]:
        assert _same(duckdb.connect(), a, b) == 0
    # the 42nd data row, on line 44 under the title and the header
    rec, _ = store.record(d1, 10000000000 + 42)
    line = text.splitlines()[42].split(",")
    assert (rec["decimalLatitude"], rec["eventDate"]) == (line[0], line[4])
    rec, _ = store.record(d1, 40000000000 + 2)
    assert rec["scientificName"] == "Buergeria robusta"


def test_checks_answered_once_per_key_give_each_record_its_own_answer(tmp_path, monkeypatch):
    """The checks that read one lookup alone (coordinates: the point; dates: the date …) are
    evaluated once per distinct key (engine._per_key_masks): every record's masks and flags are the
    ones evaluating every check on every record gives."""
    from dq import engine
    specs = [SourceSpec(FIX / "frog_head_damaged.csv", agency="測試"), SourceSpec(FIX / "frog_head.csv", agency="測試")]
    picked = {}
    real = engine._per_key_masks

    def spy(con, applies, params):
        out, cols = real(con, applies, params)
        picked.update({applies[i][0].id: a for i, (_, a) in out.items()})
        return out, cols
    monkeypatch.setattr(engine, "_per_key_masks", spy)
    a = build(specs, "2026-11-22", tmp_path / "a", tmp_path, progress=lambda msg: None)
    assert {"COORD_OUT_OF_RANGE", "COORD_SWAPPED", "DATE_INVALID"} <= set(picked) and set(picked.values()) >= {"c", "d"}
    # the point and date "missing" checks read the event hierarchy too (a parent event is not asked): per record
    assert not {"COORD_MISSING", "DATE_MISSING"} & set(picked)
    assert not {"MISSING_scientificName", "DUP_RECORD"} & set(picked)      # these read the record itself
    monkeypatch.setattr(engine, "_per_key_masks", lambda con, applies, params: ({}, []))
    b = build(specs, "2026-11-22", tmp_path / "b", tmp_path, progress=lambda msg: None)
    assert a["flags"] == b["flags"] > 0
    con = duckdb.connect()
    masks = [c[0] for c in con.execute(f"DESCRIBE SELECT * FROM '{tmp_path}/a/occurrence.parquet'").fetchall() if c[0].startswith("_m")]
    for rel in (f"SELECT record_id, {', '.join(masks)} FROM '{{}}/occurrence.parquet'", "SELECT * FROM '{}/flags.parquet'"):
        assert _same(con, rel.format(tmp_path / "a"), rel.format(tmp_path / "b")) == 0
    # the lookup files keep no build-time mask column
    assert not [c for c in con.execute(f"DESCRIBE SELECT * FROM '{tmp_path}/a/lookup_pt.parquet'").fetchall() if c[0].startswith("_pm")]


def test_fold_absent_writes_only_the_absent_columns_of_the_record_as_null():
    """The keys are computed with the columns no source has written as NULL (#14: DuckDB does not
    fold a view's constant into the expressions over it). Only a reference to the record (o.) whose
    column is absent is replaced, quoted names included; other aliases and look-alikes are not."""
    from dq.engine import fold_absent, plan
    sql = 'hash(o.a, o."year", o.b, po.a, "o".a, k.o.a, o."we""ird", o.ab) || \'o.a\''
    assert fold_absent(sql, {"a", "year", 'we"ird'}) == \
        'hash(NULL::VARCHAR, NULL::VARCHAR, o.b, po.a, "o".a, k.o.a, NULL::VARCHAR, o.ab) || \'o.a\''
    assert fold_absent(sql, ()) == sql
    # every column a key reads is one of the record's: what absent can name
    from dq.sources.aliases import CANONICAL
    import re
    read = {n.replace('""', '"') if n else m for v in plan().record_cols.values()
            for n, m in re.findall(r'(?<![\w."])o\.(?:"((?:[^"]|"")+)"|(\w+))', v)}
    from dq.engine import NUM_PARTS
    assert read - set(CANONICAL) <= {"record_id", "dataset_id", "srs_from_header", "extra", "profile", "agency", "table_kind"} | NUM_PARTS


def test_a_function_name_is_no_column_a_query_must_join():
    """sql_words names the columns an SQL text reads: DATE_ROC_YEAR's fix calling year() made its flags join
    the source texts for the column "year" (the 10M bench's flags pass 3.5 → 13.4 s)."""
    from dq.engine import sql_words
    words = sql_words("""year(e.event_date_parsed) < 1800 AND e."year" IS NULL AND coalesce(e.day, 1) IN (1, 2)""")
    assert "event_date_parsed" in words and "day" in words and "year" in words
    assert "year" not in sql_words("strftime(e.event_date_parsed, '%Y') || year (e.event_date_parsed)")
    assert "coalesce" not in words


def test_a_blank_test_read_from_the_filled_mask_agrees_with_the_text():
    """The record pass reads a check's blank test of a column of the filled-field mask from the mask's
    bit (engine._blank_as_bits) instead of testing the text again. On CONSTRUCTED edge texts (empty,
    spaces, a full-width space, a no-break space, a tab, texts that start with one) the bit and the text
    agree for every column of the mask, written either way a check writes it (e."col" or e.col)."""
    from dq import duck, engine
    from dq.checks import blank, filled
    vals = [None, "", " ", "\u3000", "\u00a0", "\t \u3000 ", " x", "\u3000名", "\u00a0x", "x", "0"]
    con = duckdb.connect()
    con.execute("CREATE TABLE occ AS SELECT " + ", ".join(f"v AS {duck.ident(c)}" for c in engine.FILLED)
                + " FROM (SELECT unnest(?::VARCHAR[]) AS v)", [vals])
    con.execute(f"CREATE VIEW e AS SELECT *, {engine.filled_mask_sql()} FROM occ")
    for c in engine.FILLED:
        for ref in (f"e.{duck.ident(c)}", f"e.{c}"):
            for test in (blank(ref), filled(ref)):
                bits = engine._blank_as_bits(test)
                assert bits != test and "unicode(" not in bits, (c, bits)
                differ = con.execute(f"SELECT count(*) FROM e WHERE ({test}) IS DISTINCT FROM ({bits})").fetchone()[0]
                assert differ == 0, (c, ref)
    assert con.execute(f"SELECT count(*) FILTER (WHERE {blank('e.scientificName')}) FROM e").fetchone()[0] == 6


def _bdq_threads():
    import threading
    return [t for t in threading.enumerate() if t.is_alive() and getattr(t, "_target", None) is not None
            and getattr(t._target, "__name__", "") == "_run"]


@pytest.mark.parametrize("where,delay", [("catalogue", 0.0), ("enrich", 0.0), ("enrich", 0.05)])
def test_a_failed_build_stops_the_bdq_answers_beside_it(tmp_path, monkeypatch, where, delay):
    """The BDQ answers run on a second connection beside the other passes: when the build fails (here
    as it lists its checks, or in its derivations after `delay` s, while BDQ is between two of its many
    small statements), the build raises its own error at once, the BDQ answers are stopped before they
    are written (they take ~0.4 s on this file) and no thread or connection is left running."""
    import time
    from dq import engine, snapshot

    def fail(*a, **k):
        time.sleep(delay)
        raise RuntimeError("constructed failure in the build")
    monkeypatch.setattr(*((snapshot, "catalogue", fail) if where == "catalogue" else (engine, "enrich", fail)))
    with pytest.raises(RuntimeError, match="constructed failure"):
        build([SourceSpec(FIX / "frog_head.csv", agency="測試")], "2026-11-22", tmp_path / "snap", tmp_path,
              progress=lambda msg: None)
    assert not _bdq_threads()
    assert not (tmp_path / "snap" / "bdq.parquet").exists()


def test_a_failure_in_the_bdq_answers_fails_the_build(tmp_path, monkeypatch):
    """An error in the BDQ thread is the build's error, not a snapshot without BDQ answers."""
    from dq.checks import bdq
    def fail(*a, **k):
        raise ValueError("constructed failure in the BDQ answers")
    monkeypatch.setattr(bdq, "write_outputs", fail)
    with pytest.raises(ValueError, match="constructed failure in the BDQ"):
        build([SourceSpec(FIX / "frog_head.csv", agency="測試")], "2026-11-22", tmp_path / "snap", tmp_path,
              progress=lambda msg: None)
    assert not _bdq_threads()


@pytest.mark.parametrize("when", ["during a statement", "between two statements"])
def test_a_failure_in_the_bdq_answers_stops_the_other_passes_at_once(tmp_path, monkeypatch, when):
    """The build's other passes are of no use once the BDQ answers have failed: the statement running
    is stopped then (here a constructed derivation that would run for ~30 s), not finished first; and so
    is the next one when they fail while the build is in a Python step (an interrupt sent to an idle
    connection is dropped when its next statement starts: a review)."""
    import threading
    import time
    import duckdb
    from dq import engine
    from dq.checks import bdq
    started, seen = threading.Event(), {}

    def bdq_fails(*a, **k):
        started.wait(60)
        if when == "during a statement":
            time.sleep(0.5)       # the long statement below is running by now
        raise ValueError("constructed failure in the BDQ answers")

    def long_derivation(con, *a, **k):
        started.set()
        if when == "between two statements":
            time.sleep(0.5)       # a Python step: the BDQ answers fail meanwhile
        try:
            con.execute("SELECT count(*) FROM range(6000000000) t(i) WHERE i % 7 = 3").fetchall()
        except duckdb.InterruptException as e:
            seen["interrupted"] = e
            raise
    monkeypatch.setattr(bdq, "write_outputs", bdq_fails)
    monkeypatch.setattr(engine, "enrich", long_derivation)
    with pytest.raises(ValueError, match="constructed failure in the BDQ"):
        build([SourceSpec(FIX / "frog_head.csv", agency="測試")], "2026-11-22", tmp_path / "snap", tmp_path,
              progress=lambda msg: None)
    assert "interrupted" in seen
    assert not _bdq_threads()


def test_the_mapping_sample_of_a_kept_parquet_input_is_the_same_rows_tested_as_they_are_read(tmp_path):
    """mapping._sample picks every step-th row by a hash of its number; on a kept Parquet input the test
    runs as the rows are read (#14: DuckDB kept it above the columns' casts, made for every row of a
    10M-row file), and picks exactly the rows the test over the relation picks."""
    from dq.sources import mapping
    from dq.sources.parquet import stage_parquet
    # the real frog rows repeated (CONSTRUCTED volume) with their coordinates as DOUBLEs, in 16 row groups
    src = tmp_path / "frog_rep.parquet"
    duckdb.sql(f"""COPY (SELECT try_cast(WGS84Lati AS DOUBLE) AS WGS84Lati, r.* EXCLUDE (WGS84Lati)
                   FROM read_csv('{FIX / 'frog_head.csv'}', all_varchar=true) r, range(300))
                   TO '{src}' (FORMAT parquet, ROW_GROUP_SIZE 8192)""")
    (tmp_path / "w").mkdir()
    st = stage_parquet(src, tmp_path / "w", keep_input=True)
    assert st.cast is not None
    con = duckdb.connect()
    got = con.execute(f"SELECT list(source_row ORDER BY source_row), list(WGS84Lati ORDER BY source_row) "
                      f"FROM {mapping._sample(con, st.relation, 1000)}").fetchone()
    want = con.execute(f"SELECT list(source_row ORDER BY source_row), list(WGS84Lati ORDER BY source_row) "
                       f"FROM {st.relation} WHERE hash(source_row) % 90 = 0").fetchone()
    assert 900 < len(got[0]) < 1100 and got == want
