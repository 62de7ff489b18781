import streamlit as st

from dq import charts, store, ui
from dq.ui import L

ui.ensure_app()

snap_id, agency = ui.require_snapshot()
st.title(L("completeness"))
st.caption(L("completeness_intro"))
levels = ui.qp_multiselect(L("levels"), ["M", "C", "O"], "levels", default=["M", "C"], format_func=lambda x: L("level_" + x))
by = "dataset_id" if agency else "agency"
df = ui.call("completeness", snap_id, agency, by)
kinds = sorted(df["table_kind"].unique())
kind = ui.qp_select(L("table"), kinds, "table", format_func=lambda k: L("table_" + k)) if len(kinds) > 1 else kinds[0]
d = df[(df["table_kind"] == kind) & (df["level"].isin(levels))].copy()
# a Darwin Core dataset's profile has required fields only: picking C or O then changed nothing, unexplained
if {"C", "O"} & set(levels) and not ({"C", "O"} & set(df.loc[df["table_kind"] == kind, "level"])):
    st.caption(L("completeness_m_only"))
if not levels:     # "nothing to show" under an empty picker did not say what to do (a walk)
    st.info(L("pick_levels"))
    st.stop()
if d.empty:
    st.info(L("nothing_to_show"))
    st.stop()
zh = ui.lang() == "zh"
words = d["field_zh"] if zh else d["field"].map(ui.header)
d["label"] = (words + "（" + d["level"] + "）") if zh else (words + " (" + d["level"] + ")")
field_name = dict(zip(d["field"], words))
d["pct"] = (d["share"] * 100).round(1)
pivot = d.pivot_table(index=by, columns="label", values="pct", aggfunc="first")
if by == "dataset_id":     # a dataset by its name (amphibian-survey-2008-2016 was the row's label)
    names = ui.call("dataset_names", snap_id, agency)
    pivot.index = [names.get(i, i) for i in pivot.index]
else:
    pivot.index = [ui.agency_text(a) for a in pivot.index]
fig = charts.heatmap(pivot, L("heatmap_title"), L("field"), L("agency") if by == "agency" else L("dataset"), L("filled_pct"), pct=True, lang=ui.lang())
fig.update_xaxes(tickangle=-50)
# the slanted field names take room under the cells: the figure grows by their length so the rows keep their height
fig.update_layout(height=fig.layout.height + int(6 * max((len(str(c)) for c in pivot.columns), default=0)))
st.plotly_chart(fig, width="stretch")
st.caption(L("completeness_equiv"))

st.subheader(L("drill_missing"))
c1, c2 = st.columns(2)
with c1:
    fields = d.sort_values("share")["field"].drop_duplicates().tolist()
    field = ui.qp_select(L("field"), fields, "field", format_func=lambda f: field_name.get(f, f))
with c2:
    dsets = [None] + ui.call("dataset_ids", snap_id, agency)
    ds_name = ui.call("dataset_names", snap_id, agency)
    dataset = ui.qp_select(L("dataset"), dsets, "dataset", format_func=lambda x: L("all_datasets") if x is None else ds_name.get(x, x))
row = d[d["field"] == field]
if dataset is not None:     # the summary counts what the table lists: the dataset picked (it said every agency's total)
    per = ui.call("completeness", snap_id, agency, "dataset_id")
    row = per[(per["dataset_id"] == dataset) & (per["table_kind"] == kind) & (per["field"] == field) & per["level"].isin(levels)]
blank_n = int((row["records"] - row["filled"]).sum())
st.write(L("missing_summary").format(field=field_name.get(field, field), missing=blank_n, records=int(row["records"].sum())))
if field == "scientificName" and blank_n:
    # a blank name field is not always a missing name: the overview's "Scientific name missing" counted 1,651 where
    # this page said 19,735 blank, the difference the names matched from the vernacular name (a walk)
    cc = dict(ui.call("check_counts", snap_id, "taxonomy", agency, dataset)[["check_id", "n"]].itertuples(index=False))
    vern, missing = int(cc.get("TAXON_NAME_FROM_VERNACULAR", 0)), int(cc.get("TAXON_NAME_MISSING", 0))
    if vern:
        other = blank_n - vern - missing
        st.caption(L("sci_blank_named").format(vern=vern, missing=missing, other=L("sci_blank_other").format(n=other) if other > 0 else "",
                                              t_vern=ui.check_title("TAXON_NAME_FROM_VERNACULAR"), t_missing=ui.check_title("TAXON_NAME_MISSING")))
# a row opens its record, and the whole list goes out as a file (the table stopped at 200 rows of 54,773 with no
# way to the rest or to a record: a walk)
miss = ui.call("missing_rows", snap_id, field, agency, dataset, 200, kind)
if miss.empty:
    st.info(L("nothing_to_show"))
else:
    st.caption(L("click_row_for_record"))
    ev = ui.table(miss, width="stretch", on_select="rerun", selection_mode="single-row", key=f"missing_{ui.lang()}")
    if (rid := ui.selected_record(ev, miss)) is not None:
        ui.open_record(rid)
    # the file is named by what it holds: the dataset when one is picked (its 18,084 rows were "All agencies": a walk)
    name = store.file_stem(L("missing_file"), field_name.get(field, field), ui.agency_text(agency) if agency else L("all_agencies"),
                           dataset, snap_id)
    # the file is made when clicked, on another thread, where the page's language is no longer known: taken now
    # (the English page's file came headed in Chinese: a walk)
    st.download_button(L("download_missing_csv"), lambda lang=ui.lang(): store.missing_rows_csv(store.by_name(snap_id), field, agency, dataset, lang, kind),
                       f"{name}.csv", "text/csv", on_click="ignore")
