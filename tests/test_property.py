"""No value can crash a run: random strings, numbers, dates (possible and impossible), control
characters and empty cells in every column given to `validate` and `ingest`; every input row must
come out with a result (judged in the snapshot, or in the rejected ledger with a reason).

The files are **constructed** at test time in a tmp folder (nothing here is a real record). Each
example is one file of many rows, so a few examples cover many values at a modest run time."""
import csv
import json
import string

import duckdb
import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from dq.checks import bdq
from dq.snapshot import SourceSpec, ingest
from dq.validate import validate

# every column a check or a BDQ test reads, under its Darwin Core name
COLUMNS = sorted({c for t in bdq.TESTS for c in bdq.terms(t)} | {
    "eventDate", "year", "month", "day", "decimalLatitude", "decimalLongitude", "verbatimLatitude", "verbatimLongitude",
    "verbatimSRS", "coordinateUncertaintyInMeters", "scientificName", "vernacularName", "organismQuantity",
    "organismQuantityType", "selfProduced", "basisOfRecord", "recordedBy", "verbatimLocality", "habitat", "datasetID"})

CONTROL = "".join(chr(c) for c in range(1, 32)) + "\x7f\u00a0\u3000\ufeff"
numbers = st.one_of(st.integers(-10**12, 10**12).map(str), st.floats(allow_nan=True, allow_infinity=True).map(repr),
                    st.decimals(allow_nan=False, allow_infinity=False, places=6).map(str))
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.tuples(st.integers(-50, 99999), st.integers(-2, 14), st.integers(-2, 33)).map(lambda t: f"{t[0]}-{t[1]}-{t[2]}"),
    st.tuples(st.integers(0, 3000), st.integers(0, 13), st.integers(0, 32), st.integers(0, 30), st.integers(0, 70)).map(
        lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}T{t[3]:02d}:{t[4]:02d}"),
    st.tuples(st.dates(), st.dates()).map(lambda p: f"{p[0].isoformat()}/{p[1].isoformat()}"),
    st.sampled_from(["1952-02-30", "112/05/01", "0112-05-01", "2021-13-01", "1963-03-08T14:67-0600", "30", "-1", "X", "null"]),
)
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
cells = st.one_of(st.just(""), texts, numbers, dates, st.text(alphabet=CONTROL + string.ascii_letters, max_size=8))
# shrinking a 40-row file takes minutes; the failing file is reported as generated
NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)


# A file of 83 columns × 15–30 rows drawn cell by cell is ~40,000 choices, beyond what hypothesis
# draws for one example: every example but the all-blank one overran and was thrown away (a minute
# spent, one empty file tested). So a pool of values is drawn and spread over the file, each
# column seeing a different order of it: every value lands in many columns, in few choices.
@st.composite
def rows(draw):
    pool = draw(st.lists(cells, min_size=40, max_size=80))
    n = draw(st.integers(15, 30))
    return [{c: pool[(r * 7 + j * 13 + r * j) % len(pool)] for j, c in enumerate(COLUMNS)} for r in range(n)]


def _write(tmp_path_factory, data):
    """The example as a CSV in a folder of its own; returns the file."""
    path = tmp_path_factory.mktemp("prop") / "constructed_random.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, quoting=csv.QUOTE_ALL)
        w.writeheader()
        w.writerows(data)
    return path


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), phases=NO_SHRINK)
@given(data=rows())
def test_validate_gives_every_row_a_result(tmp_path_factory, data):
    src = _write(tmp_path_factory, data)
    d = src.parent
    s = validate(src, d / "out", "2026-12-03")
    assert s["rows_read"] == s["rows_checked"] + s["rows_rejected"]
    ann = pd.read_csv(d / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    # one output row per input row that was read, each with its row number
    assert sorted(int(r) for r in ann["dq_row"]) == sorted(set(int(r) for r in ann["dq_row"]))
    assert len(ann) == s["rows_read"]
    # a row of blank cells is in the rejected ledger ("empty row"); every other row was judged
    blank_row = ann[COLUMNS].apply(lambda r: all(not str(v).strip() for v in r), axis=1)
    judged = ann[(ann["dq_errors"] != "ROW_REJECTED") & ~blank_row]
    assert len(judged) == s["rows_checked"]
    # every judged record got its BDQ responses
    assert sum(sum(v.values()) for v in s["bdq"].values()) == s["rows_checked"] * len(bdq.TESTS)


@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck), phases=NO_SHRINK)
@given(data=rows())
def test_ingest_gives_every_row_a_result(tmp_path_factory, data):
    src = _write(tmp_path_factory, data)
    d = src.parent
    snap = ingest([SourceSpec(src)], "2026-12-03", d / "snapshots", progress=lambda m: None)
    m = json.loads((snap / "manifest.json").read_text(encoding="utf-8"))
    assert m["rows_read"] == m["rows_ingested"] + m["rows_rejected"]
    con = duckdb.connect()
    n_occ = con.execute(f"SELECT count(*) FROM read_parquet('{snap / 'occurrence.parquet'}')").fetchone()[0]
    n_bdq, n_null = con.execute(f"""SELECT count(*), count(*) FILTER (WHERE "VALIDATION_EVENTDATE_STANDARD" IS NULL)
                                   FROM ({bdq.records_sql(snap)})""").fetchone()
    assert n_occ == m["rows_ingested"] == n_bdq
    assert n_null == 0
