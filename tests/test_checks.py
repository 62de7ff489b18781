"""Every check: constructed rows (real point, real names; one thing changed) that must trigger
it, and rows that must not. The `expect` column of the fixture is the spec."""
import re

import pandas as pd
import pytest

from dq import profiles, standard
from dq.checks import catalogue
from dq.validate import validate

from conftest import CHECK_DATE, flagged

# the constructed file holds 生態檢核-only columns (selfProduced), so it is judged as eco-check;
# the occurrence profile's own checks are tested in test_profiles.py
# Row-shape checks need rows of another width than the header, which the fixture's expect
# column (the last cell) cannot describe: tests/test_readers.py::test_row_shape_checks has them.
# A repeated header, a totals row or notes below the table: tests/test_readers.py has those too.
ROW_SHAPE = {"ROW_CELLS_MISSING", "ROW_CELLS_EXTRA", "ROW_REPEATED_HEADER", "ROW_TOTALS", "ROW_BELOW_TABLE"}
OCC_CHECKS = [c for c in profiles.by_id()[profiles.ECO_CHECK].checks() if standard.OCCURRENCE in c.tables and c.id not in ROW_SHAPE]


def test_constructed_file_is_judged_as_eco_check(constructed):
    _, summary, _ = constructed
    assert summary["profile"] == profiles.ECO_CHECK and summary["profile_how"] == "inferred"


@pytest.mark.parametrize("check", OCC_CHECKS, ids=lambda c: c.id)
def test_check_triggers_exactly_on_expected_rows(constructed, check):
    ann, _, _ = constructed
    got = flagged(ann)
    expected_rows = [r for r, exp in zip(ann["dq_row"], ann["expect"]) if check.id in exp.split(";")]
    flagged_rows = [r for r, g in zip(ann["dq_row"], got) if check.id in g]
    assert expected_rows, f"{check.id} has no constructed row that must trigger it"
    assert flagged_rows == expected_rows
    assert len(flagged_rows) < len(ann), f"{check.id} fired on every row"


def test_each_row_raises_exactly_its_expected_checks(constructed):
    ann, _, _ = constructed
    for row, note, exp, got in zip(ann["dq_row"], ann["note"], ann["expect"], flagged(ann)):
        assert got == set(x for x in exp.split(";") if x), f"row {row} ({note})"


def test_amendments_move_the_derived_point_not_the_verbatim(constructed):
    ann, _, _ = constructed
    by_note = {n.split(": ", 1)[1]: r for n, r in zip(ann["note"], ann.to_dict("records"))}
    sw = by_note["lat and lon swapped"]
    assert (float(sw["dq_lat"]), float(sw["dq_lon"])) == (25.111267, 121.816298)
    assert sw["verbatimLatitude"] == "121.816298"
    tw = by_note["TWD97 metres labelled WGS84"]
    assert abs(float(tw["dq_lat"]) - 25.111267) < 1e-5 and abs(float(tw["dq_lon"]) - 121.816298) < 1e-5
    assert tw["dq_county"] == "新北市" and tw["dq_town"] == "瑞芳區"
    assert "TWD97/121" in tw["dq_suggestions"]
    roc = by_note["ROC year with slashes"]
    assert "2015-04-12" in roc["dq_suggestions"]
    # BBS's 244711.85 / 1214046.97 at 大礁溪 (宜蘭) reads as degrees-minutes-seconds run together (24°47'11.85",
    # 121°40'46.97" is 大礁溪), offered first; the lost decimal point (24.471185, 121.404697: 大同鄉, in the mountains) second
    lost = by_note["lost decimal point (real BBS fault)"]
    assert lost["dq_suggestions"].index("24.786625") < lost["dq_suggestions"].index("24.471185")
    assert "121.679714" in lost["dq_suggestions"] and "Degrees, minutes and seconds run together" in lost["dq_suggestions_en"]
    assert "Pycnonotus sinensis" in by_note["misspelt name"]["dq_suggestions"]
    assert "Pinus taiwanensis" in by_note["plant synonym"]["dq_suggestions"]
    assert "Yungipicus canicapillus" in by_note["old genus (renamed bird)"]["dq_suggestions"]


def test_county_names_are_normalised(constructed):
    ann, _, _ = constructed
    assert set(ann["dq_county"]) - {""} <= {"新北市", "南投縣", "臺中市", "臺北市", "嘉義市"}


def _write(path, header, rows):
    import csv
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def _validated(tmp_path, name, header, rows, index=None):
    """CONSTRUCTED TEST ROWS written as `name`.csv and validated: (summary, annotated.csv as text, indexed by `index`)."""
    _write(tmp_path / f"{name}.csv", header, rows)
    s = validate(tmp_path / f"{name}.csv", tmp_path / name, CHECK_DATE)
    ann = pd.read_csv(tmp_path / name / "annotated.csv", dtype=str, keep_default_na=False)
    return s, (ann.set_index(index) if index else ann)


def test_project_table_mandatory_fields(tmp_path):
    """CONSTRUCTED TEST ROWS in the 工程基本資料 layout (Chinese headers)."""
    header = [zh for _, zh, _ in standard.FIELDS[standard.PROJECT]]
    full = ["P-001", "測試工程", "經濟部水利署", "測試廠商", "生態檢核", "新北市瑞芳區",
            '{"type": "Point", "coordinates": [121.816298, 25.111267]}', "121.816298", "25.111267", "WGS84",
            "1000000", "50000", "防洪", "水利", "護岸改善", "降低衝擊", "迴避重要棲息地", "設計", "", "20240101", "20241231"]
    missing_type = list(full)
    missing_type[header.index("工程類型")] = ""
    _write(tmp_path / "project.csv", header, [full, missing_type])
    s = validate(tmp_path / "project.csv", tmp_path / "out", CHECK_DATE)
    assert s["table"] == standard.PROJECT
    assert s["checks"]["MISSING_engineeringType"]["count"] == 1
    assert not any(k.startswith("TAXON_") or k.startswith("DATE_") for k in s["checks"])


def test_species_list_mandatory_fields(tmp_path):
    """CONSTRUCTED TEST ROWS in the 生物名錄 layout."""
    header = ["工程編號", "科名", "中文名", "學名", "本案關注物種", "紀錄來源", "生態友善措施", "友善措施範圍"]
    area = '{"type": "Point", "coordinates": [121.816298, 25.111267]}'
    rows = [["P-001", "Pycnonotidae", "白頭翁", "Pycnonotus sinensis", "False", "測試報告", "", area],
            ["P-001", "", "臺灣竹雞", "Bambusicola sonorivox", "True", "測試報告", "", ""]]
    _write(tmp_path / "species.csv", header, rows)
    s = validate(tmp_path / "species.csv", tmp_path / "out", CHECK_DATE)
    assert s["table"] == standard.SPECIES_LIST
    assert s["checks"]["MISSING_family"]["count"] == 1
    assert s["checks"]["MISSING_ecoFriendlyArea"]["count"] == 1
    assert not any(k.startswith("COORD_") for k in s["checks"])


def test_catalogue_is_declared_once_with_texts():
    cs = catalogue()
    assert len({c.id for c in cs}) == len(cs)
    for c in cs:
        assert c.title_zh and c.title_en and c.explain_zh and c.explain_en and c.sql
    ids = {c.id for c in cs}
    for required in ["COORD_MISSING", "COORD_NOT_NUMERIC", "COORD_ZERO", "COORD_OUT_OF_RANGE", "COORD_EQUAL",
                     "COORD_SWAPPED", "COORD_NEGATED", "COORD_PROJECTED_AS_DEGREES", "COORD_SRS_UNKNOWN",
                     "COORD_OUTSIDE_TAIWAN", "COORD_IN_SEA", "COORD_COUNTY_CENTROID", "COORD_TOWN_CENTROID",
                     "COORD_INSTITUTION", "COORD_LOW_PRECISION", "COORD_UNCERTAINTY_MISSING",
                     "COORD_UNCERTAINTY_LARGE", "COORD_COUNTY_MISMATCH", "TAXON_NAME_MISSING", "TAXON_UNMATCHED",
                     "TAXON_FUZZY", "TAXON_SYNONYM", "TAXON_RANK_ABOVE_SPECIES", "TAXON_QUALIFIER_IN_NAME",
                     "TAXON_AUTHORSHIP_IN_NAME", "TAXON_VERNACULAR_MISMATCH", "DATE_MISSING", "DATE_INVALID",
                     "DATE_FUTURE", "DATE_TOO_OLD", "DATE_ROC_YEAR", "VOCAB_BASIS_OF_RECORD", "VOCAB_QUANTITY",
                     "VOCAB_QUANTITY_TYPE_MISSING", "VOCAB_SELF_PRODUCED", "DUP_OCCURRENCE_ID", "DUP_RECORD"]:
        assert required in ids
    for term, _ in standard.mandatory(standard.OCCURRENCE):
        assert f"MISSING_{term}" in ids


HAN = __import__("re").compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def test_every_fix_has_an_english_text_without_chinese():
    """A check with a fix declares it in both languages; the English one adds no Chinese of its
    own (data values such as a county or a vernacular name may still be Chinese at run time)."""
    from dq.checks import catalogue
    for c in catalogue():
        assert (c.fix is None) == (c.fix_en is None), c.id
        if c.fix_en:
            assert not HAN.search(c.fix_en), f"{c.id}: {c.fix_en}"


def test_english_suggestions_follow_the_chinese_ones(constructed):
    """Every row with a zh-TW suggestion has one in English too, saying the same values in English words."""
    ann, _, _ = constructed
    by_note = {n.split(": ", 1)[1]: r for n, r in zip(ann["note"], ann.to_dict("records"))}
    for zh, en in zip(ann["dq_suggestions"], ann["dq_suggestions_en"]):
        assert pd.isna(zh) == pd.isna(en)
    sw = by_note["lat and lon swapped"]["dq_suggestions_en"]
    assert "Swap them: latitude 25.111267, longitude 121.816298" in sw and not HAN.search(sw)
    assert "TWD97/121" in by_note["TWD97 metres labelled WGS84"]["dq_suggestions_en"]
    assert "2015-04-12" in by_note["ROC year with slashes"]["dq_suggestions_en"]
    assert "Decimal point misplaced? Latitude 24.471185" in by_note["lost decimal point (real BBS fault)"]["dq_suggestions_en"]
    assert "Did you mean Pycnonotus sinensis?" in by_note["misspelt name"]["dq_suggestions_en"]
    assert "Accepted name: Pinus taiwanensis" in by_note["plant synonym"]["dq_suggestions_en"]
    # the places and institutions the checks found are named in English (the page's County column was
    # "Hsinchu City" beside a suggestion saying "the point is in 新竹市")
    assert "The locality says Taichung City, the point is in New Taipei City" in by_note["locality names 臺中市"]["dq_suggestions_en"]
    assert "The locality says Chiayi County / Chiayi City, the point is in New Taipei City" in \
        by_note["bare Chiayi: county or city, neither here"]["dq_suggestions_en"]
    museum = by_note["a specimen at the natural science museum"]
    assert "m from National Museum of Natural Science: if it was seen or heard there, give basisOfRecord HumanObservation" in museum["dq_suggestions_en"]
    assert "國立自然科學博物館" in museum["dq_suggestions"]
    # a point abroad says how far out it is (it had no suggestion at all)
    tokyo = by_note["Tokyo"]
    assert re.search(r"About 2,0\d\d km from Taiwan's land: check the point", tokyo["dq_suggestions_en"]), tokyo["dq_suggestions_en"]
    assert re.search(r"距臺灣陸地約 2,0\d\d 公里", tokyo["dq_suggestions"]), tokyo["dq_suggestions"]
    for n in ("locality names 臺中市", "bare Chiayi: county or city, neither here", "a specimen at the natural science museum", "Tokyo"):
        assert not HAN.search(by_note[n]["dq_suggestions_en"]), by_note[n]["dq_suggestions_en"]


def test_r_escapes_are_read_back():
    import duckdb
    from dq.checks import unescape_r
    got = duckdb.sql(f"""SELECT {unescape_r('v')} FROM (VALUES ('小<U+9E0A><U+9DC9>'), ('埃及聖<U+4D09>'), ('白頭翁'),
                       ('<U+zz> kept'), (NULL)) t(v)""").fetchall()
    assert [r[0] for r in got] == ["小鸊鷉", "埃及聖䴉", "白頭翁", "<U+zz> kept", None]
    # an escape naming no character (a surrogate, beyond U+10FFFF, U+0000) is left as written: DuckDB's chr()
    # raised on it, and one such cell stopped a whole file ("Invalid UTF8 Codepoint 55296")
    got = duckdb.execute(f"SELECT {unescape_r('v')} FROM (SELECT unnest(?::VARCHAR[]) AS v)",
                         [["虎皮<U+D800>蛙", "<U+110000>", "<U+0000>", "<U+FFFFFFFFF>"]]).fetchall()
    assert [r[0] for r in got] == ["虎皮<U+D800>蛙", "<U+110000>", "<U+0000>", "<U+FFFFFFFFF>"]
    # the regex that says which escapes the fix decodes agrees with the decoding, R's 8-digit form included
    from dq.checks.vocabulary import R_DECODABLE_RX
    forms = ["林<U+00020B9F>明", "<U+0000>", "<U+41>", "<U+0000E9>", "<U+D800>", "<U+DFFF>", "<U+E000>", "<U+110000>",
             "<U+10FFFF>", "<U+0001>", "<U+001F>", "<U+0020>", "小<U+9E0A><U+9DC9>", "<U+zz>",
             # DEL and the C1 controls name no character a text should hold (<U+0096>: mis-decoded Windows-1252)
             "<U+007E>", "<U+007F>", "<U+0080>", "1998<U+0096>2001", "<U+9F>", "<U+00A0>", "<U+00FF>", "<U+0100>",
             # tab and line ends are decoded (a fix may hold them); an escape never closed is no escape
             "x<U+0009>y", "<U+000a>", "<U+D>", "<U+000B>", "<U+41", "小<U+9E0A><U+9DC9"]
    got = duckdb.execute(f"""SELECT v, {unescape_r('v')} <> v, regexp_matches(v, '{R_DECODABLE_RX}')
                             FROM (SELECT unnest(?::VARCHAR[]) AS v)""", [forms]).fetchall()
    assert all(changed == matched for _, changed, matched in got), [g for g in got if g[1] != g[2]]
    changed = dict((v, c) for v, c, _ in got)
    assert changed["林<U+00020B9F>明"] and changed["<U+007E>"] and changed["<U+00A0>"] and changed["<U+0100>"]
    assert not any(changed[v] for v in ("<U+0001>", "<U+007F>", "<U+0080>", "1998<U+0096>2001", "<U+9F>", "<U+000B>", "<U+41"))
    assert changed["x<U+0009>y"] and changed["<U+000a>"] and changed["<U+D>"]
    got = duckdb.execute(f"SELECT {unescape_r('v')} FROM (SELECT unnest(?::VARCHAR[]) AS v)", [["小<U+9E0A><U+9DC9", "<U+41"]]).fetchall()
    assert [r[0] for r in got] == ["小鸊<U+9DC9", "<U+41"]


def test_html_escapes_are_read_back():
    import duckdb
    from dq.checks import HTML_ENTITY_RX, unescape_html
    cases = {"Matsui &amp; Tominaga, 2020": ("Matsui & Tominaga, 2020", True), "O&#39;Shea": ("O'Shea", True),
             "a &#x4E2D; b": ("a 中 b", True), "&amp;lt;b&amp;gt;": ("&lt;b&gt;", True),    # one level, as a browser
             "&lt;i&gt;Rana&lt;/i&gt;": ("<i>Rana</i>", True), "x&nbsp;y": ("x\u00a0y", True),
             "&#55296; &#x110000;": ("&#55296; &#x110000;", True),     # no character: left, never an error
             "AT&T; Matsui & Tominaga": ("AT&T; Matsui & Tominaga", False), "&#;": ("&#;", False), "plain": ("plain", False),
             # a numeric escape of "&" starts no new escape either (it was read with what followed: "<b>")
             "&#38;lt;b&#x26;gt;": ("&lt;b&gt;", True), "&amp;amp;": ("&amp;", True), "&&amp;": ("&&", True),
             "x &#39": ("x &#39", False), "a&": ("a&", False), "&": ("&", False),
             # Windows-era text: &#150; and &#146; are read as a browser reads them (Windows-1252), not as controls
             "1998&#150;2001 O&#146;Brien": ("1998–2001 O’Brien", True), "1998&#x96;2001": ("1998–2001", True)}
    got = duckdb.execute(f"""SELECT v, {unescape_html('v')}, regexp_matches(v, '{HTML_ENTITY_RX}')
                             FROM (SELECT unnest(?::VARCHAR[]) AS v)""", [list(cases)]).fetchall()
    assert {v: (u, m) for v, u, m in got} == cases
    import html      # as a browser reads them, wherever a character is named (Python reads "&#39" without ";" too)
    assert all(u == html.unescape(v) for v, u, _ in got if ";" in v and "&#55296;" not in v), \
        [(v, u, html.unescape(v)) for v, u, _ in got if u != html.unescape(v)]


def test_a_control_character_never_stops_the_fix_list_workbook():
    """A review: a fix decoding &#1; (or a file's own stray control character) made openpyxl refuse the whole
    workbook. The decoding gives none now, and the workbook shows a raw one as the replacement character."""
    import io
    import openpyxl
    from dq import store
    df = pd.DataFrame({"values": ["habitat=\x01", "ok"], "n": [1, 2]})
    data, cut = store.fix_list_xlsx(df, "Fix list")
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws.title == "Fix list" and ws["A2"].value == "habitat=\ufffd" and ws["A3"].value == "ok" and not cut


def test_rule_texts_show_an_escape_as_written():
    """A review: the rule detail of TEXT_HTML_ENTITY read "such as &" (markdown decodes &amp;)."""
    from dq import ui
    assert ui.md_text("such as &amp;") == "such as \\&amp;"


def test_escape_codes_in_a_file_are_one_finding_each_and_stop_nothing(tmp_path):
    """CONSTRUCTED TEST ROWS: an HTML-escaped locality and recorder are one TEXT_HTML_ENTITY each with the
    text as it should read; a plain "&" is none; an R escape of a surrogate (<U+D800>) is TEXT_ESCAPED_UNICODE
    with the check's to-do (no 'should read' of the same text), and the file is judged, not stopped."""
    _write(tmp_path / "constructed_escapes.csv", ["scientificName", "locality", "recordedBy", "vernacularName",
                                                  "decimalLatitude", "decimalLongitude", "eventDate"],
           [["Hoplobatrachus rugulosus", "花蓮縣壽豐鄉 &amp; 鯉魚潭", "O&#39;Shea", "虎皮蛙", "23.911414", "121.594868", "2020-01-05"],
            ["Hoplobatrachus rugulosus", "花蓮縣壽豐鄉 & 鯉魚潭", "AT&T; Lin", "虎皮蛙", "23.911414", "121.594868", "2020-01-06"],
            ["Hoplobatrachus rugulosus", "花蓮縣壽豐鄉", "Lin", "虎皮<U+D800>蛙", "23.911414", "121.594868", "2020-01-07"],
            ["Hoplobatrachus rugulosus", "花蓮縣壽豐鄉 &#55296;", "Lin &#1; Chen", "虎皮蛙", "23.911414", "121.594868", "2020-01-08"]])
    s = validate(tmp_path / "constructed_escapes.csv", tmp_path / "out", CHECK_DATE)
    assert s["rows_read"] == s["rows_checked"] == 4
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False).set_index("dq_row")
    assert "TEXT_HTML_ENTITY" in ann.loc["1", "dq_warnings"]
    assert "locality=花蓮縣壽豐鄉 & 鯉魚潭" in ann.loc["1", "dq_suggestions_en"] and "recordedBy=O'Shea" in ann.loc["1", "dq_suggestions_en"]
    assert "TEXT_HTML_ENTITY" not in ann.loc["2", "dq_warnings"] + ann.loc["3", "dq_warnings"]
    assert "TEXT_ESCAPED_UNICODE" in ann.loc["3", "dq_warnings"]
    assert "Should read" not in ann.loc["3", "dq_suggestions_en"] and "original data" in ann.loc["3", "dq_suggestions_en"]
    # escapes naming no character a text may hold are flagged, and never "should read" the same text
    assert "TEXT_HTML_ENTITY" in ann.loc["4", "dq_warnings"] and "Should read" not in ann.loc["4", "dq_suggestions_en"]


def test_escaped_vernacular_is_one_finding_with_the_decoded_name(constructed):
    ann, _, _ = constructed
    row = ann[ann["vernacularName"] == "小<U+9E0A><U+9DC9>"].iloc[0]
    assert "vernacularName=小鸊鷉" in row["dq_suggestions"] and "vernacularName=小鸊鷉" in row["dq_suggestions_en"]
    assert "TAXON_VERNACULAR_MISMATCH" not in row["dq_warnings"]     # the same name once decoded


def test_occurrence_id_key_skips_trim_only_where_it_cannot_matter():
    """The occurrenceID key (#14, fifth round) calls trim() only on texts whose first character is
    no printable ASCII: the same keys as `trim(x) = ''` on every text, because every character
    DuckDB's trim() removes (the Unicode space separators) is a space or lies above U+009F."""
    import duckdb
    from dq.checks import duplicates
    okey = duplicates.DERIVATION.record_cols["okey"]
    plain = "CASE WHEN NOT (o.occurrenceID IS NULL OR trim(o.occurrenceID) = '') THEN hash(o.dataset_id, o.occurrenceID) END"
    con = duckdb.connect()
    chars = "SELECT chr(i::INTEGER) AS ch, i FROM range(1, 1114112) t(i) WHERE i NOT BETWEEN 55296 AND 57343"
    trimmed = [r[0] for r in con.execute(f"SELECT i FROM ({chars}) WHERE trim(ch) = '' ORDER BY i").fetchall()]
    assert 32 in trimmed and 12288 in trimmed and not [i for i in trimmed if 33 <= i <= 159]
    con.execute(f"""CREATE TABLE o AS SELECT 'd' AS dataset_id, x AS occurrenceID FROM (
        SELECT ch FROM ({chars}) WHERE i < 70000 OR i IN ({', '.join(map(str, trimmed))})) c,
        LATERAL (SELECT unnest([ch, ' ' || ch, ch || ' ', ch || ch, 'ID-' || ch, ch || chr(12288), '', '  ']) AS x)
        UNION ALL SELECT 'd', NULL""")
    n, differ, none = con.execute(f"""SELECT count(*), count(*) FILTER (WHERE ({okey}) IS DISTINCT FROM ({plain})),
        count(*) FILTER (WHERE ({okey}) IS NULL) FROM o""").fetchone()
    assert differ == 0 and n > 500_000
    assert none > 130_000     # '', spaces and NULL have no key


def test_establishment_fix_names_what_the_checklist_says(constructed):
    """The fix says what the checklist lists; a species matched through its subspecies is not
    called endemic for one endemic subspecies (Pycnonotus sinensis formosae)."""
    ann, _, _ = constructed
    by_note = {n.split(": ", 1)[1]: r for n, r in zip(ann["note"], ann.to_dict("records"))}
    bird = by_note["外來種 for a native bird"]
    assert "lists Pycnonotus sinensis as native" in bird["dq_suggestions_en"] and "endemic" not in bird["dq_suggestions_en"]
    assert "為原生種" in bird["dq_suggestions"] and "特有" not in bird["dq_suggestions"]
    plant = by_note["原生 for a plant the name list gives as naturalised under a synonym (大花咸豐草)"]
    assert "as introduced" in plant["dq_suggestions_en"]


def test_hybrid_formulas_are_told_from_nothospecies_and_epithets():
    """HYBRID_RX: two names joined by × or a lone x; not a nothospecies (the sign after the genus
    alone) nor an epithet that starts with x."""
    import duckdb
    from dq.taxonomy import HYBRID_RX
    cases = {"Pycnonotus taivanus x sinensis": True, "Pycnonotus taivanus × Pycnonotus sinensis": True,
             "Pycnonotus taivanus X P. sinensis": True, "Pycnonotus taivanus ×sinensis": True,
             "Platanus × acerifolia": False, "Mentha ×piperita": False, "Motacilla flava xanthophrys": False,
             "Pycnonotus sinensis": False, "Zosterops simplex": False}
    got = {n: duckdb.execute(f"SELECT regexp_matches(?, '{HYBRID_RX}')", [n]).fetchone()[0] for n in cases}
    assert got == cases


def test_roc_years_in_a_year_column(tmp_path):
    """CONSTRUCTED TEST ROWS (the amphibian survey's layout: 年 with ROC years 97-105, no date column). They
    were "implausibly old (before 1800)" on every row; now DATE_ROC_YEAR with the Gregorian year as the fix,
    and a header 民國年 is the year column. A Gregorian year is not one."""
    header = ["蛙種", "民國年", "月", "日", "經度", "緯度"]
    rows = [["小雨蛙", "97", "4", "12", "121.594868", "23.911414"],
            ["小雨蛙", "105", "", "", "121.594868", "23.911414"],
            ["小雨蛙", "2008", "4", "12", "121.594868", "23.911414"]]
    _write(tmp_path / "roc.csv", header, rows)
    s = validate(tmp_path / "roc.csv", tmp_path / "out", CHECK_DATE)
    assert s["checks"]["DATE_ROC_YEAR"]["count"] == 2 and "DATE_TOO_OLD" not in s["checks"]
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False).set_index("dq_row")
    assert ["DATE_ROC_YEAR" in ann.loc[r, "dq_errors"] for r in ("1", "2", "3")] == [True, True, False]
    assert "年份改為西元 2008 年" in ann.loc["1", "dq_suggestions"] and "2016 年" in ann.loc["2", "dq_suggestions"]
    assert "Write the year as 2016" in ann.loc["2", "dq_suggestions_en"]


def test_annotated_csv_opens_in_excel_and_a_misspelt_vernacular_gets_its_spelling(tmp_path):
    """CONSTRUCTED TEST ROWS in the amphibian survey's layout: annotated.csv starts with a UTF-8 byte-order
    mark (Excel on zh-TW Windows reads Big5 otherwise), also when its first heading must be quoted; a
    vernacular name one character from one species' is suggested (黑框蟾蜍 → 黑眶蟾蜍), a group written
    after a name (小雨蛙類) is not, and a blank vernacular name is still "scientific name missing"."""
    for first in ("蛙種", "備註, 其他"):
        extra = [first] if first != "蛙種" else []
        header = extra + ["蛙種", "經度", "緯度", "年"]
        rows = [[x] + r for r in ([["黑框蟾蜍", "121.594868", "23.911414", "2010"], ["小雨蛙類", "121.594868", "23.911414", "2010"],
                                   ["　", "121.594868", "23.911414", "2010"]]) for x in (["note"] if extra else [None])]
        rows = [r if extra else r[1:] for r in rows]
        _write(tmp_path / "v.csv", header, rows)
        out = tmp_path / f"out{len(first)}"
        s = validate(tmp_path / "v.csv", out, CHECK_DATE)
        assert (out / "annotated.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
        ann = pd.read_csv(out / "annotated.csv", dtype=str, keep_default_na=False).set_index("dq_row")
        assert ann.columns[0] == first
        assert "「黑眶蟾蜍」（Duttaphrynus melanostictus）" in ann.loc["1", "dq_suggestions"]
        assert "TAXON_VERNACULAR_UNKNOWN" in ann.loc["2", "dq_errors"] and "可能是" not in ann.loc["2", "dq_suggestions"]
        assert s["checks"]["TAXON_VERNACULAR_UNKNOWN"]["count"] == 2
        assert "TAXON_NAME_MISSING" in ann.loc["3", "dq_errors"] or "TAXON_NAME_MISSING" in s.get("file_findings", {})


def test_blank_rows_are_counted_once_and_every_flag_has_a_suggestion(tmp_path):
    """CONSTRUCTED TEST ROWS (a reading of real files): a workbook's blank row between records vanished (read 5,515
    of TaiCOL's 5,519-row plant sheet, none rejected); a CSV line of spaces was "kept" as a short row in the notes
    and rejected in the counts, and sat unmarked in annotated.csv; a flag whose check gives no suggestion of its
    own (every low-precision point) left the suggestion column empty where the report and fix lists give the
    check's to-do."""
    import openpyxl
    from dq.validate import validate
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["scientificName", "decimalLongitude", "decimalLatitude", "eventDate"])
    ws.append(["Pycnonotus sinensis", "121.6", "23.9", "2020-01-05"])
    ws.append([None, "  ", None, None])                 # blank between records: a row, to the ledger
    ws.append(["Passer montanus", "121.594868", "23.911414", "2020-01-05"])
    for r in (6, 7, 8):
        ws.cell(row=r, column=1).value = "   "          # the sheet's formatted end: no rows
    wb.save(tmp_path / "constructed_blank.xlsx")
    s = validate(tmp_path / "constructed_blank.xlsx", tmp_path / "x", CHECK_DATE)
    assert (s["rows_read"], s["rows_checked"], s["rows_rejected"], s["rows_rejected_blank"]) == (3, 2, 1, 1)
    assert s["verdict"] != "empty"
    (tmp_path / "c.csv").write_bytes(b"scientificName,decimalLongitude,decimalLatitude,eventDate\r"
                                     b"Pycnonotus sinensis,121.6,23.9,2020-01-05\r      \r"
                                     b"Passer montanus,121.594868,23.911414,2020-01-05\r\r\n\r\n")
    s = validate(tmp_path / "c.csv", tmp_path / "c", CHECK_DATE)
    assert (s["rows_read"], s["rows_checked"], s["rows_rejected"], s["rows_rejected_blank"]) == (3, 2, 1, 1)
    assert not any("fewer cells" in n for n in s["notes"]), s["notes"]
    # a row whose only cells lie right of the header is kept (a review: it was "every cell blank" in the ledger)
    (tmp_path / "o.csv").write_text("scientificName,remarks\nPasser montanus,CONSTRUCTED TEST ROW\n,,Pycnonotus sinensis\n", encoding="utf-8")
    o = validate(tmp_path / "o.csv", tmp_path / "o", CHECK_DATE)
    assert (o["rows_read"], o["rows_checked"], o["rows_rejected"]) == (2, 2, 0)
    for out in (tmp_path / "x", tmp_path / "c"):
        ann = pd.read_csv(out / "annotated.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig").set_index("dq_row")
        assert list(ann.index) == ["1", "2", "3"]
        assert ann.loc["2", "dq_suggestions_en"] == "Blank row: no data, not checked" and ann.loc["2", "dq_errors"] == ""
        flagged = ann[(ann["dq_errors"] != "") | (ann["dq_warnings"] != "")]
        assert "COORD_LOW_PRECISION" in flagged.loc["1", "dq_warnings"] + flagged.loc["1", "dq_errors"]
        assert (flagged["dq_suggestions"] != "").all() and (flagged["dq_suggestions_en"] != "").all()


def test_report_heads_columns_as_the_pages_do():
    """The zh-TW report named a frog sighting's eventDate 資料產生日期 and verbatimLocality 基地地點 (the 生態檢核
    works standard's names) on every kind of file; it heads columns as the pages do, from one function."""
    from dq.i18n import column_heading
    from dq.report import _field
    for term in ("eventDate", "verbatimLocality", "scientificName", "decimalLatitude", "source_row"):
        assert _field(term, "zh") == column_heading(term, "zh") and _field(term, "en") == column_heading(term, "en")
    assert _field("eventDate", "zh") == "調查日期" and _field("verbatimLocality", "zh") != "基地地點"


def test_date_parts_that_disagree_with_the_date(tmp_path):
    """CONSTRUCTED TEST ROWS: eventDate against the year, month and day columns (GBIF's RECORDED_DATE_MISMATCH).
    A column agrees when it names the date's year (or that year in ROC years), the month where the date
    names one month, the day where it names one day; an interval spans its years."""
    header = ["occurrenceID", "scientificName", "eventDate", "year", "month", "day", "decimalLatitude", "decimalLongitude"]
    cases = {  # id: (eventDate, year, month, day, disagrees)
        "year-off": ("2019-05-01", "2018", "5", "1", True), "all-agree": ("2019-05-01", "2019", "5", "1", False),
        "month-off": ("2019-05-01", "2019", "6", "1", True), "day-off": ("2019-05-01", "2019", "5", "2", True),
        "interval-two-months": ("2019-05-01/2019-06-30", "2019", "6", "", False),
        "month-only-date": ("2019-05", "2019", "5", "17", False), "year-only-date": ("2019", "2019", "8", "3", False),
        "roc-year-column": ("2023-05-01", "112", "5", "1", False), "interval-years": ("2019-05-01/2020-02-01", "2021", "", "", True),
        "no-date": ("", "2019", "5", "1", False), "with-time": ("2019-05-01T10:00", "2019", "05", "01", False)}
    rows = [[k, "Passer montanus", d, y, m, dd, "25.033", "121.565"] for k, (d, y, m, dd, _) in cases.items()]
    _write(tmp_path / "dates.csv", header, rows)
    validate(tmp_path / "dates.csv", tmp_path / "out", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False).set_index("occurrenceID")
    got = {k: "DATE_PARTS_DISAGREE" in ann.loc[k, "dq_warnings"] for k in cases}
    assert got == {k: v[4] for k, v in cases.items()}


def test_coordinates_in_degrees_minutes_and_seconds_are_read(tmp_path):
    """CONSTRUCTED TEST ROWS: real points of the frog file (五股區 25.1056 / 121.433; 烈嶼鄉 24.42337 / 118.225515)
    written as GPS units and forms write them. Every one was COORD_NOT_NUMERIC, unmapped (the file's county and
    sea findings vanished) and the mapping note said to rename the columns; now each is COORD_DMS with its
    decimal degrees, located, and a plain decimal point is not."""
    header = ["WGS84Lati", "WGS84Long", "year", "CommonName", "Date"]
    rows = [["25°06'20.2\"N", "121°25'58.8\"E", "2010", "新北市 五股區", "2010/4/9"],
            ["北緯25度06分20.2秒", "東經121度25分58.8秒", "2010", "新北市 五股區", "2010/4/9"],
            ["N24°25.4022'", "E118°13.5309'", "2020", "金門縣 烈嶼鄉", "2020/5/1"],
            ["24 25 24.1 N", "118 13 31.9 E", "2020", "金門縣 烈嶼鄉", "2020/5/1"],
            ["25.1056", "121.433", "2010", "新北市 五股區", "2010/4/9"]]
    _write(tmp_path / "dms.csv", header, rows)
    s = validate(tmp_path / "dms.csv", tmp_path / "out", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    assert list(ann["dq_county"]) == ["新北市", "新北市", "金門縣", "金門縣", "新北市"], ann[["dq_county", "dq_errors"]]
    assert ["COORD_DMS" in e for e in ann["dq_errors"]] == [True] * 4 + [False]
    assert not any("COORD_NOT_NUMERIC" in e for e in ann["dq_errors"])
    assert not any("COORD_LOW_PRECISION" in w for w in ann["dq_warnings"][:4])
    assert "latitude 25.105611, longitude 121.433000" in ann.loc[0, "dq_suggestions_en"]
    assert abs(float(ann.loc[2, "dq_lat"]) - 24.42337) < 1e-5 and abs(float(ann.loc[2, "dq_lon"]) - 118.225515) < 1e-5
    assert not s["columns_suspicious"], s["columns_suspicious"]
    # the same points in one verbatimCoordinates column (latitude first, as Darwin Core's examples): they were
    # "coordinates missing" on every row and a file-level "add decimalLatitude"
    _write(tmp_path / "vc.csv", ["occurrenceID", "scientificName", "eventDate", "verbatimCoordinates"],
           [["v1", "Polypedates megacephalus", "2010-04-09", "25°06'20.2\"N 121°25'58.8\"E"],
            ["v2", "Polypedates megacephalus", "2020-05-01", "24.42337, 118.225515"],
            ["v3", "Polypedates megacephalus", "2020-05-01", "N24°25.4022' E118°13.5309'"]])
    s = validate(tmp_path / "vc.csv", tmp_path / "vc", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "vc" / "annotated.csv", dtype=str, keep_default_na=False)
    assert list(ann["dq_county"]) == ["新北市", "金門縣", "金門縣"], ann[["dq_county", "dq_errors"]]
    assert ["COORD_DMS" in e for e in ann["dq_errors"]] == [True, False, True]
    assert "COORD_MISSING" not in s["file_findings"] and "COORD_MISSING" not in s["checks"]


def test_twd97_as_the_datum_of_degrees_is_no_mismatch(tmp_path):
    """CONSTRUCTED TEST ROWS (a browser walk's upload; the frog file's real point): geodeticDatum "TWD97" with decimal
    degrees names the datum, as Darwin Core asks (TWD97's geographic system, within a metre of WGS84), and was
    "SRS does not fit the values: set it to WGS84". A TM2 label (TWD97/121) with degrees still is a mismatch, and
    "TWD97" with metres is still TM2, converted."""
    _, ann = _validated(tmp_path, "datum", ["occurrenceID", "scientificName", "eventDate", "decimalLatitude", "decimalLongitude",
                                            "geodeticDatum"],
                        [["d1", "Polypedates megacephalus", "2010-04-09", "25.105600", "121.433000", "TWD97"],
                         ["d2", "Polypedates megacephalus", "2010-04-09", "25.105600", "121.433000", "TWD97/121"],
                         ["d3", "Polypedates megacephalus", "2010-04-09", "2777544", "293670", "TWD97"]], "occurrenceID")
    assert "COORD_SRS_MISMATCH" not in ann.loc["d1", "dq_warnings"] + ann.loc["d1", "dq_errors"]
    assert (ann.loc["d1", "dq_lat"], ann.loc["d1", "dq_lon"]) == ("25.1056", "121.433") and ann.loc["d1", "dq_county"] == "新北市"
    assert "COORD_SRS_MISMATCH" in ann.loc["d2", "dq_warnings"] + ann.loc["d2", "dq_errors"]
    assert "COORD_SRS_MISMATCH" not in ann.loc["d3", "dq_warnings"] + ann.loc["d3", "dq_errors"] and ann.loc["d3", "dq_county"] == "新北市"


def test_coordinate_texts_a_review_found_misread(tmp_path):
    """CONSTRUCTED TEST ROWS (the frog file's real points; from a review of the DMS change): two plain numbers in
    one cell ("25.1056 121.433", "24.5 30") were read as degrees and minutes, ~50 km off; verbatimCoordinates
    written east first, with a full-width comma, a slash, hemisphere letters after decimals, or TM2 metres
    were "coordinates missing"; a DMS point also swapped gave its fix twice; a file of DMS written with spaces
    was told to rename its columns."""
    _, ann = _validated(tmp_path, "plain", ["occurrenceID", "scientificName", "eventDate", "decimalLatitude", "decimalLongitude"],
                        [["p1", "Polypedates megacephalus", "2010-04-09", "25.1056 121.433", "121.433"],
                         ["p2", "Polypedates megacephalus", "2010-04-09", "24.5 30", "121.5 12"],
                         ["p3", "Polypedates megacephalus", "2010-04-09", "121°25'58.8\"", "25°06'20.2\""]], "occurrenceID")
    assert "COORD_NOT_NUMERIC" in ann.loc["p1", "dq_errors"] and "COORD_NOT_NUMERIC" in ann.loc["p2", "dq_errors"]
    assert "COORD_DMS" in ann.loc["p3", "dq_errors"] and "COORD_SWAPPED" in ann.loc["p3", "dq_errors"]
    assert ann.loc["p3", "dq_suggestions_en"].count("Swap them") == 1 and ann.loc["p3", "dq_county"] == "新北市"
    vc = ["東經121度25分58.8秒 北緯25度06分20.2秒", "E121°25'58.8\" N25°06'20.2\"", "北緯25度06分20.2秒，東經121度25分58.8秒",
          "25.1056 / 121.433", "25.1056N 121.433E", "121°25'58.8\"E 25°06'20.2\"N", "121.433, 25.1056"]
    _, ann = _validated(tmp_path, "vc", ["occurrenceID", "scientificName", "eventDate", "verbatimCoordinates"],
                        [[f"v{i}", "Polypedates megacephalus", "2010-04-09", t] for i, t in enumerate(vc)])
    assert list(ann["dq_county"]) == ["新北市"] * len(vc), ann[["verbatimCoordinates", "dq_errors"]]
    assert not any(("COORD_MISSING" in e or "COORD_SWAPPED" in e or "COORD_NOT_NUMERIC" in e) for e in ann["dq_errors"])
    _, ann = _validated(tmp_path, "tm2", ["occurrenceID", "scientificName", "eventDate", "verbatimCoordinates", "verbatimSRS"],
                        [["t1", "Polypedates megacephalus", "2010-04-09", "293670, 2777544", "EPSG:3826"]])
    assert ann["dq_county"].tolist() == ["新北市"]
    s, _ = _validated(tmp_path, "spaced", ["occurrenceID", "scientificName", "eventDate", "decimalLatitude", "decimalLongitude"],
                      [[f"s{i}", "Polypedates megacephalus", "2020-05-01", "24 25 24.1 N", "118 13 31.9 E"] for i in range(3)])
    assert not s["columns_suspicious"] and s["checks"]["COORD_DMS"]["count"] == 3


def test_kinmen_in_the_121_zone_keeps_its_point(tmp_path):
    """CONSTRUCTED TEST ROWS: two of the frog file's real Kinmen points (烈嶼鄉, 金寧鄉) in TWD97 TM2 metres of the
    121° zone, as pyproj gives them (easting -31,422 and -18,399 m), declared as such. A negative easting was
    outside the accepted metres: COORD_OUT_OF_RANGE, no point, no county. The 119° zone's metres of the same
    points, declared TWD97/119, were read already."""
    header = ["occurrenceID", "scientificName", "eventDate", "decimalLongitude", "decimalLatitude", "verbatimSRS"]
    rows = [["k1", "Polypedates megacephalus", "2020-05-01", "-31422.3", "2704730.3", "EPSG:3826"],
            ["k2", "Polypedates megacephalus", "2020-05-02", "-18399.2", "2705939.3", "TWD97/121"],
            ["k3", "Polypedates megacephalus", "2020-05-01", "171461.0", "2702130.9", "TWD97/119"]]
    _, ann = _validated(tmp_path, "kinmen", header, rows, "occurrenceID")
    assert list(ann["dq_county"]) == ["金門縣"] * 3, ann[["dq_county", "dq_errors"]]
    assert list(ann["dq_town"]) == ["烈嶼鄉", "金寧鄉", "烈嶼鄉"]
    assert abs(float(ann.loc["k1", "dq_lon"]) - 118.225515) < 1e-5 and abs(float(ann.loc["k1", "dq_lat"]) - 24.42337) < 1e-5
    assert not any("COORD_OUT_OF_RANGE" in e for e in ann["dq_errors"])
    # one label without its zone ("TWD97") over the main island (121°) and Kinmen (119°, as Kinmen maps itself):
    # the Kinmen points were read in the 121° zone, in the Taiwan Strait; a point of Penghu in the 121° zone
    # (104,019 m) lands on Penghu as it is and stays so
    header = ["occurrenceID", "TWD97_X", "TWD97_Y", "坐標系統", "scientificName", "eventDate"]
    rows = [["m1", "293670", "2777544", "TWD97", "Polypedates megacephalus", "2010-04-09"],
            ["m2", "171461", "2702131", "TWD97", "Polypedates megacephalus", "2020-05-01"],
            ["m3", "104019.8", "2608131.7", "TWD97", "Polypedates megacephalus", "2020-05-01"]]
    _, ann = _validated(tmp_path, "zones", header, rows, "occurrenceID")
    assert list(ann["dq_county"]) == ["新北市", "金門縣", "澎湖縣"], ann[["dq_lat", "dq_lon", "dq_county"]]
    assert not any("COORD_IN_SEA" in w for w in ann["dq_errors"] + ann["dq_warnings"])


def test_penghu_in_the_119_zone_under_a_zoneless_label_is_settled_by_the_locality(tmp_path):
    """CONSTRUCTED TEST ROWS: a point of 澎湖縣西嶼鄉 (23.5960 N, 119.5080 E) in TWD97 TM2 metres of the 119° zone
    (as pyproj gives them), labelled only "TWD97". Read in the 121° zone it lands on land, in 花蓮縣豐濱鄉, so the
    coordinates alone cannot tell the zone (most of Penghu lands in the sea off Hualien and is read in the 119°
    zone already). With a locality naming 澎湖縣 the mismatch says which zone agrees and what to declare; without
    one nothing is claimed."""
    header = ["occurrenceID", "scientificName", "eventDate", "decimalLongitude", "decimalLatitude", "verbatimSRS", "locality"]
    rows = [["p1", "Polypedates megacephalus", "2020-05-01", "301845.26", "2610374.45", "TWD97", "澎湖縣西嶼鄉"],
            ["p2", "Polypedates megacephalus", "2020-05-01", "301845.26", "2610374.45", "TWD97", ""],
            ["p3", "Polypedates megacephalus", "2020-05-01", "301845.26", "2610374.45", "TWD97", "花蓮縣豐濱鄉"],
            ["p4", "Polypedates megacephalus", "2020-05-01", "301845.26", "2610374.45", "TWD97/121", "澎湖縣西嶼鄉"]]
    _, ann = _validated(tmp_path, "penghu", header, rows, "occurrenceID")
    assert list(ann["dq_county"]) == ["花蓮縣"] * 4, ann[["dq_lat", "dq_lon", "dq_county"]]
    fix = ann.loc["p1", "dq_suggestions"]
    assert "COORD_COUNTY_MISMATCH" in ann.loc["p1", "dq_warnings"]
    assert "以 119 分帶" in fix and "澎湖縣（緯度 23.596000、經度 119.508000）" in fix and "改為 TWD97/119" in fix, fix
    en = ann.loc["p1", "dq_suggestions_en"]
    assert "Penghu County (23.596000, 119.508000), as the locality says: set the coordinate system to TWD97/119" in en, en
    assert not (ann.loc["p2", "dq_warnings"] + ann.loc["p3", "dq_warnings"]).count("COORD_COUNTY_MISMATCH")
    # a label naming the 121° zone is taken at its word: the mismatch, with no zone to offer
    assert "COORD_COUNTY_MISMATCH" in ann.loc["p4", "dq_warnings"] and "119" not in ann.loc["p4", "dq_suggestions"]


def test_dates_as_taiwan_writes_them_are_read(tmp_path):
    """CONSTRUCTED TEST ROWS (the frog file's columns and a real point of it; from a run on real-file variants):
    Excel's zh-TW long date (2010年4月9日), ROC dates with 年月日 or a 民國 prefix, and seven ROC digits run
    together (1061013) were DATE_INVALID, read as the year 1061, or the whole Date column refused as "not
    dates" (民國99/4/9: every record kept its year alone)."""
    cases = {  # Date: (errors, the suggestion)
        "2010年4月9日": ("", ""), "99年6月12日": ("DATE_ROC_YEAR", "2010-06-12"), "民國99年06月12日": ("DATE_ROC_YEAR", "2010-06-12"),
        "民國99/4/9": ("DATE_ROC_YEAR", "2010-04-09"), "1061013": ("DATE_ROC_YEAR", "2017-10-13"),
        "0991231": ("DATE_ROC_YEAR", "2010-12-31"), "99年6月": ("DATE_ROC_YEAR", "2010-06 "),
        "民國99年": ("DATE_ROC_YEAR", "as 2010 "), "2010年4月": ("", ""), "99年2月30日": ("DATE_INVALID", ""),
        "1062013": ("DATE_INVALID", ""), "99年6月12日 10:30": ("DATE_ROC_YEAR", "2010-06-12"),
        # (a review's) the full prefix, Excel's zh-TW date-time, and seven digits past this year's ROC year
        "中華民國99年6月12日": ("DATE_ROC_YEAR", "2010-06-12"), "2010/4/9 下午 03:15:00": ("", ""),
        "2010年4月9日 上午 10:30": ("", ""), "1990612": ("DATE_INVALID", "")}
    for name, dates in (("mixed", list(cases)), ("roc-prefix-only", ["民國99/4/9"] * 3)):
        rows = [["25.1056", "121.433", "2010", "新北市 五股區", d, "1", "目視"] for d in dates]
        _write(tmp_path / f"{name}.csv", ["WGS84Lati", "WGS84Long", "year", "CommonName", "Date", "數量(隻)", "記錄方式"], rows)
        s = validate(tmp_path / f"{name}.csv", tmp_path / name, CHECK_DATE)
        assert s["columns_mapped"]["Date"] == "eventDate", s["columns_mapped"]
        ann = pd.read_csv(tmp_path / name / "annotated.csv", dtype=str, keep_default_na=False)
        for d, errs, warns, fix in zip(ann["Date"], ann["dq_errors"], ann["dq_warnings"], ann["dq_suggestions_en"]):
            want, text = cases[d]
            assert [e for e in (errs + ";" + warns).split(";") if e.startswith("DATE_")] == ([want] if want else []), (d, errs, warns)
            assert text in fix + " ", (d, fix)


def test_excel_date_serials_in_a_workbook_are_dates(tmp_path):
    """CONSTRUCTED TEST ROWS: a workbook whose date column is formatted as a number holds Excel's day numbers
    (43466 = 2019-01-01). The column was refused as eventDate ("values do not look like dates") and the file
    judged as having no date at all; now it is the date column, each row DATE_EXCEL_SERIAL with its date."""
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["occurrenceID", "scientificName", "eventDate", "decimalLatitude", "decimalLongitude"])
    for i, n in enumerate([43466, 45000, 44000.5]):
        ws.append([f"s{i}", "Passer montanus", n, 25.033, 121.565])
    wb.save(tmp_path / "serial.xlsx")
    s = validate(tmp_path / "serial.xlsx", tmp_path / "out", CHECK_DATE)
    assert s["checks"]["DATE_EXCEL_SERIAL"]["count"] == 3 and "DATE_MISSING" not in s["checks"]
    assert not any(c.startswith(("DATE_", "MISSING_eventDate")) for c in s["file_findings"])
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False).set_index("occurrenceID")
    assert "改為 2019-01-01" in ann.loc["s0", "dq_suggestions"] and "Write 2023-03-15" in ann.loc["s1", "dq_suggestions_en"]
    assert "2020-06-18" in ann.loc["s2", "dq_suggestions"]


def test_reviewers_date_cases(tmp_path):
    """CONSTRUCTED TEST ROWS from a review: an ROC year and month run together (10805) is no Excel day number
    (1929-07-31) but an unreadable date; an interval with times is an interval (its end day is no disagreement);
    a date from year/month/day columns names its month (TBIA's gold tier), and a ROC year column's fix is the year."""
    header = ["occurrenceID", "scientificName", "eventDate", "year", "month", "day", "decimalLatitude", "decimalLongitude"]
    rows = [["roc-ym", "Passer montanus", "10805", "", "", "", "25.033", "121.565"],
            ["serial", "Passer montanus", "43466", "", "", "", "25.033", "121.565"],
            ["timed-interval", "Passer montanus", "2019-05-01T10:00/2019-05-02T11:00", "2019", "5", "2", "25.033", "121.565"],
            ["parts", "Passer montanus", "", "2019", "5", "3", "25.033", "121.565"],
            ["roc-parts", "Passer montanus", "", "108", "5", "3", "25.033", "121.565"],
            ["year-slash-month", "Passer montanus", "2019/05", "2019", "5", "", "25.033", "121.565"]]
    _write(tmp_path / "d.csv", header, rows)
    validate(tmp_path / "d.csv", tmp_path / "out", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False).set_index("occurrenceID")
    assert "DATE_INVALID" in ann.loc["roc-ym", "dq_errors"] and "DATE_EXCEL_SERIAL" not in ann.loc["roc-ym", "dq_errors"]
    assert "DATE_EXCEL_SERIAL" in ann.loc["serial", "dq_errors"]
    assert "DATE_PARTS_DISAGREE" not in ann.loc["timed-interval", "dq_warnings"]
    assert "年份改為西元 2019 年" in ann.loc["roc-parts", "dq_suggestions"]
    # the derived dates, from a snapshot of the same rows
    import duckdb
    from dq.snapshot import SourceSpec, build
    from dq.store import records_sql
    (tmp_path / "work").mkdir()
    build([SourceSpec(tmp_path / "d.csv")], CHECK_DATE, tmp_path / "snap", tmp_path / "work", progress=lambda m: None)
    got = {r[0]: r[1:] for r in duckdb.sql(f"""SELECT occurrenceID, date_has_month, event_date_parsed::VARCHAR
        FROM {records_sql(tmp_path / 'snap', 'occurrenceID date_has_month event_date_parsed')}""").fetchall()}
    assert got["parts"] == (True, "2019-05-03") and got["serial"] == (True, "2019-01-01")
    # 2019/05 is that month (it was "ok" with no date at all)
    assert got["year-slash-month"] == (True, "2019-05-01")
    assert got["roc-ym"][0] is False      # never NULL: a year alone names no month
    assert "DATE_" not in ann.loc["year-slash-month", "dq_errors"] + ann.loc["year-slash-month", "dq_warnings"]


def test_a_recorder_named_total_is_a_record_and_one_packed_coordinate_gets_its_reading(tmp_path):
    """CONSTRUCTED TEST ROWS from a review: "Total" (or Sum) as a recorder's name among the first cells of a row that
    names a taxon is a record, not a totals row; 合計 in a row naming no taxon is one. A latitude right as it is beside a
    longitude whose separators were lost (1214046.97) gets the degrees-minutes-seconds reading."""
    header = ["occurrenceID", "recordedBy", "scientificName", "eventDate", "decimalLatitude", "decimalLongitude"]
    rows = [["t1", "Total", "Passer montanus", "2019-05-01", "25.033", "121.565"],
            ["合計", "", "", "", "", ""],
            ["p1", "林哲安", "Passer montanus", "2019-05-01", "24.786625", "1214046.97"]]
    _write(tmp_path / "t.csv", header, rows)
    validate(tmp_path / "t.csv", tmp_path / "out", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False).set_index("occurrenceID")
    assert "ROW_TOTALS" not in ann.loc["t1", "dq_errors"] and "ROW_TOTALS" in ann.loc["合計", "dq_errors"]
    assert "121.679714" in ann.loc["p1", "dq_suggestions"]


def test_the_validate_pages_annotated_download_reads_in_words(constructed, tmp_path):
    """The annotated file a submitter downloads had dq_errors, dq_match_type … headings and check ids for
    values (a second walk): its reader's copy has headings, titles and places in the page's language and
    that language's suggestions only; annotated.csv keeps its ids for scripts."""
    from dq.validate import ANNOTATED_OURS, readable_annotated
    ann, _, out = constructed
    for lang in ("zh", "en"):
        dst = tmp_path / f"a_{lang}.csv"
        readable_annotated(out / "annotated.csv", dst, lang)
        assert dst.read_bytes()[:3] == b"\xef\xbb\xbf" and dst.read_bytes()[3:6] != b"\xef\xbb\xbf"
        got = pd.read_csv(dst, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        assert len(got) == len(ann) and list(got.columns[:len(ann.columns) - len(ANNOTATED_OURS)]) == list(ann.columns[:-len(ANNOTATED_OURS)])
        assert not any(c.startswith("dq_") or "_" in c for c in got.columns[-len(ANNOTATED_OURS) + 1:]), list(got.columns)
        errors, fixes = ("Errors", "Suggested fixes") if lang == "en" else ("錯誤", "建議修正")
        by_note = {n.split(": ", 1)[1]: r for n, r in zip(got["note"], got.to_dict("records"))}
        tokyo = by_note["Tokyo"]
        assert tokyo[errors] == ("Outside Taiwan's land and waters" if lang == "en" else "坐標在臺灣陸域與海域之外"), tokyo[errors]
        assert not any(re.fullmatch(r"[A-Z_]+", x) for v in got[errors] for x in re.split("[;；] ?", v) if x), "an id left"
        if lang == "en":
            assert "Swap them: latitude 25.111267" in by_note["lat and lon swapped"][fixes]
            assert not HAN.search(by_note["lat and lon swapped"][fixes])
            county = got["County (from the point)"]
            assert (county == "New Taipei City").any() and not county.str.contains(r"[\u4e00-\u9fff]").any()
        else:
            assert (got["縣市（依點位）"] == "新北市").any() and "Swap them" not in " ".join(got[fixes])


def test_points_abroad_say_how_far_out_they_are_on_the_sphere(tmp_path):
    """Constructed rows (real cities' coordinates): a file whose only coordinate fault is a point abroad
    failed to validate at all once COORD_OUTSIDE_TAIWAN's fix read coalesce(c_fix, …) (no point had a
    corrected fix, so the column was typed INTEGER), and the distance was planar (Honolulu 30,727 km)."""
    from dq.validate import validate
    f = tmp_path / "constructed_abroad.csv"
    f.write_text("occurrenceID,scientificName,eventDate,decimalLatitude,decimalLongitude\n"
                 "CONSTRUCTED-1,Pycnonotus sinensis,2020-01-01,35.6895,139.6917\n"      # Tokyo
                 "CONSTRUCTED-2,Pycnonotus sinensis,2020-01-01,51.5074,-0.1278\n"       # London
                 "CONSTRUCTED-3,Pycnonotus sinensis,2020-01-01,21.3069,-157.8583\n",    # Honolulu
                 encoding="utf-8")
    s = validate(f, tmp_path / "out", CHECK_DATE)
    assert s["checks"]["COORD_OUTSIDE_TAIWAN"]["count"] == 3
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    km = [int(re.search(r"About ([\d,]+) km from Taiwan's land", v).group(1).replace(",", "")) for v in ann["dq_suggestions_en"]]
    assert 1900 < km[0] < 2300 and 9300 < km[1] < 10000 and 8000 < km[2] < 8800, km
    assert all(re.search(r"距臺灣陸地約 [\d,]+ 公里", v) for v in ann["dq_suggestions"])


def test_annotated_download_keeps_a_quoted_first_heading_and_a_column_named_like_ours(tmp_path):
    """Constructed file: its first heading holds a comma (annotated.csv writes it quoted behind the
    byte-order mark, which DuckDB's sniffer refused) and a column is named "errors" (ours would have been
    renamed "Errors_1"). Every row and heading stays; ours are told apart."""
    from dq.validate import readable_annotated, validate
    f = tmp_path / "constructed_headings.csv"
    f.write_text('"site, plot",errors,scientificName,eventDate,decimalLatitude,decimalLongitude\n'
                 'A-1,none,Pycnonotus sinensis,2020-01-01,25.03,121.56\n'
                 'A-2,"a, b",Pycnonotus sinensis,2020-13-45,25.03,121.56\n', encoding="utf-8")
    validate(f, tmp_path / "out", CHECK_DATE)
    readable_annotated(tmp_path / "out" / "annotated.csv", tmp_path / "en.csv", "en")
    got = pd.read_csv(tmp_path / "en.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(got.columns[:2]) == ["site, plot", "errors"] and "Errors (dq)" in got.columns and "Warnings" in got.columns
    assert got["site, plot"].tolist() == ["A-1", "A-2"] and got["errors"].tolist() == ["none", "a, b"]
    assert got["Errors (dq)"].tolist()[0] == "" and "Date cannot be read" in got["Errors (dq)"].tolist()[1]
    # the warnings and the TDWG BDQ columns name checks and tests by their titles too
    for c in ("Warnings", "TDWG BDQ tests not compliant", "TDWG BDQ tests that could not judge"):
        assert not any(re.fullmatch(r"[A-Z_]+", x) for v in got[c] for x in re.split("; ", v) if x), got[c].tolist()
    # a test that could not judge is named in quotes: "Both coordinates are zero" alone read as a finding (a walk)
    nj = [x for v in got["TDWG BDQ tests that could not judge"] for x in v.split("; ") if x]
    assert nj and all(x.startswith("“") and x.endswith("”") for x in nj), nj
    # the BDQ amendments as "term → value", not TDWG's JSON
    am = [v for v in got["TDWG BDQ amendments"] if v]
    assert am and all(" → " in v and "{" not in v for v in am), am


def test_annotated_download_heads_the_readers_shape_columns_in_words(tmp_path):
    """Constructed file with a short and a long row: annotated.csv carries the readers' overflow_cells and
    row_cells, which the reader's copy showed as snake_case headings."""
    from dq.validate import readable_annotated, validate
    f = tmp_path / "constructed_ragged.csv"
    f.write_text("site,scientificName\n1,Pycnonotus sinensis\n2\n3,Pycnonotus sinensis,extra,more\n", encoding="utf-8")
    validate(f, tmp_path / "out", CHECK_DATE)
    for lang, over, cells in (("en", "Cells beyond the header", "Cells in the row"), ("zh", "標題列右側多出的儲存格", "該列的儲存格數")):
        readable_annotated(tmp_path / "out" / "annotated.csv", tmp_path / f"{lang}.csv", lang)
        got = pd.read_csv(tmp_path / f"{lang}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        assert list(got.columns[:4]) == ["site", "scientificName", over, cells], list(got.columns)
        assert got[cells].tolist() == ["", "1", "4"] and "extra" in got[over].tolist()[2]


def test_a_fix_from_the_record_alone_needs_no_lookup():
    """lookups_used counted the record's own alias: the duplicates' fix (it reads qty_txt) became a lookup
    group, and the 10M bench's 5.3 M duplicate flags were materialised with every column first."""
    from dq import engine
    p = engine.plan()
    assert engine.lookups_used(p, {"qty_txt"}) == set()
    assert engine.lookups_used(p, {"county"}) == {"c"}


def test_annotated_copy_reads_bdq_amendments_exactly(tmp_path):
    """Constructed annotated.csv rows: the amendments' values are JSON strings; a backslash, a quote and a
    line break in them came out escaped ("C:\\\\x"), and "{}" (every proposed value NULL) lost its row's text."""
    import csv
    from dq.validate import ANNOTATED_OURS, readable_annotated
    src = tmp_path / "annotated.csv"
    rows = [{"site": "A", "dq_row": "1", "dq_bdq_amendments": '{"dwc:x":"C:\\\\x","dwc:y":"a\\"b\\nc"} {"dwc:year":"2020"}'},
            {"site": "B", "dq_row": "2", "dq_bdq_amendments": "{}"},
            {"site": "C", "dq_row": "3", "dq_bdq_amendments": "not JSON"}]
    with open(src, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, ["site", *ANNOTATED_OURS])
        w.writeheader()
        w.writerows(rows)
    readable_annotated(src, tmp_path / "zh.csv", "zh")
    got = pd.read_csv(tmp_path / "zh.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")["TDWG BDQ 建議修改"].tolist()
    assert got == ['dwc:x → C:\\x；dwc:y → a"b\nc；dwc:year → 2020', "", "not JSON"], got


def test_the_report_names_the_annotated_files_headings_as_the_download_has_them():
    """The validate report pointed at dq_errors, dq_bdq_cannot_judge … while the page's download is headed in
    words: it names the reader's headings, and the script columns beside them."""
    from dq.checks import by_id
    from dq.i18n import t
    for lang in ("zh", "en"):
        pairs = [("vr_todo_rejected", "ann_row_rejected"), ("vr_bdq_nowhere", "ann_bdq_cannot_judge"),
                 ("vr_bdq_lacking", "ann_bdq_not_compliant"), ("vr_annotated", "ann_errors"), ("vr_annotated", "ann_warnings"), ("vr_annotated", "ann_notes"),
                 ("vr_annotated", "ann_suggestions")]
        for text, heading in pairs:
            assert t(heading, lang) in t(text, lang), (lang, text, heading)
        c = by_id()["TAXON_NAME_FROM_VERNACULAR"]
        assert t("ann_name_source", lang) in (c.explain_en if lang == "en" else c.explain_zh)
        # a long row's extra cells: the column as the download heads it (the report said "overflow_cells" alone)
        c = by_id()["ROW_CELLS_EXTRA"]
        assert t("ann_overflow_cells", lang) in (c.explain_en if lang == "en" else c.explain_zh)


def test_a_name_of_spaces_is_no_name(tmp_path):
    """CONSTRUCTED TEST ROWS: a scientificName of one full-width space (an Excel or Big5 export) is no
    name, so the vernacular name 虎皮蛙 is matched (it was not: "the vernacular name 虎皮蛙 is not in the
    checklist"); a vernacular name of a no-break space is no name either, and is not quoted back as one."""
    _write(tmp_path / "constructed_spaces.csv", ["scientificName", "vernacularName", "decimalLatitude", "decimalLongitude", "eventDate"],
           [["\u3000", "虎皮蛙", "23.911414", "121.594868", "2020-01-05"],
            ["\u00a0", "\u00a0", "23.911414", "121.594868", "2020-01-05"]])
    s = validate(tmp_path / "constructed_spaces.csv", tmp_path / "out", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False).set_index("dq_row")
    assert "TAXON_NAME_FROM_VERNACULAR" in ann.loc["1", "dq_notes"] and "TAXON_NAME_MISSING" not in ann.loc["1", "dq_errors"]
    assert ann.loc["1", "dq_accepted_name"] == "Hoplobatrachus rugulosus"
    assert "TAXON_NAME_MISSING" in ann.loc["2", "dq_errors"]
    assert "俗名「" not in ann.loc["2", "dq_suggestions"] and "vernacular name" not in ann.loc["2", "dq_suggestions_en"]
    # a row naming nothing is told to add a name, not to check a spelling it does not have
    assert "補上學名" in ann.loc["2", "dq_suggestions"] and "Add the scientific name" in ann.loc["2", "dq_suggestions_en"]
    assert "拼寫" not in ann.loc["2", "dq_suggestions"]
    assert s["rows_read"] == s["rows_checked"] == 2


def test_location_far_needs_a_location_with_enough_records_and_a_point_they_share(tmp_path):
    """CONSTRUCTED TEST ROWS: L2's third record is 50 km from its two others (flagged); L1's two records are as far
    apart, but two records give no point the location has (not judged); the same far point under another
    dataset's L2 is that location's own; a location's spread of a few hundred metres is no fault."""
    header = ["occurrenceID", "datasetID", "locationID", "scientificName", "eventDate", "decimalLatitude", "decimalLongitude"]
    sp = "Pycnonotus sinensis"
    rows = [["a1", "D1", "L1", sp, "2020-05-01", "25.0", "121.5"],
            ["a2", "D1", "L1", sp, "2020-05-02", "24.55", "121.5"],
            ["b1", "D1", "L2", sp, "2020-05-01", "25.0", "121.5"],
            ["b2", "D1", "L2", sp, "2020-05-02", "25.001", "121.502"],
            ["b3", "D1", "L2", sp, "2020-05-03", "24.55", "121.5"],
            ["c1", "D2", "L2", sp, "2020-05-01", "24.55", "121.5"],
            ["c2", "D2", "L2", sp, "2020-05-02", "24.551", "121.5"],
            ["c3", "D2", "L2", sp, "2020-05-03", "24.553", "121.501"]]
    s, ann = _validated(tmp_path, "locations", header, rows, "occurrenceID")
    far = ann["dq_warnings"].str.contains("COORD_LOCATION_FAR")
    assert list(far[far].index) == ["b3"], ann[["dq_warnings"]]
    assert "地點編號 L2 的 3 筆有坐標紀錄，中位點在 25.00000, 121.50000，這筆相距 50.0 公里" in ann.loc["b3", "dq_suggestions"]
    assert s["checks"]["COORD_LOCATION_FAR"]["count"] == 1
    # a location split between two places (moved, or its ID reused) is not judged: no point two thirds of it share
    rows = [[f"s{i}", "D1", "L9", sp, f"2020-05-{i + 1:02d}", lat, "121.5"] for i, lat in enumerate(["25.0"] * 3 + ["24.55"] * 2)]
    s, ann = _validated(tmp_path, "split", header, rows, "occurrenceID")
    assert "COORD_LOCATION_FAR" not in s["checks"]
    # nor a point generalised on purpose (an uncertainty of 5 km or more)
    rows = [[f"u{i}", "D1", "L8", sp, f"2020-05-{i + 1:02d}", lat, "121.5", unc] for i, (lat, unc) in
            enumerate([("25.0", "30")] * 4 + [("24.55", "10000"), ("24.55", "30")])]
    s, ann = _validated(tmp_path, "generalised", header + ["coordinateUncertaintyInMeters"], rows, "occurrenceID")
    assert list(ann.index[ann["dq_warnings"].str.contains("COORD_LOCATION_FAR")]) == ["u5"], ann[["dq_warnings"]]
    # a record without a point is offered its location's point only where the location's records are at one (a
    # review: the median of three places 50-100 km apart, where no record is, was offered)
    rows = [[f"w{i}", "D1", loc, sp, f"2020-05-{i + 1:02d}", lat, lon] for i, (loc, lat, lon) in enumerate(
        [("L7", "25.0", "121.5")] * 2 + [("L7", "24.55", "121.5")] * 2 + [("L7", "24.1", "121.0"), ("L7", "", ""),
         ("L6", "25.0", "121.5"), ("L6", "25.0", "121.5"), ("L6", "25.0001", "121.5"), ("L6", "", "")])]
    s, ann = _validated(tmp_path, "missing", header, rows, "occurrenceID")
    assert "地點編號" not in ann.loc["w5", "dq_suggestions"] and "地點編號 L6 的 3 筆紀錄在 25.00000, 121.50000" in ann.loc["w9", "dq_suggestions"]


def test_a_name_with_a_diaeresis_is_the_name_without_it(tmp_path):
    """CONSTRUCTED TEST ROWS, the names as TaiCOL writes them (Isoëtes, ICN Art. 60.6) and as a red list does
    (Isoetes): the varieties were "above species", the species misspelt, and a list of two ë names beside their
    Chinese names had its scientificName column refused ("not Latin names") and every row named from 金門水韭."""
    header = ["scientificName", "vernacularName"]
    rows = [["Isoëtes taiwanensis var. kinmenensis", "金門水韭"], ["Isoetes taiwanensis", "臺灣水韭"],
            ["Isoëtes taiwanensis var. taiwanensis", "臺灣水韭"]]
    s, ann = _validated(tmp_path, "isoetes", header, rows)
    assert s["columns_mapped"].get("scientificName") == "scientificName", s["columns_plan"]
    assert list(ann["dq_match_type"]) == ["exact", "species_of_listed_subspecies", "exact"], ann[["dq_match_type"]]
    assert ann["dq_accepted_name"][0] == "Isoetes taiwanensis var. kinmenensis"
    assert not any(k in s["checks"] for k in ("TAXON_RANK_ABOVE_SPECIES", "TAXON_FUZZY", "TAXON_NAME_FROM_VERNACULAR")), s["checks"]
    # every comparison with the checklist is of folded names (a review: genus and family, a genus's unknown species,
    # the vernacular names' binomials and a diaeresis written as a combining mark were still compared unfolded)
    rows = [["Isoëtes", ""], ["Isoëtaceae", ""], ["Isoëtes foo", ""], ["Isoëtes taiwanensis", "白頭翁"],
            ["Isoe\u0308tes taiwanensis var. taiwanensis", "臺灣水韭"]]
    s, ann = _validated(tmp_path, "isoetes2", header, rows)
    assert list(ann["dq_match_type"]) == ["higherrank", "higherrank", "none", "species_of_listed_subspecies", "exact"], ann
    assert ann["dq_warnings"].str.contains("TAXON_VERNACULAR_MISMATCH").tolist() == [False, False, False, True, False]


def test_a_vernacular_mismatch_names_the_other_taxons_name_in_the_cell(tmp_path):
    """CONSTRUCTED TEST ROWS as TaiBON's plant red list writes its Chinese names (a database array): the cell
    {金蓮花,黃花莕菜} holds this taxon's name and 金蓮花, Tropaeolum majus's; the fix said only "checklist name:
    黃花莕菜", the name the cell has. A cell of this taxon's names only is no mismatch."""
    s, ann = _validated(tmp_path, "redlist", ["name", "zh_name"],
                        [["Nymphoides aurantiaca", "{金蓮花,黃花莕菜}"], ["Nymphoides aurantiaca", "{黃花莕菜}"]])
    assert ann["dq_warnings"].str.contains("TAXON_VERNACULAR_MISMATCH").tolist() == [True, False]
    assert "名錄中「金蓮花（Tropaeolum majus）」是另一物種的俗名；名錄俗名：黃花莕菜" in ann["dq_suggestions"][0]
    assert "In the checklist 金蓮花 (Tropaeolum majus) names another taxon; Checklist vernacular name: 黃花莕菜" in ann["dq_suggestions_en"][0]


def test_an_absence_is_a_taxons(tmp_path):
    """CONSTRUCTED TEST ROWS: a count of 0 is an absence of the taxon the row names (by its scientific or its
    Chinese name); on a row naming none (BBS Taiwan's "No survey" rows of a visit cancelled for rain, an "NA",
    a blank name) it is no absence record: the report counted 4 such rows as absences."""
    header = ["scientificName", "vernacularName", "individualCount", "eventDate", "decimalLatitude", "decimalLongitude"]
    # a name the checklist lacks, in Latin, Chinese or English, is still a taxon's absence (a review: those were lost)
    rows = [[sci, vern, "0", "2016-05-01", "23.5", "120.9"] for sci, vern in
            (("No survey", ""), ("", ""), ("Pycnonotus sinensis", ""), ("", "白頭翁"), ("NA", ""),
             ("", "某種鳥"), ("", "Mystery Warbler"), ("Fooia barensis", ""))]
    s, _ = _validated(tmp_path, "absences", header, rows)
    assert s["rows_absence"] == 5


def test_a_point_at_sea_is_no_finding_for_a_sea_or_shore_taxon_by_any_of_its_families(tmp_path):
    """CONSTRUCTED TEST ROWS, one point in the Taiwan Strait (120.0, 24.2: tens of km from land). COORD_IN_SEA
    reads `marine`, judged once per (name, vernacular name, family) pair (#14): a gull named without a family
    is a shore bird by the checklist's family (Laridae), a name the checklist lacks by the family the row
    gives, a land bird by the habitat the row gives; a land bird with neither is the finding."""
    header = ["occurrenceID", "scientificName", "family", "habitat", "decimalLongitude", "decimalLatitude", "eventDate"]
    at_sea = ["120.000000", "24.200000", "2020-05-01"]
    rows = [["gull", "Larus crassirostris", "", ""] + at_sea,
            ["named_family", "Laridae sp. constructed", "Laridae", ""] + at_sea,
            ["habitat", "Pycnonotus sinensis", "", "海上浮標"] + at_sea,
            ["land", "Pycnonotus sinensis", "", ""] + at_sea,
            ["land_family", "Pycnonotus sinensis", "Pycnonotidae", ""] + at_sea]
    _, ann = _validated(tmp_path, "sea", header, rows, "occurrenceID")
    flagged = {i for i, r in ann.iterrows() if "COORD_IN_SEA" in r["dq_errors"] + r["dq_warnings"]}
    assert flagged == {"land", "land_family"}, ann[["dq_errors", "dq_warnings"]]


def test_an_event_time_that_is_no_time_of_day_is_flagged_with_what_it_stands_for(tmp_path):
    """CONSTRUCTED TEST ROWS with the times files write: ISO forms (no finding), BBS Taiwan's export of a visit
    whose time was not noted ("NA:NA+0800", 801 of its events), and the loose forms of forms and spreadsheets,
    whose fix is the hh:mm they stand for. Two rows alike but for their time are no repeat."""
    header = ["occurrenceID", "scientificName", "eventDate", "eventTime", "decimalLatitude", "decimalLongitude", "individualCount"]
    cases = {  # id: (eventTime, flagged, text of the English fix)
        "iso": ("07:30+0800", False, ""), "seconds-zone": ("08:40:21Z", False, ""), "interval": ("13:00/15:30", False, ""),
        "basic": ("0730", False, ""), "blank": ("", False, ""), "na": ("NA:NA+0800", True, "No time was recorded"),
        "none": ("None", True, "No time was recorded"), "one-digit-hour": ("7:30", True, "Write 07:30"),
        "afternoon": ("下午 3:15", True, "Write 15:15"), "pm": ("3:15 PM", True, "Write 15:15"),
        "chinese": ("7時30分", True, "Write 07:30"), "hour-25": ("25:00", True, "Write hh:mm or hh:mm:ss"),
        "word": ("morning", True, "Write hh:mm or hh:mm:ss")}
    rows = [[k, "Passer montanus", "2019-05-01", t, "25.033", "121.565", str(i + 1)] for i, (k, (t, _, _)) in enumerate(cases.items())]
    # two records alike but for their time of day: two sightings, not a copy
    rows += [["same-07", "Passer montanus", "2019-05-02", "07:00", "25.033", "121.565", "2"],
             ["same-08", "Passer montanus", "2019-05-02", "08:00", "25.033", "121.565", "2"]]
    s, ann = _validated(tmp_path, "times", header, rows, "occurrenceID")
    assert s["columns_mapped"]["eventTime"] == "eventTime"
    for k, (t, flagged_, fix) in cases.items():
        assert ("DATE_TIME_INVALID" in ann.loc[k, "dq_warnings"]) == flagged_, (k, t)
        assert fix in ann.loc[k, "dq_suggestions_en"], (k, ann.loc[k, "dq_suggestions_en"])
    assert "請留空" in ann.loc["na", "dq_suggestions"] and "改為 15:15" in ann.loc["afternoon", "dq_suggestions"]
    assert "DUP_RECORD" not in ann.loc["same-07", "dq_warnings"] + ann.loc["same-08", "dq_warnings"]


def test_a_species_is_not_resolved_to_one_of_its_varieties_the_checklist_accepts_beside_others(tmp_path):
    """CONSTRUCTED TEST ROWS (a review): TaiCOL's 2020 plant list gives Bidens pilosa as a synonym of its var. minor
    while it accepts var. pilosa and var. radiata too; a record of Bidens pilosa was told "synonym: use Bidens pilosa
    var. minor", a variety its observer never named. A species with two or more accepted infraspecific taxa is
    matched as the species; one whose only accepted variety the list maps it to (Ailanthus altissima → var.
    tanakae, the one in Taiwan) keeps that mapping."""
    header = ["occurrenceID", "scientificName", "eventDate", "decimalLatitude", "decimalLongitude"]
    rows = [[k, n, "2020-05-01", "25.033", "121.565"] for k, n in (
        ("bidens", "Bidens pilosa"), ("radiata", "Bidens pilosa var. radiata"), ("acer", "Acer insulare"),
        ("ailanthus", "Ailanthus altissima"))]
    _, ann = _validated(tmp_path, "varieties", header, rows, "occurrenceID")
    assert ann.loc["bidens", "dq_accepted_name"] == "Bidens pilosa" and "TAXON_SYNONYM" not in ann.loc["bidens", "dq_notes"]
    assert ann.loc["acer", "dq_accepted_name"] == "Acer insulare"
    assert ann.loc["radiata", "dq_accepted_name"] == "Bidens pilosa var. radiata"
    assert ann.loc["ailanthus", "dq_accepted_name"] == "Ailanthus altissima var. tanakae"
    assert "TAXON_SYNONYM" in ann.loc["ailanthus", "dq_notes"] + ann.loc["ailanthus", "dq_warnings"]


def test_the_readers_copy_of_the_annotated_file_keeps_the_files_row_order(tmp_path, multithreaded):
    """A walk downloaded the annotated copy of NTU's reef-fish file (14,496 rows) starting at row 10,359: DuckDB's
    parallel CSV reader hands the rows over in any order. Constructed rows, enough for several read chunks."""
    import csv
    from dq.validate import ANNOTATED_OURS, readable_annotated
    src = tmp_path / "annotated.csv"
    n = 60_000
    with open(src, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["site", *ANNOTATED_OURS])
        rest = [""] * (len(ANNOTATED_OURS) - 3) + ["", '{"dwc:geodeticDatum":"EPSG:4326"} {"dwc:occurrenceStatus":"present"}']
        w.writerows([f"constructed site {i} " + "x" * 100, str(i), "TAXON_OUTSIDE_CHECKLIST", *rest] for i in range(1, n + 1))
    readable_annotated(src, tmp_path / "en.csv", "en")
    got = pd.read_csv(tmp_path / "en.csv", encoding="utf-8-sig", usecols=["Row"])["Row"].tolist()
    assert got == list(range(1, n + 1)), got[:3]


def test_a_chinese_name_in_the_scientific_name_column_is_matched_as_the_vernacular_name_it_is(tmp_path):
    """CONSTRUCTED TEST ROWS: a scientificName column of Latin names with some cells in Chinese (a walk's file:
    斑腿樹蛙 read as a uninomial, "identified above species: give the species"). Each Chinese cell is an error
    whose fix gives the Latin name the checklist's Chinese names lead to (or the candidates, or a spelling); a
    Latin name, a Latin name beside its Chinese one, and a blank name with a Chinese vernacular name are not."""
    rows = [["Polypedates megacephalus", ""], ["Buergeria robusta", ""], ["Kurixalus eiffingeri", ""], ["Bufo bankorensis", "盤古蟾蜍"],
            ["Microhyla fissipes", ""], ["Fejervarya limnocharis", ""],
            ["斑腿樹蛙", ""], ["日本樹蛙", ""], ["不存在的蛙", ""], ["斑腿樹蛙", "斑腿樹蛙"], ["黑框蟾蜍", ""], ["", "斑腿樹蛙"]]
    _write(tmp_path / "constructed_chinese_in_sci.csv", ["scientificName", "vernacularName", "decimalLatitude", "decimalLongitude", "eventDate"],
           [[s, v, "23.911414", "121.594868", f"2020-01-{i + 1:02d}"] for i, (s, v) in enumerate(rows)])
    s = validate(tmp_path / "constructed_chinese_in_sci.csv", tmp_path / "out", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False).set_index("dq_row")
    hit = [str(i) for i in range(1, 13) if "TAXON_NAME_IN_CHINESE" in ann.loc[str(i), "dq_errors"]]
    assert hit == ["7", "8", "9", "10", "11"], hit
    assert s["checks"]["TAXON_NAME_IN_CHINESE"]["count"] == 5
    assert ann.loc["7", "dq_accepted_name"] == "Polypedates megacephalus"
    assert "學名欄改填 Polypedates megacephalus，中文名「斑腿樹蛙」移到俗名欄" in ann.loc["7", "dq_suggestions"]
    assert "Write Polypedates megacephalus as the scientific name and move" in ann.loc["7", "dq_suggestions_en"]
    assert "Buergeria choui、Buergeria otai" in ann.loc["8", "dq_suggestions"]
    assert "請依原始紀錄改填拉丁學名" in ann.loc["9", "dq_suggestions"] and ann.loc["9", "dq_accepted_name"] == ""
    assert "move" not in ann.loc["10", "dq_suggestions_en"]      # its vernacular name is there already
    assert "黑眶蟾蜍" in ann.loc["11", "dq_suggestions"]
    # never "identified above species" (the ambiguous name's shared genus) nor a missing name
    assert not any(k in ann.loc[r, c] for r in hit for c in ("dq_errors", "dq_warnings", "dq_notes")
                   for k in ("TAXON_RANK_ABOVE_SPECIES", "TAXON_NAME_MISSING", "TAXON_UNMATCHED"))
    assert "TAXON_NAME_FROM_VERNACULAR" in ann.loc["12", "dq_notes"] and "TAXON_NAME_IN_CHINESE" not in ann.loc["12", "dq_errors"]


def test_a_listed_chinese_name_of_a_binomial_the_checklist_lacks_is_named_not_called_unknown(tmp_path):
    """CONSTRUCTED TEST ROWS: 大紅鸛 is the 2023 bird list's name of Phoenicopterus roseus, which TaiCOL lacks. In the
    vernacular column (no scientific name) and in the scientific name column it was "not a Chinese name of the
    checklist", and the first row was besides "not in the checklist" for a name it never gave (TAXON_UNMATCHED,
    "checklist names with this vernacular name: Phoenicopterus roseus"). The fix names the binomial; the error stays
    (the record matches no taxon). A listed name whose binomial the checklist holds (鳳頭蒼鷹) is matched as before. A
    Chinese name in the scientific name column with another species' Chinese name beside it disagrees with it."""
    rows = [["Passer montanus", ""]] * 6 + [["", "大紅鸛"], ["大紅鸛", ""], ["", "鳳頭蒼鷹"], ["", "某種鳥"],
                                            ["斑腿樹蛙", "盤古蟾蜍"], ["斑腿樹蛙", "斑腿樹蛙"]]
    _write(tmp_path / "constructed_unlisted_vernacular.csv", ["scientificName", "vernacularName", "decimalLatitude", "decimalLongitude", "eventDate"],
           [[s, v, "23.911414", "121.594868", f"2020-01-{i + 1:02d}"] for i, (s, v) in enumerate(rows)])
    validate(tmp_path / "constructed_unlisted_vernacular.csv", tmp_path / "out", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False).set_index("dq_row")
    assert "TAXON_VERNACULAR_UNKNOWN" in ann.loc["7", "dq_errors"]
    assert "俗名「大紅鸛」是 Phoenicopterus roseus 的俗名，但臺灣物種名錄（TaiCOL）沒有這個學名" in ann.loc["7", "dq_suggestions"]
    assert "is a common name of Phoenicopterus roseus, which the Taiwan checklist (TaiCOL) does not hold" in ann.loc["7", "dq_suggestions_en"]
    assert "TAXON_NAME_IN_CHINESE" in ann.loc["8", "dq_errors"]
    assert "「大紅鸛」是 Phoenicopterus roseus 的中文名" in ann.loc["8", "dq_suggestions"]
    for r in ("7", "8"):
        assert ann.loc[r, "dq_accepted_name"] == "" and ann.loc[r, "dq_match_type"] == ""
        assert not any(k in ann.loc[r, c] for c in ("dq_warnings", "dq_notes") for k in ("TAXON_UNMATCHED", "TAXON_OUTSIDE_CHECKLIST"))
        assert "不在名錄的中文名中" not in ann.loc[r, "dq_suggestions"] and "不在名錄中" not in ann.loc[r, "dq_suggestions"]
    assert ann.loc["9", "dq_accepted_name"] == "Accipiter trivirgatus" and "TAXON_VERNACULAR_UNKNOWN" not in ann.loc["9", "dq_errors"]
    # a name no list holds keeps its own fix
    assert "俗名「某種鳥」不在名錄中" in ann.loc["10", "dq_suggestions"] and "Phoenicopterus" not in ann.loc["10", "dq_suggestions"]
    # a Chinese name in the scientific name column is the name the vernacular one beside it is judged against:
    # 盤古蟾蜍 is Bufo bankorensis's, not 斑腿樹蛙's (no finding said so; the fix alone gave Polypedates megacephalus)
    assert "TAXON_NAME_IN_CHINESE" in ann.loc["11", "dq_errors"] and "TAXON_VERNACULAR_MISMATCH" in ann.loc["11", "dq_warnings"]
    assert "盤古蟾蜍（Bufo bankorensis）" in ann.loc["11", "dq_suggestions"]
    assert "TAXON_VERNACULAR_MISMATCH" not in ann.loc["12", "dq_warnings"] and "TAXON_NAME_IN_CHINESE" in ann.loc["12", "dq_errors"]


def test_joined_suggestions_have_one_stop_between_them(tmp_path):
    """CONSTRUCTED TEST ROW: a low-precision point and a name from the vernacular: the annotated file joined
    "…約 1 公里）。" and the next fix with "；" ("。；"), in English "km).; Add"."""
    _write(tmp_path / "constructed_two_fixes.csv", ["scientificName", "vernacularName", "decimalLatitude", "decimalLongitude", "eventDate"],
           [["", "斑腿樹蛙", "23.9", "121.6", "2020-01-05"]])
    validate(tmp_path / "constructed_two_fixes.csv", tmp_path / "out", CHECK_DATE)
    ann = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    zh, en = ann.loc[0, "dq_suggestions"], ann.loc[0, "dq_suggestions_en"]
    assert "；" in zh and "。；" not in zh, zh
    assert "km); Add" in en and ".;" not in en, en


def test_a_date_that_does_not_exist_is_told_what_is_wrong_with_it(constructed, tmp_path):
    """2023-02-30 was "not a recognised form: write it as YYYY-MM-DD", which it is (a walk): the fix says February
    has no 30th; a month 13 says so, with the day and month swapped when that is a date (TDWG's amendment proposes
    it unsaid); the reversed interval is turned round. CONSTRUCTED TEST ROWS (the fixture's and a file of year/month/day)."""
    ann, _, _ = constructed
    by_note = {n.split(": ", 1)[1]: r for n, r in zip(ann["note"], ann.to_dict("records"))}
    r = by_note["a day February does not have"]
    assert "2015 年 2 月沒有 30 日（該月只有 28 日）" in r["dq_suggestions"], r["dq_suggestions"]
    assert "February 2015 has no day 30 (it has 28 days)" in r["dq_suggestions_en"]
    r = by_note["impossible date"]
    assert "沒有 13 月" in r["dq_suggestions"] and "對調" not in r["dq_suggestions"]      # 45 is no month either
    assert "請改為 2015-04-01/2015-05-01" in by_note["interval ends before it starts"]["dq_suggestions"]
    _write(tmp_path / "constructed_parts.csv", ["scientificName", "year", "month", "day", "decimalLatitude", "decimalLongitude"],
           [["Pycnonotus sinensis", "2023", "13", "1", "25.111267", "121.816298"],
            ["Pycnonotus sinensis", "112", "2", "29", "25.111267", "121.816298"],
            ["Pycnonotus sinensis", "2024", "2", "29", "25.111267", "121.816298"]])
    validate(tmp_path / "constructed_parts.csv", tmp_path / "out", CHECK_DATE)
    a = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    assert "if day and month are swapped, it is 2023-01-13" in a.loc[0, "dq_suggestions_en"]
    assert "2023 年 2 月沒有 29 日" in a.loc[1, "dq_suggestions"]       # ROC 112 is 2023
    assert "DATE_INVALID" not in a.loc[2, "dq_errors"]


def test_rows_whose_dates_or_points_cannot_be_read_are_repeats_only_when_written_alike(tmp_path):
    """CONSTRUCTED TEST ROWS: the repeat key compared the read date and point, NULL for each that cannot be read,
    so rows dated 2023-02-30 and 2023-13-01 (or with two different unreadable points) were "identical records"."""
    rows = [["2023-02-30", "25.111267", "121.816298"], ["2023-13-01", "25.111267", "121.816298"],
            ["2023-05-01", "25.1N", "121.816298"], ["2023-05-01", "25.2N", "121.816298"],
            ["2023-04-31", "25.111267", "121.816298"], ["2023-04-31", "25.111267", "121.816298"]]
    _write(tmp_path / "constructed_unread.csv", ["scientificName", "eventDate", "decimalLatitude", "decimalLongitude"],
           [["Pycnonotus sinensis", *r] for r in rows])
    validate(tmp_path / "constructed_unread.csv", tmp_path / "out", CHECK_DATE)
    a = pd.read_csv(tmp_path / "out" / "annotated.csv", dtype=str, keep_default_na=False)
    assert ["DUP_RECORD" in w for w in a["dq_warnings"]] == [False, False, False, False, True, True], a["dq_warnings"].tolist()


def test_what_the_new_name_and_date_fixes_must_not_say(tmp_path):
    """CONSTRUCTED TEST ROWS from a review: a note in the name column (無, 未知) is still a note, not a Chinese name;
    a name with a '?' still a qualifier; a date the fix cannot explain gets the general fix, never a false reason
    (2023/01-15 "January has no day 15", a month written May read as January, year 0000 read as ROC 0 = 1911);
    a year of 2147483647 beside a blank date crashed the whole file (an INT overflow adding 1911)."""
    names = ["Polypedates megacephalus", "Buergeria robusta", "Kurixalus eiffingeri", "Bufo bankorensis", "Microhyla fissipes",
             "Fejervarya limnocharis", "無", "未知", "斑腿樹蛙?"]
    _write(tmp_path / "constructed_notes.csv", ["scientificName", "eventDate", "decimalLatitude", "decimalLongitude"],
           [[n, "2020-01-05", "23.911414", "121.594868"] for n in names])
    validate(tmp_path / "constructed_notes.csv", tmp_path / "o1", CHECK_DATE)
    a = pd.read_csv(tmp_path / "o1" / "annotated.csv", dtype=str, keep_default_na=False)
    assert "TAXON_NAME_IN_CHINESE" not in "".join(a["dq_errors"])
    assert all("TAXON_NOT_A_NAME" in w for w in a["dq_warnings"][6:8]) and "TAXON_QUALIFIER_IN_NAME" in a.loc[8, "dq_warnings"]
    dates = [["2023/01-15", "", "", ""], ["", "2023", "May", "15"], ["0000-13-01", "", "", ""], ["0000-02-30", "", "", ""],
             ["", "2023", "13", ""], ["", "2147483647", "", ""]]
    _write(tmp_path / "constructed_dates.csv", ["scientificName", "eventDate", "year", "month", "day", "decimalLatitude", "decimalLongitude"],
           [["Pycnonotus sinensis", *d, "25.111267", "121.816298"] for d in dates])
    s = validate(tmp_path / "constructed_dates.csv", tmp_path / "o2", CHECK_DATE)
    a = pd.read_csv(tmp_path / "o2" / "annotated.csv", dtype=str, keep_default_na=False)
    assert s["rows_checked"] == len(dates)
    for i in range(4):
        assert a.loc[i, "dq_suggestions_en"].startswith("Write it as YYYY-MM-DD"), (dates[i], a.loc[i, "dq_suggestions_en"])
    # a month 13 with no day given: no day invented for a swapped date
    assert "There is no month 13" in a.loc[4, "dq_suggestions_en"] and "swapped" not in a.loc[4, "dq_suggestions_en"]
