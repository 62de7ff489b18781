"""Profiles (issue #9): inference from a file's own columns, each profile's check set, graded
completeness, TBIA tiers, file-level vs record-level findings, comparability and the fix list.

Every file written here holds CONSTRUCTED TEST ROWS, not real records: they start from the real
BBS Taiwan point of tests/fixtures/make_constructed.py (25.111267 N 121.816298 E, 瑞芳) and real
TaiCOL names, and change one thing each.
"""
import csv
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dq import engine, profiles, standard, store
from dq.checks import by_id, catalogue
from dq.snapshot import SourceSpec, ingest
from dq.sources import SourceError

HAN_RX = __import__("re").compile(r"[\u3400-\u9fff]")
from dq.sources.aliases import CANONICAL
from dq.validate import validate

from conftest import CHECK_DATE

# a Darwin Core row with every field the occurrence profile requires (GBIF + TBIA tiers)
DWC = dict(occurrenceID="CONSTRUCTED-1", basisOfRecord="HumanObservation", scientificName="Pycnonotus sinensis",
           vernacularName="白頭翁", eventDate="2015-04-12", decimalLatitude="25.111267", decimalLongitude="121.816298",
           geodeticDatum="WGS84", coordinateUncertaintyInMeters="30", recordedBy="測試記錄者", individualCount="1")


def write(path: Path, rows: list[dict], header: list[str] | None = None) -> Path:
    header = header or list(dict.fromkeys(k for r in rows for k in r))
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, header)
        w.writeheader()
        for i, r in enumerate(rows, start=1):
            # each row its own id, unless a test gives one on purpose
            own = {"occurrenceID": f"CONSTRUCTED-{i}"} if "occurrenceID" in header and r.get("occurrenceID", DWC["occurrenceID"]) == DWC["occurrenceID"] else {}
            w.writerow({k: r.get(k, "") for k in header} | own)
    return path


def quiet(m):
    pass


# ---- inference -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def one_dwc_row(tmp_path_factory):
    """One Darwin Core row holding every field the occurrence profile requires, validated once (two tests read it)."""
    d = tmp_path_factory.mktemp("one_dwc_row")
    return validate(write(d / "dwc.csv", [DWC]), d / "o", CHECK_DATE)


def test_inference_reads_the_files_own_columns(tmp_path, one_dwc_row):
    s = one_dwc_row
    assert (s["profile"], s["profile_how"]) == ("occurrence", "inferred")
    eco = write(tmp_path / "eco.csv", [DWC | {"selfProduced": "True"}])
    s = validate(eco, tmp_path / "o2", CHECK_DATE)
    assert s["profile"] == "eco-check" and "selfProduced" in s["profile_reason_zh"]
    # Chinese 生態檢核 headers: 第一手資料 is selfProduced
    zh = write(tmp_path / "zh.csv", [{"學名": "Pycnonotus sinensis", "第一手資料": "True"}])
    assert validate(zh, tmp_path / "o3", CHECK_DATE)["profile"] == "eco-check"


def test_ingest_defaults_do_not_decide_the_profile(tmp_path):
    """--default organizer=… fills a value; it is not a column of the file."""
    f = write(tmp_path / "dwc.csv", [DWC])
    snap = ingest([SourceSpec(f, agency="測試", defaults={"organizer": "測試機關", "selfProduced": "True"})],
                  "2026-01-01", tmp_path / "snaps", progress=quiet)
    src = store.manifest(snap)["sources"][0]
    assert src["profile"] == "occurrence" and src["profile_reason"] == {"how": "inferred", "fields": []}
    # a column mapped with --map IS the file's own
    g = write(tmp_path / "dwc2.csv", [DWC | {"firsthand": "True"}])
    snap2 = ingest([SourceSpec(g, agency="測試", column_map={"firsthand": "selfProduced"})], "2026-01-02", tmp_path / "snaps",
                   progress=quiet)
    assert store.manifest(snap2)["sources"][0]["profile"] == "eco-check"


def test_record_tells_a_blank_cell_filled_at_ingest_from_the_files_value(tmp_path):
    """CONSTRUCTED TEST ROWS: --default fills the blank cells of a column the file has. The record whose
    cell was blank shows the value as given at ingest; the record whose cell held it shows the file's own."""
    f = write(tmp_path / "dwc.csv", [DWC, DWC | {"occurrenceID": "CONSTRUCTED-2", "basisOfRecord": " "}])
    snap = ingest([SourceSpec(f, agency="測試", defaults={"basisOfRecord": "HumanObservation", "organizer": "測試機關"})],
                  "2026-01-01", tmp_path / "snaps", progress=quiet)
    base = int(store.manifest(snap)["sources"][0]["index"]) * store.SOURCE_SPAN
    kinds = []
    for row in (1, 2):
        rec, _ = store.record(snap, base + row)
        fields = store.record_fields(rec).set_index("term")
        assert fields.loc["basisOfRecord", "value"] == "HumanObservation" and fields.loc["organizer", "kind"] == "default"
        kinds.append(fields.loc["basisOfRecord", "kind"])
    assert kinds == ["verbatim", "default_blank"]


def test_profile_option_wins_and_is_checked(tmp_path):
    f = write(tmp_path / "dwc.csv", [DWC])
    s = validate(f, tmp_path / "o", CHECK_DATE, profile="eco-check")
    assert s["profile"] == "eco-check" and s["profile_how"] == "option"
    assert "MISSING_habitat" in s["file_findings"]          # an eco-check M field the file lacks
    with pytest.raises(SourceError, match="not a profile"):
        validate(f, tmp_path / "o2", CHECK_DATE, profile="fit-1km")
    project = write(tmp_path / "project.csv", [{"工程編號": "P-1", "工程類型": "水利", "承攬廠商": "測試"}])
    with pytest.raises(SourceError, match="project"):
        validate(project, tmp_path / "o3", CHECK_DATE, profile="occurrence")
    assert validate(project, tmp_path / "o4", CHECK_DATE)["profile"] == "eco-check"


# ---- each profile's check set ---------------------------------------------------------------

def test_each_profiles_check_set():
    eco = profiles.by_id()["eco-check"].check_ids()
    occ = profiles.by_id()["occurrence"].check_ids()
    ids = {c.id for c in catalogue()}
    for table in standard.FIELDS:                                # every M field of every 生態檢核 table
        assert {f"MISSING_{t}" for t, _ in standard.mandatory(table)} <= eco
    assert not any(c.startswith("DWC_") for c in eco)
    assert not any(c.startswith("MISSING_") for c in occ)      # no 生態檢核 field judges a DwC dataset
    assert {"DWC_OCCURRENCE_ID_MISSING", "DWC_BASIS_OF_RECORD_MISSING", "TAXON_NAME_MISSING", "COORD_MISSING",
            "DATE_MISSING", "COORD_UNCERTAINTY_MISSING"} <= occ
    assert "VOCAB_SELF_PRODUCED" not in occ and "VOCAB_SELF_PRODUCED" in eco
    content = {c.id for c in catalogue() if c.dimension in profiles.CONTENT and standard.OCCURRENCE in c.tables}
    # the 生態檢核 standard's own rules (its 最簡學名: Darwin Core's scientificName carries the authorship) are none of a DwC dataset's
    assert content - profiles.ECO_CONTENT <= occ and content <= eco and not profiles.ECO_CONTENT & occ
    assert not any(by_id()[c].dimension == "open_data" for c in eco | occ)
    for p in profiles.PROFILES:
        assert p.check_ids() <= ids and p.check_ids(), p.id
        for fields in p.required.values():
            # every field a profile grades is a column the readers fill (a canonical term)
            assert set(fields) <= set(CANONICAL), p.id
    fit = profiles.by_id()["fit-1km"]
    assert fit.kind == profiles.FITNESS and fit.fit_sql == engine.USABLE_1KM
    assert [p.id for p in profiles.judging()] == ["eco-check", "occurrence", "checklist", "event"]
    ev = profiles.by_id()["event"].check_ids()
    # an event table is judged by its points, dates and eventID; nothing asks it for a taxon or a record id
    assert {"EVENT_ID_MISSING", "COORD_MISSING", "COORD_TOWN_CENTROID", "DATE_MISSING", "DATE_INVALID"} <= ev
    assert not {c for c in ev if c.startswith(("TAXON_", "DWC_", "DUP_", "MISSING_", "VOCAB_"))} and "COORD_IN_SEA" not in ev
    # nor for a basisOfRecord: an event is where a survey was done, not where a specimen is kept
    assert "COORD_INSTITUTION" not in ev and "COORD_INSTITUTION" in occ and "COORD_LOCATION_FAR" in ev & occ
    assert "EVENT_ID_MISSING" not in eco | occ


def test_rules_page_table_lists_profiles_with_their_checks():
    pf = store.profile_table("zh")
    assert set(pf["id"]) == {"eco-check", "occurrence", "checklist", "event", "fit-1km"}
    occ = pf.set_index("id").loc["occurrence"]
    assert "DWC_BASIS_OF_RECORD_MISSING" in occ["checks"] and "MISSING_" not in occ["checks"]
    r = store.rules("en").set_index("id")
    assert r.loc["MISSING_habitat", "profiles"] == "eco-check"
    assert r.loc["COORD_ZERO", "profiles"] == "eco-check, occurrence, event"
    assert r.loc["TAXON_UNMATCHED", "profiles"] == "eco-check, occurrence, checklist"


# ---- file-level vs record-level --------------------------------------------------------------

def test_absent_column_is_one_file_level_finding(tmp_path):
    rows = [DWC, DWC | {"eventDate": "2015-13-45"}, DWC | {"scientificName": "", "vernacularName": ""}]
    f = write(tmp_path / "no_basis.csv", rows, [k for k in DWC if k != "basisOfRecord"])
    s = validate(f, tmp_path / "o", CHECK_DATE)
    assert list(s["file_findings"]) == ["DWC_BASIS_OF_RECORD_MISSING"]
    assert s["file_findings"]["DWC_BASIS_OF_RECORD_MISSING"]["rows"] == 3
    assert "DWC_BASIS_OF_RECORD_MISSING" not in s["checks"]
    assert s["checks"]["DATE_INVALID"]["count"] == 1 and s["checks"]["TAXON_NAME_MISSING"]["count"] == 1
    assert s["rows_with_errors"] == 2 and s["verdict"] == "fix_first"
    ann = pd.read_csv(tmp_path / "o" / "annotated.csv", dtype=str, keep_default_na=False)
    assert not ann["dq_errors"].str.contains("DWC_BASIS").any()
    # the same column present but blank on one row is a record-level error on that row only
    g = write(tmp_path / "blank_basis.csv", [DWC, DWC | {"basisOfRecord": " "}])
    s2 = validate(g, tmp_path / "o2", CHECK_DATE)
    assert s2["checks"]["DWC_BASIS_OF_RECORD_MISSING"]["count"] == 1 and not s2["file_findings"]
    assert s2["rows_with_errors"] == 1


def test_suspicious_mapping_is_named(tmp_path):
    """A column forced onto a term its values do not fit (--map) is named in the mapping section."""
    rows = [DWC | {"place": "新北市 瑞芳區"}, DWC | {"place": "臺中市 南屯區"}]
    f = write(tmp_path / "forced.csv", rows, [k for k in DWC if k != "vernacularName"] + ["place"])
    s = validate(f, tmp_path / "o", CHECK_DATE, column_map={"place": "vernacularName"})
    assert [x["column"] for x in s["columns_suspicious"]] == ["place"]
    assert "對應可疑" in (tmp_path / "o" / "report.html").read_text(encoding="utf-8")


def test_clean_file_is_ready(one_dwc_row):
    s = one_dwc_row
    assert s["verdict"] == "ready" and s["rows_with_errors"] == 0 and not s["file_findings"], s["checks"]


def test_real_frog_file_absent_columns_once_and_record_level_errors_only(frog_validated):
    s, out, _ = frog_validated     # ../shared/data's 斑腿樹蛙 file, validated once for the session (tests/conftest.py)
    assert s["profile"] == "occurrence"
    assert {"TAXON_NAME_MISSING", "DWC_BASIS_OF_RECORD_MISSING", "DWC_OCCURRENCE_ID_MISSING",
            "COORD_UNCERTAINTY_MISSING"} <= set(s["file_findings"])
    assert not set(s["file_findings"]) & set(s["checks"])
    assert not any(c.startswith("MISSING_") for c in list(s["checks"]) + list(s["file_findings"]))
    occ_errors = {c for c, v in s["checks"].items() if v["severity"] == "error"}
    assert "COORD_MISSING" in occ_errors and occ_errors <= {"VOCAB_QUANTITY", "COORD_MISSING"}
    # rows with errors: exactly the rows holding a record-level error
    ann = pd.read_csv(out / "annotated.csv", dtype=str, keep_default_na=False)
    assert s["rows_with_errors"] == int((ann["dq_errors"] != "").sum()) < s["rows_read"]
    assert s["rows_with_errors"] <= sum(s["checks"][c]["count"] for c in occ_errors)
    # the place names under CommonName: the reader's plan moved them by their values, nothing left suspicious
    plan = {r["header"]: r for r in s["columns_plan"]}
    assert (plan["CommonName"]["term"], plan["CommonName"]["how"]) == ("verbatimLocality", "values")
    assert not s["columns_suspicious"]
    html = (out / "report.html").read_text(encoding="utf-8")
    order = [html.index(x) for x in ("class='verdict", "<h2>欄位對應", "<h2>檔案層級問題", "<h2>紀錄層級問題")]
    assert order == sorted(order)
    assert "<h2>Column mapping" in (out / "report_en.html").read_text(encoding="utf-8")


# ---- graded completeness and tiers -----------------------------------------------------------

def _snapshot(tmp_path, rows, header=None, date="2026-01-01", **spec):
    f = write(tmp_path / f"c_{date}.csv", rows, header)
    return ingest([SourceSpec(f, agency="測試", dataset="CONSTRUCTED", **spec)], date, tmp_path / "snaps", progress=quiet)


def test_graded_completeness_on_constructed_rows(tmp_path):
    # occurrence profile: 7 required fields. Row 1 fills all; row 2 lacks uncertainty and basisOfRecord
    # (5/7); row 3 keeps only the name and coordinates (3/7, occurrenceID given by write()).
    rows = [DWC, DWC | {"coordinateUncertaintyInMeters": "", "basisOfRecord": ""},
            {"scientificName": "Pycnonotus sinensis", "decimalLatitude": "25.111267", "decimalLongitude": "121.816298",
             "recordedBy": "x"}]
    snap = _snapshot(tmp_path, rows, list(DWC))
    sc = store.scores(snap, "測試")
    expected = (7 / 7 + 5 / 7 + 4 / 7) / 3     # row 3: occurrenceID, name, lat, lon
    assert sc["completeness"] == pytest.approx(expected)
    assert 0 < sc["completeness"] < 1 and sc["completeness"] != sc["overall"]
    # eco-check: graded over the standard's M fields of the occurrence table (17 of them)
    eco = _snapshot(tmp_path, [DWC | {"selfProduced": "True"}], list(DWC) + ["selfProduced"], date="2026-01-02")
    m = [t for t, _ in standard.mandatory(standard.OCCURRENCE)]
    filled = {"datasetID", "scientificName", "vernacularName", "recordedBy", "eventDate", "verbatimSRS", "verbatimLongitude",
              "verbatimLatitude", "organismQuantity", "organismQuantityType", "basisOfRecord",
              "coordinateUncertaintyInMeters", "selfProduced"}   # via equivalents: decimal*, individualCount; datasetID given
    assert store.scores(eco, "測試")["completeness"] == pytest.approx(len(filled & set(m)) / len(m))


def test_tier_assignment_on_constructed_rows(tmp_path):
    rows = [DWC,                                                          # gold
            DWC | {"coordinateUncertaintyInMeters": "", "coordinatePrecision": "0.00001"},   # gold through precision
            DWC | {"eventDate": "2015"},                                  # silver: no month
            DWC | {"basisOfRecord": ""},                                  # silver: no basisOfRecord
            DWC | {"coordinateUncertaintyInMeters": ""},                  # silver: neither uncertainty nor precision
            DWC | {"scientificName": ""},                                 # bronze: no name
            DWC | {"decimalLatitude": "", "decimalLongitude": ""},        # bronze: no point
            DWC | {"eventDate": "not a date"}]                            # bronze: no year
    snap = _snapshot(tmp_path, rows, list(DWC) + ["coordinatePrecision"])
    ds = store.datasets(snap, "測試").iloc[0]
    assert (ds["tier_gold"], ds["tier_silver"], ds["tier_bronze"]) == (2, 3, 3)
    sc = store.scores(snap, "測試")
    assert sc["tier_gold"] == pytest.approx(2 / 8) and sc["tier_bronze"] == pytest.approx(3 / 8)


def test_change_of_yardstick_is_not_comparable(tmp_path):
    rows = [DWC, DWC | {"eventDate": "2015-13-45"}]
    a = _snapshot(tmp_path, rows, date="2026-01-01")
    b = _snapshot(tmp_path, rows + [DWC], date="2026-02-01")
    c = _snapshot(tmp_path, rows, date="2026-03-01", profile="eco-check")
    assert store.comparable(a, b, "測試") and not store.comparable(b, c, "測試")
    d = _snapshot(tmp_path, rows, [k for k in DWC if k != "basisOfRecord"], date="2026-04-01")
    assert not store.comparable(a, d, "測試")     # a column absent: what can be judged changed
    # a snapshot whose checks ran with other thresholds (built before centroid_chance existed) is another yardstick
    old = tmp_path / "old_params" / "2025-12-01"
    __import__("shutil").copytree(a, old)
    m = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    m["params"].pop("centroid_chance")
    (old / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    assert not store.comparable(old, b, "測試") and store.comparable(a, b, "測試")


# ---- fix list ----------------------------------------------------------------------------------

def test_fix_list_columns_values_and_suggestions(tmp_path):
    rows = [DWC | {"decimalLatitude": "0", "decimalLongitude": "0"}, DWC | {"eventDate": "2015-13-45"},
            DWC | {"individualCount": "很多"}, DWC | {"individualCount": "10~19"}, DWC | {"basisOfRecord": ""}]
    snap = _snapshot(tmp_path, rows, list(DWC))
    for lang in ("zh", "en"):
        fl = store.fix_list(snap, "測試", lang=lang)
        assert list(fl.columns) == store.FIX_COLUMNS
        assert set(fl["check_id"]) >= {"COORD_ZERO", "DATE_INVALID", "VOCAB_QUANTITY", "DWC_BASIS_OF_RECORD_MISSING"}
        assert fl["suggestion"].fillna("").str.strip().ne("").all()       # never an empty suggestion cell
        assert fl["values"].fillna("").str.strip().ne("").all()
        by = fl.set_index("check_id")
        assert "decimalLatitude=0" in by.loc["COORD_ZERO", "values"]
        # the two values separated as the list's language writes it (English had the full-width '；')
        assert by.loc["COORD_ZERO", "values"] == ("decimalLatitude=0; decimalLongitude=0; coordinateUncertaintyInMeters=30" if lang == "en"
                                                   else "decimalLatitude=0；decimalLongitude=0；coordinateUncertaintyInMeters=30")
        assert "eventDate=2015-13-45" in by.loc["DATE_INVALID", "values"]
        assert "individualCount=很多" in by.loc["VOCAB_QUANTITY", "values"]
        assert "individualCount=10~19" in by.loc["VOCAB_QUANTITY_APPROXIMATE", "values"]
        assert by.loc["DWC_BASIS_OF_RECORD_MISSING", "values"] == ("basisOfRecord=(blank)" if lang == "en" else "basisOfRecord=（空白）")
        assert "HumanObservation" in by.loc["DWC_BASIS_OF_RECORD_MISSING", "suggestion"]
        # the suggestion speaks the list's language (these rows hold no Chinese data values)
        han = fl["suggestion"].str.contains(r"[\u4e00-\u9fff]")
        assert (~han).all() if lang == "en" else han.all()
        if lang == "en":
            assert by.loc["DATE_INVALID", "suggestion"] == "There is no month 13 (months are 1–12): correct it from the original record"
    zh = store.fix_list_headers(store.fix_list(snap, "測試"), "zh")
    assert list(zh.columns)[:3] == ["系統紀錄編號", "來源檔案", "來源列號（標題列為 0）"] and "建議修正或請確認" in zh.columns
    en = store.fix_list_headers(store.fix_list(snap, "測試", lang="en"), "en")
    assert "Suggested fix or what to check" in en.columns and (en["Severity"] == "error").any()
    assert store.fix_list_name("測試", "2026-01-01", "zh").startswith("修正清單_")
    assert store.fix_list_name("測試", "2026-01-01", "en").startswith("fixlist_")
    # an English page names the agency in English (its Chinese name was in an English download's name: a walk),
    # without the spaces and commas of that name
    assert store.fix_list_name("Institute of Oceanography, National Taiwan University", "2026-01-01", "en") == \
        "fixlist_Institute-of-Oceanography-National-Taiwan-University_2026-01-01"
    from openpyxl import load_workbook
    data, cut = store.fix_list_xlsx(zh)
    p = tmp_path / "f.xlsx"
    p.write_bytes(data)
    ws = load_workbook(p).active
    assert not cut and ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:K{len(zh) + 1}"
    assert [c.value for c in ws[1]] == list(zh.columns)
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    assert all(8 <= w <= 60 for w in widths.values()) and widths["J"] > widths["C"]


def test_every_check_has_a_sentence_for_what_to_check():
    for c in catalogue():
        assert c.todo("zh") and c.todo("en"), c.id
        assert c.dimension in ("completeness", "open_data") or c.evidence, c.id


# ---- the demo (rebuilt with profiles) --------------------------------------------------------

def test_demo_scores_tell_agencies_and_snapshots_apart():
    """Done-when of #9 on the real demo rows: graded scores differ between agencies and between
    the two snapshots, and no 生態檢核 field is among an occurrence dataset's top problems."""
    from dq.demo import BBS_AGENCY, DEMO_DATE, DEMO_EARLIER, DEMO_ROOT, FROG_AGENCY
    new, old = DEMO_ROOT / DEMO_DATE, DEMO_ROOT / DEMO_EARLIER
    bbs, frog, bbs_old = store.scores(new, BBS_AGENCY), store.scores(new, FROG_AGENCY), store.scores(old, BBS_AGENCY)
    for k in ("overall", "completeness", "tier_gold"):
        assert bbs[k] is not None and frog[k] is not None and bbs_old[k] is not None, k
        assert bbs[k] != frog[k] and bbs[k] != bbs_old[k], k
    assert 0 < frog["completeness"] < bbs["completeness"] < 1
    assert store.comparable(old, new, BBS_AGENCY)
    for agency in (BBS_AGENCY, FROG_AGENCY, None):
        top = store.top_problems(new, agency, n=50)
        assert not top["check_id"].str.startswith("MISSING_").any()
    assert set(store.datasets(new)["profile"]) == {"occurrence"}


def test_overview_and_scorecard_show_graded_scores_and_file_level_findings():
    from streamlit.testing.v1 import AppTest
    from dq.demo import DEMO_DATE, DEMO_ROOT, FROG_AGENCY
    app = str(Path(__file__).resolve().parent.parent / "app.py")
    at = AppTest.from_file(app, default_timeout=300)
    at.query_params["lang"] = "zh"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    m = {x.label: x.value for x in at.metric}
    k = store.kpis(DEMO_ROOT / DEMO_DATE)
    assert m["完整度（平均已填比例）"] == f"{k['completeness']:.1%}" and m["TBIA 金級紀錄比例"] == f"{k['gold']:.1%}"
    at = AppTest.from_file(app, default_timeout=300)
    at.query_params["lang"] = "en"
    at.query_params["agency"] = FROG_AGENCY
    at.run()
    at.switch_page("pages/scorecard.py").run()
    at.run()   # a page reached by switch_page settles its pickers on the next run (see tests/test_app.py page())
    assert not at.exception, [e.message for e in at.exception]
    m = {x.label: x.value for x in at.metric}
    sc = store.scores(DEMO_ROOT / DEMO_DATE, FROG_AGENCY)
    m = {k.lower(): v for k, v in m.items()}   # labels as the UI shows them (dimension titles are capitalised)
    assert m["completeness"] == f"{sc['completeness']:.1%}" and m["gold"] == f"{sc['tier_gold']:.1%}"
    files = next(df.value for df in at.dataframe if "Missing column" in df.value)
    from dq.checks import by_id   # the page names checks by title (issue 11: no raw ids on screen)
    assert set(files["Check"]) == {by_id()[c].title_en for c in ("DWC_BASIS_OF_RECORD_MISSING", "DWC_OCCURRENCE_ID_MISSING",
                                                                  "COORD_UNCERTAINTY_MISSING")}
    at.switch_page("pages/rules.py").run()
    at.run()
    from dq.profiles import PROFILES   # profiles by name, not id
    fit = [p for p in PROFILES if p.id == "fit-1km"][0].name("en")
    assert any(fit in set(df.value.get("name", [])) | set(df.value.get("Name", [])) for df in at.dataframe)


def test_a_list_of_names_is_judged_as_a_species_checklist(tmp_path):
    """CONSTRUCTED TEST ROWS (real Taiwan frogs): names, family and status, no place or date, a
    trailing blank line. Judged as a checklist: no 'coordinates missing' for a list of species."""
    p = tmp_path / "constructed_species_list.csv"
    p.write_text("學名,中文名,科名,備註\n"
                 "Buergeria robusta,褐樹蛙,Rhacophoridae,CONSTRUCTED TEST ROW\n"
                 "Rana sauteri,梭德氏赤蛙,Ranidae,CONSTRUCTED TEST ROW\n"
                 "Rana sauteri,梭德氏赤蛙,Ranidae,CONSTRUCTED TEST ROW\n"
                 "Polypedates megacephalus,,Rhacophoridae,CONSTRUCTED TEST ROW\n"
                 "Rana sp.,,Ranidae,CONSTRUCTED TEST ROW\n   \n", encoding="utf-8")
    s = validate(p, tmp_path / "out", CHECK_DATE)
    assert s["table"] == standard.SPECIES_LIST and s["profile"] == profiles.CHECKLIST
    assert not {"COORD_MISSING", "DATE_MISSING", "DWC_OCCURRENCE_ID_MISSING"} & (set(s["file_findings"]) | set(s["checks"]))
    assert s["checks"]["TAXON_RANK_ABOVE_SPECIES"]["count"] == 1
    assert s["checks"]["DUP_TAXON_LISTED"]["count"] == 2             # Rana sauteri on two rows
    assert s["completeness"] == pytest.approx(13 / 15, abs=1e-4)    # two Chinese names missing
    # the trailing blank line is in the ledger, but it lost no data: the list is ready
    assert s["rows_rejected"] == 1 and s["rows_rejected_blank"] == 1 and s["verdict"] == "ready"
    # an occurrence file stays an occurrence file; --profile checklist judges it as a list
    occ = tmp_path / "constructed_occurrence.csv"
    occ.write_text("scientificName,eventDate,decimalLatitude,decimalLongitude,occurrenceRemarks\n"
                   "Rana sauteri,2021-03-02,25.111267,121.816298,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    assert validate(occ, tmp_path / "o1", CHECK_DATE)["profile"] == profiles.OCCURRENCE
    listed = validate(occ, tmp_path / "o2", CHECK_DATE, profile=profiles.CHECKLIST)
    assert listed["table"] == standard.SPECIES_LIST and "COORD_MISSING" not in listed["checks"]


def test_taicol_export_is_a_checklist(tmp_path):
    """The real TaiCOL amphibian export (tests/fixtures): its "name" column holds the scientific names
    (taken by its values: "name" alone is as often a place or a person), "species" only the epithet,
    "author" the authorship, common_name_c several Chinese names (";"). Before, without --map, the
    authority's own export was "scientific name missing" on every row (fix first)."""
    from conftest import FIX
    s = validate(FIX / "taicol_amphibia_20220605.csv", tmp_path / "out", CHECK_DATE)
    assert s["profile"] == profiles.CHECKLIST and s["columns_mapped"]["name_code"] == "taxonID"
    assert {k: s["columns_mapped"].get(k) for k in ("name", "species", "infraspecies", "author", "common_name_c")} == {
        "name": "scientificName", "species": "specificEpithet", "infraspecies": "infraspecificEpithet",
        "author": "scientificNameAuthorship", "common_name_c": "vernacularName"}
    # ready to submit; its one finding the 11 authors it writes HTML-escaped ("Matsui &amp; Tominaga, 2020")
    assert not s["file_findings"] and set(s["checks"]) == {"TEXT_HTML_ENTITY"} and s["verdict"] == "ready"
    # its CR line endings leave a trailing blank line: in the ledger, said to have lost nothing
    assert s["rows_rejected"] == s["rows_rejected_blank"] == 1
    assert "1 of them blank lines: no data lost" in (tmp_path / "out" / "report_en.html").read_text(encoding="utf-8")
    # the BDQ polynomial test now reads genus, specificEpithet and infraspecificEpithet beside the name
    assert s["bdq"]["VALIDATION_POLYNOMIAL_CONSISTENT"] == {"COMPLIANT": s["rows_checked"]}
    # a list of names has no place or date: those BDQ tests do not apply (before: 18 "failed for missing columns")
    assert {"VALIDATION_EVENTDATE_NOTEMPTY", "VALIDATION_LOCATION_NOTEMPTY", "VALIDATION_OCCURRENCEID_NOTEMPTY"} <= set(s["bdq_not_applicable"])
    assert "VALIDATION_SCIENTIFICNAMEID_NOTEMPTY" in s["bdq_failed_for_missing_columns"] and "VALIDATION_SCIENTIFICNAME_NOTEMPTY" in s["bdq"]
    assert "do not apply to it" in (tmp_path / "out" / "report_en.html").read_text(encoding="utf-8")


def test_a_native_exotic_list_is_checked_against_taicol(tmp_path):
    """The real list of the amphibian survey's 39 frogs with their status (species, status: 特有/原生/外來種;
    ../shared/data). Its "status" column is found by its values (establishmentMeans); TaiCOL 2022 lists
    花狹口蛙 (Kaloula pulchra) as introduced and 王氏樹蛙, 碧眼樹蛙 as not endemic; three species are
    listed twice under two names (花狹口蛙 = 亞洲錦蛙, 布氏樹蛙 = 白頷樹蛙, 古氏赤蛙 = 福建大頭蛙). A list
    is not told to fill geodeticDatum or occurrenceStatus (the BDQ amendments about places and
    observations do not apply to it)."""
    from dq.paths import SHARED_DATA
    s = validate(SHARED_DATA / "occurrence" / "amphibian_native_exotic.csv", tmp_path / "out", CHECK_DATE)
    assert s["profile"] == profiles.CHECKLIST and s["columns_mapped"]["status"] == "establishmentMeans"
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    fired = lambda cid: sorted(ann.loc[ann["dq_warnings"].str.contains(cid), "species"])   # noqa: E731
    assert fired("TAXON_ESTABLISHMENT_DISAGREES") == ["王氏樹蛙", "碧眼樹蛙", "花狹口蛙"]
    assert fired("DUP_TAXON_LISTED") == sorted(["花狹口蛙", "亞洲錦蛙", "布氏樹蛙", "白頷樹蛙", "古氏赤蛙", "福建大頭蛙"])
    row = ann[ann["species"] == "花狹口蛙"].iloc[0]
    assert "亞洲錦蛙" in row["dq_suggestions"] and "外來種" in row["dq_suggestions"]
    assert "as introduced" in row["dq_suggestions_en"] and not HAN_RX.search(row["dq_suggestions_en"].replace("亞洲錦蛙", "").replace("花狹口蛙", ""))
    assert not ann["dq_bdq_amendments"].str.contains("geodeticDatum|occurrenceStatus").any()
    assert {"AMENDMENT_GEODETICDATUM_ASSUMEDDEFAULT", "AMENDMENT_OCCURRENCESTATUS_ASSUMEDDEFAULT"} <= set(s["bdq_not_applicable"])
    # the same list with the status left out: nothing to contradict, still the three pairs
    bare = tmp_path / "names_only.csv"
    bare.write_text("\n".join(line.split(",")[0] for line in
                              (SHARED_DATA / "occurrence" / "amphibian_native_exotic.csv").read_text(encoding="utf-8").splitlines()) + "\n",
                    encoding="utf-8")
    s2 = validate(bare, tmp_path / "out2", CHECK_DATE)
    assert "TAXON_ESTABLISHMENT_DISAGREES" not in s2["checks"] and s2["checks"]["DUP_TAXON_LISTED"]["count"] == 6


def test_tbn_bird_checklist_is_a_checklist_compared_with_taicol(tmp_path):
    """The real TBN bird checklist (../shared/data/checklists): its 類群 column (鳥類) made it a
    生態檢核 submission lacking 工程編號 and six more project fields, and its names (分類群學名,
    分類群俗名) were not read at all. Now a checklist whose names are matched; its bilingual 原生性
    ("原生 Native", "外來 Non-native") is read, and where TBN and TaiCOL (both 2022-06-05) disagree it
    says so, whichever is wrong: 大陸畫眉 and 鵲鴝 are introduced in Taiwan (TaiCOL's export says
    native), 紅梅花雀 and 太陽鸚鵡 are escaped cage birds (TBN says native)."""
    from dq.paths import SHARED_DATA
    s = validate(SHARED_DATA / "checklists" / "tbn_aves_checklist_20220605.csv", tmp_path / "out", CHECK_DATE)
    assert s["profile"] == profiles.CHECKLIST and not s["file_findings"]
    assert s["columns_mapped"]["分類群學名"] == "scientificName" and s["columns_mapped"]["原生性"] == "establishmentMeans"
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    bad = set(ann.loc[ann["dq_warnings"].str.contains("TAXON_ESTABLISHMENT_DISAGREES"), "分類群俗名"])
    assert {"大陸畫眉", "鵲鴝", "紅梅花雀", "太陽鸚鵡"} <= bad and len(bad) < 20
    assert s["checks"]["TAXON_UNMATCHED"]["count"] < 50        # 967 names, the rest matched


def test_a_species_listed_per_park_or_with_row_numbers(tmp_path):
    """CONSTRUCTED TEST ROWS: a list of species per national park names a species once per park (its
    park column is the context); a column of row numbers tells no rows apart. A Darwin Core checklist's
    accepted rows name themselves as acceptedNameUsageID: still judged."""
    p = tmp_path / "constructed_parks.csv"
    p.write_text("國家公園,學名,中文名\n太魯閣,Rana sauteri,梭德氏赤蛙\n雪霸,Rana sauteri,梭德氏赤蛙\n"
                 "雪霸,Kaloula pulchra,花狹口蛙\n雪霸,Kaloula pulchra,亞洲錦蛙\n", encoding="utf-8")
    validate(p, tmp_path / "o1", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "o1" / "annotated.csv", dtype=str, keep_default_na=False)
    assert list(ann["dq_warnings"].str.contains("DUP_TAXON_LISTED")) == [False, False, True, True]
    p.write_text("序號,學名,中文名\n1,Kaloula pulchra,花狹口蛙\n2,Kaloula pulchra,亞洲錦蛙\n3,Rana sauteri,梭德氏赤蛙\n", encoding="utf-8")
    assert validate(p, tmp_path / "o2", CHECK_DATE)["checks"]["DUP_TAXON_LISTED"]["count"] == 2
    p.write_text("taxonID,acceptedNameUsageID,scientificName\nT1,T1,Pycnonotus sinensis\nT2,T2,Pycnonotus sinensis\n"
                 "T3,T3,Rana sauteri\n", encoding="utf-8")
    assert validate(p, tmp_path / "o3", CHECK_DATE)["checks"]["DUP_TAXON_LISTED"]["count"] == 2


def test_a_synonym_beside_its_accepted_name_is_listed_twice_unless_linked(tmp_path):
    """CONSTRUCTED TEST ROWS (real TaiCOL plant names): Pinus brevispica is a synonym of Pinus
    taiwanensis. A list naming both names one species twice; a synonym table linking the synonym to
    its accepted name (TaiCOL's synonym sheet: acceptedNamecode) lists it on purpose."""
    p = tmp_path / "constructed_pines.csv"
    p.write_text("scientificName,vernacularName,remarks\nPinus taiwanensis,臺灣二葉松,CONSTRUCTED TEST ROW\n"
                 "Pinus brevispica,,CONSTRUCTED TEST ROW\nPinus morrisonicola,臺灣五葉松,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    s = validate(p, tmp_path / "o1", CHECK_DATE)
    assert s["profile"] == profiles.CHECKLIST and s["checks"]["DUP_TAXON_LISTED"]["count"] == 2
    p.write_text("scientificName,acceptedNamecode,remarks\nPinus taiwanensis,,CONSTRUCTED TEST ROW\n"
                 "Pinus brevispica,201245,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    s = validate(p, tmp_path / "o2", CHECK_DATE)
    assert s["columns_mapped"]["acceptedNamecode"] == "acceptedNameUsageID" and "DUP_TAXON_LISTED" not in s["checks"]


def test_a_status_column_is_mapped_by_its_values_only(tmp_path):
    """CONSTRUCTED TEST ROWS: a column headed "status" holding occurrence statuses or free text is not
    taken as establishmentMeans; one holding 原生/外來 is."""
    p = tmp_path / "constructed_status.csv"
    p.write_text("scientificName,status,remarks\nRana sauteri,present,CONSTRUCTED TEST ROW\n"
                 "Buergeria robusta,present,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    s = validate(p, tmp_path / "o1", CHECK_DATE)
    assert "status" not in s["columns_mapped"]
    p.write_text("scientificName,status,remarks\nRana sauteri,原生,CONSTRUCTED TEST ROW\n"
                 "Lithobates catesbeianus,外來,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    s = validate(p, tmp_path / "o2", CHECK_DATE)
    assert s["columns_mapped"]["status"] == "establishmentMeans" and "TAXON_ESTABLISHMENT_DISAGREES" not in s["checks"]
    # Taiwan's words are proposed as the Darwin Core value, 台 or 臺 alike
    p.write_text("scientificName,status,remarks\nRana sauteri,台灣特有,CONSTRUCTED TEST ROW\n"
                 "Lithobates catesbeianus,外來種,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    validate(p, tmp_path / "o3", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "o3" / "annotated.csv", dtype=str, keep_default_na=False)
    assert list(ann["dq_bdq_amendments"]) == ['{"dwc:establishmentMeans":"native"}', '{"dwc:establishmentMeans":"introduced"}']
    # a street-tree list's 來源 (栽培 planted / 野生 wild) says nothing of native or introduced
    p.write_text("scientificName,來源,remarks\nKoelreuteria henryi,栽培,CONSTRUCTED TEST ROW\n"
                 "Cinnamomum camphora,野生,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    s = validate(p, tmp_path / "o4", CHECK_DATE)
    assert "來源" not in s["columns_mapped"] and "TAXON_ESTABLISHMENT_DISAGREES" not in s["checks"]


def test_names_and_authors_are_mapped_by_their_values_only(tmp_path):
    """CONSTRUCTED TEST ROWS: a column "name" of people or places is not the scientific name, an
    "author" column of people's Chinese names is not the authorship, a "species" column of Chinese
    names is the vernacular; Latin binomials under any header are the scientific names, the first
    such column when no header claims the term. Several vernacular names in one cell agree when one
    of them is the checklist's; a stray no-break space is no disagreement; a wrong name still is."""
    p = tmp_path / "constructed_names.csv"
    p.write_text("name,author,place,remarks\n王小明,王小明,新北市 五股區,CONSTRUCTED TEST ROW\n"
                 "陳大華,陳大華,臺北市 士林區,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    s = validate(p, tmp_path / "o1", CHECK_DATE)
    assert "name" not in s["columns_mapped"] and "author" not in s["columns_mapped"]
    p.write_text("id,name,accepted,vernacularName,remarks\n1,Rana sauteri,Rana sauteri,梭德氏赤蛙;梭德氏蛙,CONSTRUCTED TEST ROW\n"
                 "2,Kaloula pulchra,Kaloula pulchra,{亞洲錦蛙,花狹口蛙},CONSTRUCTED TEST ROW\n"
                 "3,Buergeria robusta,Buergeria robusta,褐樹蛙\u00a0,CONSTRUCTED TEST ROW\n"
                 "4,Zhangixalus moltrechti,Zhangixalus moltrechti,褐樹蛙;白頷樹蛙,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    s = validate(p, tmp_path / "o2", CHECK_DATE)
    assert s["columns_mapped"]["name"] == "scientificName" and "accepted" not in s["columns_mapped"]
    ann = pd.read_csv(tmp_path / "o2" / "annotated.csv", dtype=str, keep_default_na=False)
    assert list(ann["dq_warnings"].str.contains("TAXON_VERNACULAR_MISMATCH")) == [False, False, False, True]
    p.write_text("species,remarks\n梭德氏赤蛙,CONSTRUCTED TEST ROW\n褐樹蛙,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    assert validate(p, tmp_path / "o3", CHECK_DATE)["columns_mapped"]["species"] == "vernacularName"


@pytest.mark.parametrize("body", ["", ",,,\n  ,\t,,\n"])
def test_a_file_without_data_rows_is_not_ready(tmp_path, body):
    """A header alone (or blank rows only) has nothing to submit: the verdict says so instead of 'ready'."""
    p = tmp_path / "constructed_no_rows.csv"
    p.write_text("scientificName,eventDate,decimalLatitude,decimalLongitude\n" + body, encoding="utf-8")
    s = validate(p, tmp_path / "out", CHECK_DATE)
    assert s["rows_checked"] == 0 and s["rows_read"] == s["rows_rejected"] == s["rows_rejected_blank"]
    assert s["verdict"] == "empty"
    assert "沒有任何資料列" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "no data rows" in (tmp_path / "out" / "report_en.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("header,rows,profile", [
    # CONSTRUCTED TEST ROWS (the real BBS point at 瑞芳 and real TaiCOL names): a species column whose header
    # no alias knows still makes a file of observations; only where-and-when alone is a table of events
    (["Date", "Latitude", "Longitude", "Bird"], [["2015-04-12", "25.111267", "121.816298", "Pycnonotus sinensis"],
                                                 ["2015-04-12", "25.111267", "121.816298", "Zosterops simplex"]], "occurrence"),
    (["調查日期", "WGS84緯度", "WGS84經度", "樹木"], [["2015/4/12", "25.111267", "121.816298", "茄苳"],
                                                  ["2015/4/12", "25.111267", "121.816298", "樟樹"]], "occurrence"),
    (["編號", "日期", "經度", "緯度", "動物名稱", "隻次"], [["1", "2015/4/12", "121.816298", "25.111267", "白鼻心", "1"]], "occurrence"),
    (["ID", "Date", "Latitude", "Longitude", "Taxon"], [["CONSTRUCTED-1", "2015-04-12", "25.111267", "121.816298", "Rana sp."]], "occurrence"),
    (["Site", "Date", "Latitude", "Longitude", "Region"], [["瑞芳", "2015-04-12", "25.111267", "121.816298", "North"],
                                                         ["瑞芳", "2015-05-12", "25.111267", "121.816298", "North"]], "event"),
])
def test_a_species_column_under_an_unknown_header_keeps_a_file_of_observations(tmp_path, header, rows, profile):
    f = tmp_path / "constructed.csv"
    with open(f, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header] + rows)
    s = validate(f, tmp_path / "out", CHECK_DATE)
    assert s["profile"] == profile, s["profile_reason_en"]
    if header[-1] in ("Bird", "Taxon"):     # Latin binomials: the column is the file's scientificName
        assert s["columns_mapped"][header[-1]] == "scientificName" and s["profile_how"] == "inferred"
    if header[-1] == "樹木":                # Chinese names are not taken unasked: the reason says how to map them
        assert s["profile_how"] == "names_unmapped" and "“樹木”" in s["profile_reason_en"]


def test_a_snapshot_grades_no_tier_for_event_rows(tmp_path, monkeypatch):
    """A snapshot of an agency's event table beside its occurrence file: TBIA's tiers grade the
    occurrences only. Real BBS Taiwan event rows (first 200 by eventID) and CONSTRUCTED TEST ROWS
    (the DWC row: gold) as the occurrence file. Before, all 200 events counted as bronze and the
    agency's gold share fell to 2/202."""
    from dq.paths import SHARED_DATA
    src = SHARED_DATA / "occurrence" / "bbs_event.parquet"
    ev = tmp_path / "bbs_events_sample.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_parquet('{src}') ORDER BY eventID LIMIT 200) TO '{ev}' (FORMAT parquet)")
    occ = write(tmp_path / "constructed_occ.csv", [DWC, DWC])
    quiet = lambda m: None   # noqa: E731
    monkeypatch.setenv("DQ_SNAPSHOT_ROOTS", str(tmp_path / "snaps"))     # the previous snapshot is looked for there
    snap = ingest([SourceSpec(ev, agency="測試", dataset="EVENTS"), SourceSpec(occ, agency="測試", dataset="OCC")],
                  "2026-01-01", tmp_path / "snaps", progress=quiet)
    ds = store.datasets(snap, "測試").set_index("dataset_id")
    assert ds.loc["EVENTS", "profile"] == profiles.EVENT and ds.loc["EVENTS", "records"] == 200
    assert ds.loc["EVENTS", ["tier_gold", "tier_silver", "tier_bronze", "tier_records"]].sum() == 0
    assert pd.isna(ds.loc["EVENTS", "share_bronze"])
    assert ds.loc["OCC", "tier_gold"] == ds.loc["OCC", "tier_records"] == 2 and ds.loc["OCC", "share_gold"] == 1.0
    sc = store.scores(snap, "測試")
    assert sc["tier_gold"] == 1.0 and sc["tier_bronze"] == 0.0 and sc["tier_ungraded"] == 200
    assert store.kpis(snap)["gold"] == 1.0
    tc = store.tier_change(snap, "測試").set_index("dataset_id")
    assert pd.isna(tc.loc["EVENTS", "tier_bronze_share"]) and tc.loc["OCC", "tier_gold_share"] == 1.0
    # a snapshot built before tier_records counted the events as bronze: read as ungraded, the same shares
    old = tmp_path / "snaps_old" / "2025-12-31"
    import shutil
    shutil.copytree(snap, old)
    agg = pd.read_parquet(old / "agg_dataset.parquet").drop(columns=["tier_records"])
    agg.loc[agg["dataset_id"] == "EVENTS", "tier_bronze"] = 200
    agg.to_parquet(old / "agg_dataset.parquet")
    assert store.scores(old, "測試")["tier_gold"] == 1.0 and store.scores(old, "測試")["tier_ungraded"] == 200
    assert pd.isna(store.datasets(old, "測試").set_index("dataset_id").loc["EVENTS", "share_bronze"])
    # the checks' predicates are fingerprinted: a changed check is "not comparable", an unused one is not
    m = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    assert store.comparable(old, snap, "測試")
    m["rules"]["COORD_MISSING"] = "changed"
    (old / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    assert not store.comparable(old, snap, "測試")
    m["rules"]["COORD_MISSING"] = json.loads((snap / "manifest.json").read_text(encoding="utf-8"))["rules"]["COORD_MISSING"]
    m["rules"]["MISSING_contractor"] = "changed"          # a 生態檢核 check neither dataset is judged by
    (old / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    assert store.comparable(old, snap, "測試")
    del m["rules"]
    (old / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    assert not store.comparable(old, snap, "測試")
    # an events-only snapshot has no tier share at all (shown as "—"), not 0 %
    snap2 = ingest([SourceSpec(ev, agency="測試", dataset="EVENTS")], "2026-01-02", tmp_path / "snaps2", progress=quiet)
    assert store.scores(snap2, "測試")["tier_gold"] is None and store.kpis(snap2)["gold"] is None


def test_parent_events_are_not_asked_for_a_point_or_date(tmp_path):
    """Real BBS Taiwan events, one site's subtree of 2014 (no change): the year event TWBBS_2014 and
    the site event TWBBS_2014_A34-21 have no point and no date, the visit TWBBS_2014_A34-21_03_02 a
    point and no date: all three are parents (named as parentEventID), their points and dates are
    their children's. The 03_02 visit's own child has no date either: a leaf, so still flagged.
    Without the parentEventID column nothing says they are parents, and all are flagged."""
    from dq.paths import SHARED_DATA
    src = SHARED_DATA / "occurrence" / "bbs_event.parquet"
    sub = "FROM read_parquet('{src}') WHERE eventID LIKE 'TWBBS_2014_A34-21%' OR eventID = 'TWBBS_2014'".format(src=src)
    part, flat = tmp_path / "bbs_site_2014.parquet", tmp_path / "bbs_site_2014_no_parent_column.parquet"
    duckdb.sql(f"COPY (SELECT * {sub}) TO '{part}' (FORMAT parquet)")
    duckdb.sql(f"COPY (SELECT * EXCLUDE (parentEventID) {sub}) TO '{flat}' (FORMAT parquet)")
    s = validate(part, tmp_path / "out", CHECK_DATE)
    assert s["profile"] == profiles.EVENT and s["rows_parent_events"] == 2 + 20     # the year, the site, its 20 point visits (parents of the counts)
    assert "COORD_MISSING" not in s["checks"] and s["checks"]["DATE_MISSING"]["count"] == 1
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str)
    assert ann.loc[ann["dq_errors"].fillna("").str.contains("DATE_MISSING"), "eventID"].tolist() == ["TWBBS_2014_A34-21_03_02:028112"]
    assert "上層調查事件" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    # the standard tests judge the parents as rows: the report says why their counts exceed the checks'
    assert "也判定了 22 筆上層事件" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "the 22 parent events included" in (tmp_path / "out" / "report_en.html").read_text(encoding="utf-8")
    s = validate(flat, tmp_path / "out2", CHECK_DATE)
    assert s["rows_parent_events"] == 0
    assert "parent events included" not in (tmp_path / "out2" / "report_en.html").read_text(encoding="utf-8")
    assert s["checks"]["COORD_MISSING"]["count"] == 2 and s["checks"]["DATE_MISSING"]["count"] == 4


def test_an_event_table_is_judged_as_events(tmp_path):
    """Real BBS Taiwan event rows (no change): the year and site events with no point or date, and
    survey visits with both. An event table names no taxon: judged as events, not as occurrences
    each "lacking" a name, an occurrenceID and a basisOfRecord; no TBIA tiers (they grade records of
    a taxon). One CONSTRUCTED TEST ROW (named in its eventID column's neighbour, locality) lacks its eventID."""
    from dq.paths import SHARED_DATA
    src = SHARED_DATA / "occurrence" / "bbs_event.parquet"
    part = tmp_path / "bbs_events_sample.parquet"
    duckdb.sql(f"""COPY (SELECT * FROM (SELECT * FROM read_parquet('{src}') ORDER BY eventID LIMIT 300)
                         UNION ALL SELECT * REPLACE (NULL AS eventID, NULL AS id, 'CONSTRUCTED TEST ROW: eventID left out' AS locality)
                         FROM (SELECT * FROM read_parquet('{src}') WHERE decimalLatitude IS NOT NULL ORDER BY eventID LIMIT 1))
                   TO '{part}' (FORMAT parquet)""")
    s = validate(part, tmp_path / "out", CHECK_DATE)
    assert s["profile"] == profiles.EVENT and s["table"] == standard.OCCURRENCE
    assert "eventID" in s["profile_reason_en"]
    assert not s["file_findings"]                       # no "occurrenceID / basisOfRecord / name missing"
    assert not {c for c in s["checks"] if c.startswith(("TAXON_", "DWC_", "DUP_", "VOCAB_"))}
    assert s["checks"]["EVENT_ID_MISSING"]["count"] == 1
    # the events without a point that no other event of the sample names as its parent (the constructed
    # row is one: its point was kept); the parents' points are their children's
    no_point = duckdb.sql(f"""WITH x AS (SELECT * FROM read_parquet('{part}'))
        SELECT count(*) FILTER (WHERE decimalLatitude IS NULL AND eventID NOT IN (SELECT parentEventID FROM x WHERE parentEventID IS NOT NULL)),
               count(*) FILTER (WHERE decimalLatitude IS NULL) FROM x""").fetchone()
    assert no_point[1] > no_point[0] and s["checks"].get("COORD_MISSING", {}).get("count", 0) == no_point[0]
    assert s["tiers"] is None and s["tier_gaps"] == {}
    # the BDQ tests about the organism do not apply to an event table: not "failed for columns it lacks"
    assert {"VALIDATION_SCIENTIFICNAME_NOTEMPTY", "VALIDATION_TAXON_NOTEMPTY", "VALIDATION_OCCURRENCEID_NOTEMPTY",
            "VALIDATION_BASISOFRECORD_NOTEMPTY"} <= set(s["bdq_not_applicable"])
    assert not set(s["bdq_not_applicable"]) & (set(s["bdq_failed_for_missing_columns"]) | set(s["bdq"]))
    assert {"VALIDATION_EVENTDATE_NOTEMPTY", "VALIDATION_DECIMALLATITUDE_INRANGE", "VALIDATION_LICENSE_NOTEMPTY"} <= set(s["bdq"])
    for name in ("report.html", "report_en.html"):
        html = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert "TBIA 紀錄分級" not in html and "TBIA record tiers" not in html
        assert ("資料表類型：調查事件" in html) if name == "report.html" else ("Sampling events" in html)
    # the same rows with a taxon column are occurrences again; --profile event judges any file as events
    assert profiles.infer({"eventID", "eventDate", "scientificName"}, standard.OCCURRENCE)[0] == profiles.OCCURRENCE
    assert profiles.infer({"eventID", "eventDate", "occurrenceID"}, standard.OCCURRENCE)[0] == profiles.OCCURRENCE
    # where and when and nothing about an organism: survey events without an eventID column
    assert profiles.infer({"eventDate", "decimalLatitude"}, standard.OCCURRENCE) == (profiles.EVENT, {"how": "event_no_id", "fields": []})
    assert profiles.infer({"eventDate", "decimalLatitude", "organismQuantity"}, standard.OCCURRENCE)[0] == profiles.OCCURRENCE
    assert profiles.infer({"eventDate", "decimalLatitude"}, standard.OCCURRENCE, {"scientificName"})[0] == profiles.OCCURRENCE
    assert profiles.infer({"eventDate", "locality"}, standard.OCCURRENCE)[0] == profiles.OCCURRENCE    # no point
    assert profiles.infer({"decimalLatitude", "decimalLongitude"}, standard.OCCURRENCE)[0] == profiles.OCCURRENCE   # no date
    # a single-species survey given its species by --default is that species' records, not an event table
    ev_cols = {"eventID", "eventDate", "decimalLatitude", "decimalLongitude"}
    assert profiles.infer(ev_cols, standard.OCCURRENCE)[0] == profiles.EVENT
    assert profiles.infer(ev_cols, standard.OCCURRENCE, {"scientificName"})[0] == profiles.OCCURRENCE
    assert profiles.infer(ev_cols | {"sex"}, standard.OCCURRENCE)[0] == profiles.OCCURRENCE


def test_taicol_plant_workbook_reads_as_the_authority_wrote_it(tmp_path):
    """TaiCOL's 2020 plant list (../shared/data, the workbook the reference itself is built from):
    its 32 Chinese names in CJK compatibility ideographs (蘭 U+F91F) were 22 "vernacular name
    disagrees" (the same glyph, another character) and are now said as what they are; its cultivars
    and names of two infraspecific ranks ("Tradescantia flurnuensis cv. Variegata") were "misspelt",
    suggesting their own binomial; its nothospecies (Begonia × taipeiensis, 臺北秋海棠) were "above
    species"; three names with two spaces were "misspelt" as themselves. Its synonyms sheet (read
    with --sheet, 29,514 rows, too slow for here) was 29,500 times "name is a synonym"."""
    from dq.paths import SHARED_DATA
    book = SHARED_DATA / "checklists" / "Plant-list-TaiCoL-20200722.xlsx"
    s = validate(book, tmp_path / "acc", CHECK_DATE)
    assert s["sheets"] == {"read": "accepted names", "not_read": ["synonyms"]} and s["profile"] == profiles.CHECKLIST
    assert "not read: “synonyms”" in (tmp_path / "acc" / "report_en.html").read_text(encoding="utf-8")
    assert not {"TAXON_VERNACULAR_MISMATCH", "TAXON_FUZZY"} & set(s["checks"])
    assert s["checks"]["TAXON_VERNACULAR_COMPAT_CHARS"]["count"] >= 20
    assert s["checks"]["TAXON_RANK_ABOVE_SPECIES"]["count"] == 2          # the two hybrid formulas (Rubus a × b)
    ann = pd.read_csv(tmp_path / "acc" / "annotated.csv", dtype=str, keep_default_na=False)
    row = ann[ann["scientificName"] == "Nervilia alishanensis"].iloc[0]
    assert "\uf91f U+F91F → \u862d U+862D" in row["dq_suggestions_en"] and "\u862d" in row["dq_suggestions_en"].split(": ")[-1]
    # a synonym table (CONSTRUCTED TEST ROWS, real TaiCOL plant names and codes, as its synonyms sheet): each
    # row names its accepted taxon, so none is told it is a synonym; a list naming a synonym alone still is
    p = tmp_path / "constructed_synonyms.csv"
    p.write_text("namecode,scientificName,acceptedNamecode,remarks\n201245,Pinus brevispica,201244,CONSTRUCTED TEST ROW\n"
                 "200001,Pinus taiwanensis,,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    assert "TAXON_SYNONYM" not in validate(p, tmp_path / "syn", CHECK_DATE)["checks"]
    p.write_text("scientificName,remarks\nPinus brevispica,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    assert validate(p, tmp_path / "syn2", CHECK_DATE)["checks"]["TAXON_SYNONYM"]["count"] == 1


def test_a_name_differing_from_the_checklist_by_its_rank_marker_alone_is_that_name(tmp_path):
    """Names of the plant name list in ../shared/data (twnamelist.csv), as CONSTRUCTED TEST ROWS: TaiCOL writes most
    trinomials without a rank marker (Carex breviculmis fibrillosa), so "Carex breviculmis var. fibrillosa" was
    "misspelt → Carex breviculmis fibrillosa?"; a marker spelt another way (f. for fo.) is the same rank. A marker of
    another rank is another taxon (a review): TaiCOL lists Rhynchotechum discolor fo. incisum (spelt "fo. isum")
    and var. incisum as two accepted names, so the forma is never matched to the variety. A real misspelling
    still gets its suggestion."""
    p = tmp_path / "constructed_rank_markers.csv"
    p.write_text("scientificName,remarks\nCarex breviculmis var. fibrillosa,CONSTRUCTED TEST ROW\n"
                 "Philodendron scandens subsp. oxycardium,CONSTRUCTED TEST ROW\nBegonia formosana f. albomaculata,CONSTRUCTED TEST ROW\n"
                 "Carex breviculmis fibrilosa,CONSTRUCTED TEST ROW\nRhynchotechum discolor fo. incisum,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    s = validate(p, tmp_path / "out", CHECK_DATE)
    assert s["checks"]["TAXON_FUZZY"]["count"] == 2
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False).set_index("dq_row")
    assert ann["dq_match_type"].tolist() == ["synonym", "exact", "exact", "fuzzy", "fuzzy"]
    assert ann.loc["3", "dq_accepted_name"] == "Begonia formosana fo. albomaculata"
    assert "Carex breviculmis fibrillosa" in ann.loc["4", "dq_suggestions_en"]
    assert ann.loc["5", "dq_accepted_name"] == "" and "var. incisum" not in ann.loc["5", "dq_suggestions_en"]


def test_ssp_before_an_epithet_is_a_rank_marker_not_a_qualifier():
    """A review: "ssp." was read as an identification qualifier wherever it stood, so a named subspecies (a real
    TaiCOL bird, CONSTRUCTED spelling) was "qualifier in name"; alone at the end it still is one."""
    from dq import duck, taxonomy
    con = duck.connect(spatial=False)
    con.execute("CREATE TEMP TABLE nn AS SELECT unnest(?::VARCHAR[]) AS name_raw", [["Pycnonotus sinensis ssp. formosae", "Pycnonotus sinensis ssp."]])
    taxonomy.match_names(con, "nn", "out")
    got = {r[0]: r[1:] for r in con.execute("SELECT name_raw, has_qualifier, match_type, accepted_name FROM out").fetchall()}
    assert got["Pycnonotus sinensis ssp. formosae"] == (False, "exact", "Pycnonotus sinensis formosae")
    assert got["Pycnonotus sinensis ssp."][0] is True


def test_ferns_and_lycophytes_are_in_the_plant_checklist(tmp_path):
    """TaiCOL's 2020 plant workbook holds the seed plants only: the plant name list's 782 ferns and lycophytes were
    "a group the checklists do not cover, e.g. a fish or an insect" under a group called vascular plants. A fern
    genus the list files under two families (Dryopteris) matches as a genus like any other (a review).
    Real names and Chinese names of twnamelist.csv as CONSTRUCTED TEST ROWS."""
    p = tmp_path / "constructed_ferns.csv"
    p.write_text("scientificName,vernacularName,remarks\nAsplenium antiquum,山蘇花,CONSTRUCTED TEST ROW\n"
                 "Selaginella doederleinii,生根卷柏,CONSTRUCTED TEST ROW\nPalhinhaea cernua,過山龍,CONSTRUCTED TEST ROW\n"
                 "Dryopteris sp.,,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    s = validate(p, tmp_path / "out", CHECK_DATE)
    assert not {"TAXON_OUTSIDE_CHECKLIST", "TAXON_UNMATCHED", "TAXON_FUZZY", "TAXON_VERNACULAR_MISMATCH"} & set(s["checks"]), s["checks"].keys()
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    assert ann["dq_match_type"].tolist() == ["exact"] * 3 + ["higherrank"]


def test_a_workbook_is_checked_one_named_sheet_at_a_time(tmp_path):
    """CONSTRUCTED TEST ROWS (real TaiCOL names) in a two-sheet workbook, through the validate page's
    job (a child process running dq validate --sheet): the first sheet with data by default (an empty
    cover sheet failed the file), the others named as not read; the sheet a user picks is the one checked."""
    from openpyxl import Workbook
    from dq import validate_job
    wb = Workbook()
    wb.active.title = "封面"          # an empty cover sheet first: the first sheet with data is read
    ws = wb.create_sheet("accepted")
    ws.append(["scientificName", "vernacularName", "remarks"])
    ws.append(["Pinus taiwanensis", "臺灣二葉松", "CONSTRUCTED TEST ROW"])
    syn = wb.create_sheet("-synonyms")  # a name like an option still reaches --sheet whole
    syn.append(["scientificName", "remarks"])
    syn.append(["Pinus brevispica", "CONSTRUCTED TEST ROW"])
    syn.append(["Pinus brevispica", "CONSTRUCTED TEST ROW"])
    book = tmp_path / "constructed_two_sheets.xlsx"
    wb.save(book)
    for sheet, read, others, n in [(None, "accepted", ["封面", "-synonyms"], 1), ("-synonyms", "-synonyms", ["封面", "accepted"], 2)]:
        job = validate_job.start(book.read_bytes(), book.name, date=CHECK_DATE, sheet=sheet)
        try:
            assert validate_job.wait(job) == "done", validate_job.error(job)
            s = validate_job.summary(job)
            assert s["sheets"] == {"read": read, "not_read": others} and s["rows_checked"] == n
            from dq.i18n import note_text
            assert note_text(s["notes"][0], "zh") == f"工作表「{read}」"
            assert ("TAXON_SYNONYM" in s["checks"]) == (sheet == "-synonyms")
        finally:
            validate_job.remove(job)


def test_a_workbook_opening_with_a_sheet_of_notes_is_read_on_its_records_sheet(tmp_path):
    """The amphibian survey (../shared/data, its first 200 rows) as an agency sends it in a workbook: a 說明
    sheet of notes first, the records on 資料. The notes were read as the file (1 row, every column missing);
    a sheet name that is not there lists the ones that are."""
    from openpyxl import Workbook
    from dq.paths import SHARED_DATA
    from dq.sources.base import SourceError
    rows = pd.read_csv(SHARED_DATA / "occurrence" / "amphibian_survey_2008_2016.csv", dtype=str, nrows=200, keep_default_na=False)
    wb = Workbook()
    wb.active.title = "說明"
    wb.active.append(["本檔為兩棲類調查資料，欄位說明如下。"])
    wb.active.append(["資料來源：台灣兩棲類動物保育協會"])
    ws = wb.create_sheet("資料")
    ws.append(list(rows.columns))
    for r in rows.itertuples(index=False):
        ws.append(list(r))
    book = tmp_path / "amphibian_with_notes_sheet.xlsx"
    wb.save(book)
    s = validate(book, tmp_path / "o", CHECK_DATE)
    assert s["sheets"] == {"read": "資料", "not_read": ["說明"]} and s["rows_read"] == s["rows_checked"] == 200
    assert {"vernacularName", "decimalLatitude", "decimalLongitude"} <= set(s["columns_mapped"].values())
    with pytest.raises(SourceError, match="its sheets: '說明', '資料'"):
        validate(book, tmp_path / "o2", CHECK_DATE, sheet="Sheet1")


def test_a_nothospecies_is_one_species_however_its_sign_is_written(tmp_path):
    """CONSTRUCTED TEST ROWS (real names of TaiBON's name list and TaiCOL's plant list): 臺北秋海棠 is
    "Begonia × taipeiensis" in TaiCOL, "Begonia ×taipeiensis" in TaiBON; TaiCOL lists "Pinus hayatana"
    (a synonym), TaiBON writes 早田氏松 "Pinus ×hayatana". Each was "misspelt" (suggesting the name itself) or "above
    species"; a hybrid formula (two epithets) still is above species."""
    p = tmp_path / "constructed_nothospecies.csv"
    p.write_text("scientificName,remarks\nBegonia ×taipeiensis,CONSTRUCTED TEST ROW\nBegonia × taipeiensis,CONSTRUCTED TEST ROW\n"
                 "Pinus ×hayatana,CONSTRUCTED TEST ROW\nRubus croceacanthus × corchorifolius,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    validate(p, tmp_path / "out", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    assert list(ann["dq_match_type"]) == ["exact", "exact", "synonym", "above_species"], list(ann["dq_match_type"])
    assert not ann["dq_warnings"].str.contains("TAXON_FUZZY").any()


def test_no_spelling_from_another_genus_for_a_group_the_checklists_lack(tmp_path):
    """CONSTRUCTED TEST ROWS: TaiBON's fern Pteris arisanensis (Pteridaceae) was "did you mean Paris arisanensis?"
    while the checklists lacked ferns; they hold them now, so the guard is tested with a misspelt reef fish
    (Scarus rivularis for NTU's Scarus rivulatus, Labridae), one step from a sedge, Scirpus rivularis: with its
    family named and unlisted it is a group not covered, no suggestion. A misspelt bird of a family the
    checklists hold still gets its suggestion; the fern is now that fern."""
    p = tmp_path / "constructed_fern.csv"
    p.write_text("scientificName,family,remarks\nScarus rivularis,Labridae,CONSTRUCTED TEST ROW (misspelt)\n"
                 "Pycnonotus sinensiss,Pycnonotidae,CONSTRUCTED TEST ROW\nPteris arisanensis,Pteridaceae,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    validate(p, tmp_path / "out", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    assert list(ann["dq_match_type"]) == ["not_covered", "fuzzy", "exact"]
    assert "Pycnonotus sinensis" in ann.loc[1, "dq_suggestions_en"] and "Scirpus" not in ann.loc[0, "dq_suggestions_en"]


def test_value_mappings_refuse_look_alikes_and_a_cell_of_two_species_disagrees(tmp_path):
    """CONSTRUCTED TEST ROWS (real frog and bird names; from a review): an English text column ("Broadleaf
    forest") is two capitalised words but no Latin name, so the survey's Chinese names still give the
    names; an "author" column of people ("John Smith") is no authorship. What a bracket says is no second
    name (白頭翁（亞成鳥、雌）), but a cell naming another species as well disagrees (白頭翁;紅嘴黑鵯). A column of
    binomials that are not the taxa the file's Chinese names stand for (host plants) is not the scientificName."""
    p = tmp_path / "constructed_lookalikes.csv"
    p.write_text("蛙種,日期,經度,緯度,habitat_type,remarks\n小雨蛙,2010-04-09,121.594868,23.911414,Broadleaf forest,CONSTRUCTED TEST ROW\n"
                 "貢德氏赤蛙,2010-04-09,121.594868,23.911414,Rice paddy,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    s = validate(p, tmp_path / "o1", CHECK_DATE)
    assert "habitat_type" not in s["columns_mapped"] and s["checks"]["TAXON_NAME_FROM_VERNACULAR"]["count"] == 2
    p.write_text("scientificName,vernacularName,author,remarks\n"
                 "Pycnonotus sinensis,白頭翁（亞成鳥、雌）,John Smith,CONSTRUCTED TEST ROW\n"
                 "Pycnonotus sinensis,白頭翁;紅嘴黑鵯,Mary Chen,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    s = validate(p, tmp_path / "o2", CHECK_DATE)
    assert "author" not in s["columns_mapped"]
    ann = pd.read_csv(tmp_path / "o2" / "annotated.csv", dtype=str, keep_default_na=False)
    assert list(ann["dq_warnings"].str.contains("TAXON_VERNACULAR_MISMATCH")) == [False, True]
    # a butterfly survey's host plants are binomials of listed genera, but not the taxa its Chinese names are
    host = [("青斑蝶", "Parsonsia laevigata"), ("大白斑蝶", "Parsonsia laevigata"), ("樺斑蝶", "Asclepias curassavica"),
            ("琉球紫蛺蝶", "Sida rhombifolia"), ("黑鳳蝶", "Citrus reticulata"), ("紋白蝶", "Brassica oleracea"),
            ("大鳳蝶", "Citrus reticulata")]
    p.write_text("中文名,寄主植物,數量,remarks\n" + "".join(f"{v},{b},1,CONSTRUCTED TEST ROW\n" for v, b in host), encoding="utf-8")
    assert "寄主植物" not in validate(p, tmp_path / "o3", CHECK_DATE)["columns_mapped"]


def test_variant_characters_are_one_name(tmp_path):
    """CONSTRUCTED TEST ROWS (names of TaiBON's list against TaiCOL's): 雙黃花菫菜 / 雙黃花堇菜 and 線葉二葯藻 /
    線葉二藥藻 are one name in variant characters, as 臺 / 台; a name that differs otherwise still disagrees."""
    p = tmp_path / "constructed_variants.csv"
    p.write_text("scientificName,vernacularName,remarks\nViola biflora,雙黃花菫菜,CONSTRUCTED TEST ROW\n"
                 "Halodule pinifolia,線葉二葯藻,CONSTRUCTED TEST ROW\nViola biflora,雙黃花菜,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    validate(p, tmp_path / "out", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    assert list(ann["dq_warnings"].str.contains("TAXON_VERNACULAR_MISMATCH")) == [False, False, True]


def test_a_genus_a_species_list_places_in_two_families(tmp_path):
    """CONSTRUCTED TEST ROWS after TaiBON's plant name list, which gives Dryopteris under Dryopteridaceae (63
    rows) and Aspidiaceae (1), Fumaria under Fumariaceae and Papaveraceae (one row each): the rows of the less
    used family are flagged, both on a tie, with the family the Taiwan checklist uses; a genus in one family, or
    two lists each in its own family, are no finding."""
    p = tmp_path / "constructed_families.csv"
    p.write_text("scientificName,family\nDryopteris formosana,Dryopteridaceae\nDryopteris sparsa,Dryopteridaceae\n"
                 "Dryopteris nidus,Aspidiaceae\nFumaria officinalis,Fumariaceae\nFumaria parviflora,Papaveraceae\n"
                 "Pteris vittata,Pteridaceae\nPteris cretica,Pteridaceae\n", encoding="utf-8")
    s = validate(p, tmp_path / "o1", CHECK_DATE)
    assert s["profile"] == profiles.CHECKLIST
    ann = pd.read_csv(tmp_path / "o1" / "annotated.csv", dtype=str, keep_default_na=False).set_index("scientificName")
    got = {n for n, w in ann["dq_warnings"].items() if "TAXON_GENUS_TWO_FAMILIES" in w}
    assert got == {"Dryopteris nidus", "Fumaria officinalis", "Fumaria parviflora"}
    assert "這份名錄把 Dryopteris 屬也列在 Dryopteridaceae（2 列）" in ann.loc["Dryopteris nidus", "dq_suggestions"]
    assert "(the Taiwan checklist uses Dryopteridaceae)" in ann.loc["Dryopteris nidus", "dq_suggestions_en"]
    # each list in its own family: two datasets of one snapshot are not one list
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("scientificName,family\nDryopteris formosana,Dryopteridaceae\nDryopteris sparsa,Dryopteridaceae\n", encoding="utf-8")
    b.write_text("scientificName,family\nDryopteris nidus,Aspidiaceae\nDryopteris hirtipes,Aspidiaceae\n"
                 "Dryopteris sordidipes,Dryopteridaceae\n", encoding="utf-8")
    m = ingest([SourceSpec(a, agency="A", dataset="a"), SourceSpec(b, agency="A", dataset="b")], "2026-12-07", tmp_path / "snaps")
    fl = duckdb.execute(f"""SELECT r.scientificName FROM ({store.records_sql(Path(m))}) r
        JOIN read_parquet('{Path(m) / 'flags.parquet'}') f USING (record_id) WHERE f.check_id = 'TAXON_GENUS_TWO_FAMILIES'""").fetchall()
    assert fl == [("Dryopteris sordidipes",)]      # b's own minority; a's two Dryopteridaceae rows are a's


def test_an_accepted_id_that_leads_to_no_accepted_name_is_flagged(tmp_path):
    """CONSTRUCTED TEST ROWS with TaiCOL's plant codes and names, after its 2020 workbook, whose synonyms sheet names
    10 acceptedNamecodes no sheet has and 3 that are synonyms' own codes: a synonym pointing to an ID no row has,
    or to another synonym (the fix names that synonym's accepted ID), is flagged; one pointing to its accepted name
    is not, nor an accepted row naming itself. A synonym table sent alone (its accepted names elsewhere) is not
    judged. In a workbook, the IDs of its other sheets count (the sheet read says so in its notes)."""
    p = tmp_path / "constructed_synonym_ids.csv"
    p.write_text("taxonID,scientificName,acceptedNameUsageID,remarks\n"
                 "201244,Pinus taiwanensis,,CONSTRUCTED TEST ROW\n201245,Pinus morrisonicola,201245,CONSTRUCTED TEST ROW\n"
                 "420001,Pinus brevispica,201244,CONSTRUCTED TEST ROW\n420002,Pinus formosana,999999,CONSTRUCTED TEST ROW\n"
                 "420003,Pinus parviflora var. morrisonicola,420001,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    s = validate(p, tmp_path / "o1", CHECK_DATE)
    assert s["profile"] == profiles.CHECKLIST and s["checks"]["TAXON_ACCEPTED_ID_UNKNOWN"]["count"] == 2
    ann = pd.read_csv(tmp_path / "o1" / "annotated.csv", dtype=str, keep_default_na=False).set_index("taxonID")
    got = {i for i, w in ann["dq_warnings"].items() if "TAXON_ACCEPTED_ID_UNKNOWN" in w}
    assert got == {"420002", "420003"}
    assert "有效名編號 999999 不是這份名錄中任何一列的編號" in ann.loc["420002", "dq_suggestions"]
    assert "is that of the synonym Pinus brevispica, whose accepted name ID is 201244" in ann.loc["420003", "dq_suggestions_en"]
    # a synonym table alone: every accepted ID is in another file
    alone = tmp_path / "constructed_synonyms_alone.csv"
    alone.write_text("taxonID,scientificName,acceptedNameUsageID\n420001,Pinus brevispica,201244\n"
                     "420002,Pinus formosana,201244\n", encoding="utf-8")
    assert "TAXON_ACCEPTED_ID_UNKNOWN" not in validate(alone, tmp_path / "o2", CHECK_DATE)["checks"]
    # a workbook: its accepted names on another sheet, read to resolve the synonyms sheet's codes
    import openpyxl
    book = tmp_path / "constructed_plant_workbook.xlsx"
    wb = openpyxl.Workbook()
    acc = wb.active
    acc.title = "accepted names"
    for r in [("namecode", "family", "scientificName"), (201244, "Pinaceae", "Pinus taiwanensis"), (201245, "Pinaceae", "Pinus morrisonicola")]:
        acc.append(r)
    syn = wb.create_sheet("synonyms")
    for r in [("namecode", "family", "scientificName", "acceptedNamecode"), (420001, "Pinaceae", "Pinus brevispica", 201244),
              (420002, "Pinaceae", "Pinus formosana", 205570)]:
        syn.append(r)
    wb.save(book)
    s = validate(book, tmp_path / "o3", CHECK_DATE, sheet="synonyms")
    assert s["checks"]["TAXON_ACCEPTED_ID_UNKNOWN"]["count"] == 1
    ann = pd.read_csv(tmp_path / "o3" / "annotated.csv", dtype=str, keep_default_na=False).set_index("namecode")
    assert "TAXON_ACCEPTED_ID_UNKNOWN" not in ann.loc["420001", "dq_warnings"]
    assert "is the ID of no row of any sheet of this workbook" in ann.loc["420002", "dq_suggestions_en"]
    report = (tmp_path / "o3" / "report.html").read_text(encoding="utf-8")
    assert "已讀取工作表「accepted names」的物種編號（2 個）" in report


def test_a_status_no_reader_can_tell_is_flagged_and_the_readable_ones_are_not(tmp_path):
    """CONSTRUCTED TEST ROWS with the statuses of TaiBON's plant lists (原生, 歸化, 栽培, 未知, 疑問 and one "i?";
    twredlist2017.csv has three), TBN's bilingual ones and Darwin Core's words: only the unreadable one is flagged."""
    p = tmp_path / "constructed_status.csv"
    rows = [("Pteris vittata", "原生"), ("Pteris cretica", "歸化"), ("Pteris ensiformis", "栽培"), ("Pteris multifida", "未知"),
            ("Pteris semipinnata", "疑問"), ("Ophioglossum parvum", "i?"), ("Pteris wallichiana", "原生 Native"),
            ("Pteris dispar", "uncertain"), ("Pteris biaurita", "vagrant"), ("Pteris grevilleana", "")]
    p.write_text("scientificName,establishmentMeans\n" + "".join(f"{n},{v}\n" for n, v in rows), encoding="utf-8")
    s = validate(p, tmp_path / "o", CHECK_DATE)
    assert s["profile"] == profiles.CHECKLIST
    ann = pd.read_csv(tmp_path / "o" / "annotated.csv", dtype=str, keep_default_na=False)
    assert list(ann.loc[ann["dq_warnings"].str.contains("TAXON_ESTABLISHMENT_UNREADABLE"), "scientificName"]) == ["Ophioglossum parvum"]
