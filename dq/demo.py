"""Builds the embedded demo snapshot from the real files in ../shared/data.

BBS Taiwan: occurrence ⋈ event on eventID (the Darwin Core star schema the IPT publishes),
publisher 特有生物研究保育中心 (now 農業部生物多樣性研究所). The invasive-frog survey of
TaiBON, whose 'CommonName' column holds the place (county + town), not a name: it is mapped
to verbatimLocality, and the species, which the file leaves implicit, is given as the
dataset-level default. Only real rows; nothing is invented.
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


def specs(tmp: Path, shared: Path = SHARED_DATA) -> list[SourceSpec]:
    return [
        SourceSpec(bbs_joined(tmp / "bbs_taiwan_2009_2016.parquet", shared), agency=BBS_AGENCY,
                   dataset="TWBBS", dataset_name="臺灣繁殖鳥類大調查 2009–2016 (BBS Taiwan)"),
        SourceSpec(shared / "occurrence" / "invasive_frog_polypedates_megacephalus.csv", agency=FROG_AGENCY,
                   dataset="taibon-polypedates-megacephalus", dataset_name="斑腿樹蛙調查紀錄（TaiBON）",
                   column_map={"CommonName": "verbatimLocality"},
                   defaults={"scientificName": "Polypedates megacephalus", "vernacularName": "斑腿樹蛙"}),
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


# Open-data demo: real catalogues only. The three portal lists of 2018-03-20 (title, description,
# path; the portal's city as agency) and the 20 city/county portal catalogues crawled later in
# 2018 (the day is not recorded: dated 2018-12-31, as data/README.md says).
OD_EARLIER = "2018-03-20"
OD_LATER = "2018-12-31"
# each city/county portal's government: the parent where a catalogue row leaves 第一層級 blank
CITY_PORTALS = {"01_taipei": "臺北市政府", "03_taoyuan": "桃園市政府", "04_hsinchu": "新竹市政府", "05_tainan": "臺南市政府",
                "06_Ilan": "宜蘭縣政府", "08_taichung": "臺中市政府", "09_kaohsiung": "高雄市政府", "10_kinmen": "金門縣政府",
                "11_nantou": "南投縣政府", "12_chiayi": "嘉義市政府", "13_penghu": "澎湖縣政府", "14_taitung": "臺東縣政府",
                "15_pingtung": "屏東縣政府", "16_keelung": "基隆市政府", "17_miaoli": "苗栗縣政府", "18_changhua": "彰化縣政府",
                "19_yunlin": "雲林縣政府", "20_chiayi_cuntry": "嘉義縣政府", "21_hualien": "花蓮縣政府", "22_lianjiang": "連江縣政府"}
PORTAL_LISTS = {"kaohisung.2018.03.20.OD.csv": "高雄市政府", "tainan.2018.03.20.OD.csv": "臺南市政府",
                "yilan.2018.03.20.OD.csv": "宜蘭縣政府"}


def build_opendata_demo(shared: Path = SHARED_DATA) -> list[Path]:
    from .opendata import OD_DEMO_ROOT, CatalogSpec, ingest_catalogs
    od = shared / "opendata"
    runs = {OD_EARLIER: [CatalogSpec(od / f, agency=a, portal=a) for f, a in PORTAL_LISTS.items()],
            OD_LATER: [CatalogSpec(p, portal=CITY_PORTALS[p.stem]) for p in sorted((od / "city_catalogs_2018").glob("*.csv"))]}
    out = []
    for date, specs in runs.items():
        if (OD_DEMO_ROOT / date).exists():
            shutil.rmtree(OD_DEMO_ROOT / date)
        out.append(ingest_catalogs(specs, date, OD_DEMO_ROOT, progress=lambda m: None))
    return out
