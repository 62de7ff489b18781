"""The TDWG BDQ family: its published validation data is the spec (rows that must give each
response), plus what the issue asks of it: >= 80 tests, >= 95 % agreement for every one."""
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dq import conformance, duck
from dq.checks import bdq
from dq.sources.aliases import CANONICAL


@pytest.fixture(scope="module")
def outcomes():
    if not conformance.VALIDATION_DATA.exists():
        pytest.skip("../shared/conformance/bdq is not beside this checkout")
    return conformance.run()


def test_conformance_target_for_every_test(outcomes):
    per = conformance.summary(outcomes)
    assert len(per) >= conformance.TARGET_TESTS
    low = {k: f"{ok}/{n}" for k, (n, ok) in per.items() if ok / n < conformance.TARGET_SHARE}
    assert not low, f"below {conformance.TARGET_SHARE:.0%}: {low}"


def test_every_implemented_test_has_validation_rows(outcomes):
    judged = {o.label for o in outcomes}
    measures_without_rows = {t.label for t in bdq.TESTS if t.label not in judged}
    assert not measures_without_rows


def test_declared_once_with_guid_and_columns_that_exist():
    labels = [t.label for t in bdq.TESTS]
    assert len(labels) == len(set(labels))
    assert len({t.guid for t in bdq.TESTS}) == len(labels)
    assert not set(labels) & set(bdq.EXTERNAL)
    for t in bdq.TESTS:
        assert set(bdq.terms(t)) <= set(CANONICAL), t.label


def _judge_all(cases: list[tuple[dict, str]]) -> list[tuple[str, str | None]]:
    """(status, result) of each (row, test label): the rows in one table, derived once. Each row is still
    judged on its own values (the derive step works per distinct value); a derive per row cost ~0.7 s each."""
    con = duck.connect(spatial=False)
    cols = sorted({c for t2 in bdq.TESTS for c in bdq.terms(t2)})
    con.execute("CREATE OR REPLACE TEMP TABLE x (case_no INTEGER, " + ", ".join(f'"{c}" VARCHAR' for c in cols) + ")")
    con.executemany(f"INSERT INTO x VALUES (?, {', '.join('?' for _ in cols)})",
                    [[i] + [row.get(c) for c in cols] for i, (row, _) in enumerate(cases)])
    rel = bdq.derive(con, "x")
    out = []
    for i, (_, label) in enumerate(cases):
        t = next(t for t in bdq.TESTS if t.label == label)
        out.append(con.execute(f"SELECT {bdq.status_sql(t, 'x')}, {bdq.result_sql(t, 'x')} FROM {rel} x WHERE x.case_no = ?",
                               [i]).fetchone())
    return out


def test_elements_are_judged_one_by_one():
    day_30 = {"year": "1952", "month": "2", "day": "30"}
    cases = [
        # a latitude without a longitude is still judged as a latitude
        ({"decimalLatitude": "95"}, "VALIDATION_DECIMALLATITUDE_INRANGE"),
        ({"decimalLatitude": "23.5"}, "VALIDATION_DECIMALLATITUDE_INRANGE"),
        # an impossible day is a finding on the day; the year and month are still fine
        (day_30, "VALIDATION_DAY_INRANGE"), (day_30, "VALIDATION_MONTH_STANDARD"), (day_30, "VALIDATION_YEAR_INRANGE"),
        (day_30, "AMENDMENT_EVENTDATE_FROM_YEARMONTHDAY"),
        # a time inside eventDate is checked, not cut off
        ({"eventDate": "1963-03-08T14:67"}, "VALIDATION_EVENTDATE_STANDARD"),
        ({"eventDate": "63"}, "VALIDATION_EVENTDATE_STANDARD"),
        # cannot judge is its own outcome
        ({"year": "19x2"}, "VALIDATION_YEAR_INRANGE"),
        # an amendment proposes values
        ({"year": "2021", "month": "10", "day": "29"}, "AMENDMENT_EVENTDATE_FROM_YEARMONTHDAY"),
        ({"geodeticDatum": "TWD97"}, "AMENDMENT_GEODETICDATUM_STANDARDIZED"),
    ]
    got = _judge_all(cases)
    assert [st for st, _ in got[:9]] == ["NOT_COMPLIANT", "COMPLIANT", "NOT_COMPLIANT", "COMPLIANT", "COMPLIANT", "NOT_AMENDED",
                                         "NOT_COMPLIANT", "NOT_COMPLIANT", "INTERNAL_PREREQUISITES_NOT_MET"]
    assert got[9] == ("FILLED_IN", '{"dwc:eventDate":"2021-10-29"}')
    assert got[10] == ("AMENDED", '{"dwc:geodeticDatum":"EPSG:3824"}')


def test_catalogue_import_needs_no_spatial_library():
    code = ("import sys, dq.checks, dq.checks.bdq, dq.conformance; dq.checks.catalogue(); "
            "bad = [m for m in ('pyproj', 'h3', 'duckdb_extension_spatial', 'shapely') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_cli_prints_agreement(outcomes, monkeypatch, capsys):
    # the command's wiring and print-out, on the outcomes the module fixture already computed
    # (running the whole suite again in a child process costs half a minute and tests nothing more)
    from dq.__main__ import main
    monkeypatch.setattr(conformance, "run", lambda *a, **k: outcomes)
    assert main(["conformance", "bdq"]) == 0
    out = capsys.readouterr().out
    assert "overall:" in out and "VALIDATION_DAY_INRANGE" in out


def test_rules_page_lists_the_bdq_tests_and_where_taiwan_differs():
    from test_app import page
    at = page("rules", "en")
    # ui.table shows translated headings: the id column is "Id"
    labels = set(at.dataframe[1].value["Id"])
    assert labels == {t.label for t in bdq.TESTS}
    differs = at.dataframe[2].value
    assert "VALIDATION_EVENTDATE_STANDARD" in set(differs["Id"])
    assert differs["How the Taiwan checks differ"].str.contains("ROC").any()


def test_engine_runs_the_family_for_the_bdq_core_profile(monkeypatch, tmp_path):
    # constructed records: the BDQ validation data's own inputs, as a snapshot's canonical table
    from dq import engine, geo
    con = duck.connect(spatial=False)
    cols = ", ".join(f'NULL::VARCHAR AS "{c}"' for c in CANONICAL)
    # (srs_from_header: canonical_sql gives every source this column; the record pass's filled-field mask reads it)
    con.execute(f"CREATE TABLE occ AS SELECT i::BIGINT AS record_id, 'occurrence' AS table_kind, NULL::VARCHAR AS srs_from_header, {cols} "
                "FROM range(3) t(i)")
    con.execute("""UPDATE occ SET "year" = '1952', "month" = '2', "day" = CASE record_id WHEN 0 THEN '30' ELSE '28' END,
                   sex = CASE record_id WHEN 1 THEN 'f' END""")
    monkeypatch.setattr(engine, "families", lambda: [bdq.FAMILY])
    engine.enrich(con, "2026-12-03", geo.DEFAULT, progress=lambda m: None)
    run = engine.run_checks(con, bdq.CHECKS)
    assert [c.id for c in run] == bdq.CHECK_IDS
    # the streaming engine renders flags while writing the record file
    con.execute("CREATE TABLE rej (source_file VARCHAR, source_row BIGINT, raw VARCHAR, reason VARCHAR)")
    engine.write_outputs(con, tmp_path, run)
    flags = con.execute("SELECT record_id, check_id, suggestion FROM flags").fetchall()
    assert (0, "VALIDATION_DAY_INRANGE", None) in flags
    assert not [f for f in flags if f[0] != 0 and f[1] == "VALIDATION_DAY_INRANGE"]
    assert (1, "AMENDMENT_SEX_STANDARDIZED", '{"dwc:sex":"Female"}') in flags


def test_validate_flags_an_impossible_date_and_judges_every_other_row(tmp_path):
    # constructed rows (not real records): row 1 has year=1952, month=2, day=30 and no eventDate
    from dq.validate import validate
    src = tmp_path / "constructed_impossible_date.csv"
    src.write_text("occurrenceID,scientificName,year,month,day,decimalLatitude,decimalLongitude\n"
                   "c1,Passer montanus,1952,2,30,25.03,121.56\nc2,Passer montanus,1952,2,29,25.03,121.56\n"
                   "c3,Passer montanus,1952,13,32,25.03,121.56\nc4,Passer montanus,2001,5,6,25.03,121.56\n", encoding="utf-8")
    s = validate(src, tmp_path / "out", "2026-12-03")
    assert s["rows_read"] == s["rows_checked"] == 4
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False).set_index("occurrenceID")
    assert "DATE_INVALID" in ann.loc["c1", "dq_errors"].split(";")
    assert "VALIDATION_DAY_INRANGE" in ann.loc["c1", "dq_bdq_not_compliant"].split(";")
    assert "DATE_INVALID" not in ann.loc["c2", "dq_errors"] and "DATE_INVALID" not in ann.loc["c4", "dq_errors"]
    assert "VALIDATION_MONTH_STANDARD" in ann.loc["c3", "dq_bdq_not_compliant"]
    assert '"dwc:eventDate":"1952-02-29"' in ann.loc["c2", "dq_bdq_amendments"]


def test_annotated_file_names_the_files_own_bdq_answers_once_not_on_every_row(tmp_path):
    # constructed rows (not real records): no depth column at all; a sex column filled on one row only
    from dq.validate import validate
    src = tmp_path / "constructed_cannot_judge.csv"
    src.write_text("occurrenceID,scientificName,eventDate,sex,decimalLatitude,decimalLongitude\n"
                   "c1,Passer montanus,2001-05-06,female,25.03,121.56\nc2,Passer montanus,2001-05-07,,25.03,121.56\n", encoding="utf-8")
    s = validate(src, tmp_path / "out", "2026-12-03")
    nowhere = set(s["bdq_judged_nowhere"])
    assert "VALIDATION_MAXDEPTH_INRANGE" in nowhere and "VALIDATION_SEX_STANDARD" not in nowhere
    assert all(set(s["bdq"][t]) == {"INTERNAL_PREREQUISITES_NOT_MET"} for t in nowhere)
    # no kingdom column: NOT_COMPLIANT on every row is the file's finding; no row fails scientificName's
    lacking = set(s["bdq_failed_for_missing_columns"])
    assert "VALIDATION_KINGDOM_NOTEMPTY" in lacking and "VALIDATION_SCIENTIFICNAME_NOTEMPTY" not in lacking
    assert all(set(s["bdq"][t]) <= {"NOT_COMPLIANT", "POTENTIAL_ISSUE"} for t in lacking)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False).set_index("occurrenceID")
    for row in ("c1", "c2"):
        assert not nowhere & set(ann.loc[row, "dq_bdq_cannot_judge"].split(";")), row
        assert not lacking & set(ann.loc[row, "dq_bdq_not_compliant"].split(";")), row
    # judged on one row, so the other row's own "cannot judge" is a finding on that row
    assert "VALIDATION_SEX_STANDARD" in ann.loc["c2", "dq_bdq_cannot_judge"].split(";")
    assert "VALIDATION_SEX_STANDARD" not in ann.loc["c1", "dq_bdq_cannot_judge"].split(";")
    # the report names them once, in both languages
    depth, kingdom = bdq.BY_LABEL["VALIDATION_MAXDEPTH_INRANGE"], bdq.BY_LABEL["VALIDATION_KINGDOM_NOTEMPTY"]
    for name, words, titles in (("report.html", ("任何一列都無法判斷", "每一列都不相容"), (depth.title_zh, kingdom.title_zh)),
                                ("report_en.html", ("could not be judged on any row", "fail on every row"), (depth.title_en, kingdom.title_en))):
        html = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert all(w in html for w in words + titles), name


def test_canonical_columns_are_unique():
    assert len(CANONICAL) == len(set(CANONICAL))


def test_empty_needs_no_regex_on_ordinary_values_and_answers_as_the_regex_does():
    """bdq_empty tests the first character before its regex (#14): the same answer as the plain
    regex for every character alone, doubled, before a letter and around a space."""
    from dq.checks import bdq_sql
    con = duck.connect(spatial=False)
    bdq_sql.install(con)
    con.execute(f"CREATE MACRO plain_empty(x) AS x IS NULL OR regexp_full_match(x, '{bdq_sql._BLANK}*')")
    n, differ, empty = con.execute("""WITH c AS (SELECT chr(i::INTEGER) AS ch FROM range(1, 200000) t(i) WHERE i NOT BETWEEN 55296 AND 57343),
        s AS (SELECT ch AS x FROM c UNION ALL SELECT ch || ch FROM c UNION ALL SELECT ch || 'a' FROM c
              UNION ALL SELECT ' ' || ch FROM c UNION ALL SELECT ch || ' ' FROM c
              UNION ALL SELECT '' UNION ALL SELECT NULL UNION ALL SELECT chr(12288) || chr(160) || chr(65279))
        SELECT count(*), count(*) FILTER (WHERE bdq_empty(x) IS DISTINCT FROM plain_empty(x)), count(*) FILTER (WHERE bdq_empty(x)) FROM s""").fetchone()
    assert differ == 0
    # blanks were among them: tab, no-break space, U+3000, U+FEFF, soft hyphen, alone and combined
    assert empty > 100 and n > 900_000
    assert con.execute("SELECT bdq_empty(' a'), bdq_empty(chr(12288) || '鳥'), bdq_empty(chr(173)), bdq_empty(chr(9) || chr(160))").fetchone() == (False, False, True, True)


def test_date_table_spans_equal_the_macros():
    """_bdq_dt (the dates parsed once per distinct text) reads intervals and date ends step by step
    (#14: the nested macros cost ~0.25 s per build to set up): the same start and end as
    bdq_ev_s / bdq_ev_e on constructed edge cases and, with ../shared beside the checkout (as in CI),
    on every date of the BDQ validation data."""
    import csv
    vals = {"2020", "2020-02", "2020-02-30", "2020-060", "2019-366", "2020-366", "20200101", "2020-01-01T10:00Z",
            "2020-01-01T25:00", "2020-01-01/02", "2020-01/2020-03", "1880-05-08/10", "2020/2019", "a/b/c", "/", " 2020",
            "", "2020-01-01T10:00:00.5+08:00", "2020-02-29/03-01", "2020-12/01", "1999-12-31T23:59:59/2000-01-01"}
    if conformance.VALIDATION_DATA.exists():
        for f in conformance.VALIDATION_DATA.parent.rglob("*.csv"):
            with open(f, encoding="utf-8", errors="replace") as fh:
                vals |= {v for r in csv.DictReader(fh) for k, v in r.items() if k and v and "date" in k.lower()}
    con = duck.connect(spatial=False)
    bdq.install(con)
    con.execute("CREATE TABLE occ (" + ", ".join(f"{duck.ident(c)} VARCHAR" for c in CANONICAL) + ")")
    con.executemany('INSERT INTO occ ("eventDate") VALUES (?)', [[v] for v in sorted(vals)])
    bdq._derive_tables(con, "occ")
    n, read, differ = con.execute("""SELECT count(*), count(s), count(*) FILTER (WHERE s IS DISTINCT FROM bdq_ev_s(txt)
        OR e IS DISTINCT FROM bdq_ev_e(txt)) FROM _bdq_dt""").fetchone()
    assert differ == 0
    assert n == len(vals) and 0 < read < n     # readable and unreadable dates were among them


def test_columns_no_source_has_are_answered_as_constants(tmp_path, monkeypatch):
    """write_outputs reads the columns NULL in every record as constants (#14: DuckDB folds those
    tests when it plans, instead of setting up every node of them per thread) and, once their
    lookups' types are known in the process, makes no lookup for them: the answers and counts are
    those of the same columns read as ordinary NULL columns, the first time and after, answered
    per combination and per record (the path a file of over 10,000 records takes).
    Constructed rows (not real records): each column's values drawn independently, ordinary, odd
    and empty (most names distinct, so that the name tests are answered per record when the
    threshold allows); verbatim coordinates unreadable beside empty decimal ones, so that
    AMENDMENT_COORDINATES_FROM_VERBATIM falls through to verbatimCoordinates (absent)."""
    import random
    present = {"occurrenceID": None, "eventDate": ["2020-05-01", "2020-13-01", "2019/2020", "", None, "2021-02"],
               "year": ["2020", "20x", None, "1700", "2021"], "decimalLatitude": ["23.5", "91", "abc", None, None, ""],
               "decimalLongitude": ["120.9", "121", None, None, "200", "0"],
               "verbatimLatitude": ["95°N", "23°30'N", None, "", "abc", "23.5"], "verbatimLongitude": ["121°E", "200°E", None, "121.5"],
               "scientificName": ["Hyla chinensis", "", None, "Rana", "Bufo bankorensis Barbour, 1908"],
               "countryCode": ["TW", "tw", "XX", None, "Taiwan"], "occurrenceStatus": ["present", "Absent", "x", None, ""],
               "basisOfRecord": ["HumanObservation", "human observation", None, "foo", "PreservedSpecimen"]}
    absent = [c for c in CANONICAL if c not in present]
    assert "verbatimCoordinates" in absent and "dateIdentified" in absent
    rnd = random.Random(7)
    rows = [[i, "機關甲" if i % 2 else "機關乙", f"d{i % 3}"]
            + [f"occ-{i}" if c == "occurrenceID" else f"Rana sp. {i}" if c == "scientificName" and i % 3 else rnd.choice(v)
               for c, v in present.items()] for i in range(300)]
    rows.append([300, "機關甲", "d0", "occ-300", "2020-05-01", "2020", None, None, "95°N", "121°E", "Rana", "TW", "present", "foo"])

    real_status, on_record = bdq.status_sql, set()

    def status_sql(t, alias="", params=None, const=None):     # which tests were answered per record, with constants
        if alias == "r" and const and set(bdq.terms(t)) & set(const):
            on_record.add(t.label)
        return real_status(t, alias, params, const)
    monkeypatch.setattr(bdq, "status_sql", status_sql)

    def answers(constant, types, per_record=False):
        monkeypatch.setattr(bdq, "_V_TYPES", types)
        monkeypatch.setattr(bdq, "INLINE_MIN_RECORDS", 0 if per_record else 10_000)
        con = duck.connect(spatial=False)
        con.execute("CREATE TABLE occ (record_id BIGINT, agency VARCHAR, dataset_id VARCHAR, "
                    + ", ".join(f"{duck.ident(c)} VARCHAR" for c in CANONICAL) + ")")
        con.executemany(f"INSERT INTO occ (record_id, agency, dataset_id, {', '.join(duck.ident(c) for c in present)}) "
                        f"VALUES ({', '.join('?' * (3 + len(present)))})", rows)
        out = tmp_path / f"run{len(list(tmp_path.iterdir()))}"
        out.mkdir()
        bdq.write_outputs(con, out, constant=constant)
        made = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '_bdq_l%'").fetchall()}
        got = (con.execute(f"SELECT * FROM ({bdq.records_sql(out)}) ORDER BY record_id").fetchall(),
               con.execute(f"SELECT * FROM '{out}/agg_bdq.parquet' ORDER BY ALL").fetchall())
        return got, made

    plain, _ = answers((), {})
    types: dict[str, str] = {}
    first, made_first = answers(absent, types)
    again, made_again = answers(absent, types)
    assert not on_record
    per_record, _ = answers(absent, types, per_record=True)
    assert plain == first == again == per_record
    assert len(on_record) >= 3      # tests reading an absent column were answered per record, with it as a constant
    assert len(plain[0]) == 301 and len(plain[1]) > 100
    # the record whose verbatim coordinates cannot be read: nothing to fill in from verbatimCoordinates either
    labels = [x for t in bdq.TESTS for x in [t.label] + ([t.label + ":result"] if t.kind in ("AMENDMENT", "MEASURE") else [])]
    assert dict(zip(["record_id"] + labels, plain[0][-1]))["AMENDMENT_COORDINATES_FROM_VERBATIM"] == "NOT_AMENDED"
    # the lookups of verbatimDepth (absent) were made the first time only; countryCode's each time
    depth = {f"_bdq_l{i}" for i, (c, _) in enumerate(bdq.LOOKUPS.values()) if c == "verbatimDepth"}
    country = {f"_bdq_l{i}" for i, (c, _) in enumerate(bdq.LOOKUPS.values()) if c == "countryCode"}
    assert depth and depth <= made_first and not depth & made_again and country <= made_again


def test_a_vocabulary_test_failing_a_taiwanese_file_says_the_one_edit_that_passes_it(tmp_path):
    """Real BBS Taiwan events (the slice, unchanged) write geodeticDatum as wgs84: BDQ takes EPSG codes only, and the
    report's BDQ section says what to write (a review: such tests fail on 99.5 % of the rows, unexplained)."""
    from dq.validate import validate
    from conftest import CHECK_DATE
    validate(Path(__file__).parent / "fixtures" / "bbs_event_slice.parquet", tmp_path / "out", CHECK_DATE)
    assert "write EPSG:4326 for WGS84" in (tmp_path / "out" / "report_en.html").read_text(encoding="utf-8")
    assert "WGS84（wgs84）請寫 EPSG:4326" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
