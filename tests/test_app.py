"""Every page renders on the demo snapshots (AppTest), its key numbers match a direct DuckDB query
on the snapshot files, and the agency filter changes them."""
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dq.checks import catalogue
from dq.demo import BBS_AGENCY, DEMO_DATE, DEMO_EARLIER, DEMO_ROOT, FROG_AGENCY, OD_LATER
from dq.opendata import OD_DEMO_ROOT

APP = Path(__file__).resolve().parent.parent / "app.py"
OCC = f"'{DEMO_ROOT / DEMO_DATE}/occurrence.parquet'"
FLAGS = f"'{DEMO_ROOT / DEMO_DATE}/flags.parquet'"


def q(sql, *params):
    return duckdb.execute(sql, list(params)).fetchone()[0]


def page(name: str, lang: str = "zh", **params) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if name != "overview":
        at.switch_page(f"pages/{name}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_overview_numbers_match_and_agency_filter_changes_them():
    m = metrics(page("overview"))
    assert m["紀錄數"] == f"{q(f'SELECT count(*) FROM {OCC}'):,}"
    assert m["機關數"] == "2"
    share = q(f"SELECT avg((n_errors = 0)::INT) FROM {OCC}")
    assert m["無錯誤紀錄比例"] == f"{share:.1%}"
    m2 = metrics(page("overview", agency=BBS_AGENCY))
    assert m2["紀錄數"] == f"{q(f'SELECT count(*) FROM {OCC} WHERE agency = ?', BBS_AGENCY):,}" != m["紀錄數"]
    species = q(f"SELECT count(DISTINCT accepted_name) FROM {OCC} WHERE agency = ?", BBS_AGENCY)
    assert m2["物種數"] == f"{species:,}"


def test_scorecard_scores_match_and_follow_the_agency():
    for agency in (BBS_AGENCY, FROG_AGENCY):
        at = page("scorecard", "en", agency=agency)
        m = metrics(at)
        coord = q(f"SELECT avg((NOT err_coordinates)::INT) FROM {OCC} WHERE agency = ?", agency)
        assert m["coordinates"] == f"{coord:.1%}"
    worst = next(df.value for df in at.dataframe if "Count" in df.value)   # file-level findings come first
    assert worst["Count"].sum() == q(f"SELECT count(*) FROM {FLAGS} JOIN {OCC} USING (record_id) WHERE agency = ?", FROG_AGENCY)


def test_scorecard_fix_list_download():
    at = page("scorecard", agency=FROG_AGENCY, fixchecks="COORD_TOWN_CENTROID")
    n = q(f"SELECT count(*) FROM {FLAGS} JOIN {OCC} USING (record_id) WHERE agency = ? AND check_id = 'COORD_TOWN_CENTROID'", FROG_AGENCY)
    assert n > 0
    assert any(f"{n:,}" in md.value for md in at.markdown)
    assert len(at.get("download_button")) == 2


def test_completeness_counts_match():
    # BBS is judged as a Darwin Core dataset: its heatmap shows the occurrence profile's fields
    at = page("completeness", agency=BBS_AGENCY, field="scientificName")
    missing = q(f"SELECT count(*) FROM {OCC} WHERE agency = ? AND (scientificName IS NULL OR trim(scientificName) = '')", BBS_AGENCY)
    records = q(f"SELECT count(*) FROM {OCC} WHERE agency = ?", BBS_AGENCY)
    assert any(f"{missing:,}" in md.value and f"{records:,}" in md.value for md in at.markdown)


def test_coordinate_page_counts_match_and_agency_filter():
    at = page("coordinates", agency=FROG_AGENCY, coordchecks="COORD_TOWN_CENTROID")
    n = q(f"SELECT count(*) FROM {FLAGS} JOIN {OCC} USING (record_id) WHERE agency = ? AND check_id = 'COORD_TOWN_CENTROID' AND lat IS NOT NULL",
          FROG_AGENCY)
    assert any(f"{n:,}" in md.value for md in at.markdown)
    at2 = page("coordinates", agency=BBS_AGENCY, coordchecks="COORD_TOWN_CENTROID")
    n2 = q(f"SELECT count(*) FROM {FLAGS} JOIN {OCC} USING (record_id) WHERE agency = ? AND check_id = 'COORD_TOWN_CENTROID' AND lat IS NOT NULL",
           BBS_AGENCY)
    assert n2 != n and any(f"{n2:,}" in md.value for md in at2.markdown)


@pytest.mark.parametrize("level", ["grid", "county", "town", "h3"])
def test_coverage_page_every_map_level(level):
    page("coverage", level=level)


def test_coverage_checklist_numbers_follow_the_agency():
    at = page("coverage", agency=FROG_AGENCY, group="兩生類")
    cov = at.dataframe[0].value.set_index("group_zh")
    assert cov.loc["兩生類", "species_recorded"] == 1            # the frog survey holds one species
    assert cov.loc["鳥類", "species_recorded"] == 0
    at2 = page("coverage", agency=BBS_AGENCY, group="鳥類")
    cov2 = at2.dataframe[0].value.set_index("group_zh")
    assert cov2.loc["鳥類", "species_recorded"] > 250
    un = at2.dataframe[1].value
    assert len(un) == cov2.loc["鳥類", "species_checklist"] - cov2.loc["鳥類", "species_recorded"]
    from dq.paths import REFERENCE
    nowhere = {r[0] for r in duckdb.sql(f"SELECT species FROM '{REFERENCE}/tbia_unrecorded.parquet'").fetchall()}
    assert 0 < un["tbia_unrecorded"].sum() < len(un)
    assert set(un.loc[un["tbia_unrecorded"], "species"]) == set(un["species"]) & nowhere


def test_compare_page_added_records_match():
    at = page("compare", a=DEMO_EARLIER, b=DEMO_DATE)
    m = metrics(at)
    old = f"'{DEMO_ROOT / DEMO_EARLIER}/occurrence.parquet'"
    added = q(f"SELECT count(*) FROM {OCC} n WHERE NOT EXISTS (SELECT 1 FROM {old} o WHERE o.occurrenceID = n.occurrenceID "
              "AND o.agency = n.agency AND o.dataset_id = n.dataset_id)")
    assert m["新增紀錄"] == f"{added:,}"
    assert m["移除紀錄"] == "0"
    at2 = page("compare", agency=FROG_AGENCY, a=DEMO_EARLIER, b=DEMO_DATE)
    assert metrics(at2)["新增紀錄"] == f"{q(f'SELECT count(*) FROM {OCC} WHERE agency = ?', FROG_AGENCY):,}"


def test_validate_page_renders():
    at = page("validate", "en")
    assert at.title[0].value == "Validate a file"


def test_rules_page_lists_every_check():
    at = page("rules", "en")
    assert len(at.dataframe[0].value) == len(catalogue())


def test_opendata_page_numbers_match_and_level_filter():
    at = page("opendata", odgroup="parent")
    league = at.dataframe[0].value
    top = league.iloc[0]
    ds = f"'{OD_DEMO_ROOT / OD_LATER}/datasets.parquet'"
    assert top["datasets"] == q(f"SELECT count(*) FROM {ds} WHERE parent = ?", top["agency"])
    at2 = page("opendata", odgroup="agency", odlevel="local")
    assert len(at2.dataframe[0].value) == q(f"SELECT count(DISTINCT agency) FROM {ds} WHERE level = 'local'")
    at3 = page("opendata", odgroup="agency", odlevel="central")   # the demo holds city portals only
    assert not at3.dataframe and at3.info
    at.button[-1].click().run()   # the meeting report
    assert not at.exception and len(at.get("download_button")) == 4
