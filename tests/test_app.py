"""The pages render on the demo snapshot, and their numbers match DuckDB on the snapshot."""
import duckdb
from streamlit.testing.v1 import AppTest

from pathlib import Path

from dq.demo import BBS_AGENCY, DEMO_DATE, DEMO_ROOT

APP = Path(__file__).resolve().parent.parent / "app.py"


def test_overview_renders_and_numbers_match():
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    records = duckdb.sql(f"SELECT count(*) FROM '{DEMO_ROOT / DEMO_DATE}/occurrence.parquet'").fetchone()[0]
    m = {x.label: x.value for x in at.metric}
    assert m["紀錄數"] == f"{records:,}"
    at.sidebar.selectbox[1].set_value(BBS_AGENCY).run()
    assert not at.exception
    assert {x.label: x.value for x in at.metric}["紀錄數"] == "385,131"


def test_rules_page_lists_every_check():
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("pages/rules.py").run()
    assert not at.exception
    from dq.checks import catalogue
    assert len(at.dataframe[0].value) == len(catalogue())
