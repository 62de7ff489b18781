"""Open-data metrics, checks, readers and the meeting report.

tests/fixtures/constructed_datagovtw_export.csv is CONSTRUCTED (every row says so in 備註): five
resources of four datasets in data.gov.tw's export format, with hand-computed expectations below.
"""
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dq import opendata
from dq.checks import catalogue
from dq.opendata import CatalogSpec, ingest_catalogs

FIX = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "opendata"
DATE = "2024-07-01"


@pytest.fixture(scope="module")
def snap(tmp_path_factory):
    root = tmp_path_factory.mktemp("od")
    return ingest_catalogs([CatalogSpec(FIX / "constructed_datagovtw_export.csv")], DATE, root, progress=lambda m: None)


def test_agency_metrics_hand_computed(snap):
    m = opendata.agency_metrics(snap).set_index("agency")
    # 行政院環境保護署 and 環境部 are one agency (register); 台北市 → 臺北市; 林務局 → 林業及自然保育署
    assert set(m.index) == {"環境部", "臺北市政府環境保護局", "農業部林業及自然保育署"}
    moenv = m.loc["環境部"]
    assert (moenv.datasets, moenv.resources) == (2, 3)
    assert moenv.share_3star == pytest.approx(0.5)          # 1001 has a CSV (3 stars), 1002 only XLSX (2)
    assert (moenv.platinum, moenv.gold, moenv.silver, moenv.bronze, moenv.no_badge) == (1, 1, 0, 0, 0)
    assert (moenv.overdue, moenv.judged_update) == (1, 2)   # 1002 yearly, last 2022-01-01
    assert moenv.overdue_share == pytest.approx(0.5)
    assert moenv.metadata_complete_share == pytest.approx(0.5)   # 1002 has no description
    assert moenv.utf8_share == pytest.approx(2 / 3)         # CSV and XLSX UTF-8, the PDF Big5
    assert moenv.tiny == 1
    assert moenv.level == "central" and moenv.parent == "行政院"
    tp = m.loc["臺北市政府環境保護局"]
    assert tp.share_3star == 0 and tp.silver == 1            # licence 其他 is not open: 0 stars
    assert pd.isna(tp.overdue) and pd.isna(tp.overdue_share)  # 不定期 is not judged
    assert tp.metadata_complete_share == 0 and tp.utf8_share == 0 and tp.tiny == 1
    assert tp.level == "local"
    fa = m.loc["農業部林業及自然保育署"]
    assert fa.share_3star == 1 and fa.no_badge == 1 and fa.overdue == 0   # ROC 113/06/30, daily: 1 day old
    assert fa.metadata_complete_share == 1 and fa.utf8_share == 1 and fa.tiny == 0


def test_open_data_checks_fire_on_exactly_the_expected_datasets(snap):
    fl = pd.read_parquet(snap / "od_flags.parquet").merge(pd.read_parquet(snap / "datasets.parquet")[["dataset_key", "dataset_id"]])
    got = fl.groupby("dataset_id")["check_id"].apply(set).to_dict()
    assert got.get("1001", set()) == {"OD_ENCODING_NOT_UTF8"}
    assert got["1002"] == {"OD_FORMAT_NOT_OPEN", "OD_UPDATE_OVERDUE", "OD_METADATA_INCOMPLETE", "OD_TINY_DATASET"}
    assert got["1003"] == {"OD_LICENSE_NOT_OPEN", "OD_FORMAT_NOT_OPEN", "OD_METADATA_INCOMPLETE", "OD_ENCODING_NOT_UTF8",
                           "OD_DOWNLOAD_URL_MISSING", "OD_TINY_DATASET"}
    assert "1004" not in got
    od_checks = {c.id for c in catalogue() if c.dimension == "open_data"}
    assert od_checks == set(fl["check_id"])                   # every open-data check has a row that triggers it
    overdue = fl[(fl.check_id == "OD_UPDATE_OVERDUE")].suggestion.iloc[0]
    assert "2022-01-01" in overdue and "每年" in overdue


def test_fix_list_and_reconciliation(snap):
    import json
    m = json.loads((snap / "manifest.json").read_text(encoding="utf-8"))
    assert m["rows_read"] == 5 == m["rows_ingested"] + m["rows_rejected"]
    fx = opendata.fix_list(snap, "環境部")
    assert set(fx["dataset_id"]) == {"1001", "1002"} and fx["message_zh"].notna().all()


def test_rag_thresholds():
    assert opendata.rag("share_3star", 0.95) == "green"
    assert opendata.rag("share_3star", 0.75) == "amber"
    assert opendata.rag("share_3star", 0.5) == "red"
    assert opendata.rag("overdue_share", 0.01) == "green"   # lower is better
    assert opendata.rag("overdue_share", 0.5) == "red"
    assert opendata.rag("datasets", 10) is None


def test_meeting_lists_change_the_metrics(snap):
    ds = opendata.datasets(snap)
    lists = ds[["dataset_key"]].assign(high_value=ds["dataset_id"] == "1001", bilingual=False)
    opendata.save_lists(snap.parent, snap.name, lists)
    try:
        m = opendata.agency_metrics(snap).set_index("agency")
        assert m.loc["環境部", "high_value"] == 1 and m.loc["臺北市政府環境保護局", "high_value"] == 0
    finally:
        opendata.lists_path(snap.parent, snap.name).unlink()


def test_cli_writes_agency_metrics_csv(tmp_path):
    out = subprocess.run([sys.executable, "-m", "dq", "opendata", str(FIX / "constructed_datagovtw_export.csv"), "--snapshot", DATE,
                          "--out", str(tmp_path / "out"), "--root", str(tmp_path / "snaps")], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.returncode == 0, out.stderr
    df = pd.read_csv(tmp_path / "out" / "agency_metrics.csv", encoding="utf-8-sig")
    for col in ["agency", "datasets", "resources", "share_3star", "platinum", "gold", "silver", "bronze", "no_badge", "overdue",
                "overdue_share", "metadata_complete_share", "utf8_share"]:
        assert col in df.columns
    assert len(df) == 3
    bad = subprocess.run([sys.executable, "-m", "dq", "opendata", str(FIX / "constructed_occurrence.csv"), "--snapshot", DATE,
                          "--out", str(tmp_path / "o2"), "--root", str(tmp_path / "s2")], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert bad.returncode == 2 and "not an open-data catalogue" in bad.stderr


def test_real_2018_city_catalogues_read_and_reconcile(tmp_path):
    files = sorted((SHARED / "city_catalogs_2018").glob("*.csv"))
    assert len(files) == 20
    snap = ingest_catalogs([CatalogSpec(f) for f in files], "2018-12-31", tmp_path, progress=lambda m: None)
    import json
    m = json.loads((snap / "manifest.json").read_text(encoding="utf-8"))
    # an independent count of the same files by DuckDB's own CSV reader
    direct = duckdb.sql(f"SELECT count(*) FROM read_csv('{SHARED}/city_catalogs_2018/*.csv', all_varchar=true, header=true)").fetchone()[0]
    assert m["rows_read"] == direct == m["rows_ingested"] + m["rows_rejected"]
    assert {s["format"] for s in m["sources"]} == {"city-portal-2018"}
    am = opendata.agency_metrics(snap, "parent").set_index("agency")
    assert "臺北市政府" in am.index and "台北市政府" not in am.index   # 台 → 臺
    assert am.loc["桃園市政府", "views"] > 0
    res = pd.read_parquet(snap / "resources.parquet")
    ty = res[(res.parent == "桃園市政府") & (res.agency_raw == "地方稅務局")]
    assert len(ty) and (ty.agency == "桃園市政府地方稅務局").all()   # a bureau named without its city


def test_meeting_report_renders_every_chosen_agency(tmp_path):
    from dq import meeting
    from dq.demo import OD_EARLIER, OD_LATER
    chosen = ["高雄市政府", "臺南市政府", "宜蘭縣政府"]
    html, xlsx = meeting.write_report(OD_EARLIER, OD_LATER, chosen, tmp_path, "parent")
    text = html.read_text(encoding="utf-8")
    for ag in chosen:
        assert f"<h2>{ag}</h2>" in text
    assert "<svg" in text
    for external in ("<script", "<link", "src=", "href=", "@import", "url("):   # self-contained: opens offline
        assert external not in text
    from openpyxl import load_workbook
    wb = load_workbook(xlsx, read_only=True)
    assert "變化 changes" in wb.sheetnames and "逾期 overdue" in wb.sheetnames


def test_a_row_listing_several_files(tmp_path):
    """data.gov.tw also writes one row per dataset with ';'-separated formats and encodings (CONSTRUCTED row)."""
    src = FIX / "constructed_datagovtw_export.csv"
    lines = src.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0]
    row = ("2001,測試資料集戊,原始資料,環境,金,CSV;JSON;XML,https://example.invalid/a.csv;https://example.invalid/a.json;https://example.invalid/a.xml,"
           "UTF-8;BIG5;UTF-8,2024-06-30,描述,欄位F,環境部,每月,政府資料開放授權條款-第1版,,免費,測試,02-0000004,2020-01-01,2024-06-30,"
           "CONSTRUCTED test row (not real data),10")
    f = tmp_path / "constructed_multi.csv"
    f.write_text(header + "\n" + row + "\n", encoding="utf-8-sig")
    snap = ingest_catalogs([CatalogSpec(f)], DATE, tmp_path / "snaps", progress=lambda m: None)
    m = opendata.agency_metrics(snap).set_index("agency").loc["環境部"]
    assert m.share_3star == 1 and m.gold == 1
    assert m.utf8_share == pytest.approx(2 / 3)
    fl = pd.read_parquet(snap / "od_flags.parquet")
    assert set(fl.check_id) == {"OD_ENCODING_NOT_UTF8"}


def test_report_on_a_missing_snapshot_says_so(tmp_path):
    out = subprocess.run([sys.executable, "-m", "dq", "report", "--old", "2000-01-01", "--new", "2018-12-31", "--out", str(tmp_path)],
                         capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    assert out.returncode == 2
    assert out.stderr.strip().startswith("error: no open-data catalogue snapshot 2000-01-01") and "Traceback" not in out.stderr
