"""One record with all its findings (as GBIF's occurrence page): reached from a map point, a fix
list row or the coordinate page's table, or by a deep link ?record=<record id>."""
import pandas as pd
import streamlit as st

from dq import maps, ui
from dq.ui import L

ui.ensure_app()

snap_id, _ = ui.require_snapshot()
st.title(L("record_page"))
rid = st.query_params.get("record")
typed = st.text_input(L("record_id_input"), value=rid or "", key="record_box")
if typed.strip() and typed.strip() != rid:
    st.query_params["record"] = typed.strip()
    rid = typed.strip()
if not rid:
    st.info(L("record_pick"))
    st.stop()
if not rid.isdigit():
    st.error(L("record_bad_id").format(rid=rid))
    st.stop()
rec, findings = ui.call("record", snap_id, int(rid), ui.lang())
if rec is None:
    st.error(L("record_not_found").format(rid=rid, snap=snap_id))
    st.stop()

# the names the record gives (a survey naming species in Chinese only has no scientific name to put first)
# a record naming no taxon is headed by its id ("—" read as a blank page)
st.subheader(" · ".join(n for n in (rec.get("scientificName"), rec.get("vernacularName")) if n)
             or L("record_unnamed").format(id=rec.get("occurrenceID") or rec.get("eventID") or rid))
st.caption(L("record_where").format(agency=ui.agency_text(rec.get("agency", "—")), dataset=rec.get("dataset_name", rec.get("dataset_id", "—")),
                                    file=rec.get("source_file", "—"), row=rec.get("source_row", "—"), snap=snap_id))
st.page_link("pages/scorecard.py", label=L("record_to_scorecard"), query_params=ui.link_params(agency=rec.get("agency")))
if bool(rec.get("is_absence", False)):   # a survey's "searched, not found": the name heads it, but nothing was seen
    st.info(L("record_absence"))

# the three severities add up to the findings (a note had no card of its own: 3 findings, 1 error, 1 warning)
c = st.columns(4)
c[0].metric(L("record_findings"), f"{len(findings):,}")
c[1].metric(L("record_errors"), f"{int((findings['severity'] == 'error').sum()):,}")
c[2].metric(L("record_warnings"), f"{int((findings['severity'] == 'warning').sum()):,}")
c[3].metric(L("record_notes"), f"{int((findings['severity'] == 'info').sum()):,}")
st.subheader(L("record_findings"))
if findings.empty:
    st.success(L("record_no_findings"))
else:
    ui.static_table(findings[["title", "values", "severity", "dimension", "suggestion"]])

county, town = ui.place_text(rec.get("county"), rec.get("town"))    # the derived place, in the UI language
# the fields table gets two thirds: at three fifths its terms and value sources were cut ("basisOfRec…")
left, right = st.columns([2, 1])
with left:
    st.subheader(L("record_fields"))
    fields = ui.call_static("record_fields", rec)
    # what the engine decided reads as words: the profile's name, a match in words, yes/no, dates without midnight
    other = "group_en" if ui.lang() == "zh" else "group_zh"
    fields = fields[fields["term"] != other].copy()
    fields.loc[fields["term"] == "profile", "kind"] = "derived"
    fields["value"] = [ui.record_value(t, v) for t, v in zip(fields["term"], fields["value"])]   # one record's ~50 fields
    fields["field"] = fields["term"].map(ui.header)
    if ui.lang() == "en":   # the derived county and town by their English names (the file's own texts stay as written)
        derived = fields["kind"] == "derived"
        fields.loc[derived & (fields["term"] == "county"), "value"] = county
        fields.loc[derived & (fields["term"] == "town"), "value"] = town
        # the agency as the page's subtitle names it (a browser walk: "Endemic Species Research Institute" above,
        # 特有生物研究保育中心 in the table); a publisher column of the file keeps its own text
        fields.loc[fields["term"] == "agency", "value"] = ui.agency_text(rec.get("agency"))
    # the 生態檢核 standard's names for datasetID/datasetName are a works project's (工程編號): not for other profiles
    if rec.get("profile") != "eco-check" and ui.lang() == "zh":
        fields.loc[fields["term"] == "datasetID", "field"] = L("col_dataset_id")
        fields.loc[fields["term"] == "datasetName", "field"] = L("col_dataset_name")
    # a code is shown for the source's own fields (Darwin Core terms, its columns) only, never the engine's names
    # a date that names a year only (a survey's 年 column) is that year, not 1 January
    if str(rec.get("date_has_month")) == "False":
        fields.loc[fields["term"] == "event_date_parsed", "value"] = fields["value"].str[:4]
    fields.loc[~fields["kind"].isin(["verbatim", "default", "default_blank"]), "term"] = ""
    fields["kind"] = fields["kind"].map(lambda k: L(f"record_{k}"))
    # in English the source's own fields go by their Darwin Core terms (one column: the two-thirds column has no
    # room for a fourth), the engine's columns by their labels, never snake_case
    if ui.lang() == "en":
        own = fields["term"] != ""
        fields.loc[own, "field"] = fields.loc[own, "term"]
    cols = ["field", "term", "value", "kind"] if ui.lang() == "zh" else ["field", "value", "kind"]
    ui.table(fields[cols].rename(columns={"field": "rf_field", "term": "rf_term", "value": "rf_value", "kind": "rf_kind"}),
             width="stretch", height=560,
             # the kind says where a value came from in a few words, whole: English's "set at ingest (cell
             # blank)" needs more than a medium column; in Chinese four columns share the two-thirds column and
             # their widths add up to it (the value column had grown to its longest text and pushed the kind off
             # the table's edge: 匯入指…)
             column_config={"rf_kind": st.column_config.TextColumn(L("col_rf_kind"), width=220 if ui.lang() == "en" else 170),
                            "rf_term": st.column_config.TextColumn(L("col_rf_term"), width="medium" if ui.lang() == "en" else 125),
                            "rf_value": st.column_config.TextColumn(L("col_rf_value"), width=250 if ui.lang() == "en" else 235),
                            "rf_field": st.column_config.TextColumn(L("col_rf_field"), width=150 if ui.lang() == "en" else 100)})
with right:
    if rec.get("lat") is not None and rec.get("lon") is not None:
        st.subheader(L("record_map"))
        pt = pd.DataFrame([{"lat": float(rec["lat"]), "lon": float(rec["lon"]), "check_id": "record",
                            "scientificName": rec.get("scientificName") or rec.get("vernacularName") or rec.get("accepted_name") or "—"}])
        layers = [maps.outline_layer(ui.call_static("outlines", "county")),
                  maps.point_layers(pt, {"record": [213, 94, 0]})[0]]
        box = (pt["lon"][0] - .6, pt["lat"][0] - .5, pt["lon"][0] + .6, pt["lat"][0] + .5)
        # a point away from Taiwan (the one that most needs a look) was a lone dot on white: shown with Taiwan in view
        far = not maps.near_taiwan(pt["lon"], pt["lat"]).iloc[0]
        view = maps.fit_view(box[::2], box[1::2], height=420, width=400) if far else maps.fit_view(bounds=box, height=420, width=400)
        st.pydeck_chart(maps.deck(layers, "{scientificName}", view), height=420)
        place = " ".join(x for x in (county, town) if x) or L("record_no_place")
        st.caption(L("record_point").format(lat=rec["lat"], lon=rec["lon"], src=rec.get("coord_source", "—"), place=place))
    else:
        st.info(L("record_no_point"))
