from urllib.parse import quote

import pandas as pd
import plotly.express as px
import streamlit as st

from dq import charts, opendata, store, ui
from dq.opendata import METRIC, METRICS
from dq.i18n import format_text, frequency_text
from dq.ui import L

ui.ensure_app()

st.title(L("opendata"))
st.caption(L("od_intro"))
snaps = [s.name for s in opendata.snapshots()]
if not snaps:
    st.error(L("od_no_snapshot"))
    st.stop()
zh = ui.lang() == "zh"
lang = "zh" if zh else "en"
mname = (lambda k: METRIC[k].zh) if zh else (lambda k: METRIC[k].en)
series_of = {s.name: opendata.series(s) for s in opendata.snapshots()}
c1, c2, c3 = st.columns(3)
with c1:
    od = ui.qp_select(L("od_snapshot"), snaps, "od", default_index=snaps.index(opendata.default_snapshot().name),
                      format_func=lambda s: f"{s} · {opendata.series_label(series_of[s], lang)}")
with c2:
    group = ui.qp_select(L("od_group"), ["agency", "parent"], "odgroup", format_func=lambda g: L("od_group_" + g))
with c3:
    level = ui.qp_select(L("od_level"), ["all", "central", "local"], "odlevel", format_func=lambda g: L("od_level_" + g))
stamp = ui.lists_stamp(od)
dd = ui.od_call("data_dates", od)
src_text = ("；" if zh else "; ").join(ui.od_call("sources_note", od, ui.lang()))
if dd["oldest_update"] is None and dd["newest_update"] is None:
    st.caption(L("od13_sources_nodates").format(src=src_text, snap=od))
else:
    st.caption(L("od13_sources").format(src=src_text, snap=od,
                                        lo=str(dd["oldest_update"])[:10] if dd["oldest_update"] is not None else "—",
                                        hi=str(dd["newest_update"])[:10] if dd["newest_update"] is not None else "—"))
m = ui.od_call("agency_metrics", od, group, stamp=stamp)
if level != "all":
    kept = m[m["level"] == level]
    if kept.empty and not m.empty:
        # a city portal's catalogue lists its own (local) agencies only: "nothing to show" said not why
        st.info(L("od_level_none").format(level=L("od_level_" + level), n=len(m)))
        st.stop()
    m = kept
if m.empty:
    st.info(L("nothing_to_show"))
    st.stop()
nat = opendata.national_benchmark().set_index(["kind", "key"])["share"]

st.subheader(L("od_league"))
cols = ["agency", "level", "datasets", "resources", "share_3star", "open_format_share", "platinum_share", "platinum", "gold", "badge_share",
        "overdue", "overdue_share", "metadata_complete_share", "utf8_share", "tiny", "views", "downloads", "high_value", "bilingual"]
RAG = {"green": "background-color:#d9f0d3", "amber": "background-color:#fee8c8", "red": "background-color:#f4cccc"}
view = m[cols].reset_index(drop=True)
for k in cols[2:]:
    view[k] = pd.to_numeric(view[k], errors="coerce").astype("float64")   # missing = not judged: shown as —
view["level"] = view["level"].map(lambda x: L("od_level_" + x) if x in ("central", "local") else x)
unjudged = [k for k in cols[2:] if view[k].isna().all()]   # this catalogue lacks the fields: show which, not columns of blanks
view = view.drop(columns=unjudged)
# every dataset openly licensed: a dataset has 3 stars exactly when it has an open format, and the two columns
# were the same figures in every row (a walk on the 2018 catalogue): one column, and a line saying why
same_open = {"share_3star", "open_format_share"} <= set(view.columns) and view["share_3star"].round(9).equals(view["open_format_share"].round(9))
if same_open:
    view = view.drop(columns=["open_format_share"])
# the national benchmark beside every agency: in the badge columns' headers
NAT_COL = {"platinum_share": nat[("badge", "platinum")], "badge_share": nat[("badge", "platinum")] + nat[("badge", "gold")]}
# the table holds what it shows under the headings it shows: its own CSV download gave share_3star, tiny, views
# and 0.26373626373626374 on the Chinese page (a walk); shares in per cent with one decimal, their RAG colours
# from the shares as judged
names = {k: mname(k) + (ui.paren(L('od13_vs_national').format(v=f'{NAT_COL[k]:.1%}')) if k in NAT_COL else "")
         + (" (%)" if METRIC[k].share else "") for k in view.columns if k in METRIC} | {"agency": L("agency"), "level": L("od_level")}
shown = view.rename(columns=names)
shown[names["agency"]] = view["agency"].map(ui.agency_text)    # `view` keeps the names as published: a click picks by them
for k in view.columns:
    if k in METRIC and METRIC[k].share:
        shown[names[k]] = (view[k] * 100).round(1)
colours = pd.DataFrame({names[k]: [RAG.get(opendata.rag(k, v), "") if k in METRIC else "" for v in view[k]] for k in view.columns},
                       index=shown.index)
styled = shown.style.apply(lambda _: colours, axis=None)
# shown values: percentages with one decimal, counts with thousands separators, "—" where not judged
styled = styled.format({names[k]: ("{:.1f}" if METRIC[k].share else "{:,.0f}") for k in view.columns if k in METRIC}, na_rep="—")
conf = {names[k]: st.column_config.Column(help=METRIC[k].define_zh if zh else METRIC[k].define_en) for k in view.columns if k in METRIC}
st.caption(L("od13_league_pick"))
# as tall as its rows up to twelve (a catalogue of three agencies had nine empty rows under them)
event = st.dataframe(styled, hide_index=True, placeholder="—", width="stretch", height=min(420, 35 * (len(view) + 1) + 3), column_config=conf,
                     on_select="rerun", selection_mode="single-row", key=f"od_league_{od}_{group}_{level}")
st.caption(L("od_not_judged") + (" " + L("od_unjudged_list") + L("list_sep").join(mname(k) for k in unjudged) if unjudged else "")
           + (((("。" if zh else ". ") if unjudged else " ") + L("od_open_format_same").format(
               stars=mname("share_3star"), fmt=mname("open_format_share"))) if same_open else ""))
with st.expander(L("od_definitions")):
    st.dataframe(pd.DataFrame([{
        L("od_metric"): mname(x.key), L("explanation"): x.define_zh if zh else x.define_en,
        L("od_thresholds"): "—" if x.green is None else
        f"{'≥' if x.higher_is_better else '≤'} {x.green:.0%} 🟩 · {'≥' if x.higher_is_better else '≤'} {x.amber:.0%} 🟨 · 🟥"} for x in METRICS]),
        hide_index=True, placeholder="—", width="stretch")

# a click in the league table picks the agency below (once per click, so the picker stays the user's)
rows = event.selection.rows if event is not None else []
picked = view.iloc[rows[0]]["agency"] if rows else None
if picked is not None and st.session_state.get("od_league_applied") != (od, group, level, picked):
    st.session_state["od_league_applied"] = (od, group, level, picked)
    st.query_params["odagency"] = picked      # the picker below is made anew from it (ui._url_wins)

agencies = m["agency"].tolist()
ag = ui.qp_select(L("agency"), agencies, "odagency", format_func=ui.agency_text)
full = ui.od_call("agency_metrics", od, group, stamp=stamp)

st.subheader(L("od13_peers"))
prof = opendata.peers(full, ag)
prof["who"] = [ui.agency_text(a) + ui.paren(L('od_this') if a == ag else f"×{r:.1f}")
               for a, r in zip(prof["agency"], prof["size_ratio"])]
for k in METRIC:
    if k in prof:
        prof[k] = pd.to_numeric(prof[k], errors="coerce").astype("float64")
keys = [k for k in ["share_3star", "open_format_share", "platinum_share", "badge_share", "metadata_complete_share", "utf8_share", "overdue_share"]
        if prof[k].notna().any() and not (k == "open_format_share" and same_open)]     # as in the league table
# one table, each share drawn as a bar in its cell: the comparison a grouped bar chart gave, without
# loading plotly's 4.7 MB script on the page's first visit (#11: the cold visit missed 3 s by that much)
st.caption(L("od13_peers_title"))
peer = prof[["who", "datasets"] + keys].copy()
peer[keys] = peer[keys] * 100
st.dataframe(peer, hide_index=True, placeholder="—", width="stretch", column_config={
    # a long English agency name, sized to its text, pushed the last share off the grid's edge (a walk): held to a
    # width that leaves every share in view (the name whole on hover)
    "who": st.column_config.TextColumn(L("agency"), width=None if zh else 250), "datasets": st.column_config.NumberColumn(mname("datasets"), format="localized"),
    **{k: st.column_config.ProgressColumn(mname(k), format="%.1f%%", min_value=0, max_value=100, width=None if zh else 130,
                                          help=METRIC[k].define_zh if zh else METRIC[k].define_en) for k in keys}})

st.subheader(L("od13_benchmark"))
st.caption(L("od13_benchmark_help"))
bm = ui.od_call("benchmark", od, ag, group, stamp=stamp)
if bm["datasets"].isna().all():
    st.info(L("od13_not_in_catalogue"))
nj = L("od13_not_judged_field")
st.dataframe(pd.DataFrame({
    L("od13_kind"): bm["kind"].map(lambda k: L("od13_kind_" + k)), L("od13_category"): bm["zh" if zh else "en"].where(bm["key"] != "none", L("od_no_badge")),
    # the national summary's unitemised rest has no agency counterpart: "—", not "not in this catalogue"
    L("od13_agency_n"): ["—" if k == "unlisted" else nj if pd.isna(v) else f"{int(v):,}" for k, v in zip(bm["key"], bm["datasets"])],
    L("od13_agency_share"): ["—" if k == "unlisted" else nj if pd.isna(v) else f"{v:.1%}" for k, v in zip(bm["key"], bm["share"])],
    L("od13_national_share"): ["—" if pd.isna(v) else f"{v:.1%}" for v in bm["national_share"]]}), hide_index=True, placeholder="—", width="stretch", height=35 * (len(bm) + 1) + 3)

st.subheader(L("od_trend"))
metric = ui.qp_select(L("od_metric"), [x.key for x in METRICS], "odmetric", format_func=mname)
same = [s.name for s in opendata.same_series([x for x in opendata.snapshots() if x.name == od][0])]
if len(same) < 2:
    st.info(L("od13_trend_one").format(series=opendata.series_label(series_of[od], lang)))
else:
    tr, dropped = ui.od_call("trend", od, ag, metric, group, stamp=stamp)
    if dropped:
        st.info(L("od13_trend_basis"))
    if len(tr) < 2:
        # fewer snapshots judged alike than the agency appears in: the note above says why, not "appears in one"
        if not dropped:
            st.info(L("od13_trend_missing").format(agency=ui.agency_text(ag), n=len(tr)))
    else:
        fig = px.line(tr, x="snapshot", y="value", markers=True, title=f"{ui.agency_text(ag)} · {mname(metric)}",
                      labels={"snapshot": L("snapshot"), "value": mname(metric)})
        fig.update_xaxes(type="category")   # two snapshots are a pair joined by a line, not a time axis of one dot
        fig.update_layout(height=300, margin=dict(l=10, r=10, t=50, b=10))
        if METRIC[metric].share:
            fig.update_layout(yaxis_tickformat=".0%")
        # from 0: on an axis of 1,490-1,505 a change of 16 datasets looked steep
        fig.update_layout(yaxis_rangemode="tozero", margin=dict(l=10, r=10, t=70, b=10))
        charts.flat_y_title(fig, mname(metric), over_labels=False)
        st.plotly_chart(fig, width="stretch")

st.subheader(L("od13_datasets"))
dsl = ui.od_call("datasets", od, ag, stamp=stamp)
lang_q = "&lang=en" if not zh else ""
links = dsl.assign(link=[f"od_dataset?od={od}&ds={quote(str(k))}{lang_q}" for k in dsl["dataset_key"]])
show = links[["link", "dataset_name", "agency", "formats", "badge", "update_frequency", "last_update", "overdue"]].assign(
    badge=lambda d: d["badge"].map(lambda b: L("od13_badge_" + b) if isinstance(b, str) else "—"),
    agency=lambda d: d["agency"].map(ui.agency_text),
    formats=lambda d: d["formats"].map(lambda v: format_text(v, ui.lang())).fillna("—"),
    # a dataset whose frequency is not judged (irregular, never updated, real-time) is "—", not a blank box
    overdue=lambda d: d["overdue"].map(lambda v: "—" if pd.isna(v) else L("yes") if v else L("no")),
    update_frequency=lambda d: d["update_frequency"].map(lambda x: frequency_text(x, ui.lang())).fillna("—"))
st.caption(L("od_ds_click"))
# a click on a row opens that dataset's page in this tab (the link column opens it in a new one)
ev = st.dataframe(show.head(500), hide_index=True, placeholder="—", width="stretch", height=min(400, 35 * (min(len(show), 500) + 1) + 3),
                  on_select="rerun", selection_mode="single-row", key=f"od_ds_{od}_{ag}_{ui.lang()}", column_config={
    "link": st.column_config.LinkColumn(L("od13_open"), display_text=L("od13_open"), width="small"),
    "dataset_name": st.column_config.TextColumn(L("dataset")), "agency": st.column_config.TextColumn(L("agency")),
    "formats": st.column_config.TextColumn(L("od13_formats"), width="medium"), "badge": st.column_config.TextColumn(L("od13_badge")),
    "update_frequency": st.column_config.TextColumn(L("od13_frequency")),
    "last_update": st.column_config.DateColumn(L("od13_last_update")), "overdue": st.column_config.TextColumn(mname("overdue"), help=L("od_overdue_one"))})
if ev is not None and ev.selection.rows:
    st.switch_page("pages/od_dataset.py", query_params=ui.link_params(od=od, ds=dsl["dataset_key"].iloc[ev.selection.rows[0]]))

st.subheader(L("od_fix_list"))
fx = ui.od_call("fix_list", od, ag, ui.lang(), group, stamp=stamp)
st.write(ui.rows_text(len(fx)))
# what the reader sees and downloads: titles and severities in words, translated headings, the check id
# only in its own last column
explain = (lambda c: ui._checks()[c].explain_zh) if zh else (lambda c: ui._checks()[c].explain_en)
fxv = pd.DataFrame({L("fl_dataset_id"): fx["dataset_id"], L("dataset"): fx["dataset_name"], L("fl_title"): fx["check_id"].map(ui.check_title),
                    L("fl_severity"): fx["severity"].map(lambda x: L("sev_" + x)), L("fl_message"): fx["check_id"].map(explain),
                    L("fl_suggestion"): fx["suggestion"], L("fl_source_file"): fx["source_file"], L("fl_check_id"): fx["check_id"]}).fillna("—")
if fxv.empty:      # said in words (an empty table showed Streamlit's own "empty" on the Chinese page)
    st.caption(L("od_fix_nothing"))
else:
    st.dataframe(fxv.head(200).drop(columns=[L("fl_message"), L("fl_source_file")]), hide_index=True, placeholder="—", width="stretch")
    d1, d2 = st.columns(2)
    stem = store.file_stem(L("od_fixlist_file"), ui.agency_text(ag), od)
    d1.download_button(L("download_csv"), lambda: store.fix_list_csv(fxv), f"{stem}.csv", "text/csv", on_click="ignore")
    d2.download_button(L("download_xlsx"), lambda sheet=L("fixlist_sheet"): store.fix_list_xlsx(fxv, sheet)[0], f"{stem}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")

st.subheader(L("od_lists"))
st.caption(L("od_lists_help"))
# the catalogue's own dataset id (blank where it gives none); the key the lists are saved under stays hidden
# (a city's "高雄市政府|100年報案情形統計表" was shown as the id)
ds = dsl[["dataset_key", "dataset_id", "dataset_name", "high_value", "bilingual"]].copy()
ds[["high_value", "bilingual"]] = ds[["high_value", "bilingual"]].astype("boolean").fillna(False)
ds["dataset_id"] = ds["dataset_id"].astype("string")
edited = st.data_editor(ds.set_index("dataset_key"), hide_index=True, placeholder="—", width="stretch", height=300,
                        disabled=["dataset_id", "dataset_name"], key=f"lists_{od}_{ag}",
                        column_config={"dataset_id": st.column_config.TextColumn(L("col_dataset_id")),
                                       "dataset_name": st.column_config.TextColumn(L("dataset")),
                                       "high_value": st.column_config.CheckboxColumn(mname("high_value")),
                                       "bilingual": st.column_config.CheckboxColumn(mname("bilingual"))})
if st.button(L("od_save_lists")):
    snap = [s for s in opendata.snapshots() if s.name == od][0]
    others = opendata.read_lists(snap.parent, od)
    merged = pd.concat([others[~others["dataset_key"].isin(ds["dataset_key"])] if others is not None else None, edited.rename_axis("dataset_key").reset_index()])
    try:
        opendata.save_lists(snap.parent, od, merged)
    except OSError as e:   # e.g. a read-only deployment: say so, keep the page
        st.error(L("od_save_failed").format(msg=str(e)))
    else:
        st.success(L("od_saved"))
        st.rerun()

st.subheader(L("od_report"))
if not zh:      # the meeting's language: an English page handed out a Chinese report unsaid (a walk)
    st.caption(L("od_report_language"))
earlier = [s for s in same if s < od]
old = ui.qp_select(L("od13_compare_with"), [None] + earlier, "odold", default_index=0,
                   format_func=lambda s: L("od13_no_compare") if s is None else s)
# the report is about the agency picked above unless the user picks others here (then the URL keeps them)
qp_rep = [a for a in st.query_params.get_all("odrep") if a in agencies]
# select_all=False: Streamlit labels its bulk action "Select all" in English whatever the page's language (a walk)
chosen = st.multiselect(L("od_report_agencies"), agencies, default=qp_rep or [ag], format_func=ui.agency_text, key=f"odrep_{od}_{group}_{ag}",
                        select_all=False, placeholder=L("choose"), wrap=True)
if chosen == [ag] or not chosen:
    st.query_params.pop("odrep", None)
else:
    st.query_params["odrep"] = chosen
params = (old, od, tuple(chosen), group)
if st.button(L("od_make_report"), type="primary", disabled=not chosen):
    html, xlsx = ui.meeting_report(old, od, tuple(chosen), group, stamp)
    st.session_state["od_report"] = (params, html, xlsx)
if "od_report" in st.session_state:
    made, html, xlsx = st.session_state["od_report"]
    if made != params:   # never hand out a report for agencies the user has since changed
        st.warning(L("od13_report_stale"))
    else:
        st.caption(L("od13_report_for").format(agencies=("、" if ui.lang() == "zh" else "; ").join(map(ui.agency_text, chosen)), snap=od))
        stem = store.file_stem(L("od_report_file"), old, od)     # in the page's language, as every download (a walk)
        e1, e2 = st.columns(2)
        e1.download_button(L("od_download_html"), html.encode("utf-8"), f"{stem}.html", "text/html")
        e2.download_button(L("od_download_xlsx"), xlsx, f"{stem}.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
