"""Builds the embedded demo snapshot from the real files in ../shared/data.

Four publishers, so the per-agency views compare something:
- BBS Taiwan: occurrence ⋈ event on eventID (the Darwin Core star schema the IPT publishes),
  publisher 特有生物研究保育中心 (now 農業部生物多樣性研究所).
- The invasive-frog survey of TaiBON. Its 'CommonName' column holds the place (county + town):
  the value check of dq/sources/mapping.py maps it to verbatimLocality by itself; the species,
  which the file leaves implicit, is given as the dataset-level default.
- The amphibian volunteer survey 2008–2016 of 台灣兩棲類動物保育協會, funded by the Forestry
  Bureau (today 林業保育署, recorded as organizer): read as published; names come from 蛙種
  through TaiCOL, 數量 0 rows are absence records.
- The NTU reef-fish transects (NTU Institute of Oceanography, funded by 海洋委員會海洋保育署):
  one row per fish, without date or point, joined to the survey-site table by site name for both
  (see reef_fish_joined). Rows whose site is not in that table are kept without them.
Only real rows; nothing is invented.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from . import duck, geo, taxonomy
from .paths import DATA, DEMO_ROOT, SHARED_DATA  # noqa: F401  (DEMO_ROOT re-exported)
from .snapshot import SourceSpec, ingest

DEMO_DATE = "2026-11-22"
# A second, earlier snapshot so the comparison page has history. Constructed from the same real
# rows: the BBS records of survey years up to 2014 only (as if taken before the last two survey
# years were published), and no frog survey yet. data/README.md says so; nothing is invented.
DEMO_EARLIER = "2026-05-22"
EARLIER_LAST_YEAR = 2014
BBS_AGENCY = "特有生物研究保育中心"
FROG_AGENCY = "臺灣生物多樣性觀測網絡（TaiBON）"
AMPHIBIAN_AGENCY = "台灣兩棲類動物保育協會"
AMPHIBIAN_FUNDER = "林業保育署"
REEF_AGENCY = "國立臺灣大學海洋研究所"
REEF_FUNDER = "海洋委員會海洋保育署"


def bbs_joined(out: Path, shared: Path = SHARED_DATA, limit: int | None = None, last_year: int | None = None) -> Path:
    occ = shared / "occurrence" / "bbs_occurrence.parquet"
    ev = shared / "occurrence" / "bbs_event.parquet"
    con = duck.connect(spatial=False)
    lim = f"LIMIT {int(limit)}" if limit else ""
    upto = f"WHERE year(try_cast(e.eventDate AS DATE)) <= {int(last_year)}" if last_year else ""
    con.execute(f"""COPY (SELECT o.occurrenceID, o.basisOfRecord, o.recordedBy, o.individualCount, o.occurrenceRemarks,
            o.eventID, o.scientificName, o.family, o.genus, o.vernacularName, e.parentEventID, e.samplingProtocol,
            e.samplingEffort, e.eventDate, e.eventTime, e.locationID, e.countryCode, e.locality, e.decimalLatitude,
            e.decimalLongitude, e.geodeticDatum, e.coordinateUncertaintyInMeters, e.coordinatePrecision
        FROM read_parquet({duck.q(occ)}) o LEFT JOIN read_parquet({duck.q(ev)}) e USING (eventID) {upto}
        ORDER BY o.occurrenceID {lim}) TO {duck.q(out)} (FORMAT parquet)""")
    con.close()
    return out


def reef_fish_joined(out: Path, shared: Path = SHARED_DATA) -> Path:
    """The reef-fish rows (one per fish) with the date and point of their survey site.

    The fish table names the site but carries no date or coordinates; the site table lists each
    survey event (site, depth, date, WGS84 point, who ran it: the ID's suffix). Sites are matched
    by name ignoring case and punctuation ('Fenniaolin*' = 'Fenniaolin'); 19 of the 25 fish sites
    match. A site surveyed several times is given its OCA-run event (the programme this dataset
    comes from), else its latest 5 m event: that choice is ours, so the event ID says which event
    was taken. Rows of the 6 unmatched sites stay, without date or point, and are flagged so.
    """
    d = shared / "occurrence" / "reef_fish_ntu"
    con = duck.connect(spatial=False)
    key = "lower(regexp_replace({c}, '[^A-Za-z0-9]', '', 'g'))"
    con.execute(f"""COPY (
        WITH f AS (SELECT row_number() OVER () AS fish_row, * FROM read_csv({duck.q(d / 'taiwan_fish_metric.csv')}, all_varchar=true)),
        s AS (SELECT * FROM read_csv({duck.q(d / 'survey_sites_location_level.csv')}, all_varchar=true)),
        ev AS (SELECT {key.format(c='Site')} AS k, ID, Region AS site_region, Depth, Date, latitude, longitude, MPA_Protection
               FROM s QUALIFY row_number() OVER (PARTITION BY {key.format(c='Site')}
                   ORDER BY contains(ID, '_OCA') DESC, (Depth = '5m') DESC, Date DESC) = 1)
        SELECT f.Region, f.Site, f.Transect, f.Family, f.Genus, f.Species, f.Length AS "Length(cm)", f.Comment,
               ev.ID || '#' || f.Transect AS eventID, ev.Date AS eventDate, ev.latitude AS decimalLatitude,
               ev.longitude AS decimalLongitude, ev.Depth AS depth, ev.MPA_Protection AS mpa,
               CASE WHEN ev.ID IS NOT NULL THEN 'WGS84' END AS geodeticDatum
        FROM f LEFT JOIN ev ON ev.k = {key.format(c='f.Site')} ORDER BY f.fish_row) TO {duck.q(out)} (FORMAT parquet)""")
    con.close()
    return out


def specs(tmp: Path, shared: Path = SHARED_DATA) -> list[SourceSpec]:
    return [
        SourceSpec(bbs_joined(tmp / "bbs_taiwan_2009_2016.parquet", shared), agency=BBS_AGENCY,
                   dataset="TWBBS", dataset_name="臺灣繁殖鳥類大調查 2009–2016 (BBS Taiwan)"),
        SourceSpec(shared / "occurrence" / "invasive_frog_polypedates_megacephalus.csv", agency=FROG_AGENCY,
                   dataset="taibon-polypedates-megacephalus", dataset_name="斑腿樹蛙調查紀錄（TaiBON）",
                   defaults={"scientificName": "Polypedates megacephalus", "vernacularName": "斑腿樹蛙"}),
        SourceSpec(shared / "occurrence" / "amphibian_survey_2008_2016.csv", agency=AMPHIBIAN_AGENCY,
                   dataset="amphibian-survey-2008-2016", dataset_name="臺灣兩棲類志工調查 2008–2016（林業保育署補助）",
                   defaults={"organizer": AMPHIBIAN_FUNDER, "geodeticDatum": "WGS84", "basisOfRecord": "HumanObservation"}),
        SourceSpec(reef_fish_joined(tmp / "ntu_reef_fish_transects.parquet", shared), agency=REEF_AGENCY,
                   dataset="ntu-reef-fish-transects", dataset_name="臺灣珊瑚礁魚類穿越線調查（臺大海洋所，海洋保育署補助）",
                   # one row per fish seen (the source's own structure): a count of 1 individual each
                   defaults={"organizer": REEF_FUNDER, "individualCount": "1", "basisOfRecord": "HumanObservation",
                             "samplingProtocol": "underwater transect"}),
    ]


def earlier_specs(tmp: Path, shared: Path = SHARED_DATA) -> list[SourceSpec]:
    return [SourceSpec(bbs_joined(tmp / "bbs_taiwan_2009_2014.parquet", shared, last_year=EARLIER_LAST_YEAR), agency=BBS_AGENCY,
                       dataset="TWBBS", dataset_name="臺灣繁殖鳥類大調查 2009–2016 (BBS Taiwan)")]


def build_demo(shared: Path = SHARED_DATA, root: Path = DEMO_ROOT) -> list[Path]:
    geo.build_reference(shared)
    taxonomy.build_reference(shared)
    out = []
    build_opendata_demo(shared)
    for date, make in ((DEMO_EARLIER, earlier_specs), (DEMO_DATE, specs)):
        if (root / date).exists():
            shutil.rmtree(root / date)
        tmp = Path(tempfile.mkdtemp(prefix="dq-demo-"))
        try:
            out.append(ingest(make(tmp, shared), date, root))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return out


# Open-data demo: real catalogues only, one snapshot per catalogue and date; only snapshots of one
# series (dq.opendata.SERIES) are ever compared. City portals: the three portal lists of 2018-03-20
# (title, description, path; the portal's city as agency) and the 20 city/county portal catalogues
# crawled later in 2018 (the day is not recorded: dated 2018-12-31, as data/README.md says).
OD_EARLIER = "2018-03-20"
OD_LATER = "2018-12-31"
# data.gov.tw's own rows, each its own series. Dates: the newest timestamp the files carry (the crawl
# day is not recorded): metadata 2018/03/15 23:20; national list 上架日 2018/08/31; export 2026-05-05.
OD_METADATA = "2018-03-15"     # per-dataset metadata JSON, 民生公共物聯網 themes (環境部 as 行政院環境保護署: 122 datasets)
OD_NATIONAL = "2018-08-31"     # national list, 35,955 datasets of 628 agencies
OD_EXPORT = "2026-05-05"       # 24 rows of the 2026 export, with 品質檢測 badges
# each city/county portal's government: the parent where a catalogue row leaves 第一層級 blank
CITY_PORTALS = {"01_taipei": "臺北市政府", "03_taoyuan": "桃園市政府", "04_hsinchu": "新竹市政府", "05_tainan": "臺南市政府",
                "06_Ilan": "宜蘭縣政府", "08_taichung": "臺中市政府", "09_kaohsiung": "高雄市政府", "10_kinmen": "金門縣政府",
                "11_nantou": "南投縣政府", "12_chiayi": "嘉義市政府", "13_penghu": "澎湖縣政府", "14_taitung": "臺東縣政府",
                "15_pingtung": "屏東縣政府", "16_keelung": "基隆市政府", "17_miaoli": "苗栗縣政府", "18_changhua": "彰化縣政府",
                "19_yunlin": "雲林縣政府", "20_chiayi_cuntry": "嘉義縣政府", "21_hualien": "花蓮縣政府", "22_lianjiang": "連江縣政府"}
# where each catalogue comes from, as the meeting report states it (data/README.md has the details)
NOTES = {OD_EARLIER: "高雄市、臺南市、宜蘭縣開放資料平臺資料集清單（2018-03-20；OpenData-TW/DataPackage-DGTW，MIT）",
         OD_LATER: "20 個縣市開放資料平臺目錄（2018 年擷取；DragonChen-TW/opendata-tw-list-crawler，MIT）",
         OD_METADATA: "政府資料開放平臺（data.gov.tw）各資料集詮釋資料，民生公共物聯網主題（防災、地震、空污、氣象），"
                      "2018 年 3 月擷取（OpenData-TW/DataPackage-DGTW，MIT；詮釋資料採政府資料開放授權條款第 1 版）",
         OD_NATIONAL: "政府資料開放平臺全國資料集清單（2018 年 7 月，628 個機關；DragonChen-TW/opendata-tw-list-crawler，MIT）",
         OD_EXPORT: "政府資料開放平臺 2026 年目錄匯出之隨機 24 筆（toydogcat/ai-opendata，MIT）"}
NOTES_EN = {OD_EARLIER: "Kaohsiung City, Tainan City and Yilan County open-data portals' dataset lists (2018-03-20; OpenData-TW/DataPackage-DGTW, MIT)",
            OD_LATER: "20 city and county open-data portals' catalogues (crawled in 2018; DragonChen-TW/opendata-tw-list-crawler, MIT)",
            OD_METADATA: "data.gov.tw metadata of each dataset in the Civil IoT themes (disaster prevention, earthquakes, air quality, "
                         "weather), taken in March 2018 (OpenData-TW/DataPackage-DGTW, MIT; metadata under the Open Government Data License v1.0)",
            OD_NATIONAL: "data.gov.tw national dataset list (July 2018, 628 agencies; DragonChen-TW/opendata-tw-list-crawler, MIT)",
            OD_EXPORT: "24 random datasets of data.gov.tw's 2026 catalogue export (toydogcat/ai-opendata, MIT)"}
PORTAL_LISTS = {"kaohisung.2018.03.20.OD.csv": "高雄市政府", "tainan.2018.03.20.OD.csv": "臺南市政府",
                "yilan.2018.03.20.OD.csv": "宜蘭縣政府"}


def build_opendata_demo(shared: Path = SHARED_DATA) -> list[Path]:
    from .opendata import OD_DEMO_ROOT, CatalogSpec, ingest_catalogs
    od = shared / "opendata"
    runs = {OD_EARLIER: [CatalogSpec(od / f, agency=a, portal=a, note=NOTES[OD_EARLIER], note_en=NOTES_EN[OD_EARLIER]) for f, a in PORTAL_LISTS.items()],
            OD_LATER: [CatalogSpec(p, portal=CITY_PORTALS[p.stem], note=NOTES[OD_LATER], note_en=NOTES_EN[OD_LATER]) for p in sorted((od / "city_catalogs_2018").glob("*.csv"))],
            OD_METADATA: [CatalogSpec(od / "datagovtw_2018_iot_metadata", note=NOTES[OD_METADATA], note_en=NOTES_EN[OD_METADATA])],
            OD_NATIONAL: [CatalogSpec(od / "datagovtw_2018_national_list.csv", note=NOTES[OD_NATIONAL], note_en=NOTES_EN[OD_NATIONAL])],
            OD_EXPORT: [CatalogSpec(od / "datagovtw_2026_export_sample24.json", note=NOTES[OD_EXPORT], note_en=NOTES_EN[OD_EXPORT])]}
    out = []
    for date, specs in runs.items():
        if (OD_DEMO_ROOT / date).exists():
            shutil.rmtree(OD_DEMO_ROOT / date)
        out.append(ingest_catalogs(specs, date, OD_DEMO_ROOT, progress=lambda m: None))
    return out
