"""Every page renders on the demo snapshots (AppTest), its key numbers match a direct DuckDB query
on the snapshot files, and the agency filter changes them."""
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dq.checks import catalogue
from dq.demo import BBS_AGENCY, DEMO_DATE, DEMO_EARLIER, DEMO_ROOT, FROG_AGENCY, OD_LATER
from dq.opendata import OD_DEMO_ROOT
from dq.paths import REFERENCE
from dq.store import records_sql

APP = Path(__file__).resolve().parent.parent / "app.py"
# the records as every reader reads them (record layout 3 keeps derived columns in lookup files)
OCC = records_sql(DEMO_ROOT / DEMO_DATE)
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
        # AppTest runs a switched-to page in the pages-folder mode: the first such run of a session
        # reruns through app.py (dq.ui.ensure_app), the next ones draw it from inside the page's
        # run; one more run settles the widget ids as every later interaction sees them
        at.switch_page(f"pages/{name}.py").run()
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_overview_numbers_match_and_agency_filter_changes_them():
    m = metrics(page("overview"))
    assert m["紀錄數"] == f"{q(f'SELECT count(*) FROM {OCC}'):,}"
    assert m["機關數"] == str(q(f"SELECT count(DISTINCT agency) FROM {OCC}")) == "4"
    share = q(f"SELECT avg((n_errors = 0)::INT) FROM {OCC}")
    assert m["無錯誤紀錄比例"] == f"{share:.1%}"
    m2 = metrics(page("overview", agency=BBS_AGENCY))
    assert m2["紀錄數"] == f"{q(f'SELECT count(*) FROM {OCC} WHERE agency = ?', BBS_AGENCY):,}" != m["紀錄數"]
    # a genus or family (matched at a higher rank) is no species
    species = q(f"SELECT count(DISTINCT accepted_name) FROM {OCC} WHERE agency = ? AND NOT above_species", BBS_AGENCY)
    assert m2["物種數（名錄內）"] == f"{species:,}"


def test_scorecard_scores_match_and_follow_the_agency():
    for agency in (BBS_AGENCY, FROG_AGENCY):
        at = page("scorecard", "en", agency=agency)
        m = metrics(at)
        coord = q(f"SELECT avg((NOT err_coordinates)::INT) FROM {OCC} WHERE agency = ?", agency)
        # a share just short of 100 % reads "> 99.9%" (one record in 21,387 with an error is no 100.0%)
        assert m["Coordinates"] == ("> 99.9%" if 0.9995 <= coord < 1 else f"{coord:.1%}")
    worst = next(df.value for df in at.dataframe if "Count" in df.value)   # file-level findings come first
    assert worst["Count"].sum() == q(f"SELECT count(*) FROM {FLAGS} JOIN {OCC} USING (record_id) WHERE agency = ?", FROG_AGENCY)


def test_scorecard_fix_list_download():
    at = page("scorecard", agency=FROG_AGENCY, fixchecks="COORD_TOWN_CENTROID")
    n = q(f"SELECT count(*) FROM {FLAGS} JOIN {OCC} USING (record_id) WHERE agency = ? AND check_id = 'COORD_TOWN_CENTROID'", FROG_AGENCY)
    assert n > 0
    assert any(f"{n:,}" in md.value for md in at.markdown)
    assert len(at.get("download_button")) == 2
    # the source row (where the agency finds the row in its file) beside the record id, not after the file's long
    # name off the grid's right edge (a walk)
    import pandas as pd
    heads = list(store.fix_list_headers(pd.DataFrame(columns=["record_id", "source_row", "check_id"]), "zh").columns)
    [fl] = [d.value for d in at.dataframe if heads[2] in d.value.columns]
    assert list(fl.columns[:2]) == heads[:2], list(fl.columns)


def test_a_cleared_agency_picker_reads_all_agencies():
    """A walk: Streamlit's clear button (ⓧ) on the sidebar's agency picker left it reading 請選擇 while the page showed
    every agency. Its None is "all agencies": the box says so when cleared; a picker without such an option says
    "choose"."""
    at = page("overview")
    [box] = [b for b in at.sidebar.selectbox if b.label == "機關"]
    assert box.proto.placeholder == "全部機關"
    box.set_value(None).run()
    assert not at.exception and at.query_params.get("agency") in (None, [], "")
    [snap] = [b for b in at.sidebar.selectbox if b.label == "快照"]
    assert snap.proto.placeholder == "請選擇"


def test_map_tooltips_write_colons_and_row_numbers_as_the_language_does():
    """A walk: the Chinese map tooltips read 紀錄數: 52,611 and 列 3,460 (a row number with a thousands separator)."""
    import json as _json
    for lang, colon in (("zh", "紀錄數："), ("en", "Records: ")):
        tip = _json.loads(page("overview", lang).get("deck_gl_json_chart")[0].proto.tooltip)["html"]
        assert colon in tip and ("紀錄數:" not in tip), tip
    at = page("coordinates", "zh", agency=FROG_AGENCY)
    tip = _json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)["html"]
    assert "建議修正：" in tip and ": " not in tip.replace("{", ""), tip
    import pandas as pd
    pts = pd.DataFrame({"source_row": [3460], "record_id": [20000003460], "n": [1234]})
    shown = maps.tooltip_text(pts, ["source_row", "record_id", "n"])
    assert (shown["source_row_t"][0], shown["record_id_t"][0], shown["n_t"][0]) == ("3460", "20000003460", "1,234")


def test_completeness_says_why_blank_names_outnumber_the_missing_name_check():
    """A walk: the overview said "Scientific name missing 1,651", this page "19,735 of 439,098 blank", unexplained. The
    page says how many of the blank ones were named from the vernacular name, and that the rest fit no taxon or several."""
    blank = q(f"SELECT count(*) FROM {OCC} WHERE nullif(trim(scientificName), '') IS NULL")
    vern = q(f"SELECT count(*) FROM {FLAGS} WHERE check_id = 'TAXON_NAME_FROM_VERNACULAR'")
    missing = q(f"SELECT count(*) FROM {FLAGS} WHERE check_id = 'TAXON_NAME_MISSING'")
    assert blank > vern + missing > missing > 0
    at = page("completeness", "en", field="scientificName")
    note = [c.value for c in at.caption if "matched from the vernacular name" in c.value]
    assert note and f"{vern:,} of them" in note[0] and f"counts {missing:,}" in note[0], [c.value for c in at.caption]
    assert f"{blank - vern - missing:,} more give a vernacular name" in note[0]
    at = page("completeness", "en", field="eventDate")
    assert not any("vernacular name" in c.value for c in at.caption)


def test_a_page_comes_back_with_its_own_pickers_as_left():
    """A walk: a field and a dataset picked on the completeness page, a record opened, and the page's menu entry
    brought the page back on its default field and every dataset (only the sidebar's agency was carried). A page
    comes back as it was left, unless the URL that brings it names its own values."""
    at = page("completeness", "en", agency=__import__('dq.demo', fromlist=['x']).AMPHIBIAN_AGENCY)
    box = next(b for b in at.selectbox if b.label == "Field")
    other = "scientificName"
    assert box.value != other
    box.set_value(other).run()
    chosen = dict(at.query_params)["field"]
    at.switch_page("pages/rules.py").run()
    for k in list(at.query_params):      # the menu's link names no parameters of the page
        if k not in ("lang", "agency", "snapshot"):
            del at.query_params[k]
    at.switch_page("pages/completeness.py").run()
    assert not at.exception and dict(at.query_params).get("field") == chosen, dict(at.query_params)
    assert next(b for b in at.selectbox if b.label == "Field").value == other
    # a link naming the page's own value keeps it
    at.switch_page("pages/rules.py").run()
    at.query_params["field"] = "eventDate"
    at.switch_page("pages/completeness.py").run()
    assert dict(at.query_params).get("field") in ("eventDate", ["eventDate"])


def test_completeness_says_to_pick_a_level():
    """A walk: with every field level taken out the page said only "nothing to show", not what to do."""
    at = page("completeness", "en", levels="M")
    box = next(m for m in at.multiselect if m.label == "Field levels")
    box.set_value([]).run()
    assert any(i.value == "Pick at least one field level." for i in at.info), [i.value for i in at.info]


def test_completeness_counts_match():
    # BBS is judged as a Darwin Core dataset: its heatmap shows the occurrence profile's fields
    at = page("completeness", agency=BBS_AGENCY, field="scientificName")
    missing = q(f"SELECT count(*) FROM {OCC} WHERE agency = ? AND (scientificName IS NULL OR trim(scientificName) = '')", BBS_AGENCY)
    records = q(f"SELECT count(*) FROM {OCC} WHERE agency = ?", BBS_AGENCY)
    assert any(f"{missing:,}" in md.value and f"{records:,}" in md.value for md in at.markdown)


def test_completeness_missing_rows_open_their_record_and_go_out_whole():
    """A walk: the missing-field table stopped at 200 rows (of 54,773) with no download, and a click did nothing.
    Its CSV holds every record the summary counts, under the page's headings; a row is selectable (opens the record)."""
    import io
    import pandas as pd
    at = page("completeness", agency=BBS_AGENCY, field="scientificName")
    missing = q(f"SELECT count(*) FROM {OCC} WHERE agency = ? AND (scientificName IS NULL OR trim(scientificName) = '')", BBS_AGENCY)
    assert missing > 200
    raw = store.missing_rows_csv(DEMO_ROOT / DEMO_DATE, "scientificName", BBS_AGENCY, None, "en")
    got = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str)
    assert len(got) == missing, (len(got), missing)
    assert not any("_" in c for c in got.columns), list(got.columns)     # no snake_case headings
    assert any(c.value.startswith("點選一列") for c in at.caption)
    assert [b for b in at.get("download_button")], "no download on the completeness page"


def test_completeness_summary_counts_the_dataset_picked():
    """With a dataset picked (and no agency), the summary above the missing rows said every agency's total
    (439,098 records, 19,735 blank) beside a table of that one dataset's rows."""
    from dq.demo import AMPHIBIAN_AGENCY
    ds = q(f"SELECT dataset_id FROM {OCC} WHERE agency = ? LIMIT 1", AMPHIBIAN_AGENCY)
    at = page("completeness", field="scientificName", dataset=ds)
    missing = q(f"SELECT count(*) FROM {OCC} WHERE dataset_id = ? AND (scientificName IS NULL OR trim(scientificName) = '')", ds)
    records = q(f"SELECT count(*) FROM {OCC} WHERE dataset_id = ?", ds)
    total = q(f"SELECT count(*) FROM {OCC}")
    assert records < total and missing > 0
    assert any(f"{missing:,}" in md.value and f"{records:,}" in md.value for md in at.markdown), [md.value for md in at.markdown]
    assert not any(f"{total:,}" in md.value for md in at.markdown)


def test_coordinate_page_counts_match_and_agency_filter():
    at = page("coordinates", agency=FROG_AGENCY, coordchecks="COORD_TOWN_CENTROID")
    n = q(f"SELECT count(*) FROM {FLAGS} JOIN {OCC} USING (record_id) WHERE agency = ? AND check_id = 'COORD_TOWN_CENTROID' AND lat IS NOT NULL",
          FROG_AGENCY)
    assert any(f"{n:,}" in md.value for md in at.markdown)
    at2 = page("coordinates", agency=BBS_AGENCY, coordchecks="COORD_TOWN_CENTROID")
    n2 = q(f"SELECT count(*) FROM {FLAGS} JOIN {OCC} USING (record_id) WHERE agency = ? AND check_id = 'COORD_TOWN_CENTROID' AND lat IS NOT NULL",
           BBS_AGENCY)
    assert n2 != n and any(f"{n2:,}" in md.value for md in at2.markdown)


def test_coordinate_table_names_places_in_english():
    """The English page's flagged-records table named counties and towns in Chinese (its map's tooltips did not)."""
    at = page("coordinates", "en", agency=FROG_AGENCY, coordchecks="COORD_TOWN_CENTROID")
    with_county = [t.value for t in at.dataframe if "County" in t.value.columns]
    assert with_county and all(len(t) for t in with_county)
    for t in with_county:
        assert not t["County"].str.contains(r"[\u4e00-\u9fff]").any(), t["County"].head().tolist()
        assert t["County"].str.contains(r"County|City").any()


@pytest.mark.parametrize("level", ["grid", "county", "town", "h3"])
def test_coverage_page_every_map_level(level):
    page("coverage", level=level)


def test_coverage_checklist_numbers_follow_the_agency():
    at = page("coverage", agency=FROG_AGENCY, group="兩生類")
    cov = at.dataframe[0].value.set_index("類群")
    assert cov.loc["兩生類", "有紀錄物種數"] == 1            # the frog survey holds one species
    assert cov.loc["鳥類", "有紀錄物種數"] == 0
    at2 = page("coverage", agency=BBS_AGENCY, group="鳥類")
    cov2 = at2.dataframe[0].value.set_index("類群")
    assert cov2.loc["鳥類", "有紀錄物種數"] > 250
    un = at2.dataframe[1].value.rename(columns={"學名": "species", "TBIA 亦無紀錄": "tbia_unrecorded"})
    assert len(un) == cov2.loc["鳥類", "名錄物種數"] - cov2.loc["鳥類", "有紀錄物種數"]
    from dq.paths import REFERENCE
    nowhere = {r[0] for r in duckdb.sql(f"SELECT species FROM '{REFERENCE}/tbia_unrecorded.parquet'").fetchall()}
    assert 0 < un["tbia_unrecorded"].sum() < len(un)
    assert set(un.loc[un["tbia_unrecorded"], "species"]) == set(un["species"]) & nowhere


def test_compare_page_added_records_match():
    at = page("compare", a=DEMO_EARLIER, b=DEMO_DATE)
    # one diverging bar a check (four grouped bars a check were hairlines): gone to the left, came to the right
    import json as _json
    assert _json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["barmode"] == "relative"
    assert any("左側是消失的旗標" in str(c.value) for c in at.caption)
    m = metrics(at)
    old = records_sql(DEMO_ROOT / DEMO_EARLIER)
    added = q(f"SELECT count(*) FROM {OCC} n WHERE NOT EXISTS (SELECT 1 FROM {old} o WHERE o.occurrenceID = n.occurrenceID "
              "AND o.agency = n.agency AND o.dataset_id = n.dataset_id)")
    assert m["新增紀錄"] == f"{added:,}"
    assert m["移除紀錄"] == "0"
    at2 = page("compare", agency=FROG_AGENCY, a=DEMO_EARLIER, b=DEMO_DATE)
    assert metrics(at2)["新增紀錄"] == f"{q(f'SELECT count(*) FROM {OCC} WHERE agency = ?', FROG_AGENCY):,}"


def test_compare_page_opens_on_two_snapshots_when_the_oldest_is_picked():
    """A walk: with the sidebar on the oldest snapshot both pickers opened on it, and the page said only "pick two
    different snapshots"; it compares the oldest with the one after it."""
    at = page("compare", snapshot=DEMO_EARLIER)
    assert not at.warning, [w.value for w in at.warning]
    m = metrics(at)
    assert f"紀錄數（{DEMO_EARLIER}）" in m and f"紀錄數（{DEMO_DATE}）" in m, m     # full-width in Chinese (a walk)


def test_validate_page_lists_errors_first(tmp_path, monkeypatch):
    """A walk: the record-level table listed an info note (只鑑定到種以上, 7 rows) above the errors; errors come
    first, then warnings, then notes, as the report lists them."""
    monkeypatch.setenv("DQ_WORK_DIR", str(tmp_path / "work"))
    at = page("validate", "en")
    src = Path(__file__).parent / "fixtures" / "constructed_occurrence.csv"
    at.file_uploader[0].set_value(("constructed_occurrence.csv", src.read_bytes(), "text/csv")).run()
    assert not at.exception, [e.message for e in at.exception]
    [tbl] = [d.value for d in at.dataframe if "Severity" in d.value.columns and "Count" in d.value.columns]
    rank = tbl["Severity"].map({"error": 0, "warning": 1, "info": 2})
    assert rank.notna().all() and rank.is_monotonic_increasing and rank.nunique() == 3, tbl


def test_validate_page_keeps_the_last_file_across_pages(tmp_path, monkeypatch):
    """A walk: a look at the rules page and back, and the file just checked was gone (a re-upload needed). Its
    results are shown again, said to be the last file's; another profile picked then re-runs it from the kept copy;
    the uploader's × takes them away."""
    from dq import profiles
    monkeypatch.setenv("DQ_WORK_DIR", str(tmp_path / "work"))
    at = page("validate", "en")
    src = Path(__file__).parent / "fixtures" / "constructed_occurrence.csv"
    at.file_uploader[0].set_value(("constructed_occurrence.csv", src.read_bytes(), "text/csv")).run()
    before = metrics(at)
    assert before["Rows read"] == "141" and not at.info, before
    at.switch_page("pages/rules.py").run()
    assert at.title[0].value == "Rules"
    at.switch_page("pages/validate.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert metrics(at) == before and at.file_uploader[0].value is None
    assert any("constructed_occurrence.csv" in i.value for i in at.info), [i.value for i in at.info]
    box = at.selectbox(key=next(k for k in at.session_state if str(k).startswith("validate_profile_box_en")))
    other = next(p.id for p in profiles.judging() if p.id != box.value)
    first = at.session_state["validate_job"]
    box.set_value(other).run()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox(key=next(k for k in at.session_state if str(k).startswith("validate_profile_box_en"))).value == other
    assert metrics(at)["Rows read"] == "141" and not first.folder.exists()
    assert sum(1 for _ in (tmp_path / "work").rglob("job-*")) == 1
    # a file whose rejected row is a blank line says so under the counts, whole (cut under the count: a walk)
    taicol = Path(__file__).parent / "fixtures" / "taicol_amphibia_20220605.csv"
    at.file_uploader[0].set_value((taicol.name, taicol.read_bytes(), "text/csv")).run()
    assert metrics(at)["Rows rejected"] == "1" and not any(m.delta for m in at.metric)
    assert any(c.value == "Blank lines among the rows rejected: 1 (no data lost)." for c in at.caption)
    # uploaded again, then taken away with the uploader's ×
    at.file_uploader[0].set_value(("constructed_occurrence.csv", src.read_bytes(), "text/csv")).run()
    assert metrics(at)["Rows read"] == "141" and not at.info
    at.file_uploader[0].set_value(None).run()
    assert not at.metric and not at.info and "validate_job" not in at.session_state
    assert not any((tmp_path / "work").rglob("job-*"))


def test_a_new_agencys_scorecard_says_it_is_new():
    """A walk: the scorecard of an agency none of whose datasets the previous snapshot has put 無法比較 under every card
    and "added 1 … only the 0 datasets in both are compared"; it says the agency is new, and the cards show no change."""
    from dq.demo import AMPHIBIAN_AGENCY
    at = page("scorecard", agency=AMPHIBIAN_AGENCY)
    assert any("是新加入的機關" in c.value for c in at.caption), [c.value for c in at.caption]
    assert not any("兩邊都有的 0 個" in c.value for c in at.caption)
    assert all(not m.delta for m in at.metric[:6]), [(m.label, m.delta) for m in at.metric]
    at = page("scorecard", agency=BBS_AGENCY)     # an agency in both snapshots: its changes are shown
    assert not any("是新加入的機關" in c.value for c in at.caption)


def test_the_scorecard_says_a_file_level_error_beside_its_record_scores():
    """A walk: the amphibian survey's cards read 100.0 % while the Validate page sends the same file back for its
    missing occurrenceID column. The warning under the cards names it; an agency whose files lack no required
    column gets none."""
    from dq.demo import AMPHIBIAN_AGENCY
    at = page("scorecard", "en", agency=AMPHIBIAN_AGENCY)
    warn = [w.value for w in at.warning if "file-level error" in w.value]
    assert warn and "there is also 1 file-level error" in warn[0] and "(occurrenceID)" in warn[0], [w.value for w in at.warning]
    at = page("scorecard", agency=BBS_AGENCY)
    assert not any("檔案層級錯誤" in w.value for w in at.warning)


def test_validate_page_renders():
    at = page("validate", "en")
    assert at.title[0].value == "Validate a file"


def test_rules_page_lists_every_check():
    at = page("rules", "en")
    assert len(at.dataframe[0].value) == len(catalogue())


def test_rules_page_search_lists_only_the_rules_that_match():
    """A walk: the grid's own search highlighted cells but kept every rule listed. The page's search lists only the
    rules whose shown texts (the dimension and severity in words too) hold every word; a rule picked before the
    search stays shown below; a row picked in the searched list is that list's row."""
    every = len(catalogue())
    at = page("rules", "en", rule="COORD_COUNTY_MISMATCH")
    at.text_input(key="rules_search").input("duplicate").run()
    listed = at.dataframe[0].value
    assert 0 < len(listed) < every and all("duplicate" in " ".join(map(str, r)).casefold() for r in listed.itertuples()), listed
    assert set(listed["Check id"]) >= {"DUP_OCCURRENCE_ID", "DUP_RECORD"} and any("of " + str(every) in c.value for c in at.caption)
    assert at.query_params["rule"] in (["COORD_COUNTY_MISMATCH"], "COORD_COUNTY_MISMATCH")
    # two words: both must be there; a dimension in words is matched
    at.text_input(key="rules_search").input("coordinates error").run()
    listed = at.dataframe[0].value
    assert len(listed) and set(listed["Dimension"]) == {"Coordinates"} and set(listed["Severity"]) == {"error"}, listed
    at.session_state["rules_tbl_en_coordinates error"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    picked = listed["Check id"].iloc[1]
    assert at.query_params["rule"] in ([picked], picked)
    # another search is another table: the row picked in the last one is not ticked on whatever rule stands there now
    # (the grid kept its tick in a browser walk); the picked rule stays shown
    at.text_input(key="rules_search").input("duplicate").run()
    assert at.dataframe[0].proto.id != "" and "rules_tbl_en_duplicate" in at.session_state
    assert not at.session_state["rules_tbl_en_duplicate"]["selection"]["rows"]
    assert at.query_params["rule"] in ([picked], picked)
    # a yes/no column is no text to find ("true" had listed 102 rules); no match: said, no empty grid, no "click a row"
    at.text_input(key="rules_search").input("true").run()
    assert len(at.dataframe[0].value) < 5, at.dataframe[0].value     # selfProduced's "True or False"
    at.text_input(key="rules_search").input("zzqx").run()
    assert any("No rule matches" in i.value for i in at.info) and not any("Click a row" in c.value for c in at.caption)
    assert all("Check id" not in d.value.columns for d in at.dataframe)
    at.text_input(key="rules_search").input("").run()
    assert len(at.dataframe[0].value) == every
    at = page("rules", "zh")
    at.text_input(key="rules_search").input("坐標").run()
    assert 0 < len(at.dataframe[0].value) < every
    assert not at.exception


def test_rules_page_shows_a_picked_rule_whole():
    """A table cell cuts a long explanation: the rule in the URL (?rule=ID, which picking a row sets) is shown
    whole below the table, in the page's language; without one, the page says how to pick one."""
    import re
    c = next(c for c in catalogue() if c.id == "COORD_COUNTY_MISMATCH")
    assert len(c.explain_zh) > 60 and len(c.explain_en) > 120     # longer than a cell shows
    unescaped = lambda s: re.sub(r"\\(.)", r"\1", s)   # noqa: E731  (the page escapes markdown)
    for lang, title, text in (("zh", c.title_zh, c.explain_zh), ("en", c.title_en, c.explain_en)):
        at = page("rules", lang, rule=c.id)
        shown = unescaped(" ".join(m.value for m in at.markdown))
        assert title in shown and text in shown, shown[:300]
        assert any(c.id in unescaped(cap.value) for cap in at.caption)
    # picking a row sets ?rule and shows it; unpicking takes both away; a link's ?rule stays on the first run
    at = page("rules", "en")
    picked = at.dataframe[0].value.iloc[5]
    at.session_state["rules_tbl_en"] = {"selection": {"rows": [5], "columns": [], "cells": []}}
    at.run()
    shown = unescaped(" ".join(m.value for m in at.markdown))
    assert at.query_params["rule"] and picked.iloc[0] in shown, (dict(at.query_params), picked.iloc[0])
    at.session_state["rules_tbl_en"] = {"selection": {"rows": [], "columns": [], "cells": []}}
    at.run()
    assert "rule" not in at.query_params and any("Click a row" in cap.value for cap in at.caption)
    at = page("rules", "en", rule=c.id)
    at.run()
    assert at.query_params["rule"] == [c.id] or at.query_params["rule"] == c.id
    # the scorecard's example picker links its check to that detail
    links = [x.proto for x in page("scorecard", "en", agency=BBS_AGENCY, check=c.id).get("page_link")]
    assert any(x.page == "rules" and f"rule={c.id}" in x.query_string for x in links), links
    at = page("rules", "en")
    assert any("Click a row" in cap.value for cap in at.caption)
    assert not any(c.explain_en[:40] in m.value for m in at.markdown)


def test_opendata_page_numbers_match_and_level_filter():
    at = page("opendata", odgroup="parent", od=OD_LATER)
    league = at.dataframe[0].value
    top = league.iloc[0]   # the table holds what it shows, under the headings it shows (its own CSV download is it)
    ds = f"'{OD_DEMO_ROOT / OD_LATER}/datasets.parquet'"
    assert top["資料集數"] == q(f"SELECT count(*) FROM {ds} WHERE parent = ?", top["機關"])
    assert not [c for c in league.columns if re.fullmatch(r"[a-z0-9_]+", c)], list(league.columns)
    shares = [c for c in league.columns if c.endswith("(%)")]
    assert shares and all(((league[c].dropna() * 10).round(6) % 1 == 0).all() and league[c].max() <= 100 for c in shares)
    at2 = page("opendata", odgroup="agency", odlevel="local", od=OD_LATER)
    assert len(at2.dataframe[0].value) == q(f"SELECT count(DISTINCT agency) FROM {ds} WHERE level = 'local'")
    at3 = page("opendata", odgroup="agency", odlevel="central", od=OD_LATER)   # the city portals hold no central agency
    assert not at3.dataframe and at3.info
    at.button[-1].click().run()   # the meeting report
    assert not at.exception and len(at.get("download_button")) == 4
    en = page("opendata", "en", od=OD_LATER)
    assert any("written in Traditional Chinese" in c.value for c in en.caption)


# ---- issue 11: what a user meets -------------------------------------------------------------

import re

from dq import maps, store

PAGES = ["overview", "scorecard", "completeness", "coordinates", "coverage", "compare", "opendata", "od_dataset", "validate", "rules",
         "record"]
# words that stay as they are in a zh-TW UI: names of standards, formats, systems and units
LATIN_OK = {"TBIA", "TaiCOL", "H3", "CSV", "XLSX", "Parquet", "HTML", "TSV", "TXT", "ZIP", "zip", "MB", "Darwin", "Core", "Archive", "DwC",
            "python", "dq", "validate", "ingest", "build", "demo", "FILE", "DIR", "out", "pp", "log", "km", "CR", "EN", "VU",
            "TWD97", "TWD67", "WGS84", "EPSG", "pyproj", "TM2", "df_gapCount", "priority", "occurrenceID", "verbatimSRS", "UTF",
            "GBIF", "TDWG", "BDQ", "TG2", "GUID", "bdq", "conformance"}   # standards and CLI words (#9, #12); profiles go by their names
LATIN_OK |= {term for fields in __import__("dq.standard").standard.FIELDS.values() for term, _, _ in fields}   # the standard's own field codes


def _data_values() -> set[str]:
    """Data shown as labels (agency, dataset and place names): not UI text in either language."""
    snap = store.by_name(DEMO_DATE)
    ds = store.datasets(snap)
    vals = set(ds["agency"]) | set(ds["dataset_id"]) | set(ds["dataset_name"].dropna())
    return {v for v in vals if v}


def _ui_texts(at) -> list[str]:
    out = [e.value for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "success", "error")
           for e in getattr(at, kind)]
    out += [m.label for m in at.metric]
    for kind in ("selectbox", "multiselect", "radio", "toggle", "text_input", "button"):
        for w in at.get(kind):
            if getattr(w, "key", None) == "lang_switch":   # bilingual on purpose: findable by a reader of either
                continue
            out.append(getattr(w, "label", "") or "")
            if kind in ("selectbox", "multiselect") and w.proto.options:
                out += list(w.proto.options)
    out += [_heading(d, c) for d in at.dataframe for c in d.value.columns]
    out += [p.proto.label for p in at.get("page_link")]
    return out


def _heading(d, col) -> str:
    """A table column's heading as the browser shows it: its column_config label, else its name."""
    import json as _json
    conf = _json.loads(d.proto.columns or "{}")
    return (conf.get(str(col)) or {}).get("label") or str(col)


def _strip(text: str, data: set[str] | frozenset[str]) -> str:
    text = str(text)
    for v in _longest_first(data if isinstance(data, frozenset) else frozenset(map(str, data))):
        text = text.replace(v, " ")
    text = re.sub(r"\b[\w-]+(\.[\w-]+)*\.(tw|org|com|net|gov)\b(/\S*)?", " ", text)   # a site's address is its name
    return re.sub(r"\d{4}-\d{2}-\d{2}", " ", text)


@__import__("functools").lru_cache(maxsize=8)
def _longest_first(data: frozenset[str]) -> tuple[str, ...]:
    """The values to strip, longest first: sorted once per set, not once per text."""
    return tuple(sorted(map(str, data), key=len, reverse=True))


ID_HEADINGS = {"規則代碼", "Check id", "代碼", "Id", "欄位代碼"}   # the one dedicated id or code column a table may have
CHECK_IDS = set(__import__("dq.checks").checks.by_id())   # COORD_IN_SEA, MISSING_habitat, DWC_BASIS_OF_RECORD_MISSING …


def _ids_in(text: str) -> set[str]:
    return set(re.findall(r"\b[A-Z][A-Z0-9]*(?:_[A-Za-z0-9]+)+\b", text)) & CHECK_IDS
PROFILE_IDS = {p.id for p in __import__("dq.profiles").profiles.PROFILES}
BLANKS = {"None", "nan", "NaN", "<NA>", "NaT", "none", "null"}


@__import__("functools").cache
def _od_data() -> frozenset[str]:
    """The shown catalogue's own names (agencies, datasets, frequencies, licences): data, not UI text."""
    from dq import opendata
    s_ = opendata.default_snapshot()   # the one both open-data pages open on
    m = opendata.agency_metrics(s_, "agency")
    vals = set(m["agency"].dropna()) | set(opendata.sources_note(s_))   # sources: their own names
    for a in m["agency"].head(1):   # the agency the pages open on
        d = opendata.datasets(s_, a)
        vals |= {str(v) for c in d.columns for v in d[c].dropna()}
    return frozenset(v for v in vals if v)


def _od_params() -> dict:
    from dq.bench import _od_dataset_key
    od, ds = _od_dataset_key()
    return {"od": od, "ds": ds}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_speaks_the_ui_language_and_shows_no_internals(name):
    """Walks the page in zh-TW and in English: every label, heading, caption, option and column heading is
    in the UI language (data aside); no table cell or text shows a check id (outside a dedicated, translated
    id column), a profile id, a table kind's key, a snake_case heading, or "None"/"nan" for a blank."""
    data = _data_values()
    extra = _od_params() if name == "od_dataset" else {}
    if name in ("opendata", "od_dataset"):
        data |= _od_data()
    if name == "record":   # the record's own names are data
        data |= set(duckdb.execute(f"SELECT scientificName, vernacularName, source_file, county, town FROM {OCC} WHERE record_id = 10000000001").fetchone())
    for lang in ("zh", "en"):
        at = page(name, lang, agency=BBS_AGENCY, record="10000000001", **extra)
        # d.value decodes the table's Arrow bytes on every access: once per table (per cell it was 40 s a page)
        frames = [(d, d.value) for d in at.dataframe]
        shown = {str(v) for _, df in frames for c in df.columns if df[c].dtype == object for v in df[c].astype(str)}
        texts = _ui_texts(at)
        known = frozenset(map(str, data))
        known_shown = frozenset(map(str, data | (shown if name in ("opendata", "od_dataset") else set())))
        for text in texts:
            t = _strip(text, known_shown)
            if lang == "zh":
                words = set(re.findall(r"[A-Za-z][A-Za-z_0-9]+", t))
                assert words <= LATIN_OK, (name, text, words - LATIN_OK)
            else:
                assert not re.search(r"[\u4e00-\u9fff]", t), (name, text)
            assert not _ids_in(_strip(text, known)), (name, lang, text)
            # in prose only the coined ids (eco-check, fit-1km) give one away; "occurrence", "checklist" are words
            assert not set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", text)) & {p for p in PROFILE_IDS if "-" in p}, (name, lang, text)
        for d, df in frames:
            # a blank shows as "—": Streamlit draws a missing value as "None" unless told otherwise
            assert not df.isna().to_numpy().any() or d.proto.placeholder == "—", (name, lang, list(df.columns))
            heads = [_heading(d, c) for c in df.columns]
            assert not [c for c in heads if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", c)], (name, lang, heads)
            for c in df.columns:
                cells = set(df[c].astype(str))
                assert not cells & BLANKS, (name, lang, c)
                if _heading(d, c) in ID_HEADINGS:
                    continue
                assert not cells & (PROFILE_IDS | {"project", "species_list"}), (name, lang, c, cells & PROFILE_IDS)
                leaks = [v for v in cells if _ids_in(_strip(v, known))]
                leaks += [v for v in cells - data if isinstance(v, str) and re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)+", v)]   # an internal name
                assert not leaks, (name, lang, c, leaks[:3])
                if _heading(d, c) in ("嚴重度", "Severity"):
                    assert cells <= ({"錯誤", "警告", "提示"} if lang == "zh" else {"error", "warning", "info", "Error", "Warning", "Info"}), (name, lang, cells)


def test_ten_language_toggles_all_take_effect_and_keep_the_choices():
    at = page("coordinates", "zh", agency=FROG_AGENCY)
    chosen = at.multiselect[0].value
    assert chosen
    for i in range(10):
        want = "en" if i % 2 == 0 else "zh"
        [r for r in at.radio if r.label == "語言 / Language"][0].set_value(want).run()
        assert not at.exception
        assert at.title[0].value == ("Coordinate errors" if want == "en" else "坐標檢核"), i
        agency = [w for w in at.selectbox if w.label in ("機關", "Agency")]
        assert len(agency) == 1 and agency[0].value == FROG_AGENCY, i   # the sidebar agency: never "Choose an option"
        assert at.multiselect[0].value == chosen, i               # the checks chosen stay chosen
        assert at.multiselect[0].label == ("Checks" if want == "en" else "檢核規則")
        assert all(w.proto.select_all == 0 for w in at.multiselect)   # no English "Select all"


def _english_fixes_built() -> bool:
    """The demo snapshots carry English suggestions (flags.parquet and od_flags.parquet have suggestion_en)."""
    import pyarrow.parquet as pq
    from dq import opendata
    od = opendata.default_snapshot()
    return all("suggestion_en" in pq.read_schema(f).names for f in (DEMO_ROOT / DEMO_DATE / "flags.parquet", od / "od_flags.parquet"))


FIX_HEADINGS = {"Suggested fix", "Suggested fix or what to check"}


@pytest.mark.parametrize("name,params", [("coordinates", {}), ("scorecard", {"fixchecks": "COORD_TOWN_CENTROID"}), ("record", {}),
                                         ("opendata", {}), ("od_dataset", None)])
def test_english_mode_shows_english_fixes(name, params):
    """In English, every suggested fix a page shows (tables, map tooltips) is the English one: its first word is
    not Chinese (place, institution and vernacular names inside it are data)."""
    if not _english_fixes_built():
        pytest.skip("the demo snapshots predate suggestion_en: rebuild them (python -m dq build-demo)")
    import json as _json
    at = page(name, "en", agency=FROG_AGENCY, record="10000000001", **(_od_params() if params is None else params))
    fixes = [str(v) for d, df in ((d, d.value) for d in at.dataframe) for c in df.columns if _heading(d, c) in FIX_HEADINGS for v in df[c]]
    fixes += [str(v) for df in (t.value for t in at.table) for c in df.columns if c in FIX_HEADINGS for v in df[c]]   # static tables
    for deck in at.get("deck_gl_json_chart"):
        for layer in _json.loads(deck.proto.json).get("layers", []):
            data = layer.get("data")
            fixes += [str(r["suggestion_t"]) for r in data if "suggestion_t" in r] if isinstance(data, list) else []
    fixes = [f for f in fixes if f != "—"]
    assert fixes, f"{name}: no suggested fix shown to check"
    chinese = [f for f in fixes if re.match(r"^[^A-Za-z\u4e00-\u9fff]*[\u4e00-\u9fff]", f)]
    assert not chinese, (name, chinese[:3])


def test_coordinate_page_defaults_and_counts_add_up():
    at = page("coordinates")
    chosen = set(at.multiselect[0].value)
    assert {"COORD_OUTSIDE_TAIWAN", "COORD_OUT_OF_RANGE", "COORD_IN_SEA"} <= chosen
    assert "COORD_MISSING" not in chosen and "COORD_UNCERTAINTY_MISSING" not in chosen
    flags = q(f"SELECT count(*) FROM {FLAGS} WHERE list_contains(?, check_id)", sorted(chosen))
    mapped = q(f"SELECT count(*) FROM {FLAGS} JOIN {OCC} USING (record_id) WHERE list_contains(?, check_id) AND lat IS NOT NULL",
               sorted(chosen))
    text = at.markdown[0].value
    assert f"{flags:,} 個旗標" in text and f"{mapped:,} 個畫在地圖上" in text and f"{flags - mapped:,} 個沒有可畫的點位" in text
    assert flags - mapped > 0   # COORD_OUT_OF_RANGE has no point: listed, not lost
    unmapped = at.dataframe[1].value
    assert len(unmapped) == flags - mapped and set(unmapped["規則名稱"]) == {"坐標超出範圍"}
    # outside-Taiwan points are in view
    pts, _ = store.flagged_points(store.by_name(DEMO_DATE), ["COORD_OUTSIDE_TAIWAN"])
    v = maps.fit_view(pts["lon"], pts["lat"])
    assert _in_view(v, pts["lon"], pts["lat"], maps.MAP_WIDTH, maps.MAP_HEIGHT)


def _in_view(v, lons, lats, w, h) -> bool:
    """Every point inside a w × h px map at view v (Web Mercator, 512 px world at zoom 0)."""
    import math
    scale = 2 ** v.zoom
    cx, cy = (v.longitude + 180) / 360 * 512, maps._merc_y(v.latitude)
    return all(abs(((x + 180) / 360 * 512 - cx) * scale) <= w / 2 and abs((maps._merc_y(y) - cy) * scale) <= h / 2
               for x, y in zip(lons, lats))


def test_maps_show_kinmen_and_matsu_and_leave_the_wheel_to_the_page():
    west, south, east, north = maps.TAIWAN_BOUNDS
    kinmen, matsu, lanyu = (118.32, 24.45), (119.95, 26.16), (121.55, 22.04)
    for w in (maps.NARROW_MAP_WIDTH, maps.MAP_WIDTH):
        v = maps.fit_view(width=w)
        assert _in_view(v, [p[0] for p in (kinmen, matsu, lanyu)], [p[1] for p in (kinmen, matsu, lanyu)], w, maps.MAP_HEIGHT)
    d = maps.deck([], "")
    assert '"scrollZoom":false' in d.to_json()
    # no base map: Streamlit fills a missing or None map style with CARTO's (a second WebGL context per
    # map and a request offline installs cannot answer); pydeck's own default means none
    from pydeck.bindings.deck import _DEFAULT_MAP_STYLE_SENTINEL
    assert __import__("json").loads(d.to_json()).get("mapStyle") == _DEFAULT_MAP_STYLE_SENTINEL


def test_overview_lists_agencies_with_scores_linking_to_scorecards():
    at = page("overview")
    links = {p.proto.label: p.proto for p in at.get("page_link")}
    league = store.agency_league(store.by_name(DEMO_DATE))
    assert set(links) == set(league["agency"])
    for a in league["agency"]:
        assert links[a].page == "scorecard" and "agency=" in links[a].query_string
    bbs = q(f"SELECT count(*) FROM {OCC} WHERE agency = ?", BBS_AGENCY)
    assert f"{bbs:,}" in [m.value for m in at.markdown]


def test_the_agency_table_and_the_scorecard_give_one_completeness():
    """The overview's agency table read 100 % completeness for agencies whose scorecard said 54-57 % (the
    share of records without a completeness error against the graded share of fields filled)."""
    snap = store.by_name(DEMO_DATE)
    league = store.agency_league(snap).set_index("agency")
    got = {a: store.scores(snap, a)["completeness"] for a in league.index}
    assert league["score_completeness"].to_dict() == pytest.approx(got)
    assert min(got.values()) < 0.9 < max(got.values())


def test_record_page_without_a_date_shows_no_nat_and_says_what_to_do():
    """A record without a date showed "NaT" as its date used, and its DATE_MISSING finding a bare "—" where
    the fix list says what to do (the check's own sentence)."""
    rid = q(f"SELECT record_id FROM {FLAGS} WHERE check_id = 'DATE_MISSING' ORDER BY 1 LIMIT 1")
    for lang in ("zh", "en"):
        at = page("record", lang, record=str(rid))
        frames = [d.value for d in at.table] + [d.value for d in at.dataframe]
        text = " ".join(f.astype(str).to_string() for f in frames)
        assert "NaT" not in text and "None" not in text
        findings = frames[0]   # the findings: a static table (its cells wrap)
        sugg = findings[[c for c in findings.columns if c in ("Suggested fix", "建議修正")][0]]
        assert sugg.str.strip().ne("—").all() and sugg.str.len().gt(3).all()


def test_coordinates_page_opens_on_missing_points_when_that_is_all_an_agency_has():
    """NTU/OCA's reef survey has 5,801 records without a point and no coordinate finding a map can show:
    the page opened on an empty picker ("pick at least one check")."""
    snap = store.by_name(DEMO_DATE)
    for agency in store.agency_league(snap)["agency"]:
        counts = store.check_counts(snap, "coordinates", agency)
        if set(counts["check_id"]) and set(counts["check_id"]) <= {"COORD_MISSING", "COORD_NOT_NUMERIC", "COORD_UNCERTAINTY_MISSING",
                                                                  "COORD_LOW_PRECISION", "COORD_SRS_UNKNOWN"}:
            break
    else:
        pytest.skip("no agency of the demo has only missing points")
    at = page("coordinates", "en", agency=agency)
    assert not [i for i in at.info if "at least one" in i.value]
    assert at.multiselect[0].value and set(at.multiselect[0].value) <= {"COORD_MISSING", "COORD_NOT_NUMERIC"}


def test_record_page_lists_every_finding_and_handles_bad_links():
    rid = q(f"SELECT record_id FROM {FLAGS} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
    n = q(f"SELECT count(*) FROM {FLAGS} WHERE record_id = ?", rid)
    at = page("record", "en", record=str(rid))
    assert metrics(at)["Findings"] == f"{n:,}"
    findings = at.table[0].value
    from dq.checks import by_id
    assert len(findings) == n and set(findings["Check"]) == {by_id()[r[0]].title_en for r in duckdb.execute(
        f"SELECT check_id FROM {FLAGS} WHERE record_id = ?", [rid]).fetchall()}
    assert "None" not in findings.astype(str).to_numpy().ravel().tolist()
    # each finding quotes the values it is about (a walk: "out of range" with the latitude 17 rows down, off screen)
    bad = q(f"SELECT record_id FROM {FLAGS} WHERE check_id = 'COORD_OUT_OF_RANGE' ORDER BY 1 LIMIT 1")
    lat = q(f"SELECT decimalLatitude FROM {store.records_sql(DEMO_ROOT / DEMO_DATE)} WHERE record_id = ?", bad)
    out = page("record", "en", record=str(bad)).table[0].value.set_index("Check")
    assert f"decimalLatitude={lat}" in out.loc[by_id()["COORD_OUT_OF_RANGE"].title_en, "Values"]
    # the fields table names the agency as the subtitle does, in English (a browser walk found it in Chinese)
    from dq import i18n
    agency = q(f"SELECT agency FROM {store.records_sql(DEMO_ROOT / DEMO_DATE)} WHERE record_id = ?", rid)
    shown = [d.value for d in at.dataframe if "Value" in d.value.columns][0]
    assert i18n.agency_en(agency) in shown["Value"].tolist()
    for bad, msg in (("abc", "not a record id"), ("1", "holds no record")):
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.query_params.update({"lang": "en", "record": bad})
        at.run()
        at.switch_page("pages/record.py").run()
        assert at.error and msg in at.error[0].value and not at.exception


def test_record_page_heads_an_unnamed_record_by_its_id_and_lists_the_dataset_once():
    """A walk: a record without a name was headed "—", and its dataset code and name were listed twice (as where
    it came from and as the file's own fields)."""
    rid, oid = duckdb.execute(f"SELECT record_id, occurrenceID FROM {OCC} WHERE nullif(trim(scientificName), '') IS NULL "
                              "AND nullif(trim(vernacularName), '') IS NULL AND occurrenceID IS NOT NULL ORDER BY 1 LIMIT 1").fetchone()
    at = page("record", "zh", record=str(rid))
    assert at.subheader[0].value == f"未寫物種名稱的紀錄（{oid}）"
    named = q(f"SELECT record_id FROM {OCC} WHERE datasetID IS NOT NULL AND datasetName IS NOT NULL ORDER BY 1 LIMIT 1")
    fields = [d.value for d in page("record", "zh", record=str(named)).dataframe if "欄位" in d.value.columns][0]
    values = fields["值"].astype(str).tolist() if "值" in fields.columns else fields.iloc[:, 2].astype(str).tolist()
    ds = q(f"SELECT datasetID FROM {OCC} WHERE record_id = ?", named)
    assert values.count(ds) == 1, fields


def test_record_page_shows_a_point_abroad_with_taiwan_in_view():
    """A walk's finding: the record most in need of a look (a BBS point at 21.0°N, outside Taiwan's land and
    waters) was one dot on a white map zoomed on itself, its caption ending "· — —"."""
    import json as _json
    rid = q(f"SELECT min(record_id) FROM {FLAGS} WHERE check_id = 'COORD_OUTSIDE_TAIWAN'")
    for lang, nowhere in (("en", "in no county"), ("zh", "不在任何縣市內")):
        at = page("record", lang, record=str(rid))
        view = _json.loads(at.get("deck_gl_json_chart")[0].proto.json)["initialViewState"]
        assert view["zoom"] < 7 and 22 < view["latitude"] < 25.5 and 119 < view["longitude"] < 122
        assert any(nowhere in str(c.value) for c in at.caption) and not any("— —" in str(c.value) for c in at.caption)


def test_dataset_pickers_offer_dataset_names_not_ids():
    """The coordinates and completeness pages offered "TWBBS" and "amphibian-survey-2008-2016"."""
    for name in ("coordinates", "completeness"):
        at = page(name, "en")
        pick = [w for w in at.selectbox if w.label == "Dataset"][0]
        assert "臺灣繁殖鳥類大調查 2009–2016 (BBS Taiwan)" in pick.options and "TWBBS" not in pick.options, pick.options


def test_overview_map_says_how_many_records_it_cannot_place():
    """A walk: the reef survey's counties read 100 % on the overview map beside an agency score of 60 %, with
    nothing saying most of its records (points at sea or none) are not on the map; the count is stated."""
    from dq.demo import REEF_AGENCY
    s = store.by_name(DEMO_DATE)
    n = store.kpis(s, REEF_AGENCY)["records"] - int(store.county_quality(s, REEF_AGENCY)["records"].sum())
    assert n > 0
    at = page("overview", "en", agency=REEF_AGENCY)
    assert any(f"{n:,} more records" in str(c.value) for c in at.caption), [c.value for c in at.caption]
    # and no measure the map cannot tell apart: a record with a coordinate error has no county, so "share
    # without coordinate errors" was 100 % in every county by construction
    from dq.i18n import LABELS
    [measures] = [b.options for b in at.selectbox if b.label == LABELS["measure"][1]]
    assert "Share without coordinate errors" not in measures and "Share without taxonomy errors" in measures, measures
    assert set(store.county_quality(s)["ok_coordinates"]) == {1.0}


def test_coordinates_page_says_which_pointless_records_it_leaves_out():
    """A walk: "Records without a point (17 flags)" beside 6,944 records whose coordinates are missing, a check not
    chosen by default; the page names what it leaves out and how many."""
    n = q(f"SELECT count(*) FROM {FLAGS} WHERE check_id = 'COORD_MISSING'")
    at = page("coordinates", "en")
    assert any(f"Coordinates missing ({n:,})" in str(c.value) for c in at.caption), [c.value for c in at.caption]


def test_scorecard_says_which_fields_were_given_at_ingest():
    """A walk: the frog file validated alone has three file-level findings and 42.9 % completeness, its scorecard
    none and 57.1 % — the demo gave those fields at ingest, which only the record page said."""
    from dq.demo import AMPHIBIAN_AGENCY
    at = page("scorecard", "en", agency=AMPHIBIAN_AGENCY)
    said = [str(c.value) for c in at.caption if c.value.startswith("Given at ingest")]
    assert said and "Basis of record" in said[0] and "amphibian_survey_2008_2016.csv" in said[0]
    assert not [c for c in page("scorecard", "en", agency=BBS_AGENCY).caption if c.value.startswith("Given at ingest")]


def test_fix_list_values_name_the_files_own_columns():
    """A walk: the amphibian survey's fix list read "vernacularName=日本樹蛙" where the agency's column is 蛙種; the
    values name each field as the record's own file heads it (a Darwin Core file's stay as they are)."""
    from dq.demo import AMPHIBIAN_AGENCY
    s = store.by_name(DEMO_DATE)
    fl = store.fix_list(s, AMPHIBIAN_AGENCY, ["TAXON_VERNACULAR_AMBIGUOUS"], None, "zh")
    assert len(fl) and fl["values"].str.startswith("蛙種=").all() and not fl["values"].str.contains("vernacularName").any()
    bbs = store.fix_list(s, BBS_AGENCY, ["COORD_OUT_OF_RANGE"], None, "en")
    assert len(bbs) and bbs["values"].str.contains("decimalLatitude=").all()
    # a county or town mismatch shows the place text it was read from (a browser walk: only the point was shown,
    # never the 鄉鎮 column that named 新店區, nor BBS's locality naming 烏日區)
    town = store.fix_list(s, AMPHIBIAN_AGENCY, ["COORD_TOWN_MISMATCH"], None, "zh")
    assert len(town) and town["values"].str.contains("鄉鎮=新店區").all() and town["values"].str.contains("縣市=新北市").all()
    for check in ("COORD_TOWN_MISMATCH", "COORD_COUNTY_MISMATCH"):
        b = store.fix_list(s, BBS_AGENCY, [check], None, "en")
        assert len(b) and b["values"].str.contains("locality=").all(), check


def test_coverage_opens_on_a_group_with_data_and_hides_unmatched():
    at = page("coverage", agency=FROG_AGENCY)
    group = [w for w in at.selectbox if w.label == "類群"][0].value
    cov = at.dataframe[0].value.set_index("類群")
    assert cov.loc[group, "有紀錄物種數"] > 0
    texts = [str(c.value) for c in at.caption]
    heat = [c for c in at.get("plotly_chart")]
    assert heat and "未比對" not in heat[0].proto.spec
    # every county a column (one without records is the gap), a zero blank, not the colour of a one
    import json as _json
    hm = _json.loads(heat[0].proto.spec)["data"][0]
    assert len(hm["x"]) == 22 and "澎湖縣" in hm["x"]
    assert all((z is None) == (t == "0") for zr, tr in zip(hm["z"], hm["text"]) for z, t in zip(zr, tr))
    # plant endemism: counted where the reference knows it, otherwise unknown (—), never a false 0
    plants = cov.loc["維管束植物", "名錄特有種"]
    ref = q(f"SELECT count(*) FROM '{REFERENCE}/checklist.parquet' WHERE group_zh = '維管束植物' AND is_endemic")
    if ref == 0:
        assert plants == "—" and any("維管束植物" in t for t in texts)
    else:
        assert plants != "—" and int(plants) > 0


def test_map_tooltips_show_separators_and_dashes_not_none():
    snap = store.by_name(DEMO_DATE)
    cq = store.county_quality(snap, FROG_AGENCY)
    layer = maps.choropleth_layer(store.outlines("county"), cq, ["county"], "ok_content", ["county", "records"])
    props = [f["properties"] for f in layer.data["features"]]
    big = [p for p in props if p["records"] != "—" and int(p["records"].replace(",", "")) >= 1000]
    assert big and all("," in p["records"] for p in big)
    assert any(p["records"] == "—" for p in props)        # a county without the agency's records: a dash, not None
    assert not [p for p in props if p["records"] in ("None", "nan", None)]
    pts, _ = store.flagged_points(snap, ["COORD_TOWN_CENTROID"], FROG_AGENCY)
    shown = maps.tooltip_text(pts, ["n", "suggestion"])
    assert not set(shown["suggestion_t"]) & {"None", "nan", ""} and (shown["n_t"] == pts["n"].map(lambda n: f"{n:,}")).all()


def test_plant_endemism_comes_from_the_name_list(tmp_path):
    """The vascular-plant checklist takes endemism from twnamelist's endemic column (Abies kawakamii,
    Taiwania cryptomerioides: endemic; Zelkova serrata: not), so coverage can count endemic plants."""
    from dq import taxonomy
    from dq.paths import SHARED_DATA
    taxonomy.build_reference(SHARED_DATA, tmp_path)
    ck = f"'{tmp_path}/checklist.parquet'"
    flag = dict(duckdb.execute(f"SELECT name, is_endemic FROM {ck} WHERE name IN "
                               "('Abies kawakamii', 'Taiwania cryptomerioides', 'Zelkova serrata')").fetchall())
    assert flag == {"Abies kawakamii": True, "Taiwania cryptomerioides": True, "Zelkova serrata": False}
    n = q(f"SELECT count(*) FROM {ck} WHERE group_zh = '維管束植物' AND status = 'accepted' AND rank = 'species' AND is_endemic")
    assert 700 < n < 1300   # Taiwan has roughly a thousand endemic vascular plant species
    # a name the list marks endemic and 栽培 (cultivated) at once contradicts itself: its status is not known
    # (13 names; a native record of Iris japonica or Ponerorchis tominagai was told "listed as introduced"),
    # while a 栽培 name not marked endemic stays introduced as the list says
    alien = dict(duckdb.execute(f"SELECT name, is_alien FROM {ck} WHERE status = 'accepted' AND name IN "
                                "('Iris japonica', 'Ponerorchis tominagai', 'Ixeridium calcicola', 'Pinus taiwanensis')").fetchall())
    assert alien == {"Iris japonica": None, "Ponerorchis tominagai": None, "Ixeridium calcicola": None, "Pinus taiwanensis": False}, alien


def test_heatmaps_keep_their_colour_bar_log_scale_and_flat_titles():
    import json as _json
    at = page("coverage", agency=BBS_AGENCY)
    heat = _json.loads(at.get("plotly_chart")[0].proto.spec)
    h = heat["data"][0]
    cells = [c for row in h["text"] for c in row]
    # 22 counties: 48,890 would be drawn at 8 px, so counts from 10,000 are written 4.89萬 (the exact count on
    # hover); smaller ones whole (2,261), never "48.89k"
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})?|\d+(\.\d+)?萬|—", c) for c in cells), cells
    assert any("," in c for c in cells) and any("萬" in c for c in cells) and h["textfont"]["size"] >= 9
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})*|—", c) for row in h["customdata"] for c in row)
    assert h["colorbar"]["lenmode"] == "pixels" and h["colorbar"]["ticktext"][:2] == ["1", "10"]   # log scale, real counts
    assert h["zmax"] < 10                                                  # log10 of the counts, not the counts
    assert not heat["layout"]["yaxis"].get("title", {}).get("text")        # no CJK title lying on its side …
    # … it sits above the axis's labels, ending where they end (over the first column of cells, it read as that column's)
    assert any(a["text"] == "<b>類群</b>" and a["xanchor"] == "right" and a["x"] == 0 for a in heat["layout"]["annotations"])
    comp = _json.loads(page("completeness", agency=FROG_AGENCY).get("plotly_chart")[0].proto.spec)
    assert comp["data"][0]["colorbar"]["lenmode"] == "pixels" and comp["layout"]["height"] >= 320   # one row: bar still readable


def test_overview_share_changes_compare_like_with_like():
    """Three publishers joined between the demo snapshots: the shares' change is measured on the datasets
    present in both (here BBS's), the naive whole-population change (a drop) is not shown, and the caption
    names who was added."""
    old_occ = records_sql(DEMO_ROOT / DEMO_EARLIER)
    both = f"(agency, dataset_id) IN (SELECT DISTINCT agency, dataset_id FROM {old_occ})"
    like = q(f"SELECT avg((n_errors = 0)::INT) FROM {OCC} WHERE {both}") - q(f"SELECT avg((n_errors = 0)::INT) FROM {old_occ}")
    naive = q(f"SELECT avg((n_errors = 0)::INT) FROM {OCC}") - q(f"SELECT avg((n_errors = 0)::INT) FROM {old_occ}")
    assert f"{naive * 100:+.1f}" != f"{like * 100:+.1f}"   # the populations differ enough to tell the two apart
    at = page("overview")
    m = {x.label: x for x in at.metric}
    assert m["無錯誤紀錄比例"].delta == f"{like * 100:+.1f} 個百分點"
    added = [r[0] for r in duckdb.execute(f"SELECT DISTINCT agency FROM {OCC} EXCEPT SELECT DISTINCT agency FROM {old_occ}").fetchall()]
    assert len(added) == 3
    note = [c.value for c in at.caption if "不計入比例增減" in c.value]
    assert note and all(a in note[0] for a in added) and "只比較兩個快照都有的 1 個資料集" in note[0]
    # an agency that was not in the earlier snapshot: its shares are not comparable, never a drop
    at = page("overview", agency=FROG_AGENCY)
    assert {x.label: x.delta for x in at.metric}["無錯誤紀錄比例"] in (None, "", "無法比較")
    sc = page("scorecard", agency=FROG_AGENCY)
    assert all(x.delta in (None, "", "無法比較") for x in sc.metric if x.value.endswith("%"))


def test_validate_report_names_checks_by_title_and_keeps_ids_in_their_own_column(damaged_cli):
    """The report a submitter downloads (the Validate page's and `dq validate`'s): check titles and the table
    kind's name; the check id only in the last column of the findings tables, under a translated heading."""
    import json as _json
    from dq.checks import by_id
    r, tmp_path = damaged_cli    # `dq validate frog_head_damaged.csv`, run once for the session (tests/conftest.py)
    assert r.returncode == 0, r.stderr
    s = _json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert s["checks"] and s["file_findings"]
    for name, lang in (("report.html", "zh"), ("report_en.html", "en")):
        html = (tmp_path / name).read_text(encoding="utf-8")
        assert ("規則代碼" if lang == "zh" else "Check id") in html
        ids_cols = re.findall(r"<td class='note'>([A-Za-z0-9_]+)</td>", html)
        # one id per findings row, in its column: the checks, and the BDQ tests that found issues on some rows
        bdq_found = {t for t, v in s["bdq"].items() if v.get("NOT_COMPLIANT", 0) + v.get("POTENTIAL_ISSUE", 0)} - set(s["bdq_failed_for_missing_columns"])
        assert set(ids_cols) == set(s["checks"]) | set(s["file_findings"]) | bdq_found
        rest = re.sub(r"<td class='note'>[A-Za-z0-9_]+</td>|(href|id)='#?[A-Za-z0-9_]+'", "", html)
        assert not _ids_in(rest), (lang, sorted(_ids_in(rest))[:5])
        assert f">{s['table']}<" not in rest and f"：{s['table']}；" not in rest and f": {s['table']};" not in rest
        for cid in s["checks"]:
            c = by_id()[cid]
            assert (c.title_zh if lang == "zh" else c.title_en) in html


# ---- issue 11: the screenshot walk's findings ---------------------------------------------------

def test_english_headings_say_darwin_core_terms_in_words():
    """A browser walk: in English the tables' headings were words (Record id, Check) beside camelCase terms
    (scientificName, eventDate, decimalLatitude); the Chinese UI names them all in Chinese."""
    from dq.i18n import term_words
    assert [term_words(t) for t in ("scientificName", "occurrenceID", "coordinateUncertaintyInMeters", "verbatimSRS", "record_id")] == [
        "Scientific name", "Occurrence ID", "Coordinate uncertainty in meters", "Verbatim SRS", "record_id"]
    at = page("coordinates", "en")
    heads = {str(c) for d in at.dataframe for c in (d.value.data if hasattr(d.value, "data") else d.value).columns}
    assert "Scientific name" in heads and not {h for h in heads if re.fullmatch(r"[a-z]+[A-Z]\w*", h)}, heads


def test_completeness_says_why_conditional_fields_change_nothing():
    """A browser walk: adding C or O changed nothing on the demo (every dataset is judged as Darwin Core,
    whose profile has required fields only) and nothing said why; in English the fields were camelCase terms."""
    at = page("completeness", "en", levels=["M", "C", "O"])
    assert any("mandatory (M) fields only" in str(c.value) for c in at.caption)
    at = page("completeness", "en", levels=["M"])
    assert not any("mandatory (M) fields only" in str(c.value) for c in at.caption)
    said = " ".join(str(m.value) for m in at.markdown)
    assert not re.search(r"\b[a-z]+[A-Z][A-Za-z]*:", said), said


def test_a_level_the_catalogue_lacks_is_said_so():
    """A browser walk: the 2018-03-20 city portals' lists filtered to central agencies said only "Nothing to
    show" (a city portal lists its own, local, agencies)."""
    at = page("opendata", "en", od="2018-03-20", odlevel="central")
    said = " ".join(str(i.value) for i in at.info)
    assert "no agency at the level “Central”" in said and "Nothing to show" not in said
    at = page("opendata", "zh", od="2018-03-20", odlevel="central")
    assert any("沒有層級為「中央」的機關" in str(i.value) for i in at.info)


def test_scorecard_file_findings_name_the_dataset():
    """A browser walk: the file-level findings' Dataset column showed the id (ntu-reef-fish-transects) where
    every other Dataset column shows the name."""
    from dq import store
    names = store.dataset_names(store.by_name(DEMO_DATE))
    for lang, col in (("zh", "資料集"), ("en", "Dataset")):
        at = page("scorecard", lang, agency="國立臺灣大學海洋研究所")
        ff = [d.value for d in at.dataframe if col in d.value.columns and ("缺少的欄位" in d.value.columns or "Missing column" in d.value.columns)]
        assert ff, [list(d.value.columns) for d in at.dataframe]
        assert set(ff[0][col]) == {names["ntu-reef-fish-transects"]}


def test_scorecard_without_an_agency_lists_every_agency_as_a_link():
    at = page("scorecard")
    links = [p.proto for p in at.get("page_link")]
    league = store.agency_league(store.by_name(DEMO_DATE))
    assert len(links) == len(league) and all(p.page == "scorecard" and "agency=" in p.query_string for p in links)
    assert {p.label.split(" · ")[0] for p in links} == set(league["agency"])


def test_coverage_red_list_is_english_in_english():
    at = page("coverage", "en", agency=BBS_AGENCY)
    red = [d.value for d in at.dataframe if "Red list" in d.value.columns][0]["Red list"].astype(str)   # ui.table names the columns
    assert red.str.contains(r"\(CR\)|\(EN\)|\(VU\)|\(LC\)").any()
    assert not red.str.contains(r"[\u4e00-\u9fff]").any()
    # every category of a species that has two (八哥: LC, a subspecies EN), not the last alone (a review)
    at = page("coverage", "en", agency=FROG_AGENCY, group="鳥類")
    tab = [d.value for d in at.dataframe if "Red list" in d.value.columns][0].set_index("Scientific name")
    two = tab.loc["Acridotheres cristatellus", "Red list"]
    assert "Least Concern (LC); Endangered (EN)" in two, two


def test_plant_red_list_codes_read_as_words():
    """The plant list writes a category as its code alone (VU, NA): the coverage table and its download
    showed "VU" where the bird rows read 易危（VU, Vulnerable）."""
    from dq.i18n import redlist_text
    assert redlist_text("VU") == "易危（VU）" and redlist_text("VU", "en") == "Vulnerable (VU)"
    assert redlist_text("暫無危機（LC, Least Concern）; NT", "en") == "Least Concern (LC); Near Threatened (NT)"
    assert redlist_text("3b") == "3b" and redlist_text(None) is None     # not a category: as written
    for lang, word in (("zh", "易危（VU）"), ("en", "Vulnerable (VU)")):
        at = page("coverage", lang, group="維管束植物")
        col = "紅皮書等級" if lang == "zh" else "Red list"
        red = [d.value for d in at.dataframe if col in d.value.columns][0][col].astype(str)
        assert red.str.contains(word, regex=False).any(), red.head()
        assert not red.str.fullmatch(r"[A-Z]{2}").any(), red[red.str.fullmatch(r"[A-Z]{2}")].head()


def test_chinese_format_words_read_in_english():
    """A browser walk: in English the open-data fix read "Also publish it as CSV or JSON (best format now: 壓縮檔)"
    and the dataset list's formats 壓縮檔 and 其他 (data.gov.tw's 2018 words for a ZIP archive and any other format)."""
    from dq.i18n import format_text
    assert format_text("CSV;壓縮檔;其他", "en") == "CSV, Archive, Other" and format_text("壓縮檔", "zh") == "壓縮檔"
    assert format_text("CSV;JSON", "zh") == "CSV、JSON"
    # data.gov.tw 2018's WEBSERVICES is no file format but an API: said so in either language
    assert format_text("XML;WEBSERVICES", "en") == "XML, Web service (API)" and format_text("WEBSERVICES", "zh") == "網路服務（API）"
    at = page("opendata", "en", od="2018-03-15", odagency="環境部")
    han = re.compile(r"[\u4e00-\u9fff]")
    seen = []
    for d in at.dataframe:
        df = d.value.data if hasattr(d.value, "data") else d.value
        for col in [c for c in df.columns if str(c) in ("formats", "Formats", "File formats")]:
            shown = df[col].astype(str)
            seen.append(shown)
            assert not shown.str.contains("壓縮檔|其他").any(), shown[shown.str.contains("壓縮檔|其他")].head()
    assert any(s.str.contains("Archive").any() for s in seen)      # 環境部's 2018 list has four archives
    import pandas as pd
    fixes = pd.read_parquet(OD_DEMO_ROOT / "2018-03-15" / "od_flags.parquet")
    best = fixes["suggestion_en"].dropna()
    best = best[best.str.contains("best format now")]
    assert len(best) and not best.str.contains(han).any() and best.str.contains(r"best format now: archive\)").any()


def test_unrecorded_species_never_call_an_unassessed_group_unthreatened():
    """A browser walk: with 兩生類 chosen the summary read 「受威脅 0」 and every unrecorded amphibian (臺灣山椒魚
    among them) had an unticked 受威脅 box and 否 in the download, right under the note that the reference has no
    red list for the group. Plants: a species whose varieties differ read "LC; VU" as if it had two
    categories; the accepted sheet's pasted namecodes were a species 'taicol:nan'."""
    at = page("coverage", group="兩生類")
    said = " ".join(str(m.value) for m in at.markdown)
    assert "受威脅 —（未知）" in said and "受威脅 0" not in said
    amph = [d.value for d in at.dataframe if "學名" in d.value.columns or "scientific" in d.value.columns][0]
    assert not {"受威脅", "紅皮書等級"} & set(amph.columns), list(amph.columns)
    plants = store.unrecorded_species(store.by_name(DEMO_DATE), "維管束植物").set_index("species")
    assert not plants["taxon_id"].str.contains("nan").any()
    # varieties DD and VU, none of its own: its varieties' categories, said to be theirs
    assert plants.loc["Bulbophyllum electrinum", "redlist_infra"] and "VU" in plants.loc["Bulbophyllum electrinum", "redlist"]
    # LC itself, a variety NT: the species' own category
    own = store.unrecorded_species(store.by_name(DEMO_DATE), "維管束植物").query("species == 'Bambusa pachinensis'")
    assert own.empty or (own.iloc[0]["redlist"] == "LC" and not own.iloc[0]["redlist_infra"] and not own.iloc[0]["threatened"])


def test_unrecorded_birds_are_named_in_english_on_the_english_page():
    """A walk: the English list of unrecorded birds showed 小翼鶇 though the bird list gives "Taiwan Shortwing". A species
    the 2023 bird list does not hold (TaiCOL's 黃爪隼, Falco naumanni: 52 of 440) and a group without English names keep
    their Chinese names."""
    snap = store.by_name(DEMO_DATE)
    zh = store.unrecorded_species(snap, "鳥類").set_index("species")
    en = store.unrecorded_species(snap, "鳥類", lang="en").set_index("species")
    named = en["vernacular_en"].notna()
    assert len(en) == len(zh) > 0 and named.mean() > 0.8 and not en["vernacular_en"].dropna().str.contains("[\u4e00-\u9fff]").any()
    assert en.loc["Brachypteryx goodfellowi", "vernacular_en"] == "Taiwan Shortwing" and zh.loc["Brachypteryx goodfellowi", "vernacular"] == "小翼鶇"
    assert (en["vernacular"].fillna("") == zh["vernacular"].fillna("")).all() and "vernacular_en" not in zh
    at = page("coverage", "en", group="鳥類")
    [birds] = [d.value for d in at.dataframe if "Scientific name" in d.value.columns]
    assert "Taiwan Shortwing" in set(birds["English name"]) and "小翼鶇" in set(birds["Chinese name"])
    # a group without English names: its Chinese names under "Chinese name", no empty English column (a walk read
    # 短尾鼩 under "Vernacular name")
    plants = store.unrecorded_species(snap, "維管束植物", lang="en")
    assert plants["vernacular_en"].isna().all() and plants["vernacular"].dropna().str.contains("[\u4e00-\u9fff]").all()
    at = page("coverage", "en", group="哺乳類")
    [mammals] = [d.value for d in at.dataframe if "Scientific name" in d.value.columns]
    assert "Chinese name" in mammals.columns and "English name" not in mammals.columns


def test_maps_send_no_more_hexagons_than_the_screen_tells_apart():
    h = store.h3_coverage(store.by_name(DEMO_DATE))
    same, res = maps.fit_hexes(h, ["records", "usable_1km"])
    assert res == 7 and same is h   # within the budget: every cell as it is, species kept
    few, res = maps.fit_hexes(h, ["records", "usable_1km"], max_cells=len(h) // 4)
    assert res < 7 and len(few) <= len(h) // 4 and "species" not in few
    assert few["records"].sum() == h["records"].sum() and few["usable_1km"].sum() == h["usable_1km"].sum()
    import h3
    assert {h3.get_resolution(c) for c in few["h3"]} == {res}
    # the page says so when it coarsens (a budget of 100 cells forces it on the demo)
    import unittest.mock
    with unittest.mock.patch.object(maps, "MAX_CELLS", 100):
        at = page("coverage", "en", level="h3")
    assert any("H3 resolution" in c.value for c in at.caption)


def test_maps_draw_borders_as_line_segments_not_paths():
    """Without a GPU the browser compiles every layer type's shaders on each visit to a map, and deck.gl's
    PathLayer (what a stroked GeoJsonLayer or PolygonLayer draws borders with) took 0.7-1.2 s of it (#14):
    the default views draw borders with a LineLayer; the towns (not a default view) keep their white strokes."""
    import json as _json
    seen = set()
    for name, params in (("overview", {}), ("coordinates", {}), ("coverage", {}), ("coverage", {"level": "county"}),
                         ("coverage", {"level": "h3"}), ("record", {"record": "10000000001"})):
        at = page(name, **params)
        decks = at.get("deck_gl_json_chart")
        assert decks, name
        for deck in decks:
            for layer in _json.loads(deck.proto.json)["layers"]:
                kind = layer["@@type"]
                seen.add(kind)
                assert kind != "PathLayer", (name, params)
                if kind in ("GeoJsonLayer", "PolygonLayer"):
                    assert not layer.get("stroked"), (name, params, kind)
    assert "LineLayer" in seen


def test_outline_segments_are_every_border_once():
    """The county outlines as segments: every edge of every ring, a border two counties share once."""
    import json as _json
    shapes = store.outlines("county")
    edges = set()
    for g in shapes["geojson"]:
        geom = maps._geometry(g)
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        for ring in (r for p in polys for r in p):
            edges |= {tuple(sorted((tuple(a), tuple(b)))) for a, b in zip(ring, ring[1:]) if a != b}
    layer = maps.outline_layer(shapes)
    got = [tuple(sorted((tuple(d["s"]), tuple(d["t"])))) for d in layer.data]
    assert len(got) == len(set(got)) == len(edges) and set(got) == edges
    assert len(got) < sum(len(r) - 1 for g in shapes["geojson"] for r in _rings(_json.loads(g)))   # shared borders: fewer than the rings' edges


def _rings(geom: dict) -> list:
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    return [r for p in polys for r in p]


def test_counts_without_change_show_no_arrow_and_english_heatmaps_name_counties_in_english():
    """A count that did not change since the previous snapshot reads '±0' without an arrow (it was a green
    '↑ +0'); the coverage heatmap names counties in the UI language (their names on the shipped boundaries)."""
    at = page("overview", agency="特有生物研究保育中心")    # BBS Taiwan's publisher: in both demo snapshots
    deltas = {x.label: x.delta for x in at.metric}
    assert deltas["機關數"] == "±0" and "+0" not in deltas.values(), deltas
    assert [x for x in at.metric if x.label == "物種數（名錄內）"][0].help
    import json as _json
    x = {lang: _json.loads(page("coverage", agency=FROG_AGENCY, lang=lang).get("plotly_chart")[0].proto.spec)["data"][0]["x"]
         for lang in ("zh", "en")}
    assert x["zh"] and all(c.endswith(("市", "縣")) for c in x["zh"])
    assert len(x["en"]) == len(x["zh"]) and all(c.endswith((" City", " County")) for c in x["en"]), x
    # in Chinese in the order government tables list them (by the official codes), not by code point (南投縣 first)
    assert x["zh"][:3] == ["臺北市", "高雄市", "新北市"] and x["zh"][-2:] == ["連江縣", "金門縣"], x["zh"]
    assert x["en"] == sorted(x["en"])


def test_a_share_just_short_of_all_or_none_is_not_rounded_to_it():
    """TaiBON's scorecard said 整體 100.0% beside an error (21,386 of 21,387 records without one)."""
    from dq import ui
    assert ui.pct(21386 / 21387) == "> 99.9%" and ui.pct(1.0) == "100.0%" and ui.pct(0.995) == "99.5%"
    assert ui.pct(1 / 21387) == "< 0.1%" and ui.pct(0.0) == "0.0%" and ui.pct(None) == "—" and ui.pct(float("nan")) == "—"


def test_record_page_tells_values_given_at_ingest_from_the_files_own():
    """The amphibian survey was ingested with --default organizer/basisOfRecord/geodeticDatum: on its records those
    were labelled 'verbatim' although the file has no such columns (a reviewer's walk); now 'given at ingest'. Its
    dates name a year only: the date used is that year, not 1 January; engine columns show no code."""
    from dq import store
    snap = store.snapshots()[-1]
    src = next(s for s in store.manifest(snap)["sources"] if s["name"] == "amphibian_survey_2008_2016.csv")
    rid = str(int(src["index"]) * 10_000_000_000 + 1)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params.update({"lang": "zh", "record": rid})
    at.run()
    at.switch_page("pages/record.py").run()
    at.run()
    assert not at.exception
    f = at.dataframe[-1].value.set_index("欄位代碼", drop=False)
    assert f.loc["basisOfRecord", "類別"] == "匯入指定（檔案無此欄）" and f.loc["vernacularName", "類別"] == "原始"
    assert not any("_" in c for c in f["欄位代碼"])
    used = f[f["類別"] == "推導"]
    assert not any(str(v).endswith("-01-01") for v in used["值"])


def test_one_value_everywhere_gets_one_swatch_and_the_score_cards_say_what_they_count():
    """A map where every county has the same share drew a colour bar with one tick (a reviewer's walk): now one
    swatch with the value. The scorecard's cards read '> 99.9%' (a rounded 100.0 hid the one record); its bar
    chart of the same numbers is gone, and a dimension's card says warnings do not lower it (Duplicates 100.0%
    beside 102,369 possible duplicates)."""
    import json as _json
    from dq import maps
    one = maps.legend_html("share", maps.linear_ticks(1.0, 1.0, lambda v: f"{v:.1%}"), "none")
    assert "linear-gradient" not in one and "100.0%" in one
    assert "linear-gradient" in maps.legend_html("share", maps.linear_ticks(0.5, 1.0, lambda v: f"{v:.1%}"), "none")
    at = page("scorecard", agency=FROG_AGENCY)       # TaiBON's frog file: one record of 21,387 without a point
    cards = {x.label: x for x in at.metric}
    assert cards["坐標"].value == "> 99.9%" and not at.get("plotly_chart")
    assert "警告" in cards["重複"].help and "不扣分" in cards["重複"].help


def test_gap_map_fits_taiwan_and_names_the_far_island_cells():
    """TBIA knows records on Dongsha and Taiping Island (10.4°N), where the demo holds none: the gap map
    fitted to those cells showed Taiwan as a speck. It fits Taiwan and its near islands and says how many
    cells lie outside the first view."""
    import json as _json
    at = page("coverage", level="grid", gmeasure="gap")
    view = _json.loads(at.get("deck_gl_json_chart")[0].proto.json)["initialViewState"]
    assert 21.5 < view["latitude"] < 26.5 and 119 < view["longitude"] < 122 and view["zoom"] > 6
    g = store.grid_coverage(store.by_name(DEMO_DATE))
    far = g[(g["records"] == 0) & (g["tbia_records"] > 0) & ~maps.near_taiwan(g["c_lon"], g["c_lat"])]
    assert len(far) == 4 and (far["c_lat"] < 21).all()
    assert any(f"另有 {len(far)} 個網格" in c.value for c in at.caption)


def test_english_maps_name_places_and_tbia_priorities_in_english():
    """The English coverage and coordinate maps said "雲林縣 口湖鄉" and TBIA's "建議優先填補" in their tooltips (a
    reviewer's walk); the places are named by the boundaries' English names, TBIA's advice in English words."""
    import json as _json
    cjk = lambda v: any("\u4e00" <= ch <= "\u9fff" for ch in str(v))   # noqa: E731
    at = page("coverage", "en", level="grid")
    data = [r for layer in _json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"] for r in
            (layer.get("data") if isinstance(layer.get("data"), list) else [])]
    seen = [r for r in data if "county_t" in r]
    assert seen and not any(cjk(r["county_t"]) or cjk(r["town_t"]) or cjk(r["priority_t"]) for r in seen)
    assert any(r["county_t"] == "Hualien County" for r in seen)
    zh = page("coverage", "zh", level="grid")
    zdata = [r for layer in _json.loads(zh.get("deck_gl_json_chart")[0].proto.json)["layers"] for r in
             (layer.get("data") if isinstance(layer.get("data"), list) else [])]
    assert any(r.get("county_t") == "花蓮縣" for r in zdata)


def test_a_non_detection_record_says_so():
    """The amphibian survey's count-0 rows (10,835 of 18,084) are non-detections: the record page headed one
    "日本樹蛙" like a sighting without a word (a reviewer's walk)."""
    from dq import store
    snap = store.snapshots()[-1]
    src = next(s for s in store.manifest(snap)["sources"] if s["name"] == "amphibian_survey_2008_2016.csv")
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params.update({"lang": "zh", "record": str(int(src["index"]) * 10_000_000_000 + 1)})
    at.run()
    at.switch_page("pages/record.py").run()
    at.run()
    assert not at.exception and any("未發現" in i.value for i in at.info)


def test_groups_without_red_list_categories_are_unknown_not_zero_threatened():
    """The reference checklist carries no red-list category (not even LC) for reptiles, mammals and amphibians:
    their threatened counts read 0, as if none were threatened (a reviewer's walk); they are unknown now."""
    from dq import store
    cov = store.checklist_coverage(store.by_name(DEMO_DATE))
    none = set(cov.loc[cov["redlist_checklist"] == 0, "group_zh"])
    assert none and "鳥類" not in none and (cov.loc[cov["group_zh"].isin(none), "threatened_checklist"] == 0).all()
    at = page("coverage")
    assert any("紅皮書等級" in c.value and all(g in c.value for g in none) for c in at.caption)


def test_a_share_just_under_one_is_not_drawn_as_a_clean_bill():
    """The scorecard's per-dataset bars rounded 0.9996 to "100.0%" beside a card saying "> 99.9%" (a reviewer's walk)."""
    import pandas as pd
    from dq import ui
    assert ui.bar_share(pd.Series([1.0, 0.9996, 0.5, 0.0])).tolist() == [1.0, 0.999, 0.5, 0.0]
    at = page("scorecard", agency=BBS_AGENCY)
    assert not at.exception


def test_completeness_heatmap_does_not_round_an_incomplete_field_to_100():
    """The heatmap wrote whole numbers: BBS Taiwan's scientificName, filled in 99.6 % (1,651 records lack it),
    read "100" (a second walk)."""
    import pandas as pd
    from dq import charts
    fig = charts.heatmap(pd.DataFrame({"a": [99.57, 100.0], "b": [99.97, 0.02], "c": [float("nan"), 12.345]}, index=["x", "y"]),
                         "t", "x", "y", "%", pct=True)
    assert [list(r) for r in fig.data[0].text] == [["99.6", "> 99.9", "—"], ["100.0", "< 0.1", "12.3"]]


def test_a_share_just_over_zero_and_no_change_read_as_on_the_cards():
    """A table bar read 0.0002 as "0.0%" beside a card's "< 0.1%", and the tier table's change read "+0.0 pp"
    (a printf format) beside a card's "±0.0 pp"."""
    import pandas as pd
    from dq import ui
    assert ui.bar_share(pd.Series([0.0002, 0.0, 0.0015])).tolist() == [0.001, 0.0, 0.0015]
    assert [ui.pp_change(x, "en") for x in (0.0, 0.0004, -0.0004, 0.0123, -0.05)] == \
        ["±0.0 pp", "±0.0 pp", "±0.0 pp", "+1.2 pp", "-5.0 pp"]
    assert [ui.pp_change(x, "zh") for x in (0.0, -0.05)] == ["±0.0 個百分點", "-5.0 個百分點"]
    at = page("scorecard", agency=BBS_AGENCY)
    heads = {ui.header(f"tier_{t}_change") for t in ("gold", "silver", "bronze")}   # the table shows its headings
    changes = [v for t in at.dataframe for c in t.value.columns if c in heads for v in t.value[c] if v != "—"]
    assert changes and all(v.endswith(" 個百分點") and not v.startswith(("+0.0", "-0.0")) for v in changes), changes


def test_a_check_keeps_its_map_colour_whatever_else_is_chosen():
    """The coordinates map coloured checks by their place in the selection: "Point not in the county named"
    was light blue for all agencies and orange for one (a second walk)."""
    from dq import maps
    from dq.checks.coordinates import MAP_ORDER, NO_POINT
    a = maps.category_colours(["COORD_SWAPPED", "COORD_COUNTY_MISMATCH"], MAP_ORDER)
    b = maps.category_colours(["COORD_COUNTY_MISMATCH"], MAP_ORDER)
    assert a["COORD_COUNTY_MISMATCH"] == b["COORD_COUNTY_MISMATCH"] and a["COORD_SWAPPED"] != a["COORD_COUNTY_MISMATCH"]
    # every check the page can draw has a colour of its own, all of them chosen at once
    assert not set(NO_POINT) & set(MAP_ORDER)
    everyone = maps.category_colours(MAP_ORDER, MAP_ORDER)
    assert len({tuple(c) for c in everyone.values()}) == len(MAP_ORDER) <= len(maps.CATEGORY_PALETTE)


def test_map_dots_grow_with_their_records_and_the_small_stay_on_top():
    """At Taipei Zoo the institution dot (349 records) was hidden under two centroid dots of one size (a
    second walk): a dot now grows with its records and the bigger are drawn first."""
    import pandas as pd
    from dq import maps
    df = pd.DataFrame({"lat": [25.0] * 3, "lon": [121.58] * 3, "check_id": ["A", "B", "C"], "n": [20, 349, 1]})
    layer = maps.point_layers(df, {"A": [1, 2, 3], "B": [4, 5, 6], "C": [7, 8, 9]})[0]
    data = pd.DataFrame(layer.data)
    assert data["n"].tolist() == [349, 20, 1] and data["r"].is_monotonic_decreasing
    assert data["r"].iloc[-1] == 3.0 and 8 < data["r"].iloc[0] < 10
    # in pixels: a bare "pixels" reached deck.gl as an accessor (undefined), and every dot filled the map
    import json
    sent = json.loads(maps.deck([layer], "x").to_json())["layers"][0]
    assert sent["radiusUnits"] == "pixels" and sent["getRadius"] == "@@=r"


def test_the_completeness_heatmap_of_one_agency_names_its_datasets():
    """A browser walk: with 台灣兩棲類動物保育協會 chosen the heatmap's row read amphibian-survey-2008-2016 (its id)."""
    import json as _json
    from dq.demo import AMPHIBIAN_AGENCY
    at = page("completeness", agency=AMPHIBIAN_AGENCY)
    rows = _json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["y"]
    names = store.dataset_names(store.by_name(DEMO_DATE), AMPHIBIAN_AGENCY)
    assert rows and set(rows) <= set(names.values()) and not set(rows) & (set(names) - set(names.values()))


def test_pages_that_read_no_occurrence_snapshot_draw_no_snapshot_or_agency_picker():
    """The open-data pages have their own catalogue snapshot and agency; the tools read no snapshot. The
    sidebar's biodiversity Snapshot and Agency boxes did nothing there (two "Agency" boxes on the open-data
    page, a browser walk). The pages that read a snapshot still have both, and the agency chosen before."""
    for name in ("opendata", "od_dataset", "validate", "rules"):
        at = page(name, "en", agency=FROG_AGENCY)
        labels = [s.label for s in at.sidebar.selectbox]
        assert "Snapshot" not in labels and "Agency" not in labels, (name, labels)
    at = page("scorecard", "en", agency=FROG_AGENCY)
    boxes = {s.label: s.value for s in at.sidebar.selectbox}
    assert boxes.get("Agency") == FROG_AGENCY and boxes.get("Snapshot"), boxes


def test_heatmap_counts_too_long_for_their_cells_are_written_compactly_with_the_exact_count_on_hover():
    """A 10M-record snapshot's taxon × county heatmap: 1,234,567 in each of 22 counties ran into its
    neighbours even at the smallest font. Constructed counts (not records): compact in the UI language,
    each fitting its cell at 8 px or more; the exact count on hover; short counts stay whole."""
    import pandas as pd
    from dq import charts
    cols = [f"c{i:02d}" for i in range(22)]
    pv = pd.DataFrame([[1_234_567 + i for i in range(22)], [48_890] * 21 + [7]], index=["鳥類", "兩棲類"], columns=cols)
    for lang, big, mid in (("zh", "123萬", "4.89萬"), ("en", "1.23M", "48.9k")):
        h = charts.heatmap(pv, "t", "x", "y", "c", log=True, lang=lang).to_plotly_json()["data"][0]
        assert h["text"][0][0] == big and h["text"][1][0] == mid and h["text"][1][21] == "7", (lang, h["text"])
        assert h["customdata"][0][0] == "1,234,567" and h["customdata"][1][0] == "48,890"
        size = h["textfont"]["size"]
        width = charts.CELLS_WIDTH / 22 - 4
        assert size >= charts.MIN_FONT and all(
            sum(1 if ord(ch) > 0x2E80 else 0.6 for ch in t) * size <= width for row in h["text"] for t in row), (lang, size)
    few = charts.heatmap(pv.iloc[:, :4], "t", "x", "y", "c", log=True, lang="en").to_plotly_json()["data"][0]
    assert few["text"][0][0] == "1,234,567"      # four columns hold it whole
    # the unit picked after rounding (a review: 99,999 read "100.0k", 999,999 "1000k"); 億 past 9,999萬
    assert [charts.compact_count(x, "en") for x in (9_999, 99_999, 999_999, 9_999_999, -48_890)] == \
        ["9,999", "100k", "1M", "10M", "-48.9k"]
    assert [charts.compact_count(x, "zh") for x in (99_999, 123_456_789, 999_999_999)] == ["10萬", "1.23億", "10億"]


def test_open_dataset_says_what_its_formats_and_volume_are():
    """The dataset page once showed data.gov.tw's WEBSERVICES as a format and a bare "121" as its volume:
    an API is said so, and a number says its unit in either language; a city portal's own words
    (222k, 約10筆) are shown as written."""
    for lang, api, vol, n in (("zh", "網路服務（API）", "資料量", "121 筆"), ("en", "Web service (API)", "Volume", "121 records")):
        at = page("od_dataset", lang, od="2018-03-15", ds="10235")    # 中央氣象局公務出國報告: served as WEBSERVICES
        res = [d.value for d in at.dataframe if vol in d.value.columns]
        assert len(res) == 1, [list(d.value.columns) for d in at.dataframe]
        fmt = res[0].iloc[:, 0].astype(str)
        assert (fmt == api).all() and not fmt.str.contains("WEBSERVICE").any(), fmt
        assert res[0][vol].astype(str).tolist() == [n]
        at = page("od_dataset", lang, od="2018-12-31", ds="臺北市商業處|臺北市核准公司設立變更解散清冊")
        res = [d.value for d in at.dataframe if vol in d.value.columns]
        assert len(res) == 1 and "222k" in res[0][vol].astype(str).tolist(), res


def test_open_dataset_follows_its_dataset_into_another_catalogue():
    """A walk: the page's history table listed 10284 (100年度技術顧問提供施政意見表) in the 2018-08-31 catalogue, and
    picking that catalogue said "no such dataset" (its key there is agency|title|date), with no picker to go on
    from. The same dataset is shown under its key there; a key no catalogue holds offers the pickers."""
    at = page("od_dataset", "zh", od="2018-03-15", ds="10284")
    assert any("100年度技術顧問提供施政意見表" in h.value for h in at.header)
    [snap_box] = [b for b in at.selectbox if "2018-03-15" in str(b.value)]
    snap_box.select("2018-08-31").run()
    assert not at.warning, [w.value for w in at.warning]
    assert any("100年度技術顧問提供施政意見表" in h.value for h in at.header)
    ds = at.query_params["ds"]
    assert (ds if isinstance(ds, str) else ds[0]) == "交通部中央氣象署|100年度技術顧問提供施政意見表|2015/12/29"
    at = page("od_dataset", "en", od="2018-08-31", ds="no-such-key")
    # the catalogue, then an agency and a dataset to pick; the stale key gone from the link (it reopened its dataset
    # when another catalogue was picked: a review), the link naming the dataset shown instead
    assert len(at.selectbox) >= 3
    ds = at.query_params["ds"]
    ds = ds if isinstance(ds, str) else ds[0]
    assert ds != "no-such-key" and at.selectbox[2].value == ds and at.header


def test_a_dataset_picked_on_the_open_dataset_page_is_in_its_link():
    """A browser walk: a dataset picked in the page's own picker went into no link (the caption says the link can be
    shared), so the link opened another dataset. The picked dataset and its agency are in the URL, and a link
    naming a dataset alone opens it with its agency picked."""
    at = page("od_dataset", "zh", od="2018-03-15", odagency="環境部")
    first = str(at.selectbox[2].value)
    at.selectbox[2].select_index(1).run()
    ds = at.query_params["ds"]
    ds = ds if isinstance(ds, str) else ds[0]
    again = page("od_dataset", "zh", od="2018-03-15", ds=ds)
    assert ds == str(again.selectbox[2].value) and [h.value for h in again.header] == [h.value for h in at.header]
    assert ds != first
    ag = again.query_params["odagency"]
    assert (ag if isinstance(ag, str) else ag[0]) == "環境部"


def test_an_agency_picked_on_the_open_dataset_page_opens_its_datasets():
    """A browser walk: on a dataset of the first agency (交通部中央氣象署, the picker's default, so left out of the
    link), every other agency picked snapped back to it: the page wrote the dataset's agency over the pick."""
    at = page("od_dataset", "zh", od="2018-03-15", ds="10284")
    assert at.selectbox[1].value == "交通部中央氣象署"
    at.selectbox[1].select("高雄市政府").run()
    assert at.selectbox[1].value == "高雄市政府" and at.query_params["odagency"] in ("高雄市政府", ["高雄市政府"])
    ds = at.query_params["ds"]
    ds = ds if isinstance(ds, str) else ds[0]
    assert ds != "10284" and not any("100年度技術顧問提供施政意見表" in h.value for h in at.header)
    at.run()      # and it stays
    assert at.selectbox[1].value == "高雄市政府"


def test_agencies_are_named_in_english_on_english_pages():
    """The English pages named every agency in Chinese (a review): an agency with an official English name is
    shown by it (the sidebar, the overview's list, the scorecard's heading), the URL still holding the name as
    published; one without (a society) stays as published, and the Chinese pages are unchanged."""
    from dq import i18n
    reef = "國立臺灣大學海洋研究所"
    assert i18n.agency_en(reef) == "Institute of Oceanography, National Taiwan University"
    assert i18n.agency_en("台灣兩棲類動物保育協會") == "台灣兩棲類動物保育協會"
    assert i18n.agency_en("臺北市政府", {"臺北市": "Taipei City"}) == "Taipei City Government"
    en = page("overview", "en")
    links = {p.proto.label: p.proto.query_string for p in en.get("page_link") if p.proto.page == "scorecard"}
    assert "Institute of Oceanography, National Taiwan University" in links and reef not in links
    assert "agency=%E5%9C%8B" in links["Institute of Oceanography, National Taiwan University"]    # the published name
    assert "Institute of Oceanography, National Taiwan University" in en.sidebar.selectbox[1].options
    zh = page("overview", "zh")
    assert reef in {p.proto.label for p in zh.get("page_link") if p.proto.page == "scorecard"}
    sc = page("scorecard", "en", agency=reef)
    assert "Institute of Oceanography, National Taiwan University" in [h.value for h in sc.subheader]


def test_the_league_table_shows_the_open_format_share_only_where_it_differs_from_three_stars():
    """A walk: on the 2018 catalogues "3 星以上比例" and "開放格式比例" were the same in every row (every dataset
    openly licensed). One column then, and the caption says why; computed from the table, not assumed."""
    from dq import opendata
    seen = set()
    for od in opendata.snapshots():
        at = page("opendata", od=od)
        league = at.dataframe[0].value
        stars = [c for c in league.columns if c.startswith("3 星以上比例")]
        fmt = [c for c in league.columns if c.startswith("開放格式比例")]
        said = any("只列後者" in c.value for c in at.caption)
        if stars and fmt:       # both shown: they differ somewhere
            assert not league[stars[0]].equals(league[fmt[0]]) and not said, od
            seen.add("both")
        elif said:
            assert stars and not fmt, od
            seen.add("one")
    assert "one" in seen, seen      # the 2018 catalogues (the 2026 export has no licence field: no stars judged)


def test_a_download_made_when_clicked_reads_nothing_of_the_session():
    """A walk: the completeness page's English CSV came headed in Chinese. A download_button's data given as a
    callable is made when clicked, on another thread, where the page's session (its language, its query
    parameters, its state) is not known: every such callable gets what it needs bound when the page is drawn.
    Read from the pages' source: no lambda given to download_button calls ui.lang, L or t, nor reads st.*."""
    import ast
    bad = []
    for path in sorted((APP.parent / "pages").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "download_button"):
                continue
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if not isinstance(arg, ast.Lambda):
                    continue
                for sub in ast.walk(arg.body):      # the defaults (lang=ui.lang()) are evaluated when drawn: allowed
                    name = sub.func.attr if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) else \
                        sub.func.id if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) else None
                    if name in ("lang", "L", "t") or (isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id == "st"):
                        bad.append(f"{path.name}:{arg.lineno}: {ast.unparse(sub)[:60]}")
    assert not bad, bad


def test_every_multiselect_hides_streamlits_english_select_all():
    """A walk: the open-data report's agency picker opened with Streamlit's own "Select all" on the Chinese page
    (ui.qp_multiselect hides it; that picker is drawn by the page itself). Read from the source: every multiselect
    passes select_all=False."""
    import ast
    bad = []
    for path in [*sorted((APP.parent / "pages").glob("*.py")), *sorted((APP.parent / "dq").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "multiselect":
                kw = {k.arg: k.value for k in node.keywords}
                if not (isinstance(kw.get("select_all"), ast.Constant) and kw["select_all"].value is False):
                    bad.append(f"{path.name}:{node.lineno}")
    assert not bad, bad


def test_an_area_with_no_record_usable_at_1_km_is_drawn_as_none():
    """A walk: with "usable at 1 km only" on, the town map coloured 卑南鄉 (325 records, 0 usable) as data under a
    legend that ran from 1, and the group × county chart was an empty frame. An area of no usable record is drawn
    in the no-data grey, the legend says "none usable", and the chart says there is nothing to show."""
    import json as _json
    from dq.maps import NO_DATA
    agency = "台灣兩棲類動物保育協會"      # its survey gives no uncertainty: no record is usable at 1 km
    at = page("coverage", "zh", agency=agency, usable="1", level="town")
    feats = [f["properties"] for layer in _json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"]
             if isinstance(layer.get("data"), dict) for f in layer["data"].get("features", [])]
    zero = [p for p in feats if str(p.get("usable_1km")) == "0"]
    assert zero and all(p["fill"] == list(NO_DATA) for p in zero)
    assert any(str(p.get("records")) not in ("0", "", "None", "—") for p in zero)    # areas with records, none usable
    assert any("沒有可顯示的資料" in i.value for i in at.info)
    assert any("無可用紀錄" in h.body for h in at.get("html"))
    # the group × county chart says why it has nothing (a later walk read the amphibians' blank row as a gap)
    assert any(c.value.startswith("兩生類：有紀錄，但沒有一筆可用於 1 公里分布模型") for c in at.caption), [c.value for c in at.caption]
    # with the toggle off the same areas are data
    off = page("coverage", "zh", agency=agency, level="town")
    assert not any("可用於 1 公里分布模型（坐標誤差" in c.value for c in off.caption)
    feats = [f["properties"] for layer in _json.loads(off.get("deck_gl_json_chart")[0].proto.json)["layers"]
             if isinstance(layer.get("data"), dict) for f in layer["data"].get("features", [])]
    assert any(p["fill"] != list(NO_DATA) for p in feats)


def test_the_rules_page_says_bdq_parameters_in_words():
    """A walk: the BDQ table's parameters read as SQL ("latestValidDate = date_trunc('year', current_date) + INTERVAL 1
    YEAR", "DATE '1582-11-15'"), the same in both languages. Values are said as values; English lists use "; "."""
    from dq import store
    for lang in ("zh", "en"):
        params = " ".join(store.bdq_rules(lang)["params"])
        assert not any(code in params for code in ("INTERVAL", "DATE '", "current_date", "date_trunc", "'")), params[:300]
        assert "earliestValidDate = 1582-11-15" in params
        assert ("1 January next year" if lang == "en" else "明年 1 月 1 日") in params
        assert ("；" not in params) if lang == "en" else ("；" in params)
