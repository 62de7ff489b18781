"""Exports nobody here wrote: eBird (basic dataset, My eBird data, a trimmed export), and the real
survey files in ../shared/data. The eBird files are CONSTRUCTED TEST ROWS written at test time in
each export's documented column layout (real Taiwan birds, a real BBS point at 瑞芳, 新北市); every
row says so in its comment column, or, where the layout has none, in its file name."""
import csv
import json

import duckdb
import pandas as pd
import pytest

from dq.paths import SHARED_DATA
from dq.sources import stage
from dq.sources.mapping import plan_columns
from dq.validate import validate

from conftest import CHECK_DATE, flagged

LAT, LON = "25.111267", "121.816298"     # BBS site A02-01_01, 瑞芳區, 新北市
MARK = "CONSTRUCTED TEST ROW"

# eBird Basic Dataset (EBD), tab-separated, its documented columns in order
EBD_COLUMNS = ["GLOBAL UNIQUE IDENTIFIER", "LAST EDITED DATE", "TAXONOMIC ORDER", "CATEGORY", "TAXON CONCEPT ID",
               "COMMON NAME", "SCIENTIFIC NAME", "SUBSPECIES COMMON NAME", "SUBSPECIES SCIENTIFIC NAME", "EXOTIC CODE",
               "OBSERVATION COUNT", "BREEDING CODE", "BREEDING CATEGORY", "BEHAVIOR CODE", "AGE/SEX", "COUNTRY",
               "COUNTRY CODE", "STATE", "STATE CODE", "COUNTY", "COUNTY CODE", "IBA CODE", "BCR CODE", "USFWS CODE",
               "ATLAS BLOCK", "LOCALITY", "LOCALITY ID", "LOCALITY TYPE", "LATITUDE", "LONGITUDE", "OBSERVATION DATE",
               "TIME OBSERVATIONS STARTED", "OBSERVER ID", "SAMPLING EVENT IDENTIFIER", "OBSERVATION TYPE",
               "PROTOCOL NAME", "PROTOCOL CODE", "PROJECT NAMES", "PROJECT IDENTIFIERS", "DURATION MINUTES",
               "EFFORT DISTANCE KM", "EFFORT AREA HA", "NUMBER OBSERVERS", "ALL SPECIES REPORTED", "GROUP IDENTIFIER",
               "HAS MEDIA", "APPROVED", "REVIEWED", "REASON", "CHECKLIST COMMENTS", "SPECIES COMMENTS"]
# My eBird data (the personal download), comma-separated
MYEBIRD_COLUMNS = ["Submission ID", "Common Name", "Scientific Name", "Taxonomic Order", "Count", "State/Province",
                   "County", "Location ID", "Location", "Latitude", "Longitude", "Date", "Time", "Protocol",
                   "Duration (Min)", "All Obs Reported", "Distance Traveled (km)", "Area Covered (ha)",
                   "Number of Observers", "Breeding Code", "Observation Details", "Checklist Comments", "ML Catalog Numbers"]
BIRDS = [("Light-vented Bulbul", "Pycnonotus sinensis", "3"), ("Taiwan Barbet", "Psilopogon nuchalis", "X"),
         ("Swinhoe's White-eye", "Zosterops simplex", "12"), ("Black Bulbul", "Hypsipetes leucocephalus", "1"),
         ("Warbling White-eye", "Zosterops simplex", "2")]   # an older English name: differs, never a mismatch


def _ebd(path):
    rows = []
    for i, (common, sci, n) in enumerate(BIRDS, start=1):
        r = dict.fromkeys(EBD_COLUMNS, "")
        r.update({"GLOBAL UNIQUE IDENTIFIER": f"URN:CornellLabOfOrnithology:EBIRD:OBS9{i:08d}", "CATEGORY": "species",
                  "COMMON NAME": common, "SCIENTIFIC NAME": sci, "OBSERVATION COUNT": n, "COUNTRY": "Taiwan",
                  "COUNTRY CODE": "TW", "STATE": "New Taipei City", "STATE CODE": "TW-NWT", "LOCALITY": "瑞芳",
                  "LATITUDE": LAT, "LONGITUDE": LON, "OBSERVATION DATE": "2023-04-12", "TIME OBSERVATIONS STARTED": "06:10:00",
                  "OBSERVER ID": "obsr000001", "SAMPLING EVENT IDENTIFIER": "S100000001", "PROTOCOL NAME": "Traveling",
                  "ALL SPECIES REPORTED": "1", "APPROVED": "1", "REVIEWED": "0", "SPECIES COMMENTS": MARK})
        rows.append(r)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, EBD_COLUMNS, delimiter="\t")
        w.writeheader()
        w.writerows(rows)


def _myebird(path):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, MYEBIRD_COLUMNS)
        w.writeheader()
        for common, sci, n in BIRDS:
            r = dict.fromkeys(MYEBIRD_COLUMNS, "")
            r.update({"Submission ID": "S100000002", "Common Name": common, "Scientific Name": sci, "Count": n,
                      "State/Province": "TW-NWT", "County": "", "Location": "瑞芳", "Latitude": LAT, "Longitude": LON,
                      "Date": "2023-04-13", "Time": "06:30 AM", "Protocol": "eBird - Traveling Count",
                      "Observation Details": MARK})
            w.writerow(r)


def _trimmed(path):
    """The export of issue 10: two blank trailing header cells; the same checklist row repeated."""
    header = "LATITUDE,LONGITUDE,Year,OBSERVATION DATE,COMMON NAME,SCIENTIFIC NAME,OBSERVATION COUNT,STATE_PROVINCE,,"
    lines = [header]
    for _ in range(3):   # one observation repeated three times, as in the real export
        lines.append(f"{LAT},{LON},2023,2023-04-14,Light-vented Bulbul,Pycnonotus sinensis,4,New Taipei,,")
    lines.append(f"{LAT},{LON},2023,2023-04-14,Taiwan Barbet,Psilopogon nuchalis,X,New Taipei,,")
    lines.append(f"{LAT},{LON},2023,2023-04-14,Taiwan Barbet,Psilopogon nuchalis,2,Yilan,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def ebird_validated(tmp_path_factory):
    """validate(make, name) once per export for the module: (source, summary, output folder); the
    trimmed export is read by two tests."""
    done = {}

    def run(make, name):
        if name not in done:
            d = tmp_path_factory.mktemp("ebird")
            make(d / name)
            done[name] = (d / name, validate(d / name, d / "out", CHECK_DATE), d / "out")
        return done[name]
    return run


@pytest.mark.parametrize("make,name", [(_ebd, "constructed_ebd.txt"), (_myebird, "constructed_myebird.csv"),
                                       (_trimmed, "constructed_ebird_trimmed.csv")])
def test_ebird_exports_lose_nothing_and_read_dates_counts_names(ebird_validated, make, name):
    src, s, out = ebird_validated(make, name)
    n = sum(1 for _ in open(src, encoding="utf-8")) - 1
    assert s["rows_read"] == n and s["rows_rejected"] == 0 and s["rows_checked"] == n
    terms = set(s["columns_mapped"].values())
    assert {"eventDate", "organismQuantity", "scientificName", "vernacularName", "decimalLatitude", "decimalLongitude"} <= terms
    checks = s["checks"]
    for bad in ("DATE_INVALID", "DATE_MISSING", "VOCAB_QUANTITY", "TAXON_VERNACULAR_MISMATCH", "TAXON_UNMATCHED",
                "COORD_MISSING", "TAXON_NAME_MISSING"):
        assert bad not in checks, (bad, checks.get(bad))
    ann = pd.read_csv(out / "annotated.csv", dtype=str, keep_default_na=False)
    got = flagged(ann)
    counts = ann[[c for c in ann.columns if c.lower() in ("observation count", "count")][0]]
    # eBird's X: present, not counted; an older English name is a note, not a mismatch
    assert all(("VOCAB_QUANTITY_NOT_COUNTED" in g) == (c == "X") for c, g in zip(counts, got))
    common = ann[[c for c in ann.columns if c.lower() == "common name"][0]]
    assert all(("TAXON_VERNACULAR_EN_DIFFERS" in g) == (c == "Warbling White-eye") for c, g in zip(common, got))


def test_trimmed_ebird_export_flags_every_repeat_and_english_county(ebird_validated):
    _, _, out = ebird_validated(_trimmed, "constructed_ebird_trimmed.csv")
    ann = pd.read_csv(out / "annotated.csv", dtype=str, keep_default_na=False)
    got = flagged(ann)
    assert [("DUP_RECORD" in g) for g in got] == [True, True, True, False, False]
    # rows with a count: the plain "check whether they are one", not the one-row-per-animal advice
    dup = ann[[("DUP_RECORD" in g) for g in got]]
    assert dup["dq_suggestions_en"].str.contains("records alike").all() and not dup["dq_suggestions_en"].str.contains("individualCount").any()
    # STATE_PROVINCE in English: New Taipei is where the point is; Yilan is not
    assert [("COORD_COUNTY_MISMATCH" in g) for g in got] == [False, False, False, False, True]


def test_place_column_named_commonname_is_not_a_vernacular_name(tmp_path):
    """The real 斑腿樹蛙 file: CommonName holds "新北市 五股區"; 數量(隻) keeps its unit."""
    f = SHARED_DATA / "occurrence" / "invasive_frog_polypedates_megacephalus.csv"
    st = stage(f, tmp_path)
    plan = plan_columns(st.staged, st.columns)
    assert plan.mapping["CommonName"] == "verbatimLocality"
    row = next(r for r in plan.rows if r["header"] == "CommonName")
    assert row["how"] == "values" and "地名" in row["note_zh"]
    assert plan.mapping["數量(隻)"] == "organismQuantity" and plan.constants == {"organismQuantityType": "隻"}
    # the user's --map wins, and says so
    forced = plan_columns(st.staged, st.columns, {"CommonName": "vernacularName"})
    assert forced.mapping["CommonName"] == "vernacularName"
    assert next(r for r in forced.rows if r["header"] == "CommonName")["how"] == "override"


def test_mapping_moves_or_refuses_by_values(tmp_path):
    p = tmp_path / "constructed_camera_sheet.csv"
    p.write_text("species,date_time,location,count,note\n"
                 "山羌,2021-03-02 21:14,A1,1,CONSTRUCTED TEST ROW\n"
                 "台灣獼猴,2021-03-03 06:40,A1,2,CONSTRUCTED TEST ROW\n", encoding="utf-8")
    st = stage(p, tmp_path)
    plan = plan_columns(st.staged, st.columns)
    # a camera-trap 'species' column holding Chinese names is a vernacular name
    assert plan.mapping["species"] == "vernacularName"
    assert plan.mapping["date_time"] == "eventDate" and plan.mapping["location"] == "verbatimLocality"
    q = tmp_path / "constructed_bad_dates.csv"
    q.write_text("學名,日期,數量\nPycnonotus sinensis,早上,1\nPycnonotus sinensis,下午,2\n", encoding="utf-8")
    st = stage(q, tmp_path)
    plan = plan_columns(st.staged, st.columns)
    assert "日期" not in plan.mapping
    assert next(r for r in plan.rows if r["header"] == "日期")["how"] == "refused"


def test_validate_cli_takes_map(tmp_path):
    from dq.__main__ import main
    f = SHARED_DATA / "occurrence" / "invasive_frog_polypedates_megacephalus.csv"
    head = tmp_path / "frog_head.csv"
    head.write_bytes(b"".join(open(f, "rb").readlines()[:40]))
    assert main(["validate", str(head), "--out", str(tmp_path / "o"), "--date", CHECK_DATE,
                 "--map", "CommonName=locality"]) == 0
    s = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert s["columns_mapped"]["CommonName"] == "locality"


def test_header_aliases_of_exports_people_have():
    from dq.sources.aliases import map_headers
    inat = map_headers(["id", "observed_on_string", "observed_on", "user_login", "quality_grade", "place_guess",
                        "latitude", "longitude", "positional_accuracy", "scientific_name", "common_name"])
    assert inat == {"observed_on_string": "verbatimEventDate", "observed_on": "eventDate", "user_login": "recordedBy",
                    "place_guess": "verbatimLocality", "latitude": "decimalLatitude", "longitude": "decimalLongitude",
                    "positional_accuracy": "coordinateUncertaintyInMeters", "scientific_name": "scientificName",
                    "common_name": "vernacularName"}
    # GBIF simple download: `species` and `scientificName` both present; the Darwin Core name wins
    gbif = map_headers(["gbifID", "datasetKey", "occurrenceID", "species", "scientificName", "occurrenceStatus",
                        "individualCount", "stateProvince", "eventDate", "decimalLatitude", "decimalLongitude"])
    assert gbif["scientificName"] == "scientificName" and "species" not in gbif
    assert gbif["occurrenceStatus"] == "occurrenceStatus" and gbif["datasetKey"] == "datasetID"
    survey = map_headers(["年", "月", "日", "季節", "種名", "經度", "緯度", "數量(隻)", "縣市", "鄉鎮", "體長(cm)"])
    assert survey == {"年": "year", "月": "month", "日": "day", "季節": "verbatimEventDate", "種名": "vernacularName",
                      "經度": "decimalLongitude", "緯度": "decimalLatitude", "數量(隻)": "organismQuantity",
                      "縣市": "dwc_county", "鄉鎮": "municipality"}


@pytest.fixture(scope="module")
def amphibians(tmp_path_factory):
    out = tmp_path_factory.mktemp("amph")
    s = validate(SHARED_DATA / "occurrence" / "amphibian_survey_2008_2016.csv", out, CHECK_DATE)
    return s, out


def test_amphibian_survey_names_from_chinese_and_absences(amphibians):
    s, out = amphibians
    assert s["rows_read"] == 18084 and s["rows_rejected"] == 0
    ann = pd.read_csv(out / "annotated.csv", dtype=str, keep_default_na=False)
    got = flagged(ann)
    named = sum("TAXON_NAME_FROM_VERNACULAR" in g for g in got)
    ambiguous = [v for v, g in zip(ann["蛙種"], got) if "TAXON_VERNACULAR_AMBIGUOUS" in g]
    assert "TAXON_NAME_MISSING" not in s["checks"]
    # every name but 日本樹蛙 (split into two species since) is taken from TaiCOL
    assert set(ambiguous) == {"日本樹蛙"} and named + len(ambiguous) == 18084
    zero = ann["數量"] == "0"
    assert zero.sum() == 10835
    assert not any("VOCAB_QUANTITY" in g for z, g in zip(zero, got) if z)
    assert s["rows_absence"] == 10835
    taken = ann[ann["dq_name_source"] == "vernacular"]
    assert len(taken) == named and taken["dq_accepted_name"].str.match(r"^[A-Z][a-z]+ [a-z]+").all()
    # issue 10: at least 99 % carry an accepted TaiCOL name from 蛙種. 日本樹蛙 is matched at the genus
    # both its successors share (Buergeria), as GBIF matches at a higher rank, and stays flagged.
    assert (ann["dq_accepted_name"] != "").mean() >= 0.99
    jp = ann[ann["蛙種"] == "日本樹蛙"]
    assert len(jp) == 815 and set(jp["dq_accepted_name"]) == {"Buergeria"} and set(jp["dq_match_type"]) == {"higherrank"}
    assert all("Buergeria choui" in x and "Buergeria otai" in x for x in jp["dq_suggestions"])
    assert all("Candidates: Buergeria choui, Buergeria otai" in x for x in jp["dq_suggestions_en"])
    # the file has no SRS column at all: one finding for the file, not a warning on each of its 18,084 rows
    assert "COORD_SRS_UNKNOWN" in s["file_findings"] and "COORD_SRS_UNKNOWN" not in s["checks"]
    assert s["file_findings"]["COORD_SRS_UNKNOWN"]["columns"] == ["verbatimSRS", "geodeticDatum"]   # no internal column names
    assert not any("COORD_SRS_UNKNOWN" in g for g in got)


def test_names_matched_at_a_higher_rank_never_count_as_species(tmp_path):
    """CONSTRUCTED TEST ROWS (real Taiwan frog names, a real BBS point): a genus name, an ambiguous
    vernacular whose candidates share a genus, and one whose candidates share nothing."""
    p = tmp_path / "constructed_higher_rank.csv"
    p.write_text("scientificName,vernacularName,eventDate,decimalLatitude,decimalLongitude,occurrenceRemarks\n"
                 f"Rana sp.,,2021-03-02,{LAT},{LON},{MARK}\n"
                 f",日本樹蛙,2021-03-02,{LAT},{LON},{MARK}\n"
                 f",雨怪,2021-03-02,{LAT},{LON},{MARK}\n"
                 f",褐樹蛙,2021-03-02,{LAT},{LON},{MARK}\n", encoding="utf-8")
    s = validate(p, tmp_path / "out", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    got = flagged(ann)
    assert list(ann["dq_accepted_name"]) == ["Rana", "Buergeria", "", "Buergeria robusta"]
    assert list(ann["dq_match_type"])[:2] == ["higherrank", "higherrank"]
    assert "TAXON_RANK_ABOVE_SPECIES" in got[0] and "TAXON_UNMATCHED" not in got[0]
    # 雨怪 is Hyla chinensis or Zhangixalus arvalis: no genus or family shared, so no name
    assert "TAXON_VERNACULAR_AMBIGUOUS" in got[1] and "TAXON_VERNACULAR_AMBIGUOUS" in got[2]
    assert "TAXON_NAME_FROM_VERNACULAR" in got[3] and "TAXON_NAME_FROM_VERNACULAR" not in got[1]
    # a name taken from the vernacular name is a note (info), not a warning: the amphibian survey had every
    # row "with warnings" for it alone
    assert ann.loc[3, "dq_notes"] == "TAXON_NAME_FROM_VERNACULAR" and ann.loc[3, "dq_warnings"] == ""
    assert s["rows_with_notes"] >= 1 and s["rows_with_warnings"] == int((ann["dq_warnings"] != "").sum())
    assert s["rows_with_notes"] == int((ann["dq_notes"] != "").sum())
    # in a snapshot only the species counts as a species; the genus rows still count as records
    from dq.snapshot import SourceSpec, build
    snap = tmp_path / "snap"
    build([SourceSpec(p)], "2026-11-22", snap, tmp_path, progress=lambda msg: None)
    species = duckdb.sql(f"SELECT accepted_name FROM read_parquet('{snap / 'agg_species.parquet'}')").fetchall()
    assert species == [("Buergeria robusta",)]


def test_names_outside_the_checklists_are_not_called_wrong(tmp_path):
    """CONSTRUCTED TEST ROWS (real names at a real BBS point): the checklists held cover birds, mammals,
    reptiles, amphibians and vascular plants. A reef fish (NTU/OCA file) or a butterfly cannot be judged;
    a bird whose genus was renamed after the checklist (BBS's Megapomatorhinus) is still 'not in the
    checklist', known by its vernacular name or its family."""
    p = tmp_path / "constructed_outside_checklist.csv"
    p.write_text("scientificName,vernacularName,family,eventDate,decimalLatitude,decimalLongitude,occurrenceRemarks\n"
                 f"Neoglyphidodon nigroris,,Pomacentridae,2021-03-02,{LAT},{LON},{MARK}\n"
                 f"Troides aeacus,,,2021-03-02,{LAT},{LON},{MARK}\n"
                 f"Megapomatorhinus erythrocnemis,大彎嘴,,2021-03-02,{LAT},{LON},{MARK}\n"
                 f"Megapomatorhinus erythrocnemis,,Timaliidae,2021-03-02,{LAT},{LON},{MARK}\n"
                 f"Pycnonotus nosuchbird,,,2021-03-02,{LAT},{LON},{MARK}\n", encoding="utf-8")
    validate(p, tmp_path / "out", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    got = flagged(ann)
    assert list(ann["dq_match_type"]) == ["not_covered", "not_covered", "none", "none", "none"]
    assert ["TAXON_OUTSIDE_CHECKLIST" in g for g in got] == [True, True, False, False, False]
    assert ["TAXON_UNMATCHED" in g for g in got] == [False, False, True, True, True]
    assert "Erythrogenys erythrocnemis" in ann["dq_suggestions"][2]


def test_bbs_rows_with_r_escapes(tmp_path):
    """Real BBS Taiwan rows (no change): every row whose vernacular name R wrote as <U+XXXX> is one
    TEXT_ESCAPED_UNICODE finding with the decoded name, and the decoded name is what is compared with
    the checklist (小<U+9E0A><U+9DC9> is 小鸊鷉, the checklist's name for Tachybaptus ruficollis)."""
    src = SHARED_DATA / "occurrence" / "bbs_occurrence.parquet"
    sample = tmp_path / "bbs_escaped_sample.parquet"
    duckdb.sql(f"""COPY (SELECT * FROM read_parquet('{src}') WHERE vernacularName LIKE '%<U+%'
                         AND scientificName IN ('Tachybaptus ruficollis', 'Charadrius dubius') ORDER BY id LIMIT 200)
                   TO '{sample}' (FORMAT parquet)""")
    validate(sample, tmp_path / "out", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    assert len(ann) == 200 and ann["vernacularName"].str.contains("<U+", regex=False).all()
    assert ann["dq_warnings"].str.contains("TEXT_ESCAPED_UNICODE").all()
    grebe = ann[ann["scientificName"] == "Tachybaptus ruficollis"]
    assert len(grebe) and grebe["dq_suggestions"].str.contains("vernacularName=小鸊鷉").all()
    assert not ann["dq_warnings"].str.contains("TAXON_VERNACULAR_MISMATCH").any()
    # a Parquet file has no text encoding: the report says its format, never "None"
    for name, says in (("report.html", "格式 parquet。"), ("report_en.html", "format parquet.")):
        html = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert says in html and "None" not in html


def test_frog_file_counts_are_not_errors(frog_validated):
    s, tmp_path, _ = frog_validated     # validated once for the session (tests/conftest.py)
    assert "VOCAB_QUANTITY" not in s["checks"]
    assert s["checks"]["VOCAB_QUANTITY_NOT_COUNTED"]["count"] == 1338
    assert s["checks"]["VOCAB_QUANTITY_APPROXIMATE"]["count"] == 400 + 87 + 21 + 8 + 7 + 1
    assert "VOCAB_QUANTITY_TYPE_MISSING" not in s["checks"]
    assert s["columns_mapped"]["CommonName"] == "verbatimLocality"
    sugg = duckdb.sql(f"SELECT count(*) FROM read_csv('{tmp_path / 'annotated.csv'}', all_varchar=true) "
                      "WHERE dq_suggestions LIKE '%依俗名「新北市%'").fetchone()[0]
    assert sugg == 0


def _uploaded(new_page, server, path, lang: str):
    """The validate page in headless Chromium (tests/conftest.py's server and browser) with `path`
    uploaded and checked: its downloads are offered."""
    page = new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/validate?lang={lang}")
    page.wait_for_selector("h1", timeout=60_000)
    page.set_input_files("input[type=file]", str(path))
    page.wait_for_selector('[data-testid="stDownloadButton"]', timeout=120_000)
    page.wait_for_timeout(1000)
    return page


def test_validate_page_says_in_zh_tw_how_a_clean_export_was_read(tmp_path, server, new_page):
    """In the browser: TaiCOL's real amphibian export (tests/fixtures), ready to submit, its one finding
    the HTML-escaped authors. Its last line is white space alone: a blank row in the ledger, no "short row
    kept" note beside that (the note had said so while the counts rejected it); its name column is shown
    mapped by its values. The same file with the authors unescaped (a CONSTRUCTED copy) has nothing found,
    and its empty findings table does not read Streamlit's English "empty"."""
    from conftest import FIX
    page = _uploaded(new_page, server, FIX / "taicol_amphibia_20220605.csv", "zh")
    body = page.inner_text("body")
    assert "可以提交" in body and "依欄位值對應" in body
    assert "文字含 HTML 跳脫碼" in page.content()     # the findings grid draws on a canvas: its cells are in the page's HTML
    assert "rows have fewer cells" not in body and "列的欄位數少於標題列" not in body
    assert not page.query_selector('[data-testid="stException"]')
    clean = tmp_path / "constructed_taicol_amphibia_unescaped.csv"
    clean.write_bytes((FIX / "taicol_amphibia_20220605.csv").read_bytes().replace(b"&amp;", b"&"))
    page = _uploaded(new_page, server, clean, "zh")
    body = page.inner_text("body")
    assert "沒有發現問題" in body and "依欄位值對應" in body and "empty" not in body
    assert not page.query_selector('[data-testid="stException"]')


def test_validate_page_shows_the_mapping_and_takes_an_override(tmp_path, server, new_page):
    """In the browser: the 斑腿樹蛙 rows' CommonName is shown moved by its values; a user's
    mapping typed on the page is used and shown as the user's."""
    # the server and Chromium are tests/conftest.py's (one each for the session)
    frog = SHARED_DATA / "occurrence" / "invasive_frog_polypedates_megacephalus.csv"
    head = tmp_path / "frog_rows.csv"
    head.write_bytes(b"".join(open(frog, "rb").readlines()[:60]))
    page = _uploaded(new_page, server, head, "zh")
    body = page.inner_text("body")
    assert "依欄位值改對應" in body and "verbatimLocality" in body
    page.fill("textarea", "CommonName=locality")
    page.keyboard.press("Control+Enter")
    page.wait_for_function("document.body.innerText.includes('使用者指定')", timeout=120_000)
    assert not page.query_selector('[data-testid="stException"]')


def test_demo_declares_four_publishers(tmp_path):
    """The demo's sources name at least four publishers (the snapshot is rebuilt from these)."""
    import dq.demo as demo
    # the joins write into tmp_path; reading the specs builds nothing else
    specs = demo.specs(tmp_path)
    agencies = {s.agency for s in specs}
    assert len(agencies) >= 4 and {demo.AMPHIBIAN_AGENCY, demo.REEF_AGENCY} <= agencies
    reef = next(s for s in specs if s.agency == demo.REEF_AGENCY)
    n, dated = duckdb.sql(f"SELECT count(*), count(eventDate) FROM read_parquet('{reef.path}')").fetchone()
    assert n == 14496 and dated == 8695      # every fish kept; 19 of 25 sites joined for date and point


def test_overview_offers_every_publisher_of_the_snapshot(server, new_page):
    """In the browser: the overview's agency picker lists every publisher of the newest demo snapshot."""
    from dq import store
    snap = store.snapshots()[-1]          # the one the app opens with
    agencies = store.agencies(snap)
    page = new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/?lang=zh")
    page.wait_for_selector("h1", timeout=60_000)
    # the first run over (a click while the page still runs can land on a picker that is then redrawn: the CI run
    # of 12-05 under load saw no list open), then the picker; clicked again if its list did not open
    page.wait_for_function("() => { const a = document.querySelector('[data-testid=\"stApp\"]');"
                           " return a && a.getAttribute('data-test-script-state') === 'notRunning'; }", timeout=60_000)
    picker = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(1)
    picker.click()
    try:
        page.wait_for_selector('[role="option"]', timeout=10_000)
    except Exception:
        picker.click()
        page.wait_for_selector('[role="option"]', timeout=30_000)
    options = page.inner_text('[role="listbox"]')
    assert all(a in options for a in agencies), (agencies, options)


def test_report_says_why_the_survey_is_all_bronze(amphibians):
    """The amphibian survey names species only in Chinese (蛙種): every record carries a TaiCOL name the
    tool matched, but TBIA's silver asks for the file's own scientificName. The report says so, with
    the count, in both languages, instead of leaving 18,084 bronze records unexplained."""
    s, out = amphibians
    assert s["tiers"] == {"gold": 0, "silver": 0, "bronze": 18084}
    assert s["tier_gaps"]["silver"] == {"name": 18084} and s["tier_names_not_in_file"] == 18084
    zh = (out / "report.html").read_text(encoding="utf-8")
    en = (out / "report_en.html").read_text(encoding="utf-8")
    assert "銅級的 18,084 筆未達銀級的原因：缺學名（scientificName） 18,084 筆" in zh and "補上學名欄即可升級" in zh
    assert "Why 18,084 records are bronze, not silver: no scientificName (18,084)" in en
    assert "18,084 of them have a name this tool matched" in en and "銅級" not in en


def test_centroid_flags_on_real_survey_sites_are_no_more_than_chance(tmp_path):
    """BBS Taiwan's real sites (one row per distinct point of the event table, no change) are placed
    by the survey's own grid, not at centroids: a fixed 1 km around every town's centroid flagged 618
    of the 11,213 (5.5 %), what chance predicts for towns whose median area is 64 km². With the
    radius scaled to the area (at most 1 in 1,000 of it), at most a few in 1,000 remain."""
    src = SHARED_DATA / "occurrence" / "bbs_event.parquet"
    sites = tmp_path / "bbs_sites.parquet"
    duckdb.sql(f"""COPY (SELECT min(eventID) AS eventID, decimalLatitude, decimalLongitude, 'WGS84' AS geodeticDatum
                         FROM read_parquet('{src}') WHERE decimalLatitude IS NOT NULL GROUP BY ALL ORDER BY eventID)
                   TO '{sites}' (FORMAT parquet)""")
    s = validate(sites, tmp_path / "out", CHECK_DATE)
    n = s["rows_checked"]
    assert n > 11000
    for check in ("COORD_TOWN_CENTROID", "COORD_COUNTY_CENTROID"):
        # judged (one site each stays: 30 m from 大安區's centroid, 720 m from 臺中市's) and no more than chance
        assert 1 <= s["checks"][check]["count"] <= 0.005 * n, check


def test_frog_points_a_few_metres_from_a_town_centroid_are_flagged(frog_validated):
    """The real 斑腿樹蛙 file has records 8 m from the centroid of 雲林縣林內鄉 (52 km², radius 129 m):
    each is flagged, and its suggestion says how far and what radius counted."""
    _, out, _ = frog_validated
    ann = pd.read_csv(out / "annotated.csv", dtype=str, keep_default_na=False)
    near = ann[(ann["dq_town"] == "林內鄉") & ann["dq_lat"].str.startswith("23.75594")]
    assert len(near) >= 2 and near["dq_warnings"].str.contains("COORD_TOWN_CENTROID").all()
    assert near["dq_suggestions"].str.contains("距林內鄉中心點 8 公尺（本鄉鎮 129 公尺內算中心點）", regex=False).all()
    assert near["dq_suggestions_en"].str.contains("8 m from its town's centroid (within 129 m counts there)", regex=False).all()
    # every flag (there are two more, 79 m from 新北市土城區's centroid, radius 98 m) is within its radius
    said = ann.loc[ann["dq_warnings"].str.contains("COORD_TOWN_CENTROID"), "dq_suggestions_en"].str.extract(
        r"(\d+) m from its town's centroid \(within (\d+) m").astype(int)
    assert len(said) == len(near) + 2 and (said[0] <= said[1]).all()


def test_a_vernacular_suggestion_never_offers_the_records_own_name(tmp_path):
    """Real BBS Taiwan rows (no change) whose names TaiCOL 2022 lacks but another list held gives for
    their Chinese name: the suggestion names the other binomials of that name (Prinia crinigera,
    斑紋鷦鶯 → Prinia striata), never the record's own, and none when that is the only one
    (Phoenicopterus roseus, 大紅鸛, a name of the 2023 bird list: it gets the check's general to-do)."""
    src = SHARED_DATA / "occurrence" / "bbs_occurrence.parquet"
    sample = tmp_path / "bbs_names_sample.parquet"
    duckdb.sql(f"""COPY (SELECT * FROM read_parquet('{src}') WHERE scientificName IN ('Prinia crinigera', 'Phoenicopterus roseus',
                         'Glaucidium brodiei') QUALIFY row_number() OVER (PARTITION BY scientificName ORDER BY id) <= 3 ORDER BY id)
                   TO '{sample}' (FORMAT parquet)""")
    validate(sample, tmp_path / "out", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    assert ann["dq_warnings"].str.contains("TAXON_UNMATCHED").all() and len(ann) == 7
    by = {n: g["dq_suggestions_en"].tolist() for n, g in ann.groupby("scientificName")}
    assert all(s == "Checklist names with this vernacular name: Prinia striata" for s in by["Prinia crinigera"])
    assert all(s == "Checklist names with this vernacular name: Taenioptynx brodiei" for s in by["Glaucidium brodiei"])
    from dq.checks import by_id
    assert by["Phoenicopterus roseus"] == [by_id()["TAXON_UNMATCHED"].todo("en")]


def test_frog_records_off_matsu_are_in_the_sea(frog_validated):
    """The real 斑腿樹蛙 file names its species in no column (the file is about one species): its 13
    records 2-3 km off 莒光, Matsu are still 'a land species in the sea' (a rule that asked for a
    named taxon first would have hidden them)."""
    s, out, _ = frog_validated
    assert s["checks"]["COORD_IN_SEA"]["count"] == 13
    ann = pd.read_csv(out / "annotated.csv", dtype=str, keep_default_na=False)
    sea = ann[ann["dq_warnings"].str.contains("COORD_IN_SEA")]
    assert sea["dq_lat"].str.startswith("25.99").all() and sea["dq_lon"].str.startswith("119.9").all()


def test_an_occurrence_table_without_its_events_is_pointed_to_a_dwca(tmp_path, frog_validated):
    """Real BBS Taiwan occurrence rows (no change) validated without their event file: every row lacks a
    point and a date (two file-level findings, as they are), and the report says where those are
    likely to be (the event file, checked together as a Darwin Core Archive). The frog file, which has
    its points and no eventID, gets no such hint."""
    src = SHARED_DATA / "occurrence" / "bbs_occurrence.parquet"
    sample = tmp_path / "bbs_occurrence_sample.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_parquet('{src}') ORDER BY id LIMIT 50) TO '{sample}' (FORMAT parquet)")
    s = validate(sample, tmp_path / "out", CHECK_DATE)
    assert {"COORD_MISSING", "DATE_MISSING"} <= set(s["file_findings"]) and s["event_file_hint"] is True
    assert "Darwin Core Archive" in (tmp_path / "out" / "report_en.html").read_text(encoding="utf-8")
    assert "此檔有 eventID" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    frog, out, _ = frog_validated
    assert frog["event_file_hint"] is False and "此檔有 eventID" not in (out / "report.html").read_text(encoding="utf-8")
    assert s["site_file_hint"] is None and frog["site_file_hint"] is None     # its point and date columns are there


def test_a_survey_site_table_without_eventid_is_judged_as_events(tmp_path):
    """NTU/OCA's reef survey sites (../shared/data, no change): ID, Site, Depth, Date, latitude,
    longitude and MPA columns, no taxon, count or occurrenceID. Judged as occurrences it had three
    file-level errors (no name, occurrenceID, basisOfRecord) and 16 reef sites "terrestrial records in
    the sea". As sampling events: no such finding. Its ID column ("Taiwan#North#82.5#5m#20200622_Joyce",
    a Darwin Core Archive's core id) is its eventID; it was "eventID missing" (fix first)."""
    src = SHARED_DATA / "occurrence" / "reef_fish_ntu" / "survey_sites_location_level.csv"
    s = validate(src, tmp_path / "out", CHECK_DATE)
    assert s["profile"] == "event" and s["rows_read"] == s["rows_checked"]
    assert not {"TAXON_NAME_MISSING", "DWC_OCCURRENCE_ID_MISSING", "DWC_BASIS_OF_RECORD_MISSING"} & set(s["file_findings"])
    assert "COORD_IN_SEA" not in s["checks"] and "map the column naming the species" in s["profile_reason_en"]
    assert s["columns_mapped"]["ID"] == "eventID" and "EVENT_ID_MISSING" not in s["file_findings"] and s["verdict"] == "ready"
    # its Depth ("5m") is a depth as written: BDQ reads it into metres; a bare number (GBIF's interpreted metres) is
    # no verbatim depth (CONSTRUCTED rows: the first three sites with their Depth as GBIF writes it)
    assert s["columns_mapped"]["Depth"] == "verbatimDepth"
    sites = pd.read_csv(src, dtype=str, keep_default_na=False).head(3)
    sites["Depth"] = ["5.0", "10.0", "5.0"]
    sites.to_csv(tmp_path / "constructed_sites_bare_depth.csv", index=False)
    bare = validate(tmp_path / "constructed_sites_bare_depth.csv", tmp_path / "out3", CHECK_DATE)
    assert "Depth" not in bare["columns_mapped"] and "Depth" in bare["columns_extra"]
    assert s["bdq"]["AMENDMENT_MINDEPTHMAXDEPTH_FROM_VERBATIM"].get("FILLED_IN", 0) > 0, s["bdq"]["AMENDMENT_MINDEPTHMAXDEPTH_FROM_VERBATIM"]
    assert "no row number: this table&#x27;s eventID" in (tmp_path / "out" / "report_en.html").read_text(encoding="utf-8")
    # a user's --map wins: ID kept as an extra column, the file then lacks its eventID
    s = validate(src, tmp_path / "out2", CHECK_DATE, column_map={"Site_Depth_Date": "eventID"})
    assert "ID" not in s["columns_mapped"] and "EVENT_ID_MISSING" not in s["file_findings"]


def test_an_id_column_is_the_tables_own_identifier_only_when_none_is(tmp_path):
    """CONSTRUCTED TEST ROWS (a real BBS point): "id" names the row's identifier in a Darwin Core
    Archive; beside an occurrenceID column it stays an extra column, and 編號 (often a row number) is
    never taken."""
    p = tmp_path / "constructed_ids.csv"
    rows = "{h},scientificName,eventDate,decimalLatitude,decimalLongitude,remarks\n" \
           "{v}1,Pycnonotus sinensis,2015-04-12,25.111267,121.816298,CONSTRUCTED TEST ROW\n"
    p.write_text(rows.format(h="id", v="X-"), encoding="utf-8")
    assert validate(p, tmp_path / "o1", CHECK_DATE)["columns_mapped"]["id"] == "occurrenceID"
    p.write_text(rows.format(h="編號", v=""), encoding="utf-8")
    s = validate(p, tmp_path / "o2", CHECK_DATE)
    assert "編號" not in s["columns_mapped"] and "DWC_OCCURRENCE_ID_MISSING" in s["file_findings"]
    p.write_text("id,occurrenceID,scientificName,eventDate,decimalLatitude,decimalLongitude\n"
                 "1,X-1,Pycnonotus sinensis,2015-04-12,25.111267,121.816298\n", encoding="utf-8")
    s = validate(p, tmp_path / "o3", CHECK_DATE)
    assert "id" not in s["columns_mapped"] and s["columns_mapped"]["occurrenceID"] == "occurrenceID"
    # row numbers, and an extension file's id (its core's: repeated on each detection of a visit), are no identifier
    body = "".join(f"{v},Pycnonotus sinensis,2015-04-12,25.111267,121.816298\n" for v in ("1", "2", "3"))
    p.write_text("ID,scientificName,eventDate,decimalLatitude,decimalLongitude\n" + body, encoding="utf-8")
    s = validate(p, tmp_path / "o4", CHECK_DATE)
    assert "ID" not in s["columns_mapped"] and "DWC_OCCURRENCE_ID_MISSING" in s["file_findings"]
    body = "".join(f"{v},Pycnonotus sinensis,2015-04-12,25.111267,121.816298\n" for v in ("TWBBS_2010_A04-06_08_01",) * 2)
    p.write_text("id,scientificName,eventDate,decimalLatitude,decimalLongitude\n" + body, encoding="utf-8")
    s = validate(p, tmp_path / "o5", CHECK_DATE)
    assert "id" not in s["columns_mapped"] and "DUP_OCCURRENCE_ID" not in s["checks"]


def test_validate_page_takes_a_parquet_file(tmp_path, server, new_page):
    """In the browser: real BBS Taiwan event rows (one site's 2014 subtree, no change) uploaded as the
    Parquet file they are published in: judged as sampling events, its parent events counted."""
    src = SHARED_DATA / "occurrence" / "bbs_event.parquet"
    part = tmp_path / "bbs_site_2014.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_parquet('{src}') WHERE eventID LIKE 'TWBBS_2014_A34-21%' "
               f"OR eventID = 'TWBBS_2014') TO '{part}' (FORMAT parquet)")
    page = _uploaded(new_page, server, part, "en")
    body = page.inner_text("body")
    assert "judged as a Darwin Core event table" in body and "Parent events: 22" in body
    assert not page.query_selector('[data-testid="stException"]')
    assert not page.query_selector('[data-testid="stAlertContentError"]')


def test_reef_fish_counted_per_transect_are_occurrences_not_a_species_list(tmp_path):
    """NTU/OCA's reef fish file (first 300 rows, no change): one row per fish seen on a transect, with
    Region, Site, Transect, Family, Genus, Species and Length. Its Site names the survey site (樣區),
    so the rows are observations at places, not a species list ("ready" as a checklist before); their
    points and dates are in the site table, so both are file-level findings."""
    src = SHARED_DATA / "occurrence" / "reef_fish_ntu" / "taiwan_fish_metric.csv"
    part = tmp_path / "reef_fish_rows.csv"
    part.write_bytes(b"".join(open(src, "rb").readlines()[:301]))
    s = validate(part, tmp_path / "out", CHECK_DATE)
    assert s["columns_mapped"]["Site"] == "verbatimLocality" and s["columns_mapped"]["Species"] == "scientificName"
    assert s["profile"] == "occurrence" and s["table"] == "occurrence"
    assert {"COORD_MISSING", "DATE_MISSING"} <= set(s["file_findings"]) and s["verdict"] == "fix_first"
    # where the points and dates probably are: the site table, joined by the column naming the sites
    assert s["site_file_hint"] == "Site" and not s["event_file_hint"]
    assert "names its survey sites (column “Site”)" in (tmp_path / "out" / "report_en.html").read_text(encoding="utf-8")
    assert "以「Site」記載調查樣區" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    # equal rows of one transect are often one fish each (no count column): the fix says how to tell
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    dup = ann[ann["dq_warnings"].str.contains("DUP_RECORD")]
    assert len(dup) and dup["dq_suggestions_en"].str.contains("if each row is one individual, fill in individualCount").all()
    assert dup["dq_suggestions"].str.contains("若每列是一隻個體").all()


def test_bbs_detections_alike_but_for_their_ids_are_told_apart_from_copies(tmp_path):
    """Real BBS Taiwan occurrence rows (tests/fixtures slice): a visit's detections of one species,
    count 1 each, every one with its own occurrenceID (the distance band and minute that tell them
    apart were not exported). They stay possible duplicates, every row of the group, but the fix says
    what makes them so: only the ID differs (not "identical rows without a count", not the bare
    "check whether they are one")."""
    from conftest import FIX
    src = FIX / "bbs_occurrence_slice.parquet"
    s = validate(src, tmp_path / "out", CHECK_DATE)
    in_groups = duckdb.sql(f"""SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM read_parquet('{src}')
        GROUP BY eventID, scientificName, vernacularName, individualCount, recordedBy, occurrenceRemarks HAVING count(*) > 1)""").fetchone()[0]
    assert in_groups > 0 and s["checks"]["DUP_RECORD"]["count"] == in_groups
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    dup = ann[ann["dq_warnings"].str.contains("DUP_RECORD")]
    assert dup["dq_suggestions_en"].str.contains("differ only in their occurrenceID").all()
    assert dup["dq_suggestions"].str.contains("只有紀錄編號不同").all()
    assert not dup["dq_suggestions_en"].str.contains("without a count").any()


def test_bbs_species_list_is_a_crosswalk_not_a_list_of_duplicates(tmp_path):
    """BBS Taiwan's species list (../shared/data/checklists) maps the names surveyors wrote (species_ori:
    水鴨, 鴨子, XX雁鴨 …) to standard ones, so a species is on many rows on purpose: 438 of its 1,296
    rows were "listed more than once". Its "type" column (key_in_error, species split) is no dc:type,
    and "(Domestic type)" after a name is no author."""
    s = validate(SHARED_DATA / "checklists" / "bbs_species_list_v0.csv", tmp_path / "out", CHECK_DATE)
    assert s["profile"] == "checklist" and s["columns_mapped"]["species_ori"] == "verbatimIdentification"
    assert "DUP_TAXON_LISTED" not in s["checks"] and "type" not in s["columns_mapped"]
    assert s["bdq"].get("VALIDATION_DCTYPE_STANDARD", {}).get("NOT_COMPLIANT", 0) == 0
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    domestic = ann[ann["scientificName"].str.contains("(Domestic type)", regex=False)]
    assert len(domestic) and not domestic["dq_warnings"].str.contains("TAXON_AUTHORSHIP_IN_NAME").any()
    # an "A/B sp." aggregate keeps both names when its qualifier goes, and "NA" (沒有鳥: surveyed, no bird seen) is not
    # called a point not surveyed (a review of the real files)
    agg = ann[ann["scientificName"] == "Accipitriformes/Falconiformes sp."].iloc[0]
    assert "學名欄只填 Accipitriformes/Falconiformes，" in agg["dq_suggestions"], agg["dq_suggestions"]
    assert "Put only Accipitriformes/Falconiformes in the name" in agg["dq_suggestions_en"]
    na = ann[(ann["scientificName"] == "NA") & (ann["species_ori"] == "沒有鳥")].iloc[0]
    assert "調查了但沒有發現" in na["dq_suggestions"] and "surveyed with nothing found" in na["dq_suggestions_en"]


def test_a_visit_with_nothing_recorded_is_told_so(tmp_path):
    """BBS Taiwan's occurrence export (../shared/data): 1,651 rows of a survey visit name no bird and
    count none, 45 of them remarked 沒有鳥 ("no birds"). Still an error (an occurrence without a taxon),
    but the fix says what they most likely are and where they belong, instead of "add the name"."""
    src = SHARED_DATA / "occurrence" / "bbs_occurrence.parquet"
    rows = tmp_path / "bbs_rows.parquet"
    duckdb.sql(f"""COPY (SELECT * FROM read_parquet('{src}') WHERE occurrenceRemarks LIKE '%沒有鳥%'
                   UNION ALL (SELECT * FROM read_parquet('{src}') WHERE scientificName IS NOT NULL ORDER BY occurrenceID LIMIT 5))
                   TO '{rows}' (FORMAT parquet)""")
    validate(rows, tmp_path / "out", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    none = ann["scientificName"] == ""
    assert none.sum() >= 40 and ann.loc[none, "dq_errors"].str.contains("TAXON_NAME_MISSING").all()
    assert ann.loc[none, "dq_suggestions_en"].str.contains("surveyed, nothing recorded").all()
    assert ann.loc[none, "dq_suggestions"].str.contains("調查了、沒有記錄到").all()
    assert not ann.loc[~none, "dq_errors"].str.contains("TAXON_NAME_MISSING").any()


def test_taicol_export_authors_html_escaped(tmp_path):
    """TaiCOL's 2022 amphibian export (real, ../shared/data/checklists) writes 11 of its 43 authors
    HTML-escaped ("Matsui &amp; Tominaga, 2020"): each is one TEXT_HTML_ENTITY warning whose fix is the
    author as it should read; the rest, and the line of spaces closing the file (rejected as blank), are not."""
    s = validate(SHARED_DATA / "checklists" / "taicol_amphibia_20220605.csv", tmp_path / "out", CHECK_DATE)
    assert s["rows_read"] == 44 and s["rows_checked"] == 43 and s["rows_rejected_blank"] == 1
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    hit = ann[ann["dq_warnings"].str.contains("TEXT_HTML_ENTITY")]
    assert len(hit) == 11 and hit["author"].str.contains("&amp;", regex=False).all()
    assert not ann.loc[~ann.index.isin(hit.index), "author"].str.contains("&amp;", regex=False).any()
    row = hit[hit["name"] == "Buergeria choui"].iloc[0]
    assert row["dq_suggestions_en"] == "Should read: scientificNameAuthorship=Matsui & Tominaga, 2020"
    assert row["dq_suggestions"] == "改為：scientificNameAuthorship=Matsui & Tominaga, 2020"
    # the encoding as people name it, not Python's codec name (the report said "encoding utf-8-sig")
    assert "encoding UTF-8 (with a byte-order mark)" in (tmp_path / "out" / "report_en.html").read_text(encoding="utf-8")
    assert "編碼 UTF-8（含 BOM）" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


# GBIF's SIMPLE_CSV download, its columns in order (tab-separated)
GBIF_SIMPLE = ["gbifID", "datasetKey", "occurrenceID", "kingdom", "phylum", "class", "order", "family", "genus", "species",
               "infraspecificEpithet", "taxonRank", "scientificName", "verbatimScientificName", "verbatimScientificNameAuthorship",
               "countryCode", "locality", "stateProvince", "occurrenceStatus", "individualCount", "publishingOrgKey",
               "decimalLatitude", "decimalLongitude", "coordinateUncertaintyInMeters", "coordinatePrecision", "elevation",
               "elevationAccuracy", "depth", "depthAccuracy", "eventDate", "day", "month", "year", "taxonKey", "speciesKey",
               "basisOfRecord", "institutionCode", "collectionCode", "catalogNumber", "recordNumber", "identifiedBy",
               "dateIdentified", "license", "rightsHolder", "recordedBy", "typeStatus", "establishmentMeans", "lastInterpreted",
               "mediaType", "issue"]


def test_gbif_download_of_bbs_rows_is_judged_by_darwin_core(tmp_path):
    """CONSTRUCTED: 300 real BBS Taiwan rows written as a GBIF download writes them (its column layout, its
    enumerations HUMAN_OBSERVATION, PRESENT, SPECIES, CC_BY_NC_4_0, a timestamp for the date, the name with its
    authorship: TaiCOL's author of the species' nominate subspecies). Before, every row was an error
    ("basisOfRecord not in vocabulary": GBIF's form of HumanObservation) and the 179 whose author is known read
    "authorship in name", which Darwin Core's scientificName asks for."""
    from dq.demo import bbs_joined
    from dq.paths import REFERENCE
    src = bbs_joined(tmp_path / "bbs.parquet", limit=15_000)
    out = tmp_path / "constructed_gbif_simple_bbs.csv"
    cols = {c: "NULL" for c in GBIF_SIMPLE}
    cols.update({"gbifID": "(1000000000 + row_number() OVER ())::VARCHAR", "datasetKey": "'constructed-test-dataset'",
                 "occurrenceID": "o.occurrenceID", "kingdom": "'Animalia'", "phylum": "'Chordata'", "class": "'Aves'",
                 "family": "o.family", "genus": "o.genus", "species": "o.scientificName", "taxonRank": "'SPECIES'",
                 "scientificName": "trim(o.scientificName || ' ' || coalesce(c1.author, c2.author, ''))",
                 "verbatimScientificName": "o.scientificName", "countryCode": "'TW'", "locality": "o.locality",
                 "occurrenceStatus": "'PRESENT'", "individualCount": "o.individualCount", "decimalLatitude": "o.decimalLatitude",
                 "decimalLongitude": "o.decimalLongitude", "coordinateUncertaintyInMeters": "o.coordinateUncertaintyInMeters",
                 "eventDate": "strftime(o.eventDate, '%Y-%m-%dT%H:%M:%S')", "day": "day(o.eventDate)",
                 "month": "month(o.eventDate)", "year": "year(o.eventDate)", "basisOfRecord": "'HUMAN_OBSERVATION'",
                 "license": "'CC_BY_NC_4_0'", "recordedBy": "o.recordedBy", "lastInterpreted": "'2026-11-30T10:00:00.000Z'",
                 "issue": "'GEODETIC_DATUM_ASSUMED_WGS84;CONTINENT_DERIVED_FROM_COORDINATES'"})
    con = duckdb.connect()
    # the species' own name or its nominate subspecies' (two equality joins: an IN list as the join
    # condition is a nested loop over the checklist, 17 of this test's 19 s)
    con.execute(f"""CREATE TABLE a AS SELECT name, any_value(author) AS author FROM read_parquet('{REFERENCE / "checklist.parquet"}') GROUP BY 1""")
    con.execute(f"""COPY (SELECT {', '.join(f'{v} AS "{k}"' for k, v in cols.items())}
        FROM (SELECT * FROM read_parquet('{src}') WHERE decimalLatitude IS NOT NULL USING SAMPLE 300 ROWS (reservoir, 7)) o
          LEFT JOIN (SELECT name, author FROM a) c1 ON c1.name = o.scientificName
          LEFT JOIN (SELECT name, author FROM a) c2 ON c2.name = o.scientificName || ' ' || split_part(o.scientificName, ' ', 2)
        ) TO '{out}' (HEADER, DELIMITER '\t')""")
    s = validate(out, tmp_path / "out", CHECK_DATE)
    assert s["profile"] == "occurrence" and s["rows_read"] == s["rows_checked"] == 300
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    authored = ann["scientificName"].str.contains(r"\d{4}")
    assert authored.sum() > 100                       # the names carry their authorship, as GBIF writes them
    said = ann["dq_errors"] + ";" + ann["dq_warnings"] + ";" + ann["dq_notes"]
    assert not said.str.contains("VOCAB_BASIS_OF_RECORD|TAXON_AUTHORSHIP_IN_NAME|COORD_INSTITUTION|DATE_").any()
    assert s["rows_with_errors"] == 0
    assert (ann["dq_accepted_name"] != "").mean() > 0.9
    # BDQ judges by its own letter: GBIF's enumeration is not the Darwin Core term, amended to it
    assert ann["dq_bdq_not_compliant"].str.contains("VALIDATION_BASISOFRECORD_STANDARD").all()
    assert ann["dq_bdq_amendments"].str.contains('"dwc:basisOfRecord":"HumanObservation"', regex=False).all()


def test_an_old_genus_is_offered_the_checklists_species_of_its_epithet(tmp_path):
    """Constructed rows (real names, no real records): names written before a genus was split (Rana latouchii,
    TaiCOL's Hylarana latouchii; Rana swinhoana, its Odorrana swinhoana) are not in the checklist, and the
    suggestion names the checklist's species of the same family with that epithet; none where the epithet's
    species are of another family (Hyla sauteri: Rana sauteri is a ranid, Hyla a hylid; roseus names birds of
    other families than a flamingo's) or the genus is not held (Rhacophorus: its family is unknown here)."""
    src = tmp_path / "constructed_old_genera.csv"
    src.write_text("scientificName,decimalLatitude,decimalLongitude,eventDate\n"
                   "Rana latouchii,24.1234,121.2345,2020-01-02\nRana swinhoana,24.1234,121.2345,2020-01-02\n"
                   "Hyla sauteri,24.1234,121.2345,2020-01-02\nPhoenicopterus roseus,24.1234,121.2345,2020-01-02\n"
                   "Rhacophorus prasinatus,24.1234,121.2345,2020-01-02\nRana sauteri,24.1234,121.2345,2020-01-02\n", encoding="utf-8")
    validate(src, tmp_path / "out", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False).set_index("scientificName")
    hint = ann["dq_suggestions_en"].str.extract(r"Checklist names with the same epithet: ([^;]+?) \(the genus may have changed\)")[0]
    assert {k: v if isinstance(v, str) else None for k, v in hint.items()} == {"Rana latouchii": "Hylarana latouchii", "Rana swinhoana": "Odorrana swinhoana", "Hyla sauteri": None,
                              "Phoenicopterus roseus": None, "Rhacophorus prasinatus": None, "Rana sauteri": None}, hint
    assert ann.loc["Rana latouchii", "dq_warnings"].count("TAXON_UNMATCHED") == 1
    assert "名錄中同種小名的學名：Hylarana latouchii（屬名可能已更動）" in ann.loc["Rana latouchii", "dq_suggestions"]
    assert "TAXON_UNMATCHED" not in ann.loc["Rana sauteri", "dq_warnings"]


def test_a_point_far_from_its_locationids_other_events_is_flagged(tmp_path):
    """BBS Taiwan's real events (rows unchanged) at four of its points: A27-28_01's longitude had its first
    decimal slipped in 2015 (121.2325778 for 120.232578); A05-19_01 has 13 events (one a parent, not judged) at a point 230 km from its
    29 others; A39-04_01 has no point half its events share (12, 12 and 1: none is flagged, none is right);
    A27-01_05 has events without a point, told the point its other events give."""
    src = SHARED_DATA / "occurrence" / "bbs_event.parquet"
    part = tmp_path / "bbs_event_four_points.parquet"
    duckdb.sql(f"""COPY (SELECT * FROM read_parquet('{src}') WHERE locationID IN ('A27-28_01', 'A05-19_01', 'A39-04_01', 'A27-01_05'))
                   TO '{part}' (FORMAT parquet)""")
    s = validate(part, tmp_path / "out", CHECK_DATE)
    assert s["profile"] == "event"
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    far = ann["dq_warnings"].str.contains("COORD_LOCATION_FAR")
    slipped = ann["decimalLongitude"].str.startswith("121.23")
    at = lambda loc: ann["locationID"] == loc     # noqa: E731
    # the parent events of a visit (named as others' parentEventID) carry their children's point: not judged
    parent = ann["eventID"].isin(set(ann["parentEventID"]))
    assert far[at("A27-28_01") & slipped & ~parent].all() and (slipped & at("A27-28_01") & ~parent).sum() == 19
    assert not far[parent].any()
    assert not far[at("A27-28_01") & ann["decimalLongitude"].str.startswith("120.2325")].any()
    fix = ann.loc[at("A27-28_01") & slipped & ~parent, "dq_suggestions"].iloc[0]
    assert "地點編號 A27-28_01" in fix and "中位點在 23.79083, 120.23258" in fix and "相距 101." in fix, fix
    en = ann.loc[at("A27-28_01") & slipped & ~parent, "dq_suggestions_en"].iloc[0]
    assert "locationID A27-28_01 centre on 23.79083, 120.23258; this one is 101." in en, en
    assert far[at("A05-19_01")].sum() == 12 and not far[at("A05-19_01") & ann["decimalLatitude"].str.startswith("24.82")].any()
    assert not far[at("A39-04_01")].any()
    missing = ann["dq_errors"].str.contains("COORD_MISSING") & at("A27-01_05")
    assert missing.any()
    assert ann.loc[missing, "dq_suggestions"].str.contains("地點編號 A27-01_05 的 ").all()
    assert s["checks"]["COORD_LOCATION_FAR"]["count"] == int(far.sum())


def test_a_synonym_the_list_names_as_another_taxon_is_not_merged_with_it(tmp_path):
    """TaiBON's vascular plant name list, four real rows (unchanged): 田代氏澤蘭 Eupatorium clematideum, native, is a
    synonym of the invasive 貓腥草 Praxelis clematidea in TaiCOL, but its Chinese name is another taxon's there, so the
    list keeps a taxon apart: no "make them one row" beside 貓腥草 and no "listed as introduced" (a review: a native
    plant merged with an invasive one). 擬馬偕花 Asystasiella chinensis, whose Chinese name TaiCOL gives its accepted
    Asystasiella neesiana (尼氏擬馬偕花), is one species listed twice."""
    lines = (SHARED_DATA / "checklists" / "twnamelist.csv").read_text(encoding="utf-8").splitlines()
    keep = [ln for ln in lines if ln.split("|")[0] in ("3613", "3697", "3327", "3328")]
    assert len(keep) == 4
    src = tmp_path / "twnamelist_four_rows.csv"
    src.write_text("\n".join(keep) + "\n", encoding="utf-8")
    s = validate(src, tmp_path / "out", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False, header=0)
    by = {r["dq_row"]: r for r in ann.to_dict("records")}
    eup = next(r for r in by.values() if "Eupatorium clematideum" in " ".join(map(str, r.values())))
    assert "DUP_TAXON_LISTED" not in eup["dq_warnings"] and "TAXON_ESTABLISHMENT_DISAGREES" not in eup["dq_warnings"]
    assert "TAXON_VERNACULAR_MISMATCH" in eup["dq_warnings"] and "TAXON_SYNONYM" in eup["dq_notes"] + eup["dq_warnings"]
    assert s["checks"]["DUP_TAXON_LISTED"]["count"] == 2      # the two Asystasiella rows
