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
    assert moenv.utf8_share == pytest.approx(1.0)           # CSV and XLSX UTF-8; the PDF's Big5 is not judged (a document)
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
    assert "1001" not in got       # its Big5 is declared for a PDF: a document has no text encoding to judge
    # its title writes 車 (車輛) as the compatibility ideograph U+F902, as 高雄市's 2018 portal does
    assert got["1002"] == {"OD_FORMAT_NOT_OPEN", "OD_UPDATE_OVERDUE", "OD_METADATA_INCOMPLETE", "OD_TINY_DATASET", "OD_NAME_COMPAT_CHARS"}
    assert got["1003"] == {"OD_LICENSE_NOT_OPEN", "OD_FORMAT_NOT_OPEN", "OD_METADATA_INCOMPLETE", "OD_ENCODING_NOT_UTF8",
                           "OD_DOWNLOAD_URL_MISSING", "OD_TINY_DATASET"}
    assert "1004" not in got
    od_checks = {c.id for c in catalogue() if c.dimension == "open_data"}
    assert od_checks == set(fl["check_id"])                   # every open-data check has a row that triggers it
    overdue = fl[(fl.check_id == "OD_UPDATE_OVERDUE")].suggestion.iloc[0]
    assert "2022-01-01" in overdue and "每年" in overdue
    # in English the catalogue's word is quoted and said in English too ("每年" alone told a reader nothing)
    overdue_en = fl[(fl.check_id == "OD_UPDATE_OVERDUE")].suggestion_en.iloc[0]
    assert 'declared frequency "每年" (every 365 days)' in overdue_en, overdue_en


def test_fix_list_and_reconciliation(snap):
    import json
    m = json.loads((snap / "manifest.json").read_text(encoding="utf-8"))
    assert m["rows_read"] == 5 == m["rows_ingested"] + m["rows_rejected"]
    fx = opendata.fix_list(snap, "環境部")
    assert set(fx["dataset_id"]) == {"1002"} and fx["message_zh"].notna().all()   # 1001 (listed by the EPA, now 環境部) has none


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
    # 高雄市's portal names a person in the unit column on 18 datasets: they are the city's, and no
    # agency is named after a person; its bureaus (社會局, 新聞局 …) are still bureaus
    people = ["蘇信宏", "廖英捷", "左育丞", "蔡志明", "賀燕君"]
    kh = res[res.agency_raw.isin(people)]
    assert len(kh) == 18 and (kh.agency == "高雄市政府").all()
    assert not res.agency.str.contains("|".join(people)).any()
    assert (res.loc[(res.agency_raw == "新聞局") & (res.parent == "高雄市政府"), "agency"] == "高雄市政府新聞局").all()
    # titles in CJK compatibility ideographs (花蓮 with 蓮 U+F999): flagged exactly where NFC changes the title
    import unicodedata
    ds = pd.read_parquet(snap / "datasets.parquet")
    fl = pd.read_parquet(snap / "od_flags.parquet")
    cc = fl[fl.check_id == "OD_NAME_COMPAT_CHARS"].merge(ds[["dataset_key", "dataset_name", "agency"]], on="dataset_key")
    changed = set(ds.loc[ds.dataset_name.fillna("").map(lambda t: unicodedata.normalize("NFC", t) != t), "dataset_key"])
    assert set(cc.dataset_key) == changed and len(changed) >= 15
    hl = cc[cc.agency.str.startswith("花蓮縣")].iloc[0]
    assert "\uf999" in hl.dataset_name and "U+F999 → \u84ee U+84EE" in hl.suggestion_en
    assert hl.suggestion.endswith("：花\u84ee縣公立殯葬設施資訊")


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
    # headings and coded values in words, as the HTML report gives them (the workbook had agency, metric_zh,
    # kept_old, verdict, check_id …; a browser walk's finding)
    import re
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        heads = [h for h in rows[0] if h]
        assert not [h for h in heads if re.fullmatch(r"[a-z0-9_]+", str(h))], (ws.title, heads)
        assert "指標代碼" not in heads     # a metric by its name, not its code as well (share_3star …)
        if "指標" in heads:                 # a share as a percentage (0.2637362637362637 was a fraction)
            i, v = heads.index("指標"), heads.index("數值")
            shares = [r[v] for r in rows[1:] if str(r[i]).endswith("（%）") and r[v] is not None]
            assert shares and all(0 <= x <= 100 and round(x, 1) == x for x in shares)
        pct = [i for i, h in enumerate(rows[0]) if str(h).endswith("（%）")]       # the agencies × metrics sheet too
        vals = [r[i] for r in rows[1:] for i in pct if r[i] is not None]
        assert all(0 <= x <= 100 and round(x, 1) == x for x in vals), ws.title
        if ws.title.startswith("機關"):
            assert pct and vals and max(vals) > 1, heads
        coded = {"better", "worse", "same", "not_comparable", "green", "amber", "red", "error", "warning", "info"}
        cols = [i for i, h in enumerate(rows[0]) if h in ("嚴重度", "比較", "燈號")]   # (a city lists a dataset named "error")
        assert not coded & {r[i] for r in rows[1:] for i in cols}, ws.title


def test_the_page_fix_list_counts_an_agency_as_its_grouping_does():
    """高雄市政府 by agency: the page's list had 2,339 rows where the meeting report had 2,275 (its hospitals' and
    apps' datasets, whose parent it is, were added whatever the grouping)."""
    from dq import meeting
    from dq.demo import OD_LATER
    snap = [x for x in opendata.snapshots() if x.name == OD_LATER][0]
    by_agency = opendata.fix_list(snap, "高雄市政府", "zh", "agency")
    by_parent = opendata.fix_list(snap, "高雄市政府", "zh", "parent")
    assert set(by_agency["agency"]) == {"高雄市政府"} and len(by_parent) > len(by_agency)
    t = meeting.build_tables(None, OD_LATER, ["高雄市政府"], "agency")
    assert len(t["fix_list"][t["fix_list"]["agency"] == "高雄市政府"]) == len(by_agency)


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
    assert "no open-data catalogue snapshot 2000-01-01" in out.stderr and "沒有 2000-01-01 的開放資料目錄快照" in out.stderr
    assert out.stderr.strip().startswith("error:") and "Traceback" not in out.stderr


# ---- the real shapes in ../shared/data/opendata, read whole or in slices; expectations computed here in Python ----

import csv
import datetime as dt
import json
import shutil

META = SHARED / "datagovtw_2018_iot_metadata"
PERIOD = {"每日": 1, "每周": 7, "每10日": 10, "每月": 30.44, "每季": 91.31, "每半年": 182.62, "每年": 365.25, "每10年": 3652.5}


def _first_copies(folder: Path) -> dict:
    """NODE → (relative path, object) of the first file (by path) naming it: the later copy repeats it."""
    out = {}
    for f in sorted(folder.rglob("*.json"), key=lambda f: str(f.relative_to(folder)).encode()):
        d = json.loads(f.read_text(encoding="utf-8"))
        out.setdefault(d["NODE"], (str(f.relative_to(folder)), d))
    return out


def _count(s: str, label: str) -> int:
    import re
    if s.strip().isdigit():
        return int(s)
    hit = re.search(label + r"\s*[:：]\s*(\d+)", s)
    return int(hit.group(1)) if hit else 0


def _day(s: str):
    return dt.date(*map(int, s[:10].replace("/", "-").split("-"))) if s else None


def test_real_metadata_folder_reconciles_and_judges_moenv(tmp_path):
    snap = ingest_catalogs([CatalogSpec(META)], "2018-03-15", tmp_path, progress=lambda m: None)
    man = json.loads((snap / "manifest.json").read_text(encoding="utf-8"))
    files = list(META.rglob("*.json"))
    all_res = sum(max(1, len(json.loads(f.read_text(encoding="utf-8"))["RESOURCE"])) for f in files)
    first = _first_copies(META)
    kept_res = sum(max(1, len(d["RESOURCE"])) for _, d in first.values())
    assert man["rows_read"] == all_res == man["rows_ingested"] + man["rows_rejected"]
    assert man["rows_ingested"] == kept_res and man["datasets"] == len(first) == len(files) - 10   # 10 ids in two folders
    rej = pd.read_parquet(snap / "rejected.parquet")
    assert rej["reason"].str.startswith("dataset id already read from").all()
    assert man["series"] == "datagovtw-metadata"

    epa = [d for _, d in first.values() if d["AGENCY"] == "行政院環境保護署"]
    res = [r for d in epa for r in d["RESOURCE"]]
    m = opendata.agency_metrics(snap).set_index("agency")
    assert "行政院環境保護署" not in m.index and "交通部中央氣象局" not in m.index   # today's names (register)
    assert m.loc["交通部中央氣象署", "datasets"] == sum(d["AGENCY"] == "交通部中央氣象局" for _, d in first.values())
    moenv = m.loc["環境部"]
    assert moenv.datasets == len(epa) == 122
    assert moenv.resources == sum(max(1, len(d["RESOURCE"])) for d in epa)
    assert moenv.utf8_share == pytest.approx(sum(r["RES_ENCODE"] == "UTF-8" for r in res) / sum(bool(r["RES_ENCODE"]) for r in res))
    assert moenv.tiny == sum(max(int(r["REC_COUNT"] or 0) for r in d["RESOURCE"]) <= 1 for d in epa)
    assert moenv.views == sum(_count(d["VIEWS"], "瀏覽次數") for d in epa)
    assert moenv.downloads == sum(_count(d["DOWNLOAD"], "下載次數") for d in epa)
    shifted = [d for _, d in first.values() if d["VIEWS"].startswith("瀏覽次數")]   # a crawler shifted the fields
    assert shifted and m["views"].sum() == sum(_count(d["VIEWS"], "瀏覽次數") for _, d in first.values())
    complete = [d for d in epa if all(d.get(k) for k in ("TITLE", "DESC", "SCHEMA", "AGENCY", "UPDATE_FREQ", "LICENCE"))
                and all(r["RES_FILETYPE"] and r["RES_URL"] and r["RES_ENCODE"] for r in d["RESOURCE"])]
    assert moenv.metadata_complete_share == pytest.approx(len(complete) / len(epa))
    openmr = {"CSV", "JSON", "XML", "ODS", "KML", "KMZ", "SHP", "API", "GEOJSON", "WEBSERVICES", "RSS", "CAP"}
    assert moenv.share_3star == pytest.approx(sum(any(r["RES_FILETYPE"] in openmr for r in d["RESOURCE"]) for d in epa) / len(epa))
    judged, overdue = 0, 0
    for d in epa:
        last = max(filter(None, [_day(d["DATE_UPDATE_META"])] + [_day(r["RES_DATE_UPDATE_META"]) for r in d["RESOURCE"]]))
        if d.get("UPDATE_FREQ") in PERIOD:
            judged += 1
            overdue += (dt.date(2018, 3, 15) - last).days > 1.5 * PERIOD[d["UPDATE_FREQ"]]
    assert (moenv.judged_update, moenv.overdue) == (judged, overdue) and judged > 0
    judged_rows = sum(pd.notna(moenv[k]) for k in ("datasets", "resources", "share_3star", "open_format_share", "overdue",
                                                    "overdue_share", "metadata_complete_share", "utf8_share", "tiny", "views", "downloads"))
    assert judged_rows >= 7


def test_a_truncated_metadata_file_is_rejected_whole_and_counted(tmp_path):
    src = sorted(META.rglob("*.json"))[:3]
    folder = tmp_path / "meta" / "slice"
    folder.mkdir(parents=True)
    for f in src:
        shutil.copy(f, folder / f.name)
    broken = folder / src[0].name
    broken.write_text(src[0].read_text(encoding="utf-8")[:200], encoding="utf-8")   # a real file, cut short
    snap = ingest_catalogs([CatalogSpec(tmp_path / "meta")], "2018-03-15", tmp_path / "s", progress=lambda m: None)
    man = json.loads((snap / "manifest.json").read_text(encoding="utf-8"))
    good = sum(max(1, len(json.loads(f.read_text(encoding="utf-8"))["RESOURCE"])) for f in src[1:])
    assert (man["rows_ingested"], man["rows_rejected"]) == (good, 1)
    rej = pd.read_parquet(snap / "rejected.parquet")
    assert rej.loc[0, "reason"] == "not valid JSON" and rej.loc[0, "source_file"] == f"slice/{src[0].name}"


def _national_slice(tmp_path, n=3000) -> Path:
    """The header, the first n rows and every 行政院環境保護署 row of the 2018 national list, as the file has them."""
    lines = (SHARED / "datagovtw_2018_national_list.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    keep = [lines[0]] + [ln for i, ln in enumerate(lines[1:]) if i < n or ln.startswith("行政院環境保護署,")]
    out = tmp_path / "national_slice.csv"
    out.write_text("".join(keep), encoding="utf-8")
    return out


def test_real_national_list_slice_with_quoted_thousands(tmp_path):
    f = _national_slice(tmp_path)
    rows = list(csv.DictReader(f.open(encoding="utf-8")))
    snap = ingest_catalogs([CatalogSpec(f)], "2018-08-31", tmp_path / "s", progress=lambda m: None)
    man = json.loads((snap / "manifest.json").read_text(encoding="utf-8"))
    assert man["rows_read"] == len(rows) == man["rows_ingested"] and man["sources"][0]["format"] == "data.gov.tw-list"
    m = opendata.agency_metrics(snap).set_index("agency")
    epa = [r for r in rows if r["提供機關名稱"] == "行政院環境保護署"]
    num = lambda x: int(x.replace(",", "")) if x else 0   # "7,472" → 7472
    assert m.loc["環境部", "datasets"] == len({(r["資料集名稱"], r["上架日"]) for r in epa})
    assert m.loc["環境部", "views"] == sum(num(r["瀏覽人次"]) for r in epa)
    assert m.loc["環境部", "downloads"] == sum(num(r["下載次數"]) for r in epa)
    culture = [r for r in rows if r["提供機關名稱"] == "文化部"]
    assert m.loc["文化部", "views"] == sum(num(r["瀏覽人次"]) for r in culture) > 1000
    assert m["share_3star"].isna().all() and m["platinum"].isna().all()   # the list has no format or badge: not judged


def _export_rows():
    return json.loads((SHARED / "datagovtw_2026_export_sample24.json").read_text(encoding="utf-8"))


def test_real_2026_export_json_badges_and_benchmark(tmp_path):
    rows = _export_rows()
    snap = ingest_catalogs([CatalogSpec(SHARED / "datagovtw_2026_export_sample24.json")], "2026-05-05", tmp_path, progress=lambda m: None)
    m = opendata.agency_metrics(snap).set_index("agency")
    assert m["datasets"].sum() == len(rows) == 24
    moa = [r for r in rows if r["提供機關"] == "農業部"]
    assert (m.loc["農業部", "platinum"], m.loc["農業部", "gold"]) == (sum(r["品質檢測"] == "白金" for r in moa), sum(r["品質檢測"] == "金" for r in moa))
    hl = [r for r in rows if r["提供機關"] == "花蓮縣政府"]
    assert m.loc["花蓮縣政府", "silver"] == sum(r["品質檢測"] == "銀" for r in hl)
    all_pt = sum(r["品質檢測"] == "白金" for r in rows) / len(rows)
    assert (m["platinum"].sum() / m["judged_badge"].sum()) == pytest.approx(all_pt)
    enc = [e for r in rows for e in r["編碼格式"].split(";") if e]
    assert (m["utf8_share"] * 0 + 1).notna().all()
    con = duckdb.connect()
    utf8 = con.execute(f"SELECT sum(utf8_resources) / sum(encoding_declared) FROM read_parquet('{snap}/datasets.parquet')").fetchone()[0]
    assert utf8 == pytest.approx(sum(e.upper() == "UTF-8" for e in enc) / len(enc))
    # overdue: 每1月 / 每1年 are judged (1.5 × the period), 不定期更新 / 不更新 are not
    per = {"每1月": 30.44, "每1年": 365.25}
    jud = [r for r in rows if r["更新頻率"] in per]
    od = [r for r in jud if (dt.date(2026, 5, 5) - _day(r["更新時間"])).days > 1.5 * per[r["更新頻率"]]]
    assert (m["judged_update"].sum(), m["overdue"].fillna(0).sum()) == (len(jud), len(od)) and len(jud) > 0
    # the national benchmark: shares of the whole 2026 catalogue, as published
    nat = list(csv.DictReader((SHARED / "datagovtw_2026_national_distribution.csv").open(encoding="utf-8")))
    total = sum(int(r["datasets"]) for r in nat if r["table"] == "品質標章")
    b = opendata.benchmark(snap, "農業部").set_index(["kind", "key"])
    assert b.loc[("badge", "platinum"), "national_share"] == pytest.approx(32020 / total)
    assert round(b.loc[("badge", "platinum"), "national_share"] * 100, 1) == 60.5
    assert b.loc[("badge", "platinum"), "share"] == pytest.approx(sum(r["品質檢測"] == "白金" for r in moa) / len(moa))
    irr = sum(int(r["datasets"]) for r in nat if r["table"] == "更新頻率" and "不定期" in r["value"])
    assert b.loc[("freq", "irregular"), "national_share"] == pytest.approx(irr / total)


def test_real_2026_export_as_csv_reads_like_the_json(tmp_path):
    """The same 24 real rows written in the CSV export's own column names give the same metrics."""
    header = {"識別碼": "資料集識別碼", "名稱": "資料集名稱", "提供屬性": "資料提供屬性", "服務分類": "服務分類", "品質檢測": "品質檢測",
              "檔案格式": "檔案格式", "下載網址": "資料下載網址", "編碼格式": "編碼格式", "更新時間": "資料資源更新時間", "描述": "資料集描述",
              "主要欄位": "主要欄位說明", "提供機關": "提供機關", "更新頻率": "更新頻率", "資料量": "資料量", "上架日期": "上架日期"}
    f = tmp_path / "export_2026.csv"
    with f.open("w", encoding="utf-8-sig", newline="") as fo:
        w = csv.writer(fo)
        w.writerow(header.values())
        for r in _export_rows():
            w.writerow([r[k] for k in header])
    a = opendata.agency_metrics(ingest_catalogs([CatalogSpec(f)], "2026-05-05", tmp_path / "c", progress=lambda m: None))
    b = opendata.agency_metrics(ingest_catalogs([CatalogSpec(SHARED / "datagovtw_2026_export_sample24.json")], "2026-05-05",
                                                tmp_path / "j", progress=lambda m: None))
    cols = ["agency", "datasets", "resources", "platinum", "gold", "silver", "no_badge", "overdue", "utf8_share", "tiny", "open_format_share"]
    pd.testing.assert_frame_equal(a[cols].sort_values("agency").reset_index(drop=True), b[cols].sort_values("agency").reset_index(drop=True))


def test_demo_catalogues_are_separate_series():
    from dq.demo import OD_EXPORT, OD_METADATA, OD_NATIONAL
    snaps = {s.name: s for s in opendata.snapshots()}
    keys = {d: opendata.series(snaps[d]) for d in (OD_METADATA, OD_NATIONAL, OD_EXPORT)}
    assert len(set(keys.values())) == 3
    assert [s.name for s in opendata.same_series(snaps[OD_METADATA])] == [OD_METADATA]


# ---- the meeting report -----------------------------------------------------------------------

def test_moenv_meeting_report_states_dates_sources_and_judges_real_rows():
    from dq import meeting
    from dq.demo import OD_METADATA
    html = meeting.report_html(None, OD_METADATA, ["環境部"])
    assert "<h2>環境部</h2>" in html and "行政院環境保護署 → 今 環境部（2023-08-22 起）" in html
    assert "產製日期：" in html and f"目錄快照 {OD_METADATA}" in html and "資料來源：" in html and "60.5%" in html
    for internal in (".csv", ".json", ".parquet", "README", "data/", "datagovtw_"):   # no internal file names
        assert internal not in html
    t = meeting.build_tables(None, OD_METADATA, ["環境部"])
    judged = t["metrics"]["value"].notna().sum()
    assert judged >= 7, judged
    for unit in opendata.units("環境部"):   # the catalogue names no unit: said so, by name
        assert unit in html
    peers = opendata.peers(t["all_new"], "環境部")
    assert all(f"{a}（×" in html for a in peers["agency"].iloc[1:])   # like-for-like peers with their size ratio


def test_a_removed_dataset_or_newly_judged_field_is_no_regression(tmp_path):
    """Two snapshots of the same real export rows, the second without one dataset: shares are compared on the
    datasets in both, so removing one (even a platinum one) is a count change, not 退步."""
    from dq import meeting
    rows = _export_rows()
    a = tmp_path / "a.json"
    a.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    gone = next(r for r in rows if r["提供機關"] == "經濟部商業發展署" and r["品質檢測"] == "白金")
    b = tmp_path / "b.json"
    b.write_text(json.dumps([r for r in rows if r is not gone], ensure_ascii=False), encoding="utf-8")
    root = tmp_path / "snaps"
    sa = ingest_catalogs([CatalogSpec(a)], "2026-05-01", root, progress=lambda m: None)
    sb = ingest_catalogs([CatalogSpec(b)], "2026-05-05", root, progress=lambda m: None)
    c = opendata.compare(sa, sb)
    cnt = c["counts"].set_index("agency").loc["經濟部商業發展署"]
    assert (cnt.datasets_old, cnt.datasets_new, cnt.kept, cnt.removed) == (2, 1, 1, 1)
    o = c["old"].set_index("agency").loc["經濟部商業發展署"]
    n = c["new"].set_index("agency").loc["經濟部商業發展署"]
    for k in ("platinum_share", "badge_share", "utf8_share", "metadata_complete_share"):
        assert opendata.verdict(k, o, n) == "same"
    assert opendata.verdict("datasets", c["all_old"].set_index("agency").loc["經濟部商業發展署"],
                            c["all_new"].set_index("agency").loc["經濟部商業發展署"]) == "changed"
    # judged on 2 fields, then on 3 (the 2018 city catalogues): not comparable, never 退步
    from dq.demo import OD_EARLIER, OD_LATER
    t = meeting.build_tables(OD_EARLIER, OD_LATER, ["高雄市政府"], "parent")
    v = t["metrics"].set_index("metric").loc["metadata_complete_share", "verdict"]
    assert v == "not_comparable"
    assert not (t["metrics"]["verdict"] == "worse").any()
    html = meeting.report_html(OD_EARLIER, OD_LATER, ["高雄市政府"], "parent")
    assert "不可比較（判定欄位不同）" in html and "class='down'>退步" not in html


def test_different_catalogues_are_never_compared():
    from dq import meeting
    from dq.demo import OD_LATER, OD_METADATA
    with pytest.raises(Exception, match="never compared"):
        opendata.compare(opendata.snapshots()[0].parent / OD_METADATA, opendata.snapshots()[0].parent / OD_LATER)
    html = meeting.report_html(OD_METADATA, OD_LATER, ["高雄市政府"], "parent")
    assert "未比較變化" in html and "進步" not in html and "退步" not in html


def test_moenv_report_fits_a4_in_chromium(tmp_path, request):
    """The 環境部 report in Debian's Chromium: nothing wider than an A4 page, and it prints as A4 pages."""
    from conftest import CHROMIUM
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    from dq import meeting
    from dq.demo import OD_METADATA
    f = tmp_path / "moenv.html"
    f.write_text(meeting.report_html(None, OD_METADATA, ["環境部"]), encoding="utf-8")
    page = request.getfixturevalue("new_page")(viewport={"width": 794, "height": 1123}, locale="zh-TW")   # A4 at 96 dpi
    page.goto(f.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 794
    wide = page.evaluate("""[...document.querySelectorAll('table, svg, .kpis')].filter(e => e.getBoundingClientRect().right > 794 - 8).length""")
    assert wide == 0
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and 2 <= pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") <= 8


# ---- the pages (AppTest): the report is about the agencies the user picked; the open-dataset page -------

def _page(name: str, **params):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(f"pages/{name}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_report_follows_the_agency_the_user_picks_and_url_keeps_only_choices():
    from dq.demo import OD_LATER
    at = _page("opendata", od=OD_LATER, odgroup="parent")
    assert set(at.query_params) <= {"od", "odgroup", "lang"}          # nothing the user did not choose
    # picker keys carry a hash of their labels (they are rebuilt when the language changes)
    pick = lambda: next(b for b in at.selectbox if str(b.key).startswith("qp_odagency"))  # noqa: E731
    first = pick().value
    other = next(a for a in pick().options if a != first)
    pick().set_value(other).run()
    rep = [w for w in at.multiselect if w.label == "報告包含的機關"][0]
    assert rep.value == [other]                                        # the report follows the picked agency
    assert "odrep" not in at.query_params
    at.button[-1].click().run()
    html = at.session_state["od_report"][1]
    assert f"<h2>{other}</h2>" in html and f"<h2>{first}</h2>" not in html


def test_open_dataset_page_deep_link_shows_badge_licence_history_and_portal_link():
    from dq.demo import OD_METADATA
    at = _page("od_dataset", od=OD_METADATA, ds="28178")
    assert at.header[0].value == "空氣品質監測小時值資料(一般污染物,每日更新)"
    link = [b for b in at.get("link_button")]
    assert link and link[0].proto.url == "https://data.gov.tw/dataset/28178"
    frames = [f.value for f in at.dataframe]
    assert any("政府資料開放授權條款-第1版" in f.to_string() for f in frames)          # the licence
    hist = frames[-1]
    assert len(hist) >= 2                     # the metadata snapshot and the national list (matched by agency and title)
    from dq.checks import by_id   # findings by title (issue 11: no raw check ids on screen)
    assert any(by_id()["OD_UPDATE_OVERDUE"].title_zh in f.to_string() for f in frames)


def test_open_dataset_page_in_english_names_the_licence_and_missing_fields_in_english():
    """The English dataset page quoted 政府資料開放授權條款-第1版 and 更新頻率 as the catalogue writes them; the
    licence now reads by its English name with the catalogue's words beside it, the missing fields in English."""
    from dq.demo import OD_METADATA
    from dq.i18n import licence_text
    assert licence_text("政府資料開放授權條款-第1版", "en") == "Open Government Data License, version 1.0 (政府資料開放授權條款-第1版)"
    assert licence_text("政府資料開放授權條款-第1版", "zh") == "政府資料開放授權條款-第1版"
    assert licence_text("某機關自訂授權", "en") == "某機關自訂授權" and licence_text(None, "en") is None
    at = _page("od_dataset", od=OD_METADATA, ds="10451", lang="en")
    facts = at.dataframe[0].value.to_string()
    assert "Open Government Data License, version 1.0" in facts and "update frequency" in facts and "更新頻率" not in facts
    # its frequency is blank in a catalogue that has the field: "not given", not "not in this catalogue" — said
    # under the card's "?", its value a dash (the longer text was cut in the card's large type)
    freq = [m for m in at.metric if m.label == "Update frequency"]
    assert freq and freq[0].value == "—" and freq[0].help == "not given", [(m.label, m.value, m.help) for m in at.metric]


def test_trend_of_two_snapshots_is_a_line_within_one_series_only():
    import json as _json
    from dq.demo import OD_EARLIER, OD_LATER, OD_METADATA
    at = _page("opendata", od=OD_LATER, odgroup="parent", odagency="高雄市政府", odmetric="datasets")
    charts = [_json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    line = [c for c in charts if c["layout"].get("title", {}).get("text", "").startswith("高雄市政府 ·")][0]
    assert line["data"][0]["x"] == [OD_EARLIER, OD_LATER] and "lines" in line["data"][0]["mode"]
    at2 = _page("opendata", od=OD_METADATA, odagency="環境部")
    assert any("只有一個快照" in i.value for i in at2.info)     # the metadata catalogue is not joined to the city portals


def test_update_frequencies_read_in_english():
    """data.gov.tw's frequencies (每1年, 不定期更新, 不更新 …, the real 2026 export's values) were Chinese on the English
    pages; every form the catalogues use reads in English, and zh-TW keeps them as written."""
    import re
    from dq.i18n import frequency_text
    vals = set()
    for s in opendata.snapshots():
        p = Path(s) / "datasets.parquet"
        vals |= {v for (v,) in duckdb.execute(f"SELECT DISTINCT update_frequency FROM read_parquet('{p}') WHERE update_frequency IS NOT NULL").fetchall()}
    assert {"每1年", "不定期更新"} <= vals
    for v in vals:
        assert not re.search(r"[\u4e00-\u9fff]", frequency_text(v, "en")), v
        assert frequency_text(v, "zh") == v
    assert frequency_text("每3月", "en") == "Every 3 months" and frequency_text("每年", "en") == "Yearly"


def test_the_metadata_fix_names_its_fields_in_english():
    """OD_METADATA_INCOMPLETE's English fix read "Add: 提供機關"; every field dq.opendata judges has its English name."""
    assert set(opendata.META_FIELDS_EN) == set(opendata.META_FIELDS)
    snap = [x for x in opendata.snapshots() if x.name == "2018-12-31"][0]
    fx = opendata.fix_list(snap, "高雄市政府", "en", "agency")
    meta = fx[fx["check_id"] == "OD_METADATA_INCOMPLETE"]["suggestion"]
    assert len(meta) and not meta.str.contains(r"[\u4e00-\u9fff]").any()


def test_catalogue_words_and_times_are_shown_one_way():
    """data.gov.tw's 2018 export writes resource times as 2018/03/09 12:35 and any other encoding as 其他: the
    dataset page showed them so beside ISO dates, and 其他 in the English UI."""
    from dq.i18n import catalogue_time, encoding_text
    assert catalogue_time("2018/3/9 12:35") == "2018-03-09 12:35" and catalogue_time("2025-09-30 22:32:31") == "2025-09-30 22:32"
    assert catalogue_time(None) is None and catalogue_time("每月") == "每月"
    # a browser walk: the 2018-12-31 city catalogue's ISO times with microseconds, a listing date written as midnight
    assert catalogue_time("2018-03-31T06:38:38.795910") == "2018-03-31 06:38" and catalogue_time("2016-08-31 00:00:00") == "2016-08-31"
    assert catalogue_time("2016-08-31 00:00:07") == "2016-08-31 00:00" and catalogue_time("2016-08-31") == "2016-08-31"
    import pandas as pd
    assert catalogue_time(pd.Timestamp("2016-08-31")) == "2016-08-31" and catalogue_time(pd.NaT) is pd.NaT
    assert encoding_text("其他", "en") == "Other" and encoding_text("其他", "zh") == "其他" and encoding_text("BIG5", "en") == "BIG5"
    # a row listing several files, listed as each language lists
    assert encoding_text("BIG5;其他", "en") == "BIG5, Other" and encoding_text("BIG5;其他", "zh") == "BIG5、其他"
    assert catalogue_time("2018/03/09 12:35;2018/3/10 08:00") == "2018-03-09 12:35; 2018-03-10 08:00"


def test_a_documents_encoding_and_file_count_are_not_judged(tmp_path):
    """CONSTRUCTED rows after the 2018 IoT list: a PDF resource declared 其他 (other) as its encoding and was
    told to be published in UTF-8; a yearly PDF form's volume of 1 (its file) was called a dataset of 0 or 1
    record. A CSV beside the PDF in the same row is still judged."""
    src = FIX / "constructed_datagovtw_export.csv"
    header = src.read_text(encoding="utf-8-sig").splitlines()[0]
    tail = (",2024-06-30,描述,欄位F,環境部,每月,政府資料開放授權條款-第1版,,免費,測試,02-0000004,2020-01-01,2024-06-30,"
            "CONSTRUCTED test row (not real data),1")
    rows = ["2101,測試表單甲,原始資料,環境,,PDF,https://example.invalid/a.pdf,其他" + tail,
            "2102,測試資料集乙,原始資料,環境,,CSV;PDF,https://example.invalid/b.csv;https://example.invalid/b.pdf,BIG5;其他" + tail,
            "2103,測試表單丙,原始資料,環境,,PDF;pdf ,https://example.invalid/c.pdf;https://example.invalid/c2.pdf,其他;其他" + tail]
    f = tmp_path / "constructed_documents.csv"
    f.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8-sig")
    snap = ingest_catalogs([CatalogSpec(f)], DATE, tmp_path / "snaps", progress=lambda m: None)
    fl = pd.read_parquet(snap / "od_flags.parquet").merge(pd.read_parquet(snap / "datasets.parquet")[["dataset_key", "dataset_id"]])
    got = fl.groupby("dataset_id")["check_id"].apply(set).to_dict()
    for forms in ("2101", "2103"):
        assert not {"OD_ENCODING_NOT_UTF8", "OD_TINY_DATASET"} & got.get(forms, set()), forms
    assert {"OD_ENCODING_NOT_UTF8", "OD_TINY_DATASET"} <= got["2102"]
    m = opendata.agency_metrics(snap).set_index("agency").loc["環境部"]
    assert m.utf8_share == 0 and m.tiny == 1


def test_national_frequency_shares_add_up_and_english_sources_say_what_zh_says():
    """The national summary itemises only the commoner update frequencies: its column added up to 98.3 % with
    "blank or unreadable" at 0.0 % (a reviewer's walk). The rest is its own row now. The English source line
    dropped what the Chinese one says (628 agencies; the Civil IoT themes)."""
    snaps = opendata.snapshots()
    b = opendata.benchmark(snaps[-1], "環境部")
    assert b.loc[b.kind == "freq", "national_share"].sum() == pytest.approx(1.0)
    rest = b[(b.kind == "freq") & (b.key == "unlisted")].iloc[0]
    assert rest["national_share"] > 0.01 and pd.isna(rest["share"]) and pd.isna(rest["datasets"])   # no agency bucket of its own
    # a frequency the national summary does not itemise (weekly, blank) is in that rest: its national share
    # is not known, where it read 0.0 % (a second walk)
    itemised = set(opendata.national_benchmark().query("kind == 'freq'")["key"])
    snap = next(s for s in snaps if s.name == "2018-03-15")     # the 2018 list with weekly and blank frequencies
    d = opendata.datasets(snap)
    seen = pd.concat([opendata.benchmark(snap, a) for a in d.loc[~d["freq_bucket"].isin(itemised), "agency"].dropna().unique()[:10]])
    other = seen[(seen.kind == "freq") & ~seen.key.isin(itemised)]
    assert len(other) and other["national_share"].isna().all(), other[["key", "national_share"]]
    assert seen.loc[seen.kind == "freq", "national_share"].isna().sum() == len(other)
    en = {s.name: " ".join(opendata.sources_note(s, "en")) for s in snaps}
    assert "628 agencies" in en["2018-08-31"] and "Civil IoT" in en["2018-03-15"] and "Kaohsiung" in en["2018-03-20"]
    assert not any("\u4e00" <= ch <= "\u9fff" for v in en.values() for ch in v)


def test_the_meeting_to_do_names_the_metadata_fields_actually_missing():
    """A browser walk: 高雄市政府's report (2018-12-31) asked to fill 描述、主要欄位說明、更新頻率、編碼 — its catalogue has no
    frequency or encoding field and leaves blank the providing unit on 1,489 datasets and field notes on 8."""
    from dq import meeting
    html = meeting.report_html(None, "2018-12-31", ["高雄市政府"], "agency")
    todo = html[html.find("後續應辦理事項"):]
    todo = todo[:todo.find("</ul>")]
    assert "補齊詮釋資料（提供機關（單位） 1,489 個資料集" in todo and "更新頻率" not in todo and "編碼" not in todo


def test_a_one_agency_meeting_workbook_lists_that_agency_s_changes_only():
    """A browser walk: the 變化 changes sheet of 高雄市政府's report listed all 563 agencies of the two snapshots."""
    import io
    from openpyxl import load_workbook
    from dq import meeting
    wb = load_workbook(io.BytesIO(meeting.report_xlsx("2018-03-20", "2018-12-31", ["高雄市政府"], "agency")), read_only=True)
    rows = list(wb["變化 changes"].iter_rows(values_only=True))
    col = rows[0].index("機關")
    assert {r[col] for r in rows[1:]} == {"高雄市政府"}, len(rows)


def test_an_api_is_one_format_however_the_catalogue_words_it():
    """A walk: the meeting report's formats of 交通部中央氣象署 (the 2018 national list) listed 網路服務（API）, 15 files,
    and API, 11 files, as two formats. The list writes WEBSERVICES for 88 files and API for 13: one row, named alike."""
    from dq.i18n import format_text
    from dq.meeting import report_html
    snap = next(s for s in opendata.snapshots() if s.name == "2018-03-15")
    raw = duckdb.execute(f"""SELECT count(*) FROM (SELECT upper(trim(unnest(string_split(file_format, ';')))) AS f
        FROM read_parquet('{snap / 'resources.parquet'}') WHERE agency = '交通部中央氣象署') WHERE f IN ('API', 'WEBSERVICES')""").fetchone()[0]
    fm = opendata.formats(snap, "交通部中央氣象署").set_index("format")
    assert "WEBSERVICES" not in fm.index and fm.loc["API", "files"] == raw == 26
    assert format_text("API", "zh") == format_text("WEBSERVICES", "zh") == "網路服務（API）"
    assert format_text("API", "en") == "Web service (API)"
    html = report_html(None, "2018-03-15", ["交通部中央氣象署"])
    section = html.split("五、檔案格式與編碼")[1].split("</table>")[0]
    assert section.count("網路服務（API）") == 1 and "<td>API</td>" not in section
